"""What /readyz checks and /metrics reports, read from the store and this
node's search index. Every figure is one small query, so a probe or a scrape
stays cheap; nothing here writes.

Figures from the database (queue, ingest outcomes, embedding backlog) are the
same on every node; the index lag is this node's own, because each node keeps
its own index and follows the database's index log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storfa.app import Storfa
from storfa.storage.migrations.runner import load_migrations

# What a finished job's recorded FileResult says, as JSON with sorted keys
# (Jobs.finish); failed jobs have no result. LIKE keeps the count in SQL;
# the patterns are parameters because '%' is not literal SQL for psycopg.
_RESULTS = ("ingested", "duplicate", "rejected")
_OUTCOME = ("CASE WHEN status = 'failed' THEN 'failed' "
            + "".join(f"WHEN result LIKE ? THEN '{s}' " for s in _RESULTS) + "ELSE 'other' END")
_PATTERNS = tuple(f'%"status": "{s}"%' for s in _RESULTS)
OUTCOMES = (*_RESULTS, "failed")


@dataclass(frozen=True)
class IndexLag:
    entries: int    # index-log entries (Tantivy) or passages (postgres) not yet searchable
    seconds: float  # age of the oldest of them; 0 when caught up


@dataclass(frozen=True)
class QueueFigures:
    depth: int              # jobs waiting to be claimed
    oldest_seconds: float   # age of the oldest waiting job; 0 when none waits
    by_status: dict[str, int]


def _age(stamp: Any, now: dt.datetime) -> float:
    """Seconds since an ISO time text written by the store or the database clock."""
    if not stamp:
        return 0.0
    when = dt.datetime.fromisoformat(str(stamp))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (now - when).total_seconds())


def index_lag(app: Storfa) -> IndexLag:
    now = dt.datetime.now(dt.UTC)
    engine: Any = app.index
    db = app.store.db
    cursor = getattr(engine, "cursor", None)
    with db.read() as conn:
        if callable(cursor):  # Tantivy: the log entries after this index's cursor
            row = conn.one("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM index_log "
                           "WHERE id > ?", (int(cursor()),))
        else:  # PostgreSQL search: current passages not analysed yet
            row = conn.one(
                "SELECT COUNT(*) AS n, (SELECT MIN(l.created_at) FROM index_log l "
                "WHERE l.review_id IN (SELECT r.id FROM passages p JOIN reviews r "
                "ON r.current_version_id = p.version_id WHERE p.lexemes IS NULL)) AS oldest "
                "FROM passages p JOIN reviews r ON r.current_version_id = p.version_id "
                "WHERE p.lexemes IS NULL")
    n = int(row["n"]) if row else 0
    return IndexLag(n, _age(row["oldest"], now) if row and n else 0.0)


def job_queue(app: Storfa) -> QueueFigures:
    now = dt.datetime.now(dt.UTC)
    with app.store.db.read() as conn:
        row = conn.one("SELECT MIN(created_at) AS oldest FROM ingest_jobs "
                       "WHERE status = 'queued'")
    stats = app.jobs.stats()
    return QueueFigures(stats["queued"], _age(row["oldest"] if row else None, now), stats)


def ingest_outcomes(app: Storfa) -> dict[str, int]:
    """Finished jobs by what became of their file (web uploads, `ingest --queue`)."""
    counts = dict.fromkeys(OUTCOMES, 0)
    with app.store.db.read() as conn:
        for r in conn.execute(f"SELECT {_OUTCOME} AS outcome, COUNT(*) AS n FROM ingest_jobs "
                              "WHERE status IN ('done', 'failed') AND kind = 'ingest' GROUP BY 1",
                              _PATTERNS):
            counts[str(r["outcome"])] = int(r["n"])
    return counts


def embedding_backlog(app: Storfa) -> int:
    """Current passages without a vector for search by meaning."""
    from storfa.search.embeddings import MODEL_NAME

    return app.store.count_passages_missing_vectors(MODEL_NAME)


def migration_problems(app: Storfa) -> list[str]:
    """Empty when the database has exactly the migrations this storfa ships."""
    store = app.store
    with store.db.read() as conn:
        applied = {int(r["version"]) for r in conn.execute(
            "SELECT version FROM schema_migrations")}
    shipped = {m.version for m in load_migrations(store.db.dialect)}
    problems = []
    if missing := sorted(shipped - applied):
        problems.append("migrations: not applied: " + ", ".join(map(str, missing))
                        + " (run `storfa db upgrade`)")
    if newer := sorted(applied - shipped):
        # Another node runs a newer storfa: this one may misread the schema.
        problems.append("migrations: the database is newer than this storfa: "
                        + ", ".join(map(str, newer)))
    return problems


def readiness(app: Storfa) -> list[str]:
    """Why this node should not take traffic; empty when it is ready.

    Database first: without it the other checks cannot run."""
    try:
        with app.store.db.read() as conn:
            conn.one("SELECT 1 AS ok")
    except Exception as exc:
        # The class only: a driver's message can name hosts and users.
        return [f"database: unreachable ({type(exc).__name__})"]
    problems = migration_problems(app)
    lag = index_lag(app)
    bound = app.settings.ready_index_lag
    if lag.entries and lag.seconds > bound:
        problems.append(f"search index: {lag.entries} change(s) not searchable yet, oldest "
                        f"{lag.seconds:.0f} s old (limit {bound} s)")
    return problems
