"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round 8), on an
English Local Child Safeguarding Practice Review that OPENS WITH A LETTER TO
THE CHILD and ENDS WITH A LETTER BACK TO HIM, its body in NUMBERED
PARAGRAPHS, of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-dear/dear-written-2026.md` is a WRITTEN Local Child
Safeguarding Practice Review (fictional: no real case or person) for the
Harbridge Safeguarding Children Partnership (a fictional English
partnership), about Child O, a boy of seven months shaken by his father on
19 August 2024 (bleeding over both sides of his brain and at the back of
both eyes), who survived with a left-sided weakness and lives with his
maternal grandmother under a special guardianship order. A booking
appointment and a specialist midwife's referral in pregnancy, a pre-birth
assessment of the mother only (the father's name misspelled, his conviction
and his older child's child protection plan in Castlemoor not found), the
ICON message on coping with crying given to the mother at every point and
to the father at none, a bruise on O's arm at nearly four months handled
under the Partnership's Bruising in Non-Mobile Babies Protocol (a thorough
child protection medical, a prompt strategy discussion, section 47
enquiries that spoke to the father once by telephone and closed the case),
a GP told "his dad gets really stressed when he won't stop crying", then
the injury and the response run through it. Where it differs from the
written reviews before it (the SCIE's and the LCSPR's, also English LCSPRs,
the nearest):

- the cover: the partnership's name (a paragraph), "Local Child
  Safeguarding Practice Review: Child O" (the only level-1 heading),
  "Independent lead reviewer: ...", "Report signed off by the Harbridge
  safeguarding partners: 14 May 2025", "Published: 26 June 2025"; no
  number, no contents;
- "A letter to O", before the introduction: EIGHT PARAGRAPHS IN THE SECOND
  PERSON ("Dear O, this review is about you. ..."), three of them telling
  him what practitioners did well for him ("Your midwife noticed, the first
  time she met your mum, ... asked children's social care for help the very
  next day", "... your health visitor saw a small bruise on your arm. ...
  She made sure a children's doctor saw you the next morning ...", "The
  ambulance crew and the doctors and nurses at the hospital worked fast
  ... and they told the police and children's social care that same
  night"), one telling him what was not done ("... hardly ever met your
  dad"), the others facts and his grandmother's words;
- the body in NUMBERED PARAGRAPHS "n.m " (73: 1.1-1.7, 2.1-2.6, 3.1-3.9,
  4.1-4.11, 5.1-5.27, 6.1-6.7, 7.1-7.6), headings unnumbered below the
  sections: "1. Introduction" (the injury; the National Panel notified 21
  August 2024 and the referral to the Case Review Subgroup 22 August; the
  rapid review 4 September; the partners' decision 11 September and the
  National Panel's agreement 2 October; the period with its reason; the
  father's plea), "2. Methodology" (the reviewer and panel, a lead-in and
  six agency bullets, the learning event 5 February 2025, the family met,
  a limitation, the panel's agreement 23 April 2025 and the partners'
  sign-off 14 May 2025), "3. Family background and the voice of the
  family" (the mother's words, one praising the health visitor "the one
  person who was on my side" mixed with "everything was about me", and the
  grandmother's), "4. Summary of key events" (eleven paragraphs of facts);
- "5. Analysis" under FIVE themed sub-headings ("Pre-birth assessment",
  "The father's invisibility", "The ICON programme: coping with crying",
  "The bruising in non-mobile babies protocol", "The response to O's
  injury"): practice named as good ("of a high standard", "thorough and
  well recorded", "given well", "This was good practice", "thorough",
  "swift and well coordinated"), stated through what was done (the
  specialist midwife's referral the next morning, the health visitor's two
  visits nothing required, the nurses at Castlemoor), mixed ("That was a
  good question ... But ...", "held promptly and was well attended ...
  But ..."), "It would have been good practice ...", three changes "Since
  the rapid review, ...", poor practice, three concessions ("The reviewer
  recognises / accepts / appreciates that ... But / However ..."), the
  National Panel's "The Myth of Invisible Men" (2021), what ICON is, the
  protocol quoted, what practitioners said at the learning event;
- "6. Findings and learning": a preamble, four "Finding n: ..." paragraphs,
  one paragraph restating the good practice found, the central learning;
- "7. Recommendations": 7.1-7.6 as numbered paragraphs, each to a named
  partner (7.1 the hospitals' trust, 7.2 the council, 7.3 the community
  trust, a lead-in "should ensure that:" over TWO bullets, 7.4 the ICB) or
  the Partnership (7.5, 7.6; 7.6 "by March 2026");
- "A letter back to O": four paragraphs ("O, we hope that ...", the
  changes made "because of you", his grandmother's words, the sign-off).

Its labels (`dear-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 112
passages, 20 practice, 8 recommendation (the six, 7.3's lead-in and its two
bullets), 84 other. As the earlier modules': practice where the reviewers
present some practice as good, however implicitly or mixed with criticism,
to the child in the letters as in the body. Codes: the letter's midwife
Escalating concerns, its health visitor Adhering to policy and procedure,
its ambulance crew and hospital Multi-agency working; the booking
appointment Risk assessment; the specialist midwife's referral Escalating
concerns; the antenatal contact Record keeping; the council's change since
Learning from past reviews; the GP's question (mixed) Risk assessment; "It
would have been good practice ..." Suggested good practice; the ICON
message given well Effective communication; the health visitor's visits
Consistent care and support; the ICON change since Learning from past
reviews; the health visitor following the protocol Adhering to policy and
procedure; the child protection medical Risk assessment; the strategy
discussion (mixed) Multi-agency working; the protocol's change since
Learning from past reviews; the response to the injury Multi-agency
working; the nurses at Castlemoor Effective communication; the good
practice restated in the findings Escalating concerns (by its first item);
the letter back's changes Learning from past reviews. Other: the cover,
the letter's other five paragraphs, the introduction, the methodology, the
family's words (Ms K's praise of the health visitor included, borderline,
as the LCSPR's child's words), the key events, the poor practice, facts
and concessions, the national review, ICON described, the protocol
quoted, the learning event, the findings and the letter back's other
three.

