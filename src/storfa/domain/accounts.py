"""Users, organisations, roles and review access levels; the credentials and
sessions stored for them; a user's saved searches."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from storfa.domain.errors import N_, StorfaError


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    EDITOR = "editor"
    CODER = "coder"
    READER = "reader"


class AccessLevel(StrEnum):
    PUBLIC = "public"          # anyone, signed in or not
    REGISTERED = "registered"  # any signed-in user
    RESTRICTED = "restricted"  # the named organisations only
    DRAFT = "draft"            # editors and administrators of the named organisations


class OrgKind(StrEnum):
    """What an organisation is, which decides what its users see of the
    assurance evidence (assurance/access.py)."""

    NATIONAL = "national"  # a national team: sees the aggregates across boards
    BOARD = "board"        # a regional safeguarding board
    AGENCY = "agency"      # health, police, a council's service, a school: its own returns


ROLES = tuple(r.value for r in Role)
LEVELS = tuple(a.value for a in AccessLevel)
ORG_KINDS = tuple(k.value for k in OrgKind)


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    # A board's own region; an agency's, the region of the board it works with.
    board: str | None = None
    kind: OrgKind = OrgKind.NATIONAL


def organisation_kind(kind: str | None, board: str | None) -> tuple[OrgKind, str | None]:
    """The kind and board region to store for an organisation. No kind given:
    a board when it has a board region, else national, as every organisation
    was read before kinds existed. A board needs its region; a national team
    has none; an agency may name the region of the board it works with."""
    region = (board or "").strip() or None
    text = (kind or "").strip().casefold()
    if not text:
        return (OrgKind.BOARD if region else OrgKind.NATIONAL), region
    if text not in ORG_KINDS:
        raise StorfaError(N_("Unknown kind of organisation {kind!r}; use one of {kinds}."),
                          kind=kind, kinds=", ".join(ORG_KINDS))
    chosen = OrgKind(text)
    if chosen == OrgKind.BOARD and region is None:
        raise StorfaError(N_("A board needs its board region."))
    if chosen == OrgKind.NATIONAL and region is not None:
        raise StorfaError(N_("A national organisation has no board region."))
    return chosen, region


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    organisation_id: int | None
    organisation_name: str | None = None
    disabled: bool = False
    totp_enabled: bool = False
    language: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this user."""
        return f"user:{self.username}"

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name,
                "role": self.role.value, "organisation": self.organisation_name,
                "disabled": self.disabled, "totp": self.totp_enabled}


@dataclass(frozen=True)
class ReviewAccess:
    level: AccessLevel = AccessLevel.PUBLIC
    organisations: frozenset[int] = field(default_factory=frozenset)


PUBLIC = ReviewAccess()


@dataclass(frozen=True)
class Credentials:
    user: User
    password_hash: str
    totp_secret: str | None


@dataclass(frozen=True)
class SessionRecord:
    user: User
    csrf_token: str
    second_factor: bool
    created_at: str
    last_seen: str


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str
    params: dict[str, Any]
    created_at: str
