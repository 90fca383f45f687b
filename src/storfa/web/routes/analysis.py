"""The analyst's pages: the case-variables grid (suggestions with their
evidence, marked present / not known by a coder), the statistics (frequency
tables, phi matrix, co-occurrence map, timeliness by board), the review
quality checklist, and downloads (CSV, XLSX, SPSS .sav).

Every page works over the reviews the visitor may see (`visible_summaries`),
narrowed by type, board and year: a hidden review is never in a grid, a count,
a statistic or a download. Coding goes through storfa.accounts.policy.can_code."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from storfa.accounts.policy import can_code
from storfa.analysis.associations import Associations
from storfa.analysis.casevars import (
    CaseCodes,
    CaseVariableService,
    NothingCoded,
    select_reviews,
)
from storfa.analysis.export import MEDIA_TYPES
from storfa.analysis.mds import CoMap
from storfa.analysis.quality import checklist
from storfa.analysis.statistics import (
    GROUPINGS,
    NoSuchTable,
    case_frequencies,
    case_statistics,
    download_table,
    selection_quality,
)
from storfa.analysis.timeliness import timeliness
from storfa.domain.reviews import ReviewRecord, ReviewSummary
from storfa.web.context import Visitor, visitor
from storfa.web.guard import visible_review
from storfa.web.render import env, render
from storfa.web.routes.pages import visible_summaries

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
PAGE_SIZE = 20
# Map drawing area (SVG user units) and the room kept round it for labels.
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 640, 480, 70


@dataclass(frozen=True)
class Filters:
    type: str = ""
    board: str = ""
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_params(cls, params: dict[str, str]) -> Filters:
        return cls(params.get("type", "").strip(), params.get("board", "").strip(),
                   _year(params.get("year_from")), _year(params.get("year_to")))

    def params(self) -> dict[str, Any]:
        return {"type": self.type or None, "board": self.board or None,
                "year_from": self.year_from, "year_to": self.year_to}


def _year(text: str | None) -> int | None:
    try:
        return int(text) if text and text.strip() else None
    except ValueError:
        return None


def review_selection(v: Visitor) -> tuple[Filters, list[tuple[int, ReviewSummary]], dict[str, Any]]:
    """The filters, the visible reviews they select, and the filter form's choices
    (drawn from the visible reviews only, so a hidden board is not named)."""
    filters = Filters.from_params(dict(v.request.query_params))
    visible = visible_summaries(v)
    chosen = {s.review_id for s in select_reviews(
        (s for _, s in visible), filters.type or None, filters.board or None,
        filters.year_from, filters.year_to)}
    reviews = sorted(((row, s) for row, s in visible if s.review_id in chosen),
                     key=lambda rs: (rs[1].year or 0, rs[1].review_id))
    return filters, reviews, review_choices(s for _, s in visible)


def review_choices(visible: Iterable[ReviewSummary]) -> dict[str, list[Any]]:
    """The review filter form's choices, from the visible reviews only (no
    hidden board is named)."""
    shown = list(visible)
    return {"types": sorted({s.type for s in shown if s.type}),
            "boards": sorted({s.board for s in shown if s.board}),
            "years": sorted({s.year for s in shown if s.year})}


def _service(v: Visitor) -> CaseVariableService:
    return v.storfa.casevars


def _codes(v: Visitor, reviews: list[tuple[int, ReviewSummary]]) -> CaseCodes:
    # The statistics read the coded cells as columns (not the grid's objects).
    return _service(v).codes(reviews)


def _safe_next(target: str) -> str:
    # Only back to an analysis page of this site: never an open redirect.
    if target.startswith("/analysis") and "//" not in target and "\\" not in target:
        return target
    return "/analysis/variables"


# ---------------------------------------------------------------- statistics
def _phi_matrix(result: Associations) -> list[dict[str, Any]]:
    pairs = {(p.a, p.b): p for p in result.pairs}
    rows = []
    for i, a in enumerate(result.variables):
        cells = []
        for b in result.variables[:i]:
            cells.append(pairs.get((b, a)) or pairs.get((a, b)))
        rows.append({"variable": a, "cells": cells})
    return rows


def _map_points(result: CoMap) -> list[dict[str, Any]]:
    """Map coordinates scaled into the SVG drawing area, y pointing up."""
    xs = [p.x for p in result.points]
    ys = [p.y for p in result.points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = min(MAP_WIDTH, MAP_HEIGHT) - 2 * MAP_MARGIN
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [{"variable": p.variable,
             "x": round(MAP_WIDTH / 2 + (p.x - cx) / span * scale, 1),
             "y": round(MAP_HEIGHT / 2 - (p.y - cy) / span * scale, 1)}
            for p in result.points]


def _statistics(v: Visitor, cases: CaseCodes) -> dict[str, Any]:
    found = case_statistics(cases)
    return {"assoc": found.associations,
            "matrix": _phi_matrix(found.associations) if found.associations else [],
            "map": found.comap, "points": _map_points(found.comap) if found.comap else [],
            "assoc_error": v.error(found.associations_error) if found.associations_error
            else None,
            "map_error": v.error(found.map_error) if found.map_error else None,
            "nothing_coded": found.nothing_coded}


@router.get("/analysis")
def analysis_page(v: V, by: str = "") -> Response:
    filters, reviews, choices = review_selection(v)
    cases = _codes(v, reviews)
    grouping = by if by in GROUPINGS else None
    frequencies = case_frequencies(cases, grouping)
    timing = timeliness(s for _, s in reviews)["summary"]
    service = _service(v)
    return render(v, "analysis/index.html", filters=filters, params=filters.params(),
                  choices=choices, reviews=reviews, coded=cases.coded_reviews,
                  frequencies=frequencies, by=grouping, groupings=GROUPINGS,
                  labels_of={d.name: d.label for d in service.variables},
                  can_suggest=_could_code(v, reviews),
                  timing=timing, width=MAP_WIDTH, height=MAP_HEIGHT, **_statistics(v, cases))


def selection_map(v: Visitor, reviews: list[tuple[int, ReviewSummary]]) -> CoMap:
    """The co-occurrence map of the reviews, or 404 saying why there is none."""
    found = case_statistics(_codes(v, reviews))
    if found.comap is None:
        reason = found.map_error or found.associations_error
        raise HTTPException(404, v.error(reason) if reason else v.error(
            NothingCoded(found.nothing_coded or 0)))
    return found.comap


def map_svg_text(v: Visitor, comap: CoMap) -> str:
    """The map as the page draws it, as a standalone SVG document."""
    return env.get_template("analysis/map_svg.html").render(
        _=v._, comap=comap, points=_map_points(comap), width=MAP_WIDTH, height=MAP_HEIGHT,
        labels_of={d.name: d.label for d in _service(v).variables}, standalone=True)


@router.get("/analysis/map.svg")
def map_svg(v: V) -> Response:
    _, reviews, _ = review_selection(v)
    return Response(map_svg_text(v, selection_map(v, reviews)), media_type="image/svg+xml")


# ------------------------------------------------------------------- coding
@router.get("/analysis/variables")
def variables_page(v: V, group: str = "", review: str = "", page: int = 1) -> Response:
    filters, reviews, choices = review_selection(v)
    service = _service(v)
    groups = service.groups()
    group = group if group in groups else groups[0]
    single = None
    if review:
        record = visible_review(v, review)
        single = record.summary.review_id
        reviews = [(record.id, record.summary)]
    pages = max(1, math.ceil(len(reviews) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = reviews if single else reviews[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    cases = service.cases(shown)
    coder = {c.row: can_code(v.user, v.access(c.row)) for c in cases}
    columns = [d for d in service.variables if single or d.group == group]
    here = v.request.url.path + (f"?{v.request.url.query}" if v.request.url.query else "")
    return render(v, "analysis/variables.html", filters=filters, params=filters.params(),
                  choices=choices, groups=groups, group=group, columns=columns, cases=cases,
                  coder=coder, any_coder=any(coder.values()) or _could_code(v, reviews),
                  single=single, page=page, pages=pages, total=len(reviews), here=here)


def _could_code(v: Visitor, reviews: list[tuple[int, ReviewSummary]]) -> bool:
    return any(can_code(v.user, v.access(row)) for row, _ in reviews)


def codable_review(v: Visitor, key: str, variable: str = "") -> ReviewRecord:
    """The review if the visitor sees it (else 404, like a missing one) and may
    code its case variables (else 403, audited)."""
    record = visible_review(v, key)
    if not can_code(v.user, v.access(record.id)):
        v.storfa.accounts.audit(v.actor, "casevars.set", "review", record.summary.review_id,
                                allowed=False, variable=variable)
        raise HTTPException(403, v._("Your role cannot code case variables."))
    return record


@router.post("/analysis/variables/{key}")
def code_variable(v: V, key: str, variable: Annotated[str, Form(max_length=200)] = "",
                  value: Annotated[str, Form(max_length=500)] = "",
                  action: Annotated[str, Form(max_length=20)] = "set",
                  next: Annotated[str, Form(max_length=2000)] = "",
                  csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    record = codable_review(v, key, variable)
    _service(v).decide(record.summary.review_id, variable, action, value, v.actor.name,
                       v.actor.detail())
    return RedirectResponse(_safe_next(next), status_code=303)


def suggest_selected(v: Visitor, reviews: list[tuple[int, ReviewSummary]]
                     ) -> tuple[list[str], list[dict[str, Any]]]:
    """Suggest values for those of the reviews the visitor may code (403,
    audited, when none); returns their ids and the suggestions."""
    keys = [s.review_id for row, s in reviews if can_code(v.user, v.access(row))]
    if not keys:
        v.storfa.accounts.audit(v.actor, "casevars.suggest", "analysis", "-", allowed=False)
        raise HTTPException(403, v._("Your role cannot code case variables."))
    # Stored passage vectors only: embedding on the spot would keep a person
    # waiting seconds per review; `storfa analyse suggest` does that instead.
    return keys, _service(v).suggest(keys, v.actor.name, v.actor.detail(), embed_limit=0)


@router.post("/analysis/suggest")
def suggest_page(v: V, next: Annotated[str, Form(max_length=2000)] = "",
                 csrf_token: Annotated[str, Form()] = "") -> Response:
    """Suggest values for the selected reviews the visitor may code."""
    v.check_csrf(csrf_token)
    _, reviews, _ = review_selection(v)
    suggest_selected(v, reviews)
    return RedirectResponse(_safe_next(next), status_code=303)


# ------------------------------------------------------------------ quality
@router.get("/analysis/quality")
def quality_page(v: V, review: str = "") -> Response:
    filters, reviews, choices = review_selection(v)
    if review:
        record = visible_review(v, review)
        reviews = [(record.id, record.summary)]
    result, capped = selection_quality(v.storfa.store, reviews)
    return render(v, "analysis/quality.html", filters=filters, params=filters.params(),
                  choices=choices, result=result, single=review and reviews[0][1].review_id,
                  items=checklist(), capped=capped)


# ------------------------------------------------------------------ exports
@router.get("/analysis/export/{name}.{fmt}")
def export(v: V, name: str, fmt: str) -> Response:
    _, reviews, _ = review_selection(v)
    try:
        data = download_table(v.storfa.store, _service(v), name, fmt, reviews)
    except NoSuchTable as exc:
        raise HTTPException(404, v.error(exc)) from exc
    v.storfa.accounts.audit(v.actor, "analysis.export", "analysis", name, format=fmt,
                            reviews=len(reviews))
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-{name}.{fmt}"'})
