"""Case variables as stored: a value per review and variable, suggested by
a suggester or decided by a coder, with the passage it rests on. Rows are
only ever added (storage/sql/casevars.py), so each value has a history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"
STATUSES = (SUGGESTED, CONFIRMED, REJECTED)
DECISIONS = (CONFIRMED, REJECTED)


@dataclass(frozen=True, slots=True)
class CaseEvidence:
    """The passage a value rests on; offsets into the review's full text."""

    passage_id: int | None
    page: int | None
    text: str
    start: int | None
    end: int | None

    def as_json(self) -> dict[str, Any]:
        return {"passage_id": self.passage_id, "page": self.page, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class NewCaseValue:
    variable: str
    value: str
    evidence: CaseEvidence | None = None
    term: str | None = None  # the lexicon entry behind a suggestion
    hits: int | None = None  # sentences supporting a suggestion
    source: str | None = None  # a suggestion's suggester: "lexicon" (default) or "model"
    confidence: float | None = None  # a model suggestion's cosine similarity


@dataclass(frozen=True, slots=True)
class CaseValue:
    id: int
    review_row: int
    variable: str
    value: str
    status: str
    source: str  # "lexicon" or "model" for suggestions, "coder" for a person's decision
    term: str | None
    hits: int | None
    evidence: CaseEvidence | None
    coder: str
    created_at: str
    superseded: bool
    confidence: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "value": self.value, "status": self.status,
                "source": self.source, "term": self.term, "hits": self.hits,
                "confidence": self.confidence,
                "evidence": self.evidence.as_json() if self.evidence else None,
                "coder": self.coder, "created_at": self.created_at,
                "superseded": self.superseded}
