"""The storage interface every backend implements.

Services talk only to `Store`; SQL dialects live behind it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from storfa.assurance.model import (
    CsAnswer,
    CsReturn,
    EvidenceFile,
    GradeRow,
    ReturnEvent,
    Survey,
)
from storfa.domain.reviews import MetadataValue, Passage, ReviewSummary
from storfa.storage.sql.adapter import Conn, Database


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


@dataclass(frozen=True, slots=True)
class DisclosureDecision:
    """An editor's decision about one disclosure finding of one version."""

    finding_id: str  # REVIEW@vN:TYPE:START-END (disclosure/check.py)
    decision: str    # accepted | rejected | edited
    replacement: str | None  # the editor's own text, for "edited"
    actor: str
    at: str


@dataclass(frozen=True, slots=True)
class DisclosureTerm:
    """A word on a review's own list, caught everywhere it occurs."""

    term: str
    actor: str
    at: str


class Store(Protocol):
    dialect: str
    # The database the feature stores (accounts, extracts, case variables,
    # recommendations, the job queue) write through, in the same dialect.
    db: Database

    def migrate(self) -> list[str]: ...
    def schema_version(self) -> int: ...
    def close(self) -> None: ...

    # ingest
    def find_by_sha256(self, sha256: str) -> str | None: ...
    def review_language(self, review_key: str) -> str | None: ...
    def add_version(self, new: NewVersion) -> tuple[str, int]: ...

    # reading
    def list_reviews(self, type: str | None = None) -> list[ReviewSummary]: ...
    def get_review(self, review_key: str) -> ReviewRecord | None: ...
    def passages(self, version_id: int, page: int | None = None) -> list[Passage]: ...
    def passage_hits(self, passage_ids: Sequence[int]) -> dict[int, PassageHit]: ...

    # editing
    def set_metadata(self, review_key: str, field: str, value: str, actor: str) -> None: ...

    # disclosure decisions (issue 19 item 2): each write is audited in the
    # same transaction, so no decision exists without its audit event
    def disclosure_decisions(self, version_id: int) -> list[DisclosureDecision]: ...
    def decide_finding(self, version_id: int, review_key: str, decision: DisclosureDecision,
                       audit: dict[str, Any]) -> None: ...
    def disclosure_terms(self, review_row: int) -> list[DisclosureTerm]: ...
    def set_disclosure_term(self, review_row: int, review_key: str, term: DisclosureTerm,
                            present: bool, audit: dict[str, Any]) -> bool:
        """Add (present) or remove a term; False when nothing changed."""
        ...

    # redaction that holds (issue 19 item 3): a version's spans and the
    # redacted text of its passages, which search, snippets and embeddings read
    def redaction_spans(self, version_id: int) -> list[tuple[int, int, str]]: ...
    def set_redactions(self, version_id: int, review_row: int,
                       spans: Sequence[tuple[int, int, str]],
                       texts: dict[int, str]) -> list[int]:
        """Replace the version's redactions; the passages whose text changed."""
        ...

    # the search index follows the database through an append-only log
    def index_work_after(self, log_id: int) -> list[tuple[int, int]]: ...
    def index_docs(self, review_rows: Sequence[int]) -> Iterator[IndexDoc]: ...
    def review_keys(self) -> dict[int, str]: ...
    def data_stamp(self) -> int: ...
    def passage_counts(self) -> dict[int, int]: ...

    # passage embeddings
    def put_vectors(self, model: str, dim: int, items: Sequence[tuple[int, bytes]]) -> None: ...
    def current_vectors(self, model: str) -> list[tuple[int, bytes]]: ...
    def vectors_of(self, passage_ids: Sequence[int], model: str) -> dict[int, bytes]: ...
    def passages_missing_vectors(self, model: str, limit: int) -> list[tuple[int, str]]: ...
    def count_passages_missing_vectors(self, model: str) -> int: ...
    def current_vectors_by_review(self, model: str) -> list[tuple[int, int, bytes]]:
        """(passage id, review row, vector) of current versions, by review row then passage."""
        ...
    def vectors_stamp(self, model: str) -> tuple[int, int]:
        """Changes whenever the current vectors may have: (last index_log id, highest
        passage id with a vector). Two index lookups, cheap enough for every query."""
        ...

    # health and audit
    def integrity_problems(self) -> list[str]: ...
    def audit(self, actor: str, action: str, object_type: str, object_id: str,
              detail: dict[str, Any] | None = None) -> None: ...
    def audit_events(self, limit: int = 100, actor: str = "", action: str = "",
                     object_id: str = "", denied: bool = False) -> list[dict[str, Any]]: ...
    def audit_chain_break(self) -> int | None: ...

    # referrals (issue 18): a feature store appends its audit event inside its
    # own write transaction, so a change and its event commit together
    def audit_in(self, conn: Conn, actor: str, action: str, object_type: str, object_id: str,
                 detail: dict[str, Any]) -> None: ...

    # assurance (issue 17; docs/assurance.md): 12 Cs returns and practitioner
    # surveys (storage/sql/assurance_store.py). Each write is audited in the
    # same transaction; answers are append-only rows tagged with the version.
    def assurance_return(self, return_id: int) -> CsReturn | None: ...
    def assurance_find_return(self, organisation_id: int, year: int) -> CsReturn | None: ...
    def assurance_returns(self, organisation_id: int | None = None,
                          year: int | None = None) -> list[CsReturn]: ...
    def assurance_open_return(self, organisation_id: int, year: int, carried_from: int | None,
                              carried: Sequence[CsAnswer], actor: str,
                              audit: dict[str, Any]) -> CsReturn:
        """The organisation's return for the year, made (as a draft holding
        `carried`) when there is none yet."""
        ...
    def assurance_save_answer(self, return_id: int, answer: CsAnswer,
                              files: Sequence[EvidenceFile], audit: dict[str, Any]) -> CsReturn:
        """A new version with this answer; ReturnLocked when submitted."""
        ...
    def assurance_set_status(self, return_id: int, status: str, actor: str, note: str | None,
                             audit: dict[str, Any]) -> CsReturn: ...
    def assurance_answers(self, return_id: int, version: int | None = None
                          ) -> list[CsAnswer]: ...
    def assurance_events(self, return_id: int) -> list[ReturnEvent]: ...
    def assurance_files(self, return_id: int) -> list[EvidenceFile]: ...
    def assurance_file(self, file_id: int) -> EvidenceFile | None: ...
    def assurance_grades(self, organisation_id: int | None = None,
                         year: int | None = None) -> list[GradeRow]: ...
    def assurance_add_survey(self, organisation_id: int, title: str, filename: str,
                             sha256: str, columns: Sequence[str],
                             rows: Sequence[Sequence[str]], actor: str,
                             audit: dict[str, Any]) -> int: ...
    def assurance_survey(self, survey_id: int) -> Survey | None: ...
    def assurance_surveys(self, organisation_id: int | None = None) -> list[Survey]: ...
    def assurance_set_survey_mapping(self, survey_id: int, mapping: Sequence[dict[str, str]],
                                     actor: str, audit: dict[str, Any]) -> None: ...
