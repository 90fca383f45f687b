"""Facet counts for a search: how many matching reviews per type, board,
year and language, leaving out the reviews the searcher may not see.

The engine counts matching passages per review row; the review attributes
come from a short-lived in-memory catalogue, so facets cost one aggregation
and no per-request scan of the reviews table. The catalogue keeps each
facet's values as small integers in one array indexed by review row, so a
request's counting is a few array operations: counting the matches of
"police" over 2,500 reviews in a Python loop was over a third of the search
page's time (docs/performance.md, "Search at 2,500 and 1.5 M passages")."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storfa.domain.reviews import ReviewSummary
from storfa.search.engine import SearchEngine
from storfa.search.query import ParsedQuery
from storfa.storage.interface import Store

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FACETS = ("type", "board", "year", "lang")


@dataclass(frozen=True)
class FacetValue:
    value: str
    reviews: int
    passages: int


@dataclass(frozen=True)
class FacetTable:
    """codes[i, row]: the index in labels[i] of review row's value of
    FACETS[i], or -1 for a row that is not a stored review."""

    codes: npt.NDArray[np.int64]
    labels: tuple[tuple[str, ...], ...]

    @classmethod
    def build(cls, by_row: dict[int, ReviewSummary]) -> FacetTable:
        import numpy as np  # not at import: `storfa` commands start without numpy

        size = max(by_row, default=-1) + 1
        codes = np.full((len(FACETS), size), -1, dtype=np.int64)
        labels: list[tuple[str, ...]] = []
        for i, name in enumerate(FACETS):
            index: dict[str, int] = {}
            for row, summary in by_row.items():
                codes[i, row] = index.setdefault(facet_of(summary, name), len(index))
            labels.append(tuple(index))
        return cls(codes, tuple(labels))


class ReviewCatalogue:
    """Review rows → summaries, reloaded when the data changes (looked at no
    more than every `ttl` seconds, so a burst of searches costs one query)."""

    def __init__(self, store: Store, ttl: float = 1.0) -> None:
        self.store = store
        self.ttl = ttl
        self._lock = threading.Lock()
        self._loaded = 0.0
        self._stamp = -1
        self._by_row: dict[int, ReviewSummary] = {}
        self._facets: FacetTable | None = None

    def _refresh(self) -> None:
        if time.monotonic() - self._loaded <= self.ttl:
            return
        self._loaded = time.monotonic()
        stamp = self.store.data_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            keys = {key: row for row, key in self.store.review_keys().items()}
            self._by_row = {keys[s.review_id]: s for s in self.store.list_reviews()
                            if s.review_id in keys}
            self._facets = None  # built on the first facet count after a change

    def by_row(self) -> dict[int, ReviewSummary]:
        with self._lock:
            self._refresh()
            return self._by_row

    def facet_table(self) -> FacetTable:
        with self._lock:
            self._refresh()
            if self._facets is None:
                self._facets = FacetTable.build(self._by_row)
            return self._facets

    def invalidate(self) -> None:
        with self._lock:
            self._loaded, self._stamp = 0.0, -1


def facet_of(summary: ReviewSummary, name: str) -> str:
    value = {"type": summary.type, "board": summary.board, "year": summary.year,
             "lang": summary.language}[name]
    return str(value) if value not in (None, "") else ""


def count_facets(engine: SearchEngine, catalogue: ReviewCatalogue, parsed: ParsedQuery,
                 exclude: Collection[int] = (),
                 counted: dict[int, int] | None = None) -> dict[str, list[FacetValue]]:
    """`counted`: the engine's matches per review row for this very query and
    `exclude`, when the search already asked for them (SearchResults.review_counts)."""
    import numpy as np

    per_review = engine.count_by_review(parsed, exclude) if counted is None else counted
    table = catalogue.facet_table()
    rows = np.fromiter(per_review.keys(), dtype=np.int64, count=len(per_review))
    passages = np.fromiter(per_review.values(), dtype=np.int64, count=len(per_review))
    # Rows the catalogue does not hold yet (the index ahead of it) are left out.
    keep = (rows >= 0) & (rows < table.codes.shape[1])
    rows, passages = rows[keep], passages[keep]
    codes = table.codes[:, rows]
    keep = codes[0] >= 0
    if exclude:
        keep &= ~np.isin(rows, np.fromiter(exclude, dtype=np.int64, count=len(exclude)))
    codes, passages = codes[:, keep], passages[keep]
    result = {}
    for i, name in enumerate(FACETS):
        labels = table.labels[i]
        reviews = np.bincount(codes[i], minlength=len(labels))
        weighted = np.bincount(codes[i], weights=passages, minlength=len(labels))
        found = np.flatnonzero(reviews).tolist()
        result[name] = facet_list(name, Counter({labels[j]: int(reviews[j]) for j in found}),
                                  Counter({labels[j]: int(weighted[j]) for j in found}))
    return result


def facet_list(name: str, reviews: Counter[str],
               passages: Counter[str] | None = None) -> list[FacetValue]:
    """Values newest year first, else most reviews first (then by name)."""
    ordered = (sorted(reviews, reverse=True) if name == "year"
               else sorted(reviews, key=lambda v: (-reviews[v], v)))
    return [FacetValue(v, reviews[v], passages[v] if passages else 0) for v in ordered]
