"""Crash safety: kill -9 the ingest at random moments, many times.

    .venv/bin/python bench/crash_loop.py [--kills 200] [--files 100]

After every kill: SQLite integrity_check and foreign_key_check, the audit
chain, and the search index against the database (passages per review) must
all pass (`storfa check`). Whenever a run survives to the end, the store must
hold exactly the batch (one review version per file); then the store is wiped
and the batch starts again, until the number of kills is reached."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus

STORFA = [sys.executable, "-m", "storfa.cli"]


def check(data: Path) -> list[str]:
    out = subprocess.run([*STORFA, "--data", str(data), "check", "--json"],
                         capture_output=True, text=True, timeout=600)
    return list(json.loads(out.stdout)["problems"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    # Half PDF, half Markdown: one file of each per generated review.
    source = corpus(args.files // 2, args.pages, seed=5, formats=("pdf", "md"))
    expected = len([p for p in source.iterdir() if p.name != "manifest.json"])
    data = OUT / "data-crash"
    shutil.rmtree(data, ignore_errors=True)
    rng = random.Random(args.seed)
    kills = completed = problems_seen = 0
    started = time.perf_counter()
    while kills < args.kills:
        proc = subprocess.Popen([*STORFA, "--data", str(data), "ingest", str(source), "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                start_new_session=True)
        try:
            stdout, _ = proc.communicate(timeout=rng.uniform(0.5, 6.0))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            problems = check(data) if (data / "storfa.sqlite3").exists() else []
            if problems:
                problems_seen += 1
                print(f"kill {kills}: PROBLEMS {problems}", flush=True)
            if kills % 20 == 0:
                print(f"  {kills} kills, {completed} completed batches, "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
            continue
        results = [r for r in json.loads(stdout)["results"]
                   if not r["path"].endswith("manifest.json")]  # the generator's answer key
        statuses = {r["status"] for r in results}
        reviews = json.loads(subprocess.run(
            [*STORFA, "--data", str(data), "reviews", "--json"], capture_output=True,
            text=True).stdout)["reviews"]
        ok = (statuses <= {"ingested", "duplicate"} and len(results) == expected
              # the formats of one review become its versions: one version per file
              and sum(r["version"] for r in reviews) == expected and not check(data))
        completed += 1
        print(f"batch {completed} completed after {kills} kills in all: {len(reviews)} reviews "
              f"from {expected} files, {'OK' if ok else 'MISMATCH'}")
        shutil.rmtree(data)
    print(f"{kills} kills, {completed} completed batches, {problems_seen} checks with problems, "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
