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
    """Review rows → summaries, refreshed at most every `ttl` seconds."""

    def __init__(self, store: Store, ttl: float = 5.0) -> None:
        self.store = store
        self.ttl = ttl
        self._lock = threading.Lock()
        self._loaded = 0.0
        self._by_row: dict[int, ReviewSummary] = {}

    def by_row(self) -> dict[int, ReviewSummary]:
        with self._lock:
            if time.monotonic() - self._loaded > self.ttl:
                keys = {key: row for row, key in self.store.review_keys().items()}
                self._by_row = {keys[s.review_id]: s for s in self.store.list_reviews()
                                if s.review_id in keys}
                self._loaded = time.monotonic()
            return self._by_row

    def invalidate(self) -> None:
        with self._lock:
            self._loaded = 0.0


def facet_of(summary: ReviewSummary, name: str) -> str:
    value = {"type": summary.type, "board": summary.board, "year": summary.year,
             "lang": summary.language}[name]
    return str(value) if value not in (None, "") else ""


def count_facets(engine: SearchEngine, catalogue: ReviewCatalogue, parsed: ParsedQuery,
                 exclude: Collection[int] = ()) -> dict[str, list[FacetValue]]:
    per_review = engine.count_by_review(parsed, exclude)
    reviews = catalogue.by_row()
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        review_counts: Counter[str] = Counter()
        passage_counts: Counter[str] = Counter()
        for row, n in per_review.items():
            summary = reviews.get(row)
            if summary is None or row in exclude:
                continue
            value = facet_of(summary, name)
            review_counts[value] += 1
            passage_counts[value] += n
        ordered = (sorted(review_counts, reverse=True) if name == "year"
                   else sorted(review_counts, key=lambda v: (-review_counts[v], v)))
        out[name] = [FacetValue(v, review_counts[v], passage_counts[v]) for v in ordered]
    return out
