"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a SCOTTISH
Learning Review (the first review here from outside England and Wales), of
the single-case auto-coding threshold and the document-reading rules chosen
on the written reviews before it.

`tests/data/written-scot/scot-written-2026.md` is a WRITTEN Learning Review
(fictional: no real case or person) under Scotland's National Guidance for
Child Protection Committees Undertaking Learning Reviews (2021), for the
Glenmoor Child Protection Committee, about Child E, a baby girl admitted to
hospital at ten weeks on 14 March 2024 with subdural and retinal
haemorrhages and healing rib fractures (non-accidental; she survived, and
lives with her maternal grandmother); her mother, 19, is care experienced,
and her father, whose conviction under the Domestic Abuse (Scotland) Act was
known only to Police Scotland, has been charged. Where it differs from the
others:

- Scottish vocabulary throughout: Named Person, Child's Plan, GIRFEC,
  wellbeing concern, Inter-agency Referral Discussion (IRD), Child Protection
  Planning Meeting, concern report and the Police Scotland Concern Hub,
  interim Vulnerable Persons Database, Children's Reporter (SCRA) and
  Children's Hearing, Child Protection Order, throughcare and aftercare, NHS
  Glenmoor (a health board), Glenmoor HSCP, Glenmoor Council Social Work
  Services, the Chief Officers' Group;
- the cover: the committee's name, "Learning Review" (the only level-1
  heading), "Child E", "Final report, 24 March 2025", the lead reviewer; NO
  numbering and no review type storfa knows ("Significant Case Reviews" is
  named once, as the guidance the Learning Review replaced); a numbered
  contents list of the eight numbered sections;
