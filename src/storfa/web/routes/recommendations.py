"""Recommendations register pages: filters, overdue flags, status changes with
history, evidence files, editor corrections and exports (docs/recommendations.md).

A recommendation of a review the visitor may not see is answered 404, like one
that does not exist (web.guard.visible_review on its review), and is never
listed, counted or exported. Changes go through accounts.policy.can_track and
are audited with the visitor's role, organisation and address."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi.responses import RedirectResponse, Response

from storfa.accounts.policy import can_track, can_upload
from storfa.analysis.export import MEDIA_TYPES
from storfa.analysis.tables import table_bytes
from storfa.coding.codebooks import load_codebook
from storfa.domain.errors import NotFound, StorfaError
from storfa.domain.recommendations import STATUSES, StoredRecommendation
from storfa.domain.reviews import ReviewRecord
from storfa.ingest.after_store import catching_up, request_catch_up
from storfa.recommendations.evidence import MAX_BYTES, read_evidence
from storfa.recommendations.extract import LEVELS
from storfa.recommendations.register import (
    EXPORT_COLUMNS,
    RecommendationRegister,
    RegisterFilters,
)
from storfa.recommendations.themes import CODEBOOK
from storfa.web.context import Visitor, visitor
from storfa.web.guard import visible_review
from storfa.web.params import RowId
from storfa.web.published import published
from storfa.web.render import render
from storfa.web.routes.pages import visible_summaries

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
EXPORT_FORMATS = ("csv", "xlsx")
Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form()]


def _register(v: Visitor) -> RecommendationRegister:
    return v.storfa.register(v.actor.detail())


def _filters(v: Visitor) -> RegisterFilters:
    q = v.request.query_params
    year = q.get("year", "").strip()
    return RegisterFilters(board=q.get("board", "").strip(), agency=q.get("agency", "").strip(),
                           theme=q.get("theme", "").strip(), status=q.get("status", "").strip(),
                           year=int(year) if year.isdigit() else None,
                           overdue=q.get("overdue", "") in ("1", "on", "true"))


def _params(f: RegisterFilters) -> dict[str, Any]:
    return {"board": f.board or None, "agency": f.agency or None, "theme": f.theme or None,
            "status": f.status or None, "year": f.year, "overdue": 1 if f.overdue else None}


def refused(v: Visitor, exc: StorfaError) -> HTTPException:
    """The register's domain error as the web answers it: 404 for what is not
    there, 400 for the rest, in the visitor's language."""
    return HTTPException(404 if isinstance(exc, NotFound) else 400, v.error(exc))


def _view(v: Visitor, filters: RegisterFilters) -> Any:
    try:
        view = _register(v).register(filters, hidden=v.hidden,
                                     summaries=v.storfa.catalogue.by_row())
    except StorfaError as exc:
        raise refused(v, exc) from exc
    # Texts as published for those who may not edit the review (web/published.py).
    shown = published(v)
    return replace(view, items=[replace(i, rec=shown.recommendation(i.rec))
                                for i in view.items])


@router.get("/recommendations")
def register_page(v: V) -> Response:
    filters = _filters(v)
    view = _view(v, filters)
    visible = visible_summaries(v)
    book = load_codebook(CODEBOOK)
    choices = {"boards": sorted({s.board for _, s in visible if s.board}),
               "years": sorted({s.year for _, s in visible if s.year}),
               "themes": [(c.name, c.is_theme) for c in book],
               "statuses": STATUSES}
    return render(v, "recommendations/index.html", view=view, filters=filters,
                  params=_params(filters), choices=choices, can_catch_up=can_upload(v.user),
                  catching_up=catching_up(v.storfa))


# Pages the catch-up action may return to.
CATCH_UP_PAGES = ("/recommendations", "/reports/recurrence")


