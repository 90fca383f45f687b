"""The 12 Cs toolkit through its service on both backends: the Cs and their
descriptions come from the MAOSA report, a grade outside the scale is refused
with the allowed values, a half-filled return stays a draft, submit locks it,
reopening is explicit and audited, every change is a new version, next year
starts from last year's answers, and access follows organisations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.service import Caller, Forbidden, NotVisible, TwelveCsService
from storfa.assurance.twelve_cs import find_c, source, twelve_cs
from storfa.domain.accounts import Organisation, User
from storfa.domain.assurance import SCALE, parse_grade
from storfa.domain.errors import StorfaError

SYSTEM = Actor(None, "test")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MAOSA = "maosa-national-evaluation-2022.md"


def test_the_twelve_cs_are_the_reports() -> None:
    cs = twelve_cs()
    assert len(cs) == 12 and len({c.key for c in cs}) == 12
    assert [c.name for c in cs[:4]] == ["Clarity", "Confidence", "Competence", "Capacity"]
    assert {c.group for c in cs} == {"Practitioners and agencies", "Structures and processes"}
    assert all(len(c.description) > 80 for c in cs)
    assert "Shaping the Future of Multi-Agency Safeguarding Arrangements in Wales" in source()
    assert find_c("3").key == "competence" and find_c("Collaboration forums").key == "forums"
    with pytest.raises(StorfaError, match="clarity, confidence"):
        find_c("courage")


def test_each_c_is_named_in_the_report(corpus: Path) -> None:
    text = (corpus / MAOSA).read_text(encoding="utf-8").casefold()
    for c in twelve_cs():
        assert c.name.casefold().split(" ")[0] in text, c.name
    assert "cohesion between services" in text and "coordination of data collection" in text


def test_grades_outside_the_scale_are_refused_with_the_allowed_values() -> None:
    assert parse_grade("Requires improvement") == "requires_improvement"
    assert parse_grade("4") == "outstanding" and parse_grade("") is None
    with pytest.raises(StorfaError) as refused:
        parse_grade("excellent")
    for g in SCALE:
        assert g.key in str(refused.value)
    assert all(g.meaning for g in SCALE)


def _people(storfa: Storfa) -> dict[str, tuple[Organisation, User | None]]:
    accounts = storfa.accounts
    north = accounts.add_organisation("North Board", "North Wales", SYSTEM)
    gwent = accounts.add_organisation("Gwent Board", "Gwent", SYSTEM)
    nation = accounts.add_organisation("National Team", None, SYSTEM)
    pw = "correct horse battery staple"
    return {
        "north_editor": (north, accounts.add_user("ne", pw, "editor", north.name, SYSTEM)),
        "north_reader": (north, accounts.add_user("nr", pw, "reader", north.name, SYSTEM)),
        "gwent_editor": (gwent, accounts.add_user("ge", pw, "editor", gwent.name, SYSTEM)),
        "national_editor": (nation, accounts.add_user("xe", pw, "editor", nation.name, SYSTEM)),
        "national_reader": (nation, accounts.add_user("xr", pw, "reader", nation.name, SYSTEM)),
    }


def _as(storfa: Storfa, user: User | None) -> TwelveCsService:
    return TwelveCsService.of(storfa, Caller(user.actor if user else "cli", user,
                                             {"role": user.role.value if user else None}))


def _fill(service: TwelveCsService, return_id: int, grade: str = "good") -> None:
    for c in twelve_cs():
        service.save(return_id, c.key, f"{c.name} in place", f"{c.name} planned",
                     "audit notes", grade)


def test_a_return_from_draft_to_locked_to_reopened(storfa: Storfa) -> None:
    people = _people(storfa)
    north, editor = people["north_editor"]
    board = _as(storfa, editor)
    ret = board.open(north.id, 2025)
    assert ret.status == "draft" and ret.version == 1 and ret.carried_from is None
    assert board.open(north.id, 2025).id == ret.id  # opening again is the same return

    board.save(ret.id, "clarity", "Threshold document agreed", "Review in spring",
               "Minutes of the board", "good", files=[("minutes.png", PNG)])
    with pytest.raises(StorfaError, match="outstanding"):
        board.save(ret.id, "confidence", grade="brilliant")
    # Half-filled: a draft that refuses to be submitted, naming what is missing.
    with pytest.raises(StorfaError, match="Confidence"):
        board.submit(ret.id)
    view = board.view(ret.id)
    assert view.ret.status == "draft" and len(view.missing) == 11
    clarity = view.cs[0]
    assert clarity.answer.grade == "good" and clarity.answer.in_place.startswith("Threshold")
    assert [f.filename for f in clarity.files] == ["minutes.png"]
    with pytest.raises(StorfaError, match=r"MB|PDF"):
        board.save(ret.id, "clarity", files=[("x.exe", b"MZ\x00\x00" * 10)])

    # Saving only the grade keeps the texts already given.
    board.save(ret.id, "clarity", grade="outstanding")
    assert board.view(ret.id).cs[0].answer.in_place.startswith("Threshold")
    _fill(board, ret.id)
    done = board.submit(ret.id)
    assert done.status == "submitted" and done.submitted_by == editor.actor  # type: ignore[union-attr]
    with pytest.raises(StorfaError, match="locked"):
        board.save(ret.id, "clarity", grade="good")
    with pytest.raises(Forbidden):
        board.reopen(ret.id, "typo")  # the board cannot unlock its own return

    national = _as(storfa, people["national_editor"][1])
    with pytest.raises(StorfaError, match="reason"):
        national.reopen(ret.id, "  ")
    reopened = national.reopen(ret.id, "Board asked to correct Capacity")
    assert reopened.status == "draft" and reopened.version > done.version
    board.save(ret.id, "capacity", grade="requires improvement")
    board.submit(ret.id)

    # Versioned: the return as it stood at submission is still there.
    at_submit = board.view(ret.id, version=done.version)
    assert {v.c.key: v.answer.grade for v in at_submit.cs}["capacity"] == "good"
    assert {v.c.key: v.answer.grade for v in board.view(ret.id).cs}["capacity"] == \
        "requires_improvement"
    actions = [e.action for e in board.view(ret.id).events]
    assert actions[0] == "opened" and actions.count("submitted") == 2 \
        and actions.count("reopened") == 1
    audited = [e["action"] for e in storfa.store.audit_events(limit=1000)]
    for action in ("assurance.return.open", "assurance.answer.save", "assurance.return.submit",
                   "assurance.return.reopen"):
        assert action in audited, action
    reopen = storfa.store.audit_events(action="assurance.return.reopen")
    assert json.loads(reopen[0]["detail"])["note"] == "Board asked to correct Capacity"
    denied = [e for e in storfa.store.audit_events(limit=1000, denied=True)
              if e["action"] == "assurance.return.reopen"]
    assert denied and denied[0]["actor"] == editor.actor  # type: ignore[union-attr]


def test_next_year_starts_from_last_year_and_grades_show_over_the_years(
        storfa: Storfa) -> None:
    people = _people(storfa)
    north, editor = people["north_editor"]
    board = _as(storfa, editor)
    first = board.open(north.id, 2024)
    _fill(board, first.id, "requires_improvement")
    board.submit(first.id)
    second = board.open(north.id, 2025)
    assert second.carried_from == 2024
    carried = board.view(second.id)
    assert all(v.answer.carried and v.answer.grade == "requires_improvement" for v in carried.cs)
    assert carried.cs[0].answer.in_place == "Clarity in place"
    board.save(second.id, "clarity", grade="good")
    board.submit(second.id)
    history = board.history(north.id)
    assert history.years == [2024, 2025]
    assert history.grades["clarity"] == {2024: "requires_improvement", 2025: "good"}
    assert history.grades["capacity"] == {2024: "requires_improvement",
                                          2025: "requires_improvement"}


def test_access_follows_organisations(storfa: Storfa) -> None:
    people = _people(storfa)
    north, editor = people["north_editor"]
    gwent, gwent_editor = people["gwent_editor"]
    board, other = _as(storfa, editor), _as(storfa, gwent_editor)
    ret = board.open(north.id, 2025)
    board.save(ret.id, "clarity", grade="good")
    # Another board: not visible at all, and cannot open or answer it.
    with pytest.raises(NotVisible):
        other.view(ret.id)
    with pytest.raises(Forbidden):
        other.open(north.id, 2025)
    with pytest.raises(NotVisible):
        other.save(ret.id, "clarity", grade="outstanding")
    # The board's reader sees it but cannot change it.
    reader = _as(storfa, people["north_reader"][1])
    assert reader.view(ret.id).can_answer is False
    with pytest.raises(Forbidden):
        reader.save(ret.id, "clarity", grade="outstanding")
    # National users see no draft, and no comparison is open to a board.
    national = _as(storfa, people["national_reader"][1])
    with pytest.raises(NotVisible):
        national.view(ret.id)
    with pytest.raises(Forbidden):
        board.compare(2025)

    _fill(board, ret.id, "good")
    board.submit(ret.id)
    theirs = other.open(gwent.id, 2025)
    _fill(other, theirs.id, "unsatisfactory")
    other.save(theirs.id, "clarity", grade="outstanding")
    other.submit(theirs.id)
    assert national.view(ret.id).ret.status == "submitted"
    compared = national.compare(2025)
    assert [o.name for o in compared.organisations] == ["Gwent Board", "North Board"]
    assert compared.grades["clarity"] == {north.id: "good", gwent.id: "outstanding"}
    assert compared.counts["clarity"] == {"outstanding": 1, "good": 1,
                                          "requires_improvement": 0, "unsatisfactory": 0}
    assert compared.counts["capacity"]["unsatisfactory"] == 1
    data = national.export_comparison(2025, "csv").decode("utf-8-sig")
    assert "Gwent Board" in data and "Outstanding" in data
    assert storfa.store.audit_events(action="assurance.export")
    assert storfa.store.audit_events(denied=True, action="assurance.")
