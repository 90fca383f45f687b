"""`storfa db export / import / backup / upgrade`: whole stores moved between
SQLite and PostgreSQL in both directions, row for row, with their originals."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from backends import PostgresRun
from harness import Cli
from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.config import Settings
from storfa.storage import transfer
from storfa.storage.files import BlobStore, sha256_file
from storfa.storage.migrations.runner import load_migrations
from storfa.storage.sql.store import SQLStore

EXTRA = """# Child Practice Review CPR2021-W07

Cwm Taf Morgannwg Safeguarding Board

## Practice and organisational learning

The escalation of concerns about neglect was timely and professional curiosity was shown.
"""


def _open(data_dir: Path) -> Storfa:
    return Storfa(Settings.from_env(data_dir=data_dir, workers=1))


def _store(app: Storfa) -> SQLStore:
    store = app.store
    assert isinstance(store, SQLStore)
    return store


def _fill(cli: Cli, tmp_path: Path) -> None:
    """Two reviews, an editor's correction (a metadata row and an audit event),
    a cross-link pointing at a later id, passage vectors (bytes, composite key)
    and a finished ingest job."""
    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    cli.json("reviews", "set", "CPR2019-W03", "referral", "3 May 2019")
    app = _open(cli.data_dir)
    try:
        with _store(app).db.write() as conn:
            ids = sorted(int(r["id"]) for r in conn.execute("SELECT id FROM reviews"))
            conn.execute("UPDATE reviews SET linked_review_id = ? WHERE id = ?", (ids[1], ids[0]))
            conn.execute("UPDATE reviews SET linked_review_id = ? WHERE id = ?", (ids[0], ids[1]))
            passages = [int(r["id"]) for r in conn.execute(
                "SELECT id FROM passages ORDER BY id LIMIT 5")]
            conn.executemany(
                "INSERT INTO passage_vectors (passage_id, model, dim, vector) VALUES (?, ?, ?, ?)",
                [(p, m, 2, bytes([0, p % 256, 255, 10]) * 2)
                 for p in passages for m in ("mini", "other")])
            conn.execute(
                "INSERT INTO ingest_jobs (path, original_name, actor, status, created_at) "
                "VALUES (?, ?, ?, ?, ?)", ("/x/y.md", "y.md", "cli:t", "done",
                                           "2024-01-01T00:00:00.000Z"))
    finally:
        app.close()


def _dump(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, sorted; stored_path checked against this store's
    BlobStore and then dropped (it is the one value that moves)."""
    app = _open(data_dir)
    try:
        store = _store(app)
        tables: dict[str, list[dict[str, Any]]] = {}
        with store.db.read() as conn:
            for table in transfer.schema_tables(store.dialect):
                rows = [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
                for row in rows:
                    for derived in transfer.DERIVED_COLUMNS.get(table, ()):
                        row.pop(derived, None)
                    if table == "source_files":
                        assert row.pop("stored_path") == str(app.blobs.path_for(row["sha256"]))
                    for key, value in row.items():
                        if isinstance(value, memoryview):
                            row[key] = bytes(value)
                tables[table] = sorted(rows, key=lambda r: json.dumps(r, default=repr))
        return tables
    finally:
        app.close()


def _hits(cli: Cli, query: str) -> list[tuple[str, int, str]]:
    doc = cli.json("search", query, "--limit", "50")
    return [(h["review_id"], h["page"], h["text"]) for h in doc["hits"]]


def _same_apart_from_imports(before: dict[str, list[dict[str, Any]]],
                             after: dict[str, list[dict[str, Any]]], imports: int) -> None:
    assert before.keys() == after.keys()
    for table, rows in before.items():
        if table == "audit_log":
            by_id = sorted(after[table], key=lambda r: int(r["id"]))
            assert sorted(rows, key=lambda r: int(r["id"])) == by_id[:len(rows)]
            assert [r["action"] for r in by_id[len(rows):]] == ["db_import"] * imports
        else:
            assert after[table] == rows, table


def _originals_ok(data_dir: Path) -> None:
    blobs = BlobStore(data_dir / "originals")
    for row in _dump(data_dir)["source_files"]:
        path = blobs.path_for(row["sha256"])
        assert path.is_file() and sha256_file(path) == row["sha256"]
        assert path.stat().st_size == row["size"]


def test_sqlite_to_postgres_to_sqlite_loses_nothing(
        tmp_path: Path, postgres_run: PostgresRun | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if postgres_run is None:
        pytest.skip("PostgreSQL unavailable")
    monkeypatch.setattr(transfer, "_BATCH", 3)  # export pages by key, insert in batches
    monkeypatch.delenv("STORFA_DATABASE_URL", raising=False)
    src = Cli(tmp_path / "src")
    _fill(src, tmp_path)
    first = tmp_path / "from-sqlite.tar.gz"
    exported = src.json("db", "export", str(first))
    assert exported["source_dialect"] == "sqlite" and exported["originals"] == 2
    assert exported["rows"]["passage_vectors"] == 10 and exported["rows"]["ingest_jobs"] == 1

    schema, url = postgres_run.new_schema()
    try:
        monkeypatch.setenv("STORFA_DATABASE_URL", url)
        pg = Cli(tmp_path / "pg")
        imported = pg.json("db", "import", str(first))
        assert imported["indexed_reviews"] == 2 and imported["source_dialect"] == "sqlite"
        assert pg.json("check") == {"ok": True, "problems": []}
        second = tmp_path / "from-postgres.tar.gz"
        assert pg.json("db", "export", str(second))["source_dialect"] == "postgresql"
        pg_rows = _dump(pg.data_dir)
        pg_hits = _hits(pg, "neglect OR escalat*")
        # Sequences were moved past the imported ids: new rows get fresh ones.
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "extra.md").write_text(EXTRA, encoding="utf-8")
        pg.json("ingest", str(tmp_path / "more"))
        assert pg.json("check") == {"ok": True, "problems": []}
    finally:
        monkeypatch.delenv("STORFA_DATABASE_URL")
        postgres_run.drop_schema(schema)

    dst = Cli(tmp_path / "dst")
    dst.json("db", "import", str(second))
    assert dst.json("check") == {"ok": True, "problems": []}

    src_rows, dst_rows = _dump(src.data_dir), _dump(dst.data_dir)
    _same_apart_from_imports(src_rows, pg_rows, imports=1)
    _same_apart_from_imports(src_rows, dst_rows, imports=2)
    _same_apart_from_imports(pg_rows, dst_rows, imports=1)
    link = {r["id"]: r["linked_review_id"] for r in dst_rows["reviews"]}
    assert sorted(link.values()) == sorted(link)  # the cross-link survived both ways
    assert any(r["source"] == "editor" for r in dst_rows["metadata_values"])
    _originals_ok(dst.data_dir)
    assert _hits(src, "neglect OR escalat*") == pg_hits == _hits(dst, "neglect OR escalat*")
    assert len(pg_hits) >= 3


def test_table_list_matches_live_schema(storfa: Storfa) -> None:
    store = _store(storfa)
    tables = transfer.schema_tables(store.dialect)
    assert tables == transfer.schema_tables("sqlite") == transfer.schema_tables("postgresql")
    assert tables[:2] == ["source_files", "reviews"] and "audit_log" in tables
    with store.db.read() as conn:
        assert transfer.live_tables(conn, store.dialect) == set(tables)


def test_both_dialects_carry_the_same_columns(
        tmp_path: Path, postgres_run: PostgresRun | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A column added on one dialect only must be declared derived (or added
    to the other), or an archive would drop it or fail to import."""
    if postgres_run is None:
        pytest.skip("PostgreSQL unavailable")
    monkeypatch.delenv("STORFA_DATABASE_URL", raising=False)
    columns = {}
    lite = _open(tmp_path / "lite")
    schema, url = postgres_run.new_schema()
    pg = Storfa(Settings.from_env(data_dir=tmp_path / "pg", database_url=url))
    try:
        for app in (lite, pg):
            store = _store(app)
            with store.db.read() as conn:
                columns[store.dialect] = {
                    t: sorted(transfer.portable_columns(conn, store.dialect, t))
                    for t in transfer.schema_tables(store.dialect)}
                assert transfer.primary_key(conn, store.dialect, "passage_vectors") == [
                    "passage_id", "model"]
                assert transfer.primary_key(conn, store.dialect, "reviews") == ["id"]
                assert transfer._self_references(conn, store.dialect, "reviews") == [
                    "linked_review_id"]
    finally:
        lite.close()
        pg.close()
        postgres_run.drop_schema(schema)
    assert columns["sqlite"] == columns["postgresql"]


def test_export_refuses_a_table_it_does_not_know(storfa: Storfa, tmp_path: Path) -> None:
    store = _store(storfa)
    with store.db.write() as conn:
        conn.execute("CREATE TABLE mystery (id INTEGER PRIMARY KEY)")
    with pytest.raises(transfer.TransferError, match="mystery"):
        transfer.export_store(store, storfa.blobs, tmp_path / "x.tar.gz")
    assert not (tmp_path / "x.tar.gz").exists()


def test_round_trip_on_the_same_backend_and_refusal_of_a_full_store(
        cli: Cli, tmp_path: Path) -> None:
    _fill(cli, tmp_path)
    archive = tmp_path / "a.tar.gz"
    cli.json("db", "export", str(archive))
    before = _dump(cli.data_dir)
    refused = cli.json("db", "import", str(archive), expect_exit=2)
    assert "not empty" in refused["error"] and "--replace" in refused["error"]
    assert _dump(cli.data_dir) == before

    cli.json("db", "import", str(archive), "--replace")
    _same_apart_from_imports(before, _dump(cli.data_dir), imports=1)
    assert cli.json("check") == {"ok": True, "problems": []}
    assert _hits(cli, "neglect")


def _rewrite(archive: Path, target: Path, change: str) -> None:
    """A copy of the archive with one entry's bytes changed (same size)."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as out:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith(change):
                data = bytes([data[0] ^ 1]) + data[1:]
                change = "\0"  # only the first match
            out.addfile(member, io.BytesIO(data))


def test_damaged_archives_are_refused_and_change_nothing(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(cli, tmp_path)
    archive = tmp_path / "a.tar.gz"
    cli.json("db", "export", str(archive))
    before = _dump(cli.data_dir)
    bad_original, bad_table = tmp_path / "bad-original.tar.gz", tmp_path / "bad-table.tar.gz"
    _rewrite(archive, bad_original, "originals/")
    _rewrite(archive, bad_table, "tables/passages")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-200])
    not_tar = tmp_path / "notes.txt"
    not_tar.write_text("hello")

    # Even with --replace, a bad archive leaves the store as it was.
    for bad, message in ((bad_original, "corrupt"), (bad_table, "corrupt"),
                         (truncated, "damaged"), (not_tar, "not a storfa export")):
        doc = cli.json("db", "import", str(bad), "--replace", expect_exit=2)
        assert message in doc["error"], doc
        assert _dump(cli.data_dir) == before
    assert "SHA-256" in cli.json("db", "import", str(bad_original), expect_exit=2)["error"]
    assert cli.json("check") == {"ok": True, "problems": []}

    # An empty SQLite store stays empty: no rows, no originals, no stray files.
    monkeypatch.delenv("STORFA_DATABASE_URL", raising=False)
    empty = Cli(tmp_path / "empty")
    empty.json("db", "import", str(bad_original), expect_exit=2)
    assert all(not rows for rows in _dump(empty.data_dir).values())
    assert not [p for p in (tmp_path / "empty").rglob("*")
                if p.is_file() and "originals" in p.parts]
    assert not list((tmp_path / "empty").glob(".storfa-import-*"))


def test_backup_is_restorable_with_import(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(cli, tmp_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    doc = cli.json("db", "backup", str(folder))
    file = Path(doc["file"])
    assert file.parent == folder.resolve() and file.name.startswith("storfa-backup-")
    assert transfer.read_manifest(file)["kind"] == "backup"
    before = _dump(cli.data_dir)

    monkeypatch.delenv("STORFA_DATABASE_URL", raising=False)
    restored = Cli(tmp_path / "restored")
    restored.json("db", "import", str(file))
    _same_apart_from_imports(before, _dump(restored.data_dir), imports=1)
    _originals_ok(restored.data_dir)
    assert restored.json("check") == {"ok": True, "problems": []}


def test_import_refuses_another_schema_version(cli: Cli, tmp_path: Path) -> None:
    _fill(cli, tmp_path)
    archive, older = tmp_path / "a.tar.gz", tmp_path / "older.tar.gz"
    cli.json("db", "export", str(archive))
    with tarfile.open(archive) as src, tarfile.open(older, "w:gz") as out:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_version"] -= 1
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    doc = cli.json("db", "import", str(older), "--replace", expect_exit=2)
    assert "schema version" in doc["error"]


def test_upgrade_applies_pending_migrations_once(cli: Cli, backend: str) -> None:
    names = [f"{m.version:04d}_{m.name}" for m in load_migrations(backend)]
    latest = load_migrations(backend)[-1].version
    assert cli.json("db", "upgrade") == {"applied": names, "version": latest}
    assert cli.json("db", "upgrade") == {"applied": [], "version": latest}


def test_export_of_an_empty_store_imports(cli: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "empty.tar.gz"
    doc = cli.json("db", "export", str(archive))
    assert doc["originals"] == 0 and not any(doc["rows"].values())
    assert cli.json("db", "import", str(archive))["indexed_reviews"] == 0


class _WriteDuringExport:
    """A reporter that, once the export is under way, commits a change through
    a second connection: the archive must not see it (one snapshot)."""

    def __init__(self, other: Storfa) -> None:
        self.other, self.done = other, False

    def stage(self, label: str, total: int | None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        if not self.done:
            self.done = True
            self.other.store.set_metadata("DHR2020-W01", "title", "Changed", actor="t")


def test_export_reads_one_snapshot_while_others_write(
        storfa: Storfa, data_dir: Path, tmp_path: Path) -> None:
    write_reviews(tmp_path / "in")
    storfa.ingest.ingest([tmp_path / "in"], None)
    store = _store(storfa)
    other = _open(data_dir)
    try:
        manifest = transfer.export_store(store, storfa.blobs, tmp_path / "a.tar.gz",
                                         reporter=_WriteDuringExport(other))
    finally:
        other.close()
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    with store.db.read() as conn:
        now = {t: int(conn.one(f"SELECT COUNT(*) AS n FROM {t}")["n"])  # type: ignore[index]
               for t in rows}
    changed = ("metadata_values", "index_log", "audit_log")
    assert all(now[t] == rows[t] + 1 for t in changed), (rows, now)
    assert all(now[t] == rows[t] for t in rows if t not in changed)
