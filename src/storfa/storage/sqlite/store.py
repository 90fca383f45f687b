"""The SQLite implementation of the storage interface."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from storfa.audit import GENESIS, event_hash, first_broken_link
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import DATE_FIELDS, Evidence, MetadataValue, Passage, ReviewSummary
from storfa.storage.interface import IndexDoc, NewVersion, PassageHit, ReviewRecord
from storfa.storage.migrations.runner import load_migrations
from storfa.storage.sqlite.connection import connect, write_transaction

# Columns of `reviews` that mirror the current metadata value of the same name.
_REVIEW_COLUMNS = ("type", "identifier", "title", "board", "variant", "language")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _year(values: dict[str, str], identifier_year: int | None) -> int | None:
    if identifier_year:
        return identifier_year
    for name in ("publication", "sign_off"):
        if values.get(name):
            return int(values[name][:4])
    return None


class SQLiteStore:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        self.migrate()

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ schema
    def migrate(self) -> list[str]:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied: list[str] = []
        for migration in load_migrations(self.dialect):
            with write_transaction(self.conn) as conn:
                done = conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                ).fetchone()
                if done:
                    continue
                for statement in migration.sql.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
                applied.append(f"{migration.version:04d}_{migration.name}")
        return applied

    # ------------------------------------------------------------------ ingest
    def find_by_sha256(self, sha256: str) -> str | None:
        row = self.conn.execute(
            "SELECT r.review_key FROM source_files s "
            "JOIN review_versions v ON v.source_file_id = s.id "
            "JOIN reviews r ON r.id = v.review_id WHERE s.sha256 = ? LIMIT 1",
            (sha256,),
        ).fetchone()
        return str(row[0]) if row else None

    def review_language(self, review_key: str) -> str | None:
        row = self.conn.execute(
            "SELECT language FROM reviews WHERE review_key = ?", (review_key,)
        ).fetchone()
        return str(row[0]) if row else None

    def add_version(self, new: NewVersion) -> tuple[str, int]:
        now = _now()
        with write_transaction(self.conn) as conn:
            # A second process may have stored the same bytes while we parsed.
            existing = self.find_by_sha256(new.sha256)
            if existing:
                raise DuplicateFile(existing)
            source_id = conn.execute(
                "INSERT INTO source_files (sha256, original_name, format, size, stored_path, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (new.sha256, new.original_name, new.format, new.size, new.stored_path, now),
            ).lastrowid
            row = conn.execute(
                "SELECT id FROM reviews WHERE review_key = ?", (new.review_key,)
            ).fetchone()
            if row:
                review_id = int(row[0])
            else:
                review_id = int(conn.execute(
                    "INSERT INTO reviews (review_key, language, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?)",
                    (new.review_key, new.language, now, now),
                ).lastrowid or 0)
            version = int(conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM review_versions WHERE review_id = ?",
                (review_id,),
            ).fetchone()[0])
            version_id = int(conn.execute(
                "INSERT INTO review_versions (review_id, version, source_file_id, page_count, "
                "text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (review_id, version, source_id, new.page_count, new.text, now),
            ).lastrowid or 0)
            self._insert_pages(conn, version_id, new)
            self._insert_passages(conn, version_id, new.passages)
            conn.execute(
                "UPDATE metadata_values SET superseded = 1 "
                "WHERE review_id = ? AND source != 'editor'",
                (review_id,),
            )
            for value in new.metadata:
                self._insert_metadata(conn, review_id, version_id, value, new.actor, now)
            self._refresh_review_columns(conn, review_id, version_id, now)
            if new.link_key:
                self._link(conn, review_id, new.link_key)
            conn.execute(
                "INSERT INTO index_outbox (review_id, created_at) VALUES (?, ?)", (review_id, now)
            )
            self._audit(conn, new.actor, "ingest", "review", new.review_key,
                        {"version": version, "sha256": new.sha256, "file": new.original_name})
        return new.review_key, version

    def _insert_pages(self, conn: sqlite3.Connection, version_id: int, new: NewVersion) -> None:
        ocr = set(new.ocr_pages)
        conn.executemany(
            "INSERT INTO pages (version_id, number, ocr, furniture) VALUES (?, ?, ?, ?)",
            [
                (version_id, n, int(n in ocr), json.dumps(new.furniture.get(n, [])))
                for n in range(1, new.page_count + 1)
            ],
        )

    def _insert_passages(self, conn: sqlite3.Connection, version_id: int,
                         passages: Sequence[Passage]) -> None:
        conn.executemany(
            'INSERT INTO passages (version_id, seq, page, section, kind, text, start, "end", '
            "language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (version_id, p.seq, p.page, p.section, p.kind, p.text, p.start, p.end, p.language)
                for p in passages
            ],
        )
        sections = []
        for p in passages:
            if p.kind == "heading":
                level = p.section.count(" > ") + 1
                sections.append((version_id, p.seq, p.text, level, p.section, p.page, p.start))
        conn.executemany(
            "INSERT INTO sections (version_id, seq, heading, level, path, page, start) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            sections,
        )

    def _insert_metadata(self, conn: sqlite3.Connection, review_id: int, version_id: int | None,
                         value: MetadataValue, actor: str, now: str) -> None:
        ev = value.evidence
        conn.execute(
            "INSERT INTO metadata_values (review_id, version_id, field, value, source, "
            "confidence, evidence_start, evidence_end, evidence_text, evidence_page, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (review_id, version_id, value.field, value.value, value.source, value.confidence,
             ev.start if ev else None, ev.end if ev else None, ev.text if ev else None,
             ev.page if ev else None, actor, now),
        )

    def _current_values(self, conn: sqlite3.Connection, review_id: int) -> dict[str, str]:
        """The value in force for each field: an editor's correction beats an
        option given at ingest, which beats what the parser found."""
        rank = {"editor": 3, "option": 2, "parsed": 1}
        best: dict[str, tuple[int, int, str]] = {}
        for row in conn.execute(
            "SELECT id, field, value, source FROM metadata_values "
            "WHERE review_id = ? AND superseded = 0",
            (review_id,),
        ):
            key = (rank.get(row["source"], 0), int(row["id"]), str(row["value"]))
            if row["field"] not in best or key > best[row["field"]]:
                best[row["field"]] = key
        return {name: v[2] for name, v in best.items()}

    def _refresh_review_columns(self, conn: sqlite3.Connection, review_id: int,
                                version_id: int | None, now: str) -> None:
        from storfa.domain.ids import parse_review_id

        values = self._current_values(conn, review_id)
        ident = values.get("identifier")
        ident_year = parse_review_id(ident).year if ident else None
        assignments = {c: values.get(c) for c in _REVIEW_COLUMNS}
        assignments["language"] = values.get("language") or "en"
        self._update_review(conn, review_id, assignments, _year(values, ident_year),
                            version_id, now)

    def _update_review(self, conn: sqlite3.Connection, review_id: int,
                       assignments: dict[str, str | None], year: int | None,
                       version_id: int | None, now: str) -> None:
        columns = dict(assignments)
        sql_sets = [f"{c} = ?" for c in columns] + ["year = ?", "updated_at = ?"]
        params: list[Any] = [*columns.values(), year, now]
        if version_id is not None:
            sql_sets.append("current_version_id = ?")
            params.append(version_id)
        conn.execute(f"UPDATE reviews SET {', '.join(sql_sets)} WHERE id = ?",
                     [*params, review_id])

    def _link(self, conn: sqlite3.Connection, review_id: int, other_key: str) -> None:
        other = conn.execute(
            "SELECT id FROM reviews WHERE review_key = ?", (other_key,)
        ).fetchone()
        if other:
            conn.execute("UPDATE reviews SET linked_review_id = ? WHERE id = ?",
                         (other[0], review_id))
            conn.execute("UPDATE reviews SET linked_review_id = ? WHERE id = ?",
                         (review_id, other[0]))

    # ----------------------------------------------------------------- reading
    def _summary(self, row: sqlite3.Row) -> ReviewSummary:
        dates: dict[str, str | None] = dict.fromkeys(DATE_FIELDS)
        values = self._current_values(self.conn, int(row["id"]))
        for name in DATE_FIELDS:
            dates[name] = values.get(name)
        return ReviewSummary(
            review_id=row["review_key"], type=row["type"], title=row["title"],
            board=row["board"], year=row["year"], language=row["language"],
            pages=int(row["page_count"] or 0), dates=dates, identifier=row["identifier"],
            variant=row["variant"], version=int(row["version"] or 1),
            linked=row["linked_key"],
        )

    _SUMMARY_SQL = (
        "SELECT r.*, v.page_count, v.version, l.review_key AS linked_key FROM reviews r "
        "LEFT JOIN review_versions v ON v.id = r.current_version_id "
        "LEFT JOIN reviews l ON l.id = r.linked_review_id "
    )

    def list_reviews(self, type: str | None = None) -> list[ReviewSummary]:
        sql = self._SUMMARY_SQL
        params: tuple[Any, ...] = ()
        if type:
            sql += "WHERE lower(r.type) = lower(?) "
            params = (type,)
        sql += "ORDER BY r.year IS NULL, r.year, r.review_key"
        return [self._summary(row) for row in self.conn.execute(sql, params)]

    def get_review(self, review_key: str) -> ReviewRecord | None:
        row = self.conn.execute(
            self._SUMMARY_SQL + "WHERE r.review_key = ? COLLATE NOCASE", (review_key,)
        ).fetchone()
        if row is None:
            return None
        src = self.conn.execute(
            "SELECT s.* FROM source_files s JOIN review_versions v ON v.source_file_id = s.id "
            "WHERE v.id = ?", (row["current_version_id"],)
        ).fetchone()
        metadata = [
            MetadataValue(
                field=m["field"], value=m["value"], source=m["source"],
                confidence=m["confidence"],
                evidence=Evidence(m["evidence_start"], m["evidence_end"], m["evidence_text"],
                                  m["evidence_page"]) if m["evidence_text"] is not None else None,
            )
            for m in self.conn.execute(
                "SELECT * FROM metadata_values WHERE review_id = ? AND superseded = 0 "
                "ORDER BY field, id", (row["id"],)
            )
        ]
        return ReviewRecord(
            id=int(row["id"]), summary=self._summary(row),
            version_id=int(row["current_version_id"]), metadata=metadata,
            source_name=src["original_name"], source_sha256=src["sha256"],
            source_path=src["stored_path"], format=src["format"],
        )

    def passages(self, version_id: int, page: int | None = None) -> list[Passage]:
        sql = "SELECT * FROM passages WHERE version_id = ?"
        params: tuple[Any, ...] = (version_id,)
        if page is not None:
            sql += " AND page = ?"
            params = (version_id, page)
        return [
            Passage(seq=r["seq"], page=r["page"], section=r["section"], kind=r["kind"],
                    text=r["text"], start=r["start"], end=r["end"], language=r["language"],
                    id=r["id"])
            for r in self.conn.execute(sql + " ORDER BY seq", params)
        ]

    def passage_hits(self, passage_ids: Sequence[int]) -> dict[int, PassageHit]:
        if not passage_ids:
            return {}
        marks = ",".join("?" * len(passage_ids))
        rows = self.conn.execute(
            "SELECT p.id, p.page, p.section, p.text, p.start, r.review_key, r.type, r.board, "
            "r.year, r.title FROM passages p JOIN reviews r ON r.current_version_id = "
            f"p.version_id WHERE p.id IN ({marks})",
            list(passage_ids),
        )
        return {
            int(r["id"]): PassageHit(
                passage_id=int(r["id"]), review_key=r["review_key"], page=r["page"],
                section=r["section"], text=r["text"], type=r["type"], board=r["board"],
                year=r["year"], title=r["title"], start=r["start"],
            )
            for r in rows
        }

    # ----------------------------------------------------------------- editing
    def set_metadata(self, review_key: str, field: str, value: str, actor: str) -> None:
        now = _now()
        with write_transaction(self.conn) as conn:
            row = conn.execute(
                "SELECT id, current_version_id FROM reviews WHERE review_key = ? COLLATE NOCASE",
                (review_key,),
            ).fetchone()
            if row is None:
                raise StorfaError(f"No review called {review_key!r}.")
            review_id = int(row["id"])
            old = self._current_values(conn, review_id).get(field)
            conn.execute(
                "UPDATE metadata_values SET superseded = 1 "
                "WHERE review_id = ? AND field = ? AND source = 'editor'",
                (review_id, field),
            )
            self._insert_metadata(conn, review_id, None,
                                  MetadataValue(field, value, source="editor"), actor, now)
            self._refresh_review_columns(conn, review_id, None, now)
            conn.execute("INSERT INTO index_outbox (review_id, created_at) VALUES (?, ?)",
                         (review_id, now))
            self._audit(conn, actor, "set_metadata", "review", review_key,
                        {"field": field, "old": old, "new": value})

    # ------------------------------------------------------------ index outbox
    def pending_index_work(self) -> list[tuple[int, int]]:
        return [(int(r[0]), int(r[1])) for r in self.conn.execute(
            "SELECT id, review_id FROM index_outbox ORDER BY id")]

    def index_docs(self, review_rows: Sequence[int]) -> Iterator[IndexDoc]:
        for review_row in review_rows:
            for r in self.conn.execute(
                "SELECT p.id, p.section, p.text, p.language, r.id AS rid, r.review_key, r.type, "
                "r.board, r.year FROM reviews r JOIN passages p "
                "ON p.version_id = r.current_version_id WHERE r.id = ? ORDER BY p.seq",
                (review_row,),
            ):
                yield IndexDoc(
                    passage_id=int(r["id"]), review_row=int(r["rid"]),
                    review_key=r["review_key"], type=r["type"] or "", board=r["board"] or "",
                    year=r["year"], language=r["language"], section=r["section"],
                    text=r["text"],
                )

    def all_review_rows(self) -> list[int]:
        return [int(r[0]) for r in self.conn.execute("SELECT id FROM reviews ORDER BY id")]

    def review_keys(self) -> dict[int, str]:
        return {int(r[0]): str(r[1]) for r in
                self.conn.execute("SELECT id, review_key FROM reviews")}

    def mark_indexed(self, outbox_ids: Sequence[int]) -> None:
        if not outbox_ids:
            return
        with write_transaction(self.conn) as conn:
            conn.executemany("DELETE FROM index_outbox WHERE id = ?", [(i,) for i in outbox_ids])

    def enqueue_reindex(self, review_rows: Sequence[int] | None = None) -> None:
        rows = list(review_rows) if review_rows is not None else self.all_review_rows()
        now = _now()
        with write_transaction(self.conn) as conn:
            conn.executemany("INSERT INTO index_outbox (review_id, created_at) VALUES (?, ?)",
                             [(r, now) for r in rows])

    def passage_counts(self) -> dict[int, int]:
        return {int(r[0]): int(r[1]) for r in self.conn.execute(
            "SELECT r.id, COUNT(p.id) FROM reviews r LEFT JOIN passages p "
            "ON p.version_id = r.current_version_id GROUP BY r.id")}

    # ------------------------------------------------------------ health, audit
    def integrity_problems(self) -> list[str]:
        problems = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")
                    if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in
                     self.conn.execute("PRAGMA foreign_key_check")]
        orphans = self.conn.execute(
            "SELECT COUNT(*) FROM reviews WHERE current_version_id IS NULL OR "
            "current_version_id NOT IN (SELECT id FROM review_versions)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} review(s) without a current version")
        broken = first_broken_link(
            dict(r) for r in self.conn.execute("SELECT * FROM audit_log ORDER BY id"))
        if broken is not None:
            problems.append(f"audit log hash chain broken at event {broken}")
        return problems

    def _audit(self, conn: sqlite3.Connection, actor: str, action: str, object_type: str,
               object_id: str, detail: dict[str, Any] | None) -> None:
        row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        at = _now()
        body = json.dumps(detail or {}, sort_keys=True)
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, object_type, object_id, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, actor, action, object_type, object_id, body, prev,
             event_hash(prev, at, actor, action, object_type, object_id, body)),
        )

    def audit(self, actor: str, action: str, object_type: str, object_id: str,
              detail: dict[str, Any] | None = None) -> None:
        with write_transaction(self.conn) as conn:
            self._audit(conn, actor, action, object_type, object_id, detail)

    def audit_events(self, limit: int = 100) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))]


class DuplicateFile(Exception):
    """The same bytes were stored by another process while this one parsed them."""

    def __init__(self, review_key: str) -> None:
        super().__init__(review_key)
        self.review_key = review_key
