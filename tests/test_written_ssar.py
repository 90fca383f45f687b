"""A twenty-sixth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on an English Safeguarding Adults Review whose analysis asks three
strengths-based questions under each key line of enquiry ("What was working
well?", "What were we worried about?", "What needs to happen?") and whose
recommendations are "Recommendation n:" paragraphs each followed by a
"Lead agency:" line, of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-ssar/ssar-written-2026.md` is a WRITTEN Safeguarding
Adults Review (fictional: no real case or person) for the Eastmoor
Safeguarding Adults Board (the fictional English board of the SAR's module),
about Mr K, 44, dependent on alcohol, who self-neglected, lost his supported
flat, slept rough, was placed in Cedar Lodge, a hostel run by Brightpath
Housing, and died there on 3 March 2024 of alcohol withdrawal seizures, less
than two days after the hospital discharged him at 8.40pm on a Friday with
no withdrawal medication and no word to the hostel. Agencies: the council's
Adult Social Care and Housing Options, the hostel provider, the drug and
alcohol service (Eastmoor Recovery Partnership), a mental health trust, the
ambulance service, the acute trust, the police. Where it differs from the
written reviews before it (the SAR's and the SILP's, English SARs, the
nearest):

- the cover: the board's name (a paragraph), "Safeguarding Adults Review:
  Mr K" (the only level-1 heading), "Overview report of the independent
  reviewer", the board's numbering "Reference: ESAB SAR 07/2025" (an
  English board's abbreviation, type, number/year), the reviewer, "Endorsed
  by the Board: 12 June 2025", "Published: 9 July 2025"; no contents;
- numbered sections, paragraphs not: "1. Introduction" (what happened in a
  paragraph; a CARE ACT 2014 s44 CRITERIA paragraph with the referral of 18
  April 2024, the sub-group's decision of 2 May and the Independent Chair's
  endorsement of that decision on 9 May 2024; a MAKING SAFEGUARDING
  PERSONAL paragraph stating the principle), "2. Mr K in his own words and
  his sister's words" EARLY (three of his quoted sayings; the sister's
  account and her words, among them her praise of the hostel key worker),
  "3. How the review was carried out" (the period with its reason, the
  agencies in one paragraph, the learning event, the three questions
  explained), "4. Summary of what happened";
- "5. Analysis by key line of enquiry": FOUR "Key line of enquiry n: ...?"
  headings (each a question), each with the SAME THREE QUESTION
  SUB-HEADINGS "What was working well?", "What were we worried about?",
  "What needs to happen?" (so each recurs four times); "working well" is all
  practice (13 paragraphs: praise named, "a real strength", "in line with
  the Homelessness Reduction Act 2017", "thorough", "clear and detailed", or
  told through what was done: the nurse seeing him at the day centre, the
  outreach worker's eleven of fourteen shifts, the planning meeting whose
  actions were all carried out); "worried about" mixes poor practice, facts,
  three concessions ("The reviewer recognises ..., But ...", "The reviewer
  accepts ... But ..."), what practitioners said at the learning event, and
  two "It would have been good practice ..." / "Good practice would have
  been ..."; "What needs to happen?" holds LEARNING STATEMENTS, not the
  formal recommendations ("Practitioners need to ...", "Adult Social Care
  needs to be confident ...", "... should be the start of a conversation
  about risk"), and under the fourth key line first a paragraph of CHANGES
  ALREADY MADE ("Some of this has already begun. Since Mr K's death ...");
- "6. Conclusions" (one paragraph of what went wrong, one restating the good
  practice); "7. Recommendations": a lead-in, then SEVEN "Recommendation n:"
  PARAGRAPHS, EACH FOLLOWED BY A ONE-LINE "Lead agency: ..." PARAGRAPH; two
  recommendations name no agency in their text (3 "The commissioning and
  funding arrangements ... should be reviewed", 4 "All commissioned hostels
  ... should have a policy"), one only "Adult Social Care" (2), so their
  addressee is on the lead agency line; 7 to the Board to write to two
  government departments; "8. Statement of the independent reviewer" (a
  paragraph, then "Dr Helen Ashworth, Independent Reviewer, 14 May 2025");
  "Appendix A: Chronology summary" as SHORT DATED PARAGRAPHS ("28 April
  2023: Mr K leaves ...", seven of them, the last the death).

Its labels (`ssar-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 112 passages,
17 practice, 14 recommendation (the seven recommendations and their seven
"Lead agency:" lines), 81 other. As the earlier modules': practice where the
reviewers present some practice as good, however implicitly; "It would have
been good practice ..." and "Good practice would have been ..." Suggested
good practice; the changes made since Learning from past reviews; a
restatement coded by its first example. Codes: the recovery worker who kept
the case open Persistency in care and support; the key worker "a real
strength" Positive working relationships; the nurse at the day centre
(implicit) Consistent care and support; the Housing Options officer's same-day
assessment "in line with the Homelessness Reduction Act 2017" Adhering to
policy and procedure; the outreach worker's shifts (implicit) Persistency in
care and support; the planning meeting at the hostel (implicit) Multi-agency
working; the hostel manager's concern and escalation Escalating concerns; her
knowing to escalate from the training that followed the Board's earlier
review (Adult R) Learning from past reviews; the social worker's
conversation (Making Safeguarding Personal) Effective communication; her
"thorough" capacity assessment Risk assessment; the ambulance crew's
recognition of withdrawal Risk assessment; the alcohol liaison nurse's call
to the recovery worker Multi-agency working; the liaison psychiatry letter
"clear and detailed" Record keeping; the changes since (hospital discharge
policy, weekend cover, hostel training) Learning from past reviews; the
conclusions' "There was also good practice ..." Persistency in care and
support, by its first example. Other: the cover, the introduction (the s44
criteria, the MSP principle), Mr K's and his sister's words (her praise of
the key worker too), the method, the summary, every "worried about"
paragraph but the two suggested good practice (the concession "That
decision was clinically sound. But ..." and "in that respect suited Mr K
better ..." among them), every learning statement, the conclusions' first
paragraph, the recommendations' lead-in, the statement and the chronology
(though it tells of the planning meeting and the ambulance crew's referral).

What a user would expect of its identity, decided before the reading: type
SAR, variant None, board "Eastmoor Safeguarding Adults Board", year 2025,
identifier and key "SAR2025-07" (the board's "ESAB SAR 07/2025": type,
year, sequence; no Welsh board, so no board suffix and no "W"); dates: index
incident 2024-03-03 (the death; not the admission of 26 February or the
discharge of 1 March 2024), referral 2024-04-18 (to the SAR Sub-Group),
period 2023-01-01 to 2024-03-03, learning event 2024-09-25, sign-off
2025-05-14 (the reviewer's statement; not the Chair's endorsement of the
decision to review, 9 May 2024, nor the Board's endorsement, 12 June 2025),
publication 2025-07-09. Recommendations: seven records numbered 1-7, each
with its "Lead agency:" line read; addressees as the lead agency lines give
them: 1 and 7 the Board, 2 Eastmoor Borough Council Adult Social Care, 3
Eastmoor Borough Council Public Health and Westvale Integrated Care Board, 4
Eastmoor Borough Council Housing Options and Brightpath Housing, 5 Eastmoor
Hospitals NHS Trust, 6 Northfield Mental Health NHS Foundation Trust;
nothing recorded from the learning statements.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt14
as it was, HEAD 917c91e; STORFA_INT8=u8; by the machine's clock the session
began before 02:31:30, the document was written 02:33:43, the labels
02:34:13, both copied into tests/data in one `cp` 02:34:15, this module
written before any reading 02:35:09, storfa first run 02:35:11-02:35:30;
the records' texts, the near misses and the metadata's evidence printed
02:35:51-02:36:03 on the same tree), the same from the Markdown and from
the PDF in every figure:

- segmentation: the Markdown as written (112); the PDF 112 passages, every
  one as written (no table in this document);
- identity: SAR2025-07 (key and identifier, from "Reference: ESAB SAR
  07/2025"), SAR, variant None, "Eastmoor Safeguarding Adults Board", 2025,
  all right; index incident 2024-03-03 (0.97, "He was found unresponsive in
  his room on the morning of 3 March 2024 ..."), referral 2024-04-18,
  period 2023-01-01 to 2024-03-03, learning event 2024-09-25, publication
  2025-07-09, all right; sign-off WRONG: 2025-06-12 (0.80) from the cover's
  "Endorsed by the Board: 12 June 2025" (right: 2025-05-14, "Dr Helen
  Ashworth, Independent Reviewer, 14 May 2025", the reviewer's statement);
- recommendations: 8 records, numbered 1, 1, 2, 3, 4, 5, 6, 7: the seven
  found and numbered as the report numbers them ("Recommendation n:" cut
  off), and ONE EXTRA, the section's lead-in "The Board is asked to accept
  the following recommendations. Each names a lead agency, which will
  report on progress ... within six months." recorded as a second "1" (to
  the Board); NONE of the seven "Lead agency:" lines is read into a record
  (passages read: the lead-in and the seven recommendations only); nothing
  from the learning statements, the suggested good practice, the s44 or
  MSP paragraphs, the conclusions or the chronology. Addressees: 1 and 7
  the Board, 5 Eastmoor Hospitals NHS Trust, 6 Northfield Mental Health NHS
  Foundation Trust, right (7 not the two departments written to); WRONG: 2
  ['adult social care'] (right: Eastmoor Borough Council Adult Social
  Care, its lead agency line), 3 ['Eastmoor Safeguarding Adults Board']
  (from "and the Board should receive a report"; right: Eastmoor Borough
  Council Public Health with Westvale Integrated Care Board), 4 [] (right:
  Eastmoor Borough Council Housing Options with Brightpath Housing). No due
  dates, no levels;
- auto-coding at the single-case threshold (0.49): 21 suggestions, 15 of
  the 17 practice passages, precision 0.71 (under the 0.80 floor, over the
  0.70 judged bar with nothing to spare), recall 0.88; the same sub-theme
  as the label on 10 of 15, the same theme on 10 of 15 (0.67, under the
  0.70 bar). Wrong (6): in "2. Mr K in his own words and his sister's
  words", "Mr K did not leave letters or a diary, but practitioners often
  recorded what he said ... He told his recovery worker in May 2023: ..."
  (Persistency in care and support, 0.80), "On the ward in February 2024
  ... he told a nurse that he was 'frightened of the shakes coming back'
  ..." (Persistency in care and support, 0.72) and the sister's "She also
  wanted the review to record that some people treated him well. 'The girl
  at the hostel, his key worker, ...'" (Positive working relationships,
  0.88); the method's "Chronologies and reflective reports were provided by
  ..." (Record keeping, 0.52); under "What were we worried about?" "At the
  learning event, social workers said that the words 'he has capacity'
  often end the conversation rather than start it." (Positive working
  relationships, 0.94); under "What needs to happen?" "Hospitals need to
  treat a discharge after alcohol withdrawal as a discharge with risk ..."
  (Consistent care and support, 0.55). Missed (2), both under "What was
  working well?": the Housing Options officer's same-day assessment "in
  line with the Homelessness Reduction Act 2017" (0.27) and the hostel
  manager's safeguarding concern and escalation (0.11). Themes that differ
  (5): the planning meeting at the hostel -> Record keeping (0.96;
  Multi-agency working), the "thorough" capacity assessment -> Effective
  communication (0.91; Risk assessment), the ambulance crew -> Positive
  working relationships (0.95; Risk assessment), the alcohol liaison nurse's
  call -> Consistent care and support (0.98; Multi-agency working), the
  liaison psychiatry letter -> Consistent care and support (0.88; Record
  keeping). Right: the recovery worker (0.86), the key worker (0.98), the
  nurse at the day centre (0.68), the outreach worker (0.98), the earlier
  review's learning (Learning from past reviews, 0.95), the social worker's
  conversation (0.80), both suggested good practice (Suggested good
  practice, 1.00, 0.99), the changes since under "What needs to happen?"
  (Learning from past reviews, 0.89), the conclusions' restatement (0.96).
  Nothing suggested on the cover, a heading, the introduction (the s44
  criteria, the MSP principle), the summary, a concession, the other
  learning statements, the conclusions' first paragraph, a recommendation
  or its lead agency line, the statement or the chronology; near misses
  under the threshold: the learning event paragraph (0.46), "Cedar Lodge
  allows residents to drink ..." (0.47), the ward concession (0.42), the
  conclusions' first paragraph (0.47).

After the first reading only this module changed, not the document or the
labels: the docstring's first reading, the tests that found a fault split
from what held (the method from the other template zones; the learning
event's words from the rest of "worried about"; the hospitals' learning
statement from the other five; the two missed from the eleven found), and
the faults marked strict xfail. Re-run on the frozen tree (02:36:45-02:37:02):
78 passed, 2 skipped, 32 xfailed, no XPASS.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import parse_review_id
from storfa.domain.recommendations import StoredRecommendation
from written import (
    WELSH_BOARDS,
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
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
    no_welsh_board,
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

DATA = Path(__file__).resolve().parent / "data" / "written-ssar"
DOCUMENT = DATA / "ssar-written-2026.md"
BOARD = "Eastmoor Safeguarding Adults Board"
NUMBERING = "ESAB SAR 07/2025"  # "Reference: ESAB SAR 07/2025" on the cover
IDENTIFIER = "SAR2025-07"
RECOMMENDATIONS = tuple(f"Recommendation {n}:" for n in range(1, 8))
# Who each record is to, as its "Lead agency:" line gives it.
AGENCIES = {
    "1": [BOARD],
    "2": ["Eastmoor Borough Council Adult Social Care"],
    "3": ["Eastmoor Borough Council Public Health", "Westvale Integrated Care Board"],
    "4": ["Eastmoor Borough Council Housing Options", "Brightpath Housing"],
    "5": ["Eastmoor Hospitals NHS Trust"],
    "6": ["Northfield Mental Health NHS Foundation Trust"],
    "7": [BOARD],
}
WELL = "What was working well?"
WORRIED = "What were we worried about?"
NEEDS = "What needs to happen?"
ANALYSIS = "5. Analysis by key line of enquiry"

_LEAD_IN = (
    "the section's lead-in 'The Board is asked to accept the following recommendations. "
    "Each names a lead agency, which will report on progress to the Board's Learning and "
    "Improvement Sub-Group within six months.' is recorded as a recommendation numbered '1' "
    "(to the Board), both readings: a lead-in, no recommendation")
_ADDRESSEES = (
    "both readings: 2 'Adult Social Care should audit ...' to ['adult social care'] (its "
    "lead agency line: Eastmoor Borough Council Adult Social Care); 3 'The commissioning and "
    "funding arrangements ... should be reviewed ..., and the Board should receive a "
    "report' to ['Eastmoor Safeguarding Adults Board'] (lead agency: Eastmoor Borough "
    "Council Public Health, with Westvale Integrated Care Board); 4 'All commissioned "
    "hostels ... should have a policy' to [] (lead agency: Eastmoor Borough Council Housing "
    "Options, with Brightpath Housing): the 'Lead agency:' lines are not read")
_PRECISION = (
    "precision 0.71 (15 of 21), both readings: Mr K's own words (two paragraphs, 0.80, "
    "0.72), his sister's praise of the key worker (0.88), the method's list of agencies "
    "that gave chronologies (0.52), the learning event's words (0.94) and a learning "
    "statement under 'What needs to happen?' (0.55) are suggested")
_THEMES = (
    "same theme on 10 of 15 (0.67), both readings: the planning meeting at the hostel -> "
    "Record keeping 0.96 (Multi-agency working), the 'thorough' capacity assessment -> "
    "Effective communication 0.91 (Risk assessment), the ambulance crew's recognition of "
    "withdrawal -> Positive working relationships 0.95 (Risk assessment), the alcohol "
    "liaison nurse's call to the recovery worker -> Consistent care and support 0.98 "
    "(Multi-agency working), the liaison psychiatry letter 'clear and detailed' -> "
    "Consistent care and support 0.88 (Record keeping)")
_MISSED = (
    "two paragraphs under 'What was working well?' are not suggested, both readings: "
    "'When Mr K presented as homeless on 28 April 2023, the Housing Options officer "
    "completed his assessment ... the same day ... This was in line with the Homelessness "
    "Reduction Act 2017 ...' (0.27; Adhering to policy and procedure) and 'The manager of "
    "Cedar Lodge raised a safeguarding concern on 5 December 2023 ... used the Board's "
    "escalation and resolution protocol ...' (0.11; Escalating concerns)")
_LEARNING_EVENT = (
    "'At the learning event, social workers said that the words \"he has capacity\" often "
    "end the conversation rather than start it.' is suggested (Positive working "
    "relationships, 0.94), both readings: what practitioners said, no practice praised")


read = reading(DOCUMENT, DATA / "ssar-written-2026.tsv", "written-ssar")


def _heading_at(read: Read, text: str) -> int:
    (seq,) = [p.seq for p in read.passages if p.kind == "heading" and read.text(p.seq) == text]
    return seq


def _under(read: Read, heading: str) -> set[int]:
    """The passages under every heading whose text is `heading`, each run to
    the next heading (the three questions recur under each key line)."""
    out: set[int] = set()
    under = False
    for p in read.passages:
        if p.kind == "heading":
            under = read.text(p.seq) == heading
        elif under:
            out.add(p.seq)
    return out


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the first numbered section.
    return set(range(_heading_at(read, "1. Introduction")))


def _analysis(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, ANALYSIS, "6. Conclusions")


def _chronology(read: Read) -> set[int]:
    return set(range(_heading_at(read, "Appendix A: Chronology summary") + 1,
                     len(read.passages)))


def _statement(read: Read) -> set[int]:
    return between(read, "8. Statement of the independent reviewer",
                   "Appendix A: Chronology summary")


def _named(read: Read) -> dict[str, list[str]]:
    return {r.number: r.agencies for r in labelled_records(read)}


def _records(read: Read, n: str) -> list[StoredRecommendation]:
    return [r for r in labelled_records(read) if r.number == n]


def _organisation(agency: str, found: list[str]) -> bool:
    return any(agency.startswith(a) or a.startswith(agency) for a in found)


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 112, 17, 14, 81)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_each_key_line_has_its_three_questions(read: Read) -> None:
    lines = [p.seq for p in read.passages if p.kind == "heading"
             and read.text(p.seq).startswith("Key line of enquiry ")]
    assert len(lines) == 4, lines
    for question in (WELL, WORRIED, NEEDS):
        found = [p.seq for p in read.passages
                 if p.kind == "heading" and read.text(p.seq) == question]
        assert len(found) == 4, (question, found)


def test_each_recommendation_and_its_lead_agency_are_passages_of_their_own(
        read: Read) -> None:
    recommendations = opened_by(read, *RECOMMENDATIONS)
    leads = {p.seq for p in read.passages if read.text(p.seq).startswith("Lead agency: ")}
    assert len(leads) == 7 and {s + 1 for s in recommendations} == leads


def test_the_chronology_is_seven_dated_paragraphs(read: Read) -> None:
    chronology = _chronology(read)
    assert len(chronology) == 7
    assert all(read.passages[s].kind == "paragraph" for s in chronology)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_board_and_year(read: Read) -> None:
    identity(read, type="SAR", board=BOARD, year=2025)


def test_an_english_review_has_no_variant(read: Read) -> None:
    identity(read, variant=None)


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_boards_numbering_parses(read: Read) -> None:
    # "ESAB SAR 07/2025": an English board's abbreviation, type, number/year.
    found = parse_review_id(NUMBERING)
    assert (found.type, found.year, found.seq) == ("SAR", 2025, 7), found


def test_the_identifier_is_the_boards_numbering(read: Read) -> None:
    identified(read, IDENTIFIER, ("SAR", 2025, 7, None))


def test_the_index_incident_is_the_death(read: Read) -> None:
    # Found dead on 3 March 2024; not the admission of 26 February or the
    # discharge of 1 March.
    assert read.summary.dates.get("index_incident") == "2024-03-03", read.summary.dates


def test_the_referral_is_to_the_sar_sub_group(read: Read) -> None:
    # "... referred Mr K's death to the Board's SAR Sub-Group on 18 April 2024."
    assert read.summary.dates.get("referral") == "2024-04-18", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is 1 January 2023 to 3 March 2024."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-01-01", "2024-03-03"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-09-25", read.summary.dates


# First reading, since fixed (a statement 'of' the reviewer, and the board's endorsement capped
# under it): sign-off 2025-06-12 (0.80), both readings, from the cover's 'Endorsed by the Board: 12
# June 2025'; right: 2025-05-14, the reviewer's own 'Dr Helen Ashworth, Independent Reviewer, 14
# May 2025' under her statement (the Board's endorsement is not the reviewer's sign-off)
def test_the_reviewers_sign_off(read: Read) -> None:
    # "Dr Helen Ashworth, Independent Reviewer, 14 May 2025"; not the Chair's
    # endorsement of the decision to review (9 May 2024), nor the Board's
    # endorsement of the report (12 June 2025).
    assert read.summary.dates.get("sign_off") == "2025-05-14", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-07-09", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number)


# First reading, since fixed: none of the seven 'Lead agency: ...' lines (each its own paragraph
# after its recommendation) is read into a record, both readings: the passages read are the
# section's lead-in and the seven 'Recommendation n:' paragraphs; right: each lead agency line
# read with the recommendation before it
def test_every_lead_agency_line_is_read_with_its_recommendation(read: Read) -> None:
    print_register(read)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_seven(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == [str(n) for n in range(1, 8)]


# First reading, since fixed: the section's lead-in 'The Board is asked to accept the following
# recommendations. Each names a lead agency, which will report on progress to the Board's
# Learning and Improvement Sub-Group within six months.' is recorded as a recommendation
# numbered '1' (to the Board), both readings: a lead-in, no recommendation
def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a learning statement under "What needs to happen?", not the
    # suggested good practice, not the s44 criteria or the MSP principle.
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_learning_statements_or_elsewhere(read: Read) -> None:
    needs = _under(read, NEEDS)
    assert len(needs) == 7
    for what, seqs in (("what needs to happen", needs), ("analysis", _analysis(read)),
                       ("introduction", in_section(read, "1. Introduction")),
                       ("conclusions", in_section(read, "6. Conclusions")),
                       ("chronology", _chronology(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_boards_recommendations_are_the_boards(read: Read) -> None:
    # "The Board should review ..." (1), "The Board should write to the
    # Department of Health and Social Care ..." (7): the cover's board, not
    # the departments written to.
    named = _named(read)
    assert {n: named.get(n) for n in ("1", "7")} == {"1": [BOARD], "7": [BOARD]}, named


def test_a_recommendation_naming_its_agency_is_to_it(read: Read) -> None:
    named = _named(read)
    assert {n: named.get(n) for n in ("5", "6")} == {n: AGENCIES[n] for n in ("5", "6")}, named


# First reading, since fixed: both readings: 2 'Adult Social Care should audit ...' to ['adult
# social care'] (its lead agency line: Eastmoor Borough Council Adult Social Care); 3 'The
# commissioning and funding arrangements ... should be reviewed ..., and the Board should
# receive a report' to ['Eastmoor Safeguarding Adults Board'] (lead agency: Eastmoor Borough
# Council Public Health, with Westvale Integrated Care Board); 4 'All commissioned hostels ...
# should have a policy' to [] (lead agency: Eastmoor Borough Council Housing Options, with
# Brightpath Housing): the 'Lead agency:' lines are not read
def test_each_record_names_its_lead_agencys_organisation(read: Read) -> None:
    # 2 ("Adult Social Care should ..."), 3 and 4 (no agency in the text):
    # the organisation of the "Lead agency:" line, at least.
    named = _named(read)
    wrong = {n: named.get(n) for n in ("2", "3", "4")
             if not all(_organisation(a, named.get(n) or []) for a in AGENCIES[n])}
    assert not wrong, wrong


# First reading, since fixed: both readings: 2 'Adult Social Care should audit ...' to ['adult
# social care'] (its lead agency line: Eastmoor Borough Council Adult Social Care); 3 'The
# commissioning and funding arrangements ... should be reviewed ..., and the Board should
# receive a report' to ['Eastmoor Safeguarding Adults Board'] (lead agency: Eastmoor Borough
# Council Public Health, with Westvale Integrated Care Board); 4 'All commissioned hostels ...
# should have a policy' to [] (lead agency: Eastmoor Borough Council Housing Options, with
# Brightpath Housing): the 'Lead agency:' lines are not read
def test_each_record_names_its_lead_agency_as_the_report_gives_it(read: Read) -> None:
    named = _named(read)
    wrong = {n: named.get(n) for n, agencies in AGENCIES.items() if named.get(n) != agencies}
    assert not wrong, wrong


def test_no_record_names_a_welsh_board(read: Read) -> None:
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


# ---------------------------------------------------------------- auto-coding
# First reading, since fixed: precision 0.71 (15 of 21), both readings: Mr K's own words (two
# paragraphs, 0.80, 0.72), his sister's praise of the key worker (0.88), the method's list of
# agencies that gave chronologies (0.52), the learning event's words (0.94) and a learning
# statement under 'What needs to happen?' (0.55) are suggested
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 10 of 15 (0.67), both readings: the planning meeting
# at the hostel -> Record keeping 0.96 (Multi-agency working), the 'thorough' capacity
# assessment -> Effective communication 0.91 (Risk assessment), the ambulance crew's recognition
# of withdrawal -> Positive working relationships 0.95 (Risk assessment), the alcohol liaison
# nurse's call to the recovery worker -> Consistent care and support 0.98 (Multi-agency
# working), the liaison psychiatry letter 'clear and detailed' -> Consistent care and support
# 0.88 (Record keeping)
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
        "summary": in_section(read, "4. Summary of what happened"),
        "recommendation": read.seqs("recommendation") | in_section(read, "7. Recommendations"),
        "statement": _statement(read),
        "lead-in": lead_ins(read) or {-1},
    })


@pytest.mark.xfail(strict=True, reason=(
    "'Chronologies and reflective reports were provided by Eastmoor Borough Council Adult "
    "Social Care and Housing Options, Brightpath Housing, ... and Westvale Police. Mr K's GP "
    "practice provided a summary of his records.' is suggested (Record keeping, 0.52), both "
    "readings: the method's list of agencies"))
def test_auto_coding_never_suggests_the_method(read: Read) -> None:
    method = in_section(read, "3. How the review was carried out")
    assert len(method) == 5
    never_suggested(read, {"method": method})


def test_auto_coding_never_suggests_the_method_but_its_agencies(read: Read) -> None:
    method = {s for s in in_section(read, "3. How the review was carried out")
              if not read.text(s).startswith("Chronologies and reflective reports")}
    assert len(method) == 4
    never_suggested(read, {"method": method})


def test_auto_coding_never_suggests_the_introduction(read: Read) -> None:
    # What happened, the Care Act s44 criteria, the Making Safeguarding
    # Personal principle.
    introduction = in_section(read, "1. Introduction")
    assert len(introduction) == 3
    never_suggested(read, {"introduction": introduction})


@pytest.mark.xfail(strict=True, reason=(
    "three of the six suggested, both readings: 'Mr K did not leave letters or a diary, but "
    "practitioners often recorded what he said ... He told his recovery worker in May 2023: "
    "...' (Persistency in care and support, 0.80), 'On the ward in February 2024 ... he told "
    "a nurse that he was \"frightened of the shakes coming back\" ...' (Persistency in care "
    "and support, 0.72) and the sister's 'She also wanted the review to record that some "
    "people treated him well. \"The girl at the hostel, his key worker, ...\"' (Positive "
    "working relationships, 0.88): his and his family's words, no practice the reviewer "
    "presents"))
def test_auto_coding_never_suggests_mr_ks_or_his_sisters_words(read: Read) -> None:
    # His sister praises the hostel key worker in her own words.
    words = in_section(read, "2. Mr K in his own words")
    assert len(words) == 6 and words <= read.seqs("other")
    never_suggested(read, {"own words": words})


def test_auto_coding_never_suggests_the_chronology(read: Read) -> None:
    # Dated paragraphs, two of them telling what the analysis praises (the
    # planning meeting, the ambulance crew's referral).
    never_suggested(read, {"chronology": _chronology(read)})


# First reading, since fixed: two paragraphs under 'What was working well?' are not suggested,
# both readings: 'When Mr K presented as homeless on 28 April 2023, the Housing Options officer
# completed his assessment ... the same day ... This was in line with the Homelessness Reduction
# Act 2017 ...' (0.27; Adhering to policy and procedure) and 'The manager of Cedar Lodge raised
# a safeguarding concern on 5 December 2023 ... used the Board's escalation and resolution
# protocol ...' (0.11; Escalating concerns)
def test_auto_coding_finds_everything_that_was_working_well(read: Read) -> None:
    well = _under(read, WELL)
    assert len(well) == 13 and well <= read.seqs("practice")
    all_suggested(read, well)


def test_auto_coding_finds_the_other_eleven_that_were_working_well(read: Read) -> None:
    well = {s for s in _under(read, WELL)
            if not read.text(s).startswith(("When Mr K presented as homeless",
                                            "The manager of Cedar Lodge raised"))}
    assert len(well) == 11
    all_suggested(read, well)


# First reading, since fixed: two paragraphs under 'What was working well?' are not suggested,
# both readings: 'When Mr K presented as homeless on 28 April 2023, the Housing Options officer
# completed his assessment ... the same day ... This was in line with the Homelessness Reduction
# Act 2017 ...' (0.27; Adhering to policy and procedure) and 'The manager of Cedar Lodge raised
# a safeguarding concern on 5 December 2023 ... used the Board's escalation and resolution
# protocol ...' (0.11; Escalating concerns)
def test_auto_coding_finds_the_same_day_homelessness_assessment(read: Read) -> None:
    opened_suggested(read, "When Mr K presented as homeless on 28 April 2023")


# First reading, since fixed: two paragraphs under 'What was working well?' are not suggested,
# both readings: 'When Mr K presented as homeless on 28 April 2023, the Housing Options officer
# completed his assessment ... the same day ... This was in line with the Homelessness Reduction
# Act 2017 ...' (0.27; Adhering to policy and procedure) and 'The manager of Cedar Lodge raised
# a safeguarding concern on 5 December 2023 ... used the Board's escalation and resolution
# protocol ...' (0.11; Escalating concerns)
def test_auto_coding_finds_the_hostel_managers_escalation(read: Read) -> None:
    opened_suggested(read, "The manager of Cedar Lodge raised a safeguarding")


def test_auto_coding_finds_practice_told_through_what_was_done(read: Read) -> None:
    # The nurse at the day centre, the outreach worker's shifts, the planning
    # meeting whose actions were all carried out.
    opened_suggested(read, "In September 2023, when Mr K was sleeping rough",
                     "During the summer of 2023 the council's rough sleeper",
                     "Before Mr K moved into Cedar Lodge")


# First reading, since fixed: 'At the learning event, social workers said that the words "he has
# capacity" often end the conversation rather than start it.' is suggested (Positive working
# relationships, 0.94), both readings: what practitioners said, no practice praised
def test_auto_coding_does_not_suggest_what_we_were_worried_about(read: Read) -> None:
    # Poor practice, facts, concessions and what practitioners said; the two
    # suggested good practice paragraphs aside.
    worried = _under(read, WORRIED) & read.seqs("other")
    assert len(worried) == 13
    never_suggested(read, {"what we were worried about": worried})


def test_auto_coding_does_not_suggest_the_rest_of_what_we_were_worried_about(
        read: Read) -> None:
    worried = {s for s in _under(read, WORRIED) & read.seqs("other")
               if not read.text(s).startswith("At the learning event")}
    assert len(worried) == 12
    never_suggested(read, {"what we were worried about": worried})


# First reading, since fixed: 'At the learning event, social workers said that the words "he has
# capacity" often end the conversation rather than start it.' is suggested (Positive working
# relationships, 0.94), both readings: what practitioners said, no practice praised
def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event, social workers said")


def test_auto_coding_does_not_suggest_the_concessions(read: Read) -> None:
    opened_not_suggested(read, "Both community detoxification assessments",
                         "The reviewer recognises that temporary accommodation",
                         "The reviewer recognises the pressure",
                         "The reviewer accepts that the ward was busy",
                         "Cedar Lodge allows residents to drink")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice for the recovery",
                 "Suggested good practice")
    opened_coded(read, "Good practice would have been to convene", "Suggested good practice")


@pytest.mark.xfail(strict=True, reason=(
    "'Hospitals need to treat a discharge after alcohol withdrawal as a discharge with "
    "risk, and to make sure that whoever will be with the person next knows what that risk "
    "is.' is suggested (Consistent care and support, 0.55), both readings: a learning "
    "statement under 'What needs to happen?', no practice; the other five are not"))
def test_auto_coding_does_not_suggest_the_learning_statements(read: Read) -> None:
    learning = _under(read, NEEDS) & read.seqs("other")
    assert len(learning) == 6
    never_suggested(read, {"what needs to happen": learning})


def test_auto_coding_does_not_suggest_the_other_learning_statements(read: Read) -> None:
    learning = {s for s in _under(read, NEEDS) & read.seqs("other")
                if not read.text(s).startswith("Hospitals need to treat")}
    assert len(learning) == 5
    never_suggested(read, {"what needs to happen": learning})


def test_auto_coding_finds_the_changes_already_made(read: Read) -> None:
    # Under "What needs to happen?": "Some of this has already begun. Since Mr
    # K's death ...".
    opened_coded(read, "Some of this has already begun.", "Learning from past reviews")


def test_auto_coding_finds_the_learning_from_the_earlier_review(read: Read) -> None:
    opened_coded(read, "The hostel manager told the review that she knew",
                 "Learning from past reviews")


def test_auto_coding_finds_the_good_practice_in_the_conclusions(read: Read) -> None:
    opened_suggested(read, "There was also good practice in this case.")


def test_auto_coding_does_not_suggest_the_rest_of_the_conclusions(read: Read) -> None:
    opened_not_suggested(read, "Mr K's death was not inevitable.")
