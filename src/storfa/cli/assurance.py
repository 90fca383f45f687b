"""`storfa assurance ...`: the 12 Cs returns and practitioner surveys
(docs/assurance.md). Thin over storfa.assurance: parse, call, print.

The command line acts with the database owner's authority (like every
storfa command); each change is still audited under the CLI's name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.assurance.answer_coding import AnswerSuggestion, CodedSet
    from storfa.assurance.scope import Caller
    from storfa.assurance.service import ReturnView, TwelveCsService
    from storfa.assurance.survey_coding import SurveyAnswer
    from storfa.assurance.survey_service import SurveyService

assurance_app = typer.Typer(
    help="Assurance: 12 Cs returns (open, answer, submit, reopen, history, compare) and "
         "practitioner surveys (import, map, results, coding free text).", no_args_is_help=True)

OrgArg = Annotated[str, typer.Argument(metavar="ORG",
                                       help="Organisation: its name, id or board region.")]
YearOpt = Annotated[int | None, typer.Option(
    "--year", help="The return's year (default: this year).", show_default=False)]
SurveyArg = Annotated[int, typer.Argument(metavar="ID", help="Survey id (from survey-import).")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Also write a table: .csv or .xlsx.", show_default=False)]


def _caller() -> Caller:
    from storfa.assurance.scope import Caller
    from storfa.ingest.pipeline import cli_actor

    return Caller(cli_actor(), None, {"via": "cli"})


def _cs(ctx: typer.Context) -> TwelveCsService:
    from storfa.assurance.service import TwelveCsService

    return TwelveCsService.of(services(ctx), _caller())


def _surveys(ctx: typer.Context) -> SurveyService:
    from storfa.assurance.survey_service import SurveyService

    return SurveyService.of(services(ctx), _caller())


def _return_id(service: TwelveCsService, org: str, year: int | None) -> int:
    from storfa.assurance.service import this_year

    organisation = service.organisation(org)
    found = service.find(organisation.id, year or this_year())
    if found is None:
        raise StorfaError(f"{organisation.name} has no {year or this_year()} return yet: "
                          "run `storfa assurance open` first.")
    return found.id


def _print_return(view: ReturnView) -> None:
    from storfa.domain.assurance import GRADES

    r = view.ret
    out.print(f"[bold]{escape(view.organisation.name)}[/] · 12 Cs return {r.year} · "
              f"{r.status} · version {r.version}"
              + (f" · started from {r.carried_from}" if r.carried_from else ""))
    table = RichTable(box=box.SIMPLE)
    for name in ("C", "grade", "in place", "planned", "evidence", "files"):
        table.add_column(name)
    for v in view.cs:
        grade = GRADES[v.answer.grade].label if v.answer.grade in GRADES else "—"
        table.add_row(escape(v.c.name), grade, escape(v.answer.in_place[:60]),
                      escape(v.answer.planned[:60]), escape(v.answer.evidence[:60]),
                      str(len(v.files)))
    out.print(table)
    if view.missing:
        out.print(f"Not graded yet: {', '.join(c.name for c in view.missing)}")


@assurance_app.command("twelve-cs")
def twelve_cs_cmd(as_json: JsonOpt = False) -> None:
    """The 12 Cs with their descriptions, and the grade scale with its meanings."""
    from storfa.assurance.twelve_cs import source, twelve_cs
    from storfa.domain.assurance import SCALE

    if as_json:
        emit_json({"source": source(),
                   "cs": [{"c": c.key, "name": c.name, "group": c.group,
                           "description": c.description} for c in twelve_cs()],
                   "scale": [{"grade": g.key, "label": g.label, "points": g.points,
                              "meaning": g.meaning} for g in SCALE]})
        return
    for i, c in enumerate(twelve_cs(), start=1):
        out.print(f"[bold]{i}. {escape(c.name)}[/] ({c.key}; {c.group})\n   "
                  f"{escape(c.description)}")
    out.print("\n[bold]Grades[/]")
    for g in SCALE:
        out.print(f"  {g.points} {g.label} ({g.key}): {escape(g.meaning)}")
    out.print(f"\nSource: {escape(source())}")


@assurance_app.command("open")
def open_cmd(ctx: typer.Context, org: OrgArg, year: YearOpt = None,
             as_json: JsonOpt = False) -> None:
    """Open the organisation's return for the year (next year starts from last year's answers)."""
    try:
        service = _cs(ctx)
        ret = service.open(service.organisation(org).id, year)
        view = service.view(ret.id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    emit_json(view.as_json()) if as_json else _print_return(view)


@assurance_app.command("answer")
def answer_cmd(
    ctx: typer.Context, org: OrgArg,
    c: Annotated[str, typer.Argument(metavar="C", help="The C: its key, name or number 1–12.")],
    year: YearOpt = None,
    in_place: Annotated[str | None, typer.Option("--in-place", help="What is in place.",
                                                 show_default=False)] = None,
    planned: Annotated[str | None, typer.Option("--planned", help="What is planned.",
                                                show_default=False)] = None,
    evidence: Annotated[str | None, typer.Option("--evidence", help="The evidence, in words.",
                                                 show_default=False)] = None,
    grade: Annotated[str | None, typer.Option(
        "--grade", help="outstanding, good, requires_improvement or unsatisfactory (or 4–1).",
        show_default=False)] = None,
    file: Annotated[list[Path] | None, typer.Option(
        "--file", help="An evidence file (PDF, DOCX, PNG, JPEG, TXT; up to 10 MB); repeatable.",
        show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record one C of a draft return; options left out keep what it says now."""
    try:
        service = _cs(ctx)
        return_id = _return_id(service, org, year)
        files = [(p.name, p.read_bytes()) for p in file or []]
        service.save(return_id, c, in_place, planned, evidence, grade, files)
        view = service.view(return_id)
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    emit_json(view.as_json()) if as_json else _print_return(view)


