"""`storfa recommendations ...`: the register of recommendations extracted
from reviews (docs/recommendations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from storfa.cli.context import services
from storfa.cli.options import BoardOpt, JsonOpt
from storfa.cli.output import emit_json, err, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.recommendations.register import (
        RecommendationRegister,
        RegisterFilters,
        RegisterItem,
    )

recommendations_app = typer.Typer(
    help="Recommendations register: list (default), extract, set status, notes, "
         "corrections, export.",
    invoke_without_command=True)

ReviewOpt = Annotated[str | None, typer.Option("--review", help="Only this review.",
                                               show_default=False)]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="Recommendation id (see the list).")]
AgencyOpt = Annotated[str | None, typer.Option(
    "--agency", help="Only recommendations naming this agency (part of its name).",
    show_default=False)]
ThemeOpt = Annotated[str | None, typer.Option(
    "--theme", help="Only those coded to this cpr-learning theme or code.", show_default=False)]
StatusOpt = Annotated[str | None, typer.Option(
    "--status", help="open, in_progress, implemented or not_accepted.", show_default=False)]
YearOpt = Annotated[int | None, typer.Option("--year", help="Only reviews of this year.",
                                             show_default=False)]
OverdueOpt = Annotated[bool, typer.Option(
    "--overdue", help="Only those past their due date and still open or in progress.")]


def _register(ctx: typer.Context) -> RecommendationRegister:

    return services(ctx).register()


def _filters(review: str | None, board: str | None, agency: str | None, theme: str | None,
             status: str | None, year: int | None, overdue: bool) -> RegisterFilters:
    from storfa.recommendations.register import RegisterFilters

    return RegisterFilters(board=board or "", agency=agency or "", theme=theme or "",
                           status=status or "", year=year, overdue=overdue,
                           review=review or "")


def _selected(ctx: typer.Context, filters: RegisterFilters) -> list[RegisterItem]:

    return _register(ctx).register(filters).items


@recommendations_app.callback()
def listing(ctx: typer.Context, review: ReviewOpt = None, board: BoardOpt = None,
            agency: AgencyOpt = None, theme: ThemeOpt = None, status: StatusOpt = None,
            year: YearOpt = None, overdue: OverdueOpt = False, as_json: JsonOpt = False) -> None:
    """List extracted recommendations (reviews never extracted are counted on
    stderr: `storfa recommendations extract --pending`)."""
    if ctx.invoked_subcommand is not None:
        return
    from storfa.recommendations.register import contract_json

    try:
        items = [(i.review_id, i.rec) for i in _selected(
            ctx, _filters(review, board, agency, theme, status, year, overdue))]
    except StorfaError as exc:
        fail(str(exc), as_json)
    if missing := _register(ctx).unextracted():
        err.print(f"[yellow]{len(missing)} review(s) not extracted yet; run "
                  "`storfa recommendations extract --pending`.[/]")
    if as_json:
        emit_json(contract_json(items))
        return
    table = RichTable(box=box.SIMPLE, title=f"{len(items)} recommendations")
    for name in ("id", "review", "no.", "recommendation", "agencies", "level", "page", "status"):
        table.add_column(name)
    for key, r in items:
        table.add_row(str(r.id), key, r.number, escape(r.text), escape(", ".join(r.agencies)),
                      r.level or "", str(r.page or ""), r.status)
    out.print(table)


@recommendations_app.command("extract")
def extract_cmd(ctx: typer.Context, review: ReviewOpt = None,
                pending: Annotated[bool, typer.Option(
                    "--pending", help="Only reviews whose current version was never "
                    "extracted (an older store, or a failed step after ingest).")] = False,
                as_json: JsonOpt = False) -> None:
    """Extract (again) the recommendations of one review or all, then regroup
    recurring recommendations; status and history are kept for those found
    again. Ingest does this for new files; listing the register never does."""
    from storfa.ingest.after_store import after_store
    from storfa.ingest.pipeline import cli_actor

    if pending and review:
        fail("Give --review or --pending, not both.", as_json)
    app = services(ctx)
    register = app.register()
    try:
        counts = register.extract(review, cli_actor(), only_stale=pending)
    except StorfaError as exc:
        fail(str(exc), as_json)
    # The recurrence step of ingest/after_store.py: the grouping follows the change.
    after = after_store(app, [], cli_actor(), skip=("recommendations", "embeddings"),
                        say=lambda message: err.print(message, style="yellow", markup=False))
    if as_json:
        emit_json({"reviews": [{"review_id": k, "found": n} for k, n in counts.items()],
                   "after_store": after.as_json()})
        return
    for key, n in counts.items():
        out.print(f"{key}: {n} recommendations")


@recommendations_app.command("set")
def set_cmd(
    ctx: typer.Context,
    rec_id: Annotated[int, typer.Argument(metavar="ID", help="Recommendation id (see the list).")],
    status: Annotated[str | None, typer.Option(
        "--status", help="open, in_progress, implemented or not_accepted.",
        show_default=False)] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner organisation.",
                                              show_default=False)] = None,
    due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.",
                                            show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="Progress note or evidence.",
                                             show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a recommendation's status, owner or due date (audited, kept in its history)."""
    from storfa.ingest.pipeline import cli_actor

    register = services(ctx).register()
    try:
        rec = register.set(rec_id, cli_actor(), status, owner, due, note)
    except StorfaError as exc:
        fail(str(exc), as_json)
    history = [h.as_json() for h in register.history(rec_id)]
    if as_json:
        emit_json({"id": rec.id, "status": rec.status, "owner": rec.owner,
                   "due_date": rec.due_date, "history": history})
        return
    out.print(f"Recommendation {rec.id}: {rec.status}"
              + (f", owner {escape(rec.owner)}" if rec.owner else "")
              + (f", due {rec.due_date}" if rec.due_date else ""))


