"""A full disk never loses an acknowledged upload: the worker puts the job back
unrun and pauses, and the file is ingested once space is free (a real tmpfs,
which needs root to mount; skipped otherwise)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import small_tmpfs
from storfa.app import Storfa
from storfa.config import Settings
from storfa.ingest import jobs
from storfa.ingest.jobs import JobWorker, stage_file
from storfa.storage.files import is_disk_full
from storfa.storage.sql.jobs import JobQueue


@pytest.fixture
def small_originals(tmp_path: Path) -> Iterator[Path]:
    """A data directory whose originals folder is a 16 KB file system."""
    data = tmp_path / "data"
    with small_tmpfs(data / "originals", size="16k"):
        yield data


def test_a_job_that_finds_the_disk_full_is_put_back_and_done_later(
        small_originals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "DISK_FULL_PAUSE_SECONDS", 0.01)
    app = Storfa(Settings.from_env(data_dir=small_originals, workers=1))
    try:
        source = tmp_path / "big-review.md"
        source.write_text("# Child Practice Review CPR2019-W41\n\n" +
                          "The health visitor shared the concern with the school. " * 2000,
                          encoding="utf-8")
        queue = JobQueue(app.store.db)
        job_id = queue.enqueue(stage_file(app.settings.data_dir, source), source.name,
                               {"type": "CPR"}, "test:user")
        lines: list[str] = []
        counts = JobWorker(queue, app.ingest, app.settings.data_dir, poll_seconds=0.05,
                           log=lines.append).run(once=True)
        job = queue.get(job_id)
        assert job is not None and (job.status, job.attempts) == ("queued", 0), job
        assert counts["released"] == 1 and counts["failed"] == 0
        assert any("no space left" in line for line in lines)

        subprocess.run(["umount", "-l", str(small_originals / "originals")], check=True)
        counts = JobWorker(queue, app.ingest, app.settings.data_dir,
                           poll_seconds=0.05).run(once=True)
        job = queue.get(job_id)
        assert job is not None and job.status == "done" and counts["done"] == 1
        assert job.result and job.result["status"] == "ingested"
    finally:
        app.close()


def test_what_counts_as_a_full_disk() -> None:
    assert is_disk_full(OSError(28, "No space left on device"))
    assert is_disk_full(OSError(122, "Disk quota exceeded"))
    assert not is_disk_full(OSError(13, "Permission denied"))
    assert not is_disk_full(ValueError("bad value"))
