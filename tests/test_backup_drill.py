"""The restore drill of docs/backup.md, on both backends: fill a store through
storfa's own services, back it up, destroy it (the data directory; for
PostgreSQL the schema too), restore, and find everything back; and
`storfa db verify-backup` failing, with exit 1, on a tampered archive."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from backends import PostgresRun
from harness import Cli
from reviewtext import new_extract, write_reviews
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.coding.autocode import CodingService
from storfa.config import Settings
from storfa.ingest.after_store import after_store
from storfa.storage import transfer
from storfa.storage.files import sha256_file
from storfa.storage.sql.extracts import SQLExtracts
from storfa.storage.sql.store import SQLStore

RECS = """# Child Practice Review CPR2021-W07

Western Bay Safeguarding Board — Child Practice Review re: Child R

## Practice and organisational learning

Practitioners did not always share information.

## Recommendations

1. The local authority children's services should ensure that the child's voice is
   recorded in every assessment. This is a local recommendation.
2. South Wales Police should review the MARAC referral pathway so that repeat
   incidents trigger a referral.
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
SYSTEM = Actor(None, "test")


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("storfa.accounts.service.hash_password", cheap.hash)


def _open(data_dir: Path) -> Storfa:
    return Storfa(Settings.from_env(data_dir=data_dir, workers=1))


def _fill(data_dir: Path, folder: Path) -> None:
    """Three reviews (one with recommendations), an editor's correction, an
    organisation and two users, a coded extract accepted and one rejected,
    a recommendation's status changed and a note with an evidence file."""
    paths = write_reviews(folder)
    (folder / "cpr-2021-w07.md").write_text(RECS, encoding="utf-8")
    app = _open(data_dir)
    try:
        results = app.ingest.ingest([*paths, folder / "cpr-2021-w07.md"])
        assert [r.status for r in results] == ["ingested"] * 3
        # As `storfa ingest` and the worker do: the register is filled after storing.
        after_store(app, [r.review_id for r in results if r.review_id], "cli:ed",
                    skip=("embeddings",))
        app.store.set_metadata("CPR2019-W03", "referral", "2019-05-03", actor="cli:ed")
        app.accounts.add_organisation("Home Safeguarding Board", "North Wales", SYSTEM)
        for name, role in (("ed", "editor"), ("cai", "coder")):
            app.accounts.add_user(name, "correct horse battery staple", role,
                                  "Home Safeguarding Board", SYSTEM)
        sql = SQLExtracts(app.store.db)
        coding = CodingService(app.store, sql)
        first = new_extract(app, sql, "Good practice was seen in timely escalation")
        other = new_extract(app, sql, "kept visiting", code="Persistency in care and support")
        sql.replace_suggestions(first.review_row, "best-practice", [first, other])
        suggested = sql.select(codebook="best-practice", status="suggested")
        coding.decide(suggested[0].id, "accepted", "cai")
        coding.decide(suggested[1].id, "rejected", "cai")
        register = app.register()
        (_, rec), *_ = register.listing("CPR2021-W07")
        register.set(rec.id, "ed", status="implemented", note="Audit done")
        register.note(rec.id, "ed", "Evidence attached", blobs=app.blobs,
                      files=[("audit.png", PNG)])
    finally:
        app.close()


def _review(store: Any, key: str) -> Any:
    record = store.get_review(key)
    assert record is not None
    return record


def _state(data_dir: Path) -> dict[str, Any]:
    """What the drill must find back, read through the services, and every
    table's rows (stored paths checked against the BlobStore, then dropped)."""
    app = _open(data_dir)
    try:
        store = app.store
        assert isinstance(store, SQLStore)
        sql = SQLExtracts(store.db)
        register = app.register()
        tables: dict[str, list[str]] = {}
        with store.db.read() as conn:
            for table in transfer.schema_tables(store.dialect):
                rows = []
                for row in conn.execute(f"SELECT * FROM {table}"):
                    values = dict(row)
                    for derived in transfer.DERIVED_COLUMNS.get(table, ()):
                        values.pop(derived, None)
                    if table == "source_files":
                        assert values.pop("stored_path") == str(
                            app.blobs.path_for(values["sha256"]))
                    rows.append(json.dumps(values, sort_keys=True, default=repr))
                tables[table] = sorted(rows)
            blobs = {str(r["sha256"]) for t in ("source_files", "recommendation_attachments")
                     for r in conn.execute(f"SELECT sha256 FROM {t}")}
        return {
            "reviews": [(s.review_id, s.title) for s in store.list_reviews()],
            "referral": [m.value for m in _review(store, "CPR2019-W03").metadata
                         if m.field == "referral"],
            "extracts": sorted((e.text, e.status, e.decided_by or "")
                               for e in sql.select(codebook="best-practice")),
            "statuses": sorted((r.number, r.status) for _, r in
                               register.listing("CPR2021-W07")),
            "users": sorted(u.username for u in app.accounts.accounts.users()),
            "audit": [(e["id"], e["action"]) for e in
                      reversed(store.audit_events(limit=10_000))],
            "chain_break": store.audit_chain_break(),
            "blobs": {sha: sha256_file(app.blobs.path_for(sha)) for sha in blobs},
            "tables": tables,
        }
    finally:
        app.close()


