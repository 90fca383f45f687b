"""The reader's Disclosure check panel: forms that decide a finding and keep
the review's own list of words (docs/disclosure.md). The rules are
disclosure/decisions.py's; this module only reads forms, checks the CSRF
token and who may change the review, and goes back to the panel."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from storfa.disclosure.decisions import DisclosureDecisions, UnknownFinding
from storfa.domain.errors import StorfaError
from storfa.web.context import Visitor, visitor
from storfa.web.guard import editable_review

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]


def _back(review_id: str, page: int | None) -> Response:
    at = f"?page={page}" if page else ""
    return RedirectResponse(f"/reviews/{quote(review_id)}{at}#disclosure", status_code=303)


@router.post("/reviews/{key:path}/disclosure/decide")
def decide(v: V, key: str, finding: Annotated[str, Form(max_length=300)],
           decision: Annotated[str, Form(max_length=20)],
           replacement: Annotated[str, Form(max_length=400)] = "",
           page: Annotated[int | None, Form()] = None,
           csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    # A review the visitor may not see is 404, one they may not change 403 (audited).
    record = editable_review(v, key, "disclosure.decide")
    try:
        DisclosureDecisions(v.storfa).decide(record, finding, decision, replacement or None,
                                             v.actor)
    except UnknownFinding as exc:
        raise HTTPException(404, v._("That finding is not in the current version of this "
                                     "review. Reload the page.")) from exc
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return _back(record.summary.review_id, page)


@router.post("/reviews/{key:path}/disclosure/terms")
def terms(v: V, key: str, term: Annotated[str, Form(max_length=200)],
          action: Annotated[str, Form(max_length=10)] = "add",
          page: Annotated[int | None, Form()] = None,
          csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    record = editable_review(v, key, "disclosure.term")
    try:
        DisclosureDecisions(v.storfa).set_term(record, term, v.actor, present=action != "remove")
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return _back(record.summary.review_id, page)
