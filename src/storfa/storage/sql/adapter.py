"""What the shared SQL store needs from a database driver.

Queries are written once with `?` placeholders and rows are read by column
name; each adapter maps that onto its driver and says how a write
transaction is serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
lock, so audit-chain appends and index-log ids stay in commit order)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

Row = Mapping[str, Any]


class Conn(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]: ...
    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def insert(self, sql: str, params: Sequence[Any]) -> int: ...


class Database(Protocol):
    dialect: str

    def read(self) -> AbstractContextManager[Conn]: ...
    def write(self) -> AbstractContextManager[Conn]: ...
    # A transaction without the global write serialisation, for row-locking work
    # such as claiming queued jobs (PostgreSQL: FOR UPDATE SKIP LOCKED). SQLite
    # has only one writer at a time, so there it is the same as write().
    def transaction(self) -> AbstractContextManager[Conn]: ...
    def close(self) -> None: ...
    def integrity_problems(self) -> list[str]: ...
    def ensure_migrations_table(self) -> None: ...
