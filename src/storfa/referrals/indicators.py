"""The children's performance indicators (NMSPF-C prototype) from
referral-level records: pure functions, no SQL (docs/referrals.md).

Referrals are counted in the period their receipt date falls in; what
happened to them afterwards (decisions, meetings, enquiries) is counted for
that cohort, whenever it happened. Each figure has its number, its
percentage of a stated base, and a rate per 10,000 children of the area.

Repeat referral: a referral about a child who had another referral received
on an earlier day within the 12 months before (from the same date a year
earlier up to the day before), to any area in storfa. Referrals about one
child received on the same day are each new unless an earlier one exists.

Small numbers: a count from 1 to threshold−1 is suppressed with its
percentage and rate, and so is any percentage whose base is suppressed.
Where cells add up to a shown total (new and repeat; outcomes; sources) and
exactly one is suppressed, the next smallest is suppressed too, so it
cannot be worked out by subtraction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from storfa.domain.periods import Period, months_before
from storfa.domain.referrals import CATEGORIES, DECISIONS, NATURES, SOURCES, Referral
from storfa.referrals.population import Population

LEVELS = ("local_authority", "region", "all")
AWAITING = "awaiting"


@dataclass
class Figure:
    key: str
    label: str
    group: str
    number: int | None
    base_label: str | None = None
    base: int | None = None
    percent: float | None = None
    rate: float | None = None
    suppressed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "group": self.group,
                "number": self.number, "base_label": self.base_label, "base": self.base,
                "percent": self.percent, "rate_per_10000": self.rate,
                "suppressed": self.suppressed}


@dataclass
class AreaFigures:
    area: str
    region: str | None
    children: int | None
    figures: list[Figure] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"area": self.area, "region": self.region, "children": self.children,
                "indicators": [f.as_json() for f in self.figures]}


@dataclass
class IndicatorTable:
    period: Period
    level: str
    threshold: int
    population_sources: list[str]
    illustrative: bool
    areas: list[AreaFigures]

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period.as_json(), "level": self.level,
                "threshold": self.threshold, "population_sources": self.population_sources,
                "illustrative_population": self.illustrative,
                "areas": [a.as_json() for a in self.areas]}


def repeat_ids(referrals: Iterable[Referral]) -> set[int]:
    """Ids of referrals that are repeats by the rule in this module's docstring."""
    by_child: dict[str, list[str]] = defaultdict(list)
    chosen = [r for r in referrals if r.received_on]
    for r in chosen:
        if r.child_key:
            by_child[r.child_key].append(str(r.received_on))
    repeats: set[int] = set()
    for r in chosen:
        if not r.child_key:
            continue
        day = str(r.received_on)
        floor = months_before(dt.date.fromisoformat(day), 12).isoformat()
        if any(floor <= other < day for other in by_child[r.child_key]):
            repeats.add(r.id)
    return repeats


def _has(r: Referral, kind: str, within: bool | None = None) -> bool:
    return any(e.kind == kind and (within is None or e.within_timescale is within)
               for e in r.events)


class _Counter:
    """Builds one area's figures: counts first, suppression afterwards."""

    def __init__(self, children: int | None) -> None:
        self.children = children
        self.figures: list[Figure] = []
        self.partitions: list[list[Figure]] = []

    def add(self, key: str, label: str, group: str, number: int,
            base: tuple[str, int] | None = None) -> Figure:
        fig = Figure(key, label, group, number)
        if base is not None:
            fig.base_label, fig.base = base
            fig.percent = _one_place(100 * number / base[1]) if base[1] else None
        if self.children:
            fig.rate = _one_place(10_000 * number / self.children)
        self.figures.append(fig)
        return fig

    def suppress(self, threshold: int) -> list[Figure]:
        for fig in self.figures:
            if fig.number is not None and 0 < fig.number < threshold:
                _hide(fig)
        for cells in self.partitions:
            hidden = [c for c in cells if c.suppressed]
            if len(hidden) == 1:
                shown = sorted((c for c in cells if not c.suppressed and c.number),
                               key=lambda c: c.number or 0)
                if shown:
                    _hide(shown[0])
        by_key = {f.key: f for f in self.figures}
        for fig in self.figures:  # a percentage of a suppressed base is withheld too
            base = by_key.get(_BASE_KEYS.get(fig.base_label or "", ""))
            if base is not None and base.suppressed:
                fig.base = None
                fig.percent = None
        return self.figures


