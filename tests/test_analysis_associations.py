"""Phi associations checked against SciPy and NumPy, which compute them
independently: scipy.stats.contingency.association, chi2_contingency without
continuity correction, fisher_exact, and the Pearson correlation of 0/1 columns."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency, fisher_exact
from scipy.stats.contingency import association

from storfa.analysis.associations import (
    CHI_SQUARE,
    FISHER,
    Counts,
    associations,
    phi,
    stars,
    strength,
)
from storfa.analysis.tables import BinaryTable


def table_from(columns: dict[str, list[int | None]]) -> BinaryTable:
    names = tuple(columns)
    n = len(next(iter(columns.values())))
    cells = np.array([[columns[v][r] for v in names] for r in range(n)], dtype=object)
    return BinaryTable(review_ids=tuple(f"R{r}" for r in range(n)), variables=names,
                       present=cells == 1, known=cells != None)  # noqa: E711


def pair_columns(c: Counts) -> dict[str, list[int | None]]:
    """Two columns whose 2×2 table is exactly `c`."""
    x = [1] * c.a + [1] * c.b + [0] * c.c + [0] * c.d
    y = [1] * c.a + [0] * c.b + [1] * c.c + [0] * c.d
    return {"x": list(x), "y": list(y)}


def signed_reference_phi(c: Counts) -> float:
    """SciPy's phi is unsigned (√(χ²/n)); the sign is that of ad − bc."""
    observed = np.array([[c.a, c.b], [c.c, c.d]])
    size = association(observed, method="cramer")  # equals |phi| for 2×2 tables
    chi2 = chi2_contingency(observed, correction=False)[0]
    assert size == pytest.approx(math.sqrt(chi2 / c.n), abs=1e-12)
    return math.copysign(size, c.a * c.d - c.b * c.c)


def test_hand_computed_two_by_two() -> None:
    # docs/analysis.md: a = 10, b = 5, c = 3, d = 12 (n = 30).
    # phi = (10·12 − 5·3) / √(15·15·13·17) = 105 / √49725 = 0.4709;
    # smallest expected count 15·13/30 = 6.5 ≥ 5, so chi-square = 30·phi² = 6.652.
    counts = Counts(10, 5, 3, 12)
    assert phi(counts) == pytest.approx(105 / math.sqrt(49725), abs=1e-12)
    assert phi(counts) == pytest.approx(0.4709, abs=1e-4)
    result = associations(table_from(pair_columns(counts)))
    (pair,) = result.pairs
    assert pair.test == CHI_SQUARE and pair.counts == counts and pair.counts.n == 30
    assert pair.phi == pytest.approx(signed_reference_phi(counts), abs=1e-12)
    chi2, p, dof, _ = chi2_contingency([[10, 5], [3, 12]], correction=False)
    assert dof == 1
    assert pair.statistic == pytest.approx(chi2, rel=1e-12)
    assert pair.statistic == pytest.approx(6.652, abs=1e-3)
    assert pair.p == pytest.approx(p, rel=1e-10)
    assert pair.strength == "strong" and pair.stars == "***"  # one pair: Bonferroni = alpha


@pytest.mark.parametrize("cells", [
    (3, 1, 1, 3), (5, 0, 1, 6), (2, 7, 8, 1), (1, 3, 2, 14), (4, 4, 1, 20), (0, 6, 5, 1),
    (6, 2, 3, 1), (3, 9, 4, 30),
])
def test_small_counts_use_fisher_exact(cells: tuple[int, int, int, int]) -> None:
    counts = Counts(*cells)
    (pair,) = associations(table_from(pair_columns(counts))).pairs
    assert counts.min_expected() < 5
    assert pair.test == FISHER and pair.statistic is None
    assert pair.p == pytest.approx(fisher_exact([[cells[0], cells[1]], [cells[2], cells[3]]],
                                                alternative="two-sided").pvalue, rel=1e-9)
    assert pair.phi == pytest.approx(signed_reference_phi(counts), abs=1e-12)


@pytest.mark.parametrize("cells", [(30, 12, 9, 49), (20, 25, 25, 30), (8, 40, 35, 17)])
def test_large_counts_use_uncorrected_chi_square(cells: tuple[int, int, int, int]) -> None:
    counts = Counts(*cells)
    (pair,) = associations(table_from(pair_columns(counts))).pairs
    chi2, p, _, expected = chi2_contingency([[cells[0], cells[1]], [cells[2], cells[3]]],
                                            correction=False)
    assert expected.min() >= 5 and pair.test == CHI_SQUARE
    assert pair.statistic == pytest.approx(chi2, rel=1e-10)
    assert pair.p == pytest.approx(p, rel=1e-9)
    assert pair.counts.min_expected() == pytest.approx(expected.min())


