"""The ingest job queue under load with workers being killed.

    .venv/bin/python bench/queue_load.py [--reviews 50] [--workers 2] [--stale 3]
        [--kill-min 0.5 --kill-max 4] [--postgres postgresql://…]

`storfa generate DIR -n REVIEWS --formats md,pdf` writes 2 × REVIEWS files (100 by
default); `storfa ingest --queue` queues them; WORKERS `storfa worker` processes
ingest them while a killer SIGKILLs one worker (with its parser processes) at
random moments and starts a replacement. When the queue is drained it prints
jobs done/failed, duplicated and lost jobs (both must be 0), throughput, and
checks that every file ended ingested, duplicate or rejected exactly once
(each distinct file stored once, by the job that reports it ingested) and that
`storfa check` passes.

SQLite by default; --postgres URL runs in a fresh schema of that database.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT
from storfa.app import Storfa
from storfa.config import Settings
from storfa.storage.sql.jobs import JobQueue

STORFA = [sys.executable, "-m", "storfa.cli"]


def run(data: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STORFA, "--data", str(data), *args], capture_output=True,
                          text=True, timeout=900, env=env, check=False)


def storfa_check(data: Path, env: dict[str, str]) -> list[str]:
    out = run(data, "check", "--json", env=env)
    if out.stdout.strip():
        return list(json.loads(out.stdout)["problems"])
    return [(out.stderr.strip().splitlines() or ["storfa check failed"])[-1]]


def pg_schema(url: str) -> tuple[str, str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    return schema, f"{url}{sep}options=-csearch_path%3D{schema}"


def pg_drop(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class Workers:
    """WORKERS `storfa worker` processes; kill() SIGKILLs one and starts another."""

    def __init__(self, n: int, data: Path, stale: float, max_attempts: int,
                 env: dict[str, str], logs: Path) -> None:
        self.data, self.stale, self.env, self.logs = data, stale, env, logs
        self.max_attempts = max_attempts
        self.lock = threading.Lock()
        self.started = 0
        self.procs = [self._start() for _ in range(n)]

    def _start(self) -> subprocess.Popen[bytes]:
        self.started += 1
        log = (self.logs / f"worker-{self.started:03d}.log").open("wb")
        return subprocess.Popen(
            [*STORFA, "--data", str(self.data), "worker", "--poll", "0.2",
             "--stale-after", str(self.stale), "--max-attempts", str(self.max_attempts)],
            stdout=subprocess.DEVNULL, stderr=log, env=self.env, start_new_session=True)

    def kill_one(self, rng: random.Random) -> None:
        with self.lock:
            i = rng.randrange(len(self.procs))
            proc = self.procs[i]
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the worker and its parsers
            proc.wait()
            self.procs[i] = self._start()

    def stop(self) -> list[int]:
        with self.lock:
            for proc in self.procs:
                proc.send_signal(signal.SIGTERM)
            codes = [proc.wait(timeout=120) for proc in self.procs]
            for proc in self.procs:  # parser processes left behind, if any
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            return codes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reviews", type=int, default=50, help="reviews to generate (2 files each)")
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--stale", type=float, default=3.0, help="worker --stale-after seconds")
    ap.add_argument("--max-attempts", type=int, default=5,
                    help="worker --max-attempts (a job killed this often is failed)")
    ap.add_argument("--kill-min", type=float, default=0.5)
    ap.add_argument("--kill-max", type=float, default=4.0)
    ap.add_argument("--no-kills", action="store_true", help="baseline run")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--postgres", help="run against this PostgreSQL database (fresh schema)")
    args = ap.parse_args()

    source = OUT / f"queue-corpus-{args.reviews}x{args.pages}"
    if not (source / "manifest.json").exists():
        shutil.rmtree(source, ignore_errors=True)
        gen = subprocess.run([*STORFA, "generate", str(source), "-n", str(args.reviews),
                              "--formats", "md,pdf", "--pages", str(args.pages), "--seed", "4"],
                             capture_output=True, text=True, check=False)
        if gen.returncode:
            print(gen.stderr, file=sys.stderr)
            return 2
    files = sorted(p for p in source.iterdir() if p.name != "manifest.json")
    data = OUT / ("data-queue-pg" if args.postgres else "data-queue")
    shutil.rmtree(data, ignore_errors=True)
    logs = data / "logs"
    logs.mkdir(parents=True)
    env = {**os.environ, "STORFA_WORKERS": "1"}
    env.pop("STORFA_DATABASE_URL", None)
    schema = None
    if args.postgres:
        schema, env["STORFA_DATABASE_URL"] = pg_schema(args.postgres)
    backend = "postgresql" if schema else "sqlite"
    try:
        return bench(args, files, data, logs, env, backend)
    finally:
        if schema and args.postgres:
            pg_drop(args.postgres, schema)


def bench(args: argparse.Namespace, files: list[Path], data: Path, logs: Path,
          env: dict[str, str], backend: str) -> int:
    queued = run(data, "ingest", "--queue", *map(str, files), "--json", env=env)
    if queued.returncode:
        print(queued.stderr, file=sys.stderr)
        return 2
    job_ids = [int(j["id"]) for j in json.loads(queued.stdout)["jobs"]]
    print(f"{backend}: queued {len(job_ids)} files; {args.workers} workers, "
          f"stale after {args.stale:g} s, kills every {args.kill_min:g}–{args.kill_max:g} s"
          + (" (disabled)" if args.no_kills else ""), file=sys.stderr)

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the monitor opens the same database as the workers
    app = Storfa(Settings.from_env(data_dir=data))
    os.environ.clear()
    os.environ.update(saved)
    queue = JobQueue(app.store.db)

    rng = random.Random(args.seed)
    started = time.perf_counter()
    workers = Workers(args.workers, data, args.stale, args.max_attempts, env, logs)
    drained = threading.Event()
    kills = 0

    def killer() -> None:
        nonlocal kills
        while not drained.wait(rng.uniform(args.kill_min, args.kill_max)):
            workers.kill_one(rng)
            kills += 1

    thread = threading.Thread(target=killer, daemon=True)
    if not args.no_kills:
        thread.start()
    last = ""
    while True:
        stats = queue.stats()
        if stats["queued"] == 0 and stats["running"] == 0:
            break
        line = (f"  {stats['done']:4d} done {stats['failed']:3d} failed "
                f"{stats['running']:2d} running {stats['queued']:4d} queued  kills {kills}")
        if line != last:
            print(line, file=sys.stderr)
            last = line
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    drained.set()
    if thread.is_alive():
        thread.join()
    exit_codes = workers.stop()

    # ------------------------------------------------------------- verification
    jobs = {j.id: j for j in queue.list(limit=len(job_ids) + 1000)}
    status = Counter(jobs[i].status if i in jobs else "missing" for i in job_ids)
    outcome = Counter(str(jobs[i].result["status"]) for i in job_ids
                      if i in jobs and jobs[i].result)
    lost = sum(n for s, n in status.items() if s not in ("done", "failed"))
    attempts = Counter(jobs[i].attempts for i in job_ids if i in jobs)
    recovered = sum(1 for i in job_ids if i in jobs and jobs[i].result
                    and "stored by an earlier attempt of this job"
                    in jobs[i].result.get("warnings", []))
    db = app.store.db  # type: ignore[attr-defined]
    with db.read() as conn:
        ingest_events = Counter(str(r["actor"]) for r in conn.execute(
            "SELECT actor FROM audit_log WHERE action = 'ingest'"))
        stored = int(next(iter(conn.execute("SELECT COUNT(*) AS n FROM source_files")))["n"])
    # A job processed twice would have stored its file twice, or stored it while
    # another job also claims to have ingested the same bytes.
    duplicated = sum(1 for n in ingest_events.values() if n > 1)
    ingested_jobs = {i for i in job_ids if i in jobs and jobs[i].result
                     and jobs[i].result["status"] == "ingested"}
    by_job = {i for i in job_ids if i in jobs and ingest_events.get(jobs[i].ingest_actor)}
    mismatched = ingested_jobs ^ by_job  # "ingested" must mean: this job stored the file
    failed_without_reason = sum(1 for i in job_ids if i in jobs
                                and jobs[i].status == "failed" and not jobs[i].error)
    every_file_once = (lost == 0 and duplicated == 0 and not mismatched
                       and not failed_without_reason
                       and sum(outcome.values()) == status.get("done", 0)
                       and set(outcome) <= {"ingested", "duplicate", "rejected"}
                       and stored == len(ingested_jobs))
    problems = storfa_check(data, env)
    repaired: list[str] | None = None
    if problems:  # e.g. a worker killed inside the search-index commit
        run(data, "reindex", env=env)
        repaired = storfa_check(data, env)
    app.close()

    print(f"\nbackend            {backend}")
    print(f"files queued       {len(job_ids)}")
    print(f"jobs done/failed   {status.get('done', 0)} / {status.get('failed', 0)}")
    print("outcomes           " + ", ".join(f"{n} {s}" for s, n in sorted(outcome.items())))
    print(f"duplicated jobs    {duplicated}")
    print(f"lost jobs          {lost}")
    print(f"workers killed     {kills} (workers started {workers.started}); "
          f"attempts per job {dict(sorted(attempts.items()))}; "
          f"recovered ingests {recovered}")
    print(f"throughput         {len(job_ids) / elapsed:.2f} files/s "
          f"({elapsed:.1f} s wall clock)")
    print(f"every file once    {'yes' if every_file_once else 'NO'}"
          + (f" (mismatched jobs {sorted(mismatched)})" if mismatched else ""))
    print(f"storfa check       {problems if problems else 'ok'}"
          + ("" if repaired is None else
             f"; after `storfa reindex`: {repaired if repaired else 'ok'}"))
    failures = {jobs[i].error for i in job_ids if i in jobs and jobs[i].status == "failed"}
    if failures:
        print(f"failed because     {sorted(str(f) for f in failures)}")
    print(f"worker exit codes  {exit_codes} (after SIGTERM)")
    ok = every_file_once and not (repaired if repaired is not None else problems)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
