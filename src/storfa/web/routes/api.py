"""The JSON API under /api/v1: search, reviews, pages, uploads, metadata.

Scripts authenticate with `Authorization: Bearer stf_…` (tokens from the
account page or `storfa users token`); a browser session works too, with the
CSRF token in `X-CSRF-Token` for anything that changes data. Errors are JSON
problems (RFC 9457) with a 4xx status."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from storfa.accounts.policy import can_edit, can_upload
from storfa.disclosure.uploads import upload_access
from storfa.domain.errors import Refused, RejectedFile, StorfaError
from storfa.domain.reviews import Passage, ReviewRecord
from storfa.ingest.detect import HEAD_BYTES, detect_format
from storfa.ingest.jobs import stage_file
from storfa.ingest.metadata.identity import identity_needed
from storfa.search.service import MAX_PER_REVIEW
from storfa.storage import repositories
from storfa.web.context import Visitor, visitor
from storfa.web.guard import editable_review, shown_link, visible_review
from storfa.web.params import RowId, file_responses
from storfa.web.published import published
from storfa.web.responses import FastJSONResponse
from storfa.web.routes.pages import visible_summaries
from storfa.web.searching import SearchRequest, facets, suggest


class Problem(BaseModel):
    """An error (RFC 9457), as every 4xx answer of this API is."""

    type: str = "about:blank"
    title: str
    status: int
    detail: Any = None


_PROBLEM = {"application/problem+json": {"schema": Problem.model_json_schema()}}
# Documented on every operation, so clients (and schema checkers) know the
# error shape; 422 replaces FastAPI's own validation-error schema, which these
# problem documents do not follow.
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": _PROBLEM}
    for status, description in ((400, "The request could not be used (e.g. an unreadable query)"),
                                (401, "Sign in or send an API token"),
                                (403, "Not allowed for this account"),
                                (404, "No such thing, or not visible to this account"),
                                (422, "A parameter or body failed validation"))}
router = APIRouter(responses=PROBLEMS)
CHUNK = 1 << 20


def api_visitor(v: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    """Cookie sessions must echo the CSRF token on writes; tokens need not, and
    neither does a caller with no session (it has no authority to borrow, and
    should hear 401 "authenticate", not 403)."""
    if v.request.method not in ("GET", "HEAD", "OPTIONS") and v.session_token is not None:
        v.check_csrf(v.request.headers.get("x-csrf-token"))
    return v


V = Annotated[Visitor, Depends(api_visitor)]


def _signed_in(v: Visitor) -> None:
    if v.user is None:
        raise HTTPException(401, "Sign in or send an API token.",
                            headers={"WWW-Authenticate": "Bearer"})


class Hit(BaseModel):
    review_id: str
    page: int
    section: str
    text: str
    snippet: str
    score: float
    title: str | None = None
    type: str | None = None
    board: str | None = None
    year: int | None = None
    passage_id: int


class SearchOut(BaseModel):
    query: str
    mode: str
    total: int
    offset: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]] | None = None
    # Only with per_review: the cap, every matching passage (`total` counts
    # those kept), and further passages by review id of reviews cut short.
    per_review: int | None = None
    matched: int | None = None
    more_in_review: dict[str, int] | None = None


@router.get("/search", response_model=SearchOut)
def search(v: V, q: Annotated[str, Query(max_length=2000)] = "",
           limit: Annotated[int, Query(ge=1, le=1000)] = 10,
           offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
           mode: Literal["keyword", "semantic", "hybrid"] = "keyword",
           sort: Literal["relevance", "newest", "oldest"] = "relevance",
           type: Annotated[str, Query(max_length=100)] = "",
           board: Annotated[str, Query(max_length=200)] = "",
           year: Annotated[str, Query(max_length=20)] = "",
           lang: Annotated[str, Query(max_length=5)] = "",
           with_facets: bool = False,
           per_review: Annotated[int | None, Query(
               ge=1, le=MAX_PER_REVIEW,
               description="At most this many passages of each review (keyword search); "
                           "`total` then counts those kept, `matched` every match.")] = None,
           ) -> Response:
    params = {"q": q, "mode": mode, "sort": sort, "type": type, "board": board,
              "year": year, "language": lang}
    req = SearchRequest.from_params(params, limit=limit)
    req.page, req.limit = 1, limit
    if not req.q and not req.filters:
        raise HTTPException(400, "Give a query in q (see docs/query-language.md).")
    try:
        results = published(v).hits(v.storfa.search.search(
            req.query_text(), limit=limit, offset=offset, mode=mode, exclude=v.hidden,
            order=req.order, per_review=per_review))
        counts = facets(v, req, results) if with_facets else None
    except StorfaError as exc:
        raise HTTPException(400, str(exc)) from exc
    out: dict[str, Any] = results.as_json()
    if counts is not None:
        out["facets"] = {k: [asdict(f) for f in vals] for k, vals in counts.items()}
    # Returned as a response so FastAPI does not validate every hit again
    # (response_model still documents the shape); search is the hot path.
    return FastJSONResponse(out)


@router.get("/reviews")
def reviews(v: V, type: Annotated[str, Query(max_length=100)] = "") -> dict[str, Any]:
    shown = [s for _, s in visible_summaries(v)]
    keys = {s.review_id for s in shown}
    found = sorted((s for s in shown if not type or (s.type or "") == type),
                   key=lambda s: s.review_id)
    # A link to a version the caller may not see would name a hidden review.
    return {"reviews": [{"review_id": s.review_id, "type": s.type, "title": s.title,
                         "board": s.board, "year": s.year, "language": s.language,
                         "pages": s.pages, "dates": s.dates,
                         "linked": s.linked if s.linked in keys else None,
                         "needs_identity": identity_needed(s.type, s.identifier)}
                        for s in found]}


def _renditions(v: V, record: ReviewRecord) -> list[dict[str, Any]]:
    base = f"/reviews/{quote(record.summary.review_id)}"
    return [{"file_id": r.file_id, "name": r.name, "format": r.format, "pages": r.pages,
             "reading": r.reading, "size": r.size,
             "url": f"{base}/original" if r.reading else f"{base}/renditions/{r.file_id}"}
            for r in repositories.renditions(v.storfa.store).of_version(record.version_id)]


def review(v: V, key: str) -> dict[str, Any]:
    record = published(v).record(visible_review(v, key))  # title and metadata as published
    s = record.summary
    access = v.access(record.id)
    return {"review_id": s.review_id, "type": s.type, "title": s.title, "board": s.board,
            "year": s.year, "language": s.language, "pages": s.pages, "dates": s.dates,
            "version": s.version, "linked": shown_link(v, s.linked),
            "access": access.level.value,
            "needs_identity": identity_needed(s.type, s.identifier),
            "source": {"name": record.source_name, "format": record.format,
                       "sha256": record.source_sha256},
            # Every file of the current version's text; the reading one first.
            "renditions": _renditions(v, record),
            "metadata": [{"field": m.field, "value": m.value, "source": m.source,
                          "confidence": m.confidence,
                          # Evidence is a slots dataclass: no __dict__ for vars().
                          "evidence": asdict(m.evidence) if m.evidence else None}
                         for m in record.metadata]}


@router.get("/reviews/{key:path}/pages/{page}")
def review_page(v: V, key: str, page: Annotated[int, Field(ge=1, le=100_000)]) -> dict[str, Any]:
    record = visible_review(v, key)
    passages = _readable(v, record, v.storfa.store.passages(record.version_id, page))
    if not passages:
        raise HTTPException(404, f"Review {record.summary.review_id} has no text on page {page}.")
    return {"review_id": record.summary.review_id, "page": page,
            "passages": [{"id": p.id, "section": p.section, "kind": p.kind, "text": p.text,
                          "start": p.start, "end": p.end} for p in passages]}


def _readable(v: Visitor, record: ReviewRecord, passages: list[Passage]) -> list[Passage]:
    """The passages as this caller may read them: redacted by the editors'
    disclosure decisions unless they may edit the review (disclosure/redaction.py)."""
    from storfa.disclosure.redaction import shown_to

    return shown_to(v.storfa, record, can_edit(v.user, v.access(record.id))).passages(passages)


@router.get("/reviews/{key:path}/text")
def review_text(v: V, key: str) -> dict[str, Any]:
    record = visible_review(v, key)
    passages = _readable(v, record, v.storfa.store.passages(record.version_id))
    return {"review_id": record.summary.review_id,
            "pages": sorted({p.page for p in passages}),
            "text": "\n\n".join(p.text for p in passages)}


@router.get("/reviews/{key:path}/disclosure")
def review_disclosure(v: V, key: str,
                      min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5
                      ) -> dict[str, Any]:
    """What in the review's current version would identify a person
    (docs/disclosure.md); visible to whoever may read the review."""
    from storfa.disclosure.decisions import DisclosureDecisions
    from storfa.disclosure.redaction import masked_report, shown_to

    record = visible_review(v, key)
    doc = DisclosureDecisions(v.storfa).report(record, min_confidence).as_json()
    # Readers learn where findings are, never the words an editor redacted.
    may_edit = can_edit(v.user, v.access(record.id))
    return doc if may_edit else masked_report(doc, shown_to(v.storfa, record, may_edit))


class DisclosureTermIn(BaseModel):
    term: str = Field(min_length=1, max_length=100)


class FindingDecision(BaseModel):
    decision: Literal["accepted", "rejected", "edited"]
    replacement: str | None = Field(default=None, max_length=200,
                                    description="The editor's own text, for `edited`.")


@router.post("/reviews/{key:path}/disclosure/terms")
def add_disclosure_term(v: V, key: str, body: DisclosureTermIn) -> dict[str, Any]:
    """Add a word to the review's own list: caught everywhere it occurs, its
    findings count as accepted (audited)."""
    return _term(v, key, body.term, present=True)


@router.delete("/reviews/{key:path}/disclosure/terms/{term}")
def remove_disclosure_term(v: V, key: str, term: str) -> dict[str, Any]:
    """Take a word off the review's own list (audited)."""
    return _term(v, key, term, present=False)


