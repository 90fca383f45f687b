"""Helpers tests import by name. They live outside conftest.py because the
browser tests have a conftest of their own, and `from harness import …`
would find whichever conftest was imported first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storfa.cli.main import app as cli_app

# Run a module once on SQLite, once on PostgreSQL with the Tantivy index and once
# on PostgreSQL with its own full-text search: `pytestmark = ALL_ENGINES`.
ALL_ENGINES = pytest.mark.parametrize(
    "backend", ["sqlite", "postgresql", "postgresql-fts"], indirect=True)



class Cli:
    """Runs `storfa --data DIR ...` in-process and decodes --json output."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.runner = CliRunner()

    def run(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(cli_app, ["--data", str(self.data_dir), *args], input=input)

    def json(self, *args: str, expect_exit: int = 0, input: str | None = None) -> Any:
        result = self.run(*args, "--json", input=input)
        assert result.exit_code == expect_exit, (result.exit_code, result.output)
        return json.loads(result.stdout)
