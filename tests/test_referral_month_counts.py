"""The monthly counts (migration 0029, referral_month_counts) on both
backends: the indicators summed from months equal the row counting
(`count_rows`) on the thirty hand-worked records and on records Hypothesis
makes, after every kind of write (imports in any order, decisions and steps,
submissions, expiry); the table equals a fresh count of the rows, and what
the migration's batched back-fill counts; and an upgrade interrupted in the
middle of the back-fills of 0026 and 0029 carries on where it stopped and
ends where an uninterrupted one does."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_example import csv_rows
from referralworld import HUB, People, a_form, add_people, store_before
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.periods import parse_period
from storfa.domain.referrals import CATEGORIES, DECISIONS, NATURES, SOURCES
from storfa.referrals.indicators import repeat_ids, tabulate
from storfa.referrals.service import Caller
from storfa.storage.migrations import runner
from storfa.storage.migrations.runner import Migration, apply_migrations, load_migrations
from storfa.storage.sql.referrals import MONTH_KEY, measures, month_counts_sql
from storfa.storage.transfer import open_database
from test_referral_import import to_csv

OPERATOR = Caller("cli:test", operator=True)
TODAY = dt.date(2026, 3, 10)
PERIODS = ["2024", "2025", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2024-25", "2026"]


@pytest.fixture
def people(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> People:
    return add_people(storfa, monkeypatch)


def kept_rows(people: People) -> set[tuple[Any, ...]]:
    """referral_month_counts as stored, without the groups of zeros the
    writes leave behind."""
    columns = [*MONTH_KEY, *(c for c, _, _ in measures(people.storfa.store.db.dialect))]
    with people.storfa.store.db.read() as conn:
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM referral_month_counts")
        return {tuple(r[c] if c in ("month", "local_authority", "first_decision")
                      else int(r[c]) for c in columns) for r in rows if r["n"]}


def recounted(people: People, statement: str, ranges: list[tuple[int, int]]
              ) -> set[tuple[Any, ...]]:
    """The table counted afresh from the rows by `statement` (with each of
    `ranges` as its parameters, if any)."""
    with people.storfa.store.db.write() as conn:
        conn.execute("DELETE FROM referral_month_counts")
        for bounds in ranges or [()]:  # type: ignore[list-item]
            conn.execute(statement, bounds)
    return kept_rows(people)


def assert_months_equal_rows(people: People, periods: list[str] = PERIODS) -> None:
    sql, population = people.service.sql, people.service.population
    for name in periods:
        period = parse_period(name)
        window = (period.start.isoformat(), period.end.isoformat())
        by_rows = sql.count_rows(*window)  # type: ignore[attr-defined]
        by_months = sql.count_months(*window)  # type: ignore[attr-defined]
        assert by_months == by_rows, name
        for level in ("local_authority", "region", "all"):
            for threshold in (1, 5):
                assert (tabulate(by_months, period, level, population, threshold).as_json()
                        == tabulate(by_rows, period, level, population, threshold).as_json())
    dialect = people.storfa.store.db.dialect
    assert kept_rows(people) == recounted(people, month_counts_sql(dialect, "1 = 1"), [])


def test_the_hand_worked_example_summed_from_months(people: People) -> None:
    s, hub = people.service, people.caller("hub_manager")
    rows = csv_rows()
    # In two files, the later half first: repeats change as the earlier arrive.
    s.import_file(OPERATOR, to_csv(rows[15:]), "b.csv", organisation=HUB, today=TODAY)
    assert_months_equal_rows(people)
    s.import_file(OPERATOR, to_csv(rows[:15]), "a.csv", organisation=HUB, today=TODAY)
    assert_months_equal_rows(people)
    table = s.indicators(OPERATOR, "2025", "local_authority", threshold=1)
    cardiff = {f.key: f.number for f in next(a for a in table.areas
                                             if a.area == "Cardiff").figures}
    # The hand-worked figures (tests/test_referral_indicators.py), now from months.
    assert (cardiff["referrals"], cardiff["repeat"], cardiff["new"]) == (20, 4, 16)
    assert cardiff["outcome_new.nfa"] == 6
    # Form referrals, a decision dated before an earlier-recorded one, a
    # draft sent later (a repeat of the first), and a step.
    made = s.refer(people.caller("teacher"), a_form(), dt.date(2025, 6, 2))
    s.record(hub, made.reference or "", "s47", "2025-06-05", today=TODAY)
    s.record(hub, made.reference or "", "nfa", "2025-06-03", today=TODAY)
    s.record(hub, made.reference or "", "strategy_held", "2025-06-06", True, today=TODAY)
    draft = s.save_draft(people.caller("teacher"), a_form())
    assert_months_equal_rows(people)
    s.submit(people.caller("teacher"), draft.reference or draft.id, dt.date(2025, 7, 1))
    assert_months_equal_rows(people)
    # An expiry takes referrals out, and with them repeat flags they gave.
    with people.storfa.store.db.write() as conn:
        conn.execute("UPDATE referrals SET updated_at = ? WHERE received_on < ?",
                     ("2015-01-01T00:00:00+00:00", "2025-03-01"))
    s.retention_days = 365
    assert s.expire(OPERATOR, TODAY)
    assert_months_equal_rows(people)


def test_the_service_counts_whole_months_from_the_monthly_counts(
        people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    """Periods are whole months, so the page never scans the rows; any other
    window is counted from the rows."""
    sql = people.service.sql
    people.service.import_file(OPERATOR, to_csv(csv_rows()), "a.csv", organisation=HUB,
                               today=TODAY)
    used: list[str] = []
    for name in ("count_rows", "count_months"):
        original = getattr(sql, name)
        monkeypatch.setattr(sql, name, lambda *a, n=name, f=original: used.append(n) or f(*a))
    people.service.trend(OPERATOR, "2025", 4, "region")
    assert used == ["count_months"] * 4
    sql.indicator_counts("2025-01-15", "2025-02-28")  # type: ignore[attr-defined]
    assert used[-1] == "count_rows"


def test_the_migrations_batched_back_fill_counts_what_the_writes_kept(
        people: People) -> None:
    people.service.import_file(OPERATOR, to_csv(csv_rows()), "a.csv", organisation=HUB,
                               today=TODAY)
    kept = kept_rows(people)
    migration = next(m for m in load_migrations(people.storfa.store.db.dialect)
                     if m.version == 29)
    [back_fill] = [s.statements[0] for s in migration.steps() if s.table == "referrals"]
    with people.storfa.store.db.read() as conn:
        row = conn.one("SELECT MAX(id) AS n FROM referrals")
    last = int(row["n"]) if row else 0
    # In uneven ranges: each adds to what the ones before it counted.
    assert recounted(people, back_fill, [(0, 7), (7, 8), (8, 20), (20, last)]) == kept
    assert kept


# ---------------------------------------------------------------- generated records
FIRST_DAY, DAYS = dt.date(2023, 11, 1), (dt.date(2026, 2, 28) - dt.date(2023, 11, 1)).days
STEPS = {"strategy_held_date": "strategy_within", "s47_completed_date": "s47_within",
         "s47_date": None, "icpc_date": None, "registration_date": None,
         "care_support_plan_date": None, "looked_after_date": None, "step_down_date": None}


@st.composite
def a_row(draw: st.DrawFn) -> dict[str, Any]:
    """One referral in the import schema: any area, day (29 February and
    year ends included), child from a small pool (so repeats, same-day
    ones among them), source, categories, natures, decision and steps."""
    day = FIRST_DAY + dt.timedelta(days=draw(st.sampled_from(
        [0, 119, 120, 485, 486, 790, 791, 850]) | st.integers(0, DAYS)))
    later = st.integers(0, 40).map(lambda n: min(day + dt.timedelta(days=n), TODAY))
    row: dict[str, Any] = {
        "local_authority": draw(st.sampled_from(["Cardiff", "Newport", "Powys"])),
        "received_date": day.isoformat(), "child_id": f"c{draw(st.integers(0, 7))}",
        "source": draw(st.sampled_from(sorted(SOURCES))),
        "categories": "; ".join(draw(st.sets(st.sampled_from(sorted(CATEGORIES)),
                                             max_size=3))),
        "natures": "; ".join(draw(st.sets(st.sampled_from(sorted(NATURES)), max_size=3)))}
    if draw(st.booleans()):
        row["decision"] = draw(st.sampled_from(sorted(DECISIONS)))
        row["decision_date"] = draw(later).isoformat()
    for column, within in STEPS.items():
        if draw(st.integers(0, 3)) == 0:
            row[column] = draw(later).isoformat()
            if within:
                row[within] = draw(st.sampled_from(["yes", "no"]))
    return row


def _reset(people: People) -> None:
    with people.storfa.store.db.write() as conn:
        for table in ("referral_events", "referral_notices", "referrals",
                      "referral_month_counts"):
            conn.execute(f"DELETE FROM {table}")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(rows=st.lists(a_row(), min_size=1, max_size=40), cuts=st.lists(st.integers(0, 40),
                                                                       max_size=2),
       decide=st.lists(st.tuples(st.integers(0, 39), st.sampled_from(sorted(DECISIONS))),
                       max_size=4),
       expire=st.sets(st.integers(0, 39), max_size=6),
       first=st.integers(2024, 2025), months=st.integers(1, 26))
def test_generated_records_summed_from_months_equal_the_row_counting(
        people: People, rows: list[dict[str, Any]], cuts: list[int],
        decide: list[tuple[int, str]], expire: set[int], first: int, months: int) -> None:
    _reset(people)
    s, hub = people.service, people.caller("hub_manager")
    # The rows in several files, the last file first: any order of arrival.
    bounds = sorted({0, len(rows), *(min(c, len(rows)) for c in cuts)})
    for start, end in reversed(list(pairwise(bounds))):
        s.import_file(OPERATOR, to_csv(rows[start:end]), "g.csv", organisation=HUB,
                      today=TODAY)
    stored = sorted(s.sql.for_indicators("2000-01-01", "2099-12-31"), key=lambda r: r.id)
    for at, kind in decide:  # decisions recorded later, dated back to receipt
        if at < len(stored):
            s.record(hub, stored[at].reference or "", kind, stored[at].received_on or "",
                     today=TODAY)
    if expire:
        gone = [stored[at].id for at in expire if at < len(stored)]
        if gone:
            with people.storfa.store.db.write() as conn:
                conn.execute(f"UPDATE referrals SET updated_at = ? WHERE id IN "
                             f"({','.join('?' * len(gone))})",
                             ["2015-01-01T00:00:00+00:00", *gone])
            s.retention_days = 365
            s.expire(OPERATOR, TODAY)
    # A run of whole months from January of `first`, as well as the periods.
    end_month = dt.date(first + (months - 1) // 12, (months - 1) % 12 + 1, 1)
    end = (end_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) \
        - dt.timedelta(days=1)
    window = (f"{first}-01-01", end.isoformat())
    sql = s.sql
    assert sql.count_months(*window) == sql.count_rows(*window)  # type: ignore[attr-defined]
    assert_months_equal_rows(people, ["2024", "2025", "2025-Q1", "2024-25"])
    # The repeat flags the counts are grouped by are the rule's.
    records = s.sql.for_indicators("2000-01-01", "2099-12-31")
    assert repeat_ids(records) == {r.id for r in records if _is_repeat(people, r.id)}


def _is_repeat(people: People, rid: int) -> bool:
    with people.storfa.store.db.read() as conn:
        row = conn.one("SELECT is_repeat FROM referrals WHERE id = ?", (rid,))
    return bool(row and row["is_repeat"])


# ---------------------------------------------------------------- batched upgrades
def test_a_migrations_steps() -> None:
    """Plain statements share a transaction; a marked back-fill is a step of
    its own, and the runner adds a last step to record the migration."""
    sql = ("CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\n"
           "-- storfa:batched a\nUPDATE a SET id = id WHERE id > ? AND id <= ?;\n")
    steps = Migration(1, "x", sql).steps()
    assert [(len(s.statements), s.table) for s in steps] == [(2, None), (1, "a"), (0, None)]
    plain = Migration(2, "y", sql.split("--")[0]).steps()
    assert [(len(s.statements), s.table) for s in plain] == [(2, None)]
    shipped = {m.version: [s.table for s in m.steps()] for m in load_migrations("sqlite")}
    assert shipped[26] == [None, "referrals", None]
    assert shipped[29] == [None, "referrals", None]


class Interrupting:
    """A progress reporter (storfa.storage.transfer.Reporter) that stops the
    upgrade, as Ctrl-C would, after `after` ranges have been committed."""

    def __init__(self, after: int | None) -> None:
        self.after = after
        self.ranges = 0
        self.stages: list[tuple[str, int | None]] = []

    def stage(self, label: str, total: int | None) -> None:
        self.stages.append((label, total))

    def advance(self, amount: int = 1) -> None:
        self.ranges += 1
        if self.after is not None and self.ranges >= self.after:
            raise KeyboardInterrupt


def test_an_interrupted_upgrade_carries_on_where_it_stopped(
        data_dir: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store at 0025 with 320 referrals, upgraded 37 ids at a time and
    interrupted twice in 0026's back-fill and once in 0029's: each run starts
    where the last stopped (no range twice: 0029's counts add up, so a range
    counted twice would show), and the end is what one uninterrupted run
    makes."""
    store_before(data_dir, monkeypatch, 26)
    monkeypatch.setattr(runner, "BATCH_ROWS", 37)
    settings_ = Settings.from_env(data_dir=data_dir, workers=1)
    migrations = load_migrations(backend)
    runs = []
    for after in (2, 3, 11, None):
        db = open_database(settings_)
        report = Interrupting(after)
        try:
            if after is None:
                apply_migrations(db, migrations, report)
            else:
                with pytest.raises(KeyboardInterrupt):
                    apply_migrations(db, migrations, report)
            with db.read() as conn:
                versions = [int(r["version"]) for r in conn.execute(
                    "SELECT version FROM schema_migrations WHERE version >= 26")]
        finally:
            db.close()
        runs.append((report.stages, report.ranges, versions))
    # 320 ids in ranges of 37: 9 ranges for each back-fill, 18 in all.
    assert [r[1] for r in runs] == [2, 3, 11, 2]
    assert sum(r[1] for r in runs) == 18
    assert runs[0][2] == [] and runs[1][2] == [] and 26 in runs[2][2] and 29 not in runs[2][2]
    assert runs[1][0] == [("0026_referral_facts: referrals ids", 320 - 2 * 37)]
    assert sorted(runs[3][2]) == [m.version for m in migrations if m.version >= 26]

    app = Storfa(settings_)
    try:
        people = People(app, app.referrals, {})
        with app.store.db.read() as conn:
            tables = {str(r["name"]) for r in conn.execute(
                "SELECT table_name AS name FROM information_schema.tables "
                "WHERE table_schema = current_schema()" if backend == "postgresql" else
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert runner.PROGRESS not in tables
        records = app.referrals.sql.for_indicators("2000-01-01", "2099-12-31")
        repeats = repeat_ids(records)
        assert len(records) == 320 and len(repeats) > 20
        assert repeats == {r.id for r in records if _is_repeat(people, r.id)}
        assert_months_equal_rows(people, ["2024", "2025"])
        table = app.referrals.indicators(OPERATOR, "2025", "all", threshold=1)
        assert table.areas[0].figures[0].number == 160
    finally:
        app.close()
