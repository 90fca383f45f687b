"""Auto-coding runs as two web workers of one node see them: the state lives
in the data directory, so a run started by one worker is reported, and kept
single, by the other; a run whose worker died reads as failed."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from storfa.coding.autocode import Suggested
from storfa.coding.runs import AutoCodingRuns


class SlowService:
    """Stands in for CodingService.auto: one step per review, held at a gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def auto(self, codebook: str, keys: list[str], actor: str, progress: Any,
             threshold: float | None) -> Suggested:
        for key in keys:
            progress(key, 10)
            self.gate.wait(10)
        return Suggested([], 3, 0.72 if threshold is None else threshold)


def _join(run_id: str) -> None:
    for thread in threading.enumerate():
        if thread.name == f"autocode-{run_id}":
            thread.join(timeout=30)


def test_a_run_started_by_one_worker_is_seen_and_kept_single_by_another(
        tmp_path: Path) -> None:
    first, second = AutoCodingRuns(tmp_path), AutoCodingRuns(tmp_path)
    service = SlowService()
    run = first.start(service, "best-practice", ["A", "B"], "user:coder")  # type: ignore[arg-type]
    seen = second.get(run.id)
    assert seen is not None and seen.state == "running" and seen.total == 2
    again = second.start(service, "best-practice", ["C"], "user:other")  # type: ignore[arg-type]
    assert again.id == run.id  # one run at a time across workers
    service.gate.set()
    _join(run.id)
    done = second.get(run.id)
    assert done is not None and (done.state, done.done, done.held_back) == ("done", 2, 3)
    assert done.threshold == 0.72 and second.running() is None


def test_a_run_whose_worker_stopped_reads_as_failed(tmp_path: Path) -> None:
    runs = AutoCodingRuns(tmp_path, stale_seconds=0.05)
    service = SlowService()
    run = runs.start(service, "best-practice", ["A"], "user:coder")  # type: ignore[arg-type]
    time.sleep(0.2)  # the step is held past the stale bound, as if its process had died
    stale = runs.get(run.id)
    assert stale is not None and stale.state == "failed" and "stopped" in stale.error
    assert runs.running() is None
    service.gate.set()
    _join(run.id)


def test_ids_that_name_no_run_file_are_none(tmp_path: Path) -> None:
    runs = AutoCodingRuns(tmp_path)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "odd.json").write_text(json.dumps({"id": "odd"}), encoding="utf-8")
    for name in ("", "../etc/passwd", "broken", "odd", "x" * 41, "missing"):
        assert runs.get(name) is None
