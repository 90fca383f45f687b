-- Indexes for counting the referral indicators in SQL (issue 18;
-- docs/referrals.md, "How the indicators are counted").
--
-- referrals_child_received: the repeat-referral rule looks up, for each
-- referral, an earlier one about the same child within the 12 months before;
-- with the date in the index that is one range probe. It replaces
-- referrals_child, which is its prefix.
--
-- referrals_received: a period's cohort is a range of receipt dates across
-- every local authority, which referrals_area_received (area first) cannot
-- serve.

CREATE INDEX referrals_child_received ON referrals (child_key, received_on);
DROP INDEX referrals_child;
CREATE INDEX referrals_received ON referrals (received_on);

-- referral_changes: a version per month of receipt, raised in the same
-- transaction as any change to a submitted referral received that month (a
-- submission, an import, a decision or step, a deletion). A period's counts
-- depend only on referrals received from 12 months before it to its end, so
-- the sum of those months' versions tells whether counts held in memory
-- (storage/sql/referrals.py) are still the database's.
CREATE TABLE referral_changes (
    month   TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
