"""The embedded search index (Tantivy), kept beside the database.

The database is the truth. Every write transaction appends the reviews it
touched to `index_log`; the index keeps a cursor (the last log id it has
applied) in its own folder and, on `sync`, rebuilds the documents of every
review logged after it. A crash between a database commit and an index
commit is repaired by the next `sync`: work is replayed (delete the review's
documents, add them again), which is idempotent. Because each index keeps
its own cursor, several machines can each keep an index of one PostgreSQL
database. Only one process writes a given index at a time, under a file lock.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import tantivy
from filelock import FileLock

from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import IndexDoc
from storfa.search.compile_tantivy import QueryCompiler, facet_value
from storfa.search.engine import Order
from storfa.search.query import ParsedQuery
from storfa.search.tokens import stems, tokens
from storfa.storage.interface import Store

log = logging.getLogger(__name__)
SCHEMA_VERSION = "1"
_WRITER_HEAP = 256 * 1024 * 1024
# Searches whose counts per review are held, per generation of the index.
_COUNTS_HELD = 64


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("pid", stored=True, indexed=True, fast=True)
    sb.add_integer_field("rid", stored=False, indexed=True, fast=True)
    # `stem` holds Snowball stems for English passages and the folded words
    # themselves for Welsh ones; `raw` holds folded words at the same
    # positions, for exact phrases, prefixes and proximity.
    sb.add_text_field("stem", stored=False, tokenizer_name="whitespace")
    sb.add_text_field("raw", stored=False, tokenizer_name="whitespace")
    sb.add_text_field("section", stored=False, tokenizer_name="whitespace")
    for name in ("type", "board", "lang", "review"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", stored=False, indexed=True, fast=True)
    return sb.build()


def analysed(text: str, language: str) -> tuple[str, str]:
    """(stem field text, raw field text) for one passage."""
    words = tokens(text)
    raw = " ".join(words)
    return (raw if language == "cy" else " ".join(stems(words))), raw


@functools.lru_cache(maxsize=4096)
def _section_tokens(section: str) -> str:
    # A review's passages share a few heading paths: tokenised once each.
    return " ".join(tokens(section))


class SearchIndex:
    """The default search engine (storfa.search.engine.SearchEngine)."""

    name = "tantivy"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._counts: OrderedDict[tuple[object, ...], dict[int, int]] = OrderedDict()
        self._counts_lock = threading.Lock()
        self._reloaded: tuple[int, int, int] | None = None  # the generation last reloaded
        self._lock = FileLock(str(directory.parent / "index.lock"))
        marker = directory / "storfa-schema"
        if marker.exists() and marker.read_text() != SCHEMA_VERSION:
            # An index from another schema is rebuilt from the database.
            self._wipe()
        try:
            self.index = tantivy.Index(self.schema, path=str(directory), reuse=True)
        except (ValueError, OSError) as exc:
            log.warning("search index unreadable (%s); rebuilding it from the database", exc)
            self._wipe()
            self.index = tantivy.Index(self.schema, path=str(directory), reuse=True)
        marker.write_text(SCHEMA_VERSION)

    def _wipe(self) -> None:
        """Empty the index folder; the next sync replays the whole log (cursor 0)."""
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)

    # ----------------------------------------------------------------- writing
    @contextlib.contextmanager
    def _writer(self) -> Iterator[Any]:
        with self._lock:
            writer = self.index.writer(heap_size=_WRITER_HEAP, num_threads=2)
            # A process killed mid-commit leaves files the index never adopted;
            # one of them can block the next commit's file name, so clear them.
            writer.garbage_collect_files()
            try:
                yield writer
            except BaseException:
                writer.rollback()
                raise

    def _document(self, doc: IndexDoc) -> tantivy.Document:
        stem_text, raw_text = analysed(doc.text, doc.language)
        fields: dict[str, Any] = {
            "pid": doc.passage_id, "rid": doc.review_row, "stem": stem_text, "raw": raw_text,
            "section": _section_tokens(doc.section),
            "type": facet_value(doc.type), "board": facet_value(doc.board),
            "lang": doc.language, "review": facet_value(doc.review_key),
        }
        if doc.year is not None:
            fields["year"] = doc.year
        return tantivy.Document(**fields)

    @property
    def _cursor_path(self) -> Path:
        return self.directory / "storfa-cursor.json"

    def cursor(self) -> int:
        try:
            return int(json.loads(self._cursor_path.read_text())["log_id"])
        except (OSError, ValueError, KeyError):
            return 0

    def _save_cursor(self, log_id: int) -> None:
        tmp = self._cursor_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"log_id": log_id}))
        os.replace(tmp, self._cursor_path)

    def sync(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Rebuild the documents of every review logged since the cursor.

        Returns the number of reviews refreshed. An index damaged beyond what
        garbage collection mends is rebuilt from the database, the truth."""
        try:
            return self._sync(store, progress)
        except (ValueError, OSError) as exc:
            log.warning("search index damaged (%s); rebuilding it from the database", exc)
            self._recreate()
            return self._sync(store, progress)

    def _recreate(self) -> None:
        with self._lock:
            self._wipe()
            self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
            self._reloaded = None
            (self.directory / "storfa-schema").write_text(SCHEMA_VERSION)

    def _sync(self, store: Store, progress: Callable[[int], None] | None) -> int:
        if not store.index_work_after(self.cursor()):
            return 0  # caught up: no writer, no lock (idle workers call this often)
        with self._writer() as writer:
            pending = store.index_work_after(self.cursor())
            if not pending:
                return 0
            rows = sorted({review for _, review in pending})
            for review_row in rows:
                writer.delete_documents_by_term("rid", review_row)
            for count, doc in enumerate(store.index_docs(rows), 1):
                writer.add_document(self._document(doc))
                if progress and count % 1000 == 0:
                    progress(count)
            writer.commit()
            writer.wait_merging_threads()
            # After the commit: a crash before this line only replays work.
            self._save_cursor(max(log_id for log_id, _ in pending))
        self.index.reload()
        return len(rows)

    def rebuild(self, store: Store) -> int:
        self._recreate()
        return self.sync(store)

    # ----------------------------------------------------------------- reading
    def searcher(self) -> tantivy.Searcher:
        # Reloading costs ~0.14 ms even when nothing changed, and a search
        # page asks for a searcher two or three times: reload only when a
        # commit has landed (meta.json replaced) since the last reload.
        generation = self._generation()
        if generation != self._reloaded:
            self.index.reload()
            self._reloaded = generation
        return self.index.searcher()

    def passage_counts(self) -> dict[int, int]:
        """Documents per review row, to compare with the database."""
        searcher = self.searcher()
        counts: dict[int, int] = {}
        result = searcher.aggregate(
            tantivy.Query.all_query(),
            {"per_review": {"terms": {"field": "rid", "size": 10_000_000}}},
        )
        for bucket in result["per_review"]["buckets"]:
            counts[int(bucket["key"])] = int(bucket["doc_count"])
        return counts

    def _compile(self, parsed: ParsedQuery,
                 exclude: Collection[int] = ()) -> tuple[tantivy.Searcher, tantivy.Query]:
        searcher = self.searcher()
        try:
            query = QueryCompiler(self.schema, searcher).compile(parsed)
        except ValueError as exc:  # e.g. a regex tantivy refuses
            raise StorfaError(N_("Could not run the query: {reason}"),
                              reason=str(exc)) from exc
        if exclude:
            hidden = tantivy.Query.term_set_query(self.schema, "rid", sorted(exclude))
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.MustNot, hidden)])
        return searcher, query

    def search(self, parsed: ParsedQuery, limit: int, offset: int = 0,
               exclude: Collection[int] = (),
               order: Order = "relevance") -> tuple[int, list[tuple[int, float]]]:
        searcher, result = self._top(parsed, limit, offset, exclude, order)
        pids = searcher.fast_field_values("pid", [address for _, address in result.hits])
        scored = [(int(pid or 0), float(score))  # every document has a pid
                  for pid, (score, _) in zip(pids, result.hits, strict=True)]
        return int(result.count or 0), scored  # type: ignore[attr-defined]  # not in the stubs

    def search_reviews(self, parsed: ParsedQuery, limit: int, exclude: Collection[int] = (),
                       order: Order = "relevance") -> tuple[int, list[tuple[int, float, int]]]:
        searcher, result = self._top(parsed, limit, 0, exclude, order)
        addresses = [address for _, address in result.hits]
        pids = searcher.fast_field_values("pid", addresses)
        rids = searcher.fast_field_values("rid", addresses)
        ranked = [(int(pid or 0), float(score), int(rid or 0))
                  for pid, rid, (score, _) in zip(pids, rids, result.hits, strict=True)]
        return int(result.count or 0), ranked  # type: ignore[attr-defined]  # not in the stubs

    def _top(self, parsed: ParsedQuery, limit: int, offset: int, exclude: Collection[int],
             order: Order) -> tuple[tantivy.Searcher, tantivy.SearchResult]:
        searcher, query = self._compile(parsed, exclude)
        if order == "relevance":
            return searcher, searcher.search(query, limit, count=True, offset=max(0, offset))
        return searcher, searcher.search(
            query, limit, count=True, offset=max(0, offset), order_by_field="year",
            order=tantivy.Order.Desc if order == "newest" else tantivy.Order.Asc)

    def count_by_review(self, parsed: ParsedQuery,
                        exclude: Collection[int] = ()) -> dict[int, int]:
        """Held per index generation: the counts change only when a commit
        lands, and the search page asks for them (its facets) on every page
        of the same search, where the aggregation and its conversion to Python
        were a third of the page's CPU at 2,500 reviews."""
        key = (self._generation(), parsed, frozenset(exclude))
        with self._counts_lock:
            held = self._counts.get(key)
            if held is not None:
                self._counts.move_to_end(key)
                return dict(held)
        searcher, query = self._compile(parsed, exclude)
        agg = searcher.aggregate(query, {"r": {"terms": {"field": "rid", "size": 1_000_000}}})
        counts = {int(b["key"]): int(b["doc_count"]) for b in agg["r"]["buckets"]}
        with self._counts_lock:
            self._counts[key] = counts
            while len(self._counts) > _COUNTS_HELD:
                self._counts.popitem(last=False)
        return dict(counts)

    def _generation(self) -> tuple[int, int, int]:
        """Changes whenever a commit lands: tantivy replaces meta.json then.
        Read before the searcher reloads, so a commit in between is stored
        under the old generation, never the other way round."""
        try:
            meta = (self.directory / "meta.json").stat()
        except OSError:
            return (0, 0, 0)
        return (meta.st_ino, meta.st_mtime_ns, meta.st_size)
