"""The publication gate (issue 19 item 2): a review is not opened up to
registered or public access while findings of the disclosure check at or
above the shown confidence are undecided, unless an administrator overrides
it; refusals and overrides are audited.

Only opening up is gated: a change to a level that shows the review to more
people than now (draft → restricted is not gated, restricted → public is,
public → registered is not). Setting the level a review already has changes
nothing and is not gated either. `AccountService.set_access` stays the
ungated storage step for set-up code that is not a person publishing (the
demo's and tests' fixtures); people change access through
`ReviewService.set_access` (reviews/service.py), which the reader's form,
`PUT /api/v1/reviews/{id}/access` and `storfa reviews access` call, and which
asks this gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storfa.disclosure.check import MIN_CONFIDENCE
from storfa.disclosure.decisions import DisclosureDecisions
from storfa.domain.accounts import AccessLevel
from storfa.domain.acting import Acting
from storfa.domain.errors import N_, StorfaError, Words
from storfa.domain.reviews import ReviewRecord

if TYPE_CHECKING:
    from storfa.accounts.service import Actor
    from storfa.app import Storfa

# How many people a level shows a review to, in order.
_OPENNESS = {AccessLevel.DRAFT: 0, AccessLevel.RESTRICTED: 1, AccessLevel.REGISTERED: 2,
             AccessLevel.PUBLIC: 3}


class PublicationBlocked(StorfaError):
    """Findings are undecided; the message says how many and what to do."""

    def __init__(self, review_id: str, undecided: int, level: str) -> None:
        self.review_id, self.undecided, self.level = review_id, undecided, level
        # The level is a word the catalogue has ("public"): Words, so a page
        # that shows this message says it in its own language.
        super().__init__(
            N_("{review_id} cannot be made {level}: {undecided} finding(s) of the disclosure "
               "check (confidence >= {confidence:.2f}) are undecided. Accept, reject or edit "
               "each in the disclosure check first; an administrator may override."),
            review_id=review_id, level=Words(level), undecided=undecided,
            confidence=MIN_CONFIDENCE)


def gated(current: AccessLevel, new: AccessLevel) -> bool:
    """Whether changing `current` to `new` opens the review up to registered or public."""
    return new in (AccessLevel.REGISTERED, AccessLevel.PUBLIC) \
        and _OPENNESS[new] > _OPENNESS[current]


def check_publication(app: Storfa, record: ReviewRecord, current: AccessLevel,
                      new: AccessLevel, actor: Acting, override: bool = False,
                      may_override: bool = False) -> int:
    """Raise PublicationBlocked when the change is gated and findings are
    undecided (an audited refusal); else the number of undecided findings
    let through by an override (audited as one), 0 when there were none.

    `may_override` is the caller's word that the actor is an administrator;
    `override` that they asked for it explicitly (a flag or a checkbox)."""
    if not gated(current, new):
        return 0
    undecided = DisclosureDecisions(app).report(record, MIN_CONFIDENCE).undecided()
    if not undecided:
        return 0
    review_id = record.summary.review_id
    detail = {**actor.detail(), "version": record.summary.version, "level": new.value,
              "from": current.value, "undecided": len(undecided),
              "findings": [f.id for f in undecided[:50]]}
    if override and may_override:
        app.store.audit(actor.name, "disclosure.override", "review", review_id,
                        {**detail, "allowed": True})
        return len(undecided)
    app.store.audit(actor.name, "review.access", "review", review_id,
                    {**detail, "allowed": False, "reason": "disclosure findings undecided",
                     "override_asked": override})
    raise PublicationBlocked(review_id, len(undecided), new.value)


def change_access(app: Storfa, record: ReviewRecord, level: str, organisations: list[int],
                  actor: Actor, override: bool = False) -> int:
    """Change a review's access as a person does: ReviewService.set_access
    (reviews/service.py), the one home of the use case, which asks this gate."""
    return app.reviews.set_access(record, level, organisations, actor, override).let_through
