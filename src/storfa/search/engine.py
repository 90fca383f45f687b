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

from collections.abc import Callable
from typing import Protocol

from storfa.search.query import ParsedQuery
from storfa.storage.interface import Store

ENGINES = ("tantivy", "postgres")


class SearchEngine(Protocol):
    name: str

    def search(self, parsed: ParsedQuery, limit: int,
               offset: int = 0) -> tuple[int, list[tuple[int, float]]]:
        """(total matching passages, [(passage id, score)] best first)."""
        ...

    def count_by_review(self, parsed: ParsedQuery) -> dict[int, int]:
        """Matching passages per review row."""
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
