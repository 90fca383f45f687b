"""`storfa assurance` end to end through the CLI, on both backends: open,
answer with a file, a refused grade, submit, reopen, history, compare and a
survey import with its mapping step."""

from __future__ import annotations

from pathlib import Path

from harness import Cli
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.config import Settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CSV = b"Role,Confidence\nHealth,4\nPolice,2\nHealth,\n"


def _orgs(data_dir: Path) -> None:
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    app.accounts.add_organisation("North Board", "North Wales", Actor(None, "test"))
    app.close()


def test_a_return_and_a_survey_through_the_cli(cli: Cli, data_dir: Path,
                                               tmp_path: Path) -> None:
    _orgs(data_dir)
    cs = cli.json("assurance", "twelve-cs")
    assert len(cs["cs"]) == 12 and cs["scale"][0]["grade"] == "outstanding"
    opened = cli.json("assurance", "open", "North Wales", "--year", "2024")
    assert opened["status"] == "draft" and len(opened["missing"]) == 12
    evidence = tmp_path / "minutes.png"
    evidence.write_bytes(PNG)
    answered = cli.json("assurance", "answer", "North Board", "clarity", "--year", "2024",
                        "--in-place", "Thresholds agreed", "--grade", "good",
                        "--file", str(evidence))
    assert answered["cs"][0]["grade"] == "good" and answered["cs"][0]["files"][0]["name"] == \
        "minutes.png"
    refused = cli.json("assurance", "answer", "North Board", "2", "--year", "2024",
                       "--grade", "excellent", expect_exit=2)
    assert "requires_improvement" in refused["error"]
    half = cli.json("assurance", "submit", "North Board", "--year", "2024", expect_exit=2)
    assert "Confidence" in half["error"]
    for n in range(2, 13):
        cli.json("assurance", "answer", "North Board", str(n), "--year", "2024", "--grade", "3")
    assert cli.json("assurance", "submit", "North Board", "--year", "2024")["status"] == \
        "submitted"
    locked = cli.json("assurance", "answer", "North Board", "1", "--year", "2024",
                      "--grade", "1", expect_exit=2)
    assert "locked" in locked["error"]
    assert cli.json("assurance", "reopen", "North Board", "--year", "2024", "--reason",
                    "Correction")["status"] == "draft"
    cli.json("assurance", "submit", "North Board", "--year", "2024")
    nxt = cli.json("assurance", "open", "North Board", "--year", "2025")
    assert nxt["carried_from"] == 2024 and nxt["cs"][0]["in_place"] == "Thresholds agreed"
    history = cli.json("assurance", "history", "North Board")
    assert history["years"] == [2024, 2025]
    out = tmp_path / "compare.xlsx"
    compared = cli.json("assurance", "compare", "--year", "2024", "--out", str(out))
    assert compared["cs"][0]["grades"] == {"North Board": "good"} and out.stat().st_size > 0
    assert cli.run("assurance", "show", "North Board", "--year", "2024").exit_code == 0

    survey = tmp_path / "survey.csv"
    survey.write_bytes(CSV)
    imported = cli.json("assurance", "survey-import", str(survey), "--org", "North Board")
    assert [c["column"] for c in imported["columns"]] == ["Role", "Confidence"]
    twice = cli.json("assurance", "survey-map", str(imported["id"]), "--map", "Role=choice:Q",
                     "--map", "Confidence=scale:q", expect_exit=2)
    assert "mapped twice" in twice["error"]
    cli.json("assurance", "survey-map", str(imported["id"]), "--map", "Role=choice",
             "--map", "Confidence=scale")
    results = cli.json("assurance", "survey-results", str(imported["id"]))
    confidence = results["questions"][1]
    assert confidence["base"] == 2 and [o["percent"] for o in confidence["options"]] == [50.0,
                                                                                        50.0]
