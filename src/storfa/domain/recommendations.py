"""Recommendations as every layer sees them: as found in a report's text, and
as stored in the register with their status, history and evidence files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from storfa.domain.errors import N_

STATUSES = ("open", "in_progress", "implemented", "not_accepted")
# What a status is called on pages and in reports (translated where shown).
STATUS_NAMES = {"open": N_("Open"), "in_progress": N_("In progress"),
                "implemented": N_("Implemented"), "not_accepted": N_("Not accepted")}


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
    corrected: bool = False
    themes: tuple[str, ...] = ()
    merged_into: int | None = None
    superseded: bool = False


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int
    recommendation_id: int
    history_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    actor: str
    at: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    actor: str
    at: str
    field: str
    old: str | None
    new: str | None
    note: str | None
    id: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "at": self.at, "field": self.field, "old": self.old,
                "new": self.new, "note": self.note}


@dataclass(slots=True)
class FoundRecommendation:
    """One recommendation as found: `number` as written (or its place in the
    sequence), text without its number, label or level sentence."""

    number: str
    text: str
    agencies: list[str]
    level: str | None
    page: int | None
    passage_id: int | None
    start: int | None = None
    seq: int = 0
    passage_seqs: list[int] = field(default_factory=list)
    due_date: str | None = None  # ISO, when the report dates it (recommendations/due.py)

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text, "agencies": list(self.agencies),
                "level": self.level, "page": self.page, "passage_id": self.passage_id,
                "due_date": self.due_date}


def text_key(text: str) -> str:
    """The form two texts are compared in: case, spacing and punctuation spacing
    do not matter (a re-extraction or the ground truth spelling it slightly
    differently is still the same recommendation)."""
    folded = re.sub(r"\s+([.,;:!?])", r"\1", text.casefold())
    return re.sub(r"\s+", " ", folded).strip(" .")


@dataclass(frozen=True)
class StoredGrouping:
    fingerprint: str
    threshold: float
    # Recommendation id → (group number, cosine to the group's centre).
    assignments: dict[int, tuple[int, float]]
    computed_at: str
