"""The search front: parse a query, run it on the configured engine, return
hits with passages, pages, sections, snippets and concordance lines.

Engine-independent: the engine (search/engine.py) only finds and ranks
passage ids; hits are hydrated from the database and marked by highlight.py,
so Tantivy and PostgreSQL full-text search show identical snippets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from storfa.domain.errors import N_, StorfaError
from storfa.search.engine import Order, SearchEngine
from storfa.search.highlight import STOPWORDS, Matcher, kwic, snippet
from storfa.search.query import ParsedQuery, QuerySyntaxError, parse_query
from storfa.storage.interface import Store

if TYPE_CHECKING:
    from storfa.search.semantic import Reranker, SemanticSearch

MODES = ("keyword", "semantic", "hybrid")


class UnreadableQuery(StorfaError):
    """The parser's refusal said with where it happened. Its parts are looked
    up apart (the frame here, the parser's message and hint where they are
    raised), so a page says all of it in its own language."""

    def __init__(self, cause: QuerySyntaxError) -> None:
        self.cause = cause
        super().__init__(self.translated(lambda text: text))

    def translated(self, gettext: Callable[[str], str]) -> str:
        cause = self.cause
        # Without its hint, and without its own full stop: the frame ends the sentence.
        message = super(QuerySyntaxError, cause).translated(gettext).rstrip(".")
        hint = f" {gettext(cause.hint)}" if cause.hint else ""
        if cause.position >= 0:
            said = gettext(N_("Could not read the query (at character {n}): {message}"))
            return said.format(n=cause.position + 1, message=message) + "." + hint
        said = gettext(N_("Could not read the query: {message}"))
        return said.format(message=message) + "." + hint


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
    # When a question about practice was ranked towards its examples: the
    # code of this hit, if the classifier reads it as an example of good practice.
    practice_code: str | None = None

    def as_json(self) -> dict[str, Any]:
        # Field by field: dataclasses.asdict's deep copy was an eighth of the
        # search API's CPU (docs/performance.md).
        return {
            "review_id": self.review_id, "page": self.page, "section": self.section,
            "text": self.text, "snippet": self.snippet, "score": self.score,
            "passage_id": self.passage_id, "title": self.title, "type": self.type,
            "board": self.board, "year": self.year, "start": self.start,
            "highlights": [list(h) for h in self.highlights],
            "kwic": [{"left": a, "keyword": b, "right": c} for a, b, c in self.kwic],
            "practice_code": self.practice_code,
        }


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit]
    offset: int = 0
    mode: str = "keyword"
    # By meaning: the best-practice codes a question about practice was ranked
    # towards (storfa.coding.practice_rank); empty when ranked by cosine alone.
    ranked_towards: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = {"query": self.query, "mode": self.mode, "total": self.total,
                "offset": self.offset, "hits": [h.as_json() for h in self.hits]}
        if self.mode != "keyword":
            data["ranked_towards"] = list(self.ranked_towards)
        return data


@dataclass
class TermCount:
    term: str
    passages: int
    reviews: int
    by_review: dict[str, int]
    by_type: dict[str, int]
    error: str | None = None


class SearchService:
    def __init__(self, store: Store, engine: SearchEngine,
                 reranker: Reranker | None = None,
                 make_reranker: Callable[[], Reranker] | None = None) -> None:
        """`make_reranker` builds the reranker when search by meaning is first
        used: the practice ranker loads numpy and the classifier, which a
        keyword search (e.g. one `storfa search`) should not wait for."""
        self.store = store
        self.engine = engine
        self.reranker = reranker
        self.make_reranker = make_reranker

    @cached_property
    def semantic(self) -> SemanticSearch:
        from storfa.search.semantic import SemanticSearch

        if self.reranker is None and self.make_reranker is not None:
            self.reranker = self.make_reranker()
        return SemanticSearch(self.store, self.engine, self.parse, reranker=self.reranker)

    def parse(self, text: str) -> ParsedQuery:
        try:
            return parse_query(text)
        except QuerySyntaxError as exc:
            raise UnreadableQuery(exc) from exc

    def search(self, text: str, limit: int = 10, offset: int = 0,
               mode: str = "keyword", exclude: Collection[int] = (),
               order: Order = "relevance") -> SearchResults:
        """`exclude` holds the review rows the caller may not see (accounts/policy.py)."""
        if mode not in MODES:
            raise StorfaError(N_("Unknown search mode {mode!r}; use one of {modes}."), mode=mode,
                              modes=", ".join(MODES))
        limit = max(1, min(limit, MAX_LIMIT))
        parsed: ParsedQuery | None
        towards: tuple[str, ...] = ()
        labels: dict[int, str] = {}
        if mode == "keyword":
            parsed = self.parse(text)
            total, scored = self.engine.search(parsed, limit, max(0, offset), exclude, order)
        else:  # by meaning; `order` does not apply (search/semantic.py)
            found = self.semantic.search(text, mode, limit, max(0, offset), exclude)
            parsed, total, scored = found.parsed, found.total, found.hits
            towards, labels = found.towards, found.labels
        passages = self.store.passage_hits([pid for pid, _ in scored])
        matcher = Matcher.from_node(parsed.node if parsed else None)
        if mode != "keyword":  # a question's "the" and "was" are not what matched
            matcher = matcher.without(STOPWORDS)
        hits = []
        for pid, score in scored:
            passage = passages.get(pid)
            if passage is None:  # index ahead of the database after a crash; skip
                continue
            spans = matcher.spans(passage.text)
            hits.append(SearchHit(
                review_id=passage.review_key, page=passage.page, section=passage.section,
                text=passage.text, snippet=snippet(passage.text, spans), score=round(score, 4),
                passage_id=pid, title=passage.title, type=passage.type, board=passage.board,
                year=passage.year, start=passage.start, highlights=spans,
                kwic=kwic(passage.text, spans), practice_code=labels.get(pid),
            ))
        return SearchResults(query=text, total=total, hits=hits, offset=offset, mode=mode,
                             ranked_towards=list(towards))

    def count_terms(self, terms: list[str]) -> list[TermCount]:
        """One search per term: passages, reviews, and counts per review and type."""
        types = {r.review_id: (r.type or "unknown") for r in self.store.list_reviews()}
        rows = {row: key for key, row in self._review_rows().items()}
        out = []
        for term in terms:
            try:
                per_row = self.engine.count_by_review(self.parse(term))
            except StorfaError as exc:
                out.append(TermCount(term, 0, 0, {}, {}, error=str(exc)))
                continue
            by_review: dict[str, int] = {}
            for row, n in per_row.items():
                key = rows.get(row)
                if key:
                    by_review[key] = n
            by_type: Counter[str] = Counter()
            for key, n in by_review.items():
                by_type[types.get(key, "unknown")] += n
            out.append(TermCount(term, sum(by_review.values()), len(by_review),
                                 dict(sorted(by_review.items())), dict(sorted(by_type.items()))))
        return out

    def _review_rows(self) -> dict[str, int]:
        return {key: row for row, key in self.store.review_keys().items()}
