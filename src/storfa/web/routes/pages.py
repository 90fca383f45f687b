"""Reading and searching: home, search with facets, the review reader."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import FileResponse, RedirectResponse, Response

from storfa.accounts.policy import can_code, can_edit, can_upload
from storfa.disclosure.decisions import DisclosureDecisions
from storfa.disclosure.publication import PublicationBlocked
from storfa.disclosure.redaction import shown_to
from storfa.domain.accounts import LEVELS, AccessLevel
from storfa.domain.errors import Refused, StorfaError
from storfa.domain.reviews import ReviewRecord, ReviewSummary, ReviewType
from storfa.ingest.metadata.corrections import EDITABLE
from storfa.ingest.metadata.identity import identity_needed
from storfa.reviews.service import NotEditable
from storfa.search.highlight import Matcher
from storfa.storage import repositories
from storfa.web.context import Visitor, visitor
from storfa.web.guard import (
    editable_review,
    not_found,
    shown_link,
    visible_review,
)
from storfa.web.params import RowId
from storfa.web.published import published
from storfa.web.render import render, with_params
from storfa.web.searching import (
    PAGE_PER_REVIEW,
    SearchRequest,
    facets,
    results_csv,
    run_search,
)

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
EDITABLE_FIELDS = EDITABLE  # the form's fields: the one list (ingest.metadata.corrections)


def visible_summaries(v: Visitor) -> list[tuple[int, ReviewSummary]]:
    """The reviews the visitor may see, with their titles as published
    (redacted unless they may edit the review: web/published.py)."""
    rows = v.storfa.catalogue.by_row()
    return published(v).summaries((row, s) for row, s in rows.items() if row not in v.hidden)


def _chart(counter: Counter[str], limit: int = 12, by_key: bool = False) -> list[dict[str, Any]]:
    items = sorted(counter.items()) if by_key else counter.most_common(limit)
    top = max((n for _, n in items), default=1)
    return [{"label": k or "—", "count": n, "share": round(100 * n / top, 1)} for k, n in items]


def _try_this(v: Visitor, reviews: list[tuple[int, ReviewSummary]]) -> list[tuple[str, str]]:
    """(link, what to do) for six things worth trying in a demo store. The
    disclosure check opens on the draft review the demo made, when the visitor
    may see it (its editors); anyone else is sent to the list of reviews."""
    drafts = [s.review_id for row, s in reviews if v.access(row).level == AccessLevel.DRAFT]
    draft = f"/reviews/{quote(drafts[0])}#disclosure" if drafts else "/reviews"
    return [
        ("/coding/queue", v._("Decide auto-coded best-practice suggestions in the coding queue")),
        ("/analysis", v._("See frequencies, phi with its stars and the map of case variables")),
        ("/recommendations?overdue=1", v._("Follow up the overdue recommendations")),
        ("/search?" + with_params({}, q="kept visiting although nobody opened the door",
                                   mode="semantic"),
         v._("Search by meaning, not only by words")),
        (draft, v._("Run the disclosure check on a draft review before it is published")),
        ("/assurance", v._("Fill in a 12 Cs return for a safeguarding board")),
    ]


@router.get("/")
def home(v: V) -> Response:
    reviews = visible_summaries(v)
    by_type = Counter(s.type or "" for _, s in reviews)
    by_year = Counter(str(s.year) for _, s in reviews if s.year)
    by_board = Counter(s.board or "" for _, s in reviews)
    recent = [s for _, s in sorted(reviews, key=lambda rs: rs[0], reverse=True)[:8]]
    return render(v, "home.html", total=len(reviews), recent=recent,
                  try_this=_try_this(v, reviews) if v.storfa.accounts.is_demo() else [],
                  charts=[("type", v._("Reviews by type"), _chart(by_type)),
                          ("year", v._("Reviews by year"), _chart(by_year, by_key=True)),
                          ("board", v._("Reviews by board"), _chart(by_board))])


@router.get("/search")
def search_page(v: V) -> Response:
    params = dict(v.request.query_params)
    req = SearchRequest.from_params(params, per_review=PAGE_PER_REVIEW)
    results, facet_counts, error = None, {}, None
    if req.q or req.filters or req.review:
        try:
            results = run_search(v, req)
            facet_counts = facets(v, req, results)
        except StorfaError as exc:
            error = v.error(exc)
    pages = 0 if results is None else (results.total + req.limit - 1) // req.limit
    saved = (v.storfa.accounts.accounts.saved_searches(v.user.id) if v.user else [])
    return render(v, "search.html", status=400 if error else 200, req=req, results=results,
                  facets=facet_counts, error=error, params=params, pages=pages,
                  kwic=params.get("kwic") == "1", saved=saved)


@router.get("/search.csv")
def search_csv(v: V) -> Response:
    req = SearchRequest.from_params(dict(v.request.query_params), limit=1000)
    try:
        results = run_search(v, req)
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    v.storfa.accounts.audit(v.actor, "search.export", "search", "-", query=req.query_text(),
                            rows=len(results.hits))
    return Response(results_csv(results), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="storfa-search.csv"'})


@router.post("/searches")
def save_search(v: V, name: Annotated[str, Form(max_length=200)] = "",
                query: Annotated[str, Form(max_length=4000)] = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    if v.user is None:
        return RedirectResponse("/login", status_code=303)
    v.storfa.accounts.accounts.save_search(v.user.id, name.strip() or query[:60], query, {})
    return RedirectResponse(f"/search?{query}", status_code=303)


@router.post("/searches/{search_id}/delete")
def delete_search(v: V, search_id: RowId, csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    if v.user is not None:
        v.storfa.accounts.accounts.delete_saved_search(v.user.id, search_id)
    return RedirectResponse("/account", status_code=303)


@router.get("/reviews")
def reviews_page(v: V, type: str = "") -> Response:
    reviews = [s for _, s in visible_summaries(v) if not type or (s.type or "") == type]
    reviews.sort(key=lambda s: (-(s.year or 0), s.review_id))
    return render(v, "reviews.html", reviews=reviews, type=type)


def review_page(v: V, key: str, page: int | None = None, q: str = "",
                passage: int | None = None) -> Response:
    # The title, metadata and evidence as published for readers (web/published.py).
    record = published(v).record(visible_review(v, key))
    store = v.storfa.store
    passages = store.passages(record.version_id)
    pages = sorted({p.page for p in passages}) or [1]
    current = page if page in pages else (
        next((p.page for p in passages if p.id == passage), pages[0]))
    matcher = None
    if q:
        try:
            matcher = Matcher.from_node(v.storfa.search.parse(q).node)
        except StorfaError:
            matcher = None
    access = v.access(record.id)
    # Readers get the text as published (redacted by the editors' decisions);
    # editors read the original to decide it (disclosure/redaction.py).
    passages = shown_to(v.storfa, record, can_edit(v.user, access)).passages(passages)
    # The disclosure check is for those who decide publication: editors of the review.
    disclosure = (DisclosureDecisions(v.storfa).report(record) if can_edit(v.user, access)
                  else None)
    flagged: dict[int | None, list[tuple[int, int]]] = {}
    for f in disclosure.report.findings if disclosure else []:
        flagged.setdefault(f.passage_id, []).append((f.start, f.end))
    shown = []
    for p in passages:
        if p.page != current:
            continue
        spans = matcher.spans(p.text) if matcher else []
        found = [(a - p.start, b - p.start) for a, b in flagged.get(p.id, [])]
        shown.append({"passage": p, "parts": _split(p.text, spans, found)})
    contents = [p for p in passages if p.kind == "heading"]
    linked = shown_link(v, record.summary.linked)
    orgs = v.storfa.accounts.accounts.organisations() if can_edit(v.user, access) else []
    renditions = repositories.renditions(store).of_version(record.version_id)
    return render(v, "review.html", record=record, s=record.summary, pages=pages,
                  renditions=renditions,
                  current=current, shown=shown, contents=contents, q=q, target=passage,
                  access=access, linked=linked, can_edit=can_edit(v.user, access),
                  can_code=can_code(v.user, access),
                  editable_fields=EDITABLE_FIELDS, levels=LEVELS, orgs=orgs,
                  metadata={m.field: m for m in record.metadata},
                  needs_identity=identity_needed(record.summary.type, record.summary.identifier),
                  review_types=[t.value for t in ReviewType], disclosure=disclosure)


def _split(text: str, spans: list[tuple[int, int]],
           flagged: Sequence[tuple[int, int]] = ()) -> list[tuple[str, bool | str]]:
    """Text cut into (piece, highlighted) so the template escapes every piece;
    a disclosure finding is marked "disclosure", a search hit True."""
    marks = sorted([(a, b, True) for a, b in spans] + [(a, b, "disclosure") for a, b in flagged],
                   key=lambda m: (m[0], m[1]))
    parts: list[tuple[str, bool | str]] = []
    at = 0
    for start, end, kind in marks:
        if start < at:
            continue
        parts += [(text[at:start], False), (text[start:end], kind)]
        at = end
    parts.append((text[at:], False))
    return [p for p in parts if p[0]]


@router.get("/reviews/{key:path}/original")
def download(v: V, key: str, redacted: bool = False) -> Response:
    record = visible_review(v, key, action="review.download")
    path = v.storfa.blobs.path_for(record.source_sha256)
    if not path.exists():
        raise not_found(v)
    # Readers of a PDF get the copy redacted by the editors' decisions; the
    # unredacted original stays with those who may change the review.
    if record.format == "pdf" and (not can_edit(v.user, v.access(record.id)) or redacted):
        from storfa.disclosure.redact_pdf import RedactionFailed, redacted_original

        try:
            copy = redacted_original(v.storfa, record, path)
        except RedactionFailed as exc:  # never the unredacted file instead
            raise HTTPException(409, v._("A redacted copy of this review could not be made "
                                         "safely. Ask an editor of the review.")) from exc
        if copy is not None:
            return Response(copy, media_type="application/pdf", headers={
                "Content-Disposition": f'attachment; filename="redacted-{record.summary.version}'
                                       '.pdf"'})
    elif record.format == "docx" and (not can_edit(v.user, v.access(record.id)) or redacted):
        # A Word original: a redacted .docx (disclosure/redact_docx.py).
        docx = _redacted_docx(v, record, path)
        if docx is not None:
            return docx
    elif not can_edit(v.user, v.access(record.id)) or redacted:
        # Web and Markdown originals are not redacted in place here: readers
        # get the redacted text instead (disclosure/redaction.py).
        from storfa.disclosure.redaction import published_text

        text = published_text(v.storfa, record)
        if text is not None:
            return Response(text, media_type="text/plain; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="redacted-{record.summary.version}'
                                       '.txt"', "X-Storfa-Redacted": "text"})
    return FileResponse(path, filename=record.source_name,
                        media_type="application/octet-stream")


def _redacted_docx(v: Visitor, record: ReviewRecord, path: Path) -> Response | None:
    """The Word file at `path` redacted by the version's decisions, or None
    when nothing is redacted; 409 rather than an unredacted copy."""
    from storfa.disclosure.redact_docx import MEDIA_TYPE, redacted_docx
    from storfa.disclosure.redact_pdf import RedactionFailed

    try:
        copy = redacted_docx(v.storfa, record, path)
    except RedactionFailed as exc:  # never the unredacted file instead
        raise HTTPException(409, v._("A redacted copy of this review could not be made "
                                     "safely. Ask an editor of the review.")) from exc
    if copy is None:
        return None
    return Response(copy, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="redacted-{record.summary.version}.docx"',
        "X-Storfa-Redacted": "docx"})


@router.get("/reviews/{key:path}/renditions/{file_id}")
def download_rendition(v: V, key: str, file_id: RowId) -> Response:
    """Another format of the current version's text (issue 16 item 6)."""
    record = visible_review(v, key, action="review.download")
    versions = repositories.renditions(v.storfa.store).of_version(record.version_id)
    found = next((r for r in versions if r.file_id == file_id), None)
    if found is None:
        raise not_found(v)
    if found.reading:  # the one read has its own route, redaction and all
        return RedirectResponse(f"/reviews/{quote(record.summary.review_id)}/original",
                                status_code=303)
    path = v.storfa.blobs.path_for(found.sha256)
    if not path.exists():
        raise not_found(v)
    if not can_edit(v.user, v.access(record.id)):
        # A second format holds the same words: readers get it only when
        # nothing is redacted, else a redacted Word file or the published
        # text (as for /original).
        if found.format == "docx":
            docx = _redacted_docx(v, record, path)
            if docx is not None:
                return docx
        from storfa.disclosure.redaction import published_text

        text = published_text(v.storfa, record)
        if text is not None:
            return Response(text, media_type="text/plain; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="redacted-{record.summary.version}'
                                       '.txt"', "X-Storfa-Redacted": "text"})
    return FileResponse(path, filename=found.name, media_type="application/octet-stream")


