"""Agreement figures against the reference implementations (scikit-learn's
cohen_kappa_score, the krippendorff package) on worked examples, and
`storfa code agreement` over two coders' codings of the same review."""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from harness import Cli
from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.coding.agreement import cohen_kappa, krippendorff_alpha
from storfa.config import Settings
from storfa.storage.sql.extracts import SQLExtracts

EXAMPLES = [
    ([1, 1, 0, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 0, 1, 0, 1, 1, 1, 0]),
    ([0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
    (["a", "b", "c", "a", "b", "c", "a", "a"], ["a", "b", "b", "a", "c", "c", "a", "b"]),
    ([1, 1, 1, 1, 0], [1, 1, 1, 1, 1]),
]


@pytest.mark.parametrize(("a", "b"), EXAMPLES)
def test_kappa_matches_scikit_learn(a: list[object], b: list[object]) -> None:
    ours = cohen_kappa(a, b)
    assert ours is not None
    assert ours == pytest.approx(cohen_kappa_score(a, b))


@pytest.mark.parametrize(("a", "b"), EXAMPLES)
def test_alpha_matches_krippendorff_package(a: list[object], b: list[object]) -> None:
    labels = sorted({*a, *b}, key=str)
    coded = np.array([[labels.index(x) for x in a], [labels.index(x) for x in b]], dtype=float)
    ours = krippendorff_alpha([a, b])
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=coded,
                                                   level_of_measurement="nominal"))


def test_alpha_with_missing_values_and_three_coders() -> None:
    # Krippendorff's (2011) worked example: four coders, twelve units, gaps.
    nan = np.nan
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    rows = [[None if np.isnan(v) else int(v) for v in row] for row in data]
    expected = krippendorff.alpha(reliability_data=np.array(data),
                                  level_of_measurement="nominal")
    assert krippendorff_alpha(rows) == pytest.approx(expected)
    assert expected == pytest.approx(0.743, abs=0.001)


def test_undefined_without_variation() -> None:
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert krippendorff_alpha([[0, 0, 0], [0, 0, 0]]) is None
    assert cohen_kappa([], []) is None


def test_cli_agreement(cli: Cli, tmp_path: Path) -> None:
    assert cli.run("ingest", "--no-embed", *map(str, write_reviews(tmp_path / "in"))
                   ).exit_code == 0
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    try:
        record = app.store.get_review("CPR2019-W03")
        assert record is not None
        text = SQLExtracts(app.store.db).version_text(record.version_id)  # type: ignore[attr-defined]
        units = [p for p in app.store.passages(record.version_id) if p.kind != "heading"]
    finally:
        app.close()

    def code(coder: str, needle: str, name: str) -> None:
        at = text.index(needle)
        cli.json("code", "add", "CPR2019-W03", str(at), str(at + len(needle)), name,
                 "--codebook", "best-practice", "--coder", coder)

    code("ann", "kept visiting", "Persistency in care and support")
    code("ben", "kept visiting", "Persistency in care and support")
    code("ann", "timely escalation", "Escalating concerns")
    code("ben", "A learning event was held", "Escalating concerns")
    doc = cli.json("code", "agreement", "--codebook", "best-practice", "--coders", "ann,ben")
    assert doc["reviews"] == ["CPR2019-W03"]
    figures = {c["code"]: c for c in doc["codes"]}
    assert len(figures) == 18
    persist = figures["Persistency in care and support"]
    assert persist["units"] == len(units) and persist["kappa"] == 1.0
    assert persist["alpha"] == 1.0 and persist["coded_both"] == 1
    escalate = figures["Escalating concerns"]
    assert (escalate["coded_a"], escalate["coded_b"], escalate["coded_both"]) == (1, 1, 0)
    a = [int("timely escalation" in p.text) for p in units]
    b = [int("A learning event was held" in p.text) for p in units]
    assert escalate["kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-4)
    assert figures["Record keeping"]["kappa"] is None
    assert cli.json("code", "agreement", "--codebook", "best-practice", "--coders", "ann",
                    expect_exit=2)["error"]
