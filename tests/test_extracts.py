"""Stored extracts and memos on both backends: suggestions replaced rather
than duplicated, decided spans not suggested again, decisions and memos kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewtext import extract_store, new_extract
from storfa.app import Storfa
from storfa.domain.coding import UnknownExtract
from storfa.domain.errors import StorfaError
from storfa.storage.sql.extracts import SQLExtracts

CPR = "CPR2019-W03"


@pytest.fixture
def sql(storfa: Storfa, tmp_path: Path) -> SQLExtracts:
    return extract_store(storfa, tmp_path / "in")


def test_suggestions_are_replaced_and_decisions_kept(storfa: Storfa, sql: SQLExtracts) -> None:
    first = new_extract(storfa, sql, "Good practice was seen in timely escalation")
    other = new_extract(storfa, sql, "kept visiting", code="Persistency in care and support")
    assert len(sql.replace_suggestions(first.review_row, "best-practice", [first, other])) == 2
    open_ = sql.select(codebook="best-practice", status="suggested")
    assert [(e.review_id, e.text, e.how) for e in open_] == [
        (CPR, "kept visiting", "model"),
        (CPR, "Good practice was seen in timely escalation", "model")]
    before, after = sql.decide(open_[1].id, "accepted", "alice")
    assert before.status == "suggested" and after.status == "accepted"
    assert after.decided_by == "alice" and after.decided_at
    # A re-run: the open suggestion is replaced, the accepted span is not suggested again.
    kept = sql.replace_suggestions(first.review_row, "best-practice", [first, other])
    assert kept == [other]
    current = sql.select(codebook="best-practice")
    assert sorted((e.text, e.status) for e in current) == [
        ("Good practice was seen in timely escalation", "accepted"),
        ("kept visiting", "suggested")]
    history = sql.select(codebook="best-practice", superseded=True)
    assert len(history) == 3 and sum(e.superseded for e in history) == 1
    with pytest.raises(UnknownExtract):
        sql.decide(99999, "accepted", "alice")
    with pytest.raises(StorfaError):
        sql.decide(current[0].id, "suggested", "alice")


def test_manual_extracts_and_memos(storfa: Storfa, sql: SQLExtracts) -> None:
    manual = sql.add_manual(new_extract(storfa, sql, "timely escalation", how="manual"))
    assert manual.status == "accepted" and manual.decided_by == "auto-coder"
    text = sql.version_text(manual.version_id)
    assert text[manual.start:manual.end] == manual.text == "timely escalation"
    memo = sql.add_memo("alice", "Strong example.", extract_id=manual.id)
    review_memo = sql.add_memo("bob", "Read again.", review_row=manual.review_row)
    assert [m.text for m in sql.memos([manual.id])] == ["Strong example."]
    assert [m.id for m in sql.memos([manual.id], review_row=manual.review_row)] == [
        memo.id, review_memo.id]
    with pytest.raises(StorfaError):
        sql.add_memo("alice", "Nowhere.")
    with pytest.raises(StorfaError):
        sql.add_manual(new_extract(storfa, sql, "timely escalation", how="guess"))
