"""What the search service needs from a search engine.

Two engines implement it and must agree on which passages match every query
(see docs/query-language.md for the semantics):

- `index_tantivy.SearchIndex` — an embedded Tantivy index beside the database
  (the default, for SQLite and PostgreSQL alike);
- `fts_postgres.PostgresSearch` — PostgreSQL full-text search over storfa's own
  lexemes in `passages.lexemes` (STORFA_SEARCH_ENGINE=postgres).

Engines only find and rank passages. The service hydrates hits from the
database and marks them with `highlight.py`, so both engines show the same
snippets. Ranking may differ between engines (BM25 vs ts_rank_cd); matching
must not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Literal, Protocol

from storfa.search.query import ParsedQuery
from storfa.storage.interface import Store

ENGINES = ("tantivy", "postgres")

# "relevance": best match first; "newest"/"oldest": by the review's year, then relevance.
Order = Literal["relevance", "newest", "oldest"]


class SearchEngine(Protocol):
    name: str

    def search(self, parsed: ParsedQuery, limit: int, offset: int = 0,
               exclude: Collection[int] = (),
               order: Order = "relevance") -> tuple[int, list[tuple[int, float]]]:
        """(total matching passages, [(passage id, score)] best first).

        `exclude` holds review rows the caller may not see: they are left out of
        the total as well as the hits, so counts never reveal them."""
        ...

    def search_reviews(self, parsed: ParsedQuery, limit: int, exclude: Collection[int] = (),
                       order: Order = "relevance") -> tuple[int, list[tuple[int, float, int]]]:
        """As `search` from the top, each hit with its review row:
        (total, [(passage id, score, review row)]). For a cap on passages per
        review (SearchService), which must see whose hits they are before
        hydrating any."""
        ...

    def count_by_review(self, parsed: ParsedQuery,
                        exclude: Collection[int] = ()) -> dict[int, int]:
        """Matching passages per review row, leaving out `exclude`."""
        ...

    def sync(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Bring the engine up to date with the database; idempotent."""
        ...

    def rebuild(self, store: Store) -> int:
        """Rebuild everything from the database."""
        ...

    def passage_counts(self) -> dict[int, int]:
        """Searchable passages per review row, to compare with the database."""
        ...
