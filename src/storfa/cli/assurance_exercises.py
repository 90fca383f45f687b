"""`storfa assurance audit …`, `storfa assurance selfeval …` and `storfa
assurance triangulate`: case-file audits, self-evaluations and the
triangulation of one theme (docs/assurance.md). Thin over storfa.assurance:
parse, call, print; heavy imports stay inside the commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from storfa.cli.assurance import (
    AcceptOpt,
    CodebookOpt,
    CodeOpt,
    OrgArg,
    OutOpt,
    RemoveOpt,
    SuggestOpt,
    ThresholdOpt,
    _caller,
    print_coded,
)
from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.assurance.answer_coding import Answer, AnswerSuggestion
    from storfa.assurance.audit_service import CaseAuditService
    from storfa.assurance.selfeval_service import SelfEvalService

audit_app = typer.Typer(help="Multi-agency case-file audits: cases by reference, agencies' "
                             "grades, distributions and disagreements.", no_args_is_help=True)
selfeval_app = typer.Typer(help="Self-evaluations: design (or a template), send to agencies, "
                                "fill in, submit, results.", no_args_is_help=True)
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The audit's or self-evaluation's id.")]
AgencyOpt = Annotated[str, typer.Option("--agency", help="The agency (organisation) acting.")]


def _audits(ctx: typer.Context) -> CaseAuditService:
    from storfa.assurance.audit_service import CaseAuditService

    return CaseAuditService.of(services(ctx), _caller())


def _selfevals(ctx: typer.Context) -> SelfEvalService:
    from storfa.assurance.selfeval_service import SelfEvalService

    return SelfEvalService.of(services(ctx), _caller())


def _write(out_file: Path | None, export: Any) -> None:
    if out_file is not None:
        out_file.write_bytes(export(out_file.suffix.lstrip(".").casefold()))


# ------------------------------------------------------------------ audits
@audit_app.command("create")
def audit_create(ctx: typer.Context, org: OrgArg,
                 title: Annotated[str, typer.Option("--title", help="The audit's title.")],
                 question: Annotated[list[str] | None, typer.Option(
                     "--question", help="'THEME | question' (repeatable; default: five "
                                        "standard questions).", show_default=False)] = None,
                 as_json: JsonOpt = False) -> None:
    """Start a case-file audit for a board."""
    from storfa.assurance.audits import parse_question

    try:
        service = _audits(ctx)
        audit_id = service.create(service.organisation(org).id, title,
                                  [parse_question(q) for q in question or []])
        view = service.view(audit_id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(view.as_json(service.names()))
        return
    out.print(f"Started case-file audit {audit_id}: {escape(view.audit.title)}")
    for q in view.audit.questions:
        out.print(f"  {q.key} [{escape(q.theme)}] {escape(q.text)}")


@audit_app.command("add-case")
def audit_add_case(ctx: typer.Context, audit_id: IdArg,
                   reference: Annotated[str, typer.Argument(
                       help="The case's reference (never a name).")],
                   agency: Annotated[list[str], typer.Option(
                       "--agency", help="An agency to audit it (repeatable).")],
                   as_json: JsonOpt = False) -> None:
    """List a case by its reference and assign agencies to audit it."""
    try:
        service = _audits(ctx)
        case = service.add_case(audit_id, reference, agency)
    except StorfaError as exc:
        fail(str(exc), as_json)
    names = service.names()
    if as_json:
        emit_json({"id": case.id, "reference": case.reference,
                   "agencies": [names.get(o) for o in case.agencies]})
    else:
        out.print(f"Case {escape(case.reference)}: "
                  f"{escape(', '.join(names.get(o, str(o)) for o in case.agencies))}")


@audit_app.command("grade")
def audit_grade(ctx: typer.Context, audit_id: IdArg,
                case: Annotated[str, typer.Argument(help="The case's reference or id.")],
                question: Annotated[str, typer.Argument(help="The question's key (q1…).")],
                grade: Annotated[str, typer.Argument(
                    help="outstanding, good, requires_improvement or unsatisfactory (or 4–1).")],
                agency: AgencyOpt,
                comment: Annotated[str, typer.Option("--comment", help="Why.")] = "",
                as_json: JsonOpt = False) -> None:
    """An agency's grade for one question of one case, with a comment."""
    try:
        made = _audits(ctx).grade(audit_id, case, question, grade, comment, agency)
    except StorfaError as exc:
        fail(str(exc), as_json)
    emit_json(made.as_json()) if as_json else out.print(f"Graded {made.question_key}: "
                                                        f"{made.grade}")


