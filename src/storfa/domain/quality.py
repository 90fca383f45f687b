"""The quality checklist's stored result for a review version, with what it
depends on (storage/sql/quality.py, analysis/quality.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QualityStamp:
    """What a review's checklist result depends on in the store, and the
    stored result when it was computed from exactly that (else None)."""

    review_row: int
    version_id: int
    metadata_stamp: int  # the review's highest metadata_values id (0: none)
    result: str | None  # the stored JSON document
