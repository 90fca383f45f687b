"""Running the job queue (storage/sql/jobs.py holds it): `storfa worker`
claims jobs and runs them, one at a time: a staged file is ingested; other
kinds (auto-coding started from the web, the register's catch-up) run with
the handler registered for their kind (`JobWorker(tasks=...)`), whose
progress reports go onto the job, so any web worker or node can show them.

Ingesting is idempotent (the same bytes are a duplicate), so re-running a job
after a kill is safe. The result recorded is the true outcome: the worker
ingests as actor "<actor> (job N)", which the store writes in the same
transaction as the review (audit log); if a retry finds the file already
stored and that audit event exists, the earlier attempt did ingest it, and the
job records `ingested` rather than `duplicate`.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from storfa.domain.errors import StorfaError
from storfa.domain.jobs import INGEST, Job
from storfa.storage.files import is_disk_full
from storfa.storage.repositories import Jobs

INCOMING = "incoming"
# How often an idle worker brings the search index up to date.
IDLE_SYNC_SECONDS = 5.0
# After a job finds no space to store its file: someone has to free space first.
DISK_FULL_PAUSE_SECONDS = 30.0
# (review keys a job stored, the job's actor, a log line) → None: the
# after-store steps, as `storfa worker` wires them (ingest/after_store.py).
AfterStoreHook = Callable[[list[str], str, Callable[[str], None]], object]
# (the job, report(progress)) → the job's result: how a worker runs a job
# that is not a file to ingest. report() also beats the heart.
TaskHandler = Callable[["Job", Callable[[dict[str, Any]], None]], dict[str, Any]]

# ---------------------------------------------------------------------- staging
def stage_file(data_dir: Path, source: Path, name: str | None = None) -> Path:
    """Copy `source` to ROOT/incoming/<random>/<name> (temp file, fsync, rename)
    and return the path relative to ROOT, as jobs store it. ROOT (`data_dir`) is
    `settings.shared_root`: with several nodes, the job may be claimed by another
    node's worker, which finds the file under the same relative path."""
    name = Path(name or source.name).name or "upload"
    folder = data_dir / INCOMING / uuid.uuid4().hex
    folder.mkdir(parents=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".staging-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return (folder / name).relative_to(data_dir)


def resolve_job_path(data_dir: Path, job: Job) -> Path:
    path = Path(job.path)
    return path if path.is_absolute() else data_dir / path


def _remove_staged(data_dir: Path, path: Path) -> None:
    incoming = (data_dir / INCOMING).resolve()
    try:
        resolved = path.resolve()
    except OSError:
        return
    if incoming not in resolved.parents:
        return  # never delete a file the job merely points at
    resolved.unlink(missing_ok=True)
    if resolved.parent != incoming:
        with suppress(OSError):
            resolved.parent.rmdir()


# ----------------------------------------------------------------------- worker
def worker_prefix(pid: int) -> str:
    """How the ids of the workers of process `pid` on this machine begin."""
    return f"{socket.gethostname()}:{pid}:"


def default_worker_id() -> str:
    return f"{worker_prefix(os.getpid())}{uuid.uuid4().hex[:6]}"


class JobWorker:
    """Claims and ingests jobs until stopped. `stop()` (SIGTERM) lets the current
    job finish first."""

    def __init__(self, queue: Jobs, ingest: Any, data_dir: Path,
                 worker_id: str | None = None, poll_seconds: float = 2.0,
                 log: Callable[[str], None] | None = None,
                 after_store: AfterStoreHook | None = None,
                 on_job: Callable[[dict[str, Any]], object] | None = None,
                 tasks: dict[str, TaskHandler] | None = None) -> None:
        self.queue = queue
        # Handlers for jobs that are not files to ingest, by kind.
        self.tasks = dict(tasks or {})
        self.ingest = ingest  # an IngestService
        # After each job: (review keys stored, actor, log) → the after-store
        # steps (ingest/after_store.py); never fatal to the job.
        self.after_store = after_store
        self.data_dir = data_dir
        self.worker_id = worker_id or default_worker_id()
        self.poll_seconds = poll_seconds
        self.log = log or (lambda _message: None)
        self.stopping = threading.Event()
        self.heartbeat_seconds = max(0.05, min(10.0, queue.stale_seconds / 4))
        self.counts = {"done": 0, "failed": 0, "requeued": 0, "lost": 0, "released": 0}
        self._index_error = ""
        self._after_error = ""
        # One structured record per job (outcome, duration), for JSON logs.
        self.on_job = on_job
        self._result: tuple[str, str | None] | None = None  # (status, reason code)
        self.blocked = False  # the last job found no space to store its file
        self._idle_synced = 0.0

    def stop(self) -> None:
        self.stopping.set()

    def run(self, once: bool = False) -> dict[str, int]:
        """Process jobs until stopped; with `once`, until the queue has none to give."""
        self.log(f"worker {self.worker_id} started (stale after {self.queue.stale_seconds:g} s, "
                 f"max {self.queue.max_attempts} attempts)")
        self.sync_index()
        with self.ingest.session(sync_index=False) as session:
            while not self.stopping.is_set():
                job = self.queue.claim(self.worker_id)
                if job is None:
                    if once:
                        break
                    self._idle_sync()
                    self.stopping.wait(self.poll_seconds)
                    continue
                started = time.monotonic()
                before = dict(self.counts)
                self._result = None
                self.blocked = False
                self.run_job(session, job)
                if once and self.blocked:
                    break  # --once: nothing more can be done until space is freed
                self._record(job, started, before)
        self.log(f"worker {self.worker_id} stopped: " +
                 ", ".join(f"{v} {k}" for k, v in self.counts.items()))
        return dict(self.counts)

    def run_job(self, session: Any, job: Job) -> None:
        if job.kind != INGEST:
            self.run_task(job)
            return
        from storfa.domain.uploads import UploadAccess
        from storfa.ingest.pipeline import FileResult, IngestOptions

        path = resolve_job_path(self.data_dir, job)
        retry = f" (attempt {job.attempts})" if job.attempts > 1 else ""
        self.log(f"job {job.id}: {job.original_name}{retry}")
        with self._heartbeat(job) as lost:
            o = job.options
            options = IngestOptions(type=o.get("type"), identifier=o.get("id"),
                                    board=o.get("board"), language=o.get("lang"),
                                    actor=job.ingest_actor,
                                    access=UploadAccess.from_option(o.get("access")))
            try:
                result: FileResult = session.ingest_file(path, options, sync_index=False)
            except Exception as exc:
                if is_disk_full(exc):
                    self._disk_full(job)
                    return
                status = self.queue.fail(job, f"{type(exc).__name__}: {exc}")
                self._count_failure(status)
                self.log(f"job {job.id}: error {type(exc).__name__}: {exc} -> {status}")
                return
            if (self.stopping.is_set() and result.status == "rejected"
                    and result.reason_code == "resource_limit"):
                # The parser was most likely killed with us (SIGTERM to the group).
                self.queue.release(job)
                self.counts["released"] += 1
                self.log(f"job {job.id}: parser stopped during shutdown -> queued again")
                return
            if result.status == "rejected" and result.reason_code == "disk_full":
                self._disk_full(job)
                return
            if result.status == "rejected" and result.reason_code == "error":
                # Not the file's fault (the store failed): retry like an exception.
                status = self.queue.fail(job, result.reason or "could not store the file")
                self._count_failure(status)
                self.log(f"job {job.id}: error {result.reason} -> {status}")
                return
            if result.status == "duplicate":
                earlier = self.queue.earlier_ingest(job)
                if earlier is not None:
                    key, version = earlier
                    result = FileResult(
                        result.path, "ingested", review_id=key, version=version,
                        pages=self.queue.page_count(key, version),
                        warnings=["stored by an earlier attempt of this job"])
            self._result = (result.status, result.reason_code)
            if self.queue.finish(job, result.as_json()):
                self.counts["done"] += 1
                _remove_staged(self.data_dir, path)
                detail = result.review_id or f"{result.reason_code}: {result.reason}"
                self.log(f"job {job.id}: {result.status} {detail}")
            else:
                self.counts["lost"] += 1
                why = "heartbeat refused earlier" if lost.is_set() else "not ours any more"
                self.log(f"job {job.id}: taken over by another worker ({why}); "
                         "its result is recorded by that worker")
        self.sync_index()
        stored = [result.review_id] if result.status == "ingested" and result.review_id else []
        self.after_job(stored, options.actor)

    def run_task(self, job: Job) -> None:
        """Run a job of another kind with its handler. The handler's reports
        carry the heartbeat; the beat thread covers the gaps between them."""
        handler = self.tasks.get(job.kind)
        if handler is None:
            # A worker of another version may know this kind: leave it, say why.
            status = self.queue.fail(job, f"this worker has no handler for {job.kind!r} jobs",
                                     retry=False)
            self.counts["failed" if status else "lost"] += 1
            self.log(f"job {job.id}: no handler for kind {job.kind!r}")
            return
        self.log(f"job {job.id}: {job.kind} for {job.actor}")
        with self._heartbeat(job) as lost:

            def report(progress: dict[str, Any]) -> None:
                if not lost.is_set() and not self.queue.report(job, progress):
                    lost.set()

            try:
                result = handler(job, report)
            except StorfaError as exc:  # the request cannot be done: retrying will not help
                status = self.queue.fail(job, str(exc), retry=False)
                self.counts["failed" if status else "lost"] += 1
                self.log(f"job {job.id}: refused: {exc}")
                return
            except Exception as exc:
                status = self.queue.fail(job, f"{type(exc).__name__}: {exc}")
                self._count_failure(status)
                self.log(f"job {job.id}: error {type(exc).__name__}: {exc} -> {status}")
                return
            if self.queue.finish(job, result):
                self.counts["done"] += 1
                self._result = ("done", None)
                self.log(f"job {job.id}: {job.kind} done")
            else:
                self.counts["lost"] += 1
                self.log(f"job {job.id}: taken over by another worker; its result is "
                         "recorded by that worker")

    @contextmanager
    def _heartbeat(self, job: Job) -> Iterator[threading.Event]:
        """Beat the job's heart from a thread while the body runs; the event
        yielded is set once the job is found to be no longer ours."""
        lost, finished = threading.Event(), threading.Event()
        beat = threading.Thread(target=self._beat, args=(job, finished, lost), daemon=True,
                                name=f"heartbeat-{job.id}")
        beat.start()
        try:
            yield lost
        finally:
            finished.set()
            beat.join()

    def _count_failure(self, status: str | None) -> None:
        """Count a failed attempt by what the queue made of it."""
        self.counts["requeued" if status == "queued" else
                    "failed" if status == "failed" else "lost"] += 1

    def _disk_full(self, job: Job) -> None:
        """No space to store the file: an upload already acknowledged must not
        be lost to it, so the job goes back unrun (the attempt does not count)
        and the worker pauses before claiming again, rather than spending
        every attempt in a second (bench/fault_drill.py)."""
        self.queue.release(job)
        self.counts["released"] += 1
        self.blocked = True
        self.log(f"job {job.id}: no space left to store the file -> queued again; "
                 f"pausing {DISK_FULL_PAUSE_SECONDS:g} s")
        self.stopping.wait(DISK_FULL_PAUSE_SECONDS)

    def _record(self, job: Job, started: float, before: dict[str, int]) -> None:
        """The job's outcome without its file name (names can be personal data)."""
        if self.on_job is None:
            return
        changed = [k for k, v in self.counts.items() if v != before.get(k)]
        outcome = changed[0] if changed else "unknown"
        record: dict[str, Any] = {"job_id": job.id, "kind": job.kind,
                                  "attempt": job.attempts,
                                  "outcome": outcome, "worker": self.worker_id,
                                  "duration_ms": round((time.monotonic() - started) * 1000)}
        if outcome == "done" and self._result is not None:
            record["status"], record["reason_code"] = self._result
        self.on_job(record)

    def _idle_sync(self) -> None:
        """Between jobs, take in changes made elsewhere (web edits, other
        nodes), so this node's index keeps up without an ingest (/readyz)."""
        now = time.monotonic()
        if now - self._idle_synced >= IDLE_SYNC_SECONDS:
            self._idle_synced = now
            self.sync_index()

    def after_job(self, review_keys: list[str], actor: str) -> None:
        """Run the after-store steps, after the index so keyword search comes
        first; also after a job that stored nothing, so a step that failed
        earlier catches up. A failure is logged (the same one once in a row)
        and the job stays done: the review is stored and can be redone."""
        if self.after_store is None:
            return
        try:
            self.after_store(review_keys, actor, self._say_once)
        except Exception as exc:
            self._say_once(f"after-store steps failed ({type(exc).__name__}: {exc})")

    def _say_once(self, message: str) -> None:
        if message != self._after_error:
            self.log(message)
        self._after_error = message

    def sync_index(self) -> None:
        """Bring the search index up to date. The database is the truth, so a broken
        index is reported but never stops ingesting (`storfa reindex` repairs it)."""
        try:
            self.ingest.index.sync(self.ingest.store)
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            if message != self._index_error:
                self.log(f"search index sync failed ({message}); ingesting goes on, "
                         "run `storfa check` / `storfa reindex`")
            self._index_error = message
        else:
            self._index_error = ""

    def _beat(self, job: Job, finished: threading.Event, lost: threading.Event) -> None:
        while not finished.wait(self.heartbeat_seconds):
            try:
                if not self.queue.heartbeat(job):
                    lost.set()
                    return
            except Exception as exc:  # a database hiccup: try again next beat
                self.log(f"job {job.id}: heartbeat failed: {exc}")


def wait_for(predicate: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    """Poll `predicate` until true or `timeout` seconds pass (tests, bench)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return predicate()
