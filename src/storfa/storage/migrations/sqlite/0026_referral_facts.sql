-- Each referral's derived facts, kept on its row (issue 18; docs/referrals.md,
-- "How the indicators are counted"): a year's indicator table becomes one
-- GROUP BY over the referrals received in it, with nothing joined or probed.
--
-- is_repeat: 1 when another submitted referral about the same child
-- (child_key) was received from the same day twelve months before up to the
-- day before (29 February looks back to 28 February); 0 for a draft.
-- first_decision, first_decision_on: the first decision event by (on_date,
-- id), the referral's outcome; NULL while it awaits one.
-- has_*: 1 when the referral has an event of that kind: a strategy meeting
-- held (has_strategy_within: one held within timescale), a Section 47
-- enquiry, completed (has_s47_within: within timescale), an initial child
-- protection conference, registration, a care and support plan, looked
-- after, a step-down.
--
-- Every write that can change them derives them again in its own
-- transaction (storage/sql/referrals.py, derive_sql): a submission and an
-- import (the referral and every other about the same child, since an
-- earlier referral stored later makes a later one a repeat), a decision or
-- step, an expiry. The back-fill below is that same statement over every
-- submitted referral; tests/test_referral_facts.py holds the two equal.

ALTER TABLE referrals ADD COLUMN is_repeat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN first_decision TEXT;
ALTER TABLE referrals ADD COLUMN first_decision_on TEXT;
ALTER TABLE referrals ADD COLUMN has_strategy_held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_strategy_within INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_s47 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_s47_completed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_s47_within INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_icpc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_registration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_care_support_plan INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_looked_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN has_step_down INTEGER NOT NULL DEFAULT 0;

-- The back-fill runs in ranges of ids, each in its own transaction, so a
-- large store's upgrade shows progress and can be interrupted and run again
-- (storage/migrations/runner.py). A store that applied this migration before
-- it was batched is not affected: a migration is applied once, by version.
-- storfa:batched referrals
UPDATE referrals SET
    is_repeat = CASE WHEN referrals.status <> 'draft' AND EXISTS (
        SELECT 1 FROM referrals p WHERE p.child_key = referrals.child_key
        AND p.status <> 'draft' AND p.received_on < referrals.received_on
        AND p.received_on >= CASE WHEN substr(referrals.received_on, 6, 5) = '02-29' THEN printf('%04d-02-28', substr(referrals.received_on, 1, 4) - 1) ELSE printf('%04d', substr(referrals.received_on, 1, 4) - 1) || substr(referrals.received_on, 5) END)
        THEN 1 ELSE 0 END,
    (first_decision, first_decision_on) = (
        SELECT e.kind, e.on_date FROM referral_events e
        WHERE e.referral_id = referrals.id AND e.kind IN ('nfa', 'early_help', 'care_support', 'strategy_meeting', 's47')
        ORDER BY e.on_date, e.id LIMIT 1),
    (has_strategy_held, has_strategy_within, has_s47, has_s47_completed, has_s47_within, has_icpc, has_registration, has_care_support_plan, has_looked_after, has_step_down) = (
        SELECT COALESCE(MAX(CASE WHEN e.kind = 'strategy_held' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 'strategy_held' AND e.within_timescale = 1 THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 's47' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 's47_completed' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 's47_completed' AND e.within_timescale = 1 THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 'icpc' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 'registration' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 'care_support_plan' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 'looked_after' THEN 1 ELSE 0 END), 0), COALESCE(MAX(CASE WHEN e.kind = 'step_down' THEN 1 ELSE 0 END), 0)
        FROM referral_events e WHERE e.referral_id = referrals.id)
WHERE status <> 'draft' AND id > ? AND id <= ?;

-- referrals_counting: everything the counting reads, in receipt-date order,
-- so a period is one range of this index and the table is not read (an
-- index-only scan): the count grows with the period's referrals, not with
-- the years stored. It replaces referrals_received, which is its prefix.
CREATE INDEX referrals_counting ON referrals (received_on, status, local_authority, source, is_repeat, first_decision, has_strategy_held, has_strategy_within, has_s47, has_s47_completed, has_s47_within, has_icpc, has_registration, has_care_support_plan, has_looked_after, has_step_down, categories, natures);
DROP INDEX referrals_received;
