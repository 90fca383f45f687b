"""The services a command runs on, built once from the global options."""

from __future__ import annotations

from pathlib import Path

import typer

from storfa.app import Storfa
from storfa.config import Settings


def services(ctx: typer.Context) -> Storfa:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Storfa(Settings.from_env())
    app: Storfa = root.obj
    return app


def configure(ctx: typer.Context, data: Path | None) -> None:
    ctx.obj = Storfa(Settings.from_env(data_dir=data))
    ctx.call_on_close(ctx.obj.close)
