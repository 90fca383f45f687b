-- Strengths and areas for development of a triangulated theme (issue 17;
-- docs/assurance.md, "Triangulation"), as a person edited them from the
-- draft storfa writes from the evidence. Append-only: the row with the
-- highest id for an organisation and theme is the current text, so every
-- earlier wording is kept; each save is audited in the same transaction.
-- theme is the theme as typed, folded to lower case with single spaces.

CREATE TABLE assurance_triangulation_notes (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    theme           TEXT NOT NULL,
    strengths       TEXT NOT NULL,
    areas           TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX assurance_triangulation_notes_theme
    ON assurance_triangulation_notes (organisation_id, theme, id);
