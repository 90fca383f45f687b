"""The coding part of the JSON API (/api/v1/coding/...): what the coding pages
show and do, through the same services and the same checks (routes.coding):
codebooks with their default suggestion threshold, the suggestion queue in
the page's order (most confident first) with each suggestion's runner-up,
deciding a suggestion, auto-coding as a job on the queue with its progress and
the count held back below the threshold, and classifying free passages as
`storfa classify` does. A review the caller may not see is never listed;
an extract of one is 404, as one that does not exist."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from storfa.coding.autocode import MissingCode, split_runner_up
from storfa.coding.teamwork import queue_items, status_counts
from storfa.domain.coding import SUGGESTED, Extract
from storfa.domain.errors import StorfaError
from storfa.web.guard import visible_review
from storfa.web.params import RowId
from storfa.web.published import published
from storfa.web.routes.api import PROBLEMS, V, _signed_in
from storfa.web.routes.coding import (
    _book,
    _codable_reviews,
    _extract_for_coding,
    _require_coder,
    _service,
    _view,
)

router = APIRouter(prefix="/coding", tags=["coding"], responses=PROBLEMS)
Name = Annotated[str, Path(max_length=100, description="A codebook's name, e.g. best-practice")]
# Passages classified per request: enough for a page of a report, small
# enough that one request cannot hold a core for long.
MAX_PASSAGES = 200


class Decision(BaseModel):
    action: Literal["accept", "reject", "recode"]
    code: str | None = Field(None, max_length=300, description="The code to use, for recode.")


class AutoCode(BaseModel):
    reviews: list[str] | None = Field(
        None, max_length=5000, description="Review ids; default: every review you may code.")
    threshold: float | None = Field(
        None, ge=0.0, le=1.0, description="Default: the codebook's (see /coding/codebooks).")


class Passage(BaseModel):
    id: str = Field(max_length=200)
    text: str = Field(min_length=1, max_length=20_000)


class Classify(BaseModel):
    codebook: str = Field("best-practice", max_length=100)
    passages: list[Passage] = Field(min_length=1, max_length=MAX_PASSAGES)
    # Read the passages as one document's paragraphs in order (as auto-coding
    # reads a review); false reads each on its own words alone.
    as_document: bool = True


def _coder(v: V) -> None:
    _signed_in(v)
    _require_coder(v)


def extract_json(e: Extract) -> dict[str, Any]:
    detail, runner_up = split_runner_up(e.source_detail)
    return {"id": e.id, "review_id": e.review_id, "page": e.page, "start": e.start,
            "end": e.end, "text": e.text, "codebook": e.codebook, "theme": e.theme,
            "code": e.code, "status": e.status, "how": e.how, "source_detail": detail,
            "runner_up": runner_up, "confidence": e.confidence, "coder": e.coder}


@router.get("/codebooks")
def codebooks(v: V) -> dict[str, Any]:
    """The codebooks, each with its default auto-coding thresholds: `threshold`
    for thematic and other reports, `review_threshold` for single-case reviews."""
    _coder(v)
    service = _service(v)
    return {"codebooks": [{**info.as_json(), **service.thresholds(service.book(info.name))}
                          for info in service.codebooks.infos()]}


@router.get("/{codebook}/suggestions")
def suggestions(v: V, codebook: Name,
                review: Annotated[str, Query(max_length=200)] = "",
                status: Literal["suggested", "all"] = "suggested",
                limit: Annotated[int, Query(ge=1, le=500)] = 100,
                offset: Annotated[int, Query(ge=0, le=10**6)] = 0) -> dict[str, Any]:
    """The queue as the coding page orders it (most confident first), your own
    decisions only (blind coding), with the counts by status."""
    _coder(v)
    book = _book(v, codebook)
    _, reviews, _ = _codable_reviews(v)
    rows = {row for row, _ in reviews}
    if review:
        rows &= {visible_review(v, review).id}
    everything = queue_items(_view(v, book, rows, compare=False))
    items = everything if status == "all" else [e for e in everything
                                                if e.status == SUGGESTED]
    shown = published(v)  # as the reader shows them to whoever may not edit the review
    return {"codebook": book.name, "counts": status_counts(everything), "total": len(items),
            "items": [extract_json(shown.extract(e)) for e in items[offset:offset + limit]]}


@router.post("/extracts/{extract_id}/decision")
def decide(v: V, extract_id: RowId, body: Decision) -> dict[str, Any]:
    """Accept, reject or re-code a suggestion, as the queue's buttons do (audited)."""
    _coder(v)
    _extract_for_coding(v, extract_id)
    try:
        done = _service(v).decide_suggestion(extract_id, body.action, v.actor.name, body.code)
    except MissingCode as exc:
        raise HTTPException(422, str(exc)) from exc
    except StorfaError as exc:
        raise HTTPException(400, str(exc)) from exc
    return extract_json(published(v).extract(done))


@router.post("/undo")
def undo(v: V) -> dict[str, Any]:
    """Undo your own last coding change, as the queue's undo does: a decided
    suggestion opens again, an extract you made is withdrawn (kept as history).
    Other coders' changes are never undone (audited)."""
    _coder(v)
    try:
        done = _service(v).undo(v.actor.name)
    except StorfaError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"undone": done.action, "change": done.change_id,
            "withdrawn": done.extract.superseded,
            "extract": extract_json(published(v).extract(done.extract))}


@router.post("/{codebook}/auto", status_code=202)
def auto_code(v: V, codebook: Name, body: AutoCode) -> dict[str, Any]:
    """Start auto-coding in the background (one run at a time: a running one
    is returned instead); poll /coding/auto/{id}."""
    _coder(v)
    book = _book(v, codebook)
    _, reviews, _ = _codable_reviews(v)
    keys = [s.review_id for _, s in reviews]
    if body.reviews is not None:
        wanted = {visible_review(v, key).summary.review_id for key in body.reviews}
        keys = [k for k in keys if k in wanted]
    if not keys:
        raise HTTPException(400, "No reviews you may code are selected.")
    return v.storfa.autocoding.start(book.name, keys, v.actor.name, body.threshold).as_json()


@router.get("/auto/{job_id}")
def auto_progress(v: V, job_id: RowId) -> dict[str, Any]:
    """An auto-coding run: done of total reviews, suggestions stored, passages
    held back below the threshold."""
    _coder(v)
    job = v.storfa.autocoding.get(job_id)
    if job is None or job.actor != v.actor.name:
        raise HTTPException(404, "There is no such auto-coding run.")
    return job.as_json()


@router.post("/classify")
def classify(v: V, body: Classify) -> dict[str, Any]:
    """Is each passage an example of best practice, and of which theme and
    code? Nothing is stored (`storfa classify`)."""
    _signed_in(v)
    from storfa.coding.classifier import load_classifier
    from storfa.coding.document_reading import classify_passages

    try:
        classifier = load_classifier(body.codebook)
    except StorfaError as exc:
        raise HTTPException(404, str(exc)) from exc
    classified = classify_passages(classifier, [p.text for p in body.passages],
                                   as_document=body.as_document)
    return {"codebook": classifier.codebook.name, "results": [
        {"id": p.id, **c.as_json()} for p, c in zip(body.passages, classified, strict=True)]}
