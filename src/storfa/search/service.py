"""The search front: parse a query, run it, return hits with passages,
pages, sections, snippets and concordance lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import tantivy

from storfa.domain.errors import StorfaError
from storfa.search.compile_tantivy import QueryCompiler
from storfa.search.highlight import Matcher, kwic, snippet
from storfa.search.index_tantivy import SearchIndex
from storfa.search.query import ParsedQuery, QuerySyntaxError, parse_query
from storfa.storage.interface import Store

MODES = ("keyword", "semantic", "hybrid")
MAX_LIMIT = 1000


@dataclass
class SearchHit:
    review_id: str
    page: int
    section: str
    text: str
    snippet: str
    score: float
    passage_id: int
    title: str | None = None
    type: str | None = None
    board: str | None = None
    year: int | None = None
    start: int = 0
    highlights: list[tuple[int, int]] = field(default_factory=list)
    kwic: list[tuple[str, str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(h) for h in self.highlights]
        data["kwic"] = [{"left": a, "keyword": b, "right": c} for a, b, c in self.kwic]
        return data


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit]
    offset: int = 0
    mode: str = "keyword"

    def as_json(self) -> dict[str, Any]:
        return {"query": self.query, "mode": self.mode, "total": self.total,
                "offset": self.offset, "hits": [h.as_json() for h in self.hits]}


@dataclass
class TermCount:
    term: str
    passages: int
    reviews: int
    by_review: dict[str, int]
    by_type: dict[str, int]
    error: str | None = None


class SearchService:
    def __init__(self, store: Store, index: SearchIndex) -> None:
        self.store = store
        self.index = index

    def parse(self, text: str) -> ParsedQuery:
        try:
            return parse_query(text)
        except QuerySyntaxError as exc:
            where = f" (at character {exc.position + 1})" if exc.position >= 0 else ""
            hint = f" {exc.hint}" if exc.hint else ""
            raise StorfaError(f"Could not read the query{where}: {exc.message}.{hint}") from exc

    def _compile(self, parsed: ParsedQuery) -> tuple[tantivy.Searcher, tantivy.Query]:
        searcher = self.index.searcher()
        try:
            query = QueryCompiler(self.index.schema, searcher).compile(parsed)
        except ValueError as exc:  # e.g. a regex tantivy refuses
            raise StorfaError(f"Could not run the query: {exc}") from exc
        return searcher, query

    def search(self, text: str, limit: int = 10, offset: int = 0,
               mode: str = "keyword") -> SearchResults:
        if mode not in MODES:
            raise StorfaError(f"Unknown search mode {mode!r}; use one of {', '.join(MODES)}.")
        if mode != "keyword":
            raise StorfaError(
                f"{mode} search needs passage embeddings, which this version does not build "
                "yet; use --mode keyword."
            )
        limit = max(1, min(limit, MAX_LIMIT))
        parsed = self.parse(text)
        searcher, query = self._compile(parsed)
        result = searcher.search(query, limit, count=True, offset=max(0, offset))
        scored = [(score, searcher.doc(address)["pid"][0]) for score, address in result.hits]
        passages = self.store.passage_hits([pid for _, pid in scored])
        matcher = Matcher.from_node(parsed.node)
        hits = []
        for score, pid in scored:
            passage = passages.get(pid)
            if passage is None:  # index ahead of the database after a crash; skip
                continue
            spans = matcher.spans(passage.text)
            hits.append(SearchHit(
                review_id=passage.review_key, page=passage.page, section=passage.section,
                text=passage.text, snippet=snippet(passage.text, spans), score=round(score, 4),
                passage_id=pid, title=passage.title, type=passage.type, board=passage.board,
                year=passage.year, start=passage.start, highlights=spans,
                kwic=kwic(passage.text, spans),
            ))
        total = int(result.count or 0)  # type: ignore[attr-defined]  # missing from the stubs
        return SearchResults(query=text, total=total, hits=hits,
                             offset=offset, mode=mode)

    def count_terms(self, terms: list[str]) -> list[TermCount]:
        """One search per term: passages, reviews, and counts per review and type."""
        types = {r.review_id: (r.type or "unknown") for r in self.store.list_reviews()}
        rows = {row: key for key, row in self._review_rows().items()}
        out = []
        for term in terms:
            try:
                searcher, query = self._compile(self.parse(term))
            except StorfaError as exc:
                out.append(TermCount(term, 0, 0, {}, {}, error=str(exc)))
                continue
            agg = searcher.aggregate(
                query, {"r": {"terms": {"field": "rid", "size": 1_000_000}}})
            by_review: dict[str, int] = {}
            for bucket in agg["r"]["buckets"]:
                key = rows.get(int(bucket["key"]))
                if key:
                    by_review[key] = int(bucket["doc_count"])
            by_type: Counter[str] = Counter()
            for key, n in by_review.items():
                by_type[types.get(key, "unknown")] += n
            out.append(TermCount(term, sum(by_review.values()), len(by_review),
                                 dict(sorted(by_review.items())), dict(sorted(by_type.items()))))
        return out

    def _review_rows(self) -> dict[str, int]:
        return {key: row for row, key in self.store.review_keys().items()}
