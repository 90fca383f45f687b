"""While the database or the disk cannot serve, clients get 503 with
Retry-After, not 500 (storfa.web.unavailable), and the next request after
the fault is served again. The faults are real: PostgreSQL drops the app's
connections (as it does when restarted), and an upload meets a full file
system (a small tmpfs, which needs root; skipped otherwise). Under load:
bench/fault_drill.py."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun, postgres_schema
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.config import Settings
from storfa.web.app import create_app
from storfa.web.unavailable import DATABASE_RETRY_SECONDS, DISK_RETRY_SECONDS

SYSTEM = Actor(None, "test")
PASSWORD = "correct-horse-battery-9"


def _terminate(url: str, application: str) -> int:
    """What a PostgreSQL restart does to a client: its connections are closed."""
    with psycopg.connect(url, autocommit=True) as conn:
        ended = len(conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s", (application,)).fetchall())
        # pg_terminate_backend only signals: wait until they have gone.
        for _ in range(100):
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE application_name = %s",
                                (application,)).fetchall():
                break
            time.sleep(0.05)
        return ended


@pytest.fixture
def on_postgres(tmp_path: Path, postgres_run: PostgresRun | None
                ) -> Iterator[tuple[TestClient, str, str]]:
    schema, url = postgres_schema(postgres_run)
    # A name of our own, so only this app's connections are dropped.
    application = f"storfa_test_{uuid.uuid4().hex[:10]}"
    app = Storfa(Settings(data_dir=tmp_path / "data",
                          database_url=f"{url}&application_name={application}"))
    app.store.migrate()
    user = app.accounts.add_user("reader", PASSWORD, "reader", None, SYSTEM)
    # Every request with a token reads the database to check it.
    headers = {"Authorization": f"Bearer {app.accounts.create_token(user, 'tests', SYSTEM)}"}
    try:
        yield (TestClient(create_app(app), follow_redirects=False, headers=headers), url,
               application)
    finally:
        app.close()
        assert postgres_run is not None
        postgres_run.drop_schema(schema)


@pytest.mark.parametrize("path", ["/api/v1/search?q=neglect", "/reviews"])
def test_dropped_database_connections_give_503_then_recover(
        on_postgres: tuple[TestClient, str, str], path: str) -> None:
    client, url, application = on_postgres
    assert client.get(path).status_code == 200
    assert _terminate(url, application) >= 1

    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(DATABASE_RETRY_SECONDS)
    assert response.json()["status"] == 503
    # The pool drops the dead connection and opens a new one: served again.
    statuses = [client.get(path).status_code for _ in range(8)]
    assert statuses[-1] == 200 and 500 not in statuses


def test_other_database_errors_are_still_500(on_postgres: tuple[TestClient, str, str]) -> None:
    """Only unavailability is 503: a query that cannot run is a fault (500)."""
    client, url, _ = on_postgres
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE reviews CASCADE")
    response = TestClient(client.app, raise_server_exceptions=False).get("/reviews")
    assert response.status_code == 500
    assert "retry-after" not in response.headers


@contextlib.contextmanager
def _small_tmpfs(path: Path, size: str = "4m") -> Iterator[Path]:
    path.mkdir(parents=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs to fill needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _fill(folder: Path) -> Path:
    """Write until the file system has no space left."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * (1 << 16))
    return filler


def test_upload_onto_a_full_disk_gives_503(tmp_path: Path) -> None:
    with _small_tmpfs(tmp_path / "shared") as shared:
        app = Storfa(Settings(data_dir=tmp_path / "data", shared_dir=shared))
        try:
            app.store.migrate()
            user = app.accounts.add_user("ed", PASSWORD, "editor", None, SYSTEM)
            token = app.accounts.create_token(user, "tests", SYSTEM)
            client = TestClient(create_app(app), follow_redirects=False)
            auth = {"Authorization": f"Bearer {token}"}
            document = ("review.md", b"# Child Practice Review\n\n" + b"Text. " * 2000,
                        "text/markdown")
            filler = _fill(shared)

            response = client.post("/api/v1/uploads", headers=auth, files={"files": document})
            assert response.status_code == 503
            assert response.headers["retry-after"] == str(DISK_RETRY_SECONDS)

            filler.unlink()  # space again: the same upload is taken
            response = client.post("/api/v1/uploads", headers=auth, files={"files": document})
            assert response.status_code == 200
            assert response.json()["uploads"][0]["status"] == "queued"
        finally:
            app.close()
