"""The whole service under load: simulated users against `storfa serve` on
PostgreSQL, with latency per kind of request, failures, the memory curve of
the server processes, and a check that nothing acknowledged was lost.

    .venv/bin/python bench/load_service.py [--minutes 10] [--users 50] [--workers 2]
        [--reviews 20] [--pages 6] [--uploads-per-minute 10] [--postgres URL]
        [--only KIND ...] [--fresh SECONDS]

Set-up: a PostgreSQL cluster of the bench's own (initdb in a temporary
folder, its own port; or --postgres URL for a fresh schema on a server you
name) gets the store imported (`storfa db import`) from an archive built on
the first run (and again after a new migration) and kept in
bench/out/load-service-RxP-schemaN/: --reviews generated
PDF reviews ingested with embeddings, their recommendations extracted,
best-practice suggestions auto-coded, an editor account with an API token
(building it took 3–8 minutes on 2 busy cores, the import about 20 s).
Then `storfa serve --workers N` (with its one ingest worker) starts, every
kind of request is made a few times to warm the workers (not counted), and
the users start.

Each user loops: one action, then a think time of 0.5–2.5 s. Actions, by
weight: search by words (20), by meaning (10), hybrid (10) through
/api/v1/search; reading a page (35: the review page /reviews/{id}?page=N
anonymously, or /api/v1/reviews/{id}/pages/N); a coding decision (15: accept
or reject, POST /api/v1/coding/extracts/{id}/decision); a register update
(10: a recommendation's status and a note, through the page form
POST /recommendations/{id}/track, signed in with a session and CSRF token).
Each user decides only its own share of extracts and recommendations, so its
last acknowledged decision must be what the database holds. Uploads run
beside the users at --uploads-per-minute (POST /api/v1/uploads, one new
generated PDF each).

Printed: p50/p95/p99 per kind, failures (5xx, no answer, or an unexpected
status), status codes, the RSS of the web workers and of the ingest worker
(with its parser processes) every few seconds, growth after warm-up, and the
check: every acknowledged upload ingested exactly once, every acknowledged
decision and register update recorded, `storfa check` clean. With --fresh,
the service is then restarted on the store the run left and loaded again
(no uploads): growth that fresh workers also show came with the store, what
only the long-running ones hold is a leak or the allocator's.

Why our own asyncio client and not Locust: Locust is not among storfa's
dependencies, and those come from a hashed lock file that a benchmark should
not change. httpx (already a dependency) with asyncio runs 50 users that
mostly wait in one process on a fraction of one core, which leaves the
machine's cores to the server being measured; the client is ~150 lines and
records exactly what the report needs (status codes, Retry-After, per-kind
timings) for the fault drill too (bench/fault_drill.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, percentile
from queue_load import pg_drop, pg_schema, storfa_check
from search_latency import QUERIES as WORD_QUERIES
from semantic_latency import QUERIES as MEANING_QUERIES
from web_load import free_port, storfa

PG_BIN = Path("/usr/lib/postgresql/15/bin")
EDITOR, PASSWORD = "bench-editor", "bench-password-1"
STATUSES = ("open", "in_progress", "implemented", "not_accepted")
# What a healthy answer is, per kind; anything else is a failure.
EXPECTED = {"words": {200}, "meaning": {200}, "hybrid": {200}, "page": {200},
            "decision": {200}, "register": {303}, "upload": {200}, "login": {303}}
WEIGHTS = {"words": 20, "meaning": 10, "hybrid": 10, "page": 35, "decision": 15,
           "register": 10}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class PrivatePostgres:
    """A PostgreSQL 15 cluster of the bench's own: restarting it (the fault
    drill) disturbs nobody else's database. initdb refuses root, so as root
    the cluster is made and run as the `postgres` user."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="storfa-bench-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: object) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, argv)], check=True, capture_output=True)

    def start(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.root / "postgres.log", "-w",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1",
                  "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Service:
    """`storfa serve --workers N` with its ingest worker, and its processes."""

    data: Path
    env: dict[str, str]
    workers: int
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = Path(sys.executable).with_name("storfa")
        log = (self.data.parent / f"{self.data.name}-serve.log").open("ab")
        self.proc = subprocess.Popen(
            [str(exe), "--data", str(self.data), "serve", "--port", str(self.port),
             "--workers", str(self.workers)], env=self.env, stderr=log,
            stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            time.sleep(0.2)
        # Not left running: a server that never answered would hold its port
        # and two cores' worth of workers through the next run.
        self.stop()
        raise SystemExit(f"storfa serve did not answer on {self.base} within 60 s "
                         f"(its log: {self.data.parent / (self.data.name + '-serve.log')})")

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)

    def processes(self) -> dict[str, list[int]]:
        """Children by role ("web", "ingest"), each with its descendants."""
        assert self.proc is not None
        parent: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    # Field 4 of stat, after the parenthesised command name.
                    parent[int(entry.name)] = int(
                        (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        roles: dict[str, list[int]] = {"web": [], "ingest": []}
        for pid, ppid in parent.items():
            if ppid != self.proc.pid:
                continue
            try:
                cmd = (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                       .decode(errors="replace"))
            except OSError:
                continue
            tree, todo = [pid], [pid]
            while todo:
                here = todo.pop()
                kids = [p for p, pp in parent.items() if pp == here]
                tree += kids
                todo += kids
            roles["web" if "storfa.web.process" in cmd else "ingest"] += tree
        return roles

    def role_pids(self, role: str) -> list[int]:
        """The direct children of one role (a web worker, the ingest worker)."""
        assert self.proc is not None
        return [p for p in self.processes()[role]
                if _ppid(p) == self.proc.pid]

    def rss_mb(self) -> dict[str, float]:
        return {role: sum(_rss_kb(p) for p in pids) / 1024
                for role, pids in self.processes().items()}


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def _rss_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------- the fixture

@dataclass
class Fixture:
    token: str
    reviews: list[tuple[str, list[int]]]  # (review id, its pages that hold text)
    extracts: list[int]
    recommendations: list[int]
    uploads: list[Path]


def cli(data: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return storfa(data, *args, env=env)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"storfa {' '.join(args[:2])} failed:\n{exc.stderr}") from exc


def prepare(data: Path, env: dict[str, str], reviews: int, pages: int,
            uploads: int) -> Fixture:
    """The store of `reviews` generated reviews, imported into the fresh
    database from an archive built once (ingest, embeddings, recommendations
    and auto-coding take minutes; the import seconds)."""
    # An archive imports only into the schema version it was written from.
    schema = max(int(m.name.split("_")[0]) for m in (
        Path(__file__).resolve().parents[1] / "src/storfa/storage/migrations/postgresql"
    ).glob("[0-9]*"))
    cache = OUT / f"load-service-{reviews}x{pages}-schema{schema}"
    # One new review per upload, generated apart from the stored corpus. The
    # generator's identifiers recur, and a file with a stored review's
    # identifier is a new version of it, which closes the published review
    # until its disclosure findings are decided (docs/disclosure.md): so only
    # files naming no stored review are uploaded (3x generated, to have enough).
    upload_source = corpus(max(3 * uploads, 1), 4, seed=22, formats=("pdf",))
    started = time.perf_counter()
    if not (cache / "fixture.json").exists():
        scratch = OUT / "data-load-service-build"
        shutil.rmtree(scratch, ignore_errors=True)
        build(cache, scratch, env, reviews, pages)
        shutil.rmtree(scratch)
    # --replace: building filled this same database.
    cli(data, "db", "import", "--replace", str(cache / "store.tar.gz"), env=env)
    fixture = json.loads((cache / "fixture.json").read_text())
    print(f"set-up: {len(fixture['reviews'])} reviews imported in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return Fixture(
        token=fixture["token"], reviews=[(key, pages) for key, pages in fixture["reviews"]],
        extracts=fixture["extracts"], recommendations=fixture["recommendations"],
        uploads=new_reviews(upload_source, {key for key, _ in fixture["reviews"]}, uploads))


def new_reviews(folder: Path, stored: set[str], wanted: int) -> list[Path]:
    """Up to `wanted` generated PDFs that ingest would store under a key no
    stored review has, each key once. The key is read as ingest reads it (the
    identifier its metadata extraction finds, not the generator's, which the
    file name carries: the two differ now and then, and such an upload became
    a new draft version of a stored review, whose pages then answered 404)."""
    from storfa.ingest.analyse import analyse
    from storfa.ingest.extractors import extract_document
    from storfa.ingest.pipeline import key_for

    chosen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.pdf")):
        if len(chosen) >= wanted:
            break
        if path.stem.split("-", 2)[-1] in stored:
            continue
        doc = analyse(extract_document(path))
        found = {m.field: m.value for m in doc.metadata}
        _, key = key_for(path, found.get("identifier"), doc.language)
        if key not in stored:
            chosen.setdefault(key, path)
    return list(chosen.values())


def build(cache: Path, data: Path, env: dict[str, str], reviews: int, pages: int) -> None:
    source = corpus(reviews, pages, seed=21, formats=("pdf",))
    started = time.perf_counter()
    files = sorted(str(p) for p in source.iterdir() if p.suffix == ".pdf")
    cli(data, "ingest", *files, env=env)
    cli(data, "users", "add", EDITOR, "--role", "editor", "--password", PASSWORD, env=env)
    token = cli(data, "users", "token", EDITOR, env=env).stdout.strip().splitlines()[-1]
    cli(data, "recommendations", "extract", env=env)
    recs = json.loads(cli(data, "recommendations", "--json", env=env).stdout)
    cli(data, "code", "auto", "--codebook", "best-practice", env=env)
    listed = json.loads(cli(data, "code", "list", "--status", "suggested", "--codebook",
                               "best-practice", "--json", env=env).stdout)
    app = open_app(data, env["STORFA_DATABASE_URL"])
    pages_with_text = {}
    for summary in app.store.list_reviews():
        record = app.store.get_review(summary.review_id)
        assert record is not None
        pages_with_text[summary.review_id] = sorted(
            {p.page for p in app.store.passages(record.version_id)})
    app.close()
    cache.mkdir(parents=True, exist_ok=True)
    cli(data, "db", "export", str(cache / "store.tar.gz"), env=env)
    (cache / "fixture.json").write_text(json.dumps({
        "token": token,
        "reviews": sorted(pages_with_text.items()),
        "extracts": [int(e["id"]) for e in _items(listed, "extracts")],
        "recommendations": [int(r["id"]) for r in _items(recs, "recommendations")]}))
    print(f"built the store of {len(files)} reviews (ingest, embeddings, recommendations, "
          f"auto-coding) in {time.perf_counter() - started:.0f} s -> {cache}", file=sys.stderr)


def _items(doc: Any, key: str) -> list[dict[str, Any]]:
    return list(doc[key] if isinstance(doc, dict) else doc)


# ---------------------------------------------------------------- the client

@dataclass
class Sample:
    kind: str
    at: float  # seconds since the load started
    seconds: float
    status: int  # 0: no answer (connection refused or reset, timeout)
    retry_after: bool = False


@dataclass
class Acks:
    """What the service acknowledged, to be found afterwards."""

    decisions: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    register: list[tuple[int, str]] = field(default_factory=list)
    uploads: list[tuple[int, str]] = field(default_factory=list)
    uncertain: Counter[str] = field(default_factory=Counter)  # sent, no clear answer


class Load:
    """N users and the upload stream against one service, recording samples."""

    def __init__(self, base: str, fx: Fixture, users: int, uploads_per_minute: float,
                 seed: int = 7, only: Sequence[str] = ()) -> None:
        self.base, self.fx, self.users = base, fx, users
        self.only = set(only)  # the kinds of request users make; empty: all
        self.upload_every = 60 / uploads_per_minute if uploads_per_minute else 0.0
        self.seed = seed
        self.samples: list[Sample] = []
        self.acks = Acks()
        self.memory: list[tuple[float, dict[str, float]]] = []
        self.started = 0.0
        self.stopping = asyncio.Event()
        self.notes = itertools.count(1)
        self.next_upload = 0

    def now(self) -> float:
        return time.monotonic() - self.started

    async def call(self, kind: str, client: httpx.AsyncClient, method: str, path: str,
                   **kwargs: Any) -> httpx.Response | None:
        at = self.now()
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.HTTPError:
            self.samples.append(Sample(kind, at, self.now() - at, 0))
            return None
        self.samples.append(Sample(kind, at, self.now() - at, response.status_code,
                                   "retry-after" in response.headers))
        return response

    async def warm(self) -> None:
        """Load the embedding model, index readers and templates in every web
        worker before the clock starts (several rounds: the kernel picks the worker)."""
        auth = {"Authorization": f"Bearer {self.fx.token}"}
        key, _ = self.fx.reviews[0]
        async with httpx.AsyncClient(base_url=self.base, timeout=120) as client:
            for _ in range(3):
                await asyncio.gather(*(
                    client.get(path, headers=auth, params=params) for path, params in [
                        *(("/api/v1/search", {"q": MEANING_QUERIES[0], "mode": mode})
                          for mode in ("keyword", "semantic", "hybrid")),
                        (f"/reviews/{key}", {}), (f"/api/v1/reviews/{key}/pages/1", {}),
                        ("/recommendations", {})]), return_exceptions=True)

    async def run(self, seconds: float, service: Service | None = None,
                  extra: Callable[[], Awaitable[None]] | None = None) -> None:
        """Load for `seconds`; `extra` (the fault drill) runs beside it."""
        await self.warm()
        self.started = time.monotonic()
        tasks = [asyncio.create_task(self.user(i)) for i in range(self.users)]
        tasks.append(asyncio.create_task(self.uploader()))
        if service is not None:
            tasks.append(asyncio.create_task(self.sampler(service)))
        try:
            if extra is not None:
                await asyncio.gather(extra(), asyncio.sleep(seconds))
            else:
                await asyncio.sleep(seconds)
        finally:
            self.stopping.set()
            await asyncio.gather(*tasks)

    async def sampler(self, service: Service, every: float = 5.0) -> None:
        while not self.stopping.is_set():
            self.memory.append((self.now(), service.rss_mb()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), every)

    async def user(self, i: int) -> None:
        rng = random.Random(self.seed * 1000 + i)
        extracts = self.fx.extracts[i::self.users]
        recs = self.fx.recommendations[i::self.users]
        kinds = [k for k in WEIGHTS if (k != "decision" or extracts) and (k != "register" or recs)
                 and (not self.only or k in self.only)]
        auth = {"Authorization": f"Bearer {self.fx.token}"}
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client, \
                httpx.AsyncClient(base_url=self.base, timeout=30) as session:
            csrf = ""
            await asyncio.sleep(rng.uniform(0, 2))  # users arrive over two seconds
            while not self.stopping.is_set():
                kind = rng.choices(kinds, [WEIGHTS[k] for k in kinds])[0]
                if kind in ("words", "meaning", "hybrid"):
                    q = rng.choice(MEANING_QUERIES if kind == "meaning"
                                   else [q for qs in WORD_QUERIES.values() for q in qs])
                    mode = {"words": "keyword", "meaning": "semantic"}.get(kind, kind)
                    await self.call(kind, client, "GET", "/api/v1/search", headers=auth,
                                    params={"q": q, "mode": mode, "limit": 10})
                elif kind == "page":
                    key, pages = rng.choice(self.fx.reviews)
                    # An upload can be a new, shorter version of a stored review
                    # (generated ids recur); every generated PDF has text on 1–3.
                    page = rng.choice(pages[:3])
                    if rng.random() < 0.5:
                        await self.call(kind, client, "GET", f"/reviews/{key}",
                                        params={"page": page})
                    else:
                        await self.call(kind, client, "GET",
                                        f"/api/v1/reviews/{key}/pages/{page}", headers=auth)
                elif kind == "decision":
                    await self.decide(client, auth, rng.choice(extracts),
                                      rng.choice(("accept", "reject")))
                else:
                    csrf = csrf or await self.login(session)
                    if csrf and not await self.track(session, csrf, rng.choice(recs),
                                                     rng.choice(STATUSES)):
                        csrf = ""  # sign in again: the session may be gone
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), rng.uniform(0.5, 2.5))

    async def decide(self, client: httpx.AsyncClient, auth: dict[str, str], extract: int,
                     action: str) -> None:
        r = await self.call("decision", client, "POST",
                            f"/api/v1/coding/extracts/{extract}/decision", headers=auth,
                            json={"action": action})
        if r is not None and r.status_code == 200:
            self.acks.decisions[extract].append(action)
        elif r is None or r.status_code >= 500:
            self.acks.uncertain["decision"] += 1

    async def login(self, session: httpx.AsyncClient) -> str:
        with contextlib.suppress(httpx.HTTPError):
            page = await session.get("/login")
            found = CSRF.search(page.text)
            if found:
                r = await self.call("login", session, "POST", "/login", data={
                    "username": EDITOR, "password": PASSWORD, "csrf_token": found[1],
                    "next": "/recommendations"})
                if r is not None and r.status_code == 303:
                    again = CSRF.search((await session.get("/recommendations")).text)
                    return again[1] if again else ""
        return ""

    async def track(self, session: httpx.AsyncClient, csrf: str, rec: int, status: str) -> bool:
        note = f"bench note {next(self.notes)}"
        r = await self.call("register", session, "POST", f"/recommendations/{rec}/track",
                            data={"csrf_token": csrf, "status": status, "note": note})
        if r is not None and r.status_code == 303:
            self.acks.register.append((rec, note))
            return True
        if r is None or r.status_code >= 500:
            self.acks.uncertain["register"] += 1
        return r is not None and r.status_code not in (401, 403)

    async def uploader(self) -> None:
        if not self.upload_every:
            return
        auth = {"Authorization": f"Bearer {self.fx.token}"}
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as client:
            while not self.stopping.is_set():
                await self.upload(client, auth)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), self.upload_every)

    async def upload(self, client: httpx.AsyncClient, auth: dict[str, str],
                     path: Path | None = None) -> int | None:
        """Upload the next new file (or `path`); the job id when acknowledged."""
        if path is None:
            if self.next_upload >= len(self.fx.uploads):
                return None
            path = self.fx.uploads[self.next_upload]
            self.next_upload += 1
        r = await self.call("upload", client, "POST", "/api/v1/uploads", headers=auth,
                            files={"files": (path.name, path.read_bytes(), "application/pdf")})
        if r is not None and r.status_code == 200:
            for item in r.json()["uploads"]:
                if item["job_id"] is not None:
                    self.acks.uploads.append((int(item["job_id"]), item["name"]))
                    return int(item["job_id"])
        elif r is None or r.status_code >= 500:
            self.acks.uncertain["upload"] += 1
        return None


