"""Recurrence of recommendations as last computed (migration 0021_recurrence).

The embedding of each recommendation's topic is kept by the topic's SHA-256,
so regrouping after a change embeds only new texts; the grouping itself is
one row, stamped with the fingerprint of the recommendations it was computed
from. Readers compare fingerprints and never compute (recommendations/recurrence.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from storfa.clock import utc_now
from storfa.domain.recommendations import StoredGrouping
from storfa.storage.sql.adapter import Database


class SQLRecurrence:
    def __init__(self, db: Database) -> None:
        self.db = db

    def vectors(self, model: str) -> dict[str, bytes]:
        """Topic key → stored vector, for one model."""
        with self.db.read() as conn:
            return {str(r["topic_key"]): bytes(r["vector"]) for r in conn.execute(
                "SELECT topic_key, vector FROM recommendation_topic_vectors WHERE model = ?",
                (model,))}

    def put_vectors(self, model: str, items: Sequence[tuple[str, bytes]],
                    keep: Sequence[str]) -> None:
        """Add vectors and drop those of topics no current recommendation has."""
        wanted = set(keep)
        with self.db.write() as conn:
            conn.executemany(
                "INSERT INTO recommendation_topic_vectors (topic_key, model, vector) "
                "VALUES (?, ?, ?) ON CONFLICT (topic_key, model) DO UPDATE SET "
                "vector = excluded.vector", [(key, model, vec) for key, vec in items])
            gone = [(str(r["topic_key"]), model) for r in conn.execute(
                "SELECT topic_key FROM recommendation_topic_vectors WHERE model = ?", (model,))
                if str(r["topic_key"]) not in wanted]
            conn.executemany("DELETE FROM recommendation_topic_vectors "
                             "WHERE topic_key = ? AND model = ?", gone)

    def grouping(self) -> StoredGrouping | None:
        with self.db.read() as conn:
            row = conn.one("SELECT fingerprint, threshold, assignments, computed_at "
                           "FROM recurrence_groups WHERE id = 1")
        if row is None:
            return None
        raw = json.loads(str(row["assignments"]))
        return StoredGrouping(str(row["fingerprint"]), float(row["threshold"]),
                              {int(k): (int(v[0]), float(v[1])) for k, v in raw.items()},
                              str(row["computed_at"]))

    def put_grouping(self, fingerprint: str, threshold: float,
                     assignments: Mapping[int, tuple[int, float]]) -> None:
        data = json.dumps({str(k): [g, round(c, 6)] for k, (g, c) in assignments.items()})
        with self.db.write() as conn:
            conn.execute("DELETE FROM recurrence_groups WHERE id = 1")
            conn.execute("INSERT INTO recurrence_groups (id, fingerprint, threshold, "
                         "assignments, computed_at) VALUES (1, ?, ?, ?, ?)",
                         (fingerprint, threshold, data, utc_now()))
