"""`storfa report briefing | thematic | recurrence | follow`: learning outputs
(docs/reports.md). A briefing or report is written to --out as PDF or DOCX
(by its suffix); recurrence prints the groups of recommendations that recur."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from storfa.cli.context import services
from storfa.cli.options import BoardOpt, JsonOpt, TypeOpt, YearFromOpt, YearToOpt
from storfa.cli.output import emit_json, err, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.reports.document import Document

report_app = typer.Typer(
    help="Learning outputs: 7-minute briefings, thematic reports, recurrence of recommendations.",
    no_args_is_help=True)

OutOpt = Annotated[Path, typer.Option("--out", help="File to write: .pdf or .docx.",
                                      dir_okay=False)]
LangOpt = Annotated[str, typer.Option("--lang", help="Headings in English (en) or Welsh (cy).")]
ThresholdOpt = Annotated[float | None, typer.Option(
    "--threshold", help="Cosine distance at which groups stop merging (default 0.35).",
    min=0.01, max=1.99, show_default=False)]


def _write(doc: Document, path: Path) -> int:
    from storfa.reports.render import format_of, render

    data, _ = render(doc, format_of(path.name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _lang(lang: str, as_json: bool) -> str:
    if lang not in ("en", "cy"):
        fail(f"--lang is en or cy (got {lang!r}).", as_json)
    return lang


def _actor() -> str:
    from storfa.ingest.pipeline import cli_actor

    return cli_actor()


def _prepare(app: Storfa) -> None:
    """Say when some reviews' recommendations were never extracted: reading
    a report computes nothing (ingest/after_store.py) and writes nothing."""

    missing = app.register().unextracted()
    if missing:
        err.print(f"[yellow]{len(missing)} review(s) not extracted yet (e.g. "
                  f"{escape(missing[0])}); run `storfa recommendations extract --pending`.[/]")


@report_app.command("briefing")
def briefing(ctx: typer.Context,
             review: Annotated[str | None, typer.Argument(
                 metavar="REVIEW", help="The review's identifier.", show_default=False)] = None,
             theme: Annotated[str | None, typer.Option(
                 "--theme", help="A code or theme of a built-in codebook instead of a review.",
                 show_default=False)] = None,
             out_path: OutOpt = Path("briefing.pdf"), lang: LangOpt = "en",
             as_json: JsonOpt = False) -> None:
    """A 7-minute briefing for one review or one theme, as PDF or DOCX."""
    from storfa.reports.briefing import review_briefing, theme_briefing
    from storfa.reports.document import briefing_document
    from storfa.reports.render import format_of

    lang = _lang(lang, as_json)
    if (review is None) == (theme is None):
        fail("Give a REVIEW or --theme CODE (one of them).", as_json)
    app = services(ctx)
    try:
        format_of(out_path.name)
        with err.status("Assembling the briefing…"):
            made = (review_briefing(app, review, lang) if review is not None
                    else theme_briefing(app, theme or "", lang))
            size = _write(briefing_document(made), out_path)
    except StorfaError as exc:
        fail(str(exc), as_json)
    app.store.audit(_actor(), "report.briefing", made.kind, made.subject,
                    {"format": out_path.suffix.lstrip("."), "lang": lang, "out": str(out_path)})
    if as_json:
        emit_json({**made.as_json(), "out": str(out_path), "bytes": size})
        return
    out.print(f"Wrote the briefing on {escape(made.subject)} to {escape(str(out_path))} "
              f"({size:,} bytes).")


@report_app.command("thematic")
def thematic_report(
        ctx: typer.Context,
        type_: TypeOpt = None, board: BoardOpt = None,
        year_from: YearFromOpt = None, year_to: YearToOpt = None,
        out_path: OutOpt = Path("thematic.pdf"), lang: LangOpt = "en",
        threshold: ThresholdOpt = None,
        no_recurrence: Annotated[bool, typer.Option(
            "--no-recurrence", help="Leave out the recurring recommendations.")] = False,
        as_json: JsonOpt = False) -> None:
    """A thematic report over the selected reviews, as PDF or DOCX."""
    from storfa.recommendations.recurrence import THRESHOLD
    from storfa.reports.render import format_of
    from storfa.reports.thematic import Selection, thematic, thematic_document

    lang = _lang(lang, as_json)
    app = services(ctx)
    selection = Selection(type_, board, year_from, year_to)
    try:
        format_of(out_path.name)
        if not no_recurrence:
            _prepare(app)
        with err.status("Building the report…") as status:
            report = thematic(app, selection, with_recurrence=not no_recurrence,
                              threshold=threshold or THRESHOLD,
                              progress=lambda step: status.update(f"Building the report: {step}…"))
            size = _write(thematic_document(report, lang), out_path)
    except StorfaError as exc:
        fail(str(exc), as_json)
    app.store.audit(_actor(), "report.thematic", "reviews", str(len(report.reviews)),
                    {"format": out_path.suffix.lstrip("."), "lang": lang, "out": str(out_path),
                     **selection.__dict__})
    if as_json:
        emit_json({**report.as_json(), "out": str(out_path), "bytes": size})
        return
    out.print(f"Wrote a thematic report on {len(report.reviews)} reviews to "
              f"{escape(str(out_path))} ({size:,} bytes).")


@report_app.command("recurrence")
def recurrence_command(ctx: typer.Context, threshold: ThresholdOpt = None,
                       min_reviews: Annotated[int, typer.Option(
                           "--min-reviews", min=1,
                           help="Only groups made by at least this many reviews.")] = 2,
                       as_json: JsonOpt = False) -> None:
    """Recommendations that recur across reviews, grouped by meaning."""
    from storfa.recommendations.recurrence import THRESHOLD, recurrence

    app = services(ctx)
    _prepare(app)
    try:  # the stored grouping; another --threshold is computed here, not stored
        with err.status("Grouping recommendations by meaning…"):
            groups = [g for g in recurrence(app, threshold=threshold or THRESHOLD)
                      if len(g.reviews) >= min_reviews]
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"threshold": threshold or THRESHOLD,
                   "groups": [g.as_json() for g in groups]})
        return
    table = RichTable(box=box.SIMPLE_HEAVY)
    for name in ("group", "recommendation", "reviews", "years", "implemented"):
        table.add_column(name, justify="right" if name in ("group", "reviews",
                                                           "implemented") else "left")
    for g in groups:
        table.add_row(str(g.id), escape(g.label), str(len(g.reviews)), g.span,
                      str(g.statuses["implemented"]))
    out.print(table)
    out.print(f"{len(groups)} groups made by at least {min_reviews} reviews.")


@report_app.command("follow")
def follow(ctx: typer.Context,
           rec_id: Annotated[int, typer.Argument(metavar="ID", help="Recommendation id.")],
           threshold: ThresholdOpt = None, as_json: JsonOpt = False) -> None:
    """Follow-through of one recommendation: later good-practice evidence and repeats."""
    from storfa.recommendations.recurrence import THRESHOLD, follow_through

    app = services(ctx)
    _prepare(app)
    with err.status("Looking for later evidence…"):
        found = follow_through(app, rec_id, threshold=threshold or THRESHOLD)
    if found is None:
        fail(f"No recommendation with id {rec_id}.", as_json)
    if as_json:
        emit_json(found.as_json())
        return
    out.print(f"[bold]{escape(found.item.review_id)} {escape(found.item.number)}[/]: "
              f"{escape(found.item.text)}")
    out.print(f"\nLater good practice ({len(found.evidence)}):")
    for e in found.evidence:
        out.print(f"  {escape(e.review_id)} p.{e.page or '?'} [{e.similarity:.2f}] "
                  f"{escape(e.text[:160])}")
    out.print(f"\nRepeated by later reviews ({len(found.repeats)}):")
    for r in found.repeats:
        out.print(f"  {escape(r.review_id)} {escape(r.number)}: {escape(r.text[:160])}")
