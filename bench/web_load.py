"""Web and API throughput: requests/second and latency percentiles of the
search API and the search page with 20 concurrent clients (wrk, loopback),
and the memory of the server processes.

    .venv/bin/python bench/web_load.py [--reviews 2500] [--pages 12] [--workers 2]
                                       [--seconds 20] [--connections 20]

Builds (once) a generated corpus of --reviews reviews of about --pages pages,
ingests it (keyword only), starts `storfa serve` with --workers processes,
and runs wrk against 127.0.0.1 with a Lua script that rotates through real
queries and reports p50/p95/p99. Needs wrk (scripts/setup.sh --dev installs it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus

QUERIES = ["neglect", "%22professional+curiosity%22", "escalat*+NEAR%2F5+concerns",
           "health+visitor", "school+AND+attendance", "domestic+abuse+type%3ACPR",
           "mental+health+year%3A2015..2022", "%22was+not+brought%22", "police", "housing"]

LUA = """
local paths = {%(paths)s}
local i = 0
local token = "%(token)s"
request = function()
  i = i + 1
  local headers = {}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", paths[(i %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%.1f %%.2f %%.2f %%.2f %%d %%d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def storfa(data: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("storfa")
    return subprocess.run([str(exe), "--data", str(data), *args], check=True, text=True,
                          capture_output=True, **kwargs)  # type: ignore[call-overload]


def prepare(reviews: int, pages: int) -> Path:
    data = OUT / f"data-web-{reviews}x{pages}"
    if (data / "ready").exists():
        return data
    source = corpus(reviews, pages, formats=("pdf",))
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    documents = sorted(str(p) for p in source.iterdir() if p.suffix == ".pdf")
    exe = Path(sys.executable).with_name("storfa")
    subprocess.run([str(exe), "--data", str(data), "ingest", "--no-embed", *documents],
                   check=False, stdout=subprocess.DEVNULL)
    print(f"ingested {len(documents)} reviews in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    (data / "ready").touch()
    return data


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers)."""
    total = 0
    pids = [pid]
    for child in Path("/proc").iterdir():
        if child.name.isdigit():
            try:
                stat = (child / "stat").read_text().split()
            except OSError:
                continue
            if int(stat[3]) == pid:
                pids.append(int(child.name))
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def wrk(url: str, paths: list[str], token: str, seconds: int, connections: int) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % {"paths": ", ".join(f'"{p}"' for p in paths), "token": token})
        script = fh.name
    try:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
                              "-s", script, url], check=True, text=True, capture_output=True)
    finally:
        os.unlink(script)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT"))
    rps, p50, p95, p99, n, errors = line.split()[1:]
    return (f"{float(rps):8.1f} req/s  p50 {float(p50):6.1f} ms  p95 {float(p95):6.1f} ms  "
            f"p99 {float(p99):6.1f} ms  requests {n}  errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=2500)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run scripts/setup.sh --dev")
    data = prepare(args.reviews, args.pages)
    if not (data / "bench-token").exists():
        storfa(data, "users", "add", "bench", "--role", "reader", "--password",
               "bench-password-1")
        (data / "bench-token").write_text(
            storfa(data, "users", "token", "bench").stdout.strip().splitlines()[-1])
    token = (data / "bench-token").read_text().strip()
    port = free_port()
    exe = Path(sys.executable).with_name("storfa")
    server = subprocess.Popen([str(exe), "--data", str(data), "serve", "--port", str(port),
                              "--workers", str(args.workers), "--no-ingest-worker"],
                             stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        api = [f"/api/v1/search?q={q}&limit=10" for q in QUERIES]
        page = [f"/search?q={q}" for q in QUERIES]
        for path in api + page:  # warm caches and the index readers
            urllib.request.urlopen(base + path, timeout=30).read()
        print(f"corpus: {args.reviews} generated reviews × ~{args.pages} pages; "
              f"server: {args.workers} uvicorn workers; wrk: {args.connections} connections, "
              f"{args.seconds} s each")
        print(f"search API (token) : {wrk(base, api, token, args.seconds, args.connections)}")
        print(f"search API (anon)  : {wrk(base, api, '', args.seconds, args.connections)}")
        print(f"search page (anon) : {wrk(base, page, '', args.seconds, args.connections)}")
        print(f"server memory (RSS, all processes): {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
