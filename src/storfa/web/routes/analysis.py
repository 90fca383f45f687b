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
from storfa.analysis.associations import Associations, associations
from storfa.analysis.casevars import (
    CaseVariableService,
    NothingCoded,
    ReviewCase,
    binary_table,
    coded_table,
    coded_variables,
    select_reviews,
)
from storfa.analysis.descriptive import table_frequencies
from storfa.analysis.export import FORMATS, MEDIA_TYPES, case_table_bytes
from storfa.analysis.mds import CoMap, co_occurrence_map
from storfa.analysis.quality import checklist, quality
from storfa.analysis.tables import Cell, table_bytes
from storfa.analysis.timeliness import timeliness
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import ReviewSummary
from storfa.web.context import Visitor, visitor
from storfa.web.guard import visible_review
from storfa.web.render import env, render
from storfa.web.routes.pages import visible_summaries

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
PAGE_SIZE = 20
# The checklist reads every passage (about half a second per review), so a
# request covers at most this many; `storfa analyse quality` does any number.
QUALITY_LIMIT = 100
GROUPINGS = ("type", "board", "year", "variant")
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
    return CaseVariableService.of(v.storfa)


def _cases(v: Visitor, reviews: list[tuple[int, ReviewSummary]]) -> list[ReviewCase]:
    return _service(v).cases(reviews)


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


def _statistics(v: Visitor, cases: list[ReviewCase]) -> dict[str, Any]:
    stats: dict[str, Any] = {"assoc": None, "matrix": [], "map": None, "points": [],
                             "assoc_error": None, "map_error": None, "nothing_coded": None}
    try:
        table = binary_table(cases)
    except NothingCoded as exc:  # the page offers to suggest values instead
        stats["nothing_coded"] = exc.selected
        return stats
    except StorfaError as exc:
        stats["assoc_error"] = v.error(exc)
        return stats
    result = associations(table)
    stats["assoc"], stats["matrix"] = result, _phi_matrix(result)
    try:
        comap = co_occurrence_map(table)
    except StorfaError as exc:
        stats["map_error"] = v.error(exc)
    else:
        stats["map"], stats["points"] = comap, _map_points(comap)
    return stats


@router.get("/analysis")
def analysis_page(v: V, by: str = "") -> Response:
    filters, reviews, choices = review_selection(v)
    cases = _cases(v, reviews)
    names = coded_variables(cases)
    grouping = by if by in GROUPINGS else None
    frequencies = (table_frequencies(coded_table(cases, names, labels=True, meta=True), names,
                                     grouping) if names else [])
    timing = timeliness(s for _, s in reviews)["summary"]
    service = _service(v)
    return render(v, "analysis/index.html", filters=filters, params=filters.params(),
                  choices=choices, reviews=reviews, coded=sum(1 for c in cases if c.coded),
                  frequencies=frequencies, by=grouping, groupings=GROUPINGS,
                  labels_of={d.name: d.label for d in service.variables},
                  can_suggest=_could_code(v, reviews),
                  timing=timing, width=MAP_WIDTH, height=MAP_HEIGHT, **_statistics(v, cases))


@router.get("/analysis/map.svg")
def map_svg(v: V) -> Response:
    _, reviews, _ = review_selection(v)
    stats = _statistics(v, _cases(v, reviews))
    if stats["map"] is None:
        raise HTTPException(404, stats["map_error"] or stats["assoc_error"])
    svg = env.get_template("analysis/map_svg.html").render(
        _=v._, comap=stats["map"], points=stats["points"], width=MAP_WIDTH, height=MAP_HEIGHT,
        labels_of={d.name: d.label for d in _service(v).variables}, standalone=True)
    return Response(svg, media_type="image/svg+xml")


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