@audit_app.command("publish")
def audit_publish(ctx: typer.Context, audit_id: IdArg, as_json: JsonOpt = False) -> None:
    """Publish the results: agencies then see every agency's grades."""
    try:
        audit = _audits(ctx).publish(audit_id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    emit_json({"id": audit.id, "status": audit.status}) if as_json else out.print(
        f"Published the results of audit {audit.id}.")


@audit_app.command("results")
def audit_results(ctx: typer.Context, audit_id: IdArg, out_file: OutOpt = None,
                  as_json: JsonOpt = False) -> None:
    """Grades per question, agency and theme, and disagreements on the same case."""
    from storfa.domain.assurance import SCALE

    try:
        service = _audits(ctx)
        found = service.results(audit_id)
        _write(out_file, lambda fmt: service.export_results(audit_id, fmt))
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    names = service.names()
    if as_json:
        emit_json(found.as_json(names))
        return
    head = " / ".join(g.label for g in SCALE)
    out.print(f"[bold]{escape(found.audit.title)}[/] · {found.audit.status} · {head}")
    for q in found.audit.questions:
        d = found.by_question[q.key]
        out.print(f"  {q.key} {escape(q.text)} (base {d.base}): "
                  + " / ".join(f"{n} ({d.percents[g]}%)" for g, n in d.counts.items()))
    for o, d in found.by_agency.items():
        out.print(f"  {escape(names.get(o, str(o)))} (base {d.base}): "
                  f"{d.positive}% good or better")
    for t, d in found.by_theme.items():
        out.print(f"  theme {escape(t)} (base {d.base}): {d.positive}% good or better")
    for dis in found.disagreements:
        out.print(f"  [yellow]Disagreement[/] {escape(dis.reference)} {dis.question_key}: "
                  + ", ".join(f"{escape(names.get(o, str(o)))} {g}"
                              for o, g in dis.grades.items()))


# ------------------------------------------------------------------ self-evaluations
@selfeval_app.command("templates")
def selfeval_templates(as_json: JsonOpt = False) -> None:
    """The built-in starting templates."""
    from storfa.assurance.selfevals import templates

    found = templates()
    if as_json:
        emit_json([{"key": k, "title": t, "source": s} for k, (t, s) in found.items()])
        return
    for k, (t, s) in found.items():
        out.print(f"[bold]{k}[/]: {escape(t)} — {escape(s)}")


@selfeval_app.command("create")
def selfeval_create(ctx: typer.Context, org: OrgArg,
                    title: Annotated[str, typer.Option("--title", help="Its title.")] = "",
                    template: Annotated[str, typer.Option(
                        "--template", help="core or section11.")] = "core",
                    design: Annotated[Path | None, typer.Option(
                        "--design", help="A JSON file: a list of sections, each with title, "
                                         "theme and questions (text, kind, options).",
                        show_default=False)] = None,
                    as_json: JsonOpt = False) -> None:
    """Design a self-evaluation for a board, from a template or a JSON design."""
    try:
        service = _selfevals(ctx)
        raw = json.loads(design.read_text("utf-8")) if design else None
        se_id = service.create(service.organisation(org).id, title, template, raw)
        se = service.get(se_id)
    except (StorfaError, OSError, ValueError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": se.id, "title": se.title, "sections": [s.as_json()
                                                                 for s in se.sections]})
        return
    out.print(f"Designed self-evaluation {se.id}: {escape(se.title)}")
    for s in se.sections:
        out.print(f"  {s.key} {escape(s.title)} [{escape(s.theme)}]")
        for q in s.questions:
            out.print(f"    {q.key} ({q.kind}) {escape(q.text)}")


