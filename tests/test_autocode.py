"""`storfa code auto|list|accept|reject|add`: suggestions in the contract's
shape whose spans are the review's own text, re-runs that replace rather than
duplicate, and audited decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import Cli
from reviewtext import WELSH_CPR, write_reviews
from storfa.app import Storfa
from storfa.coding.classifier import PassageClassifier, load_classifier
from storfa.coding.codebooks import load_codebook
from storfa.config import Settings
from storfa.storage.sql.extracts import SQLExtracts

CPR = "CPR2019-W03"
KEYS = {"review_id", "start", "end", "text", "code", "theme", "confidence", "source"}


@pytest.fixture(scope="module")
def classifier() -> PassageClassifier:
    # Loads the embedding model once for the module (load_classifier caches it).
    return load_classifier("best-practice")


@pytest.fixture
def ingested(cli: Cli, tmp_path: Path, classifier: PassageClassifier) -> Cli:
    result = cli.run("ingest", "--no-embed", *map(str, write_reviews(tmp_path / "in")))
    assert result.exit_code == 0, result.output
    return cli


def _texts(cli: Cli) -> dict[str, str]:
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    try:
        sql = SQLExtracts(app.store.db)  # type: ignore[attr-defined]
        texts = {}
        for key in ("CPR2019-W03", "DHR2020-W01"):
            record = app.store.get_review(key)
            assert record is not None
            texts[key] = sql.version_text(record.version_id)
        return texts
    finally:
        app.close()


def test_a_welsh_review_is_counted_unread_not_read_as_nothing(
        cli: Cli, tmp_path: Path, classifier: PassageClassifier) -> None:
    # The classifier reads English only: on the Welsh version it would read
    # "Roedd y gwaith amlasiantaethol yn dda" (the multi-agency work was
    # good) as nothing. It says so instead.
    (tmp_path / "cy.md").write_text(WELSH_CPR, encoding="utf-8")
    assert cli.run("ingest", "--no-embed", str(tmp_path / "cy.md")).exit_code == 0
    doc = cli.json("code", "auto", "--codebook", "best-practice")
    assert doc["suggestions"] == [] and doc["unread"] == 1, doc
    # Whatever is suggested in Welsh is not counted unread: everything, at 0.
    assert cli.json("code", "auto", "--codebook", "best-practice", "--threshold", "0"
                    )["unread"] == 0
    shown = cli.run("code", "auto", "--codebook", "best-practice")
    assert "paragraphs in Welsh could not be searched for practice" in shown.output, shown.output


def test_auto_suggestions_follow_the_contract(ingested: Cli) -> None:
    default = ingested.json("code", "auto", "--codebook", "best-practice")
    # The default threshold is set for precision on real reports: less sure
    # paragraphs are held back, counted, and shown when the threshold is lowered.
    assert default["held_back"] >= 1
    assert not any("took too long" in s["text"] for s in default["suggestions"])
    doc = ingested.json("code", "auto", "--codebook", "best-practice", "--threshold", "0.3")
    # The contract's key, and how many were held back below which threshold.
    assert set(doc) == {"suggestions", "held_back", "unread", "threshold", "review_threshold"}
    assert doc["unread"] == 0  # every paragraph English
    assert isinstance(doc["held_back"], int) and doc["threshold"] == doc["review_threshold"] == 0.3
    # By default a single-case review has its own, lower threshold: its
    # practice is denser and its praise is of this case's practitioners.
    assert 0.0 < default["review_threshold"] < default["threshold"] < 1.0
    found = doc["suggestions"]
    assert found
    # At most one open suggestion per paragraph.
    spans = [(s["review_id"], s["start"]) for s in found]
    assert len(spans) == len(set(spans))
    book = load_codebook("best-practice")
    texts = _texts(ingested)
    for s in found:
        assert set(s) == KEYS
        assert texts[s["review_id"]][s["start"]:s["end"]] == s["text"]
        assert s["source"] in ("model", "term")
        assert book.theme(s["code"]).name == s["theme"] and book.code(s["theme"]).is_theme
        assert 0.0 <= s["confidence"] <= 1.0
    praised = [s for s in found if "Good practice was seen" in s["text"]]
    assert any(s["source"] == "model" for s in praised)
    # The negative paragraph is not an example of best practice.
    assert not any("took too long" in s["text"] for s in found)
    # A re-run replaces the open suggestions; only one review this time.
    again = ingested.json("code", "auto", "--codebook", "best-practice", "--review",
                          CPR.lower(), "--threshold", "0.3")
    assert {s["review_id"] for s in again["suggestions"]} == {CPR}
    listed = ingested.json("code", "list", "--status", "suggested")["extracts"]
    assert len(listed) == len(found)


def test_accept_reject_are_audited_and_not_suggested_again(ingested: Cli) -> None:
    ingested.json("code", "auto", "--codebook", "best-practice", "--review", CPR,
                  "--threshold", "0")
    listed = ingested.json("code", "list", "--review", CPR)["extracts"]
    assert len(listed) >= 2
    accepted = ingested.json("code", "accept", str(listed[0]["id"]), "--coder", "alice")
    assert accepted["status"] == "accepted" and accepted["decided_by"] == "alice"
    rejected = ingested.json("code", "reject", str(listed[1]["id"]))
    assert rejected["status"] == "rejected" and rejected["decided_by"].startswith("cli:")
    again = ingested.json("code", "auto", "--codebook", "best-practice", "--review", CPR,
                          "--threshold", "0")
    assert len(again["suggestions"]) == len(listed) - 2
    assert ingested.json("code", "list", "--status", "accepted")["extracts"][0]["id"] == \
        listed[0]["id"]
    app = Storfa(Settings.from_env(data_dir=ingested.data_dir))
    try:
        actions = [e["action"] for e in app.store.audit_events(50)]
    finally:
        app.close()
    assert {"code.auto", "code.accept", "code.reject"} <= set(actions)


def test_manual_coding_and_errors(ingested: Cli) -> None:
    text = _texts(ingested)[CPR]
    start = text.index("timely escalation")
    made = ingested.json("code", "add", CPR, str(start), str(start + 17), "escalating concerns",
                         "--codebook", "best-practice", "--coder", "bob", "--memo", "Good.")
    assert made["text"] == "timely escalation" and made["code"] == "Escalating concerns"
    assert made["theme"] == "Risk and Escalation" and made["how"] == "manual"
    assert made["memos"][0]["text"] == "Good."
    assert ingested.json("code", "add", CPR, "5", "3", "Escalating concerns", "--codebook",
                         "best-practice", expect_exit=2)["error"]
    assert "no codebook" in ingested.json("code", "auto", "--codebook", "nope",
                                          expect_exit=2)["error"]
    assert ingested.json("code", "auto", "--codebook", "best-practice", "--review", "X1",
                         expect_exit=2)["error"]
    assert ingested.json("code", "accept", "12345", expect_exit=2)["error"]
    assert ingested.json("code", "list", "--status", "maybe", expect_exit=2)["error"]


def test_what_auto_coding_reads() -> None:
    from storfa.coding.document_reading import codable
    from storfa.domain.reviews import Passage

    def passage(text: str, kind: str = "paragraph") -> Passage:
        return Passage(0, 1, "", kind, text, 0, len(text))

    practice = "The health visitor kept visiting every week although nobody opened the door."
    assert codable(passage(practice), 1000)
    assert not codable(passage(practice, "heading"), 1000)
    assert not codable(passage("North Wales Safeguarding Board practice review"), 1000)
    assert not codable(passage("b. Any changes or actions resulting from feedback (list top 3)?"),
                       1000)
    quoted = "Was the family asked how they wished to take part (why not)?\u201d"
    assert not codable(passage(quoted), 1000)
    assert not codable(passage(practice), 10)  # beyond the version's text


def test_runner_up_is_read_back_from_the_detail() -> None:
    from storfa.coding.autocode import RUNNER_UP, split_runner_up

    assert split_runner_up(f"model{RUNNER_UP}Multi-agency working") == (
        "model", "Multi-agency working")
    assert split_runner_up("model") == ("model", None)
    assert split_runner_up(None) == (None, None)
