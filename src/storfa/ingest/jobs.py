"""The job queue: web workers (and `storfa ingest --queue`) enqueue staged
files; `storfa worker` processes claim and ingest them, one job at a time.

A job has a kind. `ingest` jobs carry a staged file; other kinds (auto-coding
started from the web) carry only options, and a worker runs them with the
handler registered for that kind (`JobWorker(tasks=...)`), writing the
handler's progress reports onto the job, so any web worker or node can show
them.

Claiming is safe with any number of workers on one database:

* PostgreSQL: `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *`
  in a plain transaction (not under storfa's global advisory write lock), so
  claimers skip each other's rows instead of queueing.
* SQLite: the same UPDATE inside BEGIN IMMEDIATE: writers are serialised.

A claimed job is `running` with a heartbeat the worker refreshes from a thread.
A job whose heartbeat is older than `stale_seconds` (its worker was killed) is
claimed again; after `max_attempts` claims it is `failed` with the reason.
Every update a worker makes is fenced by (claimed_by, attempts), so a worker
that lost its job to a reclaim cannot overwrite the new owner's outcome.

Ingesting is idempotent (the same bytes are a duplicate), so re-running a job
after a kill is safe. The result recorded is the true outcome: the worker
ingests as actor "<actor> (job N)", which the store writes in the same
transaction as the review (audit log); if a retry finds the file already
stored and that audit event exists, the earlier attempt did ingest it, and the
job records `ingested` rather than `duplicate`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storfa.domain.errors import StorfaError
from storfa.storage.files import is_disk_full
from storfa.storage.interface import Store
from storfa.storage.sql.adapter import Conn, Database, Row

DEFAULT_STALE_SECONDS = 60.0
DEFAULT_MAX_ATTEMPTS = 3
STATUSES = ("queued", "running", "done", "failed")
OPTION_KEYS = ("type", "id", "board", "lang", "access")
INGEST = "ingest"
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

# The database clock, as fixed-width UTC text that sorts as time does.
_NOW = {
    "sqlite": "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    "postgresql": "to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
}
# The same, `?` seconds ago.
_AGO = {
    "sqlite": "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)",
    "postgresql": "to_char((clock_timestamp() - ? * interval '1 second') AT TIME ZONE 'UTC', "
                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
}
_SKIP_LOCKED = {"sqlite": "", "postgresql": " FOR UPDATE SKIP LOCKED"}


@dataclass(frozen=True)
class Job:
    id: int
    path: str
    original_name: str
    options: dict[str, Any]
    actor: str
    status: str
    attempts: int
    claimed_by: str | None
    claimed_at: str | None
    heartbeat_at: str | None
    finished_at: str | None
    result: dict[str, Any] | None
    error: str | None
    created_at: str
    kind: str = INGEST
    progress: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: Row) -> Job:
        return cls(
            id=int(row["id"]), path=str(row["path"]), original_name=str(row["original_name"]),
            options=json.loads(row["options"] or "{}"), actor=str(row["actor"]),
            status=str(row["status"]), attempts=int(row["attempts"]),
            claimed_by=row["claimed_by"], claimed_at=row["claimed_at"],
            heartbeat_at=row["heartbeat_at"], finished_at=row["finished_at"],
            result=json.loads(row["result"]) if row["result"] else None,
            error=row["error"], created_at=str(row["created_at"]),
            kind=str(row["kind"]),
            progress=json.loads(row["progress"]) if row["progress"] else None)

    @property
    def ingest_actor(self) -> str:
        """The actor the worker ingests as: the audit event names the job."""
        return f"{self.actor} (job {self.id})"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "path": self.path, "original_name": self.original_name,
            "options": self.options, "actor": self.actor, "status": self.status,
            "attempts": self.attempts, "claimed_by": self.claimed_by,
            "claimed_at": self.claimed_at, "heartbeat_at": self.heartbeat_at,
            "finished_at": self.finished_at, "result": self.result, "error": self.error,
            "created_at": self.created_at, "kind": self.kind, "progress": self.progress,
        }


class JobQueue:
    def __init__(self, db: Database, stale_seconds: float = DEFAULT_STALE_SECONDS,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> None:
        if db.dialect not in _NOW:
            raise StorfaError(f"The job queue does not support {db.dialect!r}.")
        if stale_seconds <= 0 or max_attempts < 1:
            raise StorfaError("stale_seconds must be > 0 and max_attempts >= 1.")
        self.db = db
        self.stale_seconds = float(stale_seconds)
        self.max_attempts = int(max_attempts)
        self._now = _NOW[db.dialect]
        self._ago = _AGO[db.dialect]
        self._skip_locked = _SKIP_LOCKED[db.dialect]

    @classmethod
    def from_store(cls, store: Store, **kwargs: Any) -> JobQueue:
        return cls(store.db, **kwargs)

    def _stale_param(self) -> Any:
        return (f"-{self.stale_seconds} seconds" if self.db.dialect == "sqlite"
                else self.stale_seconds)

    @contextmanager
    def _tx(self) -> Iterator[Conn]:
        with self.db.transaction() as conn:
            yield conn

    # ---------------------------------------------------------------- producers
    def enqueue(self, path: str | Path, original_name: str,
                options: dict[str, Any] | None = None, actor: str = "system") -> int:
        opts = {k: v for k, v in (options or {}).items() if v is not None}
        unknown = set(opts) - set(OPTION_KEYS)
        if unknown:
            raise StorfaError(f"Unknown ingest option(s): {', '.join(sorted(unknown))}")
        with self._tx() as conn:
            return conn.insert(
                "INSERT INTO ingest_jobs (path, original_name, options, actor, status, "
                f"attempts, created_at) VALUES (?, ?, ?, ?, 'queued', 0, {self._now})",
                (str(path), original_name, json.dumps(opts, sort_keys=True), actor))

    def enqueue_task(self, kind: str, label: str, options: dict[str, Any],
                     actor: str) -> int:
        """A job with no file, run by the handler a worker has for `kind`."""
        if kind == INGEST:
            raise StorfaError("Ingest jobs are enqueued with their file (enqueue).")
        with self._tx() as conn:
            return conn.insert(
                "INSERT INTO ingest_jobs (kind, path, original_name, options, actor, status, "
                f"attempts, created_at) VALUES (?, '', ?, ?, ?, 'queued', 0, {self._now})",
                (kind, label, json.dumps(options, sort_keys=True), actor))

    def enqueue_single(self, kind: str, label: str, options: dict[str, Any],
                       actor: str) -> int:
        """Like enqueue_task, unless a job of this kind is already waiting or
        running: then that job's id (work that keeps a core busy runs one at
        a time; two requests at the same instant may both enqueue, which
        costs a second run and nothing else: these jobs are idempotent)."""
        busy = self.active(kind)
        return busy.id if busy is not None else self.enqueue_task(kind, label, options, actor)

    def active(self, kind: str) -> Job | None:
        """The oldest queued or running job of this kind, if any."""
        with self.db.read() as conn:
            row = conn.one("SELECT * FROM ingest_jobs WHERE kind = ? AND status IN "
                           "('queued', 'running') ORDER BY id LIMIT 1", (kind,))
        return Job.from_row(row) if row else None

    # ------------------------------------------------------------------ workers
    def claim(self, worker_id: str) -> Job | None:
        """The oldest queued job, or a running one whose worker went silent; None if none."""
        stale = self._stale_param()
        with self._tx() as conn:
            # Jobs whose last allowed attempt went silent are given up first.
            list(conn.execute(
                f"UPDATE ingest_jobs SET status = 'failed', finished_at = {self._now}, "
                "error = 'worker ' || COALESCE(claimed_by, 'unknown') || ' stopped responding; "
                "gave up after ' || CAST(attempts AS TEXT) || ' attempt(s)' "
                "WHERE id IN (SELECT id FROM ingest_jobs WHERE status = 'running' "
                f"AND heartbeat_at < {self._ago} AND attempts >= ?{self._skip_locked}) "
                "RETURNING id", (stale, self.max_attempts)))
            row = conn.one(
                "UPDATE ingest_jobs SET "
                "error = CASE WHEN status = 'running' THEN 'worker ' || "
                "COALESCE(claimed_by, 'unknown') || ' stopped responding' ELSE error END, "
                f"status = 'running', attempts = attempts + 1, claimed_by = ?, "
                f"claimed_at = {self._now}, heartbeat_at = {self._now} "
                "WHERE id = (SELECT id FROM ingest_jobs WHERE status = 'queued' OR "
                f"(status = 'running' AND heartbeat_at < {self._ago} AND attempts < ?) "
                f"ORDER BY id LIMIT 1{self._skip_locked}) RETURNING *",
                (worker_id, stale, self.max_attempts))
        return Job.from_row(row) if row else None

    def _fenced(self, job: Job, sets: str, params: tuple[Any, ...]) -> bool:
        """Update the job only while this claim still owns it."""
        with self._tx() as conn:
            row = conn.one(
                f"UPDATE ingest_jobs SET {sets} WHERE id = ? AND status = 'running' "
                "AND claimed_by = ? AND attempts = ? RETURNING id",
                (*params, job.id, job.claimed_by, job.attempts))
        return row is not None

    def heartbeat(self, job: Job) -> bool:
        """False when the job is no longer ours (reclaimed after a stall)."""
        return self._fenced(job, f"heartbeat_at = {self._now}", ())

    def report(self, job: Job, progress: dict[str, Any]) -> bool:
        """Record the handler's progress (and beat the heart); False when not ours."""
        return self._fenced(job, f"progress = ?, heartbeat_at = {self._now}",
                            (json.dumps(progress, sort_keys=True),))

    def finish(self, job: Job, result: dict[str, Any]) -> bool:
        return self._fenced(
            job, f"status = 'done', result = ?, finished_at = {self._now}, "
                 f"heartbeat_at = {self._now}", (json.dumps(result, sort_keys=True),))

    def fail(self, job: Job, reason: str, retry: bool = True) -> str | None:
        """Requeue the job (while attempts remain and `retry`), else mark it failed.
        Returns the new status, or None if the job was no longer ours."""
        status = "queued" if retry and job.attempts < self.max_attempts else "failed"
        done = f"{self._now}" if status == "failed" else "NULL"
        ok = self._fenced(job, f"status = ?, error = ?, finished_at = {done}",
                          (status, reason[:2000]))
        return status if ok else None

    def release(self, job: Job) -> bool:
        """Give the job back unrun (the worker is stopping): the attempt does not count."""
        return self._fenced(job, "status = 'queued', attempts = attempts - 1", ())

    def abandon(self, claimed_by_prefix: str) -> int:
        """Make the running jobs of a worker known to be dead claimable now,
        as if their heartbeat had gone stale; the next claim counts the attempt
        as after any crash. Returns how many there were."""
        with self._tx() as conn:
            return len(list(conn.execute(
                "UPDATE ingest_jobs SET heartbeat_at = '1970-01-01T00:00:00.000Z' "
                "WHERE status = 'running' AND substr(claimed_by, 1, length(CAST(? AS TEXT))) "
                "= CAST(? AS TEXT) "
                "RETURNING id", (claimed_by_prefix, claimed_by_prefix))))

    def earlier_ingest(self, job: Job) -> tuple[str, int | None] | None:
        """(review key, version) if an earlier attempt of this job stored its file.

        The store writes the audit event in the same transaction as the review,
        with the actor this job ingests as, so it exists iff that attempt committed."""
        with self.db.read() as conn:
            row = conn.one(
                "SELECT object_id, detail FROM audit_log WHERE action = 'ingest' "
                "AND actor = ? ORDER BY id LIMIT 1", (job.ingest_actor,))
        if row is None:
            return None
        version = json.loads(row["detail"] or "{}").get("version")
        return str(row["object_id"]), int(version) if version is not None else None

    def page_count(self, review_key: str, version: int | None) -> int | None:
        if version is None:
            return None
        with self.db.read() as conn:
            row = conn.one(
                "SELECT v.page_count FROM review_versions v JOIN reviews r "
                "ON r.id = v.review_id WHERE r.review_key = ? AND v.version = ?",
                (review_key, version))
        return int(row["page_count"]) if row else None

    # ---------------------------------------------------------------- reading
    def get(self, job_id: int) -> Job | None:
        with self.db.read() as conn:
            row = conn.one("SELECT * FROM ingest_jobs WHERE id = ?", (job_id,))
        return Job.from_row(row) if row else None

    def list(self, limit: int = 100, status: str | None = None,
             kind: str | None = None) -> list[Job]:
        where: list[str] = []
        params: list[Any] = []
        if status:
            where.append("status = ?")
            params.append(status)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        sql = "SELECT * FROM ingest_jobs " + ("WHERE " + " AND ".join(where) + " "
                                              if where else "")
        params.append(limit)
        with self.db.read() as conn:
            return [Job.from_row(r) for r in conn.execute(sql + "ORDER BY id DESC LIMIT ?",
                                                          params)]

    def stats(self) -> dict[str, int]:
        """Jobs per status, and `stale`: running jobs whose worker went silent."""
        counts = dict.fromkeys(STATUSES, 0)
        with self.db.read() as conn:
            for r in conn.execute("SELECT status, COUNT(*) AS n FROM ingest_jobs "
                                  "GROUP BY status"):
                counts[str(r["status"])] = int(r["n"])
            row = conn.one("SELECT COUNT(*) AS n FROM ingest_jobs WHERE status = 'running' "
                           f"AND heartbeat_at < {self._ago}", (self._stale_param(),))
        counts["stale"] = int(row["n"]) if row else 0
        return counts


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

    def __init__(self, queue: JobQueue, ingest: Any, data_dir: Path,
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
        lost = threading.Event()
        finished = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job, finished, lost), daemon=True,
                                name=f"heartbeat-{job.id}")
        beat.start()
        try:
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
                self.counts["requeued" if status == "queued" else
                            "failed" if status == "failed" else "lost"] += 1
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
                self.counts["requeued" if status == "queued" else
                            "failed" if status == "failed" else "lost"] += 1
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
        finally:
            finished.set()
            beat.join()
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
        lost = threading.Event()
        finished = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job, finished, lost), daemon=True,
                                name=f"heartbeat-{job.id}")
        beat.start()

        def report(progress: dict[str, Any]) -> None:
            if not lost.is_set() and not self.queue.report(job, progress):
                lost.set()

        try:
            try:
                result = handler(job, report)
            except StorfaError as exc:  # the request cannot be done: retrying will not help
                status = self.queue.fail(job, str(exc), retry=False)
                self.counts["failed" if status else "lost"] += 1
                self.log(f"job {job.id}: refused: {exc}")
                return
            except Exception as exc:
                status = self.queue.fail(job, f"{type(exc).__name__}: {exc}")
                self.counts["requeued" if status == "queued" else
                            "failed" if status == "failed" else "lost"] += 1
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
        finally:
            finished.set()
            beat.join()

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
