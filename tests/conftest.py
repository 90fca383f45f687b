"""Shared fixtures: a fresh storfa data directory per test, real SQLite and a
real Tantivy index in a temp folder; the shared corpus when present."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storfa.app import Storfa
from storfa.cli.main import app as cli_app
from storfa.config import Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def storfa(data_dir: Path) -> Iterator[Storfa]:
    app = Storfa(Settings(data_dir=data_dir, workers=1))
    yield app
    app.close()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir() or not any(CORPUS.glob("*.md")):
        pytest.skip("../shared/corpus is not present")
    return CORPUS


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


@pytest.fixture
def cli(data_dir: Path) -> Cli:
    return Cli(data_dir)
