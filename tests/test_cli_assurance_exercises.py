"""`storfa assurance audit|selfeval|triangulate` end to end through the CLI:
a case by reference (a name refused), grades and a disagreement, a
self-evaluation from the core template filled by two agencies, and the
triangulation of one theme with its DOCX."""

from __future__ import annotations

from pathlib import Path

from harness import Cli
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.config import Settings


def _orgs(data_dir: Path) -> None:
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    for name, board in (("North Board", "North Wales"), ("Police", None), ("Health", None)):
        app.accounts.add_organisation(name, board, Actor(None, "test"))
    app.close()


def test_audit_selfeval_and_triangulation(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    _orgs(data_dir)
    made = cli.json("assurance", "audit", "create", "North Wales", "--title", "Neglect",
                    "--question", "training | Was the practitioner trained?")
    audit = str(made["id"])
    assert made["questions"][0]["theme"] == "training"
    refused = cli.json("assurance", "audit", "add-case", audit, "Jane Smith",
                       "--agency", "Police", expect_exit=2)
    assert "name" in refused["error"]
    cli.json("assurance", "audit", "add-case", audit, "CFA-7", "--agency", "Police",
             "--agency", "Health")
    cli.json("assurance", "audit", "grade", audit, "CFA-7", "q1", "good", "--agency", "Police")
    cli.json("assurance", "audit", "grade", audit, "CFA-7", "q1", "1", "--agency", "Health",
             "--comment", "No training record")
    results = cli.json("assurance", "audit", "results", audit)
    assert results["questions"][0]["percents"]["good"] == 50.0
    assert results["disagreements"][0]["spread"] == 2
    se = cli.json("assurance", "selfeval", "create", "North Board", "--template", "core")
    se_id = str(se["id"])
    assert se["sections"][3]["title"] == "Training"
    cli.json("assurance", "selfeval", "send", se_id, "--agency", "Police", "--agency", "Health")
    scores = [f"--score=s{i}=good" for i in range(1, 7)]
    cli.json("assurance", "selfeval", "answer", se_id, "--agency", "Police",
             "--answer", "s4q3=yes", "--answer", "s6q3=After the review we changed the "
             "escalation protocol so that disputed referral thresholds go to a manager.",
             *scores, "--submit")
    draft = cli.json("assurance", "selfeval", "answer", se_id, "--agency", "Health",
                     "--answer", "s4q3=no")
    assert draft["status"] == "draft"
    found = cli.json("assurance", "selfeval", "results", se_id)
    assert found["not_returned"] == ["Health"] and found["submitted"] == 1
    # The free-text answer coded with cpr-learning: the auto-coder's suggestion
    # accepted, then withdrawn, then coded by hand.
    coded = cli.json("assurance", "selfeval", "code", se_id, "--codebook", "cpr-learning",
                     "--suggest", "--accept")
    assert coded["suggestions"][0]["code"] == "Escalation and referral ambiguity"
    assert [(c["code"], c["count"]) for c in coded["codes"]] == [
        ("Escalation and referral ambiguity", 1)]
    coding = coded["codes"][0]["answers"][0]["coding"]
    assert coding["source"] in ("model", "term")
    gone = cli.json("assurance", "selfeval", "code", se_id, "--codebook", "cpr-learning",
                    "--remove", str(coding["id"]))
    assert gone["codes"] == [] and gone["coded"] == 0 and gone["answers"] == 1
    by_hand = cli.json("assurance", "selfeval", "code", se_id, "--codebook", "cpr-learning",
                       "--return", str(coding["return_id"]), "--question", "s6q3",
                       "--code", "Identified good practice")
    assert by_hand["codes"][0]["code"] == "Identified good practice"
    assert by_hand["codes"][0]["answers"][0]["coding"]["source"] == "manual"
    report = tmp_path / "training.docx"
    tri = cli.json("assurance", "triangulate", "North Wales", "--theme", "training",
                   "--out", str(report))
    assert {s["source"] for s in tri["sources"]} == {"selfeval", "audit", "survey"}
    assert report.read_bytes()[:2] == b"PK"
