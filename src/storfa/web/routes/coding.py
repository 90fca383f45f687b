"""Coding pages (docs/coding.md): the start page with auto-coding, the
suggestion queue worked from the keyboard, coding a selection of a review's
text, and undo of one's own last change.

Decisions are per coder and blind by default: a coder sees the suggestions as
if nobody else had decided them, and only their own codings, until they ask
to compare (storfa.coding.teamwork). Every review comes through
web.guard.visible_review or the visitor's visible reviews, and coding through
storfa.accounts.policy.can_code; every change goes through CodingService,
which audits it. Auto-coding runs in a background thread of the web process
(coding.runs, which keeps its state where every web worker sees it) and the
page polls its progress."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from storfa.accounts.policy import can_code
from storfa.coding.autocode import CodingService, split_runner_up
from storfa.coding.teamwork import coder_view, queue_items, status_counts
from storfa.domain.accounts import PUBLIC
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import ACCEPTED, REJECTED, SUGGESTED, Extract
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import Passage, ReviewRecord, ReviewSummary
from storfa.web.context import Visitor, visitor
from storfa.web.guard import visible_review
from storfa.web.params import RowId
from storfa.web.published import published
from storfa.web.render import render, with_params
from storfa.web.routes.analysis import review_selection

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
DEFAULT_CODEBOOK = "best-practice"
# Characters of the review shown either side of a suggestion in the queue.
CONTEXT_CHARS = 400
# Queue items listed after the one in focus.
UPCOMING = 12


# ------------------------------------------------------------------- helpers
def _service(v: Visitor) -> CodingService:
    return v.storfa.coding


def _may_code(v: Visitor) -> bool:
    """Whether the visitor's role codes at all (each review is checked too)."""
    return can_code(v.user, PUBLIC)


def _require_coder(v: Visitor) -> None:
    if not _may_code(v):
        v.storfa.accounts.audit(v.actor, "code.page", "coding", "-", allowed=False)
        raise HTTPException(403, v._("Your role cannot code reviews."))


def _book(v: Visitor, name: str) -> Codebook:
    try:
        return _service(v).book(name or DEFAULT_CODEBOOK)
    except StorfaError as exc:
        raise HTTPException(404, v._("There is no such codebook.")) from exc


def _codable_reviews(v: Visitor) -> tuple[Any, list[tuple[int, ReviewSummary]], dict[str, Any]]:
    """The filters, the selected visible reviews the visitor may code, the choices."""
    filters, reviews, choices = review_selection(v)
    return filters, [(row, s) for row, s in reviews if can_code(v.user, v.access(row))], choices


def _view(v: Visitor, book: Codebook, rows: set[int], compare: bool) -> list[Extract]:
    found = _service(v).sql.select(codebook=book.name)
    return coder_view((e for e in found if e.review_row in rows), v.actor.name, compare)


def _flag(value: str) -> bool:
    return value not in ("", "0")


def _safe_back(target: str) -> str:
    # Only back to a coding page of this site: never an open redirect.
    if target.startswith("/coding") and "//" not in target and "\\" not in target:
        return target
    return "/coding"


def _code_classes(book: Codebook) -> dict[str, str]:
    """The CSS class of each code's colour (coding/colours/NAME.css)."""
    return {c.name: f"code-{i}" for i, c in enumerate(book.codes)}


# ---------------------------------------------------------------- start page
@router.get("/coding")
def coding_page(v: V, codebook: str = "", job: RowId | None = None) -> Response:
    if not _may_code(v):
        return render(v, "coding/index.html", allowed=False)
    service = _service(v)
    book = _book(v, codebook)
    filters, reviews, choices = _codable_reviews(v)
    view = _view(v, book, {row for row, _ in reviews}, compare=False)
    params = {"codebook": book.name, **filters.params()}
    runs = v.storfa.autocoding
    return render(v, "coding/index.html", allowed=True, book=book,
                  books=service.codebooks.infos(), filters=filters, params=params,
                  choices=choices, reviews=reviews, counts=status_counts(queue_items(view)),
                  coded=_per_review(view), running=runs.running(),
                  job=runs.get(job) if job is not None else None,
                  thresholds=service.thresholds(book))


