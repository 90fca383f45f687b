"""Search as the web and API run it: filters from form fields, the visitor's
hidden reviews left out everywhere (hits, totals, facets, exports)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from storfa.domain.reviews import ReviewSummary
from storfa.interchange.cells import to_csv
from storfa.search.engine import Order
from storfa.search.facets import FACETS, FacetValue, count_facets, facet_list, facet_of
from storfa.search.service import MAX_PER_REVIEW, SearchResults
from storfa.web.context import Visitor

ORDERS: tuple[Order, ...] = ("relevance", "newest", "oldest")
# Form parameter of each filter. The review-language filter is `language`,
# because `lang` in a page address chooses the interface language.
FACET_PARAMS = {"type": "type", "board": "board", "year": "year", "lang": "language"}
PAGE_SIZE = 20
# Passages of one review on the search page unless `per_review` says otherwise
# (0: all); the API and the export keep every passage unless asked.
PAGE_PER_REVIEW = 2


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    mode: str = "keyword"
    order: Order = "relevance"
    page: int = 1
    limit: int = PAGE_SIZE
    review: str = ""  # one review's passages only (the "more in this review" links)
    per_review: int | None = None  # see `cap`

    @classmethod
    def from_params(cls, params: Mapping[str, str], limit: int = PAGE_SIZE,
                    per_review: int | None = None) -> SearchRequest:
        """`per_review`: the cap on passages per review when the parameters
        do not choose one (`per_review=0` chooses none)."""
        filters = {name: params[FACET_PARAMS[name]].strip() for name in FACETS
                   if params.get(FACET_PARAMS[name], "").strip()}
        order = params.get("sort", "relevance")
        return cls(q=params.get("q", "").strip()[:2000], filters=filters,
                   mode=params.get("mode", "keyword") or "keyword",
                   order=next((o for o in ORDERS if o == order), "relevance"),
                   page=_number(params.get("page"), 1, 1, 10_000) or 1, limit=limit,
                   review=params.get("review", "").strip()[:200],
                   per_review=_number(params.get("per_review"), per_review, 0, MAX_PER_REVIEW)
                   or None)

    @property
    def cap(self) -> int | None:
        """The cap on passages per review this search runs with: none within
        one review, and none by meaning (the service caps keyword search only)."""
        return None if self.review or self.mode != "keyword" else self.per_review

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def query_text(self) -> str:
        parts = [f"({self.q})" if self.q else ""]
        for name, value in self.filters.items():
            clean = value.replace('"', "").strip()
            parts.append(f'{name}:"{clean}"' if name in ("board", "type") else f"{name}:{clean}")
        if self.review:
            parts.append('review:"{}"'.format(self.review.replace('"', "")))
        return " ".join(p for p in parts if p)


def _number(text: str | None, default: int | None, lowest: int, highest: int) -> int | None:
    """A whole number from a form field, kept within bounds; `default` when absent or unreadable."""
    try:
        return default if text is None else max(lowest, min(int(text), highest))
    except ValueError:
        return default


def run_search(v: Visitor, req: SearchRequest) -> SearchResults:
    """Hits of the reviews the visitor may see, titles and sections as
    published (web/published.py)."""
    from storfa.web.published import published

    return published(v).hits(v.storfa.search.search(
        req.query_text(), limit=req.limit, offset=req.offset, mode=req.mode,
        exclude=v.hidden, order=req.order, per_review=req.cap))


def facets(v: Visitor, req: SearchRequest,
           results: SearchResults | None = None) -> dict[str, list[FacetValue]]:
    """Facets of the search `req`; `results`, its results, when run already
    (a capped search has counted its matches per review: counted once)."""
    if req.mode != "keyword":
        return review_facets(v, req)
    service = v.storfa.search
    return count_facets(service.engine, v.storfa.catalogue,
                        service.parse(req.query_text()), v.hidden,
                        counted=results.review_counts if results else None)


def _matches(summary: ReviewSummary, filters: dict[str, str]) -> bool:
    for name, wanted in filters.items():
        value = facet_of(summary, name).casefold()
        if name == "year" and ".." in wanted:
            lo, _, hi = wanted.partition("..")
            if not value or (lo and value < lo) or (hi and value > hi):
                return False
        elif value != wanted.casefold():
            return False
    return True


def review_facets(v: Visitor, req: SearchRequest) -> dict[str, list[FacetValue]]:
    """Facets for search by meaning, where every passage is a candidate: the
    visible reviews that pass the chosen filters, counted by value."""
    reviews = [s for row, s in v.storfa.catalogue.by_row().items()
               if row not in v.hidden and _matches(s, req.filters)]
    return {name: facet_list(name, Counter(facet_of(s, name) for s in reviews))
            for name in FACETS}


def suggest(reviews: Iterable[tuple[int, ReviewSummary]], prefix: str,
            limit: int = 10) -> list[dict[str, str]]:
    """Completions for the search box: identifiers and titles first where they
    start with the typed text, then where they contain it; boards as filters."""
    typed = prefix.strip().casefold()
    if len(typed) < 2:
        return []
    ranked: list[tuple[int, str, dict[str, str]]] = []
    boards: set[str] = set()
    for _row, s in reviews:
        for text in (s.review_id, s.title or ""):
            where = text.casefold().find(typed)
            if where >= 0:
                ranked.append((0 if where == 0 else 1, text,
                               {"label": text, "review_id": s.review_id}))
                break
        if s.board and typed in s.board.casefold():
            boards.add(s.board)
    ranked.sort(key=lambda item: (item[0], item[1]))
    out = [item[2] for item in ranked[:limit]]
    out += [{"label": board, "query": f'board:"{board}"'} for board in sorted(boards)]
    return out[:limit]


def results_csv(results: SearchResults) -> str:
    header = ["review_id", "title", "type", "board", "year", "page", "section", "score", "text"]
    return to_csv([header, *([h.review_id, h.title, h.type, h.board, h.year, h.page, h.section,
                              h.score, h.text] for h in results.hits)])
