"""Practitioner-survey free-text answers coded with a codebook through the
coding layer, on both backends: each answer named by survey, row and column;
auto-coding suggestions from the reviews' coder; manual coding and accepting
a suggestion; counts per code checked against a hand-worked example;
withdrawal; the audit trail; anonymity (nothing of the row but its number and
the one cell); and who may see and code what."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import Cli
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.assurance.survey_coding import SurveyCodingService
from storfa.assurance.survey_service import SurveyService
from storfa.config import Settings
from storfa.domain.errors import StorfaError

SYSTEM = Actor(None, "test")
CLI = Caller("cli", None, {"via": "test"})
PASSWORD = "correct horse battery staple"
HELP, WORKS = "What would help", "What works well"
# Row 1 is the first answer row (the file's line 2). The e-mail column is one a
# form tool adds: it is mapped `ignore` and must never be shown.
HEADER = ["Email", "Aware", HELP, WORKS]
ROWS = [
    ["ann@example.org", "Yes", "Staff escalate concerns to the named lead and use the "
     "escalation protocol when a referral threshold is disputed.", "Supervision"],
    ["bob@example.org", "No", "Caseloads are high and staff turnover means the workforce "
     "is stretched across the service.", ""],
    ["cat@example.org", "Yes", "", "Joint visits with health colleagues"],
    ["dan@example.org", "Yes", "Clearer escalation route", "Team meetings"],
    ["eve@example.org", "No", "More staff", ""],
]
MAPPING = [{"column": "Email", "kind": "ignore"},
           {"column": "Aware", "question": "Aware of the protocol", "kind": "yesno"},
           {"column": HELP, "question": HELP, "kind": "text"},
           {"column": WORKS, "question": WORKS, "kind": "text"}]
BOOK = "cpr-learning"
ESCALATION, WORKFORCE = "Escalation and referral ambiguity", "Workforce"
GOOD, COORDINATION = "Identified good practice", "Coordination of safeguarding responsibility"


def _csv() -> bytes:
    lines = [",".join(HEADER)] + [",".join(f'"{c}"' for c in r) for r in ROWS]
    return ("\n".join(lines) + "\n").encode()


def _example(storfa: Storfa) -> tuple[int, dict[str, Caller]]:
    a = storfa.accounts
    board = a.add_organisation("North Board", "North Wales", SYSTEM)
    a.add_organisation("Gwent Board", "Gwent", SYSTEM)
    callers = {}
    for who, org, role in (("be", board.name, "editor"), ("bv", board.name, "reader"),
                           ("ge", "Gwent Board", "editor")):
        user = a.add_user(who, PASSWORD, role, org, SYSTEM)
        callers[who] = Caller(user.actor, user, {"via": "test"})
    surveys = SurveyService.of(storfa, CLI)
    survey_id = surveys.import_file(board.id, "Practitioners 2025", "survey.csv", _csv())
    surveys.map(survey_id, MAPPING)
    return survey_id, callers


def test_hand_worked_counts_per_code(storfa: Storfa) -> None:
    survey_id, callers = _example(storfa)
    board = SurveyCodingService.of(storfa, callers["be"])
    _, answers = board.answers(survey_id)
    # Mapping order, then rows; empty cells are not answers: 4 + 4 = 8.
    assert [(a.column, a.row) for a in answers] == [
        (HELP, 1), (HELP, 2), (HELP, 4), (HELP, 5), (WORKS, 1), (WORKS, 3), (WORKS, 4)]

    # The reviews' coder reads escalation and the workforce in rows 1 and 2.
    found = board.suggest(survey_id, BOOK, column=HELP)
    by_row = {s.answer.row: s for s in found}
    assert by_row[1].code == ESCALATION and by_row[2].code == WORKFORCE
    assert all(s.how in ("model", "term") and s.answer.column == HELP for s in found)
    # A batch: the first answer not coded at all, then (once it is coded) the next.
    assert {s.answer.key for s in board.suggest(survey_id, BOOK, limit=1)} == {(1, HELP)}
    s1 = by_row[1]
    accepted = board.code(survey_id, 1, HELP, BOOK, s1.code, s1.how, s1.confidence)
    assert (accepted.survey_id, accepted.row, accepted.question_key) == (survey_id, 1, HELP)
    assert accepted.return_id is None and accepted.how == s1.how
    assert accepted.answer == ROWS[0][2]
    assert {s.answer.key for s in board.suggest(survey_id, BOOK, limit=1)} == {(2, HELP)}

    # By hand (the hand-worked example):
    #   Escalation:   help row 1 (accepted), help row 4         -> 2
    #   Workforce:    help row 2, help row 5                    -> 2
    #   Good practice: works row 1, works row 3, works row 4    -> 3
    #   Coordination: works row 3 (an answer with two codes)    -> 1
    # Uncoded: none of the 7 answers; coded 7 of 7.
    manual = board.code(survey_id, 2, HELP, BOOK, "workforce")  # any case
    again = board.code(survey_id, 2, HELP, BOOK, WORKFORCE)  # kept once
    assert manual.id == again.id and manual.how == "manual" and manual.confidence is None
    for row, column, code in ((4, HELP, ESCALATION), (5, HELP, WORKFORCE),
                              (1, WORKS, GOOD), (3, WORKS, GOOD), (4, WORKS, GOOD),
                              (3, WORKS, COORDINATION)):
        board.code(survey_id, row, column, BOOK, code)
    coded = board.coded(survey_id, BOOK)
    assert [(n.code, n.count) for n in coded.by_code] == [
        (GOOD, 3), (ESCALATION, 2), (WORKFORCE, 2), (COORDINATION, 1)]
    assert [(a.row, a.column) for _, a in coded.by_code[1].answers] == [(1, HELP), (4, HELP)]
    assert coded.uncoded == []
    # One column at a time: the help column's 4 answers, 2 + 2.
    help_only = board.coded(survey_id, BOOK, column=HELP.upper())
    assert [(n.code, n.count) for n in help_only.by_code] == [(ESCALATION, 2), (WORKFORCE, 2)]

    data = coded.as_json()
    assert data["survey_id"] == survey_id and data["answers"] == 7 and data["coded"] == 7
    good = next(c for c in data["codes"] if c["code"] == GOOD)
    assert [a["row"] for a in good["answers"]] == [1, 3, 4]
    assert good["answers"][0]["coding"]["column"] == WORKS
    # Anonymous: nothing of a row but its number and the one cell's text.
    assert "example.org" not in json.dumps(data)

    # Withdraw one: Workforce falls to 1 and row 2's answer is uncoded.
    board.uncode(survey_id, manual.id)
    after = board.coded(survey_id, BOOK)
    assert [(n.code, n.count) for n in after.by_code] == [
        (GOOD, 3), (ESCALATION, 2), (COORDINATION, 1), (WORKFORCE, 1)]
    assert [(a.row, a.column) for a in after.uncoded] == [(2, HELP)]
    with pytest.raises(NotVisible):
        board.uncode(survey_id, manual.id)  # already withdrawn
    # What is coded is not suggested again with that code.
    assert all((s.answer.row, s.code) != (1, ESCALATION)
               for s in board.suggest(survey_id, BOOK))

    events = storfa.store.audit_events(limit=1000)
    actions = [e["action"] for e in events]
    assert actions.count("assurance.survey.code") == 8  # the repeat is not a coding
    assert "assurance.survey.code.suggest" in actions
    assert "assurance.survey.uncode" in actions
    coded_event = next(e for e in events if e["action"] == "assurance.survey.code")
    assert "example.org" not in json.dumps(coded_event, default=str)

    # Remapping the column away hides its codings; mapping it back shows them.
    SurveyService.of(storfa, CLI).map(survey_id, [m if m["column"] != WORKS else
                                                  {**m, "kind": "ignore"} for m in MAPPING])
    assert [(n.code, n.count) for n in board.coded(survey_id, BOOK).by_code] == [
        (ESCALATION, 2), (WORKFORCE, 1)]
    SurveyService.of(storfa, CLI).map(survey_id, MAPPING)
    assert board.coded(survey_id, BOOK).by_code[0].count == 3


def test_refusals_and_who_sees_what(storfa: Storfa) -> None:
    survey_id, callers = _example(storfa)
    board = SurveyCodingService.of(storfa, callers["be"])
    board.code(survey_id, 1, HELP, BOOK, WORKFORCE)
    with pytest.raises(StorfaError):  # not a code of the codebook
        board.code(survey_id, 1, HELP, BOOK, "No such code")
    with pytest.raises(NotVisible):  # a yes/no column is not free text
        board.code(survey_id, 1, "Aware", BOOK, WORKFORCE)
    with pytest.raises(NotVisible):  # row 3 left the help column empty
        board.code(survey_id, 3, HELP, BOOK, WORKFORCE)
    with pytest.raises(NotVisible):  # no such row
        board.code(survey_id, 99, HELP, BOOK, WORKFORCE)
    with pytest.raises(StorfaError, match="manual, model or term"):
        board.code(survey_id, 1, HELP, BOOK, WORKFORCE, how="guess")
    with pytest.raises(StorfaError, match="between 0 and 1"):
        board.suggest(survey_id, BOOK, threshold=2.0)
    with pytest.raises(StorfaError, match="at least 1"):
        board.suggest(survey_id, BOOK, limit=0)
    # A coding of the survey is not withdrawn through another survey.
    coding = board.coded(survey_id, BOOK).codings[0]
    other = SurveyService.of(storfa, CLI).import_file(
        storfa.accounts.accounts.organisation("North Board").id, "Other", "o.csv", _csv())
    SurveyService.of(storfa, CLI).map(other, MAPPING)
    with pytest.raises(NotVisible):
        board.uncode(other, coding.id)
    # The board's readers see the coding but may not code.
    viewer = SurveyCodingService.of(storfa, callers["bv"])
    assert viewer.coded(survey_id, BOOK).by_code[0].count == 1
    with pytest.raises(Forbidden):
        viewer.code(survey_id, 2, HELP, BOOK, WORKFORCE)
    with pytest.raises(Forbidden):
        viewer.suggest(survey_id, BOOK)
    with pytest.raises(Forbidden):
        viewer.uncode(survey_id, coding.id)
    # Another board sees nothing (as for the survey itself).
    with pytest.raises(NotVisible):
        SurveyCodingService.of(storfa, callers["ge"]).coded(survey_id, BOOK)
    with pytest.raises(NotVisible):
        SurveyCodingService.of(storfa, callers["ge"]).code(survey_id, 2, HELP, BOOK,
                                                           WORKFORCE)
    assert storfa.store.audit_events(action="assurance.survey.code", denied=True)
    # An unmapped survey has no questions yet.
    unmapped = SurveyService.of(storfa, CLI).import_file(
        storfa.accounts.accounts.organisation("North Board").id, "Raw", "r.csv", _csv())
    with pytest.raises(StorfaError, match="Map the survey"):
        board.coded(unmapped, BOOK)


def test_cli_survey_code(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    app.accounts.add_organisation("North Board", "North Wales", SYSTEM)
    app.close()
    path = tmp_path / "survey.csv"
    path.write_bytes(_csv())
    sid = str(cli.json("assurance", "survey-import", str(path), "--org", "North Wales")["id"])
    cli.json("assurance", "survey-map", sid, "--map", "Email=ignore", "--map", "Aware=yesno",
             "--map", f"{HELP}=text", "--map", f"{WORKS}=text")
    # The help column's suggestions accepted: rows 1 and 2 (escalation, workforce).
    found = cli.json("assurance", "survey-code", sid, "--codebook", BOOK, "--suggest",
                     "--accept", "--column", HELP)
    assert {(s["row"], s["code"]) for s in found["suggestions"]} >= {
        (1, ESCALATION), (2, WORKFORCE)}
    assert found["answers"] == 4  # the help column only
    by_hand = cli.json("assurance", "survey-code", sid, "--codebook", BOOK, "--row", "4",
                       "--column", HELP, "--code", ESCALATION)
    assert by_hand["answers"] == 7  # every free-text answer after coding one
    escalation = next(c for c in by_hand["codes"] if c["code"] == ESCALATION)
    assert [a["row"] for a in escalation["answers"]] == [1, 4]
    assert escalation["answers"][1]["coding"]["source"] == "manual"
    assert "example.org" not in json.dumps(by_hand)
    coding = escalation["answers"][0]["coding"]["id"]
    gone = cli.json("assurance", "survey-code", sid, "--codebook", BOOK,
                    "--remove", str(coding))
    assert next(c for c in gone["codes"] if c["code"] == ESCALATION)["count"] == 1
    refused = cli.json("assurance", "survey-code", sid, "--codebook", BOOK, "--row", "3",
                       "--column", HELP, "--code", WORKFORCE, expect_exit=2)
    assert "Row 3" in refused["error"]
    text = cli.run("assurance", "survey-code", sid, "--codebook", BOOK).stdout
    assert "row 4 What would help" in text and "example.org" not in text
