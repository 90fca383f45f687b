-- Renditions (issue 16 item 6; docs/architecture.md): more files of one
-- review version's text, e.g. the DOCX of a report stored as a PDF. The
-- version's own source file (review_versions.source_file_id) is the one read:
-- its text, pages and passages are what the reader, search and page citations
-- use. A rendition adds a downloadable file only; similarity is the word
-- overlap with the version's text that made it a rendition (ingest/renditions.py).

CREATE TABLE renditions (
    id             INTEGER PRIMARY KEY,
    version_id     INTEGER NOT NULL REFERENCES review_versions(id) ON DELETE CASCADE,
    source_file_id INTEGER NOT NULL REFERENCES source_files(id),
    page_count     INTEGER NOT NULL,
    similarity     REAL NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (version_id, source_file_id)
);
CREATE INDEX renditions_source_file ON renditions(source_file_id)
