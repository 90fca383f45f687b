"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on an English
Safeguarding Adults Review whose six findings each END WITH THEIR OWN
RECOMMENDATION(S) INLINE and whose recommendations are then repeated, all
of them, in a closing "Summary of recommendations" table, of the
single-case auto-coding threshold and the document-reading rules chosen on
the written reviews before it.

`tests/data/written-ilsar/ilsar-written-2026.md` is a WRITTEN Safeguarding
Adults Review under section 44 of the Care Act 2014 (fictional: no real
case or person) for the Westmarsh Safeguarding Adults Board (a fictional
English board), about Mr D, 67, left with left-sided weakness, aphasia and
very limited mobility by a stroke in August 2021, cared for at home by his
son after the son cancelled his package of care in January 2022; admitted
to Westmarsh General Hospital on 4 March 2023 with grade 4 pressure ulcers,
he died there on 12 March 2023 of sepsis from them. Agencies: the council's
Adult Social Care, NHS Westmarsh Integrated Care Board (ICB) for the GP
practice, a community NHS Trust's district nurses (three no-access visits
and discharge from the caseload), the hospital trust, the ambulance
service, the police, a home care provider, a carers' centre. Where it
differs from the written reviews before it (the SILP's, the SAR's and the
ASAR's, English SARs, the nearest):

- the cover: the board's name (a paragraph), "Safeguarding Adults Review:
  Mr D" (the only level-1 heading), "Report author: ...", "Agreed by the
  SAB: 7 November 2024", "Published: 10 January 2025"; NO numbering of any
  kind (as the SILP's); no contents;
- numbered sections, paragraphs not: "1. Introduction" (the referral to the
  SAR Sub-Group on 28 March 2023, the sub-group's decision of 20 April, what
  happened with the admission and the death, the police investigation and
  the CPS's advice of 22 August 2023, the panel's first meeting), "2. About
  Mr D", "3. Key lines of enquiry" (a lead-in and FIVE BULLETED QUESTIONS
  and a paragraph saying each finding ends with its recommendations), "4.
  Methodology" (the period with its reason, the learning event of 19
  October 2023), "5. Mr D's son's view" (his words reported, among them his
  praise of the practice nurse and the ward nurses), "6. Summary of what
  happened" (eight dated paragraphs of chronology, which tell as plain fact
  the practice nurse's concern, the crew's safeguarding concern and the
  police visit);
- "7. Findings and recommendations": a preamble, then SIX "Finding n: ..."
  HEADINGS (level 3), each with four to seven paragraphs of analysis (facts,
  poor practice, good practice stated inline: "This was thoughtful
  practice", "thorough", "clear and detailed" mixed with criticism, "Her
  persistence was to her credit", "This was good practice", "prompt and in
  line with the Board's procedures"; practice told through what was done:
  the practice nurse's same-day call to the duty GP, the ambulance crew's
  concern that evening, the officers who spoke to Mr D alone "as force
  policy requires", the ward sister's explanation; ONE PARAGRAPH BEGINNING
  "There was also good practice:" in Finding 5; one "It would have been
  good practice ..."; two changes since; two concessions; the Mental
  Capacity Act's presumption and section 42's duty; three paragraphs of
  what practitioners said at the learning event), and ENDING ON ITS OWN
  BOLD RECOMMENDATION PARAGRAPH, "**Recommendation n: The Board should seek
  assurance that ...**" (Finding 5 two: "Recommendation 5a" and "5b");
  recommendation 4 "NHS Westmarsh Integrated Care Board should ensure ...",
  5a "The Board should review its multi-agency policy ...", 6 "The Board
  should ask its partner agencies to adopt ..."; relative times only
  ("within twelve months");
