"""A twenty-sixth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a NORTHERN IRELAND Case Management Review (the first from Northern
Ireland, the second from outside England and Wales after the Scottish
Learning Review), of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-nicmr/nicmr-written-2026.md` is a WRITTEN executive
summary of a Case Management Review (fictional: no real case or person) for
the Safeguarding Board for Northern Ireland (SBNI), about Child A, a girl of
15, sexually exploited by adult men from the autumn of 2021, who on 23
February 2023 was found unconscious after an overdose of her mother's
prescribed medication with alcohol, and survived (three days in intensive
care at Altnagelvin Area Hospital); she is now looked after, with foster
carers. The agencies: the Western Health and Social Care Trust (Gateway,
the Family Intervention Team, CAMHS crisis response and Step 3 CAMHS), the
Police Service of Northern Ireland (PSNI: the Public Protection Branch, Child
Abduction Warning Notices, an Article 66 investigation under the joint
protocol), the Education Authority (Education Welfare Service), the school
(its designated teacher, a reduced timetable), the GP, Barnardo's Safe
Choices. Northern Ireland's terms throughout: Trust, UNOCINI referral,
Gateway, child in need, Child Protection Register, Regional Core Child
Protection Policy and Procedures, looked after, Regulation 17 of the SBNI
Regulations 2012. Where it differs from the 25 written reviews before it:

- a review type storfa's vocabulary does not have: "Case Management
  Review" (CMR) is the cover's only level-1 heading, "(CMR)" and "A CMR is
  undertaken under Regulation 17 ..." in the introduction; no numbering
  (SBNI reviews are not numbered), no board abbreviation storfa knows
  ("SBNI"), no Welsh or English board;
- the cover: "Safeguarding Board for Northern Ireland", "# Case Management
  Review", "Child A", "Executive Summary", "Independent Chair: ...", "Date
  of publication: 17 September 2024"; then "Case Management Review Panel"
  (a heading) over a lead-in ending "The members were:" and SIX BULLETS of
  names and roles ("Detective Chief Inspector ..., Public Protection Branch,
  Police Service of Northern Ireland");
- "1. Introduction" (the Regulation, the overdose, the Trust's notification
  to the SBNI 3 March 2023, the SBNI's CMR Panel 29 March 2023, the Chair's
  agreement 5 April 2023, the purpose "not ... to apportion blame", the
  final report agreed by the Independent Chair and the Review Panel 6 March
  2024 and presented to the SBNI Board 11 June 2024); "2. Terms of
  Reference" (a lead-in "... required the review to:" and five bullets, the
  period 1 September 2021 to 23 February 2023 with its reason); "3.
  Methodology" (Individual Agency Reviews, interviews, the learning event 28
  September 2023, Child A and her mother met); "4. Background" (the mother's
  words);
- "5. Summary of Key Events": a narrative chronology under YEAR
  SUB-HEADINGS "2021", "2022", "2023" (headings that are bare years), the
  designated teacher's referral, the police finding Child A in a flat, the
  GP, the ED attendance, the deregistration told as plain facts;
- "6. Analysis and Findings": a preamble, FIVE SUB-HEADINGS "Finding n:
  <a sentence>", each over four to ten paragraphs mixing good practice
  named ("good practice" twice, "decisive", "thorough and clearly written",
  "prompt and child-centred", "the most protective factor ...
  relationship-based practice"), practice stated through what was done (the
  GP's curiosity, the joint home visits, the school's morning check-ins,
  the Barnardo's worker's 41 sessions and texts), poor practice, facts,
  the regional procedures quoted and applied, the 2014 Independent Inquiry
  into CSE cited (a learning repeated), two concessions ("The Panel
  recognises ... However" / "but"), one "It would have been good practice
  ...", two changes since (the PSNI's, the Trust's), what practitioners said
  at the learning event, Child A's own words (three quotations, one of them
  praising the crisis worker before "But then nothing happened");
- "Good Practice" as the analysis's LAST SUB-HEADING: a lead-in ending on a
  colon and FIVE BULLETS restating practice ("the PSNI's swift use of
  Child Abduction Warning Notices in February 2022;"), set out as a list
  is set out under a recommendation's lead-in;
- "7. Conclusions" (no recommendations in it); "8. Recommendations": a
  lead-in ("The Panel makes eight recommendations. ... R1 to R3 are
  regional, ... R4 to R8 are for the local agencies"), then TWO
  SUB-HEADINGS, "Regional Recommendations" (R1 to the Department of Health,
  R2 and R3 to "The SBNI") and "Local Recommendations" (R4 and R5 to the
  Trust, R6 to the PSNI, R7 to the PSNI and the Trust, R8 to the Education
  Authority), each recommendation a paragraph opening on a bold "R<n>."
  NUMBER WITH A LETTER PREFIX; R5 a lead-in "... should ensure that:" over
  two bullets; no table, no statements, no appendix.

Its labels (`nicmr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 112
passages, 18 practice, 10 recommendation (R1-R8, R5's lead-in among them,
and its two bullets), 84 other. As the earlier modules': practice where the
reviewers present some practice as good, however implicitly or mixed with
criticism. Codes: the designated teacher's referral ("detailed and timely
... good practice") Escalating concerns; the PSNI's "decisive" response and
CAWNs Risk assessment; the GP who saw Child A alone, asked about the man
and telephoned Gateway (stated through what was done) Risk assessment; "It
would have been good practice for the Trust and the PSNI to hold a further
strategy discussion ..." Suggested good practice; the joint home visits of
the education welfare officer and the social worker ("Where agencies did
work closely together, it made a difference") Multi-agency working; the
first social worker's chronology ("thorough and clearly written", then not
kept up) Record keeping; the PSNI's marker since the learning event and the
Trust's changed deregistration procedure since the review began Learning
from past reviews; the review conference ("within the required timescale
... good practice in involving the family", then "The difficulty lay ...")
Effective communication; the crisis response at the ED ("prompt and
child-centred", the safety plan sent next morning) Effective communication;
the form teacher's and counsellor's check-ins Consistent care and support;
the Barnardo's worker's 41 sessions, texts and visits Persistency in care
and support; her relationship with Child A Positive working relationships;
the five "Good Practice" bullets by their source (Escalating concerns, Risk
assessment, Risk assessment, Persistency in care and support, and the
Trust's response after the overdose Consistent care and support). Other:
the cover, the panel's list, the introduction, the terms of reference, the
methodology, the background and the mother's words, the whole summary of
key events, the analysis's preamble ("many of whom worked hard": its point
the systems), the poor practice and facts, the procedures quoted, the
Inquiry cited, the concessions, what practitioners said, Child A's words
(the "crisis woman was nice. But ..." borderline: its point the wait), the
Good Practice lead-in, the conclusions ("several practitioners acted on
what they saw. However ...": borderline, its point the criticism), the
recommendations' lead-in and sub-headings.

What a user would expect of its identity, decided before the reading: board
"Safeguarding Board for Northern Ireland" (not a Welsh board, not "SBNI"
alone); no identifier (the key the file's name); variant None; year 2024;
the type a single-case children's review outside Wales: storfa's
vocabulary has no CMR, and its nearest are SCR (England's older Serious
Case Review, which the NI CMR parallels) or CSPR; "CMR" itself would be
right if known; not a Welsh type, not thematic, not None; read as
single-case, so auto-coded at the single-case threshold. Dates: index
incident 2023-02-23 (the overdose); referral 2023-03-03 (the Trust's
notification to the SBNI, not the CMR Panel's 29 March or the Chair's 5
April); period 2021-09-01 to 2023-02-23; learning event 2023-09-28;
sign-off 2024-03-06 (the Independent Chair and the Review Panel; not the
SBNI Board's 11 June 2024); publication 2024-09-17. Recommendations: R1-R8,
numbered so (or 1-8), R5's bullets each in a record with its lead-in;
addressees R1 the Department of Health, R2 and R3 the Safeguarding Board
for Northern Ireland ("The SBNI": the review's own board, R3 seeking
assurance from the Trusts still the SBNI's), R4 and R5 the Western Health
and Social Care Trust, R6 the Police Service of Northern Ireland, R7 the
PSNI and the Trust, R8 the Education Authority; levels R1-R3 regional and
R4-R8 local, as the sub-headings say.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt14
as it was, HEAD 917c91e; STORFA_INT8=u8; by the machine's clock the session
began 02:31:22, the document was final at 02:34:13, the labels were written
02:34:21 and copied into tests/data with the document in one `cp` 02:34:22,
this module written before any reading (ruff-clean 02:35:41), storfa first
run 02:35:41-02:36:03; the records, the confidences and the sub-themes
printed 02:36:13-02:36:25, the PDF's passage and the two thresholds at
02:37, on the same tree), the same from the Markdown and from the PDF
unless said:

- segmentation: the Markdown as written (112); the PDF 112 passages, the
  five "Finding n:" and the three year sub-headings headings, every
  passage as written but one: "relationship-based practice", broken after
  its hyphen at a line's end, read as "relationshipbased practice" (the
  Barnardo's relationship paragraph);
- identity: key "nicmr-written-2026", identifier None, variant None, year
  2024, publication 2024-09-17, all right; TYPE None (title "Case
  Management Review"; nothing read as a type) and BOARD None ("Safeguarding
  Board for Northern Ireland", the cover's first line and the review's
  board throughout, not known). As for the Scottish Learning Review, with
  no type the review is not single-case, so (i) no review date is read:
  index incident, referral, learning event, period and sign-off all None
  (right: 2023-02-23, 2023-03-03, 2023-09-28, 2021-09-01 to 2023-02-23,
  2024-03-06); (ii) auto-coding is held at 0.69, the threshold for thematic
  and other reports, not the single-case 0.49 (the printouts say 0.49: the
  single-case threshold, not the one applied);
- recommendations: 9 records, numbered as the report numbers them with the
  letter prefix: R1, R2, R3, R4, R5a, R5b, R6, R7, R8, each R5 bullet a
  record completed by its lead-in ("The Western Health and Social Care
  Trust should ensure that a single chronology ..."), every recommendation
  passage read, nothing extra (not the panel's list, the terms of
  reference, "It would have been good practice", the Good Practice list or
  the recommendations' lead-in); no level on any record (the sub-headings
  "Regional Recommendations" / "Local Recommendations" not read: right
  R1-R3 regional, R4-R8 local); no due dates. Addressees: R4, R5a, R5b
  ['Western Health and Social Care Trust'], right; R1 ['Department of
  Health and Social Care'] (England's department; right the Department of
  Health, Northern Ireland's, as written); R2 and R3 ['SBNI'] (the
  abbreviation; right the Safeguarding Board for Northern Ireland, the
  review's own board); R6 ['police'] and R7 ['Western Health and Social Care
  Trust', 'police'] (a generic agency; right the Police Service of Northern
  Ireland); R8 ['education'] (right the Education Authority);
- auto-coding as applied (0.69): 12 suggestions, 10 of the 18 practice
  passages, precision 0.83, recall 0.56 (under the 0.60 floor); the same
  sub-theme as the label on 5 of 10, the same theme on 8 of 10 (0.80, over
  the 0.70 bar). At the single-case 0.49 (the same confidences): 14
  suggestions, 12 of 18, precision 0.86, recall 0.67 (over both floors,
  under the 0.70 judged bar), gaining the chronology (0.50) and the crisis
  response (0.62). Wrong (2, at either threshold): the regional procedures
  quoted, "The Regional Core Child Protection Policy and Procedures are
  clear that a child who is sexually exploited is the victim of abuse ...
  Practitioners at the learning event understood this in principle, but
  ..." (Learning from past reviews, 0.87), and the conclusions' "The Panel
  cannot say that Child A's overdose could have been prevented. ... she had
  been removed from the Child Protection Register, closed to CAMHS and left
  out of school ..." (Consistent care and support, 0.82). Missed (8): the
  PSNI's "decisive" response and CAWNs (0.13), the GP's curiosity (0.47),
  the first social worker's chronology (0.50), the Trust's change since the
  review began (0.19), the crisis response at the ED "prompt and
  child-centred" (0.62), the school's morning check-ins (0.26), the
  Barnardo's worker's 41 sessions and texts (0.37), the Good Practice
  bullet "the PSNI's swift use of Child Abduction Warning Notices in
  February 2022;" (0.32). Themes that differ (2): the designated teacher's
  referral ("good practice") -> Suggested good practice (0.92; Escalating
  concerns), the review conference ("good practice in involving the
  family") -> Suggested good practice (0.94; Effective communication);
  within the theme: the teacher's bullet -> Risk assessment (0.99;
  Escalating concerns), the Barnardo's persistence bullet and the Trust's
  response after the overdose -> Positive working relationships (0.99,
  1.00; Persistency, Consistent care and support). Right: "It would have
  been good practice" (Suggested good practice, 1.00), the PSNI's marker
  since (Learning from past reviews, 0.97), the joint home visits
  (Multi-agency working, 0.93), the Barnardo's relationship (Positive
  working relationships, 0.75), the GP bullet (Risk assessment, 0.99).
  Nothing suggested on the cover, a heading, the panel's list, the
  introduction, the terms, the methodology, the background, the summary of
  key events, the preamble, the poor practice and facts, the Inquiry cited,
  the concessions, what practitioners said, Child A's words, the Good
  Practice lead-in, the recommendations or their lead-ins.

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the PDF's
passages, the board from the year, the procedures from the Inquiry, the
named and the done practice found from those missed, the Good Practice
bullets, R7's Trust), the xfails for what storfa got wrong, and one test
added from the same reading's confidences (the judged bar at the
single-case threshold, as the Scottish module's). On the frozen tree (02:38)
and from /work/main with its own src/ (02:38, the same HEAD) the module gave
the same: 70 passed, 3 skipped, 49 xfailed.

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
from storfa.domain.reviews import is_single_case
from written import (
    JUDGED,
    PRECISION_FLOOR,
    RECALL_FLOOR,
    WELSH_BOARDS,
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

DATA = Path(__file__).resolve().parent / "data" / "written-nicmr"
DOCUMENT = DATA / "nicmr-written-2026.md"
BOARD = "Safeguarding Board for Northern Ireland"
TRUST = "Western Health and Social Care Trust"
PSNI = "Police Service of Northern Ireland"
DOH = "Department of Health"
EA = "Education Authority"
# Right types: a CMR, had storfa the type, or its nearest children's review
# outside Wales.
TYPES = ("CMR", "SCR", "CSPR")
RECOMMENDATIONS = tuple(f"R{n}. " for n in range(1, 9))
# Who each recommendation is to, by its number without the "R".
ADDRESSEES = {"1": [DOH], "2": [BOARD], "3": [BOARD], "4": [TRUST], "5": [TRUST],
              "6": [PSNI], "7": [PSNI, TRUST], "8": [EA]}
REGIONAL = ("1", "2", "3")
LOCAL = ("4", "5", "6", "7", "8")
BULLETS = ("a single chronology is kept", "a voluntary sector worker who has")
COVER_END = "Case Management Review Panel"
INTRODUCTION = "1. Introduction"
EVENTS = "5. Summary of Key Events"
ANALYSIS = "6. Analysis and Findings"
GOOD = "Good Practice"
CONCLUSIONS = "7. Conclusions"
RECOMMENDING = "8. Recommendations"
RELATIONSHIP = "The relationship Child A built"

_PDF_HYPHEN = (
    "from the PDF, 'relationship-based practice', broken after its hyphen at a line's end, "
    "is read as 'relationshipbased practice' in 'The relationship Child A built with her "
    "Barnardo's worker ...' (the hyphen of a compound dropped as if a word had been split); "
    "every other passage as written, 112")
_DATES = (
    "every review date is None, both readings, because the type is None and storfa reads "
    "review dates only for a single-case review: right are index incident 2023-02-23 (the "
    "overdose), referral 2023-03-03 (the Trust's notification to the SBNI), learning event "
    "2023-09-28, period 2021-09-01 to 2023-02-23, sign-off 2024-03-06 (the Independent "
    "Chair and the Review Panel); only publication (2024-09-17, the cover's) is read")
_RECALL = (
    "recall 0.56 (10 of 18), precision 0.83, both readings, held at 0.69, the threshold "
    "for reports that are not single-case reviews, since the type is None; missed the "
    "PSNI's decisive response 0.13, the GP 0.47, the chronology 0.50, the Trust's change "
    "0.19, the crisis response 0.62, the school's check-ins 0.26, the Barnardo's worker's "
    "sessions 0.37, the CAWN bullet 0.32")
_THEMES = (
    "two suggestions on practice in another theme, both readings: the designated teacher's "
    "referral ('The Panel considers this to be good practice') -> Suggested good practice "
    "0.92 (Escalating concerns) and the review conference ('good practice in involving the "
    "family') -> Suggested good practice 0.94 (Effective communication): practice found in "
    "the case, not what would have been good practice")
_MISSED_NAMED = (
    "3 of the 6 paragraphs naming their praise are missed, both readings: 'The PSNI's "
    "response on 5 February 2022 was decisive. ... Child Abduction Warning Notices ...' "
    "(0.13), the first social worker's chronology 'thorough and clearly written' (0.50), "
    "the crisis response 'prompt and child-centred' (0.62); 0.50 and 0.62 held back only "
    "by the 0.69 applied for want of a type")
_MISSED_DONE = (
    "3 of the 4 paragraphs of practice stated through what was done are missed, both "
    "readings: the GP who saw Child A alone, asked about the man and telephoned Gateway "
    "(0.47), the form teacher's and counsellor's morning check-ins (0.26), the Barnardo's "
    "worker's 41 sessions, texts and visits (0.37); the joint home visits are found")


read = reading(DOCUMENT, DATA / "nicmr-written-2026.tsv", "written-nicmr")


def _cover(read: Read) -> set[int]:
    return set(range(heading_at(read, COVER_END)))


def _front(read: Read) -> set[int]:
    """The panel's list, the introduction, the terms of reference, the
    methodology and the background: the heading of the key events ends it."""
    return set(range(heading_at(read, COVER_END), heading_at(read, EVENTS))) - headings(read)


def _events(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, EVENTS, ANALYSIS) - headings(read)


def _findings(read: Read) -> set[int]:
    """The five findings' paragraphs, not the Good Practice list."""
    return between(read, ANALYSIS, GOOD) - headings(read)


