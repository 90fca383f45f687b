"""503 Service Unavailable with Retry-After, not 500, while the database or
the data directory's disk cannot serve: PostgreSQL restarting or down, a
pooled connection the server dropped, no free connection within the pool's
wait, or no space left to stage an upload.

These are the service's state, not a fault in the request or the code: a
client (or load balancer) should wait and try again, and the log should not
fill with tracebacks. Measured under load with bench/fault_drill.py. The
answer is a problem document built without the database (no visitor, no
template), since the database may be what is missing."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from storfa.storage.files import is_disk_full

log = logging.getLogger("storfa.web")
# PostgreSQL restarts in seconds; the pool reconnects in the background.
DATABASE_RETRY_SECONDS = 5
# A full disk needs someone to free space: ask for a longer pause.
DISK_RETRY_SECONDS = 60

Problem = Callable[[int, Any], JSONResponse]


def install(app: FastAPI, problem: Problem) -> None:
    """Answer these errors with 503 on `app` (each mounted app needs its own)."""

    def unavailable(detail: str, seconds: int) -> Response:
        response = problem(503, detail)
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.exception_handler(psycopg.OperationalError)
    async def database_down(request: Request, exc: Exception) -> Response:
        # The class only: a message can name the host or user.
        log.warning("database unavailable on %s: %s", request.url.path, type(exc).__name__)
        return unavailable("The database is unavailable; try again shortly.",
                           DATABASE_RETRY_SECONDS)

    @app.exception_handler(OSError)
    async def disk_full(request: Request, exc: Exception) -> Response:
        if not is_disk_full(exc):
            raise exc  # any other OSError is a fault: 500, logged with its traceback
        log.warning("no space left on %s: %s", request.url.path, getattr(exc, "strerror", exc))
        return unavailable("The server has no space left to store this; try again later.",
                           DISK_RETRY_SECONDS)

    @app.exception_handler(sqlite3.OperationalError)
    async def sqlite_full(request: Request, exc: Exception) -> Response:
        if not is_disk_full(exc):
            raise exc
        log.warning("no space left on %s: %s", request.url.path, exc)
        return unavailable("The server has no space left to store this; try again later.",
                           DISK_RETRY_SECONDS)
