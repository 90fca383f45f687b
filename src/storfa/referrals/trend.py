"""Indicator trends: each indicator over consecutive periods for one area,
and one indicator across every area (docs/referrals.md, "Trends").

A trend is built from the very indicator tables `indicators.compute` makes,
one per period, so a trend point is always the figure the table shows for
that period: the same counting, the same suppression. A suppressed cell is a
gap (None), never a zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storfa.domain.errors import StorfaError
from storfa.referrals.indicators import Figure, IndicatorTable

MEASURES = ("number", "percent", "rate")
DIFFERENT_COUNTING = ("Areas record referrals differently: compare them with care. "
                      "Rates per 10,000 children allow for the size of each area.")


@dataclass(frozen=True)
class Point:
    period: str
    number: int | None
    percent: float | None
    rate: float | None
    suppressed: bool

    @classmethod
    def of(cls, period: str, fig: Figure | None) -> Point:
        if fig is None:  # an area with no figure in a period: nothing to show
            return cls(period, None, None, None, False)
        return cls(period, fig.number, fig.percent, fig.rate, fig.suppressed)

    def value(self, measure: str) -> float | None:
        return {"number": self.number, "percent": self.percent, "rate": self.rate}[measure]

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period, "number": self.number, "percent": self.percent,
                "rate_per_10000": self.rate, "suppressed": self.suppressed}


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    group: str
    area: str
    points: tuple[Point, ...]

    def values(self, measure: str) -> list[float | None]:
        return [p.value(measure) for p in self.points]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "group": self.group, "area": self.area,
                "points": [p.as_json() for p in self.points]}


@dataclass(frozen=True)
class Trend:
    level: str
    area: str
    indicator: str
    measure: str
    periods: tuple[str, ...]
    threshold: int
    illustrative: bool
    series: tuple[Series, ...]       # every indicator, for `area`
    comparison: tuple[Series, ...]   # `indicator`, for every area at `level`

    def chosen(self) -> Series:
        return next(s for s in self.series if s.key == self.indicator)

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "area": self.area, "indicator": self.indicator,
                "measure": self.measure, "periods": list(self.periods),
                "threshold": self.threshold, "illustrative_population": self.illustrative,
                "note": DIFFERENT_COUNTING,
                "series": [s.as_json() for s in self.series],
                "comparison": [s.as_json() for s in self.comparison]}


def build(tables: Sequence[IndicatorTable], area: str, indicator: str, measure: str
          ) -> Trend:
    """`tables`: one per period, oldest first, all at the same level."""
    if not tables:
        raise StorfaError("A trend needs at least one period.")
    if measure not in MEASURES:
        raise StorfaError(f"Measure is one of {', '.join(MEASURES)} (got {measure!r}).")
    last = tables[-1]
    names = [a.area for a in last.areas]
    area = area or names[0]
    if area not in names:
        raise StorfaError(f"No area called {area!r} at level {last.level}; "
                          f"choose from {', '.join(names)}.")
    labels = [t.period.label for t in tables]
    # figure[period][area][key], looked up once rather than searched per point
    index = [{a.area: {f.key: f for f in a.figures} for a in t.areas} for t in tables]
    template = next(a for a in last.areas if a.area == area).figures
    if indicator not in {f.key for f in template}:
        raise StorfaError(f"No indicator {indicator!r}.")

    def series(key: str, label: str, group: str, where: str) -> Series:
        return Series(key, label, group, where, tuple(
            Point.of(p, by_area.get(where, {}).get(key))
            for p, by_area in zip(labels, index, strict=True)))

    chosen = next(f for f in template if f.key == indicator)
    return Trend(last.level, area, indicator, measure, tuple(labels), last.threshold,
                 any(t.illustrative for t in tables),
                 tuple(series(f.key, f.label, f.group, area) for f in template),
                 tuple(series(chosen.key, chosen.label, chosen.group, name) for name in names))
