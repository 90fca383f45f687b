"""Reports in the JSON API (/api/v1/reports/...): what the reports pages show
and make (web.routes.briefings), through the same functions and checks: the
7-minute briefing of a review or a theme (sections as JSON; PDF or DOCX with
the sections you edited), the thematic report (JSON; PDF or DOCX), the
recurrence of recommendations, and the themes to choose from.

A review the caller may not see is 404 (web.guard.visible_review), and a
theme, a selection or the recurrence table leaves hidden reviews out.
Every download is audited, as on the pages. Headings follow the caller's
language (Accept-Language or the language cookie)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from storfa.domain.errors import StorfaError
from storfa.reports.render import FORMATS
from storfa.reports.thematic import Selection, thematic
from storfa.reports.words import SECTIONS
from storfa.web.params import file_responses
from storfa.web.routes.api import PROBLEMS, V
from storfa.web.routes.briefings import (
    MAX_SECTION_CHARS,
    _assemble,
    _themes,
    briefing_download,
    recurring_groups,
    thematic_download,
)

router = APIRouter(prefix="/reports", tags=["reports"], responses=PROBLEMS)
DOCUMENTS = file_responses(
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
# The stored grouping of recommendations is out of date: it is regrouped
# after each change (or by the catch-up action), never while a report is read.
PENDING: dict[int | str, dict[str, Any]] = {
    409: {**PROBLEMS[400], "description": "The recurrence grouping is being brought up "
          "to date; try again shortly"}}
Format = Literal["pdf", "docx"]
Text = Annotated[str, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1900, le=2999)]


class BriefingExport(BaseModel):
    review: str = Field("", max_length=200, description="A review id; or give a theme.")
    theme: str = Field("", max_length=200, description="A code or theme of a codebook.")
    sections: dict[str, Annotated[str, Field(max_length=MAX_SECTION_CHARS)]] = Field(
        default_factory=dict, max_length=len(SECTIONS),
        description=f"Edited section texts by key ({', '.join(SECTIONS)}); others as "
                    "assembled.")


class ThematicSelection(BaseModel):
    type: str = Field("", max_length=50)
    board: str = Field("", max_length=200)
    year_from: int | None = Field(None, ge=1900, le=2999)
    year_to: int | None = Field(None, ge=1900, le=2999)


def _selection(type: str, board: str, year_from: int | None, year_to: int | None) -> Selection:
    return Selection(type=type.strip() or None, board=board.strip() or None,
                     year_from=year_from, year_to=year_to)


@router.get("/themes")
def themes() -> dict[str, Any]:
    """The themes a briefing can be about: each codebook's codes."""
    return {"codebooks": [{"title": title, "codes": codes} for title, codes in _themes()]}


@router.get("/briefing")
def briefing(v: V, review: Text = "", theme: Text = "") -> dict[str, Any]:
    """The 7-minute briefing of a review (or of a theme across the reviews you
    may see), section by section, as the page assembles it for editing."""
    if not review.strip() and not theme.strip():
        raise HTTPException(400, v._("Choose a review or a theme."))
    try:
        return _assemble(v, review.strip(), theme.strip()).as_json()
    except StorfaError as exc:  # an unknown theme, or a review without text
        raise HTTPException(404, v.error(exc)) from exc


@router.post("/briefing.{fmt}", response_class=Response, responses=DOCUMENTS)
def briefing_file(v: V, fmt: Format, body: BriefingExport) -> Response:
    """The briefing as PDF or DOCX, with the sections you edited (audited)."""
    assert fmt in FORMATS
    texts = {k: t for k, t in body.sections.items() if k in SECTIONS}
    try:
        return briefing_download(v, body.review, body.theme, texts, fmt)
    except StorfaError as exc:
        raise HTTPException(404, v.error(exc)) from exc


@router.get("/thematic")
def thematic_report(v: V, type: Annotated[str, Query(max_length=50)] = "",
                    board: Text = "", year_from: Year = None,
                    year_to: Year = None) -> dict[str, Any]:
    """The thematic report's figures as its page shows them: the reviews
    selected, extracts per theme and code, illustrations (no recurrence: see
    /reports/recurrence)."""
    try:
        report = thematic(v.storfa, _selection(type, board, year_from, year_to),
                          exclude=v.hidden, with_recurrence=False)
    except StorfaError as exc:  # no visible review matches
        raise HTTPException(404, v.error(exc)) from exc
    return report.as_json()


@router.post("/thematic.{fmt}", response_class=Response, responses={**DOCUMENTS, **PENDING})
def thematic_file(v: V, fmt: Format, body: ThematicSelection) -> Response:
    """The thematic report as PDF or DOCX, with recurrence (audited)."""
    assert fmt in FORMATS
    selection = _selection(body.type, body.board, body.year_from, body.year_to)
    try:
        return thematic_download(v, selection, fmt)
    except StorfaError as exc:
        raise HTTPException(404, v.error(exc)) from exc


@router.get("/recurrence", responses=PENDING)
def recurrence_groups(v: V) -> dict[str, Any]:
    """Recommendations that recur across the reviews you may see, grouped by
    meaning, with their statuses (as the recurrence page)."""
    recurring, single = recurring_groups(v)
    return {"groups": [g.as_json() for g in recurring], "single": single}
