"""`--help` reads well in any terminal: it wraps to the terminal's width (and
uses at least 100 columns when there are that many), draws no boxes whose
corners could break, and never cuts an option name short."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer

from storfa.cli.main import app

STORFA = [sys.executable, "-m", "storfa.cli"]
BOX = set("╭╮╰╯│─┃━")


def _help(columns: int, *args: str) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([*STORFA, *args, "--help"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _serve_options() -> list[str]:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    serve = root.commands["serve"]
    return [name for param in serve.params
            for name in (*param.opts, *param.secondary_opts) if name.startswith("-")]


@pytest.mark.parametrize("columns", [80, 120])
def test_help_fits_the_terminal_without_boxes(columns: int) -> None:
    for args in ((), ("serve",)):
        text = _help(columns, *args)
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= columns, (args, text)
        assert not BOX & set(text), text
        assert "…" not in text and "..." not in text.split("Commands:")[-1], text


@pytest.mark.parametrize("columns", [80, 120])
def test_every_serve_option_appears_whole(columns: int) -> None:
    words = set(_help(columns, "serve").replace(",", " ").split())
    options = _serve_options()
    assert "--no-ingest-worker" in options and "--stop-timeout" in options
    for option in options:
        assert option in words, option


def test_wide_terminals_get_wide_help() -> None:
    assert max(len(line) for line in _help(120, "serve").splitlines()) > 100
