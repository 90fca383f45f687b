"""The assurance part of the JSON API (/api/v1/assurance/...): 12 Cs returns
and practitioner surveys, the same services as the pages and the CLI
(docs/assurance.md). Errors are problem documents; a return or survey the
caller may not see is 404, like one that does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, UploadFile
from pydantic import BaseModel, Field

from storfa.assurance.paging import MAX_PAGE, MAX_PAGE_SIZE, PAGE_SIZE
from storfa.assurance.surveys import MAX_BYTES as SURVEY_MAX_BYTES
from storfa.assurance.twelve_cs import source, twelve_cs
from storfa.domain.assurance import SCALE
from storfa.recommendations.evidence import MAX_BYTES
from storfa.web.params import RowId
from storfa.web.routes.api import PROBLEMS, V
from storfa.web.routes.assurance import run, surveys
from storfa.web.routes.assurance import twelve_cs as cs_service

router = APIRouter(prefix="/assurance", tags=["assurance"], responses=PROBLEMS)
Id = RowId
YearQ = Annotated[int | None, Query(ge=1900, le=2200)]
CKey = Annotated[str, Path(max_length=80)]


class OpenReturn(BaseModel):
    organisation_id: int | None = Field(None, ge=1, le=2**62,
                                        description="Default: the caller's organisation.")
    year: int | None = Field(None, ge=1900, le=2200, description="Default: this year.")


class Answer(BaseModel):
    """Fields left out keep what the C says now; grade is a key of the scale."""

    in_place: str | None = Field(None, max_length=20_000)
    planned: str | None = Field(None, max_length=20_000)
    evidence: str | None = Field(None, max_length=20_000)
    grade: str | None = Field(None, max_length=40)


class Reopen(BaseModel):
    reason: str = Field(max_length=2000)


class Mapping(BaseModel):
    column: str = Field(max_length=500)
    kind: str = Field(max_length=20, description="yesno, scale, choice, text or ignore")
    question: str | None = Field(None, max_length=500)


class SurveyMapping(BaseModel):
    mapping: list[Mapping] = Field(max_length=500)


@router.get("/twelve-cs")
def the_twelve_cs() -> dict[str, Any]:
    """The 12 Cs with their descriptions, and the grade scale with its meanings."""
    return {"source": source(),
            "cs": [{"c": c.key, "name": c.name, "group": c.group,
                    "description": c.description} for c in twelve_cs()],
            "scale": [{"grade": g.key, "label": g.label, "points": g.points,
                       "meaning": g.meaning} for g in SCALE]}


@router.get("/returns")
def list_returns(v: V, organisation_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
                 page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
                 per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE
                 ) -> dict[str, Any]:
    """The returns the caller may see (a board's own; submitted ones for national
    users), a page at a time: newest year first, then by organisation name, each
    return on exactly one page. `total` and `pages` say how many there are; a
    page past the last has no returns."""
    service = cs_service(v)
    found = service.return_page(page, per_page, organisation_id, past_end="empty")
    return {"returns": [{"id": r.id, "organisation_id": r.organisation_id,
                         "organisation": service.orgs[r.organisation_id].name, "year": r.year,
                         "status": r.status, "version": r.version}
                        for r in found.returns], **found.at.as_json()}


@router.post("/returns")
def open_return(v: V, body: OpenReturn) -> dict[str, Any]:
    """Open (or find) a return; a new year starts from the last year's answers."""
    service = cs_service(v)
    home = service.home()
    org_id = body.organisation_id or (home.id if home else None)
    if org_id is None:
        raise HTTPException(400, "Give organisation_id: your account has no organisation.")
    return run(lambda: service.view(service.open(org_id, body.year).id).as_json())


