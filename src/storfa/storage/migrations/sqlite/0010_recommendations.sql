-- Recommendations register (MISSION.md area E; docs/recommendations.md).
-- One row per recommendation extracted from a review. Re-extraction of a
-- review matches rows by (number, text): a recommendation found again keeps
-- its row, so its status, owner, due date and history survive; one no
-- longer found is kept with superseded = 1 (never deleted, because people
-- may have tracked it). recommendation_extractions says which version of a
-- review was last extracted, so listings can extract on the fly when a
-- review is new or has a new version.

CREATE TABLE recommendations (
    id            INTEGER PRIMARY KEY,
    review_id     INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    version_id    INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    number        TEXT NOT NULL,
    text          TEXT NOT NULL,
    text_key      TEXT NOT NULL,
    agencies      TEXT NOT NULL DEFAULT '[]',
    level         TEXT CHECK (level IN ('local', 'regional', 'national')),
    page          INTEGER,
    passage_id    INTEGER REFERENCES passages(id) ON DELETE SET NULL,
    status        TEXT NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'in_progress', 'implemented', 'not_accepted')),
    owner         TEXT,
    due_date      TEXT,
    superseded    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX recommendations_review ON recommendations(review_id, superseded, seq);
CREATE INDEX recommendations_key ON recommendations(review_id, number, text_key);

CREATE TABLE recommendation_history (
    id                INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL,
    field             TEXT NOT NULL,
    old_value         TEXT,
    new_value         TEXT,
    note              TEXT
);
CREATE INDEX recommendation_history_rec ON recommendation_history(recommendation_id, id);

CREATE TABLE recommendation_extractions (
    review_id     INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    version_id    INTEGER NOT NULL,
    found         INTEGER NOT NULL,
    extracted_at  TEXT NOT NULL
);