def _one_place(value: float) -> float:
    """Half up, as published statistics round (Python's round() goes to even)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _hide(fig: Figure) -> None:
    fig.number = fig.percent = fig.rate = None
    fig.suppressed = True


# Which figure each base label is the number of.
_BASE_KEYS = {"referrals": "referrals", "new referrals": "new", "repeat referrals": "repeat",
              "strategy meetings held": "strategy_held",
              "section 47 enquiries": "s47", "section 47 enquiries completed": "s47_completed"}


def count_area(cohort: Sequence[Referral], repeats: set[int]) -> dict[str, int]:
    """One area's counts from its records: the record-level definition of
    every indicator. The service counts the same in SQL
    (storage/sql/referrals.py, `indicator_counts`); tests hold the two equal."""
    counts: dict[str, int] = defaultdict(int)
    counts["referrals"] = len(cohort)
    for r in cohort:
        tag = "repeat" if r.id in repeats else "new"
        counts[tag] += 1
        counts[f"outcome_{tag}.{r.decision.kind if r.decision else AWAITING}"] += 1
        counts[f"source.{r.form.source}"] += 1
        for code in set(r.form.categories):
            counts[f"category.{code}"] += 1
        for code in set(r.form.natures):
            counts[f"nature.{code}"] += 1
        if _has(r, "strategy_held"):
            counts["strategy_held"] += 1
            counts["strategy_within"] += _has(r, "strategy_held", True)
        if _has(r, "s47"):
            counts["s47"] += 1
            if _has(r, "s47_completed"):
                counts["s47_completed"] += 1
                counts["s47_within"] += _has(r, "s47_completed", True)
            for kind in S47_ONWARD:
                counts[f"s47_to_{kind}"] += _has(r, kind)
        counts["step_down"] += _has(r, "step_down")
    return dict(counts)


S47_ONWARD = {"icpc": "Progressed to initial child protection conference",
              "registration": "Progressed to the child protection register",
              "care_support_plan": "Progressed to a care and support plan",
              "looked_after": "Progressed to looked after"}


def area_figures(counts: Mapping[str, int], children: int | None) -> _Counter:
    """Every figure of one area from its counts (a missing key counts 0), in
    the order pages and exports show them; suppression comes afterwards."""
    def n(key: str) -> int:
        return counts.get(key, 0)

    c = _Counter(children)
    referrals = ("referrals", n("referrals"))
    c.add("referrals", "Referrals", "Referrals", n("referrals"))
    c.partitions.append([c.add("new", "New referrals", "Referrals", n("new"), referrals),
                         c.add("repeat", "Repeat referrals (within 12 months)", "Referrals",
                               n("repeat"), referrals)])
    for tag, label in (("new", "new referrals"), ("repeat", "repeat referrals")):
        c.partitions.append([
            c.add(f"outcome_{tag}.{code}", text, f"Outcomes of {label}",
                  n(f"outcome_{tag}.{code}"), (label, n(tag)))
            for code, text in [*DECISIONS.items(), (AWAITING, "Awaiting a decision")]])
    c.partitions.append([c.add(f"source.{code}", text, "Referral source", n(f"source.{code}"),
                               referrals) for code, text in SOURCES.items()])
    for code, text in CATEGORIES.items():
        c.add(f"category.{code}", text, "Categories of harm (more than one may apply)",
              n(f"category.{code}"), referrals)
    for code, text in NATURES.items():
        c.add(f"nature.{code}", text, "Nature of concern (more than one may apply)",
              n(f"nature.{code}"), referrals)
    c.add("strategy_held", "Strategy meetings held", "Strategy meetings", n("strategy_held"),
          referrals)
    c.add("strategy_within", "Held within timescale", "Strategy meetings",
          n("strategy_within"), ("strategy meetings held", n("strategy_held")))
    s47_base = ("section 47 enquiries", n("s47"))
    c.add("s47", "Section 47 enquiries", "Section 47 enquiries", n("s47"), referrals)
    c.add("s47_completed", "Completed", "Section 47 enquiries", n("s47_completed"), s47_base)
    c.add("s47_within", "Completed within timescale", "Section 47 enquiries",
          n("s47_within"), ("section 47 enquiries completed", n("s47_completed")))
    for kind, text in S47_ONWARD.items():
        c.add(f"s47_to_{kind}", text, "Section 47 enquiries", n(f"s47_to_{kind}"), s47_base)
    c.add("step_down", "Step-downs", "Step-downs", n("step_down"), referrals)
    return c


def compute(referrals: Sequence[Referral], period: Period, level: str,
            population: Population, threshold: int = 5,
            repeats: set[int] | None = None) -> IndicatorTable:
    """The table counted from records in memory: the reference definition
    (hand-worked tests hold it to the rules; the SQL counting is held to it).
    `referrals` must include those received in the 12 months before the
    period, so repeats at its start are recognised. `repeats` may be passed
    when several periods are computed from one fetch (a trend): the rule looks
    back from each referral, so one pass over the whole window serves all."""
    if level not in LEVELS:
        raise ValueError(level)
    if repeats is None:
        repeats = repeat_ids(referrals)
    start, end = period.start.isoformat(), period.end.isoformat()
    by_area: dict[str, list[Referral]] = defaultdict(list)
    for r in referrals:
        if r.received_on and start <= r.received_on <= end:
            by_area[r.form.local_authority].append(r)
    return tabulate({la: count_area(cohort, repeats) for la, cohort in by_area.items()},
                    period, level, population, threshold)


def tabulate(by_area: Mapping[str, Mapping[str, int]], period: Period, level: str,
             population: Population, threshold: int = 5) -> IndicatorTable:
    """The table from each local authority's counts ("" for none recorded):
    regions and all areas are sums of their local authorities' counts, and
    the one suppression rule is applied here, to whichever counting made them."""
    if level not in LEVELS:
        raise ValueError(level)
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    regions: dict[str, str] = {}
    for la, counts in by_area.items():
        area = population.areas.get(la)
        home = area.region if area else "Unknown"
        name = {"local_authority": la or "Unknown", "region": home, "all": "All areas"}[level]
        for key, value in counts.items():
            groups[name][key] += value
        regions[name] = home
    names = {"local_authority": sorted(population.areas),
             "region": sorted(population.regions), "all": ["All areas"]}[level]
    areas = []
    for name in [*names, *sorted(set(groups) - set(names))]:
        children = population.children(level, name)
        figures = area_figures(groups.get(name, {}), children).suppress(threshold)
        region = regions.get(name) if level == "local_authority" else None
        if level == "local_authority" and name in population.areas:
            region = population.areas[name].region
        areas.append(AreaFigures(name, region, children, figures))
    return IndicatorTable(period, level, threshold, population.sources(),
                          population.illustrative, areas)


EXPORT_COLUMNS = ["period", "level", "area", "group", "indicator", "label", "number",
                  "base_label", "base", "percent", "rate_per_10000", "suppressed"]


def export_rows(table: IndicatorTable) -> list[list[Any]]:
    """One row per area and figure; a suppressed number is written `*`."""
    rows = []
    for a in table.areas:
        for f in a.figures:
            rows.append([table.period.label, table.level, a.area, f.group, f.key, f.label,
                         "*" if f.suppressed else f.number, f.base_label,
                         f.base, f.percent, f.rate, "yes" if f.suppressed else "no"])
    return rows
