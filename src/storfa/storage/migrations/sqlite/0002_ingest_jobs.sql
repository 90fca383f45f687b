-- Files waiting to be ingested by `storfa worker` (enqueued by `storfa ingest
-- --queue` and, later, the web upload page). A worker claims a queued job, or
-- a running one whose worker stopped heartbeating, and records the FileResult.
-- Times are UTC text from the database clock: YYYY-MM-DDTHH:MM:SS.mmmZ.

CREATE TABLE ingest_jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    path          TEXT NOT NULL,
    original_name TEXT NOT NULL,
    options       TEXT NOT NULL DEFAULT '{}',
    actor         TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    claimed_at    TEXT,
    heartbeat_at  TEXT,
    finished_at   TEXT,
    result        TEXT,
    error         TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX ingest_jobs_status ON ingest_jobs(status, id);
