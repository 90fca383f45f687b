"""Pages for case-file audits, self-evaluations, coding free-text answers
(self-evaluations' and surveys') and triangulation (docs/assurance.md). Thin
over storfa.assurance: every rule and access check is in the services;
NotVisible is 404, Forbidden 403, and any other refusal is shown on the page
it came from (status 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import RedirectResponse, Response

from storfa.assurance import access
from storfa.assurance.answer_coding import Answer, AnswerCodingService, AnswerSuggestion
from storfa.assurance.audit_service import CaseAuditService
from storfa.assurance.audits import parse_question
from storfa.assurance.paging import page_of
from storfa.assurance.scope import Forbidden, NotVisible
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.selfevals import KINDS, SCORE, templates
from storfa.assurance.survey_coding import SurveyAnswer, SurveyCodingService
from storfa.assurance.triangulation import TriangulationService
from storfa.coding.codebook_store import CodebookInfo
from storfa.domain.assurance import SCALE
from storfa.domain.errors import StorfaError
from storfa.recommendations.evidence import MAX_BYTES
from storfa.web.context import Visitor
from storfa.web.params import RowId
from storfa.web.render import render
from storfa.web.routes.assurance import (
    EXPORT_FORMATS,
    Csrf,
    Short,
    Text,
    V,
    caller,
    download,
    http_error,
    run,
)

router = APIRouter()


def audits(v: Visitor) -> CaseAuditService:
    return CaseAuditService.of(v.storfa, caller(v))


def selfevals(v: Visitor) -> SelfEvalService:
    return SelfEvalService.of(v.storfa, caller(v))


def _back(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


# ------------------------------------------------------------------ index
@router.get("/assurance/exercises")
def exercises_page(v: V, error: str = "") -> Response:
    service = audits(v)
    home = service.home()
    return render(v, "assurance/exercises.html", status=400 if error else 200,
                  audits=service.listing(), selfevals=selfevals(v).listing(), home=home,
                  orgs=service.orgs, templates=templates(), error=error,
                  may_run=access.can_run_exercises(v.user, home))


@router.post("/assurance/audits")
def create_audit(v: V, csrf_token: Csrf = "", title: Short = "",
                 questions: Text = "") -> Response:
    v.check_csrf(csrf_token)
    service = audits(v)
    home = service.home()
    if home is None:
        raise HTTPException(403, v._("Your account belongs to no organisation."))
    parsed = [parse_question(line) for line in questions.splitlines() if line.strip()]
    try:
        audit_id = service.create(home.id, title, parsed)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        return exercises_page(v, v.error(exc))
    return _back(f"/assurance/audits/{audit_id}")


def _acted(v: Visitor, act: Callable[[], object], page: Callable[[str], Response],
           back: str) -> Response:
    """Do what a form asks: a refusal of access is an HTTP error, any other
    refusal shows the form's page again with the message; done, back to `back`."""
    try:
        act()
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        return page(v.error(exc))
    return _back(back)


# ------------------------------------------------------------------ audits
def _audit_page(v: Visitor, audit_id: int, error: str = "") -> Response:
    service = audits(v)
    view = run(lambda: service.view(audit_id))
    found = run(lambda: service.results(audit_id))
    mine = {(g.case_id, g.question_key): g for g in view.grades
            if g.organisation_id == view.may_grade_for}
    return render(v, "assurance/audit.html", status=400 if error else 200, view=view,
                  found=found, names=service.names(), scale=SCALE, mine=mine, error=error)


@router.get("/assurance/audits/{audit_id}")
def audit_page(v: V, audit_id: RowId) -> Response:
    return _audit_page(v, audit_id)


@router.post("/assurance/audits/{audit_id}/cases")
def add_case(v: V, audit_id: RowId, csrf_token: Csrf = "", reference: Short = "",
             agencies: Short = "") -> Response:
    v.check_csrf(csrf_token)
    names = [a.strip() for a in agencies.split(",") if a.strip()]
    return _acted(v, lambda: audits(v).add_case(audit_id, reference, names),
                  lambda error: _audit_page(v, audit_id, error),
                  f"/assurance/audits/{audit_id}")


