"""The CLI contract in CONTRACT.md: JSON shapes and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import ALL_ENGINES, Cli
from reviewtext import write_reviews

pytestmark = ALL_ENGINES



def test_ingest_reviews_search_json_shapes(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\n")
    doc = cli.json("ingest", str(tmp_path / "in"), expect_exit=1)
    by_name = {Path(r["path"]).name: r for r in doc["results"]}
    assert by_name["broken.pdf"]["status"] == "rejected" and by_name["broken.pdf"]["reason"]
    assert by_name["cpr-2019-w03.md"] == {**by_name["cpr-2019-w03.md"], "status": "ingested",
                                          "review_id": "CPR2019-W03"}
    for r in doc["results"]:
        assert {"path", "status", "review_id", "reason"} <= set(r)

    again = cli.json("ingest", str(tmp_path / "in" / "cpr-2019-w03.md"))
    assert again["results"][0]["status"] == "duplicate"

    reviews = cli.json("reviews")["reviews"]
    cpr = next(r for r in reviews if r["review_id"] == "CPR2019-W03")
    assert {"review_id", "type", "title", "board", "year", "language", "pages"} <= set(cpr)
    assert set(cpr["dates"]) >= {"index_incident", "referral", "learning_event", "sign_off",
                                 "publication"}
    assert cpr["dates"]["learning_event"] == "2020-10-29"
    assert cpr["dates"]["sign_off"] == "2021-01-11"
    assert [r["review_id"] for r in cli.json("reviews", "--type", "DHR")["reviews"]] == [
        "DHR2020-W01"]

    found = cli.json("search", '"professional curiosity"', "--limit", "1")
    assert found["total"] == 2 and len(found["hits"]) == 1
    assert {"review_id", "page", "section", "text", "snippet", "score"} <= set(found["hits"][0])


def test_bad_query_exits_2_with_json_error(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    doc = cli.json("search", "neglect AND", expect_exit=2)
    assert "query" in doc["error"].lower()
    result = cli.run("search", "(neglect")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_parse_id_json(cli: Cli) -> None:
    assert cli.json("parse-id", "SUSR2022-02ICTM") == {
        "raw": "SUSR2022-02ICTM", "type": "SUSR", "year": 2022, "seq": 2, "board": "CTM"}
    assert cli.json("parse-id", "APR2015–W02")["year"] == 2015


def test_show_and_set_metadata(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    page2 = cli.json("show", "CPR2019-W03", "--page", "2")
    assert all(p["page"] == 2 for p in page2["passages"])
    cli.json("reviews", "set", "CPR2019-W03", "referral", "3 May 2019")
    (cpr,) = [r for r in cli.json("reviews")["reviews"] if r["review_id"] == "CPR2019-W03"]
    assert cpr["dates"]["referral"] == "2019-05-03"
    assert cli.json("check") == {"ok": True, "problems": []}


def test_term_list(cli: Cli, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    terms = tmp_path / "terms.txt"
    terms.write_text("# best-practice terms\ntimely\nprofessional curiosity\nescalat*\n")
    doc = cli.json("search", "--terms", str(terms))
    counts = {t["term"]: t for t in doc["terms"]}
    assert counts["timely"]["reviews"] == 1
    assert counts["escalat*"]["by_type"] == {"CPR": 2, "DHR": 1}


def test_missing_path_is_usage_error(cli: Cli, tmp_path: Path) -> None:
    assert cli.run("ingest", str(tmp_path / "nope")).exit_code == 2


def test_reviews_table_keeps_short_columns_whole_on_a_narrow_terminal(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storfa.cli.output import out

    write_reviews(tmp_path / "in")
    # A report with no identifier of its own is listed under its file name.
    (tmp_path / "in" / "warwickshire-core-safeguarding-thematic-2022.md").write_text(
        "# Strategic thematic review of core safeguarding\n\nPublished September 2022. "
        "The partnership looked at how agencies shared information.\n")
    cli.json("ingest", str(tmp_path / "in"))
    for width in (80, 200):
        monkeypatch.setattr(out, "_width", width)
        text = cli.run("reviews").stdout
        lines = text.splitlines()
        assert all(len(line) <= width for line in lines), text
        # Year, type and language are never cut to "20…" or "CP…".
        assert "…" not in "".join(line[:width - 20] for line in lines if "CPR2019-W03" in line)
        row = next(line for line in lines if "CPR2019-W03" in line)
        assert " CPR " in row and " 2019 " in row and " en " in row, row
        # A long id is folded onto a second line, never cut.
        at = next(n for n, line in enumerate(lines) if "warwickshire" in line)
        whole = lines[at].split()[0]
        while len(whole) < 44 and at + 1 < len(lines):  # the fold's next lines
            at += 1
            whole += lines[at].split()[0]
        assert whole == "warwickshire-core-safeguarding-thematic-2022", text
