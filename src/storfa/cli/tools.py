"""Small commands: parse-id, check, reindex."""

from __future__ import annotations

from typing import Annotated

import typer

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError


def parse_id(
    text: Annotated[str, typer.Argument(help="An identifier, e.g. CPR2024-W11, SUSR2022-02/CTM.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Parse a review identifier, tolerating dashes, spaces and OCR damage."""
    from storfa.domain.ids import parse_review_id

    parsed = parse_review_id(text)
    if as_json:
        emit_json(parsed.as_json())
        return
    for key, value in parsed.as_json().items():
        out.print(f"{key:>5}: {value if value is not None else '[dim]unknown[/]'}")


def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Check the store: database integrity, foreign keys, the audit chain, and
    that the search index holds exactly the database's passages."""
    problems = services(ctx).check()
    if as_json:
        emit_json({"ok": not problems, "problems": problems})
    elif problems:
        for p in problems:
            out.print(f"[red]✗[/] {p}")
    else:
        out.print("[green]✓[/] database and search index are consistent")
    if problems:
        raise typer.Exit(1)


def reindex(
    ctx: typer.Context,
    embeddings: Annotated[bool, typer.Option("--embeddings", help="Instead, embed every passage that has no vector yet (search by meaning); resumable.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Rebuild the search index from the database, or back-fill passage embeddings."""
    app = services(ctx)
    if embeddings:
        from storfa.cli.embed import embed_passages

        try:
            done = embed_passages(app)
        except StorfaError as exc:
            fail(str(exc), as_json)
        if as_json:
            emit_json({"embedded": done})
        else:
            out.print(f"Embedded {done} passages.")
        return
    with out.status("Rebuilding the search index…"):
        n = app.index.rebuild(app.store)
    if as_json:
        emit_json({"reviews": n})
    else:
        out.print(f"Re-indexed {n} reviews.")
