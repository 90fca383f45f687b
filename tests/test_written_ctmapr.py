"""A twenty-third whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Concise Adult Practice Review in the current template whose
learning is five numbered "Learning points", each a bold run-in statement
followed by paragraphs of analysis, of the single-case auto-coding
threshold and the document-reading rules chosen on the written reviews
before it.

`tests/data/written-ctmapr/ctmapr-written-2026.md` is a WRITTEN Concise
Adult Practice Review (fictional: no real case or person) for the Cwm Taf
Morgannwg Safeguarding Board, about Adult W, 52, with a moderate learning
disability and type 1 diabetes, who lived in a shared supported living
house in Merthyr Tydfil with 24-hour support from a provider, Glan Nant
Support Ltd, and died on 14 March 2023 of a hypoglycaemic brain injury: his
long-acting insulin had been cut from 24 to 18 units on the ward in
November 2022, the discharge summary went to the GP only, and the provider
kept giving 24 units. Medication management by support workers, hospital
discharge, annual health checks and the community learning disability
team's communication with the provider run through it. Where it differs
from the written reviews before it (the CAPR's, also Cwm Taf Morgannwg, the
nearest):

- the cover: the board's name, its Welsh name "Bwrdd Diogelu Cwm Taf
  Morgannwg", "Adult Practice Review Report" (the only level-1 heading),
  "Concise Review", the board's numbering "CTMSB APR 1/2024" (BOARD, TYPE,
  number/year, the order the NAPR's "NWSB APR 02/2024" used), "Re: Adult
  W", "Date of final report to the Board: 21 March 2024", "Date of
  publication: 19 June 2024"; no contents;
- the current template's headings, numbered, paragraphs unnumbered: "1.
  Brief outline of circumstances resulting in the Review" (the commissioning
  paragraph, the story in three paragraphs, who W was with his sister's
  words, the period with its reason, the sister's quoted view, the learning
  event), "2. Practice and organisational learning", "3. Improving Systems
  and Practice", "4. Statement by Reviewer(s)", "5. Statement by Review
  Panel Chair", "Appendix 1: Terms of reference and summary timeline";
- the learning as FIVE BOLD RUN-IN "Learning point n:" paragraphs (each a
  sentence of what practitioners need to do; no sub-headings), each followed
  by four to seven paragraphs of analysis mixing good practice stated
  plainly ("The review found that ... was good practice", "well managed",
  "prompt", "a proportionate and timely response"), practice stated through
  what was done (a support worker's email to her manager; a nurse's pictures
  and role-play; a service manager's two calls and an email), poor practice,
  facts, two concessions ("The reviewers accept that ... But ...", "The
  reviewers recognise the pressure ..., but ..."), one "It would have been
  good practice ...", two changes since (the provider's, the health
  board's), what support workers said at the learning event, ONE PARAGRAPH
  QUOTING THE WALES SAFEGUARDING PROCEDURES ('a practitioner who "has
  reasonable cause to suspect that an adult is at risk" must report it')
  and applying it to a report not made, the sister's words in the outline
  and in the learning; then "Good practice" as a sub-heading over ONE short
  paragraph restating five findings;
- "Recommendations" under the template's lead-in (ending on a colon) as a
  Markdown numbered list 1-5 where 1 and 3 are lead-ins ending "that:" with
  NESTED BULLETS (three and two): 1 to three named councils, 2-4 to the
  health board (3 "and the three local authorities"), 5 "The Board should
  publish ...";
- the reviewers' statement as one paragraph and a SIGNATURE TABLE with an
  empty first header cell ("| | Reviewer 1 | Reviewer 2 |", rows
  "Signature", "Name (Print)", "Date | 15/02/2024 | 15/02/2024"); the panel
  chair's statement and one signature line (29/02/2024); the appendix: the
  terms of reference as a lead-in and four bullets, and a summary timeline
  table "Date | Agency | Event" of seven rows.

Its labels (`ctmapr-written-2026.tsv`, storfa.coding.wholedoc's format)
were set by hand, passage by passage, before storfa was run on it: 90
passages, 14 practice, 10 recommendation (the five numbered items, the two
lead-ins among them, and the five nested bullets, as the GCPR's lettered
parts), 66 other. As the earlier modules': practice where the reviewers
present some practice as good, however implicitly or mixed with criticism.
Codes: the two-staff check against the MAR "good practice ... completed
without gaps" Record keeping; the support worker's email to her manager
Escalating concerns; the provider's insulin module since and the health
board's discharge policy since Learning from past reviews; the hospital
liaison nurse's reasonable adjustments ("well managed ... good practice")
Effective communication; "It would have been good practice ..." Suggested
good practice; the annual health check of March 2022 ("good practice":
easy-read invitation, double appointment, sister invited) Effective
communication; the GP's "proportionate and timely response" Risk
assessment; the learning disability nurse's eight visits Positive working
relationships; her training session Support and training for
practitioners; the service manager's calls and email Consistent and
persistent communication; the response after the death ("prompt ... in line
with the Wales Safeguarding Procedures") Adhering to policy and procedure;
the sister told in person by the adult safeguarding team (borderline:
praised through her words) Effective communication; the "Good practice"
paragraph Positive working relationships, by its first finding. Other: the
cover, the outline (the sister's words), the learning's preamble, the five
learning points, the poor practice, facts and concessions, the Procedures'
quotation, what support workers said, the headings, the template's lead-in,
the statements and the appendix.

What a user would expect of its identity, decided before the reading: type
APR, concise, board Cwm Taf Morgannwg, identifier APR2024-01/CTM, year
2024; dates: index incident 2023-03-14 (the death, not the admission of 14
November 2022), referral 2023-04-20, period 2022-03-01 to 2023-03-14,
learning event 2023-10-12, sign-off 2024-02-15 (the reviewers' table, not
the chair's 29/02/2024), publication 2024-06-19.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt13
as it was, HEAD fb28f56; STORFA_INT8=u8; by the machine's clock the session
began 00:19:23, the labels were written 00:21:26 and copied into tests/data
with the document in one `cp` 00:21:27, this module written before any
reading, storfa first run 00:22:17-00:22:35; the records' texts, the PDF's
passages and the near misses printed 00:22:51-00:23:08, and the metadata's
evidence at 00:23, on the same tree), the same from the Markdown and from
the PDF unless said:

- segmentation: the Markdown as written (90); the PDF 90 passages, all as
  written but the reviewers' signature table's first two rows: its header
  "| | Reviewer 1 | Reviewer 2 |" (empty first cell) read as the paragraph
  "| Reviewer Reviewer 2 1" and "Signature | C. Morgan | H. Rees" as the
  paragraph "Signature C. Morgan H. Rees"; the "Name (Print)" and "Date"
  rows are table rows as written;
- identity: APR2024-01/CTM (key and identifier), APR, concise, Cwm Taf
  Morgannwg, 2024, all right; referral 2023-04-20, learning event
  2023-10-12, period 2022-03-01 to 2023-03-14, sign-off 2024-02-15 (0.51,
  from the table's "Date" row), publication 2024-06-19, all right; index
  incident WRONG: 2022-11-14, from the outline's "W was admitted to Prince
  Charles Hospital on 14 November 2022 after a hypoglycaemic episode and a
  fall at his day service." (right: 2023-03-14, "On the morning of 14 March
  2023 a support worker found W unresponsive ... where he died that
  afternoon.", the next paragraph);
- recommendations: 8 records, numbered 1a, 1b, 1c, 2, 3a, 3b, 4, 5, each
  nested bullet a record completed by its lead-in ("... should ensure that
  every provider ... who uses insulin has a medication policy ..."), every
  recommendation passage read, nothing extra (no learning point, not the
  Procedures' "must report", not "It would have been good practice", not
  the template's lead-in, not the terms of reference). Addressees: 1a-1c the
  three councils, 2 and 4 the health board, 5 the Cwm Taf Morgannwg
  Safeguarding Board, right; 3a and 3b ['Cwm Taf Morgannwg University Health
  Board', 'local authority'] (right: the health board and the three
  councils recommendation 1 names). No due dates (2's "within six months"
  is relative);
- auto-coding at the single-case threshold (0.49 as reported): 14
  suggestions, 12 of the 14 practice passages, precision 0.86, recall 0.86;
  the same sub-theme as the label on 5 of 12, the same theme on 7 of 12
  (0.58, under the 0.70 bar). Wrong (2), both the discharge as it happened,
  in learning point 2: "W was discharged at 7.30pm on a Friday, by taxi.
  The discharge summary ... was sent electronically to the GP practice. No
  copy went with W ..." (Record keeping, 0.96) and "The diabetes team
  reviewed W on the ward and reduced his evening dose ... there is no record
  that it was explained to anyone from the provider." (Record keeping,
  0.50). Missed (2): "The response after W's death was prompt. The
  ambulance crew made an adult at risk report ... This was in line with the
  Wales Safeguarding Procedures. ..." (0.46) and the service manager's
  "telephoned the duty worker on 20 January and on 24 January and followed
  the second call with an email" (0.06: the paragraph opens on the
  request screened out). Themes that differ (5): the support worker's email
  to her manager -> Consistent and persistent communication (0.96;
  Escalating concerns), the liaison nurse -> Consistent care and support
  (0.99; Effective communication), the annual health check -> Consistent
  care and support (1.00; Effective communication), the GP's response ->
  Adhering to policy and procedure (0.68; Risk assessment), the "Good
  practice" paragraph -> Learning from past reviews (0.99; Positive working
  relationships); within the theme: the two-staff MAR check -> Adhering to
  policy and procedure (0.88; Record keeping), the training session ->
  Consistent care and support (0.55; Support and training for
  practitioners). Right: both changes since (Learning from past reviews,
  0.86, 0.94), "It would have been good practice" (Suggested good practice,
  1.00), the nurse's eight visits (0.91), the sister told in person (0.92).
  Nothing suggested on the cover, a heading, the outline, a learning point,
  the preamble, the Procedures' quotation, the concessions, what support
  workers said, the lead-ins, a recommendation, the statements or the
  appendix; near misses under the threshold: the response after the death
  (0.46) and the outline's sister's quoted view (other, 0.46).

After the first reading only this module changed, not the document or the
labels: the segmentation tests split by reading with a PDF test of what
reads as written, the tests that found a fault split from what held, a test
of the themes that differ, and the xfails for what storfa got wrong. On the
frozen tree (00:24) and from /work/main with its own src/ (00:25) the module
gave the same: 80 passed, 3 skipped, 19 xfailed.

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
    Read,
    all_suggested,
    between,
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

DATA = Path(__file__).resolve().parent / "data" / "written-ctmapr"
DOCUMENT = DATA / "ctmapr-written-2026.md"
NUMBERING = "CTMSB APR 1/2024"  # on the cover: board, type, number/year
IDENTIFIER = "APR2024-01/CTM"
OWN_BOARD = ("Cwm Taf Morgannwg Safeguarding Board",)
COUNCILS = ["Merthyr Tydfil County Borough Council", "Rhondda Cynon Taf County Borough Council",
            "Bridgend County Borough Council"]
HEALTH_BOARD = "Cwm Taf Morgannwg University Health Board"
RECOMMENDATIONS = (
    "1. Merthyr Tydfil County Borough Council, Rhondda Cynon Taf",
    "2. Cwm Taf Morgannwg University Health Board should report",
    "3. Cwm Taf Morgannwg University Health Board and the three",
    "4. Cwm Taf Morgannwg University Health Board should ensure",
    "5. The Board should publish",
)
# The bullets under recommendations 1 and 3, by their openings.
BULLETS = {
    "1": ("has a medication policy", "trains every support worker", "holds a diabetes plan"),
    "3": ("tell the provider", "respond within five working days"),
}
LEARNING = "2. Practice and organisational learning"
SYSTEMS = "3. Improving Systems and Practice"
STATEMENT = "4. Statement by Reviewer(s)"

# _PDF_TABLE, a first reading since fixed (cell borders read from a table's rules): from the
# PDF, the reviewers' signature table's first two rows are not read as written: its header '| |
# Reviewer 1 | Reviewer 2 |' (an empty first cell) read as the paragraph '| Reviewer Reviewer 2
# 1' and 'Signature | C. Morgan | H. Rees' as the paragraph 'Signature C. Morgan H. Rees'; the
# 'Name (Print)' and 'Date' rows and every other passage as written, 90 passages
_DISCHARGE = (
    "two paragraphs of the discharge as it happened (facts and poor practice, no praise) are "
    "suggested, both readings: 'W was discharged at 7.30pm on a Friday, by taxi. The "
    "discharge summary ... was sent electronically to the GP practice. No copy went with W "
    "or to the provider. ... The provider's records show no handover from the ward.' "
    "(Record keeping, 0.96) and 'The diabetes team reviewed W on the ward and reduced his "
    "evening dose ... there is no record that it was explained to anyone from the "
    "provider.' (Record keeping, 0.50)")
_THEMES = (
    "same theme on 7 of 12 (0.58), both readings: the support worker's email to her "
    "manager -> Consistent and persistent communication 0.96 (Escalating concerns), the "
    "hospital liaison nurse's reasonable adjustments -> Consistent care and support 0.99 "
    "(Effective communication), the annual health check's easy-read invitation and double "
    "appointment -> Consistent care and support 1.00 (Effective communication), the GP's "
    "'proportionate and timely response' -> Adhering to policy and procedure 0.68 (Risk "
    "assessment), the 'Good practice' paragraph -> Learning from past reviews 0.99 "
    "(Positive working relationships)")


read = reading(DOCUMENT, DATA / "ctmapr-written-2026.tsv", "written-ctmapr")


def _title_page(read: Read) -> set[int]:
    # No contents: the cover runs to the outline's heading.
    (outline,) = [p.seq for p in read.passages if p.kind == "heading"
                  and p.text.startswith("1. Brief outline")]
    return set(range(outline))


def _learning(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, LEARNING, SYSTEMS)


def _statements_and_appendix(read: Read) -> set[int]:
    return set(range(heading_at(read, STATEMENT), len(read.passages)))


def _learning_points(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Learning point ")}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 90, 14, 10, 66)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_TABLE above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_reviewers_table_as_written(read: Read) -> None:
    only(read, "pdf")
    table = set(range(heading_at(read, STATEMENT), heading_at(read, "5. Statement by "
                                                                    "Review Panel Chair")))
    wrong = [(s, t) for s, t in read.differ() if s not in table]
    assert not wrong, wrong


def test_each_learning_point_is_a_passage_of_its_own(read: Read) -> None:
    points = _learning_points(read)
    assert len(points) == 5 and points <= _learning(read)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Cwm Taf Morgannwg" is the board's name in Welsh.
    identity(read, type="APR", variant="concise", board="Cwm Taf Morgannwg")


def test_the_cover_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("APR", 2024, 1, "CTM"))


def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    found = find_board_numbered(NUMBERING, "APR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


@pytest.mark.xfail(strict=True, reason=(
    "index incident 2022-11-14, both readings, from the outline's 'W was admitted to Prince "
    "Charles Hospital on 14 November 2022 after a hypoglycaemic episode and a fall at his "
    "day service.'; right: 2023-03-14, the next paragraph's 'On the morning of 14 March "
    "2023 a support worker found W unresponsive in bed. ... where he died that afternoon.' "
    "(an earlier admission is not the incident the review is about)"))
def test_the_index_incident_is_the_death(read: Read) -> None:
    # "On the morning of 14 March 2023 ... he died that afternoon"; not the
    # admission of 14 November 2022.
    assert read.summary.dates.get("index_incident") == "2023-03-14", read.summary.dates


def test_the_referral_is_the_sub_groups(read: Read) -> None:
    # "... the Board's Case Review Sub-Group, which considered a referral from
    # Merthyr Tydfil County Borough Council on 20 April 2023" (commissioned 3 May 2023).
    assert read.summary.dates.get("referral") == "2023-04-20", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 1 March 2022 to 14 March 2023."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-03-01", "2023-03-14"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2023-10-12", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # The reviewers' table: "Date | 15/02/2024 | 15/02/2024"; the panel chair's
    # 29/02/2024 is not theirs.
    assert read.summary.dates.get("sign_off") == "2024-02-15", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Date of publication: 19 June 2024" on the cover (the final report to the
    # Board 21 March 2024 is not it).
    assert read.summary.dates.get("publication") == "2024-06-19", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_five(read: Read) -> None:
    print_register(read)
    numbers = [r.number.rstrip("abcdefg") for r in labelled_records(read)]
    assert sorted(set(numbers)) == ["1", "2", "3", "4", "5"], numbers


def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    # A recommendation with bullets is one record holding them, or a record for
    # each bullet completed by its lead-in: either way, each bullet's words are
    # in a record that names the lead-in's addressee.
    for n, bullets in BULLETS.items():
        records = records_of(read, n)
        assert records, n
        lead = RECOMMENDATIONS[int(n) - 1].split(". ", 1)[1][:30]
        for bullet in bullets:
            holding = [r for r in records if bullet in r.text]
            assert holding and all(lead in r.text for r in holding), (n, bullet,
                                                                    [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a learning point ("... need ...", "... should be ..."), not the Wales
    # Safeguarding Procedures' "must report", not "It would have been good
    # practice ...", not the template's lead-in, not the terms of reference.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_learning_or_the_appendix(read: Read) -> None:
    learning = _learning(read)
    assert len(learning) == 35
    for what, seqs in (("learning", learning), ("outline", in_section(read, "1. Brief outline")),
                       ("statements and appendix", _statements_and_appendix(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_councils_recommendation_is_the_three_councils(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "1")]
    assert found and all(a == COUNCILS for a in found), found


def test_the_health_boards_recommendations_are_the_health_boards(read: Read) -> None:
    found = {n: [r.agencies for r in records_of(read, n)] for n in ("2", "4")}
    assert found == {"2": [[HEALTH_BOARD]], "4": [[HEALTH_BOARD]]}, found


def test_the_joint_recommendation_names_the_health_board(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "3")]
    assert found and all(a and a[0] == HEALTH_BOARD for a in found), found


@pytest.mark.xfail(strict=True, reason=(
    "records 3a and 3b are to ['Cwm Taf Morgannwg University Health Board', 'local "
    "authority'], both readings; right: the health board and the three councils "
    "recommendation 1 names (Merthyr Tydfil, Rhondda Cynon Taf, Bridgend County Borough "
    "Councils): 'the three local authorities' are those, not a generic local authority"))
def test_the_three_local_authorities_are_the_councils_named(read: Read) -> None:
    # "Cwm Taf Morgannwg University Health Board and the three local
    # authorities": the three councils recommendation 1 names.
    found = [r.agencies for r in records_of(read, "3")]
    assert found and all(a == [HEALTH_BOARD, *COUNCILS] for a in found), found


def test_the_boards_own_recommendation_is_the_boards(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "5")]
    assert found and all(a and a[0] in OWN_BOARD for a in found), found


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 7 of 12 (0.58), both readings: the support worker's
# email to her manager -> Consistent and persistent communication 0.96 (Escalating concerns),
# the hospital liaison nurse's reasonable adjustments -> Consistent care and support 0.99
# (Effective communication), the annual health check's easy-read invitation and double
# appointment -> Consistent care and support 1.00 (Effective communication), the GP's
# 'proportionate and timely response' -> Adhering to policy and procedure 0.68 (Risk
# assessment), the 'Good practice' paragraph -> Learning from past reviews 0.99 (Positive
# working relationships)
@pytest.mark.xfail(strict=True, reason=(
    "since the coder learnt round eight (in-sample) the same theme on 9 of 13 (0.69), under "
    "the 0.70 bar, both readings: the support worker's email -> Consistent and persistent "
    "communication (Escalating concerns), the liaison nurse's reasonable adjustments -> "
    "Consistent care and support (Effective communication), the GP's prompt response -> "
    "Consistent and persistent communication (Risk assessment), the learning disability "
    "nurse's work -> Effective communication (Positive working relationships)"))
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_changes_and_the_suggested_practice_are_in_the_labels_theme(read: Read) -> None:
    # Both changes since, "It would have been good practice", the nurse's visits,
    # the sister told in person, the MAR check (Adhering, same theme), the
    # training session (Consistent care and support, same theme).
    book = load_codebook("best-practice")
    codes = {i.passage.seq: i.label.code for i in read.labelled}
    held = opened_by(read, "Since W's death the provider", "Since the learning event",
                     "It would have been good practice", "In the spring of 2022",
                     "W's sister was told of the strategy", "The review found that the "
                     "provider's practice", "On 24 May 2022 the nurse")
    wrong = [(read.text(s)[:40], read.suggested.get(s), codes[s]) for s in sorted(held)
             if s not in read.suggested
             or book.code(read.suggested[s][0][0]).theme != book.code(codes[s]).theme]
    assert not wrong, wrong


# First reading, since fixed: the 'Good practice' paragraph, 'The review found good practice in
# the learning disability nurse's work with W in 2022, the annual health check ..., the
# reasonable adjustments ..., the support worker who raised her concerns ..., and the prompt
# response ...', is read as Learning from past reviews (0.99), both readings: it restates
# practice found in the case, no change made and nothing learned from an earlier review
# (labelled Positive working relationships, by its first finding)
def test_the_good_practice_paragraph_is_not_read_as_learning(read: Read) -> None:
    (good,) = opened_by(read, "The review found good practice in")
    assert read.suggested.get(good, [("", 0.0)])[0][0] not in (
        "Learning from past reviews", "Suggested good practice"), read.suggested.get(good)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _title_page(read),
        "outline": in_section(read, "1. Brief outline"),
        "statements and appendix": _statements_and_appendix(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_a_learning_point(read: Read) -> None:
    points = _learning_points(read)
    assert points <= read.seqs("other") and len(points) == 5
    never_suggested(read, {"learning point": points})


def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    opened_not_suggested(read, "The review identified five learning points")


def test_auto_coding_does_not_suggest_the_procedures_quoted(read: Read) -> None:
    # The Wales Safeguarding Procedures quoted, then the report not made.
    opened_not_suggested(read, "The Wales Safeguarding Procedures state")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The reviewers accept that", "W's next annual health check")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event support workers said")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but the discharge as it happened (its own xfail).
    opened_not_suggested(read, "The provider's medication policy", "Support workers recorded",
                         "On 2 December 2022", "The health action plan said",
                         "The provider emailed the diary", "The nurse closed W's case",
                         "The team replied", "On 23 December 2022")


@pytest.mark.xfail(strict=True, reason=_DISCHARGE)
def test_auto_coding_does_not_suggest_the_discharge_as_it_happened(read: Read) -> None:
    opened_not_suggested(read, "The diabetes team reviewed", "W was discharged at")


@pytest.mark.xfail(strict=True, reason=_DISCHARGE)
def test_auto_coding_does_not_suggest_anything_else_in_the_learning(read: Read) -> None:
    other = _learning(read) & read.seqs("other") - headings(read)
    assert len(other) == 20
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "was good practice" (three), "well managed", "prompt", "promptly ...
    # proportionate and timely".
    opened_suggested(read, "The review found that the provider's practice",
                     "W's admission was well managed", "The review found that W's annual health",
                     "The GP responded promptly")


# First reading, since fixed: 'The response after W's death was prompt. The ambulance
# crew made an adult at risk report ... the adult safeguarding team held a strategy
# discussion with South Wales Police, the health board and the provider on 16 March
# 2023. This was in line with the Wales Safeguarding Procedures. An enquiry under
# section 126 ... within the required timescale ...' is not suggested (0.46), both
# readings: praise named ('prompt', 'in line with', 'within the required timescale'),
# Adhering to policy and procedure
def test_auto_coding_finds_the_prompt_response_after_the_death(read: Read) -> None:
    opened_suggested(read, "The response after W's death")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The support worker's email; the nurse's pictures and role-play; the
    # service manager's calls and email.
    opened_suggested(read, "On 9 January 2023 a support worker", "In the spring of 2022")


@pytest.mark.xfail(strict=True, reason=(
    "'On 16 January 2023 the provider's service manager asked the team to see W again ... "
    "The duty worker screened the request on 18 January and decided it was a matter for "
    "the GP. When she had heard nothing, the service manager telephoned the duty worker on "
    "20 January and on 24 January and followed the second call with an email setting out "
    "her concerns.' is not suggested (0.06), both readings: persistent communication "
    "stated through what was done, after the request screened out"))
def test_auto_coding_finds_the_service_managers_chasing(read: Read) -> None:
    opened_suggested(read, "On 16 January 2023 the provider's service manager")


def test_auto_coding_finds_the_training_session(read: Read) -> None:
    opened_suggested(read, "On 24 May 2022 the nurse ran a training session")


def test_auto_coding_finds_the_sister_told_in_person(read: Read) -> None:
    # Borderline: the adult safeguarding team's visit, praised through her words.
    opened_suggested(read, "W's sister was told of the strategy discussion")


def test_auto_coding_finds_the_good_practice_paragraph(read: Read) -> None:
    (good,) = opened_by(read, "The review found good practice in")
    assert good in read.seqs("practice")
    all_suggested(read, {good})


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_providers_change_since(read: Read) -> None:
    opened_coded(read, "Since W's death the provider", "Learning from past reviews")


def test_auto_coding_finds_the_health_boards_change_since(read: Read) -> None:
    opened_coded(read, "Since the learning event the health board", "Learning from past reviews")
