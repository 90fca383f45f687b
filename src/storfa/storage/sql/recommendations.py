"""The recommendations register (migration 0010_recommendations) in SQL.

Written once with `?` placeholders, so SQLite and PostgreSQL run the same
code. A re-extraction keeps the row of every recommendation found again
(same number and text), so status, owner, due date and history survive it;
rows not found again are marked superseded, never deleted."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storfa.analysis.recommendations import FoundRecommendation, text_key
from storfa.clock import utc_now
from storfa.storage.sql.adapter import Database, Row

STATUSES = ("open", "in_progress", "implemented", "not_accepted")


@dataclass(frozen=True, slots=True)
class StoredRecommendation:
    id: int
    review_row: int
    version_id: int
    number: str
    text: str
    agencies: list[str]
    level: str | None
    page: int | None
    passage_id: int | None
    status: str
    owner: str | None
    due_date: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    actor: str
    at: str
    field: str
    old: str | None
    new: str | None
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "at": self.at, "field": self.field, "old": self.old,
                "new": self.new, "note": self.note}


def _rec(row: Row) -> StoredRecommendation:
    return StoredRecommendation(
        id=int(row["id"]), review_row=int(row["review_id"]), version_id=int(row["version_id"]),
        number=str(row["number"]), text=str(row["text"]), agencies=json.loads(row["agencies"]),
        level=row["level"], page=row["page"], passage_id=row["passage_id"],
        status=str(row["status"]), owner=row["owner"], due_date=row["due_date"],
        created_at=str(row["created_at"]), updated_at=str(row["updated_at"]))


class SQLRecommendations:
    def __init__(self, db: Database) -> None:
        self.db = db

    def replace_extracted(self, review_row: int, version_id: int,
                          found: Sequence[FoundRecommendation]) -> list[int]:
        """Store a version's extracted set; returns the ids in extraction order."""
        now = utc_now()
        ids: list[int] = []
        with self.db.write() as conn:
            existing = {(str(r["number"]), str(r["text_key"])): int(r["id"]) for r in conn.execute(
                "SELECT id, number, text_key FROM recommendations WHERE review_id = ? "
                "ORDER BY id", (review_row,))}
            conn.execute("UPDATE recommendations SET superseded = 1 WHERE review_id = ?",
                         (review_row,))
            for rec in found:
                values = (version_id, rec.seq, rec.text, json.dumps(rec.agencies,
                          ensure_ascii=False), rec.level, rec.page, rec.passage_id)
                known = existing.get((rec.number, text_key(rec.text)))
                if known is not None:
                    conn.execute(
                        "UPDATE recommendations SET version_id = ?, seq = ?, text = ?, "
                        "agencies = ?, level = ?, page = ?, passage_id = ?, superseded = 0, "
                        "updated_at = ? WHERE id = ?", (*values, now, known))
                    ids.append(known)
                    continue
                ids.append(conn.insert(
                    "INSERT INTO recommendations (review_id, version_id, seq, text, agencies, "
                    "level, page, passage_id, number, text_key, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (review_row, *values, rec.number, text_key(rec.text), now, now)))
            conn.execute("DELETE FROM recommendation_extractions WHERE review_id = ?",
                         (review_row,))
            conn.execute("INSERT INTO recommendation_extractions (review_id, version_id, found, "
                         "extracted_at) VALUES (?, ?, ?, ?)",
                         (review_row, version_id, len(found), now))
        return ids

    def extracted_versions(self) -> dict[int, int]:
        """Review row → the version last extracted."""
        with self.db.read() as conn:
            return {int(r["review_id"]): int(r["version_id"]) for r in conn.execute(
                "SELECT review_id, version_id FROM recommendation_extractions")}

    def current(self, review_rows: Sequence[int] | None = None) -> list[StoredRecommendation]:
        """The current recommendations, by review row then reading order."""
        sql = "SELECT * FROM recommendations WHERE superseded = 0"
        with self.db.read() as conn:
            rows = [_rec(r) for r in conn.execute(sql + " ORDER BY review_id, seq, id")]
        if review_rows is None:
            return rows
        wanted = set(review_rows)
        return [r for r in rows if r.review_row in wanted]

    def get(self, rec_id: int) -> StoredRecommendation | None:
        with self.db.read() as conn:
            row = conn.one("SELECT * FROM recommendations WHERE id = ?", (rec_id,))
        return _rec(row) if row else None

    def update(self, rec_id: int, changes: dict[str, str | None], actor: str,
               note: str | None) -> StoredRecommendation:
        """Change status / owner / due_date, one history row per changed field
        (a note with no change is kept as a "note" row)."""
        allowed = {"status", "owner", "due_date"}
        assert set(changes) <= allowed, changes  # callers validate; never SQL from input
        now = utc_now()
        with self.db.write() as conn:
            row = conn.one("SELECT * FROM recommendations WHERE id = ?", (rec_id,))
            assert row is not None  # callers check the id first
            history: list[tuple[Any, ...]] = []
            for name, value in changes.items():
                if row[name] == value:
                    continue
                conn.execute(f"UPDATE recommendations SET {name} = ?, updated_at = ? "
                             "WHERE id = ?", (value, now, rec_id))
                history.append((rec_id, actor, now, name, row[name], value, note))
            if not history and note:
                history.append((rec_id, actor, now, "note", None, None, note))
            conn.executemany(
                "INSERT INTO recommendation_history (recommendation_id, actor, at, field, "
                "old_value, new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)", history)
            fresh = conn.one("SELECT * FROM recommendations WHERE id = ?", (rec_id,))
        assert fresh is not None
        return _rec(fresh)

    def history(self, rec_id: int) -> list[HistoryEntry]:
        with self.db.read() as conn:
            return [HistoryEntry(str(r["actor"]), str(r["at"]), str(r["field"]), r["old_value"],
                                 r["new_value"], r["note"]) for r in conn.execute(
                "SELECT * FROM recommendation_history WHERE recommendation_id = ? ORDER BY id",
                (rec_id,))]
