"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on an ENGLISH
Domestic Homicide Review overview report in the Home Office template whose
analysis runs AGENCY BY AGENCY, each agency's section mixing facts, poor
practice and good practice stated inline and closing on bold run-in "Good
practice." paragraphs, of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-edhr/edhr-written-2026.md` is a WRITTEN DHR (fictional:
no real case or person) for the Safer Northshire Partnership (a fictional
English community safety partnership), about Anna, 38, killed by her
partner, Mark, 44, at her home in Castlebridge in the early hours of 17 June
2023; he had a conviction for assaulting a previous partner and was on a
community order supervised by the Probation Service from March 2021 to
March 2023. Where it differs from the written reviews before it (the DHR's
and the WDHR's, Welsh DHRs, the nearest):

- the cover: the partnership's name (a paragraph), "Domestic Homicide
  Review" (the only level-1 heading), a sub-title, "Victim: 'Anna'
  (pseudonym)", "DHR Ref: SNP/DHR/2023/04" (partnership/type/year/number,
  slashed), the Chair and author, "Report approved by the Home Office
  Quality Assurance Panel: 20 November 2024", "Published: 3 February 2025";
  a "Contents" heading over a bullet list of twelve entries ("1.
  Introduction" ... "11. Recommendations"); "Tribute to Anna from her
  family" as three ITALIC paragraphs;
- numbered sections, paragraphs unnumbered: "1. Introduction" (the death,
  the charge of 19 June 2023, the conviction of 12 January 2024; the
  statutory purpose), "2. Timescales" (the police's notification of 21 June
  2023, the Chair's decision of 6 July, the Home Office told 11 July; the
  Panel's agreement of 24 June 2024, the Partnership Board's approval of 18
  July 2024, the submission of 25 July 2024), "3. Confidentiality", "4.
  Terms of reference" (the period "from 1 October 2020, when Anna and Mark
  met, to 17 June 2023") with a sub-heading "Key lines of enquiry" over a
  lead-in and five question bullets, "5. Methodology and involvement of
  family and friends" (the learning event of 7 March 2024; the sister's
  words), "6. Equality and diversity", "7. Background information";
- "8. Analysis of agency involvement": a preamble, then SIX AGENCY
  SUB-HEADINGS (Northshire Police; Castlebridge Medical Practice (GP);
  Northshire County Council Adult Social Care; Northshire IDVA Service;
  Castlebridge Homes (Housing); The Probation Service), each mixing facts,
  poor practice and good practice stated inline ("The officer completed a
  DASH risk assessment promptly ... which was good practice", "The IDVA's
  safety planning was thorough", "This routine enquiry ... was good
  practice", "within the required timescale, as the Probation Service's
  policy requires"), practice told through what was done (the IDVA's eleven
  attempts, the housing officer's same-day referral, the duty social
  worker's call to the IDVA service), a concession ("The panel accepts that
  ... But ..."), what officers said at the learning event, two "It would
  have been good practice ..." paragraphs, a change since (the practice's
  IRIS training); and SIX BOLD RUN-IN "Good practice." PARAGRAPHS closing
  five of the six agencies (two for Housing, one a change since: DAHA
  accreditation; none for Adult Social Care);
- "9. Key findings and lessons learned": a preamble and five bold run-in
  "Lesson n:" statements (two with "need to"/"has to": lessons, not
  recommendations); "10. Conclusions" (two paragraphs, "underestimated");
