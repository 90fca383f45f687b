"""What every assurance service shares: who is calling, which organisations
exist, whether the caller is national, and audited refusals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storfa.assurance import access
from storfa.domain.accounts import Organisation, OrgKind, User
from storfa.domain.errors import StorfaError
from storfa.storage.files import BlobStore
from storfa.storage.interface import Store


class Forbidden(StorfaError):
    """The caller may see this but not do this (the web answers 403)."""


class NotVisible(StorfaError):
    """No such thing, or not for this caller (the web answers 404, never telling which)."""


@dataclass(frozen=True)
class Caller:
    """Who is acting. `user` None is the local CLI, with the database owner's
    authority; `detail` (role, organisation, address) goes into every audit event."""

    actor: str
    user: User | None = None
    detail: dict[str, Any] = field(default_factory=dict)


class Scoped:
    def __init__(self, store: Store, blobs: BlobStore, organisations: Sequence[Organisation],
                 caller: Caller) -> None:
        self.store = store
        self.blobs = blobs
        self.orgs = {o.id: o for o in organisations}
        self.caller = caller
        self.national = caller.user is None or access.is_national(caller.user, self.orgs)

    def organisation(self, name_or_id: str | int) -> Organisation:
        """By id, name or a board's region (any case). An agency names the
        region of the board it works with, so a region names the board only."""
        text = str(name_or_id).strip()
        if text.isdigit() and int(text) in self.orgs:
            return self.orgs[int(text)]
        key = text.casefold()
        for org in self.orgs.values():
            if key == org.name.casefold():
                return org
        for org in self.orgs.values():
            if org.kind == OrgKind.BOARD and key == (org.board or "").casefold():
                return org
        raise NotVisible(f"No organisation called {name_or_id!r}.")

    def home(self) -> Organisation | None:
        user = self.caller.user
        return self.orgs.get(user.organisation_id) if user and user.organisation_id else None

    def _cli(self) -> bool:
        return self.caller.user is None

    def _deny(self, action: str, object_id: str, error: StorfaError,
              object_type: str = "assurance_return") -> StorfaError:
        self.store.audit(self.caller.actor, action, object_type, object_id,
                         {**self.caller.detail, "allowed": False})
        return error

    def _audit(self, action: str, object_type: str, object_id: str, **detail: Any) -> None:
        self.store.audit(self.caller.actor, action, object_type, object_id,
                         {**self.caller.detail, **detail})
