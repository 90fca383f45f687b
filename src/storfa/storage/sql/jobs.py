"""The job queue in SQL (ingest/jobs.py runs the jobs): web workers (and
`storfa ingest --queue`) enqueue staged files and long work; `storfa worker`
processes claim and run them, one job at a time.

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

Why re-running a job after a kill is safe, and how its true outcome is
recorded, is the worker's business (ingest/jobs.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storfa.domain.errors import StorfaError
from storfa.domain.jobs import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_STALE_SECONDS,
    INGEST,
    OPTION_KEYS,
    STATUSES,
    Job,
)
from storfa.storage.sql.adapter import Conn, Database, Row

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


def job_of(row: Row) -> Job:
    return Job(
        id=int(row["id"]), path=str(row["path"]), original_name=str(row["original_name"]),
        options=json.loads(row["options"] or "{}"), actor=str(row["actor"]),
        status=str(row["status"]), attempts=int(row["attempts"]),
        claimed_by=row["claimed_by"], claimed_at=row["claimed_at"],
        heartbeat_at=row["heartbeat_at"], finished_at=row["finished_at"],
        result=json.loads(row["result"]) if row["result"] else None,
        error=row["error"], created_at=str(row["created_at"]),
        kind=str(row["kind"]),
        progress=json.loads(row["progress"]) if row["progress"] else None)


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
        return job_of(row) if row else None

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
        return job_of(row) if row else None

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
        return job_of(row) if row else None

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
            return [job_of(r) for r in conn.execute(sql + "ORDER BY id DESC LIMIT ?",
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