@assurance_app.command("submit")
def submit_cmd(ctx: typer.Context, org: OrgArg, year: YearOpt = None,
               as_json: JsonOpt = False) -> None:
    """Submit the return: every C must be graded; it is then locked for the year."""
    try:
        service = _cs(ctx)
        ret = service.submit(_return_id(service, org, year))
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": ret.id, "status": ret.status, "version": ret.version})
    else:
        out.print(f"Submitted the {ret.year} return (version {ret.version}); it is locked.")


@assurance_app.command("reopen")
def reopen_cmd(ctx: typer.Context, org: OrgArg,
               reason: Annotated[str, typer.Option("--reason", help="Why it is reopened.")],
               year: YearOpt = None, as_json: JsonOpt = False) -> None:
    """Reopen a submitted return as a draft: an explicit, audited action."""
    try:
        service = _cs(ctx)
        ret = service.reopen(_return_id(service, org, year), reason)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": ret.id, "status": ret.status, "version": ret.version})
    else:
        out.print(f"Reopened the {ret.year} return (version {ret.version}).")


@assurance_app.command("show")
def show_cmd(ctx: typer.Context, org: OrgArg, year: YearOpt = None,
             version: Annotated[int | None, typer.Option(
                 "--version", help="As it stood at this version.", show_default=False)] = None,
             as_json: JsonOpt = False) -> None:
    """Show a return, each C with its grade, texts and files."""
    try:
        service = _cs(ctx)
        view = service.view(_return_id(service, org, year), version)
    except StorfaError as exc:
        fail(str(exc), as_json)
    emit_json(view.as_json()) if as_json else _print_return(view)


