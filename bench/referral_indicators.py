"""Referral indicators at scale, and concurrent submitters, on PostgreSQL.

Generates a referral-level CSV of a stated size (local authorities × years ×
referrals a year, with about one child in five referred again), imports it
through the real import (every row checked, one transaction), then times:

- the indicator table for one year by local authority and by region
  (p50/p95 over --runs), and a four-year trend for one area;
- peak memory (ru_maxrss of this process);
- --submitters threads each referring --each concerns at once through
  ReferralService.refer: submissions/s, p50/p95, failures, and whether every
  reference is unique.

    createdb -h 127.0.0.1 -U postgres test   # once; the bench uses a fresh schema
    .venv/bin/python bench/referral_indicators.py --las 22 --years 4 --per-year 3400

Results are printed and written to bench/out/referral_indicators.json."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from common import OUT, peak_rss_mb, percentile
from storfa.referrals.sample import write_sample

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
def generate(path: Path, areas: list[str], years: list[int], per_year: int, seed: int) -> int:
    with path.open("w", newline="") as fh:
        return write_sample(fh, areas, years, per_year, seed)


def timed(fn: Any, runs: int) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return samples, result


def ms(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile([s * 1000 for s in samples], 50), 1),
            "p95_ms": round(percentile([s * 1000 for s in samples], 95), 1)}


def submitters(storfa: Any, service: Any, threads: int, each: int) -> dict[str, Any]:
    from storfa.accounts.service import Actor
    from storfa.referrals.model import ReferralForm
    from storfa.referrals.service import Caller

    system = Actor(None, "bench")
    school = f"Bench School {uuid.uuid4().hex[:6]}"
    storfa.accounts.add_organisation(school, None, system)
    users = [storfa.accounts.add_user(f"bench{n}-{uuid.uuid4().hex[:6]}", "a long bench password",
                                      "reader", school, system) for n in range(threads)]
    latencies: list[float] = []
    failures: list[str] = []
    references: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(threads)

    def work(n: int) -> None:
        user = users[n]
        caller = Caller(user.actor, user)
        gate.wait()  # all start together: the point is contention
        for k in range(each):
            form = ReferralForm(
                local_authority="Cardiff", source="education", subject_name=f"Child {n}-{k}",
                household_address=f"{k} Bench Street", categories=("neglect",),
                observed="Bench.", actions_taken="Bench.")
            started = time.perf_counter()
            try:
                made = service.refer(caller, form)
            except Exception as exc:  # counted, not raised: a failure is a result here
                with lock:
                    failures.append(repr(exc)[:200])
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                references.append(made.reference)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - started
    return {"submitters": threads, "each": each, "submitted": len(references),
            "failures": len(failures), "first_failures": failures[:3],
            "per_second": round(len(references) / wall, 1), **ms(latencies),
            "all_references_unique": len(set(references)) == len(references)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL (a fresh schema is used)")
    parser.add_argument("--las", type=int, default=22)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--per-year", type=int, default=3400,
                        help="referrals a year in each local authority")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--submitters", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    args = parser.parse_args()

    import psycopg

    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.referrals.service import Caller, ReferralService

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{args.url}{'&' if '?' in args.url else '?'}options=-csearch_path%3D{schema}"
    report: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            storfa = Storfa(Settings.from_env(data_dir=Path(tmp), database_url=url, workers=1))
            service = ReferralService.of(storfa)
            operator = Caller("bench", operator=True)
            areas = service.areas()[:args.las]
            last = dt.date.today().year - 1
            years = list(range(last - args.years + 1, last + 1))
            from storfa.accounts.service import Actor

            storfa.accounts.add_organisation("Bench Hub", None, Actor(None, "bench"))
            service.set_receiver(operator, "Cardiff", "Bench Hub")

            path = Path(tmp) / "referrals.csv"
            started = time.perf_counter()
            rows = generate(path, areas, years, args.per_year, seed=18)
            report["size"] = {"local_authorities": len(areas), "years": years,
                              "per_year_per_la": args.per_year, "records": rows,
                              "file_mb": round(path.stat().st_size / 1e6, 1),
                              "generate_s": round(time.perf_counter() - started, 1)}
            print(json.dumps(report["size"]), file=sys.stderr)
            started = time.perf_counter()
            result = service.import_file(operator, path.read_bytes(), path.name,
                                         organisation="Bench Hub")
            report["import"] = {"imported": result.imported,
                                "seconds": round(time.perf_counter() - started, 1)}
            print(json.dumps(report["import"]), file=sys.stderr)

            year = str(last)
            for level in ("local_authority", "region"):
                samples, table = timed(lambda lv=level: service.indicators(operator, year, lv),
                                       args.runs)
                report[f"indicators_{level}"] = {
                    "period": year, "areas": len(table.areas), **ms(samples)}
                print(level, report[f"indicators_{level}"], file=sys.stderr)
            samples, _ = timed(lambda: service.trend(operator, year, 4, "local_authority",
                                                     "Cardiff"), max(1, args.runs // 2))
            report["trend_4_years"] = ms(samples)
            report["peak_rss_mb"] = round(peak_rss_mb(), 0)
            report["submit"] = submitters(storfa, service, args.submitters, args.each)
            report["peak_rss_mb"] = round(peak_rss_mb(), 0)
    finally:
        if not args.keep:
            with psycopg.connect(args.url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / "referral_indicators.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
