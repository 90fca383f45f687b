"""The search index heals itself from the database: after a kill mid-commit
(files the index never adopted) or a damaged index folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.config import Settings


@pytest.fixture
def loaded(tmp_path: Path) -> Storfa:
    app = Storfa(Settings(data_dir=tmp_path / "data", workers=1))
    app.ingest.ingest(write_reviews(tmp_path / "in"))
    return app


def test_unadopted_files_from_a_killed_commit_do_not_block_syncs(loaded: Storfa) -> None:
    index_dir = loaded.settings.index_dir
    segment = next(index_dir.glob("*.idx")).name.split(".")[0]
    # What a kill between writing a delete file and publishing meta.json leaves.
    for opstamp in range(1, 200):
        (index_dir / f"{segment}.{opstamp}.del").write_bytes(b"\x00" * 16)
    loaded.store.set_metadata("CPR2019-W03", "board", "Gwent", actor="test")
    assert loaded.check() == []
    assert loaded.search.search("neglect board:gwent").total == 2


def test_damaged_index_is_rebuilt_from_the_database(loaded: Storfa, tmp_path: Path) -> None:
    (loaded.settings.index_dir / "meta.json").write_text("{ not json")
    loaded.close()
    again = Storfa(Settings(data_dir=tmp_path / "data", workers=1))
    assert again.check() == []
    assert again.search.search('"professional curiosity"').total == 2