@assurance_app.command("history")
def history_cmd(ctx: typer.Context, org: OrgArg, as_json: JsonOpt = False) -> None:
    """Each C's grade over the years."""
    try:
        service = _cs(ctx)
        found = service.history(service.organisation(org).id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(found.as_json())
        return
    table = RichTable(box=box.SIMPLE, title=escape(found.organisation.name))
    table.add_column("C")
    for y in found.years:
        table.add_column(f"{y} ({found.statuses[y]})")
    for c in found.as_json()["cs"]:
        table.add_row(escape(c["name"]), *[c["grades"][str(y)] or "—" for y in found.years])
    out.print(table)


@assurance_app.command("compare")
def compare_cmd(ctx: typer.Context, year: YearOpt = None, out_file: OutOpt = None,
                as_json: JsonOpt = False) -> None:
    """Boards C by C for one year's submitted returns (the export is audited)."""
    try:
        service = _cs(ctx)
        found = service.compare(year)
        if out_file is not None:
            fmt = out_file.suffix.lstrip(".").casefold()
            out_file.write_bytes(service.export_comparison(found.year, fmt))
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(found.as_json())
        return
    header, body = found.rows()
    table = RichTable(box=box.SIMPLE, title=f"12 Cs {found.year}")
    for name in header[1:]:
        table.add_column(escape(str(name)))
    for row in body:
        table.add_row(*[escape(str(v)) for v in row[1:]])
    out.print(table)


@assurance_app.command("survey-import")
def survey_import_cmd(
    ctx: typer.Context, path: Annotated[Path, typer.Argument(help="A CSV or XLSX file.")],
    org: Annotated[str, typer.Option("--org", help="The organisation it belongs to.")],
    title: Annotated[str, typer.Option("--title", help="A name for the survey.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Import a practitioner survey; then map its columns with survey-map."""
    try:
        service = _surveys(ctx)
        survey_id = service.import_file(service.organisation(org).id, title, path.name,
                                        path.read_bytes())
        choices = service.choices(service.get(survey_id))
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": survey_id, "columns": [
            {"column": c.column, "samples": c.samples, "suggested_kind": c.kind}
            for c in choices]})
        return
    out.print(f"Imported survey {survey_id}. Its columns (map them with "
              f"`storfa assurance survey-map {survey_id} --map 'COLUMN=KIND[:QUESTION]'`):")
    for c in choices:
        out.print(f"  {c.position + 1}. {escape(c.column)} — suggested {c.kind}; e.g. "
                  f"{escape('; '.join(c.samples))}")


@assurance_app.command("survey-map")
def survey_map_cmd(
    ctx: typer.Context, survey_id: SurveyArg,
    mapping: Annotated[list[str], typer.Option(
        "--map", help="COLUMN=KIND[:QUESTION], KIND yesno, scale, choice, text or ignore; repeatable.")],
    as_json: JsonOpt = False,
) -> None:
    """Say which question each column is and of what kind."""
    items = []
    for text in mapping:
        column, sep, rest = text.partition("=")
        if not sep:
            fail(f"--map is COLUMN=KIND[:QUESTION] (got {text!r}).", as_json)
        kind, _, question = rest.partition(":")
        items.append({"column": column.strip(), "kind": kind.strip(),
                      "question": question.strip() or column.strip()})
    try:
        survey = _surveys(ctx).map(survey_id, items)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": survey.id, "mapping": survey.mapping})
    else:
        out.print(f"Mapped {len(survey.mapping)} questions of survey {survey.id}.")


@assurance_app.command("survey-results")
def survey_results_cmd(ctx: typer.Context, survey_id: SurveyArg, out_file: OutOpt = None,
                       as_json: JsonOpt = False) -> None:
    """Counts and percentages (with their base) per question; free text listed."""
    try:
        service = _surveys(ctx)
        survey, results = service.results(survey_id)
        if out_file is not None:
            fmt = out_file.suffix.lstrip(".").casefold()
            out_file.write_bytes(service.export_results(survey_id, fmt))
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": survey.id, "title": survey.title, "respondents": len(survey.rows),
                   "questions": [r.as_json() for r in results]})
        return
    out.print(f"[bold]{escape(survey.title)}[/] · {len(survey.rows)} respondents")
    for r in results:
        out.print(f"\n[bold]{escape(r.question)}[/] ({r.kind}; base {r.base})")
        for o in r.options:
            out.print(f"  {escape(o.value)}: {o.count} ({o.percent}%)")
        if r.mean is not None:
            out.print(f"  mean {r.mean}")
        for t in r.texts:
            out.print(f"  – {escape(t)}")


