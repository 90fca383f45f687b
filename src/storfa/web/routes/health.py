"""/healthz, /readyz and /metrics: for load balancers, service managers and
Prometheus, outside /api/v1 and without a session.

/healthz says the process answers (no database: a database outage must not
get healthy web workers restarted). /readyz says whether this node should
take traffic (service/health.py). /metrics is for monitoring only: loopback
callers or the STORFA_METRICS_TOKEN bearer token."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from storfa.app import Storfa
from storfa.service.health import readiness
from storfa.web.metrics import CONTENT_TYPE, exposition, may_read_metrics

router = APIRouter(include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}


class ReadinessProbe:
    """Runs the readiness checks off the event loop, answering within `timeout`.

    A database that hangs (PostgreSQL gone, the pool waiting for a connection)
    must not hang the probe: after `timeout` the answer is "unready", and the
    check still running is shared by the probes that follow, so a long outage
    never piles up threads."""

    def __init__(self, storfa: Storfa, timeout: float = 3.0) -> None:
        self.storfa = storfa
        self.timeout = timeout
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="readyz")
        self._running: concurrent.futures.Future[list[str]] | None = None

    def _check(self) -> list[str]:
        try:
            return readiness(self.storfa)
        except Exception as exc:
            return [f"check failed ({type(exc).__name__})"]

    async def problems(self) -> list[str]:
        if self._running is None or self._running.done():
            self._running = self._pool.submit(self._check)
        waiting = asyncio.wrap_future(self._running)
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), self.timeout)
        except TimeoutError:
            return [f"database: no answer within {self.timeout:g} s"]


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    probe: ReadinessProbe = request.app.state.readiness
    problems = await probe.problems()
    body: dict[str, Any] = {"status": "unready" if problems else "ready"}
    if problems:
        body["reasons"] = problems
    return JSONResponse(body, status_code=503 if problems else 200, headers=NO_STORE)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    storfa: Storfa = request.app.state.web.storfa
    if not may_read_metrics(request, storfa.settings.metrics_token):
        return JSONResponse(
            {"type": "about:blank", "title": "Forbidden", "status": 403,
             "detail": "/metrics is open to this machine, or with the metrics bearer token."},
            status_code=403, media_type="application/problem+json", headers=NO_STORE)
    return Response(exposition(storfa), media_type=CONTENT_TYPE, headers=NO_STORE)