What a user would expect of its identity, decided before the reading: type
CSPR; no variant; no identifier (no paragraph number, "section 47" or
"Finding 1" is one), so the key is the file's name; the board the
partnership (Harbridge), no Welsh board; year 2025 (publication); dates:
index incident 2024-08-19 (the injury, not the bruise of 7 May 2024),
referral 2024-08-22 (to the Case Review Subgroup; not the notification of
21 August or the midwife's referral of 13 September 2023), period
2023-06-05 to 2024-08-19, learning event 2025-02-05, sign-off 2025-05-14
(the partners'; not the panel's 23 April 2025), publication 2025-06-26.
Recommendations: six, 7.3 in two parts each with its lead-in, to the
partners named, 7.6 due March 2026, nothing else recorded.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt8
as it was, HEAD c9857fa; STORFA_INT8=u8; by the machine's clock the session
began 09:17:02, the document was last edited 09:19:46, the labels written
09:19:54, the expected identity written down and the document and labels
copied into tests/data in one `cp` 09:20:00, this module written 09:20:52
before any reading, storfa first run 09:20:53-09:21:16; the near misses and
due dates printed 09:21:35-09:21:51, on the same tree), the same from the
Markdown and from the PDF in every figure:

- segmentation: 112 passages, all as written, both readings (every
  numbered paragraph a paragraph, none a heading; the five themes headings;
  the letters their paragraphs; 7.3 a lead-in and two list items);
