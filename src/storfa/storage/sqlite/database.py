"""SQLite behind the adapter protocol: one tuned connection, BEGIN IMMEDIATE writes."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storfa.storage.sql.adapter import Row
from storfa.storage.sqlite.connection import connect, write_transaction


class SQLiteConn:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        return iter(self.conn.execute(sql, params))

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        return int(self.conn.execute(sql + " RETURNING id", params).fetchone()[0])


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        self._wrapped = SQLiteConn(self.conn)
        # Writes go through one connection, one thread at a time.
        self._lock = threading.RLock()
        # Reads get a connection per thread: in WAL mode readers never block
        # each other or the writer, so web requests in a thread pool run their
        # queries side by side instead of queueing on the write lock.
        # A thread's reader is closed when the thread ends: a web worker's
        # pool threads end after ten idle seconds and new ones start, and each
        # kept reader held two file descriptors and its own page cache.
        self._local = threading.local()
        self._readers: weakref.WeakSet[SQLiteConn] = weakref.WeakSet()
        self._readers_lock = threading.Lock()

    def _reader(self) -> SQLiteConn:
        reader: SQLiteConn | None = getattr(self._local, "reader", None)
        if reader is None:
            conn = connect(self.path)
            reader = SQLiteConn(conn)
            # Held only by this thread's local storage, the wrapper goes when
            # the thread does, and its connection is closed with it.
            weakref.finalize(reader, conn.close)
            with self._readers_lock:
                self._readers.add(reader)
            self._local.reader = reader
        return reader

    @contextmanager
    def read(self) -> Iterator[SQLiteConn]:
        if getattr(self._local, "writing", 0):
            # Inside this thread's own write transaction: see its uncommitted rows.
            yield self._wrapped
            return
        yield self._reader()

    @contextmanager
    def write(self) -> Iterator[SQLiteConn]:
        with self._lock, write_transaction(self.conn):
            self._local.writing = getattr(self._local, "writing", 0) + 1
            try:
                yield self._wrapped
            finally:
                self._local.writing -= 1

    @contextmanager
    def transaction(self) -> Iterator[SQLiteConn]:
        # SQLite serialises writers anyway: BEGIN IMMEDIATE is the row lock.
        with self.write() as conn:
            yield conn

    def close(self) -> None:
        with self._readers_lock:
            for reader in list(self._readers):
                reader.conn.close()
            self._readers.clear()
        self._local = threading.local()
        self.conn.close()

    def ensure_migrations_table(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")

    def integrity_problems(self) -> list[str]:
        with self._lock:
            problems = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")
                        if r[0] != "ok"]
            problems += [f"foreign key: {tuple(r)}"
                         for r in self.conn.execute("PRAGMA foreign_key_check")]
        return problems