- "11. Recommendations": "Overview report recommendations", the Panel's
  lead-in (a colon) and a Markdown numbered list 1-5, 4 a lead-in ending
  "to ensure that:" with TWO NESTED BULLETS; 1 the Partnership, 2 Northshire
  Police, 3 NHS Northshire Integrated Care Board, 4 the Northshire MARAC
  Steering Group, 5 the Probation Service; relative times only ("within
  twelve months", "within six months", "within ten working days"); then
  "Single agency recommendations", a lead-in without a colon and a TABLE
  "Agency | Recommendation" of six rows, one per agency, each "<agency> |
  <agency> will ...". No appendix, no signature.

Its labels (`edhr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 116 passages,
18 practice, 13 recommendation (the five numbered items, 4's lead-in among
them, its two bullets, and the table's six rows), 85 other. As the earlier
modules': practice where the reviewers present some practice as good,
however implicitly or mixed with criticism. Codes: Police: the DASH and
MARAC referral of 4 September 2022 Risk assessment; the Clare's Law
disclosure "in person, with the IDVA present, and well within the 28 days"
Adhering to policy and procedure; "It would have been good practice ..."
Suggested good practice; "Good practice." the officer's statement and
body-worn video Record keeping. GP: the routine enquiry of May 2021
Adhering to policy and procedure; IRIS since Learning from past reviews;
"Good practice." continuity with the same GP Consistent care and support.
Adult Social Care: the duty social worker's call to the IDVA service
Multi-agency working. IDVA: the thorough safety planning Risk assessment;
the MARAC within nine working days, attended and its actions completed
Multi-agency working; eleven attempts over three weeks Consistent and
persistent communication; "Good practice." Anna's trust in her IDVA
Positive working relationships. Housing: the housing officer's same-day
referral and report to the police Escalating concerns; "Good practice."
the sanctuary scheme within 48 hours Consistent care and support; "Good
practice." DAHA accreditation since Learning from past reviews. Probation:
the enquiries at the start of the order Adhering to policy and procedure;
"It would have been good practice ..." Suggested good practice; "Good
practice." the senior probation officer's monthly review Support and
training for practitioners. Other: the cover, the contents, the tribute,
sections 1-7, the analysis's preamble, the poor practice, facts, the
concession and what officers said, the lessons and their preamble, the
conclusions, the headings, the lead-ins and the table's header.

What a user would expect of its identity, decided before the reading: type
DHR, variant None, board None (a community safety partnership is not a
board, as the DHR's and the WDHR's); identifier and key DHR2023-04 (the
English form of "SNP/DHR/2023/04", as the ASAR's "WSAB/SAR/2024/01" is
SAR2024-01; no "W", the review not being Welsh), year 2023; dates: index
incident 2023-06-17 (the death; not the assault of 4 September 2022, the
charge of 19 June 2023 or the conviction of 12 January 2024), referral
2023-06-21 (the police's notification to the Partnership; not the Chair's
decision of 6 July), period 2020-10-01 to 2023-06-17, learning event
2024-03-07, sign-off 2024-06-24 (the Panel's agreement, as the DHR's and
the WDHR's; not the Board's approval of 18 July, the submission of 25 July
or the Home Office panel's of 20 November 2024), publication 2025-02-03.
Recommendations: eleven records at least, the overview's numbered 1-5 (4's
bullets, if read apart, 4a and 4b, each with its lead-in), the six table
rows each to its row's agency; nothing from the lessons, the key lines of
enquiry, the contents, "It would have been good practice" or the table's
header; no due date from a relative time.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt16
as it was, HEAD 306f4c9; STORFA_INT8=u8; by the machine's clock the
session's first recorded time was 05:40:48, the labels were written
05:42:39 and copied into tests/data with the document in one `cp` 05:42:40,
this module written 05:43:24 before any reading, storfa first run 05:43:27
with -x, which stopped at 05:43:32 on this module's own miscount (it asked
for seven "Good practice." paragraphs; the document, as labelled, has six:
the test's count was corrected, nothing else), then without -x
05:43:35-05:43:44; the registers, the dates, the PDF's passages and the
near misses printed 05:44:05-05:44:09, on the same tree), the same from the
Markdown and from the PDF unless said:

- segmentation: the Markdown as written (116); the PDF 117 passages, all as
  written but Adult Social Care's first paragraph, "Adult Social Care
  received a safeguarding concern ... She decided that a section 42 enquiry
  was not needed ...", read as two paragraphs (the second from "She
  decided"); every heading, the six agency sub-headings among them, the
  contents list, the table's header and rows as written;
- identity: type DHR, variant None, board None, year 2023, right; key and
  identifier WRONG: DHR2023-W04 (right: DHR2023-04, the English form of
  "SNP/DHR/2023/04": the "W" is the all-Wales form, and this partnership is
  English; parse_review_id gives DHR2023-W04 too). Dates: index incident
  2023-06-17, period 2020-10-01 to 2023-06-17, learning event 2024-03-07,
  publication 2025-02-03, all right (not the Home Office panel's 20
  November 2024); referral WRONG: 2022-09-16, from the GP section's "The
  practice received the MARAC notification on 16 September 2022." (right:
  2023-06-21, "Northshire Police notified the Safer Northshire Partnership
  of Anna's death on 21 June 2023."); sign-off WRONG: 2024-07-18, the
  Partnership Board's approval (right: 2024-06-24, the Panel's agreement
  in the same sentence, as the DHR's and the WDHR's);
- recommendations: 12 records, every recommendation passage read, nothing
  extra (no lesson, key line of enquiry, contents entry, "It would have
  been good practice", lead-in or the table's header): 1, 2, 3, 4a, 4b, 5
  (4's two bullets each a record completed by its lead-in), then the six
  table rows numbered 6-11, each one record to its row's agency
  (Castlebridge Medical Practice for "The practice will ...", Probation
  Service for "The Probation Service"), right; addressees 1 Safer
  Northshire Partnership, 2 Northshire Police, 3 NHS Northshire Integrated
  Care Board, 5 Probation Service, right; 4a and 4b [] (right: the
  Northshire MARAC Steering Group, the lead-in's subject). No due dates;
- auto-coding at the single-case threshold (0.49 as reported): from the
  Markdown 17 suggestions, 16 of the 18 practice passages, precision 0.94,
  recall 0.89; from the PDF 18 suggestions, precision 0.89, recall 0.89;
  the same sub-theme as the label on 10 of 16, the same theme on 12 of 16
  (0.75, over the 0.70 bar), both readings. Wrong: the family's tribute,
  "Anna worked for nine years at the bakery on Castlebridge High Street,
  and her regulars asked for her by name. ..." (Persistency in care and
  support, 0.88), both readings; from the PDF only, the first half of Adult
  Social Care's screening paragraph, "Adult Social Care received a
  safeguarding concern from the police on 6 September 2022 ... screened it
  the same day." (Escalating concerns, 0.62; from the Markdown, whole, 0.38).
  Missed (2): the Clare's Law disclosure, "Following a MARAC action, the
  police made a disclosure ... in person, with the IDVA present, and well
  within the 28 days ..." (0.30), and "The MARAC met on 15 September 2022,
  within nine working days of the referral. ... shared what they knew, and
  the actions agreed ... were completed." (0.27). Themes that differ (4):
  the GP's routine enquiry -> Escalating concerns (0.98; Adhering to policy
  and procedure), the duty social worker's call to the IDVA service ->
  Escalating concerns (0.83; Multi-agency working), the IDVA's thorough
  safety planning -> Multi-agency working (0.56; Risk assessment), the
  sanctuary scheme within 48 hours -> Adhering to policy and procedure
  (0.94; Consistent care and support); within the theme: the DASH and MARAC
  referral -> Escalating concerns (0.96; Risk assessment), "Good practice.
  Anna trusted her IDVA" -> Persistency in care and support (0.98; Positive
  working relationships). Right: both "It would have been good practice"
  (Suggested good practice, 0.94, 1.00), both changes since (Learning from
  past reviews, 0.86, 0.98), the police's "Good practice." (Record keeping,
  0.94), the GP's continuity (1.00), the IDVA's eleven attempts (Consistent
  and persistent communication, 0.59), the housing officer's same-day
  referral (Escalating concerns, 0.79), the probation enquiries (Adhering,
  0.94), the senior probation officer's review (Support and training, 1.00);
  all six "Good practice." paragraphs suggested. Nothing suggested on a
  heading, the cover, the contents, sections 1-7, the analysis's preamble,
  the other poor practice and facts, the concession, what officers said, a
  lesson, the conclusions, a recommendation, a lead-in or the table. Near
  misses under the threshold: Adult Social Care's screening (other, 0.38,
  the Markdown), the tribute's first and last paragraphs (other, 0.35,
  0.34), the disclosure (0.30).

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the PDF's
passages, the identifier from its parse, the addressees of 4 from the
others, the tribute from the cover and contents, the ASC screening from the
other poor practice, the themes that differ passage by passage) and the
faults marked strict xfail. On the frozen tree (05:45:15-05:45:23) and
from /work/main with its own src/ (05:45:25-05:45:34) the module gave the
same: 81 passed, 9 skipped, 34 xfailed.

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

DATA = Path(__file__).resolve().parent / "data" / "written-edhr"
DOCUMENT = DATA / "edhr-written-2026.md"
NUMBERING = "SNP/DHR/2023/04"  # "DHR Ref: SNP/DHR/2023/04" on the cover
IDENTIFIER = "DHR2023-04"  # English: not the all-Wales "DHR2023-W04"
PARTNERSHIP = "Safer Northshire Partnership"
RECOMMENDATIONS = (
    "1. The Safer Northshire Partnership should seek",
    "2. Northshire Police should ensure",
    "3. NHS Northshire Integrated Care Board should ensure",
    "4. The Northshire MARAC Steering Group should review",
    "5. The Probation Service should ensure",
)
# The single agency table's rows: (the row's opening, its agency).
ROWS = (
    ("Northshire Police | ", "Northshire Police"),
    ("Castlebridge Medical Practice | ", "Castlebridge Medical Practice"),
    ("Northshire County Council Adult Social Care | ",
     "Northshire County Council Adult Social Care"),
    ("Northshire IDVA Service | ", "Northshire IDVA Service"),
    ("Castlebridge Homes | ", "Castlebridge Homes"),
    ("The Probation Service | ", "Probation Service"),
)
OVERVIEW_AGENCIES = {
    "1": PARTNERSHIP,
    "2": "Northshire Police",
    "3": "NHS Northshire Integrated Care Board",
    "4": "Northshire MARAC Steering Group",
    "5": "Probation Service",
}
BULLETS = ("the closure of an IDVA case", "a repeat incident reported")
ANALYSIS = "8. Analysis of agency involvement"
LESSONS = "9. Key findings and lessons learned"
CONCLUSIONS = "10. Conclusions"
RECS = "11. Recommendations"
AGENCIES = ("Northshire Police", "Castlebridge Medical Practice (GP)",
            "Northshire County Council Adult Social Care", "Northshire IDVA Service",
            "Castlebridge Homes (Housing)", "The Probation Service")
ASC_SCREENING = "Adult Social Care received a safeguarding concern"

_PDF_SPLIT = (
    "from the PDF, 117 passages: Adult Social Care's first paragraph, 'Adult Social Care "
    "received a safeguarding concern from the police on 6 September 2022 ... The duty social "
    "worker screened it the same day. She decided that a section 42 enquiry was not needed "
    "...', is read as two paragraphs, the second from 'She decided'; every other passage as "
    "written (right: 116, as the Markdown)")
_ASC_SUGGESTED = (
    "from the PDF, the first half of Adult Social Care's screening paragraph as split, 'Adult "
    "Social Care received a safeguarding concern from the police on 6 September 2022, two "
    "days after the assault. The duty social worker screened it the same day.' (facts), is "
    "suggested as Escalating concerns (0.62); from the Markdown, whole, 0.38")


read = reading(DOCUMENT, DATA / "edhr-written-2026.tsv", "written-edhr")


def _front(read: Read) -> set[int]:
    # The cover, the contents and the tribute: all before "1. Introduction".
    return set(range(heading_at(read, "1. Introduction")))


def _cover_and_contents(read: Read) -> set[int]:
    return set(range(heading_at(read, "Tribute to Anna from her family")))


def _tribute(read: Read) -> set[int]:
    return between(read, "Tribute to Anna from her family", "1. Introduction")


def _sections_1_to_7(read: Read) -> set[int]:
    return between(read, "1. Introduction", ANALYSIS)


def _analysis(read: Read) -> set[int]:
    return between(read, ANALYSIS, LESSONS)


def _lessons(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Lesson ")}


def _good_practice(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Good practice. ")}


def _table_rows(read: Read) -> set[int]:
    return opened_by(read, *(opening for opening, _ in ROWS))


def _overview_records(read: Read) -> list[StoredRecommendation]:
    rows = _table_rows(read)
    return [r for seq, r in read.recommendations if seq in read.seqs("recommendation")
            and seq not in rows]


def _overview_addressees(read: Read, *numbers: str) -> None:
    overview = _overview_records(read)
    found = {n: [r.agencies for r in records_of(read, n) if r in overview] for n in numbers}
    wrong = {n: a for n, a in found.items()
             if not a or not all(x and OVERVIEW_AGENCIES[n] in x[0] for x in a)}
    assert not wrong, wrong


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")  # the PDF's twin: the xfail below
    holds_the_labels(read, 116, 18, 13, 85)


@pytest.mark.xfail(strict=True, reason=_PDF_SPLIT)
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 116, 18, 13, 85)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


@pytest.mark.xfail(strict=True, reason=_PDF_SPLIT)
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_screening_paragraph_as_written(read: Read) -> None:
    only(read, "pdf")
    assert len(read.passages) == 117
    wrong = [(s, t) for s, t in read.differ() if not t.startswith(("Adult Social Care "
                                                                   "received", "She decided"))]
    assert not wrong, wrong


def test_each_agency_is_a_sub_heading_of_the_analysis(read: Read) -> None:
    analysis = _analysis(read)
    found = {heading_at(read, agency) for agency in AGENCIES}
    assert found <= analysis and found <= headings(read)


def test_each_lesson_and_good_practice_paragraph_is_a_passage_of_its_own(read: Read) -> None:
    lessons, good = _lessons(read), _good_practice(read)
    assert len(lessons) == 5 and lessons <= between(read, LESSONS, CONCLUSIONS)
    assert len(good) == 6 and good <= _analysis(read)


# ------------------------------------------------------------------- identity
def test_the_report_gives_the_type_and_no_board(read: Read) -> None:
    # A community safety partnership is not a safeguarding board.
    identity(read, type="DHR", variant=None, board=None)


# First reading, since fixed: key and identifier DHR2023-W04, both readings, from the
# cover's 'DHR Ref: SNP/DHR/2023/04'; right: DHR2023-04, the English form (as the ASAR's
# 'WSAB/SAR/2024/01' is SAR2024-01): the 'W' is the all-Wales form and the Safer
# Northshire Partnership is English (year 2023, type DHR and number 4 right)
def test_the_partnerships_reference_gives_the_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("DHR", 2023, 4, None))


def test_the_partnerships_reference_gives_type_year_and_number(read: Read) -> None:
    assert read.summary.year == 2023
    assert (read.summary.identifier or "").startswith("DHR2023-")
    assert read.summary.identifier.endswith("04"), read.summary.identifier
    found = parse_review_id(NUMBERING)
    assert (found.type, found.year, found.seq, found.board) == ("DHR", 2023, 4, None), found


# First reading, since fixed: parse_review_id('SNP/DHR/2023/04').canonical() is
# 'DHR2023-W04'; right: 'DHR2023-04' (an English partnership's reference, not an all-
# Wales number)
def test_the_partnerships_reference_reads_as_the_identifier(read: Read) -> None:
    found = parse_review_id(NUMBERING)
    assert found.canonical() == IDENTIFIER, found


def test_the_index_incident_is_annas_death(read: Read) -> None:
    # "... before he killed her at her home in the early hours of 17 June 2023".
    assert read.summary.dates.get("index_incident") == "2023-06-17", read.summary.dates


# First reading, since fixed: referral 2022-09-16, both readings, from the GP section's
# 'The practice received the MARAC notification on 16 September 2022.'; right:
# 2023-06-21, '2. Timescales': 'Northshire Police notified the Safer Northshire
# Partnership of Anna's death on 21 June 2023.'
def test_the_referral_is_the_polices_notification(read: Read) -> None:
    assert read.summary.dates.get("referral") == "2023-06-21", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The review covers the period from 1 October 2020, when Anna and Mark
    # met, to 17 June 2023."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2020-10-01", "2023-06-17"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-03-07", read.summary.dates


# First reading, since fixed: sign-off 2024-07-18, both readings, the Partnership
# Board's approval in 'It agreed the overview report on 24 June 2024; the Safer
# Northshire Partnership Board approved it on 18 July 2024, and it was submitted to the
# Home Office on 25 July 2024.'; right: 2024-06-24, the Review Panel's agreement (as the
# DHR's and the WDHR's)
def test_the_sign_off_is_the_panels_agreement(read: Read) -> None:
    assert read.summary.dates.get("sign_off") == "2024-06-24", read.summary.dates


def test_the_sign_off_is_not_the_home_office_panels(read: Read) -> None:
    # Not "Report approved by the Home Office Quality Assurance Panel: 20
    # November 2024" nor the submission of 25 July 2024.
    assert read.summary.dates.get("sign_off") not in ("2024-11-20", "2024-07-25", None)


def test_the_publication(read: Read) -> None:
    # "Published: 3 February 2025"; not the Home Office panel's 20 November 2024.
    assert read.summary.dates.get("publication") == "2025-02-03", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS + tuple(o for o, _ in ROWS))
    reads_every_recommendation_passage(read)


def test_the_overview_records_are_numbered_one_to_five(read: Read) -> None:
    print_register(read)
    numbers = [r.number.rstrip("abcdefg") for r in _overview_records(read)]
    assert sorted(set(numbers)) == ["1", "2", "3", "4", "5"], numbers


def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    records = records_of(read, "4")
    assert records
    for bullet in BULLETS:
        holding = [r for r in records if bullet in r.text]
        assert holding and all("MARAC Steering Group should review" in r.text
                               for r in holding), (bullet, [r.text for r in records])


def test_each_table_row_is_one_record(read: Read) -> None:
    rows = _table_rows(read)
    found = [seq for seq, _ in read.recommendations if seq in rows]
    assert sorted(found) == sorted(rows), found


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a lesson, a key line of enquiry, the contents, "It would have been
    # good practice", the lead-ins or the table's header.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_front_the_analysis_or_the_lessons(read: Read) -> None:
    for what, seqs in (("front", _front(read)), ("sections 1-7", _sections_1_to_7(read)),
                       ("analysis", _analysis(read)),
                       ("lessons", between(read, LESSONS, RECS))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_overview_recommendations_are_to_their_addressees(read: Read) -> None:
    # All but 4 (its own xfail).
    _overview_addressees(read, "1", "2", "3", "5")


# First reading, since fixed: records 4a and 4b (the two bullets, each completed by the
# lead-in 'The Northshire MARAC Steering Group should review its operating protocol to
# ensure that:') are to [], both readings; right: the Northshire MARAC Steering Group,
# the lead-in's subject
def test_the_marac_recommendation_is_to_the_steering_group(read: Read) -> None:
    _overview_addressees(read, "4")


def test_each_single_agency_row_is_to_its_agency(read: Read) -> None:
    print_register(read)
    by_seq = dict(read.recommendations)
    wrong = []
    for opening, agency in ROWS:
        (seq,) = opened_by(read, opening)
        record = by_seq.get(seq)
        if record is None or [a.removeprefix("The ") for a in record.agencies] != [agency]:
            wrong.append((agency, record.agencies if record else None))
    assert not wrong, wrong


def test_no_due_date_from_a_relative_time(read: Read) -> None:
    # "within twelve months", "within six months", "within ten working days".
    wrong = [(r.number, r.due_date) for r in labelled_records(read) if r.due_date]
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed (the coder learnt round nine's reviews): same theme on 12 of 16
# (0.75), both readings: the GP's routine enquiry -> Escalating concerns 0.98 (Adhering to
# policy and procedure), the duty social worker's call to the IDVA service -> Escalating
# concerns 0.83 (Multi-agency working), the IDVA's thorough safety planning -> Multi-agency
# working 0.56 (Risk assessment), the sanctuary scheme within 48 hours -> Adhering to policy
# and procedure 0.94 (Consistent care and support)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_others_are_in_the_labels_theme(read: Read) -> None:
    # All the suggested practice but the four below.
    differ = opened_by(read, "Anna was registered with", "Before closing the concern",
                       "Anna was allocated an IDVA", "Good practice. Anna's locks")
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys() - differ)


# First reading, since fixed (the coder learnt round nine's reviews): 'In May 2021 ... the GP
# asked her directly whether anyone at home was hurting or frightening her. ... This routine
# enquiry about domestic abuse ... was good practice and in line with the practice's own
# policy.' is read as Escalating concerns (0.98), both readings; right: Adhering to policy and
# procedure (a routine enquiry completed, as policy asks; nothing was escalated)
def test_the_routine_enquiry_is_read_as_policy_followed(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "Anna was registered with"))


# First reading, since fixed: 'Before closing the concern, the duty social worker
# telephoned the IDVA service to confirm that an IDVA had been allocated ... a
# proportionate response that made good use of another agency's involvement.' is read as
# Escalating concerns (0.83), both readings; right: Multi-agency working (information
# sought from another agency)
def test_the_call_to_the_idva_service_is_read_as_multi_agency_working(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "Before closing the concern"))


# First reading, since fixed: 'The IDVA's safety planning was thorough: she went through
# the DASH answers with Anna again, agreed safe times ... arranged a personal alarm, and
# helped Anna to plan ...' is read as Multi-agency working (0.56), both readings; right:
# Risk assessment (a safety plan following from the DASH, one agency's work)
def test_the_safety_planning_is_read_as_risk_assessment(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "Anna was allocated an IDVA"))


# First reading, since fixed: 'Good practice. Anna's locks were changed and a door
# viewer and window locks were fitted under the sanctuary scheme within 48 hours of her
# request ... and the housing officer visited her afterwards ...' is read as Adhering to
# policy and procedure (0.94), both readings; right: Consistent care and support
# (practical support that met her need, followed up)
def test_the_sanctuary_scheme_is_read_as_care_and_support(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "Good practice. Anna's locks"))


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    # The tribute is its own xfail.
    never_suggested(read, {
        "heading": headings(read),
        "cover and contents": _cover_and_contents(read),
        "sections 1-7": _sections_1_to_7(read),
        "recommendations": between(read, RECS, "Single agency recommendations")
        | set(range(heading_at(read, "Single agency recommendations"), len(read.passages))),
        "lead-in": lead_ins(read),
    })


# First reading, since fixed (a background section read down further (-3)): the family's tribute,
# 'Anna worked for nine years at the bakery on Castlebridge High Street, and her regulars asked for
# her by name. She was proud of her home ... She had been through hard times with her nerves, but
# she always got back up.', is suggested as Persistency in care and support (0.88), both readings:
# the family's words about Anna, no practice
def test_auto_coding_never_suggests_the_tribute(read: Read) -> None:
    never_suggested(read, {"tribute": _tribute(read)})


def test_auto_coding_never_suggests_a_lesson(read: Read) -> None:
    lessons = _lessons(read)
    assert lessons <= read.seqs("other")
    never_suggested(read, {"lesson": lessons,
                           "preamble": opened_by(read, "The panel identified five lessons")})


def test_auto_coding_does_not_suggest_the_conclusions(read: Read) -> None:
    never_suggested(read, {"conclusions": between(read, CONCLUSIONS, RECS)})


def test_auto_coding_does_not_suggest_the_analysis_preamble(read: Read) -> None:
    opened_not_suggested(read, "This section analyses each agency")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but Adult Social Care's screening (its own tests).
    opened_not_suggested(read, "Mark was released on conditional bail",
                         "On 11 February 2023 Ellie called", "The practice received the MARAC",
                         "The IDVA closed Anna's case", "Between June 2021 and August 2022",
                         "In October 2021 Mark told")


def test_auto_coding_does_not_suggest_the_screening_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_not_suggested(read, ASC_SCREENING)


@pytest.mark.xfail(strict=True, reason=_ASC_SUGGESTED)
def test_auto_coding_does_not_suggest_the_screening_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_not_suggested(read, ASC_SCREENING)


def test_auto_coding_does_not_suggest_the_concession(read: Read) -> None:
    opened_not_suggested(read, "However, no one from Adult Social Care")


def test_auto_coding_does_not_suggest_what_officers_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event officers said")


def _nothing_else_in_the_analysis(read: Read) -> None:
    other = _analysis(read) & read.seqs("other") - headings(read)
    assert len(other) == {"markdown": 10, "pdf": 11}[read.source]
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_anything_else_in_the_analysis(read: Read) -> None:
    only(read, "markdown")
    _nothing_else_in_the_analysis(read)


@pytest.mark.xfail(strict=True, reason=_ASC_SUGGESTED)
def test_auto_coding_does_not_suggest_anything_else_in_the_pdfs_analysis(read: Read) -> None:
    only(read, "pdf")
    _nothing_else_in_the_analysis(read)


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "which was good practice", "was good practice and in line with", "was
    # thorough", "a proportionate response", "as the ... policy requires".
    opened_suggested(read, "On 4 September 2022 a neighbour", "Anna was registered with",
                     "Anna was allocated an IDVA", "Before closing the concern",
                     "At the start of Mark's community order")


@pytest.mark.xfail(strict=True, reason=(
    "'Following a MARAC action, the police made a disclosure to Anna under the Domestic "
    "Violence Disclosure Scheme ... in person, with the IDVA present, and well within the 28 "
    "days the scheme's guidance allows.' is not suggested (0.30), both readings: a "
    "disclosure made promptly, as the scheme asks (Adhering to policy and procedure)"))
def test_auto_coding_finds_the_disclosure(read: Read) -> None:
    opened_suggested(read, "Following a MARAC action")


# First reading, since fixed: 'The MARAC met on 15 September 2022, within nine working
# days of the referral. The police, the IDVA, Castlebridge Homes, Children's Social Care
# and the practice's safeguarding lead attended and shared what they knew, and the
# actions agreed ... were completed.' is not suggested (0.27), both readings: a well-
# attended MARAC whose actions were done (Multi-agency working)
def test_auto_coding_finds_the_marac(read: Read) -> None:
    opened_suggested(read, "The MARAC met on 15 September")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The IDVA's eleven attempts; the housing officer's same-day referral.
    opened_suggested(read, "When Anna stopped replying", "On 14 March 2023, during a routine")


def test_auto_coding_finds_every_good_practice_paragraph(read: Read) -> None:
    good = _good_practice(read)
    assert good <= read.seqs("practice")
    missed = sorted(good - read.suggested.keys())
    assert not missed, [(read.text(s)[:60], round(read.confidence.get(s, 0.0), 2))
                        for s in missed]


def test_auto_coding_finds_the_police_good_practice_paragraph_as_record_keeping(
        read: Read) -> None:
    opened_coded(read, "Good practice. The panel commends the officer", "Record keeping")


# First reading, since fixed: 'On 4 September 2022 ... The officer completed a DASH risk
# assessment promptly, with Anna spoken to alone ..., assessed the risk as high with 17
# ticks, and referred Anna to MARAC that night, which was good practice.' is read as
# Escalating concerns (0.96), both readings; right: Risk assessment (a DASH done well;
# the same theme)
def test_auto_coding_reads_the_dash_as_risk_assessment(read: Read) -> None:
    opened_coded(read, "On 4 September 2022 a neighbour", "Risk assessment")


# First reading, since fixed: 'Good practice. Anna trusted her IDVA. ... The panel
# considers that the rapport the IDVA had built in 2022 was the reason Anna came back to
# the service.' is read as Persistency in care and support (0.98), both readings; right:
# Positive working relationships ('trusted', 'rapport'; the same theme)
def test_auto_coding_finds_the_idvas_rapport(read: Read) -> None:
    opened_coded(read, "Good practice. Anna trusted her IDVA", "Positive working relationships")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    for opening in ("It would have been good practice for the officers",
                    "It would have been good practice for the probation"):
        opened_coded(read, opening, "Suggested good practice")


def test_auto_coding_finds_the_practices_change_since(read: Read) -> None:
    opened_coded(read, "Since the review began", "Learning from past reviews")


def test_auto_coding_finds_the_housing_change_since(read: Read) -> None:
    opened_coded(read, "Good practice. Castlebridge Homes has since", "Learning from past reviews")
