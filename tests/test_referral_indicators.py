"""The indicators against figures worked out by hand from the thirty records
in tests/referral_example.py (the working is in the comments: which records
count towards each figure). Nothing here is computed with storfa's code."""

from __future__ import annotations

import datetime as dt

import pytest

from referral_example import RECORDS, referrals
from storfa.domain.periods import months_before, parse_period
from storfa.referrals.indicators import IndicatorTable, compute, repeat_ids
from storfa.referrals.population import load_population

POP = load_population()


def table(level: str, threshold: int = 1) -> IndicatorTable:
    return compute(referrals(), parse_period("2025"), level, POP, threshold)


def figures(t: IndicatorTable, area: str) -> dict[str, tuple[object, object, object]]:
    found = next(a for a in t.areas if a.area == area)
    return {f.key: (f.number, f.percent, f.rate) for f in found.figures}


def test_periods() -> None:
    assert parse_period("2025-Q1").end == dt.date(2025, 3, 31)
    assert parse_period("2025-q4").start == dt.date(2025, 10, 1)
    assert parse_period("2025-26").start == dt.date(2025, 4, 1)
    assert parse_period("2025-26").end == dt.date(2026, 3, 31)
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    with pytest.raises(Exception, match="period"):
        parse_period("2025-27")


def test_repeats_by_hand() -> None:
    ids = {r.id: spec[0] for r, spec in zip(referrals(), RECORDS, strict=True)}
    found = {ids[i] for i in repeat_ids(referrals())}
    # C1: A was referred 2024-03-01, within 12 months of 2025-02-15.
    # C2: B's 2024-01-10 is before 2024-01-20, a year before 2025-01-20: not a repeat.
    # C4 (D after C3), C12 (E after C5), C20 (G after C7), N7 (R after N2).
    # N1: C's 2024-06-30 is exactly a year before 2025-06-30: counted.
    # C15: M's other referral (C14) is the same day: not earlier, so new.
    # X1: Q after C19 (2025-12-31), outside the period but a repeat all the same.
    assert found == {"C1", "C4", "C12", "C20", "N1", "N7", "X1"}


def test_cardiff_by_hand() -> None:
    f = figures(table("local_authority"), "Cardiff")
    # 20 referrals received in 2025 (C1–C20); 76,000 children: 20/7.6 = 2.63.
    assert f["referrals"] == (20, None, 2.6)
    assert f["repeat"] == (4, 20.0, 0.5)          # C1, C4, C12, C20
    assert f["new"] == (16, 80.0, 2.1)
    # First decisions of the 16 new: nfa C2 C6 C11 C14 C15 C19; early help C3 C9;
    # care and support C8 C17; strategy C5 C7 C10 C16; s47 C18; none yet C13.
    assert f["outcome_new.nfa"][:2] == (6, 37.5)
    assert f["outcome_new.early_help"][:2] == (2, 12.5)
    assert f["outcome_new.care_support"][:2] == (2, 12.5)
    assert f["outcome_new.strategy_meeting"][:2] == (4, 25.0)
    assert f["outcome_new.s47"][:2] == (1, 6.3)     # 6.25, rounded half up
    assert f["outcome_new.awaiting"][:2] == (1, 6.3)
    # Repeats: C1 strategy, C4 early help, C12 s47, C20 early help.
    assert f["outcome_repeat.strategy_meeting"][:2] == (1, 25.0)
    assert f["outcome_repeat.early_help"][:2] == (2, 50.0)
    assert f["outcome_repeat.s47"][:2] == (1, 25.0)
    assert f["outcome_repeat.nfa"][:2] == (0, 0.0)
    # Police C1 C5 C7 C10 C12 C16 C19 C20; education C2 C6 C11 C14 C18;
    # health C3 C4 C8 C15 C17; third sector C9; family C13.
    assert [f[f"source.{s}"][0] for s in ("police", "education", "health", "third_sector",
                                          "family", "probation")] == [8, 5, 5, 1, 1, 0]
    assert f["source.police"][1] == 40.0
    # Categories (more than one may apply): neglect C2 C3 C4 C8 C11 C14 C15 C18;
    # physical C1 C5 C10 C12 C16 C19; emotional C5 C6 C13 C18; sexual C7 C20.
    assert [f[f"category.{c}"][0] for c in ("neglect", "physical", "emotional", "sexual",
                                            "financial")] == [8, 6, 4, 2, 0]
    assert f["nature.domestic_abuse"][:2] == (5, 25.0)  # C1 C5 C10 C12 C18
    assert f["nature.drugs_alcohol"][0] == 3             # C3 C4 C16
    # Strategy meetings held: C1 C7 C10 in time, C5 C16 not: 5, 3 in time (60%).
    assert f["strategy_held"][:2] == (5, 25.0)
    assert f["strategy_within"][:2] == (3, 60.0)
    # s47: C1 C5 C7 C12 C18, all completed; in time C1 C7 C12.
    assert f["s47"][:2] == (5, 25.0)
    assert f["s47_completed"][:2] == (5, 100.0)
    assert f["s47_within"][:2] == (3, 60.0)
    assert f["s47_to_icpc"][:2] == (3, 60.0)                # C1 C7 C18
    assert f["s47_to_registration"][:2] == (2, 40.0)        # C1 C7
    assert f["s47_to_care_support_plan"][:2] == (1, 20.0)   # C5 (C17 had no s47)
    assert f["s47_to_looked_after"][:2] == (1, 20.0)        # C7
    assert f["step_down"][:2] == (2, 10.0)                  # C9 C20


