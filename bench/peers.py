"""storfa side by side with the tools a user would pick instead, on the same
generated text PDFs, in one run; every figure is printed with its ratio to
the peer's, so that a noisy machine moves both sides of a ratio together.

    .venv/bin/python bench/peers.py [--reviews 150] [--pages 20] [--seconds 10]
                                    [--connections 20] [--workers 2] [--repeat 7]

1. ingest, pages/s, wall clock from a fresh process (no embeddings):
   `storfa ingest --no-embed` vs a plain pipeline (pypdfium2 text in 2
   processes + sqlite-utils insert and FTS5 index) vs pypdfium2 text alone
   (2 processes);
2. the keyword search API, sequential (1 connection) and at --connections
   clients, with wrk: `storfa serve` vs Datasette over the peer's FTS5 table
   (the same text, one row per page; --immutable, facet suggestions off);
3. a scan for a phrase: ripgrep over the extracted text vs `storfa search`;
4. CLI start: `storfa --help` vs `sqlite-utils --help`, and a keyword search
   end to end, `storfa search` vs `sqlite-utils search`.

Offline: the corpus is generated (bench/common.py), the peers are dev
dependencies (datasette, sqlite-utils; wrk and ripgrep from scripts/setup.sh
--dev)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, percentile
from web_load import LUA, free_port

BIN = Path(sys.executable).parent
# Commands run as a user's would: with bytecode caches (pip wrote the peers'
# at install; storfa's editable source gets them on the warm-up run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# The same query text for both servers: words, a phrase, AND, a prefix.
QUERIES = ["neglect", '"professional curiosity"', "health visitor", "escalat*",
           "school attendance", "police", '"was not brought"', "housing"]
PHRASE = "professional curiosity"
FTS_TABLE = "pages"


# ------------------------------------------------------------------ helpers
def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:5.2f}x" if theirs else "  n/a"


def quote(q: str) -> str:
    return urllib.parse.quote(q, safe="")


def timed(cmd: Sequence[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(list(cmd), text=True, capture_output=True, check=False, env=ENV,
                          **kwargs)  # type: ignore[call-overload]
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done


def repeated(cmd: Sequence[str], n: int) -> list[float]:
    timed(cmd)  # warm the page cache and any bytecode
    return [timed(cmd)[0] for _ in range(n)]


def spread(samples: Sequence[float], unit: float = 1.0) -> str:
    vals = [s * unit for s in samples]
    return f"median {statistics.median(vals):6.3f} (range {min(vals):.3f}-{max(vals):.3f})"


# ------------------------------------------------------------------ 1. ingest
def page_texts(path: str) -> list[str]:
    """pypdfium2's text of every page: the least a text pipeline must do."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def extract_all(files: Sequence[str], processes: int = 2) -> Iterator[tuple[str, list[str]]]:
    with ProcessPoolExecutor(processes) as pool:
        yield from zip(files, pool.map(page_texts, files, chunksize=4), strict=True)


def peer_pipeline(files: Sequence[str], db_path: Path, text_dir: Path | None) -> int:
    """pypdfium2 text (2 processes) -> sqlite-utils rows -> FTS5 (porter): a
    searchable store of pages in the fewest lines a user would write."""
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    table = db[FTS_TABLE]
    pages = 0

    def rows() -> Iterator[dict[str, object]]:
        nonlocal pages
        for path, texts in extract_all(files):
            if text_dir is not None:  # what ripgrep scans later
                (text_dir / f"{Path(path).stem}.txt").write_text("\f".join(texts))
            for number, text in enumerate(texts, 1):
                pages += 1
                yield {"file": Path(path).name, "page": number, "text": text}

    table.insert_all(rows(), batch_size=500)  # type: ignore[union-attr]
    table.enable_fts(["text"], tokenize="porter", create_triggers=False)  # type: ignore[union-attr]
    db.close()
    return pages


def child(argv: list[str]) -> None:
    """Entry for the peers run in a fresh process, timed like `storfa ingest`."""
    what, listing = argv[0], Path(argv[1])
    files = listing.read_text().split("\n")
    if what == "pdfium":
        pages = sum(len(texts) for _, texts in extract_all(files))
    else:
        pages = peer_pipeline(files, Path(argv[2]), Path(argv[3]))
    print(json.dumps({"pages": pages}))


@dataclass
class Ingest:
    storfa_s: float
    peer_s: float
    pdfium_s: float
    pages: int
    reviews: int


