"""Self-evaluation free-text answers coded with a codebook through the coding
layer, on both backends: auto-coding suggestions from the reviews' coder,
manual coding and accepting a suggestion, counts per code with the coded
answers, withdrawal, the audit trail, and who may see and code what."""

from __future__ import annotations

import pytest

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.answer_coding import AnswerCodingService
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.domain.errors import StorfaError
from test_assurance_survey_coding import signed_in
from webworld import csrf_of

SYSTEM = Actor(None, "test")
CLI = Caller("cli", None, {"via": "test"})
PASSWORD = "correct horse battery staple"
DESIGN = [{"title": "Learning", "theme": "learning", "questions": [
    {"text": "How do staff escalate concerns?", "kind": "text"},
    {"text": "Is there a named lead?", "kind": "yesno"}]}]
ANSWERS = {
    # (Its doubt, "but are unsure whether", keeps it clear of the good-practice
    # threshold on both kinds of int8 weights: "and use the" read 0.50 on u8.)
    "Agency 1": "Staff escalate concerns to the named lead but are unsure whether to use "
                "the escalation protocol when a referral threshold is disputed.",
    "Agency 2": "Caseloads are high and staff turnover means the workforce is stretched "
                "across the service.",
    "Agency 3": "",  # answered nothing in free text
}


def _example(storfa: Storfa) -> tuple[int, dict[str, Caller]]:
    a = storfa.accounts
    board = a.add_organisation("North Board", "North Wales", SYSTEM)
    for name in ANSWERS:
        a.add_organisation(name, None, SYSTEM)
    a.add_organisation("Gwent Board", "Gwent", SYSTEM)
    callers = {}
    for who, org, role in (("be", board.name, "editor"), ("bv", board.name, "reader"),
                           ("a1", "Agency 1", "editor"), ("a2", "Agency 2", "editor"),
                           ("ge", "Gwent Board", "editor")):
        user = a.add_user(who, PASSWORD, role, org, SYSTEM)
        callers[who] = Caller(user.actor, user, {"via": "test"})
    se = SelfEvalService.of(storfa, CLI)
    se_id = se.create(board.id, "Learning 2025", design=DESIGN)
    se.send(se_id, list(ANSWERS))
    for agency, text in ANSWERS.items():
        rid = se.find_return(se_id, agency).id
        se.save(rid, {"s1q1": text, "s1q2": "yes"}, {"s1": "good"})
        se.submit(rid)
    return se_id, callers


def test_suggest_code_count_and_withdraw(storfa: Storfa) -> None:
    se_id, callers = _example(storfa)
    board = AnswerCodingService.of(storfa, callers["be"])
    names = board.names()
    _, answers = board.answers(se_id)
    assert [names[a.organisation_id] for a in answers] == ["Agency 1", "Agency 2"]

    # The reviews' coder: cpr-learning's term rules read escalation and the workforce.
    found = board.suggest(se_id, "cpr-learning")
    by_agency = {names[s.answer.organisation_id]: s for s in found}
    assert by_agency["Agency 1"].code == "Escalation and referral ambiguity"
    assert by_agency["Agency 2"].code == "Workforce"
    assert all(s.how in ("model", "term") for s in found)

    # Accept one suggestion; code the other answer by hand (twice: kept once).
    s1 = by_agency["Agency 1"]
    accepted = board.code(se_id, s1.answer.return_id, "s1q1", "cpr-learning", s1.code,
                          s1.how, s1.confidence)
    assert accepted.how == s1.how and accepted.answer == ANSWERS["Agency 1"]
    a2 = by_agency["Agency 2"].answer
    manual = board.code(se_id, a2.return_id, "s1q1", "cpr-learning", "workforce")
    again = board.code(se_id, a2.return_id, "s1q1", "cpr-learning", "Workforce")
    assert manual.id == again.id and manual.code == "Workforce" and manual.how == "manual"
    board.code(se_id, a2.return_id, "s1q1", "cpr-learning", "Assessing needs and risk")
    # What is coded is no longer suggested with that code.
    assert not board.suggest(se_id, "cpr-learning")

    coded = board.coded(se_id, "cpr-learning")
    assert [(n.code, n.count) for n in coded.by_code] == [
        ("Assessing needs and risk", 1), ("Escalation and referral ambiguity", 1),
        ("Workforce", 1)]
    assert coded.uncoded == []
    data = coded.as_json(names)
    assert data["answers"] == 2 and data["coded"] == 2
    workforce = next(c for c in data["codes"] if c["code"] == "Workforce")
    assert workforce["answers"][0]["organisation"] == "Agency 2"
    assert workforce["answers"][0]["text"].startswith("Caseloads are high")

    board.uncode(se_id, manual.id)
    after = board.coded(se_id, "cpr-learning")
    assert [(n.code, n.count) for n in after.by_code] == [
        ("Assessing needs and risk", 1), ("Escalation and referral ambiguity", 1)]
    with pytest.raises(NotVisible):
        board.uncode(se_id, manual.id)  # already withdrawn
    actions = [e["action"] for e in storfa.store.audit_events(limit=1000)
               if e["action"].startswith(("assurance.selfeval.code",
                                          "assurance.selfeval.uncode"))]
    assert actions.count("assurance.selfeval.code") == 3
    assert "assurance.selfeval.code.suggest" in actions
    assert "assurance.selfeval.uncode" in actions


