"""The recommendations register: extraction on demand (once per review
version), the listing the CLI and API print, and audited status changes
(docs/recommendations.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storfa.analysis.recommendations import extract
from storfa.domain.errors import StorfaError
from storfa.storage.interface import Store
from storfa.storage.sql.recommendations import (
    STATUSES,
    HistoryEntry,
    SQLRecommendations,
    StoredRecommendation,
)

if TYPE_CHECKING:
    from storfa.app import Storfa


class RecommendationRegister:
    def __init__(self, store: Store, sql: SQLRecommendations) -> None:
        self.store = store
        self.sql = sql

    @classmethod
    def of(cls, app: Storfa) -> RecommendationRegister:
        return cls(app.store, SQLRecommendations(app.store.db))

    def _keys(self, review: str | None) -> list[str]:
        if review is None:
            return [s.review_id for s in self.store.list_reviews()]
        record = self.store.get_review(review)
        if record is None:
            raise StorfaError(f"No review called {review!r}.")
        return [record.summary.review_id]

    def extract(self, review: str | None, actor: str, only_stale: bool = False
                ) -> dict[str, int]:
        """Extract the reviews' recommendations (one review, or all); with
        `only_stale`, only reviews whose current version was never extracted.
        Returns review id → recommendations found."""
        done = self.sql.extracted_versions() if only_stale else {}
        counts: dict[str, int] = {}
        for key in self._keys(review):
            record = self.store.get_review(key)
            if record is None:
                continue
            if only_stale and done.get(record.id) == record.version_id:
                continue
            found = extract(self.store.passages(record.version_id))
            self.sql.replace_extracted(record.id, record.version_id, found)
            self.store.audit(actor, "recommendations.extract", "review", key,
                             {"version_id": record.version_id, "found": len(found)})
            counts[key] = len(found)
        return counts

    def listing(self, review: str | None, actor: str) -> list[tuple[str, StoredRecommendation]]:
        """(review id, recommendation) for one review or all, extracting first
        where a review's current version has not been extracted yet."""
        self.extract(review, actor, only_stale=True)
        keys = self.store.review_keys()
        rows = None
        if review is not None:
            record = self.store.get_review(review)
            rows = [record.id] if record else []
        return [(keys[r.review_row], r) for r in self.sql.current(rows) if r.review_row in keys]

    def set(self, rec_id: int, actor: str, status: str | None = None,
            owner: str | None = None, due_date: str | None = None,
            note: str | None = None) -> StoredRecommendation:
        """Change a recommendation's tracking fields; audited, with history."""
        current = self.sql.get(rec_id)
        if current is None:
            raise StorfaError(f"No recommendation with id {rec_id}.")
        changes: dict[str, str | None] = {}
        if status is not None:
            wanted = status.strip().casefold().replace(" ", "_").replace("-", "_")
            if wanted not in STATUSES:
                raise StorfaError(f"Status is one of {', '.join(STATUSES)} (got {status!r}).")
            changes["status"] = wanted
        if owner is not None:
            changes["owner"] = owner.strip() or None
        if due_date is not None:
            try:
                changes["due_date"] = (dt.date.fromisoformat(due_date.strip()).isoformat()
                                       if due_date.strip() else None)
            except ValueError:
                raise StorfaError(f"Due date is YYYY-MM-DD (got {due_date!r}).") from None
        if not changes and not note:
            raise StorfaError("Nothing to change: give --status, --owner, --due or --note.")
        updated = self.sql.update(rec_id, changes, actor, note)
        review = self.store.review_keys().get(updated.review_row, str(updated.review_row))
        self.store.audit(actor, "recommendations.set", "recommendation", str(rec_id),
                         {"review_id": review, **changes, "note": note})
        return updated

    def history(self, rec_id: int) -> list[HistoryEntry]:
        return self.sql.history(rec_id)


def contract_json(items: Sequence[tuple[str, StoredRecommendation]]) -> dict[str, Any]:
    """The shape CONTRACT.md gives `storfa recommendations --json`, plus `id`
    (what `storfa recommendations set ID` takes; the contract allows additions)."""
    return {"recommendations": [
        {"id": r.id, "review_id": key, "number": r.number, "text": r.text,
         "agencies": list(r.agencies), "level": r.level, "page": r.page, "status": r.status}
        for key, r in items]}
