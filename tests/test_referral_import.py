"""Importing a referral-level file on both backends: the thirty hand-worked
records give the same indicators through the database; a file with problems
is reported by row and column and nothing of it is stored."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from referral_example import csv_rows
from referralworld import HUB, People, add_people
from storfa.app import Storfa
from storfa.referrals.importer import COLUMNS, ImportRejected, template
from storfa.referrals.service import Caller, NotAllowed

TODAY = dt.date(2026, 3, 10)
OPERATOR = Caller("cli:test", operator=True)


def to_csv(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx(rows: list[dict[str, object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for row in rows:
        values: list[object] = []
        for c in COLUMNS:
            v = row.get(c, "")
            # Spreadsheets hold dates as dates: the import reads them back as such.
            values.append(dt.date.fromisoformat(str(v)) if c.endswith("_date") and v else v)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def people(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> People:
    return add_people(storfa, monkeypatch)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_gives_the_hand_worked_figures(people: People, fmt: str) -> None:
    data = to_csv(csv_rows()) if fmt == "csv" else to_xlsx(csv_rows())
    result = people.service.import_file(people.caller("hub_manager"), data,
                                        f"cases.{fmt}", today=TODAY)
    assert result.imported == 31
    table = people.service.indicators(people.caller("teacher"), "2025", threshold=1)
    cardiff = {f.key: f for a in table.areas if a.area == "Cardiff" for f in a.figures}
    assert cardiff["referrals"].number == 20 and cardiff["repeat"].number == 4
    assert cardiff["outcome_new.nfa"].number == 6
    assert cardiff["strategy_within"].number == 3 and cardiff["s47_within"].number == 3
    assert cardiff["s47_to_registration"].number == 2
    newport = {f.key: f for a in table.areas if a.area == "Newport" for f in a.figures}
    assert newport["repeat"].number == 2 and newport["s47"].number == 2
    # Imported rows are the hub's: its staff see them, the school does not.
    queue = people.service.queue(people.caller("hub_worker"), _all())
    assert len(queue) == 31 and all(r.form.subject_name == "" for r in queue)
    assert people.service.queue(people.caller("head"), _all()) == []
    event = people.storfa.store.audit_events(action="referral.import")[0]
    assert json.loads(event["detail"])["referrals"] == 31


def _all():  # type: ignore[no-untyped-def]
    from storfa.domain.referrals import QueueFilters

    return QueueFilters(limit=1000)


def test_a_file_with_problems_imports_nothing(people: People) -> None:
    rows = csv_rows()
    rows[4]["received_date"] = "2025-13-01"            # file row 6
    rows[7]["source"] = "astrologer"                   # row 9
    rows[9]["strategy_within"] = "maybe"               # row 11
    rows[12]["decision"] = ""                          # row 14: a date without a decision
    rows[20]["categories"] = "neglect; curses"         # row 22
    rows[25]["local_authority"] = "Atlantis"           # row 27
    with pytest.raises(ImportRejected) as rejected:
        people.service.import_file(people.caller("hub_manager"), to_csv(rows), "bad.csv",
                                   today=TODAY)
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert found == {(6, "received_date"), (9, "source"), (11, "strategy_within"),
                     (14, "decision"), (22, "categories"), (27, "local_authority")}
    assert "row 6, received_date" in str(rejected.value)
    assert people.service.queue(OPERATOR, _all()) == []


def test_unknown_and_missing_columns(people: People) -> None:
    data = b"local_authority,received_date,child_name\nCardiff,2025-01-01,Q\n"
    with pytest.raises(ImportRejected) as rejected:
        people.service.import_file(OPERATOR, data, "x.csv", organisation=HUB, today=TODAY)
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert found == {(1, "child_name"), (1, "child_id"), (1, "source")}


def test_who_may_import(people: People) -> None:
    data = to_csv(csv_rows()[:3])
    for who in ("teacher", "hub_worker"):  # readers
        with pytest.raises(NotAllowed):
            people.service.import_file(people.caller(who), data, "x.csv", today=TODAY)
    with pytest.raises(Exception, match="--org"):
        people.service.import_file(OPERATOR, data, "x.csv", today=TODAY)
    assert people.service.import_file(OPERATOR, data, "x.csv", organisation=HUB,
                                      today=TODAY).imported == 3


def test_templates() -> None:
    assert template("csv").decode().strip().split(",") == COLUMNS
    book = load_workbook(io.BytesIO(template("xlsx")))
    assert [c.value for c in book["referrals"][1]] == COLUMNS
    assert book["schema"].max_row == len(COLUMNS) + 1