- identity: type CSPR, no variant, no identifier (key
  "dear-written-2026": no paragraph number borrowed), board "Harbridge
  Safeguarding Children Partnership", year 2025, all right; referral
  2024-08-22, period 2023-06-05 to 2024-08-19, learning event 2025-02-05,
  sign-off 2025-05-14, publication 2025-06-26, all right; index incident
  WRONG: None (right: 2024-08-19, 1.2's "On the evening of 19 August 2024
  O's father called 999 ... The treating doctors concluded that his
  injuries had been caused by shaking.", and the letter's "On 19 August
  2024 ... your dad hurt you very badly");
- recommendations: 7 records, 7.1, 7.2, 7.3a, 7.3b, 7.4, 7.5, 7.6, each
  bullet a record completed by its lead-in ("7.3 Harbridge Community Health
  NHS Trust should ensure that health visitors ..."), every recommendation
  passage read, nothing extra (not "It would have been good practice", the
  protocol's "must be", the changes' "must now", a finding or a letter);
  addressees all right: 7.1 ['Harbridge University Hospitals NHS Foundation
  Trust'], 7.2 ['Harbridge City Council'], 7.3a/b ['Harbridge Community
  Health NHS Trust'], 7.4 ['NHS Harbridge Integrated Care Board'], 7.5 and
  7.6 ['Harbridge Safeguarding Children Partnership']; due_date None on
  every record, 7.6's "by March 2026" not read (right: 2026-03; the docs
  say the due date is set when tracking, as the CVAPR's);
- auto-coding at the single-case threshold (0.49 as reported): 20
  suggestions, 15 of the 20 practice passages, precision 0.75 (under the
  0.80 floor and the brief's 0.80 bar, over the 0.70 judged bar), recall
  0.75 (over the 0.60 floor and the 0.70 bar, under the brief's 0.80); the
  same sub-theme as the label on 8 of 15, the same theme on 10 of 15 (0.67,
  under the 0.70 bar). Wrong (5): the letter's "You live with your grandma
  now. She told us that you are 'the smiliest boy in Harbridge' ..."
  (Positive working relationships, 0.51); 5.4 "The pre-birth assessment
  that followed was an assessment of Ms K. ..." (Effective communication,
  0.96); 5.12 "At the learning event practitioners were candid about why
  fathers were not seen. ..." (Persistency in care and support, 0.88);
  5.16 "The message was not given to Mr D at any of the four points. ..."
  (Effective communication, 0.77); 5.24 "The reviewer appreciates that
  most babies seen under the protocol are found to have a bruise that has
  an innocent explanation. But ..." (Adhering to policy and procedure,
  0.55). Missed (5): the letter's "When you were nearly four months old,
  your health visitor saw a small bruise on your arm. ..." (0.29); 5.7
  "Since the rapid review, Harbridge City Council has changed its pre-birth
  assessment. ..." (0.15); 5.22 "The strategy discussion on 9 May 2024 was
  held promptly and was well attended ... But ..." (0.38); 5.25 "Since the
  rapid review, the Partnership has revised the protocol. ..." (0.40); the
  letter back's "Because of you, things have already changed in Harbridge.
  ..." (0.47). Themes that differ (5): the letter's ambulance crew and
  hospital -> Escalating concerns (0.50; Multi-agency working); 5.2 the
  specialist midwife's referral -> Positive working relationships (0.72;
  Escalating concerns); 5.10 the GP's question -> Effective communication
  (0.60; Risk assessment); 5.20 the health visitor following the protocol
  -> Effective communication (0.96; Adhering to policy and procedure); 5.27
  the nurses at Castlemoor -> Record keeping (0.95; Effective
  communication); within the theme: 5.1 the booking appointment ->
  Escalating concerns (0.73; Risk assessment), 5.26 the response ->
  Effective communication (0.94; Multi-agency working). Right: the letter's
  midwife (0.95), the antenatal contact (Record keeping, 0.92), "It would
  have been good practice" (Suggested good practice, 1.00), the ICON
  message given well (0.93), the health visitor's visits (Consistent care
  and support, 0.51), the ICON change since (Learning from past reviews,
  0.79), the child protection medical (Risk assessment, 0.63), the good
  practice restated (Escalating concerns, 0.95). Nothing suggested on the
  cover, a heading, the introduction, the methodology, the family's words,
  the key events, the findings, a recommendation, a lead-in, the national
  review, the protocol quoted, the letter's opening, its poor practice, or
  the letter back's other paragraphs; near misses under the threshold: the
  ICON described (0.47), the letter's "This review is about making things
  better ..." (0.42), the concession 5.11 (0.40), the poor practice 5.23
  (0.38).

Judged bars (the brief's): P and R each >= 0.80 NOT held (0.75, 0.75);
theme >= 0.80 NOT held (0.67); every recommendation found with at most two
extra records, HELD (7 records, none extra).

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the letters,
the practice mixed with criticism, the changes since, the poor practice,
the concessions, the analysis, the themes, the due dates) and the xfails
for what storfa got wrong. On the frozen tree (09:23:15-09:23:34) and from
/work/main with its own src/ (09:23:34-09:23:49) the module gave the same:
102 passed, 2 skipped, 60 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storfa.domain.recommendations import StoredRecommendation
from written import (
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
    identity,
    labelled_records,
    lead_ins,
    never_suggested,
    no_welsh_board,
    not_identified,
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

DATA = Path(__file__).resolve().parent / "data" / "written-dear"
DOCUMENT = DATA / "dear-written-2026.md"
LETTER = "A letter to O"
INTRODUCTION = "1. Introduction"
METHODOLOGY = "2. Methodology"
FAMILY = "3. Family background and the voice of the family"
EVENTS = "4. Summary of key events"
ANALYSIS = "5. Analysis"
THEMES = ("Pre-birth assessment", "The father's invisibility",
          "The ICON programme: coping with crying", "The bruising in non-mobile babies protocol",
          "The response to O's injury")
FINDINGS = "6. Findings and learning"
RECOMMENDATIONS_HEADING = "7. Recommendations"
LETTER_BACK = "A letter back to O"
PARTNERSHIP = "Harbridge Safeguarding Children Partnership"
RECOMMENDATIONS = (
    "7.1 Harbridge University Hospitals NHS Foundation Trust should ensure",
    "7.2 Harbridge City Council should ensure",
    "7.3 Harbridge Community Health NHS Trust should ensure that:",
    "7.4 NHS Harbridge Integrated Care Board should ensure",
    "7.5 The Harbridge Safeguarding Children Partnership should audit",
    "7.6 The Harbridge Safeguarding Children Partnership should seek assurance",
)
ADDRESSEES = {
    "1": ["Harbridge University Hospitals NHS Foundation Trust"],
    "2": ["Harbridge City Council"],
    "3": ["Harbridge Community Health NHS Trust"],
    "4": ["NHS Harbridge Integrated Care Board"],
}
# The bullets under recommendation 7.3, by their openings.
BULLETS = ("health visitors offer at least one contact", "the ICON message is given directly")
# The brief's judged bars on this held-out check: precision and recall, and
# the theme of suggestions on practice, each at least 0.80.
BAR = 0.80
_NUMBERED = re.compile(r"\d\.\d{1,2} ")

_GRANDMA = (
    "the letter's 'You live with your grandma now. She told us that you are \"the smiliest boy "
    "in Harbridge\" ... a team of doctors and therapists is helping you.' is suggested "
    "(Positive working relationships, 0.51), both readings; right: not suggested (facts and "
    "the grandmother's words, no practice)")
_ASSESSMENT = (
    "5.4 'The pre-birth assessment that followed was an assessment of Ms K. The social worker "
    "visited twice, both times at the grandmother's house during the day ... The "
    "assessment's section on the father is two lines long ...' is suggested (Effective "
    "communication, 0.96), both readings; right: not suggested (poor practice)")
_NOT_GIVEN = (
    "5.16 'The message was not given to Mr D at any of the four points. The postnatal ward "
    "record says \"ICON discussed with parents: yes\", but Mr D had gone home by then. ...' is "
    "suggested (Effective communication, 0.77), both readings; right: not suggested (poor "
    "practice)")
_SAID = (
    "5.12 'At the learning event practitioners were candid about why fathers were not seen. "
    "Several said that their services \"are set up for mums\" ...' is suggested (Persistency "
    "in care and support, 0.88), both readings; right: not suggested (what practitioners "
    "said of why fathers were not seen, no practice praised)")
_LETTER_BRUISE = (
    "the letter's 'When you were nearly four months old, your health visitor saw a small bruise "
    "on your arm. ... She made sure a children's doctor saw you the next morning, and the "
    "doctor checked you all over, very carefully ...' is not suggested (0.29), both readings; "
    "right: practice told to the child (the protocol followed), Adhering to policy and "
    "procedure")
_LETTER_BACK = (
    "the letter back's 'Because of you, things have already changed in Harbridge. Midwives now "
    "write down every dad's full name and date of birth, social workers cannot finish an "
    "assessment ... without meeting the dad, and every new dad is sent a short film ...' is "
    "not suggested (0.47), both readings; right: changes made since, told to the child, "
    "Learning from past reviews")
_STRATEGY = (
    "5.22 'The strategy discussion on 9 May 2024 was held promptly and was well attended: the "
    "police, children's social care, the health visitor and the paediatrician all took part "
    "... The decision to carry out joint section 47 enquiries was the right one. But ...' is "
    "not suggested (0.38), both readings; right: practice mixed with criticism, Multi-agency "
    "working")
_MISSED_ANALYSIS = (
    "three of the analysis' 15 practice paragraphs not suggested, both readings: 5.7 the "
    "council's change since (0.15), 5.22 the strategy discussion (0.38), 5.25 the protocol's "
    "change since (0.40)")
_WRONG_ANALYSIS = (
    "four of the analysis' 12 other paragraphs suggested, both readings: 5.4 (Effective "
    "communication, 0.96), 5.12 (Persistency in care and support, 0.88), 5.16 (Effective "
    "communication, 0.77), 5.24 (Adhering to policy and procedure, 0.55)")
_LETTER_RESPONSE_THEME = (
    "the letter's 'On 19 August 2024 ... The ambulance crew and the doctors and nurses at the "
    "hospital worked fast to save your life, and they told the police and children's social "
    "care that same night ...' is read as Escalating concerns (0.50), both readings; right: "
    "Multi-agency working, theme Communication")
_REFERRAL_THEME = (
    "5.2 'The specialist midwife built a good relationship with Ms K over five home visits. "
    "When Ms K told her ... the midwife discussed it with the maternity safeguarding team ... "
    "and referred the family to the Children's Front Door the next morning. This was the right "
    "decision, made at the right time.' is read as Positive working relationships (0.72), "
    "both readings; right: Escalating concerns (a referral at the right time), theme Risk and "
    "Escalation")
_GP_THEME = (
    "5.10 'The GP was the one practitioner who asked about the care O received from his "
    "father. ... That was a good question, and the record of the answer is clear. But ...' is "
    "read as Effective communication (0.60), both readings; right: Risk assessment "
    "(professional curiosity), theme Risk and Escalation")
_PROTOCOL_THEME = (
    "5.20 'The health visitor followed the protocol exactly. ... She rang the Children's Front "
    "Door from her car outside the flat ... This was good practice.' is read as Effective "
    "communication (0.96), both readings; right: Adhering to policy and procedure, theme "
    "Policy, Procedures and Recording")
_NURSES_THEME = (
    "5.27 'The nurses at Castlemoor Children's Hospital kept Ms K and her mother informed "
    "throughout O's stay, explained each test and its results ...' is read as Record keeping "
    "(0.95), both readings; right: Effective communication (with the family), theme "
    "Communication")
_THEMES = (
    f"same theme on 10 of 15 (0.67), both readings: {_LETTER_RESPONSE_THEME}; "
    f"{_REFERRAL_THEME}; {_GP_THEME}; {_PROTOCOL_THEME}; {_NURSES_THEME}")
_MISSED = (
    "five practice paragraphs not suggested, both readings: the letter's health visitor "
    "(0.29), 5.7 (0.15), 5.22 (0.38), 5.25 (0.40), the letter back's changes (0.47)")


read = reading(DOCUMENT, DATA / "dear-written-2026.tsv", "written-dear")


def _number(record_number: str) -> str:
    """A record's number as the recommendation's: "7.3", "7.3a", "3", "3a" -> "3"."""
    return record_number.removeprefix("7.").rstrip("abcdefg")


def _records(read: Read, n: str) -> list[StoredRecommendation]:
    return [r for r in labelled_records(read) if _number(r.number) == n]


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the letter's heading.
    return set(range(heading_at(read, LETTER)))


def _letter(read: Read) -> set[int]:
    return between(read, LETTER, INTRODUCTION)


def _letter_back(read: Read) -> set[int]:
    return set(range(heading_at(read, LETTER_BACK) + 1, len(read.passages)))


def _analysis(read: Read) -> set[int]:
    return between(read, ANALYSIS, FINDINGS) - headings(read)


def _numbered(read: Read) -> set[int]:
    return {p.seq for p in read.passages if _NUMBERED.match(read.text(p.seq))}


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 112, 20, 8, 84)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_letter_opens_the_report(read: Read) -> None:
    # The cover, then "A letter to O" and its eight paragraphs, before the
    # introduction.
    letter = _letter(read)
    assert len(letter) == 8 and not letter & headings(read)
    assert read.text(min(letter)).startswith("Dear O, this review is about you")


def test_the_letter_back_closes_the_report(read: Read) -> None:
    back = _letter_back(read)
    assert len(back) == 4 and not back & headings(read)
    assert read.text(min(back)).startswith("O, we hope that")
    assert heading_at(read, RECOMMENDATIONS_HEADING) < heading_at(read, LETTER_BACK)


def test_every_numbered_paragraph_is_a_paragraph(read: Read) -> None:
    # 1.1-1.7, 2.1-2.6, 3.1-3.9, 4.1-4.11, 5.1-5.27, 6.1-6.7, 7.1-7.6: none
    # read as a heading because it opens on a number.
    numbered = _numbered(read)
    assert len(numbered) == 73, len(numbered)
    wrong = [read.text(s)[:50] for s in sorted(numbered) if read.passages[s].kind == "heading"]
    assert not wrong, wrong


def test_the_analysis_has_its_five_themes(read: Read) -> None:
    found = [read.passages[s].text for s in sorted(between(read, ANALYSIS, FINDINGS))
             if read.passages[s].kind == "heading"]
    assert found == list(THEMES), found
    assert len(_analysis(read)) == 27


# ------------------------------------------------------------------- identity
def test_the_type_is_a_cspr(read: Read) -> None:
    # "Local Child Safeguarding Practice Review: Child O".
    identity(read, type="CSPR")


def test_no_variant(read: Read) -> None:
    assert read.summary.variant is None, read.summary.variant


def test_no_identifier_is_borrowed(read: Read) -> None:
    # The review has no number: no paragraph number ("1.1", "5.14", "7.3"),
    # "section 47" or "Finding 1" is one.
    not_identified(read)


def test_the_key_is_the_files_name(read: Read) -> None:
    assert read.summary.review_id == "dear-written-2026", read.summary.review_id


def test_the_year_is_the_year_of_publication(read: Read) -> None:
    assert read.summary.year == 2025, read.summary.year


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_board_is_the_partnership(read: Read) -> None:
    assert read.summary.board is not None and "Harbridge" in read.summary.board, \
        read.summary.board


# First reading, since fixed (round eight's date fixes): index incident None, both readings;
# right: 2024-08-19, 1.2's 'On the evening of 19 August 2024 O's father called 999 to say that O
# had gone floppy ... The treating doctors concluded that his injuries had been caused by
# shaking.' (and the letter's 'On 19 August 2024, when you were seven months old, your dad hurt
# you very badly.')
def test_the_index_incident_is_the_injury(read: Read) -> None:
    # "On the evening of 19 August 2024 O's father called 999 ..."; not the
    # bruise of 7 May 2024.
    assert read.summary.dates.get("index_incident") == "2024-08-19", read.summary.dates


def test_the_referral_is_to_the_case_review_subgroup(read: Read) -> None:
    # "... on 22 August 2024 the case was referred to the Partnership's Case
    # Review Subgroup" (the National Panel notified 21 August; the rapid
    # review 4 September; not the midwife's referral of 13 September 2023).
    assert read.summary.dates.get("referral") == "2024-08-22", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 5 June 2023, when O's mother booked her
    # pregnancy ..., to 19 August 2024, the day O was injured."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-06-05", "2024-08-19"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2025-02-05", read.summary.dates


def test_the_sign_off_is_the_review_panels_agreement(read: Read) -> None:
    # Corrected in round 10 (the module expected, and storfa gave, the cover's
    # "Report signed off by the Harbridge safeguarding partners: 14 May
    # 2025"): the sign-off is the reviewers' (MISSION.md), here 2.6's "The
    # report was agreed by the review panel on 23 April 2025", as the OWHR's,
    # the WDHR's and the QADHR's panels' agreements; the partners' after it
    # is the commissioners' approval.
    assert read.summary.dates.get("sign_off") == "2025-04-23", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-06-26", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, _number)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_six(read: Read) -> None:
    print_register(read)
    numbers = [_number(r.number) for r in labelled_records(read)]
    assert sorted(set(numbers)) == ["1", "2", "3", "4", "5", "6"], numbers


def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    records = _records(read, "3")
    assert records
    for bullet in BULLETS:
        holding = [r for r in records if bullet in r.text]
        assert holding and all("Harbridge Community Health NHS Trust should ensure" in r.text
                               for r in holding), (bullet, [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not "It would have been good practice ...", the protocol quoted ("must
    # be taken seriously"), a change since ("must now record"), a finding or
    # either letter.
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_letters(read: Read) -> None:
    _no_record_from(read, "letter", _letter(read))
    _no_record_from(read, "letter back", _letter_back(read))


def test_no_record_from_the_analysis_or_the_findings(read: Read) -> None:
    _no_record_from(read, "analysis", _analysis(read))
    _no_record_from(read, "findings", between(read, FINDINGS, RECOMMENDATIONS_HEADING))


def test_no_record_from_the_introduction_to_the_key_events(read: Read) -> None:
    _no_record_from(read, "introduction to key events", between(read, INTRODUCTION, ANALYSIS))


def test_each_named_partners_recommendation_is_to_that_partner(read: Read) -> None:
    found = {n: [r.agencies for r in _records(read, n)] for n in ADDRESSEES}
    assert found == {n: [a] * len(found[n]) for n, a in ADDRESSEES.items()} and \
        all(found.values()), found


def test_the_partnerships_recommendations_are_the_partnerships(read: Read) -> None:
    # 7.5 and 7.6 ("The Harbridge Safeguarding Children Partnership should
    # ..."); 7.6 seeks assurance from the police and the council.
    found = {n: [r.agencies for r in _records(read, n)] for n in ("5", "6")}
    assert all(found.values()) and all(a and PARTNERSHIP in a[0] for n in found
                                       for a in found[n]), found


def test_no_due_date_from_a_relative_time(read: Read) -> None:
    # 7.5's "within twelve months of publication" is no date; a due date, if
    # any, is 7.6's "by March 2026".
    wrong = [(r.number, r.due_date) for r in labelled_records(read)
             if r.due_date is not None and _number(r.number) != "6"]
    assert not wrong, wrong


# First reading, since fixed (due dates read): every record's due_date is None, both readings;
# right: 7.6's 'report on this to the safeguarding partners by March 2026' is its due date, 2026-03
# (docs/recommendations.md says the due date is set when tracking, as the CVAPR's dated timescale)
def test_the_due_date_is_march_2026_on_the_sixth_only(read: Read) -> None:
    # 7.6 "by March 2026"; 7.5's "within twelve months of publication" is relative.
    due = {r.number: r.due_date for r in labelled_records(read) if r.due_date}
    assert {_number(n): d[:7] for n, d in due.items()} == {"6": "2026-03"}, due


# ---------------------------------------------------------------- auto-coding
# First reading, since fixed (round eight's form fixes): precision 0.75 (15 of 20 suggestions),
# both readings: under the 0.80 floor; five suggestions on passages labelled other (the letter's
# grandma paragraph, 5.4, 5.12, 5.16, 5.24)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed (round eight's form fixes): precision 0.75 (15 of 20 suggestions),
# both readings: under the 0.80 floor; five suggestions on passages labelled other (the letter's
# grandma paragraph, 5.4, 5.12, 5.16, 5.24)
def test_auto_coding_precision_holds_the_briefs_bar(read: Read) -> None:
    precision, _ = auto_coding(read)
    assert precision >= BAR, precision


# First reading, since fixed (round eight's form fixes): recall 0.75 (15 of 20 practice
# paragraphs), both readings: under the brief's 0.80 bar
def test_auto_coding_recall_holds_the_briefs_bar(read: Read) -> None:
    _, recall = auto_coding(read)
    assert recall >= BAR, recall


# First reading, since fixed (round eight's form fixes): same theme on 10 of 15 (0.67), both
# readings: the letter's 'On 19 August 2024 ... The ambulance crew and the doctors and nurses at
# the hospital worked fast to save your life, and they told the police and children's social care
# that same night ...' is read as Escalating concerns (0.50), both readings; right: Multi-agency
# working, theme Communication; 5.2 'The specialist midwife built a good relationship with Ms K
# over five home visits. When Ms K told her ... the midwife discussed it with the maternity
# safeguarding team ... and referred the family to the Children's Front Door the next morning.
# This was the right decision, made at the right time.' is read as Positive working relationships
# (0.72), both readings; right: Escalating concerns (a referral at the right time), theme Risk and
# Escalation; 5.10 'The GP was the one practitioner who asked about the care O received from his
# father. ... That was a good question, and the record of the answer is clear. But ...' is read as
# Effective communication (0.60), both readings; right: Risk assessment (professional curiosity),
# theme Risk and Escalation; 5.20 'The health visitor followed the protocol exactly. ... She rang
# the Children's Front Door from her car outside the flat ... This was good practice.' is read as
# Effective communication (0.96), both readings; right: Adhering to policy and procedure, theme
# Policy, Procedures and Recording; 5.27 'The nurses at Castlemoor Children's Hospital kept Ms K
# and her mother informed throughout O's stay, explained each test and its results ...' is read as
# Record keeping (0.95), both readings; right: Effective communication (with the family), theme
# Communication
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# same theme on 10 of 15 (0.67), both readings: the letter's 'On 19 August 2024 ... The ambulance
# crew and the doctors and nurses at the hospital worked fast to save your life, and they told the
# police and children's social care that same night ...' is read as Escalating concerns (0.50),
# both readings; right: Multi-agency working, theme Communication; 5.2 'The specialist midwife
# built a good relationship with Ms K over five home visits. When Ms K told her ... the midwife
# discussed it with the maternity safeguarding team ... and referred the family to the Children's
# Front Door the next morning. This was the right decision, made at the right time.' is read as
# Positive working relationships (0.72), both readings; right: Escalating concerns (a referral at
# the right time), theme Risk and Escalation; 5.10 'The GP was the one practitioner who asked
# about the care O received from his father. ... That was a good question, and the record of the
# answer is clear. But ...' is read as Effective communication (0.60), both readings; right: Risk
# assessment (professional curiosity), theme Risk and Escalation; 5.20 'The health visitor
# followed the protocol exactly. ... She rang the Children's Front Door from her car outside the
# flat ... This was good practice.' is read as Effective communication (0.96), both readings;
# right: Adhering to policy and procedure, theme Policy, Procedures and Recording; 5.27 'The
# nurses at Castlemoor Children's Hospital kept Ms K and her mother informed throughout O's stay,
# explained each test and its results ...' is read as Record keeping (0.95), both readings; right:
# Effective communication (with the family), theme Communication
@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round ten (53 reviews): 13 of 17 in the label's theme, both "
    "readings (14 before), under the brief's 0.80 bar: the specialist midwife's referral is "
    "read as Positive working relationships again (0.72; right: Escalating concerns)"))
def test_the_theme_agrees_with_the_label_at_the_briefs_bar(read: Read) -> None:
    _, same_theme, hits = theme_agreement(read)
    assert hits and same_theme / hits >= BAR, (same_theme, hits)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


@pytest.mark.xfail(strict=True, reason=f"{_THEMES}; and {_MISSED}")
def test_every_practice_paragraph_is_suggested_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice"))


def _in_labels_theme(read: Read, *openings: str) -> None:
    suggested_in_labels_theme(read, opened_by(read, *openings))


def test_all_but_five_suggestions_are_in_the_labels_theme(read: Read) -> None:
    # 10 of 15; the booking appointment (Escalating concerns) and the
    # response (Effective communication) within the label's theme.
    wrong = opened_by(read, "On 19 August 2024, when you were seven months old",
                      "5.2 The specialist midwife", "5.10 The GP was the one",
                      "5.20 The health visitor followed", "5.27 The nurses at Castlemoor")
    held = read.seqs("practice") & read.suggested.keys() - wrong
    # 12 since round eight's fixes: 5.7's and 5.25's changes since, found, are
    # in their label's theme.
    assert len(held) == 12
    suggested_in_labels_theme(read, held)


def test_the_changes_and_the_suggested_practice_are_in_the_labels_theme(read: Read) -> None:
    # The ICON change since, "It would have been good practice", the
    # antenatal contact's record, the child protection medical.
    _in_labels_theme(read, "5.18 Since the rapid review", "5.13 It would have been good",
                     "5.6 The health visitor's antenatal", "5.21 The child protection medical")


@pytest.mark.xfail(strict=True, reason=_LETTER_RESPONSE_THEME)
def test_the_letters_response_is_in_the_labels_theme(read: Read) -> None:
    _in_labels_theme(read, "On 19 August 2024, when you were seven months old")


# First reading, since fixed (the coder learnt round nine's reviews): 5.2 'The specialist
# midwife built a good relationship with Ms K over five home visits. When Ms K told her ...
# the midwife discussed it with the maternity safeguarding team ... and referred the family to
# the Children's Front Door the next morning. This was the right decision, made at the right
# time.' is read as Positive working relationships (0.72), both readings; right: Escalating
# concerns (a referral at the right time), theme Risk and Escalation
@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round ten (53 reviews), as at the first reading: 5.2's referral "
    "is read as Positive working relationships (0.72), both readings; right: Escalating "
    "concerns, theme Risk and Escalation"))
