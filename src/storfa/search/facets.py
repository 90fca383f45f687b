"""Facet counts for a search: how many matching reviews per type, board,
year and language, leaving out the reviews the searcher may not see.

The engine counts matching passages per review row; the review attributes
come from a short-lived in-memory catalogue, so facets cost one aggregation
and no per-request scan of the reviews table."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from storfa.domain.reviews import ReviewSummary
from storfa.search.engine import SearchEngine
from storfa.search.query import ParsedQuery
from storfa.storage.interface import Store

FACETS = ("type", "board", "year", "lang")


@dataclass(frozen=True)
class FacetValue:
    value: str
    reviews: int
    passages: int


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
        self._facets: dict[int, tuple[str, ...]] = {}

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
            self._facets = {row: tuple(facet_of(s, name) for name in FACETS)
                            for row, s in self._by_row.items()}

    def by_row(self) -> dict[int, ReviewSummary]:
        with self._lock:
            self._refresh()
            return self._by_row

    def facet_values(self) -> dict[int, tuple[str, ...]]:
        """Each review row's (type, board, year, lang), in FACETS order."""
        with self._lock:
            self._refresh()
            return self._facets

    def invalidate(self) -> None:
        with self._lock:
            self._loaded, self._stamp = 0.0, -1


def facet_of(summary: ReviewSummary, name: str) -> str:
    value = {"type": summary.type, "board": summary.board, "year": summary.year,
             "lang": summary.language}[name]
    return str(value) if value not in (None, "") else ""


def count_facets(engine: SearchEngine, catalogue: ReviewCatalogue, parsed: ParsedQuery,
                 exclude: Collection[int] = ()) -> dict[str, list[FacetValue]]:
    per_review = engine.count_by_review(parsed, exclude)
    values = catalogue.facet_values()
    review_counts: list[Counter[str]] = [Counter() for _ in FACETS]
    passage_counts: list[Counter[str]] = [Counter() for _ in FACETS]
    for row, n in per_review.items():
        facets = values.get(row)
        if facets is None or row in exclude:
            continue
        for i, value in enumerate(facets):
            review_counts[i][value] += 1
            passage_counts[i][value] += n
    return {name: facet_list(name, review_counts[i], passage_counts[i])
            for i, name in enumerate(FACETS)}


def facet_list(name: str, reviews: Counter[str],
               passages: Counter[str] | None = None) -> list[FacetValue]:
    """Values newest year first, else most reviews first (then by name)."""
    ordered = (sorted(reviews, reverse=True) if name == "year"
               else sorted(reviews, key=lambda v: (-reviews[v], v)))
    return [FacetValue(v, reviews[v], passages[v] if passages else 0) for v in ordered]