@router.post("/reviews/{key:path}/metadata")
def edit_metadata(v: V, key: str, field: Annotated[str, Form()] = "",
                  value: Annotated[str, Form(max_length=2000)] = "",
                  csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    record = editable_review(v, key, "review.metadata")
    try:
        v.storfa.reviews.correct_metadata(record, field, value, v.actor)
    except NotEditable as exc:
        raise HTTPException(400, v._("That field cannot be edited.")) from exc
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return RedirectResponse(f"/reviews/{record.summary.review_id}", status_code=303)


@router.post("/reviews/{key:path}/access")
async def set_access(v: V, key: str) -> Response:
    form = await v.request.form()
    v.check_csrf(str(form.get("csrf_token", "")))
    record = editable_review(v, key, "review.access")
    try:
        orgs = [int(str(o)) for o in form.getlist("organisations")]
    except ValueError as exc:
        raise HTTPException(400, v._("Choose organisations from the list.")) from exc
    level = str(form.get("level", "public"))
    if level not in LEVELS:
        raise HTTPException(400, v._("Choose an access level from the list."))
    try:
        # The rules (own organisation never locked out, the publication gate)
        # are the use case's; the override box is offered to administrators only.
        v.storfa.reviews.set_access(record, level, orgs, v.actor,
                                    override=form.get("override_disclosure") == "yes")
    except Refused as exc:
        raise HTTPException(403, v.error(exc)) from exc
    except PublicationBlocked as exc:
        raise HTTPException(400, v._(
            "This review cannot be made {level}: {n} findings of the disclosure check are "
            "undecided. Accept, reject or edit each in the Disclosure check panel first; an "
            "administrator may override.", level=v._(level), n=exc.undecided)) from exc
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return RedirectResponse(f"/reviews/{record.summary.review_id}", status_code=303)


@router.get("/upload")
def upload_page(v: V) -> Response:
    if v.user is None:
        return RedirectResponse("/login?next=/upload", status_code=303)
    if not can_upload(v.user):
        raise HTTPException(403, v._("Only editors and administrators can upload reviews."))
    from storfa.disclosure.uploads import CHOICES, DEFAULT_LEVEL

    return render(v, "upload.html", max_mb=v.storfa.settings.upload_mb, levels=CHOICES,
                  default_level=DEFAULT_LEVEL.value, org=v.user.organisation_id)


# Registered last: identifiers may contain "/" (SUSR2026-01/MWW), so the bare
# review path would otherwise swallow the more specific routes above.
router.get("/reviews/{key:path}")(review_page)
