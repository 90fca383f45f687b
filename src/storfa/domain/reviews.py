"""Reviews, their passages and metadata, as the rest of storfa sees them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storfa.domain.uploads import UploadAccess


class ReviewType(StrEnum):
    CPR = "CPR"
    APR = "APR"
    DHR = "DHR"
    MHHR = "MHHR"
    SUSR = "SUSR"
    CSPR = "CSPR"
    SAR = "SAR"
    SCR = "SCR"
    CMR = "CMR"  # Northern Ireland's Case Management Review
    LR = "LR"  # Scotland's Learning Review (a Child Protection Committee's)
    # England and Wales's Offensive Weapons Homicide Review (the Police, Crime,
    # Sentencing and Courts Act 2022; piloted from 2024): one death, one review.
    OWHR = "OWHR"
    THEMATIC = "thematic"


# A heading that is the terms of reference, not one that answers them ("5.
# Findings: the terms of reference questions", "Analysis against the terms of
# reference"): those hold the review's findings. A regular expression for a
# section's heading or heading path, read case-blind.
TERMS_HEADING = (r"^(?!.*\b(?:findings?|analysis|answer(?:s|ed)?|responses?|learning|"
                 r"canfyddiadau)\b).*(?:terms of reference|cylch gorchwyl)")


def is_single_case(review_type: str | None) -> bool:
    """Whether a review of this type is about one case (a CPR, APR, DHR, ...),
    as against a thematic or overview report across many, or an unknown type."""
    return review_type in _SINGLE_CASE


_SINGLE_CASE = frozenset(t.value for t in ReviewType if t is not ReviewType.THEMATIC)


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


# The age bands storfa records for a review's subject (MISSION.md's scheme).
AGE_BANDS = ("under 1", "1-5", "6-10", "11-15", "16+", "adult")


def age_band(years: float, *, adult: bool = False) -> str:
    """The band for an age in years: "under 1", "1-5", "6-10", "11-15", "16+", "adult"."""
    if adult or years >= 18:
        return "adult"
    if years < 1:
        return "under 1"
    if years <= 5:
        return "1-5"
    if years <= 10:
        return "6-10"
    if years <= 15:
        return "11-15"
    return "16+"


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


# A report written into a template's form: a two-column table whose first
# cell names the box ("Brief outline of circumstances | On the evening of
# 26 March 2023 ...", "Family involvement | H's mother met the reviewers ...").
_BOX_WORDS = 8


def form_box_label(passage: Passage) -> str | None:
    """The label of a form's box, for a table row that is one; else None."""
    if passage.kind != "table_row":
        return None
    cells = passage.text.split(" | ")
    if len(cells) != 2 or len(cells[0].split()) > _BOX_WORDS:
        return None
    return cells[0]


def is_question(text: str) -> bool:
    """Whether a passage asks rather than states: it ends with "?", before any
    closing quote or bracket. An evaluation's survey item or a prompt for
    reflection shows no practice and recommends nothing."""
    return text.rstrip().rstrip("\"'”’)").endswith("?")


@dataclass(slots=True)
class NewVersion:
    """Everything one ingested file adds, written in one transaction."""

    review_key: str
    sha256: str
    original_name: str
    format: str
    size: int
    stored_path: str
    text: str
    page_count: int
    language: str
    passages: list[Passage]
    metadata: list[MetadataValue]
    furniture: dict[int, list[str]] = field(default_factory=dict)
    ocr_pages: list[int] = field(default_factory=list)
    link_key: str | None = None  # the other-language version of this review
    actor: str = "system"
    # The version whose files (the one read and its renditions) become
    # renditions of this one: the same words, now read from a paginated file.
    renditions_from: int | None = None
    # Who may see it, for a web or API upload (domain/uploads.py), applied in
    # the same transaction; None leaves the review's access as it is.
    access: UploadAccess | None = None


@dataclass(slots=True)
class ReviewRecord:
    id: int
    summary: ReviewSummary
    version_id: int
    metadata: list[MetadataValue]
    source_name: str
    source_sha256: str
    source_path: str
    format: str


@dataclass(slots=True)
class IndexDoc:
    """One passage as the search index needs it."""

    passage_id: int
    review_row: int
    review_key: str
    type: str
    board: str
    year: int | None
    language: str
    section: str
    text: str


@dataclass(slots=True)
class PassageHit:
    passage_id: int
    review_key: str
    page: int
    section: str
    text: str
    type: str | None
    board: str | None
    year: int | None
    title: str | None
    start: int
