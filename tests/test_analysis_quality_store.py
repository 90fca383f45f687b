"""Stored quality checklist results (issue 20) on both backends: a stored
result equals one worked out afresh, it is used while the review's version,
metadata and rules stand, and a new version, a metadata correction or a
change of rules makes the next reader work it out again. Reading fills the
store of derived results but writes no audit event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewtext import CPR, write_reviews
from storfa.analysis import quality as quality_module
from storfa.analysis.quality import checklist_key, quality
from storfa.analysis.statistics import selection_quality
from storfa.app import Storfa
from storfa.storage.sql.quality import SQLQualityCache

KEYS = ["CPR2019-W03", "DHR2020-W01"]


@pytest.fixture
def ingested(storfa: Storfa, tmp_path: Path) -> Storfa:
    results = storfa.ingest.ingest(write_reviews(tmp_path / "in"))
    assert [r.status for r in results] == ["ingested", "ingested"]
    return storfa


def _stored(storfa: Storfa) -> dict[int, str | None]:
    rows = [row for row, key in storfa.store.review_keys().items() if key in KEYS]
    found = SQLQualityCache(storfa.store.db).lookup(rows, checklist_key())
    return {row: stamp.result for row, stamp in found.items()}


def _tamper(storfa: Storfa, key: str) -> None:
    """Mark one stored result by hand, so a test can tell whether it is read."""
    record = storfa.store.get_review(key)
    assert record is not None
    with storfa.store.db.write() as conn:
        row = conn.one("SELECT result FROM review_quality WHERE version_id = ?",
                       (record.version_id,))
        assert row is not None
        conn.execute("UPDATE review_quality SET result = ? WHERE version_id = ?",
                     (json.dumps({**json.loads(row["result"]), "tampered": True}),
                      record.version_id))


def _score(result: dict[str, Any], key: str) -> Any:
    return next(r for r in result["reviews"] if r["review_id"] == key)


def test_stored_results_equal_fresh_ones_and_are_read(ingested: Storfa) -> None:
    assert all(v is None for v in _stored(ingested).values())  # nothing stored yet
    fresh = quality(ingested.store, KEYS, stored=False)
    assert all(v is None for v in _stored(ingested).values())  # stored=False stores nothing
    events = len(ingested.store.audit_events(limit=1000))
    first = quality(ingested.store, KEYS)
    assert first == fresh
    assert all(v is not None for v in _stored(ingested).values())
    assert quality(ingested.store, KEYS) == fresh  # read back: the same document
    # Reading (and filling the store of derived results) is not audited.
    assert len(ingested.store.audit_events(limit=1000)) == events
    # The stored result is what a second reader gets: tampering shows through.
    _tamper(ingested, KEYS[0])
    assert _score(quality(ingested.store, KEYS), KEYS[0]).get("tampered") is True


def test_a_new_version_is_worked_out_again(ingested: Storfa, tmp_path: Path) -> None:
    quality(ingested.store, KEYS)
    _tamper(ingested, KEYS[0])
    changed = tmp_path / "again" / "cpr-v2.md"
    changed.parent.mkdir()
    changed.write_text(CPR + "\nA chronology of agency involvement was compiled.\n",
                       encoding="utf-8")
    (result,) = ingested.ingest.ingest([changed])
    assert result.status == "ingested"
    record = ingested.store.get_review(KEYS[0])
    assert record is not None and record.summary.version == 2
    again = _score(quality(ingested.store, KEYS), KEYS[0])
    assert "tampered" not in again and again["review_id"] == KEYS[0]
    assert again == _score(quality(ingested.store, [KEYS[0]], stored=False), KEYS[0])


def test_a_metadata_correction_is_worked_out_again(ingested: Storfa) -> None:
    before = _score(quality(ingested.store, KEYS), KEYS[0])
    ingested.store.set_metadata(KEYS[0], "board", "Cwm Taf Morgannwg", "alice")
    after = _score(quality(ingested.store, KEYS), KEYS[0])
    assert before["board"] != "Cwm Taf Morgannwg" and after["board"] == "Cwm Taf Morgannwg"
    assert after == _score(quality(ingested.store, [KEYS[0]], stored=False), KEYS[0])


def test_new_rules_miss_the_stored_results(ingested: Storfa,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    quality(ingested.store, KEYS)
    _tamper(ingested, KEYS[0])
    old = checklist_key()
    monkeypatch.setattr(quality_module, "CHECKLIST_VERSION",
                        quality_module.CHECKLIST_VERSION + 1)
    checklist_key.cache_clear()
    try:
        assert checklist_key() != old
        again = _score(quality(ingested.store, KEYS), KEYS[0])
        assert "tampered" not in again
    finally:
        checklist_key.cache_clear()


def test_the_page_selection_reads_the_store(ingested: Storfa) -> None:
    service = ingested.casevars
    reviews = service.with_rows(ingested.store.list_reviews())
    result, capped = selection_quality(ingested.store, reviews)
    assert capped is None
    assert result == quality(ingested.store, [s.review_id for _, s in reviews], stored=False)
    _tamper(ingested, KEYS[1])
    result, _ = selection_quality(ingested.store, reviews)
    assert _score(result, KEYS[1]).get("tampered") is True
