"""PostgreSQL behind the adapter protocol: psycopg 3 with a connection pool."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from storfa.domain.errors import StorfaError
from storfa.storage.sql.adapter import Row

# Any constant will do: every storfa writer takes the same transaction-scoped
# lock, so writes (and the audit chain and index log they append to) are serialised.
WRITE_LOCK_KEY = 7_405_101


def _pg(sql: str) -> str:
    # Our SQL has no literal '?' or '%', so placeholders translate one to one.
    return sql.replace("?", "%s")


class PostgresConn:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        cursor = self.conn.execute(_pg(sql), params)
        return iter(cursor.fetchall() if cursor.description is not None else [])

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.conn.execute(_pg(sql), params).fetchone()
        return row

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_pg(sql), list(rows))

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        row = self.conn.execute(_pg(sql) + " RETURNING id", params).fetchone()
        return int(row["id"])


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, min_size: int = 1, max_size: int = 8) -> None:
        try:
            import psycopg
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool
        except ImportError as exc:  # pragma: no cover - installed with storfa
            raise StorfaError("PostgreSQL support needs psycopg: pip install storfa") from exc
        self.url = url
        try:
            # check: a connection is tried before it is handed out, so after a
            # database restart a request gets a fresh one instead of a stale one
            # (bench/fault_drill.py). timeout: during an outage a request waits
            # at most 10 s for a connection, then answers 503 with Retry-After.
            self.pool = ConnectionPool(
                url, min_size=min_size, max_size=max_size, open=True, timeout=10,
                check=ConnectionPool.check_connection,
                kwargs={"row_factory": dict_row, "autocommit": True},
            )
            self.pool.wait(timeout=10)
        except (psycopg.Error, Exception) as exc:
            raise StorfaError(f"Cannot connect to PostgreSQL at {_safe(url)}: {exc}") from exc

    @contextmanager
    def read(self) -> Iterator[PostgresConn]:
        with self.pool.connection() as conn:
            yield PostgresConn(conn)

    @contextmanager
    def write(self) -> Iterator[PostgresConn]:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            yield PostgresConn(conn)

    @contextmanager
    def transaction(self) -> Iterator[PostgresConn]:
        """A transaction without the advisory write lock: for row-level locking
        (job claims with FOR UPDATE SKIP LOCKED) that must not queue behind ingests."""
        with self.pool.connection() as conn, conn.transaction():
            yield PostgresConn(conn)

    def close(self) -> None:
        self.pool.close()

    def ensure_migrations_table(self) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")

    def integrity_problems(self) -> list[str]:
        # Constraints are enforced by the server; look for invalid indexes.
        with self.read() as conn:
            bad = [r["relname"] for r in conn.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT i.indisvalid AND n.nspname = current_schema()")]
        return [f"invalid index {name}" for name in bad]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        scheme, rest = url.split("//", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}//{creds.split(':', 1)[0]}:***@{host}"
    return url