def _destroy(cli: Cli, backend: str, postgres_run: PostgresRun | None) -> None:
    """What a lost server leaves: no data directory and, for PostgreSQL, an
    empty schema where the database was (as a DBA re-creates it)."""
    shutil.rmtree(cli.data_dir)
    if backend == "postgresql":
        import psycopg

        assert postgres_run is not None
        schema = os.environ["STORFA_DATABASE_URL"].rsplit("search_path%3D", 1)[1]
        with psycopg.connect(postgres_run.url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{schema}"')


def test_backup_destroy_restore_drill(cli: Cli, backend: str, tmp_path: Path,
                                      postgres_run: PostgresRun | None) -> None:
    _fill(cli.data_dir, tmp_path / "in")
    before = _state(cli.data_dir)
    assert before["chain_break"] is None and len(before["blobs"]) == 4  # 3 originals, 1 PNG
    assert ("implemented" in {s for _, s in before["statuses"]}
            and {s for _, s, _ in before["extracts"]} == {"accepted", "rejected"})
    archive = tmp_path / "backup.tar.gz"
    made = cli.json("db", "backup", str(archive))
    assert made["originals"] == 4

    checked = cli.json("db", "verify-backup", str(archive))
    assert checked["ok"] and checked["compared_with_live"], checked
    kinds = {c["kind"] for c in checked["checks"]}
    assert {"table", "originals", "audit", "check"} <= kinds

    _destroy(cli, backend, postgres_run)
    restored = cli.json("db", "restore", str(archive))
    assert restored["check"] == {"ok": True, "problems": []}
    assert restored["indexed_reviews"] == 3

    after = _state(cli.data_dir)
    imported = after["audit"][len(before["audit"]):]
    assert [action for _, action in imported] == ["db_import"]
    assert after["audit"][:len(before["audit"])] == before["audit"]
    after["tables"]["audit_log"] = after["tables"]["audit_log"][:0]
    before["tables"]["audit_log"] = before["tables"]["audit_log"][:0]
    for key in ("reviews", "referral", "extracts", "statuses", "users", "blobs", "tables"):
        assert after[key] == before[key], key
    assert after["chain_break"] is None
    assert all(sha == digest for sha, digest in after["blobs"].items())
    assert cli.json("search", "professional curiosity")["total"] >= 1
    # The restored store is the backup's own continuation: it verifies against it,
    # the restore's audit event counted as later history.
    again = cli.json("db", "verify-backup", str(archive))
    assert again["ok"], again
    assert any("1 later" in c["live"] for c in again["checks"] if c["name"] == "audit_log")

    refused = cli.json("db", "restore", str(archive), expect_exit=2)
    assert "not empty" in refused["error"] and "--force" in refused["error"]
    assert cli.json("db", "restore", str(archive), "--force")["check"]["ok"]


def test_verify_backup_into_a_scratch_postgres_schema(
        cli: Cli, backend: str, tmp_path: Path, postgres_run: PostgresRun | None) -> None:
    if postgres_run is None:
        pytest.skip("PostgreSQL unavailable")
    import psycopg

    write_reviews(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    archive = tmp_path / "a.tar.gz"
    cli.json("db", "backup", str(archive))

    def scratch_schemas() -> set[str]:
        with psycopg.connect(postgres_run.url) as conn:
            return {r[0] for r in conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'storfa_verify_%'")}

    before = scratch_schemas()
    doc = cli.json("db", "verify-backup", str(archive), "--database-url", postgres_run.url)
    assert doc["ok"], doc
    assert scratch_schemas() == before  # dropped again


def _rewrite(archive: Path, target: Path, table: str | None = None,
             change: Any = None, original: bool = False) -> None:
    """A copy of the archive with one table file's rows changed by `change`
    (manifest counts and hashes made to agree, as a careful forger would), or
    with one original's bytes changed."""
    with tarfile.open(archive) as src:
        members = [(m, src.extractfile(m).read()) for m in src]  # type: ignore[union-attr]
    files = {m.name: data for m, data in members}
    manifest = json.loads(files["manifest.json"])
    if table is not None:
        lines = files[f"tables/{table}.jsonl"].decode().splitlines(keepends=True)
        lines = change(lines)
        body = "".join(lines).encode()
        files[f"tables/{table}.jsonl"] = body
        entry = next(e for e in manifest["tables"] if e["name"] == table)
        entry["rows"], entry["sha256"] = len(lines), hashlib.sha256(body).hexdigest()
        files["manifest.json"] = json.dumps(manifest).encode()
    if original:
        name = next(n for n in files if n.startswith("originals/"))
        files[name] = bytes([files[name][0] ^ 1]) + files[name][1:]
    with tarfile.open(target, "w:gz") as out:
        for member, _ in members:
            data = files[member.name]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def _retitle(lines: list[str]) -> list[str]:
    row = json.loads(lines[0])
    at = next(i for i, v in enumerate(row) if isinstance(v, str) and "Review" in v)
    row[at] = row[at] + " (altered)"
    return [json.dumps(row) + "\n", *lines[1:]]


def test_verify_backup_detects_a_tampered_archive(
        cli: Cli, backend: str, tmp_path: Path) -> None:
    _fill(cli.data_dir, tmp_path / "in")
    archive = tmp_path / "a.tar.gz"
    cli.json("db", "backup", str(archive))
    assert cli.json("db", "verify-backup", str(archive))["ok"]

    def failed(doc: dict[str, Any]) -> dict[str, str]:
        return {f"{c['kind']} {c['name']}": c["note"] for c in doc["checks"] if not c["ok"]}

    # A deleted audit record: the copy restores, but its chain and count do not agree.
    dropped = tmp_path / "dropped.tar.gz"
    _rewrite(archive, dropped, "audit_log", lambda lines: lines[:2] + lines[3:])
    doc = cli.json("db", "verify-backup", str(dropped), expect_exit=1)
    assert not doc["ok"] and doc["error"] is None
    bad = failed(doc)
    assert "table audit_log" in bad and "audit hash chain verifies" in bad
    assert "check storfa check on the restored copy" in bad

    # A changed row, same count: found by content.
    changed = tmp_path / "changed.tar.gz"
    _rewrite(archive, changed, "reviews", _retitle)
    bad = failed(cli.json("db", "verify-backup", str(changed), expect_exit=1))
    assert bad == {"table reviews": "same number of rows, different content"}
    # … which the archive alone cannot show: it restores whole.
    assert cli.json("db", "verify-backup", str(changed), "--archive-only")["ok"]

    # A changed original: refused while restoring, nothing else to compare.
    corrupt = tmp_path / "corrupt.tar.gz"
    _rewrite(archive, corrupt, original=True)
    doc = cli.json("db", "verify-backup", str(corrupt), expect_exit=1)
    assert "corrupt" in doc["error"] and "SHA-256" in doc["error"]

    # A deleted review whose versions remain: the database refuses the rows.
    orphans = tmp_path / "orphans.tar.gz"
    _rewrite(archive, orphans, "reviews", lambda lines: lines[1:])
    doc = cli.json("db", "verify-backup", str(orphans), expect_exit=1)
    assert not doc["ok"]
    # A table line that is not JSON, its hash forged to match: refused in plain words.
    garbled = tmp_path / "garbled.tar.gz"
    _rewrite(archive, garbled, "audit_log", lambda lines: ["{not json\n", *lines[1:]])
    doc = cli.json("db", "verify-backup", str(garbled), expect_exit=1)
    assert "not a well-formed storfa export" in doc["error"]
    # The live store was only read.
    assert cli.json("check") == {"ok": True, "problems": []}


def test_missing_and_damaged_archives_give_plain_errors(cli: Cli, tmp_path: Path) -> None:
    for command in ("restore", "verify-backup"):
        result = cli.run("db", command, str(tmp_path / "nope.tar.gz"))
        assert result.exit_code == 2 and "No such archive" in result.output
        assert "Traceback" not in result.output
    notes = tmp_path / "notes.tar.gz"
    notes.write_text("not an archive")
    result = cli.run("db", "restore", str(notes))
    assert result.exit_code == 2 and "not a storfa export" in result.output
    result = cli.run("db", "verify-backup", str(notes))
    assert result.exit_code == 1 and "not a storfa export" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
