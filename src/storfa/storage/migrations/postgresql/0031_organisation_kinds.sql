-- What each organisation is (issue 17; docs/assurance.md, "Who may do what"):
-- a national team, a regional safeguarding board, or an agency (health,
-- police, a council's service, a school). Assurance access follows it: an
-- agency sees its own returns, never another board's or the national
-- comparison; only national teams (and administrators) see the aggregates.
--
-- `board` keeps its meaning for boards (their region); for an agency it is
-- the region of the board it works with, if known; a national team has none.
--
-- Organisations stored before this migration keep what they were read as:
-- a board where a board region is set, else national. Agencies stored as
-- organisations without a region are then national until someone says
-- otherwise (`storfa orgs set NAME --kind agency [--board REGION]`).

ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'national'
    CHECK (kind IN ('national', 'board', 'agency'));

UPDATE organisations SET kind = 'board' WHERE board IS NOT NULL AND board <> '';
