"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a Welsh
Extended Child Practice Review in the Welsh template whose distinctive
furniture is TABLES (an "agencies involved" table, a "Summary of good
practice" table "Agency | Good practice identified" whose every row is
practice, the recommendations as a table "No. | Recommendation | Agency", a
summary timeline table), of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-tbcpr/tbcpr-written-2026.md` is a WRITTEN Extended Child
Practice Review (fictional: no real case or person) for the Gwent
Safeguarding Board, about Child J, 14, who lived with his mother and two
younger sisters in Newport and was criminally exploited ("county lines"
from Newport to west Wales) from the autumn of 2022: older young people at
the school gate, eleven missing episodes, found by Dyfed-Powys Police in a
flat in Llanelli with Class A drugs and cash (5 December 2022) and in
Carmarthen (17 June 2023), a cut hand in the emergency department, three
fixed-term exclusions and a permanent exclusion after a knife was found in
his bag (9 March 2023), seven weeks out of education, the pupil referral
unit, the child protection register from 14 April 2023; stabbed in the
thigh in a park in Newport on the night of 23 August 2023. The layout (the
GCPR's and the APR's board, the APPX's good practice table, the ILSAR's
recommendation table, the nearest):

- the cover: the board's name, its Welsh name "Bwrdd Diogelu Gwent",
  "Child Practice Review Report" (the only level-1 heading), "Extended
  Review", the board's numbering "GWSB 2024/03 CPR" (BOARD, YEAR/NUMBER,
  TYPE last), "Re: Child J", "Date of final report to the Board: 10
  September 2024", "Date of publication: 19 November 2024"; no contents;
- "1. Brief outline of circumstances resulting in the Review": the
  commissioning (referred by Newport City Council to the Child Practice
  Review Group 18 September 2023, met 5 October, the Independent Chair
  agreed 12 October), the criteria for an extended review, the stabbing,
  J and his family, the exploitation in a paragraph, where J is now, the
  period (1 September 2022 to 23 August 2023, with its reason), J's and
  his mother's words, a lead-in and the AGENCIES TABLE "Agency |
  Involvement with J and his family" (eight rows), the panel, the learning
  event (22 February 2024);
- "2. Practice and organisational learning": a preamble, then FOUR
  unnumbered sub-headings of prose ("Recognising criminal exploitation
  early", "School exclusion and the loss of a protective factor", "Missing
  episodes and return home interviews", "Multi-agency planning and the
  child protection plan") mixing practice named as good ("clear and
  detailed", "This was good practice", "good practice that made a real
  difference", "thorough and timely", "The review commends her work", "was
  good", "prompt and proportionate"), practice stated through what was done
  (the triage nurse's questions and referral, the well attended strategy
  discussion, the Ymlaen worker's messages, the team manager's supervision,
  the youth justice worker at the boxing club), the education welfare
  officer's nine visits mixed with criticism ("This was persistent work,
  but ..."), "It would have been good practice ...", poor practice and
  facts, three concessions ("The reviewers recognise ... But ...", "The
  reviewers accept ... But ...", "The reviewers recognise ... However
  ..."), what practitioners and teachers said at the learning event, two
  changes since; "Hearing J and his family" (three paragraphs of their
  words, the last the mother's praise of two workers); "Summary of good
  practice": a lead-in and the TABLE "Agency | Good practice identified"
  of NINE ROWS, each restating practice of the prose;
- "3. Improving Systems and Practice": the template's prompt, "Actions
  already taken" (two changes since: Gwent Police, the health board), and
  "Recommendations": a lead-in ending on a colon and the TABLE "No. |
  Recommendation | Agency" of SEVEN ROWS (1, 3, 7 "The Board should ..."
  to Gwent Safeguarding Board; 2, 5 "Newport City Council should ..." to
  Newport City Council Children's Services; 4 Gwent Police; 6 Aneurin Bevan
  University Health Board), then "An action plan ... has been agreed";
- "4. Statement by Reviewer(s)": a lead-in, four bullets and a signature
  table "Reviewer | Name | Signature | Date" (03/07/2024 twice); "5.
  Statement by Review Panel Chair" (a paragraph, "Date: 17/07/2024");
  "Appendix 1: Terms of reference" (a lead-in, five bullets); "Appendix 2:
  Summary timeline", a TABLE "Date | Agency | Event" of nine rows, the last
  the stabbing.

Its labels (`tbcpr-written-2026.tsv`, storfa.coding.wholedoc's format)
were set by hand, passage by passage, before storfa was run on it: 134
passages, 27 practice, 7 recommendation (the seven rows of the
recommendations table; its header other, as the ILSAR's), 100 other. As
the earlier modules': practice where the reviewers present some practice
as good, however implicitly or mixed with criticism; a table row labelled
as a reader would label the whole row. Codes: the designated safeguarding
person's chronology Record keeping; the Dyfed-Powys officer's Public
Protection Notice Escalating concerns; the triage nurse's referral
Escalating concerns; the well attended strategy discussion Multi-agency
working; "It would have been good practice" Suggested good practice; the
education welfare officer's visits (mixed) Persistency in care and
support; the pupil referral unit Consistent care and support; the
exclusions guidance since and the Ymlaen commission since Learning from
past reviews; the missing person coordinator Multi-agency working; the
Ymlaen worker's messages Consistent and persistent communication; the
social worker who kept coming back Persistency in care and support; the
team manager's supervision Support and training for practitioners; the
youth justice worker Positive working relationships; the care after the
stabbing (the nurse with J's mother) Effective communication; the strategy
discussion the morning after Adhering to policy and procedure; the nine
rows of the good practice table as the prose they restate (the school
Record keeping, Dyfed-Powys Police and the health board Escalating
concerns, Gwent Police Multi-agency working, children's services
Persistency in care and support, the Newport Learning Centre Consistent
care and support, the Youth Justice Service Positive working
relationships, the Ymlaen Project Consistent and persistent communication,
the ambulance service and the hospital Effective communication); both
actions already taken Learning from past reviews. Other: the cover, the
outline and its agencies table, the preamble, poor practice and facts, the
concessions, what practitioners said, the family's words (the mother's
praise of two workers among them: her view, not the reviewers'), the good
practice table's lead-in and header, the template's prompt, the
recommendations' lead-in and header, the action plan, the statements, the
terms of reference and the timeline.

What a user would expect of its identity, decided before the reading: type
CPR, extended, board Gwent, identifier CPR2024-03/GW (from "GWSB 2024/03
CPR"), year 2024; dates: index incident 2023-08-23 (the stabbing),
referral 2023-09-18, period 2022-09-01 to 2023-08-23, learning event
2024-02-22, sign-off 2024-07-03 (the reviewers' table, not the chair's
17/07/2024 nor the final report to the Board of 10 September 2024),
publication 2024-11-19. Recommendations: the seven rows, numbered 1-7, to
the addressees above, nothing else recorded.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt8
as it was, HEAD c9857fa; STORFA_INT8=u8; by the machine's clock the session
began 09:17:18, the document was segmented and trimmed to 134 passages by
09:19:33, the labels written 09:19:48 and copied into tests/data with the
document in one `cp` 09:19:51, this module written before any reading
(ruff-clean 09:20:52), storfa first run 09:20:53-09:21:14; the figures,
the register, the near misses and the PDF's passages printed
09:21:26-09:22:00, on the same tree), the same from the Markdown and from
the PDF unless said:

- segmentation: the Markdown as written (134: every row of the four
  tables a table row, the sub-headings headings); the PDF 135 passages,
  all as written but: "At the learning event practitioners said ... J, a
  14-year-old ..." read with "14- year-old" (the line's hyphen kept with a
  space), and the good practice table's header and first two rows: the
  header "Agency | Good practice identified" as the paragraph "Agency Good
  practice identified", the first row as TWO paragraphs, "The secondary
  school" and "The designated safeguarding person kept a clear, dated
  chronology ...", the second row as the paragraph "Dyfed-Powys Police The
  officer who interviewed J ..." (no cell break); its other seven rows,
  and every row of the agencies, recommendations, reviewers' and timeline
  tables, table rows as written. The label join carries labels by place:
  both pieces of the first row take its Record keeping, and the
  Dyfed-Powys row takes Record keeping too (right: Escalating concerns);
- identity: key and identifier CPR2024-03/GW, CPR, extended, Gwent, 2024,
  all right; index incident 2023-08-23, referral 2023-09-18, period
  2022-09-01 to 2023-08-23, learning event 2024-02-22, sign-off 2024-07-03,
  publication 2024-11-19, ALL RIGHT;
- recommendations: 7 records, one for each row, numbered 1 to 7, each text
  the Recommendation cell's sentence (without the number or the Agency
  cell), every recommendation passage read, nothing extra (not the header,
  the lead-in, "should have led to a strategy discussion", "It would have
  been good practice", the guidance's "must now first hold", the actions
  already taken, the prompt, the action plan, the statements or the terms
  of reference). Addressees: 1, 3, 7 ['Gwent Safeguarding Board'], 2 and 5
  ["Newport City Council Children's Services"] (the Agency cell), 4
  ['Gwent Police'], 6 ['Aneurin Bevan University Health Board'], all
  right; no due dates (right);
- auto-coding at the single-case threshold (0.49 as reported), from the
  MARKDOWN: 25 suggestions, 23 of the 27 practice passages, precision
  0.92, recall 0.85; the same sub-theme as the label on 16 of 23, the same
  theme on 19 of 23 (0.83). From the PDF: 25 suggestions, 23 of 28
  practice passages as carried, precision 0.92, recall 0.82, the same
  sub-theme on 16 of 23, the same theme on 20 of 23 (0.87; the Dyfed-Powys
  row's Adhering to policy and procedure counted right against the Record
  keeping carried onto it). Wrong (2), both readings: "On 5 December 2022,
  during his second missing episode, J was found by Dyfed-Powys Police in
  a flat in Llanelli ..." (a fact; Record keeping, 0.79) and the good
  practice table's lead-in "The good practice the review identified is
  summarised by agency in the table below. ..." (Learning from past
  reviews, 0.79). Missed (4), both readings: the designated safeguarding
  person's chronology, "clear and detailed" (0.33), the Education
  Service's exclusions guidance since the learning event (0.46), the
  Ymlaen worker's messages during missing episodes (0.39), the strategy
  discussion the morning after, "prompt and proportionate ... in line with
  the Wales Safeguarding Procedures" (0.24); from the PDF also the first
  row's piece "The secondary school" (0.00; its other piece is suggested,
  Record keeping 0.82). Themes that differ (4 by the labels): the Ymlaen
  commission since -> Multi-agency working (0.63; Learning from past
  reviews), the care after the stabbing -> Positive working relationships
  (0.98; Effective communication), the table's Dyfed-Powys row -> Adhering
  to policy and procedure (1.00 Markdown, 0.99 PDF; Escalating concerns),
  the table's ambulance and hospital row -> Positive working relationships
  (0.86, 0.78; Effective communication); within the theme: the Dyfed-Powys
  officer in the prose -> Risk assessment (0.97; Escalating concerns), the
  Newport Learning Centre row -> Positive working relationships (0.99;
  Consistent care and support), the Ymlaen row -> Multi-agency working
  (0.99; Consistent and persistent communication). Right: "It would have
  been good practice" (Suggested good practice, 0.94), the two actions
  already taken (Learning from past reviews, 0.99, 0.96), the triage nurse
  (0.82), the strategy discussion (0.51), the education welfare officer
  (0.76), the pupil referral unit (0.98), the missing person coordinator
  (0.57), the social worker (0.94), the supervision (0.80), the youth
  justice worker (0.97), and the table's school, health board, Gwent
  Police, children's services and Youth Justice rows. Nothing suggested on
  the cover, a heading, the outline or its agencies table, a concession,
  what practitioners said, the family's words (the mother's praise
  included), the table's header, a recommendation or its lead-in, the
  prompt, the action plan, the statements, the terms of reference or the
  timeline. Near misses under the threshold: "The plan focused on J's
  behaviour. ..." (other, 0.49, not suggested), "The first signs were seen
  at school. ..." (other, 0.47), the template's prompt (0.37), the action
  plan (0.34).

Judged bars: precision and recall at least 0.80 each, both readings (0.92
and 0.85; 0.92 and 0.82); theme at least 0.80, both (0.83, 0.87); every
recommendation found with no extra record: ALL HOLD.

After the first reading only this module changed, not the document or the
labels: the segmentation tests split by reading with a PDF test of what
reads as written; the tests that found a fault split from what held; the
xfails for what storfa got wrong; and two faults of this module's own
mended: the summary table's rows were sought by "Agency |" openings that
the agencies table's rows share (the rows are now sought under "Summary of
good practice" only), and by the Markdown's cell break, which the PDF's
first rows lack (the rows are now the practice passages under the
heading). On the frozen tree (09:24:00-09:24:20) and from /work/main with
its own src/ (09:24:22-09:24:38) the module gave the same: 106 passed, 10
skipped, 30 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.coding import load_codebook
from storfa.domain.ids import find_board_numbered
from written import (
    CODEBOOK,
    Read,
    all_suggested,
    auto_coding,
    between,
    finds_the_recommendations,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identified,
    identity,
    labelled_records,
    lead_ins,
    never_suggested,
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
    records_of,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-tbcpr"
DOCUMENT = DATA / "tbcpr-written-2026.md"
NUMBERING = "GWSB 2024/03 CPR"  # on the cover: board, year/number, type
IDENTIFIER = "CPR2024-03/GW"
BOARD = "Gwent Safeguarding Board"
COUNCIL = ("Newport City Council", "Newport City Council Children's Services")
POLICE = "Gwent Police"
HEALTH_BOARD = "Aneurin Bevan University Health Board"
RECOMMENDATIONS = (
    "1 | The Board should ensure that its multi-agency",
    "2 | Newport City Council should ensure that return home",
    "3 | The Board should seek assurance from the five",
    "4 | Gwent Police should ensure that Public Protection",
    "5 | Newport City Council should ensure that child protection",
    "6 | Aneurin Bevan University Health Board should ensure",
    "7 | The Board should write to the Welsh Government",
)
OUTLINE = "1. Brief outline of circumstances resulting in the Review"
LEARNING = "2. Practice and organisational learning"
AREAS = ("Recognising criminal exploitation early",
         "School exclusion and the loss of a protective factor",
         "Missing episodes and return home interviews",
         "Multi-agency planning and the child protection plan")
FAMILY = "Hearing J and his family"
SUMMARY = "Summary of good practice"
SYSTEMS = "3. Improving Systems and Practice"
ALREADY = "Actions already taken"
RECOMMENDATIONS_HEADING = "Recommendations"
STATEMENT = "4. Statement by Reviewer(s)"
CHAIR = "5. Statement by Review Panel Chair"
TERMS = "Appendix 1: Terms of reference"
TIMELINE = "Appendix 2: Summary timeline"
SUMMARY_LEAD_IN = "The good practice the review identified is summarised"
# The summary table's rows, by their Agency cell, each with the opening of
# the prose paragraph it restates.
ROWS_AND_PROSE = (
    ("The secondary school", "The school's designated safeguarding person"),
    ("Dyfed-Powys Police", "The Dyfed-Powys Police officer who interviewed"),
    ("Aneurin Bevan University Health Board", "On 20 January 2023 J attended"),
    ("Gwent Police", "Gwent Police's missing person coordinator"),
    ("Newport City Council Children's Services", "J had three social workers"),
    ("Newport Learning Centre", "J started at the Newport Learning Centre"),
    ("Newport Youth Justice Service", "The Youth Justice Service worked"),
    ("Ymlaen Project", "From May 2023 J was supported"),
    ("Welsh Ambulance Services", "J's care after he was stabbed"),
)

_FACT = (
    "'On 5 December 2022, during his second missing episode, J was found by Dyfed-Powys "
    "Police in a flat in Llanelli with 18 wraps of crack cocaine and heroin and £340 in "
    "cash. He was arrested ... released under investigation. Officers drove him home ...' is "
    "suggested (Record keeping, 0.79), both readings; right: not suggested (what happened, "
    "no practice praised)")
_LEAD_IN = (
    "the good practice table's lead-in 'The good practice the review identified is "
    "summarised by agency in the table below. Each example is described in the analysis "
    "above.' is suggested (Learning from past reviews, 0.79), both readings; right: not "
    "suggested (it points to the table; the practice is in the rows)")
_CHRONOLOGY = (
    "'The school's designated safeguarding person recorded each of these observations ... "
    "By the end of November 2022 her chronology held 23 entries. The review found that this "
    "record was clear and detailed, and it is the earliest account ...' is not suggested "
    "(0.33), both readings; right: practice named as good, Record keeping (its row in the "
    "summary table is suggested, Record keeping 0.82)")
_MORNING_AFTER = (
    "'A strategy discussion was held on the morning of 24 August 2023, the day after J was "
    "injured, and agreed that he would not return to the family home ... This was a prompt "
    "and proportionate response, in line with the Wales Safeguarding Procedures.' is not "
    "suggested (0.24), both readings; right: practice named as good, Adhering to policy and "
    "procedure")
_MESSAGES = (
    "'From May 2023 J was supported by a project worker from the Ymlaen Project. She gave J "
    "her work mobile number ... During two missing episodes in July 2023 J messaged her, and "
    "each time she kept him talking, passed his location to the police and was waiting at "
    "the house ...' is not suggested (0.39), both readings; right: practice stated through "
    "what was done, Consistent and persistent communication (its row in the summary table is "
    "suggested, Multi-agency working 0.99)")
_GUIDANCE = (
    "'Since the learning event, Newport City Council's Education Service has changed its "
    "exclusions guidance. A headteacher considering the permanent exclusion ... must now "
    "first hold a multi-agency meeting ...' is not suggested (0.46), both readings; right: "
    "a change made since, Learning from past reviews")
_ROWS_THEME = (
    "two rows of the good practice table are suggested outside their label's theme, both "
    "readings: 'Dyfed-Powys Police | The officer who interviewed J in Llanelli recognised him "
    "as a likely victim of exploitation and submitted a Public Protection Notice the same "
    "evening.' -> Adhering to policy and procedure (1.00 Markdown, 0.99 PDF; right: "
    "Escalating concerns) and 'Welsh Ambulance Services University NHS Trust and the Grange "
    "University Hospital | The response ... was rapid, and a nurse kept J's mother informed "
    "throughout the night.' -> Positive working relationships (0.86, 0.78; right: Effective "
    "communication); from the PDF also the piece 'The secondary school' not suggested")
_THEMES = (
    "the same theme on 19 of 23 from the Markdown (20 of 23 from the PDF by the carried "
    "labels): the Ymlaen commission since -> Multi-agency working 0.63 (Learning from past "
    "reviews), the care after the stabbing -> Positive working relationships 0.98 (Effective "
    "communication), the table's ambulance and hospital row -> Positive working "
    "relationships 0.86/0.78 (Effective communication), and from the Markdown the table's "
    "Dyfed-Powys row -> Adhering to policy and procedure 1.00 (Escalating concerns)")
_ROWS_AND_PROSE = (
    "three rows of the good practice table are not read in the theme of the paragraph they "
    "restate, both readings: the school's row Record keeping (0.82) but its paragraph not "
    "suggested (0.33); the Dyfed-Powys row Adhering to policy and procedure (1.00/0.99) but "
    "the officer's paragraph Risk assessment (0.97); the Ymlaen row Multi-agency working "
    "(0.99) but the worker's paragraph not suggested (0.39); right: each row read as its "
    "paragraph is")


read = reading(DOCUMENT, DATA / "tbcpr-written-2026.tsv", "written-tbcpr")


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the outline's heading.
    return set(range(heading_at(read, OUTLINE)))


def _outline(read: Read) -> set[int]:
    return between(read, OUTLINE, LEARNING)


def _learning(read: Read) -> set[int]:
    return between(read, LEARNING, SYSTEMS)


def _summary_table(read: Read) -> set[int]:
    """The good practice table's rows (from a PDF, their pieces): the practice
    passages under "Summary of good practice"."""
    return between(read, SUMMARY, SYSTEMS) & read.seqs("practice")


def _summary_header(read: Read) -> set[int]:
    return between(read, SUMMARY, SYSTEMS) - read.seqs("practice") - opened_by(
        read, SUMMARY_LEAD_IN)


def _row(read: Read, agency: str) -> int:
    """The summary table's row that opens on this agency (from a PDF, the
    piece that holds its practice)."""
    (seq,) = [s for s in _summary_table(read) if read.text(s).startswith(agency)
              and read.text(s) != agency] or [
        s + 1 for s in _summary_table(read) if read.text(s) == agency]
    return seq


def _statements_and_appendix(read: Read) -> set[int]:
    return set(range(heading_at(read, STATEMENT), len(read.passages)))


def _table_rows(read: Read, first: str, after: str | None) -> list[int]:
    end = heading_at(read, after) if after else len(read.passages)
    return [s for s in range(heading_at(read, first) + 1, end)
            if read.passages[s].kind == "table_row"]


def _at_bar(read: Read, bar: float) -> None:
    precision, recall = auto_coding(read)
    assert precision >= bar and recall >= bar, (precision, recall)


def _theme_of(read: Read, seq: int) -> str | None:
    code = read.suggested.get(seq, [("", 0.0)])[0][0]
    return load_codebook(CODEBOOK).code(code).theme if code else None


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 134, 27, 7, 100)


# First reading, since fixed (round eight's table fixes): from the PDF, 135 passages, not 134: the
# good practice table's header 'Agency | Good practice identified' read as the paragraph 'Agency
# Good practice identified', its first row 'The secondary school | The designated safeguarding
# person kept ...' as two paragraphs ('The secondary school', 'The designated safeguarding person
# kept a clear, dated chronology ...'), its second row as the paragraph 'Dyfed-Powys Police The
# officer who interviewed J ...' (no cell break); and 'J, a 14-year-old living at home' read as
# '14- year-old'; every other passage as written
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 134, 27, 7, 100)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown", 134)


# First reading, since fixed (a broken line's hyphen after a digit joins without a space): from the
# PDF, 135 passages, not 134: the good practice table's header 'Agency | Good practice identified'
# read as the paragraph 'Agency Good practice identified', its first row 'The secondary school |
# The designated safeguarding person kept ...' as two paragraphs ('The secondary school', 'The
# designated safeguarding person kept a clear, dated chronology ...'), its second row as the
# paragraph 'Dyfed-Powys Police The officer who interviewed J ...' (no cell break); and 'J, a
# 14-year-old living at home' read as '14- year-old'; every other passage as written. Since round
# eight's table fixes the table's rows are rows (134 passages): the hyphen remains
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf", 134)


def test_the_pdf_reads_all_but_a_hyphen_as_written(read: Read) -> None:
    # At the first reading 135 passages, the good practice table's header and
    # first two rows read as paragraphs too; read as rows since round eight's
    # table fixes (the header and the first row's agency at the foot of a page).
    only(read, "pdf")
    assert len(read.passages) == 134
    known = ("At the learning event practitioners said",)
    wrong = [(s, t) for s, t in read.differ() if not t.startswith(known)]
    assert not wrong, wrong


def test_the_other_tables_rows_are_table_rows(read: Read) -> None:
    # Header and rows: the agencies (8 rows), the recommendations (7), the
    # reviewers' signatures (2), the timeline (9); from both readings.
    found = {
        "agencies": len(_table_rows(read, OUTLINE, LEARNING)),
        "recommendations": len(_table_rows(read, RECOMMENDATIONS_HEADING, STATEMENT)),
        "reviewers": len(_table_rows(read, STATEMENT, CHAIR)),
        "timeline": len(_table_rows(read, TIMELINE, None)),
    }
    assert found == {"agencies": 9, "recommendations": 8, "reviewers": 3,
                     "timeline": 10}, found


def test_the_good_practice_tables_rows_are_table_rows(read: Read) -> None:
    only(read, "markdown")
    assert len(_table_rows(read, SUMMARY, SYSTEMS)) == 10


# First reading, since fixed (round eight's table fixes): from the PDF the good practice table has
# 7 table rows, not 10 (header and nine rows): its header and first two rows are read as
# paragraphs ('Agency Good practice identified', 'The secondary school', 'The designated
# safeguarding person kept ...', 'Dyfed-Powys Police The officer who interviewed J ...'); the
# other tables' rows are table rows
def test_the_good_practice_tables_rows_are_table_rows_in_the_pdf(read: Read) -> None:
    only(read, "pdf")
    assert len(_table_rows(read, SUMMARY, SYSTEMS)) == 10


def test_the_pdf_reads_every_row_of_the_good_practice_table_as_a_row(read: Read) -> None:
    # At the first reading its last seven rows only (the header and the first
    # two rows paragraphs, a strict xfail of their own); since round eight's
    # table fixes all of them, each agency in its first cell.
    only(read, "pdf")
    rows = _table_rows(read, SUMMARY, SYSTEMS)
    assert [read.text(s).split(" | ")[0] for s in rows] == \
        ["Agency"] + [agency for agency, _ in ROWS_AND_PROSE[:8]] + [
            "Welsh Ambulance Services University NHS Trust and the Grange University Hospital"]


def test_the_learnings_areas_and_the_summary_are_headings(read: Read) -> None:
    for text in (*AREAS, FAMILY, SUMMARY, ALREADY, RECOMMENDATIONS_HEADING):
        heading_at(read, text)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Gwent" is the board's name in Welsh; "Extended Review".
    identity(read, type="CPR", variant="extended", board="Gwent")


def test_the_cover_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("CPR", 2024, 3, "GW"))


def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    found = find_board_numbered(NUMBERING, "CPR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


def test_the_index_incident_is_the_stabbing(read: Read) -> None:
    # "On the night of 23 August 2023 J, who was 14, was stabbed ...".
    assert read.summary.dates.get("index_incident") == "2023-08-23", read.summary.dates


def test_the_referral_is_the_councils(read: Read) -> None:
    # "Newport City Council referred the case to the Board's Child Practice
    # Review Group on 18 September 2023." (met 5 October, agreed 12 October).
    assert read.summary.dates.get("referral") == "2023-09-18", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 1 September 2022 to 23 August 2023."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-09-01", "2023-08-23"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-02-22", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # The reviewers' table, "03/07/2024"; not the panel chair's 17/07/2024,
    # nor the final report to the Board of 10 September 2024.
    assert read.summary.dates.get("sign_off") == "2024-07-03", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2024-11-19", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


def test_one_record_for_each_row_numbered_one_to_seven(read: Read) -> None:
    print_register(read)
    numbers = [r.number for r in labelled_records(read)]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7"], numbers


def test_each_record_holds_its_recommendation(read: Read) -> None:
    # The Recommendation cell's words, whatever is made of the number and the
    # Agency cells.
    for n, opening in enumerate(RECOMMENDATIONS, start=1):
        words = opening.split(" | ", 1)[1]
        records = records_of(read, str(n))
        assert records and all(words in r.text for r in records), \
            (n, [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not "should have led to a strategy discussion", not "It would have been
    # good practice", not the exclusions guidance's "must now", not the
    # actions already taken, the template's prompt, the lead-in, the action
    # plan, the statements or the terms of reference.
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_learning_the_outline_or_the_appendix(read: Read) -> None:
    for what, seqs in (("outline", _outline(read)), ("learning", _learning(read)),
                       ("actions already taken", between(read, ALREADY,
                                                         RECOMMENDATIONS_HEADING)),
                       ("statements and appendix", _statements_and_appendix(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_boards_recommendations_are_the_boards(read: Read) -> None:
    found = {n: [r.agencies for r in records_of(read, n)] for n in ("1", "3", "7")}
    assert all(a and all(x and x[0] == BOARD for x in a) for a in found.values()), found


def test_the_councils_recommendations_are_the_councils(read: Read) -> None:
    found = {n: [r.agencies for r in records_of(read, n)] for n in ("2", "5")}
    assert all(a and all(x and x[0] in COUNCIL for x in a) for a in found.values()), found


def test_the_police_recommendation_is_gwent_polices(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "4")]
    assert found and all(a and a[0] == POLICE for a in found), found


def test_the_health_boards_recommendation_is_the_health_boards(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "6")]
    assert found and all(a and a[0] == HEALTH_BOARD for a in found), found


def test_no_recommendation_has_a_due_date(read: Read) -> None:
    # "each quarter", "within five school days": relative, no date.
    assert not [r.due_date for r in labelled_records(read) if r.due_date], \
        [(r.number, r.due_date) for r in labelled_records(read)]


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_auto_coding_holds_0_80_on_precision_and_recall(read: Read) -> None:
    # Precision 0.92 and recall 0.85 from the Markdown; 0.92 and 0.82 from the PDF.
    _at_bar(read, 0.80)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_the_theme_agrees_with_the_label_on_0_80(read: Read) -> None:
    # 19 of 23 from the Markdown, 20 of 23 from the PDF.
    _, same_theme, hits = theme_agreement(read)
    assert hits and same_theme / hits >= 0.80, (same_theme, hits)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round nine's reviews (this stop): Gwent Police's missing "
    "person coordinator's paragraph is suggested as Record keeping (0.57), both readings;"
    ' right: Multi-agency working'))
def test_all_but_four_suggestions_are_in_the_labels_theme(read: Read) -> None:
    wrong = opened_by(read, "Since January 2024 Newport City Council",
                      "J's care after he was stabbed") | {
        _row(read, "Dyfed-Powys Police"), _row(read, "Welsh Ambulance Services")}
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys() - wrong)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# 'J's care after he was stabbed was good. The ambulance arrived within eight minutes ... A nurse
# stayed with J's mother through the night and explained each step of his treatment to her. ...'
# is suggested as Positive working relationships (0.98), both readings; right: Effective
# communication (the Communication theme)
def test_the_care_after_the_stabbing_is_effective_communication(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "J's care after he was stabbed"))


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "outline": _outline(read),
        "statements and appendix": _statements_and_appendix(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_does_not_suggest_the_agencies_table(read: Read) -> None:
    rows = set(_table_rows(read, OUTLINE, LEARNING))
    assert len(rows) == 9
    never_suggested(read, {"agencies table": rows})


def test_auto_coding_does_not_suggest_the_timeline(read: Read) -> None:
    rows = set(_table_rows(read, TIMELINE, None))
    assert len(rows) == 10
    never_suggested(read, {"timeline": rows})


def test_auto_coding_does_not_suggest_the_good_practice_tables_header(read: Read) -> None:
    header = _summary_header(read)
    assert len(header) == 1
    never_suggested(read, {"header": header})


@pytest.mark.xfail(strict=True, reason=_LEAD_IN)
def test_auto_coding_does_not_suggest_the_good_practice_tables_lead_in(read: Read) -> None:
    opened_not_suggested(read, SUMMARY_LEAD_IN)


def test_auto_coding_does_not_suggest_the_template_prompt_or_the_action_plan(
        read: Read) -> None:
    opened_not_suggested(read, "In order to promote the learning",
                         "An action plan to implement these recommendations")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The reviewers recognise that the team received",
                         "The reviewers accept that the school",
                         "The reviewers recognise that Gwent's")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event practitioners said",
                         "Teachers at the learning event said")


def test_auto_coding_does_not_suggest_the_familys_words(read: Read) -> None:
    opened_not_suggested(read, "J's mother told the review that she had asked",
                         "J said that being excluded")


def test_auto_coding_does_not_suggest_the_mothers_praise_quoted(read: Read) -> None:
    # Her view, not the reviewers': "the first professionals who 'treated him
    # like a child'".
    opened_not_suggested(read, "J's mother said that the social worker and the Ymlaen")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but the Llanelli episode (its own xfail).
    opened_not_suggested(read, "The first signs were seen at school",
                         "However, the school did not share",
                         "J was first reported missing",
                         "The Public Protection Notice reached",
                         "J received fixed-term exclusions", "The decision was made while",
                         "J was out of education", "The Centre closed for the summer",
                         "J was reported missing eleven times",
                         "Return home interviews were not completed", "On 17 June 2023",
                         "J's name was placed on the child protection register",
                         "The plan focused on J's behaviour",
                         "A multi-agency child exploitation meeting",
                         "At the review child protection conference")


@pytest.mark.xfail(strict=True, reason=_FACT)
def test_auto_coding_does_not_suggest_the_llanelli_episode(read: Read) -> None:
    opened_not_suggested(read, "On 5 December 2022")


@pytest.mark.xfail(strict=True, reason=f"{_FACT}; and {_LEAD_IN}")
def test_auto_coding_does_not_suggest_anything_else_in_the_learning(read: Read) -> None:
    other = _learning(read) & read.seqs("other") - headings(read)
    assert len(other) == 27
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_anything_else_in_the_learning_but_two(
        read: Read) -> None:
    # All but the Llanelli episode and the table's lead-in (their own xfails).
    other = _learning(read) & read.seqs("other") - headings(read) - opened_by(
        read, "On 5 December 2022", SUMMARY_LEAD_IN)
    assert len(other) == 25
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "This was good practice", "good practice that made a real difference",
    # "thorough and timely", "commends", "was good". All but the chronology
    # and the strategy discussion the morning after (their own xfails).
    opened_suggested(read, "The Dyfed-Powys Police officer who interviewed",
                     "J started at the Newport Learning Centre",
                     "Gwent Police's missing person coordinator",
                     "J had three social workers", "J's care after he was stabbed")


@pytest.mark.xfail(strict=True, reason=_CHRONOLOGY)
def test_auto_coding_finds_the_schools_chronology(read: Read) -> None:
    opened_suggested(read, "The school's designated safeguarding person recorded")


@pytest.mark.xfail(strict=True, reason=_MORNING_AFTER)
def test_auto_coding_finds_the_strategy_discussion_the_morning_after(read: Read) -> None:
    opened_suggested(read, "A strategy discussion was held on the morning")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The triage nurse's questions and referral; the well attended strategy
    # discussion; the supervision; the youth justice worker at the boxing
    # club. All but the Ymlaen worker's messages (its own xfail).
    opened_suggested(read, "On 20 January 2023 J attended", "The referral led to the first",
                     "Her team manager gave her", "The Youth Justice Service worked with J")


@pytest.mark.xfail(strict=True, reason=_MESSAGES)
def test_auto_coding_finds_the_ymlaen_workers_messages(read: Read) -> None:
    opened_suggested(read, "From May 2023 J was supported")


def test_auto_coding_finds_the_persistent_work_mixed_with_criticism(read: Read) -> None:
    opened_suggested(read, "The education welfare officer visited")


@pytest.mark.xfail(strict=True, reason=f"{_CHRONOLOGY}; {_GUIDANCE}; {_MESSAGES}; and "
                   f"{_MORNING_AFTER}")
def test_auto_coding_finds_all_the_practice_in_the_learnings_prose(read: Read) -> None:
    practice = _learning(read) & read.seqs("practice") - _summary_table(read)
    assert len(practice) == 16
    all_suggested(read, practice)


def test_auto_coding_finds_all_but_four_in_the_learnings_prose(read: Read) -> None:
    missed = opened_by(read, "The school's designated safeguarding person recorded",
                       "Since the learning event, Newport City Council's",
                       "From May 2023 J was supported", "A strategy discussion was held on")
    practice = _learning(read) & read.seqs("practice") - _summary_table(read) - missed
    assert len(practice) == 12
    all_suggested(read, practice)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_actions_already_taken(read: Read) -> None:
    for opening in ("Since the review began, Gwent Police",
                    "Aneurin Bevan University Health Board has added"):
        opened_coded(read, opening, "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_GUIDANCE)
def test_auto_coding_finds_the_exclusions_guidance_since(read: Read) -> None:
    opened_coded(read, "Since the learning event, Newport City Council's",
                 "Learning from past reviews")


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# 'Since January 2024 Newport City Council has commissioned the Ymlaen Project to carry out return
# home interviews ... The Board now receives a quarterly report ...' is suggested as Multi-agency
# working (0.63), both readings; right: a change made since, Learning from past reviews
def test_auto_coding_finds_the_ymlaen_commission_since(read: Read) -> None:
    opened_coded(read, "Since January 2024 Newport City Council", "Learning from past reviews")


def test_auto_coding_finds_every_row_of_the_good_practice_table(read: Read) -> None:
    only(read, "markdown")
    rows = _summary_table(read)
    assert len(rows) == 9
    all_suggested(read, rows)


# First reading, since fixed (round eight's table fixes): a strict xfail, the first row read
# as two pieces, 'The secondary school' not suggested (0.00); the row is now one row, and the
# table's nine rows are as the Markdown's.
def test_auto_coding_finds_every_row_of_the_good_practice_table_in_the_pdf(
        read: Read) -> None:
    only(read, "pdf")
    rows = _summary_table(read)
    assert len(rows) == 9
    all_suggested(read, rows)


def test_auto_coding_finds_the_practice_of_every_row(read: Read) -> None:
    # From the PDF too: each row's practice (the first row's second piece).
    rows = {_row(read, agency) for agency, _ in ROWS_AND_PROSE}
    assert len(rows) == 9
    all_suggested(read, rows)


@pytest.mark.xfail(strict=True, reason=_ROWS_THEME)
def test_the_good_practice_tables_rows_are_in_their_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, _summary_table(read))


def test_seven_rows_of_the_good_practice_table_are_in_their_labels_theme(
        read: Read) -> None:
    rows = {_row(read, agency) for agency, _ in ROWS_AND_PROSE
            if agency not in ("Dyfed-Powys Police", "Welsh Ambulance Services")}
    assert len(rows) == 7
    suggested_in_labels_theme(read, rows)


def _row_and_prose(read: Read, agency: str, prose: str) -> tuple[str | None, str | None]:
    """The themes of a summary row's suggestion and of its paragraph's."""
    (paragraph,) = opened_by(read, prose)
    return _theme_of(read, _row(read, agency)), _theme_of(read, paragraph)


@pytest.mark.xfail(strict=True, reason=_ROWS_AND_PROSE)
def test_the_good_practice_tables_rows_read_as_the_prose_does(read: Read) -> None:
    # Each row restates a paragraph of the learning: the same theme from both.
    themes = {agency: _row_and_prose(read, agency, prose) for agency, prose in ROWS_AND_PROSE}
    differ = {a: t for a, t in themes.items() if t[0] is None or t[0] != t[1]}
    assert not differ, differ


@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round nine's reviews (this stop): the Gwent Police row and "
    'its paragraph differ (Communication against Policy, Procedures and Recording), both '
    'readings'))
def test_five_rows_read_as_the_prose_does(read: Read) -> None:
    # All but the school's, the Dyfed-Powys and the Ymlaen rows (their xfail)
    # and, since the coder learnt round eight (in-sample), the ambulance and
    # hospital row: its paragraph now reads in the label's theme
    # (Communication), the row still Care and Support. At the first reading
    # six rows, the ambulance row and its paragraph agreeing, both outside
    # the label's theme.
    skipped = ("The secondary school", "Dyfed-Powys Police", "Ymlaen Project",
               "Welsh Ambulance Services")
    themes = {agency: _row_and_prose(read, agency, prose) for agency, prose in ROWS_AND_PROSE
              if agency not in skipped}
    assert len(themes) == 5
    differ = {a: t for a, t in themes.items() if t[0] is None or t[0] != t[1]}
    assert not differ, differ
