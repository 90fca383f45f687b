"""Auto-coding runs started from the web pages or the API.

A run works in a background thread of the web process that was asked, but
its state lives in a small JSON file in the data directory, so every web
worker of the node (`storfa serve --workers N`) answers the progress poll
alike, and one run at a time holds across workers: the classifier keeps a
core busy. A run whose file has not moved for STALE_SECONDS was stopped with
its process (a worker restarted) and reads as failed, freeing the way."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from storfa.coding.autocode import CodingService

STALE_SECONDS = 120.0
_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass
class Run:
    id: str
    actor: str
    codebook: str
    total: int = 0
    done: int = 0
    suggestions: int = 0
    held_back: int = 0
    threshold: float | None = None
    state: str = "running"  # running, done, failed
    error: str = ""
    updated: float = 0.0

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["updated"]
        return out


class AutoCodingRuns:
    def __init__(self, folder: Path, stale_seconds: float = STALE_SECONDS) -> None:
        self.folder = folder
        self.stale_seconds = stale_seconds

    def get(self, run_id: str) -> Run | None:
        if not _ID.fullmatch(run_id or ""):
            return None
        try:
            run = Run(**json.loads((self.folder / f"{run_id}.json").read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if run.state == "running" and time.time() - run.updated > self.stale_seconds:
            run.state, run.error = "failed", "The run stopped with its web worker."
        return run

    def running(self) -> Run | None:
        if not self.folder.is_dir():
            return None
        for path in self.folder.glob("*.json"):
            run = self.get(path.stem)
            if run is not None and run.state == "running":
                return run
        return None

    def start(self, service: CodingService, codebook: str, keys: list[str], actor: str,
              threshold: float | None = None) -> Run:
        """A new run of these reviews, or the one already running."""
        with self._locked():
            busy = self.running()
            if busy is not None:
                return busy
            run = Run(secrets.token_urlsafe(12), actor, codebook, total=len(keys),
                      threshold=threshold)
            self._save(run)
        threading.Thread(target=self._work, args=(run, service, keys), daemon=True,
                         name=f"autocode-{run.id}").start()
        return run

    def _work(self, run: Run, service: CodingService, keys: list[str]) -> None:
        def step(_key: str, _passages: int) -> None:
            run.done += 1
            self._save(run)

        try:
            found = service.auto(run.codebook, keys, run.actor, progress=step,
                                 threshold=run.threshold)
            run.suggestions, run.held_back = len(found), found.held_back
            run.threshold, run.state = found.threshold, "done"
        except Exception as exc:  # reported on the page, not lost in a thread
            run.error, run.state = str(exc), "failed"
        self._save(run)

    def _save(self, run: Run) -> None:
        # Written whole and renamed, so a reader never sees half a file.
        run.updated = time.time()
        self.folder.mkdir(parents=True, exist_ok=True)
        part = self.folder / f".{run.id}.{os.getpid()}.part"
        part.write_text(json.dumps(asdict(run)), encoding="utf-8")
        part.replace(self.folder / f"{run.id}.json")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def runs_folder(data_dir: Path) -> Path:
    return data_dir / "runs" / "autocode"
