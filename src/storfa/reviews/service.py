"""The reviews use cases: correcting a review's metadata and changing who
may see it, each written once.

Every adapter calls these methods and nothing else to do the work:
`storfa reviews set|access` (cli/reviews.py), the reader's forms
(web/routes/pages.py) and `PATCH`/`PUT /api/v1/reviews/{id}/metadata|access`
(web/routes/api.py). An adapter parses its input, checks who may act on the
review (web.guard.editable_review; the command line is trusted like every
command), calls one method and renders what it returns or raises. Every other
rule of the use case lives here, so the adapters cannot drift apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from storfa.accounts.policy import can_administer
from storfa.accounts.service import Actor
from storfa.domain.accounts import AccessLevel
from storfa.domain.acting import Acting, CommandLine
from storfa.domain.errors import N_, NotFound, StorfaError
from storfa.domain.reviews import ReviewRecord
from storfa.ingest.metadata.corrections import EDITABLE, normalise_field
from storfa.storage.interface import Store

if TYPE_CHECKING:
    from storfa.accounts.service import AccountService
    from storfa.search.engine import SearchEngine
    from storfa.search.facets import ReviewCatalogue


class PublicationGate(Protocol):
    """disclosure.publication.check_publication with the app bound: raises
    PublicationBlocked (audited) or returns the findings an override let through."""

    def __call__(self, record: ReviewRecord, current: AccessLevel, new: AccessLevel,
                 actor: Acting, override: bool = False,
                 may_override: bool = False) -> int: ...


class NotEditable(StorfaError):
    """The field is not one an editor may correct."""

    def __init__(self, field: str) -> None:
        super().__init__(N_("{field!r} cannot be edited; editable: {fields}."),
                         field=field, fields=", ".join(EDITABLE))
        self.field = field


@dataclass(frozen=True)
class Correction:
    review_id: str
    field: str
    value: str  # as stored: normalised the way the parser stores it


@dataclass(frozen=True)
class AccessChange:
    review_id: str
    level: str
    organisations: list[int]
    let_through: int  # undecided disclosure findings an administrator's override let through


class ReviewService:
    def __init__(self, store: Store, index: SearchEngine, accounts: AccountService,
                 catalogue: ReviewCatalogue, gate: PublicationGate) -> None:
        self.store, self.index, self.accounts = store, index, accounts
        self.catalogue, self.gate = catalogue, gate

    def get(self, key: str) -> ReviewRecord:
        record = self.store.get_review(key)
        if record is None:
            raise NotFound(N_("No review called {key!r}."), key=key)
        return record

    # ---------------------------------------------------------------- metadata
    def correct_metadata(self, record: ReviewRecord, field: str, value: str,
                         actor: Acting) -> Correction:
        """Store an editor's correction of one field, normalised as the parser
        stores it ("cpr" -> "CPR", "3rd May 2021" -> "2021-05-03"), so filters
        and facets find it; the search index is brought up to date before
        returning, so `year:` finds a corrected date at once."""
        if field not in EDITABLE:
            raise NotEditable(field)
        value = normalise_field(field, value)
        key = record.summary.review_id
        self.store.set_metadata(key, field, value, actor.name)  # logs the data change
        self.index.sync(self.store)
        self.catalogue.invalidate()
        # Who made it, with role, organisation and address, as every change must have.
        self.accounts.audit(actor, "review.metadata", "review", key,
                            version=record.summary.version, field=field, value=value)
        return Correction(key, field, value)

    # ------------------------------------------------------------------ access
    def organisation_ids(self, names: Sequence[str]) -> list[int]:
        """Organisations by name, as the API and the CLI name them."""
        ids = []
        for name in names:
            org = self.accounts.accounts.organisation(name)
            if org is None:
                raise StorfaError(N_("No organisation called {name!r}."), name=name)
            ids.append(org.id)
        return ids

    def set_access(self, record: ReviewRecord, level: str, organisations: Sequence[int],
                   actor: Acting, override: bool = False) -> AccessChange:
        """Change who may see a review, as a person does:

        - an editor never locks their own organisation out (LockOut, audited);
        - the publication gate: not opened up to registered or public while
          disclosure findings are undecided (PublicationBlocked, audited),
          unless an administrator, or the command line, overrides (audited);
        - then the account service stores and audits the change."""
        try:
            new = AccessLevel(level)
        except ValueError:
            raise StorfaError(N_("Unknown access level {level!r}."), level=level) from None
        orgs = sorted(set(organisations))
        key = record.summary.review_id
        # Before the gate, so a refused change never audits an override.
        self.accounts.refuse_lock_out(actor, key, new, orgs)
        user = actor.user if isinstance(actor, Actor) else None
        current = self.accounts.accounts.review_access(record.id).level
        let_through = self.gate(record, current, new, actor, override,
                                may_override=can_administer(user)
                                or isinstance(actor, CommandLine))
        self.accounts.set_access(record.id, key, new.value, orgs, actor)
        return AccessChange(key, new.value, orgs, let_through)
