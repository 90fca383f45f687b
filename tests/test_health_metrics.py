"""/healthz, /readyz, /metrics and the structured request and job logs, on the
real app (webworld's site) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from storfa.ingest.jobs import JobWorker, stage_file
from storfa.service import health, logs
from storfa.storage.migrations.runner import Migration
from storfa.storage.sql.jobs import JobQueue
from storfa.web.routes.health import ReadinessProbe
from webworld import World, backend_env, build_world, review_markdown

LOOPBACK = ("127.0.0.1", 40000)
REMOTE = ("203.0.113.9", 40000)


def _run(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: a session-wide browser fixture
    (tests/browser) keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"health-{request.param}")
        site = build_world(base / "data", base / "reviews")
        yield site
        site.close()


def client(w: World, address: tuple[str, int] = REMOTE) -> TestClient:
    return TestClient(w.app, follow_redirects=False, client=address)


def samples(text: str) -> dict[str, float]:
    """`name{labels}` → value from the Prometheus text format."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            out[key] = float(value)
    return out


# ------------------------------------------------------------------ health
def test_healthz_is_public_and_needs_no_database(world: World,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def down() -> None:
        raise OSError("database gone")

    monkeypatch.setattr(world.storfa.store.db, "read", down)
    response = client(world).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_ready(world: World) -> None:
    world.storfa.index.sync(world.storfa.store)
    response = client(world).get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready"}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_unready_without_database(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def down() -> None:
        raise ConnectionRefusedError("connection refused by db.example:5432 as storfa")

    monkeypatch.setattr(world.storfa.store.db, "read", down)
    response = client(world).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unready"
    assert body["reasons"] == ["database: unreachable (ConnectionRefusedError)"]
    assert "db.example" not in response.text  # no host or user names to the public


def test_readyz_answers_in_time_when_the_database_hangs(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = ReadinessProbe(world.storfa, timeout=0.2)
    calls = []

    def hangs(_app: object) -> list[str]:
        calls.append(1)
        time.sleep(1.0)
        return []

    monkeypatch.setattr("storfa.web.routes.health.readiness", hangs)
    started = time.monotonic()
    assert _run(probe.problems()) == ["database: no answer within 0.2 s"]
    # A probe while the first check still hangs waits on it, not on a new thread.
    assert _run(probe.problems()) == ["database: no answer within 0.2 s"]
    assert time.monotonic() - started < 0.9 and len(calls) == 1


def test_readyz_unready_when_migrations_differ(world: World,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = health.load_migrations(world.storfa.store.db.dialect)
    monkeypatch.setattr(health, "load_migrations",
                        lambda _d: [*shipped, Migration(9999, "future", "")])
    reasons = client(world).get("/readyz").json()["reasons"]
    assert reasons == ["migrations: not applied: 9999 (run `storfa db upgrade`)"]
    monkeypatch.setattr(health, "load_migrations", lambda _d: shipped[:-1])
    reasons = client(world).get("/readyz").json()["reasons"]
    assert reasons == [f"migrations: the database is newer than this storfa: "
                       f"{shipped[-1].version}"]


def test_readyz_unready_while_the_index_lags(world: World) -> None:
    storfa = world.storfa
    row = world.rows["public"]
    with storfa.store.db.write() as conn:
        conn.execute("INSERT INTO index_log (review_id, created_at) VALUES (?, ?)",
                     (row, "2020-01-01T00:00:00+00:00"))
    lag = health.index_lag(storfa)
    if storfa.index.name == "tantivy":
        assert lag.entries == 1 and lag.seconds > storfa.settings.ready_index_lag
        response = client(world).get("/readyz")
        assert response.status_code == 503
        assert response.json()["reasons"][0].startswith("search index: 1 change(s) not "
                                                        "searchable yet")
    storfa.index.sync(storfa.store)  # what the ingest worker does, also when idle
    assert health.index_lag(storfa) == health.IndexLag(0, 0.0)
    assert client(world).get("/readyz").status_code == 200


# ----------------------------------------------------------------- metrics
def test_metrics_refused_to_anonymous_remote_clients(world: World) -> None:
    response = client(world, REMOTE).get("/metrics")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    # A proxy on this machine forwarding a remote visitor is not "loopback".
    forwarded = client(world, LOOPBACK).get("/metrics",
                                            headers={"X-Forwarded-For": "203.0.113.9"})
    assert forwarded.status_code == 403
    # A user's API token is not the metrics token.
    assert client(world).get("/metrics", headers=world.bearer("administrator")).status_code == 403


def test_metrics_token_opens_them_to_other_machines(world: World,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(world.storfa, "settings",
                        dataclasses.replace(world.storfa.settings, metrics_token="m-3tr1cs"))
    assert client(world).get("/metrics").status_code == 403
    wrong = client(world).get("/metrics", headers={"Authorization": "Bearer m-3tr1c"})
    assert wrong.status_code == 403
    right = client(world).get("/metrics", headers={"Authorization": "Bearer m-3tr1cs"})
    assert right.status_code == 200 and "storfa_database_up 1.0" in right.text


def test_metrics_report_routes_queue_ingest_index_and_embeddings(world: World,
                                                                 tmp_path: Path) -> None:
    storfa = world.storfa
    local = client(world, LOOPBACK)
    key = world.keys["public"]
    assert local.get(f"/api/v1/reviews/{key}", headers=world.bearer("reader")).status_code == 200
    assert local.get("/api/v1/search?q=zephyrine+Bob").status_code == 200
    before = samples(local.get("/metrics").text)

    queue = JobQueue(storfa.store.db)
    done = queue.enqueue("incoming/x/a.md", "a.md", actor="test")
    job = queue.claim("test-worker")
    assert job is not None and job.id == done
    queue.finish(job, {"path": "a.md", "status": "duplicate", "review_id": key})
    queue.enqueue("incoming/y/b.md", "b.md", actor="test")
    time.sleep(0.05)

    response = local.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    # Route templates, never raw paths or query strings.
    assert ('storfa_http_request_duration_seconds_count{method="GET",'
            'route="/api/v1/reviews/{key:path}",status="200"}') in text
    assert 'route="/api/v1/search",status="200"' in text
    assert key not in text and "zephyrine" not in text and "Bob" not in text
    now = samples(text)
    assert now["storfa_database_up"] == 1
    assert now["storfa_job_queue_depth"] == before["storfa_job_queue_depth"] + 1
    assert now["storfa_job_queue_oldest_age_seconds"] > 0
    duplicate = 'storfa_ingest_results_total{status="duplicate"}'
    assert now[duplicate] == before[duplicate] + 1
    for status in ("ingested", "rejected", "failed"):
        assert f'storfa_ingest_results_total{{status="{status}"}}' in now
    assert now["storfa_index_lag_entries"] == health.index_lag(storfa).entries
    assert "storfa_index_lag_seconds" in now
    assert now["storfa_embedding_backlog_passages"] == health.embedding_backlog(storfa) > 0
    # Leave the queue as it was for the other tests.
    with storfa.store.db.write() as conn:
        conn.execute("DELETE FROM ingest_jobs WHERE actor = 'test'")


def test_metrics_say_when_the_database_is_down(world: World,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def down() -> None:
        raise OSError("gone")

    monkeypatch.setattr(world.storfa.store.db, "read", down)
    response = client(world, LOOPBACK).get("/metrics")
    assert response.status_code == 200
    assert samples(response.text)["storfa_database_up"] == 0


# -------------------------------------------------------------------- logs
def _request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = logs.JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records
            if r.name == "storfa.requests"]


def test_one_json_line_per_request_without_personal_data(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="storfa.requests")
    reader = world.client("reader")  # signed in: the line must not name them
    caplog.clear()
    response = reader.get("/api/v1/search?q=zephyrine&board=North+Wales")
    page = reader.get(f"/reviews/{world.keys['public']}")
    assert response.status_code == 200 and page.status_code == 200
    lines = _request_lines(caplog)
    assert len(lines) == 2
    first = lines[0]
    assert first["event"] == "request" and first["method"] == "GET"
    assert first["route"] == "/api/v1/search" and first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["request_id"] == response.headers["x-request-id"]
    assert set(first) == {"ts", "level", "logger", "message", "event", "method", "route",
                          "status", "duration_ms", "request_id"}
    assert lines[1]["route"].startswith("/reviews/{")  # type: ignore[union-attr]
    raw = json.dumps(lines)
    for secret in ("zephyrine", "North", "reader", world.keys["public"], "?"):
        assert secret not in raw


def test_request_id_is_echoed_when_plain(world: World) -> None:
    given = client(world).get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    assert given.headers["x-request-id"] == "lb-1234.abc"
    odd = client(world).get("/healthz", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["x-request-id"])


def test_one_record_per_job_without_the_file_name(world: World, tmp_path: Path) -> None:
    storfa = world.storfa
    source = tmp_path / "Jane Doe private notes.md"
    source.write_text(review_markdown("CPR2021-W31", "Gwent Safeguarding Board", "okapine"),
                      encoding="utf-8")
    queue = JobQueue(storfa.store.db)
    staged = stage_file(storfa.settings.data_dir, source)
    job_id = queue.enqueue(staged, source.name, actor="test")
    records: list[dict[str, object]] = []
    worker = JobWorker(queue, storfa.ingest, storfa.settings.data_dir, poll_seconds=0.1,
                       on_job=records.append)
    assert worker.run(once=True)["done"] == 1
    assert len(records) == 1
    record = records[0]
    assert record["job_id"] == job_id and record["outcome"] == "done"
    assert record["status"] == "ingested" and record["attempt"] == 1
    assert isinstance(record["duration_ms"], int)
    assert "Jane" not in json.dumps(record)
    counts = health.ingest_outcomes(storfa)
    assert counts["ingested"] >= 1


def test_text_and_json_formats() -> None:
    record = logging.LogRecord("storfa.requests", logging.INFO, __file__, 1, "request", None,
                               None)
    record.fields = {"route": "/healthz", "status": 200}
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["route"] == "/healthz" and line["level"] == "info"
    assert logs.TextFormatter().format(record).endswith("request route=/healthz status=200")
    with pytest.raises(Exception, match="STORFA_LOG_FORMAT"):
        logs.check_format("yaml")
