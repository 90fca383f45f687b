"""Shared fixtures: a fresh storfa data directory per test, real SQLite and a
real Tantivy index in a temp folder; the shared corpus when present."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backends import PostgresRun, postgres_unavailable
from storfa.app import Storfa
from storfa.cli.main import app as cli_app
from storfa.config import Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
# Embedding every ingested passage costs ~25 ms each on two cores: tests that
# are about search by meaning embed explicitly (reindex --embeddings, the
# EmbeddingService); the rest keep to keyword search.
os.environ.setdefault("STORFA_EMBED", "off")


@pytest.fixture(scope="session")
def postgres_run() -> Iterator[PostgresRun | None]:
    if postgres_unavailable():
        yield None
        return
    run = PostgresRun()
    yield run
    run.drop()


# Run a module once on SQLite, once on PostgreSQL with the Tantivy index and once
# on PostgreSQL with its own full-text search: `pytestmark = ALL_ENGINES`.
ALL_ENGINES = pytest.mark.parametrize(
    "backend", ["sqlite", "postgresql", "postgresql-fts"], indirect=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test that stores data runs once per backend. PostgreSQL gets a fresh
    schema, selected through STORFA_DATABASE_URL exactly as a user selects it.
    Modules marked with ALL_ENGINES also run as "postgresql-fts": PostgreSQL
    searched by its own full-text search (STORFA_SEARCH_ENGINE=postgres)."""
    monkeypatch.delenv("STORFA_DATABASE_URL", raising=False)
    monkeypatch.setenv("STORFA_SEARCH_ENGINE",
                       "postgres" if request.param == "postgresql-fts" else "tantivy")
    if request.param == "sqlite":
        yield "sqlite"
        return
    if postgres_run is None:
        reason = postgres_unavailable() or "PostgreSQL unavailable"
        if os.environ.get("STORFA_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    schema, url = postgres_run.new_schema()
    monkeypatch.setenv("STORFA_DATABASE_URL", url)
    yield "postgresql"
    postgres_run.drop_schema(schema)


@pytest.fixture
def data_dir(tmp_path: Path, backend: str) -> Path:
    return tmp_path / "data"


@pytest.fixture
def storfa(data_dir: Path) -> Iterator[Storfa]:
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
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