def ingest(files: list[str], work: Path) -> Ingest:
    listing = work / "files.txt"
    listing.write_text("\n".join(files))
    me = [sys.executable, __file__, "--child"]
    pdfium_s, done = timed([*me, "pdfium", str(listing)])
    pages = int(json.loads(done.stdout)["pages"])
    text_dir = work / "text"
    text_dir.mkdir()
    peer_s, _ = timed([*me, "pipeline", str(listing), str(work / "peer.db"), str(text_dir)])
    storfa_s, done = timed([str(BIN / "storfa"), "--data", str(work / "data"), "ingest",
                            "--no-embed", "--json", *files])
    results = json.loads(done.stdout)["results"]
    stored = sum(1 for r in results if r["status"] == "ingested")
    if stored != len(files):
        print(f"warning: storfa ingested {stored} of {len(files)} files", file=sys.stderr)
    return Ingest(storfa_s, peer_s, pdfium_s, pages, len(files))


# ------------------------------------------------------------------ 2. search API
@dataclass
class Load:
    rps: float
    p50: float
    p95: float
    errors: int

    def __str__(self) -> str:
        return f"{self.rps:7.1f} req/s  p50 {self.p50:6.2f} ms  p95 {self.p95:6.2f} ms"


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "token": ""})
        script = fh.name
    try:
        done = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections),
                               "-d", f"{seconds}s", "-s", script, base], check=True, text=True,
                              capture_output=True)
    finally:
        os.unlink(script)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    rps, p50, p95, _p99, _n, errors = line.split()[1:]
    return Load(float(rps), float(p50), float(p95), int(errors))


@contextmanager
def server(cmd: list[str], health: str) -> Iterator[None]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(health, timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"{cmd[0]} exited: {' '.join(cmd)}") from None
                time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def check_hits(url: str, key: str) -> int:
    body = json.loads(urllib.request.urlopen(url, timeout=30).read())
    return len(body[key]) if key else len(body)


def _fetch_ms(url: str, n: int) -> tuple[float, float]:
    """p50 and p95 of n sequential GETs, in ms."""
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        urllib.request.urlopen(url, timeout=30).read()
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 50), percentile(samples, 95)


def api_loads(work: Path, seconds: int, connections: int, workers: int) -> dict[str, Load]:
    loads: dict[str, Load] = {}
    ours = [f"/api/v1/search?q={quote(q)}&limit=10" for q in QUERIES]
    # Datasette's table search, raw FTS5 syntax (phrases, prefixes), 10 rows and
    # the total; facet suggestions off (on, they cost it ~6x per request).
    theirs = [f"/peer/{FTS_TABLE}.json?_search={quote(q)}&_searchmode=raw&_size=10"
              f"&_shape=objects" for q in QUERIES]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with server([str(BIN / "storfa"), "--data", str(work / "data"), "serve", "--port",
                 str(port), "--workers", str(workers), "--no-ingest-worker"],
                base + "/healthz"):
        found = [check_hits(base + p, "hits") for p in ours]  # also warms the readers
        print(f"  storfa hits per query: {found}")
        phrase = f"{base}/api/v1/search?q={quote(chr(34) + PHRASE + chr(34))}&limit=1000"
        loads["phrase"] = Load(0, *_fetch_ms(phrase, 20), 0)
        loads["storfa 1"] = wrk(base, ours, seconds, 1)
        loads["storfa N"] = wrk(base, ours, seconds, connections)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with server([str(BIN / "datasette"), "serve", "--immutable", str(work / "peer.db"),
                 "--port", str(port), "--setting", "suggest_facets", "off"],
                base + "/-/versions.json"):
        found = [check_hits(base + p, "rows") for p in theirs]
        print(f"  datasette rows per query: {found}")
        loads["datasette 1"] = wrk(base, theirs, seconds, 1)
        loads["datasette N"] = wrk(base, theirs, seconds, connections)
    return loads


# ------------------------------------------------------------------ 3-4. scan, CLI
def scan(work: Path, n: int) -> tuple[list[float], list[float], int, int]:
    rg = shutil.which("rg")
    if rg is None:
        raise SystemExit("ripgrep (rg) is not installed: run scripts/setup.sh --dev")
    rg_cmd = [rg, "-i", "-F", "-l", PHRASE, str(work / "text")]
    ours = [str(BIN / "storfa"), "--data", str(work / "data"), "search", f'"{PHRASE}"',
            "--limit", "1000", "--json"]
    files = len(timed(rg_cmd)[1].stdout.split())
    reviews = len({h["review_id"] for h in json.loads(timed(ours)[1].stdout)["hits"]})
    return repeated(ours, n), repeated(rg_cmd, n), reviews, files


