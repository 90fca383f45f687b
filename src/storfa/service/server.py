"""`storfa serve` put together: start-up checks, then the supervisor over N web
workers sharing one listening socket and one background ingest worker."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from storfa.domain.errors import StorfaError
from storfa.service import logs
from storfa.service.preflight import check_data_dir, listen_socket
from storfa.service.supervisor import ChildSpec, Supervisor

if TYPE_CHECKING:
    # Annotation only: `storfa serve`'s option defaults come from here, and the
    # CLI must not load the store to show them (CLI start).
    from storfa.app import Storfa

log = logging.getLogger("storfa.serve")
INGEST_WORKER = "ingest-worker"
# Under Docker's 10 s between SIGTERM and SIGKILL, with time to spare.
DEFAULT_STOP_SECONDS = 8.0


def _open_database(app: Storfa) -> None:
    try:
        app.store.migrate()
    except StorfaError:
        raise
    except Exception as exc:  # sqlite3 / psycopg errors: a message, not a traceback
        raise StorfaError(f"Cannot open the database: {type(exc).__name__}: {exc}") from exc


def _release_jobs(app: Storfa) -> Callable[[ChildSpec, int], None]:
    """After the ingest worker exits: jobs it still held become claimable at once."""
    def release(spec: ChildSpec, pid: int) -> None:
        if spec.name != INGEST_WORKER:
            return
        from storfa.ingest.jobs import worker_prefix

        n = app.jobs.abandon(worker_prefix(pid))
        if n:
            log.warning("%d job(s) of the stopped ingest worker queued again", n,
                        extra={"fields": {"event": "jobs_released", "jobs": n}})
    return release


def serve(app: Storfa, host: str, port: int, workers: int, ingest_worker: bool,
          stop_timeout: float = DEFAULT_STOP_SECONDS) -> int:
    """Run until SIGTERM/SIGINT; returns the exit status. Raises StorfaError
    (before anything starts) when the service cannot run as asked."""
    settings = app.settings
    logs.configure(logs.check_format(settings.log_format))
    data_dir = settings.data_dir.resolve()
    check_data_dir(data_dir)
    sock = listen_socket(host, port)
    metrics_dir = tempfile.mkdtemp(prefix="storfa-metrics-")
    try:
        _open_database(app)
        return _supervise(app, sock, workers, ingest_worker, stop_timeout, metrics_dir,
                          f"http://{host}:{port}/")
    finally:
        sock.close()
        shutil.rmtree(metrics_dir, ignore_errors=True)


# glibc raises its mmap threshold each time a large block is freed, after
# which the vector scores and matrices of every search by meaning come from
# the heaps of the request threads and stay there. Fixed at its default,
# large blocks go back to the system when freed: under a load of searches by
# meaning two web workers held 747 MB against 1,136 MB and grew half as fast,
# for p95 62 against 52 ms (docs/deploy.md). An operator's own value wins.
MALLOC_DEFAULTS = {"MALLOC_MMAP_THRESHOLD_": "131072"}


def child_env(parent: Mapping[str, str], data_dir: Path, metrics_dir: str) -> dict[str, str]:
    """The environment of the server's workers."""
    return {**MALLOC_DEFAULTS, **parent, "STORFA_DATA": str(data_dir),
            # One directory per run: web workers' metrics, summed by /metrics.
            "PROMETHEUS_MULTIPROC_DIR": metrics_dir}


def _supervise(app: Storfa, sock: socket.socket, workers: int, ingest_worker: bool,
               stop_timeout: float, metrics_dir: str, url: str) -> int:
    data_dir = app.settings.data_dir.resolve()
    env = child_env(os.environ, data_dir, metrics_dir)
    fd = sock.fileno()
    specs = [ChildSpec(f"web-{i}", [sys.executable, "-m", "storfa.web.process", "--fd", str(fd),
                                    "--stop-timeout", str(stop_timeout)], pass_fds=(fd,))
             for i in range(1, workers + 1)]
    if ingest_worker:
        specs.append(ChildSpec(INGEST_WORKER, [sys.executable, "-m", "storfa.cli", "worker",
                                               "--poll", "0.5"]))
    log.info("storfa is serving %s at %s (Ctrl-C or SIGTERM stops it)", data_dir, url,
             extra={"fields": {"event": "serving", "url": url, "web_workers": workers,
                               "ingest_worker": ingest_worker}})
    supervisor = Supervisor(specs, env, stop_timeout, after_exit=_release_jobs(app))
    return supervisor.run()
