"""While the database or the disk cannot serve, clients get 503 with
Retry-After, not 500 (storfa.web.unavailable), and the next request after
the fault is served again. The faults are real: PostgreSQL drops the app's
connections (as it does when restarted), and an upload meets a full file
system (a small tmpfs, which needs root; skipped otherwise). Under load:
bench/fault_drill.py."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun, postgres_schema
from harness import small_tmpfs
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
                ) -> Iterator[tuple[TestClient, str, str, Storfa]]:
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
               application, app)
    finally:
        app.close()
        assert postgres_run is not None
        postgres_run.drop_schema(schema)


@pytest.mark.parametrize("path", ["/api/v1/search?q=neglect", "/reviews"])
def test_dropped_database_connections_are_replaced_unseen(
        on_postgres: tuple[TestClient, str, str, Storfa], path: str) -> None:
    """What a PostgreSQL restart leaves behind: the pool tries each connection
    before handing it out, so a request gets a fresh one, never the dead one."""
    client, url, application, _ = on_postgres
    assert client.get(path).status_code == 200
    assert _terminate(url, application) >= 1
    assert [client.get(path).status_code for _ in range(4)] == [200] * 4


def test_no_connection_within_the_pools_wait_gives_503(
        on_postgres: tuple[TestClient, str, str, Storfa]) -> None:
    """The database cannot serve (here: every connection taken, as when it is
    down and none can be opened): after the pool's wait, 503 with Retry-After,
    not 500; served again once connections are free."""
    client, _, _, app = on_postgres
    pool = app.store.db.pool  # type: ignore[attr-defined]
    held = [pool.getconn() for _ in range(pool.max_size)]
    try:
        response = client.get("/api/v1/search?q=neglect")
    finally:
        for conn in held:
            pool.putconn(conn)
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(DATABASE_RETRY_SECONDS)
    assert response.json()["status"] == 503
    assert client.get("/api/v1/search?q=neglect").status_code == 200


def test_other_database_errors_are_still_500(
        on_postgres: tuple[TestClient, str, str, Storfa]) -> None:
    """Only unavailability is 503: a query that cannot run is a fault (500)."""
    client, url, _, _ = on_postgres
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE reviews CASCADE")
    response = TestClient(client.app, raise_server_exceptions=False).get("/reviews")
    assert response.status_code == 500
    assert "retry-after" not in response.headers


def _fill(folder: Path) -> Path:
    """Write until the file system has no space left."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * (1 << 16))
    return filler


def test_upload_onto_a_full_disk_gives_503(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "shared") as shared:
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
