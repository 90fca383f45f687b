"""Assurance pages (docs/assurance.md): the 12 Cs return (form per C with
evidence files, submit, reopen, grades over the years), the national
comparison, and practitioner surveys (upload, mapping step, results).

Thin over storfa.assurance: every rule and access check is in its services;
here NotVisible is 404, Forbidden 403, any other refusal is shown beside the
form it came from, with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from storfa.analysis.export import MEDIA_TYPES
from storfa.assurance.chart import sparkline
from storfa.assurance.paging import page_of
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.assurance.service import TwelveCsService, this_year
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.surveys import KINDS
from storfa.assurance.surveys import MAX_BYTES as SURVEY_MAX_BYTES
from storfa.assurance.twelve_cs import source
from storfa.assurance.twelve_cs import twelve_cs as all_cs
from storfa.domain.assurance import SCALE
from storfa.domain.errors import StorfaError
from storfa.recommendations.evidence import MAX_BYTES
from storfa.web.context import Visitor, visitor
from storfa.web.params import RowId
from storfa.web.render import render

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form()]
EXPORT_FORMATS = ("csv", "xlsx")
T = TypeVar("T")


def caller(v: Visitor) -> Caller:
    """The signed-in visitor as the services see them. Never user None: that
    is the CLI's owner authority, so a visitor who is not signed in stops here."""
    if v.user is None:
        raise HTTPException(401, "Sign in or send an API token.",
                            headers={"WWW-Authenticate": "Bearer"})
    return Caller(v.actor.name, v.user, v.actor.detail())


def twelve_cs(v: Visitor) -> TwelveCsService:
    return TwelveCsService.of(v.storfa, caller(v))


def surveys(v: Visitor) -> SurveyService:
    return SurveyService.of(v.storfa, caller(v))


class Refusal(HTTPException):
    """A service's refusal raised where no visitor is at hand: it keeps the
    refusal, so a page says it in its visitor's language (app.page_error)
    while the API answers in English."""

    def __init__(self, status_code: int, cause: StorfaError) -> None:
        super().__init__(status_code, str(cause))
        self.cause = cause


def http_error(v: Visitor | None, exc: StorfaError) -> HTTPException:
    """The refusal as an HTTP answer, in the visitor's language when a page asks."""
    status = 404 if isinstance(exc, NotVisible) else 403 if isinstance(exc, Forbidden) else 400
    return HTTPException(status, v.error(exc)) if v is not None else Refusal(status, exc)


@contextmanager
def refusals() -> Iterator[None]:
    """Service refusals as HTTP answers (pages and API alike)."""
    try:
        yield
    except StorfaError as exc:
        raise http_error(None, exc) from exc


def run(fn: Callable[[], T]) -> T:
    with refusals():
        return fn()


