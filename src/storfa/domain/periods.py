"""Reporting periods: a calendar year (`2025`), a quarter of it (`2025-Q2`)
or a financial year, April to March (`2025-26`), as the Welsh returns count."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storfa.domain.errors import N_, StorfaError

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_FINANCIAL = re.compile(r"^(\d{4})[-/](\d{2})$")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # inclusive

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat()}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier; the 29th–31st fall back to the month's last day."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse_period(text: str) -> Period:
    value = text.strip()
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return Period(value, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m := _QUARTER.match(value):
        year, q = int(m.group(1)), int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        following = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        return Period(f"{year}-Q{q}", start, following - dt.timedelta(days=1))
    if (m := _FINANCIAL.match(value)) and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        year = int(m.group(1))
        return Period(f"{year}-{m.group(2)}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
    raise StorfaError(N_("A period is a year (2025), a quarter (2025-Q2) or a financial "
                         "year (2025-26); got {text!r}."), text=text)


def preceding(last: Period, count: int) -> list[Period]:
    """`count` periods of the same kind ending with `last`, oldest first: a
    trend steps by the period's own kind, so years are compared with years
    and quarters with quarters (a quarter against a year would mislead)."""
    if count < 1:
        raise StorfaError(N_("A trend needs at least one period."))
    if re.fullmatch(r"\d{4}", last.label):
        labels = [str(last.start.year - k) for k in range(count)]
    elif "Q" in last.label:
        index = last.start.year * 4 + (last.start.month - 1) // 3
        labels = [f"{i // 4}-Q{i % 4 + 1}" for i in range(index, index - count, -1)]
    else:
        labels = [f"{y}-{(y + 1) % 100:02d}"
                  for y in range(last.start.year, last.start.year - count, -1)]
    return [parse_period(label) for label in reversed(labels)]
