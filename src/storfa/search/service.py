"""The search front: parse a query, run it on the configured engine, return
hits with passages, pages, sections, snippets and concordance lines.

Engine-independent: the engine (search/engine.py) only finds and ranks
passage ids; hits are hydrated from the database and marked by highlight.py,
so Tantivy and PostgreSQL full-text search show identical snippets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
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
MAX_PER_REVIEW = 100
# Hits looked at from the top for a page with a cap per review: the first look
# is a few pages deep and each further one four times deeper, up to MAX_WALK
# (a page beyond what that reaches comes up short, never wrong).
WALK_FIRST = 100
MAX_WALK = 50_000
# A heading's match counts for this much of a passage of text's, in order of
# relevance: its few words score high (BM25 favours the shortest passage, by up
# to five times a long paragraph's score), so a section named "Domestic abuse"
# topped a search for the words and a page of hits read as a list of headings.
# Weighed down, a heading comes after the text that matches as well, and still
# before text that matches far worse.
HEADING_WEIGHT = 0.1


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
    # With a cap on passages per review (SearchService.search): the cap; the
    # passages matched before it (`total` counts those kept, for paging); and,
    # by passage id of a review's last hit kept, how many more that review has.
    per_review: int | None = None
    matched: int | None = None
    more: dict[int, int] = field(default_factory=dict)
    # Matching passages per review row, when the search counted them: facets
    # reuse them rather than asking the engine again (facets.count_facets).
    review_counts: dict[int, int] | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "query": self.query, "mode": self.mode, "total": self.total,
            "offset": self.offset, "hits": [h.as_json() for h in self.hits]}
        if self.mode != "keyword":
            data["ranked_towards"] = list(self.ranked_towards)
        if self.per_review is not None:  # only when asked: the uncapped shape stays as it was
            data["per_review"] = self.per_review
            data["matched"] = self.matched
            data["more_in_review"] = {h.review_id: self.more[h.passage_id]
                                      for h in self.hits if h.passage_id in self.more}
        return data


@dataclass
class TermCount:
    term: str
    passages: int
    reviews: int
    by_review: dict[str, int]
    by_type: dict[str, int]
    error: str | None = None


def keep_per_review(ranked: Sequence[tuple[int, float, int]],
                    cap: int) -> list[tuple[int, float, int]]:
    """The (passage id, score, review row) hits of `ranked` whose review has
    not yet had `cap` hits before them; rank order kept."""
    seen: Counter[int] = Counter()
    kept = []
    for hit in ranked:
        seen[hit[2]] += 1
        if seen[hit[2]] <= cap:
            kept.append(hit)
    return kept


def capped_total(counts: dict[int, int], cap: int) -> int:
    """Σ min(matches, cap) over reviews. Summed over the few distinct counts,
    not over every review: a common word matches all 2,500 reviews of a large
    store, and the per-review sum was a tenth of the search page's CPU."""
    return sum(min(n, cap) * reviews for n, reviews in Counter(counts.values()).items())


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
               order: Order = "relevance", per_review: int | None = None) -> SearchResults:
        """`exclude` holds the review rows the caller may not see (accounts/policy.py).
        `per_review` keeps at most that many passages of each review, in rank
        order (keyword search only; see `_capped`), unless the query itself
        names one review."""
        if mode not in MODES:
            raise StorfaError(N_("Unknown search mode {mode!r}; use one of {modes}."), mode=mode,
                              modes=", ".join(MODES))
        limit = max(1, min(limit, MAX_LIMIT))
        if per_review is not None and mode != "keyword":
            raise StorfaError(N_("A cap on passages per review applies to keyword search only."))
        parsed: ParsedQuery | None
        towards: tuple[str, ...] = ()
        labels: dict[int, str] = {}
        if mode == "keyword":
            parsed = self.parse(text)
            # A query about one review ("review:CPR2019-W03") asks for its passages.
            if per_review is not None and not any(f.field == "review" for f in parsed.filters):
                return self._capped(parsed, limit, max(0, offset), exclude, order,
                                    max(1, min(per_review, MAX_PER_REVIEW)))
            total, scored = self._ranked(parsed, limit, max(0, offset), exclude, order)
        else:  # by meaning; `order` does not apply (search/semantic.py)
            found = self.semantic.search(text, mode, limit, max(0, offset), exclude)
            parsed, total, scored = found.parsed, found.total, found.hits
            towards, labels = found.towards, found.labels
        hits = self._hits(scored, parsed, mode, labels)
        return SearchResults(query=text, total=total, hits=hits, offset=offset, mode=mode,
                             ranked_towards=list(towards))

    def _ranked(self, parsed: ParsedQuery, limit: int, offset: int, exclude: Collection[int],
                order: Order) -> tuple[int, list[tuple[int, float]]]:
        """A page of the engine's ranking, headings weighed down (`_text_first`)
        over a window three pages deep (at most WALK_FIRST more), so the page
        is cut from the weighed order; a deeper window costs every request."""
        window = offset + limit + min(2 * (offset + limit), WALK_FIRST)
        if order != "relevance" or window > MAX_WALK:
            return self.engine.search(parsed, limit, offset, exclude, order)
        total, ranked = self.engine.search_reviews(parsed, window, exclude, order)
        page = self._text_first(ranked, order)[offset:offset + limit]
        return total, [(pid, score) for pid, score, _ in page]

    def _text_first(self, ranked: list[tuple[int, float, int]],
                    order: Order) -> list[tuple[int, float, int]]:
        """`ranked` with each heading's score weighed by HEADING_WEIGHT and
        put back in order; by date, as it is."""
        headings = self.store.headings([pid for pid, _, _ in ranked]) \
            if order == "relevance" and ranked else set()
        if not headings:
            return ranked
        weighed = [(pid, score * HEADING_WEIGHT if pid in headings else score, row)
                   for pid, score, row in ranked]
        return sorted(weighed, key=lambda hit: -hit[1])

    def _capped(self, parsed: ParsedQuery, limit: int, offset: int, exclude: Collection[int],
                order: Order, cap: int) -> SearchResults:
        """A page of the ranking in which each review keeps only its first
        `cap` passages. The page is cut from the top of the ranking, looked at
        deeper only while it holds too few kept hits (one engine query as a
        rule). `total` counts the kept passages, Σ min(matches, cap) over
        reviews, so pages add up; it comes from the engine's counts per review
        (held per index generation, and reused for the facets) unless the
        look already saw every match."""
        wanted = offset + limit
        depth = min(max(WALK_FIRST, 4 * wanted), MAX_WALK)
        while True:
            matched, ranked = self.engine.search_reviews(parsed, depth, exclude, order)
            ranked = self._text_first(ranked, order)
            kept = keep_per_review(ranked, cap)
            if len(kept) >= wanted or depth >= matched or depth >= MAX_WALK:
                break
            depth = min(depth * 4, MAX_WALK)
        counts = (Counter(row for _, _, row in ranked) if len(ranked) >= matched
                  else self.engine.count_by_review(parsed, exclude))
        seen: Counter[int] = Counter()
        more: dict[int, int] = {}
        for pid, _, row in kept[:wanted]:
            seen[row] += 1
            if seen[row] == cap and counts.get(row, 0) > cap:
                more[pid] = counts[row] - cap
        page = kept[offset:wanted]
        hits = self._hits([(pid, score) for pid, score, _ in page], parsed, "keyword", {})
        return SearchResults(
            query=parsed.text, total=capped_total(counts, cap), hits=hits,
            offset=offset, per_review=cap, matched=matched,
            more={h.passage_id: more[h.passage_id] for h in hits if h.passage_id in more},
            review_counts=counts)

    def _hits(self, scored: list[tuple[int, float]], parsed: ParsedQuery | None, mode: str,
              labels: dict[int, str]) -> list[SearchHit]:
        """The hits of ranked passage ids, hydrated from the database and marked."""
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
        return hits

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