def _good_practice(read: Read) -> set[int]:
    (lead_in,) = opened_by(read, "While this review has identified")
    return between(read, GOOD, CONCLUSIONS) - {lead_in}


def _number(record: StoredRecommendation) -> str:
    return record.number.lstrip("Rr").rstrip("abcdefg")


def _records(read: Read, n: str) -> list[StoredRecommendation]:
    return [r for r in labelled_records(read) if _number(r) == n]


def _at(read: Read, threshold: float) -> tuple[float, float, set[int], set[int]]:
    """(precision, recall, wrong, missed) had suggestions been held at
    `threshold`, from the confidences of the same reading."""
    gold = read.seqs("practice")
    predicted = {s for s, c in read.confidence.items() if c >= threshold}
    hits = predicted & gold
    return (len(hits) / max(1, len(predicted)), len(hits) / max(1, len(gold)),
            predicted - gold, gold - predicted)


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 112, 18, 10, 84)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


@pytest.mark.xfail(strict=True, reason=_PDF_HYPHEN)
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_relationship_paragraph_as_written(read: Read) -> None:
    only(read, "pdf")
    (relationship,) = opened_by(read, RELATIONSHIP)
    wrong = [(s, t) for s, t in read.differ() if s != relationship]
    assert not wrong, wrong


