"""`storfa ingest`: files and folders in, one line of outcome per file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storfa.cli.context import services
from storfa.cli.output import EXIT_SOME_REJECTED, emit_json, err, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from storfa.app import Storfa
    from storfa.ingest.after_store import AfterStore
    from storfa.ingest.pipeline import FileResult

STYLE = {"ingested": "green", "duplicate": "yellow", "rejected": "red"}


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively).")],
    type: Annotated[str | None, typer.Option("--type", help="Review type, e.g. CPR, APR, DHR, SUSR.")] = None,
    id: Annotated[str | None, typer.Option("--id", help="Review identifier, e.g. CPR2024-W11.")] = None,
    board: Annotated[str | None, typer.Option("--board", help="Safeguarding board, e.g. \"North Wales\".")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the files: en or cy.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    queue: Annotated[bool, typer.Option("--queue", help="Stage the files and queue them for `storfa worker` instead of ingesting here; prints the job ids.")] = False,
    no_embed: Annotated[bool, typer.Option("--no-embed", help="Skip embedding the new passages for search by meaning (run `storfa reindex --embeddings` later).")] = False,
) -> None:
    """Ingest PDF, DOCX, HTML, Markdown and text files.

    Each file ends ingested, duplicate (same bytes already stored) or rejected
    with a reason; the rest of the batch goes on. Exits 1 if any file was
    rejected. Options apply to every file in the batch.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"No such file or folder: {', '.join(missing)}", as_json)
    if lang and lang not in ("en", "cy"):
        fail("--lang must be en or cy", as_json)
    from storfa.ingest.pipeline import IngestOptions

    if not queue:
        from storfa.ingest.sandbox import start_server

        start_server()  # the parse workers load while the store opens
    app = services(ctx)
    options = IngestOptions(type=type, identifier=id, board=board, language=lang)
    if queue:
        _enqueue(app, paths, {"type": type, "id": id, "board": board, "lang": lang},
                 options.actor, as_json)
        return
    from storfa.ingest.after_store import AsStored

    as_stored = AsStored(app, options.actor)
    with Progress(TextColumn("[bold]Ingesting"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=err,
                  transient=True) as progress:
        task = progress.add_task("", total=None)

        def on_result(result: FileResult) -> None:
            progress.update(task, advance=1, description=Path(result.path).name)
            if result.status == "ingested" and result.review_id:
                as_stored(result.review_id)
            if not as_json:
                style = STYLE[result.status]
                detail = result.review_id or ""
                if result.status == "rejected":
                    detail = f"{result.reason_code}: {result.reason}"
                elif result.disclosure_findings:
                    detail += (f"  [yellow]{result.disclosure_findings} disclosure findings: "
                               f"storfa check-disclosure {result.review_id}[/]")
                progress.console.print(
                    f"[{style}]{result.status:<9}[/] {result.path}  [dim]{detail}[/]")

        try:
            results = app.ingest.ingest(paths, options, on_result=on_result,
                                        on_total=lambda n: progress.update(task, total=n))
        except StorfaError as exc:
            fail(str(exc), as_json)
    counts = {s: sum(1 for r in results if r.status == s) for s in STYLE}
    keys = [r.review_id for r in results if r.status == "ingested" and r.review_id]
    after = run_after_store(app, keys, options.actor, skip=("embeddings",) if no_embed else (),
                            extracted=as_stored.extracted)
    embedded = after.done("embeddings")
    if as_json:
        emit_json({"results": [r.as_json() for r in results], "counts": counts,
                   "embedded": embedded, "after_store": after.as_json()})
    else:
        out.print(f"{counts['ingested']} ingested, {counts['duplicate']} duplicate, "
                  f"{counts['rejected']} rejected" +
                  (f"; {embedded} passages embedded." if embedded else "."))
    if counts["rejected"]:
        raise typer.Exit(EXIT_SOME_REJECTED)


def run_after_store(app: Storfa, keys: list[str], actor: str,
                    skip: tuple[str, ...] = (), extracted: Mapping[str, int] | None = None
                    ) -> AfterStore:
    """The after-store steps (ingest/after_store.py) with a progress bar on
    stderr; a failing step is said in yellow, never fatal (the files are stored)."""
    from storfa.ingest.after_store import after_store

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("", total=None)
        return after_store(
            app, keys, actor, skip=skip,
            say=lambda message: progress.console.print(message, style="yellow", markup=False),
            on_step=lambda step: progress.reset(task, description=step.doing, total=None),
            progress=lambda n: progress.update(task, advance=n),
            on_total=lambda n: progress.update(task, total=n), extracted=extracted)


def _enqueue(app: Storfa, paths: list[Path], options: dict[str, str | None], actor: str,
             as_json: bool) -> None:
    """Copy each file under SHARED/incoming/ (the data directory unless
    STORFA_SHARED_DIR) and queue a job for it."""
    from storfa.ingest.files import expand_paths
    from storfa.ingest.jobs import stage_file

    try:
        jobs = app.jobs
        queued = []
        for path in expand_paths(paths):
            staged = stage_file(app.settings.shared_root, path)
            job_id = jobs.enqueue(staged, path.name, options, actor)
            queued.append({"id": job_id, "path": str(path), "staged": str(staged)})
            if not as_json:
                out.print(f"queued job {job_id}  {path}")
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"jobs": queued})
    else:
        out.print(f"{len(queued)} job(s) queued; run `storfa worker` to ingest them.")