# ---------------------------------------------------------------- the report

def latency_table(samples: list[Sample]) -> list[str]:
    lines = [f"{'kind':9} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failed':>7}"]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    for kind in [*WEIGHTS, "upload", "login"]:
        group = by_kind.get(kind, [])
        if not group:
            continue
        ms = [s.seconds * 1000 for s in group if s.status in EXPECTED[kind]]
        failed = sum(s.status not in EXPECTED[kind] for s in group)
        lines.append(f"{kind:9} {len(group):6d} {percentile(ms, 50):8.1f} "
                     f"{percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f} {failed:7d}")
    total = len(samples)
    failed = sum(s.status not in EXPECTED[s.kind] for s in samples)
    lines.append(f"all       {total:6d}   failures {failed} ({100 * failed / max(total, 1):.3f}%)"
                 f"; status codes {dict(sorted(Counter(s.status for s in samples).items()))}")
    return lines


def memory_report(memory: list[tuple[float, dict[str, float]]], warmup: float) -> list[str]:
    if not memory:
        return []
    step = max(1, len(memory) // 12)
    lines = ["memory (RSS MB)  " + "  ".join(f"{t:5.0f}s" for t, _ in memory[::step])]
    for role in ("web", "ingest"):
        lines.append(f"  {role:14} " + "  ".join(f"{m.get(role, 0):6.0f}"
                                                 for _, m in memory[::step]))
    after = [(t, m) for t, m in memory if t >= warmup]
    if len(after) >= 4:
        third = len(after) // 3
        for role in ("web", "ingest"):
            first = percentile([m[role] for _, m in after[:third]], 50)
            last = percentile([m[role] for _, m in after[-third:]], 50)
            minutes = (after[-1][0] - after[0][0]) / 60
            lines.append(f"  {role} after {warmup:.0f} s warm-up: median {first:.0f} MB in the "
                         f"first third, {last:.0f} MB in the last ({last - first:+.0f} MB over "
                         f"{minutes:.1f} min)")
    return lines


def verify(app: Any, data: Path, env: dict[str, str], acks: Acks,
           drain_seconds: float = 300) -> list[str]:
    """Every acknowledged upload stored once, decision and register update
    recorded, `storfa check` clean; returns the problems (printing the figures)."""
    from storfa.storage.sql.extracts import SQLExtracts
    from storfa.storage.sql.jobs import JobQueue

    problems: list[str] = []
    queue = JobQueue(app.store.db)
    deadline = time.monotonic() + drain_seconds
    while time.monotonic() < deadline:
        jobs = [queue.get(job_id) for job_id, _ in acks.uploads]
        if all(j is not None and j.status in ("done", "failed") for j in jobs):
            break
        time.sleep(1)
    stored: Counter[tuple[str, int]] = Counter()
    outcomes: Counter[str] = Counter()
    for job_id, name in acks.uploads:
        job = queue.get(job_id)
        result = (job.result or {}) if job else {}
        outcomes[f"{job.status if job else 'missing'}/{result.get('status', '-')}"] += 1
        if job is None or job.status != "done" or result.get("status") != "ingested":
            problems.append(f"upload {name} (job {job_id}) not stored: "
                            f"{job.status if job else 'no job'} {result or ''}")
            continue
        key, version = str(result["review_id"]), int(result["version"])
        stored[(key, version)] += 1
        if version > 1:
            outcomes[f"a new version of a stored review ({result.get('access')})"] += 1
        record = app.store.get_review(key)
        if record is None or record.summary.version < version:
            problems.append(f"upload {name}: {key} v{version} not in the store")
    problems += [f"{key} v{v} stored by {n} acknowledged uploads" for (key, v), n in
                 stored.items() if n > 1]
    print(f"uploads acknowledged {len(acks.uploads)}: {dict(outcomes)}")

    extracts = SQLExtracts(app.store.db)
    events = app.store.audit_events(limit=1_000_000, actor=EDITOR, action="code.")
    recorded = Counter(int(e["object_id"]) for e in events)
    acked = sum(len(v) for v in acks.decisions.values())
    for extract_id, actions in acks.decisions.items():
        if recorded[extract_id] < len(actions):
            problems.append(f"extract {extract_id}: {len(actions)} decisions acknowledged, "
                            f"{recorded[extract_id]} audited")
        want = "accepted" if actions[-1] == "accept" else "rejected"
        if (got := extracts.get(extract_id).status) != want:
            problems.append(f"extract {extract_id}: last decision {want}, stored {got}")
    print(f"decisions acknowledged {acked}, audited {sum(recorded.values())} "
          f"(sent without a clear answer: {acks.uncertain['decision']})")

    register = app.register()
    notes: dict[int, Counter[str]] = {}
    for rec, note in acks.register:
        if rec not in notes:
            notes[rec] = Counter(h.note for h in register.history(rec) if h.note)
        if notes[rec][note] != 1:
            problems.append(f"recommendation {rec}: note {note!r} recorded "
                            f"{notes[rec][note]} times")
    print(f"register updates acknowledged {len(acks.register)}, each in the history once: "
          f"{not any(p.startswith('recommendation') for p in problems)} "
          f"(sent without a clear answer: {acks.uncertain['register']})")

    checked = storfa_check(data, env)
    print(f"storfa check: {checked or 'clean'}")
    return problems + [f"storfa check: {p}" for p in checked]


def fresh_workers(service: Service, fx: Fixture, users: int, seconds: float,
                  memory: list[tuple[float, dict[str, float]]]) -> None:
    """New web workers on the store the run left, under the same users (no
    uploads) for `seconds`: their RSS against the long-running workers' at the
    end. A leak or fragmentation is what the old workers hold beyond this."""
    service.stop()
    service.start()
    load = Load(service.base, fx, users, 0)
    asyncio.run(load.run(seconds, service))
    last = [m["web"] for _, m in memory[-max(1, len(memory) // 6):]]
    new = [m["web"] for t, m in load.memory if t >= seconds / 2]
    print(f"fresh web workers on the final store, after {seconds:.0f} s of the same users: "
          f"median {percentile(new, 50):.0f} MB (second half) against "
          f"{percentile(last, 50):.0f} MB held by the long-running ones at the end "
          f"({percentile(last, 50) - percentile(new, 50):+.0f} MB)")


# ---------------------------------------------------------------- set-up and main

@contextlib.contextmanager
def database(url: str | None) -> Any:
    """(URL, label) of a fresh database: a schema on `url`, or a private cluster."""
    if url:
        schema, scoped = pg_schema(url)
        try:
            yield scoped, None
        finally:
            pg_drop(url, schema)
    else:
        cluster = PrivatePostgres()
        try:
            yield cluster.url, cluster
        finally:
            cluster.close()


def open_app(data: Path, url: str) -> Any:
    from storfa.app import Storfa
    from storfa.config import Settings

    return Storfa(Settings(data_dir=data, database_url=url))


def service_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORFA_")}
    # One parser process: the ingest worker shares 2 cores with 2 web workers.
    return {**env, "STORFA_DATABASE_URL": url, "STORFA_WORKERS": "1"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2, help="web workers")
    ap.add_argument("--reviews", type=int, default=20, help="generated reviews stored first")
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--uploads-per-minute", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=60.0, help="seconds left out of growth")
    ap.add_argument("--only", action="append", choices=list(WEIGHTS), default=[],
                    help="users make only this kind of request (repeatable); to find which "
                         "kind a latency or memory figure comes from")
    ap.add_argument("--postgres", help="use a fresh schema on this server instead of a "
                                       "private cluster")
    ap.add_argument("--fresh", type=float, default=0.0, metavar="SECONDS",
                    help="afterwards, restart the service on the store the run left and "
                         "load it this long (no uploads): what new workers hold on that "
                         "store, to tell growth with the store from growth with time")
    args = ap.parse_args()
    seconds = args.minutes * 60
    uploads = int(args.minutes * args.uploads_per_minute) + 2
    data = OUT / "data-load-service"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    with database(args.postgres) as (url, _cluster):
        env = service_env(url)
        fx = prepare(data, env, args.reviews, args.pages, uploads)
        service = Service(data, env, args.workers)
        service.start()
        try:
            print(f"{args.users} users for {args.minutes:g} min, {args.workers} web workers + "
                  f"1 ingest worker, PostgreSQL; {len(fx.reviews)} reviews, "
                  f"{len(fx.extracts)} suggestions, {len(fx.recommendations)} recommendations, "
                  f"{args.uploads_per_minute:g} uploads/min; {os.cpu_count()} cores")
            load = Load(service.base, fx, args.users, args.uploads_per_minute,
                        only=args.only)
            asyncio.run(load.run(seconds, service))
            print("\n".join(latency_table(load.samples)))
            print("\n".join(memory_report(load.memory, min(args.warmup, seconds / 4))))
            problems = verify(open_app(data, url), data, env, load.acks)
            if args.fresh:
                fresh_workers(service, fx, args.users, args.fresh, load.memory)
        finally:
            code = service.stop()
        print(f"storfa serve stopped with SIGTERM: exit {code}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
