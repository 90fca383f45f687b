"""The agreement page (/coding/agreement, docs/coding.md): how far two
coders' accepted codings agree, per code and over every code either used,
with what kappa's band means and the passages they coded differently, each
linked into the coding view with every coder's codings shown (compare).

A thin adapter: the figures are CodingService.agreement_report, the same call
as GET /api/v1/coding/{codebook}/agreement and `storfa code agreement`, over
the reviews the visitor may see and code (web.routes.coding's own selection).
Coders, editors and administrators may look; readers and anonymous visitors
get 403, as on the coding queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from storfa.coding.agreement import AgreementReport
from storfa.domain.errors import StorfaError
from storfa.web.context import Visitor, visitor
from storfa.web.published import published
from storfa.web.render import render
from storfa.web.routes.coding import _book, _codable_reviews, _require_coder, _service

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
# Passages coded differently listed on one page.
PER_PAGE = 25


@router.get("/coding/agreement")
def agreement_page(v: V, codebook: Annotated[str, Query(max_length=100)] = "",
                   coder_a: Annotated[str, Query(max_length=200)] = "",
                   coder_b: Annotated[str, Query(max_length=200)] = "",
                   code: Annotated[str, Query(max_length=300)] = "",
                   page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    _require_coder(v)
    book = _book(v, codebook)
    filters, codable, choices = _codable_reviews(v)
    rows = {row for row, _ in codable}
    service = _service(v)
    error = None
    try:
        report = service.agreement_report(book.name, coder_a or None, coder_b or None,
                                          rows=rows, code=code)
    except StorfaError as exc:
        error = v.error(exc)
        # Still offer the coders to choose from, with no figures.
        report = service.agreement_report(book.name, rows=rows)
        report = AgreementReport(book.name, None, None, report.coders, [], [], report.overall)
    report = published(v).agreement(report)  # passages as published to this coder
    pages = max(1, -(-len(report.disagreements) // PER_PAGE))
    page = min(page, pages)
    shown = report.disagreements[(page - 1) * PER_PAGE:page * PER_PAGE]
    params = {"codebook": book.name, **filters.params(), "coder_a": report.coder_a,
              "coder_b": report.coder_b}
    candidates = [c.coder for c in report.coders]
    for named in (coder_a, coder_b):
        if named and named not in candidates:
            candidates.append(named)
    return render(v, "coding/agreement.html", status=400 if error else 200, error=error,
                  book=book, books=service.codebooks.infos(), filters=filters,
                  choices=choices, params=params, report=report,
                  reviews_coded={c.coder: c.reviews for c in report.coders},
                  candidates=candidates, chosen=(coder_a or report.coder_a or "",
                                                 coder_b or report.coder_b or ""),
                  code=code, shown=shown, page=page, pages=pages,
                  depth={c.name: len(c.path) - 1 for c in book})
