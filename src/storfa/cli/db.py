"""`storfa db`: schema upgrades, and moving or backing up a whole store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from storfa.cli import db_backup
from storfa.cli.context import services
from storfa.cli.db_common import JsonOption
from storfa.cli.db_common import progress as _progress
from storfa.cli.db_common import sql_store as _sql_store
from storfa.cli.output import emit_json, err, fail, out
from storfa.domain.errors import StorfaError

db_app = typer.Typer(
    help="The database: upgrade its schema; export, import, back up, restore and verify "
         "a whole store (rows and original files) between SQLite and PostgreSQL.",
    no_args_is_help=True,
)


@db_app.command()
def upgrade(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Apply pending schema migrations to the database. A long back-fill
    shows its progress and may be interrupted: run the command again to
    carry on where it stopped."""
    from storfa.storage.transfer import upgrade as run_upgrade

    try:
        with _progress() as bar:
            applied, version = run_upgrade(services(ctx).settings, reporter=bar)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"applied": applied, "version": version})
    elif applied:
        for name in applied:
            out.print(f"applied {name}")
        out.print(f"Schema is at version {version}.")
    else:
        out.print(f"Nothing to apply; schema is at version {version}.")


def _export(ctx: typer.Context, file: Path, kind: str, as_json: bool) -> None:
    from storfa.storage.transfer import default_backup_name, export_store

    app = services(ctx)
    try:
        store = _sql_store(app, as_json)
        if file.is_dir():
            file = file / default_backup_name(store.dialect)
        with _progress() as bar:
            manifest = export_store(store, app.blobs, file, reporter=bar, kind=kind)
    except StorfaError as exc:
        fail(str(exc), as_json)
    summary: dict[str, Any] = {
        "file": str(file.resolve()), "bytes": file.stat().st_size,
        "source_dialect": manifest["source_dialect"],
        "schema_version": manifest["schema_version"],
        "rows": {t["name"]: t["rows"] for t in manifest["tables"]},
        "originals": manifest["originals"]["count"]}
    if as_json:
        emit_json(summary)
        return
    rows = ", ".join(f"{n} {t}" for t, n in summary["rows"].items() if n)
    out.print(f"Wrote {summary['file']} ({summary['bytes']:,} bytes): {rows or 'no rows'}; "
              f"{summary['originals']} original file(s).")


@db_app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Archive to write (.tar.gz).")],
    as_json: JsonOption = False,
) -> None:
    """Write the whole store — every table and every original file — to one
    archive, read in one consistent snapshot. Restore it with `storfa db import`
    into SQLite or PostgreSQL."""
    _export(ctx, file, "export", as_json)


@db_app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="Archive to write, or a folder to write storfa-backup-<dialect>-<time>.tar.gz in.")],
    as_json: JsonOption = False,
) -> None:
    """A consistent snapshot of the store (either backend) while it stays in use.

    Same format as `storfa db export`, so it is restored with
    `storfa db import FILE` — into either backend."""
    _export(ctx, file, "backup", as_json)


@db_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Archive written by `storfa db export` or `backup`.")],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Discard the target store's contents first.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Restore an archive into this (empty) store, keeping every id, then
    rebuild the search index. Refuses a store that already holds data unless
    --replace; a damaged archive changes nothing."""
    from storfa.ingest.pipeline import cli_actor
    from storfa.storage.transfer import import_archive

    app = services(ctx)
    try:
        store = _sql_store(app, as_json)
        with _progress() as bar:
            summary = import_archive(
                store, app.blobs, file, work_dir=app.settings.data_dir, replace=replace,
                actor=cli_actor(), reporter=bar)
        with err.status("Rebuilding the search index…"):
            summary["indexed_reviews"] = app.index.rebuild(store)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(summary)
        return
    rows = ", ".join(f"{n} {t}" for t, n in summary["rows"].items() if n)
    out.print(f"Imported {file} (from {summary['source_dialect']}): {rows or 'no rows'}; "
              f"{summary['originals']} original file(s); "
              f"indexed {summary['indexed_reviews']} review(s).")


db_app.command("restore")(db_backup.restore)
db_app.command("verify-backup")(db_backup.verify_backup)
