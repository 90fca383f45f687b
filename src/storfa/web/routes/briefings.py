"""Learning outputs: 7-minute briefings and thematic reports (edit, then PDF or
DOCX), and the recurrence of recommendations across reviews (docs/reports.md).

A briefing is assembled, shown section by section in text boxes, and the
export takes what the person edited. Everything works over the reviews the
visitor may see: one review through web.guard.visible_review (404 when
hidden), a theme, a selection or the recurrence table leaving `v.hidden` out.
Every export is audited."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response

from storfa.accounts.policy import can_upload
from storfa.coding.codebooks import builtin_codebooks, load_codebook
from storfa.domain.errors import StorfaError
from storfa.ingest.after_store import catching_up
from storfa.recommendations.recurrence import Group, RecurrencePending, recurrence
from storfa.reports.briefing import Briefing, review_briefing, theme_briefing
from storfa.reports.document import briefing_document
from storfa.reports.render import FORMATS, render
from storfa.reports.thematic import Selection, thematic, thematic_document
from storfa.reports.words import SECTIONS, word
from storfa.web.context import Visitor, visitor
from storfa.web.guard import visible_review
from storfa.web.published import published
from storfa.web.render import render as render_web
from storfa.web.routes.analysis import Filters, review_choices
from storfa.web.routes.pages import visible_summaries

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
# A briefing section is a few paragraphs; this bounds what a form may post.
MAX_SECTION_CHARS = 20_000


def render_page(v: Visitor, name: str, status: int = 200, **context: Any) -> Response:
    """A reports page; `word` gives the report headings in the visitor's language."""
    return render_web(v, name, status=status, word=word, **context)


def _themes() -> list[tuple[str, list[str]]]:
    """(codebook title, code names) for the theme chooser."""
    out = []
    for name in builtin_codebooks():
        book = load_codebook(name)
        out.append((book.title, [c.name for c in book]))
    return out


def _assemble(v: Visitor, review: str, theme: str) -> Briefing:
    if review:
        record = visible_review(v, review)
        return review_briefing(v.storfa, record.summary.review_id, v.lang)
    return theme_briefing(v.storfa, theme, v.lang, exclude=v.hidden)


