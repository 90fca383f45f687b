"""Storage behind one protocol per aggregate.

The services (coding, analysis, recommendations, accounts, assurance) take
these protocols, not the SQL classes: what they may ask of storage is written
here once, and mypy checks that the one SQL implementation (SQLite and
PostgreSQL alike, storage/sql/) provides it. The functions at the end are the
only way code outside storage obtains an implementation; the container
(`storfa.app.Storfa`) and the services call them, so no module above storage
imports `storfa.storage.sql` (tests/test_layers.py). The whole-store
operations (reviews, passages, the audit log, 12 Cs returns) are the `Store`
protocol in storage/interface.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from storfa.domain.accounts import (
    AccessLevel,
    Credentials,
    Organisation,
    OrgKind,
    ReviewAccess,
    Role,
    SavedSearch,
    SessionRecord,
    User,
)
from storfa.domain.assurance import (
    AnswerCoding,
    Audit,
    AuditCase,
    AuditGrade,
    Question,
    SavedNote,
    SelfEval,
    SFile,
    SReturn,
    SSection,
)
from storfa.domain.casevars import CaseValue, NewCaseValue
from storfa.domain.codebooks import Change, Code, Codebook, CodeFields, StoredInfo
from storfa.domain.coding import CodedSpan, Extract, Memo, NewExtract, Undone
from storfa.domain.jobs import DEFAULT_MAX_ATTEMPTS, DEFAULT_STALE_SECONDS, Job
from storfa.domain.quality import QualityStamp
from storfa.domain.recommendations import (
    Attachment,
    FoundRecommendation,
    HistoryEntry,
    StoredGrouping,
    StoredRecommendation,
)
from storfa.domain.referrals import (
    Event,
    Notice,
    QueueFilters,
    Referral,
    ReferralAudit,
    ReferralForm,
)
from storfa.domain.renditions import NewRendition, ReadingState, Rendition
from storfa.storage.interface import Store


class Extracts(Protocol):
    """Coded extracts and suggestions, their decisions and memos (append-only)."""

    def version_text(self, version_id: int) -> str: ...
    def replace_suggestions(
        self,
        review_row: int,
        codebook: str,
        suggestions: Sequence[NewExtract],
        scope: str | None = ...,
    ) -> list[NewExtract]: ...
    def add_manual(self, new: NewExtract) -> Extract: ...
    def get(self, extract_id: int) -> Extract: ...
    def decide(
        self,
        extract_id: int,
        status: str,
        who: str,
        code: str | None = ...,
        theme: str | None = ...,
    ) -> tuple[Extract, Extract]: ...
    def recode(
        self, extract_id: int, code: str, theme: str, who: str
    ) -> tuple[Extract, Extract]: ...
    def undo_last(self, who: str) -> Undone | None: ...
    def select(
        self,
        codebook: str | None = ...,
        review_row: int | None = ...,
        status: str | None = ...,
        superseded: bool = ...,
    ) -> list[Extract]: ...
    def add_memo(
        self, author: str, text: str, extract_id: int | None = ..., review_row: int | None = ...
    ) -> Memo: ...
    def memos(
        self, extract_ids: Sequence[int] = ..., review_row: int | None = ...
    ) -> list[Memo]: ...


class Codebooks(Protocol):
    """Stored codebooks and their change history."""

    def infos(self) -> list[StoredInfo]: ...
    def load(self, name: str) -> Codebook | None: ...
    def history(self, name: str, limit: int = ...) -> list[Change]: ...
    def create(
        self, book: Codebook, based_on: str | None, actor: str, detail: dict[str, Any]
    ) -> None: ...
    def add_code(
        self, codebook: str, parent: str | None, fields: CodeFields, actor: str
    ) -> None: ...
    def update_code(
        self,
        codebook: str,
        code: Code,
        new: CodeFields,
        theme_of: dict[str, str],
        action: str,
        actor: str,
        detail: dict[str, Any],
    ) -> int: ...
    def merge(self, codebook: str, source: Code, target: Code, actor: str) -> int: ...
    def versions(self, review_row: int) -> list[tuple[int, str]]: ...
    def import_extract(self, new: NewExtract, created_at: str) -> tuple[int, bool]: ...
    def import_memo(
        self,
        author: str,
        text: str,
        created_at: str,
        extract_id: int | None = ...,
        review_row: int | None = ...,
    ) -> bool: ...


class CaseVariables(Protocol):
    """Case-variable values per review, with their history."""

    def replace_suggestions(
        self, review_row: int, suggestions: Sequence[NewCaseValue], coder: str
    ) -> int: ...
    def decide(
        self, review_row: int, new: NewCaseValue, status: str, coder: str
    ) -> tuple[CaseValue | None, CaseValue]: ...
    def current(self, review_rows: Sequence[int]) -> list[CaseValue]: ...
    def current_decisions(self, review_rows: Sequence[int]) -> list[tuple[int, str, str, str]]: ...
    def history(self, review_row: int, variable: str | None = ...) -> list[CaseValue]: ...
    def decide_many(
        self, decisions: Sequence[tuple[int, NewCaseValue]], status: str, coder: str
    ) -> int: ...


class CodingMatrix(Protocol):
    """The coding matrix's counts of codes by case variables."""

    def counts(self, codebook: str, statuses: Sequence[str]) -> list[tuple[int, str, int]]: ...
    def spans(self, codebook: str, statuses: Sequence[str]) -> list[CodedSpan]: ...
    def codes(self, codebook: str) -> set[str]: ...
    def count(
        self,
        codebook: str,
        statuses: Sequence[str],
        codes: Sequence[str],
        review_rows: Sequence[int],
    ) -> int: ...
    def texts(
        self,
        codebook: str,
        statuses: Sequence[str],
        codes: Sequence[str],
        review_rows: Sequence[int],
    ) -> list[str]: ...
    def extracts(
        self,
        codebook: str,
        statuses: Sequence[str],
        codes: Sequence[str],
        review_rows: Sequence[int],
        limit: int,
        offset: int = ...,
    ) -> list[Extract]: ...
    def decisions(self, variable: str) -> list[CaseValue]: ...


