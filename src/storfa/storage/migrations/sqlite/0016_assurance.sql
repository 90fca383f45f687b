-- Assurance (issue 17; docs/assurance.md): the 12 Cs returns and imported
-- practitioner surveys.
--
-- assurance_returns: one per organisation and year. version is bumped by every
-- change (an answer saved, a submission, a reopening), so the return as it
-- stood at any version can be rebuilt from the append-only rows below.
-- carried_from names the year whose answers the return started from.
--
-- assurance_answers: append-only; the current answer for a C is its row with
-- the highest version. carried = 1 marks rows copied from last year's return.
--
-- assurance_events: the return's own history (opened, saved, submitted,
-- reopened with the reason); the audit log holds the same, hash-chained.
--
-- assurance_files: evidence files for a C; bytes in the blob store under
-- their SHA-256, like recommendation evidence.
--
-- assurance_surveys: a practitioner survey file as read (column names and
-- rows as JSON text) and its mapping of columns to questions (JSON list).

CREATE TABLE assurance_returns (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    year            INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    version         INTEGER NOT NULL DEFAULT 1,
    carried_from    INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    submitted_at    TEXT,
    submitted_by    TEXT,
    UNIQUE (organisation_id, year)
);
CREATE INDEX assurance_returns_year ON assurance_returns(year, organisation_id);

CREATE TABLE assurance_answers (
    id        INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES assurance_returns(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    c_key     TEXT NOT NULL,
    in_place  TEXT NOT NULL DEFAULT '',
    planned   TEXT NOT NULL DEFAULT '',
    evidence  TEXT NOT NULL DEFAULT '',
    grade     TEXT,
    carried   INTEGER NOT NULL DEFAULT 0,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX assurance_answers_return ON assurance_answers(return_id, c_key, version);

CREATE TABLE assurance_events (
    id        INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES assurance_returns(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    action    TEXT NOT NULL,
    c_key     TEXT,
    note      TEXT,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX assurance_events_return ON assurance_events(return_id, id);

CREATE TABLE assurance_files (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER NOT NULL REFERENCES assurance_returns(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    c_key      TEXT NOT NULL,
    filename   TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX assurance_files_return ON assurance_files(return_id, c_key, id);

CREATE TABLE assurance_surveys (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    filename        TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    column_names    TEXT NOT NULL,
    row_data        TEXT NOT NULL,
    mapping         TEXT NOT NULL DEFAULT '[]',
    actor           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX assurance_surveys_org ON assurance_surveys(organisation_id, id);
