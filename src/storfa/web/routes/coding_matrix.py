"""Coding analysis pages: the coding matrix with drill-down, chart and exports;
co-occurrence; word frequencies; the 0/1 code-by-review download.

Anyone signed in may look (accounts.policy.can_view_coding), over the reviews
they may see: the visitor's hidden review rows are passed to the service as
excluded, so a hidden review is never counted, drilled into, read for words
or downloaded. The work is storfa.coding.matrix.CodingAnalysis, which the
CLI uses too."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response

from storfa.accounts.policy import can_view_coding
from storfa.analysis.export import MEDIA_TYPES
from storfa.analysis.tables import table_bytes
from storfa.coding.matrix import (
    COUNTS,
    DIMENSIONS,
    DRILL_PAGE,
    STATUS_CHOICES,
    VARIABLE_PREFIX,
    CodingAnalysis,
    CodingMatrix,
    Selection,
)
from storfa.domain.errors import StorfaError
from storfa.web.context import Visitor, visitor
from storfa.web.published import published
from storfa.web.render import render
from storfa.web.routes.analysis import Filters, review_choices
from storfa.web.routes.pages import visible_summaries

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
DEFAULT_CODEBOOK = "best-practice"
TOP_WORDS = 30
# The bar chart (SVG user units): label column, bar area, one row per code.
CHART_LABEL, CHART_BARS, CHART_ROW = 300, 360, 22


@dataclass(frozen=True)
class Choice:
    """What the page shows: codebook, columns, what is counted, which statuses."""

    codebook: str
    by: str
    count: str
    status: str
    filters: Filters

    @classmethod
    def of(cls, v: Visitor) -> Choice:
        q = v.request.query_params
        by = q.get("by", "type").strip()
        if by not in DIMENSIONS and not by.startswith(VARIABLE_PREFIX):
            by = "type"
        count = q.get("count", "extracts")
        status = q.get("status", "accepted")
        return cls(q.get("codebook", DEFAULT_CODEBOOK).strip() or DEFAULT_CODEBOOK, by,
                   count if count in COUNTS else "extracts",
                   status if status in STATUS_CHOICES else "accepted",
                   Filters.from_params(dict(q)))

    def params(self) -> dict[str, Any]:
        return {"codebook": self.codebook, "by": self.by, "count": self.count,
                "status": self.status, **self.filters.params()}

    def selection(self, v: Visitor) -> Selection:
        f = self.filters
        return Selection(exclude=v.hidden, type=f.type or None, board=f.board or None,
                         year_from=f.year_from, year_to=f.year_to)


def _allowed(v: Visitor) -> None:
    if v.user is None:
        raise HTTPException(401, v._("Sign in to see the analysis of coding."))
    if not can_view_coding(v.user):
        raise HTTPException(403, v._("Your account cannot see the analysis of coding."))


def _analysis(v: Visitor) -> CodingAnalysis:
    return CodingAnalysis.of(v.storfa)


def _choices(v: Visitor) -> dict[str, Any]:
    """The form's choices, from the visible reviews only (no hidden board is named)."""

    return {
        **review_choices(s for _, s in visible_summaries(v)),
        "codebooks": v.storfa.codebooks.infos(),
        "variables": v.storfa.casevars.variables,
    }


def _bars(matrix: CodingMatrix, count: str) -> list[dict[str, Any]]:
    """One bar per matrix row, scaled to the largest total."""
    totals = [sum(r.counts(count)) for r in matrix.rows]
    top = max(totals, default=0) or 1
    return [{"row": r, "total": t, "width": round(CHART_BARS * t / top, 1),
             "y": i * CHART_ROW} for i, (r, t) in enumerate(zip(matrix.rows, totals,
                                                              strict=True))]


def _fail(v: Visitor, exc: StorfaError) -> HTTPException:
    return HTTPException(400, v.error(exc))


@router.get("/coding/matrix")
def matrix_page(v: V, code: str = "", n: int = 1) -> Response:
    _allowed(v)
    choice = Choice.of(v)
    analysis = _analysis(v)
    selection = choice.selection(v)
    try:
        matrix = analysis.matrix(choice.codebook, choice.by, choice.status, selection)
        pairs = analysis.cooccurrence(choice.codebook, choice.status, selection)
        book = analysis.codebook(choice.codebook)
        word_code = book.code(code).name if code else None
        n = n if n in (1, 2, 3) else 1
        words = (analysis.words(choice.codebook, word_code, n, TOP_WORDS, choice.status,
                                selection) if word_code else None)
        if words is not None:
            # A frequent word that is a finding redacted from this visitor in
            # a selected review is left out (disclosure/published.py `hides`).
            rows = analysis.selected(selection)
            words = (words[0], [g for g in words[1] if not published(v).hides(rows, g.text)])
    except StorfaError as exc:
        raise _fail(v, exc) from None
    bars = _bars(matrix, choice.count)
    return render(v, "coding/matrix.html", choice=choice, params=choice.params(),
                  choices=_choices(v), matrix=matrix, book=book, pairs=pairs,
                  word_code=word_code, n=n, words=words, bars=bars,
                  chart={"label": CHART_LABEL, "bars": CHART_BARS, "row": CHART_ROW,
                         "height": max(1, len(bars)) * CHART_ROW + 10,
                         "width": CHART_LABEL + CHART_BARS + 60})


@router.get("/coding/matrix/cell")
def cell_page(v: V, code: str = "", column: str = "", page: int = 1) -> Response:
    _allowed(v)
    choice = Choice.of(v)
    page = max(page, 1)
    try:
        cell = _analysis(v).cell(choice.codebook, code, column, choice.by, choice.status,
                                 choice.selection(v), DRILL_PAGE, (page - 1) * DRILL_PAGE)
    except StorfaError as exc:
        raise _fail(v, exc) from None
    pages = max(1, -(-cell.total // DRILL_PAGE))
    shown = published(v)  # extracts as published, unless the visitor may edit the review
    cell = replace(cell, extracts=tuple(shown.extract(e) for e in cell.extracts))
    return render(v, "coding/matrix_cell.html", choice=choice, params=choice.params(),
                  cell=cell, page=page, pages=pages)


def _download(v: Visitor, name: str, fmt: str, headers: list[str],
              rows: list[list[Any]], reviews: int) -> Response:
    v.storfa.accounts.audit(v.actor, "coding.export", "coding", name, format=fmt,
                            reviews=reviews)
    return Response(table_bytes(fmt, name, headers, rows), media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition":
                             f'attachment; filename="storfa-{name}.{fmt}"'})


@router.get("/coding/matrix.{fmt}")
def matrix_download(v: V, fmt: str) -> Response:
    _allowed(v)
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, v._("There is no such table to download."))
    choice = Choice.of(v)
    try:
        matrix = _analysis(v).matrix(choice.codebook, choice.by, choice.status,
                                     choice.selection(v))
    except StorfaError as exc:
        raise _fail(v, exc) from None
    headers, rows = matrix.table(choice.count)
    return _download(v, "coding-matrix", fmt, headers, rows, sum(matrix.selected))


@router.get("/coding/matrix/binary.{fmt}")
def binary_download(v: V, fmt: str) -> Response:
    _allowed(v)
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, v._("There is no such table to download."))
    choice = Choice.of(v)
    try:
        headers, rows = _analysis(v).binary(choice.codebook, choice.status,
                                            choice.selection(v))
    except StorfaError as exc:
        raise _fail(v, exc) from None
    return _download(v, "codes-by-review", fmt, headers, rows, len(rows))
