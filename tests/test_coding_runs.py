"""Auto-coding runs as jobs on the one queue (both backends): a run started
through one web worker (or node) is seen, and kept single, through another,
since its state is the job row; a worker process runs it and reports after
each review; a run whose worker died is taken over by another worker; a
worker without the handler refuses the job with a reason."""

from __future__ import annotations

import threading
import time
from typing import Any

from harness import run_queued_jobs
from storfa.app import Storfa
from storfa.coding.autocode import Suggested
from storfa.coding.runs import KIND, AutoCodingRuns, autocode_task
from storfa.ingest.jobs import JobWorker, wait_for
from storfa.storage.sql.jobs import JobQueue


class GatedService:
    """Stands in for CodingService.auto: one step per review, each held at a
    gate, so the test can look at a run in the middle."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.calls: list[tuple[str, list[str], str, float | None]] = []

    def auto(self, codebook: str, keys: list[str], actor: str, progress: Any,
             threshold: float | None) -> Suggested:
        self.calls.append((codebook, keys, actor, threshold))
        for key in keys:
            self.gate.wait(30)
            progress(key, 10)
        cut = 0.72 if threshold is None else threshold
        return Suggested([], 3, cut, 0.53 if threshold is None else threshold)


def test_a_run_is_one_job_seen_alike_by_every_web_worker(storfa: Storfa) -> None:
    first, second = AutoCodingRuns(storfa.jobs), AutoCodingRuns(JobQueue(storfa.store.db))
    run = first.start("best-practice", ["A", "B"], "user:coder", 0.6)
    seen = second.get(run.id)
    assert seen is not None and (seen.state, seen.total, seen.done) == ("waiting", 2, 0)
    again = second.start("best-practice", ["C"], "user:other")
    assert again.id == run.id  # one run at a time, across processes and nodes

    service = GatedService()
    worker = JobWorker(storfa.jobs, storfa.ingest, storfa.settings.data_dir, poll_seconds=0.05,
                       tasks={KIND: autocode_task(lambda: service)})  # type: ignore[arg-type, return-value]
    thread = threading.Thread(target=worker.run, kwargs={"once": True})
    thread.start()
    try:
        assert wait_for(lambda: (r := second.get(run.id)) is not None
                        and r.state == "running", 30)
        service.gate.set()
        thread.join(60)
    finally:
        service.gate.set()
        worker.stop()
    assert service.calls == [("best-practice", ["A", "B"], "user:coder", 0.6)]
    done = second.get(run.id)
    assert done is not None and done.finished
    assert (done.state, done.done, done.total, done.held_back, done.threshold) == (
        "done", 2, 2, 3, 0.6)
    assert second.running() is None
    assert second.start("best-practice", ["C"], "user:other").id != run.id


def test_progress_is_reported_after_each_review(storfa: Storfa) -> None:
    runs = storfa.autocoding
    run = runs.start("best-practice", ["A", "B", "C"], "user:coder")
    seen: list[int] = []
    service = GatedService()
    service.gate.set()

    def auto(codebook: str, keys: list[str], actor: str, progress: Any,
             threshold: float | None) -> Suggested:
        for key in keys:
            progress(key, 1)
            current = runs.get(run.id)
            assert current is not None
            seen.append(current.done)
        return Suggested([], 0, 0.72, 0.53)

    service.auto = auto  # type: ignore[method-assign]
    run_queued_jobs(storfa, {KIND: autocode_task(lambda: service)})  # type: ignore[arg-type, return-value]
    assert seen == [1, 2, 3]


def test_a_run_whose_worker_died_is_taken_over(storfa: Storfa) -> None:
    queue = JobQueue(storfa.store.db, stale_seconds=0.2)
    run = AutoCodingRuns(queue).start("best-practice", ["A"], "user:coder")
    dead = queue.claim("dead-worker")  # claimed, then nothing: its process was killed
    assert dead is not None and dead.id == run.id
    assert AutoCodingRuns(queue).get(run.id).state == "running"  # type: ignore[union-attr]
    time.sleep(0.4)
    service = GatedService()
    service.gate.set()
    counts = JobWorker(queue, storfa.ingest, storfa.settings.data_dir, poll_seconds=0.05,
                       tasks={KIND: autocode_task(lambda: service)},  # type: ignore[arg-type, return-value]
                       ).run(once=True)
    assert counts["done"] == 1
    after = AutoCodingRuns(queue).get(run.id)
    assert after is not None and (after.state, after.done) == ("done", 1)


def test_a_refused_run_fails_with_its_reason_and_no_retry(storfa: Storfa) -> None:
    run = storfa.autocoding.start("no-such-codebook", ["A"], "user:coder")
    counts = run_queued_jobs(storfa)  # the app's own handler and CodingService
    assert counts["failed"] == 1
    failed = storfa.autocoding.get(run.id)
    assert failed is not None and failed.state == "failed"
    assert "no-such-codebook" in failed.error
    job = storfa.jobs.get(run.id)
    assert job is not None and job.attempts == 1


def test_a_worker_without_the_handler_says_so(storfa: Storfa) -> None:
    run = storfa.autocoding.start("best-practice", ["A"], "user:coder")
    counts = run_queued_jobs(storfa, tasks={})
    assert counts["failed"] == 1
    failed = storfa.autocoding.get(run.id)
    assert failed is not None and "no handler for 'autocode'" in failed.error


def test_ingest_jobs_are_not_runs(storfa: Storfa) -> None:
    job_id = storfa.jobs.enqueue("/staged/a.md", "a.md", {}, "test")
    assert storfa.autocoding.get(job_id) is None
    assert storfa.autocoding.running() is None
    assert [j.kind for j in storfa.jobs.list()] == ["ingest"]
