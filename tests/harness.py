"""Helpers tests import by name. They live outside conftest.py because the
browser tests have a conftest of their own, and `from harness import …`
would find whichever conftest was imported first."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storfa.cli.main import app as cli_app

# Run a module once on SQLite, once on PostgreSQL with the Tantivy index and once
# on PostgreSQL with its own full-text search: `pytestmark = ALL_ENGINES`.
ALL_ENGINES = pytest.mark.parametrize(
    "backend", ["sqlite", "postgresql", "postgresql-fts"], indirect=True)



class Cli:
    """Runs `storfa --data DIR ...` in-process and decodes --json output."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.runner = CliRunner()

    def run(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(cli_app, ["--data", str(self.data_dir), *args], input=input)

    def json(self, *args: str, expect_exit: int = 0, input: str | None = None) -> Any:
        result = self.run(*args, "--json", input=input)
        assert result.exit_code == expect_exit, (result.exit_code, result.output)
        return json.loads(result.stdout)


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str = "4m") -> Iterator[Path]:
    """A real file system of `size` at `path`, to fill (needs root to mount;
    the test is skipped otherwise)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs to fill needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def run_queued_jobs(storfa: Any, tasks: dict[str, Any] | None = None) -> dict[str, int]:
    """Run every waiting job as `storfa worker --once` would, with the app's
    own handlers unless `tasks` says otherwise; returns the worker's counts."""
    from storfa.ingest.jobs import JobWorker

    worker = JobWorker(storfa.jobs, storfa.ingest, storfa.settings.shared_root,
                       poll_seconds=0.05,
                       tasks=storfa.job_tasks() if tasks is None else tasks)
    return worker.run(once=True)
