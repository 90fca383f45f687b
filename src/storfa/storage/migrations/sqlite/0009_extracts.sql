-- Qualitative coding (issue 6): extracts and memos.
-- An extract is a span of one version of a review's text (start_offset and
-- end_offset are character offsets into review_versions.text, and text is
-- exactly that slice), coded with one code of a codebook. `how` says who made
-- it: a person by hand ('manual'), a codebook's search-term rule ('term') or
-- the passage classifier ('model'). Suggestions (status 'suggested') wait for
-- a person to accept or reject them; decided_by/decided_at record who did.
-- A re-run of auto-coding marks the open suggestions it replaces superseded
-- rather than deleting them, so earlier runs stay readable; every decision
-- is also in the audit log.

CREATE TABLE extracts (
    id            INTEGER PRIMARY KEY,
    review_id     INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    version_id    INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    passage_id    INTEGER REFERENCES passages(id) ON DELETE SET NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    page          INTEGER,
    text          TEXT NOT NULL,
    codebook      TEXT NOT NULL,
    code          TEXT NOT NULL,
    theme         TEXT NOT NULL,
    coder         TEXT NOT NULL,
    how           TEXT NOT NULL CHECK (how IN ('manual', 'term', 'model')),
    status        TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    confidence    REAL,
    source_detail TEXT,
    created_at    TEXT NOT NULL,
    decided_by    TEXT,
    decided_at    TEXT,
    superseded    INTEGER NOT NULL DEFAULT 0,
    CHECK (start_offset >= 0 AND end_offset > start_offset)
);
CREATE INDEX extracts_review ON extracts(review_id, codebook, superseded);
CREATE INDEX extracts_codebook ON extracts(codebook, status, superseded);

CREATE TABLE memos (
    id         INTEGER PRIMARY KEY,
    extract_id INTEGER REFERENCES extracts(id) ON DELETE CASCADE,
    review_id  INTEGER REFERENCES reviews(id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (extract_id IS NOT NULL OR review_id IS NOT NULL)
);
CREATE INDEX memos_extract ON memos(extract_id);
CREATE INDEX memos_review ON memos(review_id);
