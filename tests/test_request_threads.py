"""A web worker works on at most STORFA_REQUEST_THREADS requests at once; the
rest wait their turn instead of taking turns at the GIL (web/app.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import anyio
import httpx
from fastapi.testclient import TestClient

from storfa.app import Storfa
from storfa.config import Settings
from storfa.web.app import create_app


def _busiest(threads: int, data: Path, requests: int = 6) -> int:
    """How many of `requests` slow requests, all sent at once, the app ran at
    the same moment."""
    app = create_app(Storfa(Settings(data_dir=data, request_threads=threads)))
    running, busiest = 0, 0
    lock = threading.Lock()

    def slow() -> dict[str, int]:  # a sync route runs in the worker's threads
        nonlocal running, busiest
        with lock:
            running += 1
            busiest = max(busiest, running)
        time.sleep(0.15)
        with lock:
            running -= 1
        return {}

    app.add_api_route("/slow-for-test", slow)

    async def send_all() -> None:
        transport = httpx.ASGITransport(app=app)
        async with (httpx.AsyncClient(transport=transport, base_url="http://t") as client,
                    anyio.create_task_group() as group):
            for _ in range(requests):
                group.start_soon(client.get, "/slow-for-test")

    # Entered, the client runs the app's lifespan, which sets the limit on its
    # event loop; the requests are sent on that same loop.
    with TestClient(app) as client:
        assert client.portal is not None
        client.portal.call(send_all)
    return busiest


def test_requests_beyond_the_limit_wait_their_turn(tmp_path: Path) -> None:
    assert _busiest(2, tmp_path / "two") == 2


def test_a_higher_limit_runs_more_at_once(tmp_path: Path) -> None:
    assert _busiest(5, tmp_path / "five") == 5


def test_the_default_is_a_few_threads_and_never_none(tmp_path: Path) -> None:
    assert Settings().request_threads == 4
    assert _busiest(0, tmp_path / "zero", requests=3) == 1