def _term(v: Visitor, key: str, term: str, present: bool) -> dict[str, Any]:
    from storfa.disclosure.decisions import DisclosureDecisions

    _signed_in(v)
    record = editable_review(v, key, "disclosure.term")
    service = DisclosureDecisions(v.storfa)
    changed = service.set_term(record, term, v.actor, present=present)
    return {"review_id": record.summary.review_id, "changed": changed,
            "terms": [t.term for t in service.report(record).terms]}


@router.post("/reviews/{key:path}/disclosure/{finding_id:path}")
def decide_finding(v: V, key: str, finding_id: str, body: FindingDecision) -> dict[str, Any]:
    """Accept, reject or edit one finding of the review's current version
    (editors and administrators who may change the review; audited)."""
    from storfa.disclosure.decisions import DisclosureDecisions, UnknownFinding

    _signed_in(v)
    record = editable_review(v, key, "disclosure.decide")
    try:
        finding, stored = DisclosureDecisions(v.storfa).decide(
            record, finding_id, body.decision, body.replacement, v.actor)
    except UnknownFinding as exc:
        raise HTTPException(404, str(exc)) from exc
    return {"review_id": record.summary.review_id, "finding": finding.as_json(),
            "decision": {"decision": stored.decision, "replacement": stored.replacement,
                         "by": stored.actor, "at": stored.at}}


