-- Disclosure decisions (issue 19 item 2; docs/disclosure.md).
--
-- disclosure_decisions: an editor's decision about one finding of the
-- disclosure check, kept with the version it was made on (a finding's id,
-- REVIEW@vN:TYPE:START-END, is stable only for that version's text). One row
-- per finding: a changed decision replaces the row, and the audit log keeps
-- every decision ever made. decision is accepted (use the suggested
-- replacement), rejected (not identifying; leave it) or edited (use
-- replacement, the editor's own text).
--
-- disclosure_terms: words an editor adds to a review's own list (a surname),
-- caught everywhere they occur in every version of the review. term_key is
-- the casefolded term, so "Evans" and "EVANS" are one entry.

CREATE TABLE disclosure_decisions (
    id          INTEGER PRIMARY KEY,
    version_id  INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    finding_id  TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'edited')),
    replacement TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    UNIQUE (version_id, finding_id)
);

CREATE TABLE disclosure_terms (
    id        INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    term      TEXT NOT NULL,
    term_key  TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    UNIQUE (review_id, term_key)
);
