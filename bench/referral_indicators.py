"""Referral indicators at scale, and concurrent submitters, on PostgreSQL
(or SQLite with --sqlite).

Generates referral-level records of a stated size (local authorities ×
years × referrals a year, with about one child in five referred again) with
the sample generator, checks every row with the real import checks, and
bulk-loads them (PostgreSQL: COPY; SQLite: one transaction of inserts; the
import's own row-by-row insert would take hours at millions). The load goes
around the store's writes, so every row's derived facts (migration 0026) are
then derived with the store's own statement (SQLReferrals.derive_all), and
timed. Then times, p50/p95 over --runs, with the load average beside each
figure (the machine may be shared):

- the full-year indicator table by local authority (and by region), as
  ReferralService.indicators computes it: counted in SQL, suppressed in
  indicators.py; cold (the database counts every time) and warm (counts
  held in memory). Unless --no-compare, the counting before migration 0026
  (`old_counts`, kept here) runs in turn with the new on the same data, and
  the two tables must be equal;
- one area's indicator page as the page computes it, through the services
  the page calls (indicators for the year, and the four-year trend for the
  area: GET /indicators?period=Y&area=A): the first after a change (no
  counts held: every period counted), summed from the monthly counts
  (migration 0029) and, in turn with it, counted from the rows as before
  0029 (`count_rows`), with the tables of both compared; then the rest, warm;
- --submitters threads each referring --each concerns at once through
  ReferralService.refer: submissions/s, p50/p95, failures, and whether every
  reference is unique.

    createdb -h 127.0.0.1 -U postgres test   # once; the bench uses a fresh schema
    .venv/bin/python bench/referral_indicators.py --records 3300000
    .venv/bin/python bench/referral_indicators.py --records 550000 --sqlite

--keep keeps the PostgreSQL schema; --schema NAME times a kept one again
(opening it applies any pending migration, and says how long that took).
Results are printed and written to bench/out/referral_indicators.json
(referral_indicators_sqlite.json with --sqlite)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
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


def checked_chunks(path: Path, areas: set[str], org_id: int, next_id: int
                   ) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """The file's rows through the import's checks and database_rows, CHUNK
    at a time, as referral and event rows with ids given from `next_id`."""
    from storfa.domain.referral_numbers import new_reference
    from storfa.referrals import importer

    batch = importer.new_batch()
    today = dt.date.today()
    seen: set[str] = set()
    with path.open("rb") as fh:
        header = fh.readline()
        while True:
            lines = [line for _, line in zip(range(CHUNK), fh, strict=False)]
            if not lines:
                return
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
            yield referrals, events


# What the store's own writes do (storage/sql/referrals.py, _touch).
_CHANGES = ("INSERT INTO referral_changes (month, version) SELECT DISTINCT "
            "substr(received_on, 1, 7), 1 FROM referrals WHERE received_on IS NOT NULL "
            "ON CONFLICT (month) DO UPDATE SET version = referral_changes.version + 1")


def bulk_load(url: str, path: Path, areas: set[str], org_id: int) -> int:
    """PostgreSQL: checked rows (checked_chunks), then COPY. Ids are given
    here (one transaction, nothing else writing) and the identity sequences
    moved past them afterwards."""
    import psycopg

    loaded = 0
    with psycopg.connect(url) as conn:
        first = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM referrals")
                    .fetchone()[0]) + 1  # type: ignore[index]
        for referrals, events in checked_chunks(path, areas, org_id, first):
            with conn.cursor() as cur:
                for table, columns, rows in (("referrals", REFERRAL_COLUMNS, referrals),
                                             ("referral_events", EVENT_COLUMNS, events)):
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for r in rows:
                            copy.write_row(r)
            loaded += len(referrals)
            print(f"  loaded {loaded}", file=sys.stderr)
        conn.execute(_CHANGES)
        for table in ("referrals", "referral_events"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT MAX(id) FROM {table}))")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE referrals")
        conn.execute("VACUUM ANALYZE referral_events")
    return loaded


def bulk_load_sqlite(db: Any, path: Path, areas: set[str], org_id: int) -> int:
    """SQLite: checked rows (checked_chunks), inserted in one transaction."""
    loaded = 0
    with db.write() as conn:
        row = conn.one("SELECT COALESCE(MAX(id), 0) AS n FROM referrals")
        for referrals, events in checked_chunks(path, areas, org_id, int(row["n"]) + 1):
            for table, columns, rows in (("referrals", REFERRAL_COLUMNS, referrals),
                                         ("referral_events", EVENT_COLUMNS, events)):
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                 f"({', '.join('?' * len(columns))})", rows)
            loaded += len(referrals)
            print(f"  loaded {loaded}", file=sys.stderr)
        conn.execute(_CHANGES)
    return loaded

# The counting before migration 0026 (storage/sql/referrals.py at 5dafc35), kept
# here only to time old against new on the same data in the same run: it
# probes the child index once per referral for the repeat rule and aggregates
# the cohort's events, where the store now sums facts kept on each row.
_OLD_ONWARD = ("icpc", "registration", "care_support_plan", "looked_after")
_OLD_FLAGS = (("held", "strategy_held", False), ("held_in", "strategy_held", True),
              ("s47", "s47", False), ("done", "s47_completed", False),
              ("done_in", "s47_completed", True), *((k, k, False) for k in _OLD_ONWARD),
              ("step_down", "step_down", False))
_OLD_SUMS = ("strategy_held", "strategy_within", "s47", "s47_completed", "s47_within",
             *(f"s47_to_{k}" for k in _OLD_ONWARD), "step_down")
_OLD_DIALECT = {
    "postgresql": ("to_char(c.received_on::date - interval '12 months', 'YYYY-MM-DD')",
                   "(e.on_date || lpad(e.id::text, 20, '0') || e.kind) COLLATE \"C\""),
    "sqlite": ("CASE WHEN substr(c.received_on, 6, 5) = '02-29' "
               "THEN printf('%04d-02-28', substr(c.received_on, 1, 4) - 1) "
               "ELSE printf('%04d', substr(c.received_on, 1, 4) - 1) "
               "|| substr(c.received_on, 5) END",
               "e.on_date || printf('%020d', e.id) || e.kind"),
}


def old_counts(db: Any, received_from: str, received_to: str) -> dict[str, dict[str, int]]:
    """The old SQL counting (on PostgreSQL with JIT off, as it ran)."""
    from storfa.domain.referrals import DECISIONS

    floor, key = _OLD_DIALECT[db.dialect]

    decisions = ", ".join(f"'{k}'" for k in DECISIONS)
    flags = ", ".join(
        f"MAX(CASE WHEN e.kind = '{kind}'{' AND e.within_timescale = 1' if within else ''} "
        f"THEN 1 ELSE 0 END) AS {name}" for name, kind, within in _OLD_FLAGS)
    cohort = ("SELECT id, local_authority, source, child_key, received_on FROM referrals "
              "WHERE status <> 'draft' AND received_on >= ? AND received_on <= ?")
    sql = f"""
        WITH cohort AS ({cohort}),
        ev AS (
            SELECT e.referral_id, {flags},
                   MIN(CASE WHEN e.kind IN ({decisions}) THEN {key} END) AS first_decision
            FROM referral_events e JOIN cohort c ON c.id = e.referral_id
            GROUP BY e.referral_id)
        SELECT c.local_authority, c.source,
               CASE WHEN c.child_key IS NOT NULL AND EXISTS (
                   SELECT 1 FROM referrals p WHERE p.child_key = c.child_key
                   AND p.status <> 'draft' AND p.received_on < c.received_on
                   AND p.received_on >= {floor}) THEN 1 ELSE 0 END AS is_repeat,
               substr(ev.first_decision, 31) AS decision, COUNT(*) AS n,
               SUM(ev.held) AS strategy_held, SUM(ev.held * ev.held_in) AS strategy_within,
               SUM(ev.s47) AS s47, SUM(ev.s47 * ev.done) AS s47_completed,
               SUM(ev.s47 * ev.done * ev.done_in) AS s47_within,
               {", ".join(f"SUM(ev.s47 * ev.{k}) AS s47_to_{k}" for k in _OLD_ONWARD)},
               SUM(ev.step_down) AS step_down
        FROM cohort c LEFT JOIN ev ON ev.referral_id = c.id
        GROUP BY 1, 2, 3, 4"""
    lists = ("SELECT local_authority, categories, natures, COUNT(*) AS n FROM referrals "
             "WHERE status <> 'draft' AND received_on >= ? AND received_on <= ? "
             "GROUP BY local_authority, categories, natures")
    found: dict[str, dict[str, int]] = {}
    window = (received_from, received_to)
    with db.transaction() as conn:
        if db.dialect == "postgresql":
            conn.execute("SET LOCAL jit = off")
        for row in conn.execute(sql, window):
            counts = found.setdefault(row["local_authority"] or "", {})
            n = int(row["n"])
            tag = "repeat" if row["is_repeat"] else "new"
            for key, value in (("referrals", n), (tag, n),
                               (f"outcome_{tag}.{row['decision'] or 'awaiting'}", n),
                               (f"source.{row['source'] or ''}", n),
                               *((k, int(row[k] or 0)) for k in _OLD_SUMS)):
                counts[key] = counts.get(key, 0) + value
        for row in conn.execute(lists, window):
            counts = found.setdefault(row["local_authority"] or "", {})
            for kind, name in (("categories", "category"), ("natures", "nature")):
                for code in set(json.loads(row[kind])):
                    counts[f"{name}.{code}"] = counts.get(f"{name}.{code}", 0) + int(row["n"])
    return found


def timed(fn: Any, runs: int) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return samples, result


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages: the machine is shared."""
    return [round(x, 2) for x in os.getloadavg()]


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
    parser.add_argument("--sqlite", action="store_true",
                        help="SQLite in a temporary data directory instead of PostgreSQL")
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
    parser.add_argument("--no-compare", dest="compare", action="store_false",
                        help="do not time the counting before migration 0026 beside the new")
    args = parser.parse_args()

    import psycopg

    from storfa.accounts.service import Actor
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.domain.periods import parse_period
    from storfa.referrals.indicators import tabulate
    from storfa.referrals.service import Caller
    from storfa.storage.migrations.runner import load_migrations
    from storfa.storage.sql.referrals import forget_held_counts, month_counts_sql

    schema = "" if args.sqlite else args.schema or f"bench_{uuid.uuid4().hex[:10]}"
    url = f"{args.url}{'&' if '?' in args.url else '?'}options=-csearch_path%3D{schema}"
    report: dict[str, Any] = {"database": "sqlite" if args.sqlite else "postgresql",
                              "schema": schema}
    pending = ["all"]
    if args.schema and not args.sqlite:  # what opening it migrates (0026 back-fills)
        with psycopg.connect(url) as conn:
            done = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
        pending = [f"{m.version:04d}_{m.name}" for m in load_migrations("postgresql")
                   if m.version not in done]
    elif not args.sqlite:
        with psycopg.connect(args.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            load_before = loadavg()
            started = time.perf_counter()
            storfa = Storfa(Settings.from_env(data_dir=Path(tmp), workers=1,
                                              database_url=None if args.sqlite else url))
            storfa.store  # noqa: B018 (opening it migrates)
            report["open"] = {"migrated": pending, "load_average": load_before,
                              "seconds": round(time.perf_counter() - started, 1)}
            print("open", report["open"], file=sys.stderr)
            db = storfa.store.db
            service = storfa.referrals
            operator = Caller("bench", operator=True)
            areas = service.areas()[:args.las]
            last = dt.date.today().year - 1
            years = list(range(last - args.years + 1, last + 1))
            per_year = max(1, args.records // (len(areas) * len(years)))
            if args.sqlite or not args.schema:
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
                if args.sqlite:
                    loaded = bulk_load_sqlite(db, path, set(service.areas()), hub.id)
                else:
                    loaded = bulk_load(url, path, set(service.areas()), hub.id)
                path.unlink()
                report["load"] = {"loaded": loaded,
                                  "seconds": round(time.perf_counter() - started, 1)}
                print(json.dumps(report["load"]), file=sys.stderr)
                # The load went around the store's writes: derive every row's
                # facts as migration 0026 does, with the store's own statement.
                load_before = loadavg()
                started = time.perf_counter()
                derived = service.sql.derive_all()
                if not args.sqlite:
                    with psycopg.connect(url, autocommit=True) as conn:
                        conn.execute("VACUUM ANALYZE referrals")
                report["derive_all"] = {"rows": derived, "load_average": load_before,
                                        "seconds": round(time.perf_counter() - started, 1)}
                print("derive_all", report["derive_all"], file=sys.stderr)
            with db.read() as reading:
                row = reading.one("SELECT COUNT(*) AS n FROM referrals")
            report["records_in_store"] = int(row["n"]) if row else 0
            # What migration 0029's back-fill does, in one statement: count
            # every month afresh from the rows.
            load_before = loadavg()
            started = time.perf_counter()
            with db.write() as conn:
                conn.execute("DELETE FROM referral_month_counts")
                conn.execute(month_counts_sql(db.dialect, "1 = 1"))
                row = conn.one("SELECT COUNT(*) AS n FROM referral_month_counts")
            report["month_counts_rebuild"] = {
                "rows": int(row["n"]) if row else 0, "load_average": load_before,
                "seconds": round(time.perf_counter() - started, 1)}
            print("month counts", report["month_counts_rebuild"], file=sys.stderr)

            year, area = str(last), "Cardiff"
            start, end = f"{year}-01-01", f"{year}-12-31"

            def cold(level: str) -> Any:  # counted by the database every time
                forget_held_counts()
                return service.indicators(operator, year, level)

            def old(level: str) -> Any:  # the counting before 0026, tabulated the same
                return tabulate(old_counts(db, start, end), parse_period(year), level,
                                service.population, service.threshold)

            for level in ("local_authority", "region"):
                # New and old alternate, so both meet the same load.
                new_s: list[float] = []
                old_s: list[float] = []
                same, load_before = True, loadavg()
                for _ in range(args.runs):
                    samples, table = timed(lambda lv=level: cold(lv), 1)
                    new_s += samples
                    if args.compare:
                        samples, was = timed(lambda lv=level: old(lv), 1)
                        old_s += samples
                        same = same and was.as_json() == table.as_json()
                warm, _ = timed(lambda lv=level: service.indicators(operator, year, lv),
                                args.runs)
                figures: dict[str, Any] = {
                    "period": year, "areas": len(table.areas), "cold": ms(new_s),
                    "cold_first_ms": round(new_s[0] * 1000, 1),
                    "warm_counts_held": ms(warm), "load_average": [load_before, loadavg()]}
                if args.compare:
                    figures["old_cold"] = ms(old_s)
                    figures["old_equals_new"] = same
                report[f"full_year_table_{level}"] = figures
                print(level, figures, file=sys.stderr)

            def page() -> None:  # what GET /indicators?period=Y&area=A asks the services
                service.indicators(operator, year, "local_authority")
                service.trend(operator, year, 4, "local_authority", area)

            def first_page(by_rows: bool) -> tuple[float, Any]:
                """The page with no counts held, as after a change to every
                period it shows; by_rows: counted from the rows (before 0029)."""
                forget_held_counts()
                if by_rows:
                    service.sql.count = service.sql.count_rows
                try:
                    started = time.perf_counter()
                    tables = (service.indicators(operator, year, "local_authority"),
                              service.trend(operator, year, 4, "local_authority", area))
                    return time.perf_counter() - started, (tables[0].as_json(),
                                                           tables[1].as_json())
                finally:
                    vars(service.sql).pop("count", None)

            months_s: list[float] = []
            rows_s: list[float] = []
            same, load_before = True, loadavg()
            for _ in range(args.runs):  # in turn, so both meet the same load
                seconds, by_months = first_page(False)
                months_s.append(seconds)
                seconds, by_rows = first_page(True)
                rows_s.append(seconds)
                same = same and by_months == by_rows
            forget_held_counts()
            samples, _ = timed(page, args.runs + 1)
            report["area_page_via_services"] = {
                "period": year, "area": area,
                "first_after_change_from_months": ms(months_s),
                "first_after_change_from_rows": ms(rows_s), "months_equal_rows": same,
                "first_cold_ms": round(samples[0] * 1000, 1),
                "then": ms(samples[1:]), "load_average": [load_before, loadavg()]}
            print("page", report["area_page_via_services"], file=sys.stderr)
            report["peak_rss_mb"] = round(peak_rss_mb(), 0)
            load_before = loadavg()
            report["submit"] = submitters(storfa, service, args.submitters, args.each)
            report["submit"]["load_average"] = [load_before, loadavg()]
            print("submit", report["submit"], file=sys.stderr)
            report["peak_rss_mb"] = round(peak_rss_mb(), 0)
            storfa.close()
    finally:
        if not args.keep and not args.sqlite:
            with psycopg.connect(args.url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    name = "referral_indicators_sqlite.json" if args.sqlite else "referral_indicators.json"
    (OUT / name).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
