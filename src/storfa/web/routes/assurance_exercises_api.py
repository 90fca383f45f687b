"""The JSON API for case-file audits, self-evaluations and triangulation
(/api/v1/assurance/…; docs/assurance.md): the same services as the pages and
the CLI. Something the caller may not see is 404, like something that does
not exist; a refusal of something visible is 403."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from storfa.assurance.answer_coding import AnswerCodingService
from storfa.assurance.audit_service import CaseAuditService
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.selfevals import templates
from storfa.assurance.survey_coding import SurveyCodingService
from storfa.assurance.triangulation import TriangulationService
from storfa.web.context import Visitor
from storfa.web.params import RowId
from storfa.web.routes.api import PROBLEMS, V
from storfa.web.routes.assurance import caller, run

router = APIRouter(prefix="/assurance", tags=["assurance"], responses=PROBLEMS)


def audits(v: Visitor) -> CaseAuditService:
    return CaseAuditService.of(v.storfa, caller(v))


def selfevals(v: Visitor) -> SelfEvalService:
    return SelfEvalService.of(v.storfa, caller(v))


def _home(service: CaseAuditService | SelfEvalService | TriangulationService,
          organisation_id: int | None) -> int:
    home = service.home()
    found = organisation_id or (home.id if home else None)
    if found is None:
        raise HTTPException(400, "Give organisation_id: your account has no organisation.")
    return found


class NewAudit(BaseModel):
    title: str = Field(max_length=200)
    organisation_id: int | None = Field(None, ge=1, le=2**62,
                                        description="Default: the caller's organisation.")
    questions: list[tuple[str, str]] = Field(
        default_factory=list, max_length=100,
        description="(question, theme) pairs; none: the five standard questions.")


class NewCase(BaseModel):
    reference: str = Field(max_length=40, description="A reference, never a name.")
    agencies: list[str] = Field(max_length=100, description="Organisation names or ids.")


class Grade(BaseModel):
    case: str = Field(max_length=40, description="The case's reference or id.")
    question: str = Field(max_length=500, description="The question's key (q1, …).")
    grade: str = Field(max_length=40, description="outstanding, good, "
                                                  "requires_improvement or unsatisfactory")
    comment: str = Field("", max_length=5000)


class NewSelfEval(BaseModel):
    title: str = Field("", max_length=200)
    organisation_id: int | None = Field(None, ge=1, le=2**62)
    template: str | None = Field("core", max_length=40, description="core or section11")
    design: list[dict[str, Any]] | None = Field(
        None, max_length=50, description="Sections (title, theme, questions of text, kind "
                                         "yesno/scale/choice/text/evidence, options); "
                                         "overrides the template.")


class Send(BaseModel):
    agencies: list[str] = Field(max_length=500)


class Fill(BaseModel):
    answers: dict[str, str] = Field(default_factory=dict, max_length=500,
                                    description="Question key → answer.")
    scores: dict[str, str] = Field(default_factory=dict, max_length=100,
                                   description="Section key → self-score grade.")


class Reopen(BaseModel):
    reason: str = Field(max_length=2000)


class Suggest(BaseModel):
    codebook: str = Field(max_length=100)
    threshold: float | None = Field(None, ge=0.0, le=1.0,
                                    description="Default: the auto-coder's own.")


class Coding(BaseModel):
    """What a free-text answer is coded with (its answer named by a subclass)."""

    codebook: str = Field(max_length=100)
    code: str = Field(max_length=200)
    source: str = Field("manual", max_length=10,
                        description="manual, or model/term when accepting a suggestion")
    confidence: float | None = Field(None, ge=0.0, le=1.0)


class CodeAnswer(Coding):
    return_id: int = Field(ge=1, le=2**62)
    question: str = Field(max_length=40, description="The free-text question's key (s1q2, …).")


# ------------------------------------------------------------------ audits
@router.get("/audits")
def list_audits(v: V) -> dict[str, Any]:
    """Case-file audits the caller may see."""
    return {"audits": [{"id": a.id, "title": a.title, "status": a.status,
                        "organisation_id": a.organisation_id} for a in audits(v).listing()]}


@router.post("/audits")
def create_audit(v: V, body: NewAudit) -> dict[str, Any]:
    """Start a case-file audit for the board."""
    service = audits(v)
    org = _home(service, body.organisation_id)
    audit_id = run(lambda: service.create(org, body.title, body.questions))
    return run(lambda: service.view(audit_id).as_json(service.names()))


@router.get("/audits/{audit_id}")
def get_audit(v: V, audit_id: RowId) -> dict[str, Any]:
    """The audit with the cases and grades the caller may see."""
    service = audits(v)
    return run(lambda: service.view(audit_id).as_json(service.names()))


@router.post("/audits/{audit_id}/cases")
def add_case(v: V, audit_id: RowId, body: NewCase) -> dict[str, Any]:
    """List a case by reference (anything like a name is refused) and assign agencies."""
    service = audits(v)
    case = run(lambda: service.add_case(audit_id, body.reference, body.agencies))
    return {"id": case.id, "reference": case.reference, "agencies": list(case.agencies)}


@router.put("/audits/{audit_id}/grades")
def grade_case(v: V, audit_id: RowId, body: Grade) -> dict[str, Any]:
    """The caller's agency grades one question of one case (400 outside the scale)."""
    return run(lambda: audits(v).grade(audit_id, body.case, body.question, body.grade,
                                       body.comment).as_json())