@recommendations_app.command("export")
def export_cmd(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Option("--out", help="A .csv or .xlsx file to write.")],
    review: ReviewOpt = None, board: BoardOpt = None, agency: AgencyOpt = None,
    theme: ThemeOpt = None, status: StatusOpt = None, year: YearOpt = None,
    overdue: OverdueOpt = False, as_json: JsonOpt = False,
) -> None:
    """Write the (filtered) register as CSV or XLSX; cells never run as formulas."""
    from storfa.analysis.tables import TableError, write_table
    from storfa.recommendations.register import EXPORT_COLUMNS

    try:
        items = _selected(ctx, _filters(review, board, agency, theme, status, year, overdue))
        write_table(out_path, EXPORT_COLUMNS, [i.export_row() for i in items],
                    sheet="recommendations")
    except (StorfaError, TableError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"out": str(out_path), "recommendations": len(items)})
        return
    out.print(f"{len(items)} recommendations written to {escape(str(out_path))}")


def _shown(rec_id: int, ctx: typer.Context, as_json: bool) -> None:
    rec = _register(ctx).get(rec_id)
    if as_json:
        emit_json({"id": rec.id, "number": rec.number, "text": rec.text,
                   "agencies": list(rec.agencies), "level": rec.level, "status": rec.status,
                   "themes": list(rec.themes), "corrected": rec.corrected})
        return
    out.print(f"Recommendation {rec.id} ({escape(rec.number)}): {escape(rec.text)}")


