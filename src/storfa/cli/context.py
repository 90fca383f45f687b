"""The services a command runs on, built once from the global options.

storfa.app (the store, search engine and ingest pipeline) is imported when a
command first asks for its services, not when the CLI is imported: `storfa
--help` and commands that never open a store must start at once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from storfa.app import Storfa


def _build(data: Path | None = None) -> Storfa:
    from storfa.app import Storfa
    from storfa.config import Settings

    return Storfa(Settings.from_env(data_dir=data))


def services(ctx: typer.Context) -> Storfa:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = _build()
    app: Storfa = root.obj
    return app


def configure(ctx: typer.Context, data: Path | None) -> None:
    ctx.obj = _build(data)
    ctx.call_on_close(ctx.obj.close)
