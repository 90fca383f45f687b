"""`storfa db restore` and `storfa db verify-backup` (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from storfa.cli.context import services
from storfa.cli.db_common import JsonOption, progress, sql_store
from storfa.cli.output import EXIT_SOME_REJECTED, emit_json, err, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.service.backup import Verification

ArchiveArgument = Annotated[Path, typer.Argument(
    help="Archive written by `storfa db backup` or `storfa db export`.")]


def restore(
    ctx: typer.Context,
    archive: ArchiveArgument,
    force: Annotated[bool, typer.Option(
        "--force", help="Discard what the target store holds first.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into this store (either backend), keeping every id,
    then rebuild the search index and run `storfa check` on the result.

    The store must be empty (a new data directory, or an empty PostgreSQL
    database or schema) unless --force. A damaged archive changes nothing.
    Exits 1 when the restored store fails its check."""
    from storfa.ingest.pipeline import cli_actor
    from storfa.storage.transfer import import_archive

    app = services(ctx)
    try:
        store = sql_store(app, as_json)
        with progress() as bar:
            summary: dict[str, Any] = import_archive(
                store, app.blobs, archive, work_dir=app.settings.data_dir, replace=force,
                actor=cli_actor(), reporter=bar, replace_option="--force")
        with err.status("Rebuilding the search index…"):
            summary["indexed_reviews"] = app.index.rebuild(store)
        with err.status("Checking the restored store…"):
            problems = app.check()
    except StorfaError as exc:
        fail(str(exc), as_json)
    summary["check"] = {"ok": not problems, "problems": problems}
    if as_json:
        emit_json(summary)
    else:
        rows = ", ".join(f"{n} {t}" for t, n in summary["rows"].items() if n)
        out.print(f"Restored {archive} (from {summary['source_dialect']}): "
                  f"{rows or 'no rows'}; {summary['originals']} original file(s); "
                  f"indexed {summary['indexed_reviews']} review(s).")
        for problem in problems:
            out.print(f"[red]✗[/] {problem}")
        if not problems:
            out.print("[green]✓[/] storfa check: the restored store is consistent")
    if problems:
        raise typer.Exit(EXIT_SOME_REJECTED)


def verify_backup(
    ctx: typer.Context,
    archive: ArchiveArgument,
    database_url: Annotated[str | None, typer.Option(
        "--database-url", metavar="URL",
        help="Restore into a new scratch schema in this PostgreSQL database (dropped "
             "afterwards) instead of a temporary SQLite store. Not the live database: "
             "loading the copy there would hold up its writes.")] = None,
    work_dir: Annotated[Path | None, typer.Option(
        "--work-dir", metavar="DIR",
        help="Where the scratch data directory goes; it needs room for the unpacked "
             "archive (default: the system's temporary folder, TMPDIR).")] = None,
    live: Annotated[bool, typer.Option(
        "--live/--archive-only",
        help="Compare with this store (default), or only check that the archive "
             "restores whole (for a backup of another store, or an older one).")] = True,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into a scratch store and compare it with this one:
    rows and content per table, every original's SHA-256, the audit chain, and
    `storfa check` on the restored copy. Nothing is written to this store.

    Exits 0 when everything matches, 1 on any mismatch or when the archive
    does not restore, 2 when the drill cannot run (no such file, no scratch
    database)."""
    from storfa.service.backup import verify_backup as run_verify

    app = services(ctx)
    try:
        with progress() as bar:
            result = run_verify(app, archive, work_dir=work_dir, database_url=database_url,
                                compare_live=live, reporter=bar)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(result.as_json())
    else:
        _print_report(result)
    if not result.ok:
        raise typer.Exit(EXIT_SOME_REJECTED)


def _print_report(result: Verification) -> None:
    notes = any(c.note for c in result.checks)
    table = Table(title=f"Backup check: {result.archive}", title_justify="left")
    for column in ("", "kind", "what", "archive", "restored", "live"):
        table.add_column(column, overflow="fold")
    if notes:
        table.add_column("note", overflow="fold", ratio=2)
    for check in result.checks:
        cells = ["[green]✓[/]" if check.ok else "[red]✗[/]", check.kind, check.name,
                 check.archive, check.restored, check.live]
        table.add_row(*cells, *([check.note] if notes else []))
    out.print(table)
    failed = [c for c in result.checks if not c.ok]
    if result.ok:
        out.print("[green]✓[/] The backup restores and matches "
                  + ("the live store." if result.compared_with_live else "itself."))
    else:
        out.print(f"[red]✗[/] {len(failed)} check(s) failed"
                  + (f": {result.error}" if result.error else "."))
