"""The quality checklist's stored results per review version (migration
0024_review_quality), in SQL for SQLite and PostgreSQL alike.

Derived data only: a row can be dropped at any time and is computed again
when next needed, so writing one is not a change to anyone's data and is not
audited."""

from __future__ import annotations

from collections.abc import Sequence

from storfa.clock import utc_now
from storfa.domain.quality import QualityStamp
from storfa.storage.sql.adapter import Database
from storfa.storage.sql.casevars import _chunks  # 500 review rows per IN (...) list


class SQLQualityCache:
    def __init__(self, db: Database) -> None:
        self.db = db

    def lookup(self, review_rows: Sequence[int], checklist: str) -> dict[int, QualityStamp]:
        """Each review's current version and metadata stamp, with the result
        stored for them under this checklist, in one query per 500 reviews."""
        found: dict[int, QualityStamp] = {}
        with self.db.read() as conn:
            for chunk in _chunks(list(review_rows)):
                marks = ",".join("?" * len(chunk))
                for r in conn.execute(
                        "SELECT r.id, r.current_version_id, s.stamp, q.metadata_stamp, q.result "
                        "FROM reviews r "
                        "LEFT JOIN (SELECT review_id, MAX(id) AS stamp FROM metadata_values "
                        f"WHERE review_id IN ({marks}) GROUP BY review_id) s "
                        "ON s.review_id = r.id "
                        "LEFT JOIN review_quality q ON q.version_id = r.current_version_id "
                        f"AND q.checklist = ? WHERE r.id IN ({marks}) "
                        "AND r.current_version_id IS NOT NULL", [*chunk, checklist, *chunk]):
                    stamp = int(r["stamp"] or 0)
                    fresh = r["metadata_stamp"] is not None and int(r["metadata_stamp"]) == stamp
                    found[int(r["id"])] = QualityStamp(
                        int(r["id"]), int(r["current_version_id"]), stamp,
                        str(r["result"]) if fresh else None)
        return found

    def store(self, results: Sequence[tuple[QualityStamp, str]], checklist: str) -> None:
        """Keep each result under the version and metadata stamp it was
        computed from (replacing an older one of the same version)."""
        if not results:
            return
        now = utc_now()
        with self.db.write() as conn:
            conn.executemany(
                "INSERT INTO review_quality (version_id, checklist, metadata_stamp, result, "
                "computed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version_id, checklist) "
                "DO UPDATE SET metadata_stamp = excluded.metadata_stamp, "
                "result = excluded.result, computed_at = excluded.computed_at",
                [(s.version_id, checklist, s.metadata_stamp, result, now)
                 for s, result in results])
