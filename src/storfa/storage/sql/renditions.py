"""Renditions of a review version (migration 0020_renditions) in SQL.

The version's own source file is the one read; renditions are further files of
the same text, kept for download. Both backends run this same code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storfa.clock import utc_now
from storfa.domain.renditions import NewRendition, ReadingState, Rendition
from storfa.storage.sql.adapter import Conn

if TYPE_CHECKING:
    from storfa.storage.interface import Store


def carry(conn: Conn, from_version: int, to_version: int, now: str) -> None:
    """The files of one version become renditions of another with the same
    words (a paginated file that is now the one read)."""
    rows = list(conn.execute(
        "SELECT source_file_id, page_count, 1.0 AS similarity FROM review_versions "
        "WHERE id = ? UNION ALL SELECT source_file_id, page_count, similarity "
        "FROM renditions WHERE version_id = ?", (from_version, from_version)))
    conn.executemany(
        "INSERT INTO renditions (version_id, source_file_id, page_count, similarity, "
        "created_at) VALUES (?, ?, ?, ?, ?)",
        [(to_version, r["source_file_id"], r["page_count"], r["similarity"], now)
         for r in rows])


class SQLRenditions:
    def __init__(self, store: Store) -> None:
        self.store = store

    def reading_state(self, review_key: str) -> ReadingState | None:
        """The review's current version as the rendition decision needs it."""
        with self.store.db.read() as conn:
            row = conn.one(
                "SELECT v.id, v.version, v.text, s.format FROM reviews r "
                "JOIN review_versions v ON v.id = r.current_version_id "
                "JOIN source_files s ON s.id = v.source_file_id WHERE r.review_key = ?",
                (review_key,))
            if row is None:
                return None
            others = {str(r["format"]) for r in conn.execute(
                "SELECT s.format FROM renditions n JOIN source_files s "
                "ON s.id = n.source_file_id WHERE n.version_id = ?", (row["id"],))}
        return ReadingState(version_id=int(row["id"]), version=int(row["version"]),
                            text=str(row["text"]), reading_format=str(row["format"]),
                            formats=frozenset({str(row["format"]), *others}))

    def add(self, new: NewRendition) -> None:
        """Store the file and attach it to the version, audited, in one
        transaction; raises DuplicateFile when the bytes were stored meanwhile."""
        from storfa.storage.sql.store import DuplicateFile

        now = utc_now()
        with self.store.db.write() as conn:
            # A second process may have stored the same bytes while we parsed.
            taken = conn.one("SELECT id FROM source_files WHERE sha256 = ?", (new.sha256,))
            if taken is None:
                file_id = conn.insert(
                    "INSERT INTO source_files (sha256, original_name, format, size, "
                    "stored_path, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (new.sha256, new.original_name, new.format, new.size, new.stored_path, now))
                conn.insert(
                    "INSERT INTO renditions (version_id, source_file_id, page_count, "
                    "similarity, created_at) VALUES (?, ?, ?, ?, ?)",
                    (new.version_id, file_id, new.page_count, new.similarity, now))
                self.store.audit_in(
                    conn, new.actor, "ingest.rendition", "review", new.review_key,
                    {"version_id": new.version_id, "sha256": new.sha256,
                     "file": new.original_name, "format": new.format,
                     "similarity": round(new.similarity, 4)})
        if taken is not None:
            raise DuplicateFile(self.store.find_by_sha256(new.sha256) or new.review_key)

    def of_version(self, version_id: int) -> list[Rendition]:
        """The reading file first, then the renditions in the order they came."""
        with self.store.db.read() as conn:
            rows = list(conn.execute(
                "SELECT s.id, s.original_name, s.format, s.sha256, s.size, v.page_count, "
                "1 AS reading, 0 AS seq FROM review_versions v JOIN source_files s "
                "ON s.id = v.source_file_id WHERE v.id = ? UNION ALL "
                "SELECT s.id, s.original_name, s.format, s.sha256, s.size, n.page_count, "
                "0 AS reading, n.id AS seq FROM renditions n JOIN source_files s "
                "ON s.id = n.source_file_id WHERE n.version_id = ? ORDER BY reading DESC, seq",
                (version_id, version_id)))
        return [Rendition(file_id=int(r["id"]), name=str(r["original_name"]),
                          format=str(r["format"]), sha256=str(r["sha256"]), size=int(r["size"]),
                          pages=int(r["page_count"]), reading=bool(r["reading"]))
                for r in rows]