@router.post("/assurance/audits/{audit_id}/grades")
def grade_case(v: V, audit_id: RowId, csrf_token: Csrf = "", case: Short = "",
               question: Short = "", grade: Short = "", comment: Text = "") -> Response:
    v.check_csrf(csrf_token)
    return _acted(v, lambda: audits(v).grade(audit_id, case, question, grade, comment),
                  lambda error: _audit_page(v, audit_id, error),
                  f"/assurance/audits/{audit_id}")


@router.post("/assurance/audits/{audit_id}/publish")
def publish_audit(v: V, audit_id: RowId, csrf_token: Csrf = "") -> Response:
    v.check_csrf(csrf_token)
    run(lambda: audits(v).publish(audit_id))
    return _back(f"/assurance/audits/{audit_id}")


@router.get("/assurance/audits/{audit_id}/export.{fmt}")
def audit_export(v: V, audit_id: RowId, fmt: str) -> Response:
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, v._("There is no such table to download."))
    return download(run(lambda: audits(v).export_results(audit_id, fmt)),
                    f"storfa-audit-{audit_id}", fmt)


# ------------------------------------------------------------------ self-evaluations
@router.post("/assurance/self-evaluations")
def create_selfeval(v: V, csrf_token: Csrf = "", title: Short = "",
                    template: Short = "core") -> Response:
    v.check_csrf(csrf_token)
    service = selfevals(v)
    home = service.home()
    if home is None:
        raise HTTPException(403, v._("Your account belongs to no organisation."))
    se_id = run(lambda: service.create(home.id, title, template))
    return _back(f"/assurance/self-evaluations/{se_id}")


def _selfeval_page(v: Visitor, selfeval_id: int, error: str = "") -> Response:
    service = selfevals(v)
    se = run(lambda: service.get(selfeval_id))
    found = run(lambda: service.results(selfeval_id))
    mine = next((r for r in found.returns if r.organisation_id == (
        v.user.organisation_id if v.user else None)), None)
    return render(v, "assurance/selfeval.html", status=400 if error else 200, se=se,
                  found=found, names=service.names(), kinds=KINDS, mine=mine,
                  manage=service.may_manage(se), runs=service.runs(se), error=error)


@router.get("/assurance/self-evaluations/{selfeval_id}")
def selfeval_page(v: V, selfeval_id: RowId) -> Response:
    return _selfeval_page(v, selfeval_id)


@router.post("/assurance/self-evaluations/{selfeval_id}/questions")
def add_question(v: V, selfeval_id: RowId, csrf_token: Csrf = "", section: Short = "",
                 text: Short = "", kind: Short = "", options: Short = "",
                 theme: Short = "") -> Response:
    v.check_csrf(csrf_token)
    choices = [o for o in options.split(";") if o.strip()]
    return _acted(v, lambda: selfevals(v).add_question(selfeval_id, section, text, kind,
                                                       choices, theme),
                  lambda error: _selfeval_page(v, selfeval_id, error),
                  f"/assurance/self-evaluations/{selfeval_id}")


@router.post("/assurance/self-evaluations/{selfeval_id}/send")
def send_selfeval(v: V, selfeval_id: RowId, csrf_token: Csrf = "",
                  agencies: Short = "") -> Response:
    v.check_csrf(csrf_token)
    names = [a.strip() for a in agencies.split(",") if a.strip()]
    return _acted(v, lambda: selfevals(v).send(selfeval_id, names),
                  lambda error: _selfeval_page(v, selfeval_id, error),
                  f"/assurance/self-evaluations/{selfeval_id}")


@router.post("/assurance/self-evaluations/{selfeval_id}/publish")
def publish_selfeval(v: V, selfeval_id: RowId, csrf_token: Csrf = "") -> Response:
    v.check_csrf(csrf_token)
    run(lambda: selfevals(v).publish(selfeval_id))
    return _back(f"/assurance/self-evaluations/{selfeval_id}")


@router.get("/assurance/self-evaluations/{selfeval_id}/export.{fmt}")
def selfeval_export(v: V, selfeval_id: RowId, fmt: str) -> Response:
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, v._("There is no such table to download."))
    return download(run(lambda: selfevals(v).export_results(selfeval_id, fmt)),
                    f"storfa-self-evaluation-{selfeval_id}", fmt)


