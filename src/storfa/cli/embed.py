"""Embedding stored passages from a command, with a progress bar on stderr."""

from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storfa.app import Storfa
from storfa.cli.output import err


def embed_passages(app: Storfa) -> int:
    """Back-fill passage vectors; returns how many passages were embedded."""
    with Progress(TextColumn("[bold]Embedding"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("passages"), console=err,
                  transient=True) as progress:
        task = progress.add_task("", total=None)
        done: int = app.embeddings.backfill(
            progress=lambda n: progress.update(task, advance=n),
            on_total=lambda n: progress.update(task, total=n))
    return done
