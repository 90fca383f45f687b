"""Who may do what with assurance returns and surveys: access follows
organisations and what they are (domain.accounts.OrgKind).

- A board sees its own returns and surveys, drafts included; its editors and
  administrators fill them in. It sees its agencies' returns to the
  self-evaluations and case-file audits it runs (the exercise services).
- An agency sees its own returns only: its 12 Cs return if it keeps one, its
  self-evaluation returns and audit grades, and an exercise's results once
  the board that ran it publishes them. Never another organisation's 12 Cs
  return or survey, nor the comparison of boards.
- National users — administrators, and users of a national organisation —
  see submitted returns and every survey's results, and compare boards C by
  C; they never see another board's draft.
- Reopening a submitted return is for national editors and administrators:
  the board that submitted cannot unlock its own return quietly.

Only the kind makes a user national: an organisation without a board
region is not national for that alone (an agency often has none).

The local CLI acts with the database owner's authority (user None)."""

from __future__ import annotations

from collections.abc import Mapping

from storfa.domain.accounts import Organisation, OrgKind, Role, User
from storfa.domain.assurance import SUBMITTED

_WRITERS = (Role.ADMINISTRATOR, Role.EDITOR)


def is_national(user: User | None, organisations: Mapping[int, Organisation]) -> bool:
    if user is None or user.disabled:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    org = organisations.get(user.organisation_id) if user.organisation_id else None
    return org is not None and org.kind == OrgKind.NATIONAL


def runs_exercises(organisation: Organisation) -> bool:
    """Whether an organisation may run self-evaluations and case-file audits:
    boards (and national teams) run them; an agency answers them."""
    return organisation.kind != OrgKind.AGENCY


def can_run_exercises(user: User | None, home: Organisation | None) -> bool:
    """Start case-file audits and self-evaluations from the exercises page:
    the editors and administrators of an organisation that runs them."""
    return (home is not None and runs_exercises(home) and user is not None
            and not user.disabled and user.organisation_id == home.id
            and user.role in _WRITERS)


def _own(user: User | None, organisation_id: int) -> bool:
    return user is not None and not user.disabled and user.organisation_id == organisation_id


def can_view_return(user: User | None, national: bool, organisation_id: int,
                    status: str) -> bool:
    return _own(user, organisation_id) or (national and status == SUBMITTED)


def others_visible(national: bool) -> tuple[str, ...]:
    """The statuses of other organisations' returns a caller sees (the same
    rule as can_view_return, for lists the database pages)."""
    return (SUBMITTED,) if national else ()


def can_answer(user: User | None, organisation_id: int) -> bool:
    """Open, fill in and submit the organisation's return; import its surveys."""
    return _own(user, organisation_id) and user is not None and user.role in _WRITERS


def can_reopen(user: User | None, national: bool) -> bool:
    return national and user is not None and user.role in _WRITERS


def can_compare(national: bool) -> bool:
    return national


def can_view_survey(user: User | None, national: bool, organisation_id: int) -> bool:
    return _own(user, organisation_id) or national