@selfeval_app.command("send")
def selfeval_send(ctx: typer.Context, se_id: IdArg,
                  agency: Annotated[list[str], typer.Option("--agency", help="Repeatable.")],
                  as_json: JsonOpt = False) -> None:
    """Send it to agencies: each gets a draft return."""
    try:
        added = _selfevals(ctx).send(se_id, agency)
    except StorfaError as exc:
        fail(str(exc), as_json)
    emit_json({"sent": added}) if as_json else out.print(f"Sent to {len(added)} agencies.")


@selfeval_app.command("answer")
def selfeval_answer(ctx: typer.Context, se_id: IdArg, agency: AgencyOpt,
                    answer: Annotated[list[str] | None, typer.Option(
                        "--answer", help="QUESTION=VALUE, e.g. s1q1=yes (repeatable).",
                        show_default=False)] = None,
                    score: Annotated[list[str] | None, typer.Option(
                        "--score", help="SECTION=GRADE, e.g. s1=good (repeatable).",
                        show_default=False)] = None,
                    file: Annotated[list[str] | None, typer.Option(
                        "--file", help="QUESTION=PATH of an evidence file (repeatable).",
                        show_default=False)] = None,
                    submit: Annotated[bool, typer.Option("--submit",
                                                         help="Then submit it.")] = False,
                    as_json: JsonOpt = False) -> None:
    """Fill in an agency's draft return (left out: unchanged), and optionally submit."""
    def pairs(items: list[str] | None) -> dict[str, str]:
        found = {}
        for item in items or []:
            key, sep, value = item.partition("=")
            if not sep:
                fail(f"Expected KEY=VALUE (got {item!r}).", as_json)
            found[key.strip()] = value
        return found

    try:
        service = _selfevals(ctx)
        rid = service.find_return(se_id, agency).id
        files = [(k, Path(p).name, Path(p).read_bytes()) for k, p in pairs(file).items()]
        service.save(rid, pairs(answer), pairs(score), files)
        if submit:
            service.submit(rid)
        view = service.view(rid)
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(view.as_json())
    else:
        out.print(f"Return {rid}: {view.ret.status}, version {view.ret.version}"
                  + (f"; not scored yet: {', '.join(view.missing_scores)}"
                     if view.missing_scores else ""))


