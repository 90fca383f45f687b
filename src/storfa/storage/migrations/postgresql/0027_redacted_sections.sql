-- Redaction that holds, for headings too (issue 19; docs/disclosure.md).
--
-- A passage's section is the path of the headings above it ("Background >
-- Jane Evans's family"). When a redaction touches a heading, every passage
-- under it needs its section as published, because the search index (the
-- section: filter) and search hits read it. redacted_passages.section holds
-- that path (NULL: the section is not redacted); such a passage gets a row
-- even when its own text is unchanged (then text is the original text).
-- Readers COALESCE(x.section, p.section) exactly as they do the text.

ALTER TABLE redacted_passages ADD COLUMN section TEXT;
