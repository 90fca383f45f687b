"""Review dates in a realistic order, and the many ways real reports spell them.

The metadata parser is benchmarked against these spellings, so each style here
mirrors one seen in published Welsh reviews (UK day-first numeric forms only).
"""

from __future__ import annotations

import datetime as dt
import random

from storfa.synthetic.vocab import PUBLICATION_YEARS

DATE_KEYS: tuple[str, ...] = (
    "index_incident", "referral", "learning_event", "period_start", "period_end",
    "sign_off", "publication",
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTHS_CY = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
             "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr")

STYLES: tuple[str, ...] = (
    "ordinal",        # 14th March 2019
    "plain",          # 2 May 2019
    "the_of",         # the 29th of October 2020
    "slash",          # 11/01/2021
    "slash_short",    # 3/4/2020
    "us_ordinal",     # March 3rd, 2019
    "dotted",         # 3.4.2020
)
STYLES_CY: tuple[str, ...] = ("plain", "slash", "dotted")


def ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def spell_date(d: dt.date, style: str) -> str:
    month = MONTHS[d.month - 1]
    if style == "ordinal":
        return f"{ordinal(d.day)} {month} {d.year}"
    if style == "plain":
        return f"{d.day} {month} {d.year}"
    if style == "the_of":
        return f"the {ordinal(d.day)} of {month} {d.year}"
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "slash_short":
        return f"{d.day}/{d.month}/{d.year}"
    if style == "us_ordinal":
        return f"{month} {ordinal(d.day)}, {d.year}"
    if style == "dotted":
        return f"{d.day}.{d.month}.{d.year}"
    raise ValueError(f"unknown date style {style!r}")


def spell_date_cy(d: dt.date, style: str) -> str:
    if style == "plain":
        return f"{d.day} {MONTHS_CY[d.month - 1]} {d.year}"
    return spell_date(d, style)


def _add_days(d: dt.date, lo: int, hi: int, rng: random.Random) -> dt.date:
    return d + dt.timedelta(days=rng.randint(lo, hi))


def _minus_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return dt.date(y, m + 1, min(d.day, 28))


def make_dates(review_type: str, rng: random.Random) -> tuple[dict[str, dt.date], bool]:
    """Draw the seven review dates; returns them and whether a 2-year period was used.

    Incident first, the rest derived from it with the delays seen in practice
    (published analysis: median ~21 months from referral to sign-off), then
    resampled until the publication year fits the review type's era.
    """
    lo_year, hi_year = PUBLICATION_YEARS[review_type]
    while True:
        start = dt.date(2024, 10, 1) if review_type == "SUSR" else dt.date(lo_year - 3, 1, 1)
        span = (dt.date(hi_year, 6, 30) - start).days
        incident = start + dt.timedelta(days=rng.randint(0, span))
        referral = _add_days(incident, 14, 90, rng)
        if review_type == "SUSR":
            referral = max(referral, dt.date(2024, 10, 1) + dt.timedelta(days=rng.randint(1, 40)))
            sign_off = _add_days(referral, 180, 420, rng)
        else:
            sign_off = _add_days(referral, 240, 900, rng)
        publication = _add_days(sign_off, 21, 180, rng)
        if lo_year <= publication.year <= hi_year:
            break
    long_period = rng.random() < 0.15
    period_end = incident if rng.random() < 0.7 else incident - dt.timedelta(days=1)
    period_start = _minus_months(incident, 24 if long_period else 12)
    if rng.random() < 0.3:  # many reviews start the period on the 1st of a month
        period_start = period_start.replace(day=1)
    gap = (sign_off - referral).days
    learning_event = referral + dt.timedelta(days=rng.randint(gap // 3, max(gap // 3, gap - 30)))
    dates = {
        "index_incident": incident,
        "referral": referral,
        "learning_event": learning_event,
        "period_start": period_start,
        "period_end": period_end,
        "sign_off": sign_off,
        "publication": publication,
    }
    return dates, long_period


def choose_styles(rng: random.Random, styles: tuple[str, ...] = STYLES) -> dict[str, str]:
    """One house style for most dates, with the odd inconsistency real reports show."""
    house = rng.choice(styles)
    chosen: dict[str, str] = {}
    for key in DATE_KEYS:
        chosen[key] = rng.choice(styles) if rng.random() < 0.25 else house
    return chosen