def test_the_specialist_midwifes_referral_is_in_the_labels_theme(read: Read) -> None:
    _in_labels_theme(read, "5.2 The specialist midwife")


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# 5.10 'The GP was the one practitioner who asked about the care O received from his father. ...
# That was a good question, and the record of the answer is clear. But ...' is read as Effective
# communication (0.60), both readings; right: Risk assessment (professional curiosity), theme Risk
# and Escalation
@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round nine's reviews (this stop): 5.10 'The GP was the one "
    "practitioner who asked ...' is read as Effective communication (0.60) again, both "
    'readings; right: Risk assessment (professional curiosity)'))
def test_the_gps_question_is_in_the_labels_theme(read: Read) -> None:
    _in_labels_theme(read, "5.10 The GP was the one")


@pytest.mark.xfail(strict=True, reason=_PROTOCOL_THEME)
def test_the_protocol_followed_is_in_the_labels_theme(read: Read) -> None:
    _in_labels_theme(read, "5.20 The health visitor followed")


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# 5.27 'The nurses at Castlemoor Children's Hospital kept Ms K and her mother informed throughout
# O's stay, explained each test and its results ...' is read as Record keeping (0.95), both
# readings; right: Effective communication (with the family), theme Communication
def test_the_nurses_at_castlemoor_are_in_the_labels_theme(read: Read) -> None:
    _in_labels_theme(read, "5.27 The nurses at Castlemoor")


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "introduction": between(read, INTRODUCTION, METHODOLOGY),
        "methodology": between(read, METHODOLOGY, FAMILY),
        "summary of key events": between(read, EVENTS, ANALYSIS),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_does_not_suggest_the_family_or_their_words(read: Read) -> None:
    # Ms K's praise of the health visitor ("she was the one person who was on
    # my side") is her word in her own section, mixed with "everything was
    # about me": other, as the earlier modules' family's words.
    family = between(read, FAMILY, EVENTS)
    assert len(family) == 9 and family <= read.seqs("other")
    never_suggested(read, {"family": family})


