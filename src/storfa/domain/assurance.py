"""Assurance types and the grade scale: no SQL, no web, no storage imports,
so the storage interface can name them without importing anything above it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from storfa.domain.errors import N_, StorfaError

DRAFT, SUBMITTED = "draft", "submitted"
STATUSES = (DRAFT, SUBMITTED)


@dataclass(frozen=True, slots=True)
class Grade:
    key: str
    label: str
    points: int  # for charts and averages: higher is better
    meaning: str


# The four-point scale the mission names for case-file audits, used for the
# 12 Cs too, so every assurance source grades on one scale and can be compared.
SCALE = (
    Grade("outstanding", "Outstanding", 4,
          "Fully in place across all partner agencies and embedded in everyday practice, "
          "with evidence that it improves practice and outcomes."),
    Grade("good", "Good", 3,
          "In place across most partner agencies with evidence that it works; the gaps "
          "that remain are known and being addressed."),
    Grade("requires_improvement", "Requires improvement", 2,
          "Partly in place or inconsistent between agencies; plans exist but there is "
          "little evidence yet of their effect."),
    Grade("unsatisfactory", "Unsatisfactory", 1,
          "Not in place, or with significant gaps and no agreed plan to close them."),
)
GRADES = {g.key: g for g in SCALE}


def parse_grade(text: str | None) -> str | None:
    """The grade's key from its key, label or points; None for no grade yet.
    Anything else is refused with the allowed values."""
    if text is None or not str(text).strip():
        return None
    wanted = str(text).strip().casefold().replace("-", " ").replace("_", " ")
    for g in SCALE:
        if wanted in (g.key.replace("_", " "), g.label.casefold(), str(g.points)):
            return g.key
    allowed = ", ".join(f"{g.key} ({g.points})" for g in SCALE)
    raise StorfaError(f"A grade is one of {allowed} (got {text!r}).")


@dataclass(frozen=True, slots=True)
class CsReturn:
    """One organisation's 12 Cs return for one year."""

    id: int
    organisation_id: int
    year: int
    status: str
    version: int  # bumped by every change, so any earlier state can be rebuilt
    carried_from: int | None
    created_at: str
    updated_at: str
    submitted_at: str | None = None
    submitted_by: str | None = None

    @property
    def locked(self) -> bool:
        return self.status == SUBMITTED


@dataclass(frozen=True, slots=True)
class CsAnswer:
    """What a return says about one C, as of one version of the return."""

    c_key: str
    in_place: str = ""
    planned: str = ""
    evidence: str = ""
    grade: str | None = None
    actor: str = ""
    at: str = ""
    version: int = 0
    carried: bool = False  # copied from last year's return, not yet saved this year

    def as_json(self) -> dict[str, Any]:
        return {"c": self.c_key, "in_place": self.in_place, "planned": self.planned,
                "evidence": self.evidence, "grade": self.grade, "actor": self.actor,
                "at": self.at, "version": self.version, "carried": self.carried}


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    id: int
    return_id: int
    c_key: str
    filename: str
    media_type: str
    size: int
    sha256: str
    actor: str
    at: str
    version: int = 0


@dataclass(frozen=True, slots=True)
class ReturnEvent:
    """One entry in a return's history: opened, saved, submitted, reopened."""

    version: int
    action: str
    actor: str
    at: str
    c_key: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GradeRow:
    """A C's current grade in one return: the unit of history and comparison."""

    organisation_id: int
    year: int
    status: str
    c_key: str
    grade: str | None


@dataclass(frozen=True, slots=True)
class Survey:
    """An imported practitioner survey: the file's columns and rows as text,
    and how each column maps to a question (empty until the mapping step)."""

    id: int
    organisation_id: int
    title: str
    filename: str
    sha256: str
    columns: list[str]
    rows: list[list[str]] = field(repr=False)
    mapping: list[dict[str, str]]
    actor: str
    created_at: str
    updated_at: str

    @property
    def mapped(self) -> bool:
        return bool(self.mapping)


# ------------------------------------------------------- case-file audits
AUDIT_OPEN, AUDIT_PUBLISHED = "open", "published"
# What the audit log calls a case-file audit.
AUDIT_OBJECT = "assurance_audit"


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    text: str
    theme: str

    def as_json(self) -> dict[str, str]:
        return {"key": self.key, "text": self.text, "theme": self.theme}


@dataclass(frozen=True, slots=True)
class Audit:
    id: int
    organisation_id: int  # the board running it
    title: str
    questions: list[Question]
    status: str
    actor: str
    created_at: str
    updated_at: str

    @property
    def published(self) -> bool:
        return self.status == AUDIT_PUBLISHED

    def question(self, key: str) -> Question:
        for q in self.questions:
            if key in (q.key, q.text) or key == str(self.questions.index(q) + 1):
                return q
        raise StorfaError(N_("The audit has no question {key!r}; its questions are "
                             "{keys}."), key=key, keys=", ".join(q.key for q in self.questions))