def test_refusals_and_who_sees_what(storfa: Storfa) -> None:
    se_id, callers = _example(storfa)
    board = AnswerCodingService.of(storfa, callers["be"])
    _, answers = board.answers(se_id)
    first = answers[0]
    board.code(se_id, first.return_id, "s1q1", "cpr-learning", "Workforce")
    board.code(se_id, answers[1].return_id, "s1q1", "cpr-learning", "Workforce")
    with pytest.raises(StorfaError):  # not a code of the codebook
        board.code(se_id, first.return_id, "s1q1", "cpr-learning", "No such code")
    with pytest.raises(NotVisible):  # a yes/no question is not free text
        board.code(se_id, first.return_id, "s1q2", "cpr-learning", "Workforce")
    with pytest.raises(StorfaError, match="manual, model or term"):
        board.code(se_id, first.return_id, "s1q1", "cpr-learning", "Workforce", how="guess")
    with pytest.raises(StorfaError, match="between 0 and 1"):
        board.suggest(se_id, "cpr-learning", threshold=2.0)
    # Readers of the board see the coding but may not code.
    viewer = AnswerCodingService.of(storfa, callers["bv"])
    assert viewer.coded(se_id, "cpr-learning").by_code[0].count == 2
    with pytest.raises(Forbidden):
        viewer.code(se_id, first.return_id, "s1q1", "cpr-learning", "Workforce")
    with pytest.raises(Forbidden):
        viewer.suggest(se_id, "cpr-learning")
    # An agency sees only its own answer (and its coding) before publication,
    # and codes nothing; another board sees nothing at all.
    agency = AnswerCodingService.of(storfa, callers["a1"])
    mine = agency.coded(se_id, "cpr-learning")
    assert [a.text for a in mine.answers] == [ANSWERS["Agency 1"]]
    assert mine.by_code[0].count == 1
    with pytest.raises(Forbidden):
        agency.code(se_id, first.return_id, "s1q1", "cpr-learning", "Workforce")
    with pytest.raises(NotVisible):
        AnswerCodingService.of(storfa, callers["ge"]).coded(se_id, "cpr-learning")
    assert storfa.store.audit_events(action="assurance.selfeval.code", denied=True)


def test_coding_page_names_codebooks_and_groups_codes(storfa: Storfa) -> None:
    """The codebooks by their titles and the codes under their themes, as the
    review coding page shows them (the same partial), here and after coding."""
    se_id, _ = _example(storfa)
    page = f"/assurance/self-evaluations/{se_id}/coding"
    with signed_in(storfa, "be") as client:
        text = client.get(page, params={"codebook": "cpr-learning"}).text
        assert ('<option value="cpr-learning" selected>Child practice review learning '
                "themes") in text
        assert '<option value="best-practice">Best practice in Welsh' in text
        assert ">cpr-learning<" not in text and ">best-practice<" not in text
        select = text[text.index('name="code" required>'):]
        select = select[:select.index("</select>")]
        assert select.startswith('name="code" required><option value="">—</option>'
                                 '<optgroup label="Practitioner and agency challenges">')
        assert ('<optgroup label="Structures and process barriers"><option value="Structures '
                'and process barriers">Structures and process barriers</option><option '
                'value="Escalation and referral ambiguity">— Escalation and referral '
                "ambiguity</option>") in select
        # Every theme heads a group; every code is offered once.
        assert select.count("<optgroup") == 4
        assert select.count("<option") == 1 + 13
        # A code chosen from the list codes the answer.
        answer = AnswerCodingService.of(storfa, CLI).answers(se_id)[1][0]
        done = client.post(f"/assurance/self-evaluations/{se_id}/codings", data={
            "csrf_token": csrf_of(text), "codebook": "cpr-learning", "code": "Workforce",
            "return_id": str(answer.return_id), "question": "s1q1"})
        assert done.status_code == 303
        assert "[Workforce]" in client.get(page, params={"codebook": "cpr-learning"}).text
        # The other codebook by its name in the address, named by its title on the page.
        other = client.get(page, params={"codebook": "best-practice"}).text
        assert '<option value="best-practice" selected>Best practice in Welsh' in other