def test_auto_coding_does_not_suggest_the_findings(read: Read) -> None:
    opened_not_suggested(read, "6.1 The review has four findings", "6.2 Finding 1:",
                         "6.3 Finding 2:", "6.4 Finding 3:", "6.5 Finding 4:",
                         "6.7 The central learning")


def test_auto_coding_finds_the_good_practice_paragraph(read: Read) -> None:
    (good,) = opened_by(read, "6.6 The review also found good practice")
    assert good in read.seqs("practice")
    all_suggested(read, {good})
    assert read.suggested[good][0][0] not in ("Learning from past reviews",
                                              "Suggested good practice"), read.suggested[good]


@pytest.mark.xfail(strict=True, reason=_LETTER_BRUISE)
def test_auto_coding_finds_what_the_letter_tells_o_was_done_well(read: Read) -> None:
    # "Your midwife noticed ...", "... your health visitor saw a small bruise
    # ...", "The ambulance crew and the doctors ... worked fast ...".
    opened_suggested(read, "Your midwife noticed", "When you were nearly four months old",
                     "On 19 August 2024, when you were seven months old")


def test_auto_coding_finds_the_letters_midwife_and_response(read: Read) -> None:
    # All but the health visitor (its own xfail).
    opened_suggested(read, "Your midwife noticed",
                     "On 19 August 2024, when you were seven months old")


