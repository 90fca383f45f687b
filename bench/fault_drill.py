"""Faults during load: the service of bench/load_service.py under its users
while, one after another, PostgreSQL is stopped and started again, a web
worker is killed with SIGKILL, the ingest worker is killed with SIGKILL
in the middle of a file, and the data directory's file system is filled.

    .venv/bin/python bench/fault_drill.py [--users 50] [--workers 2] [--hold 10]
        [--settle 40] [--faults postgres,web,ingest,disk] [--disk-mb 512]

PostgreSQL is a private cluster (initdb in a temporary folder, its own port),
so restarting it disturbs no other database on the machine. The data
directory is a tmpfs of --disk-mb mounted for the drill (root only; without
it the disk fault is skipped with a message) and unmounted at the end.

For each fault the drill prints how long it was held, the status codes
clients got from its start until the service answered normally again, how
many 503s carried Retry-After, and the recovery time: from the end of the
fault (PostgreSQL back, the worker killed, space freed) to the last failed
request. Then, with the load stopped and the queue drained, the check of
bench/load_service.py: every acknowledged upload ingested exactly once
(including the file whose ingest was killed), every acknowledged decision
and register update recorded, `storfa check` clean, and /readyz ready.
Exit status 1 if any of that fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus
from load_service import (
    EXPECTED,
    Load,
    PrivatePostgres,
    Sample,
    Service,
    latency_table,
    new_reviews,
    open_app,
    prepare,
    service_env,
    verify,
)

FAULTS = ("postgres", "web", "ingest", "disk")


@dataclass
class Fault:
    name: str
    start: float = 0.0
    end: float = 0.0  # the fault is over: PostgreSQL back, worker killed, space freed
    note: str = ""


class Drill:
    def __init__(self, load: Load, service: Service, cluster: PrivatePostgres,
                 data: Path, disk: bool, hold: float, settle: float, faults: list[str]) -> None:
        self.load, self.service, self.cluster, self.data = load, service, cluster, data
        self.mounted, self.hold, self.settle, self.names = disk, hold, settle, faults
        self.done: list[Fault] = []
        # A long PDF (generated before the load starts), so the ingest worker
        # is surely mid-file when it is killed; of a review not stored, since a
        # new version of a published review closes it until its disclosure
        # findings are decided, and the users would meet 404s.
        stored = {key for key, _ in load.fx.reviews}
        self.big = next(found[0] for seed in range(23, 60)
                        if (found := new_reviews(corpus(1, 150, seed=seed, formats=("pdf",)),
                                                  stored, 1)))

    async def run(self) -> None:
        await asyncio.sleep(self.settle)  # a baseline before the first fault
        for name in self.names:
            fault = Fault(name, start=self.load.now())
            await getattr(self, name)(fault)
            if not fault.end:
                fault.end = self.load.now()
            self.done.append(fault)
            await asyncio.sleep(self.settle)

    async def postgres(self, fault: Fault) -> None:
        await asyncio.to_thread(self.cluster.stop, "fast")
        await asyncio.sleep(self.hold)
        await asyncio.to_thread(self.cluster.start)
        fault.note = f"stopped (fast) for {self.hold:g} s, then started"

    async def web(self, fault: Fault) -> None:
        victim = self.service.role_pids("web")[0]
        os.kill(victim, signal.SIGKILL)
        fault.end = self.load.now()
        back = await self._restarted("web", victim)
        fault.note = f"web worker {victim} killed; a new one started after {back:.1f} s"

    async def ingest(self, fault: Fault) -> None:
        auth = {"Authorization": f"Bearer {self.load.fx.token}"}
        async with httpx.AsyncClient(base_url=self.load.base, timeout=60) as client:
            job = await self.load.upload(client, auth, self.big)
            if job is None:
                fault.note = "the large upload was not accepted; nothing to kill mid-file"
                return
            for _ in range(600):
                status = (await client.get(f"/api/v1/jobs/{job}", headers=auth)).json()
                if status["status"] == "running":
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # parsing by now
            fault.start = self.load.now()
            victim = self.service.role_pids("ingest")[0]
            os.killpg(victim, signal.SIGKILL)  # the worker and its parser processes
            fault.end = self.load.now()
            back = await self._restarted("ingest", victim)
            fault.note = (f"ingest worker {victim} killed during job {job} "
                          f"({status['status']}); a new one started after {back:.1f} s")

    async def disk(self, fault: Fault) -> None:
        if not self.mounted:
            fault.note = "SKIPPED: the data directory is not a tmpfs of the drill's own"
            return
        filler = self.data / "filler"
        await asyncio.to_thread(_fill, filler)
        auth = {"Authorization": f"Bearer {self.load.fx.token}"}
        async with httpx.AsyncClient(base_url=self.load.base, timeout=60) as client:
            for _ in range(3):  # uploads while full, beside the usual stream
                await self.load.upload(client, auth)
                await asyncio.sleep(self.hold / 3)
        filler.unlink()
        fault.note = f"file system full for {self.hold:g} s, then the filler removed"

    async def _restarted(self, role: str, old: int) -> float:
        started = time.monotonic()
        while time.monotonic() - started < 60:
            pids = self.service.role_pids(role)
            if pids and old not in pids:
                return time.monotonic() - started
            await asyncio.sleep(0.2)
        return float("nan")

    def report(self, samples: list[Sample]) -> list[str]:
        """Per fault: the requests that ended from its start until the next
        fault's (a request in flight when PostgreSQL stopped belongs to the
        fault, though it began before). Recovered: from then on every request
        begun succeeded."""
        lines = []
        for i, fault in enumerate(self.done):
            nxt = self.done[i + 1].start if i + 1 < len(self.done) else float("inf")
            window = [s for s in samples if fault.start <= s.at + s.seconds < nxt]
            bad = [s for s in window if s.status not in EXPECTED[s.kind]]
            recovered = max([fault.end, *(s.at for s in bad)])
            during = [s for s in window if s.at <= recovered]
            codes = Counter(s.status for s in during)
            with_retry = sum(s.status == 503 and s.retry_after for s in during)
            lines.append(f"{fault.name}: {fault.note}")
            if fault.note.startswith("SKIPPED"):
                continue
            lines.append(f"  requests ended from the fault's start to recovery: {len(during)}; "
                         f"status codes {dict(sorted(codes.items()))} (0 = no answer); "
                         f"503 with Retry-After {with_retry}/{codes[503]}; 500s {codes[500]}")
            lines.append(f"  failed {len(bad)} by kind {dict(Counter(s.kind for s in bad))}; "
                         f"every request begun {recovered - fault.end:.1f} s after the fault "
                         f"ended succeeded (the fault lasted {fault.end - fault.start:.1f} s)")
        return lines


def _dump(load: Load, drill: Drill) -> None:
    """Every sample and fault, for a closer look (bench/out/fault-drill.json)."""
    (OUT / "fault-drill.json").write_text(json.dumps({
        "faults": [{k: v for k, v in vars(f).items() if k != "samples"} for f in drill.done],
        "samples": [vars(s) for s in load.samples],
        "memory": load.memory}))


def _fill(filler: Path) -> None:
    """Write until the file system has no space left."""
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * (1 << 20))


@contextlib.contextmanager
def tmpfs(path: Path, megabytes: int) -> Iterator[bool]:
    """A tmpfs at `path` (True), or a plain folder when mounting is not allowed (False)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs",
                           str(path)], capture_output=True, text=True, check=False)
    if done.returncode:
        print(f"cannot mount a tmpfs ({done.stderr.strip() or 'not permitted'}): the disk "
              "fault is skipped", file=sys.stderr)
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", str(path)], check=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reviews", type=int, default=20)
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--uploads-per-minute", type=float, default=10.0)
    ap.add_argument("--hold", type=float, default=10.0,
                    help="seconds PostgreSQL stays down and the disk full")
    ap.add_argument("--settle", type=float, default=40.0,
                    help="seconds of plain load before, between and after faults")
    ap.add_argument("--faults", default=",".join(FAULTS))
    ap.add_argument("--disk-mb", type=int, default=512)
    args = ap.parse_args()
    names = [f for f in args.faults.split(",") if f]
    if unknown := set(names) - set(FAULTS):
        ap.error(f"unknown faults {sorted(unknown)}; choose from {', '.join(FAULTS)}")
    seconds = args.settle * (len(names) + 1) + args.hold * len(names) + 30
    data = OUT / "data-fault-drill"
    cluster = PrivatePostgres()
    problems: list[str] = []
    try:
        with tmpfs(data, args.disk_mb) as mounted:
            env = service_env(cluster.url)
            fx = prepare(data, env, args.reviews, args.pages,
                         int(seconds / 60 * args.uploads_per_minute) + 10)
            service = Service(data, env, args.workers)
            service.start()
            try:
                print(f"{args.users} users, {args.workers} web workers + 1 ingest worker, "
                      f"private PostgreSQL; faults {', '.join(names)}; data directory on "
                      f"{'a ' + str(args.disk_mb) + ' MB tmpfs' if mounted else 'disk'}")
                load = Load(service.base, fx, args.users, args.uploads_per_minute)
                drill = Drill(load, service, cluster, data, bool(mounted), args.hold,
                              args.settle, names)
                asyncio.run(load.run(seconds, service, drill.run))
                print("\n".join(drill.report(load.samples)))
                _dump(load, drill)
                print("whole run:")
                print("\n".join(latency_table(load.samples)))
                ready = httpx.get(service.base + "/readyz", timeout=10)
                print(f"/readyz after the drill: {ready.status_code} {ready.json()}")
                if ready.status_code != 200:
                    problems.append(f"/readyz: {ready.json()}")
                problems += verify(open_app(data, cluster.url), data, env, load.acks)
            finally:
                code = service.stop()
                print(f"storfa serve stopped with SIGTERM: exit {code}")
    finally:
        cluster.close()
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
