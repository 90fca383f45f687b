"""Versioned migrations: numbered SQL files per dialect, applied once each, in order.

A migration's statements run in one transaction, unless one of them is
marked as a batched back-fill by a comment line of its own,
`-- storfa:batched TABLE`. Such a statement holds two `?` placeholders,
bounding `TABLE.id` from below and above (`id > ? AND id <= ?`), run once per
range of BATCH_ROWS ids, each range in its own transaction. The migration is
then applied in steps: the statements before the back-fill (one
transaction), the back-fill's ranges, the statements after it (one
transaction, which also records the migration as applied). Each step and
range commits with its place in `schema_migration_progress`, so an upgrade
of a large store shows its progress, can be interrupted at any point, and
carries on where it stopped when run again: nothing is done twice, and the
migration counts as applied only once its last step is in. The progress
table exists only while a migration is part-way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from storfa.clock import utc_now
from storfa.storage.sql.adapter import Conn, Database

if TYPE_CHECKING:
    from storfa.storage.transfer import Reporter

_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")
_BATCHED = re.compile(r"^\s*--\s*storfa:batched\s+(\w+)\s*$", re.M)
# Ids per back-fill transaction: at 3.3 million referrals a range of 20,000
# derives in about 1.5 s on two shared cores, so progress moves every few
# seconds and an interruption loses at most one range's work.
BATCH_ROWS = 20_000
PROGRESS = "schema_migration_progress"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def label(self) -> str:
        return f"{self.version:04d}_{self.name}"

    def steps(self) -> list[Step]:
        """The statements in the transactions they run in: runs of plain
        statements, each batched statement alone."""
        steps: list[Step] = []
        for statement in self.sql.split(";\n"):
            code = "\n".join(line for line in statement.splitlines()
                             if not line.strip().startswith("--"))
            if not code.strip():
                continue
            marked = _BATCHED.search(statement)
            if marked:
                steps.append(Step((code,), marked.group(1)))
            elif steps and steps[-1].table is None:
                steps[-1] = Step((*steps[-1].statements, code), None)
            else:
                steps.append(Step((code,), None))
        if steps and steps[-1].table is not None:
            steps.append(Step((), None))  # the step that records it as applied
        return steps


@dataclass(frozen=True)
class Step:
    statements: tuple[str, ...]
    table: str | None  # set for a batched back-fill over this table's ids


def load_migrations(dialect: str) -> list[Migration]:
    folder = resources.files("storfa.storage.migrations").joinpath(dialect)
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def apply_migrations(db: Database, migrations: Sequence[Migration],
                     reporter: Reporter | None = None) -> list[str]:
    """Apply those not yet applied, in order; returns the names applied.
    Several processes may run this at once: every step checks, inside its
    write transaction, what is already done."""
    db.ensure_migrations_table()
    applied: list[str] = []
    for migration in migrations:
        steps = migration.steps()
        if all(s.table is None for s in steps):
            with db.write() as conn:
                if _is_applied(conn, migration):
                    continue
                for step in steps:
                    for code in step.statements:
                        conn.execute(code)
                _record(conn, migration)
        elif not _apply_in_steps(db, migration, steps, reporter):
            continue
        applied.append(migration.label)
    return applied


def _is_applied(conn: Conn, migration: Migration) -> bool:
    return conn.one("SELECT version FROM schema_migrations WHERE version = ?",
                    (migration.version,)) is not None


def _record(conn: Conn, migration: Migration) -> None:
    conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                 (migration.version, migration.name, utc_now()))


def _place(conn: Conn, migration: Migration) -> tuple[int, int] | None:
    """(step, last id done) where this migration stopped; None if applied."""
    if _is_applied(conn, migration):
        return None
    conn.execute(f"CREATE TABLE IF NOT EXISTS {PROGRESS} (version INTEGER PRIMARY KEY, "
                 "step INTEGER NOT NULL, done_to BIGINT NOT NULL)")
    row = conn.one(f"SELECT step, done_to FROM {PROGRESS} WHERE version = ?",
                   (migration.version,))
    return (int(row["step"]), int(row["done_to"])) if row else (0, 0)


def _move(conn: Conn, migration: Migration, step: int, done_to: int) -> None:
    conn.execute(f"DELETE FROM {PROGRESS} WHERE version = ?", (migration.version,))
    conn.execute(f"INSERT INTO {PROGRESS} (version, step, done_to) VALUES (?, ?, ?)",
                 (migration.version, step, done_to))


def _apply_in_steps(db: Database, migration: Migration, steps: Sequence[Step],
                    reporter: Reporter | None) -> bool:
    """Run `steps` from where an earlier run stopped; False if another
    process had already applied the migration."""
    last_id: dict[int, int] = {}  # the back-fill's end, read once per step
    while True:
        with db.write() as conn:
            place = _place(conn, migration)
            if place is None:
                return False
            index, done_to = place
            step = steps[index]
            if step.table is None:
                for code in step.statements:
                    conn.execute(code)
                if index + 1 < len(steps):
                    _move(conn, migration, index + 1, 0)
                    continue
                conn.execute(f"DELETE FROM {PROGRESS} WHERE version = ?", (migration.version,))
                if conn.one(f"SELECT 1 AS x FROM {PROGRESS}") is None:
                    conn.execute(f"DROP TABLE {PROGRESS}")
                _record(conn, migration)
                return True
            if index not in last_id:
                row = conn.one(f"SELECT COALESCE(MAX(id), 0) AS n FROM {step.table}")
                last_id[index] = int(row["n"]) if row else 0
                if reporter is not None:
                    reporter.stage(f"{migration.label}: {step.table} ids",
                                   max(0, last_id[index] - done_to))
            end = last_id[index]
            upto = min(done_to + BATCH_ROWS, end)
            if done_to < end:
                conn.execute(step.statements[0], (done_to, upto))
            if upto >= end:
                _move(conn, migration, index + 1, 0)
            else:
                _move(conn, migration, index, upto)
        # Reported once committed: an interruption from here on loses nothing.
        if reporter is not None and upto > done_to:
            reporter.advance(upto - done_to)
