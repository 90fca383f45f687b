-- Referrals (issue 18; docs/referrals.md): safeguarding concerns referred
-- through storfa or imported from a local authority's own case system, the
-- decisions and steps that followed with their dates, and what the referrer
-- was told.
--
-- referrals: one row per referral. reference is issued on submission (NULL
-- while a draft; UNIQUE allows many NULLs on both databases), random so it
-- reveals nothing. Personal details (subject_name, subject_dob,
-- household_address) are held only for referrals made through the form, which
-- requires them; imported rows carry only the pseudonymous child_key and
-- household_key the importing area supplies. child_key and household_key link
-- referrals about the same child or household (repeat referrals; earlier
-- referrals on the receiving team's view). Lists are JSON arrays.
--
-- referral_events: decisions (nfa, early_help, care_support,
-- strategy_meeting, s47) and later steps with the date each happened and,
-- for strategy meetings held and Section 47 enquiries completed, whether it
-- was within timescale. Deleted with their referral.
--
-- referral_notices: feedback shown to the referrer in storfa (and e-mailed
-- to referrer_email, the work address the referrer gave for feedback).
--
-- referral_receivers: which organisation receives referrals for a local
-- authority area (its duty team, hub or MASH).

CREATE TABLE referral_receivers (
    local_authority TEXT PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    updated_at      TEXT NOT NULL
);

CREATE TABLE referrals (
    id                INTEGER PRIMARY KEY,
    reference         TEXT UNIQUE,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'decided')),
    origin            TEXT NOT NULL CHECK (origin IN ('form', 'import')),
    import_batch      TEXT,
    external_id       TEXT,
    referrer_user_id  INTEGER REFERENCES users(id),
    referrer_org_id   INTEGER REFERENCES organisations(id),
    referrer_email    TEXT,
    source            TEXT,
    receiving_org_id  INTEGER REFERENCES organisations(id),
    local_authority   TEXT,
    subject_type      TEXT NOT NULL DEFAULT 'child',
    subject_name      TEXT,
    subject_dob       TEXT,
    household_address TEXT,
    household_members TEXT,
    child_key         TEXT,
    household_key     TEXT,
    categories        TEXT NOT NULL DEFAULT '[]',
    natures           TEXT NOT NULL DEFAULT '[]',
    observed          TEXT,
    actions_taken     TEXT,
    received_on       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE INDEX referrals_area_received ON referrals (local_authority, received_on);
CREATE INDEX referrals_child ON referrals (child_key);
CREATE INDEX referrals_household ON referrals (household_key);
CREATE INDEX referrals_receiving ON referrals (receiving_org_id, status);
CREATE INDEX referrals_referrer ON referrals (referrer_user_id);
CREATE INDEX referrals_updated ON referrals (updated_at);

CREATE TABLE referral_events (
    id               INTEGER PRIMARY KEY,
    referral_id      INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    on_date          TEXT NOT NULL,
    within_timescale INTEGER,
    note             TEXT,
    actor            TEXT NOT NULL,
    at               TEXT NOT NULL
);

CREATE INDEX referral_events_referral ON referral_events (referral_id, on_date);

CREATE TABLE referral_notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);

CREATE INDEX referral_notices_user ON referral_notices (user_id, read_at);