def download(data: bytes, name: str, fmt: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# ------------------------------------------------------------------ index
@router.get("/assurance")
def index_page(v: V, page: int = 1) -> Response:
    service = twelve_cs(v)
    home = service.home()
    mine = run(lambda: service.returns(home.id)) if home else []
    current = next((r for r in mine if r.year == this_year()), None)
    # Other organisations' returns, a page at a time (a national user sees
    # every board's submitted returns: thousands).
    others = run(lambda: service.return_page(page, others_only=True)) if service.national \
        else None
    return render(v, "assurance/index.html", home=home, mine=mine, current=current,
                  year=this_year(), national=service.national,
                  may_answer=service.may_answer(home.id) if home else False,
                  others=others, orgs=service.orgs,
                  surveys=surveys(v).listing(), max_mb=SURVEY_MAX_BYTES // (1024 * 1024))


@router.post("/assurance/returns/open")
def open_return(v: V, csrf_token: Csrf = "", year: Short = "") -> Response:
    v.check_csrf(csrf_token)
    service = twelve_cs(v)
    home = service.home()
    if home is None:
        raise HTTPException(403, v._("Your account belongs to no organisation."))
    wanted = int(year) if year.strip().isdigit() else None
    ret = run(lambda: service.open(home.id, wanted))
    return RedirectResponse(f"/assurance/returns/{ret.id}", status_code=303)


# ------------------------------------------------------------------ a return
def _return_page(v: Visitor, return_id: int, status: int = 200,
                 errors: dict[str, str] | None = None,
                 posted: dict[str, dict[str, str]] | None = None) -> Response:
    service = twelve_cs(v)
    view = run(lambda: service.view(return_id))
    history = service.history(view.ret.organisation_id)
    lines = {c: sparkline(history.grades.get(c, {}), history.years)
             for c in (x.c.key for x in view.cs)}
    return render(v, "assurance/return.html", status=status, view=view, scale=SCALE,
                  history=history, lines=lines, errors=errors or {}, posted=posted or {},
                  max_mb=MAX_BYTES // (1024 * 1024), source=source())


@router.get("/assurance/returns/{return_id}")
def return_page(v: V, return_id: RowId) -> Response:
    return _return_page(v, return_id)


@router.post("/assurance/returns/{return_id}/c/{c}")
async def save_c(v: V, return_id: RowId, c: str, csrf_token: Csrf = "", in_place: Text = "",
                 planned: Text = "", evidence: Text = "", grade: Short = "",
                 file: Annotated[UploadFile | None, File()] = None) -> Response:
    v.check_csrf(csrf_token)
    service = twelve_cs(v)
    files = []
    if file is not None and file.filename:
        files.append((file.filename, await file.read(MAX_BYTES + 1)))
    try:
        service.save(return_id, c, in_place, planned, evidence, grade, files)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        # Shown beside the C with what was typed, so nothing is lost.
        posted = {"in_place": in_place, "planned": planned, "evidence": evidence,
                  "grade": grade}
        return _return_page(v, return_id, 400, {c: v.error(exc)}, {c: posted})
    return RedirectResponse(f"/assurance/returns/{return_id}#c-{c}", status_code=303)


@router.post("/assurance/returns/{return_id}/submit")
def submit(v: V, return_id: RowId, csrf_token: Csrf = "") -> Response:
    v.check_csrf(csrf_token)
    service = twelve_cs(v)
    try:
        service.submit(return_id)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        return _return_page(v, return_id, 400, {"_return": v.error(exc)})
    return RedirectResponse(f"/assurance/returns/{return_id}", status_code=303)


@router.post("/assurance/returns/{return_id}/reopen")
def reopen(v: V, return_id: RowId, csrf_token: Csrf = "", reason: Text = "") -> Response:
    v.check_csrf(csrf_token)
    service = twelve_cs(v)
    run(lambda: service.reopen(return_id, reason))
    return RedirectResponse(f"/assurance/returns/{return_id}", status_code=303)


@router.get("/assurance/returns/{return_id}/files/{file_id}")
def evidence_file(v: V, return_id: RowId, file_id: RowId) -> Response:
    found, data = run(lambda: twelve_cs(v).evidence_file(return_id, file_id))
    name = found.filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return Response(data, media_type=found.media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})


# ------------------------------------------------------------------ compare
def _year(request: Request) -> int:
    text = request.query_params.get("year", "").strip()
    return int(text) if text.isdigit() else this_year()


@router.get("/assurance/compare")
def compare_page(v: V, page: int = 1) -> Response:
    year = _year(v.request)
    found, at = run(lambda: twelve_cs(v).compare_page(year, page))
    return render(v, "assurance/compare.html", found=found, at=at, scale=SCALE, year=year,
                  cs=all_cs())


@router.get("/assurance/compare/export.{fmt}")
def compare_export(v: V, fmt: str) -> Response:
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, v._("There is no such table to download."))
    year = _year(v.request)
    data = run(lambda: twelve_cs(v).export_comparison(year, fmt))
    return download(data, f"storfa-12cs-{year}", fmt)


# ------------------------------------------------------------------ surveys
@router.post("/assurance/surveys")
async def upload_survey(v: V, csrf_token: Csrf = "", title: Short = "",
                        file: Annotated[UploadFile | None, File()] = None) -> Response:
    v.check_csrf(csrf_token)
    service = surveys(v)
    home = service.home()
    if home is None:
        raise HTTPException(403, v._("Your account belongs to no organisation."))
    if file is None or not file.filename:
        raise HTTPException(400, v._("Choose a CSV or XLSX file."))
    data = await file.read(SURVEY_MAX_BYTES + 1)
    survey_id = run(lambda: service.import_file(home.id, title, file.filename or "", data))
    return RedirectResponse(f"/assurance/surveys/{survey_id}/mapping", status_code=303)


@router.get("/assurance/surveys/{survey_id}/mapping")
def mapping_page(v: V, survey_id: RowId) -> Response:
    service = surveys(v)
    survey = run(lambda: service.get(survey_id))
    return render(v, "assurance/survey_mapping.html", survey=survey,
                  choices=service.choices(survey), kinds=KINDS, error=None)


@router.post("/assurance/surveys/{survey_id}/mapping")
async def save_mapping(v: V, survey_id: RowId) -> Response:
    form = await v.request.form()
    v.check_csrf(str(form.get("csrf_token", "")))
    service = surveys(v)
    survey = run(lambda: service.get(survey_id))
    mapping: list[dict[str, Any]] = []
    for i, column in enumerate(survey.columns):
        mapping.append({"column": column, "kind": str(form.get(f"kind_{i}", "ignore"))[:20],
                        "question": str(form.get(f"question_{i}", ""))[:500]})
    try:
        service.map(survey_id, mapping)
    except (NotVisible, Forbidden) as exc:
        raise http_error(v, exc) from exc
    except StorfaError as exc:
        choices = [c.__class__(c.position, c.column, c.samples, mapping[c.position]["question"],
                               mapping[c.position]["kind"]) for c in service.choices(survey)]
        return render(v, "assurance/survey_mapping.html", status=400, survey=survey,
                      choices=choices, kinds=KINDS, error=v.error(exc))
    return RedirectResponse(f"/assurance/surveys/{survey_id}", status_code=303)


@router.get("/assurance/surveys/{survey_id}")
def survey_page(v: V, survey_id: RowId, text: int = 0, page: int = 1) -> Response:
    """The results; each free-text question's answers a page at a time (`text`
    is the question's number on the page, `page` its page; the others show
    their first)."""
    service = surveys(v)
    survey = run(lambda: service.head(survey_id))
    if not survey.mapped:
        return RedirectResponse(f"/assurance/surveys/{survey_id}/mapping", status_code=303)
    found = run(lambda: service.summary(survey_id))
    texts = {i: page_of(q.texts, page if i == text else 1)
             for i, q in enumerate(found.questions, start=1) if q.kind == "text"}
    return render(v, "assurance/survey.html", survey=found.survey, results=found.questions,
                  respondents=found.respondents, texts=texts)


@router.get("/assurance/surveys/{survey_id}/export.{fmt}")
def survey_export(v: V, survey_id: RowId, fmt: str) -> Response:
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, v._("There is no such table to download."))
    data = run(lambda: surveys(v).export_results(survey_id, fmt))
    return download(data, f"storfa-survey-{survey_id}", fmt)
