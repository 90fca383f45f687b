"""Who may do what: the only place access rules are written down.

Every page, API endpoint, export and search asks these functions; the access
matrix tests walk every role × level × object through them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from storfa.domain.accounts import PUBLIC, AccessLevel, ReviewAccess, Role, User

_WRITERS = (Role.ADMINISTRATOR, Role.EDITOR)


def can_view(user: User | None, access: ReviewAccess) -> bool:
    if user is not None and user.disabled:
        return False
    if access.level == AccessLevel.PUBLIC:
        return True
    if user is None:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    if access.level == AccessLevel.REGISTERED:
        return True
    in_org = user.organisation_id is not None and user.organisation_id in access.organisations
    if access.level == AccessLevel.RESTRICTED:
        return in_org
    return in_org and user.role in _WRITERS  # draft


def can_edit(user: User | None, access: ReviewAccess) -> bool:
    """Correct metadata, set access on, or upload a new version of a review."""
    return user is not None and user.role in _WRITERS and can_view(user, access)


def can_code(user: User | None, access: ReviewAccess) -> bool:
    return (user is not None and user.role in (*_WRITERS, Role.CODER)
            and can_view(user, access))


def can_track(user: User | None, access: ReviewAccess) -> bool:
    """Change a recommendation of this review: its status, owner, due date,
    progress notes and evidence, and correct what was extracted (edit, split,
    merge). Editors and administrators who may see the review; coders code
    text but do not answer for a board's recommendations."""
    return user is not None and user.role in _WRITERS and can_view(user, access)


def can_view_coding(user: User | None) -> bool:
    """See the analysis of coding (matrix, drill-down, co-occurrence, words,
    downloads) over the reviews the person may see: anyone signed in. Extracts
    name their coders, so it is not shown to visitors who are not signed in."""
    return user is not None and not user.disabled


def can_upload(user: User | None) -> bool:
    return user is not None and not user.disabled and user.role in _WRITERS


def can_manage_codebooks(user: User | None) -> bool:
    """Change codebooks (add, edit, merge, retire codes) and import REFI-QDA files."""
    return user is not None and not user.disabled and user.role in _WRITERS


def can_administer(user: User | None) -> bool:
    return user is not None and not user.disabled and user.role == Role.ADMINISTRATOR


def locks_out(user: User | None, level: AccessLevel,
              organisations: Iterable[int]) -> bool:
    """Whether setting `level` for `organisations` would shut the user's own
    organisation out of a review they are changing: an editor never locks
    their own organisation out (a restricted or draft review it is not named
    on). Administrators see every review, so the rule does not bind them; nor
    anyone without an organisation (the command line, set-up code)."""
    return (user is not None and not can_administer(user)
            and user.organisation_id is not None
            and level in (AccessLevel.RESTRICTED, AccessLevel.DRAFT)
            and user.organisation_id not in set(organisations))


def hidden_reviews(user: User | None, restricted: Mapping[int, ReviewAccess]) -> frozenset[int]:
    """Review rows the user may not see, from the map of non-public reviews.

    Search engines leave these out of hits, totals and facet counts."""
    return frozenset(row for row, access in restricted.items() if not can_view(user, access))


def access_of(row: int, restricted: Mapping[int, ReviewAccess]) -> ReviewAccess:
    return restricted.get(row, PUBLIC)
