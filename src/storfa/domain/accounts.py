"""Users, organisations, roles and review access levels; the credentials and
sessions stored for them; a user's saved searches."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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


ROLES = tuple(r.value for r in Role)
LEVELS = tuple(a.value for a in AccessLevel)


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    board: str | None = None


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