class Recommendations(Protocol):
    """The recommendations register: found, corrected, tracked."""

    def replace_extracted(
        self, review_row: int, version_id: int, found: Sequence[FoundRecommendation]
    ) -> list[int]: ...
    def extracted_versions(self) -> dict[int, int]: ...
    def unextracted(self) -> list[int]: ...
    def current(self, review_rows: Sequence[int] | None = ...) -> list[StoredRecommendation]: ...
    def get(self, rec_id: int) -> StoredRecommendation | None: ...
    def update(
        self, rec_id: int, changes: dict[str, str | None], actor: str, note: str | None
    ) -> StoredRecommendation: ...
    def history(self, rec_id: int) -> list[HistoryEntry]: ...
    def correct(
        self, rec_id: int, changes: dict[str, str | None], actor: str, note: str | None
    ) -> StoredRecommendation: ...
    def split(
        self, rec_id: int, first: str, second: str, second_number: str, actor: str
    ) -> tuple[StoredRecommendation, StoredRecommendation]: ...
    def merge(self, keep_id: int, other_id: int, text: str, actor: str) -> StoredRecommendation: ...
    def set_themes(self, themes: dict[int, list[str]]) -> None: ...
    def add_note(
        self, rec_id: int, actor: str, note: str, files: Sequence[tuple[str, str, int, str]] = ...
    ) -> int: ...
    def attachments(self, rec_id: int) -> list[Attachment]: ...
    def attachment(self, attachment_id: int) -> Attachment | None: ...


class Groupings(Protocol):
    """Recurring recommendations as last grouped, and topic vectors."""

    def vectors(self, model: str) -> dict[str, bytes]: ...
    def put_vectors(
        self, model: str, items: Sequence[tuple[str, bytes]], keep: Sequence[str]
    ) -> None: ...
    def grouping(self) -> StoredGrouping | None: ...
    def put_grouping(
        self, fingerprint: str, threshold: float, assignments: Mapping[int, tuple[int, float]]
    ) -> None: ...


class QualityResults(Protocol):
    """Stored quality checklist results per review version."""

    def lookup(self, review_rows: Sequence[int], checklist: str) -> dict[int, QualityStamp]: ...
    def store(self, results: Sequence[tuple[QualityStamp, str]], checklist: str) -> None: ...


class Renditions(Protocol):
    """Other formats of a review version's text, and reading state."""

    def reading_state(self, review_key: str) -> ReadingState | None: ...
    def add(self, new: NewRendition) -> None: ...
    def of_version(self, version_id: int) -> list[Rendition]: ...


