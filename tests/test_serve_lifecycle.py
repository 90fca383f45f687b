"""`storfa serve` as a service manager runs it: real processes, real signals.

SIGTERM (systemd, Docker, Kubernetes) and SIGINT (Ctrl-C) must stop the
server, its web workers, its ingest worker and everything they started within
10 s; a taken port or an unwritable data directory must be refused with a
message, not a traceback. Processes are read from /proc (psutil is not a
dependency)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STOP_BOUND = 10.0
START_BOUND = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) from /proc, or None when gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[2])


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _descendants(root: int) -> set[int]:
    parents = {pid: st[1] for pid in _all_pids() if (st := _stat(pid))}
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] != "Z"


def _in_groups(groups: set[int]) -> set[int]:
    return {pid for pid in _all_pids()
            if (st := _stat(pid)) and st[0] != "Z" and st[2] in groups}


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORFA_")}
    # No model to load, one parser process: the test is about processes, not ingest.
    return {**env, "STORFA_EMBED": "off", "STORFA_WORKERS": "1", "STORFA_LOG_FORMAT": "json"}


def _serve(data: Path, port: int, *extra: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "storfa.cli", "--data", str(data), "serve",
             "--port", str(port), *extra],
            stdout=out, stderr=subprocess.STDOUT, env=_env(data.parent))


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_BOUND
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")
        with (contextlib.suppress(urllib.error.URLError, OSError),
              urllib.request.urlopen(f"{url}/healthz", timeout=2) as response):
            if response.status == 200:
                return
        time.sleep(0.2)  # polling a socket: there is no event to wait on
    raise AssertionError(f"no answer in {START_BOUND} s:\n{log.read_text(errors='replace')}")


def _wait_for_children(proc: subprocess.Popen[bytes], at_least: int) -> set[int]:
    """The ingest worker is ready once its parser pool runs; wait for the tree."""
    deadline = time.monotonic() + START_BOUND
    while time.monotonic() < deadline:
        tree = _descendants(proc.pid)
        if len(tree) >= at_least:
            time.sleep(1.0)  # let the worker's parser processes start too
            return _descendants(proc.pid)
        time.sleep(0.2)
    raise AssertionError(f"only {len(_descendants(proc.pid))} child processes")


@pytest.mark.parametrize(("signum", "workers"), [(signal.SIGTERM, 2), (signal.SIGINT, 1)])
def test_a_stop_signal_leaves_no_process_behind(tmp_path: Path, signum: int,
                                                workers: int) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    proc = _serve(tmp_path / "data", port, "--workers", str(workers), log=log)
    tree: set[int] = set()
    try:
        _wait_ready(f"http://127.0.0.1:{port}", proc, log)
        # web workers + the ingest worker, each a group leader of its own
        tree = _wait_for_children(proc, workers + 1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as ready:
            assert ready.status == 200
        # Loopback may read /metrics; figures from every web worker are summed.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as scrape:
            text = scrape.read().decode()
        assert 'route="/healthz",status="200"' in text and "storfa_database_up 1.0" in text
        groups = {st[2] for pid in tree if (st := _stat(pid))}
        stopped_at = time.monotonic()
        proc.send_signal(signum)
        proc.wait(timeout=STOP_BOUND)
        while (_any := {p for p in tree if _alive(p)} | _in_groups(groups)) and \
                time.monotonic() - stopped_at < STOP_BOUND:
            time.sleep(0.1)
        elapsed = time.monotonic() - stopped_at
        survivors = {p for p in tree if _alive(p)} | _in_groups(groups)
        assert not survivors, (survivors, log.read_text(errors="replace"))
        assert elapsed < STOP_BOUND
        assert proc.returncode == 0, log.read_text(errors="replace")
        text = log.read_text(errors="replace")
        assert "Traceback" not in text
        assert '"event": "stopped", "forced": false' in text
    finally:
        for pid in {proc.pid, *tree}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_a_second_signal_forces_the_stop(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    proc = _serve(tmp_path / "data", port, "--stop-timeout", "60", log=log)
    tree: set[int] = set()
    try:
        _wait_ready(f"http://127.0.0.1:{port}", proc, log)
        tree = _wait_for_children(proc, 2)
        # A child that cannot finish: the ingest worker, frozen mid-work.
        worker = next(p for p in tree if b"worker" in Path(f"/proc/{p}/cmdline").read_bytes())
        os.kill(worker, signal.SIGSTOP)
        proc.send_signal(signal.SIGTERM)
        time.sleep(1.5)
        assert proc.poll() is None  # waiting for it, for up to 60 s
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=STOP_BOUND)
        deadline = time.monotonic() + STOP_BOUND
        while any(_alive(p) for p in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not {p for p in tree if _alive(p)}
        assert '"event": "forced_stop"' in log.read_text(errors="replace")
    finally:
        for pid in {proc.pid, *tree}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _refused(tmp_path: Path, data: Path, port: int) -> tuple[int, str]:
    """Exit status and stdout+stderr, with the console's line wrapping undone."""
    result = subprocess.run(
        [sys.executable, "-m", "storfa.cli", "--data", str(data), "serve", "--port", str(port)],
        capture_output=True, text=True, timeout=60, env=_env(tmp_path))
    return result.returncode, " ".join((result.stdout + result.stderr).split())


