"""Practitioner survey import: CSV and XLSX read by content, every problem
named by row and column, a mapping step that refuses a column the file lacks
and a question mapped twice, and results checked against a hand-worked example.
The stored survey follows organisations on both backends."""

from __future__ import annotations

import io
import json

import pytest

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.surveys import SurveyError, check_mapping, read_survey, summarise

SYSTEM = Actor(None, "test")
HEADER = "Role,Aware of escalation protocol,Confidence (1-5),Briefings received,What would help"
ROWS = [
    "Health,Yes,4,Newsletter;Team meeting,More training on thresholds",
    "Police,No,2,,",
    "Education,Yes,5,Newsletter,",
    "Health,Yes,4,Team meeting;Supervision,Feedback after referrals",
    "Social care,Yes,3,Newsletter;Supervision,",
    "Voluntary,No,,Newsletter,Clearer escalation route",
    "Health,Yes,4,,",
    "Education,No,1,Team meeting,",
]
CSV = ("\n".join([HEADER, *ROWS]) + "\n").encode("utf-8")
MAPPING = [
    {"column": "Role", "question": "Role", "kind": "choice"},
    {"column": "Aware of escalation protocol", "question": "Aware of the escalation protocol",
     "kind": "choice"},
    {"column": "Confidence (1-5)", "question": "Confidence in making a referral",
     "kind": "scale"},
    {"column": "Briefings received", "question": "How learning reaches you", "kind": "choice"},
    {"column": "What would help", "question": "What would help", "kind": "text"},
]


def _by_question(data: bytes) -> dict[str, dict[str, object]]:
    table = read_survey(data)
    results = summarise(table.columns, table.rows, check_mapping(table.columns, MAPPING))
    return {r.question: r.as_json() for r in results}


def _dist(result: dict[str, object]) -> list[tuple[str, int, float]]:
    options = result["options"]
    assert isinstance(options, list)
    return [(o["value"], o["count"], o["percent"]) for o in options]


def test_results_agree_with_the_hand_worked_example() -> None:
    got = _by_question(CSV)
    # 8 people answered; all 8 gave a role and said whether they knew the protocol.
    aware = got["Aware of the escalation protocol"]
    assert aware["respondents"] == 8 and aware["base"] == 8
    assert _dist(aware) == [("Yes", 5, 62.5), ("No", 3, 37.5)]  # 5/8, 3/8
    role = got["Role"]
    assert _dist(role) == [("Health", 3, 37.5), ("Education", 2, 25.0), ("Police", 1, 12.5),
                           ("Social care", 1, 12.5), ("Voluntary", 1, 12.5)]
    # Confidence: row 6 left it empty, so the base is 7, not 8.
    confidence = got["Confidence in making a referral"]
    assert confidence["base"] == 7
    assert _dist(confidence) == [("1", 1, 14.3), ("2", 1, 14.3), ("3", 1, 14.3),
                                 ("4", 3, 42.9), ("5", 1, 14.3)]  # 1/7 = 14.29 %, 3/7 = 42.86 %
    assert confidence["mean"] == 3.29  # (4+2+5+4+3+4+1) / 7 = 23/7 = 3.2857
    # Several briefings per person: the base is the 6 who answered, so the
    # percentages add up to more than 100.
    briefings = got["How learning reaches you"]
    assert briefings["base"] == 6
    assert _dist(briefings) == [("Newsletter", 4, 66.7), ("Team meeting", 3, 50.0),
                                ("Supervision", 2, 33.3)]  # 4/6, 3/6, 2/6
    assert got["What would help"]["texts"] == [
        "More training on thresholds", "Feedback after referrals", "Clearer escalation route"]


def test_xlsx_reads_the_same_as_csv() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in ROWS:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _by_question(buffer.getvalue()) == _by_question(CSV)


def test_semicolon_separated_and_bom_are_read() -> None:
    text = "\ufeff" + "\n".join(line.replace(",", "|").replace(";", "+").replace("|", ";")
                                for line in [HEADER, *ROWS])
    table = read_survey(text.encode("utf-8"))
    assert table.columns[0] == "Role" and len(table.rows) == 8


def test_a_bad_encoding_names_the_row_and_column() -> None:
    bad = CSV.replace(b"Social care", "Gofal cymdeithasol é".encode("latin-1"))
    with pytest.raises(SurveyError) as err:
        read_survey(bad)
    message = str(err.value)
    assert "Row 6, column 1 ('Role')" in message and "UTF-8" in message