class Accounts(Protocol):
    """Users, organisations, sessions, review access and saved searches."""

    def add_organisation(
        self, name: str, board: str | None = ..., kind: OrgKind | None = ...
    ) -> Organisation: ...
    def set_organisation(self, organisation_id: int, kind: OrgKind,
                         board: str | None) -> None: ...
    def organisations(self) -> list[Organisation]: ...
    def organisation(self, name_or_id: str | int) -> Organisation | None: ...
    def add_user(
        self,
        username: str,
        display_name: str,
        password_hash: str,
        role: Role,
        organisation_id: int | None,
    ) -> User: ...
    def users(self) -> list[User]: ...
    def user(self, user_id: int) -> User | None: ...
    def user_by_name(self, username: str) -> User | None: ...
    def credentials(self, username: str) -> Credentials | None: ...
    def update_user(self, user_id: int, **changes: Any) -> None: ...
    def add_session(
        self,
        token_hash: str,
        user_id: int,
        csrf_token: str,
        address: str | None,
        second_factor: bool,
    ) -> None: ...
    def session(self, token_hash: str) -> SessionRecord | None: ...
    def touch_session(self, token_hash: str, second_factor: bool | None = ...) -> None: ...
    def end_session(self, token_hash: str) -> None: ...
    def add_token(self, user_id: int, name: str, token_hash: str) -> int: ...
    def token_user(self, token_hash: str) -> User | None: ...
    def tokens(self, user_id: int) -> list[dict[str, Any]]: ...
    def revoke_token(self, user_id: int, token_id: int) -> bool: ...
    def restricted_reviews(self) -> dict[int, ReviewAccess]: ...
    def review_access(self, review_row: int) -> ReviewAccess: ...
    def set_review_access(
        self, review_row: int, level: AccessLevel, organisation_ids: Iterable[int], actor: str
    ) -> None: ...
    def save_search(self, user_id: int, name: str, query: str, params: dict[str, Any]) -> int: ...
    def saved_searches(self, user_id: int) -> list[SavedSearch]: ...
    def delete_saved_search(self, user_id: int, search_id: int) -> None: ...
    def record_failure(self, keys: Iterable[str]) -> None: ...
    def failures_since(self, key: str, since: str) -> int: ...
    def clear_failures(self, key: str) -> None: ...


class CaseFileAudits(Protocol):
    """Multi-agency case-file audits and their grades."""

    def create(
        self,
        organisation_id: int,
        title: str,
        questions: Sequence[Question],
        actor: str,
        audit: dict[str, Any],
    ) -> int: ...
    def get(self, audit_id: int) -> Audit | None: ...
    def listing(self) -> list[Audit]: ...
    def assigned_audits(self, organisation_id: int) -> set[int]: ...
    def cases(self, audit_id: int) -> list[AuditCase]: ...
    def add_case(
        self,
        audit_id: int,
        reference: str,
        agencies: Sequence[int],
        actor: str,
        audit: dict[str, Any],
    ) -> AuditCase: ...
    def grade(self, audit_id: int, grade: AuditGrade, audit: dict[str, Any]) -> None: ...
    def grades(self, audit_id: int, organisation_id: int | None = ...) -> list[AuditGrade]: ...
    def set_status(self, audit_id: int, status: str, actor: str, audit: dict[str, Any]) -> None: ...


class SelfEvaluations(Protocol):
    """Self-evaluation designs and agencies' returns."""

    def create(
        self,
        organisation_id: int,
        title: str,
        sections: Sequence[SSection],
        actor: str,
        audit: dict[str, Any],
    ) -> int: ...
    def set_design(
        self, selfeval_id: int, sections: Sequence[SSection], actor: str, audit: dict[str, Any]
    ) -> None: ...
    def get(self, selfeval_id: int) -> SelfEval | None: ...
    def listing(self) -> list[SelfEval]: ...
    def send(
        self, selfeval_id: int, agencies: Sequence[int], actor: str, audit: dict[str, Any]
    ) -> list[int]: ...
    def set_status(
        self, selfeval_id: int, status: str, actor: str, audit: dict[str, Any]
    ) -> None: ...
    def returns(
        self, selfeval_id: int | None = ..., organisation_id: int | None = ...
    ) -> list[SReturn]: ...
    def get_return(self, return_id: int) -> SReturn | None: ...
    def save(
        self,
        return_id: int,
        values: dict[str, str],
        files: Sequence[SFile],
        actor: str,
        audit: dict[str, Any],
    ) -> SReturn: ...
    def set_return_status(
        self, return_id: int, status: str, actor: str, note: str | None, audit: dict[str, Any]
    ) -> SReturn: ...
    def answers(self, return_ids: Sequence[int]) -> dict[int, dict[str, str]]: ...
    def files(self, return_ids: Sequence[int]) -> list[SFile]: ...
    def file(self, file_id: int) -> SFile | None: ...


