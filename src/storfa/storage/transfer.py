"""Moving a whole store — database rows and original files — between backends.

An archive is a gzipped tar holding, in this order:

    manifest.json            format, versions, source dialect, per-table columns,
                             row counts and SHA-256 of each table file
    tables/<table>.jsonl     one JSON array per row, values in the manifest's
                             column order, tables in dependency order
    originals/<sha256>       each stored file once (originals, evidence files: any
                             row's `sha256` column names one), named by its SHA-256

Export reads every row inside one snapshot (SQLite: one read transaction on the
shared connection; PostgreSQL: REPEATABLE READ READ ONLY), so the archive is a
consistent point-in-time copy — which is also what `storfa db backup` writes.
Import goes into an empty store of the same schema version, keeps every id
(foreign keys, index-log cursors and the audit hash chain depend on them),
rewrites `stored_path` to the target's BlobStore, checks each original's
SHA-256 before anything is written, and does the whole database part in one
write transaction. Table names come from the migrations, and export refuses a
live table it does not know, so a table added later is never silently skipped.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from storfa import __version__
from storfa.clock import utc_now
from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.storage.files import BlobStore
from storfa.storage.migrations.runner import apply_migrations, load_migrations
from storfa.storage.sql.adapter import Conn, Database
from storfa.storage.sql.store import SQLStore

FORMAT = "storfa-export"
FORMAT_VERSION = 1
# Columns holding a path into the data directory, rewritten on import:
# table -> (path column, SHA-256 column naming the original).
PATH_COLUMNS = {"source_files": ("stored_path", "sha256")}
# A column with this name, in any table, names a file in the BlobStore
# (originals, recommendation evidence, whatever a later migration adds), so the
# archive carries every file the rows refer to without a list to keep up to date.
BLOB_COLUMN = "sha256"
# Columns one dialect keeps as derived, rebuildable data (PostgreSQL's own
# full-text lexemes, NULL meaning "not analysed yet"): not exported, left NULL
# on import for the search engine to refill. Every other column must exist on
# both dialects (tests/test_transfer.py compares them).
DERIVED_COLUMNS = {"passages": ("lexemes",)}
_BATCH = 1000
_CHUNK = 1 << 20
_SHA = re.compile(r"^[0-9a-f]{64}$")
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_CREATE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)\"?", re.I)
_DROP = re.compile(r"\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?(\w+)\"?", re.I)
_RENAME = re.compile(r"\bALTER\s+TABLE\s+\"?(\w+)\"?\s+RENAME\s+TO\s+\"?(\w+)\"?", re.I)


class TransferError(StorfaError):
    """An archive that cannot be written or restored; the target is left as it was."""


# ------------------------------------------------------------------ progress
class Reporter(Protocol):
    def stage(self, label: str, total: int | None) -> None: ...
    def advance(self, amount: int = 1) -> None: ...


class _Quiet:
    def stage(self, label: str, total: int | None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


# -------------------------------------------------------------------- schema
def schema_tables(dialect: str = "sqlite") -> list[str]:
    """The data tables in creation (= foreign-key dependency) order, read from
    the migrations; `schema_migrations` is the target's own and is not copied."""
    tables: list[str] = []
    for migration in load_migrations(dialect):
        code = "\n".join(line.split("--", 1)[0] for line in migration.sql.splitlines())
        events = [(m.start(), "create", m.group(1).lower(), "") for m in _CREATE.finditer(code)]
        events += [(m.start(), "drop", m.group(1).lower(), "") for m in _DROP.finditer(code)]
        events += [(m.start(), "rename", m.group(1).lower(), m.group(2).lower())
                   for m in _RENAME.finditer(code)]
        for _, kind, name, new in sorted(events):
            if kind == "create" and name not in tables:
                tables.append(name)
            elif kind == "drop" and name in tables:
                tables.remove(name)
            elif kind == "rename" and name in tables:
                tables[tables.index(name)] = new
    return [t for t in tables if t != "schema_migrations"]


