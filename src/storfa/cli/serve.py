"""`storfa serve`: the web app and API under uvicorn, with a background
ingest worker for uploads."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from storfa.app import Storfa
from storfa.cli.context import services
from storfa.cli.output import err


@contextlib.contextmanager
def background_worker(app: Storfa) -> Iterator[subprocess.Popen[bytes] | None]:
    """`storfa worker` beside the server, so uploads ingest without blocking requests."""
    env = {**os.environ, "STORFA_DATA": str(app.settings.data_dir.resolve())}
    proc = subprocess.Popen([sys.executable, "-m", "storfa.cli", "worker", "--poll", "0.5"],
                            env=env)
    try:
        yield proc
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
        if proc.poll() is None:
            proc.kill()


def run_server(app: Storfa, host: str, port: int, workers: int, ingest_worker: bool) -> None:
    import uvicorn

    app.store.migrate()
    os.environ["STORFA_DATA"] = str(app.settings.data_dir.resolve())
    err.print(f"storfa is serving {app.settings.data_dir} at [bold]http://{host}:{port}/[/] "
              "(Ctrl-C stops it)")
    worker = background_worker(app) if ingest_worker else contextlib.nullcontext()
    with worker:
        uvicorn.run("storfa.web.asgi:create", factory=True, host=host, port=port,
                    workers=workers, log_level="warning", access_log=False,
                    proxy_headers=False)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Web server processes (one per core is a good start).")] = 1,
    ingest_worker: Annotated[bool, typer.Option("--ingest-worker/--no-ingest-worker", help="Run a background worker that ingests uploads.")] = True,
) -> None:
    """Run the web app and the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json)."""
    run_server(services(ctx), host, port, workers, ingest_worker)
