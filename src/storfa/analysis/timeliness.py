"""How long reviews take: days between each review's key dates, summaries
overall and by board and type, and compliance with the Welsh guidance.

Guidance (Working Together to Safeguard People, Vol. 2, as quoted in
MISSION.md and the 2023 thematic analysis):
- completion: sign-off no later than 6 calendar months after referral to the
  review sub-group (sign_off <= referral + 6 months, day clamped to the month's
  end, so 31 August + 6 months is 28/29 February);
- timeline: the review period (period_start → period_end) covers at most 12
  months, and never more than 24 (the extension needs a stated reason).
Months are days / (365 / 12), as in the worked example (444 days = 14.60 months).
Reviews with missing dates are kept, with nulls, and listed in `missing_dates`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storfa.domain.reviews import ReviewSummary

MEASURES: dict[str, tuple[str, str]] = {
    "incident_to_referral": ("index_incident", "referral"),
    "referral_to_sign_off": ("referral", "sign_off"),
    "incident_to_learning_event": ("index_incident", "learning_event"),
    "incident_to_sign_off": ("index_incident", "sign_off"),
}
TIMELINE = ("period_start", "period_end")
USED_DATES = ("index_incident", "referral", "learning_event", "sign_off", *TIMELINE)
DAYS_PER_MONTH = 365 / 12
COMPLETION_MONTHS = 6
TIMELINE_MONTHS = 12
TIMELINE_MAX_MONTHS = 24
UNKNOWN = "unknown"
GUIDANCE_RULES = {
    "completed_within_6_months":
        "sign_off on or before referral + 6 calendar months",
    "timeline_within_12_months":
        "period_end on or before period_start + 12 calendar months",
    "timeline_within_24_months":
        "period_end on or before period_start + 24 calendar months",
}


@dataclass(frozen=True, slots=True)
class ReviewTimeliness:
    review_id: str
    type: str | None
    board: str | None
    days: dict[str, int | None]
    timeline_days: int | None
    guidance: dict[str, bool | None]
    missing: tuple[str, ...]  # the dates this analysis uses that the review lacks

    def as_json(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id, "type": self.type, "board": self.board,
            "days": dict(self.days),
            "months": {k: months(v) for k, v in self.days.items()},
            "timeline_period_days": self.timeline_days,
            "guidance": dict(self.guidance), "missing_dates": list(self.missing),
        }


def add_months(day: dt.date, count: int) -> dt.date:
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def months(days: float | None) -> float | None:
    return None if days is None else round(days / DAYS_PER_MONTH, 2)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None  # an unreadable date is as good as a missing one here


def _within(start: dt.date | None, end: dt.date | None, limit: int) -> bool | None:
    if start is None or end is None:
        return None
    return end <= add_months(start, limit)


def _span(start: dt.date | None, end: dt.date | None) -> int | None:
    return (end - start).days if start and end else None


def review_timeliness(summary: ReviewSummary) -> ReviewTimeliness:
    dates = {name: _date(summary.dates.get(name)) for name in USED_DATES}
    start, end = dates["period_start"], dates["period_end"]
    return ReviewTimeliness(
        review_id=summary.review_id, type=summary.type, board=summary.board,
        days={k: _span(dates[a], dates[b]) for k, (a, b) in MEASURES.items()},
        timeline_days=_span(start, end),
        guidance={
            "completed_within_6_months":
                _within(dates["referral"], dates["sign_off"], COMPLETION_MONTHS),
            "timeline_within_12_months": _within(start, end, TIMELINE_MONTHS),
            "timeline_within_24_months": _within(start, end, TIMELINE_MAX_MONTHS),
        },
        missing=tuple(name for name in USED_DATES if dates[name] is None))


def describe(values: Sequence[int]) -> dict[str, Any]:
    """n, mean, SD (sample, n − 1, as SPSS), median, min, max and range, in
    days and in months; null statistics where there are too few values."""
    if not values:
        return {"n": 0, "days": None, "months": None}
    days = {
        "mean": statistics.fmean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else None,
        "median": statistics.median(values),
        "min": min(values), "max": max(values), "range": max(values) - min(values),
    }
    return {"n": len(values),
            "days": {k: _round(v) for k, v in days.items()},
            "months": {k: months(v) for k, v in days.items()}}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def compliance(rows: Sequence[ReviewTimeliness]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, rule in GUIDANCE_RULES.items():
        known = [r.guidance[name] for r in rows if r.guidance[name] is not None]
        met = sum(1 for flag in known if flag)
        result[name] = {"rule": rule, "n": len(known), "met": met,
                        "share": round(met / len(known), 4) if known else None}
    return result


def summarise(rows: Sequence[ReviewTimeliness]) -> dict[str, Any]:
    measures = {name: describe([d for r in rows if (d := r.days[name]) is not None])
                for name in MEASURES}
    measures["timeline_period"] = describe(
        [r.timeline_days for r in rows if r.timeline_days is not None])
    # Listed in every group too, so a board's n can be read against its gaps.
    return {"reviews": len(rows), "measures": measures, "guidance": compliance(rows),
            "missing_dates": [{"review_id": r.review_id, "missing": list(r.missing)}
                              for r in rows if r.missing]}


def _grouped(rows: Iterable[ReviewTimeliness], key: str) -> dict[str, Any]:
    groups: dict[str, list[ReviewTimeliness]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key) or UNKNOWN].append(row)
    return {name: summarise(groups[name]) for name in sorted(groups)}


def timeliness(summaries: Iterable[ReviewSummary]) -> dict[str, Any]:
    """The `storfa analyse timeliness --json` document."""
    rows = [review_timeliness(s) for s in summaries]
    summary = summarise(rows)
    summary["by_board"] = _grouped(rows, "board")
    summary["by_type"] = _grouped(rows, "type")
    summary["months_rule"] = f"months = days / {DAYS_PER_MONTH:.4f} (365 / 12)"
    return {"reviews": [r.as_json() for r in rows], "summary": summary}
