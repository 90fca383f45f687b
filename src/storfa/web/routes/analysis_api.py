"""The analysis part of the JSON API (/api/v1/analysis/...): what the
analysis pages show and do (web.routes.analysis), through the same functions
and the same checks: frequencies, associations, the co-occurrence map (JSON,
SVG, PNG), timeliness, the quality checklist, the downloads, the case-variable
grid with suggest and decide, and agreement between two coders
(/api/v1/coding/{codebook}/agreement, `storfa code agreement`).

Everything works over the reviews the caller may see, narrowed by the same
filters as the pages (type, board, year_from, year_to): a hidden review is
never in a grid, a count, a statistic or a download, and naming one is 404.
Reading needs no account where the page needs none; coding needs the coder
role on the review (storfa.accounts.policy.can_code), audited as the page is."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from storfa.accounts.policy import can_code
from storfa.analysis.casevars import ReviewCase, VariableState
from storfa.analysis.export import FORMATS, MEDIA_TYPES
from storfa.analysis.statistics import (
    GROUPINGS,
    QUALITY_LIMIT,
    TABLES,
    NoSuchTable,
    case_frequencies,
    case_statistics,
    download_table,
    map_png,
    selection_quality,
)
from storfa.analysis.timeliness import timeliness
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import ReviewSummary
from storfa.web.context import Visitor
from storfa.web.guard import visible_review
from storfa.web.params import file_responses
from storfa.web.published import published
from storfa.web.routes.analysis import (
    _service,
    codable_review,
    map_svg_text,
    review_selection,
    selection_map,
    suggest_selected,
)
from storfa.web.routes.api import PROBLEMS, V, _signed_in
from storfa.web.routes.coding import _book, _codable_reviews, _require_coder
from storfa.web.routes.coding import _service as _coding

router = APIRouter(responses=PROBLEMS)
Key = Annotated[str, Path(max_length=200, description="A review id, e.g. CPR2017-W01")]
Year = Annotated[int | None, Query(ge=1900, le=2999, description="Reviews of this year on")]
Selected = list[tuple[int, ReviewSummary]]


def _selected(v: V, type: Annotated[str, Query(max_length=100)] = "",
              board: Annotated[str, Query(max_length=200)] = "",
              year_from: Year = None,
              year_to: Annotated[int | None, Query(ge=1900, le=2999)] = None) -> Selected:
    """The visible reviews the filters select, in the pages' order. The
    page's own selection reads the same query parameters (declared here for
    the OpenAPI document and validation)."""
    del type, board, year_from, year_to  # read from the query by review_selection
    return review_selection(v)[1]


Reviews = Annotated[Selected, Depends(_selected)]


class CaseDecision(BaseModel):
    variable: str = Field(max_length=200, description="A variable's name, e.g. neglect")
    action: Literal["set", "confirm", "reject"] = Field(
        "set", description="Set a value, or confirm or reject a suggestion.")
    value: str = Field("", max_length=500, description=(
        "The value to set (present / not_known, or a category); for confirm and reject, "
        "which suggestion when there are several."))


class Suggest(BaseModel):
    reviews: list[str] | None = Field(
        None, max_length=5000, description="Review ids; default: every selected review "
        "you may code.")


# ---------------------------------------------------------------- statistics
@router.get("/analysis/frequencies", tags=["analysis"])
def frequencies(v: V, reviews: Reviews,
                by: Literal["type", "board", "year", "variant"] | None = None
                ) -> dict[str, Any]:
    """A frequency table per coded case variable (as the analysis page), split
    by a review column when `by` is given."""
    assert by is None or by in GROUPINGS
    cases = _service(v).codes(reviews)
    return {"reviews": len(reviews), "coded": cases.coded_reviews, "by": by,
            "frequencies": [t.as_json() for t in case_frequencies(cases, by)]}


@router.get("/analysis/associations", tags=["analysis"])
def associations(v: V, reviews: Reviews) -> dict[str, Any]:
    """Phi, p and significance for each pair of coded binary variables; or why
    there are none (`nothing_coded`: no selected review is coded yet)."""
    found = case_statistics(_service(v).codes(reviews))
    return {"reviews": len(reviews), "nothing_coded": found.nothing_coded,
            "error": v.error(found.associations_error) if found.associations_error else None,
            "associations": found.associations.as_json() if found.associations else None}


@router.get("/analysis/map", tags=["analysis"])
def co_occurrence_map(v: V, reviews: Reviews) -> dict[str, Any]:
    """The co-occurrence map's coordinates and stress (JSON); 404 when there
    is no map for this selection, saying why."""
    return {"reviews": len(reviews), **selection_map(v, reviews).as_json()}


@router.get("/analysis/map.svg", tags=["analysis"], response_class=Response,
            responses=file_responses("image/svg+xml"))
def map_svg(v: V, reviews: Reviews) -> Response:
    """The map as the analysis page draws it."""
    return Response(map_svg_text(v, selection_map(v, reviews)), media_type="image/svg+xml")


@router.get("/analysis/map.png", tags=["analysis"], response_class=Response,
            responses=file_responses("image/png"))
def map_png_file(v: V, reviews: Reviews) -> Response:
    """The map drawn as a PNG picture (as `storfa analyse map --out map.png`)."""
    return Response(map_png(selection_map(v, reviews)), media_type="image/png")


@router.get("/analysis/timeliness", tags=["analysis"])
def timeliness_figures(reviews: Reviews) -> dict[str, Any]:
    """Days between a review's dates, against the guidance (per review, in
    summary, by board and by type; `storfa analyse timeliness --json`)."""
    return timeliness(s for _, s in reviews)


@router.get("/analysis/quality", tags=["analysis"])
def quality(v: V, reviews: Reviews,
            review: Annotated[str, Query(max_length=200)] = "") -> dict[str, Any]:
    """The quality checklist for one review or the selection (at most
    QUALITY_LIMIT reviews a request; `capped` says how many were selected)."""
    if review:
        record = visible_review(v, review)
        reviews = [(record.id, record.summary)]
    result, capped = selection_quality(v.storfa.store, reviews)
    return {**result, "limit": QUALITY_LIMIT, "capped": capped}


@router.get("/analysis/export/{name}.{fmt}", tags=["analysis"], response_class=Response,
            responses=file_responses(*(MEDIA_TYPES[f] for f in FORMATS)))
def export(v: V, reviews: Reviews, name: Literal["variables", "timeliness", "quality",
                                                 "associations"],
           fmt: Literal["csv", "xlsx", "sav"]) -> Response:
    """An analysis table as CSV, XLSX or (the case variables only) SPSS .sav;
    audited, as the page's downloads."""
    assert name in TABLES and fmt in FORMATS
    try:
        data = download_table(v.storfa.store, _service(v), name, fmt, reviews)
    except NoSuchTable as exc:
        raise HTTPException(404, v.error(exc)) from exc
    except StorfaError as exc:  # e.g. associations with nothing coded
        raise HTTPException(400, v.error(exc)) from exc
    v.storfa.accounts.audit(v.actor, "analysis.export", "analysis", name, format=fmt,
                            reviews=len(reviews))
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-{name}.{fmt}"'})


