-- The type of each redacted finding (issue 19; docs/disclosure.md).
--
-- Fields without offsets into the text (a title, metadata, a recommendation,
-- a memo) are redacted by the words the version's spans redact. A person's
-- name is redacted there by its parts too ("Smith" and "Jane" alone, for the
-- finding "Jane Smith"), so the redaction needs to know which spans are
-- names: finding_type is the finding's type (person_name, address, ...),
-- written by disclosure/redaction.refresh with the spans.
--
-- Spans stored before this migration: a decided name finding's type is read
-- back from its decision's id (REVIEW@vN:TYPE:START-END), and a span whose
-- replacement is the check's "Person X" (a finding decided by a term on the
-- review's list) is a person's name; the rest get their type at the
-- version's next refresh (a decision or a term change).

ALTER TABLE redaction_spans ADD COLUMN finding_type TEXT NOT NULL DEFAULT '';

UPDATE redaction_spans SET finding_type = 'person_name'
WHERE substr(replacement, 1, 7) = 'Person ' AND length(replacement) = 8;

UPDATE redaction_spans SET finding_type = 'person_name'
WHERE EXISTS (SELECT 1 FROM disclosure_decisions d
              WHERE d.version_id = redaction_spans.version_id
                AND substr(d.finding_id, length(d.finding_id) - length(
                        ':person_name:' || redaction_spans.start || '-' || redaction_spans."end") + 1)
                    = ':person_name:' || redaction_spans.start || '-' || redaction_spans."end");

UPDATE redaction_spans SET finding_type = 'practitioner_name'
WHERE EXISTS (SELECT 1 FROM disclosure_decisions d
              WHERE d.version_id = redaction_spans.version_id
                AND substr(d.finding_id, length(d.finding_id) - length(
                        ':practitioner_name:' || redaction_spans.start || '-' || redaction_spans."end") + 1)
                    = ':practitioner_name:' || redaction_spans.start || '-' || redaction_spans."end");