class AnswerCodings(Protocol):
    """Free-text answers coded with a codebook's codes: a self-evaluation
    return's question, or a survey respondent's (row's) column."""

    def add(
        self,
        return_id: int,
        question_key: str,
        codebook: str,
        code: str,
        theme: str,
        how: str,
        confidence: float | None,
        answer: str,
        actor: str,
        audit: dict[str, Any],
    ) -> AnswerCoding: ...
    def get(self, coding_id: int) -> AnswerCoding | None: ...
    def remove(self, coding_id: int, actor: str, audit: dict[str, Any]) -> None: ...
    def current(
        self, return_ids: Sequence[int], codebook: str | None = ...
    ) -> list[AnswerCoding]: ...
    def add_survey_many(
        self,
        survey_id: int,
        cells: Sequence[tuple[int, str, str]],
        codebook: str,
        code: str,
        theme: str,
        how: str,
        confidence: float | None,
        actor: str,
        audit: dict[str, Any],
    ) -> list[AnswerCoding]: ...
    def current_survey(
        self, survey_id: int, codebook: str | None = ...
    ) -> list[AnswerCoding]: ...


class TriangulationNotes(Protocol):
    """Edited triangulation text, kept append-only."""

    def latest(self, organisation_id: int, theme: str) -> SavedNote | None: ...
    def save(
        self,
        organisation_id: int,
        theme: str,
        strengths: str,
        areas: str,
        actor: str,
        audit: dict[str, Any],
    ) -> int: ...


class Jobs(Protocol):
    """The one job queue: staged files to ingest, and long work started from
    the web; claimed by workers with heartbeats, fenced by claim."""

    stale_seconds: float
    max_attempts: int

    def enqueue(
        self,
        path: str | Path,
        original_name: str,
        options: dict[str, Any] | None = ...,
        actor: str = ...,
    ) -> int: ...
    def enqueue_task(self, kind: str, label: str, options: dict[str, Any], actor: str) -> int: ...
    def enqueue_single(self, kind: str, label: str, options: dict[str, Any], actor: str) -> int: ...
    def active(self, kind: str) -> Job | None: ...
    def claim(self, worker_id: str) -> Job | None: ...
    def heartbeat(self, job: Job) -> bool: ...
    def report(self, job: Job, progress: dict[str, Any]) -> bool: ...
    def finish(self, job: Job, result: dict[str, Any]) -> bool: ...
    def fail(self, job: Job, reason: str, retry: bool = ...) -> str | None: ...
    def release(self, job: Job) -> bool: ...
    def abandon(self, claimed_by_prefix: str) -> int: ...
    def earlier_ingest(self, job: Job) -> tuple[str, int | None] | None: ...
    def page_count(self, review_key: str, version: int | None) -> int | None: ...
    def get(self, job_id: int) -> Job | None: ...
    def list(
        self, limit: int = ..., status: str | None = ..., kind: str | None = ...
    ) -> list[Job]: ...
    def stats(self) -> dict[str, int]: ...