@pytest.mark.xfail(strict=True, reason=_LETTER_BRUISE)
def test_auto_coding_finds_the_letters_health_visitor(read: Read) -> None:
    opened_suggested(read, "When you were nearly four months old")


@pytest.mark.xfail(strict=True, reason=_GRANDMA)
def test_auto_coding_does_not_suggest_the_rest_of_the_letter(read: Read) -> None:
    opened_not_suggested(read, "Dear O, this review is about you", "You were born on",
                         "But the people who were trying", "You live with your grandma",
                         "This review is about making things better")


def test_auto_coding_does_not_suggest_the_letters_opening_facts_or_criticism(
        read: Read) -> None:
    # All but the grandma paragraph (its own xfail).
    opened_not_suggested(read, "Dear O, this review is about you", "You were born on",
                         "But the people who were trying",
                         "This review is about making things better")


@pytest.mark.xfail(strict=True, reason=_GRANDMA)
def test_auto_coding_does_not_suggest_the_letters_grandma_paragraph(read: Read) -> None:
    opened_not_suggested(read, "You live with your grandma")


@pytest.mark.xfail(strict=True, reason=_LETTER_BACK)
def test_auto_coding_finds_the_change_the_letter_back_tells_of(read: Read) -> None:
    opened_coded(read, "Because of you, things have already changed",
                 "Learning from past reviews")


