"""Reviews as a visitor may see them: the one door pages and API go through.

A review the visitor may not see is answered exactly like one that does not
exist (404), so identifiers of restricted reviews cannot be probed; the
denial is still written to the audit log."""

from __future__ import annotations

from fastapi import HTTPException

from storfa.accounts.policy import can_edit, can_view
from storfa.domain.accounts import AccessLevel
from storfa.domain.reviews import ReviewRecord
from storfa.web.context import Visitor

AUDITED_LEVELS = (AccessLevel.RESTRICTED, AccessLevel.DRAFT)


def not_found(v: Visitor) -> HTTPException:
    return HTTPException(404, v._("There is no review with that identifier."))


def visible_review(v: Visitor, key: str, action: str = "review.view") -> ReviewRecord:
    record = v.storfa.store.get_review(key)
    if record is None:
        raise not_found(v)
    access = v.access(record.id)
    if not can_view(v.user, access):
        v.storfa.accounts.audit(v.actor, action, "review", record.summary.review_id,
                                allowed=False)
        raise not_found(v)
    if access.level in AUDITED_LEVELS or action != "review.view":
        v.storfa.accounts.audit(v.actor, action, "review", record.summary.review_id,
                                version=record.summary.version, level=access.level.value)
    return record


def editable_review(v: Visitor, key: str, action: str) -> ReviewRecord:
    record = visible_review(v, key, action="review.view")
    if not can_edit(v.user, v.access(record.id)):
        v.storfa.accounts.audit(v.actor, action, "review", record.summary.review_id,
                                allowed=False)
        raise HTTPException(403, v._("Your role cannot change this review."))
    return record


def shown_link(v: Visitor, linked: str | None) -> str | None:
    """The linked Welsh/English version's identifier, or None when the visitor
    may not see that version: naming it would reveal that a hidden review exists."""
    if not linked:
        return None
    rows = {s.review_id: row for row, s in v.storfa.catalogue.by_row().items()}
    row = rows.get(linked)
    return linked if row is not None and row not in v.hidden else None