class Referrals(Protocol):
    """Referrals, their events and notices, the receiving organisation per
    local authority, and the indicators counted from them (one GROUP BY)."""

    def audit(self, actor: str, action: str, object_id: str, detail: dict[str, Any]) -> None: ...
    def set_receiver(
        self, local_authority: str, organisation_id: int, audit: ReferralAudit
    ) -> None: ...
    def receivers(self) -> dict[str, int]: ...
    def save(
        self,
        referral_id: int | None,
        form: ReferralForm,
        user_id: int | None,
        org_id: int | None,
        keys: tuple[str | None, str | None],
        audit: ReferralAudit,
    ) -> int: ...
    def submit(
        self, referral_id: int, receiving_org_id: int, received_on: str, audit: ReferralAudit
    ) -> str: ...
    def create_submitted(
        self,
        form: ReferralForm,
        user_id: int,
        org_id: int | None,
        keys: tuple[str | None, str | None],
        receiving_org_id: int,
        received_on: str,
        audit: ReferralAudit,
    ) -> Referral: ...
    def add_event(
        self, referral_id: int, event: Event, notice: tuple[int, str] | None, audit: ReferralAudit
    ) -> Event: ...
    def insert_imported(
        self,
        rows: Iterable[tuple[dict[str, Any], list[Event]]],
        audit: ReferralAudit,
        object_id: str,
    ) -> list[str]: ...
    def delete_updated_before(self, cutoff: str, audit: ReferralAudit) -> list[str]: ...
    def mark_read(self, user_id: int, referral_id: int) -> None: ...
    def derive_all(self) -> int: ...
    def get(self, referral_id: int) -> Referral | None: ...
    def by_reference(self, reference: str) -> Referral | None: ...
    def listing(self, f: QueueFilters) -> list[Referral]: ...
    def related(self, referral: Referral, limit: int = ...) -> list[Referral]: ...
    def notices(self, user_id: int, limit: int = ...) -> list[Notice]: ...
    def for_indicators(self, received_from: str, received_to: str) -> list[Referral]: ...
    def indicator_counts(
        self, received_from: str, received_to: str
    ) -> dict[str, dict[str, int]]: ...


# ----------------------------------------------------------- the SQL implementations
def extracts(store: Store) -> Extracts:
    from storfa.storage.sql.extracts import SQLExtracts

    return SQLExtracts(store.db)


def codebooks(store: Store) -> Codebooks:
    from storfa.storage.sql.codebooks import SQLCodebooks

    return SQLCodebooks(store.db)


def case_variables(store: Store) -> CaseVariables:
    from storfa.storage.sql.casevars import SQLCaseVariables

    return SQLCaseVariables(store.db)


def coding_matrix(store: Store) -> CodingMatrix:
    from storfa.storage.sql.coding_matrix import SQLCodingMatrix

    return SQLCodingMatrix(store.db)


def recommendations(store: Store) -> Recommendations:
    from storfa.storage.sql.recommendations import SQLRecommendations

    return SQLRecommendations(store.db)


def groupings(store: Store) -> Groupings:
    from storfa.storage.sql.recurrence import SQLRecurrence

    return SQLRecurrence(store.db)


def quality_results(store: Store) -> QualityResults:
    from storfa.storage.sql.quality import SQLQualityCache

    return SQLQualityCache(store.db)


def renditions(store: Store) -> Renditions:
    from storfa.storage.sql.renditions import SQLRenditions

    return SQLRenditions(store)


def accounts(store: Store) -> Accounts:
    from storfa.storage.sql.accounts import SQLAccounts

    return SQLAccounts(store.db)


def case_file_audits(store: Store) -> CaseFileAudits:
    from storfa.storage.sql.assurance_audits import AuditStore

    return AuditStore(store)


def self_evaluations(store: Store) -> SelfEvaluations:
    from storfa.storage.sql.assurance_selfevals import SelfEvalStore

    return SelfEvalStore(store)


def answer_codings(store: Store) -> AnswerCodings:
    from storfa.storage.sql.assurance_codings import AnswerCodingStore

    return AnswerCodingStore(store)


def triangulation_notes(store: Store) -> TriangulationNotes:
    from storfa.storage.sql.assurance_notes import TriangulationNotes as SQLNotes

    return SQLNotes(store)


def jobs(store: Store, stale_seconds: float | None = None, max_attempts: int | None = None) -> Jobs:
    """The job queue; a worker may set when a silent job is taken over and
    how many claims a job gets (`storfa worker --stale-after --max-attempts`)."""
    from storfa.storage.sql.jobs import JobQueue

    return JobQueue(
        store.db,
        DEFAULT_STALE_SECONDS if stale_seconds is None else stale_seconds,
        DEFAULT_MAX_ATTEMPTS if max_attempts is None else max_attempts,
    )


def referrals(store: Store) -> Referrals:
    from storfa.storage.sql.referrals import SQLReferrals

    return SQLReferrals(store.db, store.audit_in)
