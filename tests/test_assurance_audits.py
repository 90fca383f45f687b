"""Multi-agency case-file audits through their service on both backends:
cases are listed by reference only (names refused), agencies grade on the
four-point scale, distributions per question, agency and theme agree with a
hand-worked example, disagreements are found, and an agency sees only its
own grades until the board publishes."""

from __future__ import annotations

import pytest

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.audit_service import CaseAuditService
from storfa.assurance.audits import distribution, make_questions, results
from storfa.assurance.case_reference import NotAReference, check_reference
from storfa.assurance.scope import Caller, Forbidden, NotVisible
from storfa.domain.accounts import Organisation, User
from storfa.domain.assurance import Audit as AuditT
from storfa.domain.assurance import AuditCase, AuditGrade
from storfa.domain.errors import StorfaError

SYSTEM = Actor(None, "test")
PW = "correct horse battery staple"


def test_references_not_names() -> None:
    assert check_reference("  CFA-2025-017 ") == "CFA-2025-017"
    for bad in ("Jane Smith", "Child A", "rhys-07", "LL57 2PW", "943 476 5919", "01/02/2015"):
        with pytest.raises(NotAReference):
            check_reference(bad)


def test_hand_worked_distributions_and_disagreements() -> None:
    qs = make_questions([("Risk assessed?", "risk"), ("Information shared?", "sharing"),
                         ("Voice heard?", "risk")])
    audit = AuditT(1, 1, "A", qs, "open", "t", "", "")
    cases = [AuditCase(10, 1, "C-1", (100, 200)), AuditCase(11, 1, "C-2", (100,))]
    g = [AuditGrade(10, 100, "q1", "good", ""), AuditGrade(10, 200, "q1", "unsatisfactory", ""),
         AuditGrade(10, 100, "q2", "good", ""), AuditGrade(10, 200, "q2", "good", ""),
         AuditGrade(10, 100, "q3", "outstanding", ""),
         AuditGrade(10, 200, "q3", "requires_improvement", ""),
         AuditGrade(11, 100, "q1", "requires_improvement", ""),
         AuditGrade(11, 100, "q2", "good", "")]
    found = results(audit, cases, g)
    # q1: good, unsatisfactory, requires improvement → 1/3 each = 33.3%
    assert found.by_question["q1"].counts == {"outstanding": 0, "good": 1,
                                              "requires_improvement": 1, "unsatisfactory": 1}
    assert found.by_question["q1"].percents["good"] == 33.3
    # q2: three goods → 100%
    assert found.by_question["q2"].percents["good"] == 100.0
    # agency 100: good, good, outstanding, RI, good → 5 grades; good 3/5 = 60%
    assert found.by_agency[100].base == 5 and found.by_agency[100].percents["good"] == 60.0
    assert found.by_agency[100].positive == 80.0  # 4 of 5 good or better
    # theme risk = q1 + q3: good, unsat, outstanding, RI, RI → 5; RI 2/5 = 40%
    assert found.by_theme["risk"].base == 5
    assert found.by_theme["risk"].percents["requires_improvement"] == 40.0
    assert found.by_theme["sharing"].positive == 100.0
    # C-1 q1 (good vs unsatisfactory: spread 2) and q3 (outstanding vs RI: 2); q2 agrees
    assert [(d.reference, d.question_key, d.spread) for d in found.disagreements] == [
        ("C-1", "q1", 2), ("C-1", "q3", 2)]
    # agency 200 graded C-1; agency 100 graded both: nothing outstanding
    assert found.outstanding_returns == []
    assert found.overall.base == 8 and distribution([]).positive == 0.0


def _people(storfa: Storfa) -> dict[str, tuple[Organisation, User]]:
    a = storfa.accounts
    board = a.add_organisation("North Board", "North Wales", SYSTEM)
    police = a.add_organisation("North Police", None, SYSTEM)
    health = a.add_organisation("North Health", None, SYSTEM)
    other = a.add_organisation("Gwent Board", "Gwent", SYSTEM)
    return {"board": (board, a.add_user("be", PW, "editor", board.name, SYSTEM)),
            "police": (police, a.add_user("pe", PW, "editor", police.name, SYSTEM)),
            "health": (health, a.add_user("he", PW, "editor", health.name, SYSTEM)),
            "other": (other, a.add_user("oe", PW, "editor", other.name, SYSTEM))}


def _as(storfa: Storfa, user: User) -> CaseAuditService:
    return CaseAuditService.of(storfa, Caller(user.actor, user, {"role": user.role.value}))


def test_an_agency_sees_only_its_own_until_published(storfa: Storfa) -> None:
    people = _people(storfa)
    board = _as(storfa, people["board"][1])
    police, health = _as(storfa, people["police"][1]), _as(storfa, people["health"][1])
    audit_id = board.create(people["board"][0].id, "Neglect audit 2025")
    with pytest.raises(NotAReference):
        board.add_case(audit_id, "Jane Smith", ["North Police"])
    board.add_case(audit_id, "CFA-2025-001", ["North Police", "North Health"])
    board.add_case(audit_id, "CFA-2025-002", ["North Health"])
    with pytest.raises(Forbidden):
        police.add_case(audit_id, "CFA-2025-003", ["North Police"])
    police.grade(audit_id, "CFA-2025-001", "q1", "good", "Risk assessed promptly")
    health.grade(audit_id, "CFA-2025-001", "q1", "unsatisfactory", "No assessment")
    with pytest.raises(Forbidden):
        police.grade(audit_id, "CFA-2025-002", "q1", "good")
    with pytest.raises(StorfaError, match="outstanding"):
        health.grade(audit_id, "CFA-2025-002", "q1", "excellent")
    # Before publication the police see their own case and grade only.
    mine = police.view(audit_id)
    assert [c.reference for c in mine.cases] == ["CFA-2025-001"]
    assert [(g.organisation_id, g.grade) for g in mine.grades] == [
        (people["police"][0].id, "good")]
    assert police.results(audit_id).disagreements == []
    # The board sees both agencies and the disagreement.
    seen = board.results(audit_id)
    assert len(seen.disagreements) == 1 and seen.disagreements[0].spread == 2
    assert seen.by_question["q1"].base == 2
    with pytest.raises(NotVisible):
        _as(storfa, people["other"][1]).view(audit_id)
    board.publish(audit_id)
    assert len(police.results(audit_id).disagreements) == 1
    with pytest.raises(StorfaError, match="published"):
        police.grade(audit_id, "CFA-2025-001", "q2", "good")
    actions = {e["action"] for e in storfa.store.audit_events(limit=1000)}
    assert {"assurance.audit.create", "assurance.audit.case", "assurance.audit.grade",
            "assurance.audit.published"} <= actions
    assert board.export_results(audit_id, "csv").startswith(b"by,what,base")