def _return_page(v: Visitor, return_id: int, error: str = "",
                 posted: dict[str, str] | None = None) -> Response:
    view = run(lambda: selfevals(v).view(return_id))
    values = {**view.answers, **(posted or {})}
    return render(v, "assurance/selfeval_return.html", status=400 if error else 200,
                  view=view, values=values, scale=SCALE, score=SCORE, error=error,
                  max_mb=MAX_BYTES // (1024 * 1024))


@router.get("/assurance/self-evaluation-returns/{return_id}")
def return_page(v: V, return_id: RowId) -> Response:
    return _return_page(v, return_id)


@router.post("/assurance/self-evaluation-returns/{return_id}")
async def save_return(v: V, return_id: RowId,
                      file: Annotated[UploadFile | None, File()] = None,
                      file_question: Annotated[str, Form(max_length=40)] = "") -> Response:
    form = await v.request.form()
    v.check_csrf(str(form.get("csrf_token", "")))
    service = selfevals(v)
    answers = {k[2:]: str(val)[:20_000] for k, val in form.items() if k.startswith("a_")}
    scores = {k[2:]: str(val)[:40] for k, val in form.items() if k.startswith("s_")}
    files = []
    if file is not None and file.filename:
        files.append((file_question, file.filename, await file.read(MAX_BYTES + 1)))
    try:
        service.save(return_id, answers, scores, files)
        if form.get("submit"):
            service.submit(return_id)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        # Shown with what was typed, so nothing is lost.
        posted = {**answers, **{SCORE + k: v for k, v in scores.items()}}
        return _return_page(v, return_id, v.error(exc), posted)
    return _back(f"/assurance/self-evaluation-returns/{return_id}")


@router.post("/assurance/self-evaluation-returns/{return_id}/reopen")
def reopen_return(v: V, return_id: RowId, csrf_token: Csrf = "", reason: Text = "") -> Response:
    v.check_csrf(csrf_token)
    run(lambda: selfevals(v).reopen(return_id, reason))
    return _back(f"/assurance/self-evaluation-returns/{return_id}")


@router.get("/assurance/self-evaluation-returns/{return_id}/files/{file_id}")
def return_file(v: V, return_id: RowId, file_id: RowId) -> Response:
    found, data = run(lambda: selfevals(v).evidence_file(return_id, file_id))
    name = found.filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return Response(data, media_type=found.media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})


# ------------------------------------------------------------------ coding free text
def _confidence(text: str) -> float | None:
    """An accepted suggestion's confidence as the form sends it back."""
    return float(text) if text.replace(".", "", 1).isdigit() else None


def _codebooks(v: Visitor, codebook: str) -> tuple[list[CodebookInfo], str]:
    """The codebooks to choose from (named by their titles on the page) and
    the one chosen: `codebook` if there is one so named, else the first."""
    books = v.storfa.codebooks.infos()
    names = [b.name for b in books]
    return books, codebook if codebook in names else (names[0] if names else "")


def _coding_page(v: Visitor, selfeval_id: int, codebook: str, error: str = "",
                 suggestions: list[AnswerSuggestion[Answer]] | None = None) -> Response:
    service = AnswerCodingService.of(v.storfa, caller(v))
    books, chosen = _codebooks(v, codebook)
    coded = run(lambda: service.coded(selfeval_id, chosen))
    return render(v, "assurance/selfeval_coding.html", status=400 if error else 200,
                  coded=coded, books=books, names=service.names(), error=error,
                  suggestions=suggestions,
                  may_code=service.selfevals.may_manage(coded.selfeval))


@router.get("/assurance/self-evaluations/{selfeval_id}/coding")
def selfeval_coding_page(v: V, selfeval_id: RowId, codebook: str = "") -> Response:
    return _coding_page(v, selfeval_id, codebook[:100])


@router.post("/assurance/self-evaluations/{selfeval_id}/coding/suggest")
def suggest_selfeval_codes(v: V, selfeval_id: RowId, csrf_token: Csrf = "",
                           codebook: Short = "") -> Response:
    v.check_csrf(csrf_token)
    service = AnswerCodingService.of(v.storfa, caller(v))
    try:
        found = service.suggest(selfeval_id, codebook)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        return _coding_page(v, selfeval_id, codebook, v.error(exc))
    return _coding_page(v, selfeval_id, codebook, suggestions=found)


