"""How commands print: one JSON document on stdout with --json; tables and
progress on a console otherwise; messages and progress on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

from storfa.domain.errors import StorfaError

out = Console(highlight=False, soft_wrap=True)
# Into a log or a pipe, each message stays one line (one per ingested file),
# however long its path: rich would otherwise wrap at 80 columns.
err = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())

EXIT_OK, EXIT_SOME_REJECTED, EXIT_USAGE = 0, 1, 2


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def fail(message: str, as_json: bool = False, code: int = EXIT_USAGE) -> NoReturn:
    if as_json:
        emit_json({"error": message})
    err.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(code)


def guard(exc: StorfaError, as_json: bool) -> NoReturn:
    fail(str(exc), as_json)