- "8. Conclusion" (three paragraphs: the second names practitioners "who
  did good work"; the third "The Board accepts the recommendations in this
  report ...");
- "9. Summary of recommendations": a lead-in (no colon) and A TABLE "No. |
  Recommendation | Lead agency" whose SEVEN ROWS REPEAT THE SEVEN
  RECOMMENDATIONS WORD FOR WORD ("1 | The Board should seek assurance that
  ... | Westmarsh Council Adult Social Care", ... "5a | ...", "5b | ...",
  "6 | ... | Westmarsh Safeguarding Adults Board"), the lead agency being
  the agency that will act, not always the recommendation's addressee.

Its labels (`ilsar-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 104
passages, 15 practice, 14 recommendation (the seven bold paragraphs in the
findings AND the seven table rows that repeat them: both copies are
recommendation passages, though a user expects each recommendation
recorded once), 75 other. As the earlier modules': practice where the
reviewers present some practice as good, however implicitly or mixed with
criticism. Codes: Finding 1: the hospital social worker's Care Act
assessment with the speech and language therapist's picture cards
("thoughtful practice") Effective communication; "It would have been good
practice ..." Suggested good practice. Finding 2: the first district
nurse's skin inspection and Waterlow assessment ("thorough") Risk
assessment; the district nurses' records "clear and detailed" (then the
criticism) Record keeping; the nurse who rang the son three times and the
GP practice twice ("Her persistence was to her credit") Consistent and
persistent communication; the trust's no-access policy changed since
Learning from past reviews. Finding 3: the Carers' Centre worker's calls,
letters, visits and going with him to the GP ("good practice that kept a
door open") Persistency in care and support. Finding 4: the practice
nurse's detailed record and same-day request to the duty GP Escalating
concerns; the ICB's guidance since Learning from past reviews. Finding 5:
the ambulance crew's concern that evening Escalating concerns; "There was
also good practice: the triage social worker checked ... and rang the
district nursing team ..., and the ambulance service's safeguarding team
followed up ..." Multi-agency working (by its first finding); the officers
who spoke to Mr D alone "as force policy requires" Adhering to policy and
procedure. Finding 6: the emergency department's photographs and body map,
the same-day concern and the strategy meeting ("prompt and in line with
the Board's procedures") Adhering to policy and procedure; the ward
sister's explanation to the son Effective communication. Conclusion: "The
review found practitioners who did good work, among them the speech and
language therapist, ..." (borderline: a restatement naming who, as the
CTMAPR's "Good practice" paragraph) Effective communication, by its first.
Other: the cover, the introduction, about Mr D, the key lines of enquiry
and their lead-in, the methodology, the son's view (his praise of the
practice nurse and the ward nurses too: the family's words), the summary of
what happened (the chronology, though it tells the practice nurse's
concern, the crew's concern and the police visit), the findings' preamble
and their headings, every paragraph of poor practice, fact, concession, law
or what practitioners said, the conclusion's other two paragraphs, the
summary's lead-in and the table's header.

What a user would expect of its identity, decided before the reading: type
SAR, no variant, board "Westmarsh Safeguarding Adults Board", NO identifier
(key the file's name, "ilsar-written-2026", as the SILP's), year 2025 (the
publication's: no numbering gives one); dates: index incident 2023-03-12
(the death, not the admission of 4 March 2023), referral 2023-03-28 (Adult
Social Care's to the SAR Sub-Group; not the sub-group's decision of 20
April), period 2021-11-01 to 2023-03-12, learning event 2023-10-19,
sign-off 2024-11-07 ("Agreed by the SAB"), publication 2025-01-10.
Recommendations: SEVEN records, numbered 1, 2, 3, 4, 5a, 5b, 6, EACH ONCE
(whether read from the finding or from the table row; the table's repeat
adds none); nothing from the key lines of enquiry, "It would have been good
practice", the law, the conclusion's "The Board accepts the
recommendations" or the summary's lead-in; addressees 1, 2, 3, 5a, 5b and 6
the Board (the Westmarsh Safeguarding Adults Board: "The Board should seek
assurance that <agency> ..." is the Board's, not its table's lead agency),
4 NHS Westmarsh Integrated Care Board; no due date from "within twelve
months".

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt17
as it was, HEAD 9260802; STORFA_INT8=u8; by the machine's clock the session
began 06:58:19, the labels were written 07:00:27 and copied into tests/data
with the document in one `cp` 07:00:28, this module written before any
reading (07:01:23), storfa first run 07:01:29-07:01:33 (`-x` stopped on the
first failure) and again without `-x` 07:01:34-07:01:41; the registers, the
passage by passage reading and the near misses printed 07:01:48-07:01:53, on
the same tree), the same from the Markdown and from the PDF unless said:

- segmentation: 104 passages from both, every one as written (the summary
  table's seven rows read as table rows);
- identity: key "ilsar-written-2026" (the file's name), identifier None,
  SAR, no variant, Westmarsh Safeguarding Adults Board, 2025, all right;
  index incident 2023-03-12 (the death), referral 2023-03-28, period
  2021-11-01 to 2023-03-12, learning event 2023-10-19, publication
  2025-01-10, all right; sign-off WRONG: None (right: 2024-11-07, the
  cover's "Agreed by the SAB: 7 November 2024", as the ASAR's "Report agreed
  by the Board", since fixed there);
- recommendations: the seven found, numbered 1, 2, 3, 4, 5a, 5b, 6, each
  read from its bold paragraph in the findings and RECORDED ONCE: none of
  the summary table's seven rows is read or recorded, so the repeat adds
  nothing (right); addressees 1, 2, 3, 5a, 5b, 6 ['Westmarsh Safeguarding
  Adults Board'] (not the table's lead agency), 4 ['NHS Westmarsh
  Integrated Care Board'], all right; no due dates (right). From the PDF
  nothing else (7 records). From the MARKDOWN 9 records, two extra, each
  numbered as a recommendation already recorded: "Since the learning
  event, NHS Westmarsh Integrated Care Board has issued guidance ..." (a
  change made, Finding 4, labelled practice) recorded as "4" to ['NHS
  Westmarsh Integrated Care Board'], and the law, "Under section 42 of the
  Care Act 2014 the local authority must make enquiries ..." (Finding 5,
  other), recorded as "6" to ['Westmarsh Council'];
- auto-coding at the single-case threshold (0.49 as reported). From the
  MARKDOWN: 11 suggestions, 9 of the 15 practice passages, precision 0.82,
  recall 0.60 (at the floor, under the 0.70 bar); the same sub-theme as the
  label on 5 of 9, the same theme on 6 of 9 (0.67, under the 0.70 bar).
  From the PDF: 17 suggestions, 12 of 15, precision 0.71 (under the 0.80
  floor), recall 0.80; the same sub-theme on 8 of 12, the same theme on 9
  of 12 (0.75). Wrong, both readings (2): the son's "He spoke warmly of the
  practice nurse ..." (Positive working relationships, 0.86) and the
  chronology's "On 12 September 2022 the practice nurse visited Mr D at
  home ... She was concerned about what she saw and told the GP."
  (Escalating concerns, 0.60); from the PDF also (3): the concessions "The
  reviewer accepts that many cancellations are straightforward. But ..."
  (Persistency in care and support, 0.53) and "The reviewer recognises the
  pressure on general practice in 2022 ... But ..." (Effective
  communication, 0.75), and the GP's call, "The GP rang Mr D's son three
  days later. He said his father was fine ... took no further action."
  (Persistency in care and support, 0.60). Missed, both readings (3): the
  district nurses' records "clear and detailed" (then the criticism)
  (0.06), the ambulance crew's concern that evening "describing exactly
  what they had seen" (0.30), the conclusion's "The review found
  practitioners who did good work, among them ..." (0.52 at threshold 0,
  not suggested); from the Markdown also (3): the ICB's guidance since
  (0.00: read as recommendation 4), the officers who spoke to Mr D alone
  "as force policy requires" (0.79 at threshold 0) and the ward sister's
  explanation to the son (0.75 at threshold 0), all three suggested from
  the PDF (Learning from past reviews 0.95, Adhering to policy and
  procedure 0.79, Effective communication 0.75). Themes that differ, both
  readings (3): the nurse who rang the son three times and the GP practice
  twice -> Persistency in care and support (0.68 Markdown, 0.91 PDF;
  Consistent and persistent communication), the practice nurse's same-day
  request to the duty GP -> Effective communication (0.87, 0.97;
  Escalating concerns), the emergency department's response "prompt and in
  line with the Board's procedures" -> Escalating concerns (0.57, 0.86;
  Adhering to policy and procedure); within the theme: "There was also good
  practice: the triage social worker checked ..." -> Consistent and
  persistent communication (0.94, 0.99; Multi-agency working). Right: "It
  would have been good practice" (Suggested good practice, 1.00), the
  speech and language therapist's picture cards (Effective communication),
  the first district nurse's Waterlow (Risk assessment), the trust's
  no-access policy changed (Learning from past reviews, 0.50 Markdown, 0.81
  PDF), the Carers' Centre worker (Persistency in care and support, 0.97,
  0.99). Nothing suggested on the cover, a heading (the six finding
  headings among them), the introduction, about Mr D, the key lines of
  enquiry, the methodology, the findings' preamble, the law, what
  practitioners said, the conclusion's other paragraphs, a recommendation
  (either copy) or the table. Near misses under the threshold: Finding 3's
  "His son had given up his job ..." (other, 0.48), the table's row 4
  (0.45).

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held, those that
differ by reading split by `only`, tests added for what the reading showed
(the two extra records of the Markdown, the table adding no record, the
suggestions in the label's theme that hold), and the faults marked strict
xfail. On the frozen tree (07:03:24-07:03:31) and from /work/main with its
own src/ (07:03:32-07:03:40) the module gave the same: 93 passed, 23
skipped, 26 xfailed.

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
from written import (
    Read,
    between,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
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
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-ilsar"
DOCUMENT = DATA / "ilsar-written-2026.md"
BOARD = "Westmarsh Safeguarding Adults Board"
ICB = "Westmarsh Integrated Care Board"  # "NHS Westmarsh Integrated Care Board"
NUMBERS = ["1", "2", "3", "4", "5a", "5b", "6"]
# Words only each recommendation has (in both its copies).
WORDS = {
    "1": "family carer cancels or reduces", "2": "revised no access policy",
    "3": "Carers' Centre have agreed", "4": "register of housebound patients",
    "5a": "review its multi-agency policy", "5b": "front door considers",
    "6": "safeguarding protocol on pressure ulcers",
}
BOARDS_OWN = ("1", "2", "3", "5a", "5b", "6")
WELSH_BOARDS = ("Cwm Taf", "Cardiff", "Gwent", "Mid and West Wales", "North Wales",
                "West Glamorgan", "Western Bay", "Powys")
FINDINGS = "7. Findings and recommendations"
CONCLUSION = "8. Conclusion"
SUMMARY = "9. Summary of recommendations"


_THEMES = (
    "three suggestions on practice are in another theme, both readings: the nurse who rang "
    "the son three times and the GP practice twice ('Her persistence was to her credit') -> "
    "Persistency in care and support (0.68 Markdown, 0.91 PDF; Consistent and persistent "
    "communication), the practice nurse's same-day request to the duty GP -> Effective "
    "communication (0.87, 0.97; Escalating concerns), the emergency department's response "
    "'prompt and in line with the Board's procedures' -> Escalating concerns (0.57, 0.86; "
    "Adhering to policy and procedure)")
_PDF_EXTRA = (
    "from the PDF three paragraphs of the findings that praise nothing are suggested: the "
    "concessions 'The reviewer accepts that many cancellations are straightforward. But ...' "
    "(Persistency in care and support, 0.53) and 'The reviewer recognises the pressure on "
    "general practice in 2022 ... But ...' (Effective communication, 0.75), and 'The GP rang "
    "Mr D's son three days later. He said his father was fine ... took no further action.' "
    "(Persistency in care and support, 0.60); from the Markdown none")


# Since the findings under "7. Findings and recommendations" are zoned as
# learning, not recommendations (stop 38), the Markdown reads them as the PDF
# did at the first reading.
_SINCE_ZONED = ("since the findings are zoned as learning, not recommendations (stop 38), the "
                "Markdown reads them as the PDF did at the first reading: ")

read = reading(DOCUMENT, DATA / "ilsar-written-2026.tsv", "written-ilsar")


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the introduction's heading.
    return set(range(heading_at(read, "1. Introduction")))


def _findings(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, FINDINGS, CONCLUSION)


def _finding_headings(read: Read) -> set[int]:
    return {p.seq for p in read.passages if p.kind == "heading"
            and read.text(p.seq).startswith("Finding ")}


def _summary(read: Read) -> set[int]:
    return set(range(heading_at(read, SUMMARY) + 1, len(read.passages)))


def _inline(read: Read) -> set[int]:
    """The bold recommendation paragraphs that end the findings."""
    return _findings(read) & read.seqs("recommendation")


def _repeated(read: Read) -> set[int]:
    """The summary table's rows that repeat them."""
    return _summary(read) & read.seqs("recommendation")


def _holding(read: Read, n: str) -> list:
    """The labelled records that hold recommendation `n`'s words."""
    return [r for r in labelled_records(read) if WORDS[n] in " ".join(r.text.split())]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 104, 15, 14, 75)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


def test_each_finding_ends_on_its_recommendations(read: Read) -> None:
    findings = sorted(_finding_headings(read))
    assert len(findings) == 6 and set(findings) <= _findings(read)
    inline = sorted(_inline(read))
    assert len(inline) == 7
    ends = [*findings[1:], heading_at(read, CONCLUSION)]
    # Each finding's last passage (two for Finding 5) is its recommendation.
    assert {e - 1 for e in ends} | {ends[4] - 2} == set(inline), (ends, inline)
    assert all(read.text(s).startswith("Recommendation ") for s in inline)


def test_the_summary_is_a_lead_in_and_a_table_of_seven_recommendations(read: Read) -> None:
    summary = sorted(_summary(read))
    assert len(summary) == 9
    assert [read.passages[s].kind for s in summary[2:]] == ["table_row"] * 7, \
        [(read.passages[s].kind, read.text(s)[:30]) for s in summary]
    assert set(summary[2:]) == _repeated(read)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_and_board(read: Read) -> None:
    identity(read, type="SAR", board=BOARD)


def test_an_english_review_has_no_variant(read: Read) -> None:
    identity(read, variant=None)


def test_the_board_is_no_welsh_board(read: Read) -> None:
    board = read.summary.board or ""
    assert not board.startswith(WELSH_BOARDS), board


def test_a_review_without_numbering_has_no_identifier(read: Read) -> None:
    # "Safeguarding Adults Review: Mr D": no number; the key is the file's name,
    # and nothing in it ("Finding 5", "Recommendation 5a", "section 42") is one.
    s = read.summary
    assert s.identifier is None, s.identifier
    assert s.review_id == DOCUMENT.stem, s.review_id
    assert parse_review_id(s.review_id).seq is None


def test_the_year_is_the_year_of_publication(read: Read) -> None:
    assert read.summary.year == 2025, read.summary.year


def test_the_index_incident_is_the_death(read: Read) -> None:
    # "He died there on 12 March 2023"; not the admission of 4 March 2023.
    assert read.summary.dates.get("index_incident") == "2023-03-12", read.summary.dates


def test_the_referral_is_adult_social_cares(read: Read) -> None:
    # "Westmarsh Council Adult Social Care referred Mr D's case to the Board's
    # SAR Sub-Group on 28 March 2023"; not the sub-group's decision (20 April).
    assert read.summary.dates.get("referral") == "2023-03-28", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The review covers the period from 1 November 2021 ... to 12 March 2023".
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2021-11-01", "2023-03-12"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2023-10-19", read.summary.dates


# First reading, since fixed: sign-off None, both readings; right: 2024-11-07, the
# cover's 'Agreed by the SAB: 7 November 2024' (the review has no reviewer's dated
# statement, so the board's agreement is it, as the ASAR's 'Report agreed by the Board')
def test_the_sign_off_is_the_boards_agreement(read: Read) -> None:
    # "Agreed by the SAB: 7 November 2024".
    assert read.summary.dates.get("sign_off") == "2024-11-07", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-01-10", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    print_register(read)
    missed = [n for n in NUMBERS if not _holding(read, n)]
    assert not missed, missed


def test_each_recommendation_is_recorded_once(read: Read) -> None:
    # The table repeats all seven word for word: a user expects seven records.
    print_register(read)
    assert sorted(r.number for r in labelled_records(read)) == NUMBERS, \
        [(r.number, r.text[:40]) for r in labelled_records(read)]


def test_the_summary_table_adds_no_record(read: Read) -> None:
    # Its seven rows repeat the seven recommendations: none is recorded again.
    table = _summary(read)
    wrong = sorted({s for s, _ in read.recommendations} & table)
    assert not wrong, [read.text(s)[:50] for s in wrong]


def test_each_record_is_numbered_as_written(read: Read) -> None:
    wrong = {n: [r.number for r in _holding(read, n)] for n in NUMBERS
             if any(r.number != n for r in _holding(read, n))}
    assert not wrong, wrong


def test_every_recommendation_in_the_findings_is_read(read: Read) -> None:
    missed = sorted(_inline(read) - read.covered)
    assert not missed, [read.text(s)[:60] for s in missed]


def test_nothing_else_is_recorded_from_the_pdf(read: Read) -> None:
    # Not a key line of enquiry, "It would have been good practice", the law,
    # a change made, the conclusion's "The Board accepts the recommendations",
    # the summary's lead-in or the table's header.
    only(read, "pdf")
    records_beyond_the_labels(read, 0)


# First reading, since fixed (a labelled chapter's unlabelled paragraphs are its findings): from
# the Markdown two passages of the findings are recorded as recommendations, each under the
# number of one already recorded (the register holds two 4s and two 6s): 'Since the learning
# event, NHS Westmarsh Integrated Care Board has issued guidance to all GP practices ...' (a
# change made, labelled practice) as '4' to ['NHS Westmarsh Integrated Care Board'], and 'Under
# section 42 of the Care Act 2014 the local authority must make enquiries ...' (the law) as '6'
# to ['Westmarsh Council']; from the PDF none
def test_nothing_else_is_recorded_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    records_beyond_the_labels(read, 0)


def test_the_register_numbers_each_recommendation_once_from_the_pdf(read: Read) -> None:
    # What a user sees: no number twice in the register.
    only(read, "pdf")
    _numbered_once(read)


# First reading, since fixed (a labelled chapter's unlabelled paragraphs are its findings): as
# above
def test_the_register_numbers_each_recommendation_once_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    _numbered_once(read)


def _numbered_once(read: Read) -> None:
    numbers = [r.number for _, r in read.recommendations]
    assert sorted(numbers) == NUMBERS, numbers


def test_no_record_from_the_key_lines_or_the_conclusion(read: Read) -> None:
    for what, seqs in (("key lines of enquiry", between(read, "3. Key lines of enquiry",
                                                        "4. Methodology")),
                       ("conclusion", between(read, CONCLUSION, SUMMARY))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_no_record_from_the_analysis_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    wrong = sorted(read.covered & (_findings(read) - _inline(read)))
    assert not wrong, [read.text(s)[:50] for s in wrong]


# First reading, since fixed (a labelled chapter's unlabelled paragraphs are its findings): as
# above
def test_the_icbs_change_since_is_not_a_recommendation(read: Read) -> None:
    # From the PDF: test_no_record_from_the_analysis_from_the_pdf.
    only(read, "markdown")
    (change,) = opened_by(read, "Since the learning event, NHS Westmarsh")
    assert change not in read.covered


# First reading, since fixed (a labelled chapter's unlabelled paragraphs are its findings): as
# above
def test_section_42_quoted_is_not_a_recommendation(read: Read) -> None:
    # From the PDF: test_no_record_from_the_analysis_from_the_pdf.
    only(read, "markdown")
    (law,) = opened_by(read, "Under section 42 of the Care Act 2014")
    assert law not in read.covered


def test_no_other_paragraph_of_the_analysis_is_recorded(read: Read) -> None:
    # All but the two the Markdown records (their own xfails).
    analysis = _findings(read) - _inline(read) - opened_by(
        read, "Since the learning event, NHS Westmarsh", "Under section 42 of the Care Act 2014")
    wrong = sorted(read.covered & analysis)
    assert not wrong, [read.text(s)[:50] for s in wrong]


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "The Board should seek assurance that <agency> ...": the Board's, whatever
    # the table's lead agency.
    named = {n: [r.agencies for r in _holding(read, n)] for n in BOARDS_OWN}
    wrong = {n: a for n, a in named.items() if not a or any(x[:1] != [BOARD] for x in a)}
    assert not wrong, wrong


def test_the_icbs_recommendation_is_the_icbs(read: Read) -> None:
    found = [r.agencies for r in _holding(read, "4")]
    assert found and all(len(a) == 1 and ICB in a[0] for a in found), found


def test_no_due_date_from_a_relative_time(read: Read) -> None:
    # "within twelve months" (2 and 6) is no date.
    wrong = [(r.number, r.due_date) for r in labelled_records(read) if r.due_date is not None]
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=(
    _SINCE_ZONED + "precision 0.69, under the 0.80 floor (recall up: the officers and the ward "
    "sister found)"))
def test_auto_coding_precision_holds_its_floor_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    holds_the_floors(read, recall=None)


@pytest.mark.xfail(strict=True, reason=(
    "from the PDF precision 0.71 (12 of 17), floor 0.80: five wrong suggestions, the son's "
    "praise of the practice nurse (0.86), the chronology's practice nurse visit (0.60), two "
    "concessions (0.53, 0.75) and the GP's call (0.60); from the Markdown 0.82 (9 of 11)"))
def test_auto_coding_precision_holds_its_floor_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # From the Markdown 0.60, at the floor.
    holds_the_floors(read, precision=None)


# First reading, since fixed (a labelled chapter's unlabelled paragraphs are its findings): from
# the Markdown recall 0.60 (9 of 15), under the 0.70 bar: six practice passages not suggested,
# the records 'clear and detailed' (0.06), the ICB's guidance since (0.00, read as recommendation
# 4), the ambulance crew's concern (0.30), the officers who spoke to Mr D alone (0.79 at
# threshold 0), the ward sister (0.75 at threshold 0), the conclusion's good work (0.52 at
# threshold 0); precision 0.82
def test_auto_coding_holds_the_judged_bar_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    holds_the_judged_bar(read)


def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    # Precision 0.71, recall 0.80.
    only(read, "pdf")
    holds_the_judged_bar(read)


# First reading, since fixed: from the Markdown the same theme on 6 of 9 (0.67), under
# the 0.70 bar; three suggestions on practice are in another theme, both readings: the
# nurse who rang the son three times and the GP practice twice ('Her persistence was to
# her credit') -> Persistency in care and support (0.68 Markdown, 0.91 PDF; Consistent
# and persistent communication), the practice nurse's same-day request to the duty GP ->
# Effective communication (0.87, 0.97; Escalating concerns), the emergency department's
# response 'prompt and in line with the Board's procedures' -> Escalating concerns
# (0.57, 0.86; Adhering to policy and procedure)
def test_the_theme_agrees_with_the_label_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    themes_agree(read)


def test_the_theme_agrees_with_the_label_from_the_pdf(read: Read) -> None:
    # 9 of 12 (0.75).
    only(read, "pdf")
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_other_suggestions_on_practice_are_in_the_labels_theme(read: Read) -> None:
    # "There was also good practice" -> Consistent and persistent communication
    # (0.94, 0.99; Multi-agency working): the same theme.
    suggested_in_labels_theme(read, opened_by(
        read, "Before Mr D left hospital", "It would have been good practice",
        "The district nurse who first visited", "Since this review began",
        "The worker from Westmarsh Carers'", "There was also good practice:"))


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "introduction": between(read, "1. Introduction", "2. About Mr D"),
        "about Mr D": between(read, "2. About Mr D", "3. Key lines of enquiry"),
        "key lines of enquiry": between(read, "3. Key lines of enquiry", "4. Methodology"),
        "methodology": between(read, "4. Methodology", "5. Mr D's son's view"),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
        "summary of recommendations": _summary(read),
    })


@pytest.mark.xfail(strict=True, reason=(
    "'He spoke warmly of the practice nurse who visited in September 2022, who \"actually "
    "sat down and talked to Dad, not just to me\", and of the nurses on the ward ...' is "
    "suggested (Positive working relationships, 0.86), both readings: the son's words, not "
    "the reviewer's judgement"))
def test_auto_coding_does_not_suggest_the_sons_view(read: Read) -> None:
    # His praise of the practice nurse and the ward nurses too: the family's words.
    view = between(read, "5. Mr D's son's view", "6. Summary of what happened")
    assert len(view) == 4
    never_suggested(read, {"the son's view": view})


def test_auto_coding_does_not_suggest_the_sons_other_words(read: Read) -> None:
    opened_not_suggested(read, "Mr D's son told the reviewer that he loved",
                         "He said that after the first few months",
                         "He said that he did not understand")


@pytest.mark.xfail(strict=True, reason=(
    "the chronology's 'On 12 September 2022 the practice nurse visited Mr D at home for his "
    "diabetes review. She was concerned about what she saw and told the GP. The GP rang ... "
    "and arranged a medication review by telephone.' is suggested (Escalating concerns, "
    "0.60), both readings: a fact of the summary of what happened; the reviewers' judgement "
    "of it is in Finding 4 (suggested there)"))
def test_auto_coding_does_not_suggest_the_summary_of_what_happened(read: Read) -> None:
    # The chronology tells the practice nurse's concern, the crew's concern and
    # the police visit as fact.
    events = between(read, "6. Summary of what happened", FINDINGS)
    assert len(events) == 8
    never_suggested(read, {"summary of what happened": events})


def test_auto_coding_does_not_suggest_the_rest_of_what_happened(read: Read) -> None:
    # The crew's concern and the police visit told as fact: not suggested.
    events = between(read, "6. Summary of what happened", FINDINGS) - opened_by(
        read, "On 12 September 2022 the practice nurse")
    assert len(events) == 7
    never_suggested(read, {"summary of what happened": events})


def test_auto_coding_never_suggests_a_finding_or_the_preamble(read: Read) -> None:
    findings = _finding_headings(read)
    assert len(findings) == 6
    never_suggested(read, {"finding": findings,
                           "preamble": opened_by(read, "The review makes six findings")})


def test_auto_coding_does_not_suggest_the_law(read: Read) -> None:
    opened_not_suggested(read, "The Mental Capacity Act 2005 requires",
                         "Under section 42 of the Care Act 2014")


@pytest.mark.xfail(strict=True, reason=(
    _SINCE_ZONED + "both concessions are suggested (0.53, 0.53), each read as criticism "
    "but not enough"))
def test_auto_coding_does_not_suggest_concessions_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_not_suggested(read, "The reviewer accepts that many cancellations",
                         "The reviewer recognises the pressure")


@pytest.mark.xfail(strict=True, reason=_PDF_EXTRA)
def test_auto_coding_does_not_suggest_concessions_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_not_suggested(read, "The reviewer accepts that many cancellations",
                         "The reviewer recognises the pressure")


def test_auto_coding_does_not_suggest_the_no_access_discharge(read: Read) -> None:
    # "in line with the trust's policy at the time": a concession before the criticism.
    opened_not_suggested(read, "In June 2022 district nurses made three visits at which no one "
                         "answered the door. After the third visit")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event, social workers said",
                         "At the learning event practitioners said",
                         "At the learning event, ambulance staff")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but the GP's call (its own test).
    opened_not_suggested(read, "When Mr D's son cancelled the package",
                         "The trust's policy treated", "Mr D's son was entitled",
                         "His son had given up his job", "But the Carers' Centre did not know",
                         "Mr D was not seen face to face",
                         "The triage social worker decided", "That report was recorded",
                         "The Board's multi-agency policy on self-neglect",
                         "Before Mr D's admission, no agency")


@pytest.mark.xfail(strict=True, reason=(
    _SINCE_ZONED + "'The GP rang Mr D\'s son three days later ...' is suggested "
    "(Persistency in care and support, 0.60)"))
def test_auto_coding_does_not_suggest_the_gps_call_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_not_suggested(read, "The GP rang Mr D's son three days")


@pytest.mark.xfail(strict=True, reason=_PDF_EXTRA)
def test_auto_coding_does_not_suggest_the_gps_call_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_not_suggested(read, "The GP rang Mr D's son three days")


@pytest.mark.xfail(strict=True, reason=(
    _SINCE_ZONED + "the two concessions and the GP\'s call are suggested"))
def test_auto_coding_does_not_suggest_anything_else_in_the_findings_from_the_markdown(
        read: Read) -> None:
    only(read, "markdown")
    _nothing_else_in_the_findings(read)


@pytest.mark.xfail(strict=True, reason=_PDF_EXTRA)
def test_auto_coding_does_not_suggest_anything_else_in_the_findings_from_the_pdf(
        read: Read) -> None:
    only(read, "pdf")
    _nothing_else_in_the_findings(read)


def _nothing_else_in_the_findings(read: Read) -> None:
    other = _findings(read) & read.seqs("other") - headings(read)
    assert len(other) == 20
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_conclusions_other_paragraphs(read: Read) -> None:
    opened_not_suggested(read, "Mr D was a proud man", "The Board accepts the recommendations")


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "thoughtful practice", "thorough", "to her credit", "good practice",
    # "prompt and in line with the Board's procedures".
    opened_suggested(read, "Before Mr D left hospital", "The district nurse who first visited",
                     "On the second of those visits", "The worker from Westmarsh Carers'",
                     "When Mr D arrived at the emergency department")


def test_auto_coding_finds_the_there_was_also_good_practice_paragraph(read: Read) -> None:
    opened_suggested(read, "There was also good practice:")


def test_auto_coding_finds_the_practice_nurses_request(read: Read) -> None:
    # Told through what was done: her record and her same-day call to the duty GP.
    opened_suggested(read, "The practice nurse who visited on 12 September")


@pytest.mark.xfail(strict=True, reason=(
    "'When an ambulance crew attended on 9 October 2022 ... they found him on the floor in "
    "soiled sheets. ... and raised a safeguarding concern with Adult Social Care that "
    "evening, describing exactly what they had seen.' is not suggested (0.30), both "
    "readings: a concern raised at once, told through what was done (Escalating concerns)"))
def test_auto_coding_finds_the_ambulance_crews_concern(read: Read) -> None:
    opened_suggested(read, "When an ambulance crew attended")


def test_auto_coding_finds_the_officers_and_the_ward_sister_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_suggested(read, "When the police visited", "The ward sister explained")


# First reading, since fixed: from the Markdown neither is suggested though each reads
# over the threshold at threshold 0: 'When the police visited on 18 January 2023, the
# officers spoke to Mr D on his own ..., as force policy requires ...' (0.79; Adhering
# to policy and procedure) and 'The ward sister explained to Mr D's son, with care and
# without blame, ...' (0.75; Effective communication); from the PDF both suggested
# (0.79, 0.75)
def test_auto_coding_finds_the_officers_and_the_ward_sister_from_the_markdown(
        read: Read) -> None:
    only(read, "markdown")
    opened_suggested(read, "When the police visited", "The ward sister explained")


@pytest.mark.xfail(strict=True, reason=(
    "'From December 2021 to May 2022 the district nurses visited as planned and their "
    "records are clear and detailed: each entry describes the state of Mr D's heel and "
    "sacrum ... But the records also show ...' is not suggested (0.06), both readings: "
    "practice named as good before the criticism (Record keeping)"))
def test_auto_coding_finds_practice_mixed_with_criticism(read: Read) -> None:
    opened_suggested(read, "From December 2021 to May 2022 the district nurses")


@pytest.mark.xfail(strict=True, reason=(
    "'The review found practitioners who did good work, among them the speech and language "
    "therapist, the practice nurse, the Carers' Centre worker and the ambulance crew. But "
    "...' is not suggested (0.52 at threshold 0), both readings: the conclusion restating "
    "the practice found (borderline)"))
def test_auto_coding_finds_the_conclusions_good_work(read: Read) -> None:
    # Borderline: a restatement naming who did good work.
    opened_suggested(read, "The review found practitioners who did good work")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_trusts_change_since(read: Read) -> None:
    opened_coded(read, "Since this review began", "Learning from past reviews")


def test_auto_coding_finds_the_icbs_change_since_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_coded(read, "Since the learning event, NHS Westmarsh", "Learning from past reviews")


# First reading, since fixed (a labelled chapter's unlabelled paragraphs are its findings): from
# the Markdown 'Since the learning event, NHS Westmarsh Integrated Care Board has issued guidance
# to all GP practices ...' is not suggested (0.00): it is read as recommendation 4; from the PDF
# suggested (Learning from past reviews, 0.95)
def test_auto_coding_finds_the_icbs_change_since_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_coded(read, "Since the learning event, NHS Westmarsh", "Learning from past reviews")
