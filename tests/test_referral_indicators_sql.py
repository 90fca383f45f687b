"""The indicators the service computes from the database, against two
references on a generated sample of a few thousand referral records, on
both backends:

- the record-level counting (`indicators.compute` over the records
  `for_indicators` loads), which is how the service computed them before
  the counting moved into SQL: every figure, percentage, rate and
  suppressed cell must be identical, at every level, for years, quarters
  and financial years, at several thresholds, and for trends;
- an independent count with collections.Counter over the raw CSV rows, so
  the two do not merely agree with each other."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from typing import Any

import pytest

from referralworld import HUB, People, a_form, add_people
from storfa.app import Storfa
from storfa.domain.periods import months_before, parse_period, preceding
from storfa.referrals.indicators import IndicatorTable, compute, repeat_ids
from storfa.referrals.sample import write_sample
from storfa.referrals.service import Caller
from storfa.referrals.trend import build

OPERATOR = Caller("cli:test", operator=True)
AREAS = ["Cardiff", "Newport", "Swansea", "Powys"]
YEARS = [2024, 2025]
PER_YEAR = 120
DAY = dt.date(2025, 6, 2)  # form referrals made through the service on this day
LATER = dt.date(2025, 6, 10)  # and decided by this day


@pytest.fixture
def world(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> tuple[People, str]:
    people = add_people(storfa, monkeypatch)
    out = io.StringIO()
    write_sample(out, AREAS, YEARS, PER_YEAR, seed=7)
    text = out.getvalue()
    people.service.import_file(OPERATOR, text.encode(), "sample.csv", organisation=HUB,
                               today=dt.date(2026, 3, 10))
    # Form referrals too: two decisions on one day (the first recorded is the
    # outcome), a decision dated before an earlier-recorded one, a repeat
    # about the same child, and a draft that must not count.
    teacher, hub = people.caller("teacher"), people.caller("hub_manager")
    first = people.service.refer(teacher, a_form(), DAY)
    people.service.record(hub, first.reference or "", "s47", "2025-06-03", today=LATER)
    people.service.record(hub, first.reference or "", "nfa", "2025-06-03", today=LATER)
    again = people.service.refer(teacher, a_form(source="police", categories=("neglect",
                                                                             "physical")), DAY)
    people.service.record(hub, again.reference or "", "early_help", "2025-06-05", today=LATER)
    people.service.record(hub, again.reference or "", "strategy_meeting", "2025-06-04",
                          today=LATER)
    people.service.record(hub, again.reference or "", "strategy_held", "2025-06-05",
                          True, today=LATER)
    people.service.save_draft(teacher, a_form(subject_name="Draft Child"))
    return people, text


def reference_table(people: People, period: str, level: str, threshold: int
                    ) -> IndicatorTable:
    """The indicators counted from loaded records: the way before SQL counting."""
    chosen = parse_period(period)
    records = people.service.sql.for_indicators(months_before(chosen.start, 12).isoformat(),
                                                chosen.end.isoformat())
    return compute(records, chosen, level, people.service.population, threshold)


@pytest.mark.parametrize("period", ["2025", "2024", "2025-Q2", "2024-25", "2026"])
def test_sql_indicators_equal_the_record_level_counting(world: tuple[People, str],
                                                        period: str) -> None:
    people, _ = world
    for level in ("local_authority", "region", "all"):
        for threshold in (1, 5, 40):
            expected = reference_table(people, period, level, threshold).as_json()
            got = people.service.indicators(OPERATOR, period, level, threshold).as_json()
            assert got == expected, (period, level, threshold)


def test_sql_trend_equals_the_record_level_counting(world: tuple[People, str]) -> None:
    people, _ = world
    periods = preceding(parse_period("2025-Q4"), 6)
    records = people.service.sql.for_indicators(
        months_before(periods[0].start, 12).isoformat(), periods[-1].end.isoformat())
    repeats = repeat_ids(records)
    for level, area in (("local_authority", "Newport"), ("region", "")):
        tables = [compute(records, p, level, people.service.population, 5, repeats)
                  for p in periods]
        expected = build(tables, area, "repeat", "rate").as_json()
        got = people.service.trend(OPERATOR, "2025-Q4", 6, level, area, "repeat",
                                   "rate").as_json()
        assert got == expected, level


def _year_before(day: str) -> str:
    return months_before(dt.date.fromisoformat(day), 12).isoformat()


def test_sql_indicators_equal_an_independent_count(world: tuple[People, str]) -> None:
    """Counter over the CSV rows (the form referrals are all in Cardiff, June 2025,
    and are left out by comparing Newport, Swansea and Powys)."""
    people, text = world
    rows = list(csv.DictReader(io.StringIO(text)))
    days: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        days[r["child_id"]].append(r["received_date"])
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        if not r["received_date"].startswith("2025"):
            continue
        la, day = r["local_authority"], r["received_date"]
        floor = _year_before(day)
        repeat = any(floor <= other < day for other in days[r["child_id"]])
        counts[la, "referrals"] += 1
        counts[la, "repeat" if repeat else "new"] += 1
        tag = "repeat" if repeat else "new"
        counts[la, f"outcome_{tag}.{r['decision'] or 'awaiting'}"] += 1
        counts[la, f"source.{r['source']}"] += 1
        for code in filter(None, r["categories"].split(";")):
            counts[la, f"category.{code.strip()}"] += 1
        for code in filter(None, r["natures"].split(";")):
            counts[la, f"nature.{code.strip()}"] += 1
        if r["strategy_held_date"]:
            counts[la, "strategy_held"] += 1
            counts[la, "strategy_within"] += r["strategy_within"] == "yes"
        if r["decision"] == "s47":  # the sample completes every Section 47 it opens
            counts[la, "s47"] += 1
            counts[la, "s47_completed"] += bool(r["s47_completed_date"])
            counts[la, "s47_within"] += r["s47_within"] == "yes"
            counts[la, "s47_to_icpc"] += bool(r["icpc_date"])
        counts[la, "step_down"] += bool(r["step_down_date"])
    table = people.service.indicators(OPERATOR, "2025", "local_authority", 1)
    checked = 0
    for area in table.areas:
        if area.area not in AREAS[1:]:
            continue
        for fig in area.figures:
            assert fig.number == counts[area.area, fig.key], (area.area, fig.key)
            checked += 1
    assert checked > 100 and counts["Newport", "repeat"] > 10


def test_counts_held_in_memory_follow_every_change(world: tuple[People, str]) -> None:
    """The service holds a period's counts between calls (referral_changes):
    a decision, a submission, an import and an expiry each show at once."""
    people, _ = world
    service, hub = people.service, people.caller("hub_manager")

    def same() -> dict[str, Any]:
        got = service.indicators(OPERATOR, "2025", "local_authority", 1).as_json()
        assert got == reference_table(people, "2025", "local_authority", 1).as_json()
        return got

    before = same()
    assert service.indicators(OPERATOR, "2025", "local_authority", 1).as_json() == before
    late = service.refer(people.caller("teacher"), a_form(subject_name="Late"), LATER)
    after_submit = same()
    assert after_submit != before
    service.record(hub, late.reference or "", "s47", "2025-06-10", today=LATER)
    assert same() != after_submit
    one = "local_authority,received_date,child_id,source,categories\n" \
          "Powys,2025-02-01,new-child,police,neglect\n"
    service.import_file(OPERATOR, one.encode(), "one.csv", organisation=HUB,
                        today=dt.date(2026, 3, 10))
    powys = next(a for a in same()["areas"] if a["area"] == "Powys")
    assert powys["indicators"][0]["number"] == PER_YEAR + 1
    service.retention_days = 1
    service.expire(OPERATOR, dt.date(2099, 1, 1))
    assert all(f["number"] in (0, None) for a in same()["areas"]
               for f in a["indicators"])
