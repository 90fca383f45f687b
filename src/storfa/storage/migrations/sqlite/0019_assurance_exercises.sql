-- Assurance exercises a board runs with its agencies (issue 17;
-- docs/assurance.md): multi-agency case-file audits and self-evaluations.
--
-- assurance_audits: a board's case-file audit; questions is a JSON list of
-- {key, text, theme}; status open → published (agencies then see results).
-- assurance_audit_cases: cases by a reference only, never a name.
-- assurance_audit_assignments: which agencies (organisations) audit a case.
-- assurance_audit_grades: append-only; an agency's current grade for a
-- question of a case is its row with the highest id.
--
-- assurance_selfevals: a board's self-evaluation; design is a JSON list of
-- sections, each with questions; status design → sent → published.
-- assurance_selfeval_returns: one per agency the self-evaluation was sent
-- to; version bumped by every change, like the 12 Cs returns.
-- assurance_selfeval_answers: append-only, tagged with the version; a
-- section's self-score is stored under the key "score:SECTION".
-- assurance_selfeval_files: evidence uploads; bytes in the blob store.

CREATE TABLE assurance_audits (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    questions       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'published')),
    actor           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX assurance_audits_org ON assurance_audits(organisation_id, id);

CREATE TABLE assurance_audit_cases (
    id         INTEGER PRIMARY KEY,
    audit_id   INTEGER NOT NULL REFERENCES assurance_audits(id) ON DELETE CASCADE,
    reference  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (audit_id, reference)
);

CREATE TABLE assurance_audit_assignments (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES assurance_audit_cases(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    UNIQUE (case_id, organisation_id)
);
CREATE INDEX assurance_audit_assignments_org ON assurance_audit_assignments(organisation_id);

CREATE TABLE assurance_audit_grades (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES assurance_audit_cases(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    question_key    TEXT NOT NULL,
    grade           TEXT NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX assurance_audit_grades_case ON assurance_audit_grades(case_id, organisation_id, id);

CREATE TABLE assurance_selfevals (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    design          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('design', 'sent', 'published')),
    actor           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX assurance_selfevals_org ON assurance_selfevals(organisation_id, id);

CREATE TABLE assurance_selfeval_returns (
    id              INTEGER PRIMARY KEY,
    selfeval_id     INTEGER NOT NULL REFERENCES assurance_selfevals(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    submitted_at    TEXT,
    submitted_by    TEXT,
    UNIQUE (selfeval_id, organisation_id)
);
CREATE INDEX assurance_selfeval_returns_org ON assurance_selfeval_returns(organisation_id);

CREATE TABLE assurance_selfeval_answers (
    id           INTEGER PRIMARY KEY,
    return_id    INTEGER NOT NULL REFERENCES assurance_selfeval_returns(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    value        TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX assurance_selfeval_answers_return ON assurance_selfeval_answers(return_id, id);

CREATE TABLE assurance_selfeval_files (
    id           INTEGER PRIMARY KEY,
    return_id    INTEGER NOT NULL REFERENCES assurance_selfeval_returns(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    filename     TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX assurance_selfeval_files_return ON assurance_selfeval_files(return_id, id);
