"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round 9), on an
English Local Child Safeguarding Practice Review about CHILD CRIMINAL
EXPLOITATION (county lines) whose good practice is mostly in an APPENDIX
TABLE "What worked well, agency by agency" and which ends with a SECOND
APPENDIX TABLE, the partnership's ACTION PLAN, whose rows are actions and
progress notes and not the review's recommendations, of the single-case
auto-coding threshold and the document-reading rules chosen on the written
reviews before it.

`tests/data/written-cceplr/cceplr-written-2026.md` is a WRITTEN Local Child
Safeguarding Practice Review (fictional: no real case or person) for the
Eastmere Safeguarding Children Partnership (a fictional English
partnership), about Child R, 15, of mixed White British and Black Caribbean
heritage, who lived with his mother Ms T and his sister in Eastmere and was
found by Northwold Police on 14 March 2024 with stab wounds and a head
injury in a trap house in Hollinsford, another county, run by a county line
from Eastmere. Seven missing episodes (the first five graded low risk, their
return home interviews late, at the office, by rota; the sixth's, on 22
October 2023, done well by a worker he knew, at a place he chose), the
academy's referral naming criminal exploitation passed to early help, a move
to a pupil referral unit on three mornings a week after a knife was found,
an education welfare officer who kept coming back, a strategy meeting well
attended but with a plan without a lead, a National Referral Mechanism
referral (detailed, ten weeks late; a positive reasonable grounds decision
practitioners did not know of; nine months' wait for the conclusive one), an
arrest by British Transport Police at Eastmere station and a reachable
moment in custody missed (released at 1.55am in a taxi), an emergency
department nurse's curiosity, and intelligence shared between the two
forces but not with children's services. Where it differs from the written
reviews before it (the appendix table of the Extended CPR "appx", the
English LCSPRs "lcspr" and "dear", the nearest):

- the cover: the partnership's name (a paragraph), "Local Child
  Safeguarding Practice Review: Child R" (the only level-1 heading), the
  subtitle "Child criminal exploitation and county lines", "Independent lead
  reviewer: ...", "Report signed off by the Eastmere safeguarding partners:
  5 February 2025", "Published: 20 March 2025"; no number, no contents;
- numbered sections, paragraphs not: "1. Introduction" (the injury of 14
  March 2024; the National Panel notified 15 March and the referral to the
  Partnership's Safeguarding Practice Review Group 18 March 2024; the rapid
  review 4 April; the partners' decision 10 April and the National Panel's
  agreement 2 May), "2. Methodology" (the reviewer and panel; the period
  "from 3 April 2023 ... to 14 March 2024"; a lead-in and TEN AGENCY
  BULLETS; the learning event 16 October 2024, its practitioners praised;
  Ms T met twice, R's own words; a limitation; the panel's agreement 9
  January 2025 and the partners' sign-off 5 February 2025), "3. R's family
  and the voice of his mother" (six paragraphs, Ms T's words, one praising
  the education welfare officer: "She kept coming back ..."), "4. Key events"
  (twelve paragraphs of facts, the referrals among them);
- "5. Analysis", a preamble and FIVE themed sub-headings ("Missing episodes
  and return home interviews", "Education and the education welfare
  officer", "Recognising exploitation: the National Referral Mechanism",
  "Arrest, custody and a reachable moment", "Working across the county
  border"): practice named as good ("was different, and was good practice",
  "This was good practice", "stands out", "was well supported", "The review
  commends their practice", "This co-operation between the two forces was
  good practice"), stated through what was done (the record sent the same
  afternoon, Ms T kept informed, the thorough risk assessment, the joint
  working after R was found), mixed ("well attended ... But the plan ...",
  "detailed and well evidenced ... It was, however, made ten weeks after
  ..."), two "It would have been good practice ...", one change "Since the
  rapid review, ...", poor practice, FIVE concessions ("The reviewer
  recognises / accepts / appreciates that ... However / But ..."), what
  practitioners said at the learning event;
- "6. Learning from other reviews": the National Panel's "It was hard to
  escape" (2020) described and set against R's story, the Exploitation Hub
  and training set up in 2021 on its learning (practice shaped by earlier
  reviews), the Partnership's own 2022 thematic recommendation NOT put into
  practice, two neighbouring reviews;
- "7. Findings and learning": "The review has five findings.", five
  "Finding n: ..." paragraphs (Finding 2 states what makes a return home
  interview work: learning, not practice), and a closing remark that
  "practitioners ... went to great lengths" (general, no practice named);
- "8. Recommendations": an introduction (no colon) and SIX NUMBERED
  PARAGRAPHS "Recommendation n: ..." to named agencies: 1 Eastmere County
  Council, 2 Eastmere Police AND British Transport Police (joint), 3 Eastmere
  County Council Education Service, 4 the Partnership, a lead-in "should
  ensure that:" over TWO BULLETS, 5 NHS Eastmere Integrated Care Board, 6
  the Partnership ("should write to the Home Office ... by December 2025");
- "Appendix 1: What worked well, agency by agency": a lead-in, the TABLE
  "Agency | What worked well" of TEN ROWS, nine of them practice (each a
  sentence or two of what was done) and the tenth, "R's GP practice | R was
  not seen by the practice ... The practice responded promptly and fully to
  the review's request for information.", praise of help given to the
  REVIEW, not practice in the case;
- "Appendix 2: Action plan": a lead-in, the TABLE "Action | Lead |
  Timescale | Progress" of SEVEN ROWS, imperative actions ("Revise ...",
  "Agree ...", "Write to the Home Office ...") with leads, month timescales
  and progress ("Completed in January 2025 ...", "Not yet started"), and a
  closing paragraph: none of them the review's recommendations.

Its labels (`cceplr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 133 passages,
25 practice, 8 recommendation (the six, recommendation 4's lead-in and its
two bullets), 100 other. As the earlier modules': practice where the
reviewer presents some practice as good, however implicitly or mixed with
criticism; a table row labelled as a reader would label the whole row.
Codes: in the analysis, the return home interview of 22 October 2023
Positive working relationships; the worker's record sent the same afternoon
Record keeping; the two "It would have been good practice" Suggested good
practice; the change since the rapid review Learning from past reviews; the
designated safeguarding lead's referral and her call to the Front Door
Escalating concerns; the education welfare officer's visits, notes and
library Persistency in care and support; her keeping Ms T informed and
following up Consistent and persistent communication; the strategy meeting
(mixed) Multi-agency working; the social worker's supervision Support and
training for practitioners; the NRM referral (mixed) Record keeping; the
transport police officers' questions Risk assessment; the youth justice
risk assessment Risk assessment; the two forces' co-operation and the
response after R was found Multi-agency working; the Exploitation Hub set up
on the national review's learning Learning from past reviews. In the
appendix, the rows: children's social care's joint visits and sharing
Multi-agency working, the education welfare officer Persistency in care and
support, the academy's chronology Record keeping, Pathways' interview
Positive working relationships, Eastmere Police's regrading Risk
assessment, British Transport Police's child at risk report Escalating
concerns, the youth justice case manager's continuity Consistent care and
support, the emergency department nurse Risk assessment, Northwold Police's
daily calls to Ms T Effective communication. Other: the cover, the
introduction, the methodology (the learning event's practitioners praised
included), the family's words (Ms T's praise of the education welfare
officer included, as the earlier modules' family's words), the key events,
the preamble, poor practice, concessions, what practitioners said, the
national and local reviews, the findings and the closing remark, the GP
practice's row, the table headers, the lead-ins, and the whole action plan
(its rows, "Completed ..." among them, are the partnership's response).

What a user would expect of its identity, decided before the reading: type
CSPR; no variant; no identifier (no "Recommendation 1", "Finding 1" or
"Year 9" is one), so the key is the file's name; the board the partnership
("Eastmere Safeguarding Children Partnership"), no Welsh board; year 2025
(publication); dates: index incident 2024-03-14 (R found; not the arrest of
2 December 2023 or the emergency department visit), referral 2024-03-18 (to
the Safeguarding Practice Review Group; not the notification of 15 March or
the academy's referral of June 2023), period 2023-04-03 to 2024-03-14,
learning event 2024-10-16, sign-off 2025-02-05 (the partners'; not the
panel's 9 January 2025), publication 2025-03-20. Recommendations: six, 4 in
two parts each with its lead-in, to the agencies named (2 to both police
forces; 6 the Partnership's, not the Home Office's), 6 due December 2025,
nothing else recorded (not the action plan's rows, not an appendix row, not
"It would have been good practice", not a finding).

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt9
as it was, HEAD 24c819c; STORFA_INT8=u8; by the machine's clock the session
began 12:35:40, the document was written 12:37:43, the labels written
12:37:52, the document and labels copied into tests/data in one `cp`
12:37:53, this module written before any reading (ruff-clean 12:39:04),
storfa first run 12:39:04-12:39:21; the PDF's passages, the register and
the index incident's evidence printed 12:39:32-12:40:37, on the same tree),
the same from the Markdown and from the PDF unless said:

- segmentation: the Markdown 133 passages, all as written (each table row a
  passage, the recommendations paragraphs, recommendation 4's bullets list
  items); the PDF 137: both tables' headers read as paragraphs ("Agency
  What worked well", "Action Lead Timescale Progress") and the action
  plan's first row, its cells wrapped over five lines, read as five rows;
  the rest as written (the label join carries the lead-in's "other" to the
  action plan's pieces, so the PDF's figures are measured as the
  Markdown's);
- identity: type CSPR, no variant, no identifier (key
  "cceplr-written-2026"), board "Eastmere Safeguarding Children
  Partnership", year 2025, all right; referral 2024-03-18, period
  2023-04-03 to 2024-03-14, learning event 2024-10-16, sign-off 2025-02-05,
  publication 2025-03-20, all right; index incident WRONG: 2023-08-01 (from
  "R was found in Hollinsford twice before he was injured: in August 2023
  ..."; right: 2024-03-14);
- recommendations: every recommendation found, numbered 1, 2, 3, 4a, 4b, 5,
  6, each bullet completed by its lead-in, every recommendation passage
  read; addressees all right (2 to both forces, 6 the Partnership's, not
  the Home Office's); due dates none (WRONG for 6, "by December 2025").
  From the Markdown 14 records: the ACTION PLAN'S SEVEN ROWS recorded as
  recommendations 7-13, each to its Lead cell (WRONG: 7 extra); from the
  PDF 7 records, nothing extra;
- auto-coding at the single-case threshold (0.49 as reported): from the
  Markdown 26 suggestions, 21 of the 25 practice passages, precision 0.81,
  recall 0.84 (floors and the 0.70 judged bar held), the same sub-theme on
  14 of 21, the same theme on 18 of 21 (0.86); from the PDF 31
  suggestions, 25 of 25, precision 0.81, recall 1.00, the same sub-theme
  on 15 of 25, the same theme on 20 of 25 (0.80). Wrong (both readings):
  R at primary school (0.68), Ms T's first words (0.62), the return home
  interviews measured against the guidance (0.87), the reasonable grounds
  decision practitioners did not know of (0.55), "Much of what the national
  review described is seen in R's story" (0.88); from the PDF also the GP
  practice's help to the review (0.93). Missed (Markdown only): four rows
  of what worked well (the education welfare service 0.19, Pathways 0.04,
  Eastmere Police 0.01, British Transport Police 0.03; from the PDF all
  four found). Themes that differ: the NRM referral (Multi-agency working;
  Record keeping), the Exploitation Hub set up on the national review's
  learning (Support and training; Learning from past reviews), the
  academy's chronology row (Support and training; Record keeping); from
  the PDF also the education welfare service's row (Learning from past
  reviews) and Eastmere Police's (Multi-agency working). Right: all 15 of
  the analysis' practice passages found, 14 in their label's theme, both
  "It would have been good practice" (Suggested good practice), the change
  since the rapid review (Learning from past reviews). Nothing suggested on
  the cover, a heading, the introduction, the methodology, the key events,
  a recommendation, a lead-in, a table header, the findings, the
  concessions, the action plan (its "Completed" rows included), Ms T's
  praise of the education welfare officer.

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split by reading and from what held,
and the xfails for what storfa got wrong (each its own test). On the frozen
tree (12:41:56-12:42:10) the module gave 112 passed, 20 skipped, 44
xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identity,
    labelled_records,
    lead_ins,
    never_suggested,
    no_welsh_board,
    not_identified,
    only,
    opened_by,
    opened_coded,
    opened_not_suggested,
    opened_suggested,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-cceplr"
DOCUMENT = DATA / "cceplr-written-2026.md"
INTRODUCTION = "1. Introduction"
METHODOLOGY = "2. Methodology"
FAMILY = "3. R's family and the voice of his mother"
EVENTS = "4. Key events"
ANALYSIS = "5. Analysis"
THEMES = ("Missing episodes and return home interviews",
          "Education and the education welfare officer",
          "Recognising exploitation: the National Referral Mechanism",
          "Arrest, custody and a reachable moment", "Working across the county border")
OTHER_REVIEWS = "6. Learning from other reviews"
FINDINGS = "7. Findings and learning"
RECOMMENDATIONS_HEADING = "8. Recommendations"
WORKED_WELL = "Appendix 1: What worked well, agency by agency"
ACTION_PLAN = "Appendix 2: Action plan"
PARTNERSHIP = "Eastmere Safeguarding Children Partnership"
RECOMMENDATIONS = tuple(f"Recommendation {n}:" for n in range(1, 7))
ADDRESSEES = {
    "1": ["Eastmere County Council"],
    "2": ["Eastmere Police", "British Transport Police"],
    "3": ["Eastmere County Council Education Service"],
    "4": [PARTNERSHIP],
    "5": ["NHS Eastmere Integrated Care Board"],
    "6": [PARTNERSHIP],
}
# The bullets under recommendation 4, by their openings.
BULLETS = ("every multi-agency child exploitation plan names", "a child who is found or placed")
# The rows of Appendix 1, by their agency cells: the first nine practice,
# the GP practice's (help given to the review) other.
WORKED_WELL_ROWS = (
    "Eastmere County Council Children's Social Care |",
    "Eastmere County Council Education Welfare Service |",
    "Eastmere Academy |", "Pathways Eastmere |", "Eastmere Police |",
    "British Transport Police |", "Eastmere Youth Justice Service |",
    "Eastmere Hospitals NHS Foundation Trust |", "Northwold Police |",
)
GP_ROW = "R's GP practice |"
ACTION_ROWS = ("Revise the return home interview protocol", "Agree a custody protocol",
               "Deliver briefings on the National Referral Mechanism",
               "Add the question", "Write to the Home Office about waiting times",
               "Audit the plans of children", "Publish a seven-minute briefing")

# _PDF_TABLES, a first reading since fixed (cell borders read from a table's rules): from the
# PDF 137 passages, not 133: both tables' header rows are read as paragraphs ('Agency What
# worked well', 'Action Lead Timescale Progress', no cell breaks), and the action plan's first
# row, its cells wrapped over five lines, as five rows ('Revise the return home | Eastmere
# County | June 2025 | Draft protocol', 'interview protocol so that | Council | consulted on
# with', 'interviews are offered within 72 | Pathways Eastmere;', 'hours by a named worker the |
# to the executive in', 'child knows | May 2025'); the rest as written (the Markdown: 133, all
# as written)
_FAMILY = (
    "3.'s 'R did well at primary school. He loved football and played for a local club ...' "
    "(Consistent care and support, 0.68) and 'Ms T told the reviewer that she knew something "
    "was wrong long before anyone else did. ...' (Effective communication, 0.62) are "
    "suggested, both readings; right: not suggested (the family's background and the mother's "
    "words)")
_STATUTORY = (
    "'Statutory guidance expects a return home interview to be offered within 72 hours of a "
    "child's return. For the first five episodes this did not happen ...' is suggested "
    "(Adhering to policy and procedure, 0.87), both readings; right: not suggested (poor "
    "practice measured against the guidance)")
_DECISION = (
    "'The positive reasonable grounds decision, made eight days later, should have changed how "
    "agencies saw R ... several practitioners said that they had not known about the decision "
    "...' is suggested (Risk assessment, 0.55), both readings; right: not suggested (what "
    "should have followed and did not)")
_NATIONAL = (
    "6.'s 'Much of what the national review described is seen in R's story: the move out of "
    "mainstream school, the missed reachable moment in custody, and the focus on R as an "
    "offender ...' is suggested (Escalating concerns, 0.88), both readings; right: not "
    "suggested (national learning set against the case's shortcomings)")
_GP = (
    "from the PDF 'R's GP practice | R was not seen by the practice during the period under "
    "review. The practice responded promptly and fully to the review's request for "
    "information.' is suggested (Adhering to policy and procedure, 0.93); right: not suggested "
    "(help given to the review, no practice in the case; from the Markdown 0.13, not suggested)")
_WRONG = (
    f"five passages labelled other suggested, both readings: {_FAMILY}; {_STATUTORY}; "
    f"{_DECISION}; {_NATIONAL}; and {_GP}")
_ROWS_MISSED = (
    "from the Markdown four of the nine rows of what worked well are not suggested: the "
    "education welfare service's 'The education welfare officer made eleven home visits ...' "
    "(0.19), Pathways Eastmere's 'The return home interview of 22 October 2023 was held within "
    "72 hours ...' (0.04), Eastmere Police's 'From October 2023 the missing persons "
    "coordinator looked at R's missing reports together ...' (0.01), British Transport "
    "Police's 'The officers who stopped R ... recorded their concern ... on a child at risk "
    "report' (0.03); right: all nine practice (from the PDF all nine are suggested, the "
    "same rows at 0.96, 0.81, 0.55, 0.73)")
_HUB = (
    "6.'s 'Eastmere had acted on some of the national review's learning before R's case. In "
    "2021 the Partnership set up the Exploitation Hub ... and trained the designated "
    "safeguarding lead in every secondary school ...' is read as Support and training for "
    "practitioners (0.86), both readings; right: Learning from past reviews (practice shaped "
    "by the national review), theme Learning and Reflections")
_NRM_THEME = (
    "'The social worker's referral to the National Referral Mechanism on 11 January 2024 was "
    "detailed and well evidenced ... It was, however, made ten weeks after ...' is read as "
    "Multi-agency working (0.51), both readings; right: Record keeping (a detailed, "
    "well-evidenced referral), theme Policy, Procedures and Recording")
_ACADEMY_THEME = (
    "'Eastmere Academy | The designated safeguarding lead kept a detailed, dated chronology of "
    "R's behaviour ...' is read as Support and training for practitioners (0.63 from the "
    "Markdown, 0.99 from the PDF); right: Record keeping, theme Policy, Procedures and "
    "Recording")
_PDF_ROW_THEMES = (
    "from the PDF the education welfare service's row is read as Learning from past reviews "
    "(0.96; right: Persistency in care and support, theme Care and Support) and Eastmere "
    "Police's row as Multi-agency working (0.55; right: Risk assessment, theme Risk and "
    "Escalation)")
_THEMES = (
    f"same theme on 18 of 21 from the Markdown (0.86), 20 of 25 from the PDF (0.80): "
    f"{_NRM_THEME}; {_HUB}; {_ACADEMY_THEME}; and {_PDF_ROW_THEMES}")
_MISSED = f"{_ROWS_MISSED}"
_NORTHWOLD = (
    "'Northwold Police | After R was found, a named officer telephoned Ms T every day ... and "
    "explained each step of the investigation to her in plain language.' is read as "
    "Multi-agency working (0.95 from the Markdown, 1.00 from the PDF); right: Effective "
    "communication (with the mother; the theme, Communication, right)")
_NURSE = (
    "'Eastmere Hospitals NHS Foundation Trust | The emergency department nurse noticed that R's "
    "account of how he cut his hand changed, asked to speak to him on his own, and asked him "
    "whether anyone was hurting him ...' is read as Escalating concerns (0.59 from the "
    "Markdown, 0.99 from the PDF); right: Risk assessment (professional curiosity; the theme, "
    "Risk and Escalation, right)")


read = reading(DOCUMENT, DATA / "cceplr-written-2026.tsv", "written-cceplr")


def _number(record_number: str) -> str:
    """A record's number as the recommendation's: "4a" -> "4"."""
    return record_number.rstrip("abcdefg")


def _records(read: Read, n: str) -> list[StoredRecommendation]:
    return [r for r in labelled_records(read) if _number(r.number) == n]


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the first numbered section.
    return set(range(heading_at(read, INTRODUCTION)))


def _analysis(read: Read) -> set[int]:
    return between(read, ANALYSIS, OTHER_REVIEWS) - headings(read)


def _worked_well(read: Read) -> set[int]:
    return between(read, WORKED_WELL, ACTION_PLAN)


def _action_plan(read: Read) -> set[int]:
    return set(range(heading_at(read, ACTION_PLAN) + 1, len(read.passages)))


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 133, 25, 8, 100)


# First reading, since fixed (a table's header over a body that reading order put in a column
# of its own heads the table, its first row's wrapped lines one row): from the PDF 137
# passages, not 133: both tables' header rows are read as paragraphs ('Agency What worked
# well', 'Action Lead Timescale Progress', no cell breaks), and the action plan's first row,
# its cells wrapped over five lines, as five rows ('Revise the return home | Eastmere County |
# June 2025 | Draft protocol', 'interview protocol so that | Council | consulted on with',
# 'interviews are offered within 72 | Pathways Eastmere;', 'hours by a named worker the | to
# the executive in', 'child knows | May 2025'); the rest as written (the Markdown: 133, all as
# written)
def test_the_store_holds_the_passages_that_were_labelled_from_the_pdf(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    only(read, "pdf")
    holds_the_labels(read, 133, 25, 8, 100)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_TABLES above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_analysis_has_its_five_themes(read: Read) -> None:
    found = [read.passages[s].text for s in sorted(between(read, ANALYSIS, OTHER_REVIEWS))
             if read.passages[s].kind == "heading"]
    assert found == list(THEMES), found
    assert len(_analysis(read)) == 28


def _worked_well_table(read: Read) -> None:
    # The appendix's lead-in, "Agency | What worked well", and a row per agency.
    rows = opened_by(read, *WORKED_WELL_ROWS, GP_ROW)
    (header,) = opened_by(read, "Agency | What worked well")
    assert _worked_well(read) == rows | {header, min(_worked_well(read))}
    assert all(read.passages[s].kind == "table_row" for s in rows | {header})


def test_the_worked_well_table_is_a_header_and_ten_rows(read: Read) -> None:
    only(read, "markdown")
    _worked_well_table(read)


# First reading, since fixed: _PDF_TABLES above
def test_the_worked_well_table_is_a_header_and_ten_rows_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    _worked_well_table(read)


def test_the_ten_agencies_are_ten_rows(read: Read) -> None:
    # Both readings: each agency's row a table row of its own.
    rows = opened_by(read, *WORKED_WELL_ROWS, GP_ROW)
    assert rows < _worked_well(read)
    assert all(read.passages[s].kind == "table_row" for s in rows)


def _action_plan_table(read: Read) -> None:
    rows = opened_by(read, *ACTION_ROWS)
    (header,) = opened_by(read, "Action | Lead | Timescale | Progress")
    assert len(_action_plan(read)) == 10 and rows | {header} <= _action_plan(read)
    assert all(read.passages[s].kind == "table_row" for s in rows | {header})


def test_the_action_plan_is_a_header_and_seven_rows(read: Read) -> None:
    only(read, "markdown")
    _action_plan_table(read)


# First reading, since fixed: as above (from the PDF 137 passages, not 133: both tables'
# header rows...)
def test_the_action_plan_is_a_header_and_seven_rows_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    _action_plan_table(read)


def test_the_action_plans_last_six_actions_are_rows(read: Read) -> None:
    # Both readings: all but the first (its own xfail, from the PDF).
    rows = opened_by(read, *ACTION_ROWS[1:])
    assert rows < _action_plan(read)
    assert all(read.passages[s].kind == "table_row" for s in rows)


def test_each_recommendation_is_a_paragraph_of_its_own(read: Read) -> None:
    numbered = opened_by(read, *RECOMMENDATIONS)
    bullets = opened_by(read, *BULLETS)
    assert numbered | bullets == read.seqs("recommendation")
    assert not numbered & headings(read)


# ------------------------------------------------------------------- identity
def test_the_type_is_a_cspr(read: Read) -> None:
    # "Local Child Safeguarding Practice Review: Child R".
    identity(read, type="CSPR")


def test_no_variant(read: Read) -> None:
    assert read.summary.variant is None, read.summary.variant


def test_no_identifier_is_borrowed(read: Read) -> None:
    # The review has no number: no "Recommendation 1", "Finding 1" or "Year 9"
    # is one.
    not_identified(read)


def test_the_key_is_the_files_name(read: Read) -> None:
    assert read.summary.review_id == "cceplr-written-2026", read.summary.review_id


def test_the_year_is_the_year_of_publication(read: Read) -> None:
    assert read.summary.year == 2025, read.summary.year


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_board_is_the_partnership(read: Read) -> None:
    assert read.summary.board == PARTNERSHIP, read.summary.board


# First reading, since fixed (a sentence opening on its date tells of the harm it names ('On
# 14 March 2024 Northwold Police found R, seriously injured')): index incident 2023-08-01,
# both readings, from 5.'s 'R was found in Hollinsford twice before he was injured: in August
# 2023 at the railway station, and in October 2023 at the address where he was later found.';
# right: 2024-03-14, 1.'s 'On the night of 14 March 2024 Northwold Police forced entry to a
# flat in Hollinsford ... Officers found R on the kitchen floor with stab wounds to both legs
# and a head injury.'
def test_the_index_incident_is_r_found_injured(read: Read) -> None:
    # "On the night of 14 March 2024 Northwold Police forced entry ... found R
    # on the kitchen floor with stab wounds"; not the arrest of 2 December 2023.
    assert read.summary.dates.get("index_incident") == "2024-03-14", read.summary.dates


def test_the_referral_is_to_the_review_group(read: Read) -> None:
    # "... on 18 March 2024 referred the case to the Partnership's
    # Safeguarding Practice Review Group"; not the National Panel's
    # notification (15 March) or the academy's referral of June 2023.
    assert read.summary.dates.get("referral") == "2024-03-18", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The review covers the period from 3 April 2023, when R was first
    # reported missing, to 14 March 2024, the night he was found."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-04-03", "2024-03-14"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-10-16", read.summary.dates


def test_the_sign_off_is_the_review_panels_agreement(read: Read) -> None:
    # Corrected in round 10 (the module expected, and storfa gave, the cover's
    # "Report signed off by the Eastmere safeguarding partners: 5 February
    # 2025"): the sign-off is the reviewers' (MISSION.md), here "The review
    # panel agreed the final report on 9 January 2025", as the OWHR's, the
    # WDHR's and the QADHR's panels' agreements; the partners' after it is
    # the commissioners' approval.
    assert read.summary.dates.get("sign_off") == "2025-01-09", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-03-20", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, _number)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_six(read: Read) -> None:
    print_register(read)
    numbers = [_number(r.number) for r in labelled_records(read)]
    assert sorted(set(numbers)) == ["1", "2", "3", "4", "5", "6"], numbers


def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    records = _records(read, "4")
    assert records
    for bullet in BULLETS:
        holding = [r for r in records if bullet in r.text]
        assert holding and all("Partnership should ensure" in r.text for r in holding), \
            (bullet, [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not an action plan row ("Write to the Home Office ...", "Revise ..."),
    # not an appendix row, not "It would have been good practice", not a
    # finding, not the section's introduction.
    only(read, "pdf")
    records_beyond_the_labels(read, 0)


# First reading, since fixed (an action plan's rows after the report's recommendations are its
# plan): from the Markdown the action plan's seven rows are recorded as recommendations 7-13,
# each to its Lead cell (7 'Revise the return home interview protocol ...' ['Eastmere County
# Council'], 8 'Agree a custody protocol ...' ['Eastmere Police', 'British Transport Police'],
# 9 'Deliver briefings ...', 10 'Add the question ...', 11 'Write to the Home Office ...'
# ['Partnership independent scrutineer'], 12 'Audit the plans ...', 13 'Publish a seven-minute
# briefing ...'), 14 records in all; right: none (the partnership's actions in response, not
# the review's recommendations; from the PDF none is recorded)
def test_nothing_else_is_recorded_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    only(read, "pdf")
    records_beyond_the_labels(read, 2)


# First reading, since fixed: as above (from the Markdown the action plan's seven rows are
# recorded...)
def test_the_judged_bar_on_extra_records_holds_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_action_plan(read: Read) -> None:
    only(read, "pdf")
    _no_record_from(read, "action plan", _action_plan(read))


# First reading, since fixed: as above (from the Markdown the action plan's seven rows are
# recorded...)
def test_no_record_from_the_action_plan_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    _no_record_from(read, "action plan", _action_plan(read))


def test_no_record_from_what_worked_well(read: Read) -> None:
    _no_record_from(read, "what worked well", _worked_well(read))


def test_no_record_from_the_analysis_or_the_findings(read: Read) -> None:
    _no_record_from(read, "analysis", _analysis(read))
    _no_record_from(read, "other reviews", between(read, OTHER_REVIEWS, FINDINGS))
    _no_record_from(read, "findings", between(read, FINDINGS, RECOMMENDATIONS_HEADING))


def test_no_record_from_the_introduction_to_the_key_events(read: Read) -> None:
    _no_record_from(read, "introduction to key events", between(read, INTRODUCTION, ANALYSIS))


def test_each_single_agencys_recommendation_is_to_it(read: Read) -> None:
    found = {n: [r.agencies for r in _records(read, n)] for n in ("1", "3", "5")}
    assert found == {n: [ADDRESSEES[n]] * len(found[n]) for n in found} and \
        all(found.values()), found


def test_the_joint_recommendation_is_to_both_forces(read: Read) -> None:
    # "Eastmere Police and British Transport Police should agree ...".
    found = [r.agencies for r in _records(read, "2")]
    assert found == [ADDRESSEES["2"]], found


def test_the_partnerships_recommendations_are_the_partnerships(read: Read) -> None:
    # 4 (both parts) and 6; 6 writes to the Home Office, which it is not to.
    found = {n: [r.agencies for r in _records(read, n)] for n in ("4", "6")}
    assert all(found.values()) and all(a == [PARTNERSHIP] for n in found
                                       for a in found[n]), found


def test_no_due_date_from_a_relative_time(read: Read) -> None:
    # "within 72 hours", "every four weeks", "within five working days" are no
    # dates; a due date, if any, is 6's "by December 2025".
    wrong = [(r.number, r.due_date) for r in labelled_records(read)
             if r.due_date is not None and _number(r.number) != "6"]
    assert not wrong, wrong


# First reading, since fixed (due dates read): every record's due_date is None, both readings;
# right: recommendation 6's '... and should report the reply to the safeguarding partners by
# December 2025' is its due date, 2025-12
def test_the_due_date_is_december_2025_on_the_sixth_only(read: Read) -> None:
    due = {r.number: r.due_date for r in labelled_records(read) if r.due_date}
    assert {_number(n): d[:7] for n, d in due.items()} == {"6": "2025-12"}, due


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


@pytest.mark.xfail(strict=True, reason=f"{_THEMES}; and {_MISSED}")
def test_every_practice_passage_is_suggested_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice"))


def test_the_analysis_is_in_the_labels_theme_but_the_nrm_referral(read: Read) -> None:
    # 14 of the analysis' 15 practice paragraphs, both readings.
    held = _analysis(read) & read.seqs("practice") - opened_by(
        read, "The social worker's referral to the National Referral")
    assert len(held) == 14
    suggested_in_labels_theme(read, held)


@pytest.mark.xfail(strict=True, reason=_NRM_THEME)
def test_the_nrm_referral_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(
        read, "The social worker's referral to the National Referral"))


# First reading, since fixed (the coder learnt round nine's reviews): 'Eastmere Academy | The
# designated safeguarding lead kept a detailed, dated chronology of R's behaviour ...' is read
# as Support and training for practitioners (0.63 from the Markdown, 0.99 from the PDF);
# right: Record keeping, theme Policy, Procedures and Recording
def test_the_academys_chronology_is_record_keeping(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "Eastmere Academy |"))


@pytest.mark.xfail(strict=True, reason=_NORTHWOLD)
def test_northwold_polices_calls_to_ms_t_are_effective_communication(read: Read) -> None:
    opened_coded(read, "Northwold Police |", "Effective communication")


@pytest.mark.xfail(strict=True, reason=_NURSE)
def test_the_nurses_curiosity_is_risk_assessment(read: Read) -> None:
    opened_coded(read, "Eastmere Hospitals NHS Foundation Trust |", "Risk assessment")


@pytest.mark.xfail(strict=True, reason=_WRONG)
def test_auto_coding_suggests_nothing_but_practice(read: Read) -> None:
    wrong = sorted(read.suggested.keys() - read.seqs("practice"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def _rules_out(read: Read) -> dict[str, set[int]]:
    return {
        "heading": headings(read),
        "cover": _cover(read),
        "introduction": between(read, INTRODUCTION, METHODOLOGY),
        "methodology": between(read, METHODOLOGY, FAMILY),
        "key events": between(read, EVENTS, ANALYSIS),
        "findings": between(read, FINDINGS, RECOMMENDATIONS_HEADING),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    }


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    # Both readings, the tables' headers aside (below).
    never_suggested(read, _rules_out(read))


def test_auto_coding_never_suggests_the_table_headers(read: Read) -> None:
    only(read, "markdown")
    never_suggested(read, {"table header": opened_by(
        read, "Agency | What worked well", "Action | Lead | Timescale | Progress")})


# First reading, since fixed: _PDF_TABLES above
def test_auto_coding_never_suggests_the_table_headers_from_the_pdf(read: Read) -> None:
    # As they are written: "Agency | What worked well", "Action | Lead | ...".
    only(read, "pdf")
    never_suggested(read, {"table header": opened_by(
        read, "Agency | What worked well", "Action | Lead | Timescale | Progress")})


@pytest.mark.xfail(strict=True, reason=_FAMILY)
def test_auto_coding_does_not_suggest_the_family_or_their_words(read: Read) -> None:
    # Ms T's praise of the education welfare officer ("She kept coming back
    # ...") is her word in her own section: other, as the earlier modules'.
    family = between(read, FAMILY, EVENTS)
    assert len(family) == 6 and family <= read.seqs("other")
    never_suggested(read, {"family": family})


def test_auto_coding_does_not_suggest_the_rest_of_the_family(read: Read) -> None:
    # All but R at primary school and Ms T's first words (their own xfail);
    # Ms T's praise of the education welfare officer among them.
    opened_not_suggested(read, "R is of mixed White British", "She said that the first person",
                         "Ms T described the night", "Asked what she would want")


def test_auto_coding_does_not_suggest_the_action_plan(read: Read) -> None:
    # The partnership's response: its actions, leads, timescales and progress
    # ("Completed in January 2025 ...", "Completed: published with this
    # report"), its lead-in and closing paragraph.
    plan = _action_plan(read)
    assert plan <= read.seqs("other")
    never_suggested(read, {"action plan": plan})


def test_auto_coding_does_not_suggest_the_completed_actions(read: Read) -> None:
    opened_not_suggested(read, "Add the question", "Publish a seven-minute briefing")


def test_auto_coding_finds_what_worked_well_agency_by_agency(read: Read) -> None:
    only(read, "pdf")
    opened_suggested(read, *WORKED_WELL_ROWS)


# First reading, since fixed (an appendix named for good practice ('What worked well, agency
# by agency') is a good-practice section): from the Markdown four of the nine rows of what
# worked well are not suggested: the education welfare service's 'The education welfare
# officer made eleven home visits ...' (0.19), Pathways Eastmere's 'The return home interview
# of 22 October 2023 was held within 72 hours ...' (0.04), Eastmere Police's 'From October
# 2023 the missing persons coordinator looked at R's missing reports together ...' (0.01),
# British Transport Police's 'The officers who stopped R ... recorded their concern ... on a
# child at risk report' (0.03); right: all nine practice (from the PDF all nine are suggested,
# the same rows at 0.96, 0.81, 0.55, 0.73)
def test_auto_coding_finds_what_worked_well_agency_by_agency_from_the_markdown(
        read: Read) -> None:
    only(read, "markdown")
    opened_suggested(read, *WORKED_WELL_ROWS)


_FOUND_ROWS = ("Eastmere County Council Children's Social Care |", "Eastmere Academy |",
               "Eastmere Youth Justice Service |", "Eastmere Hospitals NHS Foundation Trust |",
               "Northwold Police |")


def test_auto_coding_finds_five_rows_that_worked_well(read: Read) -> None:
    # Both readings: all but the four the Markdown's reading misses.
    opened_suggested(read, *_FOUND_ROWS)


@pytest.mark.xfail(strict=True, reason=f"{_ACADEMY_THEME}; {_PDF_ROW_THEMES}; and {_MISSED}")
def test_the_rows_that_worked_well_are_in_their_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, *WORKED_WELL_ROWS))


@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round nine's reviews (this stop): the hospital trust's row "
    "'Eastmere Hospitals NHS Foundation Trust | ...' is suggested as Positive working "
    'relationships (0.99), both readings; right: Risk assessment'))
def test_four_rows_that_worked_well_are_in_their_labels_theme(read: Read) -> None:
    # Both readings: children's social care's, the youth justice service's,
    # the hospital trust's and Northwold Police's (the last three in the
    # theme, not the sub-theme, their own xfails).
    suggested_in_labels_theme(read, opened_by(read, *(set(_FOUND_ROWS) - {
        "Eastmere Academy |"})))


@pytest.mark.xfail(strict=True, reason=(
    "Since the appendix is read as a good-practice section (this stop, which found four "
    "missed rows from the Markdown): the GP practice's row is suggested from the Markdown "
    "too (Adhering to policy and procedure, 0.93), as it was from the PDF"))
def test_auto_coding_does_not_suggest_the_gp_practices_help_to_the_review(
        read: Read) -> None:
    only(read, "markdown")
    opened_not_suggested(read, GP_ROW)


@pytest.mark.xfail(strict=True, reason=_GP)
def test_auto_coding_does_not_suggest_the_gp_practices_help_to_the_review_from_the_pdf(
        read: Read) -> None:
    only(read, "pdf")
    opened_not_suggested(read, GP_ROW)


def test_auto_coding_does_not_suggest_the_appendixs_lead_in(read: Read) -> None:
    opened_not_suggested(read, "Each agency was asked, in its reflective report")


def test_auto_coding_finds_practice_the_reviewer_names_as_good(read: Read) -> None:
    # "was different, and was good practice", "This was good practice",
    # "stands out", "was well supported", "The review commends their
    # practice", "This co-operation between the two forces was good practice".
    opened_suggested(read, "The return home interview on 22 October 2023",
                     "The academy's designated safeguarding lead noticed",
                     "The education welfare officer's work",
                     "The social worker in the Exploitation",
                     "The British Transport Police officers who stopped",
                     "R was found in Hollinsford twice")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The record sent the same afternoon, Ms T kept informed, the thorough
    # risk assessment, the joint working after R was found.
    opened_suggested(read, "The worker recorded what R said", "She also kept Ms T informed",
                     "The Youth Justice Service's case manager", "After R was found, the two")


def test_auto_coding_finds_practice_mixed_with_criticism(read: Read) -> None:
    # "well attended ... But the plan ..."; "detailed and well evidenced ...
    # It was, however, made ten weeks after ...".
    opened_suggested(read, "The strategy meeting on 25 October 2023",
                     "The social worker's referral to the National Referral")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice for the earlier",
                 "Suggested good practice")
    opened_coded(read, "It would have been good practice for the custody",
                 "Suggested good practice")


def test_auto_coding_finds_the_change_since_the_rapid_review(read: Read) -> None:
    opened_coded(read, "Since the rapid review", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_HUB)
def test_auto_coding_finds_practice_shaped_by_the_national_review(read: Read) -> None:
    opened_coded(read, "Eastmere had acted on some", "Learning from past reviews")


def test_auto_coding_finds_all_the_practice_in_the_analysis(read: Read) -> None:
    practice = _analysis(read) & read.seqs("practice")
    assert len(practice) == 15
    all_suggested(read, practice)


# First reading, since fixed (the coder learnt round nine's reviews): 'The education welfare
# officer's work with R and his mother stands out. She made eleven home visits ... she left
# him notes ... she arranged to meet him at the town library ... She did not close the case
# ...' is read as Consistent care and support (0.78), both readings; right: Persistency in
# care and support (the theme, Care and Support, right)
def test_the_education_welfare_officer_is_persistent(read: Read) -> None:
    opened_coded(read, "The education welfare officer's work", "Persistency in care and support")


def test_the_referral_is_escalation(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(
        read, "The academy's designated safeguarding lead noticed"))


@pytest.mark.xfail(strict=True, reason=_STATUTORY)
def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    opened_not_suggested(read, "R was reported missing seven times",
                         "Statutory guidance expects a return home interview",
                         "The referral was passed to early help",
                         "The move to the Kingfisher Centre in September",
                         "A period in custody can be a reachable moment",
                         "But the intelligence was not passed")


def test_auto_coding_does_not_suggest_the_rest_of_the_poor_practice(read: Read) -> None:
    # All but the return home interviews measured against the guidance (its
    # own xfail).
    opened_not_suggested(read, "R was reported missing seven times",
                         "The referral was passed to early help",
                         "The move to the Kingfisher Centre in September",
                         "A period in custody can be a reachable moment",
                         "But the intelligence was not passed")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The reviewer recognises that police missing",
                         "The reviewer accepts that the academy",
                         "R waited nine months", "The reviewer appreciates that the custody",
                         "The reviewer recognises that R was one of many")


@pytest.mark.xfail(strict=True, reason=_DECISION)
def test_auto_coding_does_not_suggest_what_practitioners_did_not_know(read: Read) -> None:
    opened_not_suggested(read, "The positive reasonable grounds decision")


@pytest.mark.xfail(strict=True, reason=f"{_STATUTORY}; and {_DECISION}")
def test_auto_coding_does_not_suggest_anything_else_in_the_analysis(read: Read) -> None:
    other = _analysis(read) & read.seqs("other")
    assert len(other) == 13
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_rest_of_the_analysis(read: Read) -> None:
    # 11 of 13: all but the two of their own xfails.
    other = _analysis(read) & read.seqs("other") - opened_by(
        read, "Statutory guidance expects a return home interview",
        "The positive reasonable grounds decision")
    assert len(other) == 11
    found = sorted(other & read.suggested.keys())
    assert not found, [(read.text(s)[:60], read.suggested[s]) for s in found]


@pytest.mark.xfail(strict=True, reason=_NATIONAL)
def test_auto_coding_does_not_suggest_the_other_reviews(read: Read) -> None:
    # "It was hard to escape" described and set against R's story, the
    # Partnership's 2022 recommendation not put into practice, the
    # neighbouring reviews.
    opened_not_suggested(read, "In 2020 the Child Safeguarding Practice Review Panel",
                         "Much of what the national review",
                         "The Partnership's own thematic review",
                         "The reviewer also considered two reviews")


def test_auto_coding_does_not_suggest_the_rest_of_the_other_reviews(read: Read) -> None:
    # All but "Much of what the national review described ..." (its own xfail).
    opened_not_suggested(read, "In 2020 the Child Safeguarding Practice Review Panel",
                         "The Partnership's own thematic review",
                         "The reviewer also considered two reviews")


def test_auto_coding_does_not_suggest_the_findings_or_the_closing_remark(read: Read) -> None:
    opened_not_suggested(read, "Finding 2: Return home interviews work",
                         "It would be wrong to conclude")
