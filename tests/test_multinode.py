"""Several nodes on one PostgreSQL (issue 21 item 2; docs/deploy.md).

Two real `storfa serve` processes on different ports, each with its own data
directory (and so its own Tantivy index), share one PostgreSQL schema and one
STORFA_SHARED_DIR (originals and staged uploads), as two machines behind a
load balancer would. Checked from outside, over HTTP:

* an upload through node A is ingested by node B's worker (A runs none, so the
  staged file must be readable from the shared directory) and found by keyword
  search on B within SEARCHABLE_BOUND;
* node A's index, kept by a separate `storfa worker` on A's data directory,
  follows the data log and finds it too;
* restricting the review through A hides it from anonymous visitors of B at
  once: access is read from the database on every request, never from an index
  or a per-node cache.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from backends import PostgresRun, postgres_schema
from harness import Cli

START_BOUND = 60.0
# From the job being done to the review being searchable on the other node:
# B's worker syncs its index right after ingesting, a worker that only follows
# the log does so every IDLE_SYNC_SECONDS (5 s); the rest is slack for 2 shared cores.
SEARCHABLE_BOUND = 20.0
JOB_BOUND = 60.0
WORD = "quokkabellwether"  # in no other review: a hit means this review
REVIEW = f"""# Child Practice Review CPR2023-W42

Gwent Safeguarding Board

## Practice and organisational learning

