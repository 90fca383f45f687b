"""Fingerprints of a store's contents, comparable across stores and dialects.

A table's fingerprint is its row count and the sum (mod 2^256) of one SHA-256
per row. A sum does not depend on row order, so two stores agree whatever
order their primary keys sort in (PostgreSQL collations, SQLite bytes), and a
table is read page by page without holding it in memory. Each row is hashed
as canonical JSON of its portable columns in name order, so a changed value,
a missing row or an extra one changes the fingerprint.

Left out, because they differ between two faithful copies by design: the
columns a dialect derives (transfer.DERIVED_COLUMNS) and the paths into a data
directory (transfer.PATH_COLUMNS), which an import rewrites.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storfa.storage.sql.adapter import Conn
from storfa.storage.sql.store import SQLStore
from storfa.storage.transfer import (
    BLOB_COLUMN,
    PATH_COLUMNS,
    Reporter,
    _quote,
    _table_rows,
    portable_columns,
    schema_tables,
    snapshot,
)

_MOD = 1 << 256


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    digest: str


@dataclass
class StoreFingerprint:
    tables: dict[str, TableFingerprint]
    # Every file a row names (sha256 -> recorded size, None when not recorded).
    blobs: dict[str, int | None]
    # The newest audit event taken into account: (id, hash), or None if none.
    last_audit: tuple[int, str] | None


def _canonical(value: Any) -> Any:
    # bytes come back as memoryview from PostgreSQL and bytes from SQLite;
    # booleans as bool or 0/1: both made one form so the dialects agree.
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, bool):
        return int(value)
    return value


def _row_hash(row: Any, columns: list[str]) -> int:
    line = json.dumps([_canonical(row[c]) for c in columns], ensure_ascii=False, default=str)
    return int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")


def fingerprint_columns(conn: Conn, dialect: str, table: str) -> list[str]:
    skip = {PATH_COLUMNS[table][0]} if table in PATH_COLUMNS else set()
    return sorted(c for c in portable_columns(conn, dialect, table) if c not in skip)


def _rows(conn: Conn, dialect: str, table: str, columns: list[str],
          audit_upto: int | None) -> Iterator[Any]:
    rows = _table_rows(conn, dialect, table, columns)
    if table != "audit_log" or audit_upto is None:
        yield from rows
        return
    yield from (r for r in rows if int(r["id"]) <= audit_upto)


def store_fingerprint(store: SQLStore, *, audit_upto: int | None = None,
                      reporter: Reporter | None = None) -> StoreFingerprint:
    """Every table's fingerprint, read in one snapshot. `audit_upto` leaves out
    audit events with a larger id (the event an import adds to the copy)."""
    tables: dict[str, TableFingerprint] = {}
    blobs: dict[str, int | None] = {}
    with snapshot(store.db) as conn:
        names = schema_tables(store.dialect)
        if reporter is not None:
            total = sum(int((conn.one(f"SELECT COUNT(*) AS n FROM {_quote(t)}") or {"n": 0})
                            ["n"]) for t in names)
            reporter.stage(f"Reading the {store.dialect} store", total)
        for table in names:
            columns = fingerprint_columns(conn, store.dialect, table)
            count, total_hash = 0, 0
            for row in _rows(conn, store.dialect, table, columns, audit_upto):
                total_hash = (total_hash + _row_hash(row, columns)) % _MOD
                count += 1
                if BLOB_COLUMN in columns:
                    size = row["size"] if "size" in columns else None
                    blobs[str(row[BLOB_COLUMN])] = None if size is None else int(size)
                if reporter is not None and count % 500 == 0:
                    reporter.advance(500)
            if reporter is not None:
                reporter.advance(count % 500)
            tables[table] = TableFingerprint(count, f"{total_hash:064x}")
        where, params = ("", ()) if audit_upto is None else ("WHERE id <= ?", (audit_upto,))
        last = conn.one(f"SELECT id, hash FROM audit_log {where} ORDER BY id DESC LIMIT 1",
                        params)
    return StoreFingerprint(tables, blobs,
                            (int(last["id"]), str(last["hash"])) if last else None)


def audit_hash_at(store: SQLStore, event_id: int) -> str | None:
    """The hash of one audit event, or None if the log has no such event."""
    with store.db.read() as conn:
        row = conn.one("SELECT hash FROM audit_log WHERE id = ?", (event_id,))
    return str(row["hash"]) if row else None


def audit_events_after(store: SQLStore, event_id: int) -> int:
    with store.db.read() as conn:
        row = conn.one("SELECT COUNT(*) AS n FROM audit_log WHERE id > ?", (event_id,))
    return int(row["n"]) if row else 0


def newest_audit_event(store: SQLStore) -> tuple[int, str] | None:
    """(id, action) of the newest audit event, or None for an empty log."""
    with store.db.read() as conn:
        row = conn.one("SELECT id, action FROM audit_log ORDER BY id DESC LIMIT 1")
    return (int(row["id"]), str(row["action"])) if row else None
