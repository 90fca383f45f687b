"""Auto-coding runs started from the web pages or the API.

A run is a job of kind `autocode` on the one job queue (ingest/jobs.py), so
it runs in a `storfa worker` process, not in the web request's process, and
its progress lives on the job row: every web worker and every node answers
the progress poll alike. One run at a time: the classifier keeps a core busy,
so a second request gets the run already waiting or running. A run whose
worker died is taken over by another worker once its heartbeat goes stale,
as any job is; auto-coding replaces a review's open suggestions, so running
it again is safe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storfa.coding.autocode import CodingService
from storfa.domain.jobs import Job
from storfa.ingest.jobs import TaskHandler
from storfa.storage.repositories import Jobs

KIND = "autocode"
# The page's and API's words for the queue's statuses.
_STATES = {"queued": "waiting", "running": "running", "done": "done", "failed": "failed"}


@dataclass
class Run:
    """An auto-coding run as the page and the API show it."""

    id: int
    actor: str
    codebook: str
    total: int = 0
    done: int = 0
    suggestions: int = 0
    held_back: int = 0
    unread: int = 0  # paragraphs in a language the classifier does not read
    threshold: float | None = None
    review_threshold: float | None = None  # for single-case reviews (coding.autocode)
    state: str = "waiting"  # waiting (for a worker), running, done, failed
    error: str = ""

    @classmethod
    def of(cls, job: Job) -> Run:
        options, figures = job.options, job.figures
        return cls(id=job.id, actor=job.actor, codebook=str(options.get("codebook", "")),
                   total=len(options.get("reviews", [])),
                   done=int(figures.get("done", 0)),
                   suggestions=int(figures.get("suggestions", 0)),
                   held_back=int(figures.get("held_back", 0)),
                   unread=int(figures.get("unread", 0)),
                   threshold=figures.get("threshold", options.get("threshold")),
                   review_threshold=figures.get("review_threshold", options.get("threshold")),
                   state=_STATES.get(job.status, job.status),
                   error=(job.error or "") if job.status == "failed" else "")

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "actor": self.actor, "codebook": self.codebook,
                "total": self.total, "done": self.done, "suggestions": self.suggestions,
                "held_back": self.held_back, "unread": self.unread, "threshold": self.threshold,
                "review_threshold": self.review_threshold, "state": self.state, "error": self.error}

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class AutoCodingRuns:
    """Start and follow auto-coding runs through the job queue."""

    def __init__(self, queue: Jobs) -> None:
        self.queue = queue

    def start(self, codebook: str, keys: list[str], actor: str,
              threshold: float | None = None) -> Run:
        """A new run of these reviews, or the one already waiting or running."""
        options: dict[str, Any] = {"codebook": codebook, "reviews": list(keys)}
        if threshold is not None:
            options["threshold"] = threshold
        job_id = self.queue.enqueue_single(KIND, f"auto-coding with {codebook}", options, actor)
        run = self.get(job_id)
        assert run is not None  # just read or written
        return run

    def get(self, run_id: int) -> Run | None:
        job = self.queue.get(run_id)
        return Run.of(job) if job is not None and job.kind == KIND else None

    def running(self) -> Run | None:
        job = self.queue.active(KIND)
        return Run.of(job) if job is not None else None


def autocode_task(coding: Callable[[], CodingService]) -> TaskHandler:
    """The worker's handler for `autocode` jobs: auto-code the job's reviews,
    reporting after each review; the result holds the run's figures. The
    service is built at the first run, not when the worker starts."""

    def perform(job: Job, report: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        options = job.options
        done = 0

        def step(_key: str, _passages: int) -> None:
            nonlocal done
            done += 1
            report({"done": done})

        found = coding().auto(str(options["codebook"]), list(options["reviews"]), job.actor,
                            progress=step, threshold=options.get("threshold"))
        return {"done": done, "suggestions": len(found), **found.counts(),
                **found.thresholds()}

    return perform