def test_each_finding_is_a_heading_of_its_own(read: Read) -> None:
    findings = [read.text(s) for s in sorted(headings(read))
                if read.text(s).startswith("Finding ")]
    assert [f[:10] for f in findings] == [f"Finding {n}:" for n in range(1, 6)], findings


def test_the_years_of_the_key_events_are_headings(read: Read) -> None:
    # "2021", "2022", "2023": bare years as sub-headings.
    years = {read.text(s) for s in headings(read) if read.text(s).isdigit()}
    assert years == {"2021", "2022", "2023"}, years


def test_each_recommendation_is_a_passage_of_its_own(read: Read) -> None:
    assert len(opened_by(read, *RECOMMENDATIONS)) == 8


# ------------------------------------------------------------------- identity
def test_the_cover_gives_the_year(read: Read) -> None:
    # "Date of publication: 17 September 2024"; no variant.
    identity(read, year=2024, variant=None)


# First reading, since fixed: board None, both readings: 'Safeguarding Board for Northern
# Ireland' (the cover's first line; 'the SBNI' throughout) is not read as the review's board
def test_the_cover_gives_the_board(read: Read) -> None:
    identity(read, board=BOARD)


def test_a_review_without_numbering_has_no_identifier(read: Read) -> None:
    # SBNI reviews are not numbered; the key is the file's name.
    assert read.summary.identifier is None, read.summary.identifier
    assert read.summary.review_id == DOCUMENT.stem, read.summary.review_id


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


