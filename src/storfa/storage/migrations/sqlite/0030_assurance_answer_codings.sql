-- Free-text answers coded with a codebook (issue 17; docs/assurance.md,
-- "Coding free-text answers"), from two sources: a self-evaluation return's
-- question (source 'selfeval': return_id, question_key the question's key)
-- and a practitioner survey's cell (source 'survey': survey_id, respondent_row
-- the respondent's 1-based row among the survey's stored rows, question_key
-- the file's column name). A survey's rows never change once imported, so
-- (survey_id, respondent_row, column) names one answer for good, and a survey is
-- anonymous: nothing else about the respondent is kept here.
-- code and theme are the codebook's (storfa.coding), how says where the
-- coding came from (manual, or an accepted auto-coding suggestion: model or
-- term, with its confidence). answer keeps the text as it was coded, since a
-- reopened return's answer can change. A coding is withdrawn by setting
-- removed_by/removed_at, never deleted; at most one current coding of an
-- answer with a code. Each change is audited in the same transaction.

CREATE TABLE assurance_answer_codings (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL DEFAULT 'selfeval' CHECK (source IN ('selfeval', 'survey')),
    return_id    INTEGER REFERENCES assurance_selfeval_returns(id) ON DELETE CASCADE,
    survey_id    INTEGER REFERENCES assurance_surveys(id) ON DELETE CASCADE,
    respondent_row   INTEGER,
    question_key TEXT NOT NULL,
    codebook     TEXT NOT NULL,
    code         TEXT NOT NULL,
    theme        TEXT NOT NULL DEFAULT '',
    how          TEXT NOT NULL CHECK (how IN ('manual', 'model', 'term')),
    confidence   REAL,
    answer       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    removed_by   TEXT,
    removed_at   TEXT,
    CHECK ((source = 'selfeval' AND return_id IS NOT NULL AND survey_id IS NULL
            AND respondent_row IS NULL)
        OR (source = 'survey' AND survey_id IS NOT NULL AND respondent_row >= 1
            AND return_id IS NULL))
);
CREATE INDEX assurance_answer_codings_return
    ON assurance_answer_codings (return_id, codebook, id);
CREATE UNIQUE INDEX assurance_answer_codings_current
    ON assurance_answer_codings (return_id, question_key, codebook, code)
    WHERE removed_at IS NULL AND source = 'selfeval';
CREATE INDEX assurance_answer_codings_survey
    ON assurance_answer_codings (survey_id, codebook, id);
CREATE UNIQUE INDEX assurance_answer_codings_survey_current
    ON assurance_answer_codings (survey_id, respondent_row, question_key, codebook, code)
    WHERE removed_at IS NULL AND source = 'survey';
