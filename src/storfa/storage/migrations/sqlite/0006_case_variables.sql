-- Case variables (MISSION.md area D): one row per value a review was given
-- for a variable. Suggestions from the text (status 'suggested') and a
-- person's decisions ('confirmed' with the value, or 'rejected' with the
-- suggested value turned down) live side by side; nothing is ever updated
-- in place except the superseded flag, so every earlier value stays as
-- history. The current decision for (review, variable) is its one row with
-- status confirmed/rejected and superseded = 0; the current suggestions are
-- the rows with status suggested and superseded = 0.
-- Binary variables hold 'present' or 'not_known' (absence from a report is
-- not evidence of absence); categorical, number and date variables hold text.

CREATE TABLE case_variable_values (
    id                  INTEGER PRIMARY KEY,
    review_id           INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    variable            TEXT NOT NULL,
    value               TEXT NOT NULL,
    status              TEXT NOT NULL
                        CHECK (status IN ('suggested', 'confirmed', 'rejected')),
    source              TEXT NOT NULL,
    term                TEXT,
    hits                INTEGER,
    evidence_passage_id INTEGER REFERENCES passages(id) ON DELETE SET NULL,
    evidence_page       INTEGER,
    evidence_text       TEXT,
    evidence_start      INTEGER,
    evidence_end        INTEGER,
    coder               TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    superseded          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_variable_values_current
    ON case_variable_values(review_id, variable, superseded);
