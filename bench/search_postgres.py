"""Tantivy vs PostgreSQL full-text search on one PostgreSQL database: latency per
query kind (the queries of bench/search_latency.py) and throughput with
concurrent clients, end to end through SearchService (hydration and snippets
included, identical for both engines), plus a check that both find the same
number of passages for every query.

Prepare a corpus in PostgreSQL once (the Tantivy index goes in --data):

    createdb -h 127.0.0.1 -U postgres storfa_bench_fts
    .venv/bin/storfa generate bench/out/corpus-pgfts-300x40 --count 300 --seed 7 \\
        --formats pdf --pages 40
    STORFA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/storfa_bench_fts \\
        .venv/bin/storfa --data bench/out/data-pgfts-300x40 ingest bench/out/corpus-pgfts-300x40
    .venv/bin/python bench/search_postgres.py
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, summary_ms
from search_latency import QUERIES
from storfa.app import Storfa
from storfa.config import Settings
from storfa.search.query import parse_query

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/storfa_bench_fts"


def latency(app: Storfa, repeat: int) -> dict[str, list[float]]:
    for query in (q for qs in QUERIES.values() for q in qs):  # warm caches once
        app.search.search(query, limit=10)
    samples: dict[str, list[float]] = {}
    for kind, queries in QUERIES.items():
        for _ in range(repeat):
            for query in queries:
                t = time.perf_counter()
                app.search.search(query, limit=10)
                samples.setdefault(kind, []).append(time.perf_counter() - t)
    return samples


def throughput(app: Storfa, clients: int, seconds: float) -> tuple[float, float]:
    """(queries per second, p95 seconds) with `clients` threads, each cycling the queries."""
    queries = [q for qs in QUERIES.values() for q in qs]
    done: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        i = k
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            app.search.search(queries[i % len(queries)], limit=10)
            mine.append(time.perf_counter() - t)
            i += 1
        with lock:
            done.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(done)
    return len(done) / elapsed, ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument("--data", type=Path, default=OUT / "data-pgfts-300x40")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    apps = {name: Storfa(Settings(data_dir=args.data, database_url=args.url, search_engine=name))
            for name in ("tantivy", "postgres")}
    store = apps["tantivy"].store
    print(f"corpus: {len(store.list_reviews())} reviews, "
          f"{sum(store.passage_counts().values())} passages in PostgreSQL ({args.url})")
    for name, app in apps.items():
        t = time.perf_counter()
        n = app.index.sync(app.store)
        print(f"{name}: sync {time.perf_counter() - t:.1f} s ({n} reviews brought up to date)")

    print("\nhits per query (total matching passages), Tantivy vs PostgreSQL FTS:")
    differ = 0
    for query in (q for qs in QUERIES.values() for q in qs):
        parsed = parse_query(query)
        a = apps["tantivy"].index.search(parsed, 1)[0]
        b = apps["postgres"].index.search(parsed, 1)[0]
        differ += a != b
        print(f"  {query!r:45} {a:>8} {b:>8}{'' if a == b else '  DIFFERENT'}")
    print(f"  {differ} queries differ")

    print(f"\nlatency, one client, limit 10, {args.repeat} rounds (end to end via SearchService):")
    results = {name: latency(app, args.repeat) for name, app in apps.items()}
    for kind in QUERIES:
        for name in apps:
            print(f"{kind:>20} {name:>8}: {summary_ms(results[name][kind])}")

    print(f"\nthroughput, {args.clients} concurrent clients (threads), {args.seconds:.0f} s each:")
    for name, app in apps.items():
        qps, p95 = throughput(app, args.clients, args.seconds)
        print(f"{name:>8}: {qps:7.1f} queries/s   p95 {p95 * 1000:7.1f} ms")
    for app in apps.values():
        app.close()


if __name__ == "__main__":
    main()
