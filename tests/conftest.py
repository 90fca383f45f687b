"""Shared fixtures: a fresh storfa data directory per test, real SQLite and a
real Tantivy index in a temp folder; the shared corpus when present."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from backends import PostgresRun, postgres_schema, postgres_unavailable
from harness import Cli
from storfa.app import Storfa
from storfa.config import Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
# Embedding every ingested passage costs ~25 ms each on two cores: tests that
# are about search by meaning embed explicitly (reindex --embeddings, the
# EmbeddingService); the rest keep to keyword search.
os.environ.setdefault("STORFA_EMBED", "off")
# Unsigned int8 weights on every CPU: with VNNI storfa would pick signed ones,
# whose readings differ slightly, and the written-review tests pin readings
# near the threshold (search.embeddings.signed_weights).
os.environ.setdefault("STORFA_INT8", "u8")


@pytest.fixture(scope="session")
def postgres_run() -> Iterator[PostgresRun | None]:
    if postgres_unavailable():
        yield None
        return
    run = PostgresRun()
    yield run
    run.drop()


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
    schema, url = postgres_schema(postgres_run)
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


@pytest.fixture
def cli(data_dir: Path) -> Cli:
    return Cli(data_dir)
