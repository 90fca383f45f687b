"""Backup drills: restore an archive into a scratch store and compare it with
the live one, so a backup is known to restore before it is needed.

The scratch store is a temporary SQLite data directory, or a new schema in a
PostgreSQL database the operator names; either is removed afterwards. Nothing
is written to the live store: it is only read, in one snapshot.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from storfa.app import Storfa
from storfa.domain.errors import StorfaError
from storfa.storage.files import BlobStore, sha256_file
from storfa.storage.fingerprint import (
    StoreFingerprint,
    audit_events_after,
    audit_hash_at,
    newest_audit_event,
    store_fingerprint,
)
from storfa.storage.sql.store import SQLStore
from storfa.storage.transfer import Reporter, TransferError, _Quiet, import_archive

ACTOR = "storfa db verify-backup"


@dataclass
class Check:
    """One line of the report: what the archive, the restored copy and the
    live store hold, and whether that is as it should be."""

    kind: str  # table, originals, audit, check, restore
    name: str
    archive: str
    restored: str
    live: str
    ok: bool
    note: str = ""


@dataclass
class Verification:
    archive: Path
    compared_with_live: bool
    checks: list[Check] = field(default_factory=list)
    error: str | None = None  # the archive could not be restored at all

    @property
    def ok(self) -> bool:
        return self.error is None and all(c.ok for c in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "archive": str(self.archive), "error": self.error,
                "compared_with_live": self.compared_with_live,
                "checks": [dataclasses.asdict(c) for c in self.checks]}


# ------------------------------------------------------------- scratch store
def scratch_url(database_url: str, schema: str) -> str:
    """`database_url` with `schema` first on the search path (libpq `options`)."""
    parts = urlsplit(database_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    options = " ".join([v for k, v in query if k == "options"] + [f"-csearch_path={schema}"])
    query = [(k, v) for k, v in query if k != "options"] + [("options", options)]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextmanager
def _scratch_schema(database_url: str) -> Iterator[str]:
    if database_url.split(":", 1)[0] not in ("postgresql", "postgres"):
        raise StorfaError(f"--database-url must start with postgresql:// (got {database_url!r}).")
    import psycopg

    schema = f"storfa_verify_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        raise StorfaError(f"Could not create a scratch schema in the database given with "
                          f"--database-url: {type(exc).__name__}: {exc}".strip()) from exc
    try:
        yield scratch_url(database_url, schema)
    finally:
        try:
            with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        except psycopg.Error as exc:
            raise StorfaError(f"Could not drop the scratch schema {schema} ({exc}); "
                              "drop it by hand.") from exc


@contextmanager
def scratch_app(live: Storfa, work_dir: Path | None = None,
                database_url: str | None = None) -> Iterator[Storfa]:
    """A throw-away storfa beside the live one: its own data directory under
    `work_dir` (default: the system's temporary folder, TMPDIR), SQLite or a
    new schema in `database_url`, keyword search by Tantivy, no embedding."""
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="storfa-verify-", dir=work_dir))
    try:
        with _maybe_schema(database_url) as url:
            # Settings are built here, not from the environment: STORFA_DATABASE_URL
            # names the live store, which a scratch store must never be; nor may it
            # write into the live STORFA_SHARED_DIR.
            settings = dataclasses.replace(
                live.settings, data_dir=folder / "data", shared_dir=None, database_url=url,
                search_engine="tantivy", embed="off", workers=1)
            app = Storfa(settings)
            try:
                yield app
            finally:
                app.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _maybe_schema(database_url: str | None) -> Iterator[str | None]:
    if not database_url:
        yield None
        return
    with _scratch_schema(database_url) as url:
        yield url


def _sql(app: Storfa) -> SQLStore:
    store = app.store
    if not isinstance(store, SQLStore):
        raise StorfaError("This store does not support backups.")
    return store


# ------------------------------------------------------------------- checks
def _table_checks(manifest_rows: dict[str, int], restored: StoreFingerprint,
                  live: StoreFingerprint | None) -> list[Check]:
    checks = []
    for table, want in manifest_rows.items():
        got = restored.tables[table]
        ok, notes = got.rows == int(want), []
        if not ok:
            notes.append(f"restored {got.rows} of the archive's {want} rows")
        live_text = "—"
        if live is not None:
            other = live.tables.get(table)
            live_text = str(other.rows) if other else "missing"
            if other is None:
                ok = False
                notes.append("the live store has no such table")
            elif other.digest != got.digest:
                ok = False
                notes.append("same number of rows, different content" if other.rows == got.rows
                             else f"the live store has {abs(other.rows - got.rows)} "
                                  f"{'more' if other.rows > got.rows else 'fewer'} row(s)")
        checks.append(Check("table", table, str(want), str(got.rows), live_text, ok,
                            "; ".join(notes)))
    return checks


def _hash_blobs(blobs: BlobStore, wanted: dict[str, int | None],
                reporter: Reporter, label: str) -> list[str]:
    """The files among `wanted` that are missing or whose content does not
    have their name's SHA-256 (or their recorded size)."""
    bad = []
    reporter.stage(label, len(wanted))
    for sha, size in sorted(wanted.items()):
        path = blobs.path_for(sha)
        if not path.is_file():
            bad.append(f"{sha[:12]}… missing")
        elif sha256_file(path) != sha or (size is not None and path.stat().st_size != size):
            bad.append(f"{sha[:12]}… content does not match")
        reporter.advance()
    return bad


def _originals_check(in_archive: int, restored_app: Storfa,
                     restored: StoreFingerprint, live_app: Storfa,
                     live: StoreFingerprint | None, reporter: Reporter) -> Check:
    bad = _hash_blobs(restored_app.blobs, restored.blobs, reporter, "Hashing restored originals")
    notes = [f"restored copy: {b}" for b in bad]
    ok = not bad and len(restored.blobs) == in_archive
    restored_text = f"{len(restored.blobs) - len(bad)} of {len(restored.blobs)} hash OK"
    live_text = "—"
    if live is not None:
        live_bad = _hash_blobs(live_app.blobs, live.blobs, reporter, "Hashing live originals")
        notes += [f"live store: {b}" for b in live_bad]
        live_text = f"{len(live.blobs) - len(live_bad)} of {len(live.blobs)} hash OK"
        only_live = sorted(set(live.blobs) - set(restored.blobs))
        only_archive = sorted(set(restored.blobs) - set(live.blobs))
        if only_live:
            notes.append(f"{len(only_live)} file(s) in the live store only")
        if only_archive:
            notes.append(f"{len(only_archive)} file(s) in the archive only")
        ok = ok and not live_bad and not only_live and not only_archive
    shown = notes[:5] + ([f"… and {len(notes) - 5} more"] if len(notes) > 5 else [])
    return Check("originals", "files and their SHA-256", str(in_archive), restored_text,
                 live_text, ok, "; ".join(shown))


def _audit_checks(restored_store: SQLStore, restored: StoreFingerprint,
                  live_store: SQLStore, live: StoreFingerprint | None) -> list[Check]:
    # The chain is verified by the store's own check (the one `storfa check` runs).
    broken = restored_store.audit_chain_break()
    events = restored.tables["audit_log"].rows
    checks = [Check("audit", "hash chain verifies", f"{events} events",
                    "yes" if broken is None else f"broken at event {broken}", "—",
                    broken is None)]
    if live is None:
        return checks
    live_broken = live_store.audit_chain_break()
    checks[0].live = "yes" if live_broken is None else f"broken at event {live_broken}"
    checks[0].ok = broken is None and live_broken is None
    if restored.last_audit is None:
        return checks
    # The archive's newest event, with the same hash, at the same place in the
    # live log: the backup is a point in this store's own history.
    event_id, want = restored.last_audit
    found = audit_hash_at(live_store, event_id)
    later = audit_events_after(live_store, event_id) if found else 0
    checks.append(Check(
        "audit", "newest archived event in the live log", f"#{event_id} {want[:12]}…",
        f"#{event_id} {want[:12]}…",
        "missing" if found is None else f"#{event_id} {found[:12]}…", found == want,
        f"the live log has {later} later event(s), recorded after the backup"
        if later and found == want else ""))
    return checks


def verify_backup(live_app: Storfa, archive: Path, *, work_dir: Path | None = None,
                  database_url: str | None = None, compare_live: bool = True,
                  reporter: Reporter | None = None) -> Verification:
    """Restore `archive` into a scratch store and compare it with `live_app`'s.
    Raises StorfaError only for what stops the drill from running (no such
    file, no scratch database); an archive that will not restore is a failed
    verification."""
    report = reporter or _Quiet()
    if not archive.is_file():
        raise TransferError(f"No such archive: {archive}")
    live_store = _sql(live_app)
    result = Verification(archive, compare_live)
    with scratch_app(live_app, work_dir, database_url) as scratch:
        store = _sql(scratch)
        try:
            summary = import_archive(store, scratch.blobs, archive,
                                     work_dir=scratch.settings.data_dir, actor=ACTOR,
                                     reporter=report)
        except TransferError as exc:
            result.error = str(exc)
            result.checks.append(Check("restore", "archive unpacked and loaded", "—",
                                       "failed", "—", False, str(exc)))
            return result
        # The import's own audit event is the copy's newest: not part of the backup.
        newest = newest_audit_event(store)
        upto = newest[0] - 1 if newest and newest[1] == "db_import" else None
        restored = store_fingerprint(store, audit_upto=upto, reporter=report)
        live = None
        if compare_live:
            # The audit log only grows (reads of restricted reviews, sign-ins): events
            # after the archive's newest are later history, not a difference. That
            # the two logs agree up to there is checked by hash in _audit_checks.
            upto_live = restored.last_audit[0] if restored.last_audit else 0
            live = store_fingerprint(live_store, audit_upto=upto_live, reporter=report)
        result.checks += _table_checks(summary["rows"], restored, live)
        if live is not None and (later := audit_events_after(live_store, upto_live)):
            row = next(c for c in result.checks if c.kind == "table" and c.name == "audit_log")
            row.live += f" (+{later} later)"
        result.checks.append(_originals_check(int(summary["originals"]), scratch, restored,
                                              live_app, live, report))
        result.checks += _audit_checks(store, restored, live_store, live)
        report.stage("Rebuilding the restored copy's search index", None)
        scratch.index.rebuild(store)
        problems = scratch.check()
        result.checks.append(Check("check", "storfa check on the restored copy", "—",
                                   "clean" if not problems else f"{len(problems)} problem(s)",
                                   "—", not problems, "; ".join(problems[:5])))
    return result
