-- Stored codebooks (issue 6): researchers' own codebooks and edited copies of
-- the built-in ones. A stored codebook of the same name as a built-in one
-- replaces it for this repository. Codes are never deleted: a retired code
-- stays (retired = 1) with its extracts and history, and a code merged into
-- another names it in merged_into. codebook_changes is the history of every
-- change (who, when, what); the audit log records the same actions.

CREATE TABLE codebooks (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    terms         TEXT NOT NULL DEFAULT '[]',
    best_practice INTEGER NOT NULL DEFAULT 0,
    based_on      TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE codebook_codes (
    id            INTEGER PRIMARY KEY,
    codebook_id   INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES codebook_codes(id),
    seq           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    colour        TEXT NOT NULL DEFAULT '#777777',
    terms         TEXT NOT NULL DEFAULT '[]',
    best_practice INTEGER NOT NULL DEFAULT 0,
    retired       INTEGER NOT NULL DEFAULT 0,
    merged_into   TEXT,
    UNIQUE (codebook_id, name_key)
);
CREATE INDEX codebook_codes_book ON codebook_codes(codebook_id, seq);

CREATE TABLE codebook_changes (
    id          INTEGER PRIMARY KEY,
    codebook_id INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
    code        TEXT,
    action      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX codebook_changes_book ON codebook_changes(codebook_id, id);
