"""The recommendations register (migrations 0010_recommendations and
0014_recommendation_tracking) in SQL.

Written once with `?` placeholders, so SQLite and PostgreSQL run the same
code. A re-extraction keeps the row of every recommendation found again
(same number and text), so status, owner, due date and history survive it;
rows not found again are marked superseded, never deleted. A row a person
corrected (edited, split, merged) is never touched by an extraction: not
overwritten, not superseded, not revived; it is still recognised by the
number and text it was extracted with, so the original is not added again."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storfa.clock import utc_now
from storfa.domain.recommendations import (
    Attachment,
    FoundRecommendation,
    HistoryEntry,
    StoredRecommendation,
    text_key,
)
from storfa.storage.sql.adapter import Conn, Database, Row

# review rows per IN (...) list: well under both databases' limits
_CHUNK = 500


def _rec(row: Row) -> StoredRecommendation:
    return StoredRecommendation(
        id=int(row["id"]), review_row=int(row["review_id"]), version_id=int(row["version_id"]),
        number=str(row["number"]), text=str(row["text"]), agencies=json.loads(row["agencies"]),
        level=row["level"], page=row["page"], passage_id=row["passage_id"],
        status=str(row["status"]), owner=row["owner"], due_date=row["due_date"],
        created_at=str(row["created_at"]), updated_at=str(row["updated_at"]),
        corrected=bool(row["corrected"]), themes=tuple(json.loads(row["themes"] or "[]")),
        merged_into=row["merged_into"], superseded=bool(row["superseded"]))


def _attachment(row: Row) -> Attachment:
    return Attachment(int(row["id"]), int(row["recommendation_id"]), row["history_id"],
                      str(row["filename"]), str(row["media_type"]), int(row["size"]),
                      str(row["sha256"]), str(row["actor"]), str(row["at"]))


def _history(conn: Conn, rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """Insert history rows (rec id, actor, at, field, old, new, note); their ids."""
    return [conn.insert(
        "INSERT INTO recommendation_history (recommendation_id, actor, at, field, "
        "old_value, new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)", row) for row in rows]


class SQLRecommendations:
    def __init__(self, db: Database) -> None:
        self.db = db

    def replace_extracted(self, review_row: int, version_id: int,
                          found: Sequence[FoundRecommendation]) -> list[int]:
        """Store a version's extracted set; returns the ids in extraction order
        (a corrected row found again by its origin is named, left as it is)."""
        now = utc_now()
        ids: list[int] = []
        with self.db.write() as conn:
            existing = {(str(r["origin_number"] or r["number"]), str(r["text_key"])):
                        (int(r["id"]), bool(r["corrected"]), bool(r["superseded"]))
                        for r in conn.execute(
                "SELECT id, number, origin_number, text_key, corrected, superseded "
                "FROM recommendations WHERE review_id = ? ORDER BY id", (review_row,))}
            conn.execute("UPDATE recommendations SET superseded = 1 WHERE review_id = ? "
                         "AND corrected = 0", (review_row,))
            for rec in found:
                values = (version_id, rec.seq, rec.text, json.dumps(rec.agencies,
                          ensure_ascii=False), rec.level, rec.page, rec.passage_id)
                known = existing.get((rec.number, text_key(rec.text)))
                if known is not None and known[1]:
                    if not known[2]:  # a person's correction outranks the extractor
                        ids.append(known[0])
                    continue
                if known is not None:
                    conn.execute(
                        "UPDATE recommendations SET version_id = ?, seq = ?, text = ?, "
                        "agencies = ?, level = ?, page = ?, passage_id = ?, superseded = 0, "
                        # A date set by hand (or read before) is kept.
                        "due_date = COALESCE(due_date, ?), updated_at = ? WHERE id = ?",
                        (*values, rec.due_date, now, known[0]))
                    ids.append(known[0])
                    continue
                ids.append(conn.insert(
                    "INSERT INTO recommendations (review_id, version_id, seq, text, agencies, "
                    "level, page, passage_id, number, text_key, due_date, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (review_row, *values, rec.number, text_key(rec.text), rec.due_date, now,
                     now)))
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

    def unextracted(self) -> list[int]:
        """Review rows whose current version was never extracted."""
        with self.db.read() as conn:
            return [int(r["id"]) for r in conn.execute(
                "SELECT r.id FROM reviews r LEFT JOIN recommendation_extractions e "
                "ON e.review_id = r.id WHERE r.current_version_id IS NOT NULL AND "
                "(e.version_id IS NULL OR e.version_id <> r.current_version_id) ORDER BY r.id")]

    def current(self, review_rows: Sequence[int] | None = None) -> list[StoredRecommendation]:
        """The current recommendations, by review row then reading order.
        Filtered in SQL: after-store steps ask for one review at a time, and
        reading the whole register for each made a batch's cost grow with it."""
        sql = "SELECT * FROM recommendations WHERE superseded = 0"
        if review_rows is None:
            with self.db.read() as conn:
                return [_rec(r) for r in conn.execute(sql + " ORDER BY review_id, seq, id")]
        wanted = sorted(set(review_rows))
        found: list[StoredRecommendation] = []
        with self.db.read() as conn:
            for at in range(0, len(wanted), _CHUNK):
                chunk = wanted[at:at + _CHUNK]
                marks = ",".join("?" * len(chunk))
                found.extend(_rec(r) for r in conn.execute(
                    f"{sql} AND review_id IN ({marks}) ORDER BY review_id, seq, id", chunk))
        return found

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
                                 r["new_value"], r["note"], int(r["id"])) for r in conn.execute(
                "SELECT * FROM recommendation_history WHERE recommendation_id = ? ORDER BY id",
                (rec_id,))]

    # ------------------------------------------------------ corrections
    def correct(self, rec_id: int, changes: dict[str, str | None], actor: str,
                note: str | None) -> StoredRecommendation:
        """A person's correction of text / number / agencies (JSON) / level:
        one history row per changed field; the row becomes `corrected`, and
        keeps the number it was extracted with as its origin."""
        allowed = {"text", "number", "agencies", "level"}
        assert set(changes) <= allowed, changes  # callers validate; never SQL from input
        now = utc_now()
        with self.db.write() as conn:
            row = conn.one("SELECT * FROM recommendations WHERE id = ?", (rec_id,))
            assert row is not None  # callers check the id first
            history = [(rec_id, actor, now, name, row[name], value, note)
                       for name, value in changes.items() if row[name] != value]
            if history:  # first, while the origin number is still the extracted one
                self._mark_corrected(conn, rec_id, now)
            for _, _, _, name, _, value, _ in history:
                conn.execute(f"UPDATE recommendations SET {name} = ? WHERE id = ?",
                             (value, rec_id))
            _history(conn, history)
            return _rec(_one(conn, rec_id))

    @staticmethod
    def _mark_corrected(conn: Conn, rec_id: int, now: str) -> None:
        conn.execute("UPDATE recommendations SET corrected = 1, updated_at = ?, "
                     "origin_number = COALESCE(origin_number, number) WHERE id = ?",
                     (now, rec_id))

    def split(self, rec_id: int, first: str, second: str, second_number: str,
              actor: str) -> tuple[StoredRecommendation, StoredRecommendation]:
        """Keep `first` in this row and make a new row for `second` (same
        review, version, agencies, level, page, passage and tracking)."""
        now = utc_now()
        with self.db.write() as conn:
            row = _one(conn, rec_id)
            self._mark_corrected(conn, rec_id, now)  # before the number could change
            conn.execute("UPDATE recommendations SET text = ? WHERE id = ?", (first, rec_id))
            new_id = conn.insert(
                "INSERT INTO recommendations (review_id, version_id, seq, text, agencies, level, "
                "page, passage_id, number, text_key, status, owner, due_date, corrected, "
                "themes, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                (row["review_id"], row["version_id"], row["seq"], second, row["agencies"],
                 row["level"], row["page"], row["passage_id"], second_number,
                 text_key(second), row["status"], row["owner"], row["due_date"],
                 row["themes"], now, now))
            _history(conn, [
                (rec_id, actor, now, "split", row["text"], first, f"split into #{new_id}"),
                (new_id, actor, now, "split", row["text"], second, f"split from #{rec_id}")])
            return _rec(_one(conn, rec_id)), _rec(_one(conn, new_id))

    def merge(self, keep_id: int, other_id: int, text: str, actor: str
              ) -> StoredRecommendation:
        """`other` joins `keep` (their text becomes `text`); `other` is kept as
        superseded with `merged_into`, so no extraction brings it back."""
        now = utc_now()
        with self.db.write() as conn:
            keep, other = _one(conn, keep_id), _one(conn, other_id)
            agencies = list(dict.fromkeys(json.loads(keep["agencies"])
                                          + json.loads(other["agencies"])))
            self._mark_corrected(conn, keep_id, now)
            self._mark_corrected(conn, other_id, now)
            conn.execute("UPDATE recommendations SET text = ?, agencies = ? WHERE id = ?",
                         (text, json.dumps(agencies, ensure_ascii=False), keep_id))
            conn.execute("UPDATE recommendations SET superseded = 1, merged_into = ? "
                         "WHERE id = ?", (keep_id, other_id))
            _history(conn, [
                (keep_id, actor, now, "merge", keep["text"], text, f"merged with #{other_id}"),
                (other_id, actor, now, "merge", other["text"], None,
                 f"merged into #{keep_id}")])
            return _rec(_one(conn, keep_id))

    def set_themes(self, themes: dict[int, list[str]]) -> None:
        """The codes each recommendation was coded to (not a person's change:
        no history, no `updated_at`)."""
        with self.db.write() as conn:
            conn.executemany("UPDATE recommendations SET themes = ? WHERE id = ?",
                             [(json.dumps(codes, ensure_ascii=False), rec_id)
                              for rec_id, codes in themes.items()])

    # ------------------------------------------------- notes and evidence
    def add_note(self, rec_id: int, actor: str, note: str,
                 files: Sequence[tuple[str, str, int, str]] = ()) -> int:
        """A progress note (a history row) with its evidence files, each
        (filename, media type, size, sha256) already in the blob store."""
        now = utc_now()
        with self.db.write() as conn:
            history_id = _history(conn, [(rec_id, actor, now, "note", None, None, note)])[0]
            for filename, media_type, size, sha in files:
                conn.insert(
                    "INSERT INTO recommendation_attachments (recommendation_id, history_id, "
                    "filename, media_type, size, sha256, actor, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (rec_id, history_id, filename, media_type, size, sha, actor, now))
        return history_id

    def attachments(self, rec_id: int) -> list[Attachment]:
        with self.db.read() as conn:
            return [_attachment(r) for r in conn.execute(
                "SELECT * FROM recommendation_attachments WHERE recommendation_id = ? "
                "ORDER BY id", (rec_id,))]

    def attachment(self, attachment_id: int) -> Attachment | None:
        with self.db.read() as conn:
            row = conn.one("SELECT * FROM recommendation_attachments WHERE id = ?",
                           (attachment_id,))
        return _attachment(row) if row else None


def _one(conn: Conn, rec_id: int) -> Row:
    row = conn.one("SELECT * FROM recommendations WHERE id = ?", (rec_id,))
    assert row is not None  # callers check the id first
    return row