- "1. Background to the review" (the referral to the CPC's Learning Review
  Sub-group 19 March 2024, the rapid review, the CPC Chair's decision, the
  approval by the Chief Officers' Group 24 March 2025); "2. Scope and
  methodology" (the period 2 June 2023 to 14 March 2024, a practitioner
  reflective session 10 September 2024 in place of a learning event, and
  the review's four questions as bullets); "3. Family composition": a TABLE
  Relationship | Age | Ethnicity, then the mother's and grandmother's words;
  "4. Summary of events": dated narrative, no comment;
- "5. Analysis and key learning": four "Key learning point N: ..."
  sub-headings, each opening on a STATEMENT of what services or
  practitioners need to do, then paragraphs mixing gaps, a concession (the
  doctor working alone on a busy evening) and strengths, the first strength
  opening on a bold run-in "**Strengths in practice.**", the next without
  one; two "It would have been good practice ..." paragraphs; one change
  NHS Glenmoor has made since;
- "6. Good practice": a lead-in (no colon) and five short paragraphs
  restating strengths; "7. Recommendations": a lead-in and a NUMBERED LIST
  1-6: "The CPC should ..." (1, 3, 5), "Glenmoor HSCP should ensure ..."
  (2, 6), "NHS Glenmoor should ensure ..." (4); "8. Next steps": the CPC's
  improvement plan and learning briefing, and changes agencies have already
  made.

Its labels (`scot-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 104 passages,
17 practice, 6 recommendation, 81 other. Practice: the four "Strengths in
practice." paragraphs and the four strengths after them (among them the
health visitor's visit after the concern report, the throughcare worker's
"thoughtful account" at the Child's Plan meeting), the two "would have been
good practice" (Suggested good practice), the two changes made since
(Learning from past reviews: NHS Glenmoor's revised guidance, "Some changes
have already been made ..."), and the five good-practice paragraphs, each
with its source paragraph's code. Other: the cover, contents, background,
scope and its questions, the family table and words, the summary of events
(the midwife's wellbeing concern and the concern report told as facts), the
learning statements, the gaps and the concession, the lead-ins, the next
steps' plan and briefing.

Expected identity, decided as a user before the run: board "Glenmoor Child
Protection Committee" (a committee, not a Welsh board), year 2025, no
identifier (the key the file's name), no variant; the type a single-case
children's review outside Wales: storfa's vocabulary has no Learning
Review, and its nearest are SCR (in Scotland the Significant Case Review the
Learning Review replaced; ids.py counts SCR among the types of "England (and
Scotland)") or CSPR; dates: index incident 2024-03-14, referral 2024-03-19,
learning event 2024-09-10, period 2023-06-02 to 2024-03-14, sign-off
2025-03-24, publication that date or none.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt11, as found, at HEAD be6c833; by the machine's clock the session
began 23:07:25, the labels were written and copied into tests/data with the
document 23:09:22, this module written before any reading, storfa first run
23:09:48-23:10:21), the same from the Markdown and from the PDF, every
passage read as written (104 from both):

- identity: board "Glenmoor Child Protection Committee", year 2025, no
  identifier, key "scot-written-2026", variant None, all right; TYPE None
  (wrong). Because the type is None the review is not taken as single-case,
  so (i) no review date is read: index incident, referral, learning event,
  period and sign-off all None, only publication 2025-03-24 (the cover's
  date, accepted); (ii) auto-coding is held at 0.69, the threshold for
  thematic and other reports, not the single-case 0.49 (auto_coding's
  printout says 0.49: it reports the single-case threshold, not the one
  applied);
- recommendations: 6 of 6 found, numbered "1"-"6", each from its own list
  item, nothing extra (not the numbered contents, the questions, the
  learning statements, the next steps). Addressees: 1, 3, 5 "CPC" (the
  abbreviation, not the committee); 2 ['GP', 'health visiting'] (services
  the text names, not Glenmoor HSCP); 4 and 6 none (NHS Glenmoor, Glenmoor
  HSCP not known);
- auto-coding as applied (0.69): 8 suggestions, 8 of the 17 practice
  passages, precision 1.00, recall 0.47; the same sub-theme as the label on
  4 of 8, the same theme on 5 of 8 (0.62). Sub-themes that differ, all in
  "6. Good practice": the midwife's and the health visitor's (Adhering to
  policy and procedure) -> Risk assessment, the IRD's (Multi-agency working)
  -> Record keeping, the throughcare worker's (Consistent care and support)
  -> Positive working relationships. Found: both "would have been good
  practice" (0.99, 1.00), the throughcare worker's strength (0.92), the
  health visitor's visit (0.92), 4 of the 5 good-practice paragraphs
  (0.98-1.00). Missed (9): the strengths of the midwife (0.68), the
  pre-birth assessment (0.69), the officers (0.17), the health visitor on
  the bruise (0.30), the IRD (0.32), the throughcare worker at the meeting
  (0.27); the good-practice paragraph on the police (0.35); the two changes
  made since (0.02, 0.19). Nothing suggested that is not practice: no
  heading, cover, contents, background, scope, family, summary of events,
  learning statement, gap, concession, lead-in, recommendation or next step.

After the first reading only this module changed, not the document or the
labels: the faults were marked strict xfail, the sign-off split from the
publication; one slip of the module's own was put right (the lead-ins were
sought by the opening "The review identified", which two passages share, so
`opened_by` found two for one). Added after it, from the same reading's
confidences (the second run, the same figures): what the single-case
threshold would have given, had the type been read: precision 0.77 (10 of
13), recall 0.59 (10 of 17), gaining the two strengths at 0.68 and 0.69 but
adding the mother's care history and her words (0.59 each) and "The CPC will
also produce a learning briefing ..." (0.54), so below both floors still.
The same results from /work/main's own tree (HEAD 6b41f03).

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.reviews import is_single_case
from written import (
    PRECISION_FLOOR,
    RECALL_FLOOR,
    WELSH_BOARDS,
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identity,
    in_section,
    labelled_records,
    lead_ins,
    never_suggested,
    no_welsh_board,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    theme_agreement,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-scot"
DOCUMENT = DATA / "scot-written-2026.md"
BOARD = "Glenmoor Child Protection Committee"
HSCP = ("Glenmoor HSCP", "Glenmoor Health and Social Care Partnership")
RECOMMENDATIONS = tuple(f"{n}. " for n in range(1, 7))
NUMBERS = [str(n) for n in range(1, 7)]
# Who each recommendation is to: "The CPC" is the review's own committee (3
# "seek assurance from" two agencies: still the CPC's).
AGENCIES = {"1": (BOARD,), "2": HSCP, "3": (BOARD,), "4": ("NHS Glenmoor",), "5": (BOARD,),
            "6": HSCP}
CPCS_OWN = ("1", "3", "5")
ANALYSIS = "5. Analysis and key learning"
GOOD = "6. Good practice"


_TYPE = (
    "type None, both readings: 'Learning Review' (the cover's heading) is no type storfa "
    "knows, and 'Significant Case Reviews' is not read as SCR; a Scottish Learning Review "
    "about one child is a single-case review (the vocabulary's nearest SCR or CSPR), and "
    "should be read with the single-case threshold and dates")


read = reading(DOCUMENT, DATA / "scot-written-2026.tsv", "written-scot")


def _analysis(read: Read) -> set[int]:
    return between(read, ANALYSIS, GOOD)


def _statements(read: Read) -> set[int]:
    """The key learning points' statements: the paragraph after each "Key
    learning point N" heading (what practitioners need to do)."""
    return {p.seq + 1 for p in read.passages
            if p.kind == "heading" and read.text(p.seq).startswith("Key learning point")}


def _good_practice(read: Read) -> set[int]:
    """The good-practice section's short paragraphs, not its lead-in."""
    (lead_in,) = opened_by(read, "The review identified the following good practice")
    return between(read, GOOD, "7. Recommendations") - {lead_in}


def _named(read: Read) -> dict[str, list[str]]:
    return {r.number: r.agencies for r in labelled_records(read)}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 104, 17, 6, 81)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


def test_each_key_learning_point_has_its_statement(read: Read) -> None:
    statements = _statements(read)
    assert len(statements) == 4 and statements <= read.seqs("other")


# ------------------------------------------------------------------- identity
def test_the_cover_gives_board_and_year(read: Read) -> None:
    # "Glenmoor Child Protection Committee", "Final report, 24 March 2025".
    identity(read, board=BOARD, year=2025, variant=None)


def test_a_review_without_numbering_has_no_identifier(read: Read) -> None:
    # Scottish Learning Reviews are not numbered; the key is the file's name.
    assert read.summary.identifier is None, read.summary.identifier
    assert read.summary.review_id == DOCUMENT.stem, read.summary.review_id


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


# First reading, since fixed: type None, both readings: 'Learning Review' (the cover's heading)
# is no type storfa knows, and 'Significant Case Reviews' is not read as SCR; a Scottish
# Learning Review about one child is a single-case review (the vocabulary's nearest SCR or
# CSPR), and should be read with the single-case threshold and dates
def test_a_learning_review_is_read_as_a_single_case_review(read: Read) -> None:
    # One child's case: auto-coding should use the single-case threshold.
    identity(read)
    assert is_single_case(read.summary.type), read.summary.type


@pytest.mark.xfail(strict=True, reason=_TYPE)
def test_the_type_is_a_childrens_review_type_outside_wales(read: Read) -> None:
    # The vocabulary has no Scottish Learning Review; its nearest are SCR (in
    # Scotland the Significant Case Review, which the Learning Review replaced,
    # as the report says) and CSPR (England's children's review). Not a Welsh
    # type, not thematic, not unknown.
    assert read.summary.type in ("SCR", "CSPR"), read.summary.type


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2024-03-14, referral 2024-03-19, learning event (the practitioner reflective session)
# 2024-09-10, period 2023-06-02 to 2024-03-14, sign-off 2025-03-24; only publication
# (2025-03-24, the cover's date) is read
def test_the_index_incident_is_the_admission(read: Read) -> None:
    # "admitted to hospital on 14 March 2024 with a serious head injury".
    assert read.summary.dates.get("index_incident") == "2024-03-14", read.summary.dates


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2024-03-14, referral 2024-03-19, learning event (the practitioner reflective session)
# 2024-09-10, period 2023-06-02 to 2024-03-14, sign-off 2025-03-24; only publication
# (2025-03-24, the cover's date) is read
def test_the_referral_to_the_sub_group(read: Read) -> None:
    # "referred to the CPC's Learning Review Sub-group on 19 March 2024".
    assert read.summary.dates.get("referral") == "2024-03-19", read.summary.dates


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2024-03-14, referral 2024-03-19, learning event (the practitioner reflective session)
# 2024-09-10, period 2023-06-02 to 2024-03-14, sign-off 2025-03-24; only publication
# (2025-03-24, the cover's date) is read
def test_the_practitioner_reflective_session_is_the_learning_event(read: Read) -> None:
    # "a practitioner reflective session was held on 10 September 2024".
    assert read.summary.dates.get("learning_event") == "2024-09-10", read.summary.dates


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2024-03-14, referral 2024-03-19, learning event (the practitioner reflective session)
# 2024-09-10, period 2023-06-02 to 2024-03-14, sign-off 2025-03-24; only publication
# (2025-03-24, the cover's date) is read
def test_the_period_under_review(read: Read) -> None:
    # "from 2 June 2023, when the mother's pregnancy was booked ..., to 14 March
    # 2024, when Child E was admitted to hospital".
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-06-02", "2024-03-14"), dates


# First reading, since fixed: every review date is None, both readings, because the type is None
# and storfa reads review dates only for a single-case review: right are index incident
# 2024-03-14, referral 2024-03-19, learning event (the practitioner reflective session)
# 2024-09-10, period 2023-06-02 to 2024-03-14, sign-off 2025-03-24; only publication
# (2025-03-24, the cover's date) is read
def test_the_sign_off(read: Read) -> None:
    # "approved by the Glenmoor Chief Officers' Group for Public Protection on
    # 24 March 2025" (the cover's "Final report, 24 March 2025").
    assert read.summary.dates.get("sign_off") == "2025-03-24", read.summary.dates


def test_the_publication(read: Read) -> None:
    # No other date of publication is given: the final report's date, or none,
    # is right.
    assert read.summary.dates.get("publication") in (None, "2025-03-24"), read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


@pytest.mark.xfail(strict=True, reason=(
    "1, 3 and 5 ('The CPC should ...') are recorded to 'CPC', the abbreviation, not to "
    "the review's own committee, 'Glenmoor Child Protection Committee' (as 'The RSB' and "
    "'The SAB' are read as their boards)"))
def test_the_cpcs_own_recommendations_are_the_cpcs(read: Read) -> None:
    # "The CPC should ...": the review's own committee.
    named = _named(read)
    wrong = {n: named.get(n) for n in CPCS_OWN if named.get(n) != [BOARD]}
    assert not wrong, wrong


# First reading, since fixed (round eight's addressee fixes): 2 ('Glenmoor HSCP should ensure that
# health visitors ... shared with the GP practice') is recorded to ['GP', 'health visiting'], the
# services it names, not the HSCP it is addressed to; 4 ('NHS Glenmoor should ensure ...') and 6
# ('Glenmoor HSCP should ensure ...') to no agency: right are NHS Glenmoor and Glenmoor HSCP (a
# Scottish health board and Health and Social Care Partnership)
def test_each_agencys_record_names_its_organisation(read: Read) -> None:
    named = _named(read)
    wrong = {n: named.get(n) for n, names in AGENCIES.items()
             if n not in CPCS_OWN and named.get(n) not in ([name] for name in names)}
    assert not wrong, wrong


def test_no_record_names_a_welsh_board(read: Read) -> None:
    print_register(read)
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


def test_no_record_from_the_contents_the_questions_or_the_next_steps(read: Read) -> None:
    # Numbered contents, the review's questions (bullets), "The CPC will ...".
    for what, seqs in (("contents", in_section(read, "Contents")),
                       ("scope", in_section(read, "2. Scope")),
                       ("next steps", in_section(read, "8. Next steps"))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_no_record_from_the_analysis(read: Read) -> None:
    # Learning statements ("Practitioners need to ..."), "It would have been
    # good practice for ...".
    analysis = _analysis(read)
    assert len(analysis) == 31
    wrong = sorted(read.covered & analysis)
    assert not wrong, [read.text(s)[:50] for s in wrong]


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


# First reading, since fixed: recall 0.47 (8 of 17), precision 1.00, both readings, held at
# 0.69, the threshold for reports that are not single-case reviews, since the type is None (at
# the single-case 0.49, from the same confidences: see test_at_the_single_case_threshold):
# missed the strengths 0.68, 0.69, 0.17, 0.30, 0.32, 0.27, the good-practice paragraph on the
# police 0.35, the changes made 0.02 and 0.19
def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


# First reading, since fixed: recall 0.47 (8 of 17), precision 1.00, both readings, held at
# 0.69, the threshold for reports that are not single-case reviews, since the type is None (at
# the single-case 0.49, from the same confidences: see test_at_the_single_case_threshold):
# missed the strengths 0.68, 0.69, 0.17, 0.30, 0.32, 0.27, the good-practice paragraph on the
# police 0.35, the changes made 0.02 and 0.19
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 5 of 8 (0.62), same sub-theme 4 of 8, both
# readings: the good-practice section's midwife and health visitor paragraphs -> Risk
# assessment (labelled Adhering to policy and procedure), its IRD paragraph -> Record
# keeping (Multi-agency working); the throughcare worker's -> Positive working
# relationships (Consistent care and support) is the same theme
@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round nine's reviews (this stop): same theme on 10 of 15 "
    '(0.67), under the 0.70 bar, both readings'))
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_the_sub_theme_agrees_with_the_label_mostly(read: Read) -> None:
    same_code, _, hits = theme_agreement(read)
    assert hits and same_code / hits >= 0.5, (same_code, hits)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents": in_section(read, "Contents"),
        "background": in_section(read, "1. Background"),
        "scope and methodology": in_section(read, "2. Scope"),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read) | opened_by(read, "The review identified the following",
                                              "The review makes six"),
    })


def test_auto_coding_never_suggests_the_family(read: Read) -> None:
    # The family table and the mother's and grandmother's words.
    never_suggested(read, {"family composition": in_section(read, "3. Family")})


def test_auto_coding_never_suggests_the_summary_of_events(read: Read) -> None:
    # Plain facts with dates, among them the midwife's wellbeing concern and
    # the officers' concern report, told without comment.
    never_suggested(read, {"summary of events": in_section(read, "4. Summary")})


def test_auto_coding_never_suggests_a_learning_statement(read: Read) -> None:
    never_suggested(read, {"learning statement": _statements(read)})


@pytest.mark.xfail(strict=True, reason=(
    "since 'Key learning point n: <topic>' headings are read as a numbered theme's findings "
    "(not learning points, so their analysis is no longer read down: recall at 0.49 0.59 -> "
    "0.88 from the Markdown), 'The pre-birth assessment was focused almost entirely on the "
    "mother. ... there is no record of an attempt to meet him.' (criticism told without 'did "
    "not') is suggested, Risk assessment 0.56, both readings"))
def test_auto_coding_does_not_suggest_poor_practice_or_a_concession(read: Read) -> None:
    poor = opened_by(read, "The pre-birth assessment was focused", "No checks were made",
                     "Child E's grandmother was not", "After Child E's birth",
                     "The concern report of 6 February", "The health visitor did not",
                     "The child protection medical was", "The reviewer recognises",
                     "The IRD did not reconvene", "The mother told the reviewer that she had not",
                     "The throughcare worker was not told")
    assert poor <= read.seqs("other")
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_next_steps(read: Read) -> None:
    plan = opened_by(read, "The CPC has accepted", "The CPC will also")
    never_suggested(read, {"next steps": plan})


# First reading, since fixed: 3 of the 4 'Strengths in practice.' paragraphs are missed: the
# midwife's (0.68), the officers' (0.17), the health visitor's on the bruise (0.30); the
# throughcare worker's is found (0.92). Held at 0.69, the threshold for reports that are not
# single-case reviews (the type is None); 0.68 would pass the single-case 0.49, 0.17 and 0.30
# not
def test_auto_coding_finds_every_strength_in_practice(read: Read) -> None:
    strengths = opened_by(read, "Strengths in practice.", "Strengths in practice. The officers",
                          "Strengths in practice. The health visitor",
                          "Strengths in practice. The throughcare")
    assert len(strengths) == 4 and strengths <= read.seqs("practice")
    all_suggested(read, strengths)


# First reading, since fixed: 3 of 4 missed: 'The pre-birth assessment itself was well written
# ...' (0.69, under the 0.69 held to for a review of no type; above the single-case 0.49), 'The
# IRD was held within 24 hours of the referral ... effective multi-agency working' (0.32), 'The
# throughcare worker attended the Child's Plan meeting and gave a thoughtful account' (0.27);
# the health visitor's visit after the concern report is found (0.92)
def test_auto_coding_finds_the_strengths_after_the_run_in(read: Read) -> None:
    # The paragraphs that follow a "Strengths in practice." one, not opening so.
    after = opened_by(read, "The pre-birth assessment itself", "When the health visitor received",
                      "The IRD was held within 24 hours of", "The throughcare worker attended")
    assert after <= read.seqs("practice")
    all_suggested(read, after)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    suggested = opened_by(read, "It would have been good practice for the social worker",
                          "It would have been good practice for the IRD")
    assert suggested <= read.seqs("practice")
    all_suggested(read, suggested)


@pytest.mark.xfail(strict=True, reason=(
    "neither change made since the events is suggested: 'Since these events, NHS Glenmoor "
    "has revised its guidance so that every child protection medical ...' (0.02) and 'Some "
    "changes have already been made. ... now requests police checks ...' (0.19); both "
    "Learning from past reviews"))
def test_auto_coding_finds_the_changes_already_made(read: Read) -> None:
    changes = opened_by(read, "Since these events, NHS Glenmoor", "Some changes have already")
    assert changes <= read.seqs("practice")
    all_suggested(read, changes)


@pytest.mark.xfail(strict=True, reason=(
    "4 of the 5 good-practice paragraphs are found (0.98-1.00); 'The police officers who "
    "attended on 6 February 2024 saw Child E and submitted a concern report, which was "
    "shared within Police Scotland's timescale' is not (0.35)"))
def test_auto_coding_finds_every_good_practice_paragraph(read: Read) -> None:
    listed = _good_practice(read)
    assert len(listed) == 5 and listed <= read.seqs("practice")
    all_suggested(read, listed)


def _at(read: Read, threshold: float) -> tuple[float, float, set[int], set[int]]:
    """(precision, recall, wrong, missed) had suggestions been held at
    `threshold`, from the confidences of the same reading."""
    gold = read.seqs("practice")
    predicted = {s for s, c in read.confidence.items() if c >= threshold}
    hits = predicted & gold
    return (len(hits) / max(1, len(predicted)), len(hits) / max(1, len(gold)),
            predicted - gold, gold - predicted)


# First reading, since fixed: even at the single-case 0.49 (the same confidences, both
# readings): precision 0.77 (10 of 13), recall 0.59 (10 of 17); would gain the midwife's
# strength (0.68) and the pre-birth assessment's (0.69), and add the mother's care history
# (0.59), her words (0.59) and 'The CPC will also produce a learning briefing ...' (0.54); still
# missed 0.17, 0.30, 0.32, 0.27, 0.35 and the changes made 0.02, 0.19
def test_at_the_single_case_threshold(read: Read) -> None:
    """What a Learning Review read as single-case would have been given: the
    same confidences, held at the single-case threshold."""
    precision, recall, wrong, missed = _at(read, read.threshold)
    print(f"\n[{read.source}] at {read.threshold:.2f}: precision {precision:.2f} "
          f"recall {recall:.2f}")
    for seq in sorted(wrong):
        print(f"  would be suggested, not practice: {seq} ({read.confidence[seq]:.2f}) "
              f"{read.text(seq)[:70]}")
    for seq in sorted(missed):
        print(f"  practice, still missed: {seq} ({read.confidence.get(seq, 0.0):.2f}) "
              f"{read.text(seq)[:70]}")
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, (precision, recall)
