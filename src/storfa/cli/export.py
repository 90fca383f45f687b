"""`storfa export ...`: coded extracts as CSV, JSON or REFI-QDA (.qdpx)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.domain.coding import Extract

export_app = typer.Typer(help="Export coded extracts: CSV, JSON or REFI-QDA (.qdpx).",
                         no_args_is_help=True)


@export_app.command()
def extracts(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="csv, json or qdpx.")],
    out_file: Annotated[Path, typer.Option("--out", help="File to write.")],
    codebook: Annotated[str | None, typer.Option(
        "--codebook", help="Only this codebook's extracts. A .qdpx holds one codebook: "
        "left out, it is the only one with extracts, else the only one anybody coded.",
        show_default=False)] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="Only suggested, accepted or rejected extracts (default: suggested "
        "and accepted; rejected suggestions are not codings).", show_default=False)] = None,
    pseudonymise: Annotated[bool, typer.Option(
        "--pseudonymise", help="Replace names and other identifiers the disclosure check "
        "finds, consistently across the export (Person 1, Health Visitor 2, [address 3]).")
    ] = False,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", help="With --pseudonymise: also write which words each pseudonym "
        "stands for to this CSV file. Keep it apart from the export.",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Export the current coded extracts. A .qdpx (REFI-QDA) opens in NVivo,
    ATLAS.ti and MAXQDA: the codebook, each review's text as a source, and every
    extract as a coded selection with its coder and memos. Text carries the
    editors' disclosure redactions; --pseudonymise replaces names as well."""
    from storfa.coding.exports import DEFAULT_STATUSES, chosen_extracts, export_extracts
    from storfa.disclosure.pseudonymise import ExportMasks, write_mapping
    from storfa.domain.coding import STATUSES

    fmt = format.strip().casefold()
    if status is not None and status not in STATUSES:
        fail(f"--status must be one of {', '.join(STATUSES)} (got {status!r}).", as_json)
    if mapping is not None and not pseudonymise:
        fail("--mapping needs --pseudonymise.", as_json)
    try:
        app = services(ctx)
        service = app.coding
        statuses = (status,) if status else DEFAULT_STATUSES
        if fmt == "qdpx" and codebook is None:
            codebook = qdpx_codebook(chosen_extracts(service, None, statuses))
        masks = ExportMasks(app.store, pseudonymise)
        count = export_extracts(service, out_file, fmt, codebook, statuses, masks)
        if pseudonymise:
            write_mapping(app.store, masks, mapping, _os_user(), fmt, count)
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"format": fmt, "out": str(out_file), "extracts": count,
                   "pseudonymised": pseudonymise,
                   "pseudonyms": len(masks.mapping_rows()) if pseudonymise else 0,
                   "mapping": str(mapping) if mapping else None})
        return
    out.print(f"Wrote {count} extracts to {out_file}"
              + (f", {len(masks.mapping_rows())} pseudonyms" if pseudonymise else "")
              + (f"; the mapping to {mapping}" if mapping else ""))


def _os_user() -> str:
    from storfa.ingest.pipeline import cli_actor

    return cli_actor()


def qdpx_codebook(extracts: Sequence[Extract]) -> str | None:
    """The codebook a .qdpx holds when none is named: the only one with
    extracts; else the only one with extracts somebody made, decided or ran
    auto-coding for. Ingest codes every review's recommendations to
    cpr-learning by itself (recommendations/themes.py: open suggestions
    in a "@recommendation:" scope), so after `storfa code auto --codebook
    best-practice` two codebooks have extracts though one was asked for.
    None when no codebook has extracts (the export then writes an empty one)."""
    from storfa.domain.coding import SCOPE_MARK, SUGGESTED

    books = Counter(e.codebook for e in extracts)
    if len(books) <= 1:
        return next(iter(books), None)
    asked = {e.codebook for e in extracts
             if not (e.status == SUGGESTED and (e.source_detail or "").startswith(SCOPE_MARK))}
    if len(asked) == 1:
        return asked.pop()
    listed = ", ".join(f"{book} ({n} extracts)" for book, n in sorted(books.items()))
    raise StorfaError(f"A .qdpx holds one codebook, and {len(books)} have extracts: {listed}. "
                      "Choose one with --codebook.")