@router.post("/recommendations/catch-up")
def catch_up_action(v: V, csrf_token: Csrf = "",
                    back: Annotated[str, Form(max_length=100)] = "/recommendations"
                    ) -> Response:
    """Queue a catch-up (extract the reviews never extracted, then regroup:
    an older store, or a failed after-store step) for a worker: what the
    register and recurrence pages offer instead of computing it while they
    are read, or in this request."""
    v.check_csrf(csrf_token)
    if not can_upload(v.user):
        v.storfa.accounts.audit(v.actor, "recommendations.extract", "recommendations", "-",
                                allowed=False)
        raise HTTPException(403, v._("Your role cannot extract recommendations."))
    request_catch_up(v.storfa, v.actor.name)
    return RedirectResponse(back if back in CATCH_UP_PAGES else CATCH_UP_PAGES[0],
                            status_code=303)


@router.get("/recommendations/export.{fmt}")
def export(v: V, fmt: str) -> Response:
    return register_download(v, _filters(v), fmt)


def register_download(v: Visitor, filters: RegisterFilters, fmt: str) -> Response:
    """The filtered register as CSV or XLSX (404 for another format); audited."""
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, v._("There is no such table to download."))
    view = _view(v, filters)
    data = table_bytes(fmt, "recommendations", list(EXPORT_COLUMNS),
                        [i.export_row() for i in view.items])
    v.storfa.accounts.audit(v.actor, "recommendations.export", "recommendations", "-",
                            format=fmt, recommendations=len(view.items))
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-recommendations.{fmt}"'})


def _visible(v: Visitor, rec_id: int) -> tuple[StoredRecommendation, ReviewRecord]:
    """The recommendation and its review, or 404 when either is missing or hidden."""
    register = _register(v)
    rec = register.find(rec_id)
    if rec is None:
        raise HTTPException(404, v._("There is no recommendation with that number."))
    # Read like the review itself: restricted and draft reads audited, denials too.
    record = visible_review(v, register.review_key(rec))
    shown = published(v)  # as published, unless they may edit the review
    return shown.recommendation(rec), shown.record(record)


@router.get("/recommendations/{rec_id}/follow-through")
def follow_through_page(v: V, rec_id: RowId) -> Response:
    """Later reviews' good practice like what this recommendation asked for,
    and later recommendations in its group (recommendations/recurrence.py). Its own
    page because it embeds every recommendation and extract the first time."""
    from storfa.recommendations.recurrence import follow_through

    rec, record = _visible(v, rec_id)
    found = follow_through(v.storfa, rec_id, exclude=v.hidden)
    return render(v, "recommendations/follow.html", rec=rec, review=record.summary,
                  found=found)


def _trackable(v: Visitor, rec_id: int, action: str) -> StoredRecommendation:
    rec, record = _visible(v, rec_id)
    if not can_track(v.user, v.access(record.id)):
        v.storfa.accounts.audit(v.actor, action, "recommendation", str(rec_id), allowed=False)
        raise HTTPException(403, v._("Your role cannot change this recommendation."))
    return rec


def _back(rec_id: int) -> Response:
    return RedirectResponse(f"/recommendations/{rec_id}", status_code=303)


@router.get("/recommendations/{rec_id}")
def detail_page(v: V, rec_id: RowId) -> Response:
    rec, record = _visible(v, rec_id)
    register = _register(v)
    book = load_codebook(CODEBOOK)
    return render(v, "recommendations/detail.html", rec=rec, review=record.summary,
                  history=published(v).history(rec, register.history(rec_id)),
                  attachments=published(v).attachments(rec, register.attachments(rec_id)),
                  tracker=can_track(v.user, v.access(record.id)),
                  siblings=published(v).recommendations(register.siblings(rec)),
                  statuses=STATUSES, levels=LEVELS, max_mb=MAX_BYTES // (1024 * 1024),
                  themes=[(c, book.theme(c).name) for c in rec.themes])


def mergeable(v: Visitor, other_id: int) -> StoredRecommendation:
    """The recommendation to merge in: one the visitor sees (404 otherwise,
    like a missing one); the register checks the rest (same review, current)."""
    return _visible(v, other_id)[0]


