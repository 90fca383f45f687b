"""Frequency tables as SPSS Frequencies prints them: Frequency, Percent (of
all reviews), Valid Percent (of reviews where the value is known) and
Cumulative Percent (of valid), with missing values shown as their own row,
optionally split by a grouping column (type, board, year, variant...)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storfa.analysis.tables import Table, TableError
from storfa.domain.errors import N_

MISSING = "missing"


@dataclass(frozen=True, slots=True)
class FrequencyRow:
    value: str
    frequency: int
    percent: float
    valid_percent: float
    cumulative_percent: float


@dataclass(frozen=True, slots=True)
class FrequencyTable:
    variable: str
    group: str | None  # the value of the grouping column, None when ungrouped
    rows: tuple[FrequencyRow, ...]
    missing: int
    total: int

    @property
    def valid(self) -> int:
        return self.total - self.missing

    def as_json(self) -> dict[str, Any]:
        return {
            "variable": self.variable, "group": self.group, "total": self.total,
            "valid": self.valid,
            "rows": [{"value": r.value, "frequency": r.frequency, "percent": r.percent,
                      "valid_percent": r.valid_percent,
                      "cumulative_percent": r.cumulative_percent} for r in self.rows],
            "missing": {"frequency": self.missing, "percent": _percent(self.missing,
                                                                       self.total)},
        }


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _order(value: str) -> tuple[int, float, str]:
    # Numbers in numeric order before text in text order, as SPSS sorts codes.
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value.casefold())


def frequencies(values: Sequence[str | None], variable: str,
                group: str | None = None) -> FrequencyTable:
    counts = Counter(v for v in values if v is not None)
    total, missing = len(values), sum(1 for v in values if v is None)
    valid = total - missing
    rows: list[FrequencyRow] = []
    running = 0
    for value in sorted(counts, key=_order):
        running += counts[value]
        rows.append(FrequencyRow(value, counts[value], _percent(counts[value], total),
                                 _percent(counts[value], valid), _percent(running, valid)))
    return FrequencyTable(variable=variable, group=group, rows=tuple(rows), missing=missing,
                          total=total)


def table_frequencies(table: Table, variables: Sequence[str] | None = None,
                      by: str | None = None) -> list[FrequencyTable]:
    """One table per variable (all columns but `by` when none are named), and
    per value of `by` when given; rows whose `by` is missing form a "missing" group."""
    if by is not None and by not in table.columns:
        raise TableError(N_("No column {by!r} to group by; the table has: {columns}."),
                         by=by, columns=", ".join(table.columns))
    names = list(variables) if variables else [c for c in table.columns if c != by]
    if not names:
        raise TableError(N_("No variables to tabulate."))
    columns = {name: table.column(name) for name in names}
    if by is None:
        return [frequencies(values, name) for name, values in columns.items()]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(table.column(by)):
        groups[MISSING if key is None else key].append(i)
    order = sorted(groups, key=lambda g: (g == MISSING, _order(g)))
    return [frequencies([values[i] for i in groups[g]], name, group=g)
            for name, values in columns.items() for g in order]
