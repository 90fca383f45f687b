"""`storfa reviews` and `storfa show`: what is stored, and one review's text."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import DATE_FIELDS, TEXT_FIELDS, ReviewType

reviews_app = typer.Typer(help="List reviews, correct a review's metadata or change who may see it.")
CONTRACT_DATES = ("index_incident", "referral", "learning_event", "sign_off", "publication")
_FOLDING = frozenset({"review", "board"})


@reviews_app.callback(invoke_without_command=True)
def list_reviews(
    ctx: typer.Context,
    type: Annotated[str | None, typer.Option("--type", help="Only this review type.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """List reviews with their type, board, year, language, pages and key dates."""
    if ctx.invoked_subcommand:
        return
    # Imported here: storfa.ingest.metadata loads every metadata extractor (CLI start).
    from storfa.ingest.metadata.identity import identity_needed

    summaries = services(ctx).store.list_reviews(type)
    if as_json:
        rows = []
        for s in summaries:
            data = asdict(s)
            data["dates"] = {k: s.dates.get(k) for k in (*CONTRACT_DATES, "period_start",
                                                          "period_end")}
            data["needs_identity"] = identity_needed(s.type, s.identifier)
            rows.append(data)
        emit_json({"reviews": rows})
        return
    if not summaries:
        out.print("No reviews yet. Add some with [bold]storfa ingest FOLDER[/].")
        return
    # Narrow terminals get the essentials; wider ones the key dates and title.
    width = out.width
    columns = ["review", "type", "board", "year", "lang", "pages"]
    if width >= 100:
        columns += ["referral", "sign-off"]
    if width >= 130:
        columns.append("title")
    cells: list[list[str]] = []
    unnamed = 0
    for s in summaries:
        # "?" marks a report whose title page named no type or identifier.
        unknown = identity_needed(s.type, s.identifier)
        unnamed += unknown
        cells.append([s.review_id, "?" if unknown else s.type or "", s.board or "",
                     str(s.year or ""), s.language,
                     str(s.pages), s.dates.get("referral") or "", s.dates.get("sign_off") or "",
                     s.title or ""][: len(columns)])
    table = Table(title=f"{len(summaries)} reviews", box=box.SIMPLE_HEAD, pad_edge=False)
    widest = [max(len(name), *(len(row[i]) for row in cells)) for i, name in enumerate(columns)]
    for name, natural in zip(columns, widest, strict=True):
        # Short values (type, year, language, pages, dates) are never cut; a
        # long review id or board folds onto a second line when the terminal
        # is narrow (an id is kept whole: it is what `storfa show` takes), and
        # the title takes what the others leave (each padded by three spaces).
        if name == "title":
            left = width - sum(w + 3 for w in widest[:-1]) - 4
            table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=max(left, 20))
        elif name in _FOLDING:
            table.add_column(name, overflow="fold")
        else:
            table.add_column(name, no_wrap=True, min_width=natural)
    for row in cells:
        table.add_row(*row)
    out.print(table)
    if unnamed:
        out.print(f"{unnamed} marked ? named no review type or identifier on the title page; "
                  "set them with [bold]storfa reviews set REVIEW type VALUE[/] "
                  "(and identifier, board).")


@reviews_app.command("set")
def set_value(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review id, e.g. CPR2024-W11.")],
    field: Annotated[str, typer.Argument(help="Field: " + ", ".join(TEXT_FIELDS + DATE_FIELDS))],
    value: Annotated[str, typer.Argument(
        help="New value; dates as YYYY-MM-DD; type one of "
             + ", ".join(t.value for t in ReviewType) + ".")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Correct one metadata value (recorded in the audit log as an editor's change)."""
    from storfa.domain.acting import CommandLine
    from storfa.ingest.pipeline import cli_actor

    service = services(ctx).reviews
    try:
        done = service.correct_metadata(service.get(review), field, value,
                                        CommandLine(cli_actor()))
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"review_id": done.review_id, "field": done.field, "value": done.value})
    else:
        out.print(f"{done.review_id}: {done.field} = {done.value}")


@reviews_app.command("access")
def set_access(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review id, e.g. CPR2024-W11.")],
    level: Annotated[str, typer.Argument(
        help="Access level: public, registered, restricted or draft.")],
    organisation: Annotated[list[str] | None, typer.Option(
        "--organisation", help="An organisation that may see a restricted or draft review "
        "(repeatable; by name, as `storfa orgs list` lists them).", show_default=False)] = None,
    override_disclosure: Annotated[bool, typer.Option(
        "--override-disclosure", help="Make the review registered or public although "
        "disclosure findings are undecided (audited).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Change who may see a review, as the reader's form does: through the
    disclosure check's publication gate, and audited."""
    from storfa.domain.acting import CommandLine
    from storfa.ingest.pipeline import cli_actor

    service = services(ctx).reviews
    names = organisation or []
    try:
        done = service.set_access(service.get(review), level, service.organisation_ids(names),
                                  CommandLine(cli_actor()), override=override_disclosure)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"review_id": done.review_id, "access": done.level,
                   "organisations": sorted(names), "overridden": done.let_through})
    else:
        out.print(f"{done.review_id}: {done.level}"
                  + (f" ({', '.join(sorted(names))})" if names else ""))


def show(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review id, as `storfa reviews` lists it.")],
    page: Annotated[int | None, typer.Option("--page", help="Only this page.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Show a review's metadata (with evidence) and its text, page by page."""
    from storfa.ingest.metadata.identity import IDENTITY_NEEDED, identity_needed

    app = services(ctx)
    record = app.store.get_review(review)
    if record is None:
        fail(f"No review called {review!r}. `storfa reviews` lists them.", as_json)
    passages = app.store.passages(record.version_id, page)
    if page is not None and not passages:
        fail(f"{review} has no text on page {page} (it has {record.summary.pages} pages).",
             as_json)
    needs_identity = identity_needed(record.summary.type, record.summary.identifier)
    if as_json:
        emit_json({
            "review": {**asdict(record.summary), "needs_identity": needs_identity},
            "source": {"name": record.source_name, "sha256": record.source_sha256,
                       "format": record.format},
            "metadata": [asdict(m) for m in record.metadata],
            "passages": [asdict(p) for p in passages],
        })
        return
    s = record.summary
    out.print(f"[bold]{s.title or s.review_id}[/]")
    out.print(f"{s.review_id} · {s.type or '?'} · {s.board or '?'} · {s.year or '?'} · "
              f"{s.language} · {s.pages} pages · version {s.version} · {record.source_name}")
    for m in record.metadata:
        where = f" [dim](p. {m.evidence.page}: “{m.evidence.text[:70]}”)[/]" if m.evidence else ""
        out.print(f"  {m.field}: [bold]{m.value}[/]{where}")
    if needs_identity:
        out.print(f"[yellow]{IDENTITY_NEEDED}[/] Set them with: storfa reviews set "
                  f"{s.review_id} type VALUE (and identifier, board).", highlight=False)
    current_page = None
    for p in passages:
        if p.page != current_page:
            current_page = p.page
            out.rule(f"page {p.page}")
        if p.kind == "heading":
            out.print(f"\n[bold underline]{p.text}[/]")
        else:
            out.print(p.text, markup=False)
            out.print()