def _filename(text: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")[:60] or "report"
    return f"storfa-{stem}.{fmt}"


def _download(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/reports")
def reports_index(v: V) -> Response:
    return render_page(v, "reports/index.html")


@router.get("/reports/briefing")
def briefing_page(v: V, review: str = "", theme: str = "") -> Response:
    if not review and not theme:
        reviews = sorted((s for _, s in visible_summaries(v)), key=lambda s: s.review_id)
        return render_page(v, "reports/briefing_choose.html", reviews=reviews,
                           themes=_themes())
    try:
        briefing = _assemble(v, review.strip(), theme.strip())
    except StorfaError as exc:
        return render_page(v, "reports/briefing_choose.html", status=404,
                           reviews=sorted((s for _, s in visible_summaries(v)),
                                          key=lambda s: s.review_id),
                           themes=_themes(), error=v.error(exc))
    sections = [{"key": k, "heading": word(k, v.lang), "text": briefing.sections[k]}
                for k in SECTIONS]
    return render_page(v, "reports/briefing.html", briefing=briefing, sections=sections,
                       review=review.strip(), theme=theme.strip(), formats=FORMATS)


async def _section_texts(request: Request) -> dict[str, str]:
    form = await request.form()
    texts = {}
    for key in SECTIONS:
        value = form.get(key)
        if isinstance(value, str):
            texts[key] = value[:MAX_SECTION_CHARS]
    return texts


@router.post("/reports/briefing/export")
async def briefing_export(request: Request, v: V,
                          review: Annotated[str, Form(max_length=200)] = "",
                          theme: Annotated[str, Form(max_length=200)] = "",
                          format: Annotated[str, Form(max_length=10)] = "pdf",
                          csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    return briefing_download(v, review, theme, await _section_texts(request), format)


def briefing_download(v: Visitor, review: str, theme: str, texts: dict[str, str],
                      format: str) -> Response:
    """The briefing of a visible review or a theme, with the sections a person
    edited (`texts`), as PDF or DOCX; audited with the sections changed."""
    if format not in FORMATS:
        raise HTTPException(400, v._("Choose PDF or DOCX."))
    if not review.strip() and not theme.strip():
        raise HTTPException(400, v._("Choose a review or a theme."))
    assembled = _assemble(v, review.strip(), theme.strip())
    edited = assembled.edited({k: t[:MAX_SECTION_CHARS] for k, t in texts.items()})
    changed = [k for k in SECTIONS if edited.sections[k] != assembled.sections[k]]
    data, media_type = render(briefing_document(edited), format)
    v.storfa.accounts.audit(v.actor, "report.briefing", assembled.kind, assembled.subject,
                            format=format, lang=v.lang, edited=changed,
                            reviews=len(assembled.reviews))
    return _download(data, media_type, _filename(f"briefing-{assembled.subject}", format))


# ---------------------------------------------------------------- thematic
def _selection(params: dict[str, Any]) -> Selection:
    return Selection(**Filters.from_params(params).params())


def _choices(v: Visitor) -> dict[str, list[Any]]:
    return review_choices(s for _, s in visible_summaries(v))


@router.get("/reports/thematic")
def thematic_page(v: V) -> Response:
    selection = _selection(dict(v.request.query_params))
    report, error = None, None
    try:
        report = thematic(v.storfa, selection, exclude=v.hidden, with_recurrence=False)
    except StorfaError as exc:
        error = v.error(exc)
    return render_page(v, "reports/thematic.html", selection=selection, report=report,
                       error=error, choices=_choices(v), formats=FORMATS)


@router.post("/reports/thematic/export")
def thematic_export(v: V, type: Annotated[str, Form(max_length=50)] = "",
                    board: Annotated[str, Form(max_length=200)] = "",
                    year_from: Annotated[str, Form(max_length=10)] = "",
                    year_to: Annotated[str, Form(max_length=10)] = "",
                    format: Annotated[str, Form(max_length=10)] = "pdf",
                    csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    return thematic_download(v, _selection({"type": type, "board": board,
                                            "year_from": year_from, "year_to": year_to}),
                             format)


def thematic_download(v: Visitor, selection: Selection, format: str) -> Response:
    """The thematic report of the visible reviews selected, as PDF or DOCX;
    audited with the selection."""
    if format not in FORMATS:
        raise HTTPException(400, v._("Choose PDF or DOCX."))
    try:
        report = thematic(v.storfa, selection, exclude=v.hidden)
    except RecurrencePending as exc:  # grouped after each change, never here
        raise HTTPException(409, v.error(exc)) from None
    data, media_type = render(thematic_document(report, v.lang), format)
    v.storfa.accounts.audit(v.actor, "report.thematic", "reviews", str(len(report.reviews)),
                            format=format, lang=v.lang, **selection.__dict__)
    return _download(data, media_type, _filename("thematic-report", format))


# -------------------------------------------------------------- recurrence
@router.get("/reports/recurrence")
def recurrence_page(v: V) -> Response:
    """Reads what is stored. When the grouping is out of date, or some reviews
    were never extracted, the page says so and offers the action (a POST to
    /recommendations/catch-up) rather than computing it here."""
    unextracted = len(v.storfa.register().unextracted(v.hidden))
    try:
        recurring, single = _recurring(v)
        pending = False
    except RecurrencePending:
        recurring, single, pending = [], 0, True
    return render_page(v, "reports/recurrence.html", groups=recurring, single=single,
                       pending=pending, unextracted=unextracted,
                       can_catch_up=can_upload(v.user), catching_up=catching_up(v.storfa))


def recurring_groups(v: Visitor) -> tuple[list[Group], int]:
    """Groups of recommendations recurring across the reviews the visitor may
    see, and how many recommendations stand alone; 409 when the stored
    grouping is out of date (it is computed after each change, never here)."""
    try:
        return _recurring(v)
    except RecurrencePending as exc:
        raise HTTPException(409, v.error(exc)) from None


def _recurring(v: Visitor) -> tuple[list[Group], int]:
    groups = recurrence(v.storfa, exclude=v.hidden)
    view = published(v)  # redacted words stay out, but for the reviews' editors
    recurring = [view.group(g) for g in groups if len(g.reviews) > 1]
    return recurring, len(groups) - len(recurring)
