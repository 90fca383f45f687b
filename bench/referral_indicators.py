"""Referral indicators at scale, and concurrent submitters, on PostgreSQL.

Generates referral-level records of a stated size (local authorities ×
years × referrals a year, with about one child in five referred again) with
the sample generator, checks every row with the real import checks, and
bulk-loads them with COPY (the import's own row-by-row insert would take
hours at millions). Then times, p50/p95 over --runs:

- the full-year indicator table by local authority (and by region), as
  ReferralService.indicators computes it: counted in SQL, suppressed in
  indicators.py;
- one area's indicator page as the page computes it, through the services
  the page calls (indicators for the year, and the four-year trend for the
  area: GET /indicators?period=Y&area=A);
- --submitters threads each referring --each concerns at once through
  ReferralService.refer: submissions/s, p50/p95, failures, and whether every
  reference is unique.

    createdb -h 127.0.0.1 -U postgres test   # once; the bench uses a fresh schema
    .venv/bin/python bench/referral_indicators.py --records 3300000

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
CHUNK = 50_000  # CSV lines checked and copied at a time: memory stays flat
REFERRAL_COLUMNS = ("id", "reference", "status", "origin", "import_batch", "external_id",
                    "receiving_org_id", "local_authority", "source", "subject_type",
                    "child_key", "household_key", "categories", "natures", "received_on",
                    "created_at", "updated_at")
EVENT_COLUMNS = ("referral_id", "kind", "on_date", "within_timescale", "actor", "at")


def generate(path: Path, areas: list[str], years: list[int], per_year: int, seed: int) -> int:
    with path.open("w", newline="") as fh:
        return write_sample(fh, areas, years, per_year, seed)


def bulk_load(url: str, path: Path, areas: set[str], org_id: int) -> int:
    """Every row through the import's checks and database_rows, then COPY.
    Ids are given here (one transaction, nothing else writing) and the
    identity sequences moved past them afterwards."""
    import psycopg

    from storfa.domain.referral_numbers import new_reference
    from storfa.referrals import importer

    batch = importer.new_batch()
    today = dt.date.today()
    seen: set[str] = set()
    loaded = 0
    with path.open("rb") as fh, psycopg.connect(url) as conn:
        header = fh.readline()
        next_id = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM referrals")
                      .fetchone()[0]) + 1  # type: ignore[index]
        while True:
            lines = [line for _, line in zip(range(CHUNK), fh, strict=False)]
            if not lines:
                break
            checked, problems = importer.check_file(header + b"".join(lines), path.name,
                                                    areas, today)
            if problems:
                raise SystemExit(f"generated rows failed the import checks: {problems[:3]}")
            referrals, events = [], []
            for cols, evs in importer.database_rows(checked, org_id, batch, "bench"):
                reference = new_reference()
                while reference in seen:  # unique in the load as the store would make it
                    reference = new_reference()
                seen.add(reference)
                row = {**cols, "id": next_id, "reference": reference}
                referrals.append(tuple(row.get(c) for c in REFERRAL_COLUMNS))
                events += [(next_id, e.kind, e.on_date, None if e.within_timescale is None
                            else int(e.within_timescale), e.actor, e.at) for e in evs]
                next_id += 1
            with conn.cursor() as cur:
                for table, columns, rows in (("referrals", REFERRAL_COLUMNS, referrals),
                                             ("referral_events", EVENT_COLUMNS, events)):
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for r in rows:
                            copy.write_row(r)
            loaded += len(referrals)
            print(f"  loaded {loaded}", file=sys.stderr)
        # What the store's own writes do (storage/sql/referrals.py, _touch).
        conn.execute("INSERT INTO referral_changes (month, version) SELECT DISTINCT "
                     "substr(received_on, 1, 7), 1 FROM referrals ON CONFLICT (month) "
                     "DO UPDATE SET version = referral_changes.version + 1")
        for table in ("referrals", "referral_events"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT MAX(id) FROM {table}))")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE referrals")
        conn.execute("VACUUM ANALYZE referral_events")
    return loaded


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
    from storfa.domain.referrals import ReferralForm
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
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--records", type=int, default=3_300_000,
                        help="records in all, spread evenly over areas and years")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--submitters", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    parser.add_argument("--schema", default="",
                        help="time a schema kept by an earlier --keep run instead of loading")
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    args = parser.parse_args()

    import psycopg

    from storfa.accounts.service import Actor
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.referrals.service import Caller
    from storfa.storage.sql.referrals import forget_held_counts

    schema = args.schema or f"bench_{uuid.uuid4().hex[:10]}"
    if not args.schema:
        with psycopg.connect(args.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{args.url}{'&' if '?' in args.url else '?'}options=-csearch_path%3D{schema}"
    report: dict[str, Any] = {"schema": schema}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            storfa = Storfa(Settings.from_env(data_dir=Path(tmp), database_url=url, workers=1))
            service = storfa.referrals
            operator = Caller("bench", operator=True)
            areas = service.areas()[:args.las]
            last = dt.date.today().year - 1
            years = list(range(last - args.years + 1, last + 1))
            per_year = max(1, args.records // (len(areas) * len(years)))
            if not args.schema:
                hub = storfa.accounts.add_organisation("Bench Hub", None, Actor(None, "bench"))
                service.set_receiver(operator, "Cardiff", "Bench Hub")
                path = Path(tmp) / "referrals.csv"
                started = time.perf_counter()
                rows = generate(path, areas, years, per_year, seed=18)
                report["size"] = {"local_authorities": len(areas), "years": years,
                                  "per_year_per_la": per_year, "records": rows,
                                  "file_mb": round(path.stat().st_size / 1e6, 1),
                                  "generate_s": round(time.perf_counter() - started, 1)}
                print(json.dumps(report["size"]), file=sys.stderr)
                started = time.perf_counter()
                loaded = bulk_load(url, path, set(service.areas()), hub.id)
                path.unlink()
                report["load"] = {"loaded": loaded,
                                  "seconds": round(time.perf_counter() - started, 1)}
                print(json.dumps(report["load"]), file=sys.stderr)
            with storfa.store.db.read() as db:
                row = db.one("SELECT COUNT(*) AS n FROM referrals")
            report["records_in_store"] = int(row["n"]) if row else 0

            year, area = str(last), "Cardiff"
            def cold(level: str) -> Any:  # counted by the database every time
                forget_held_counts()
                return service.indicators(operator, year, level)

            for level in ("local_authority", "region"):
                samples, table = timed(lambda lv=level: cold(lv), args.runs)
                report[f"full_year_table_{level}"] = {
                    "period": year, "areas": len(table.areas), **ms(samples)}
                print(level, report[f"full_year_table_{level}"], file=sys.stderr)

            def page() -> None:  # what GET /indicators?period=Y&area=A asks the services
                service.indicators(operator, year, "local_authority")
                service.trend(operator, year, 4, "local_authority", area)

            forget_held_counts()
            samples, _ = timed(page, args.runs + 1)
            report["area_page_via_services"] = {
                "period": year, "area": area, "first_cold_ms": round(samples[0] * 1000, 1),
                "then": ms(samples[1:])}
            print("page", report["area_page_via_services"], file=sys.stderr)
            report["peak_rss_mb"] = round(peak_rss_mb(), 0)
            report["submit"] = submitters(storfa, service, args.submitters, args.each)
            print("submit", report["submit"], file=sys.stderr)
            report["peak_rss_mb"] = round(peak_rss_mb(), 0)
            storfa.close()
    finally:
        if not args.keep:
            with psycopg.connect(args.url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / "referral_indicators.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
