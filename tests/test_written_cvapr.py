"""A twenty-sixth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Extended Adult Practice Review whose analysis runs under "Theme
n: ..." headings, each ending on a shaded "Good practice" box (a Markdown
blockquote of a bold title and two or three paragraphs), with a chronology
table whose last column is the reviewers' comment, of the single-case
auto-coding threshold and the document-reading rules chosen on the written
reviews before it.

`tests/data/written-cvapr/cvapr-written-2026.md` is a WRITTEN Extended Adult
Practice Review (fictional: no real case or person) for the Cardiff and Vale
Regional Safeguarding Board, about Adult V, 78, with Alzheimer's disease,
who lived in Barry with her son S; he took her pension and attendance
allowance in cash for most of 2022 and cancelled her care, and she died at
University Hospital Llandough on 9 February 2023 of sepsis from untreated
grade 4 pressure ulcers (admitted 31 January 2023; S since convicted of
wilful neglect and fraud by abuse of position). Agencies: Cardiff and Vale
University Health Board (district nurses, the GP practice, the hospital),
Vale of Glamorgan Council, South Wales Police, the Welsh Ambulance Services
University NHS Trust, a domiciliary care agency ("Agency A") and a bank
("Bank B", whose customer adviser used the Banking Protocol). Where it
differs from the written reviews before it (the WGAPR's, also financial
abuse of an older woman with a recommendations table numbered in a column of
its own, the nearest):

- the cover: the board's name, its Welsh name "Bwrdd Diogelu Rhanbarthol
  Caerdydd a'r Fro", "Extended Adult Practice Review" (the only level-1
  heading), "Re: Adult V", "Board reference: CVRSB APR 2025/01" (BOARD,
  TYPE, YEAR/NUMBER: an order no earlier review used), "Report approved by
  the Board: 22 January 2025", "Date of publication: 17 March 2025"; no
  contents;
- "1. Introduction and circumstances resulting in the review" (the
  commissioning: referral to the Case Review Group 14 March 2023, met 19
  April, the Chair agreed 2 May; V and her family; the admission and the
  death; the police inquiry and S's conviction; the purpose), "2. The
  review process" (the period "from 1 March 2022 to 9 February 2023" with
  its reason; the panel; the terms of reference as a lead-in and four
  bullets; the agencies as a lead-in and six bullets; the learning event on
  16 January 2024, delayed by the criminal proceedings; the daughter's
  words; S's silence);
- "3. Summary chronology": a lead-in and a FOUR-COLUMN TABLE "Date | Agency
  | Event | Comment", twelve rows, the COMMENT COLUMN the reviewers':
  three praise ("Prompt referral", "Good practice: mattress delivered
  within 48 hours", "Good practice: crew reported before leaving the
  house"), four criticise ("No follow-up", "V not spoken to alone",
  "Decision made without seeing V", "Cancellation not reviewed"), two
  point to a theme ("See Theme 3", "See Theme 1"), three are empty;
- "4. Practice and organisational learning": a preamble, then FOUR "###
  Theme n: ..." headings, each with running text (facts, poor practice,
  practice stated through what was done, one concession, what practitioners
  said at the learning event, "It would have been good practice ...", THE
  WALES SAFEGUARDING PROCEDURES PARAPHRASED ("where there is reasonable
  cause to suspect ..., a strategy discussion should be considered") and
  the Mental Capacity Act's presumption, the changes since in one
  paragraph) and ending on a "GOOD PRACTICE" BOX: a Markdown blockquote of
  "**Good practice**" and two paragraphs, which storfa's Markdown reader
  makes ONE passage ("Good practice The bank's customer adviser ... Bank
  B's vulnerable customer team ..."), so the four boxes are four passages;
- "5. Improving systems and practice": a lead-in (not ending on a colon)
  and a FOUR-COLUMN TABLE "No. | Recommendation | Agency | Timescale", seven
  rows: 1 "The Board should ..." (Agency "CVRSB"), 2 the council, 3 and 4
  the health board, 5 the police, 6 the ambulance trust, 7 JOINT (the
  council and the health board, the Agency cell naming both); timescales
  relative ("3 months", "6 months", "12 months") but for row 3's absolute
  "31 December 2025";
- "6. Statement by the reviewers": the template's lead-in ending on a colon
  and four "we have ..." bullets, then two lines "Reviewer n: <name>,
  Independent Reviewer. Date: 14/11/2024"; "7. Statement by the Review
  Panel Chair" (a paragraph, "Signed: ... Date: 29/11/2024"); "Appendix 1:
  Glossary", six bullets with a bold term.

Its labels (`cvapr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it, against the
passages storfa.coding.wholedoc.read_document gives (a box is one passage):
107 passages, 15 practice, 7 recommendation (the seven rows), 85 other. As
the earlier modules': practice where the reviewers present some practice as
good, however implicitly or mixed with criticism; a table row labelled as a
reader would label the whole row, practice where its Comment cell praises;
a box coded by its first finding. Codes: the chronology's "Prompt referral"
(the carers' office telling the district nurses the same afternoon)
Adhering to policy and procedure, "mattress delivered within 48 hours"
Consistent care and support, "crew reported before leaving the house"
Escalating concerns; Theme 1: the customer adviser who spoke to V alone,
declined the withdrawal and called the police under the Banking Protocol
Escalating concerns, "It would have been good practice ..." Suggested good
practice, the box (the adviser's curiosity; the protective marker "in line
with the bank's own policy") Escalating concerns; Theme 2: the carers' log
and call and the district nurse's Waterlow assessment, mattress and
teaching Risk assessment, the district nursing sister's adult at risk
report ("was not satisfied with it") Escalating concerns, the box (Agency
A's records "detailed and dated"; the sister's report) Record keeping;
Theme 3: the ward social worker's capacity assessment and best interests
meeting, V's wish "written down in her own words" Effective communication,
the box (the assessment "careful and well recorded", V and her children
given a voice; Agency A telling the council of the cancellation) Effective
communication; Theme 4: the ambulance crew's photographs and report from
the scene Escalating concerns, "Once V was in hospital, agencies worked
together promptly" (the strategy discussion, D informed) Multi-agency
working, the council's and the health board's changes since (one
paragraph) Learning from past reviews, the box (the crew "exemplary"; the
strategy discussion "timely and well attended") Escalating concerns.
Other: the cover, the introduction, the review process (the daughter's
words among it), the chronology's lead-in, header and nine other rows (the
district nursing sister's report "04/01/2023" among them: no comment), the
preamble, the theme headings, the facts and poor practice (the police
visit, the PPN screened out, the district nurses' no-access discharge, the
allocation delay, the GP's filed letter, the capacity never reassessed, the
carer's assessment not re-offered, the brokerage team ending the package),
the concession, what practitioners said, the Procedures paraphrased, the
recommendations' lead-in and header, the statements and the glossary.

What a user would expect of its identity, decided before the reading: type
APR, extended, board Cardiff and Vale, identifier APR2025-01/CV (from
"CVRSB APR 2025/01"), year 2025; dates: index incident 2023-02-09 (the
death, not the admission of 31 January 2023), referral 2023-03-14 (the
council's referral; not the Group's meeting of 19 April or the Chair's
agreement of 2 May), period 2022-03-01 to 2023-02-09, learning event
2024-01-16, sign-off 2024-11-14 (the reviewers'; the panel chair's
29/11/2024 is not theirs, the Board's approval 22 January 2025 neither),
publication 2025-03-17. Recommendations: seven records numbered 1-7, each
the Recommendation cell (no "CVRSB", no timescale); addressees 1 the
Cardiff and Vale Regional Safeguarding Board, 2 the Vale of Glamorgan
Council, 3 and 4 Cardiff and Vale University Health Board, 5 South Wales
Police, 6 the Welsh Ambulance Services University NHS Trust, 7 the council
and the health board; row 3 due 2025-12-31.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt14
as it was, HEAD 917c91e; STORFA_INT8=u8; by the machine's clock the session
began 02:31:23, the labels were written and copied into tests/data with the
document in one `cp` 02:33:55, this module written before any reading
(02:35:04), storfa first run 02:35:06-02:35:28; the records' texts, the
PDF's passages, the evidence and the near misses printed 02:35:38-02:36:08
on the same tree), the same from the Markdown and from the PDF unless said:

- segmentation: the Markdown as written (107, each box one passage as
  labelled); the PDF 111 passages: the daughter's paragraph split at the
  page break between pages 2 and 3 ('She said: "Mum couldn't speak up ..."'
  a paragraph of its own); the chronology's last row (31/01/2023, the
  ambulance crew), at the foot of page 3, read as FOUR table rows, its
  Agency cell "Welsh Ambulance Services" wrapped over three lines and each
  line a row ("31/01/2023 | Crew attends; V conveyed to University Hospital
  Llandough with", "Welsh | sepsis; adult at risk report made | Good
  practice: crew", "Ambulance | from the scene | reported before",
  "Services | leaving the house"), so the labels' join carries the row
  before's label (other) onto all four and the PDF holds 14 practice
  passages; recommendation 2's row read without its No. and Timescale
  cells ("The Vale of Glamorgan Council should ensure ... being sought. |
  Vale of Glamorgan Council"); every other passage as written. In both
  readings a box is one passage ("Good practice The bank's customer adviser
  ... Bank B's vulnerable customer team ..."): the blockquote's title and
  two paragraphs are not passages of their own;
- identity: type APR, extended, board Cardiff and Vale, year 2025, right;
  the identifier APR2025-W01 (key and identifier, the all-Wales form), not
  APR2025-01/CV: find_board_numbered finds nothing in "CVRSB APR 2025/01"
  (parse_review_id reads it as APR, 2025, 1, board None). Dates: index
  incident 2023-02-09, referral 2023-03-14, period 2022-03-01 to
  2023-02-09, learning event 2024-01-16, publication 2025-03-17, all right;
  sign-off WRONG: 2025-01-22, the cover's "Report approved by the Board: 22
  January 2025" (right: 2024-11-14, "Reviewer 1: ... Independent Reviewer.
  Date: 14/11/2024" under "6. Statement by the reviewers");
- recommendations: 7 records numbered 1-7, one per row, each the
  Recommendation cell only (no "CVRSB", no timescale), every row read,
  nothing extra (not the terms of reference, not "It would have been good
  practice", not the Procedures' "should be considered", not the Act's
  "should not be used", not the changes since, not the statements);
  addressees all right: 1 ['Cardiff and Vale Regional Safeguarding Board']
  (the cell "CVRSB" and "The Board"), 2 ['Vale of Glamorgan Council'], 3
  and 4 ['Cardiff and Vale University Health Board'], 5 ['South Wales
  Police'], 6 ['Welsh Ambulance Services University NHS Trust'], 7 ['Vale
  of Glamorgan Council', 'Cardiff and Vale University Health Board'] (the
  joint one); due_date None on every record, row 3's "31 December 2025"
  not read (right: 2025-12-31). From the PDF the same seven records, row 2
  still numbered 2 and to the council though its number cell is lost;
- auto-coding at the single-case threshold (0.49 as reported): 11
  suggestions, 9 of the 15 practice passages (the PDF: 9 of 14),
  precision 0.82, recall 0.60 (the PDF 0.64): the floors held (0.80,
  0.60), the judged bar (0.70) not; the same sub-theme as the label on 4
  of 9, the same theme on 4 of 9 (0.44). Wrong (2): the police visit "South
  Wales Police officers attended the branch ... 'untidy but adequate' ...
  They submitted a PPN ... The reviewers found no record that the officers
  considered ..." (Record keeping, 0.62) and what the carers said at the
  learning event, 'felt "uneasy" about S but did not know who to tell'
  (Positive working relationships, 0.72). Missed (6): the three chronology
  rows whose Comment praises ("Prompt referral" 0.01, "Good practice:
  mattress delivered within 48 hours" 0.04, "Good practice: crew reported
  before leaving the house" 0.11), and the three escalations told through
  what was done: the customer adviser who spoke to V alone and called the
  police under the Banking Protocol (0.18), the district nursing sister
  "not satisfied" who made the adult at risk report (0.02), the ambulance
  crew's photographs and report from the scene (0.26). Themes that differ
  (5): the Theme 1 box -> Adhering to policy and procedure (0.73;
  Escalating concerns), the carers' log and the Waterlow assessment ->
  Consistent care and support (0.87; Risk assessment), the capacity
  assessment in V's words -> Consistent care and support (0.53; Effective
  communication), the Theme 3 box -> Suggested good practice (0.53;
  Effective communication), the Theme 4 box -> Adhering to policy and
  procedure (0.98; Escalating concerns). Right: "It would have been good
  practice" (Suggested good practice, 1.00), the Theme 2 box (Record
  keeping, 0.75), the hospital's joint work (Multi-agency working, 0.61),
  the changes since (Learning from past reviews, 0.66). Every box
  suggested. Nothing suggested on the cover, a heading, the introduction,
  the review process (the daughter's words), a table header, the other
  chronology rows, the preamble, the PPN screened out, the no-access
  discharge, the concession, the Procedures, the recommendations, the
  statements or the glossary; near misses under the threshold: "After
  that, no agency assessed ..." (0.47), "The district nurses visited
  regularly ..." (0.44), the daughter's words (0.44; 0.37 from the PDF),
  the carer's assessment not re-offered (0.37).

After the first reading only this module changed, not the document or the
labels: the segmentation and recommendation tests split by reading, with
PDF tests of what holds, the tests that found a fault split from what held
(the practice told through what was done, the poor practice, what
practitioners said, the boxes' themes), and the xfails for what storfa got
wrong. On the frozen tree (02:37:14-02:37:25) the module gave: 78 passed,
10 skipped, 32 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import find_board_numbered
from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    finds_the_recommendations,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identified,
    identity,
    in_section,
    labelled_records,
    lead_ins,
    never_suggested,
    only,
    opened_by,
    opened_coded,
    opened_not_suggested,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-cvapr"
DOCUMENT = DATA / "cvapr-written-2026.md"
NUMBERING = "CVRSB APR 2025/01"  # on the cover: board, type, year/number
IDENTIFIER = "APR2025-01/CV"
OWN_BOARD = ("Cardiff and Vale Regional Safeguarding Board",)
COUNCIL = "Vale of Glamorgan Council"
HEALTH_BOARD = "Cardiff and Vale University Health Board"
# Each row's opening: the number in a column of its own, then the recommendation.
RECOMMENDATIONS = (
    "1 | The Board should develop",
    "2 | The Vale of Glamorgan Council should ensure",
    "3 | Cardiff and Vale University Health Board should audit",
    "4 | Cardiff and Vale University Health Board should ensure",
    "5 | South Wales Police should",
    "6 | The Welsh Ambulance Services University NHS Trust should",
    "7 | The Vale of Glamorgan Council and Cardiff and Vale",
)
AGENCIES = {
    "2": [COUNCIL],
    "3": [HEALTH_BOARD],
    "4": [HEALTH_BOARD],
    "5": ["South Wales Police"],
    "6": ["Welsh Ambulance Services University NHS Trust"],
}
JOINT = ("7", {COUNCIL, HEALTH_BOARD})
BOARDS_OWN = ("1",)
DUE = {"3": "2025-12-31"}
THEMES = ("Theme 1: Recognising financial abuse", "Theme 2: Pressure area care",
          "Theme 3: Mental capacity", "Theme 4: Working together")
# Each "Good practice" box by words of its first paragraph.
BOXES = ("The bank's customer adviser showed", "Agency A's daily records were detailed",
         "The ward social worker's capacity assessment", "The ambulance crew's response on")
# The chronology's rows whose Comment praises, and those that do not.
PRAISED_ROWS = ("02/09/2022 | Agency A", "05/09/2022 | Cardiff and Vale UHB",
                "31/01/2023 | Welsh Ambulance Services")
OTHER_ROWS = ("14/03/2022 |", "21/03/2022 |", "09/06/2022 |", "10/10/2022 | Bank B",
              "10/10/2022 | South Wales Police", "18/10/2022 |", "31/10/2022 |",
              "13/12/2022 |", "04/01/2023 |")
INTRODUCTION = "1. Introduction and circumstances resulting in the review"
CHRONOLOGY = "3. Summary chronology"
LEARNING = "4. Practice and organisational learning"
SYSTEMS = "5. Improving systems and practice"
STATEMENT = "6. Statement by the reviewers"


_PDF = (
    "from the PDF, 108 passages, not 107: the daughter's paragraph split at the page break "
    "('She said: \"Mum couldn't speak up ...\"' a paragraph of its own); until cell "
    "borders were read from the table's rules (111 passages), also the chronology's "
    "last row (31/01/2023, the ambulance crew) read as four table rows, its Agency cell "
    "'Welsh Ambulance Services' wrapped over three lines, each line a row ('Welsh | sepsis; "
    "adult at risk report made | Good practice: crew', 'Ambulance | from the scene | "
    "reported before', 'Services | leaving the house'), so the row's practice label is lost "
    "(14 practice); recommendation 2's row read without its No. and Timescale cells ('The "
    "Vale of Glamorgan Council should ensure ... | Vale of Glamorgan Council')")
_BOX = (
    "each 'Good practice' box (a blockquote of '**Good practice**' and two paragraphs) is "
    "read as ONE passage, both readings: 'Good practice The bank's customer adviser showed "
    "... Bank B's vulnerable customer team placed ...'; right: the title apart and each "
    "paragraph a passage of its own, as the running text's paragraphs are")
_BOX_THEMES = (
    "three of the four boxes outside the label's theme, both readings: the bank's (the "
    "adviser's curiosity, the Banking Protocol) Adhering to policy and procedure 0.73 "
    "(Escalating concerns), the ward social worker's capacity assessment and V's voice "
    "Suggested good practice 0.53 (Effective communication: nothing in it is what would have "
    "been good practice), the ambulance crew's 'exemplary' response Adhering to policy and "
    "procedure 0.98 (Escalating concerns); Agency A's records Record keeping 0.75, right")
_ROWS = (
    "none of the three chronology rows whose Comment praises is suggested: from the "
    "Markdown '02/09/2022 | Agency A | ... | Prompt referral' (0.01), '05/09/2022 | ... | "
    "Good practice: mattress delivered within 48 hours' (0.04), '31/01/2023 | Welsh "
    "Ambulance Services | ... | Good practice: crew reported before leaving the house' "
    "(0.11); from the PDF the first two so (0.01, 0.04) and the third read as four rows, "
    "its opening not found; right: practice, as the reviewers' comment says")
_ESCALATIONS = (
    "the three escalations told through what was done are not suggested, both readings: "
    "the customer adviser who 'spoke to V on her own in a side room ... declined the "
    "withdrawal and called the police using the Banking Protocol' (0.18), the district "
    "nursing sister who 'was not satisfied with it ... made an adult at risk report' (0.02), "
    "the ambulance crew who 'photographed the conditions ... and made an adult at risk "
    "report from the scene' (0.26); right: practice, Escalating concerns")
_POLICE = (
    "the police visit, facts and poor practice, is suggested, both readings: 'South Wales "
    "Police officers attended the branch ... recorded that the house was \"untidy but "
    "adequate\" ... They submitted a PPN ... The reviewers found no record that the officers "
    "considered whether V could make decisions ...' (Record keeping, 0.62)")
_UNEASY = (
    "what the carers said at the learning event is suggested, both readings: 'At the "
    "learning event the carers from Agency A said they had felt \"uneasy\" about S but did "
    "not know who to tell. ...' (Positive working relationships, 0.72): a practitioner's "
    "account of not knowing whom to tell, no practice praised")


read = reading(DOCUMENT, DATA / "cvapr-written-2026.tsv", "written-cvapr")


def _title_page(read: Read) -> set[int]:
    # No contents: the cover runs to the introduction's heading.
    return set(range(heading_at(read, INTRODUCTION)))


def _zone(read: Read, first: str, after: str) -> set[int]:
    return set(range(heading_at(read, first) + 1, heading_at(read, after)))


def _statements_and_glossary(read: Read) -> set[int]:
    return set(range(heading_at(read, STATEMENT), len(read.passages)))


def _containing(read: Read, *snippets: str) -> set[int]:
    """The passages holding these words, one for each."""
    found = {p.seq for p in read.passages for s in snippets if s in read.text(p.seq)}
    assert len(found) == len(snippets), snippets
    return found


def _records(read: Read) -> dict[str, StoredRecommendation]:
    return {r.number: r for r in labelled_records(read)}


def _suggested(read: Read, seqs: set[int]) -> None:
    assert seqs <= read.seqs("practice")
    missed = sorted(seqs - read.suggested.keys())
    assert not missed, [(read.text(s)[:60], round(read.confidence.get(s, 0.0), 2))
                        for s in missed]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 107, 15, 7, 85)


@pytest.mark.xfail(strict=True, reason=_PDF)
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 107, 15, 7, 85)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


@pytest.mark.xfail(strict=True, reason=_PDF)
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_one_passage_as_written(read: Read) -> None:
    # The daughter's paragraph (label 29). Recommendation 2 (83) too at the
    # first reading, read whole since round eight's table fixes; and the
    # crew's chronology row (44, four rows) until cell borders were read from
    # the table's rules (111 passages then).
    only(read, "pdf")
    assert len(read.passages) == 108
    assert {s for s, _ in read.differ()} == {29}, read.differ()


def test_each_theme_is_a_heading_in_the_learning(read: Read) -> None:
    found = [p.seq for p in read.passages
             if p.kind == "heading" and p.text.startswith(THEMES)]
    assert len(found) == 4, found
    assert all(heading_at(read, LEARNING) < s < heading_at(read, SYSTEMS) for s in found)


def test_each_good_practice_box_is_read_in_its_theme(read: Read) -> None:
    # Each box the last passage before the next theme (or section).
    boxes = sorted(_containing(read, *BOXES))
    ends = sorted(p.seq - 1 for p in read.passages
                  if p.kind == "heading" and (p.text.startswith(THEMES[1:]) or p.text == SYSTEMS))
    assert boxes == ends, (boxes, ends)


@pytest.mark.xfail(strict=True, reason=_BOX)
def test_each_paragraph_of_a_good_practice_box_is_a_passage_of_its_own(read: Read) -> None:
    # The Markdown's blockquote holds a bold title and two paragraphs, each a
    # paragraph of its own (as the running text's are): the second paragraph of
    # each box is not in the passage of the first.
    seconds = ("Bank B's vulnerable customer team", "The district nursing sister did not accept",
               "Agency A informed the council", "The strategy discussion after V's admission")
    merged = [read.text(s)[:50] for s in _containing(read, *BOXES)
              if any(second in read.text(s) for second in seconds)]
    assert not merged, merged


def test_both_tables_are_read_one_row_a_passage(read: Read) -> None:
    only(read, "markdown")
    rows = [p.seq for p in read.passages if p.kind == "table_row"]
    assert len(rows) == 13 + 8, len(rows)
    assert len(_zone(read, CHRONOLOGY, LEARNING)) == 14


# First reading, since fixed: _PDF above
def test_both_tables_of_the_pdf_are_read_one_row_a_passage(read: Read) -> None:
    only(read, "pdf")
    rows = [p.seq for p in read.passages if p.kind == "table_row"]
    assert len(rows) == 13 + 8, len(rows)
    assert len(_zone(read, CHRONOLOGY, LEARNING)) == 14


def test_the_pdf_reads_the_recommendations_table_one_row_a_passage(read: Read) -> None:
    only(read, "pdf")
    rows = [p.seq for p in read.passages if p.kind == "table_row"]
    assert [s for s in rows if s > heading_at(read, SYSTEMS)] == \
        sorted(_zone(read, SYSTEMS, STATEMENT) - {heading_at(read, SYSTEMS) + 1})
    assert len(_zone(read, SYSTEMS, STATEMENT)) == 9


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Rhanbarthol Caerdydd a'r Fro" is the board's name in Welsh.
    identity(read, type="APR", variant="extended", board="Cardiff and Vale")


# First reading, since fixed: the identifier is APR2025-W01 (the all-Wales form), both
# readings; right: APR2025-01/CV: find_board_numbered finds nothing in the cover's
# 'Board reference: CVRSB APR 2025/01' (board, type, year/number), which parse_review_id
# reads as APR, 2025, 1 with board None
def test_the_cover_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("APR", 2025, 1, "CV"))


def test_the_cover_gives_an_apr_of_2025_numbered_one(read: Read) -> None:
    # What holds of the identifier: the type, the year and the number.
    assert read.summary.identifier.startswith("APR2025-"), read.summary.identifier
    assert read.summary.year == 2025


# First reading, since fixed: the identifier is APR2025-W01 (the all-Wales form), both readings;
# right: APR2025-01/CV: find_board_numbered finds nothing in the cover's 'Board reference: CVRSB
# APR 2025/01' (board, type, year/number), which parse_review_id reads as APR, 2025, 1 with
# board None
def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    found = find_board_numbered(NUMBERING, "APR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


def test_the_index_incident_is_the_death(read: Read) -> None:
    # "She died there on 9 February 2023"; not the admission of 31 January.
    assert read.summary.dates.get("index_incident") == "2023-02-09", read.summary.dates


def test_the_referral_is_the_councils(read: Read) -> None:
    # "The Vale of Glamorgan Council referred the case to the Board's Case
    # Review Group on 14 March 2023. The Group met on 19 April 2023 ..."
    assert read.summary.dates.get("referral") == "2023-03-14", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 1 March 2022 to 9 February 2023."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-03-01", "2023-02-09"), dates


def test_the_learning_event(read: Read) -> None:
    # "A multi-agency learning event took place on 16 January 2024"
    assert read.summary.dates.get("learning_event") == "2024-01-16", read.summary.dates


# First reading, since fixed (sign-off by a body capped under the reviewers' statement): sign-off
# 2025-01-22, both readings, from the cover's 'Report approved by the Board: 22 January 2025';
# right: 2024-11-14, 'Reviewer 1: Anwen Prys, Independent Reviewer. Date: 14/11/2024' under '6.
# Statement by the reviewers' (the Board's approval is not the reviewers' sign-off)
def test_the_reviewers_sign_off(read: Read) -> None:
    # "Reviewer 1: ... Date: 14/11/2024"; not the panel chair's 29/11/2024, not
    # the Board's approval of 22 January 2025.
    assert read.summary.dates.get("sign_off") == "2024-11-14", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-03-17", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    only(read, "markdown")
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number)


# First reading, since fixed (round eight's table fixes): a strict xfail, row 2's number
# and timescale held at the foot of a page were lost under the next page's running header;
# the row is now read whole ('2 | The Vale of Glamorgan Council should ... | Vale of
# Glamorgan Council | 3 months').
def test_every_recommendation_of_the_pdf_is_found_by_its_row(read: Read) -> None:
    only(read, "pdf")
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number)


def test_every_recommendation_passage_is_read(read: Read) -> None:
    # From the PDF too (row 2, its number cell lost at the first reading, was
    # still read and numbered 2).
    reads_every_recommendation_passage(read)


def test_one_record_per_row(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == [str(n) for n in range(1, 8)]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the terms of reference, not "It would have been good practice ...",
    # not the Procedures' "should be considered", not the Act's "should not be
    # used to avoid assessment", not the changes since, not the statements.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_chronology_or_the_learning(read: Read) -> None:
    zone = set(range(heading_at(read, CHRONOLOGY), heading_at(read, SYSTEMS)))
    assert not read.covered & zone, [read.text(s)[:60] for s in sorted(read.covered & zone)]


def test_no_record_from_the_introduction_statements_or_glossary(read: Read) -> None:
    zone = set(range(heading_at(read, CHRONOLOGY))) | _statements_and_glossary(read)
    assert not read.covered & zone, [read.text(s)[:60] for s in sorted(read.covered & zone)]


def test_each_agency_recommendation_names_its_agency(read: Read) -> None:
    found = {n: r.agencies for n, r in _records(read).items()}
    due = [(n, r.due_date) for n, r in _records(read).items()]
    print(f"\n[{read.source}] agencies {found}, due {due}")
    assert {n: found.get(n) for n in AGENCIES} == AGENCIES, found


def test_the_joint_recommendation_names_both(read: Read) -> None:
    n, both = JOINT
    found = _records(read).get(n)
    assert found is not None and set(found.agencies) == both, found and found.agencies


def test_the_boards_own_recommendation_is_the_boards(read: Read) -> None:
    # "The Board should develop ..." with the agency "CVRSB".
    found = {n: r.agencies for n, r in _records(read).items()}
    assert all(found.get(n) and found[n][0] in OWN_BOARD for n in BOARDS_OWN), found


def test_each_record_is_the_recommendation_not_its_other_cells(read: Read) -> None:
    texts = {n: " ".join(r.text.split()) for n, r in _records(read).items()}
    print(f"\n[{read.source}] records: {texts}")
    wrong = {n: t for n, t in texts.items()
             if "months" in t or "|" in t or "CVRSB" in t or "December 2025" in t
             or not t.startswith(RECOMMENDATIONS[int(n) - 1].split(" | ")[1])}
    assert not wrong, wrong


# First reading, since fixed (due dates read): every record's due_date is None, both readings;
# right: row 3's Timescale cell '31 December 2025' is its due date, 2025-12-31 (the other rows'
# timescales are relative)
def test_the_dated_timescale_is_the_due_date(read: Read) -> None:
    # Row 3's timescale "31 December 2025"; the others are relative.
    found = {n: r.due_date for n, r in _records(read).items() if n in DUE}
    assert found == DUE, found


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    only(read, "markdown")
    holds_the_floors(read, recall=None)


# First reading, since fixed (round eight's form fixes): from the PDF, precision 0.77: the
# ambulance crew's chronology row, broken by the page, is read as four rows; the one holding its
# comment 'Good practice: crew reported before leaving the house' is suggested (0.95) but the
# label join carries the Markdown row's 'other' onto the pieces, as it does to the row's practice
# label
def test_auto_coding_precision_holds_its_floor_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


# First reading, since fixed: precision 0.82 (9 of 11), recall 0.60 (9 of 15; from the PDF 0.64,
# 9 of 14): under the judged bar of 0.70 for recall
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 4 of 9 (0.44), both readings: the Theme 1 box ->
# Adhering to policy and procedure 0.73 (Escalating concerns), the carers' log and the Waterlow
# assessment -> Consistent care and support 0.87 (Risk assessment), the capacity assessment in
# V's words -> Consistent care and support 0.53 (Effective communication), the Theme 3 box ->
# Suggested good practice 0.53 (Effective communication), the Theme 4 box -> Adhering to policy
# and procedure 0.98 (Escalating concerns)
@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round ten (53 reviews): 7 of 11 suggestions on practice in the "
    "label's theme from the Markdown (8 before; the PDF holds at 8 of 11), under the 0.70 "
    "bar; right: at least 8 of 11"))
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    only(read, "markdown")
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=(
    "7 of 11 in the label's theme from the PDF too, since its chronology's last row (the "
    "ambulance crew) is read whole as from the Markdown (8 of 11 while it was four rows)"))
def test_the_theme_agrees_with_the_label_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    themes_agree(read)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _title_page(read),
        "introduction": in_section(read, "1. Introduction"),
        "review process": in_section(read, "2. The review process"),
        "statements and glossary": _statements_and_glossary(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_a_table_header(read: Read) -> None:
    never_suggested(read, {"header": opened_by(read, "Date | Agency | Event | Comment",
                                               "No. | Recommendation | Agency")})


def test_auto_coding_does_not_suggest_the_recommendations_lead_in(read: Read) -> None:
    opened_not_suggested(read, "The review panel has agreed")


@pytest.mark.xfail(strict=True, reason=_ROWS)
def test_auto_coding_finds_the_chronology_rows_the_reviewers_praise(read: Read) -> None:
    # "Prompt referral", "Good practice: mattress ...", "Good practice: crew ...".
    _suggested(read, opened_by(read, *PRAISED_ROWS))


def test_auto_coding_does_not_suggest_the_chronologys_other_rows(read: Read) -> None:
    # Facts, critical comments ("No follow-up", "V not spoken to alone", ...),
    # "See Theme n" and empty comments; the bank's row points to Theme 1.
    opened_not_suggested(read, *OTHER_ROWS)


def test_auto_coding_finds_every_good_practice_box(read: Read) -> None:
    _suggested(read, _containing(read, *BOXES))


@pytest.mark.xfail(strict=True, reason=_BOX_THEMES)
def test_every_good_practice_box_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, _containing(read, *BOXES))


def test_the_records_box_is_read_as_record_keeping(read: Read) -> None:
    (box,) = _containing(read, BOXES[1])
    assert read.suggested.get(box, [("", 0.0)])[0][0] == "Record keeping", \
        read.suggested.get(box)


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The carers' log and the nurse's Waterlow assessment; the capacity
    # assessment in V's words (the escalations are a test of their own).
    _suggested(read, opened_by(read, "When the carers from Agency A first noticed",
                               "V's capacity was considered formally only once"))


@pytest.mark.xfail(strict=True, reason=_ESCALATIONS)
def test_auto_coding_finds_the_escalations_told_through_what_was_done(read: Read) -> None:
    # The adviser who spoke to V alone; the sister "not satisfied"; the
    # ambulance crew's report from the scene.
    _suggested(read, opened_by(read, "On 10 October 2022 S came into the branch",
                               "The district nursing sister who reviewed",
                               "When the ambulance crew attended"))


def test_auto_coding_finds_the_prompt_joint_work_in_hospital(read: Read) -> None:
    _suggested(read, opened_by(read, "Once V was in hospital"))


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_changes_since(read: Read) -> None:
    opened_coded(read, "Since the learning event", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_ESCALATIONS)
def test_the_escalations_are_read_as_risk_and_escalation(read: Read) -> None:
    # The adviser, the sister's report, the crew: concerns passed to those able
    # to act.
    suggested_in_labels_theme(read, opened_by(read, "On 10 October 2022 S came into the branch",
                                         "The district nursing sister who reviewed",
                                         "When the ambulance crew attended"))


def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    opened_not_suggested(read, "The reviewers have grouped the learning")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but the police visit (its own xfail).
    opened_not_suggested(read, "V's pension and attendance allowance", "The PPN was screened",
                         "The district nurses visited regularly", "The policy had been written",
                         "The report was allocated", "The GP practice received",
                         "After that, no agency assessed", "S was offered a carer's assessment",
                         "When S cancelled the care calls", "Each agency held part of the picture")


@pytest.mark.xfail(strict=True, reason=_POLICE)
def test_auto_coding_does_not_suggest_the_police_visit(read: Read) -> None:
    opened_not_suggested(read, "South Wales Police officers")


def test_auto_coding_does_not_suggest_the_concession(read: Read) -> None:
    opened_not_suggested(read, "The reviewers accept that")


def test_auto_coding_does_not_suggest_what_social_workers_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event, social workers")


# First reading, since fixed (round eight's form fixes): what the carers said at the learning
# event is suggested, both readings: 'At the learning event the carers from Agency A said they had
# felt "uneasy" about S but did not know who to tell. ...' (Positive working relationships, 0.72):
# a practitioner's account of not knowing whom to tell, no practice praised
def test_auto_coding_does_not_suggest_what_the_carers_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event the carers")


def test_auto_coding_does_not_suggest_the_procedures(read: Read) -> None:
    # The Wales Safeguarding Procedures paraphrased, then the discussion not held.
    opened_not_suggested(read, "The Wales Safeguarding Procedures state")


@pytest.mark.xfail(strict=True, reason=_POLICE + "; and " + _UNEASY)
def test_auto_coding_suggests_nothing_else_in_the_learning(read: Read) -> None:
    other = _zone(read, LEARNING, SYSTEMS) & read.seqs("other") - headings(read)
    assert len(other) == 16, len(other)
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]