# ------------------------------------------------------------ case variables
def _state_json(state: VariableState) -> dict[str, Any]:
    return {"code": state.code, "label": state.label,
            "decision": state.decision.as_json() if state.decision else None,
            "suggestions": [{**s.as_json(), "state": state.suggestion_state(s)}
                            for s in state.suggestions]}


def _case_json(v: Visitor, case: ReviewCase, names: set[str]) -> dict[str, Any]:
    return {"review_id": case.summary.review_id, "coded": case.coded,
            "may_code": can_code(v.user, v.access(case.row)),
            "variables": {name: _state_json(state) for name, state in case.states.items()
                          if name in names}}


@router.get("/analysis/variables", tags=["case variables"])
def variables(v: V, reviews: Reviews,
              group: Annotated[str, Query(max_length=100)] = "",
              review: Annotated[str, Query(max_length=200)] = "",
              limit: Annotated[int, Query(ge=1, le=500)] = 20,
              offset: Annotated[int, Query(ge=0, le=10**6)] = 0) -> dict[str, Any]:
    """The case-variable grid: each review's variables (of one group, or all)
    with the current decision and the suggestions with their evidence."""
    service = _service(v)
    if group and group not in service.groups():
        raise HTTPException(404, v._("There is no such group of variables."))
    if review:
        record = visible_review(v, review)
        reviews = [(record.id, record.summary)]
    shown = [d for d in service.variables if not group or d.group == group]
    names = {d.name for d in shown}
    cases = service.cases(reviews[offset:offset + limit])
    return {"total": len(reviews), "groups": service.groups(), "variables": [
        {"name": d.name, "label": d.label, "group": d.group, "type": d.type,
         "categories": [c.value for c in d.categories]} for d in shown],
        "reviews": [_case_json(v, c, names) for c in cases]}


@router.post("/analysis/variables/{key}", tags=["case variables"])
def decide(v: V, key: Key, body: CaseDecision) -> dict[str, Any]:
    """Set a case variable, or confirm or reject its suggestion, as the grid's
    buttons do (audited); returns the decision stored."""
    _signed_in(v)
    record = codable_review(v, key, body.variable)
    try:
        done = _service(v).decide(record.summary.review_id, body.variable, body.action,
                                  body.value, v.actor.name, v.actor.detail())
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return {"review_id": record.summary.review_id, **done.as_json()}


@router.post("/analysis/suggest", tags=["case variables"])
def suggest(v: V, reviews: Reviews, body: Suggest) -> dict[str, Any]:
    """Suggest case-variable values from the text of the selected reviews you
    may code (stored as suggestions, never as decisions; audited)."""
    _signed_in(v)
    if body.reviews is not None:
        wanted = {visible_review(v, key).summary.review_id for key in body.reviews}
        reviews = [(row, s) for row, s in reviews if s.review_id in wanted]
    keys, found = suggest_selected(v, reviews)
    return {"reviews": keys, "suggestions": found}


# ------------------------------------------------------------------ agreement
@router.get("/coding/{codebook}/agreement", tags=["coding"])
def agreement(v: V, codebook: Annotated[str, Path(max_length=100)],
              coder_a: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
              coder_b: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
              code: Annotated[str, Query(max_length=300)] = "") -> dict[str, Any]:
    """Agreement of two coders' accepted codings, per code, over the passages
    of the reviews both coded and you may code: Cohen's kappa, Krippendorff's
    alpha, percent agreement and kappa's band; the same pooled over the codes
    either used; the passages they coded differently (only those involving
    `code`, when given); and the coders to choose from. Name both coders or
    neither (then the two who coded most reviews in common). What the
    agreement page shows (`storfa code agreement --json`)."""
    _signed_in(v)
    _require_coder(v)
    book = _book(v, codebook)
    _, codable, _ = _codable_reviews(v)
    try:
        report = _coding(v).agreement_report(book.name, coder_a, coder_b,
                                             rows={row for row, _ in codable}, code=code)
    except StorfaError as exc:
        raise HTTPException(400, v.error(exc)) from exc
    return published(v).agreement(report).as_json()

