"""Practitioner-survey free-text answers coded with a codebook through the
coding layer, on both backends: each answer named by survey, row and column;
auto-coding suggestions from the reviews' coder; manual coding and accepting
a suggestion; counts per code checked against a hand-worked example;
withdrawal; the audit trail; anonymity (nothing of the row but its number and
the one cell); and who may see and code what."""

from __future__ import annotations

import html as htmllib
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from harness import Cli
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.assurance.survey_coding import SurveyCodingService
from storfa.assurance.survey_service import SurveyService
from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.web.app import create_app
from storfa.web.security import LANG_COOKIE
from webworld import csrf_of

SYSTEM = Actor(None, "test")
CLI = Caller("cli", None, {"via": "test"})
PASSWORD = "correct horse battery staple"
HELP, WORKS = "What would help", "What works well"
# Row 1 is the first answer row (the file's line 2). The e-mail column is one a
# form tool adds: it is mapped `ignore` and must never be shown.
HEADER = ["Email", "Aware", HELP, WORKS]
ROWS = [
    ["ann@example.org", "Yes", "Staff escalate concerns to the named lead but are unsure "
     "whether to use the escalation protocol when a referral threshold is disputed.",
     "Supervision"],
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


def _csv(rows: list[list[str]] | None = None) -> bytes:
    lines = [",".join(HEADER)] + [",".join(f'"{c}"' for c in r) for r in rows or ROWS]
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


# ------------------------------------------------------------ identical answers
# Rows 1, 2 and 4 say the same to the help question once spacing and case are
# folded; row 3's full stop makes it another answer; row 2's "More staff" to
# the other question is not the same question.
SAME_ROWS = [
    ["a@example.org", "Yes", "More staff", "Supervision"],
    ["b@example.org", "No", "  more   STAFF ", "More staff"],
    ["c@example.org", "Yes", "More staff.", ""],
    ["d@example.org", "Yes", "more staff", "Team meetings"],
]


def _same_survey(storfa: Storfa) -> tuple[int, dict[str, Caller]]:
    a = storfa.accounts
    board = a.add_organisation("North Board", "North Wales", SYSTEM)
    callers = {}
    for who, role in (("be", "editor"), ("bv", "reader")):
        user = a.add_user(who, PASSWORD, role, board.name, SYSTEM)
        callers[who] = Caller(user.actor, user, {"via": "test"})
    surveys = SurveyService.of(storfa, CLI)
    survey_id = surveys.import_file(board.id, "Staffing 2025", "same.csv", _csv(SAME_ROWS))
    surveys.map(survey_id, MAPPING)
    return survey_id, callers


def _code_events(storfa: Storfa) -> list[dict[str, Any]]:
    return [{**e, "detail": json.loads(e["detail"])}
            for e in storfa.store.audit_events(action="assurance.survey.code", limit=1000)
            if e["action"] == "assurance.survey.code"]


def test_identical_answers_coded_at_once_when_asked(storfa: Storfa) -> None:
    survey_id, callers = _same_survey(storfa)
    board = SurveyCodingService.of(storfa, callers["be"])
    coded = board.coded(survey_id, BOOK)
    answer = {a.key: a for a in coded.answers}
    assert [a.row for a in coded.identical(answer[1, HELP])] == [2, 4]
    assert [a.row for a in coded.identical(answer[2, HELP])] == [1, 4]
    assert coded.identical(answer[3, HELP]) == []  # "More staff." is another answer
    assert coded.identical(answer[2, WORKS]) == []  # the same words to another question
    # The JSON says it of every answer, as the page does.
    counts = {(u["row"], u["column"]): u["identical"] for u in coded.as_json()["uncoded"]}
    assert counts == {(1, HELP): 2, (2, HELP): 2, (3, HELP): 0, (4, HELP): 2,
                      (1, WORKS): 0, (2, WORKS): 0, (4, WORKS): 0}

    # Coding one answer codes only it, unless the coder asks for its identical ones.
    single = board.code(survey_id, 4, HELP, BOOK, COORDINATION)
    assert single.row == 4
    assert [n.count for n in board.coded(survey_id, BOOK).by_code] == [1]
    made = board.code_identical(survey_id, 2, HELP, BOOK, "workforce")  # any case
    assert [(c.row, c.question_key, c.code, c.how) for c in made] == [
        (2, HELP, WORKFORCE, "manual"), (1, HELP, WORKFORCE, "manual"),
        (4, HELP, WORKFORCE, "manual")]
    assert made[0].answer == "more   STAFF"  # each coding keeps its own answer's text
    after = board.coded(survey_id, BOOK)
    assert [(n.code, n.count) for n in after.by_code] == [(WORKFORCE, 3), (COORDINATION, 1)]
    assert {a.key for a in after.uncoded} == {(3, HELP), (1, WORKS), (2, WORKS), (4, WORKS)}

    # Audited as a single coding is: one event per answer naming it, and the
    # answer the coder chose with how many were identical to it.
    events = _code_events(storfa)
    assert len(events) == 4
    batch = sorted((e["detail"]["row"], e["detail"]["with_identical"]["row"],
                    e["detail"]["with_identical"]["answers"])
                   for e in events if "with_identical" in e["detail"])
    assert batch == [(1, 2, 2), (2, 2, 2), (4, 2, 2)]
    assert all(e["actor"] == callers["be"].actor for e in events)
    # Again: the codings are kept once and nothing new is audited.
    again = board.code_identical(survey_id, 1, HELP, BOOK, WORKFORCE)
    assert sorted(c.id for c in again) == sorted(c.id for c in made)
    assert len(_code_events(storfa)) == 4

    # A suggestion accepted for all of them keeps its source and confidence.
    model = board.code_identical(survey_id, 1, HELP, BOOK, GOOD, "model", 0.7)
    assert {(c.row, c.how, c.confidence) for c in model} == {
        (1, "model", 0.7), (2, "model", 0.7), (4, "model", 0.7)}

    # Refused as a single coding is, and then nothing is coded.
    with pytest.raises(StorfaError):
        board.code_identical(survey_id, 1, HELP, BOOK, "No such code")
    with pytest.raises(NotVisible):
        board.code_identical(survey_id, 1, "Aware", BOOK, WORKFORCE)
    with pytest.raises(Forbidden):
        SurveyCodingService.of(storfa, callers["bv"]).code_identical(
            survey_id, 1, HELP, BOOK, ESCALATION)
    assert not any(n.code == ESCALATION for n in board.coded(survey_id, BOOK).by_code)
    assert storfa.store.audit_events(action="assurance.survey.code", denied=True)


def signed_in(storfa: Storfa, who: str) -> TestClient:
    """A browser signed in through the login form."""
    client = TestClient(create_app(storfa), follow_redirects=False)
    done = client.post("/login", data={"username": who, "password": PASSWORD, "next": "/",
                                       "csrf_token": csrf_of(client.get("/login").text)})
    assert done.status_code == 303, done.text[:300]
    return client


def test_identical_answers_on_the_page_and_through_the_api(storfa: Storfa) -> None:
    survey_id, callers = _same_survey(storfa)
    user = callers["be"].user
    assert user is not None
    token = storfa.accounts.create_token(user, "tests", SYSTEM)
    auth = {"Authorization": f"Bearer {token}"}
    page, api = (f"/assurance/surveys/{survey_id}/coding",
                 f"/api/v1/assurance/surveys/{survey_id}")
    with signed_in(storfa, "be") as client:
        view = client.get(page, params={"codebook": BOOK, "column": HELP})
        assert view.status_code == 200
        text = view.text
        # Codebooks by their titles, the chosen one selected, as the review coding page.
        assert ('<option value="cpr-learning" selected>Child practice review learning '
                "themes") in text
        assert '<option value="best-practice">Best practice in Welsh' in text
        assert ">cpr-learning<" not in text and ">best-practice<" not in text
        # Codes under their themes: the theme first, its sub-codes marked "—".
        assert ('<select id="code-1" name="code" required><option value="">—</option>'
                '<optgroup label="Practitioner and agency challenges"><option value='
                '"Practitioner and agency challenges">Practitioner and agency challenges'
                '</option><option value="Assessing needs and risk">— Assessing needs and '
                "risk</option>") in text
        assert ('<optgroup label="Wider influences"><option value="Wider influences">Wider '
                'influences</option><option value="Workforce">— Workforce</option>') in text
        # Rows 1, 2 and 4 have two identical answers each; row 3 none.
        assert text.count("(2 identical answers)") == 3
        assert text.count("Also code the 2 identical answers") == 3
        assert "identical answer)" not in text  # no answer has exactly one
        row3 = text[text.index("Row 3 ·"):text.index("Row 4 ·")]
        assert "identical" not in row3

        form = {"csrf_token": csrf_of(text), "codebook": BOOK, "within": HELP,
                "column": HELP, "code": WORKFORCE}
        # Not ticked: one answer. Ticked: it and its identical answers.
        assert client.post(f"/assurance/surveys/{survey_id}/codings",
                           data={**form, "row": "3"}).status_code == 303
        done = client.post(f"/assurance/surveys/{survey_id}/codings",
                           data={**form, "row": "1", "identical": "1"})
        assert done.status_code == 303, done.text[:500]
        coded = client.get(api + "/coding", params={"codebook": BOOK}, headers=auth).json()
        workforce = next(c for c in coded["codes"] if c["code"] == WORKFORCE)
        assert sorted((a["row"], a["identical"]) for a in workforce["answers"]) == [
            (1, 2), (2, 2), (3, 0), (4, 2)]
        assert {(u["row"], u["identical"]) for u in coded["uncoded"]} == {
            (1, 0), (2, 0), (4, 0)}  # the other question's answers

        # Through the API: asked for, the identical answers' codings come too.
        body = {"row": 2, "column": HELP, "codebook": BOOK, "code": GOOD}
        one = client.post(api + "/codings", headers=auth, json=body)
        assert one.status_code == 200 and one.json()["identical"] == []
        assert (one.json()["row"], one.json()["code"]) == (2, GOOD)
        body = {**body, "code": ESCALATION, "identical": True}
        many = client.post(api + "/codings", headers=auth, json=body)
        assert many.status_code == 200, many.text[:300]
        assert many.json()["row"] == 2
        assert [(c["row"], c["code"]) for c in many.json()["identical"]] == [
            (1, ESCALATION), (4, ESCALATION)]
        counts = {c["code"]: c["count"] for c in client.get(
            api + "/coding", params={"codebook": BOOK}, headers=auth).json()["codes"]}
        assert counts == {WORKFORCE: 4, ESCALATION: 3, GOOD: 1}
        events = [e for e in _code_events(storfa) if "with_identical" in e["detail"]]
        assert len(events) == 6  # three answers twice (page, API), each audited

        # In Welsh.
        client.cookies.set(LANG_COOKIE, "cy")
        welsh = htmllib.unescape(client.get(page, params={"codebook": BOOK}).text)
        assert "(2 ateb union yr un fath)" in welsh
        assert "Codio'r 2 ateb union yr un fath hefyd" in welsh
        assert "identical answer" not in welsh

    # A reader sees the counts but no form to code with.
    with signed_in(storfa, "bv") as reader:
        text = reader.get(page, params={"codebook": BOOK}).text
        assert "(2 identical answers)" in text and "Also code the" not in text


def test_cli_codes_identical_answers_when_asked(cli: Cli, data_dir: Path,
                                                 tmp_path: Path) -> None:
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    app.accounts.add_organisation("North Board", "North Wales", SYSTEM)
    app.close()
    path = tmp_path / "same.csv"
    path.write_bytes(_csv(SAME_ROWS))
    sid = str(cli.json("assurance", "survey-import", str(path), "--org", "North Wales")["id"])
    cli.json("assurance", "survey-map", sid, "--map", "Email=ignore", "--map", "Aware=yesno",
             "--map", f"{HELP}=text", "--map", f"{WORKS}=text")
    one = cli.json("assurance", "survey-code", sid, "--codebook", BOOK, "--row", "1",
                   "--column", HELP, "--code", WORKFORCE)
    assert [a["row"] for c in one["codes"] if c["code"] == WORKFORCE
            for a in c["answers"]] == [1]
    all_of_them = cli.json("assurance", "survey-code", sid, "--codebook", BOOK, "--row", "2",
                           "--column", HELP, "--code", WORKFORCE, "--identical")
    coded = next(c for c in all_of_them["codes"] if c["code"] == WORKFORCE)
    assert sorted((a["row"], a["column"]) for a in coded["answers"]) == [
        (1, HELP), (2, HELP), (4, HELP)]  # row 3's "More staff." is another answer
    alone = cli.json("assurance", "survey-code", sid, "--codebook", BOOK, "--identical",
                     expect_exit=2)
    assert "--row" in alone["error"]
