"""`storfa analyse ...` as a user's script drives it: CONTRACT.md's JSON
shapes, clear errors with exit status 2 for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from harness import Cli
from reviewtext import write_reviews


@pytest.fixture
def csv_cli(tmp_path: Path) -> Cli:
    """For commands that read only a CSV: no store is opened, so one backend is enough."""
    return Cli(tmp_path / "data")


@pytest.fixture
def planted_csv(tmp_path: Path) -> Path:
    """60 reviews, two pairs of strongly co-occurring variables and noise."""
    rng = np.random.default_rng(5)
    first, second = rng.random(60) < 0.4, rng.random(60) < 0.35
    columns = {
        "neglect": first, "poor_home_conditions": first ^ (rng.random(60) < 0.1),
        "self_harm": second, "suicidal_ideation": second ^ (rng.random(60) < 0.05),
        "bullying": rng.random(60) < 0.3, "rare": np.arange(60) < 2,
    }
    lines = ["review_id," + ",".join(columns)]
    for r in range(60):
        cells = ["1" if columns[c][r] else ("" if r % 7 == 0 else "0") for c in columns]
        lines.append(f"CPR{r:03d}," + ",".join(cells))
    path = tmp_path / "variables.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_associations_json_shape(csv_cli: Cli, planted_csv: Path) -> None:
    doc = csv_cli.json("analyse", "associations", "--from-csv", str(planted_csv))
    assert doc["bonferroni_alpha"] == pytest.approx(0.05 / 10)  # 5 variables analysed
    assert len(doc["pairs"]) == 10
    for pair in doc["pairs"]:
        assert {"a", "b", "phi", "p", "test", "n", "significant",
                "significant_bonferroni"} <= set(pair)
        assert pair["test"] in {"chi-square", "fisher"} and pair["n"] == 60
        assert -1 <= pair["phi"] <= 1 and 0 <= pair["p"] <= 1
    strong = next(p for p in doc["pairs"] if {p["a"], p["b"]} == {"self_harm",
                                                                  "suicidal_ideation"})
    assert strong["significant_bonferroni"] and strong["phi"] > 0.8
    assert [s["variable"] for s in doc["skipped"]] == ["rare"]
    stricter = csv_cli.json("analyse", "associations", "--from-csv", str(planted_csv),
                        "--alpha", "0.01")
    assert stricter["bonferroni_alpha"] == pytest.approx(0.001)


def test_map_json_shape_and_drawings(csv_cli: Cli, planted_csv: Path, tmp_path: Path) -> None:
    doc = csv_cli.json("analyse", "map", "--from-csv", str(planted_csv))
    assert isinstance(doc["stress"], float) and 0 <= doc["stress"] < 1
    assert {p["variable"] for p in doc["points"]} >= {"self_harm", "suicidal_ideation"}
    assert all(set(p) == {"variable", "x", "y"} for p in doc["points"])
    pytest.importorskip("matplotlib")
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    result = csv_cli.run("analyse", "map", "--from-csv", str(planted_csv), "--png", str(png),
                     "--svg", str(svg))
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 0 and "<svg" in svg.read_text(encoding="utf-8")


def test_timeliness_json_after_ingest(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    doc = cli.json("analyse", "timeliness")
    by_id = {r["review_id"]: r for r in doc["reviews"]}
    assert by_id["CPR2019-W03"]["days"] == {
        "incident_to_referral": 49, "referral_to_sign_off": 620,
        "incident_to_learning_event": 595, "incident_to_sign_off": 669}
    assert by_id["DHR2020-W01"]["days"]["referral_to_sign_off"] is None
    assert {"measures", "guidance", "by_board", "by_type", "missing_dates"} <= set(doc["summary"])
    only_dhr = cli.json("analyse", "timeliness", "--type", "DHR")
    assert [r["review_id"] for r in only_dhr["reviews"]] == ["DHR2020-W01"]
    readable = cli.run("analyse", "timeliness")
    assert readable.exit_code == 0 and "CPR2019-W03" in readable.stdout


def test_frequencies_from_csv_and_from_stored_reviews(cli: Cli, planted_csv: Path,
                                                      tmp_path: Path) -> None:
    doc = cli.json("analyse", "frequencies", "--from-csv", str(planted_csv),
                   "--variable", "neglect", "--by", "bullying")
    assert doc["by"] == "bullying"
    assert [t["group"] for t in doc["tables"]] == ["0", "1", "missing"]
    assert sum(t["total"] for t in doc["tables"]) == 60
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    stored = cli.json("analyse", "frequencies", "--variable", "type")
    (types,) = stored["tables"]
    assert {r["value"]: r["frequency"] for r in types["rows"]} == {"CPR": 1, "DHR": 1}


def test_outputs_to_xlsx_and_csv(csv_cli: Cli, planted_csv: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "phi.xlsx"
    result = csv_cli.run("analyse", "associations", "--from-csv", str(planted_csv), "--out",
                     str(xlsx))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("a", "b", "phi", "p") and len(rows) == 11
    out = tmp_path / "freq.csv"
    assert csv_cli.run("analyse", "frequencies", "--from-csv", str(planted_csv), "--out",
                   str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("variable,group,value,frequency")


def test_readable_associations(csv_cli: Cli, planted_csv: Path) -> None:
    result = csv_cli.run("analyse", "associations", "--from-csv", str(planted_csv))
    assert result.exit_code == 0
    assert "self_harm" in result.stdout and "Bonferroni" in result.stdout
    assert "skipped rare" in result.stdout


@pytest.mark.parametrize(("text", "message"), [
    ("review_id,a,b\nR1,1,0\nR2,1,maybe\n", "line 3 (review 'R2'), column 'b'"),
    ("review_id,a,b\nR1,1,0\nR1,1,1\n", "duplicate review_id 'R1'"),
    ("review_id,a,b\n", "no rows"),
])
@pytest.mark.parametrize("command", ["associations", "map"])
def test_bad_csv_is_a_clear_error_with_exit_2(csv_cli: Cli, tmp_path: Path, text: str,
                                              message: str, command: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    doc = csv_cli.json("analyse", command, "--from-csv", str(path), expect_exit=2)
    assert message in doc["error"]
    plain = csv_cli.run("analyse", command, "--from-csv", str(path))
    assert plain.exit_code == 2 and message in " ".join(plain.output.split())


def test_usage_errors_exit_2(csv_cli: Cli, planted_csv: Path, tmp_path: Path) -> None:
    assert "--from-csv" in csv_cli.json("analyse", "associations", expect_exit=2)["error"]
    assert "no such file" in csv_cli.json("analyse", "map", "--from-csv",
                                      str(tmp_path / "nope.csv"), expect_exit=2)["error"]
    assert "--alpha" in csv_cli.json("analyse", "associations", "--from-csv", str(planted_csv),
                                 "--alpha", "2", expect_exit=2)["error"]
    few = tmp_path / "few.csv"
    few.write_text("review_id,a,b\nR1,1,0\nR2,1,1\nR3,1,1\nR4,0,1\n", encoding="utf-8")
    assert "at least 3 variables" in csv_cli.json("analyse", "map", "--from-csv", str(few),
                                              expect_exit=2)["error"]
    assert ".csv or .xlsx" in csv_cli.json("analyse", "associations", "--from-csv",
                                       str(planted_csv), "--out",
                                       str(tmp_path / "x.pdf"), expect_exit=2)["error"]