@recommendations_app.command("edit")
def edit_cmd(
    ctx: typer.Context, rec_id: IdArg,
    text: Annotated[str | None, typer.Option("--text", help="The corrected text.",
                                             show_default=False)] = None,
    number: Annotated[str | None, typer.Option("--number", help="The corrected number.",
                                               show_default=False)] = None,
    agencies: Annotated[str | None, typer.Option(
        "--agencies", help="Agencies, separated by semicolons (empty: none).",
        show_default=False)] = None,
    level: Annotated[str | None, typer.Option(
        "--level", help="local, regional or national (empty: not stated).",
        show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why it was corrected.",
                                             show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a recommendation's text, number, agencies or level (kept through re-extraction)."""
    from storfa.ingest.pipeline import cli_actor

    try:
        _register(ctx).edit(rec_id, cli_actor(), text, number, agencies, level, note)
        _shown(rec_id, ctx, as_json)
    except StorfaError as exc:
        fail(str(exc), as_json)


@recommendations_app.command("split")
def split_cmd(
    ctx: typer.Context, rec_id: IdArg,
    at: Annotated[int | None, typer.Option("--at", help="Character offset in the text to split at.",
                                           show_default=False)] = None,
    first: Annotated[str | None, typer.Option("--first", help="Text of the first part.",
                                              show_default=False)] = None,
    second: Annotated[str | None, typer.Option("--second", help="Text of the second part.",
                                               show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Split one recommendation into two (--at N, or --first and --second)."""
    from storfa.ingest.pipeline import cli_actor

    try:
        a, b = _register(ctx).split(rec_id, cli_actor(), at, (first, second))
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"recommendations": [{"id": r.id, "number": r.number, "text": r.text}
                                       for r in (a, b)]})
        return
    for r in (a, b):
        out.print(f"{r.id} ({escape(r.number)}): {escape(r.text)}")


@recommendations_app.command("merge")
def merge_cmd(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(metavar="ID1", help="The recommendation kept.")],
    other: Annotated[int, typer.Argument(metavar="ID2", help="The one merged into it.")],
    text: Annotated[str | None, typer.Option("--text", help="The merged text (default: both).",
                                             show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Merge two recommendations of the same review into the first."""
    from storfa.ingest.pipeline import cli_actor

    try:
        _register(ctx).merge(keep, other, cli_actor(), text)
        _shown(keep, ctx, as_json)
    except StorfaError as exc:
        fail(str(exc), as_json)


@recommendations_app.command("note")
def note_cmd(
    ctx: typer.Context, rec_id: IdArg,
    text: Annotated[str, typer.Option("--text", help="The progress note.")],
    attach: Annotated[list[Path] | None, typer.Option(
        "--attach", help="Evidence file (PDF, DOCX, PNG, JPEG or TXT; repeatable).",
        show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a progress note, with evidence files, to a recommendation's history."""
    from storfa.ingest.pipeline import cli_actor

    app = services(ctx)
    try:
        files = [(p.name, p.read_bytes()) for p in attach or []]
        history_id = _register(ctx).note(rec_id, cli_actor(), text, app.blobs, files)
        attached = [a for a in _register(ctx).attachments(rec_id) if a.history_id == history_id]
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"id": rec_id, "note": history_id, "attachments": [
            {"id": a.id, "filename": a.filename, "media_type": a.media_type, "size": a.size}
            for a in attached]})
        return
    out.print(f"Note added to recommendation {rec_id}"
              + (f" with {len(attached)} file(s)." if attached else "."))


@recommendations_app.command("history")
def history_cmd(ctx: typer.Context, rec_id: IdArg, as_json: JsonOpt = False) -> None:
    """Every change to a recommendation: who, when, old and new value, note."""
    register = _register(ctx)
    try:
        register.get(rec_id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    history = register.history(rec_id)
    files = register.attachments(rec_id)
    if as_json:
        emit_json({"id": rec_id, "history": [h.as_json() for h in history], "attachments": [
            {"id": a.id, "note": a.history_id, "filename": a.filename,
             "media_type": a.media_type, "size": a.size, "sha256": a.sha256} for a in files]})
        return
    table = RichTable(box=box.SIMPLE, title=f"Recommendation {rec_id}")
    for name in ("when", "who", "field", "old", "new", "note"):
        table.add_column(name)
    for h in history:
        table.add_row(h.at, escape(h.actor), h.field, escape(h.old or ""), escape(h.new or ""),
                      escape(h.note or ""))
    out.print(table)
