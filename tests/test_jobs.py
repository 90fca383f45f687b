"""The ingest job queue: claiming, heartbeats, reclaiming after a kill, retries,
true outcomes, and `storfa ingest --queue` + `storfa worker` (both backends)."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from harness import Cli
from reviewtext import CPR
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.jobs import Job
from storfa.ingest.jobs import JobWorker, stage_file, wait_for
from storfa.ingest.pipeline import IngestOptions
from storfa.storage.sql.jobs import JobQueue

STORFA = [sys.executable, "-m", "storfa.cli"]


def review_file(folder: Path, i: int, sections: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = CPR.replace("CPR2019-W03", f"CPR2019-W{i + 10:02d}")
    text += f"\n\n## Summary timeline\n\nEntry {i}: " + "Visit recorded. " * (20 + i)
    text += "".join(f"\n\n## Section {n}\n\n" + "Concerns were escalated to the manager. " * 40
                    for n in range(sections))
    path = folder / f"review-{i:03d}.md"
    path.write_text(text, encoding="utf-8")
    return path


def queue_of(app: Storfa, **kwargs: float) -> JobQueue:
    return JobQueue(app.store.db, **kwargs)


def enqueue_file(app: Storfa, queue: JobQueue, path: Path, actor: str = "test:user") -> int:
    staged = stage_file(app.settings.data_dir, path)
    return queue.enqueue(staged, path.name, {"type": "CPR"}, actor)


def test_enqueue_claim_heartbeat_finish(storfa: Storfa, tmp_path: Path) -> None:
    queue = queue_of(storfa)
    first = enqueue_file(storfa, queue, review_file(tmp_path / "in", 1))
    second = queue.enqueue("/nowhere/x.md", "x.md", {"board": "North Wales"}, "test:user")
    assert queue.stats() == {"queued": 2, "running": 0, "done": 0, "failed": 0, "stale": 0}
    job = queue.claim("w1")
    assert job is not None and job.id == first
    assert (job.status, job.attempts, job.claimed_by) == ("running", 1, "w1")
    assert job.options == {"type": "CPR"} and job.heartbeat_at
    other = queue.claim("w2")
    assert other is not None and other.id == second and other.options["board"] == "North Wales"
    assert queue.claim("w3") is None
    assert queue.heartbeat(job)
    assert queue.finish(job, {"status": "ingested", "review_id": "CPR2019-W11"})
    assert not queue.heartbeat(job) and not queue.finish(job, {"status": "x"})
    done = queue.get(first)
    assert done is not None and done.status == "done" and done.finished_at
    assert done.result == {"status": "ingested", "review_id": "CPR2019-W11"}
    assert [j.id for j in queue.list()] == [second, first]
    assert [j.id for j in queue.list(status="running")] == [second]
    assert queue.stats()["done"] == 1 and queue.stats()["running"] == 1


def _claim_all(worker: str, data_dir: str, out: multiprocessing.Queue,  # type: ignore[type-arg]
               start: Any) -> None:
    app = Storfa(Settings.from_env(data_dir=Path(data_dir), workers=1))
    queue = queue_of(app)
    queue.stats()  # connected and migrated before the race starts
    start.wait(timeout=60)
    claimed: list[int] = []
    while (job := queue.claim(worker)) is not None:
        claimed.append(job.id)
        assert queue.finish(job, {"status": "done-by", "worker": worker})
        time.sleep(0.002)
    app.close()
    out.put((worker, claimed))


def test_racing_claimers_take_each_job_exactly_once(storfa: Storfa, data_dir: Path) -> None:
    queue = queue_of(storfa)
    ids = [queue.enqueue(f"/staged/{i}.md", f"{i}.md", {}, "test") for i in range(50)]
    ctx = multiprocessing.get_context("spawn")  # children inherit STORFA_DATABASE_URL
    results: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    start = ctx.Barrier(4)
    procs = [ctx.Process(target=_claim_all, args=(f"w{n}", str(data_dir), results, start))
             for n in range(4)]
    for p in procs:
        p.start()
    got = dict(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    claimed = [job_id for jobs in got.values() for job_id in jobs]
    assert sorted(claimed) == ids  # every job once: none lost, none twice
    assert sum(1 for jobs in got.values() if jobs) >= 2  # they really raced
    jobs = queue.list(limit=100)
    assert all(j.status == "done" and j.attempts == 1 for j in jobs)
    assert all(j.result and j.result["worker"] == j.claimed_by for j in jobs)


def test_stale_heartbeat_is_reclaimed_and_old_owner_fenced_off(storfa: Storfa) -> None:
    queue = queue_of(storfa, stale_seconds=0.3)
    job_id = queue.enqueue("/staged/a.md", "a.md", {}, "test")
    first = queue.claim("w1")
    assert first is not None and queue.claim("w2") is None  # alive: not taken over
    assert queue.heartbeat(first)
    time.sleep(0.2)
    assert queue.heartbeat(first)  # heartbeats keep it
    time.sleep(0.2)
    assert queue.claim("w2") is None
    time.sleep(0.4)
    assert queue.stats()["stale"] == 1
    second = queue.claim("w2")
    assert second is not None and second.id == job_id
    assert (second.attempts, second.claimed_by) == (2, "w2")
    assert second.error and "w1 stopped responding" in second.error
    assert not queue.heartbeat(first) and not queue.finish(first, {"status": "late"})
    assert queue.fail(first, "late") is None
    assert queue.finish(second, {"status": "ingested"})
    final = queue.get(job_id)
    assert final is not None and final.status == "done"
    assert final.result == {"status": "ingested"}


def test_max_attempts_then_failed_with_reason(storfa: Storfa) -> None:
    queue = queue_of(storfa, stale_seconds=0.2, max_attempts=2)
    silent = queue.enqueue("/staged/a.md", "a.md", {}, "test")
    for n in (1, 2):
        job = queue.claim(f"w{n}")
        assert job is not None and job.attempts == n
        time.sleep(0.3)
    assert queue.claim("w3") is None
    gone = queue.get(silent)
    assert gone is not None and gone.status == "failed" and gone.finished_at
    assert gone.error and "w2 stopped responding; gave up after 2 attempt(s)" in gone.error
    # A worker that reports an error: retried while attempts remain, then failed.
    erring = queue.enqueue("/staged/b.md", "b.md", {}, "test")
    job = queue.claim("w4")
    assert job is not None and job.id == erring and queue.fail(job, "boom 1") == "queued"
    job = queue.claim("w4")
    assert job is not None and job.attempts == 2 and queue.fail(job, "boom 2") == "failed"
    final = queue.get(erring)
    assert final is not None and (final.status, final.error) == ("failed", "boom 2")
    assert queue.stats() == {"queued": 0, "running": 0, "done": 0, "failed": 2, "stale": 0}


def _run_worker(app: Storfa, queue: JobQueue) -> dict[str, int]:
    lines: list[str] = []
    worker = JobWorker(queue, app.ingest, app.settings.data_dir, poll_seconds=0.05,
                       log=lines.append)
    return worker.run(once=True)


def test_retry_after_committed_attempt_records_ingested_not_duplicate(
        storfa: Storfa, tmp_path: Path) -> None:
    queue = queue_of(storfa, stale_seconds=0.2)
    ours = enqueue_file(storfa, queue, review_file(tmp_path / "in", 1))
    # A worker claims the job, commits the ingest, and dies before reporting it.
    job = queue.claim("doomed")
    assert job is not None
    with storfa.ingest.session() as session:
        staged = storfa.settings.data_dir / job.path
        first = session.ingest_file(staged, IngestOptions(type="CPR", actor=job.ingest_actor))
    assert first.status == "ingested"
    # Another upload of the same bytes is a real duplicate.
    twin = enqueue_file(storfa, queue, review_file(tmp_path / "twin", 1))
    time.sleep(0.3)
    counts = _run_worker(storfa, queue)
    assert counts["done"] == 2
    done, dup = queue.get(ours), queue.get(twin)
    assert done is not None and done.result is not None and dup is not None and dup.result
    assert done.status == "done" and done.attempts == 2
    assert done.result["status"] == "ingested"
    assert done.result["review_id"] == first.review_id and done.result["version"] == 1
    assert done.result["pages"] == first.pages
    assert dup.result["status"] == "duplicate" and dup.result["review_id"] == first.review_id
    assert len(storfa.store.list_reviews()) == 1
    assert not list((storfa.settings.data_dir / "incoming").iterdir())  # staged files removed


def test_worker_records_each_outcome(storfa: Storfa, tmp_path: Path) -> None:
    queue = queue_of(storfa)
    good = enqueue_file(storfa, queue, review_file(tmp_path / "in", 2))
    empty = tmp_path / "in" / "empty.pdf"
    empty.write_bytes(b"")
    bad = enqueue_file(storfa, queue, empty)
    missing = queue.enqueue(tmp_path / "gone.md", "gone.md", {}, "test")
    assert _run_worker(storfa, queue)["done"] == 3
    results = {j.id: j.result for j in queue.list()}
    assert results[good] and results[good]["status"] == "ingested"
    assert results[bad] and (results[bad]["status"], results[bad]["reason_code"]) == (
        "rejected", "empty")
    assert results[missing] and results[missing]["reason_code"] == "unreadable"
    review = storfa.store.get_review(str(results[good]["review_id"]))
    assert review is not None and review.summary.type == "CPR"  # the job's --type option
    # The audit log names the job the review came in through.
    assert any(e["actor"] == f"test:user (job {good})" and e["action"] == "ingest"
               for e in storfa.store.audit_events())


def test_queue_cli_then_worker_once(cli: Cli, tmp_path: Path) -> None:
    for i in range(3):
        review_file(tmp_path / "batch", i)
    queued = cli.json("ingest", "--queue", str(tmp_path / "batch"), "--board", "North Wales")
    assert len(queued["jobs"]) == 3
    assert all((cli.data_dir / j["staged"]).is_file() for j in queued["jobs"])
    result = cli.run("worker", "--once", "--poll", "0.1", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["done"] == 3
    assert report["queue"] == {"queued": 0, "running": 0, "done": 3, "failed": 0, "stale": 0}
    reviews = cli.json("reviews")["reviews"]
    assert len(reviews) == 3 and {r["board"] for r in reviews} == {"North Wales"}
    assert cli.json("search", '"professional curiosity"')["total"] == 3  # indexed too


def _storfa(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STORFA, "--data", str(data), *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "STORFA_WORKERS": "1"})


def test_sigkilled_worker_job_ends_done_exactly_once(storfa: Storfa, tmp_path: Path) -> None:
    queue = queue_of(storfa)
    data = storfa.settings.data_dir
    job_id = enqueue_file(storfa, queue, review_file(tmp_path / "in", 3, sections=150))
    small = enqueue_file(storfa, queue, review_file(tmp_path / "in", 4))
    proc = subprocess.Popen([*STORFA, "--data", str(data), "worker", "--poll", "0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "STORFA_WORKERS": "1"}, start_new_session=True)
    try:
        def running() -> bool:
            job = queue.get(job_id)
            return job is not None and job.status == "running"

        assert wait_for(running, timeout=30, every=0.02), proc.stderr
        time.sleep(0.3)  # into the parse or the write
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the worker and its parser processes
        proc.wait()
    killed = queue.get(job_id)
    assert killed is not None and killed.status == "running" and killed.attempts == 1
    time.sleep(1.1)
    rerun = _storfa(data, "worker", "--once", "--stale-after", "1", "--poll", "0.1", "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["queue"]["done"] == 2
    final, other = queue.get(job_id), queue.get(small)
    assert final is not None and final.result is not None and other is not None
    assert final.status == "done" and final.attempts == 2
    assert final.result["status"] == "ingested" and final.result["review_id"] == "CPR2019-W13"
    assert other.status == "done" and other.result and other.result["status"] == "ingested"
    reviews = storfa.store.list_reviews()
    assert sorted(r.review_id for r in reviews) == ["CPR2019-W13", "CPR2019-W14"]
    assert all(r.version == 1 for r in reviews)
    ingests = [e for e in storfa.store.audit_events() if e["action"] == "ingest"]
    assert len(ingests) == 2
    check = _storfa(data, "check", "--json")
    assert json.loads(check.stdout) == {"ok": True, "problems": []}, check.stdout


def test_job_dataclass_round_trips(storfa: Storfa) -> None:
    queue = queue_of(storfa)
    job_id = queue.enqueue("incoming/x/a.md", "a.md", {"lang": "cy", "id": None}, "web:amy")
    job = queue.get(job_id)
    assert isinstance(job, Job) and job.options == {"lang": "cy"}
    assert job.as_json()["status"] == "queued" and job.ingest_actor == f"web:amy (job {job_id})"
