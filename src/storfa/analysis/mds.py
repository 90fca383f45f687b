"""A two-dimensional map of co-occurring case variables: multidimensional
scaling (SMACOF, as SPSS PROXSCAL does) of a dissimilarity that ignores joint
absences.

- Dissimilarity: Lance and Williams' nonmetric coefficient on binary columns,
  (b + c) / (2a + b + c) — Bray–Curtis on 0/1 data, 1 − Dice. Reviews where
  neither variable is recorded do not make two variables look alike, which
  matters because "not known" is not evidence of absence.
- Variables: those in at least one pair significant at alpha; with fewer than
  three, every analysed variable, and the result says so.
- Fit: SMACOF with a fixed random_state and several random starts; metric
  (ratio) by default, non-metric (ordinal) on request. The metric fit is
  scikit-learn's algorithm written out in numpy (`metric_smacof`): the same
  starts, Guttman transforms and stopping rule give the same map, but
  scikit-learn's input checks on every iteration made it 6-7x slower, and the
  map was over half of a full case analysis (docs/performance.md,
  "Analysis"). The non-metric fit calls scikit-learn's `smacof`; the tests
  hold the metric one to it start for start.
- Stress: normalised raw stress Σ(d̂ − d)² / Σd̂² over pairs (PROXSCAL's
  measure, the one the worked example reports), and Kruskal's stress-1
  √(Σ(d̂ − d)² / Σd²) (scikit-learn's `normalized_stress`). d̂ is the
  dissimilarity itself (metric) or its isotonic regression (non-metric).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storfa.analysis.associations import Associations, associations
from storfa.analysis.tables import BinaryTable
from storfa.domain.errors import N_, StorfaError

FloatArray = npt.NDArray[np.float64]
MIN_VARIABLES = 3
N_INIT = 8
RANDOM_STATE = 0
MAX_ITER = 1000
EPS = 1e-6  # scikit-learn's default; 1e-9 costs 4× the time for 0.2% less stress


@dataclass(frozen=True, slots=True)
class Point:
    variable: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class CoMap:
    points: tuple[Point, ...]
    stress: float  # normalised raw stress
    stress_1: float  # Kruskal's stress-1
    raw_stress: float
    metric: bool
    selection: str  # "significant" | "all"
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "stress": self.stress, "stress_measure": "normalized raw stress",
            "stress_1": self.stress_1, "raw_stress": self.raw_stress,
            "method": "metric SMACOF" if self.metric else "non-metric SMACOF",
            "dissimilarity": "Lance and Williams (b+c)/(2a+b+c)",
            "variables_from": self.selection, "note": self.note,
            "points": [{"variable": p.variable, "x": p.x, "y": p.y} for p in self.points],
        }


def lance_williams(present: npt.NDArray[np.bool_]) -> FloatArray:
    """(b + c) / (2a + b + c) between every pair of columns; a column must be
    present in at least one row, else the coefficient is undefined."""
    x = present.astype(np.float64)
    both = x.T @ x
    totals = x.sum(axis=0)
    if (totals == 0).any():
        raise ValueError("every column needs at least one 1 for the Lance-Williams measure")
    either = totals[:, None] + totals[None, :]  # 2a + b + c
    result: FloatArray = (either - 2 * both) / either
    np.fill_diagonal(result, 0.0)
    return result


def select_variables(result: Associations) -> tuple[tuple[str, ...], str, str | None]:
    significant = result.significant_variables()
    if len(significant) >= MIN_VARIABLES:
        return significant, "significant", None
    note = (f"only {len(significant)} variables are in a pair significant at "
            f"p < {result.alpha}; the map shows all {len(result.variables)} analysed variables")
    return result.variables, "all", note


def co_occurrence_map(table: BinaryTable, alpha: float = 0.05, *, metric: bool = True,
                      n_init: int = N_INIT, random_state: int = RANDOM_STATE,
                      found: Associations | None = None) -> CoMap:
    """The map of the table's variables; `found` is `associations(table,
    alpha)` when the caller has it already (it is not worked out twice)."""
    if found is None or found.alpha != alpha or found.n != table.n:
        found = associations(table, alpha)
    variables, selection, note = select_variables(found)
    if len(variables) < MIN_VARIABLES:
        raise StorfaError(N_("A map needs at least {most} variables present in more than two "
                             "reviews (and not in all); this table has {n}."),
                          most=MIN_VARIABLES, n=len(variables))
    columns = [table.variables.index(v) for v in variables]
    dissimilarity = lance_williams(table.present[:, columns])
    positions = fit(dissimilarity, metric=metric, n_init=n_init, random_state=random_state)
    target = disparities(dissimilarity, positions, metric=metric)
    raw, normalised, stress_1 = stresses(target, distances(positions))
    points = tuple(Point(v, float(x), float(y)) for v, (x, y) in zip(variables, positions,
                                                                     strict=True))
    return CoMap(points=points, stress=normalised, stress_1=stress_1, raw_stress=raw,
                 metric=metric, selection=selection, note=note)


def fit(dissimilarity: FloatArray, *, metric: bool, n_init: int, random_state: int
        ) -> FloatArray:
    if metric:
        positions, _ = metric_smacof(dissimilarity, n_init=n_init, random_state=random_state)
    else:
        from sklearn.manifold import smacof  # ~0.4 s to import, only for this path

        positions, _ = smacof(dissimilarity, metric=False, n_components=2, init=None,
                              n_init=n_init, random_state=random_state, max_iter=MAX_ITER,
                              eps=EPS, normalized_stress=False)
    return principal_axes(np.asarray(positions, dtype=np.float64))


def metric_smacof(dissimilarity: FloatArray, *, n_init: int, random_state: int,
                  n_components: int = 2) -> tuple[FloatArray, float]:
    """Metric SMACOF as `sklearn.manifold.smacof(metric=True, init=None,
    n_jobs=None)` runs it: each start drawn in turn from one RandomState
    seeded with `random_state`, the best raw stress kept. Returns the
    positions and their raw stress (Σ over pairs i < j)."""
    starts = np.random.RandomState(random_state)
    size = dissimilarity.shape[0] * n_components
    best: tuple[FloatArray, float] | None = None
    for _ in range(n_init):
        start = starts.uniform(size=size).reshape(-1, n_components)
        positions, stress = _metric_smacof_single(dissimilarity, start)
        if best is None or stress < best[1]:
            best = (positions, stress)
    if best is None:
        raise ValueError("n_init must be at least 1")
    return best


def _metric_smacof_single(dissimilarity: FloatArray, positions: FloatArray
                          ) -> tuple[FloatArray, float]:
    n = dissimilarity.shape[0]
    diagonal = np.arange(n)
    fitted = distances(positions)
    old_stress: float | None = None
    stress = 0.0
    for _ in range(MAX_ITER):
        fitted[fitted == 0] = 1e-5  # scikit-learn's guard against dividing by 0
        ratio = dissimilarity / fitted
        guttman = -ratio
        guttman[diagonal, diagonal] += ratio.sum(axis=1)
        positions = guttman @ positions / n
        fitted = distances(positions)
        stress = float(((fitted - dissimilarity) ** 2).sum()) / 2
        if old_stress is not None and (old_stress - stress) / ((fitted**2).sum() / 2) < EPS:
            break
        old_stress = stress
    return positions, stress


def principal_axes(positions: FloatArray) -> FloatArray:
    """Centre and rotate onto principal axes, sign-fixed so the largest
    coordinate on each axis is positive: distances (and so the stress) are
    unchanged, but the same data always draw the same picture."""
    centred = positions - positions.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    rotated: FloatArray = centred @ axes.T
    for k in range(rotated.shape[1]):
        if rotated[np.argmax(np.abs(rotated[:, k])), k] < 0:
            rotated[:, k] *= -1
    return rotated


def distances(positions: FloatArray) -> FloatArray:
    diff = positions[:, None, :] - positions[None, :, :]
    result: FloatArray = np.sqrt((diff**2).sum(axis=-1))
    return result


def disparities(dissimilarity: FloatArray, positions: FloatArray, *, metric: bool
                ) -> FloatArray:
    """What the distances are fitted to: the dissimilarities themselves
    (metric), or their monotone (isotonic) regression on the fitted distances."""
    if metric:
        return dissimilarity
    from sklearn.isotonic import IsotonicRegression

    upper = np.triu_indices_from(dissimilarity, k=1)
    fitted = IsotonicRegression().fit_transform(dissimilarity[upper],
                                                distances(positions)[upper])
    result = np.zeros_like(dissimilarity)
    result[upper] = fitted
    symmetric: FloatArray = result + result.T
    return symmetric


def stresses(target: FloatArray, fitted: FloatArray) -> tuple[float, float, float]:
    """(raw, normalised raw, Kruskal stress-1) over the pairs i < j."""
    upper = np.triu_indices_from(target, k=1)
    residual = float(((target[upper] - fitted[upper]) ** 2).sum())
    target_ss = float((target[upper] ** 2).sum())
    fitted_ss = float((fitted[upper] ** 2).sum())
    normalised = residual / target_ss if target_ss else 0.0
    stress_1 = math.sqrt(residual / fitted_ss) if fitted_ss else 0.0
    return residual, normalised, stress_1


def plot(result: CoMap, path: Path, title: str = "Co-occurrence of case variables") -> None:
    """Draw the labelled map to PNG or SVG (by the file suffix); needs matplotlib."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only, also on servers
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 6), dpi=150)
    xs = [p.x for p in result.points]
    ys = [p.y for p in result.points]
    axes.scatter(xs, ys, s=18, color="#1f4e79")
    for p in result.points:
        axes.annotate(p.variable, (p.x, p.y), textcoords="offset points", xytext=(4, 4),
                      fontsize=8)
    axes.axhline(0, color="#cccccc", linewidth=0.6)
    axes.axvline(0, color="#cccccc", linewidth=0.6)
    axes.set_xlabel("Dimension 1")
    axes.set_ylabel("Dimension 2")
    axes.set_title(f"{title}\nnormalised raw stress {result.stress:.3f}", fontsize=10)
    axes.set_aspect("equal", adjustable="datalim")
    axes.margins(0.15)  # room for the labels of the outermost points
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
