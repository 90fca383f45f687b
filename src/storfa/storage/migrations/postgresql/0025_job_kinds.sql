-- The one job queue carries more than files (issue 15): long work started
-- from the web, such as auto-coding, runs as a job of its own kind, so any
-- worker process or node can report its progress. kind says which handler a
-- worker runs ('ingest' for a staged file, 'autocode' for an auto-coding
-- run); progress is the handler's latest JSON report, written with the
-- heartbeat. path and original_name stay NOT NULL: a job with no file
-- stores '' and a label.

ALTER TABLE ingest_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'ingest';
ALTER TABLE ingest_jobs ADD COLUMN progress TEXT;
CREATE INDEX ingest_jobs_kind ON ingest_jobs(kind, status, id);