# Coding free-text answers (survey-code here, `selfeval code`): the options
# and the printout both commands share.
CodebookOpt = Annotated[str, typer.Option("--codebook", help="The codebook, e.g. cpr-learning.")]
CodeOpt = Annotated[str, typer.Option("--code", help="The code to give the answer.")]
RemoveOpt = Annotated[int | None, typer.Option("--remove", metavar="CODING",
                                               help="Withdraw this coding.")]
SuggestOpt = Annotated[bool, typer.Option("--suggest", help="Show auto-coding suggestions.")]
AcceptOpt = Annotated[bool, typer.Option("--accept", help="With --suggest: accept them all.")]
ThresholdOpt = Annotated[float | None, typer.Option(
    "--threshold", help="With --suggest: the auto-coder's threshold (0-1).")]


def print_coded(title: str, coded: CodedSet[Any], found: Sequence[AnswerSuggestion[Any]],
                accepted: bool, where: Callable[[Any], str]) -> None:
    """Suggestions, then the answers per code; `where` names an answer."""
    for s in found:
        out.print(f"  suggested {escape(s.code)} ({s.how}) for {escape(where(s.answer))}: "
                  f"{escape(s.answer.text[:80])}" + (" — accepted" if accepted else ""))
    out.print(f"[bold]{escape(title)}[/] · {escape(coded.codebook)} · "
              f"{len(coded.answers) - len(coded.uncoded)} of {len(coded.answers)} free-text "
              "answers coded")
    for n in coded.by_code:
        out.print(f"  {escape(n.code)}: {n.count}")
        for c, a in n.answers:
            out.print(f"    [{c.id}] {escape(where(a))}: {escape(a.text[:80])}")


@assurance_app.command("survey-code")
def survey_code_cmd(
    ctx: typer.Context, survey_id: SurveyArg, codebook: CodebookOpt,
    column: Annotated[str, typer.Option(
        "--column", help="One free-text column (or its question): with --row, the answer's; "
                         "otherwise only its answers are suggested and shown.")] = "",
    row: Annotated[int | None, typer.Option(
        "--row", help="Code this respondent's answer (1 for the first row; with --column "
                      "and --code).")] = None,
    code: CodeOpt = "", remove: RemoveOpt = None, suggest: SuggestOpt = False,
    accept: AcceptOpt = False, threshold: ThresholdOpt = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", help="With --suggest: only the first N answers not coded yet "
                        "(default: every answer).", show_default=False)] = None,
    identical: Annotated[bool, typer.Option(
        "--identical", help="With --row: also code every identical answer to the same "
                            "question (same text, whitespace and case aside).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Code a survey's free-text answers with a codebook, by hand or from the
    auto-coder's suggestions; then the answers per code. Respondents are
    shown by row number only."""
    from storfa.assurance.survey_coding import SurveyCodingService

    service = SurveyCodingService.of(services(ctx), _caller())
    found: list[AnswerSuggestion[SurveyAnswer]] = []
    try:
        if row is not None:
            if not (column and code):
                fail("Give --column and --code with --row.", as_json)
            if identical:
                service.code_identical(survey_id, row, column, codebook, code)
            else:
                service.code(survey_id, row, column, codebook, code)
        elif identical:
            fail("Give --row, --column and --code with --identical.", as_json)
        if remove is not None:
            service.uncode(survey_id, remove)
        if suggest:
            found = service.suggest(survey_id, codebook, threshold, column, limit)
            for s in found if accept else ():
                service.code(survey_id, s.answer.row, s.answer.column, codebook, s.code, s.how,
                             s.confidence)
        coded = service.coded(survey_id, codebook, "" if row is not None else column)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({**coded.as_json(), "suggestions": [s.as_json({}) for s in found]})
        return
    print_coded(coded.survey.title, coded, found, accept,
                lambda a: f"row {a.row} {a.column}")
