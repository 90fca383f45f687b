"""A twenty-sixth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Concise Child Practice Review whose learning is three themes each
asked the same three questions ("What went well?", "What could have been
better?", "What needs to change?"), of the single-case auto-coding
threshold and the document-reading rules chosen on the written reviews
before it.

`tests/data/written-pcpr/pcpr-written-2026.md` is a WRITTEN Concise Child
Practice Review (fictional: no real case or person) for the Powys Regional
Safeguarding Board, about Child P, seven months old, taken from a rented
cottage outside Llanidloes to the Royal Shrewsbury Hospital and on to
Birmingham Children's Hospital on 9 September 2024 with bleeding over the
brain, retinal haemorrhages and healing rib fractures; P survived with a
lasting brain injury. The mother, 19, a care leaver with a personal
adviser; the father, 27, from Shropshire, with convictions for violence
(an assault on a former partner in 2019) held by West Mercia Police. A
domestic incident PPN in April 2024 closed after a telephone call, a bruise
on P's cheek at four months (June 2024) referred the same day, a child
protection medical across the health board boundary without a skeletal
survey, a missed immunisation. Where it differs from the written reviews
before it (the GCPR's, a Concise CPR about a baby's injury, the nearest):

- the board: Powys Regional Safeguarding Board, "Bwrdd Diogelu
  Rhanbarthol Powys", NOT one of the six boards storfa's vocabulary knows
  (Powys is in the Mid and West Wales region), numbered by the board as
  "PRSB CPR 2/2025" (BOARD, TYPE, number/year, a board abbreviation storfa
  has not seen);
- the cover: the board's English and Welsh names, "Child Practice Review
  Report" (the only level-1 heading), "Concise Review", the numbering, "Re:
  Child P", "Date of final report to the Board: 10 July 2025", "Date of
  publication: 29 September 2025"; no contents;
- "1. Brief outline ..." (paragraphs unnumbered: the commissioning with two
  dates, referral 3 October 2024 and the Group's consideration 17 October
  2024, the criteria, the injury, P now, the criminal proceedings, the
  family, the period with its reason); "2. The review process" (the panel,
  a "practitioner event" on 11 March 2025, not called a learning event),
  "Family involvement" (the mother's words, once praising "The midwife and
  my PA were brilliant", the great-aunt's), "Summary chronology" as a
  lead-in and nine bullets "date: event";
- THE NEW LAYOUT: "3. Practice and organisational learning" in numbered
  paragraphs "3.1" to "3.35", a preamble (3.1, 3.2), then three themes
  ("Theme 1: Seeing the father", "Theme 2: Supporting a young mother who is
  a care leaver", "Theme 3: Responding to a bruise on a baby who is not
  mobile"), each under THE SAME THREE SUB-HEADINGS repeated: "What went
  well?" (praise named, "thorough and timely", "good practice", "in line
  with", "as the health board's ... policy requires", and practice stated
  through what was done), "What could have been better?" (poor practice,
  facts, concessions "The reviewer understands that pressure. However ...",
  "the reviewer agrees. But ...", "in line with its policy, but ...", one
  "It would have been good practice ..." in each of two themes) and "What
  needs to change?" (LEARNING STATEMENTS, not recommendations: "Practitioners
  need to ...", "... should be a routine part of assessment", "...
  should be treated as a warning sign");
- "4. Improving Systems and Practice": the template's lead-in (a full
  stop), "Actions already taken" (4.1-4.3, changes since by the council,
  the health board and the police), "Recommendations" with a lead-in ("...
  the agencies named should report on their actions within six months of
  publication.") and a numbered list 1-6: 1 and 6 "The Board should seek
  assurance ..." (1 FROM the council, the health board and the police), 2
  Powys Teaching Health Board (to agree with Hywel Dda and English NHS
  trusts), 3 Powys County Council, 4 Dyfed-Powys Police, 5 jointly the
  health board and the council;
- "5. Statement by Reviewer" (one reviewer: the template's lead-in ending
  on a colon, four bullets, and ONE SIGNATURE LINE "Reviewer (Signature): C.
  Pennant Name (Print): Dr Carys Pennant Date: 16/06/2025"), "6. Statement
  by Review Panel Chair" (its own line, 27/06/2025); no appendix.

Its labels (`pcpr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 107
passages, 15 practice, 6 recommendation (the six numbered items), 86
other. As the earlier modules': practice where the reviewers present some
practice as good, however implicitly or mixed with criticism. Codes: 3.3
the officers' DASH, PNC check and same-day PPN ("thorough and timely") Risk
assessment; 3.4 the health visitor who asked the man who he was and
recorded him ("professional curiosity") Risk assessment; 3.5 the midwife's
routine enquiry "as the health board's ... policy requires" Adhering to
policy and procedure; 3.10 and 3.18 "It would have been good practice ..."
Suggested good practice; 3.14 the personal adviser's weekly visits and
lifts, with the mother's words, Positive working relationships; 3.15 the
midwife's continuity ("good practice") Consistent care and support; 3.16
the GP who saw the mother the same day (implicit) Consistent care and
support; 3.24 the health visitor who followed the All Wales practice guide
on bruising Adhering to policy and procedure; 3.25 the strategy discussion
within 24 hours "in line with the Wales Safeguarding Procedures" Adhering to
policy and procedure; 3.26 the ambulance crew's record and safeguarding
report, the emergency department's referral within the hour Escalating
concerns; 3.27 the kinship carer approved in three days and visited weekly
Consistent care and support; 4.1-4.3 the actions already taken Learning
from past reviews. Other: the cover, the outline, the review process, the
family's words (the mother's praise of the midwife and her PA too: her
view, in the process section, not the reviewer's finding), the chronology,
the learning's preamble (3.1, 3.2 "many of them worked hard ...": a
hindsight caveat), every "What could have been better?" paragraph but the
two "would have been good practice", the nine learning statements, the
headings, the section's lead-in, the recommendations' lead-in, the
statements.

What a user would expect of its identity, decided before the reading: type
CPR, concise; board Powys (the board the cover names, in English and Welsh:
not folded into Mid and West Wales, and not none); year 2025; identifier in
the board's own numbering, CPR 2025 number 2 with the board (e.g.
"CPR2025-02/PRSB"), NOT the national Welsh series "CPR2025-W02", whose
number it is not; dates: index incident 2024-09-09 (the 999 call and
admission, not the bruise of 10 June 2024 nor the arrest of 10 September),
referral 2024-10-03 (referred to the Case Review Group; the Group
considered it 17 October, the Chair confirmed 24 October), period
2023-09-01 to 2024-09-09, learning event 2025-03-11 (the "practitioner
event"), sign-off 2025-06-16 (the reviewer's line, not the panel chair's
27/06/2025), publication 2025-09-29 (not the final report to the Board, 10
July 2025). Recommendations: six records numbered 1-6, nothing from the
learning statements; addressees 1 and 6 the Powys Regional Safeguarding
Board (not the bodies it seeks assurance from), 2 Powys Teaching Health
Board (not Hywel Dda, with which it is to agree), 3 Powys County Council, 4
Dyfed-Powys Police, 5 the health board and the council.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt14
as it was, HEAD 917c91e; STORFA_INT8=u8; by the machine's clock the session
began 02:31:23, the document and the labels were written 02:33:52-02:33:59
and copied into tests/data together in one `cp` 02:34:01, this module
written before any reading, storfa first run 02:35:06-02:35:27: 76 passed,
2 skipped, 20 failed, the same ten tests in each reading; the register,
identity and suggestions printed 02:35:38-02:35:55, the near misses
02:36:09-02:36:21, on the same tree), the same from the Markdown and from the
PDF in every figure:

- segmentation: both read as written, 107 passages; the twelve theme and
  question headings in order, the 35 numbered paragraphs each a passage;
- identity: type CPR, concise, year 2025, right; board WRONG in form:
  "Powys Regional Safeguarding Board", the cover's full name as it stands
  (right: "Powys", named as the six boards are, without "Regional
  Safeguarding Board"; it is neither none nor folded into Mid and West
  Wales); identifier and key WRONG: CPR2025-W02, "PRSB CPR 2/2025" read as
  the national Welsh series (right: the board's own, e.g. CPR2025-02/PRSB:
  the abbreviation PRSB is not in storfa's list, so only "CPR 2/2025" was
  read, as the GCPR's "CPR 3/2025" was). Dates: index incident 2024-09-09,
  period 2023-09-01 to 2024-09-09, learning event 2025-03-11 (the
  "practitioner event"), sign-off 2025-06-16 (the reviewer's line, not the
  chair's), publication 2025-09-29, all right; referral WRONG: 2024-10-17,
  the day "The Group considered the referral" (right: 2024-10-03, the day
  the council referred the case to the Case Review Group);
- recommendations: the six found, numbered 1-6, every addressee right (1
  and 6 ['Powys Regional Safeguarding Board'], not the bodies 1 seeks
  assurance from; 2 ['Powys Teaching Health Board'], not Hywel Dda; 3 the
  council; 4 the police; 5 the health board and the council); but EIGHT
  EXTRA records, every learning statement under the three "What needs to
  change?" headings, numbered as their paragraphs: 3.11, 3.12, 3.13, 3.22,
  3.23, 3.33, 3.34, 3.35 (addressees [] five times, ['health visiting']
  for 3.12 and 3.35, ['Powys County Council', 'Dyfed-Powys Police'] for
  3.13 "checks with the police force and local authority there should be
  a routine part of assessment"): 8 beyond the labels, over the judged bar
  of 2. Nothing else: not the recommendations' lead-in ("... should report
  ..."), not "It would have been good practice", not the actions already
  taken, not the reviewer's statement;
- auto-coding at the single-case threshold (0.49 as reported): 15
  suggestions, 15 of the 15 practice paragraphs, precision 1.00, recall
  1.00; nothing wrong, nothing missed (the lowest: 3.25 0.69, 3.24 0.80,
  3.10 0.85; the nearest misses on other passages: the mother's words "P's
  mother said that she had wanted to be a good mum ..." 0.40, the section's
  lead-in "In order to promote the learning ..." 0.32, "She also said: 'The
  midwife and my PA were brilliant ...'" 0.22). The same sub-theme as the
  label on 7 of 15, the same theme on 8 of 15 (0.53, under the 0.70 bar).
  Themes that differ (7): 3.3 the officers' DASH and PNC check -> Record
  keeping 0.97 (Risk assessment); 3.4 the health visitor who asked and
  recorded -> Record keeping 0.92 (Risk assessment); 3.5 the midwife's
  routine enquiry -> Risk assessment 0.99 (Adhering to policy and
  procedure); 3.16 the GP the same day -> Escalating concerns 0.98
  (Consistent care and support); 3.24 the health visitor following the
  practice guide -> Risk assessment 0.80 (Adhering to policy and
  procedure); 3.26 the ambulance crew and the emergency department ->
  Record keeping 0.89 (Escalating concerns); 4.1 the Front Door's changed
  procedure -> Adhering to policy and procedure 0.99 (Learning from past
  reviews). Within the theme: 3.27 the kinship carer -> Positive working
  relationships 0.99 (Consistent care and support). Right: both "would have
  been good practice" (Suggested good practice, 0.85, 0.99), the personal
  adviser (Positive working relationships 0.99), the midwife's continuity
  (Consistent care and support 1.00), the strategy discussion (Adhering to
  policy and procedure 0.69), 4.2 and 4.3 (Learning from past reviews
  0.99). Nothing suggested on the cover, a heading, the outline, the review
  process, the family's words, the chronology, the preamble, a "What could
  have been better?" paragraph other than the two "would have been", a
  learning statement, a lead-in, a recommendation or the statements.

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the board named
from the cover; the identifier's type, year and number; no record from the
rest of the learning; 4.2 and 4.3 coded as changes since; the themes that
agree), and the xfails for what storfa got wrong. On the frozen tree
(02:36:54-02:37:11) the module gave 90 passed, 2 skipped, 20 xfailed.

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

from storfa.coding import load_codebook
from storfa.domain.ids import parse_review_id
from written import (
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identity,
    labelled_records,
    lead_ins,
    never_suggested,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-pcpr"
DOCUMENT = DATA / "pcpr-written-2026.md"
NUMBERING = "PRSB CPR 2/2025"  # on the cover: board, type, number/year
BOARD = "Powys Regional Safeguarding Board"
HEALTH_BOARD = "Powys Teaching Health Board"
COUNCIL = "Powys County Council"
POLICE = "Dyfed-Powys Police"
RECOMMENDATIONS = (
    "1. The Board should seek assurance from",
    "2. Powys Teaching Health Board should agree",
    "3. Powys County Council should ensure",
    "4. Dyfed-Powys Police should ensure",
    "5. Powys Teaching Health Board and Powys County Council",
    "6. The Board should seek assurance that",
)
ADDRESSEES = {
    "1": {BOARD}, "2": {HEALTH_BOARD}, "3": {COUNCIL}, "4": {POLICE},
    "5": {HEALTH_BOARD, COUNCIL}, "6": {BOARD},
}
OUTLINE = "1. Brief outline of circumstances resulting in the Review"
PROCESS = "2. The review process"
LEARNING = "3. Practice and organisational learning"
SYSTEMS = "4. Improving Systems and Practice"
STATEMENT = "5. Statement by Reviewer"
WENT_WELL = "What went well?"
BETTER = "What could have been better?"
CHANGE = "What needs to change?"

_THEMES = (
    "same theme on 8 of 15 (0.53), both readings: 3.3 the officers' DASH and PNC check -> "
    "Record keeping 0.97 (Risk assessment), 3.4 the health visitor who asked the man who he "
    "was -> Record keeping 0.92 (Risk assessment), 3.5 the midwife's routine enquiry 'as "
    "the health board's ... policy requires' -> Risk assessment 0.99 (Adhering to policy "
    "and procedure), 3.16 the GP who saw the mother the same day -> Escalating concerns 0.98 "
    "(Consistent care and support), 3.24 the health visitor who followed the practice guide "
    "on bruising -> Risk assessment 0.80 (Adhering to policy and procedure), 3.26 the "
    "ambulance crew's report and the emergency department's referral -> Record keeping "
    "0.89 (Escalating concerns), 4.1 the Front Door's changed procedure -> Adhering to "
    "policy and procedure 0.99 (Learning from past reviews)")


read = reading(DOCUMENT, DATA / "pcpr-written-2026.tsv", "written-pcpr")


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the outline's heading.
    (outline,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == OUTLINE]
    return set(range(outline))


def _statements(read: Read) -> set[int]:
    (start,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == STATEMENT]
    return set(range(start, len(read.passages)))


def _under(read: Read, text: str) -> set[int]:
    """The passages under every heading `text` (repeated once per theme), to
    the next heading."""
    found: set[int] = set()
    inside = False
    for p in read.passages:
        if p.kind == "heading":
            inside = p.text == text
        elif inside:
            found.add(p.seq)
    return found


def _paragraphs(read: Read, *numbers: str) -> set[int]:
    return opened_by(read, *(f"{n} " for n in numbers))


def _not_suggested(read: Read, *numbers: str) -> None:
    seqs = _paragraphs(read, *numbers)
    assert seqs <= read.seqs("other")
    wrong = sorted(seqs & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def _suggested(read: Read, *numbers: str) -> None:
    seqs = _paragraphs(read, *numbers)
    assert seqs <= read.seqs("practice")
    missed = sorted(seqs - read.suggested.keys())
    assert not missed, [(read.text(s)[:60], round(read.confidence.get(s, 0.0), 2))
                        for s in missed]


def _coded(read: Read, number: str, code: str) -> None:
    (seq,) = _paragraphs(read, number)
    assert read.suggested.get(seq, [("", 0.0)])[0][0] == code, \
        (read.suggested.get(seq), round(read.confidence.get(seq, 0.0), 2))


def _addressees(read: Read) -> dict[str, list[set[str]]]:
    found: dict[str, list[set[str]]] = {}
    for r in labelled_records(read):
        found.setdefault(r.number, []).append(set(r.agencies))
    return found


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 107, 15, 6, 86)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_each_theme_asks_the_same_three_questions(read: Read) -> None:
    found = [p.text for p in read.passages if p.kind == "heading"
             and (p.text.startswith("Theme ") or p.text in (WENT_WELL, BETTER, CHANGE))]
    assert [t.split(":")[0] for t in found] == \
        ["Theme 1", WENT_WELL, BETTER, CHANGE, "Theme 2", WENT_WELL, BETTER, CHANGE,
         "Theme 3", WENT_WELL, BETTER, CHANGE], found


def test_each_numbered_paragraph_is_a_passage_of_its_own(read: Read) -> None:
    numbered = [read.text(p.seq).split(" ")[0] for p in read.passages
                if re.match(r"3\.\d+ ", read.text(p.seq))]
    assert numbered == [f"3.{n}" for n in range(1, 36)], numbered


def test_the_questions_hold_their_paragraphs(read: Read) -> None:
    # 10 paragraphs of what went well, 15 of what could have been better, 8
    # learning statements.
    assert (len(_under(read, WENT_WELL)), len(_under(read, BETTER)),
            len(_under(read, CHANGE))) == (10, 15, 8)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_and_variant(read: Read) -> None:
    identity(read, type="CPR", variant="concise")


@pytest.mark.xfail(strict=True, reason=(
    "board 'Powys Regional Safeguarding Board', both readings: the cover's full name as it "
    "stands, unnormalised (the board is not one of the six storfa knows); right: 'Powys', "
    "named as the other boards are ('Gwent', 'Cwm Taf Morgannwg'), without 'Regional "
    "Safeguarding Board'"))
def test_the_cover_gives_the_board(read: Read) -> None:
    # "Powys Regional Safeguarding Board", "Bwrdd Diogelu Rhanbarthol Powys".
    identity(read, board="Powys")


def test_the_board_is_the_covers_not_another(read: Read) -> None:
    # Read from the cover: not none, and not folded into Mid and West Wales.
    board = identity(read).board
    assert board and "Powys" in board and "Mid and West" not in board, board


def test_the_year_is_the_reports(read: Read) -> None:
    identity(read, year=2025)


def test_the_identifier_reads_type_year_and_number(read: Read) -> None:
    # "PRSB CPR 2/2025": CPR, 2025, number 2.
    s = identity(read)
    found = parse_review_id(s.identifier or "")
    assert (found.type, found.year, found.seq) == ("CPR", 2025, 2), s.identifier


@pytest.mark.xfail(strict=True, reason=(
    "identifier and key CPR2025-W02, both readings: 'PRSB CPR 2/2025' read as the national "
    "Welsh series, the board's abbreviation PRSB not being one storfa knows (only 'CPR "
    "2/2025' read, as the GCPR's 'CPR 3/2025'); right: the board's own numbering, CPR 2025 "
    "number 2 of the Powys board (e.g. CPR2025-02/PRSB), not a national number it is not"))
def test_the_identifier_is_the_boards_numbering(read: Read) -> None:
    # Not the national Welsh series ("CPR2025-W02"), whose number it is not.
    s = identity(read)
    assert s.identifier and "-W" not in s.identifier, s.identifier


def test_the_key_is_the_identifier(read: Read) -> None:
    assert read.summary.review_id == read.summary.identifier, \
        (read.summary.review_id, read.summary.identifier)


def test_the_index_incident_is_the_head_injury(read: Read) -> None:
    # "On the evening of 9 September 2024 P's father called 999 ..."; not the
    # bruise of 10 June 2024, nor the arrest on 10 September.
    assert read.summary.dates.get("index_incident") == "2024-09-09", read.summary.dates


# First reading, since fixed (the referral act's date, not the group's consideration of it
# ('considered the referral' a plain cue)): referral 2024-10-17, both readings: the day 'The
# Group considered the referral on 17 October 2024'; right: 2024-10-03, 'The case was referred
# to the Board's Case Review Group by Powys County Council on 3 October 2024' (the referral to
# the sub-group, from which the six months are measured)
def test_the_referral_is_to_the_case_review_group(read: Read) -> None:
    # "referred to the Board's Case Review Group by Powys County Council on 3
    # October 2024. The Group considered the referral on 17 October 2024 ...".
    assert read.summary.dates.get("referral") == "2024-10-03", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 1 September 2023 ... to 9 September 2024."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-09-01", "2024-09-09"), dates


def test_the_practitioner_event_is_the_learning_event(read: Read) -> None:
    # "A practitioner event was held in Llandrindod Wells on 11 March 2025."
    assert read.summary.dates.get("learning_event") == "2025-03-11", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # "Reviewer (Signature): ... Date: 16/06/2025"; the panel chair's 27/06/2025
    # is not the reviewer's.
    assert read.summary.dates.get("sign_off") == "2025-06-16", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Date of publication: 29 September 2025" (not the final report to the
    # Board, 10 July 2025).
    assert read.summary.dates.get("publication") == "2025-09-29", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_six(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == ["1", "2", "3", "4", "5", "6"]


# First reading, since fixed: eight records beyond the labels, both readings: every learning
# statement under the three 'What needs to change?' headings is recorded as a recommendation
# numbered as its paragraph, 3.11, 3.12, 3.13, 3.22, 3.23, 3.33, 3.34, 3.35 ('3.11 Practitioners
# need to know who lives in ...' to [], '3.13 Where a parent or partner has lived in England,
# checks ... should be a routine part of assessment' to ['Powys County Council', 'Dyfed-Powys
# Police'], '3.35 A missed immunisation ... should be treated as a warning sign' to ['health
# visiting']); right: none, they are the learning, and the report's six recommendations come in
# their own section, 'Recommendations', numbered 1-6
def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a learning statement ("... should be a routine part of assessment"),
    # not "It would have been good practice", not the recommendations' lead-in
    # ("... should report on their actions ..."), not the reviewer's statement.
    records_beyond_the_labels(read, 0)


# First reading, since fixed: eight records beyond the labels, both readings: every learning
# statement under the three 'What needs to change?' headings is recorded as a recommendation
# numbered as its paragraph, 3.11, 3.12, 3.13, 3.22, 3.23, 3.33, 3.34, 3.35 ('3.11 Practitioners
# need to know who lives in ...' to [], '3.13 Where a parent or partner has lived in England,
# checks ... should be a routine part of assessment' to ['Powys County Council', 'Dyfed-Powys
# Police'], '3.35 A missed immunisation ... should be treated as a warning sign' to ['health
# visiting']); right: none, they are the learning, and the report's six recommendations come in
# their own section, 'Recommendations', numbered 1-6
def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


# First reading, since fixed: eight records beyond the labels, both readings: every learning
# statement under the three 'What needs to change?' headings is recorded as a recommendation
# numbered as its paragraph, 3.11, 3.12, 3.13, 3.22, 3.23, 3.33, 3.34, 3.35 ('3.11 Practitioners
# need to know who lives in ...' to [], '3.13 Where a parent or partner has lived in England,
# checks ... should be a routine part of assessment' to ['Powys County Council', 'Dyfed-Powys
# Police'], '3.35 A missed immunisation ... should be treated as a warning sign' to ['health
# visiting']); right: none, they are the learning, and the report's six recommendations come in
# their own section, 'Recommendations', numbered 1-6
def test_no_record_from_what_needs_to_change(read: Read) -> None:
    # The learning statements under each "What needs to change?".
    statements = _under(read, CHANGE)
    assert len(statements) == 8
    wrong = sorted(read.covered & statements)
    assert not wrong, [read.text(s)[:60] for s in wrong]


def test_nothing_beyond_the_labels_but_the_learning_statements(read: Read) -> None:
    # What else was recorded, if anything, is a learning statement.
    extra = {seq for seq, _ in read.recommendations} - read.seqs("recommendation")
    assert extra <= _under(read, CHANGE), [read.text(s)[:60] for s in sorted(extra)]


def test_no_record_from_the_rest_of_the_learning(read: Read) -> None:
    # Not what went well, what could have been better (with its two "would
    # have been good practice"), the preamble or a heading.
    rest = between(read, LEARNING, SYSTEMS) - _under(read, CHANGE)
    assert len(rest) == 39
    wrong = sorted(read.covered & rest)
    assert not wrong, [read.text(s)[:60] for s in wrong]


# First reading, since fixed: eight records beyond the labels, both readings: every learning
# statement under the three 'What needs to change?' headings is recorded as a recommendation
# numbered as its paragraph, 3.11, 3.12, 3.13, 3.22, 3.23, 3.33, 3.34, 3.35 ('3.11 Practitioners
# need to know who lives in ...' to [], '3.13 Where a parent or partner has lived in England,
# checks ... should be a routine part of assessment' to ['Powys County Council', 'Dyfed-Powys
# Police'], '3.35 A missed immunisation ... should be treated as a warning sign' to ['health
# visiting']); right: none, they are the learning, and the report's six recommendations come in
# their own section, 'Recommendations', numbered 1-6
def test_no_record_from_the_outline_learning_or_statements(read: Read) -> None:
    for what, seqs in (("outline and process", between(read, OUTLINE, LEARNING)),
                       ("learning", between(read, LEARNING, SYSTEMS)),
                       ("actions already taken", _paragraphs(read, "4.1", "4.2", "4.3")),
                       ("statements", _statements(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # 1 seeks assurance FROM the council, the health board and the police: they
    # are not its addressees.
    found = _addressees(read)
    assert {n: found.get(n) for n in ("1", "6")} == {"1": [{BOARD}], "6": [{BOARD}]}, found


def test_the_health_boards_recommendation_is_the_health_boards(read: Read) -> None:
    # Not Hywel Dda, with which it is to agree.
    assert _addressees(read).get("2") == [{HEALTH_BOARD}], _addressees(read)


def test_the_councils_recommendation_is_the_councils(read: Read) -> None:
    assert _addressees(read).get("3") == [{COUNCIL}], _addressees(read)


def test_the_polices_recommendation_is_the_polices(read: Read) -> None:
    assert _addressees(read).get("4") == [{POLICE}], _addressees(read)


def test_the_joint_recommendation_names_both(read: Read) -> None:
    assert _addressees(read).get("5") == [{HEALTH_BOARD, COUNCIL}], _addressees(read)


def test_every_addressee(read: Read) -> None:
    found = _addressees(read)
    assert found == {n: [a] for n, a in ADDRESSEES.items()}, found


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 8 of 15 (0.53), both readings: 3.3 the officers'
# DASH and PNC check -> Record keeping 0.97 (Risk assessment), 3.4 the health visitor who asked
# the man who he was -> Record keeping 0.92 (Risk assessment), 3.5 the midwife's routine enquiry
# 'as the health board's ... policy requires' -> Risk assessment 0.99 (Adhering to policy and
# procedure), 3.16 the GP who saw the mother the same day -> Escalating concerns 0.98
# (Consistent care and support), 3.24 the health visitor who followed the practice guide on
# bruising -> Risk assessment 0.80 (Adhering to policy and procedure), 3.26 the ambulance crew's
# report and the emergency department's referral -> Record keeping 0.89 (Escalating concerns),
# 4.1 the Front Door's changed procedure -> Adhering to policy and procedure 0.99 (Learning from
# past reviews)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_themes_that_agree(read: Read) -> None:
    # Both "would have been good practice", the personal adviser, the midwife's
    # continuity, the strategy discussion, the kinship carer (Positive working
    # relationships, the same theme), 4.2 and 4.3.
    book = load_codebook("best-practice")
    codes = {i.passage.seq: i.label.code for i in read.labelled}
    held = _paragraphs(read, "3.10", "3.14", "3.15", "3.18", "3.25", "3.27", "4.2", "4.3")
    wrong = [(read.text(s)[:40], read.suggested.get(s), codes[s]) for s in sorted(held)
             if s not in read.suggested
             or book.code(read.suggested[s][0][0]).theme != book.code(codes[s]).theme]
    assert not wrong, wrong


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "outline": between(read, OUTLINE, PROCESS),
        "review process, family and chronology": between(read, PROCESS, LEARNING),
        "statements": _statements(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_a_learning_statement(read: Read) -> None:
    statements = _under(read, CHANGE)
    assert statements <= read.seqs("other") and len(statements) == 8
    never_suggested(read, {"what needs to change": statements})


def test_auto_coding_never_suggests_the_mothers_praise_of_her_midwife_and_pa(
        read: Read) -> None:
    # Her view, in the review process: "The midwife and my PA were brilliant ...
    # But after P was born it was a different health visitor every time".
    seqs = opened_by(read, "She also said:", "P's mother said that")
    assert seqs <= read.seqs("other")
    never_suggested(read, {"the mother's words": seqs})


def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    # 3.1 the layout; 3.2 hindsight ("many of them worked hard for this family").
    _not_suggested(read, "3.1", "3.2")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    # 3.8 "The reviewer understands that pressure. However ..."; 3.19 "the
    # reviewer agrees. But ..."; 3.31 "in line with its policy, but ..."; 3.32
    # "The reviewer recognises these conditions, but ...".
    _not_suggested(read, "3.8", "3.19", "3.31", "3.32")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    _not_suggested(read, "3.6", "3.7", "3.9", "3.17", "3.20", "3.21", "3.28", "3.29", "3.30")


def test_auto_coding_does_not_suggest_anything_else_that_could_have_been_better(
        read: Read) -> None:
    # All but the two "It would have been good practice".
    other = _under(read, BETTER) & read.seqs("other")
    assert len(other) == 13
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_sections_lead_ins(read: Read) -> None:
    seqs = opened_by(read, "In order to promote the learning", "The reviewer makes six")
    assert seqs <= read.seqs("other")
    never_suggested(read, {"lead-ins": seqs})


def test_auto_coding_finds_everything_that_went_well(read: Read) -> None:
    went_well = _under(read, WENT_WELL)
    assert went_well <= read.seqs("practice") and len(went_well) == 10
    all_suggested(read, went_well)


def test_auto_coding_finds_practice_the_reviewer_names_as_good(read: Read) -> None:
    # "thorough and timely", "professional curiosity", "good practice", "in line with".
    _suggested(read, "3.3", "3.4", "3.15", "3.25")


def test_auto_coding_finds_practice_as_policy_requires(read: Read) -> None:
    # "as the health board's routine enquiry policy requires"; "She followed the
    # All Wales practice guide".
    _suggested(read, "3.5", "3.24")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The personal adviser; the GP the same day; the ambulance crew and the
    # emergency department; the kinship carer approved in three days.
    _suggested(read, "3.14", "3.16", "3.26", "3.27")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    found = _paragraphs(read, "3.10", "3.18")
    assert found <= read.seqs("practice")
    all_suggested(read, found)
    assert {read.suggested[s][0][0] for s in found} == {"Suggested good practice"}


def test_auto_coding_finds_the_actions_already_taken(read: Read) -> None:
    _suggested(read, "4.1", "4.2", "4.3")


def test_auto_coding_reads_the_health_boards_and_the_polices_changes_as_such(
        read: Read) -> None:
    for number in ("4.2", "4.3"):
        _coded(read, number, "Learning from past reviews")


# First reading, since fixed: '4.1 Since the referral, Powys County Council's Front Door has
# changed its procedure so that every PPN concerning a household with a child under one is
# passed to a social worker for a fuller assessment ...' is read as Adhering to policy and
# procedure (0.99), both readings; right: Learning from past reviews, a change made since, under
# 'Actions already taken' (a changed procedure, not one followed)
def test_auto_coding_reads_the_councils_change_as_one(read: Read) -> None:
    _coded(read, "4.1", "Learning from past reviews")