@router.get("/returns/{return_id}")
def get_return(v: V, return_id: Id,
               version: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> dict[str, Any]:
    """A return with each C (as it stood at `version`, default now) and its history."""
    service = cs_service(v)
    return run(lambda: service.view(return_id, version).as_json())


@router.put("/returns/{return_id}/cs/{c}")
def save_answer(v: V, return_id: Id, c: CKey, body: Answer) -> dict[str, Any]:
    """Record one C of a draft return. A grade outside the scale is refused (400)."""
    service = cs_service(v)
    return run(lambda: (service.save(return_id, c, body.in_place, body.planned,
                                     body.evidence, body.grade),
                        service.view(return_id).as_json())[1])


@router.post("/returns/{return_id}/cs/{c}/files")
async def add_file(v: V, return_id: Id, c: CKey,
                   file: Annotated[UploadFile, File(description="PDF, DOCX, PNG, JPEG or TXT; "
                                                    "up to 10 MB")]) -> dict[str, Any]:
    """Attach an evidence file to one C (checked by its content and size)."""
    service = cs_service(v)
    data = await file.read(MAX_BYTES + 1)
    name = file.filename or "evidence"
    return run(lambda: (service.save(return_id, c, files=[(name, data)]),
                        service.view(return_id).as_json())[1])


@router.post("/returns/{return_id}/submit")
def submit_return(v: V, return_id: Id) -> dict[str, Any]:
    """Submit and lock; refused while any C has no grade."""
    service = cs_service(v)
    return run(lambda: (service.submit(return_id), service.view(return_id).as_json())[1])


@router.post("/returns/{return_id}/reopen")
def reopen_return(v: V, return_id: Id, body: Reopen) -> dict[str, Any]:
    """Reopen a submitted return (national editors and administrators), with the reason."""
    service = cs_service(v)
    return run(lambda: (service.reopen(return_id, body.reason),
                        service.view(return_id).as_json())[1])


@router.get("/organisations/{organisation_id}/history")
def grade_history(v: V, organisation_id: Id) -> dict[str, Any]:
    """Each C's grade over the years, in the returns the caller may see."""
    service = cs_service(v)
    return run(lambda: service.history(organisation_id).as_json())


@router.get("/compare")
def compare(v: V, year: YearQ = None) -> dict[str, Any]:
    """Boards C by C for one year's submitted returns (national users)."""
    service = cs_service(v)
    return run(lambda: service.compare(year).as_json())


@router.get("/surveys")
def list_surveys(v: V) -> dict[str, Any]:
    return {"surveys": [{"id": s.id, "organisation_id": s.organisation_id, "title": s.title,
                         "filename": s.filename, "mapped": s.mapped,
                         "created_at": s.created_at} for s in surveys(v).listing()]}


@router.post("/surveys")
async def import_survey(v: V, file: Annotated[UploadFile, File(description="CSV or XLSX")],
                        title: Annotated[str, Form(max_length=200)] = "") -> dict[str, Any]:
    """Import a survey export for the caller's organisation; then PUT its mapping.
    A file that cannot be used is refused naming the rows and columns at fault."""
    service = surveys(v)
    home = service.home()
    if home is None:
        raise HTTPException(403, "Your account belongs to no organisation.")
    data = await file.read(SURVEY_MAX_BYTES + 1)
    survey_id = run(lambda: service.import_file(home.id, title, file.filename or "", data))
    choices = service.choices(service.get(survey_id))
    return {"id": survey_id, "columns": [{"column": c.column, "samples": c.samples,
                                          "suggested_kind": c.kind} for c in choices]}


@router.put("/surveys/{survey_id}/mapping")
def map_survey(v: V, survey_id: Id, body: SurveyMapping) -> dict[str, Any]:
    """Which question each column is, and of what kind."""
    service = surveys(v)
    items = [m.model_dump() for m in body.mapping]
    survey = run(lambda: service.map(survey_id, items))
    return {"id": survey.id, "mapping": survey.mapping}


@router.get("/surveys/{survey_id}/results")
def survey_results(v: V, survey_id: Id) -> dict[str, Any]:
    """Counts and percentages with their base per question; free text listed."""
    found = run(lambda: surveys(v).summary(survey_id))
    return {"id": found.survey.id, "title": found.survey.title,
            "respondents": found.respondents, "questions": [r.as_json() for r in found.questions]}