def test_auto_coding_does_not_suggest_the_rest_of_the_letter_back(read: Read) -> None:
    opened_not_suggested(read, "O, we hope that", "Your grandma says",
                         "With our best wishes")


def test_auto_coding_finds_practice_the_reviewer_names_as_good(read: Read) -> None:
    # "of a high standard", "thorough and well recorded", "given well", "This
    # was good practice", "thorough", "swift and well coordinated".
    opened_suggested(read, "5.1 The booking appointment", "5.6 The health visitor's antenatal",
                     "5.15 The ICON message was given", "5.20 The health visitor followed",
                     "5.21 The child protection medical", "5.26 The response on 19 August")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The specialist midwife's referral the next morning, the health visitor's
    # visits nothing required, the nurses at Castlemoor.
    opened_suggested(read, "5.2 The specialist midwife", "5.17 After the section 47",
                     "5.27 The nurses at Castlemoor")


@pytest.mark.xfail(strict=True, reason=_STRATEGY)
def test_auto_coding_finds_practice_mixed_with_criticism(read: Read) -> None:
    # "That was a good question ... But ..."; "held promptly and was well
    # attended ... But ...".
    opened_suggested(read, "5.10 The GP was the one practitioner", "5.22 The strategy discussion")


def test_auto_coding_finds_the_gps_good_question(read: Read) -> None:
    opened_suggested(read, "5.10 The GP was the one practitioner")