def test_refuses_a_port_already_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, output = _refused(tmp_path, tmp_path / "data", port)
    assert status == 1, output
    assert f"Port {port} on 127.0.0.1 is already in use" in output
    assert "Traceback" not in output


def test_refuses_a_data_directory_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    status, output = _refused(tmp_path, blocker / "data", _free_port())
    assert status == 1, output
    assert "is not writable" in output and "Traceback" not in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any permission bits")
def test_refuses_a_read_only_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        status, output = _refused(tmp_path, data, _free_port())
    finally:
        data.chmod(0o700)
    assert status == 1, output
    assert "is not writable" in output and "Traceback" not in output


def test_children_that_die_are_started_again(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    proc = _serve(tmp_path / "data", port, log=log)
    tree: set[int] = set()
    try:
        _wait_ready(url, proc, log)
        tree = _wait_for_children(proc, 2)
        children = {pid for pid in tree if (st := _stat(pid)) and st[1] == proc.pid}
        assert len(children) == 2
        for pid in children:
            os.kill(pid, signal.SIGKILL)  # a web worker and the ingest worker
        deadline = time.monotonic() + START_BOUND
        while time.monotonic() < deadline:
            now = {pid for pid in _descendants(proc.pid)
                   if (st := _stat(pid)) and st[1] == proc.pid and st[0] != "Z"}
            if len(now - children) == 2:
                break
            time.sleep(0.2)
        tree |= _descendants(proc.pid)
        assert len(now - children) == 2, log.read_text(errors="replace")
        _wait_ready(url, proc, log)
        assert log.read_text().count('"event": "child_exited"') == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=STOP_BOUND)
        for pid in {proc.pid, *tree}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_jobs_of_a_dead_worker_are_claimable_at_once(tmp_path: Path) -> None:
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.ingest.jobs import worker_prefix
    from storfa.storage.sql.jobs import JobQueue

    storfa = Storfa(Settings(data_dir=tmp_path / "data"))
    try:
        queue = JobQueue(storfa.store.db)  # 60 s before a silent job is stale
        job_id = queue.enqueue("incoming/a/a.md", "a.md", actor="test")
        held = queue.claim(worker_prefix(4242) + "abc123")
        assert held is not None and held.id == job_id
        assert queue.claim("other") is None  # its heartbeat is fresh
        assert queue.abandon(worker_prefix(4243)) == 0  # another process's jobs: untouched
        assert queue.abandon(worker_prefix(4242)) == 1
        again = queue.claim("other")
        assert again is not None and again.id == job_id and again.attempts == 2
    finally:
        storfa.close()


def test_workers_return_large_blocks_to_the_system_unless_told_otherwise(tmp_path: Path) -> None:
    from storfa.service.server import child_env

    env = child_env({"PATH": "/usr/bin"}, tmp_path, "/tmp/metrics")
    assert env["MALLOC_MMAP_THRESHOLD_"] == "131072"
    assert (env["STORFA_DATA"], env["PROMETHEUS_MULTIPROC_DIR"]) == (str(tmp_path), "/tmp/metrics")
    own = child_env({"MALLOC_MMAP_THRESHOLD_": "1048576"}, tmp_path, "/tmp/metrics")
    assert own["MALLOC_MMAP_THRESHOLD_"] == "1048576"  # the operator's value wins