@dataclass(frozen=True, slots=True)
class AuditCase:
    id: int
    audit_id: int
    reference: str
    agencies: tuple[int, ...]  # organisation ids assigned to audit it


@dataclass(frozen=True, slots=True)
class AuditGrade:
    """An agency's current grade for one question of one case."""

    case_id: int
    organisation_id: int
    question_key: str
    grade: str
    comment: str
    actor: str = ""
    at: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "organisation_id": self.organisation_id,
                "question": self.question_key, "grade": self.grade, "comment": self.comment,
                "actor": self.actor, "at": self.at}


# ------------------------------------------------------- self-evaluations
SE_DESIGN, SE_SENT, SE_PUBLISHED = "design", "sent", "published"
# What the audit log calls a self-evaluation and an agency's return to one.
SE_OBJECT, SE_RETURN = "assurance_selfeval", "assurance_selfeval_return"


@dataclass(frozen=True, slots=True)
class SQuestion:
    key: str
    text: str
    kind: str
    options: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "text": self.text, "kind": self.kind,
                "options": list(self.options)}


@dataclass(frozen=True, slots=True)
class SSection:
    key: str
    title: str
    theme: str
    questions: tuple[SQuestion, ...]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "theme": self.theme,
                "questions": [q.as_json() for q in self.questions]}


@dataclass(frozen=True, slots=True)
class SelfEval:
    id: int
    organisation_id: int  # the board
    title: str
    sections: tuple[SSection, ...]
    status: str
    actor: str
    created_at: str
    updated_at: str

    def questions(self) -> dict[str, tuple[SSection, SQuestion]]:
        return {q.key: (s, q) for s in self.sections for q in s.questions}

    def section(self, key: str) -> SSection:
        for s in self.sections:
            if key in (s.key, s.title):
                return s
        raise StorfaError(f"The self-evaluation has no section {key!r}; its sections are "
                          f"{', '.join(s.key for s in self.sections)}.")


@dataclass(frozen=True, slots=True)
class SReturn:
    id: int
    selfeval_id: int
    organisation_id: int  # the agency
    status: str
    version: int
    created_at: str
    updated_at: str
    submitted_at: str | None = None
    submitted_by: str | None = None


@dataclass(frozen=True, slots=True)
class SFile:
    id: int
    return_id: int
    question_key: str
    filename: str
    media_type: str
    size: int
    sha256: str
    actor: str = ""
    at: str = ""


def design_json(sections: Iterable[SSection]) -> list[dict[str, Any]]:
    return [s.as_json() for s in sections]


SE_CODING = "assurance_answer_coding"
# Where a coded free-text answer comes from.
SELFEVAL, SURVEY = "selfeval", "survey"


@dataclass(frozen=True, slots=True)
class AnswerCoding:
    """A free-text answer coded with a codebook's code. The answer is a
    self-evaluation return's question (return_id, question_key) or a survey
    respondent's cell (survey_id, row: 1-based among the survey's rows,
    question_key: the file's column)."""

    id: int
    return_id: int | None
    question_key: str
    codebook: str
    code: str
    theme: str
    how: str  # manual, model or term (storfa.domain.coding)
    confidence: float | None
    answer: str  # the text as coded
    actor: str
    at: str
    survey_id: int | None = None
    row: int | None = None

    @property
    def kind(self) -> str:
        """What was answered: a self-evaluation or a survey (the table's source)."""
        return SURVEY if self.survey_id is not None else SELFEVAL

    @property
    def key(self) -> tuple[int, str]:
        """The answer within its self-evaluation (return, question) or survey
        (row, column)."""
        held = self.row if self.survey_id is not None else self.return_id
        assert held is not None  # the table's CHECK: each source names its answer
        return held, self.question_key

    def as_json(self) -> dict[str, Any]:
        where: dict[str, Any] = (
            {"survey_id": self.survey_id, "row": self.row, "column": self.question_key}
            if self.survey_id is not None else
            {"return_id": self.return_id, "question": self.question_key})
        # "source" is how the coding was made (manual, model, term), as the
        # API's coding requests name it.
        return {"id": self.id, **where, "codebook": self.codebook, "code": self.code,
                "theme": self.theme, "source": self.how, "confidence": self.confidence,
                "by": self.actor, "at": self.at}


# ------------------------------------------------------- triangulation
@dataclass(frozen=True)
class SavedNote:
    """What a person made of the draft: the current text, who saved it and when."""

    id: int
    strengths: str
    areas: str
    actor: str
    at: str
