-- The review quality checklist's result per review version (issue 20;
-- docs/analysis.md, "Quality checklist"). Derived data: computed when first
-- needed (or by `storfa analyse quality`) from the version's passages and
-- the review's metadata, then read instead of recomputed on every view.
--
-- checklist names the rules the result was computed with (the code's
-- version constant and a digest of the checklist and lexicon files), so a
-- change of rules misses the cache instead of serving old results.
-- metadata_stamp is the review's highest metadata_values id when computed:
-- a corrected date or board inserts a new row, so the stamp moves on and
-- the cached result is no longer used. A new version has a new version_id.
-- result is the per-review JSON document of `storfa analyse quality --json`.

CREATE TABLE review_quality (
    version_id     BIGINT NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    checklist      TEXT NOT NULL,
    metadata_stamp BIGINT NOT NULL,
    result         TEXT NOT NULL,
    computed_at    TEXT NOT NULL,
    PRIMARY KEY (version_id, checklist)
);