def _per_review(view: list[Extract]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for e in view:
        found.setdefault(e.review_id, {SUGGESTED: 0, ACCEPTED: 0, REJECTED: 0})[e.status] += 1
    return found


# --------------------------------------------------------------- auto-coding
@router.post("/coding/auto")
def auto_code(v: V, codebook: Annotated[str, Form(max_length=100)] = "",
              threshold: Annotated[float | None, Form(ge=0.0, le=1.0)] = None,
              csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    _require_coder(v)
    book = _book(v, codebook)
    filters, reviews, _ = _codable_reviews(v)
    if not reviews:
        raise HTTPException(400, v._("No reviews you may code are selected."))
    job = v.storfa.autocoding.start(book.name, [s.review_id for _, s in reviews],
                                    v.actor.name, threshold)
    query = with_params({"codebook": book.name, **filters.params()}, job=job.id)
    return RedirectResponse(f"/coding?{query}", status_code=303)


@router.get("/coding/auto/{job_id}")
def auto_progress(v: V, job_id: RowId) -> Response:
    _require_coder(v)
    job = v.storfa.autocoding.get(job_id)
    if job is None:
        raise HTTPException(404, v._("There is no such auto-coding run."))
    return JSONResponse(job.as_json())


# --------------------------------------------------------------------- queue
@router.get("/coding/queue")
def queue_page(v: V, codebook: str = "", at: int | None = None, show: str = "open",
               compare: str = "", review: str = "") -> Response:
    _require_coder(v)
    book = _book(v, codebook)
    filters, reviews, choices = _codable_reviews(v)
    if review:
        record = visible_review(v, review)
        reviews = [(record.id, record.summary)] if can_code(v.user, v.access(record.id)) else []
    comparing = _flag(compare)
    view = _view(v, book, {row for row, _ in reviews}, comparing)
    everything = queue_items(view)
    items = everything if show == "all" else [e for e in everything if e.status == SUGGESTED]
    index = next((i for i, e in enumerate(items) if e.id == at), 0)
    focus = items[index] if items else None
    params = {"codebook": book.name, **filters.params(), "show": show if show == "all" else None,
              "compare": "1" if comparing else None, "review": review or None}
    here = "/coding/queue?" + with_params(params, at=focus.id if focus else None)
    context = _context(v, focus) if focus else None
    shown = published(v)  # a coder who may not edit a review reads it as published
    focus = shown.extract(focus) if focus else None
    detail, runner_up = split_runner_up(focus.source_detail if focus else None)
    return render(v, "coding/queue.html", book=book, books=_service(v).codebooks.infos(),
                  detail=detail, runner_up=runner_up,
                  filters=filters, params=params,
                  choices=choices, items=items, index=index, focus=focus, context=context,
                  upcoming=[shown.extract(e) for e in items[index + 1:index + 1 + UPCOMING]],
                  here=here,
                  counts=status_counts(everything), comparing=comparing, show=show,
                  prev=items[index - 1] if index > 0 else None,
                  next=items[index + 1] if index + 1 < len(items) else None,
                  classes=_code_classes(book), review=review)


def _context(v: Visitor, e: Extract) -> tuple[str, str, str]:
    """The suggestion's span with the review text round it (before, span,
    after), as published to a coder who may not edit the review."""
    text = _service(v).sql.version_text(e.version_id)
    mask = published(v).version(e.review_row, e.version_id)
    at = max(0, e.start - CONTEXT_CHARS)
    return (mask.apply(text[at:e.start], at), mask.apply(text[e.start:e.end], e.start),
            mask.apply(text[e.end:e.end + CONTEXT_CHARS], e.end))


def _extract_for_coding(v: Visitor, extract_id: int) -> Extract:
    """The extract, if its review is one the visitor sees (else 404) and codes (else 403)."""
    try:
        extract = _service(v).sql.get(extract_id)
    except StorfaError as exc:
        raise HTTPException(404, v._("There is no such extract.")) from exc
    record = visible_review(v, extract.review_id)
    if not can_code(v.user, v.access(record.id)):
        v.storfa.accounts.audit(v.actor, "code.decide", "extract", str(extract_id),
                                allowed=False)
        raise HTTPException(403, v._("Your role cannot code reviews."))
    return extract


@router.post("/coding/decide/{extract_id}")
def decide(v: V, extract_id: RowId, action: Annotated[str, Form(max_length=20)] = "",
           code: Annotated[str, Form(max_length=300)] = "",
           back: Annotated[str, Form(max_length=4000)] = "",
           csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    _require_coder(v)
    _extract_for_coding(v, extract_id)
    try:
        _service(v).decide_suggestion(extract_id, action, v.actor.name, code)
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return RedirectResponse(_safe_back(back), status_code=303)


@router.post("/coding/undo")
def undo(v: V, back: Annotated[str, Form(max_length=4000)] = "",
         csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    _require_coder(v)
    try:
        done = _service(v).undo(v.actor.name)
    except StorfaError as exc:
        raise HTTPException(400, v._("There is no coding change of yours to undo.")) from exc
    target = _safe_back(back)
    if target.startswith("/coding/queue"):
        # Back to the item undone (a withdrawn decision row: to what it decided).
        e = done.extract
        target = target.split("?")[0] + "?" + with_params(
            _query_of(target), at=e.origin_id if e.superseded and e.origin_id else e.id)
    return RedirectResponse(target, status_code=303)


def _query_of(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(url.partition("?")[2]))


# ----------------------------------------------------- coding in the reader
@router.get("/coding/colours/{name}.css")
def colours(v: V, name: str) -> Response:
    """Each code's colour as a class, so highlights need no inline style (CSP)."""
    book = _book(v, name)
    rules = []
    for code, cls in _code_classes(book).items():
        colour = book.code(code).colour
        # A coding is filled with its colour; a suggestion only underlined, dashed.
        rules += [f"mark.{cls} {{ background-color: {colour}55; "
                  f"border-bottom: 2px solid {colour}; }}",
                  f"mark.{cls}.status-suggested {{ background-color: transparent; "
                  f"border-bottom: 2px dashed {colour}; }}"]
    return Response("\n".join(rules) + "\n", media_type="text/css",
                    headers={"Cache-Control": "max-age=60"})


def _marked(text: str, start: int, extracts: list[Extract], classes: dict[str, str]) -> Markup:
    """text (== full_text[start:start+len(text)]) as escaped HTML with the
    extracts over it marked; the characters are exactly the text's, so a
    script can count offsets in it."""
    end = start + len(text)
    over = [e for e in extracts if e.start < end and start < e.end]
    cuts = sorted({start, end, *(max(e.start, start) for e in over),
                   *(min(e.end, end) for e in over)})
    html = []
    for a, b in pairwise(cuts):
        piece = escape(text[a - start:b - start])
        covering = [e for e in over if e.start <= a and b <= e.end]
        if not covering:
            html.append(str(piece))
            continue
        # The colour is a coding's over a suggestion's, the innermost span's over a wider one.
        first = min(covering, key=lambda e: (e.status != ACCEPTED, e.end - e.start))
        names = "; ".join(f"{e.theme} › {e.code}" for e in covering)
        css = " ".join([classes.get(first.code, "code-other"), f"status-{first.status}"])
        ids = " ".join(str(e.id) for e in covering)
        html.append(f'<mark class="{css}" data-extracts="{ids}" title="{escape(names)}">'
                    f"{piece}</mark>")
    return Markup("".join(html))


def _codable(v: Visitor, key: str) -> ReviewRecord:
    record = visible_review(v, key)
    if not can_code(v.user, v.access(record.id)):
        v.storfa.accounts.audit(v.actor, "code.add", "review", record.summary.review_id,
                                allowed=False)
        raise HTTPException(403, v._("Your role cannot code reviews."))
    return record


@router.get("/coding/review/{key:path}")
def review_coding(v: V, key: str, codebook: str = "", compare: str = "") -> Response:
    """The review's text to code. A coder who may not edit the review reads
    it as published (web/published.py): the page's text is the redacted
    text, and its offsets (data-start, the marks, the selection the page
    posts) are offsets into that text, which `code_selection` maps back."""
    _require_coder(v)
    shown = published(v)
    record = shown.record(_codable(v, key))
    book = _book(v, codebook)
    service = _service(v)
    comparing = _flag(compare)
    mask = shown.version(record.id, record.version_id)
    text = service.sql.version_text(record.version_id)
    view = [e for e in coder_view(service.sql.select(codebook=book.name, review_row=record.id),
                                  v.actor.name, comparing)
            if e.status != REJECTED and e.version_id == record.version_id]
    classes = _code_classes(book)
    passages = [p for p in _passages(v, record) if p.end <= len(text)]
    if mask:
        text = mask.apply(text)
        passages = [replace(p, start=mask.map(p.start), end=mask.map(p.end, after=True))
                    for p in passages]
        marks = [replace(e, start=mask.map(e.start), end=mask.map(e.end, after=True))
                 for e in view]
    else:
        marks = view
    blocks = [(p, _marked(text[p.start:p.end], p.start, marks, classes)) for p in passages]
    memos = {m.extract_id: shown.memo(record.id, m)
             for m in service.sql.memos([e.id for e in view])}
    return render(v, "coding/review.html", record=record, s=record.summary, book=book,
                  books=service.codebooks.infos(), blocks=blocks,
                  extracts=[shown.extract(e) for e in view],
                  comparing=comparing, classes=classes, memos=memos)


def _passages(v: Visitor, record: ReviewRecord) -> list[Passage]:
    return sorted(v.storfa.store.passages(record.version_id), key=lambda p: p.start)


@router.post("/coding/review/{key:path}")
def code_selection(v: V, key: str, codebook: Annotated[str, Form(max_length=100)] = "",
                   code: Annotated[str, Form(max_length=300)] = "",
                   start: Annotated[int, Form()] = -1, end: Annotated[int, Form()] = -1,
                   memo: Annotated[str, Form(max_length=4000)] = "",
                   csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    _require_coder(v)
    record = _codable(v, key)
    book = _book(v, codebook)
    service = _service(v)
    who = v.actor.name
    # The page showed this coder the published text: its offsets are that
    # text's, mapped back to the stored version's (a selection touching a
    # replacement covers the whole of the words it stands for).
    mask = published(v).version(record.id, record.version_id)
    if mask and 0 <= start < end:
        start, end = mask.unmap(start), mask.unmap(end, after=True)
    try:
        extract = service.code_span(record.summary.review_id, start, end, book.name, code, who)
        if memo.strip():
            service.memo(who, memo.strip(), extract_id=extract.id)
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    query = with_params({"codebook": book.name})
    return RedirectResponse(f"/coding/review/{record.summary.review_id}?{query}#x{extract.id}",
                            status_code=303)
