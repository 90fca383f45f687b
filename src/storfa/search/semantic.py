"""Semantic and hybrid ranking for the search service.

Semantic: the query's embedding against every current passage vector
(cosine over an in-memory matrix, `vectors.VectorIndex`: an exact scan for
small stores, a PCA prefilter with an exact re-score of its candidates for
large ones), refreshed when the store's vectors change. Hybrid: reciprocal
rank fusion of the keyword engine's ranking and the semantic ranking.

Filters in the query (type:, board:, year:, lang:, review:, section:) and the
caller's `exclude` apply in both modes: the keyword engine answers the
filter-only query with the review rows (and, for passage-level filters, the
passages) that qualify, and everything else is masked out before ranking, so
excluded reviews never reach hits or totals.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storfa.domain.errors import N_, StorfaError
from storfa.search.embeddings import MODEL_NAME, Embedder, default_embedder
from storfa.search.engine import SearchEngine
from storfa.search.highlight import STOPWORDS
from storfa.search.query import MAX_QUERY_CHARS, And, Or, ParsedQuery, Term
from storfa.search.vectors import VectorIndex
from storfa.storage.interface import Store

RRF_K = 60  # the constant of Cormack, Clarke and Büttcher (2009)
# Below this cosine, all-MiniLM-L6-v2 pairs are unrelated text; such passages
# are neither shown nor counted.
MIN_COSINE = 0.15
HYBRID_DEPTH = 100  # hits taken from each ranking before fusing
PASSAGE_FILTERS = frozenset({"section"})  # filters on the passage, not its review
MAX_FILTER_PASSAGES = 1_000_000
NO_VECTORS = N_("search by meaning is not ready: no passage has been embedded yet")


class NoVectors(StorfaError):
    """Neutral, as pages show it too; the CLI adds the command that embeds."""


# A search by meaning given only filters, said per mode (the mode's name is
# a word of the sentence, so each is its own message).
_ONLY_FILTERS = {
    "semantic": N_("Semantic search needs words to compare by meaning, not only filters."),
    "hybrid": N_("Hybrid search needs words to compare by meaning, not only filters.")}
_ONLY_FILTERS_ANY = N_("{mode} search needs words to compare by meaning, not only filters.")

_FILTER = re.compile(
    r'(?<!\S)-?(?:type|year|board|theme|lang|language|review|section):'
    r'(?:"[^"]*"?|“[^”]*”?|\S*)', re.IGNORECASE)

Ranked = list[tuple[int, float]]


@dataclass(frozen=True)
class Lean:
    """A shift of a query's ranking by meaning, and what it favours."""

    scores: npt.NDArray[np.float32]  # added to each row's cosine, in index order
    towards: tuple[str, ...]  # what the shift favours, for people (e.g. code names)


@dataclass(frozen=True)
class Found:
    parsed: ParsedQuery | None  # None for a text too long for the query language
    total: int
    hits: Ranked  # (passage id, score) of the page, best first
    towards: tuple[str, ...] = ()  # what the ranking was shifted towards, if anything
    labels: dict[int, str] = field(default_factory=dict)  # by passage id (Reranker.labels)


class Reranker(Protocol):
    """Shifts a query's ranking by meaning (storfa.coding.practice_rank)."""

    def bias(self, query: str, vector: npt.NDArray[np.float32],
             index: VectorIndex) -> Lean | None:
        """A score for every row (not the nearest few: the passages a bias
        lifts are often phrased unlike the query), or None to rank by cosine
        alone."""

    def labels(self, index: VectorIndex, ids: Sequence[int]) -> dict[int, str]:
        """For hits of a shifted ranking: what each one is, where that explains
        its place (e.g. the code of an example of good practice)."""


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> Ranked:
    """Fuse rankings (ids, best first): score = Σ 1 / (k + rank), rank from 1.

    Ties go to the id with the better single rank, then the smaller id, so the
    order is total and repeatable."""
    scores: dict[int, float] = {}
    best: dict[int, int] = {}
    for ranking in rankings:
        for rank, pid in enumerate(dict.fromkeys(ranking), start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank)
            best[pid] = min(best.get(pid, rank), rank)
    return sorted(scores.items(), key=lambda item: (-item[1], best[item[0]], item[0]))


def embedding_text(text: str) -> str:
    """The query without its filters: `board:"North Wales"` is not meaning to match."""
    return " ".join(_FILTER.sub(" ", text).split())