The health visitor showed {WORD} persistence and professional curiosity when
the family moved between local authorities.
"""


@dataclass
class Node:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, token: str | None = None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.get(f"{self.url}{path}", params=params, headers=headers, timeout=30)

    def hits(self, token: str | None = None) -> list[str]:
        response = self.get("/api/v1/search", token, q=WORD)
        assert response.status_code == 200, (self.name, response.text)
        return [hit["review_id"] for hit in response.json()["hits"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(database_url: str, shared: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORFA_")}
    return {**env, "STORFA_DATABASE_URL": database_url, "STORFA_SHARED_DIR": str(shared),
            # Keyword search is what is checked; no embedding model to load.
            "STORFA_EMBED": "off", "STORFA_WORKERS": "1", "STORFA_LOG_FORMAT": "json"}


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        # A session of its own, so cleanup can reach every process it starts.
        return subprocess.Popen([sys.executable, "-m", "storfa.cli", *args], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)


def _poll(what: str, bound: float, check: Callable[[], bool], logs: list[Path]) -> float:
    """Seconds until `check()` held; fails with the logs after `bound`."""
    started = time.monotonic()
    while time.monotonic() - started < bound:
        if check():
            return time.monotonic() - started
        time.sleep(0.25)  # across processes there is no event to wait on
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)
    raise AssertionError(f"{what}: not within {bound} s\n{tails}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (storfa stops its own children), then SIGKILL whatever is left
    in the process's session, so a failed test leaves nothing running."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
    for pid in _session_members(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _session_members(session: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            text = Path(f"/proc/{entry}/stat").read_text()
            fields = text[text.rindex(")") + 2:].split()
            if int(fields[3]) == session and fields[0] != "Z":
                found.append(int(entry))
    return found


@pytest.fixture
def cluster(tmp_path: Path, postgres_run: PostgresRun | None,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    schema, url = postgres_schema(postgres_run)
    shared = tmp_path / "shared"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        # Accounts first, in-process (this also applies the migrations once,
        # before two nodes start on the schema).
        monkeypatch.setenv("STORFA_DATABASE_URL", url)
        monkeypatch.setenv("STORFA_SHARED_DIR", str(shared))
        cli = Cli(tmp_path / "a")
        cli.json("orgs", "add", "Gwent Safeguarding Board", "--board", "Gwent")
        cli.json("users", "add", "eli", "--role", "editor", "--password", "long enough pw",
                 "--org", "Gwent Safeguarding Board")
        token = cli.json("users", "token", "eli", "--name", "multinode")["token"]
        env = _env(url, shared)
        yield {"tmp": tmp_path, "env": env, "token": token, "procs": procs}
    finally:
        for proc in reversed(procs):
            _stop(proc)
        assert postgres_run is not None
        postgres_run.drop_schema(schema)


def _node(cluster: dict[str, Any], name: str, *extra: str) -> Node:
    tmp: Path = cluster["tmp"]
    port, log = _free_port(), tmp / f"serve-{name}.log"
    proc = _start(["--data", str(tmp / name), "serve", "--port", str(port), "--workers", "1",
                   *extra], cluster["env"], log)
    cluster["procs"].append(proc)
    return Node(name, f"http://127.0.0.1:{port}", proc, log)


def _healthy(node: Node) -> bool:
    assert node.proc.poll() is None, node.log.read_text(errors="replace")
    with contextlib.suppress(httpx.HTTPError):
        return node.get("/healthz").status_code == 200
    return False


def test_two_nodes_on_one_postgresql_agree(cluster: dict[str, Any]) -> None:
    token: str = cluster["token"]
    # A has no ingest worker of its own: only B's can take A's upload.
    a = _node(cluster, "a", "--no-ingest-worker")
    b = _node(cluster, "b")
    logs = [a.log, b.log]
    for node in (a, b):
        _poll(f"node {node.name} healthy", START_BOUND, lambda n=node: _healthy(n), logs)
    assert a.hits() == [] and b.hits() == []

    # Public, which an upload keeps because the disclosure check finds nothing in
    # it (an upload is otherwise a draft: docs/disclosure.md).
    upload = httpx.post(f"{a.url}/api/v1/uploads", headers={"Authorization": f"Bearer {token}"},
                        files={"files": ("cpr-2023-w42.md", REVIEW.encode(), "text/markdown")},
                        data={"access": "public"}, timeout=60)
    assert upload.status_code == 200, upload.text
    (item,) = upload.json()["uploads"]
    assert item["status"] == "queued", item

    def job_done() -> bool:
        job = b.get(f"/api/v1/jobs/{item['job_id']}", token).json()
        assert job["status"] in ("queued", "running", "done"), job
        return bool(job["status"] == "done")

    _poll("the upload ingested by node B's worker", JOB_BOUND, job_done, logs)
    job = a.get(f"/api/v1/jobs/{item['job_id']}", token).json()
    assert job["result"]["status"] == "ingested", job
    key = job["result"]["review_id"]
    assert key == "CPR2023-W42"

    took = _poll("found by search on node B", SEARCHABLE_BOUND, lambda: b.hits() == [key], logs)
    print(f"searchable on node B {took:.1f} s after its job was done")
    # The original went to the shared store, not to either node's data directory.
    tmp: Path = cluster["tmp"]
    assert any((tmp / "shared" / "originals").rglob("*")), "no original in the shared store"
    assert not (tmp / "a" / "originals").exists() and not (tmp / "b" / "originals").exists()
    assert b.get(f"/reviews/{key}/original").status_code == 200

    # Node A's own index follows the data log through a separate worker process.
    worker_log = tmp / "worker-a.log"
    cluster["procs"].append(_start(["--data", str(tmp / "a"), "worker", "--poll", "0.5"],
                                   cluster["env"], worker_log))
    logs.append(worker_log)
    took = _poll("found by search on node A", SEARCHABLE_BOUND, lambda: a.hits() == [key], logs)
    print(f"node A's index caught up {took:.1f} s after its worker started")

    # Restricted through A: B's anonymous visitors lose it on their next request.
    change = httpx.put(f"{a.url}/api/v1/reviews/{key}/access",
                       headers={"Authorization": f"Bearer {token}"},
                       json={"level": "restricted", "organisations": ["Gwent Safeguarding Board"]},
                       timeout=30)
    assert change.status_code == 200, change.text
    assert b.hits() == [], "B still shows the restricted review to anonymous search"
    assert b.get(f"/reviews/{key}").status_code == 404
    assert key not in b.get("/api/v1/reviews").text
    # … and still shows it to the editor, whose organisation is named.
    assert b.hits(token) == [key]


def test_the_shared_directory_holds_what_every_node_must_see(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storfa.config import Settings

    monkeypatch.delenv("STORFA_SHARED_DIR", raising=False)
    alone = Settings.from_env(data_dir=tmp_path / "data")
    assert alone.originals_dir == tmp_path / "data" / "originals"  # one node: as before
    assert alone.shared_root == alone.data_dir
    monkeypatch.setenv("STORFA_SHARED_DIR", str(tmp_path / "nfs"))
    node = Settings.from_env(data_dir=tmp_path / "data")
    assert node.originals_dir == tmp_path / "nfs" / "originals"
    assert node.models_dir == tmp_path / "nfs" / "models"
    assert node.index_dir == tmp_path / "data" / "index"  # each node its own index
