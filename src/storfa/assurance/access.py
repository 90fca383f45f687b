"""Who may do what with assurance returns and surveys: access follows
organisations.

- A board (any organisation with a board region) sees its own returns and
  surveys, drafts included; its editors and administrators fill them in.
- National users — administrators, and anyone in an organisation without a
  board region (the national team) — see submitted returns and every survey's
  results, and compare boards C by C; they never see another board's draft.
- Reopening a submitted return is for national editors and administrators:
  the board that submitted cannot unlock its own return quietly.

The local CLI acts with the database owner's authority (user None)."""

from __future__ import annotations

from collections.abc import Mapping

from storfa.domain.accounts import Organisation, Role, User
from storfa.domain.assurance import SUBMITTED

_WRITERS = (Role.ADMINISTRATOR, Role.EDITOR)


def is_national(user: User | None, organisations: Mapping[int, Organisation]) -> bool:
    if user is None or user.disabled:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    org = organisations.get(user.organisation_id) if user.organisation_id else None
    return org is not None and not org.board


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
