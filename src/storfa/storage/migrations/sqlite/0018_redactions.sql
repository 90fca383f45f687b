-- Redaction that holds (issue 19 item 3; docs/disclosure.md).
--
-- redaction_spans: the mapping from a version's text to its published
-- (redacted) rendition: every accepted or edited disclosure finding as
-- [start, end) in the version's full text and the text that stands in for
-- it. Rewritten whole whenever the version's decisions or the review's own
-- terms change (disclosure/redaction.py).
--
-- redacted_passages: the redacted text of each passage that holds a span.
-- The search index, snippets and embeddings read COALESCE(this, passages.text),
-- so what is indexed and shown in search is the published rendition; the
-- passages table keeps the original for the review's editors.

CREATE TABLE redaction_spans (
    version_id  INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    replacement TEXT NOT NULL,
    PRIMARY KEY (version_id, start)
);

CREATE TABLE redacted_passages (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    text       TEXT NOT NULL
);
CREATE INDEX redacted_passages_version ON redacted_passages(version_id);
