"""What the `storfa db` commands share: progress bars on stderr and the SQL store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from storfa.cli.output import err, fail

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.storage.sql.store import SQLStore

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


class Bar:
    """storfa.storage.transfer.Reporter on a rich progress bar (stderr)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def stage(self, label: str, total: int | None) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(label, total=total)

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.progress.update(self.task, advance=amount)


@contextmanager
def progress() -> Iterator[Bar]:
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bars:
        yield Bar(bars)


def sql_store(app: Storfa, as_json: bool) -> SQLStore:
    from storfa.storage.sql.store import SQLStore

    store = app.store
    if not isinstance(store, SQLStore):
        fail("This store does not support export and import.", as_json)
    return store