@router.post("/audits/{audit_id}/publish")
def publish_audit(v: V, audit_id: RowId) -> dict[str, Any]:
    """Publish: agencies then see the results of all."""
    audit = run(lambda: audits(v).publish(audit_id))
    return {"id": audit.id, "status": audit.status}


@router.get("/audits/{audit_id}/results")
def audit_results(v: V, audit_id: RowId) -> dict[str, Any]:
    """Distributions per question, agency and theme, and disagreements."""
    service = audits(v)
    return run(lambda: service.results(audit_id).as_json(service.names()))


# ------------------------------------------------------------------ self-evaluations
@router.get("/self-evaluations/templates")
def selfeval_templates() -> dict[str, Any]:
    return {"templates": [{"key": k, "title": t, "source": s}
                          for k, (t, s) in templates().items()]}


@router.get("/self-evaluations")
def list_selfevals(v: V) -> dict[str, Any]:
    return {"self_evaluations": [{"id": s.id, "title": s.title, "status": s.status,
                                  "organisation_id": s.organisation_id}
                                 for s in selfevals(v).listing()]}


@router.post("/self-evaluations")
def create_selfeval(v: V, body: NewSelfEval) -> dict[str, Any]:
    """Design a self-evaluation from a template or sections of questions."""
    service = selfevals(v)
    org = _home(service, body.organisation_id)
    se_id = run(lambda: service.create(org, body.title, body.template, body.design))
    se = service.get(se_id)
    return {"id": se.id, "title": se.title, "status": se.status,
            "sections": [s.as_json() for s in se.sections]}


@router.get("/self-evaluations/{selfeval_id}")
def get_selfeval(v: V, selfeval_id: RowId) -> dict[str, Any]:
    se = run(lambda: selfevals(v).get(selfeval_id))
    return {"id": se.id, "title": se.title, "status": se.status,
            "organisation_id": se.organisation_id,
            "sections": [s.as_json() for s in se.sections]}


@router.post("/self-evaluations/{selfeval_id}/send")
def send_selfeval(v: V, selfeval_id: RowId, body: Send) -> dict[str, Any]:
    """Send to agencies: each gets a draft return."""
    return {"sent": run(lambda: selfevals(v).send(selfeval_id, body.agencies))}


@router.get("/self-evaluations/{selfeval_id}/return")
def my_return(v: V, selfeval_id: RowId) -> dict[str, Any]:
    """The caller's agency's return."""
    service = selfevals(v)
    return run(lambda: service.view(service.find_return(selfeval_id).id).as_json())


@router.post("/self-evaluations/{selfeval_id}/publish")
def publish_selfeval(v: V, selfeval_id: RowId) -> dict[str, Any]:
    se = run(lambda: selfevals(v).publish(selfeval_id))
    return {"id": se.id, "status": se.status}


@router.get("/self-evaluations/{selfeval_id}/results")
def selfeval_results(v: V, selfeval_id: RowId) -> dict[str, Any]:
    """Who has not returned; counts and percentages per question; scores by section."""
    service = selfevals(v)
    return run(lambda: service.results(selfeval_id).as_json(service.names()))


@router.get("/self-evaluation-returns/{return_id}")
def get_selfeval_return(v: V, return_id: RowId) -> dict[str, Any]:
    return run(lambda: selfevals(v).view(return_id).as_json())


@router.put("/self-evaluation-returns/{return_id}")
def fill_selfeval_return(v: V, return_id: RowId, body: Fill) -> dict[str, Any]:
    """Save a draft; answers left out keep what they say."""
    service = selfevals(v)
    run(lambda: service.save(return_id, body.answers, body.scores))
    return run(lambda: service.view(return_id).as_json())


@router.post("/self-evaluation-returns/{return_id}/submit")
def submit_selfeval_return(v: V, return_id: RowId) -> dict[str, Any]:
    service = selfevals(v)
    run(lambda: service.submit(return_id))
    return run(lambda: service.view(return_id).as_json())


@router.post("/self-evaluation-returns/{return_id}/reopen")
def reopen_selfeval_return(v: V, return_id: RowId, body: Reopen) -> dict[str, Any]:
    """The board reopens a submitted return, with the reason (audited)."""
    service = selfevals(v)
    run(lambda: service.reopen(return_id, body.reason))
    return run(lambda: service.view(return_id).as_json())


# ------------------------------------------------------------------ coding free text
def answer_coding(v: Visitor) -> AnswerCodingService:
    return AnswerCodingService.of(v.storfa, caller(v))