def cli_start(work: Path, n: int) -> dict[str, list[float]]:
    data = ["--data", str(work / "data")]
    return {
        "storfa --help": repeated([str(BIN / "storfa"), "--help"], n),
        "sqlite-utils --help": repeated([str(BIN / "sqlite-utils"), "--help"], n),
        "storfa search": repeated([str(BIN / "storfa"), *data, "search", "neglect",
                                   "--limit", "10"], n),
        "sqlite-utils search": repeated([str(BIN / "sqlite-utils"), "search",
                                         str(work / "peer.db"), FTS_TABLE, "neglect",
                                         "--limit", "10"], n),
    }


# ------------------------------------------------------------------ main
def section(title: str) -> None:
    print(f"\n{title}")


def report_ingest(r: Ingest) -> None:
    section(f"1. ingest ({r.reviews} text PDFs, {r.pages} pages; wall clock from a fresh "
            "process, no embeddings)")

    def rate(s: float) -> float:
        return r.pages / s

    print(f"  storfa ingest --no-embed          {rate(r.storfa_s):7.0f} pages/s  "
          f"({r.storfa_s:.1f} s)")
    print(f"  pypdfium2 + sqlite-utils FTS5     {rate(r.peer_s):7.0f} pages/s  "
          f"({r.peer_s:.1f} s)   storfa/peer {ratio(rate(r.storfa_s), rate(r.peer_s))}")
    print(f"  pypdfium2 text alone, 2 processes {rate(r.pdfium_s):7.0f} pages/s  "
          f"({r.pdfium_s:.1f} s)   storfa/pdfium {ratio(rate(r.storfa_s), rate(r.pdfium_s))}")


def report_api(loads: dict[str, Load], connections: int, workers: int) -> None:
    section(f"2. keyword search API (wrk, loopback, {len(QUERIES)} queries in turn; storfa "
            f"serve --workers {workers}; datasette serve --immutable, suggest_facets off, "
            "one process)")
    for n, label in (("1", "sequential   "), ("N", f"{connections} clients   ")):
        a, b = loads[f"storfa {n}"], loads[f"datasette {n}"]
        print(f"  {label} storfa    {a}")
        print(f"  {' ' * len(label)} datasette {b}")
        print(f"  {' ' * len(label)} storfa/datasette: req/s {ratio(a.rps, b.rps)}  "
              f"p50 {ratio(a.p50, b.p50)}  p95 {ratio(a.p95, b.p95)}"
              + (f"  (errors {a.errors}/{b.errors})" if a.errors or b.errors else ""))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=150)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2, help="storfa serve --workers")
    ap.add_argument("--repeat", type=int, default=7, help="runs per CLI timing")
    ap.add_argument("--ingest-only", action="store_true", help="stop after the ingest figures")
    args = ap.parse_args()
    for tool in ("wrk", "rg"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: run scripts/setup.sh --dev")
    source = corpus(args.reviews, args.pages)
    files = sorted(str(p) for p in source.iterdir() if p.suffix == ".pdf")
    work = OUT / f"peers-{args.reviews}x{args.pages}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"corpus: {len(files)} generated text PDFs (~{args.pages} pages each) in {source}; "
          f"{os.cpu_count()} cores")
    report_ingest(ingest(files, work))
    if args.ingest_only:
        return
    loads = api_loads(work, args.seconds, args.connections, args.workers)
    report_api(loads, args.connections, args.workers)
    ours, theirs, reviews, hit_files = scan(work, args.repeat)
    section(f'3. scan for the phrase "{PHRASE}" (end to end, seconds, {args.repeat} runs)')
    print(f"  storfa search CLI (all hits)       {spread(ours)}  reviews found {reviews}")
    print(f"  rg -i -F -l over extracted text    {spread(theirs)}  files found {hit_files}")
    print(f"  storfa/rg {ratio(statistics.median(ours), statistics.median(theirs))} "
          "(mostly storfa's process start; rg reads plain files and knows no stems)")
    phrase = loads["phrase"]
    api_vs_rg = ratio(phrase.p50 / 1000, statistics.median(theirs))
    print(f"  storfa search API, server warm (all hits): p50 {phrase.p50:.1f} ms, "
          f"p95 {phrase.p95:.1f} ms   API p50/rg {api_vs_rg}")
    starts = cli_start(work, args.repeat)
    section(f"4. CLI start (end to end, seconds, {args.repeat} runs)")
    for ours_name, theirs_name in (("storfa --help", "sqlite-utils --help"),
                                   ("storfa search", "sqlite-utils search")):
        a, b = starts[ours_name], starts[theirs_name]
        print(f"  {ours_name:<22} {spread(a)}")
        print(f"  {theirs_name:<22} {spread(b)}   storfa/peer "
              f"{ratio(statistics.median(a), statistics.median(b))}")


if __name__ == "__main__":
    main()