@selfeval_app.command("publish")
def selfeval_publish(ctx: typer.Context, se_id: IdArg, as_json: JsonOpt = False) -> None:
    """Publish the results to the agencies."""
    try:
        se = _selfevals(ctx).publish(se_id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    emit_json({"id": se.id, "status": se.status}) if as_json else out.print(
        f"Published the results of self-evaluation {se.id}.")


@selfeval_app.command("results")
def selfeval_results(ctx: typer.Context, se_id: IdArg, out_file: OutOpt = None,
                     as_json: JsonOpt = False) -> None:
    """Who has not returned; counts and percentages per question; scores by section and agency."""
    try:
        service = _selfevals(ctx)
        found = service.results(se_id)
        _write(out_file, lambda fmt: service.export_results(se_id, fmt))
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    names = service.names()
    if as_json:
        emit_json(found.as_json(names))
        return
    out.print(f"[bold]{escape(found.selfeval.title)}[/] · {len(found.submitted)} of "
              f"{len(found.returns)} returned")
    if found.not_returned:
        out.print("Not returned: " + escape(", ".join(
            names.get(r.organisation_id, "?") for r in found.not_returned)))
    for q in found.questions:
        out.print(f"  {q.key} {escape(q.text)} ({q.kind}; base {q.base}): "
                  + ", ".join(f"{escape(o.value)} {o.count} ({o.percent}%)" for o in q.options)
                  + (f" mean {q.mean}" if q.mean is not None else ""))
    for s in found.selfeval.sections:
        given = found.scores.get(s.key, {})
        out.print(f"  {s.key} {escape(s.title)} self-scores: " + escape(", ".join(
            f"{names.get(o, str(o))} {g}" for o, g in given.items()) or "—"))


@selfeval_app.command("code")
def selfeval_code(
    ctx: typer.Context, se_id: IdArg, codebook: CodebookOpt,
    return_id: Annotated[int | None, typer.Option(
        "--return", help="Code this return's answer (with --question and --code).")] = None,
    question: Annotated[str, typer.Option("--question", help="The free-text question's key.")]
    = "",
    code: CodeOpt = "", remove: RemoveOpt = None, suggest: SuggestOpt = False,
    accept: AcceptOpt = False, threshold: ThresholdOpt = None, as_json: JsonOpt = False,
) -> None:
    """Code the free-text answers with a codebook: by hand, or from the
    auto-coder's suggestions; then the answers per code."""
    from storfa.assurance.answer_coding import AnswerCodingService

    service = AnswerCodingService.of(services(ctx), _caller())
    found: list[AnswerSuggestion[Answer]] = []
    try:
        if return_id is not None:
            if not (question and code):
                fail("Give --question and --code with --return.", as_json)
            service.code(se_id, return_id, question, codebook, code)
        if remove is not None:
            service.uncode(se_id, remove)
        if suggest:
            found = service.suggest(se_id, codebook, threshold)
            for s in found if accept else ():
                service.code(se_id, s.answer.return_id, s.answer.question_key, codebook,
                             s.code, s.how, s.confidence)
        coded = service.coded(se_id, codebook)
    except StorfaError as exc:
        fail(str(exc), as_json)
    names = service.names()
    if as_json:
        emit_json({**coded.as_json(names), "suggestions": [s.as_json(names) for s in found]})
        return
    print_coded(coded.selfeval.title, coded, found, accept,
                lambda a: f"{names.get(a.organisation_id, '?')} {a.question_key}")


# ------------------------------------------------------------------ triangulation
def triangulate_cmd(
    ctx: typer.Context, org: OrgArg,
    theme: Annotated[str, typer.Option("--theme", help="The theme, e.g. training.")],
    also: Annotated[list[str] | None, typer.Option(
        "--also", help="Another word for the theme (repeatable), e.g. briefing.",
        show_default=False)] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write a report: .docx or .pdf.", show_default=False)] = None,
    lang: Annotated[str, typer.Option("--lang", help="en or cy (the report).")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """One theme side by side: self-evaluations, audits, survey, reviews; disagreements flagged."""
    from storfa.assurance.triangulation import TriangulationService

    try:
        service = TriangulationService.of(services(ctx), _caller())
        found = service.build(service.organisation(org).id, theme, also or [])
        if out_file is not None:
            from storfa.assurance.triangulation_report import triangulation_document
            from storfa.reports.render import render

            out_file.write_bytes(render(triangulation_document(found, lang),
                                        out_file.name)[0])
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(found.as_json())
        return
    out.print(f"[bold]{escape(found.theme)}[/] · {escape(found.organisation)}")
    for s in found.sources:
        share = "—" if s.share is None else f"{s.share}%"
        out.print(f"  {s.label}: {share} positive ({s.base_text() or 'nothing counted'})")
        for f in s.findings:
            out.print(f"    {escape(f.text)}")
    out.print(f"  Reviews: {found.extract_total} extracts, {found.recommendation_total} "
              "recommendations on the theme")
    for flag in found.flags:
        out.print(f"  [yellow]Sources disagree[/]: {escape(flag.message)}")
