"""Self-evaluations through their service on both backends: built-in
templates, a board's own design, agencies' drafts and submissions, who has
not returned, results checked against a hand-worked example, and a second
agency never seeing the first's return."""

from __future__ import annotations

import pytest

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.selfevals import build_design, template, templates
from storfa.domain.accounts import Organisation, User
from storfa.domain.errors import StorfaError

SYSTEM = Actor(None, "test")
PW = "correct horse battery staple"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DESIGN = [{"title": "Training", "theme": "training", "questions": [
    {"text": "Are 7-minute briefings disseminated?", "kind": "yesno"},
    {"text": "Confidence (1-5)", "kind": "scale"},
    {"text": "Who delivers training?", "kind": "choice", "options": ["Us", "Board", "Both"]},
    {"text": "What works?", "kind": "text"},
    {"text": "Training record", "kind": "evidence"}]}]


def test_templates_are_built_in() -> None:
    assert set(templates()) == {"core", "section11"}
    _, core = template("core")
    assert [s.title for s in core] == ["Leadership", "Policies and procedures",
                                       "Safer recruitment", "Training", "Supervision",
                                       "Learning from reviews"]
    _, s11 = template("section11")
    assert len(s11) == 8 and {q.kind for s in s11 for q in s.questions} >= {"yesno", "evidence"}
    with pytest.raises(StorfaError, match="kind is one of"):
        build_design([{"title": "A", "questions": [{"text": "Q", "kind": "essay"}]}])
    with pytest.raises(StorfaError, match="two options"):
        build_design([{"title": "A", "questions": [{"text": "Q", "kind": "choice"}]}])


def _people(storfa: Storfa) -> dict[str, tuple[Organisation, User]]:
    a = storfa.accounts
    out = {}
    for key, name, board in (("board", "North Board", "North Wales"), ("a1", "Agency One", None),
                             ("a2", "Agency Two", None), ("a3", "Agency Three", None)):
        org = a.add_organisation(name, board, SYSTEM)
        out[key] = (org, a.add_user(f"{key}e", PW, "editor", name, SYSTEM))
    return out


def _as(storfa: Storfa, user: User) -> SelfEvalService:
    return SelfEvalService.of(storfa, Caller(user.actor, user, {"role": user.role.value}))


def test_agencies_fill_the_board_sees_results(storfa: Storfa) -> None:
    p = _people(storfa)
    board = _as(storfa, p["board"][1])
    a1, a2 = (_as(storfa, p[k][1]) for k in ("a1", "a2"))
    se = board.create(p["board"][0].id, "Training 2025", design=DESIGN)
    board.add_question(se, "Supervision", "Regular supervision?", "yesno", theme="supervision")
    assert [s.key for s in board.get(se).sections] == ["s1", "s2"]
    with pytest.raises(NotVisible):
        a1.get(se)  # not sent yet
    board.send(se, ["Agency One", "Agency Two", "Agency Three"])
    with pytest.raises(Forbidden):
        a1.add_question(se, "s1", "x", "yesno")
    with pytest.raises(StorfaError, match="fixed"):
        board.add_question(se, "s1", "Late?", "yesno")
    r1, r2 = a1.find_return(se).id, a2.find_return(se).id
    # Agency one: a half-filled draft first, a bad answer refused with the allowed values.
    a1.save(r1, {"s1q1": "Yes"})
    with pytest.raises(StorfaError, match="1, 2, 3, 4, 5"):
        a1.save(r1, {"s1q2": "7"})
    with pytest.raises(StorfaError, match="self-score"):
        a1.submit(r1)
    a1.save(r1, {"s1q2": "4", "s1q3": "Both", "s1q4": "Briefings", "s2q1": "yes"},
            {"s1": "good", "s2": "Outstanding"}, [("s1q5", "record.png", PNG)])
    a1.submit(r1)
    with pytest.raises(StorfaError, match="locked"):
        a1.save(r1, {"s1q1": "No"})
    # The second agency cannot see the first's return, draft or submitted.
    with pytest.raises(NotVisible):
        a2.view(r1)
    a2.save(r2, {"s1q1": "no", "s1q2": "2", "s1q3": "Us", "s2q1": "yes"},
            {"s1": "requires improvement", "s2": "good"})
    with pytest.raises(NotVisible):
        a1.view(r2)
    # The board does not see agency two's draft, only its status.
    with pytest.raises(NotVisible):
        board.view(r2)
    a2.submit(r2)
    found = board.results(se)
    assert [r.organisation_id for r in found.not_returned] == [p["a3"][0].id]
    q = {r.key: r for r in found.questions}
    # Hand-worked: 2 answered s1q1, one yes → 50.0%; scale 4 and 2 → mean 3.0
    assert q["s1q1"].base == 2 and [(o.value, o.count, o.percent) for o in q["s1q1"].options] \
        == [("yes", 1, 50.0), ("no", 1, 50.0)]
    assert q["s1q2"].mean == 3.0 and q["s1q2"].options[3].percent == 50.0
    assert [(o.value, o.count) for o in q["s1q3"].options] == [("Us", 1), ("Board", 0),
                                                               ("Both", 1)]
    assert q["s1q4"].base == 1 and q["s1q4"].texts[0][1] == "Briefings"
    assert [(o.value, o.count) for o in q["s1q5"].options] == [("with a file", 1),
                                                               ("without", 1)]
    assert q["s2q1"].options[0].percent == 100.0
    assert found.scores["s1"] == {p["a1"][0].id: "good", p["a2"][0].id: "requires_improvement"}
    assert found.mean_score("s1") == 2.5 and found.score_counts["s2"]["outstanding"] == 1
    # Before publication an agency's results are its own return only.
    assert a1.results(se).questions[0].base == 1
    board.publish(se)
    assert a1.results(se).questions[0].base == 2
    board.reopen(r1, "Correct the training figures")
    assert a1.view(r1).ret.status == "draft"
    actions = {e["action"] for e in storfa.store.audit_events(limit=1000)}
    assert {"assurance.selfeval.create", "assurance.selfeval.send", "assurance.selfeval.save",
            "assurance.selfeval.submit", "assurance.selfeval.reopen",
            "assurance.selfeval.published"} <= actions
    assert b"with a file" in board.export_results(se, "csv")
