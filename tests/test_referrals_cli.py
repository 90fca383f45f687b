"""`storfa referrals …` and `storfa indicators …` end to end through the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from harness import Cli
from referral_example import csv_rows
from referralworld import HUB, People, add_people
from storfa.app import Storfa
from storfa.referrals.importer import COLUMNS


@pytest.fixture
def people(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> People:
    return add_people(storfa, monkeypatch)


SUBMIT = ("referrals", "submit", "--as", "teacher", "--area", "Cardiff", "--source",
          "education", "--name", "Child Q", "--address", "1 Example Street", "--observed",
          "Bruises", "--actions", "Told the head", "--category", "physical", "--nature",
          "domestic_abuse", "--email", "t@school.example")


def test_refer_decide_and_look_up(cli: Cli, people: People, tmp_path: Path) -> None:
    sent = cli.json(*SUBMIT)
    ref = sent["reference"]
    assert ref.startswith("RF-") and sent["status"] == "submitted"
    queue = cli.json("referrals", "list", "--as", "hub_worker")["referrals"]
    assert [r["reference"] for r in queue] == [ref]
    assert "subject_name" not in queue[0]  # lists carry no names
    assert cli.json("referrals", "list", "--as", "newport_worker")["referrals"] == []
    missing = cli.json("referrals", "show", ref, "--as", "newport_worker", expect_exit=2)
    assert missing["error"] == "There is no referral with that reference."
    typo = ref[:-1] + ("0" if ref[-1] != "0" else "1")
    assert "mistyped" in cli.json("referrals", "show", typo, expect_exit=2)["error"]
    cli.json("referrals", "decide", ref, "strategy_meeting", "--as", "hub_worker")
    cli.json("referrals", "decide", ref, "strategy_held", "--within", "--as", "hub_worker")
    cli.json("referrals", "decide", ref, "s47", "--as", "hub_worker")
    mine = cli.json("referrals", "show", ref, "--as", "teacher")
    assert [e["kind"] for e in mine["events"]] == ["strategy_meeting", "s47"]
    assert "feedback_limit" in mine and "earlier" not in mine
    staff = cli.json("referrals", "show", ref, "--as", "hub_manager")
    assert [e["kind"] for e in staff["events"]] == ["strategy_meeting", "strategy_held", "s47"]
    assert staff["events"][1]["within_timescale"] is True
    out = tmp_path / "queue.csv"
    result = cli.run("referrals", "export", "--out", str(out), "--as", "hub_manager")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [r["reference"] for r in rows] == [ref] and "subject_name" not in rows[0]


def test_submit_reports_what_is_missing(cli: Cli, people: People) -> None:
    args = list(SUBMIT)
    args[args.index("--observed") + 1] = ""
    result = cli.json(*args, expect_exit=1)
    assert "observed" in result["problems"]


def test_import_and_indicators(cli: Cli, people: People, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(csv_rows())
    assert cli.json("referrals", "import", str(path), "--org", HUB)["imported"] == 31
    table = cli.json("indicators", "show", "--period", "2025", "--threshold", "1")
    cardiff = next(a for a in table["areas"] if a["area"] == "Cardiff")
    figures = {f["key"]: f for f in cardiff["indicators"]}
    assert figures["referrals"]["number"] == 20 and figures["repeat"]["percent"] == 20.0
    assert table["illustrative_population"] is True
    suppressed = cli.json("indicators", "show", "--period", "2025", "--level", "region")
    gwent = next(a for a in suppressed["areas"] if a["area"] == "Gwent")
    assert {f["key"]: f for f in gwent["indicators"]}["repeat"]["suppressed"] is True
    trend = cli.json("indicators", "trend", "--period", "2026-Q1", "--count", "5",
                     "--area", "Cardiff", "--threshold", "1")
    # Cardiff by quarter: C1–C4, C5–C11, C12–C16, C17–C20, X1.
    assert [p["number"] for p in trend["series"][0]["points"]] == [4, 7, 5, 4, 1]
    assert cli.run("indicators", "trend", "--period", "2025").exit_code == 0
    out = tmp_path / "ind.csv"
    assert cli.run("indicators", "export", "--period", "2025", "--out", str(out)).exit_code == 0
    assert "rate_per_10000" in out.read_text("utf-8-sig").splitlines()[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("local_authority,received_date,child_id,source\nAtlantis,2025-01-01,1,x\n")
    rejected = cli.json("referrals", "import", str(bad), "--org", HUB, expect_exit=1)
    assert {(p["row"], p["column"]) for p in rejected["problems"]} == {
        (2, "local_authority"), (2, "source")}
    template = tmp_path / "t.xlsx"
    assert cli.run("referrals", "template", "--out", str(template)).exit_code == 0
    assert template.stat().st_size > 0


def test_expire(cli: Cli, people: People) -> None:
    cli.json(*SUBMIT)
    assert cli.json("referrals", "expire")["deleted"] == []
