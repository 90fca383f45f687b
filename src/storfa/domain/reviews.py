"""Reviews, their passages and metadata, as the rest of storfa sees them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class ReviewType(StrEnum):
    CPR = "CPR"
    APR = "APR"
    DHR = "DHR"
    MHHR = "MHHR"
    SUSR = "SUSR"
    CSPR = "CSPR"
    SAR = "SAR"
    SCR = "SCR"
    THEMATIC = "thematic"


# Metadata fields a review can carry. Dates are ISO strings in MetadataValue.value.
DATE_FIELDS = (
    "index_incident",
    "referral",
    "learning_event",
    "period_start",
    "period_end",
    "sign_off",
    "publication",
)
TEXT_FIELDS = (
    "type",
    "identifier",
    "title",
    "board",
    "variant",  # "concise" | "extended" (CPR/APR)
    "age_band",
    "gender",
    "language",
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where in the review's text a value was found.

    Offsets are into the review's full text (all passages joined by "\\n\\n").
    """

    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class MetadataValue:
    field: str
    value: str
    evidence: Evidence | None = None
    source: str = "parsed"  # "parsed" | "option" | "editor"
    confidence: float = 1.0


@dataclass(slots=True)
class Passage:
    """A paragraph-level unit of a review's text; what search returns."""

    seq: int
    page: int
    section: str  # heading path joined by " > ", "" before the first heading
    kind: str  # a BlockKind value
    text: str
    start: int  # character offsets into the review's full text
    end: int
    language: str = "en"
    id: int | None = None


@dataclass(slots=True)
class ReviewSummary:
    review_id: str
    type: str | None
    title: str | None
    board: str | None
    year: int | None
    language: str
    pages: int
    dates: dict[str, str | None] = field(default_factory=dict)
    identifier: str | None = None
    variant: str | None = None
    version: int = 1
    linked: str | None = None


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
