"""`storfa analyse suggest|set|values|quality` and associations/map over the
stored case variables, as a user's script drives them; the SPSS `.sav`
export read back with pyreadstat."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import Cli
from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.config import Settings

# Eight reviews coded by hand: 1 present, 0 not known.
PLANTED = {
    "child_neglect":              [1, 1, 1, 1, 0, 0, 0, 1],
    "child_poor_home_conditions": [1, 1, 1, 1, 0, 0, 0, 0],
    "child_self_harm":            [0, 0, 1, 0, 1, 1, 1, 0],
    "child_suicidal_ideation":    [0, 0, 0, 0, 1, 1, 1, 0],
    "child_bullying":             [1, 0, 1, 0, 1, 0, 1, 0],
}


def _review(n: int) -> str:
    return f"""# Child Practice Review CPR20{10 + n}-W{n:02d}

Gwent Safeguarding Board — Concise Child Practice Review re: Child {n}

## Brief outline of circumstances resulting in the review

The index incident occurred on 3 March 2018. The case was referred to the
Case Review Sub-Group on 1 May 2018.

## Practice and organisational learning

The health visitor and the police were involved with the family.
"""


@pytest.fixture
def coded(cli: Cli, tmp_path: Path) -> list[str]:
    folder = tmp_path / "reviews"
    folder.mkdir()
    keys = []
    for n in range(1, 9):
        (folder / f"r{n}.md").write_text(_review(n), encoding="utf-8")
        keys.append(f"CPR20{10 + n}-W{n:02d}")
    cli.json("ingest", str(folder))
    # Through the service (one store opened, not forty); `set` itself is tested above.
    app = Storfa(Settings.from_env(data_dir=cli.data_dir, workers=1))
    try:
        service = app.casevars
        for variable, column in PLANTED.items():
            for key, cell in zip(keys, column, strict=True):
                service.set_value(key, variable, "present" if cell else "not_known", "tester")
    finally:
        app.close()
    return keys


def test_suggest_and_set_json_shapes(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    doc = cli.json("analyse", "suggest", "--type", "CPR")
    assert doc["reviews"] == 1
    assert {"review_id", "variable", "value", "term", "evidence", "page", "start", "end",
            "hits", "status", "passage_id"} <= set(doc["suggestions"][0])
    assert {s["status"] for s in doc["suggestions"]} == {"suggested"}
    assert all(s["review_id"] == "CPR2019-W03" for s in doc["suggestions"])
    values = cli.json("analyse", "values", "--review", "CPR2019-W03")
    (review,) = values["reviews"]
    assert review["values"] == {} and review["decisions"] == []
    assert {s["state"] for s in review["suggestions"]} == {"open"}
    # Setting a suggested value confirms it with the suggestion's evidence.
    set_doc = cli.json("analyse", "set", "cpr2019-w03", "child_neglect", "present")
    assert set_doc["review_id"] == "CPR2019-W03" and set_doc["status"] == "confirmed"
    assert "neglect" in set_doc["evidence"]["text"] and set_doc["previous"] is None
    again = cli.json("analyse", "set", "CPR2019-W03", "child_neglect", "not_known")
    assert again["previous"]["value"] == "present"
    rejected = cli.json("analyse", "set", "CPR2019-W03", "agency_hospital", "reject")
    assert rejected["status"] == "rejected"
    values = cli.json("analyse", "values", "--review", "CPR2019-W03")
    assert values["reviews"][0]["values"] == {"child_neglect": "not known",
                                              "agency_hospital": "not known"}
    bad = cli.json("analyse", "set", "CPR2019-W03", "child_neglect", "perhaps", expect_exit=2)
    assert "present or not_known" in bad["error"]
    missing = cli.json("analyse", "set", "CPR2099-W99", "child_neglect", "present",
                       expect_exit=2)
    assert "No review" in missing["error"]
    assert "No review" in cli.json("analyse", "suggest", "--review", "nope",
                                   expect_exit=2)["error"]


def test_associations_and_map_over_stored_variables(cli: Cli, coded: list[str],
                                                    tmp_path: Path) -> None:
    stored = cli.json("analyse", "associations")
    lines = ["review_id," + ",".join(PLANTED)]
    for i, key in enumerate(coded):
        lines.append(key + "," + ",".join(str(PLANTED[v][i]) for v in PLANTED))
    csv = tmp_path / "planted.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = cli.json("analyse", "associations", "--from-csv", str(csv))
    assert stored["n"] == 8 and stored["bonferroni_alpha"] == reference["bonferroni_alpha"]
    pairs = {frozenset((p["a"], p["b"])): p for p in reference["pairs"]}
    assert len(stored["pairs"]) == len(pairs) == 10
    for p in stored["pairs"]:
        same = pairs[frozenset((p["a"], p["b"]))]
        assert p["phi"] == pytest.approx(same["phi"], abs=1e-12)
        assert p["p"] == pytest.approx(same["p"], abs=1e-12)
    # Filters narrow the reviews (years 2011..2018 from the identifiers).
    narrowed = cli.json("analyse", "associations", "--year-from", "2013", "--year-to", "2018")
    assert narrowed["n"] == 6
    none = cli.json("analyse", "associations", "--type", "DHR", expect_exit=2)
    assert "confirmed case variable" in none["error"]
    comap = cli.json("analyse", "map")
    assert isinstance(comap["stress"], float) and len(comap["points"]) >= 3
    frequencies = cli.json("analyse", "frequencies", "--case-variables")
    neglect = next(t for t in frequencies["tables"] if t["variable"] == "child_neglect")
    assert {r["value"]: r["frequency"] for r in neglect["rows"]} == {"present": 5,
                                                                      "not known": 3}


def test_sav_export_round_trip(cli: Cli, coded: list[str], tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "case-variables.sav"
    result = cli.run("analyse", "values", "--out", str(path))
    assert result.exit_code == 0, result.output
    frame, meta = pyreadstat.read_sav(str(path))
    assert list(frame["review_id"]) == coded
    assert [int(x) for x in frame["child_neglect"]] == PLANTED["child_neglect"]
    assert frame["child_cse"].isna().all()  # never coded: system-missing
    labels = meta.column_names_to_labels
    assert labels["child_neglect"] == "Neglect" and labels["review_id"] == "Review identifier"
    assert meta.variable_value_labels["child_neglect"] == {0.0: "not known", 1.0: "present"}
    assert meta.variable_value_labels["index_incident_type"][2.0] == "SUDI"
    assert list(frame["type"]) == ["CPR"] * 8 and frame["year"].iloc[0] == 2011
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"table.{suffix}"
        assert cli.run("analyse", "values", "--out", str(out)).exit_code == 0
    header = (tmp_path / "table.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("review_id,type,board,year,variant,parent_mental_health")


def test_quality_json_shape(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    doc = cli.json("analyse", "quality")
    names = [i["name"] for i in doc["items"]]
    assert "key_dates" in names and all(i["rationale"] for i in doc["items"])
    by_id = {r["review_id"]: r for r in doc["reviews"]}
    cpr = by_id["CPR2019-W03"]
    assert cpr["items"]["key_dates"]["found"] is True
    assert cpr["items"]["key_dates"]["evidence"]["dates"]["sign_off"] == "2021-01-11"
    assert cpr["items"]["completed_within_6_months"]["found"] is False
    assert cpr["items"]["learning_section"]["evidence"]["text"] == (
        "Practice and organisational learning")
    assert cpr["found"] == sum(1 for r in cpr["items"].values() if r["found"])
    assert cpr["score"] == pytest.approx(cpr["found"] / cpr["total"], abs=1e-4)
    dhr = by_id["DHR2020-W01"]
    assert dhr["items"]["completed_within_6_months"]["found"] is None  # no sign-off date
    assert doc["summary"]["items"]["key_dates"] == {"found": 1, "known": 2, "reviews": 2,
                                                    "share": 0.5}
    only = cli.json("analyse", "quality", "--review", "DHR2020-W01")
    assert [r["review_id"] for r in only["reviews"]] == ["DHR2020-W01"]
    out = tmp_path / "quality.csv"
    assert cli.run("analyse", "quality", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("review_id,score,found,total,")
