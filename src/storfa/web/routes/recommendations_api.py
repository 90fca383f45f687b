"""The recommendations register in the JSON API (/api/v1/recommendations/...):
what the register pages show and do (web.routes.recommendations), through the
same RecommendationRegister and the same checks: the filtered register with
counts and overdue flags, one recommendation with its history and evidence
files, setting its status, owner and due date, progress notes with evidence,
editors' corrections (edit, split, merge) and the CSV/XLSX export.

A recommendation of a review the caller may not see is 404, like one that
does not exist, and is never listed, counted or exported. Changes need
storfa.accounts.policy.can_track on its review (403 otherwise, audited) and
go through RecommendationRegister.set / .note / .edit / .split / .merge,
which validate and audit them exactly as for the page and `storfa
recommendations set|note|edit|split|merge`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from storfa.accounts.policy import can_track, can_upload
from storfa.analysis.export import MEDIA_TYPES
from storfa.coding.codebooks import load_codebook
from storfa.domain.errors import StorfaError
from storfa.domain.jobs import Job
from storfa.domain.recommendations import STATUSES, Attachment, StoredRecommendation
from storfa.ingest.after_store import catching_up, request_catch_up
from storfa.recommendations.evidence import MAX_BYTES
from storfa.recommendations.extract import LEVELS
from storfa.recommendations.register import RecommendationRegister, RegisterFilters, RegisterItem
from storfa.recommendations.themes import CODEBOOK
from storfa.web.params import RowId, file_responses
from storfa.web.published import published
from storfa.web.routes.api import PROBLEMS, V, _signed_in
from storfa.web.routes.recommendations import (
    EXPORT_FORMATS,
    _register,
    _trackable,
    _view,
    _visible,
    evidence_download,
    mergeable,
    refused,
    register_download,
)

router = APIRouter(prefix="/recommendations", tags=["recommendations"], responses=PROBLEMS)
# Evidence files one note may carry: the page takes one; a script a few.
MAX_FILES = 10
# What recommendations.evidence.media_type lets in, so what a download can be.
EVIDENCE_TYPES = ("application/pdf", "image/png", "image/jpeg", "text/plain",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
Status = Literal["open", "in_progress", "implemented", "not_accepted"]


class Recommendation(BaseModel):
    id: int
    review_id: str
    board: str | None = None
    year: int | None = None
    number: str
    text: str
    agencies: list[str]
    level: str | None = None
    themes: list[str]
    status: str
    owner: str | None = None
    due_date: str | None = None
    overdue: bool
    page: int | None = None
    corrected: bool


class CatchUp(BaseModel):
    job_id: int = Field(description="Follow it at /api/v1/jobs/{job_id}.")
    status: str = Field(description="queued (waiting for a worker), running, done or failed.")
    done: int = Field(0, description="Reviews extracted so far.")
    total: int = Field(0, description="Reviews to extract.")


class Register(BaseModel):
    total: int
    counts: dict[str, int] = Field(description="Per status, before status and overdue "
                                   "narrow the list.")
    overdue: int
    items: list[Recommendation]
    unextracted: int = Field(0, description="Reviews you may see whose recommendations "
                             "were never extracted (POST /recommendations/catch-up).")
    catching_up: CatchUp | None = Field(None, description="The catch-up waiting for or "
                                        "running in a worker, if any.")


def _catch_up_json(job: Job) -> dict[str, Any]:
    figures = job.figures
    return {"job_id": job.id, "status": job.status, "done": int(figures.get("done", 0)),
            "total": int(figures.get("total", 0))}


class Tracking(BaseModel):
    status: str | None = Field(None, max_length=50, description=(
        f"One of {', '.join(STATUSES)}; omitted: unchanged."))
    owner: str | None = Field(None, max_length=500, description="Empty clears it.")
    due_date: str | None = Field(None, max_length=20, description="YYYY-MM-DD; empty "
                                 "clears it.")
    note: str | None = Field(None, max_length=5000, description="Kept in the history.")


class Correction(BaseModel):
    text: str | None = Field(None, max_length=5000, description="The corrected text; "
                             "omitted: unchanged.")
    number: str | None = Field(None, max_length=500, description="The corrected number.")
    agencies: list[Annotated[str, Field(max_length=500)]] | None = Field(
        None, max_length=100, description="The agencies it asks to act; [] for none.")
    level: str | None = Field(None, max_length=50, description=(
        f"One of {', '.join(LEVELS)}; empty: not stated."))
    note: str | None = Field(None, max_length=5000, description="Why it was corrected "
                             "(kept in the history).")


class Split(BaseModel):
    at: int | None = Field(None, ge=1, le=1_000_000, description=(
        "Split the text at this character offset (1 to its length less one); or give "
        "`first` and `second`, not both."))
    first: str | None = Field(None, max_length=5000, description="The first part's text.")
    second: str | None = Field(None, max_length=5000, description="The second part's "
                               "text (numbered with a \"b\").")


class Merge(BaseModel):
    other: int = Field(ge=1, le=2**63 - 1, description="The recommendation that joins this "
                       "one: a current one of the same review, kept as superseded.")
    text: str | None = Field(None, max_length=10000, description="The merged text; "
                             "omitted: both texts, this one's first.")


def _item_json(item: RegisterItem) -> dict[str, Any]:
    r = item.rec
    return {"id": r.id, "review_id": item.review_id, "board": item.board, "year": item.year,
            "number": r.number, "text": r.text, "agencies": list(r.agencies),
            "level": r.level, "themes": list(r.themes), "status": r.status,
            "owner": r.owner, "due_date": r.due_date, "overdue": item.overdue,
            "page": r.page, "corrected": r.corrected}


def _rec_json(rec: StoredRecommendation) -> dict[str, Any]:
    return {"id": rec.id, "number": rec.number, "text": rec.text,
            "agencies": list(rec.agencies), "level": rec.level, "themes": list(rec.themes),
            "status": rec.status, "owner": rec.owner, "due_date": rec.due_date,
            "page": rec.page, "corrected": rec.corrected, "superseded": rec.superseded,
            "merged_into": rec.merged_into, "updated_at": rec.updated_at}


def _attachment_json(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, "note": a.history_id, "filename": a.filename,
            "media_type": a.media_type, "size": a.size, "actor": a.actor, "at": a.at,
            "href": f"/api/v1/recommendations/{a.recommendation_id}/evidence/{a.id}"}


def _filters(board: str, agency: str, theme: str, status: Status | None, year: int | None,
             overdue: bool, review: str) -> RegisterFilters:
    return RegisterFilters(board=board.strip(), agency=agency.strip(), theme=theme.strip(),
                           status=status or "", year=year, overdue=overdue,
                           review=review.strip())


Board = Annotated[str, Query(max_length=200)]
Agency = Annotated[str, Query(max_length=200, description="Part of an agency's name")]
Theme = Annotated[str, Query(max_length=200, description="A cpr-learning theme or code")]
Year = Annotated[int | None, Query(ge=1900, le=2999)]
Review = Annotated[str, Query(max_length=200, description="Only this review")]


@router.get("", response_model=Register)
def register(v: V, board: Board = "", agency: Agency = "", theme: Theme = "",
             status: Status | None = None, year: Year = None, overdue: bool = False,
             review: Review = "") -> dict[str, Any]:
    """The register as the page shows it: current recommendations of the
    reviews you may see, filtered, with counts per status and overdue flags."""
    view = _view(v, _filters(board, agency, theme, status, year, overdue, review))
    job = catching_up(v.storfa)
    return {"total": len(view.items), "counts": view.counts, "overdue": view.overdue,
            "items": [_item_json(i) for i in view.items], "unextracted": view.unextracted,
            "catching_up": _catch_up_json(job) if job else None}


@router.post("/catch-up", status_code=202, response_model=CatchUp)
def catch_up(v: V) -> dict[str, Any]:
    """Queue the register's catch-up for a worker (extract the reviews never
    extracted, then regroup recurring recommendations), or return the one
    already waiting or running: the register page's action. Editors and
    administrators."""
    _signed_in(v)
    if not can_upload(v.user):
        v.storfa.accounts.audit(v.actor, "recommendations.extract", "recommendations", "-",
                                allowed=False)
        raise HTTPException(403, "Your role cannot extract recommendations.")
    return _catch_up_json(request_catch_up(v.storfa, v.actor.name))


@router.get("/export.{fmt}", response_class=Response,
            responses=file_responses(*(MEDIA_TYPES[f] for f in EXPORT_FORMATS)))
def export(v: V, fmt: Literal["csv", "xlsx"], board: Board = "", agency: Agency = "",
           theme: Theme = "", status: Status | None = None, year: Year = None,
           overdue: bool = False, review: Review = "") -> Response:
    """The filtered register as CSV or XLSX (cells never run as formulas); audited."""
    return register_download(
        v, _filters(board, agency, theme, status, year, overdue, review), fmt)


@router.get("/{rec_id}")
def recommendation(v: V, rec_id: RowId) -> dict[str, Any]:
    """One recommendation as its page shows it: the review, the themes, its
    history, evidence files, the review's other recommendations, and whether
    you may change it."""
    rec, record = _visible(v, rec_id)
    register = _register(v)
    book = load_codebook(CODEBOOK)
    s = record.summary
    return {**_rec_json(rec),
            "review": {"review_id": s.review_id, "title": s.title, "board": s.board,
                       "year": s.year},
            "theme_names": {c: book.theme(c).name for c in rec.themes},
            "history": [h.as_json() for h in published(v).history(rec, register.history(rec_id))],
            "attachments": [_attachment_json(a) for a in
                            published(v).attachments(rec, register.attachments(rec_id))],
            "siblings": [{"id": r.id, "number": r.number, "text": r.text}
                         for r in published(v).recommendations(register.siblings(rec))],
            "may_track": can_track(v.user, v.access(record.id))}


@router.post("/{rec_id}/tracking")
def set_tracking(v: V, rec_id: RowId, body: Tracking) -> dict[str, Any]:
    """Change the status, owner or due date, with a note (audited, kept in the
    history): RecommendationRegister.set, as the page and the CLI."""
    _signed_in(v)
    rec = _trackable(v, rec_id, "recommendations.set")
    register = _register(v)
    try:
        updated = register.set(rec.id, v.actor.name, body.status, body.owner, body.due_date,
                               body.note)
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _with_history(register, updated)


def _with_history(register: RecommendationRegister, rec: StoredRecommendation
                  ) -> dict[str, Any]:
    return {**_rec_json(rec), "history": [h.as_json() for h in register.history(rec.id)]}


@router.patch("/{rec_id}")
def correct(v: V, rec_id: RowId, body: Correction) -> dict[str, Any]:
    """Correct what the extractor found: text, number, agencies, level, with
    a note (audited, kept through later extractions): RecommendationRegister.edit,
    as the page and `storfa recommendations edit`. Omitted fields stay."""
    _signed_in(v)
    rec = _trackable(v, rec_id, "recommendations.edit")
    register = _register(v)
    try:
        updated = register.edit(rec.id, v.actor.name, body.text, body.number, body.agencies,
                                body.level, body.note)
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _with_history(register, updated)


@router.post("/{rec_id}/split")
def split(v: V, rec_id: RowId, body: Split) -> dict[str, Any]:
    """Split one recommendation in two, at a character offset or into two
    texts (audited): RecommendationRegister.split, as the page and `storfa
    recommendations split`. Returns both parts."""
    _signed_in(v)
    rec = _trackable(v, rec_id, "recommendations.split")
    try:
        parts = _register(v).split(rec.id, v.actor.name, body.at, (body.first, body.second))
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return {"recommendations": [_rec_json(r) for r in parts]}


@router.post("/{rec_id}/merge")
def merge(v: V, rec_id: RowId, body: Merge) -> dict[str, Any]:
    """Merge another recommendation of the same review into this one (the
    other is kept as superseded; audited): RecommendationRegister.merge, as
    the page and `storfa recommendations merge`. One you may not see is 404."""
    _signed_in(v)
    rec = _trackable(v, rec_id, "recommendations.merge")
    joining = mergeable(v, body.other)
    register = _register(v)
    try:
        merged = register.merge(rec.id, joining.id, v.actor.name, body.text)
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _with_history(register, merged)


@router.post("/{rec_id}/notes")
async def add_note(v: V, rec_id: RowId, text: Annotated[str, Form(max_length=5000)],
                   evidence: Annotated[list[UploadFile] | None, File(
                       description="Evidence files: PDF, DOCX, PNG, JPEG or TXT")] = None
                   ) -> dict[str, Any]:
    """A progress note with evidence files, as `storfa recommendations note`."""
    _signed_in(v)
    rec = _trackable(v, rec_id, "recommendations.note")
    chosen = [f for f in evidence or [] if f.filename]
    if len(chosen) > MAX_FILES:
        raise HTTPException(400, v._("Attach at most {n} files to one note.", n=MAX_FILES))
    files = [(f.filename or "", await f.read(MAX_BYTES + 1)) for f in chosen]
    register = _register(v)
    try:
        history_id = register.note(rec.id, v.actor.name, text, v.storfa.blobs, files)
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return {"id": rec.id, "note": history_id, "attachments": [
        _attachment_json(a) for a in register.attachments(rec.id) if a.history_id == history_id]}


@router.get("/{rec_id}/evidence/{attachment_id}", response_class=Response,
            responses=file_responses(*EVIDENCE_TYPES))
def evidence_file(v: V, rec_id: RowId, attachment_id: RowId) -> Response:
    """An evidence file, as it was attached (audited). Whoever may not edit
    the review gets it redacted by the review's redacted words (text, DOCX,
    PDF) and its name too, or 409 for an image or a scanned page, which
    storfa cannot redact (docs/disclosure.md)."""
    return evidence_download(v, rec_id, attachment_id)


@router.get("/{rec_id}/follow-through")
def follow_through(v: V, rec_id: RowId) -> dict[str, Any]:
    """Later reviews' good practice like what it asked for, and later
    recommendations in its group (recommendations/recurrence.py), as its page."""
    from storfa.recommendations.recurrence import follow_through as found_for

    _visible(v, rec_id)
    found = found_for(v.storfa, rec_id, exclude=v.hidden)
    if found is None:  # superseded (split or merged): no longer in the register
        raise HTTPException(404, v._("There is no recommendation with that number."))
    return found.as_json()
