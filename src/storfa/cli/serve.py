"""`storfa serve`: the web app and API under uvicorn, with a background
worker for the job queue (uploads, auto-coding runs), supervised by storfa.service (clean stops on
SIGTERM and SIGINT, refusal to start when the port or data directory cannot
be used)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from storfa.cli.context import services
from storfa.cli.output import fail
from storfa.domain.errors import StorfaError
from storfa.service.server import DEFAULT_STOP_SECONDS

if TYPE_CHECKING:
    from storfa.app import Storfa


def run_server(app: Storfa, host: str, port: int, workers: int, ingest_worker: bool,
               stop_timeout: float = DEFAULT_STOP_SECONDS) -> None:
    from storfa.service.server import serve as run_service

    try:
        status = run_service(app, host, port, workers, ingest_worker, stop_timeout)
    except StorfaError as exc:
        fail(str(exc), code=1)
    if status:
        raise typer.Exit(status)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Web server processes (one per core is a good start); each works on at most STORFA_REQUEST_THREADS requests at once (default 4), the rest wait their turn.")] = 1,
    ingest_worker: Annotated[bool, typer.Option("--ingest-worker/--no-ingest-worker", help="Run a background worker for the job queue: uploads to ingest, auto-coding runs.")] = True,
    stop_timeout: Annotated[float, typer.Option("--stop-timeout", min=1.0, help="Seconds that requests and the current job get to finish after SIGTERM or SIGINT; then, or at a second signal, everything still running is killed.")] = DEFAULT_STOP_SECONDS,
) -> None:
    """Run the web app and the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json).

    Health at /healthz and /readyz, Prometheus figures at /metrics (docs/deploy.md).
    Refuses to start (exit 1) when the port is taken or the data directory is
    not writable.
    """
    run_server(services(ctx), host, port, workers, ingest_worker, stop_timeout)