def test_perfectly_associated_pair_has_phi_one() -> None:
    column = [1, 1, 1, 0, 0, 0, 0, 1, 0, 0]
    result = associations(table_from({"self_harm": column, "suicidal_ideation": column,
                                      "opposite": [1 - v for v in column]}))
    by_pair = {(p.a, p.b): p for p in result.pairs}
    same = by_pair["self_harm", "suicidal_ideation"]
    assert same.phi == pytest.approx(1.0, abs=1e-12) and same.strength == "very strong"
    assert same.p == pytest.approx(fisher_exact([[4, 0], [0, 6]]).pvalue)
    assert by_pair["self_harm", "opposite"].phi == pytest.approx(-1.0, abs=1e-12)


def test_phi_equals_pearson_correlation_on_a_random_table_with_planted_associations() -> None:
    rng = np.random.default_rng(7)
    base = rng.random((200, 3)) < 0.4
    noise = rng.random((200, 3)) < 0.15
    present = np.concatenate([base, base ^ noise, rng.random((200, 4)) < 0.3], axis=1)
    names = tuple(f"v{i}" for i in range(present.shape[1]))
    table = BinaryTable(tuple(f"R{i}" for i in range(200)), names, present,
                        np.ones_like(present))
    result = associations(table)
    reference = np.corrcoef(present.astype(float), rowvar=False)
    assert len(result.pairs) == 45
    for pair in result.pairs:
        i, j = names.index(pair.a), names.index(pair.b)
        assert pair.phi == pytest.approx(reference[i, j], abs=1e-9)
    planted = {(p.a, p.b): p for p in result.pairs}
    assert all(planted[f"v{k}", f"v{k + 3}"].significant_bonferroni for k in range(3))


def test_bonferroni_alpha_is_alpha_over_pairs_tested() -> None:
    rng = np.random.default_rng(1)
    columns = {f"v{i}": [int(x) for x in rng.random(40) < 0.5] for i in range(5)}
    result = associations(table_from(columns), alpha=0.05)
    assert len(result.pairs) == 10
    assert result.bonferroni_alpha == pytest.approx(0.005)
    for p in result.pairs:
        assert p.significant == (p.p < 0.05)
        assert p.significant_bonferroni == (p.p < 0.005)
    assert associations(table_from(columns), alpha=0.01).bonferroni_alpha == pytest.approx(0.001)


def test_degenerate_and_rare_columns_are_skipped_with_reasons_never_nan() -> None:
    columns: dict[str, list[int | None]] = {
        "a": [1, 1, 1, 0, 0, 1, 0, 0], "b": [1, 1, 0, 0, 1, 1, 0, 0],
        "never": [0] * 8, "always": [1] * 8, "twice": [1, 1, 0, 0, 0, 0, 0, 0],
        "unknown": [None] * 8,
    }
    result = associations(table_from(columns))
    assert result.variables == ("a", "b")
    reasons = {s.variable: s.reason for s in result.skipped}
    assert set(reasons) == {"never", "always", "twice", "unknown"}
    assert "every review" in reasons["always"] and "2 of 8" in reasons["twice"]
    json.dumps(result.as_json(), allow_nan=False)  # raises on NaN or infinity
    empty = associations(table_from({"never": [0] * 5, "always": [1] * 5}))
    assert empty.pairs == () and empty.bonferroni_alpha is None
    assert empty.as_json()["bonferroni_alpha"] is None


def test_not_known_counts_as_absent() -> None:
    coded = {"a": [1, None, 1, 1, 0, None, 1, 0], "b": [1, 0, None, 1, 1, 0, 1, None]}
    as_zero = {k: [0 if v is None else v for v in vs] for k, vs in coded.items()}
    (with_gaps,) = associations(table_from(coded)).pairs
    (with_zeros,) = associations(table_from(as_zero)).pairs
    assert with_gaps == with_zeros and with_gaps.counts.n == 8


@pytest.mark.parametrize(("value", "label"), [
    (0.7, "very strong"), (-0.76, "very strong"), (0.69, "strong"), (0.4, "strong"),
    (0.39, "moderate"), (-0.3, "moderate"), (0.29, "weak"), (0.1, "weak"), (0.05, "negligible"),
])
def test_strength_labels(value: float, label: str) -> None:
    assert strength(value) == label


def test_stars_follow_the_worked_example() -> None:
    assert stars(0.04, True, False) == "*"
    assert stars(0.009, True, False) == "**"
    assert stars(0.002, True, True) == "***"
    assert stars(0.2, False, False) == ""


def test_alpha_must_be_a_probability() -> None:
    with pytest.raises(ValueError):
        associations(table_from({"a": [1, 0, 1, 1], "b": [1, 1, 0, 1]}), alpha=1.5)
