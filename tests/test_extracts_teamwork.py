"""Several coders on one codebook, on both backends: a later coder's decision
is a row of their own (agreement sees both), re-coding never changes a
suggestion's code, undo reverses only one's own newest change, and the
blind view hides other people's codings."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import Cli
from reviewtext import extract_store, new_extract
from storfa.app import Storfa
from storfa.coding.agreement import by_coder, coder_of
from storfa.coding.teamwork import coder_view, queue_items, status_counts
from storfa.storage.sql.extracts import SQLExtracts

CPR = "CPR2019-W03"
BOOK = "best-practice"


@pytest.fixture
def sql(storfa: Storfa, tmp_path: Path) -> SQLExtracts:
    return extract_store(storfa, tmp_path / "in")


def _suggest(storfa: Storfa, sql: SQLExtracts) -> list[int]:
    first = new_extract(storfa, sql, "Good practice was seen in timely escalation")
    other = new_extract(storfa, sql, "kept visiting", code="Persistency in care and support")
    sql.replace_suggestions(first.review_row, BOOK, [first, other])
    return [e.id for e in sql.select(codebook=BOOK, status="suggested")]


def test_a_second_coder_decides_in_a_row_of_their_own(storfa: Storfa, sql: SQLExtracts
                                                      ) -> None:
    kept, escalation = _suggest(storfa, sql)  # text order: "kept visiting" first
    _, ann = sql.decide(escalation, "accepted", "ann")
    assert ann.id == escalation and ann.decided_by == "ann"
    _, ben = sql.decide(escalation, "rejected", "ben")
    assert ben.id != escalation and ben.origin_id == escalation
    assert (ben.status, ben.decided_by, ben.code) == ("rejected", "ben", ann.code)
    assert sql.get(escalation).status == "accepted"  # ann's decision untouched
    # ben changes his mind: his own row changes, still not ann's.
    _, again = sql.decide(escalation, "accepted", "ben")
    assert again.id == ben.id and again.status == "accepted"
    current = sql.select(codebook=BOOK, status="accepted")
    assert sorted(coder_of(e) for e in current) == ["ann", "ben"]
    assert [e.id for e in by_coder(current, "ben")] == [ben.id]
    # A re-run keeps both decisions and suggests neither span again.
    record = storfa.store.get_review(CPR)
    assert record is not None
    again_found = sql.replace_suggestions(record.id, BOOK, [
        new_extract(storfa, sql, "Good practice was seen in timely escalation")])
    assert again_found == []
    assert {e.id for e in sql.select(codebook=BOOK)} >= {escalation, ben.id}
    assert kept in {e.id for e in sql.select(codebook=BOOK, superseded=True)}


def test_recoding_keeps_the_suggestion_for_the_others(storfa: Storfa, sql: SQLExtracts
                                                      ) -> None:
    _, escalation = _suggest(storfa, sql)
    original = sql.get(escalation)
    before, ann = sql.recode(escalation, "Multi-agency working", "Partnership", "ann")
    assert before.id == escalation and ann.origin_id == escalation
    assert (ann.code, ann.theme, ann.status) == ("Multi-agency working", "Partnership",
                                                 "accepted")
    assert sql.get(escalation).code == original.code
    assert sql.get(escalation).status == "suggested"
    # ann had decided it in place first: re-coding opens it again for the others.
    _, ben = sql.decide(escalation, "accepted", "ben")
    assert ben.id == escalation
    _, ben_recoded = sql.recode(escalation, "Multi-agency working", "Partnership", "ben")
    assert ben_recoded.origin_id == escalation
    assert sql.get(escalation).status == "suggested" and sql.get(escalation).decided_by is None
    # A re-run keeps the re-coded suggestion (others may still decide it).
    record = storfa.store.get_review(CPR)
    assert record is not None
    sql.replace_suggestions(record.id, BOOK, [])
    assert not sql.get(escalation).superseded


def test_undo_reverses_only_ones_own_newest_change(storfa: Storfa, sql: SQLExtracts) -> None:
    kept, escalation = _suggest(storfa, sql)
    sql.decide(kept, "accepted", "ann")
    sql.decide(kept, "accepted", "ben")  # ben's own row
    manual = sql.add_manual(new_extract(storfa, sql, "timely escalation", how="manual",
                                        coder="ann"))
    sql.decide(escalation, "rejected", "ann")
    sql.decide(escalation, "accepted", "ann")  # changed her mind

    undone = sql.undo_last("ann")
    assert undone is not None and undone.action == "accept"
    assert sql.get(escalation).status == "rejected"  # back to her earlier decision
    undone = sql.undo_last("ann")
    assert undone is not None and sql.get(escalation).status == "suggested"
    assert sql.get(escalation).decided_by is None
    undone = sql.undo_last("ann")
    assert undone is not None and undone.action == "add" and undone.extract.id == manual.id
    withdrawn = sql.get(manual.id)
    assert withdrawn.superseded  # withdrawn, not deleted
    assert manual.id not in {e.id for e in sql.select(codebook=BOOK)}
    undone = sql.undo_last("ann")
    assert undone is not None and sql.get(kept).status == "suggested"
    assert sql.undo_last("ann") is None
    # ben's decision was never ann's to undo.
    bens = [e for e in sql.select(codebook=BOOK) if e.decided_by == "ben"]
    assert [e.status for e in bens] == ["accepted"]
    undone = sql.undo_last("ben")
    assert undone is not None and undone.extract.superseded
    assert sql.undo_last("ben") is None


def test_undo_of_a_recoding(storfa: Storfa, sql: SQLExtracts) -> None:
    _, escalation = _suggest(storfa, sql)
    sql.decide(escalation, "accepted", "ann")
    _, recoded = sql.recode(escalation, "Multi-agency working", "Partnership", "ann")
    undone = sql.undo_last("ann")
    assert undone is not None and undone.action == "recode"
    assert sql.get(recoded.id).superseded
    back = sql.get(escalation)
    assert (back.status, back.decided_by) == ("accepted", "ann")


def test_blind_view_hides_other_coders(storfa: Storfa, sql: SQLExtracts) -> None:
    kept, escalation = _suggest(storfa, sql)
    sql.decide(escalation, "rejected", "ann")
    sql.add_manual(new_extract(storfa, sql, "timely escalation", how="manual", coder="ann"))
    sql.decide(kept, "accepted", "ben")
    current = sql.select(codebook=BOOK)

    ben = coder_view(current, "ben")
    assert {e.id: (e.status, e.decided_by) for e in ben} == {
        kept: ("accepted", "ben"), escalation: ("suggested", None)}
    assert status_counts(ben) == {"suggested": 1, "accepted": 1, "rejected": 0}
    ann = coder_view(current, "ann")
    assert status_counts(ann) == {"suggested": 1, "accepted": 1, "rejected": 1}
    assert len(queue_items(ann)) == 2  # her manual extract is not a queue item
    both = coder_view(current, "ben", compare=True)
    assert len(both) == 3 and {e.decided_by for e in both} == {"ann", "ben"}


def test_cli_undo_is_per_coder(storfa: Storfa, sql: SQLExtracts, cli: Cli) -> None:
    _, escalation = _suggest(storfa, sql)
    assert cli.json("code", "accept", str(escalation), "--coder", "ann")["decided_by"] == "ann"
    ben = cli.json("code", "reject", str(escalation), "--coder", "ben")
    assert ben["id"] != escalation and ben["status"] == "rejected"
    undone = cli.json("code", "undo", "--coder", "ann")
    assert undone["undone"] == "accept" and undone["extract"]["status"] == "suggested"
    assert cli.json("code", "undo", "--coder", "ann", expect_exit=2)["error"]
    assert sql.get(ben["id"]).status == "rejected"  # ben's own decision stays
    assert "code.undo" in {e["action"] for e in storfa.store.audit_events(20)}
