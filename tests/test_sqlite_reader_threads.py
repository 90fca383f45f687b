"""SQLite's per-thread readers are closed when their thread ends
(storage/sqlite/database.py): a web worker's pool threads end after ten idle
seconds and new ones start, and each reader left open held two file
descriptors and its own page cache for the life of the process."""

from __future__ import annotations

import gc
import os
import sys
import threading
from pathlib import Path

import pytest

from storfa.storage.sqlite.database import SQLiteDatabase

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="counts /proc/self/fd")


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _read_in_a_new_thread(db: SQLiteDatabase) -> None:
    def read() -> None:
        with db.read() as conn:
            assert [r["x"] for r in conn.execute("SELECT x FROM t")] == [1]

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()


def test_readers_of_ended_threads_are_closed(tmp_path: Path) -> None:
    db = SQLiteDatabase(tmp_path / "store.sqlite3")
    with db.write() as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
    _read_in_a_new_thread(db)
    gc.collect()
    before = _open_files()
    for _ in range(40):
        _read_in_a_new_thread(db)
    gc.collect()
    assert _open_files() <= before + 2
    assert len(db._readers) <= 1
    db.close()


def test_a_live_threads_reader_is_kept_and_closed_with_the_database(tmp_path: Path) -> None:
    db = SQLiteDatabase(tmp_path / "store.sqlite3")
    with db.write() as conn:
        conn.execute("CREATE TABLE t (x)")
    with db.read() as first, db.read() as again:
        assert first is again
    assert len(db._readers) == 1
    before = _open_files()
    db.close()
    assert len(db._readers) == 0
    assert _open_files() < before
