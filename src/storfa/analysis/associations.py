"""Phi coefficients between binary case variables, with p-values, stars, a
Bonferroni-corrected threshold and strength labels (the SPSS analysis of the
2023 thematic review of Welsh CPRs, done without SPSS).

Rules (docs/analysis.md):
- a variable is analysed when it is present in more than two reviews
  (`MIN_PRESENT` = 3) and absent from at least one (phi is undefined for a
  constant column); the others are listed in `skipped` with the reason;
- "not known" counts as absent (present / not known coding);
- the p-value is Pearson's chi-square with 1 df and no continuity correction,
  or Fisher's exact test (two-sided) when any expected count is below 5;
- the Bonferroni threshold is alpha divided by the number of pairs tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from scipy import stats

from storfa.analysis.tables import BinaryTable

MIN_PRESENT = 3
MIN_EXPECTED = 5.0
CHI_SQUARE, FISHER = "chi-square", "fisher"
# Fisher's exact test sums the tables no more likely than the observed one;
# this relative tolerance (SciPy's) keeps ties that differ only by rounding.
_FISHER_RTOL = 1 + 1e-7


@dataclass(frozen=True, slots=True)
class Counts:
    """The 2×2 table of two variables: a both present, b only the first,
    c only the second, d neither."""

    a: int
    b: int
    c: int
    d: int

    @property
    def n(self) -> int:
        return self.a + self.b + self.c + self.d

    def min_expected(self) -> float:
        n = self.n
        rows, cols = (self.a + self.b, self.c + self.d), (self.a + self.c, self.b + self.d)
        return min(r * c for r in rows for c in cols) / n


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    counts: Counts
    phi: float
    p: float
    test: str
    statistic: float | None  # chi-square value; None for Fisher's test
    significant: bool
    significant_bonferroni: bool

    @property
    def stars(self) -> str:
        return stars(self.p, self.significant, self.significant_bonferroni)

    @property
    def strength(self) -> str:
        return strength(self.phi)

    def as_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "a": self.a, "b": self.b, "phi": self.phi, "p": self.p, "test": self.test,
            "n": c.n, "significant": self.significant,
            "significant_bonferroni": self.significant_bonferroni,
            "stars": self.stars, "strength": self.strength,
            "direction": "positive" if self.phi >= 0 else "negative",
            "chi_square": self.statistic, "min_expected": c.min_expected(),
            "counts": {"both": c.a, "a_only": c.b, "b_only": c.c, "neither": c.d},
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    variable: str
    present: int
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "present": self.present, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Associations:
    n: int
    alpha: float
    variables: tuple[str, ...]  # the variables analysed, in table order
    pairs: tuple[Pair, ...]
    skipped: tuple[Skipped, ...]

    @property
    def bonferroni_alpha(self) -> float | None:
        return bonferroni(self.alpha, len(self.pairs))

    def significant_variables(self) -> tuple[str, ...]:
        """Variables in at least one pair significant at alpha, in table order."""
        hit = {name for p in self.pairs if p.significant for name in (p.a, p.b)}
        return tuple(v for v in self.variables if v in hit)

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n, "alpha": self.alpha, "bonferroni_alpha": self.bonferroni_alpha,
            "pairs_tested": len(self.pairs), "variables": list(self.variables),
            "pairs": [p.as_json() for p in self.pairs],
            "skipped": [s.as_json() for s in self.skipped],
        }


def phi(counts: Counts) -> float:
    """(ad − bc) / √((a+b)(c+d)(a+c)(b+d)); the margins must all be non-zero."""
    a, b, c, d = counts.a, counts.b, counts.c, counts.d
    return (a * d - b * c) / math.sqrt((a + b) * (c + d) * (a + c) * (b + d))


def chi_square_p(counts: Counts) -> tuple[float, float]:
    """Pearson's chi-square without continuity correction: for a 2×2 table the
    statistic is n·phi², with 1 degree of freedom."""
    statistic = counts.n * phi(counts) ** 2
    return statistic, float(stats.chi2.sf(statistic, 1))


def fisher_p(counts: Counts) -> float:
    """Two-sided Fisher's exact test: the probability, under fixed margins, of
    every table no more likely than the observed one (hypergeometric)."""
    a, b, c, _ = counts.a, counts.b, counts.c, counts.d
    first_row, first_col = a + b, a + c
    low, high = max(0, first_row + first_col - counts.n), min(first_row, first_col)
    support = np.arange(low, high + 1)
    pmf = stats.hypergeom.pmf(support, counts.n, first_col, first_row)
    observed = pmf[a - low]
    return min(1.0, float(pmf[pmf <= observed * _FISHER_RTOL].sum()))


def bonferroni(alpha: float, tests: int) -> float | None:
    return alpha / tests if tests else None


def stars(p: float, significant: bool, significant_bonferroni: bool) -> str:
    """As in the worked example: * p < alpha, ** p < .01, *** below the
    Bonferroni threshold (which outranks ** even when it is above .01)."""
    if significant_bonferroni:
        return "***"
    if p < 0.01 and significant:
        return "**"
    return "*" if significant else ""


def strength(value: float) -> str:
    """Labels on |phi|: ≥ .7 very strong, ≥ .4 strong, ≥ .3 moderate, ≥ .1 weak."""
    size = abs(value)
    if size >= 0.7:
        return "very strong"
    if size >= 0.4:
        return "strong"
    if size >= 0.3:
        return "moderate"
    return "weak" if size >= 0.1 else "negligible"


def _eligible(table: BinaryTable) -> tuple[list[int], list[Skipped]]:
    present = table.present.sum(axis=0)
    keep: list[int] = []
    skipped: list[Skipped] = []
    for i, name in enumerate(table.variables):
        count = int(present[i])
        if count < MIN_PRESENT:
            skipped.append(Skipped(name, count, f"present in {count} of {table.n} reviews "
                                                f"(needs at least {MIN_PRESENT})"))
        elif count == table.n:
            skipped.append(Skipped(name, count, "present in every review: phi is undefined"))
        else:
            keep.append(i)
    return keep, skipped


def p_value(counts: Counts) -> tuple[float, str, float | None]:
    """The p-value, the test used, and the chi-square statistic if used."""
    if counts.min_expected() < MIN_EXPECTED:
        return fisher_p(counts), FISHER, None
    statistic, p = chi_square_p(counts)
    return p, CHI_SQUARE, statistic


def associations(table: BinaryTable, alpha: float = 0.05) -> Associations:
    """Phi and its test for every pair of eligible variables."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    keep, skipped = _eligible(table)
    x = table.present[:, keep].astype(np.int64)
    both = x.T @ x  # co-presence counts for every pair at once
    totals = x.sum(axis=0)
    n_pairs = len(keep) * (len(keep) - 1) // 2
    threshold = bonferroni(alpha, n_pairs)
    pairs: list[Pair] = []
    for i, j in combinations(range(len(keep)), 2):
        a = int(both[i, j])
        counts = Counts(a, int(totals[i]) - a, int(totals[j]) - a,
                        table.n - int(totals[i]) - int(totals[j]) + a)
        p, test, statistic = p_value(counts)
        pairs.append(Pair(
            a=table.variables[keep[i]], b=table.variables[keep[j]], counts=counts,
            phi=phi(counts), p=p, test=test, statistic=statistic, significant=p < alpha,
            significant_bonferroni=threshold is not None and p < threshold))
    return Associations(n=table.n, alpha=alpha,
                        variables=tuple(table.variables[i] for i in keep),
                        pairs=tuple(pairs), skipped=tuple(skipped))