class MetadataEdit(BaseModel):
    field: str = Field(max_length=50)
    value: str = Field(max_length=2000)


@router.patch("/reviews/{key:path}/metadata")
def edit_metadata(v: V, key: str, edit: MetadataEdit) -> dict[str, Any]:
    _signed_in(v)
    record = editable_review(v, key, "review.metadata")
    try:
        v.storfa.reviews.correct_metadata(record, edit.field, edit.value, v.actor)
    except StorfaError as exc:
        raise HTTPException(400, str(exc)) from exc
    return review(v, record.summary.review_id)


class AccessEdit(BaseModel):
    level: Literal["public", "registered", "restricted", "draft"]
    organisations: list[str] = Field(default_factory=list, max_length=200)
    override_disclosure: bool = Field(
        default=False, description="Administrators only: make the review registered or "
        "public although disclosure findings are undecided (audited).")


@router.put("/reviews/{key:path}/access")
def set_access(v: V, key: str, edit: AccessEdit) -> dict[str, Any]:
    _signed_in(v)
    record = editable_review(v, key, "review.access")
    service = v.storfa.reviews
    try:
        service.set_access(record, edit.level, service.organisation_ids(edit.organisations),
                           v.actor, edit.override_disclosure)
    except Refused as exc:  # an editor's own organisation locked out
        raise HTTPException(403, str(exc)) from exc
    except StorfaError as exc:  # e.g. the publication gate: findings undecided
        raise HTTPException(400, str(exc)) from exc
    return {"review_id": record.summary.review_id, "access": edit.level,
            "organisations": sorted(edit.organisations)}


UploadLevel = Literal["draft", "restricted", "registered", "public"]


@router.post("/uploads")
def upload(v: V, files: Annotated[list[UploadFile], File(description="Review documents")],
           access: Annotated[UploadLevel | None, Form(description=(
               "Who may see what is stored: draft (the default: editors and administrators "
               "of your organisation), restricted (your organisation), registered or public. "
               "Registered or public is kept only when the disclosure check finds nothing "
               "to decide; otherwise the review is a draft until its findings are decided "
               "and it is published. A new version of a registered or public review closes "
               "it to this level; an upload never opens a review up."))] = None,
           ) -> dict[str, Any]:
    _signed_in(v)
    if not can_upload(v.user):
        v.storfa.accounts.audit(v.actor, "review.upload", "upload", "-", allowed=False)
        raise HTTPException(403, "Only editors and administrators can upload reviews.")
    # The default (draft to the uploader's organisation) is the use case's.
    wanted = upload_access(v.user, access)
    limit = v.storfa.settings.upload_mb * 1024 * 1024
    queue = v.storfa.jobs
    # Staged where every node's ingest worker can read it (STORFA_SHARED_DIR).
    staging = v.storfa.settings.shared_root
    out: list[dict[str, Any]] = []
    for item in files[:100]:
        name = Path(item.filename or "upload").name or "upload"
        outcome = _accept(item, name, limit)
        if isinstance(outcome, str):
            out.append({"name": name, "status": "rejected", "reason": outcome, "job_id": None})
            continue
        with outcome as folder:
            staged = stage_file(staging, Path(folder) / name, name)
        job = queue.enqueue(staged, name, {"access": wanted.as_option()}, actor=v.actor.name)
        v.storfa.accounts.audit(v.actor, "review.upload", "job", str(job), name=name,
                                access=wanted.level.value)
        out.append({"name": name, "status": "queued", "reason": None, "job_id": job,
                    "access": wanted.level.value})
    return {"uploads": out}