def live_tables(conn: Conn, dialect: str) -> set[str]:
    if dialect == "postgresql":
        rows = conn.execute(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    else:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite!_%' ESCAPE '!'")
    return {str(r["name"]) for r in rows} - {"schema_migrations"}


def portable_columns(conn: Conn, dialect: str, table: str) -> list[str]:
    """The columns an archive carries: all but the dialect's derived ones."""
    derived = DERIVED_COLUMNS.get(table, ())
    return [c for c in table_columns(conn, dialect, table) if c not in derived]


def table_columns(conn: Conn, dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        rows = conn.execute(
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,))
    else:
        rows = conn.execute(f"PRAGMA table_info({_quote(table)})")
    return [str(r["name"]) for r in rows]


def _self_references(conn: Conn, dialect: str, table: str) -> list[str]:
    """Columns with a foreign key to their own table (reviews.linked_review_id):
    inserted as NULL and filled in once every row of the table exists."""
    if dialect == "postgresql":
        rows = conn.execute(
            "SELECT a.attname AS name FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
            "WHERE c.contype = 'f' AND c.conrelid = c.confrelid "
            "AND c.conrelid = to_regclass(?)", (table,))
        return sorted({str(r["name"]) for r in rows})
    return sorted({str(r["from"]) for r in conn.execute(
        f"PRAGMA foreign_key_list({_quote(table)})") if str(r["table"]).lower() == table})


def _has_identity(conn: Conn, table: str) -> bool:
    row = conn.one(
        "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND table_name = ? AND is_identity = 'YES'", (table,))
    return bool(row and row["n"])


def _quote(name: str) -> str:
    if not _TABLE_NAME.match(name):
        raise TransferError(f"Unexpected table or column name {name!r}.")
    return f'"{name}"'


def _check_known_tables(conn: Conn, dialect: str, tables: Sequence[str]) -> None:
    unknown = sorted(live_tables(conn, dialect) - set(tables))
    if unknown:
        raise TransferError(
            f"The database has table(s) {', '.join(unknown)} that the migrations do not "
            "create; refusing to write an archive that would leave them out.")


@contextmanager
def snapshot(db: Database) -> Iterator[Conn]:
    """One consistent, read-only view of the whole database."""
    with db.read() as conn:
        if db.dialect == "postgresql":
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:
            # The adapter shares one connection (its lock is held here), and a
            # deferred transaction's snapshot is fixed by its first read.
            conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("ROLLBACK")


# ------------------------------------------------------------ value encoding
def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return base64.b64decode(value["$b64"])
    return value


# -------------------------------------------------------------------- export
@dataclass(frozen=True)
class _Original:
    sha256: str
    size: int
    paths: tuple[Path, ...]


class _HashingReader(io.RawIOBase):
    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.digest = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


def export_store(store: SQLStore, blobs: BlobStore, target: Path, *,
                 reporter: Reporter | None = None, kind: str = "export") -> dict[str, Any]:
    """Write the whole store to `target` (a .tar.gz); returns the manifest."""
    report = reporter or _Quiet()
    tables = schema_tables(store.dialect)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".storfa-export-"))
    partial = target.with_name(f".{target.name}.partial")
    try:
        with snapshot(store.db) as conn:
            _check_known_tables(conn, store.dialect, tables)
            schema = conn.one("SELECT MAX(version) AS v FROM schema_migrations")
            counts = {t: int((conn.one(f"SELECT COUNT(*) AS n FROM {_quote(t)}") or {"n": 0})
                             ["n"]) for t in tables}
            report.stage("Reading tables", sum(counts.values()))
            entries: list[dict[str, Any]] = []
            originals: dict[str, _Original] = {}
            for table in tables:
                columns = portable_columns(conn, store.dialect, table)
                path = staging / f"{table}.jsonl"
                rows, digest = 0, hashlib.sha256()
                with path.open("wb") as fh:
                    for row in _table_rows(conn, store.dialect, table, columns):
                        line = (json.dumps([_encode(row[c]) for c in columns],
                                           ensure_ascii=False) + "\n").encode("utf-8")
                        digest.update(line)
                        fh.write(line)
                        rows += 1
                        if BLOB_COLUMN in columns:
                            _note_original(originals, table, row, columns, blobs)
                        if rows % 500 == 0:
                            report.advance(500)
                report.advance(rows % 500)
                entries.append({"name": table, "file": f"tables/{table}.jsonl",
                                "columns": columns, "rows": rows,
                                "sha256": digest.hexdigest()})
            manifest: dict[str, Any] = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
                "storfa_version": __version__,
                "schema_version": int(schema["v"] or 0) if schema else 0,
                "source_dialect": store.dialect, "created_at": utc_now(),
                "tables": entries,
                "originals": {"count": len(originals),
                              "bytes": sum(o.size for o in originals.values())},
            }
            # Originals are content-addressed and never rewritten, but reading
            # them inside the snapshot keeps "rows present => file present".
            report.stage("Writing originals", manifest["originals"]["bytes"])
            _write_tar(partial, manifest, staging, originals.values(), report)
        os.replace(partial, target)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        partial.unlink(missing_ok=True)