@router.post("/assurance/self-evaluations/{selfeval_id}/codings")
def code_selfeval_answer(v: V, selfeval_id: RowId, csrf_token: Csrf = "",
                         return_id: Short = "", question: Short = "", codebook: Short = "",
                         code: Short = "", source: Short = "manual",
                         confidence: Short = "") -> Response:
    v.check_csrf(csrf_token)
    if not return_id.isdigit():
        raise HTTPException(404, v._("There is no such answer."))
    return _acted(v, lambda: AnswerCodingService.of(v.storfa, caller(v)).code(
                      selfeval_id, int(return_id), question, codebook, code, source,
                      _confidence(confidence)),
                  lambda error: _coding_page(v, selfeval_id, codebook, error),
                  f"/assurance/self-evaluations/{selfeval_id}/coding?codebook="
                  f"{quote(codebook)}")


@router.post("/assurance/self-evaluations/{selfeval_id}/codings/{coding_id}/remove")
def uncode_selfeval_answer(v: V, selfeval_id: RowId, coding_id: RowId, csrf_token: Csrf = "",
                           codebook: Short = "") -> Response:
    v.check_csrf(csrf_token)
    return _acted(v, lambda: AnswerCodingService.of(v.storfa, caller(v)).uncode(
                      selfeval_id, coding_id),
                  lambda error: _coding_page(v, selfeval_id, codebook, error),
                  f"/assurance/self-evaluations/{selfeval_id}/coding?codebook="
                  f"{quote(codebook)}")


# ------------------------------------------------------------------ coding survey answers
# Answers the page asks suggestions for at a time: the coder reads a few
# hundred a second, and a person reviews them a page at a time.
SUGGEST_BATCH = 200


def _survey_coding_page(v: Visitor, survey_id: int, codebook: str, column: str = "",
                        show: str = "", page: int = 1, error: str = "",
                        suggestions: list[AnswerSuggestion[SurveyAnswer]] | None = None
                        ) -> Response:
    """The counts per code, and a page of the answers: all of them, the
    uncoded (`show=uncoded`) or those with one code (`show=CODE`)."""
    service = SurveyCodingService.of(v.storfa, caller(v))
    books, chosen = _codebooks(v, codebook)
    coded = run(lambda: service.coded(survey_id, chosen, column))
    listed = (coded.uncoded if show == "uncoded" else coded.with_code(show) if show
              else coded.answers)
    shown, at = page_of(listed, page)
    columns = [m for m in coded.survey.mapping if m["kind"] == "text"]
    return render(v, "assurance/survey_coding.html", status=400 if error else 200,
                  coded=coded, books=books, columns=columns, column=column, show=show,
                  shown=shown, at=at, error=error, suggestions=suggestions,
                  batch=SUGGEST_BATCH, may_code=service.may_code(coded.survey))


def _survey_back(survey_id: int, codebook: str, column: str) -> str:
    return (f"/assurance/surveys/{survey_id}/coding?codebook={quote(codebook)}"
            f"&column={quote(column)}")


@router.get("/assurance/surveys/{survey_id}/coding")
def survey_coding_page(v: V, survey_id: RowId, codebook: str = "", column: str = "",
                       show: str = "", page: int = 1) -> Response:
    return _survey_coding_page(v, survey_id, codebook[:100], column[:500], show[:200], page)


@router.post("/assurance/surveys/{survey_id}/coding/suggest")
def suggest_survey_codes(v: V, survey_id: RowId, csrf_token: Csrf = "",
                         codebook: Short = "", column: Short = "") -> Response:
    v.check_csrf(csrf_token)
    service = SurveyCodingService.of(v.storfa, caller(v))
    try:
        found = service.suggest(survey_id, codebook, column=column, limit=SUGGEST_BATCH)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        return _survey_coding_page(v, survey_id, codebook, column, error=v.error(exc))
    return _survey_coding_page(v, survey_id, codebook, column, suggestions=found)


