"""The co-occurrence map: the dissimilarity against SciPy's Bray–Curtis and
Dice, the stress against scikit-learn's own SMACOF on the same matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.distance import braycurtis, dice
from sklearn.manifold import smacof

from storfa.analysis import mds
from storfa.analysis.mds import co_occurrence_map, distances, lance_williams, stresses
from storfa.analysis.tables import BinaryTable
from storfa.domain.errors import StorfaError

# Five reviews × three variables. For (x, y): a = 2 both, b = 1, c = 1 → 2/6.
WORKED = np.array([
    [1, 1, 0],
    [1, 1, 1],
    [1, 0, 0],
    [0, 1, 1],
    [0, 0, 1],
], dtype=bool)


def make_table(present: np.ndarray) -> BinaryTable:
    names = tuple(f"v{i}" for i in range(present.shape[1]))
    return BinaryTable(tuple(f"R{i}" for i in range(present.shape[0])), names, present,
                       np.ones_like(present))


def planted(seed: int = 3, n: int = 120) -> np.ndarray:
    """Three clusters of co-occurring variables plus two independent ones."""
    rng = np.random.default_rng(seed)
    columns = []
    for _ in range(3):
        latent = rng.random(n) < 0.35
        columns += [latent ^ (rng.random(n) < 0.1) for _ in range(3)]
    columns += [rng.random(n) < 0.3 for _ in range(2)]
    return np.stack(columns, axis=1)


def test_lance_williams_on_the_worked_example_matches_bray_curtis_and_dice() -> None:
    d = lance_williams(WORKED)
    assert d[0, 1] == pytest.approx(2 / 6)
    for i in range(3):
        for j in range(3):
            if i != j:
                assert d[i, j] == pytest.approx(braycurtis(WORKED[:, i].astype(float),
                                                           WORKED[:, j].astype(float)))
                assert d[i, j] == pytest.approx(dice(WORKED[:, i], WORKED[:, j]))
    assert np.allclose(d, d.T) and np.allclose(np.diag(d), 0)


def test_joint_absences_do_not_make_variables_alike() -> None:
    padded = np.vstack([WORKED, np.zeros((50, 3), dtype=bool)])
    assert np.allclose(lance_williams(padded), lance_williams(WORKED))
    # A simple matching coefficient would now call every pair almost identical.


def test_lance_williams_needs_every_column_present_somewhere() -> None:
    with pytest.raises(ValueError):
        lance_williams(np.array([[1, 0], [1, 0]], dtype=bool))


def test_stress_matches_scikit_learn_smacof_on_the_same_matrix() -> None:
    present = planted()
    result = co_occurrence_map(make_table(present))
    assert result.selection == "significant" and result.note is None
    chosen = [int(p.variable[1:]) for p in result.points]
    matrix = lance_williams(present[:, chosen])
    settings = {"metric": True, "n_components": 2, "n_init": mds.N_INIT,
                "random_state": mds.RANDOM_STATE, "max_iter": mds.MAX_ITER, "eps": mds.EPS}
    positions, raw = smacof(matrix, normalized_stress=False, **settings)
    _, stress_1 = smacof(matrix, normalized_stress=True, **settings)
    assert result.raw_stress == pytest.approx(raw, rel=1e-6)
    assert result.stress_1 == pytest.approx(stress_1, rel=1e-6)
    upper = np.triu_indices_from(matrix, k=1)
    assert result.stress == pytest.approx(raw / (matrix[upper] ** 2).sum(), rel=1e-6)
    # The reported points are the fitted configuration (rotated, not reshaped).
    points = np.array([[p.x, p.y] for p in result.points])
    assert np.allclose(distances(points), distances(np.asarray(positions)), atol=1e-9)
    assert 0 <= result.stress < 0.15  # a good fit, by the worked example's yardstick


def test_clustered_variables_lie_closer_than_unrelated_ones() -> None:
    result = co_occurrence_map(make_table(planted()))
    where = {p.variable: np.array([p.x, p.y]) for p in result.points}
    within = np.linalg.norm(where["v0"] - where["v1"])
    across = np.linalg.norm(where["v0"] - where["v3"])
    assert within < across


def test_few_significant_variables_fall_back_to_all_and_say_so() -> None:
    rng = np.random.default_rng(11)
    independent = rng.random((40, 4)) < 0.5
    result = co_occurrence_map(make_table(independent), alpha=1e-6)
    assert result.selection == "all" and result.note and "all 4" in result.note
    assert [p.variable for p in result.points] == ["v0", "v1", "v2", "v3"]
    assert result.as_json()["variables_from"] == "all"


def test_too_few_variables_is_a_clear_error() -> None:
    with pytest.raises(StorfaError, match="at least 3 variables"):
        co_occurrence_map(make_table(WORKED[:, :2]))


def test_nonmetric_stress_uses_isotonic_disparities() -> None:
    result = co_occurrence_map(make_table(planted()), metric=False)
    assert not result.metric and 0 <= result.stress < 1 and 0 <= result.stress_1 < 1


def test_stress_formulas_on_a_hand_example() -> None:
    target = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], dtype=float)
    fitted = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=float)
    raw, normalised, stress_1 = stresses(target, fitted)
    assert raw == pytest.approx(1.0)  # only the (0, 2) pair differs, by 1
    assert normalised == pytest.approx(1 / 6)  # Σd̂² = 1 + 4 + 1
    assert stress_1 == pytest.approx((1 / 3) ** 0.5)  # Σd² = 3


def test_the_map_is_reproducible() -> None:
    table = make_table(planted())
    assert co_occurrence_map(table) == co_occurrence_map(table)


def test_plot_writes_png_and_svg(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = co_occurrence_map(make_table(planted()))
    for name in ("map.png", "map.svg"):
        mds.plot(result, tmp_path / name)
    assert (tmp_path / "map.png").read_bytes().startswith(b"\x89PNG")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "<svg" in svg


@pytest.mark.parametrize("seed", range(6))
def test_metric_smacof_is_scikit_learns_start_for_start(seed: int) -> None:
    """storfa's numpy SMACOF draws the same starts and follows the same
    iterations as scikit-learn's, so both keep the same configuration."""
    rng = np.random.default_rng(seed)
    variables, factors = int(rng.integers(4, 30)), int(rng.integers(1, 5))
    latent = rng.normal(size=(300, factors)) @ rng.normal(size=(factors, variables))
    present = latent + rng.normal(size=(300, variables)) > 0.5
    present[0] = True  # every column present somewhere
    matrix = lance_williams(present)
    ours, our_stress = mds.metric_smacof(matrix, n_init=4, random_state=seed)
    theirs, their_stress = smacof(matrix, metric=True, n_components=2, n_init=4,
                                  random_state=seed, max_iter=mds.MAX_ITER, eps=mds.EPS,
                                  normalized_stress=False)
    assert our_stress == pytest.approx(their_stress, rel=1e-9)
    assert np.allclose(ours, theirs, atol=1e-9)