@router.get("/self-evaluations/{selfeval_id}/coding")
def selfeval_coding(v: V, selfeval_id: RowId,
                    codebook: Annotated[str, Query(max_length=100)]) -> dict[str, Any]:
    """Free-text answers coded with a codebook: counts per code with the coded
    answers, and the answers not coded yet (those the caller may see)."""
    service = answer_coding(v)
    return run(lambda: service.coded(selfeval_id, codebook).as_json(service.names()))


@router.post("/self-evaluations/{selfeval_id}/coding/suggestions")
def suggest_selfeval_codes(v: V, selfeval_id: RowId, body: Suggest) -> dict[str, Any]:
    """Auto-coding suggestions for the free-text answers (not stored; accept
    one by coding the answer with source model or term)."""
    service = answer_coding(v)
    found = run(lambda: service.suggest(selfeval_id, body.codebook, body.threshold))
    names = service.names()
    return {"suggestions": [s.as_json(names) for s in found]}


@router.post("/self-evaluations/{selfeval_id}/codings")
def code_selfeval_answer(v: V, selfeval_id: RowId, body: CodeAnswer) -> dict[str, Any]:
    """Code one free-text answer (the board's editors; audited)."""
    return run(lambda: answer_coding(v).code(selfeval_id, body.return_id, body.question,
                                             body.codebook, body.code, body.source,
                                             body.confidence)).as_json()


@router.delete("/self-evaluations/{selfeval_id}/codings/{coding_id}")
def uncode_selfeval_answer(v: V, selfeval_id: RowId, coding_id: RowId) -> dict[str, Any]:
    """Withdraw a coding (kept in the history; audited)."""
    run(lambda: answer_coding(v).uncode(selfeval_id, coding_id))
    return {"removed": coding_id}


# ------------------------------------------------------------------ coding survey answers
class SuggestSurvey(Suggest):
    column: str = Field("", max_length=500,
                        description="One free-text column (or its question); default all.")
    limit: int | None = Field(500, ge=1, le=50_000,
                              description="Suggest for the first this many answers not "
                                          "coded yet; null: every answer.")


class CodeSurveyAnswer(Coding):
    row: int = Field(ge=1, le=2**31, description="The respondent's row, 1 for the first.")
    column: str = Field(max_length=500, description="The free-text column (or its question).")
    identical: bool = Field(False, description="Also code every identical answer to the "
                                               "same question (the same text once whitespace "
                                               "and case are folded).")


def survey_coding(v: Visitor) -> SurveyCodingService:
    return SurveyCodingService.of(v.storfa, caller(v))


@router.get("/surveys/{survey_id}/coding")
def survey_coding_results(v: V, survey_id: RowId,
                          codebook: Annotated[str, Query(max_length=100)],
                          column: Annotated[str, Query(max_length=500)] = ""
                          ) -> dict[str, Any]:
    """A survey's free-text answers coded with a codebook: counts per code
    with the coded answers (row, column, text: nothing else of a respondent),
    and the answers not coded yet."""
    return run(lambda: survey_coding(v).coded(survey_id, codebook, column).as_json())


@router.post("/surveys/{survey_id}/coding/suggestions")
def suggest_survey_codes(v: V, survey_id: RowId, body: SuggestSurvey) -> dict[str, Any]:
    """Auto-coding suggestions for the free-text answers (not stored; accept
    one by coding the answer with source model or term)."""
    found = run(lambda: survey_coding(v).suggest(survey_id, body.codebook, body.threshold,
                                                 body.column, body.limit))
    return {"suggestions": [s.as_json({}) for s in found]}


@router.post("/surveys/{survey_id}/codings")
def code_survey_answer(v: V, survey_id: RowId, body: CodeSurveyAnswer) -> dict[str, Any]:
    """Code one respondent's free-text answer (the board's editors; audited):
    the answer's coding, and under `identical` those of its identical answers
    when asked to code them too (each audited as a single coding)."""
    service = survey_coding(v)
    answer = (survey_id, body.row, body.column, body.codebook, body.code, body.source,
              body.confidence)
    first, *rest = run(lambda: service.code_identical(*answer) if body.identical
                       else [service.code(*answer)])
    return {**first.as_json(), "identical": [c.as_json() for c in rest]}


@router.delete("/surveys/{survey_id}/codings/{coding_id}")
def uncode_survey_answer(v: V, survey_id: RowId, coding_id: RowId) -> dict[str, Any]:
    """Withdraw a coding (kept in the history; audited)."""
    run(lambda: survey_coding(v).uncode(survey_id, coding_id))
    return {"removed": coding_id}


# ------------------------------------------------------------------ triangulation
@router.get("/triangulation")
def triangulation(v: V, theme: Annotated[str, Query(max_length=80)],
                  also: Annotated[list[str] | None, Query(max_length=10)] = None,
                  organisation_id: Annotated[int | None, Query(ge=1, le=2**62)] = None
                  ) -> dict[str, Any]:
    """One theme side by side: self-evaluations, audits, survey, reviews; disagreements."""
    service = TriangulationService.of(v.storfa, caller(v))
    org = _home(service, organisation_id)
    return run(lambda: service.build(org, theme, also or [], v.hidden).as_json())
