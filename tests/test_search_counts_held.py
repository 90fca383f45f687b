"""The Tantivy engine holds a search's counts per review until the next
commit: a second ask is answered the same, a new review is counted as soon
as the index has it, and what a caller may not see is held apart."""

from __future__ import annotations

from pathlib import Path

from reviewtext import CPR, write_reviews
from storfa.app import Storfa
from storfa.config import Settings
from storfa.search.index_tantivy import SearchIndex
from storfa.search.query import parse_query


def test_counts_are_held_until_the_index_changes(tmp_path: Path) -> None:
    app = Storfa(Settings(data_dir=tmp_path / "data", workers=1))
    app.ingest.ingest(write_reviews(tmp_path / "in"))
    engine = app.search.engine
    assert isinstance(engine, SearchIndex)
    neglect = parse_query("neglect")
    first = engine.count_by_review(neglect)
    assert first and engine.count_by_review(neglect) == first
    hidden = next(iter(first))
    assert hidden not in engine.count_by_review(neglect, exclude={hidden})
    first[hidden] = 10**6  # callers get their own copy
    assert engine.count_by_review(neglect)[hidden] != 10**6

    later = tmp_path / "later" / "cpr-2021-w09.md"
    later.parent.mkdir()
    later.write_text(CPR.replace("CPR2019-W03", "CPR2021-W09").replace("2019", "2021"),
                     encoding="utf-8")
    assert [r.status for r in app.ingest.ingest([later])] == ["ingested"]
    rows = app.store.review_keys()
    new_row = next(row for row, key in rows.items() if key == "CPR2021-W09")
    assert new_row in engine.count_by_review(neglect)
