"""kill -9 in the middle of a batch, and two ingests at once, leave a
consistent store that a rerun completes with no duplicates."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewtext import CPR

STORFA = [sys.executable, "-m", "storfa.cli"]


def make_batch(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        text = CPR.replace("CPR2019-W03", f"CPR2019-W{i + 10:02d}")
        text += f"\n\n## Summary timeline\n\nEntry {i}: " + "Visit recorded. " * (50 + i)
        (folder / f"review-{i:03d}.md").write_text(text, encoding="utf-8")


def storfa(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STORFA, "--data", str(data), *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "STORFA_WORKERS": "1"})


def assert_consistent(data: Path) -> None:
    check = storfa(data, "check", "--json")
    assert json.loads(check.stdout) == {"ok": True, "problems": []}, check.stdout


@pytest.mark.slow
def test_kill_9_mid_batch_then_rerun_completes(tmp_path: Path) -> None:
    batch, data = tmp_path / "batch", tmp_path / "data"
    make_batch(batch, 30)
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen([*STORFA, "--data", str(data), "ingest", str(batch), "--json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.8, 3.0))
        os.killpg(proc.pid, signal.SIGKILL)  # the parser workers die with it
        proc.wait()
        if data.exists() and (data / "storfa.sqlite3").exists():
            assert_consistent(data)
    final = storfa(data, "ingest", str(batch), "--json")
    assert final.returncode == 0, final.stderr
    statuses = [r["status"] for r in json.loads(final.stdout)["results"]]
    assert set(statuses) <= {"ingested", "duplicate"}
    reviews = json.loads(storfa(data, "reviews", "--json").stdout)["reviews"]
    assert len(reviews) == 30 and all(r["version"] == 1 for r in reviews)
    assert_consistent(data)


@pytest.mark.slow
def test_two_ingests_at_once_do_not_collide(tmp_path: Path) -> None:
    batch, data = tmp_path / "batch", tmp_path / "data"
    make_batch(batch, 20)
    storfa(data, "reviews")  # create the store first, as a user's first command would
    procs = [subprocess.Popen([*STORFA, "--data", str(data), "ingest", str(batch), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr
        assert "locked" not in stderr
    per_file: dict[str, list[str]] = {}
    for stdout, _ in outputs:
        for r in json.loads(stdout)["results"]:
            per_file.setdefault(r["path"], []).append(r["status"])
    assert all(sorted(s) == ["duplicate", "ingested"] for s in per_file.values()), per_file
    assert len(json.loads(storfa(data, "reviews", "--json").stdout)["reviews"]) == 20
    assert_consistent(data)
