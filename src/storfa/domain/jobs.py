"""A job on the one queue: a staged file to ingest, or long work started
from the web (auto-coding, the register's catch-up) run by a worker with the
handler for its kind (storage/sql/jobs.py stores them, ingest/jobs.py runs them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATUSES = ("queued", "running", "done", "failed")
# What an ingest job's options may hold (`storfa ingest --queue`, uploads).
OPTION_KEYS = ("type", "id", "board", "lang", "access")
INGEST = "ingest"
# A running job whose heartbeat is this old was left by a dead worker;
# after this many claims a job is failed (`storfa worker --stale-after
# --max-attempts`).
DEFAULT_STALE_SECONDS = 60.0
DEFAULT_MAX_ATTEMPTS = 3


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

    @property
    def figures(self) -> dict[str, Any]:
        """The handler's latest progress report, overlaid by its result once done."""
        return {**(self.progress or {}), **(self.result or {})}

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