def loosened(parsed: ParsedQuery) -> ParsedQuery:
    """A plain-language question as the keyword half of hybrid search: any of
    its content words, ranked by BM25, instead of all of them — a question of
    twelve words rarely has every word in one passage. Queries that use the
    query language (phrases, OR, NOT, NEAR, prefixes) are kept as written."""
    node = parsed.node
    if not isinstance(node, And) or not all(isinstance(i, Term) for i in node.items):
        return parsed
    content = tuple(i for i in node.items
                    if isinstance(i, Term) and i.token not in STOPWORDS)
    if len(content) < 2:
        return parsed
    return replace(parsed, node=Or(content))


class SemanticSearch:
    def __init__(self, store: Store, engine: SearchEngine,
                 parse: Callable[[str], ParsedQuery],
                 embedder: Callable[[], Embedder] = default_embedder,
                 reranker: Reranker | None = None) -> None:
        self.store = store
        self.reranker = reranker
        self.engine = engine
        self.parse = parse
        self.embedder = embedder
        self.model = MODEL_NAME
        self._index: VectorIndex | None = None
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()  # the web app answers from several threads

    def index(self) -> VectorIndex:
        """The vector matrix, reloaded only when the store's vectors changed."""
        stamp = self.store.vectors_stamp(self.model)
        with self._lock:
            if self._index is None or stamp != self._stamp:
                index = VectorIndex(self.store, self.model)
                index.load()
                self._index, self._stamp = index, stamp
            index = self._index
        if not len(index.ids):
            raise NoVectors(NO_VECTORS)
        return index

    def search(self, text: str, mode: str, limit: int, offset: int,
               exclude: Collection[int] = ()) -> Found:
        """The page of hits, with the parsed query and the total."""
        if not text.strip():
            raise StorfaError(N_("Type some words to search for."))
        # A text too long for the query language (a pasted paragraph) is taken
        # as meaning only: its start is embedded and no filters are read.
        parsed = self.parse(text) if len(text) <= MAX_QUERY_CHARS else None
        words = embedding_text(text)
        if not words:
            raise StorfaError(_ONLY_FILTERS.get(mode, _ONLY_FILTERS_ANY), mode=mode.capitalize())
        index = self.index()
        mask = self._mask(index, parsed, exclude)
        query = self.embedder().embed([words])[0]
        lean = None if self.reranker is None else self.reranker.bias(words, query, index)
        bias = None if lean is None else lean.scores
        towards = () if lean is None else lean.towards
        if mode == "semantic":
            found = index.search(query, offset + limit, mask, MIN_COSINE, bias=bias)
            page = found.hits[offset:offset + limit]
            return Found(parsed, found.related, page, towards, self._labels(lean, index, page))
        depth = max(HYBRID_DEPTH, offset + limit)
        semantic = [pid for pid, _ in index.search(query, depth, mask, MIN_COSINE,
                                                   bias=bias).hits]
        keyword: list[int] = []
        if parsed is not None:
            wording = loosened(parsed)
            keyword = [pid for pid, _ in self.engine.search(wording, depth, 0, exclude)[1]]
        fused = reciprocal_rank_fusion([keyword, semantic])
        page = fused[offset:offset + limit]
        return Found(parsed, len(fused), page, towards, self._labels(lean, index, page))

    def _labels(self, lean: Lean | None, index: VectorIndex, page: Ranked) -> dict[int, str]:
        if lean is None or self.reranker is None or not page:
            return {}
        return self.reranker.labels(index, [pid for pid, _ in page])

    def _mask(self, index: VectorIndex, parsed: ParsedQuery | None,
              exclude: Collection[int]) -> npt.NDArray[np.bool_] | None:
        if parsed is None or not parsed.filters:
            return index.review_mask(None, exclude)
        only = ParsedQuery(None, parsed.filters, parsed.text)
        per_review = self.engine.count_by_review(only, exclude)
        mask = index.review_mask(per_review.keys(), exclude)
        if mask is not None and any(f.field in PASSAGE_FILTERS for f in parsed.filters):
            wanted = min(MAX_FILTER_PASSAGES, sum(per_review.values()))
            _, hits = self.engine.search(only, max(1, wanted), 0, exclude)
            mask &= np.isin(index.ids, np.fromiter((pid for pid, _ in hits), dtype=np.int64))
        return mask
