"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a Welsh
Domestic Homicide Review overview report in the Home Office's 2016
template, laid out otherwise than the DHR of `test_written_dhr.py` and the
DARDR of `test_written_dardr.py`, of the single-case auto-coding threshold
and the document-reading rules chosen on the written reviews before it.

`tests/data/written-wdhr/wdhr-written-2026.md` is a WRITTEN DHR (fictional:
no real case or person) for Cardiff Community Safety Partnership, "Domestic
Homicide Review Overview Report into the death of Olivia (pseudonym),
October 2023": Olivia, 29, a Romanian woman with pre-settled status who
spoke little English, strangled by her partner Andrei at their home in
Splott with their daughter Sofia in the next room. Interpreters, a partner
who interpreted, and immigration status used as control run through it.
Where it differs from the DHR and the DARDR:

- the title page: the partnership, ONE level-1 heading holding the whole
  title (type, "Overview Report", the pseudonym and the month), "Chair and
  author: Eleri Prosser", "Published: 3 March 2026"; NO numbering there: the
  partnership's reference is in the text, "2.1 ... It is the Partnership's
  third review commissioned in 2023, and its reference is CCSP DHR
  03/2023."; contents one paragraph of section ranges;
- first-name pseudonyms throughout (Olivia, Andrei, Sofia, Ioana), chosen by
  her sister; the template's nineteen numbered sections, paragraphs "1.1";
  the terms of reference as a lead-in and three numbered QUESTIONS; tables
  of contributors ("Agency | Chronology | IMR", cells "Yes") and of panel
  members ("Name | Job title | Agency"), the panel table with no lead-in;
  the chronology as a TABLE "Date | Agency | Event" (four rows);
- Cardiff and Vale Regional Safeguarding Board named twice, for its
  decision not to hold a Child Practice Review for Sofia (10.1) and as a
  recipient (12.1): not the review's board;
