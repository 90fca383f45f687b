"""Dates as reports write them, in English and Welsh, read day-first (UK).

"14th March 2019", "the 29th of October 2020", "11/01/2021", "3.4.2020",
"March 3rd, 2019", "Sept. 2019" (month precision), "2019-06-30",
"14eg Mawrth 2019". Impossible dates (31/02/2020) are not dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2, "febuary": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

# Welsh month names, with the soft-mutated forms that follow "o" ("of") or a day.
WELSH_MONTHS: dict[str, int] = {
    "ionawr": 1,
    "chwefror": 2,
    "mawrth": 3, "fawrth": 3,
    "ebrill": 4,
    "mai": 5, "fai": 5,
    "mehefin": 6, "fehefin": 6,
    "gorffennaf": 7, "orffennaf": 7,
    "awst": 8,
    "medi": 9, "fedi": 9,
    "hydref": 10,
    "tachwedd": 11, "dachwedd": 11,
    "rhagfyr": 12,
}  # fmt: skip

_ALL_MONTHS = {**MONTHS, **WELSH_MONTHS}
_MONTH = r"(?P<month>" + "|".join(sorted(_ALL_MONTHS, key=len, reverse=True)) + r")(?![A-Za-z])\.?"
# English ordinals (and their typos, "1th"), Welsh ordinals (1af, 2il, 3ydd, 5ed,
# 7fed, 11eg, 21ain).
_ORDINAL = r"(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)?"
_DAY = rf"(?P<day>[0-3]?\d){_ORDINAL}"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"

# The numeric patterns start "(?=\d)": a digit is checked for before the
# look-behind, which tried at every character of a sentence cost twice as much.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "day",
        re.compile(
            r"(?=\d)(?<![\d./-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?![\d])"
        ),
    ),
    (
        "day",
        re.compile(
            r"(?=\d)(?<![\d./-])(?P<day>[0-3]?\d)(?P<sep>[/.\-])(?P<month>[01]?\d)(?P=sep)"
            r"(?P<year>(?:19|20)\d\d)(?![\d]|[./-]\d)"
        ),
    ),
    # Two-digit years only with slashes: "3.4.12" is more often a paragraph number.
    (
        "day",
        re.compile(
            r"(?=\d)(?<![\d./-])(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>\d\d)(?![\d]|[./-]\d)"
        ),
    ),
    (
        "day",
        re.compile(
            rf"(?<![\w])(?:the\s+)?{_DAY}(?:\s++(?:of|o)\s++|\s*+[\-/]?\s*+){_MONTH},?[\s\-/]*+{_YEAR}",
            re.IGNORECASE,
        ),
    ),
    (
        "day",
        re.compile(rf"(?<![\w]){_MONTH}\s*+(?:the\s++)?{_DAY}(?![\d]),?\s++{_YEAR}", re.IGNORECASE),
    ),
    # Not a review's identifier ("APR2019-W02", "MAR2020"): a month runs into its
    # year only after a full stop ("Sept.2019").
    ("month", re.compile(rf"(?<![\w]){_MONTH}(?:(?<=\.)|(?!\d)),?\s*+(?:of\s++)?{_YEAR}",
                         re.IGNORECASE)),
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    date: dt.date
    start: int
    end: int
    raw: str
    precision: str = "day"  # "day" | "month" (a month-only date is the 1st)


def _month_number(text: str) -> int:
    text = text.rstrip(".").lower()
    if text.isdigit():
        return int(text)
    return _ALL_MONTHS[text]


def _year_number(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
    return year


def _to_date(match: re.Match[str], precision: str) -> dt.date | None:
    try:
        day = int(match.group("day")) if precision == "day" else 1
        return dt.date(_year_number(match.group("year")), _month_number(match.group("month")), day)
    except (ValueError, KeyError):
        return None


# Every pattern above ends in a year of two or four digits, so text without
# two digits in a row holds no date. Most sentences have none, and this one
# search costs less than the six patterns' scans (ingest profile, docs/performance.md).
_HAS_YEAR = re.compile(r"\d\d")


# The same patterns, case-sensitive, for lowered ASCII text: there lowering moves
# no offset and a case-blind match is a match of the lowered text (the patterns'
# words are written in lower case), and a case-blind scan costs twice as much.
_LOWERED_PATTERNS = tuple((precision, re.compile(pattern.pattern))
                          for precision, pattern in _PATTERNS)


def find_dates(text: str) -> list[FoundDate]:
    """Every date in `text`, in order, without overlaps (the fuller reading wins)."""
    if not _HAS_YEAR.search(text):
        return []
    found = _scan(text, text.lower(), _LOWERED_PATTERNS) if text.isascii() else _scan(text)
    return _with_shared_years(text, found) if found else found


# A day that shares the year (and perhaps the month) of the date after it: "on
# 10 June and 1 July 2025", "between 3 and 5 March 2024". Without a month of
# its own the day must open a range ("between 3 and", "from 3 to").
_SHARED_YEAR = re.compile(
    rf"(?:(?<![\w]){_DAY}\s+{_MONTH}|(?:\bbetween|\bfrom|\brhwng|\bo)\s+"
    rf"(?P<lone>[0-3]?\d){_ORDINAL})"
    r",?\s*(?:and|to|until|till|a|i|&|[-–])\s*$", re.IGNORECASE)
_SHARED_REACH = 24


def _with_shared_years(text: str, found: list[FoundDate]) -> list[FoundDate]:
    out = list(found)
    for date in found:
        if date.precision != "day":
            continue
        window_start = max(0, date.start - _SHARED_REACH)
        before = _SHARED_YEAR.search(text, window_start, date.start)
        if before is None or any(d.end > before.start() and d.start < date.start for d in out
                                 if d is not date):
            continue
        named = before.group("month")
        month = _month_number(named) if named else date.date.month
        day = before.group("day") if named else before.group("lone")
        try:
            value = dt.date(date.date.year, month, int(day))
        except ValueError:
            continue
        if value >= date.date:
            continue
        start = before.start("day") if named else before.start("lone")
        end = before.end("month") if named else before.end("lone")
        out.append(FoundDate(value, start, end, text[start:end], "day"))
    return sorted(out, key=lambda item: item.start)


def _scan(text: str, subject: str | None = None,
          patterns: tuple[tuple[str, re.Pattern[str]], ...] = _PATTERNS) -> list[FoundDate]:
    """The dates of `text`, found by `patterns` in `subject` (`text` itself, or
    the same length of it lowered)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for precision, pattern in patterns:
        for match in pattern.finditer(text if subject is None else subject):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = _to_date(match, precision)
            # An impossible date ("31 February 2020") is rejected whole, not
            # re-read as a month ("February 2020").
            taken.append((start, end))
            if value is None:
                continue
            found.append(FoundDate(value, start, end, text[start:end], precision))
    return sorted(found, key=lambda item: item.start)


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`, or None. Never raises."""
    found = find_dates(text)
    return found[0].date if found else None


# Spellings the tests (and the generator) can use to render a date.
def spellings(value: dt.date) -> list[str]:
    """Ways reports write `value`; each one parses back to it."""
    month = _ENGLISH_NAMES[value.month - 1]
    welsh = _WELSH_NAMES[value.month - 1]
    day = value.day
    suffix = _ordinal_suffix(day)
    year = value.year
    return [
        value.isoformat(),
        f"{day:02d}/{value.month:02d}/{year}",
        f"{day}/{value.month}/{year}",
        f"{day}.{value.month}.{year}",
        f"{day:02d}-{value.month:02d}-{year}",
        f"{day} {month} {year}",
        f"{day}{suffix} {month} {year}",
        f"the {day}{suffix} of {month} {year}",
        f"{month} {day}{suffix}, {year}",
        f"{month} {day} {year}",
        f"{day} {month[:3]} {year}",
        f"{day}-{month[:3]}-{year}",
        f"{day} {welsh} {year}",
    ]


_ENGLISH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
_WELSH_NAMES = (
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
    "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
)  # fmt: skip


def _ordinal_suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