def _accept(item: UploadFile, name: str, limit: int) -> tempfile.TemporaryDirectory[str] | str:
    """A temp folder holding the upload, or the reason it is refused."""
    folder = tempfile.TemporaryDirectory(prefix="storfa-upload-")
    path = Path(folder.name) / name
    size = 0
    with path.open("wb") as out:
        while chunk := item.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                folder.cleanup()
                return f"too_large: over the {limit // (1024 * 1024)} MB upload limit"
            out.write(chunk)
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    try:
        detect_format(head, name)
    except RejectedFile as exc:
        folder.cleanup()
        return str(exc)
    return folder


@router.get("/jobs/{job_id}")
def job(v: V, job_id: RowId) -> dict[str, Any]:
    _signed_in(v)
    found = v.storfa.jobs.get(job_id)
    if found is None or (found.actor != v.actor.name
                         and (v.user is None or v.user.role.value != "administrator")):
        raise HTTPException(404, "No such upload job.")
    return {"id": found.id, "name": found.original_name, "status": found.status,
            "result": found.result, "error": found.error}


@router.get("/autocomplete")
def autocomplete(v: V, q: Annotated[str, Query(max_length=200)] = "",
                 limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    """Review identifiers, titles and boards that start with (or contain) `q`,
    from the reviews the caller may see only."""
    return {"suggestions": suggest(visible_summaries(v), q, limit)}


@router.get("/me")
def me(v: V) -> dict[str, Any]:
    _signed_in(v)
    assert v.user is not None
    return v.user.as_json()


# Registered last: identifiers may contain "/" (SUSR2026-01/MWW), so the bare
# review path would otherwise swallow the more specific routes above.
router.get("/reviews/{key:path}")(review)


@router.get("/extracts/export", response_class=Response, responses=file_responses(
    "text/csv; charset=utf-8", "application/json", "application/zip"))
def export_extracts_api(
    v: V, format: Literal["csv", "json", "qdpx"] = "csv",
    codebook: Annotated[str | None, Query(max_length=200)] = None,
    pseudonymise: bool = False, mapping: bool = False,
) -> Response:
    """Coded extracts of the reviews the caller may see, as `storfa export
    extracts` writes them: with the editors' disclosure redactions, and with
    `pseudonymise=true` names replaced consistently across the export.
    `mapping=true` (with `pseudonymise`) answers the pseudonym-to-words CSV
    instead, only to someone who may edit every review in the export. Both
    are audited (docs/disclosure.md)."""
    from storfa.accounts.policy import can_view_coding
    from storfa.coding.exports import DEFAULT_STATUSES, export_extracts
    from storfa.disclosure.pseudonymise import ExportMasks, audit_export, mapping_csv

    if not can_view_coding(v.user):
        raise HTTPException(401 if v.user is None else 403, "Sign in to export extracts.")
    if mapping and not pseudonymise:
        raise HTTPException(400, "mapping=true needs pseudonymise=true.")
    service = v.storfa.coding
    masks = ExportMasks(v.storfa.store, pseudonymise)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"extracts.{format}"
        try:
            count = export_extracts(service, path, format, codebook, DEFAULT_STATUSES,
                                    masks, exclude=v.hidden)
        except StorfaError as exc:
            raise HTTPException(400, str(exc)) from None
        data = path.read_bytes()
    if mapping and not all(can_edit(v.user, v.access(row)) for row in masks.review_rows):
        v.storfa.store.audit(v.actor.name, "export.pseudonymise", "extracts", format, {
            **v.actor.detail(), "allowed": False, "mapping": True})
        raise HTTPException(403, "Only editors of every review in the export may have "
                                 "the mapping.")
    if pseudonymise:
        audit_export(v.storfa.store, masks, v.actor.name, format, count, mapping,
                     v.actor.detail())
    else:
        v.storfa.accounts.audit(v.actor, "extracts.export", "extracts", format,
                                extracts=count)
    if mapping:
        return Response(mapping_csv(masks), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="storfa-pseudonyms.csv"'})
    media = {"csv": "text/csv; charset=utf-8", "json": "application/json",
             "qdpx": "application/zip"}[format]
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="storfa-extracts.{format}"'})