@router.post("/recommendations/{rec_id}/track")
async def track(v: V, rec_id: RowId, csrf_token: Csrf = "", status: Short = "",
                owner: Short = "", due: Short = "", note: Text = "",
                evidence: Annotated[UploadFile | None, File()] = None) -> Response:
    v.check_csrf(csrf_token)
    rec = _trackable(v, rec_id, "recommendations.set")
    files: list[tuple[str, bytes]] = []
    if evidence is not None and evidence.filename:
        files.append((evidence.filename, await evidence.read(MAX_BYTES + 1)))
    try:
        _register(v).track(rec.id, v.actor.name, status, owner, due, note, v.storfa.blobs,
                           files, file_note=v._("Evidence"))
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _back(rec.id)


@router.post("/recommendations/{rec_id}/edit")
def edit(v: V, rec_id: RowId, csrf_token: Csrf = "", text: Text = "", number: Short = "",
         agencies: Text = "", level: Short = "", note: Text = "") -> Response:
    v.check_csrf(csrf_token)
    rec = _trackable(v, rec_id, "recommendations.edit")
    try:
        _register(v).edit(rec.id, v.actor.name, text, number, agencies, level, note)
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _back(rec.id)


@router.post("/recommendations/{rec_id}/split")
def split(v: V, rec_id: RowId, csrf_token: Csrf = "", at: Short = "", first: Text = "",
          second: Text = "") -> Response:
    v.check_csrf(csrf_token)
    rec = _trackable(v, rec_id, "recommendations.split")
    if at.strip() and not at.strip().isdigit():
        raise HTTPException(400, v._("Give the place to split as a whole number."))
    try:
        _register(v).split(rec.id, v.actor.name, at=int(at) if at.strip() else None,
                           texts=(first, second))
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _back(rec.id)


@router.post("/recommendations/{rec_id}/merge")
def merge(v: V, rec_id: RowId, csrf_token: Csrf = "", other: Short = "") -> Response:
    v.check_csrf(csrf_token)
    rec = _trackable(v, rec_id, "recommendations.merge")
    if not other.strip().isdigit() or not 0 < int(other) < 2**63:
        raise HTTPException(400, v._("Choose the recommendation to merge."))
    joining = mergeable(v, int(other))
    try:
        _register(v).merge(rec.id, joining.id, v.actor.name)
    except StorfaError as exc:
        raise refused(v, exc) from exc
    return _back(rec.id)


@router.get("/recommendations/{rec_id}/evidence/{attachment_id}")
def evidence_file(v: V, rec_id: RowId, attachment_id: RowId) -> Response:
    return evidence_download(v, rec_id, attachment_id)


def evidence_download(v: Visitor, rec_id: int, attachment_id: int) -> Response:
    """An evidence file of a visible recommendation (404 otherwise); audited."""
    rec, _ = _visible(v, rec_id)
    try:
        found = _register(v).attachment(attachment_id, rec.id)
    except NotFound:
        raise HTTPException(404, v._("There is no such evidence file.")) from None
    v.storfa.accounts.audit(v.actor, "recommendations.evidence", "recommendation",
                            str(rec.id), attachment=attachment_id)
    data = read_evidence(v.storfa.blobs, found.sha256)
    # Whoever may not edit the review gets the file and its name redacted by
    # the review's redacted words, or nothing (disclosure/evidence.py).
    shown = published(v)
    mask = shown.mask(rec.review_row)
    if mask:
        from storfa.disclosure.evidence import EvidenceWithheld, published_evidence
        from storfa.disclosure.redact_pdf import RedactionFailed

        try:
            data = published_evidence(data, found.media_type, mask)
        except EvidenceWithheld as exc:
            raise HTTPException(409, v.error(exc)) from exc
        except RedactionFailed as exc:  # never the file as uploaded instead
            raise HTTPException(409, v._("A redacted copy of this evidence file could not "
                                         "be made safely. Ask an editor of the review.")
                                ) from exc
    name = shown.filename(rec.review_row, found.filename)
    return Response(data, media_type=found.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"',
                             "X-Content-Type-Options": "nosniff"})


def _ascii(name: str) -> str:
    # HTTP headers are Latin-1; a Welsh or other accented name is spelt plainly.
    return name.encode("ascii", "replace").decode("ascii").replace("?", "_")
