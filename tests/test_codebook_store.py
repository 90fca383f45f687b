"""Stored codebooks on both backends: a built-in one copied on its first
change, codes added and edited (a rename follows into the extracts), merging
re-points extracts, retiring keeps the code, its extracts and its history,
and every change is in the history and the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewtext import fixed_classifier, write_reviews
from storfa.app import Storfa
from storfa.coding.autocode import CodingService
from storfa.coding.codebook_store import CodebookService
from storfa.coding.codebooks import load_codebook
from storfa.domain.errors import StorfaError
from storfa.storage.sql.extracts import SQLExtracts

CPR = "CPR2019-W03"


@pytest.fixture
def service(storfa: Storfa, tmp_path: Path) -> CodebookService:
    storfa.ingest.ingest(write_reviews(tmp_path / "in"))
    return storfa.codebooks


def _code(storfa: Storfa, needle: str, code: str, coder: str = "ann") -> int:
    coding = storfa.coding
    record = storfa.store.get_review(CPR)
    assert record is not None
    text = coding.sql.version_text(record.version_id)
    start = text.index(needle)
    return coding.code_span(CPR, start, start + len(needle), "best-practice", code, coder).id


def test_builtins_listed_and_a_stored_copy_overrides(service: CodebookService) -> None:
    names = {i.name: i for i in service.infos()}
    assert names["best-practice"].builtin and not names["best-practice"].stored
    assert names["best-practice"].codes == 18
    added = service.add_code("best-practice", "Trauma-informed practice", "ann",
                             parent="Care and Support", colour="#123abc",
                             terms=("trauma NEAR/3 informed",))
    assert added.path == ("Care and Support", "Trauma-informed practice")
    assert added.colour == "#123ABC" and added.best_practice
    book = service.load("best-practice")
    assert len(book) == 19 and len(load_codebook("best-practice")) == 18
    info = {i.name: i for i in service.infos()}["best-practice"]
    assert info.builtin and info.stored and info.codes == 19
    assert [c.action for c in service.history("best-practice")] == ["add-code", "create"]


def test_create_and_bad_input(service: CodebookService) -> None:
    book = service.create("my-themes", "My themes", "ann")
    assert book.name == "my-themes" and len(book) == 0
    service.add_code("my-themes", "Housing", "ann", description="Where people live")
    service.add_code("my-themes", "Temporary housing", "ann", parent="housing")
    assert service.load("MY-THEMES").code("temporary housing").theme == "Housing"
    with pytest.raises(StorfaError, match="already"):
        service.create("my-themes", "Again", "ann")
    with pytest.raises(StorfaError, match="already has"):
        service.add_code("my-themes", " HOUSING ", "ann")
    with pytest.raises(StorfaError, match="colour"):
        service.add_code("my-themes", "Schools", "ann", colour="red")
    with pytest.raises(StorfaError, match="not a valid rule"):
        service.add_code("my-themes", "Schools", "ann", terms=("year:2019",))
    with pytest.raises(StorfaError, match="codebook name"):
        service.create("../etc", "x", "ann")


def test_edit_renames_in_extracts(storfa: Storfa, service: CodebookService) -> None:
    extract_id = _code(storfa, "kept visiting", "Persistency in care and support")
    service.edit_code("best-practice", "persistency in care and support", "ben",
                      name="Persistent care", description="Keeps going.", colour="#00aa00")
    service.edit_code("best-practice", "Care and Support", "ben", name="Care")
    coding = storfa.coding
    extract = coding.sql.get(extract_id)
    assert (extract.code, extract.theme) == ("Persistent care", "Care")
    code = service.load("best-practice").code("Persistent care")
    assert code.path == ("Care", "Persistent care") and code.colour == "#00AA00"
    change = service.history("best-practice")[1]
    assert change.actor == "ben" and change.action == "edit-code"
    assert change.detail["name"] == {"from": "Persistency in care and support",
                                     "to": "Persistent care"}


def test_merge_repoints_extracts(storfa: Storfa, service: CodebookService) -> None:
    first = _code(storfa, "kept visiting", "Persistency in care and support")
    second = _code(storfa, "timely escalation", "Escalating concerns", coder="ben")
    assert service.merge("best-practice", "Escalating concerns",
                         "Consistent care and support", "ann") == 1
    coding = storfa.coding
    moved = coding.sql.get(second)
    assert (moved.code, moved.theme) == ("Consistent care and support", "Care and Support")
    assert coding.sql.get(first).code == "Persistency in care and support"
    book = service.load("best-practice")
    old = book.code("Escalating concerns")
    assert old.retired and old.merged_into == "Consistent care and support"
    assert book.current("Escalating concerns") == book.code("Consistent care and support")
    with pytest.raises(StorfaError, match="retired"):
        service.merge("best-practice", "Escalating concerns", "Record keeping", "ann")
    with pytest.raises(StorfaError, match="sub-codes"):
        service.merge("best-practice", "Communication", "Record keeping", "ann")
    with pytest.raises(StorfaError, match="itself"):
        service.merge("best-practice", "Record keeping", "record keeping", "ann")
    events = storfa.store.audit_events(action="codebook.merge")
    assert events and events[0]["actor"] == "ann"


def test_retire_keeps_code_extracts_and_history(storfa: Storfa,
                                                 service: CodebookService) -> None:
    extract_id = _code(storfa, "kept visiting", "Record keeping")
    retired = service.retire("best-practice", "Record keeping", "ann")
    assert retired.retired and retired.merged_into is None
    book = service.load("best-practice")
    assert "Record keeping" in book and book.current("Record keeping") is None
    assert "Record keeping" not in {c.name for c in book.codable}
    coding = storfa.coding
    assert coding.sql.get(extract_id).code == "Record keeping"
    with pytest.raises(StorfaError, match="retired"):
        _code(storfa, "timely escalation", "Record keeping")
    assert [c.action for c in service.history("best-practice")] == ["retire", "create"]
    actions = [e["action"] for e in storfa.store.audit_events(limit=10)]
    assert "codebook.retire" in actions and "codebook.copy" in actions


def test_auto_coding_follows_merges_and_skips_retired(storfa: Storfa,
                                                       service: CodebookService) -> None:
    service.merge("best-practice", "Escalating concerns", "Risk assessment", "ann")
    service.retire("best-practice", "Record keeping", "ann")
    coding = CodingService(storfa.store, SQLExtracts(storfa.store.db),  # type: ignore[attr-defined]
                           classifier=lambda _name: fixed_classifier("Escalating concerns"))
    found = coding.auto("best-practice", [CPR])
    codes = [s.extract.code for s in found]
    assert "Risk assessment" in codes
    assert not {"Escalating concerns", "Record keeping"} & set(codes)
    starts = [s.extract.start for s in found]
    assert len(starts) == len(set(starts))  # one suggestion a paragraph
    # The runner-up is named, and is never the merged or the retired code.
    details = [s.extract.source_detail or "" for s in found]
    assert any("runner-up: " in d for d in details)
    assert not any(d.endswith(("Escalating concerns", "Record keeping")) for d in details)