def test_a_short_row_names_the_missing_column() -> None:
    short = CSV.replace(b"Police,No,2,,", b"Police,No,2")
    with pytest.raises(SurveyError) as err:
        read_survey(short)
    assert "Row 3, column 4 ('Briefings received'): missing" in str(err.value)


def test_header_problems_are_named() -> None:
    with pytest.raises(SurveyError) as err:
        read_survey(b"Role,,Role\nHealth,x,y\n")
    assert "Row 1, column 2: the column has no name" in str(err.value)
    assert "Row 1, column 3: 'Role' is also column 1" in str(err.value)
    with pytest.raises(SurveyError, match="neither"):
        read_survey(b"\x00\x01binary")
    with pytest.raises(SurveyError, match="empty"):
        read_survey(b"")


def test_mapping_refuses_a_missing_column_and_a_question_mapped_twice() -> None:
    columns = read_survey(CSV).columns
    with pytest.raises(SurveyError) as err:
        check_mapping(columns, [{"column": "Team", "question": "Team", "kind": "choice"}])
    assert "Column 'Team' is not in the file" in str(err.value)
    with pytest.raises(SurveyError) as err:
        check_mapping(columns, [
            {"column": "Role", "question": "Who you are", "kind": "choice"},
            {"column": "What would help", "question": "who you are", "kind": "text"}])
    assert ("Question 'who you are' is mapped twice: column 1 ('Role') and column 5 "
            "('What would help')") in str(err.value)
    with pytest.raises(SurveyError, match="scale, choice, text, ignore"):
        check_mapping(columns, [{"column": "Role", "kind": "ranking"}])


def test_surveys_are_stored_mapped_and_follow_organisations(storfa: Storfa) -> None:
    accounts = storfa.accounts
    north = accounts.add_organisation("North Board", "North Wales", SYSTEM)
    gwent = accounts.add_organisation("Gwent Board", "Gwent", SYSTEM)
    nation = accounts.add_organisation("National Team", None, SYSTEM)
    pw = "correct horse battery staple"
    editor = accounts.add_user("ne", pw, "editor", north.name, SYSTEM)
    reader = accounts.add_user("nr", pw, "reader", north.name, SYSTEM)
    other = accounts.add_user("ge", pw, "editor", gwent.name, SYSTEM)
    national = accounts.add_user("xr", pw, "reader", nation.name, SYSTEM)

    def as_(user: object) -> SurveyService:
        return SurveyService.of(storfa, Caller(user.actor, user))  # type: ignore[attr-defined]

    board = as_(editor)
    survey_id = board.import_file(north.id, "Practitioner survey 2025", "C:\\x\\survey.csv",
                                  CSV)
    survey = board.get(survey_id)
    assert survey.filename == "survey.csv" and len(survey.rows) == 8 and not survey.mapped
    guesses = {c.column: c.kind for c in board.choices(survey)}
    assert guesses["Confidence (1-5)"] == "scale" and guesses["Role"] == "choice"
    with pytest.raises(Forbidden):
        as_(reader).map(survey_id, MAPPING)
    with pytest.raises(NotVisible):
        as_(other).get(survey_id)
    with pytest.raises(Forbidden):
        as_(other).import_file(north.id, "x", "x.csv", CSV)
    board.map(survey_id, MAPPING)
    _, results = as_(national).results(survey_id)
    assert {r.question: r.base for r in results}["Confidence in making a referral"] == 7
    assert [s.id for s in as_(other).listing()] == []
    assert [s.id for s in as_(national).listing()] == [survey_id]
    data = as_(national).export_results(survey_id, "csv").decode("utf-8-sig")
    assert "Newsletter" in data and "66.7" in data
    audited = {e["action"] for e in storfa.store.audit_events(limit=1000)}
    assert {"assurance.survey.import", "assurance.survey.map",
            "assurance.survey.export"} <= audited
    mapped = storfa.store.audit_events(action="assurance.survey.map")
    assert json.loads(mapped[0]["detail"])["mapping"][0]["column"] == "Role"
    with pytest.raises(SurveyError, match="Row 3"):
        board.import_file(north.id, "bad", "bad.csv", CSV.replace(b"Police,No,2,,", b"P"))