@router.post("/analysis/variables/{key}")
def code_variable(v: V, key: str, variable: Annotated[str, Form(max_length=200)] = "",
                  value: Annotated[str, Form(max_length=500)] = "",
                  action: Annotated[str, Form(max_length=20)] = "set",
                  next: Annotated[str, Form(max_length=2000)] = "",
                  csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    record = visible_review(v, key)  # a hidden review answers 404, like a missing one
    review_id = record.summary.review_id
    if not can_code(v.user, v.access(record.id)):
        v.storfa.accounts.audit(v.actor, "casevars.set", "review", review_id, allowed=False,
                                variable=variable)
        raise HTTPException(403, v._("Your role cannot code case variables."))
    service, actor, detail = _service(v), v.actor.name, v.actor.detail()
    if action == "confirm":
        service.confirm(review_id, variable, actor, value or None, detail)
    elif action == "reject":
        service.reject(review_id, variable, actor, value or None, detail)
    else:
        service.set_value(review_id, variable, value, actor, detail=detail)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/analysis/suggest")
def suggest_page(v: V, next: Annotated[str, Form(max_length=2000)] = "",
                 csrf_token: Annotated[str, Form()] = "") -> Response:
    """Suggest values for the selected reviews the visitor may code."""
    v.check_csrf(csrf_token)
    _, reviews, _ = review_selection(v)
    keys = [s.review_id for row, s in reviews if can_code(v.user, v.access(row))]
    if not keys:
        v.storfa.accounts.audit(v.actor, "casevars.suggest", "analysis", "-", allowed=False)
        raise HTTPException(403, v._("Your role cannot code case variables."))
    # Stored passage vectors only: embedding on the spot would keep a person
    # waiting seconds per review; `storfa analyse suggest` does that instead.
    _service(v).suggest(keys, v.actor.name, v.actor.detail(), embed_limit=0)
    return RedirectResponse(_safe_next(next), status_code=303)


# ------------------------------------------------------------------ quality
@router.get("/analysis/quality")
def quality_page(v: V, review: str = "") -> Response:
    filters, reviews, choices = review_selection(v)
    if review:
        record = visible_review(v, review)
        reviews = [(record.id, record.summary)]
    total = len(reviews)
    reviews = reviews[:QUALITY_LIMIT]
    result = quality(v.storfa.store, [s.review_id for _, s in reviews])
    return render(v, "analysis/quality.html", filters=filters, params=filters.params(),
                  choices=choices, result=result, single=review and reviews[0][1].review_id,
                  items=checklist(), capped=total if total > QUALITY_LIMIT else None)


# ------------------------------------------------------------------ exports
def _tabular(v: Visitor, name: str, reviews: list[tuple[int, ReviewSummary]]
             ) -> tuple[list[str], list[list[Cell]]]:
    summaries = [s for _, s in reviews]
    if name == "timeliness":
        docs = timeliness(summaries)["reviews"]
        measures = list(docs[0]["days"]) if docs else []
        return (["review_id", "type", "board", *measures, "timeline_period_days",
                 "completed_within_6_months", "timeline_within_12_months"],
                [[d["review_id"], d["type"], d["board"], *d["days"].values(),
                  d["timeline_period_days"], d["guidance"]["completed_within_6_months"],
                  d["guidance"]["timeline_within_12_months"]] for d in docs])
    if name == "quality":
        result = quality(v.storfa.store, [s.review_id for s in summaries[:QUALITY_LIMIT]])
        items = [i["name"] for i in result["items"]]
        return (["review_id", "score", "found", "total", *items],
                [[r["review_id"], r["score"], r["found"], r["total"],
                  *(r["items"][i]["found"] for i in items)] for r in result["reviews"]])
    if name == "associations":
        pairs = associations(binary_table(_cases(v, reviews))).pairs
        keys = ("a", "b", "phi", "p", "test", "n", "stars", "strength", "significant",
                "significant_bonferroni")
        return list(keys), [[p.as_json()[k] for k in keys] for p in pairs]
    raise HTTPException(404, v._("There is no such table to download."))


@router.get("/analysis/export/{name}.{fmt}")
def export(v: V, name: str, fmt: str) -> Response:
    if fmt not in FORMATS:
        raise HTTPException(404, v._("There is no such table to download."))
    _, reviews, _ = review_selection(v)
    service = _service(v)
    if name == "variables":
        table = coded_table(service.cases(reviews), meta=True)
        data = case_table_bytes(fmt, table, service.variables)
    elif fmt == "sav":
        raise HTTPException(404, v._("Only the case variables are exported to SPSS."))
    else:
        headers, rows = _tabular(v, name, reviews)
        data = table_bytes(fmt, name, headers, rows)
    v.storfa.accounts.audit(v.actor, "analysis.export", "analysis", name, format=fmt,
                            reviews=len(reviews))
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-{name}.{fmt}"'})
