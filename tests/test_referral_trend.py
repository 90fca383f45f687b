"""Indicator trends against counts worked out by hand from the thirty
records in tests/referral_example.py, the periods a trend steps through, and
the chart geometry (a suppressed point is a gap, never a zero)."""

from __future__ import annotations

import pytest

from referral_example import referrals
from storfa.domain.errors import StorfaError
from storfa.domain.periods import parse_period, preceding
from storfa.referrals.indicators import compute, repeat_ids
from storfa.referrals.population import load_population
from storfa.referrals.trend import build
from storfa.web.trend_chart import chart

POP = load_population()


def trend(last: str, count: int, threshold: int, level: str = "local_authority",
          area: str = "Cardiff", indicator: str = "referrals", measure: str = "number"):  # type: ignore[no-untyped-def]
    records = referrals()
    repeats = repeat_ids(records)
    tables = [compute(records, p, level, POP, threshold, repeats)
              for p in preceding(parse_period(last), count)]
    return build(tables, area, indicator, measure)


def test_periods_step_by_their_own_kind() -> None:
    assert [p.label for p in preceding(parse_period("2025"), 3)] == ["2023", "2024", "2025"]
    assert [p.label for p in preceding(parse_period("2025-Q1"), 3)] == [
        "2024-Q3", "2024-Q4", "2025-Q1"]
    assert [p.label for p in preceding(parse_period("2025-26"), 3)] == [
        "2023-24", "2024-25", "2025-26"]
    assert [p.label for p in preceding(parse_period("1999-00"), 2)] == ["1998-99", "1999-00"]
    with pytest.raises(StorfaError):
        preceding(parse_period("2025"), 0)


def test_quarters_by_hand() -> None:
    t = trend("2026-Q1", 5, threshold=1)
    assert t.periods == ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1")
    series = {s.key: s for s in t.series}
    # Cardiff: Q1 C1–C4; Q2 C5–C11; Q3 C12–C16; Q4 C17–C20; 2026-Q1 X1.
    assert series["referrals"].values("number") == [4, 7, 5, 4, 1]
    # Repeats: C1 and C4 (Q1); C12 (Q3); C20 (Q4); X1 (2026-Q1).
    assert series["repeat"].values("number") == [2, 0, 1, 1, 1]
    # Newport: N2 N3; N1 N4 N5; N6; N7; none.
    newport = next(s for s in t.comparison if s.area == "Newport")
    assert newport.values("number") == [2, 3, 1, 1, 0]
    assert {s.area for s in t.comparison} == set(POP.areas)


def test_suppressed_points_are_gaps_not_zeros() -> None:
    t = trend("2026-Q1", 5, threshold=5)
    cardiff = t.chosen()
    assert cardiff.values("number") == [None, 7, 5, None, None]
    assert [p.suppressed for p in cardiff.points] == [True, False, False, True, True]
    newport = next(s for s in t.comparison if s.area == "Newport")
    assert newport.values("number") == [None, None, None, None, 0]  # zero is shown
    drawn = chart(list(t.periods), [("Cardiff", cardiff.values("number"))])
    line = drawn.lines[0]
    assert line.gaps == 3 and len(line.dots) == 2 and len(line.paths) == 1


def test_each_point_is_the_tables_figure() -> None:
    """A trend point is exactly what the indicator table shows for that period."""
    t = trend("2025", 2, threshold=5, level="region", area="Cardiff and Vale",
              indicator="repeat", measure="rate")
    table = compute(referrals(), parse_period("2025"), "region", POP, 5)
    shown = {f.key: f for f in next(a for a in table.areas
                                    if a.area == "Cardiff and Vale").figures}
    for s in t.series:
        last = s.points[-1]
        assert (last.number, last.rate, last.suppressed) == (
            shown[s.key].number, shown[s.key].rate, shown[s.key].suppressed)
    assert t.as_json()["note"].startswith("Areas record referrals differently")


def test_bad_choices_are_errors() -> None:
    with pytest.raises(StorfaError, match="area"):
        trend("2025", 2, 5, area="Atlantis")
    with pytest.raises(StorfaError, match="indicator"):
        trend("2025", 2, 5, indicator="nonsense")
    with pytest.raises(StorfaError, match="Measure"):
        trend("2025", 2, 5, measure="mean")


def test_chart_breaks_lines_at_gaps() -> None:
    drawn = chart(["a", "b", "c", "d", "e"], [("x", [1, 2, None, 3, 4]), ("y", [None] * 5)])
    assert len(drawn.lines[0].paths) == 2 and drawn.lines[0].gaps == 1
    assert drawn.lines[1].paths == () and drawn.lines[1].dots == ()
    assert [label for _, label in drawn.ticks] == ["0", "1", "2", "3", "4"]
    assert drawn.lines[0].dots[0].y > drawn.lines[0].dots[-1].y  # higher value, higher up
