-- Reviews, their versions, source files, pages, sections, passages,
-- metadata with evidence, the search-index outbox and the audit log.

CREATE TABLE source_files (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    format        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    stored_path   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    review_key         TEXT NOT NULL UNIQUE,
    type               TEXT,
    identifier         TEXT,
    title              TEXT,
    board              TEXT,
    year               INTEGER,
    language           TEXT NOT NULL DEFAULT 'en',
    variant            TEXT,
    current_version_id INTEGER,
    linked_review_id   INTEGER REFERENCES reviews(id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX reviews_type ON reviews(type);

CREATE TABLE review_versions (
    id             INTEGER PRIMARY KEY,
    review_id      INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    source_file_id INTEGER NOT NULL REFERENCES source_files(id),
    page_count     INTEGER NOT NULL,
    text           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (review_id, version)
);

CREATE TABLE pages (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    ocr        INTEGER NOT NULL DEFAULT 0,
    furniture  TEXT NOT NULL DEFAULT '[]',
    UNIQUE (version_id, number)
);

CREATE TABLE sections (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    heading    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    path       TEXT NOT NULL,
    page       INTEGER NOT NULL,
    start      INTEGER NOT NULL
);
CREATE INDEX sections_version ON sections(version_id);

CREATE TABLE passages (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    page       INTEGER NOT NULL,
    section    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    language   TEXT NOT NULL,
    UNIQUE (version_id, seq)
);

CREATE TABLE metadata_values (
    id             INTEGER PRIMARY KEY,
    review_id      INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    version_id     INTEGER REFERENCES review_versions(id) ON DELETE CASCADE,
    field          TEXT NOT NULL,
    value          TEXT NOT NULL,
    source         TEXT NOT NULL,
    confidence     REAL NOT NULL DEFAULT 1.0,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    evidence_text  TEXT,
    evidence_page  INTEGER,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    superseded     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX metadata_review ON metadata_values(review_id, field, superseded);

-- Reviews whose search-index documents must be (re)built, appended in the
-- same transaction as the data. Each index keeps its own cursor into this log.
CREATE TABLE index_log (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

-- Append-only, hash-chained: each row's hash covers the previous hash.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
