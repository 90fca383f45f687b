"""Search as the web and API run it: filters from form fields, the visitor's
hidden reviews left out everywhere (hits, totals, facets, exports)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from storfa.search.engine import Order
from storfa.search.facets import FACETS, FacetValue, count_facets
from storfa.search.service import SearchResults
from storfa.web.context import Visitor

ORDERS: tuple[Order, ...] = ("relevance", "newest", "oldest")
PAGE_SIZE = 20
# Spreadsheet programs run a cell that starts with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    mode: str = "keyword"
    order: Order = "relevance"
    page: int = 1
    limit: int = PAGE_SIZE

    @classmethod
    def from_params(cls, params: Mapping[str, str], limit: int = PAGE_SIZE) -> SearchRequest:
        filters = {name: params[name].strip() for name in FACETS if params.get(name, "").strip()}
        order = params.get("sort", "relevance")
        try:
            page = max(1, min(int(params.get("page", "1")), 10_000))
        except ValueError:
            page = 1
        return cls(q=params.get("q", "").strip()[:2000], filters=filters,
                   mode=params.get("mode", "keyword") or "keyword",
                   order=next((o for o in ORDERS if o == order), "relevance"),
                   page=page, limit=limit)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def query_text(self) -> str:
        parts = [f"({self.q})" if self.q else ""]
        for name, value in self.filters.items():
            clean = value.replace('"', "").strip()
            parts.append(f'{name}:"{clean}"' if name in ("board", "type") else f"{name}:{clean}")
        return " ".join(p for p in parts if p)


def run_search(v: Visitor, req: SearchRequest) -> SearchResults:
    return v.storfa.search.search(req.query_text(), limit=req.limit, offset=req.offset,
                                  mode=req.mode, exclude=v.hidden, order=req.order)


def facets(v: Visitor, req: SearchRequest) -> dict[str, list[FacetValue]]:
    service = v.storfa.search
    return count_facets(service.engine, v.storfa.catalogue,
                        service.parse(req.query_text()), v.hidden)


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def results_csv(results: SearchResults) -> str:
    header = ["review_id", "title", "type", "board", "year", "page", "section", "score", "text"]
    return to_csv([header, *([h.review_id, h.title, h.type, h.board, h.year, h.page, h.section,
                              h.score, h.text] for h in results.hits)])
