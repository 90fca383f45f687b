"""`storfa recommendations ...`: the register of recommendations extracted
from reviews (docs/recommendations.md)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

recommendations_app = typer.Typer(
    help="Recommendations register: list (default), extract, set status.",
    invoke_without_command=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
ReviewOpt = Annotated[str | None, typer.Option("--review", help="Only this review.",
                                               show_default=False)]


@recommendations_app.callback()
def listing(ctx: typer.Context, review: ReviewOpt = None, as_json: JsonOpt = False) -> None:
    """List extracted recommendations (reviews not extracted yet are extracted first)."""
    if ctx.invoked_subcommand is not None:
        return
    from storfa.analysis.recommendation_register import RecommendationRegister, contract_json
    from storfa.ingest.pipeline import cli_actor

    try:
        items = RecommendationRegister.of(services(ctx)).listing(review, cli_actor())
    except StorfaError as exc:
        fail(str(exc), as_json)
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
def extract_cmd(ctx: typer.Context, review: ReviewOpt = None, as_json: JsonOpt = False) -> None:
    """Extract (again) the recommendations of one review or all; status and
    history are kept for those found again."""
    from storfa.analysis.recommendation_register import RecommendationRegister
    from storfa.ingest.pipeline import cli_actor

    try:
        counts = RecommendationRegister.of(services(ctx)).extract(review, cli_actor())
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"reviews": [{"review_id": k, "found": n} for k, n in counts.items()]})
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
    from storfa.analysis.recommendation_register import RecommendationRegister
    from storfa.ingest.pipeline import cli_actor

    register = RecommendationRegister.of(services(ctx))
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