@router.post("/assurance/surveys/{survey_id}/codings")
def code_survey_answer(v: V, survey_id: RowId, csrf_token: Csrf = "", row: Short = "",
                       column: Short = "", codebook: Short = "", code: Short = "",
                       source: Short = "manual", confidence: Short = "",
                       within: Short = "", identical: Short = "") -> Response:
    """Code one answer and, when the coder ticked it (`identical`), its
    identical answers; `within` is the column the page was showing, to go back to."""
    v.check_csrf(csrf_token)
    if not row.isdigit():
        raise HTTPException(404, v._("There is no such answer."))
    service = SurveyCodingService.of(v.storfa, caller(v))
    act = service.code_identical if identical == "1" else service.code
    return _acted(v, lambda: act(survey_id, int(row), column, codebook, code, source,
                                 _confidence(confidence)),
                  lambda error: _survey_coding_page(v, survey_id, codebook, within,
                                                    error=error),
                  _survey_back(survey_id, codebook, within))


@router.post("/assurance/surveys/{survey_id}/codings/{coding_id}/remove")
def uncode_survey_answer(v: V, survey_id: RowId, coding_id: RowId, csrf_token: Csrf = "",
                         codebook: Short = "", within: Short = "") -> Response:
    v.check_csrf(csrf_token)
    return _acted(v, lambda: SurveyCodingService.of(v.storfa, caller(v)).uncode(
                      survey_id, coding_id),
                  lambda error: _survey_coding_page(v, survey_id, codebook, within,
                                                    error=error),
                  _survey_back(survey_id, codebook, within))


# ------------------------------------------------------------------ triangulation
def _triangulate(v: Visitor) -> tuple[TriangulationService, object]:
    q = v.request.query_params
    service = TriangulationService.of(v.storfa, caller(v))
    home = service.home()
    org = q.get("org", "").strip()
    theme = q.get("theme", "").strip()[:80]
    also = [t.strip() for t in q.get("also", "").split(",") if t.strip()][:10]
    if not theme:
        return service, None
    org_id = run(lambda: service.organisation(org).id) if org else (home.id if home else 0)
    return service, run(lambda: service.build(org_id, theme, also, v.hidden))


@router.get("/assurance/triangulation")
def triangulation_page(v: V) -> Response:
    from storfa.assurance.drafting import DEVELOPMENT_SHARE, MAX_CHARS, STRENGTH_SHARE
    from storfa.assurance.triangulation import Triangulation

    service, found = _triangulate(v)
    notes = drafted = None
    if isinstance(found, Triangulation):
        notes, drafted = found.notes(v.lang), found.drafted(v.lang)
    return render(v, "assurance/triangulation.html", found=found, orgs=service.orgs,
                  query=v.request.query_params, notes=notes, drafted=drafted,
                  max_chars=MAX_CHARS,
                  rules={"strong": STRENGTH_SHARE, "weak": DEVELOPMENT_SHARE},
                  may_edit=isinstance(found, Triangulation)
                  and service.may_edit(found.organisation_id))


@router.post("/assurance/triangulation/notes")
def save_triangulation_notes(v: V, csrf_token: Csrf = "", org: Short = "", theme: Short = "",
                             also: Short = "", strengths: Text = "",
                             areas: Text = "") -> Response:
    """A person's wording of the drafted strengths and areas for development."""
    from urllib.parse import urlencode

    v.check_csrf(csrf_token)
    service = TriangulationService.of(v.storfa, caller(v))
    org_id = run(lambda: service.organisation(org).id)
    run(lambda: service.save_notes(org_id, theme, strengths, areas))
    query = urlencode({"theme": theme, "also": also, "org": str(org_id)})
    return _back(f"/assurance/triangulation?{query}#tri-notes")


@router.get("/assurance/triangulation.{fmt}")
def triangulation_report(v: V, fmt: str) -> Response:
    from storfa.assurance.triangulation import Triangulation
    from storfa.assurance.triangulation_report import triangulation_file
    from storfa.reports.render import FORMATS

    if fmt not in FORMATS:
        raise HTTPException(404, v._("There is no such report to download."))
    _, found = _triangulate(v)
    if not isinstance(found, Triangulation):
        raise HTTPException(400, v._("Name the theme to triangulate."))
    data, media = triangulation_file(v.storfa.store, found, v.lang, fmt)
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="storfa-triangulation.{fmt}"'})
