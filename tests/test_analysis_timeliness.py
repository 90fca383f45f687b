"""Timeliness on reviews ingested into a real store, with day counts worked
out by hand from the dates written in the documents."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest

from reviewtext import write_reviews
from storfa.analysis.timeliness import add_months, months, review_timeliness, timeliness
from storfa.app import Storfa
from storfa.domain.reviews import ReviewSummary

# Referred 31 August 2020, signed off 28 February 2021: exactly six calendar
# months (31 August + 6 months is clamped to 28 February), so within guidance.
CPR_ON_TIME = """# Child Practice Review CPR2021-W07

Cardiff and Vale Regional Safeguarding Board — Concise Child Practice Review re: Child T

## Brief outline of circumstances resulting in the review

The case was referred to the Case Review Sub-Group on 31 August 2020. The review
considered the period from 1 March 2019 to 29 February 2020.

## Statement by reviewer(s)

The review was signed off by the Board on 28/02/2021.
"""

# Worked example (tests/reviewtext.py and CPR_ON_TIME):
# CPR2019-W03 incident 2019-03-14, referral 2019-05-02, learning event 2020-10-29,
#   sign-off 2021-01-11 → 49, 620, 595, 669 days; referral + 6 months = 2019-11-02, late.
# DHR2020-W01 incident 2019-06-03, referral 2019-06-30 → 27 days; nothing else known.
# CPR2021-W07 referral 2020-08-31, sign-off 2021-02-28 → 181 days; no incident date;
#   period 2019-03-01 → 2020-02-29 (365 days, within 12 months).
EXPECTED = {
    "CPR2019-W03": {"incident_to_referral": 49, "referral_to_sign_off": 620,
                    "incident_to_learning_event": 595, "incident_to_sign_off": 669},
    "DHR2020-W01": {"incident_to_referral": 27, "referral_to_sign_off": None,
                    "incident_to_learning_event": None, "incident_to_sign_off": None},
    "CPR2021-W07": {"incident_to_referral": None, "referral_to_sign_off": 181,
                    "incident_to_learning_event": None, "incident_to_sign_off": None},
}


@pytest.fixture
def loaded(storfa: Storfa, tmp_path: Path) -> Storfa:
    folder = tmp_path / "in"
    write_reviews(folder)
    (folder / "cpr-2021-w07.md").write_text(CPR_ON_TIME, encoding="utf-8")
    results = storfa.ingest.ingest([folder])
    assert all(r.status == "ingested" for r in results), results
    return storfa


def test_day_counts_from_stored_reviews(loaded: Storfa) -> None:
    result = timeliness(loaded.store.list_reviews())
    days = {r["review_id"]: r["days"] for r in result["reviews"]}
    assert days == EXPECTED
    on_time = next(r for r in result["reviews"] if r["review_id"] == "CPR2021-W07")
    assert on_time["timeline_period_days"] == 365
    assert on_time["guidance"] == {"completed_within_6_months": True,
                                   "timeline_within_12_months": True,
                                   "timeline_within_24_months": True}


def test_summary_compliance_groups_and_missing_dates(loaded: Storfa) -> None:
    summary = timeliness(loaded.store.list_reviews())["summary"]
    referral = summary["measures"]["incident_to_referral"]
    assert referral["n"] == 2
    assert referral["days"] == {"mean": 38.0, "sd": round(statistics.stdev([49, 27]), 2),
                                "median": 38.0, "min": 27, "max": 49, "range": 22}
    assert referral["months"]["median"] == round(38 / (365 / 12), 2)
    assert summary["measures"]["incident_to_learning_event"]["days"]["sd"] is None  # n = 1
    completion = summary["guidance"]["completed_within_6_months"]
    assert (completion["n"], completion["met"], completion["share"]) == (2, 1, 0.5)
    assert set(summary["by_board"]) == {"Cardiff and Vale", "Gwent", "North Wales"}
    assert summary["by_type"]["CPR"]["measures"]["referral_to_sign_off"]["days"]["median"] \
        == statistics.median([620, 181])
    assert summary["by_type"]["DHR"]["guidance"]["completed_within_6_months"]["n"] == 0
    missing = {m["review_id"]: m["missing"] for m in summary["missing_dates"]}
    assert missing["DHR2020-W01"] == ["learning_event", "sign_off", "period_start",
                                      "period_end"]
    assert "index_incident" in missing["CPR2021-W07"]


def test_type_filter_and_an_editor_correction(loaded: Storfa) -> None:
    loaded.store.set_metadata("DHR2020-W01", "sign_off", "2019-12-30", actor="test")
    (dhr,) = timeliness(loaded.store.list_reviews("DHR"))["reviews"]
    assert dhr["days"]["referral_to_sign_off"] == 183  # 2019-06-30 → 2019-12-30
    assert dhr["days"]["incident_to_sign_off"] == 210
    assert dhr["guidance"]["completed_within_6_months"] is True


def summary(**dates: str | None) -> ReviewSummary:
    return ReviewSummary(review_id="R1", type="CPR", title=None, board=None, year=None,
                         language="en", pages=1, dates=dict(dates))


def test_six_months_boundary_and_unreadable_dates() -> None:
    on_time = review_timeliness(summary(referral="2020-01-15", sign_off="2020-07-15"))
    late = review_timeliness(summary(referral="2020-01-15", sign_off="2020-07-16"))
    assert on_time.guidance["completed_within_6_months"] is True
    assert late.guidance["completed_within_6_months"] is False
    broken = review_timeliness(summary(referral="2020-13-45", sign_off="2020-07-16"))
    assert broken.days["referral_to_sign_off"] is None and "referral" in broken.missing


def test_timeline_guidance_twelve_and_twenty_four_months() -> None:
    long = review_timeliness(summary(period_start="2018-01-01", period_end="2019-06-30"))
    assert long.guidance["timeline_within_12_months"] is False
    assert long.guidance["timeline_within_24_months"] is True
    assert long.timeline_days == 545


def test_calendar_months_and_month_conversion() -> None:
    assert add_months(dt.date(2020, 8, 31), 6) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2019, 8, 31), 6) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2019, 11, 15), 2) == dt.date(2020, 1, 15)
    # The worked example's conversions: 444 days = 14.60 months, 2017 = 66.31.
    assert months(444) == 14.60 and months(2017) == 66.31 and months(None) is None


def test_no_reviews_gives_an_empty_but_complete_summary() -> None:
    result = timeliness([])
    assert result["reviews"] == []
    assert result["summary"]["measures"]["referral_to_sign_off"] == {"n": 0, "days": None,
                                                                     "months": None}
    assert result["summary"]["guidance"]["completed_within_6_months"]["share"] is None


# A worked example over two boards and two types, computed by hand:
#   R1 CPR Gwent   referral 2020-01-01 → sign-off 2020-06-30: 181 days, within 6 months;
#                  period 2019-01-01 → 2019-12-31: 364 days, within 12 months
#   R2 CPR Gwent   referral 2020-01-01 → sign-off 2020-12-31: 365 days, late;
#                  period 2018-01-01 → 2019-06-30: 545 days, over 12 (within 24)
#   R3 CPR Powys   referral 2020-03-01 → sign-off 2021-03-01: 365 days, late; no period
#   R4 APR Powys   referral 2020-03-01 → sign-off 2020-08-29: 181 days, within 6 months;
#                  period 2019-09-01 → 2020-02-29: 181 days, within 12 months
#   R5 APR no board, no dates at all: in every count of reviews, listed as missing.
WORKED = [
    ("R1", "CPR", "Gwent", {"referral": "2020-01-01", "sign_off": "2020-06-30",
                            "period_start": "2019-01-01", "period_end": "2019-12-31"}),
    ("R2", "CPR", "Gwent", {"referral": "2020-01-01", "sign_off": "2020-12-31",
                            "period_start": "2018-01-01", "period_end": "2019-06-30"}),
    ("R3", "CPR", "Powys", {"referral": "2020-03-01", "sign_off": "2021-03-01"}),
    ("R4", "APR", "Powys", {"referral": "2020-03-01", "sign_off": "2020-08-29",
                            "period_start": "2019-09-01", "period_end": "2020-02-29"}),
    ("R5", "APR", None, {}),
]


def _stats(values: list[int]) -> dict[str, float | int | None]:
    return {"mean": round(statistics.fmean(values), 2),
            "sd": round(statistics.stdev(values), 2) if len(values) > 1 else None,
            "median": statistics.median(values), "min": min(values), "max": max(values),
            "range": max(values) - min(values)}


def test_worked_example_overall_by_board_and_type() -> None:
    summaries = [ReviewSummary(review_id=rid, type=kind, title=None, board=board, year=2020,
                               language="en", pages=1, dates=dates)
                 for rid, kind, board, dates in WORKED]
    summary = timeliness(summaries)["summary"]
    completion = summary["measures"]["referral_to_sign_off"]
    assert completion["n"] == 4
    assert completion["days"] == _stats([181, 365, 365, 181])
    assert completion["days"]["sd"] == round(statistics.stdev([181, 365, 365, 181]), 2) == 106.23
    assert completion["months"]["median"] == round(273 / (365 / 12), 2)
    assert summary["measures"]["timeline_period"]["days"] == _stats([364, 545, 181])

    gwent = summary["by_board"]["Gwent"]
    assert gwent["reviews"] == 2
    assert gwent["measures"]["referral_to_sign_off"]["days"] == _stats([181, 365])
    assert gwent["measures"]["timeline_period"]["days"] == _stats([364, 545])
    assert gwent["guidance"]["completed_within_6_months"] | {"rule": None} == {
        "rule": None, "n": 2, "met": 1, "share": 0.5}
    assert gwent["guidance"]["timeline_within_12_months"]["met"] == 1
    assert gwent["guidance"]["timeline_within_24_months"]["met"] == 2
    powys = summary["by_board"]["Powys"]
    assert powys["measures"]["referral_to_sign_off"]["days"] == _stats([365, 181])
    assert powys["guidance"]["timeline_within_12_months"]["n"] == 1  # R3 has no period
    assert [m["review_id"] for m in powys["missing_dates"]] == ["R3", "R4"]
    unknown = summary["by_board"]["unknown"]
    assert unknown["reviews"] == 1 and unknown["measures"]["referral_to_sign_off"]["n"] == 0

    cpr, apr = summary["by_type"]["CPR"], summary["by_type"]["APR"]
    assert cpr["measures"]["referral_to_sign_off"]["days"] == _stats([181, 365, 365])
    assert (cpr["guidance"]["completed_within_6_months"]["met"],
            cpr["guidance"]["completed_within_6_months"]["n"]) == (1, 3)
    assert apr["reviews"] == 2
    assert apr["measures"]["referral_to_sign_off"]["days"] == _stats([181])
    assert apr["guidance"]["completed_within_6_months"]["share"] == 1.0

    overall = summary["guidance"]
    assert (overall["completed_within_6_months"]["met"],
            overall["completed_within_6_months"]["n"]) == (2, 4)
    assert (overall["timeline_within_12_months"]["met"],
            overall["timeline_within_12_months"]["n"]) == (2, 3)
    # Reviews lacking dates are listed, not dropped: R5 lacks every date.
    missing = {m["review_id"]: m["missing"] for m in summary["missing_dates"]}
    assert missing["R5"] == ["index_incident", "referral", "learning_event", "sign_off",
                             "period_start", "period_end"]
    assert set(missing) == {"R1", "R2", "R3", "R4", "R5"}  # none has an incident date
    assert summary["reviews"] == 5
