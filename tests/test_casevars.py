"""Stored case variables on both backends: suggestions kept apart from
decisions (never confirmed by themselves), history through the superseded
flag, audited decisions, and the tables the statistics read."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reviewtext import write_reviews
from storfa.analysis.casevars import (
    CaseVariableService,
    binary_table,
    coded_table,
    coded_variables,
    select_reviews,
)
from storfa.app import Storfa
from storfa.domain.casevars import CaseEvidence, NewCaseValue
from storfa.domain.errors import StorfaError
from storfa.storage.sql.casevars import SQLCaseVariables

CPR, DHR = "CPR2019-W03", "DHR2020-W01"


@pytest.fixture
def service(storfa: Storfa, tmp_path: Path) -> CaseVariableService:
    results = storfa.ingest.ingest(write_reviews(tmp_path / "in"))
    assert [r.status for r in results] == ["ingested", "ingested"]
    return storfa.casevars


def _row(storfa: Storfa, key: str) -> int:
    record = storfa.store.get_review(key)
    assert record is not None
    return record.id


def test_storage_keeps_history_and_one_current_decision(storfa: Storfa,
                                                       service: CaseVariableService) -> None:
    sql = SQLCaseVariables(storfa.store.db)  # type: ignore[attr-defined]
    row = _row(storfa, CPR)
    evidence = CaseEvidence(None, 2, "Neglect was not recognised.", 10, 37)
    assert sql.replace_suggestions(row, [NewCaseValue("child_neglect", "present", evidence,
                                                      term="neglect", hits=2)], "lexicon") == 1
    old, first = sql.decide(row, NewCaseValue("child_neglect", "present", evidence), "confirmed",
                            "alice")
    assert old is None and first.status == "confirmed" and first.coder == "alice"
    old, second = sql.decide(row, NewCaseValue("child_neglect", "not_known"), "confirmed", "bob")
    assert old is not None and old.id == first.id and second.value == "not_known"
    # Suggestions replaced: the old one becomes history, decisions are untouched.
    sql.replace_suggestions(row, [], "lexicon")
    current = sql.current([row])
    assert [(v.status, v.value, v.coder) for v in current] == [("confirmed", "not_known", "bob")]
    history = sql.history(row, "child_neglect")
    assert [(v.status, v.superseded) for v in history] == [
        ("suggested", True), ("confirmed", True), ("confirmed", False)]
    assert history[0].evidence == evidence and history[0].term == "neglect"
    with pytest.raises(StorfaError):
        sql.decide(row, NewCaseValue("child_neglect", "present"), "suggested", "alice")


def test_suggestions_are_stored_with_evidence_and_never_confirmed(
        storfa: Storfa, service: CaseVariableService) -> None:
    found = service.suggest([CPR, DHR], "tester")
    by_key = {(s["review_id"], s["variable"]): s for s in found}
    neglect = by_key[(CPR, "child_neglect")]
    assert neglect["status"] == "suggested" and "neglect" in neglect["evidence"]
    passage = storfa.store.passage_hits([neglect["passage_id"]])[neglect["passage_id"]]
    assert passage.review_key == CPR and neglect["evidence"] in passage.text
    # "There was no evidence of domestic abuse": negated, so not suggested.
    assert (CPR, "child_exposure_domestic_abuse") not in by_key
    cases = service.cases(service.with_rows(storfa.store.list_reviews()))
    assert all(st.decision is None for c in cases for st in c.states.values())
    assert coded_variables(cases) == []
    with pytest.raises(StorfaError, match="confirmed case variable"):
        binary_table(cases)
    # Suggesting again replaces the suggestions; nothing becomes a decision.
    service.suggest([CPR], "tester")
    again = service.cases(service.with_rows(storfa.store.list_reviews()))
    cpr = next(c for c in again if c.summary.review_id == CPR)
    assert len(cpr.states["child_neglect"].suggestions) == 1
    assert cpr.states["child_neglect"].decision is None
    events = [e for e in storfa.store.audit_events() if e["action"] == "casevars.suggest"]
    assert len(events) == 3


def test_confirm_reject_and_set_are_audited(storfa: Storfa,
                                            service: CaseVariableService) -> None:
    service.suggest([CPR, DHR], "tester")
    confirmed = service.confirm(CPR.lower(), "child_neglect", "alice")
    assert confirmed.status == "confirmed" and confirmed.value == "present"
    assert confirmed.evidence is not None and "neglect" in confirmed.evidence.text
    rejected = service.reject(DHR, "agency_police", "alice")
    assert rejected.status == "rejected" and rejected.value == "present"
    category = service.set_value(CPR, "index_incident_type", "sudi", "bob")
    assert category.value == "SUDI" and category.evidence is None
    with pytest.raises(StorfaError, match="present or not_known"):
        service.set_value(CPR, "child_neglect", "maybe", "bob")
    with pytest.raises(StorfaError, match="one of"):
        service.set_value(CPR, "index_incident_type", "flood", "bob")
    with pytest.raises(StorfaError, match="No case variable"):
        service.set_value(CPR, "nonsense", "present", "bob")
    with pytest.raises(StorfaError, match="no suggestion"):
        service.confirm(CPR, "child_cse", "bob")
    # Evidence named by passage must be in that review.
    other = next(p for p in storfa.store.passages(storfa.store.get_review(DHR).version_id)  # type: ignore[union-attr]
                 if p.kind != "heading")
    with pytest.raises(StorfaError, match="not in the current version"):
        service.set_value(CPR, "child_bullying", "present", "bob", passage_id=other.id)
    with_passage = service.set_value(DHR, "child_bullying", "present", "bob",
                                     passage_id=other.id)
    assert with_passage.evidence is not None and with_passage.evidence.passage_id == other.id
    events = [e for e in storfa.store.audit_events(limit=1000)
              if e["action"].startswith("casevars.") and e["action"] != "casevars.suggest"]
    actions = sorted((e["action"], e["actor"]) for e in events)
    assert actions == [("casevars.confirm", "alice"), ("casevars.reject", "alice"),
                       ("casevars.set", "bob"), ("casevars.set", "bob")]
    detail = json.loads(next(e for e in events if e["action"] == "casevars.reject")["detail"])
    assert detail["variable"] == "agency_police" and detail["status"] == "rejected"


def test_tables_count_only_decisions(storfa: Storfa, service: CaseVariableService) -> None:
    service.suggest([CPR, DHR], "tester")
    service.set_value(CPR, "child_neglect", "present", "alice")
    service.set_value(CPR, "agency_police", "not known", "alice")
    service.reject(DHR, "child_neglect", "alice")
    service.set_value(DHR, "agency_police", "1", "alice")
    service.set_value(DHR, "age_band_lcspr", "11-15", "alice")
    cases = service.cases(service.with_rows(storfa.store.list_reviews()))
    names = ["child_neglect", "agency_police", "agency_education", "age_band_lcspr"]
    table = coded_table(cases, names)
    assert dict(zip(table.review_ids, table.rows, strict=True)) == {
        CPR: ("1", "0", None, None), DHR: ("0", "1", None, "11-15")}
    labelled = coded_table(cases, names, labels=True, meta=True)
    assert labelled.columns[:4] == ("type", "board", "year", "variant")
    assert labelled.rows[0][4:6] == ("present", "not known")
    binary = binary_table(cases)
    # Only binary variables with a decision; education was only ever suggested.
    assert binary.variables == ("child_neglect", "agency_police")
    assert binary.present.tolist() == [[True, False], [False, True]]
    assert np.all(binary.known)
    assert coded_variables(cases) == ["child_neglect", "agency_police", "age_band_lcspr"]


def test_select_reviews(storfa: Storfa, service: CaseVariableService) -> None:
    summaries = storfa.store.list_reviews()
    assert [s.review_id for s in select_reviews(summaries, type="cpr")] == [CPR]
    assert [s.review_id for s in select_reviews(summaries, board="north wales")] == [CPR]
    assert [s.review_id for s in select_reviews(summaries, year_from=2020)] == [DHR]
    assert [s.review_id for s in select_reviews(summaries, year_to=2019)] == [CPR]