def test_newport_by_hand() -> None:
    f = figures(table("local_authority"), "Newport")
    assert f["referrals"] == (7, None, 2.0)        # N1–N7; 35,000 children
    assert f["repeat"][:2] == (2, 28.6)            # N1 (boundary), N7
    assert f["outcome_new.nfa"][:2] == (2, 40.0)   # N2 N5 of 5 new
    assert f["outcome_repeat.strategy_meeting"][:2] == (1, 50.0)  # N1
    assert f["strategy_within"][:2] == (1, 100.0)
    assert f["s47"][:2] == (2, 28.6)               # N1 N4
    assert f["s47_completed"][:2] == (1, 50.0)     # N4
    assert f["s47_to_looked_after"][:2] == (1, 50.0)
    assert f["step_down"][0] == 0


def test_regions_and_wales_by_hand() -> None:
    regions = table("region")
    # Cardiff and Vale: 76,000 + 28,000 children; Gwent: 121,500.
    assert figures(regions, "Cardiff and Vale")["referrals"] == (20, None, 1.9)
    assert figures(regions, "Gwent")["referrals"] == (7, None, 0.6)
    assert figures(regions, "North Wales")["referrals"] == (0, None, 0.0)
    wales = figures(table("all"), "All areas")
    assert wales["referrals"] == (27, None, 0.4)   # 27 / 618,000 children
    assert wales["repeat"][:2] == (6, 22.2)


def test_small_numbers_are_suppressed_everywhere() -> None:
    t = table("local_authority", threshold=5)
    f = {x.key: x for x in next(a for a in t.areas if a.area == "Cardiff").figures}
    assert f["referrals"].number == 20 and not f["referrals"].suppressed
    # 4 repeats is under 5; 16 new would give it away by subtraction, so it goes too.
    assert f["repeat"].suppressed and f["repeat"].number is None and f["repeat"].rate is None
    assert f["new"].suppressed
    # Outcomes of new referrals: their base is suppressed, so no percentages.
    assert f["outcome_new.nfa"].number == 6 and f["outcome_new.nfa"].percent is None
    assert f["outcome_new.early_help"].suppressed
    assert f["source.police"].number == 8 and f["source.third_sector"].suppressed
    assert f["strategy_held"].number == 5 and f["strategy_within"].suppressed
    assert f["category.financial"].number == 0  # zero is not disclosive
    newport = {x.key: x for x in next(a for a in t.areas if a.area == "Newport").figures}
    assert newport["repeat"].suppressed and newport["new"].suppressed
    for area in t.areas:
        for fig in area.figures:
            assert fig.suppressed or fig.number is None or fig.number == 0 or fig.number >= 5
