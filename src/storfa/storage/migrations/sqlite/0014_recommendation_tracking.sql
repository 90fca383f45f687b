-- Recommendations register, part 2 (docs/recommendations.md): editor
-- corrections that survive re-extraction, theme coding, evidence files.
--
-- corrected = 1 marks a row a person edited, split, merged or made: an
-- extraction never overwrites, supersedes or revives it. origin_number keeps
-- the number the extractor gave the row before a person changed it, so a
-- re-extraction still recognises the row by (origin number, text_key) and
-- does not add the original text again beside the correction. merged_into
-- names the row a merged-away recommendation became part of. themes holds
-- the cpr-learning codes the register coded the text to (JSON list).

ALTER TABLE recommendations ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recommendations ADD COLUMN origin_number TEXT;
ALTER TABLE recommendations ADD COLUMN merged_into INTEGER;
ALTER TABLE recommendations ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';

-- Evidence files attached to a progress note (a recommendation_history row).
-- The bytes live in the blob store under their SHA-256, like originals.
CREATE TABLE recommendation_attachments (
    id                INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
    history_id        INTEGER REFERENCES recommendation_history(id) ON DELETE SET NULL,
    filename          TEXT NOT NULL,
    media_type        TEXT NOT NULL,
    size              INTEGER NOT NULL,
    sha256            TEXT NOT NULL,
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL
);
CREATE INDEX recommendation_attachments_rec ON recommendation_attachments(recommendation_id, id);
