"""`storfa worker`: claim queued jobs (files to ingest, auto-coding runs
started from the web) and run them, one at a time."""

from __future__ import annotations

import datetime as dt
import logging
import signal
from collections.abc import Callable
from types import FrameType
from typing import Annotated, Any

import typer

from storfa.cli.context import services
from storfa.cli.output import emit_json, err, fail
from storfa.domain.errors import StorfaError
from storfa.domain.jobs import DEFAULT_MAX_ATTEMPTS, DEFAULT_STALE_SECONDS
from storfa.ingest.jobs import JobWorker
from storfa.storage import repositories


def _log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    err.print(f"[dim]{stamp}[/] {message}", markup=True, highlight=False)


def _json_logs() -> tuple[Callable[[str], None], Callable[[dict[str, Any]], None]]:
    """STORFA_LOG_FORMAT=json: every line an object, one per job. The worker's
    own "job N: …" lines are left out: they name files, and file names can be
    personal data; the job record says what happened without them."""
    from storfa.service import logs

    logs.configure("json")
    logger = logging.getLogger("storfa.worker")

    def message(text: str) -> None:
        if not text.startswith("job "):
            logger.info(text, extra={"fields": {"event": "worker"}})

    def job(record: dict[str, Any]) -> None:
        logger.info("job", extra={"fields": {"event": "job", **record}})

    return message, job


def worker(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Exit when no job is waiting, instead of polling.")] = False,
    poll: Annotated[float, typer.Option("--poll", min=0.05, help="Seconds between looks at an empty queue.")] = 2.0,
    stale_after: Annotated[float, typer.Option("--stale-after", min=0.1, help="Seconds without a heartbeat before a running job is taken over.")] = DEFAULT_STALE_SECONDS,
    max_attempts: Annotated[int, typer.Option("--max-attempts", min=1, help="Claims of one job before it is marked failed.")] = DEFAULT_MAX_ATTEMPTS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as one JSON document at exit.")] = False,
) -> None:
    """Run the job queue: ingest files (`storfa ingest --queue`, web uploads)
    and auto-coding runs started from the web pages or the API.

    Any number of workers may share one database. A job whose worker is killed
    is taken over once its heartbeat is older than --stale-after. SIGTERM or
    Ctrl-C finishes the current job, then exits. Log lines go to stderr.
    """
    app = services(ctx)
    from storfa.service.logs import check_format

    try:
        json_logs = check_format(app.settings.log_format) == "json"
        queue = repositories.jobs(app.store, stale_seconds=stale_after,
                                    max_attempts=max_attempts)
    except StorfaError as exc:
        fail(str(exc), as_json)
    say, on_job = _json_logs() if json_logs else (_log, None)
    from storfa.ingest.after_store import after_store

    def after(keys: list[str], actor: str, say_once: Callable[[str], None]) -> None:
        # The same steps, in the same order, as `storfa ingest` and the demo.
        done = after_store(app, keys, actor, say=say_once)
        if n := done.done("embeddings"):
            say(f"embedded {n} passages")

    runner = JobWorker(queue, app.ingest, app.settings.shared_root, poll_seconds=poll, log=say,
                       after_store=after, on_job=on_job, tasks=app.job_tasks())

    def stop(signum: int, _frame: FrameType | None) -> None:
        if runner.stopping.is_set():
            raise KeyboardInterrupt  # a second signal: stop now
        say(f"{signal.Signals(signum).name}: finishing the current job, then exiting")
        runner.stop()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        counts = runner.run(once=once)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if as_json:
        emit_json({"worker": runner.worker_id, "counts": counts, "queue": queue.stats()})
