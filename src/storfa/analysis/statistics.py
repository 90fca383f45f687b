"""The statistics over a selection of reviews' case variables, and the
analysis tables to download: one home for what the analysis page, its
downloads and the JSON API (/api/v1/analysis) show.

The callers choose the reviews (the visitor's visible ones, narrowed by the
filters); nothing here knows who is asking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storfa.analysis.associations import Associations, associations
from storfa.analysis.casevars import (
    META_COLUMNS,
    Cases,
    CaseVariableService,
    NothingCoded,
    binary_table,
    coded_table,
    coded_variables,
)
from storfa.analysis.descriptive import FrequencyTable, table_frequencies
from storfa.analysis.export import FORMATS, case_table_bytes
from storfa.analysis.mds import CoMap, co_occurrence_map
from storfa.analysis.quality import quality
from storfa.analysis.tables import Cell, table_bytes
from storfa.analysis.timeliness import timeliness
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import ReviewSummary
from storfa.storage.interface import Store

# The checklist reads every passage (about half a second per review) the
# first time; later views read the stored result (analysis.quality), but a
# request still covers at most this many; `storfa analyse quality` does any
# number (and stores what it works out, so pages that follow read it).
QUALITY_LIMIT = 100
TABLES = ("variables", "timeliness", "quality", "associations")
# What frequency tables may be split by: the review columns of the case table.
GROUPINGS = META_COLUMNS


class NoSuchTable(StorfaError):
    """A download that does not exist (a name, or a format for that name)."""


@dataclass(frozen=True)
class CaseStatistics:
    """The associations and the co-occurrence map of the coded reviews, or why
    not: nothing coded yet (`nothing_coded`, the reviews selected), or an
    error for either (too few variables, no variation)."""

    associations: Associations | None = None
    comap: CoMap | None = None
    nothing_coded: int | None = None
    associations_error: StorfaError | None = None
    map_error: StorfaError | None = None


def case_statistics(cases: Cases) -> CaseStatistics:
    try:
        table = binary_table(cases)
    except NothingCoded as exc:  # each front end offers its own way on
        return CaseStatistics(nothing_coded=exc.selected)
    except StorfaError as exc:
        return CaseStatistics(associations_error=exc)
    result = associations(table)
    try:
        comap = co_occurrence_map(table, found=result)
    except StorfaError as exc:
        return CaseStatistics(result, map_error=exc)
    return CaseStatistics(result, comap)


def map_png(comap: CoMap) -> bytes:
    """The map drawn by matplotlib (mds.plot) as PNG bytes."""
    import tempfile
    from pathlib import Path

    from storfa.analysis.mds import plot

    with tempfile.TemporaryDirectory(prefix="storfa-map-") as folder:
        path = Path(folder) / "map.png"
        plot(comap, path)
        return path.read_bytes()


def case_frequencies(cases: Cases, by: str | None = None
                     ) -> list[FrequencyTable]:
    """A frequency table per coded variable, labelled, split by a review
    column (one of GROUPINGS) or not."""
    names = coded_variables(cases)
    if not names:
        return []
    return table_frequencies(coded_table(cases, names, labels=True, meta=True), names, by)


def selection_quality(store: Store, reviews: Sequence[tuple[int, ReviewSummary]]
                      ) -> tuple[dict[str, Any], int | None]:
    """The quality checklist over the first QUALITY_LIMIT reviews, and the
    number selected when that cut some off (else None)."""
    result = quality(store, [s.review_id for _, s in reviews[:QUALITY_LIMIT]])
    return result, len(reviews) if len(reviews) > QUALITY_LIMIT else None


def _tabular(store: Store, service: CaseVariableService, name: str,
             reviews: Sequence[tuple[int, ReviewSummary]]) -> tuple[list[str], list[list[Cell]]]:
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
        result = quality(store, [s.review_id for s in summaries[:QUALITY_LIMIT]])
        items = [i["name"] for i in result["items"]]
        return (["review_id", "score", "found", "total", *items],
                [[r["review_id"], r["score"], r["found"], r["total"],
                  *(r["items"][i]["found"] for i in items)] for r in result["reviews"]])
    if name == "associations":
        pairs = associations(binary_table(service.codes(reviews))).pairs
        keys = ("a", "b", "phi", "p", "test", "n", "stars", "strength", "significant",
                "significant_bonferroni")
        return list(keys), [[p.as_json()[k] for k in keys] for p in pairs]
    raise NoSuchTable(N_("There is no such table to download."))


def download_table(store: Store, service: CaseVariableService, name: str, fmt: str,
                   reviews: Sequence[tuple[int, ReviewSummary]]) -> bytes:
    """One analysis table of these reviews as CSV, XLSX or (the case variables
    only) SPSS .sav."""
    if fmt not in FORMATS or name not in TABLES:
        raise NoSuchTable(N_("There is no such table to download."))
    if name == "variables":
        table = coded_table(service.codes(reviews), meta=True)
        return case_table_bytes(fmt, table, service.variables)
    if fmt == "sav":
        raise NoSuchTable(N_("Only the case variables are exported to SPSS."))
    headers, rows = _tabular(store, service, name, reviews)
    return table_bytes(fmt, name, headers, rows)
