"""Test databases: SQLite in a temp folder always; PostgreSQL whenever a server
is reachable (STORFA_TEST_DATABASE_URL, default the local trust-auth server),
one database per test run and one schema per test."""

from __future__ import annotations

import os
import uuid
from functools import lru_cache

BASE_URL = os.environ.get("STORFA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@lru_cache(maxsize=1)
def postgres_unavailable() -> str | None:
    """None when PostgreSQL can be used, else why not."""
    try:
        import psycopg

        with psycopg.connect(BASE_URL, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip the PostgreSQL variants
        return f"PostgreSQL not reachable at {BASE_URL}: {exc}"


def _with_database(url: str, database: str) -> str:
    head, _, tail = url.rpartition("/")
    query = ""
    if "?" in tail:
        query = "?" + tail.split("?", 1)[1]
    return f"{head}/{database}{query}"


class PostgresRun:
    """A database created for this test run (per xdist worker), dropped at the end."""

    def __init__(self) -> None:
        import psycopg

        self.name = f"storfa_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(BASE_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = _with_database(BASE_URL, self.name)

    def new_schema(self) -> tuple[str, str]:
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in self.url else "?"
        return schema, f"{self.url}{sep}options=-csearch_path%3D{schema}"

    def drop_schema(self, schema: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(BASE_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def postgres_schema(run: PostgresRun | None) -> tuple[str, str]:
    """A fresh schema and its URL, or skip the test (fail in CI) without PostgreSQL."""
    import pytest

    if run is None:
        reason = postgres_unavailable() or "PostgreSQL unavailable"
        if os.environ.get("STORFA_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return run.new_schema()
