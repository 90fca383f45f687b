"""Welsh and English versions of one review are linked; ingest options override
what the parser found; an editor's correction beats both."""

from __future__ import annotations

from pathlib import Path

from harness import Cli
from reviewtext import CPR, WELSH_CPR


def test_welsh_version_is_linked_to_english(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "en.md").write_text(CPR, encoding="utf-8")
    (tmp_path / "cy.md").write_text(WELSH_CPR, encoding="utf-8")
    doc = cli.json("ingest", str(tmp_path / "en.md"), str(tmp_path / "cy.md"))
    assert [r["review_id"] for r in doc["results"]] == ["CPR2019-W03", "CPR2019-W03-cy"]
    reviews = {r["review_id"]: r for r in cli.json("reviews")["reviews"]}
    assert reviews["CPR2019-W03-cy"]["language"] == "cy"
    assert reviews["CPR2019-W03-cy"]["linked"] == "CPR2019-W03"
    assert reviews["CPR2019-W03"]["linked"] == "CPR2019-W03-cy"
    welsh = cli.json("search", "chwilfrydedd lang:cy")
    assert [h["review_id"] for h in welsh["hits"]] == ["CPR2019-W03-cy"]
    assert cli.json("search", "curiosity lang:cy")["total"] == 0


def test_options_override_parsed_metadata(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "untitled.txt"
    path.write_text("Learning from this review.\n\nPractitioners escalated concerns promptly.",
                    encoding="utf-8")
    doc = cli.json("ingest", str(path), "--id", "APR2015–W02", "--board", "western bay")
    assert doc["results"][0]["review_id"] == "APR2015-W02"
    (review,) = cli.json("reviews")["reviews"]
    assert (review["type"], review["board"], review["year"]) == ("APR", "West Glamorgan", 2015)
    cli.json("reviews", "set", "APR2015-W02", "board", "Gwent")
    (review,) = cli.json("reviews")["reviews"]
    assert review["board"] == "Gwent"
    assert cli.json("search", "escalated board:gwent")["total"] == 1
