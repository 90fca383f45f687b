"""A recommendation's due date, as the report gives it.

Reports date a recommendation in its text ("... and report to the Board by
March 2026", "erbyn 31 Mawrth 2026") or in a timescale column ("31 December
2025"). A month is due on its last day, a year "by the end of 2025" on 31
December. A relative time ("within twelve months", "6 months") is no date:
it runs from a publication or sign-off the text does not give, so the
register leaves it to the person tracking the recommendation.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from storfa.ingest.metadata.dates import FoundDate, find_dates

# What a date must follow in a sentence to be when the work is due: a cue
# ending right before it, with nothing but "the end of" between.
_CUE = re.compile(r"(?:\bby|\bno later than|\bnot later than|\berbyn|(?P<before>\bbefore|\bcyn))"
                  r"(?:\s+(?:the\s+)?end\s+of|\s+diwedd)?\s*$", re.IGNORECASE)
_CUE_REACH = 24
# "by the end of 2025", "erbyn diwedd 2025": a year standing alone.
_YEAR_END = re.compile(r"\b(?:by|erbyn)\s+(?:the\s+end\s+of|end\s+of|diwedd)\s+"
                       r"(?:(?:the\s+)?(?:calendar\s+)?year\s+)?((?:19|20)\d\d)(?![\d/-])",
                       re.IGNORECASE)


def due_date(text: str, timescale: str | None = None, planned: str | None = None
             ) -> str | None:
    """The ISO date a recommendation is due by, or None: its own timescale
    cell holding a date; else the latest date its text sets work "by" (the
    last of several steps is when the whole is done); else the target-date
    cell of an action plan's row for it (`planned`)."""
    return _dated_cell(timescale) or _dated_text(text) or _dated_cell(planned)


def _dated_cell(cell: str | None) -> str | None:
    dated = find_dates(cell) if cell else []
    return _last_day(max(dated, key=lambda d: d.date)).isoformat() if dated else None


def _dated_text(text: str) -> str | None:
    due: list[dt.date] = []
    for found in find_dates(text):
        cue = _CUE.search(text, max(0, found.start - _CUE_REACH), found.start)
        if cue is not None:
            # "before April 2026" or "before 1 April 2026": the day before it starts.
            due.append(found.date - dt.timedelta(days=1) if cue.group("before")
                       else _last_day(found))
    due += [dt.date(int(m.group(1)), 12, 31) for m in _YEAR_END.finditer(text)]
    return max(due).isoformat() if due else None


def _last_day(found: FoundDate) -> dt.date:
    """A day as it is; a month written without one ("March 2026") at its end."""
    if found.precision == "day":
        return found.date
    year, month = found.date.year, found.date.month
    return dt.date(year, month, calendar.monthrange(year, month)[1])