# First reading, since fixed: type None, both readings: 'Case Management Review' (the cover's
# heading, '(CMR)' in the introduction) is no type storfa knows; a Northern Ireland CMR about
# one child is a single-case review (the vocabulary's nearest SCR or CSPR), and should be read
# with the single-case threshold and dates
def test_a_case_management_review_is_read_as_a_single_case_review(read: Read) -> None:
    # One child's case: auto-coding should use the single-case threshold.
    identity(read)
    assert is_single_case(read.summary.type), read.summary.type


# First reading, since fixed: type None, both readings: 'Case Management Review' (the cover's
# heading, '(CMR)' in the introduction) is no type storfa knows; a Northern Ireland CMR about
# one child is a single-case review (the vocabulary's nearest SCR or CSPR), and should be read
# with the single-case threshold and dates
def test_the_type_is_a_childrens_review_type_outside_wales(read: Read) -> None:
    assert read.summary.type in TYPES, read.summary.type


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2023-02-23 (the overdose), referral 2023-03-03 (the Trust's notification to the SBNI),
# learning event 2023-09-28, period 2021-09-01 to 2023-02-23, sign-off 2024-03-06 (the
# Independent Chair and the Review Panel); only publication (2024-09-17, the cover's) is read
def test_the_index_incident_is_the_overdose(read: Read) -> None:
    # "On 23 February 2023 she was found unconscious ... after taking an overdose".
    assert read.summary.dates.get("index_incident") == "2023-02-23", read.summary.dates


@pytest.mark.xfail(strict=True, reason=_DATES)
def test_the_referral_is_the_notification_to_the_sbni(read: Read) -> None:
    # "The Western Health and Social Care Trust ... notified the SBNI of the case
    # on 3 March 2023" (its CMR Panel 29 March; the Chair agreed 5 April).
    assert read.summary.dates.get("referral") == "2023-03-03", read.summary.dates


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2023-02-23 (the overdose), referral 2023-03-03 (the Trust's notification to the SBNI),
# learning event 2023-09-28, period 2021-09-01 to 2023-02-23, sign-off 2024-03-06 (the
# Independent Chair and the Review Panel); only publication (2024-09-17, the cover's) is read
def test_the_period_under_review(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2021-09-01", "2023-02-23"), dates


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2023-02-23 (the overdose), referral 2023-03-03 (the Trust's notification to the SBNI),
# learning event 2023-09-28, period 2021-09-01 to 2023-02-23, sign-off 2024-03-06 (the
# Independent Chair and the Review Panel); only publication (2024-09-17, the cover's) is read
def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2023-09-28", read.summary.dates


@pytest.mark.xfail(strict=True, reason=_DATES)
def test_the_sign_off_is_the_panels(read: Read) -> None:
    # "agreed by the Independent Chair and the Review Panel on 6 March 2024"; not
    # the SBNI Board's 11 June 2024.
    assert read.summary.dates.get("sign_off") == "2024-03-06", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2024-09-17", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda n: n.lstrip("Rr").rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_eight(read: Read) -> None:
    print_register(read)
    numbers = [_number(r) for r in labelled_records(read)]
    assert sorted(set(numbers), key=int) == [str(n) for n in range(1, 9)], numbers


def test_each_bullet_of_r5_is_read_with_its_lead_in(read: Read) -> None:
    records = _records(read, "5")
    assert records
    for bullet in BULLETS:
        holding = [r for r in records if bullet in r.text]
        assert holding and all("Western Health and Social Care Trust should ensure" in r.text
                               for r in holding), (bullet, [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the panel's list, the terms of reference, "It would have been good
    # practice", the Good Practice list, the recommendations' lead-in.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_front_the_analysis_or_the_good_practice(read: Read) -> None:
    for what, seqs in (("front", _front(read)), ("events", _events(read)),
                       ("findings", _findings(read)), ("good practice", _good_practice(read)),
                       ("conclusions", between(read, CONCLUSIONS, RECOMMENDING))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# First reading, since fixed: R1 is to ['Department of Health and Social Care'], both readings:
# England's department; right the Department of Health, as written (Northern Ireland's)
def test_the_department_of_healths_recommendation(read: Read) -> None:
    found = [r.agencies for r in _records(read, "1")]
    assert found and all(a == ADDRESSEES["1"] for a in found), found


# First reading, since fixed: R2 and R3 ('The SBNI should ...') are to ['SBNI'], both readings:
# the abbreviation, not the review's own board, the Safeguarding Board for Northern Ireland
def test_the_sbnis_own_recommendations_are_the_boards(read: Read) -> None:
    # "The SBNI should ...": the review's own board (R3 seeks assurance from the
    # Trusts: still the SBNI's).
    found = {n: [r.agencies for r in _records(read, n)] for n in ("2", "3")}
    assert all(v and all(a and a[0] == BOARD for a in v) for v in found.values()), found


def test_the_trusts_recommendations_are_the_trusts(read: Read) -> None:
    found = {n: [r.agencies for r in _records(read, n)] for n in ("4", "5")}
    assert all(v and all(a == [TRUST] for a in v) for v in found.values()), found


# First reading, since fixed: R6 ('The Police Service of Northern Ireland should ...') is to
# ['police'], both readings: a generic agency, not the Police Service of Northern Ireland
def test_the_polices_recommendation_is_the_psnis(read: Read) -> None:
    found = [r.agencies for r in _records(read, "6")]
    assert found and all(a == [PSNI] for a in found), found


# First reading, since fixed: R7 ('The Police Service of Northern Ireland and the Western Health
# and Social Care Trust should ...') is to ['Western Health and Social Care Trust', 'police'],
# both readings: right the Police Service of Northern Ireland and the Trust
def test_the_joint_recommendation_names_both(read: Read) -> None:
    found = [r.agencies for r in _records(read, "7")]
    assert found and all(a == [PSNI, TRUST] for a in found), found


def test_the_joint_recommendation_names_the_trust(read: Read) -> None:
    found = [r.agencies for r in _records(read, "7")]
    assert found and all(TRUST in a for a in found), found


# First reading, since fixed: R8 ('The Education Authority should issue guidance to schools
# ...') is to ['education'], both readings: a generic agency, not the Education Authority
def test_the_education_authoritys_recommendation(read: Read) -> None:
    found = [r.agencies for r in _records(read, "8")]
    assert found and all(a == [EA] for a in found), found


def test_no_record_names_a_welsh_board(read: Read) -> None:
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


# First reading, since fixed (levels read from the sub-heading and the addressees): no record has a
# level, both readings: the sub-headings 'Regional Recommendations' (R1-R3) and 'Local
# Recommendations' (R4-R8) are not read as the records' levels
def test_the_levels_are_the_sub_headings(read: Read) -> None:
    # "Regional Recommendations" over R1-R3, "Local Recommendations" over R4-R8.
    found = {_number(r): r.level for r in labelled_records(read)}
    expected = {n: "regional" for n in REGIONAL} | {n: "local" for n in LOCAL}
    assert found == expected, found


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


# First reading, since fixed: recall 0.56 (10 of 18), precision 0.83, both readings, held at
# 0.69, the threshold for reports that are not single-case reviews, since the type is None;
# missed the PSNI's decisive response 0.13, the GP 0.47, the chronology 0.50, the Trust's change
# 0.19, the crisis response 0.62, the school's check-ins 0.26, the Barnardo's worker's sessions
# 0.37, the CAWN bullet 0.32
def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


@pytest.mark.xfail(strict=True, reason=_RECALL)
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_at_the_single_case_threshold(read: Read) -> None:
    """The same confidences held at the single-case threshold: what a CMR
    read as single-case is given (the same as the suggestions, if it was)."""
    precision, recall, wrong, missed = _at(read, read.threshold)
    print(f"\n[{read.source}] at {read.threshold:.2f}: precision {precision:.2f} "
          f"recall {recall:.2f}; suggestions as applied "
          f"{len(read.suggested)}, the lowest "
          f"{min((c for v in read.suggested.values() for _, c in v), default=0.0):.2f}")
    for seq in sorted(wrong):
        print(f"  suggested, not practice: {seq} ({read.confidence[seq]:.2f}) "
              f"{read.text(seq)[:70]}")
    for seq in sorted(missed):
        print(f"  practice, missed: {seq} ({read.confidence.get(seq, 0.0):.2f}) "
              f"{read.text(seq)[:70]}")
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, (precision, recall)


@pytest.mark.xfail(strict=True, reason=(
    "even at the single-case 0.49 (the same confidences, both readings): precision 0.86 "
    "(12 of 14), recall 0.67 (12 of 18), under the 0.70 judged bar; still missed 0.13, "
    "0.47, 0.19, 0.26, 0.37, 0.32 and still suggested the procedures quoted (0.87) and the "
    "conclusions (0.82)"))
def test_at_the_single_case_threshold_the_judged_bar(read: Read) -> None:
    precision, recall, _, _ = _at(read, read.threshold)
    assert precision >= JUDGED and recall >= JUDGED, (precision, recall)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "panel, introduction, terms, methodology, background": _front(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_summary_of_key_events(read: Read) -> None:
    # Plain facts with dates, among them the designated teacher's referral and
    # the police finding Child A, told without comment.
    never_suggested(read, {"summary of key events": _events(read)})


def test_auto_coding_does_not_suggest_the_analysis_preamble(read: Read) -> None:
    opened_not_suggested(read, "The Panel has made five findings")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    opened_not_suggested(read, "Despite this, records across",
                         "The Article 66 investigation closed",
                         "Between February 2022 and January 2023", "The school and Barnardo's each",
                         "At the review case conference", "Child A was then placed",
                         "CAMHS did not tell", "No agency considered",
                         "The reduced timetable introduced", "That relationship was not used")


def test_auto_coding_does_not_suggest_the_inquiry_or_what_missing_may_mean(read: Read) -> None:
    # The 2014 Inquiry cited (a learning repeated, not practice shaped by it);
    # "Where a child is being exploited, a fall in missing episodes may mean ...".
    opened_not_suggested(read, "Where a child is being exploited",
                         "The learning about language is not new")


@pytest.mark.xfail(strict=True, reason=(
    "'The Regional Core Child Protection Policy and Procedures are clear that a child who "
    "is sexually exploited is the victim of abuse ... Practitioners at the learning event "
    "understood this in principle, but said that the language had become so familiar that "
    "they no longer noticed it.' is suggested, Learning from past reviews 0.87, both "
    "readings: the procedures quoted and a criticism, no practice"))
def test_auto_coding_does_not_suggest_the_procedures_quoted(read: Read) -> None:
    opened_not_suggested(read, "The Regional Core Child Protection")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The Panel recognises that investigations",
                         "The Panel recognises that the Family Intervention")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event practitioners")


def test_auto_coding_does_not_suggest_child_as_words(read: Read) -> None:
    # Among them "The crisis woman was nice. But then nothing happened ...".
    opened_not_suggested(read, 'Child A told the Independent Chair: "Everybody', "Child A said:")


# First reading, since fixed: 'The Panel cannot say that Child A's overdose could have been
# prevented. It is clear, however, that in the weeks before it she had been removed from the
# Child Protection Register, closed to CAMHS and left out of school ...' is suggested,
# Consistent care and support 0.82, both readings: a conclusion of what failed, no practice
def test_auto_coding_does_not_suggest_the_conclusions(read: Read) -> None:
    # "... several practitioners acted on what they saw. However, ...".
    never_suggested(read, {"conclusions": between(read, CONCLUSIONS, RECOMMENDING)})


def test_auto_coding_finds_practice_the_panel_names_as_good(read: Read) -> None:
    # "good practice" (two), "the most protective factor".
    opened_suggested(read, "The school was the first agency", "The conference was held within",
                     RELATIONSHIP)


@pytest.mark.xfail(strict=True, reason=_MISSED_NAMED)
def test_auto_coding_finds_the_rest_of_the_practice_named_as_good(read: Read) -> None:
    # "decisive", "thorough and clearly written", "prompt and child-centred".
    opened_suggested(read, "The PSNI's response on 5 February", "The first social worker kept",
                     "The response when Child A attended")


def test_auto_coding_finds_the_joint_home_visits(read: Read) -> None:
    # "Where agencies did work closely together, it made a difference." and what
    # they did.
    opened_coded(read, "Where agencies did work closely", "Multi-agency working")


@pytest.mark.xfail(strict=True, reason=_MISSED_DONE)
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The GP's curiosity, the school's check-ins, the Barnardo's worker's persistence.
    opened_suggested(read, "When Child A asked her GP", "Within school, Child A's form teacher",
                     "The Barnardo's worker saw Child A")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_psnis_change_since(read: Read) -> None:
    opened_coded(read, "Since the learning event, the PSNI", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=(
    "'Since the review began, the Trust has changed its procedure so that where sexual "
    "exploitation has been a concern, a child's name is not removed from the Child "
    "Protection Register without a written contribution ...' is not suggested (0.19), "
    "both readings: a change made since, Learning from past reviews"))
def test_auto_coding_finds_the_trusts_change_since(read: Read) -> None:
    opened_coded(read, "Since the review began, the Trust", "Learning from past reviews")


def test_auto_coding_finds_four_good_practice_bullets(read: Read) -> None:
    listed = _good_practice(read) - opened_by(read, "the PSNI's swift use")
    assert len(listed) == 4 and listed <= read.seqs("practice")
    all_suggested(read, listed)


@pytest.mark.xfail(strict=True, reason=(
    "the bullet 'the PSNI's swift use of Child Abduction Warning Notices in February "
    "2022;' is not suggested (0.32), both readings; the other four are (0.99-1.00)"))
def test_auto_coding_finds_every_good_practice_bullet(read: Read) -> None:
    listed = _good_practice(read)
    assert len(listed) == 5 and listed <= read.seqs("practice")
    all_suggested(read, listed)


def test_auto_coding_never_suggests_the_good_practice_lead_in(read: Read) -> None:
    opened_not_suggested(read, "While this review has identified")