- the analysis BY AGENCY under numbered sub-headings "16.1 South Wales
  Police" ... "16.5 Cardiff Council Housing Options Centre", paragraphs
  numbered "16.1.1"; good practice praised in so many words ("The Panel
  commends her professional curiosity", "exemplary practice", "The Panel
  recognises the continuity of care", "This was effective joint working"),
  stated through what was done ("in line with the force's domestic abuse
  policy", a record "detailed ... within the statutory timescale", an IDVA
  who "did not give up", an officer who asked a senior officer "Rather than
  turning her away"), two changes since the events, one "It would have been
  good practice ...", poor practice and two concessions that open a
  criticism ("as the health board's guidance requires, but ...", "in
  accordance with its closure procedure at the time. The MARAC ... were not
  told");
- conclusions with a paragraph of "practice to commend" restating four
  findings; "Lesson 1: ..." as BOLD run-in titles in numbered paragraphs,
  two ending "(Recommendation 1)", "(Recommendation 2)", one worded
  "Agencies should plan ...";
- the overview recommendations as a TABLE "No. | Recommendation | Lead" (four
  rows, "1 | Cardiff Community Safety Partnership should ..."), no lead-in;
  "Single agency recommendations": a lead-in, then each agency a level-4
  HEADING ("South Wales Police", "Cardiff and Vale University Health Board",
  "RISE") over a numbered list that starts again at 1 ("1. Officers
  attending ...", "1. The service should audit ..."), the items naming no
  agency of their own or only a part of one ("midwives", "GP practices");
- "Appendix: Action plan", six columns "Recommendation | Scope | Action |
  Lead agency | Key milestones | Target date", four rows restating the
  overview recommendations in short ("1. Interpreters for a first contact
  ...").

Its labels (`wdhr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 110 passages,
12 practice, 9 recommendation (4 table rows, 5 single agency items), 89
other. Practice: 16.1.2 Risk assessment; 16.1.3 Adhering to policy and
procedure; 16.1.5 and 16.4.4 (changes since) Learning from past reviews;
16.2.2 Effective communication; 16.2.3 Consistent care and support; 16.2.5
Suggested good practice; 16.3.1 Record keeping (borderline: its praise is
the record and the timescale, its criticism the next paragraph); 16.4.1
Persistency in care and support; 16.4.2 Multi-agency working; 16.5.1
Escalating concerns; 17.2 (the restatement) Effective communication, by its
first example. Other: the title page, contents, sections 1-15 (the family's
words, the tables, the chronology), the poor practice and the concessions,
17.1, the lessons, the headings, the lead-in, and the action plan's rows (a
recommendation is counted once, as the DHR's and MHHR's plans).

What a user would expect of its identity, decided before the reading: type
DHR, variant None, board None (a partnership is not a board, as the DHR's);
identifier DHR2023-W03 (the partnership's "CCSP DHR 03/2023" in the
all-Wales form, as "DHR 2024/02" -> DHR2024-W02), year 2023; dates: index
incident 2023-10-14, referral 2023-10-20 (the police's notification to the
partnership), learning event 2024-10-03, period 2021-03-01 to 2023-10-14,
sign-off 2025-04-09 (the Panel's agreement, not the Partnership's approval
on 2025-05-06), publication 2026-03-03. Records: nine, the overview's
numbered 1-4, each number in the register its own, the single agency items
to the agency of their heading.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt12
as it was, HEAD d48797e; by the machine's clock the session began 23:43:57,
the labels were written 23:48:28 and copied into tests/data with the
document 23:48:30, this module written 23:49:07 before any reading, storfa
first run 23:49:09-23:49:30; the dates' evidence and the PDF's passages
printed 23:51 on the same tree), the same from the Markdown and from the PDF
unless said:

- segmentation: the Markdown as written (110); the PDF 111 passages: two
  panel rows with wrapped cells read with words moved ("Ms R | Named
  Safeguarding | Midwife | for | ..."), a chronology row ("2 August 2021 |
  Health (midwifery) | board | ..."), the action plan's header read as a
  paragraph and its row 2 as two rows; every heading as written;
- identity: type DHR, variant None, board None (right: not Cardiff and
  Vale); identifier None, the key the file's name (wdhr-written-2026), year
  2026 (publication): "CCSP DHR 03/2023" in 2.1 is not read, though
  parse_review_id reads it as DHR2023-W03. Dates: index incident, learning
  event, period start and publication right; referral 2022-06-18 (0.73,
  from "16.3.1 The police notification of 18 June 2022 led to a child and
  family assessment ..."), not 2023-10-20; period end None ("to her death on
  14 October 2023" in the same sentence as the start); sign-off 2025-05-06
  (0.55, the later date of "The Panel agreed the final overview report on 9
  April 2025 and the Partnership approved it on 6 May 2025");
- recommendations from the Markdown: 9 of 9, one record each, nothing extra
  (not the action plan, the lessons with "(Recommendation N)", the key
  lines of enquiry, "should have been held"); numbered 1-4, then 1, 2, 1,
  2, 1 (five numbers shared with the overview's); addressees right for the
  four table rows (the partnership, "Cardiff MARAC steering group",
  "Cardiff Council", the partnership), the single agency items [] (both
  police items and RISE's), ['midwifery'], ['GP'], not their heading's
  agency. From the PDF: 4 of 9, the table rows; none of the five single
  agency items read, nothing extra;
- auto-coding at the single-case threshold (0.49 as reported), from the
  Markdown: 10 suggestions, 9 of the 12 practice paragraphs, precision 0.90,
  recall 0.75; the same sub-theme as the label on 6 of 9, the same theme on
  7 of 9 (0.78). Wrong (1): the contributors' row "RISE (specialist domestic
  abuse service, Cardiff) | Yes | Yes" (0.60, Multi-agency working). Missed
  (3), all stated through what was done: 16.1.3 the evidence-led
  prosecution "in line with the force's domestic abuse policy" (0.10),
  16.4.1 the IDVA who "did not give up" (0.08), 16.5.1 the housing officer
  who asked "Rather than turning her away" (0.11). Sub-themes that differ:
  16.1.2 -> Escalating concerns (Risk assessment, the same theme), 16.2.3
  the same health visitor -> Effective communication (Consistent care and
  support), 16.4.4 RISE's change since -> Escalating concerns (Learning
  from past reviews). From the PDF: 12 suggestions, precision 0.75, recall
  0.75: besides the same, two single agency items it did not read as
  recommendations, "1. Officers attending ..." (0.76, Record keeping) and
  "2. GP practices should ensure ..." (0.76, Adhering to policy and
  procedure). Found, both readings: the four praised in so many words
  (0.78-0.97), 16.3.1 (0.51), both changes since (0.91, 0.67), "It would
  have been good practice" (1.00), the conclusions' restatement (0.69); not
  suggested: a heading, the title page, contents, the preliminaries but the
  one row, the chronology, a lead-in, a lesson, 15.1, 17.1, the poor
  practice, the concessions, the action plan.

After the first reading only this module changed, not the document or the
labels: each test that failed was marked strict xfail with what storfa
gave, those that failed in one reading only split by reading (`only`), and
the period's start split from its end. Run from /work/main on its own
source, whose working tree then held an uncommitted change to the PDF
layout reader, the PDF read 110 passages with only the action plan's header
misread, so the PDF's count and texts are one strict xfail, which fails on
both trees; everything else reads the same on both.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import parse_review_id
from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    between,
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
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    recommendation_groups,
    records_beyond_the_labels,
    theme_agreement,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-wdhr"
DOCUMENT = DATA / "wdhr-written-2026.md"
NUMBERING = "CCSP DHR 03/2023"  # "its reference is CCSP DHR 03/2023" (2.1)
IDENTIFIER = "DHR2023-W03"  # the all-Wales form, as the DHR's "DHR 2024/02"
PARTNERSHIP = "Cardiff Community Safety Partnership"
POLICE = "South Wales Police"
HEALTH_BOARD = "Cardiff and Vale University Health Board"
# Each recommendation's passage: the overview table's four rows, then the
# single agency items, numbered afresh under each agency's heading.
RECOMMENDATIONS = (
    "1 | Cardiff Community Safety Partnership should seek assurance",
    "2 | The Cardiff MARAC steering group should amend",
    "3 | Cardiff Council Children's Services should ensure",
    "4 | Cardiff Community Safety Partnership should work",
    "1. Officers attending a domestic abuse incident",
    "2. When a decision is made not to charge",
    "1. Where routine enquiry cannot be asked",
    "2. GP practices should ensure",
    "1. The service should audit",
)
SINGLE_AGENCY = [POLICE, POLICE, HEALTH_BOARD, HEALTH_BOARD, "RISE"]
HEADINGS = [
    "Domestic Homicide Review Overview Report into the death of Olivia (pseudonym), October 2023",
    "Contents", "1. Introduction", "2. Timescales", "3. Confidentiality",
    "4. Terms of reference", "5. Methodology",
    "6. Involvement of family, friends, work colleagues, neighbours and wider community",
    "7. Contributors to the review", "8. The review panel members",
    "9. Author of the overview report", "10. Parallel reviews", "11. Equality and diversity",
    "12. Dissemination", "13. Background information (the facts)", "14. Chronology",
    "15. Overview", "16. Analysis", "16.1 South Wales Police",
    "16.2 Cardiff and Vale University Health Board", "16.3 Cardiff Council Children's Services",
    "16.4 RISE", "16.5 Cardiff Council Housing Options Centre", "17. Conclusions",
    "18. Lessons to be learned", "19. Recommendations", "Overview report recommendations",
    "Single agency recommendations", "South Wales Police",
    "Cardiff and Vale University Health Board", "RISE", "Appendix: Action plan",
]
ANALYSIS, CONCLUSIONS = "16. Analysis", "17. Conclusions"
LESSONS, RECOMMENDATIONS_HEADING = "18. Lessons to be learned", "19. Recommendations"

# The xfail reasons shared by more than one test.
# _PDF_PASSAGES, a first reading since fixed (cell borders read from a table's rules): from the
# PDF, 111 passages, not 110: the panel table's rows with wrapped cells read with words moved
# between cells ('Ms R | Named Safeguarding | Midwife | for | Cardiff and Vale ...', 'Mr S |
# Operational Safeguarding | Manager, | ...'), the chronology's first row ('2 August 2021 |
# Health (midwifery) | board | ...'), the action plan's header read as a paragraph
# ('Recommendation Scope Action Lead agency Key Target date milestones') and its row 2 as two
# rows ('2. Referral back to | Local | Amend the | Cardiff | Protocol | April 2026', 'MARAC
# perpetrator's return | on | a | ...'); the Markdown is read as written. Run against
# /work/main's working tree as it was after the first reading (an uncommitted change to the PDF
# layout reader), 110 passages, the labels' counts held, and only the action plan's header still
# read as a paragraph
_PDF_SINGLE_AGENCY = (
    "from the PDF, none of the five single agency items under their agency's heading "
    "('1. Officers attending ...', '2. When a decision ...', '1. Where routine enquiry "
    "...', '2. GP practices ...', '1. The service should audit ...') is read: 4 records, "
    "the overview table's rows, nothing extra; from the Markdown all nine are")
_SINGLE_AGENCY_NAMES = (
    "the single agency items are not recorded to the agency of their heading: from the "
    "Markdown [] for both South Wales Police items and RISE's, ['midwifery'] and ['GP'] "
    "for the two under 'Cardiff and Vale University Health Board'; from the PDF they are "
    "not read at all; right: South Wales Police x2, Cardiff and Vale University Health "
    "Board x2, RISE")


read = reading(DOCUMENT, DATA / "wdhr-written-2026.tsv", "written-wdhr")


def _preliminaries(read: Read) -> set[int]:
    """Sections 1 to 12: the review and how it was done."""
    return between(read, "1. Introduction", "13. Background information (the facts)")


def _chronology(read: Read) -> set[int]:
    return between(read, "14. Chronology", "15. Overview")


def _analysis(read: Read) -> set[int]:
    return between(read, ANALYSIS, CONCLUSIONS) - headings(read)


def _lessons(read: Read) -> set[int]:
    return between(read, LESSONS, RECOMMENDATIONS_HEADING)


def _terms(read: Read) -> set[int]:
    return between(read, "4. Terms of reference", "5. Methodology")


def _action_plan(read: Read) -> set[int]:
    (at,) = [p.seq for p in read.passages
             if p.kind == "heading" and p.text == "Appendix: Action plan"]
    return set(range(at + 1, len(read.passages)))


def _groups(read: Read) -> list[set[int]]:
    return recommendation_groups(read, RECOMMENDATIONS)


def _records(read: Read) -> list[list[StoredRecommendation]]:
    """Each recommendation's records, in the report's order."""
    return [[r for seq, r in read.recommendations if seq in group] for group in _groups(read)]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 110, 12, 9, 89)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_PASSAGES above
def test_the_pdf_holds_the_passages_that_were_labelled_as_written(read: Read) -> None:
    # One test for the count and the texts: the reading of wrapped cells is
    # being changed in the working tree (see the reason).
    only(read, "pdf")
    holds_the_labels(read, 110, 12, 9, 89)
    reads_as_written(read)


def test_the_headings_are_the_reports_own(read: Read) -> None:
    assert [p.text for p in read.passages if p.kind == "heading"] == HEADINGS


def test_the_pdf_reads_the_recommendations_as_written(read: Read) -> None:
    # Its table's rows and the single agency items are read as the Markdown's
    # (the faults of the PDF are before and after them).
    recommendations = {s for g in _groups(read) for s in g}
    assert len(recommendations) == 9
    differ = {seq for seq, _ in read.differ()}
    assert not {i.label.seq for i in read.labelled if i.passage.seq in recommendations} & differ


# ------------------------------------------------------------------- identity
def test_the_report_gives_the_type_and_no_board(read: Read) -> None:
    # A community safety partnership is not a safeguarding board: Cardiff and
    # Vale Regional Safeguarding Board is named only for its decision not to
    # hold a Child Practice Review (10.1) and as a recipient (12.1).
    identity(read, type="DHR", variant=None, board=None)


@pytest.mark.xfail(strict=True, reason=(
    "identifier None, both readings: the review is keyed by its file's name "
    "(wdhr-written-2026) and its year is publication's, 2026; the partnership's reference in "
    "2.1, 'It is the Partnership's third review commissioned in 2023, and its reference is "
    "CCSP DHR 03/2023.', is not read, though parse_review_id reads it as DHR2023-W03 (the "
    "test below); right: DHR2023-W03, year 2023"))
def test_the_partnerships_reference_gives_the_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("DHR", 2023, 3, None))


def test_the_partnerships_reference_reads_as_the_identifier(read: Read) -> None:
    found = parse_review_id(NUMBERING)
    assert found.canonical() == IDENTIFIER, found


def test_the_index_incident_is_olivias_death(read: Read) -> None:
    assert read.summary.dates.get("index_incident") == "2023-10-14"


# First reading, since fixed: referral 2022-06-18 (confidence 0.73), both readings, read
# from '16.3.1 The police notification of 18 June 2022 led to a child and family
# assessment ...' (the police's notice to Children's Services about the strangulation);
# right: 2023-10-20, '2.1 South Wales Police notified Cardiff Community Safety
# Partnership of Olivia's death on 20 October 2023'
def test_the_referral_is_the_polices_notification(read: Read) -> None:
    # "South Wales Police notified Cardiff Community Safety Partnership of
    # Olivia's death on 20 October 2023", as the DHR's.
    assert read.summary.dates.get("referral") == "2023-10-20"


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-10-03"


def test_the_period_under_review_starts(read: Read) -> None:
    assert read.summary.dates.get("period_start") == "2021-03-01"


# First reading, since fixed: period end None, both readings: '4.1 The review covers the
# period from 1 March 2021, when Olivia's GP first recorded her pregnancy, to her death on 14
# October 2023.' gives the start only; right: 2023-10-14
def test_the_period_under_review_ends(read: Read) -> None:
    assert read.summary.dates.get("period_end") == "2023-10-14"


# First reading, since fixed: sign-off 2025-05-06 (confidence 0.55), both readings: the
# later date of 'The Panel agreed the final overview report on 9 April 2025 and the
# Partnership approved it on 6 May 2025', the commissioner's approval; right:
# 2025-04-09, the Panel's agreement, as the DHR's 'The panel agreed the overview report
# on ...'
def test_the_sign_off_is_the_panels_agreement(read: Read) -> None:
    # "The Panel agreed the final overview report on 9 April 2025", not the
    # Partnership's approval on 6 May 2025.
    assert read.summary.dates.get("sign_off") == "2025-04-09"


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2026-03-03"


# ------------------------------------------------------------ recommendations
def _every_recommendation_is_found(read: Read) -> None:
    print_register(read)
    found = _records(read)
    assert all(found), [RECOMMENDATIONS[n] for n, r in enumerate(found) if not r]
    reads_every_recommendation_passage(read)
    assert [len(r) for r in found] == [1] * 9
    assert len(labelled_records(read)) == 9


def test_every_recommendation_is_found(read: Read) -> None:
    only(read, "markdown")
    _every_recommendation_is_found(read)


@pytest.mark.xfail(strict=True, reason=_PDF_SINGLE_AGENCY)
def test_every_recommendation_is_found_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    _every_recommendation_is_found(read)


def test_the_overview_table_is_read_one_record_a_row(read: Read) -> None:
    assert [len(r) for r in _records(read)[:4]] == [1] * 4


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the action plan's rows, the lessons ("Agencies should plan ...
    # (Recommendation 1)"), the key lines of enquiry, nor "should have been
    # held" in the analysis.
    records_beyond_the_labels(read, 0)


def test_the_action_plan_is_not_counted_again(read: Read) -> None:
    plan = _action_plan(read)
    assert not {seq for seq, _ in read.recommendations} & plan
    assert not read.covered & plan


def test_no_recommendation_from_the_lessons_or_the_terms_of_reference(read: Read) -> None:
    lessons, terms = _lessons(read), _terms(read)
    assert len(lessons) == 3 and len(terms) == 4
    assert not read.covered & (lessons | terms), \
        [read.text(s)[:60] for s in sorted(read.covered & (lessons | terms))]


def test_no_recommendation_from_the_analysis(read: Read) -> None:
    analysis = _analysis(read)
    assert not read.covered & analysis, [read.text(s)[:60] for s in read.covered & analysis]


def test_the_overview_recommendations_are_numbered_1_to_4(read: Read) -> None:
    assert [r.number for records in _records(read)[:4] for r in records] == ["1", "2", "3", "4"]


# First reading, since fixed: from the Markdown the register numbers the nine records 1, 2, 3,
# 4, 1, 2, 1, 2, 1: the single agency items keep their list's own numbers, which start again
# under each agency's heading, so five records share a number with an overview recommendation
# (as the DHR's lettered items became 5a ... 7a, each needs a number of its own). From the PDF
# those items are not read (their own xfail)
def test_no_two_records_share_a_number(read: Read) -> None:
    # The single agency items are numbered afresh under each agency's
    # heading: each record still needs a number of its own in the register.
    only(read, "markdown")
    numbers = [r.number for _, r in read.recommendations]
    assert len(numbers) == len(set(numbers)), numbers


def test_the_partnerships_recommendations_are_the_partnerships(read: Read) -> None:
    found = _records(read)
    assert [r.agencies for r in found[0]] == [[PARTNERSHIP]]
    assert PARTNERSHIP in [a for r in found[3] for a in r.agencies], \
        [r.agencies for r in found[3]]


def test_the_marac_recommendation_names_the_steering_group(read: Read) -> None:
    assert [r.agencies for r in _records(read)[1]] == [["Cardiff MARAC steering group"]]


def test_the_childrens_services_recommendation_names_the_council(read: Read) -> None:
    (record,) = _records(read)[2]
    assert len(record.agencies) == 1 and record.agencies[0].startswith("Cardiff Council"), \
        record.agencies


def test_the_single_agency_items_name_the_agency_of_their_heading(read: Read) -> None:
    # Missed from both readings on the first reading (the xfail below).
    only(read, "markdown")
    assert [r.agencies for records in _records(read)[4:] for r in records] == \
        [[a] for a in SINGLE_AGENCY]


@pytest.mark.xfail(strict=True, reason=_SINGLE_AGENCY_NAMES)
def test_the_single_agency_items_name_the_agency_of_their_heading_from_the_pdf(
        read: Read) -> None:
    only(read, "pdf")
    assert [r.agencies for records in _records(read)[4:] for r in records] == \
        [[a] for a in SINGLE_AGENCY]


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.90 from the Markdown on the first reading.
    only(read, "markdown")
    holds_the_floors(read, recall=None)


# First reading, since fixed: from the PDF precision 0.75 (9 of 12), floor 0.80: besides the
# Markdown's one wrong suggestion (the contributors' row 'RISE ... | Yes | Yes', 0.60), two
# single agency items it does not read as recommendations are suggested, '1. Officers
# attending ...' (0.76, Record keeping) and '2. GP practices should ensure ...' (0.76,
# Adhering to policy and procedure); the Markdown's precision is 0.90
def test_auto_coding_precision_holds_its_floor_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.75 from both on the first reading: three practice paragraphs stated
    # through what was done are missed (their xfail below).
    holds_the_floors(read, precision=None)


@pytest.mark.xfail(strict=True, reason=(
    "since a review's 'Conclusions' are a zone of their own (-2.0: 3 of 28 such paragraphs "
    "of the written reviews are practice; the 33 reviews' P/R 0.866/0.848 -> 0.875/0.846), "
    "'17.2 There was also practice to commend. The community midwife ...' is held back, "
    "both readings: recall 0.67"))
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    # Precision 0.90 (Markdown) / 0.75 (PDF), recall 0.75 on the first reading.
    holds_the_judged_bar(read)


# First reading: the same theme on 7 of 9 (0.78), the same sub-theme on 6 of 9, both
# readings: 16.1.2 -> Escalating concerns (Risk assessment, the same theme), 16.2.3 the
# same health visitor -> Effective communication (Consistent care and support), 16.4.4
# RISE's change since -> Escalating concerns (Learning from past reviews).
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_the_first_reading_by_passage(read: Read) -> None:
    # Prints every suggestion and practice label (the record of the reading).
    theme_agreement(read)


def _template(read: Read) -> dict[str, set[int]]:
    return {
        "heading": headings(read),
        "title page and contents": title_page(read) | between(read, "Contents",
                                                               "1. Introduction"),
        "chronology": _chronology(read),
        "recommendation": read.seqs("recommendation"),
        "action plan": _action_plan(read),
        "lead-in": lead_ins(read),
    }


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    only(read, "markdown")
    never_suggested(read, _template(read))


@pytest.mark.xfail(strict=True, reason=(
    "from the PDF two single agency items, not read as recommendations there, are "
    "suggested: '1. Officers attending a domestic abuse incident should use ...' (0.76, "
    "Record keeping) and '2. GP practices should ensure that a MARAC flag ...' (0.76, "
    "Adhering to policy and procedure); from the Markdown no recommendation is"))
def test_auto_coding_never_suggests_what_a_review_template_rules_out_from_the_pdf(
        read: Read) -> None:
    only(read, "pdf")
    never_suggested(read, _template(read))


# First reading, since fixed: the contributors' table row 'RISE (specialist domestic abuse
# service, Cardiff) | Yes | Yes' is suggested (0.60, Multi-agency working), both readings: a
# row saying which agency sent an IMR presents no practice; nothing else in sections 1-12 is
def test_auto_coding_never_suggests_the_preliminaries(read: Read) -> None:
    # Sections 1-12: the family's words (6.2) among them.
    never_suggested(read, {"preliminaries": _preliminaries(read) - headings(read)})


def test_auto_coding_never_suggests_the_preliminaries_prose(read: Read) -> None:
    # The paragraphs and lists of sections 1-12 (the tables aside): the
    # family's words, the terms of reference, the equality section.
    prose = {s for s in _preliminaries(read) if read.passages[s].kind != "table_row"}
    never_suggested(read, {"preliminaries": prose - headings(read)})


def test_auto_coding_never_suggests_a_lesson(read: Read) -> None:
    never_suggested(read, {"lesson": _lessons(read)})


def test_auto_coding_never_suggests_the_overview_or_the_conclusions_finding(read: Read) -> None:
    never_suggested(read, {"overview and conclusion": opened_by(read, "15.1 ", "17.1 ")})


def test_auto_coding_finds_the_practice_praised_in_so_many_words(read: Read) -> None:
    # "The Panel commends ...", "exemplary practice", "The Panel recognises
    # the continuity of care ...", "This was effective joint working."
    praised = opened_by(read, "16.1.2 ", "16.2.2 ", "16.2.3 ", "16.4.2 ")
    assert praised <= read.seqs("practice")
    all_suggested(read, praised)


@pytest.mark.xfail(strict=True, reason=(
    "three of the four paragraphs whose practice is stated through what was done are not "
    "suggested, both readings: '16.1.3 When Olivia withdrew her statement ... continued to "
    "build an evidence-led prosecution ... in line with the force's domestic abuse policy' "
    "(0.10), '16.4.1 The IDVA ... did not give up when Olivia stopped answering her phone "
    "... tried nine times over three weeks' (0.08), '16.5.1 ... Rather than turning her "
    "away, the officer asked the team's senior officer for advice ...' (0.11); 16.3.1, the "
    "detailed record within timescale, is (0.51)"))
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # In line with policy, a detailed record within timescale, an IDVA who did
    # not give up, an officer who asked rather than turned Olivia away.
    implicit = opened_by(read, "16.1.3 ", "16.3.1 ", "16.4.1 ", "16.5.1 ")
    assert implicit <= read.seqs("practice")
    all_suggested(read, implicit)


def test_auto_coding_finds_the_changes_made_since(read: Read) -> None:
    changes = opened_by(read, "16.1.5 ", "16.4.4 ")
    assert changes <= read.seqs("practice")
    all_suggested(read, changes)


# First reading, since fixed: '16.4.4 RISE has since appointed a Romanian-speaking outreach
# worker, and it changed its closure procedure during the review ...' is coded Escalating
# concerns (0.67), both readings, not Learning from past reviews; 16.1.5, the police's change
# since, is
def test_the_changes_made_since_are_learning_from_past_reviews(read: Read) -> None:
    changes = opened_by(read, "16.1.5 ", "16.4.4 ")
    assert [read.suggested.get(s, [("", 0.0)])[0][0] for s in sorted(changes)] == \
        ["Learning from past reviews"] * 2


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (suggested,) = opened_by(read, "16.2.5 ")
    assert read.suggested.get(suggested, [("", 0.0)])[0][0] == "Suggested good practice"


@pytest.mark.xfail(strict=True, reason=(
    "since a review's 'Conclusions' are a zone of their own (-2.0: 3 of 28 such paragraphs "
    "of the written reviews are practice; the 33 reviews' P/R 0.866/0.848 -> 0.875/0.846), "
    "'17.2 There was also practice to commend. The community midwife ...' is held back, "
    "both readings: recall 0.67"))
def test_auto_coding_finds_the_conclusions_practice_to_commend(read: Read) -> None:
    all_suggested(read, opened_by(read, "17.2 There was also practice to commend"))


def test_auto_coding_does_not_suggest_poor_practice_or_a_concession(read: Read) -> None:
    # 16.1.1 (Andrei interpreting), 16.1.4 (bail ended, no one told), 16.2.1
    # (routine enquiry recorded "as the guidance requires", then not asked),
    # 16.2.4 (the GP), 16.3.2 (the assessment closed, the screening), 16.4.3
    # (closed "in accordance with its closure procedure", no one told),
    # 16.5.2 (no follow-up).
    other = _analysis(read) & read.seqs("other")
    assert len(other) == 7
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]