@pytest.mark.xfail(strict=True, reason=_STRATEGY)
def test_auto_coding_finds_the_strategy_discussion(read: Read) -> None:
    opened_suggested(read, "5.22 The strategy discussion")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "5.13 It would have been good practice", "Suggested good practice")


# First reading, since fixed (round eight's form fixes): 5.7 'Since the rapid review, Harbridge
# City Council has changed its pre-birth assessment. The assessment now has a separate section for
# each parent ...' is not suggested (0.15), both readings; right: a change since, Learning from
# past reviews (5.18, the ICON change, is read right, 0.79)
def test_auto_coding_finds_the_councils_change_since(read: Read) -> None:
    opened_coded(read, "5.7 Since the rapid review", "Learning from past reviews")


def test_auto_coding_finds_the_icon_change_since(read: Read) -> None:
    opened_coded(read, "5.18 Since the rapid review", "Learning from past reviews")


# First reading, since fixed (round eight's form fixes): 5.25 'Since the rapid review, the
# Partnership has revised the protocol. A strategy discussion under it must now record how each
# parent and any other carer will be seen in person ...' is not suggested (0.40), both readings;
# right: a change since, Learning from past reviews
def test_auto_coding_finds_the_protocols_change_since(read: Read) -> None:
    opened_coded(read, "5.25 Since the rapid review", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_MISSED_ANALYSIS)
def test_auto_coding_finds_all_the_practice_in_the_analysis(read: Read) -> None:
    practice = _analysis(read) & read.seqs("practice")
    assert len(practice) == 15
    all_suggested(read, practice)


def test_auto_coding_finds_all_but_three_in_the_analysis(read: Read) -> None:
    # 12 of 15: all but the council's change, the strategy discussion and the
    # protocol's change (their own xfails).
    missed = opened_by(read, "5.7 Since the rapid review", "5.22 The strategy discussion",
                       "5.25 Since the rapid review")
    practice = _analysis(read) & read.seqs("practice") - missed
    assert len(practice) == 12
    all_suggested(read, practice)


@pytest.mark.xfail(strict=True, reason=f"{_ASSESSMENT}; and {_NOT_GIVEN}")
def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    opened_not_suggested(read, "5.3 The referral gave", "5.4 The pre-birth assessment that",
                         "5.9 Between June 2023", "5.16 The message was not given",
                         "5.23 The section 47 enquiries relied")


def test_auto_coding_does_not_suggest_the_rest_of_the_poor_practice(read: Read) -> None:
    # All but 5.4 and 5.16 (their own xfails).
    opened_not_suggested(read, "5.3 The referral gave", "5.9 Between June 2023",
                         "5.23 The section 47 enquiries relied")


@pytest.mark.xfail(strict=True, reason=_ASSESSMENT)
def test_auto_coding_does_not_suggest_the_assessment_of_the_mother_only(read: Read) -> None:
    opened_not_suggested(read, "5.4 The pre-birth assessment that")


@pytest.mark.xfail(strict=True, reason=_NOT_GIVEN)
def test_auto_coding_does_not_suggest_the_icon_message_not_given(read: Read) -> None:
    opened_not_suggested(read, "5.16 The message was not given")


# First reading, since fixed (round eight's form fixes): 5.24 'The reviewer appreciates that most
# babies seen under the protocol are found to have a bruise that has an innocent explanation. But
# the protocol exists because ... the enquiries did not test the explanation they were given.' is
# suggested (Adhering to policy and procedure, 0.55), both readings; right: not suggested (a
# concession opening a criticism)
def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "5.5 The reviewer recognises", "5.11 The reviewer accepts",
                         "5.24 The reviewer appreciates")


def test_auto_coding_does_not_suggest_the_first_two_concessions(read: Read) -> None:
    # All but 5.24 (its own xfail).
    opened_not_suggested(read, "5.5 The reviewer recognises", "5.11 The reviewer accepts")


def test_auto_coding_does_not_suggest_national_learning_or_guidance(read: Read) -> None:
    # The National Panel's "The Myth of Invisible Men", what ICON is, the
    # protocol quoted.
    opened_not_suggested(read, "5.8 The National Panel's review", "5.14 ICON is a programme",
                         "5.19 The Partnership's Bruising")


@pytest.mark.xfail(strict=True, reason=_SAID)
def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "5.12 At the learning event")


@pytest.mark.xfail(strict=True, reason=_WRONG_ANALYSIS)
def test_auto_coding_does_not_suggest_anything_else_in_the_analysis(read: Read) -> None:
    other = _analysis(read) & read.seqs("other")
    assert len(other) == 12
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_rest_of_the_analysis(read: Read) -> None:
    # 8 of 12: all but 5.4, 5.12, 5.16 and 5.24 (their own xfails).
    wrong = opened_by(read, "5.4 The pre-birth assessment that", "5.12 At the learning event",
                      "5.16 The message was not given", "5.24 The reviewer appreciates")
    other = _analysis(read) & read.seqs("other") - wrong
    assert len(other) == 8
    found = sorted(other & read.suggested.keys())
    assert not found, [(read.text(s)[:60], read.suggested[s]) for s in found]
