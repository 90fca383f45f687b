"""`storfa export ...`: coded extracts as CSV, JSON or REFI-QDA (.qdpx)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

export_app = typer.Typer(help="Export coded extracts: CSV, JSON or REFI-QDA (.qdpx).",
                         no_args_is_help=True)


@export_app.command()
def extracts(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="csv, json or qdpx.")],
    out_file: Annotated[Path, typer.Option("--out", help="File to write.")],
    codebook: Annotated[str | None, typer.Option(
        "--codebook", help="Only this codebook's extracts (a .qdpx holds one codebook).",
        show_default=False)] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="Only suggested, accepted or rejected extracts (default: suggested "
        "and accepted; rejected suggestions are not codings).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Export the current coded extracts. A .qdpx (REFI-QDA) opens in NVivo,
    ATLAS.ti and MAXQDA: the codebook, each review's text as a source, and every
    extract as a coded selection with its coder and memos."""
    from storfa.coding.autocode import CodingService
    from storfa.coding.exports import DEFAULT_STATUSES, export_extracts
    from storfa.storage.sql.extracts import STATUSES

    fmt = format.strip().casefold()
    if status is not None and status not in STATUSES:
        fail(f"--status must be one of {', '.join(STATUSES)} (got {status!r}).", as_json)
    try:
        service = CodingService.of(services(ctx))
        count = export_extracts(service, out_file, fmt, codebook,
                                (status,) if status else DEFAULT_STATUSES)
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"format": fmt, "out": str(out_file), "extracts": count})
        return
    out.print(f"Wrote {count} extracts to {out_file}")