def _note_original(originals: dict[str, _Original], table: str, row: Any,
                   columns: list[str], blobs: BlobStore) -> None:
    sha = str(row[BLOB_COLUMN])
    if sha in originals:
        return
    paths = [blobs.path_for(sha)]
    if table in PATH_COLUMNS:  # where the file was stored before any move
        paths.append(Path(str(row[PATH_COLUMNS[table][0]])))
    size = row["size"] if "size" in columns else None
    if size is None:  # no recorded size: the file's own, checked by its hash
        existing = next((p for p in paths if p.is_file()), None)
        size = existing.stat().st_size if existing else 0
    originals[sha] = _Original(sha, int(size), tuple(paths))


def primary_key(conn: Conn, dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        rows = list(conn.execute(
            "SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
            "WHERE i.indisprimary AND i.indrelid = to_regclass(?) "
            "ORDER BY array_position(i.indkey::smallint[], a.attnum)", (table,)))
        return [str(r["name"]) for r in rows]
    info = [r for r in conn.execute(f"PRAGMA table_info({_quote(table)})") if r["pk"]]
    return [str(r["name"]) for r in sorted(info, key=lambda r: int(r["pk"]))]


def _table_rows(conn: Conn, dialect: str, table: str, columns: list[str]) -> Iterator[Any]:
    select = f"SELECT {', '.join(_quote(c) for c in columns)} FROM {_quote(table)}"
    key = primary_key(conn, dialect, table)
    if not key:
        yield from conn.execute(select)
        return
    # Pages by primary key, all inside the snapshot, so no table (passage
    # vectors can be large) is held in memory whole.
    order = ", ".join(_quote(c) for c in key)
    after = (f"({order}) > ({', '.join('?' * len(key))})" if len(key) > 1
             else f"{order} > ?")
    last: list[Any] | None = None
    while True:
        if last is None:
            batch = list(conn.execute(f"{select} ORDER BY {order} LIMIT {_BATCH}"))
        else:
            batch = list(conn.execute(
                f"{select} WHERE {after} ORDER BY {order} LIMIT {_BATCH}", last))
        yield from batch
        if len(batch) < _BATCH:
            return
        last = [batch[-1][c] for c in key]


def _write_tar(path: Path, manifest: dict[str, Any], staging: Path,
               originals: Any, report: Reporter) -> None:
    mtime = int(dt.datetime.now(dt.UTC).timestamp())

    def info(name: str, size: int) -> tarfile.TarInfo:
        member = tarfile.TarInfo(name)
        member.size, member.mtime, member.mode = size, mtime, 0o644
        return member

    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        body = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        tar.addfile(info("manifest.json", len(body)), io.BytesIO(body))
        for entry in manifest["tables"]:
            table_file = staging / f"{entry['name']}.jsonl"
            with table_file.open("rb") as fh:
                tar.addfile(info(entry["file"], table_file.stat().st_size), fh)
        for original in sorted(originals, key=lambda o: o.sha256):
            source = next((p for p in original.paths if p.is_file()), None)
            if source is None:
                raise TransferError(
                    f"The original file {original.sha256} is missing from the data directory.")
            with source.open("rb") as fh:
                reader = _HashingReader(fh)
                size = source.stat().st_size
                tar.addfile(info(f"originals/{original.sha256}", size), reader)
            if reader.digest.hexdigest() != original.sha256 or reader.count != original.size:
                raise TransferError(
                    f"The original file {source} does not match its SHA-256 "
                    f"{original.sha256}; the data directory is damaged.")
            report.advance(original.size)
    _fsync(path)


def _fsync(path: Path) -> None:
    """fsync a finished file, so a renamed archive is a complete one."""
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -------------------------------------------------------------------- import
@dataclass
class _Staged:
    manifest: dict[str, Any]
    folder: Path
    originals: dict[str, Path]  # sha256 -> staged file, hash already verified


def _read_archive(archive: Path, folder: Path, report: Reporter) -> _Staged:
    """Unpack into `folder`, accepting only the entries an export writes, and
    verify every original's SHA-256 and every table file's hash."""
    manifest: dict[str, Any] | None = None
    table_hashes: dict[str, str] = {}
    originals: dict[str, Path] = {}
    (folder / "tables").mkdir()
    (folder / "originals").mkdir()
    try:
        report.stage("Reading the archive", archive.stat().st_size)
        with archive.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:*") as tar:
            position = 0
            for member in tar:
                if member.isdir():
                    continue
                name = member.name
                if name.startswith("./"):
                    name = name[2:]
                parts = name.split("/")
                if not member.isreg() or not (
                        name == "manifest.json"
                        or (len(parts) == 2 and parts[0] == "tables"
                            and parts[1].endswith(".jsonl")
                            and _TABLE_NAME.match(parts[1][:-6]))
                        or (len(parts) == 2 and parts[0] == "originals"
                            and _SHA.match(parts[1]))):
                    raise TransferError(f"The archive has an unexpected entry {member.name!r}; "
                                        "it is not a storfa export.")
                source = tar.extractfile(member)
                assert source is not None  # a regular file
                if name == "manifest.json":
                    manifest = json.loads(source.read(16 * _CHUNK))
                    continue
                dest = folder / parts[0] / parts[1]
                digest = hashlib.sha256()
                with dest.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if parts[0] == "tables":
                    table_hashes[name] = digest.hexdigest()
                else:
                    if digest.hexdigest() != parts[1]:
                        raise TransferError(
                            f"The original {parts[1]} in the archive is corrupt (its content "
                            f"has SHA-256 {digest.hexdigest()}); nothing was imported.")
                    originals[parts[1]] = dest
                now = raw.tell()
                report.advance(now - position)
                position = now
    except (tarfile.TarError, EOFError, zlib.error, UnicodeDecodeError,
            json.JSONDecodeError) as exc:
        raise TransferError(f"{archive} is damaged or not a storfa export: {exc}") from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise TransferError(f"{archive} is not a storfa export (no storfa manifest.json).")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise TransferError(
            f"{archive} was written in export format {manifest['format_version']}, newer than "
            f"this storfa ({__version__}) reads; upgrade storfa.")
    for entry in manifest["tables"]:
        got = table_hashes.get(entry["file"])
        if got is None:
            raise TransferError(f"The archive lacks {entry['file']}; nothing was imported.")
        if got != entry["sha256"]:
            raise TransferError(f"{entry['file']} in the archive is corrupt (SHA-256 mismatch); "
                                "nothing was imported.")
    return _Staged(manifest, folder, originals)


def _rows(staged: _Staged, entry: dict[str, Any]) -> Iterator[list[Any]]:
    width = len(entry["columns"])
    with (staged.folder / "tables" / f"{entry['name']}.jsonl").open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != width:
                raise TransferError(
                    f"{entry['file']} line {number} does not match its columns.")
            yield [_decode(v) for v in values]


def _check_compatible(staged: _Staged, store: SQLStore, conn: Conn) -> None:
    manifest = staged.manifest
    row = conn.one("SELECT MAX(version) AS v FROM schema_migrations")
    version = int(row["v"] or 0) if row else 0
    if int(manifest["schema_version"]) != version:
        raise TransferError(
            f"The archive has schema version {manifest['schema_version']} and this store "
            f"has {version}. Import it with a storfa whose schema matches "
            f"(then `storfa db upgrade`), or upgrade the source and export again.")
    tables = schema_tables(store.dialect)
    names = [e["name"] for e in manifest["tables"]]
    if names != tables:
        raise TransferError(f"The archive's tables ({', '.join(names)}) are not this "
                            f"schema's ({', '.join(tables)}).")
    for entry in manifest["tables"]:
        live = portable_columns(conn, store.dialect, entry["name"])
        if sorted(live) != sorted(entry["columns"]):
            raise TransferError(f"Table {entry['name']} has columns {live} here but "
                                f"{entry['columns']} in the archive.")
    # Every row naming a stored file needs that file, of the recorded size.
    for entry in manifest["tables"]:
        if BLOB_COLUMN not in entry["columns"]:
            continue
        sha_at = entry["columns"].index(BLOB_COLUMN)
        size_at = entry["columns"].index("size") if "size" in entry["columns"] else None
        for values in _rows(staged, entry):
            sha = str(values[sha_at])
            path = staged.originals.get(sha)
            if path is None:
                raise TransferError(
                    f"The archive lacks the original {sha} ({entry['name']}); "
                    "nothing was imported.")
            if size_at is not None and path.stat().st_size != int(values[size_at]):
                raise TransferError(f"The original {sha} in the archive has the wrong size; "
                                    "nothing was imported.")


def _row_counts(conn: Conn, tables: Sequence[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        row = conn.one(f"SELECT COUNT(*) AS n FROM {_quote(table)}")
        counts[table] = int(row["n"]) if row else 0
    return counts


def import_archive(store: SQLStore, blobs: BlobStore, archive: Path, *, work_dir: Path,
                   replace: bool = False, actor: str = "system",
                   reporter: Reporter | None = None,
                   replace_option: str = "--replace") -> dict[str, Any]:
    """Restore an archive into this store. Refuses a non-empty store unless
    `replace` (the refusal names `replace_option`, the caller's flag for it);
    on any error the database and the original files are as before.
    The caller rebuilds the search index afterwards."""
    report = reporter or _Quiet()
    if not archive.is_file():
        raise TransferError(f"No such archive: {archive}")
    work_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=work_dir, prefix=".storfa-import-"))
    created: list[Path] = []
    try:
        staged = _read_archive(archive, folder, report)
        manifest = staged.manifest
        tables = [e["name"] for e in manifest["tables"]]
        with store.db.read() as conn:
            _check_compatible(staged, store, conn)
        total = sum(int(e["rows"]) for e in manifest["tables"])
        with store.db.write() as conn:
            existing = {t: n for t, n in _row_counts(conn, tables).items() if n}
            if existing and not replace:
                what = ", ".join(f"{n} {t}" for t, n in existing.items())
                raise TransferError(
                    f"The target store is not empty ({what}); import only into an empty "
                    f"store, or pass {replace_option} to discard its contents.")
            for table in reversed(tables):
                if existing.get(table):
                    conn.execute(f"DELETE FROM {_quote(table)}")
            report.stage("Copying originals", len(staged.originals))
            for sha, path in sorted(staged.originals.items()):
                if not blobs.path_for(sha).exists():
                    created.append(blobs.put(path, sha))
                report.advance()
            report.stage("Writing rows", total)
            for entry in manifest["tables"]:
                inserted = _insert_table(conn, store.dialect, staged, entry, blobs, report)
                if inserted != int(entry["rows"]):
                    raise TransferError(f"{entry['file']} has {inserted} rows, the manifest "
                                        f"says {entry['rows']}; nothing was imported.")
            if store.dialect == "postgresql":
                for table in tables:
                    _reset_sequence(conn, table)
            # Recorded in the imported chain, so the target's own log says where
            # its contents came from. (SQLStore keeps the one chain format.)
            store._audit(conn, actor, "db_import", "store", archive.name, {
                "source_dialect": manifest["source_dialect"],
                "exported_at": manifest["created_at"],
                "storfa_version": manifest["storfa_version"],
                "rows": {e["name"]: e["rows"] for e in manifest["tables"]},
                "originals": len(staged.originals), "replaced": bool(existing)})
        return {"archive": str(archive), "source_dialect": manifest["source_dialect"],
                "schema_version": manifest["schema_version"],
                "rows": {e["name"]: e["rows"] for e in manifest["tables"]},
                "originals": len(staged.originals), "replaced": sorted(existing)}
    except _database_errors() as exc:
        # Rows the database refuses (a foreign key to a row the archive lacks, a
        # duplicate key) mean a damaged or hand-edited archive: a plain message,
        # and the transaction rolled back.
        for path in created:
            path.unlink(missing_ok=True)
        raise TransferError(f"{archive} does not load: the database refused its rows "
                            f"({type(exc).__name__}: {exc}); nothing was imported.") from exc
    except (KeyError, TypeError, ValueError) as exc:
        # A manifest or table line of the wrong shape whose hashes were made to
        # agree (hand-edited): the same plain refusal as any damaged archive.
        for path in created:
            path.unlink(missing_ok=True)
        raise TransferError(f"{archive} is not a well-formed storfa export "
                            f"({type(exc).__name__}: {exc}); nothing was imported.") from exc
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _database_errors() -> tuple[type[Exception], ...]:
    import sqlite3

    try:
        import psycopg
    except ImportError:  # pragma: no cover - installed with storfa
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def _insert_table(conn: Conn, dialect: str, staged: _Staged, entry: dict[str, Any],
                  blobs: BlobStore, report: Reporter) -> int:
    table, columns = entry["name"], list(entry["columns"])
    later = [columns.index(c) for c in _self_references(conn, dialect, table)]
    if later and "id" not in columns:
        raise TransferError(f"Table {table} refers to itself but has no id column.")
    rewrite: tuple[int, int] | None = None
    if table in PATH_COLUMNS:
        path_column, sha_column = PATH_COLUMNS[table]
        rewrite = (columns.index(path_column), columns.index(sha_column))
    overriding = (" OVERRIDING SYSTEM VALUE"
                  if dialect == "postgresql" and _has_identity(conn, table) else "")
    sql = (f"INSERT INTO {_quote(table)} ({', '.join(_quote(c) for c in columns)})"
           f"{overriding} VALUES ({', '.join('?' * len(columns))})")
    fixups: list[tuple[str, Any, Any]] = []
    batch: list[list[Any]] = []
    count = 0
    for values in _rows(staged, entry):
        if rewrite:
            values[rewrite[0]] = str(blobs.path_for(str(values[rewrite[1]])))
        for at in later:
            if values[at] is not None:
                fixups.append((columns[at], values[at], values[columns.index("id")]))
                values[at] = None
        batch.append(values)
        count += 1
        if len(batch) >= _BATCH:
            conn.executemany(sql, batch)
            report.advance(len(batch))
            batch = []
    if batch:
        conn.executemany(sql, batch)
        report.advance(len(batch))
    for column, value, row_id in fixups:
        conn.execute(f"UPDATE {_quote(table)} SET {_quote(column)} = ? WHERE id = ?",
                     (value, row_id))
    return count


def _reset_sequence(conn: Conn, table: str) -> None:
    """After explicit ids, the next generated id follows the largest one."""
    if not _has_identity(conn, table):
        return
    conn.execute(
        "SELECT setval(pg_get_serial_sequence(?, 'id'), "
        f"COALESCE((SELECT MAX(id) FROM {_quote(table)}), 0) + 1, false)", (table,))


def read_manifest(archive: Path) -> dict[str, Any]:
    """An archive's manifest (its first entry), without unpacking the rest."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            member = tar.next()
            if member is None or member.name.removeprefix("./") != "manifest.json":
                raise TransferError(f"{archive} is not a storfa export.")
            source = tar.extractfile(member)
            assert source is not None
            manifest: dict[str, Any] = json.loads(source.read())
            return manifest
    except (OSError, tarfile.TarError, EOFError, zlib.error, ValueError) as exc:
        raise TransferError(f"{archive} is damaged or not a storfa export: {exc}") from exc


# ------------------------------------------------------------------- upgrade
def open_database(settings: Settings) -> Database:
    """The database `open_store` would use, opened without migrating it."""
    url = settings.database_url
    if url and url.split(":", 1)[0] in ("postgresql", "postgres"):
        from storfa.storage.postgres.database import PostgresDatabase

        return PostgresDatabase(url)
    if url:
        raise StorfaError(f"STORFA_DATABASE_URL must start with postgresql:// (got {url!r}).")
    from storfa.storage.sqlite.database import SQLiteDatabase

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteDatabase(settings.database_path)


def _applied(db: Database) -> set[str]:
    db.ensure_migrations_table()
    with db.read() as conn:
        return {f"{int(r['version']):04d}_{r['name']}"
                for r in conn.execute("SELECT version, name FROM schema_migrations")}


def upgrade(settings: Settings, reporter: Reporter | None = None) -> tuple[list[str], int]:
    """Apply pending migrations; returns their names and the schema version.
    A batched back-fill reports its progress to `reporter`, and an upgrade
    interrupted during one carries on where it stopped when run again
    (storage/migrations/runner.py). (Opening a store migrates it too;
    comparing before and after reports what this call applied either way.)"""
    db = open_database(settings)
    try:
        before = _applied(db)
        apply_migrations(db, load_migrations(db.dialect), reporter)
        store = SQLStore(db)
        after = _applied(db)
        return sorted(after - before), store.schema_version()
    finally:
        db.close()


def default_backup_name(dialect: str) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"storfa-backup-{dialect}-{stamp}.tar.gz"
