-- Several coders on one codebook (issue 6): per-coder decisions and undo.
-- origin_id: a coder's own decision on an extract someone else had already
-- decided (or a re-coding of a suggestion) is a row of its own that points
-- at that extract, so no coder's decision overwrites another's and agreement
-- sees both. extract_changes: each person's changes, newest last, with what
-- undoing one means (JSON: rows to restore, rows to withdraw); undone_at is
-- set when it has been undone. Rows are never deleted.

ALTER TABLE extracts ADD COLUMN origin_id INTEGER REFERENCES extracts(id) ON DELETE SET NULL;
CREATE INDEX extracts_origin ON extracts(origin_id);

CREATE TABLE extract_changes (
    id         INTEGER PRIMARY KEY,
    coder      TEXT NOT NULL,
    action     TEXT NOT NULL,
    extract_id INTEGER NOT NULL,
    undo       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_at  TEXT
);
CREATE INDEX extract_changes_coder ON extract_changes(coder, undone_at, id);
