-- PostgreSQL full-text search over storfa's own lexemes (STORFA_SEARCH_ENGINE=postgres).
-- storfa.search.fts_postgres fills `lexemes` in Python from the shared
-- tokenizer and stemmer (storfa.search.analysis), so PostgreSQL matches
-- exactly what the Tantivy index matches. NULL means "not analysed yet".
-- Statements are separated by a semicolon at the end of a line.
ALTER TABLE passages ADD COLUMN lexemes tsvector;
CREATE INDEX passages_lexemes ON passages USING GIN (lexemes);
-- What the next sync still has to analyse (small: new passages, and
-- passages of superseded versions, which are never searched).
CREATE INDEX passages_lexemes_missing ON passages (version_id) WHERE lexemes IS NULL;
