"""A twelfth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check (issue 14)
on a Welsh Domestic Abuse Related Death Review, the 2025 successor of the
Domestic Homicide Review in Wales.

`tests/data/written-dardr/dardr-written-2026.md` is a WRITTEN DARDR overview
report (fictional: no real case or person) commissioned by Bridgend Community
Safety Partnership, about Ms T, 34, who took her own life after years of
coercive control by her partner, Mr K. Where it differs from the eleven:

- the title page names the partnership, "Domestic Abuse Related Death Review"
  (the only heading), "Overview Report", "Into the death of Ms T", the
  partnership's numbering "DARDR 01/2025", "Independent Chair and Author" and
  "Date of completion"; contents one paragraph of section names;
- unnumbered sections and paragraphs throughout (the DHR's are "14.1");
  preface, timescales, confidentiality, terms of reference (a lead-in and
  five bullets), methodology, the family's involvement (the sister's words
  praising the IDVA, "Rhian"), background (the facts), a dated prose
  chronology;
- "Analysis" by agency (South Wales Police, the domestic abuse service, the
  health board by service with a run-in head "Primary care." / "Emergency
  department." / "Community Mental Health Team.", the council, the ambulance
  trust, the employer): practice explicit ("The panel recognises the good
  practice of ..."), implicit (what was done: "within one working day",
  "saw both children alone"), "in line with force policy" as a concession
  before a criticism, "This was a missed opportunity", "It would have been
  good practice for the GP to ...", one change made during the review;
- a suicide, not a homicide; no executive summary;
- "Lessons to be learned" as "Lesson N: ..." (one worded as a finding about
  two agencies), then "Recommendations": a lead-in saying which are local and
  which national, and seven numbered paragraphs (a Markdown ordered list,
  as Word numbers them): 1-2 to the Partnership, 3 the health board, 4 the
  health board and the police together, 5 the council, 6 the Welsh
  Government, 7 the Home Office; "Appendix A: Action plan", a table "No |
  Recommendation | Scope | Action | Lead | Target date" repeating the seven,
  shortened.

Its labels (`dardr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 99 passages,
10 practice, 7 recommendation, 82 other. As the CAPR's, the ECPR's and the
SCR's: a paragraph is practice where the reviewers present some practice in
it as good, however implicitly; a concession that opens a criticism is
other (the police's DASH "in line with force policy", the GP's eleven
appointments); "It would have been good practice for ..." is practice,
Suggested good practice; the change made during the review is practice,
Learning from past reviews. Executive summary, the convention: the review
has none, so nothing is restated; the recommendations' lead-in ("The panel
makes seven recommendations ...") is other. The action plan's rows repeat
the recommendations and are other (a recommendation is counted once, in the
Recommendations section), as is its header. Other: the title page,
contents, preface, timescales, confidentiality, terms of reference,
methodology, the family's words (the sister praising the IDVA), background,
chronology, section lead-ins, criticisms, conclusions, lessons.

The fresh check, run once the labels were final (a worktree of HEAD 6e5ac8e,
frozen, /tmp/wt10; by the machine's clock the session began 21:53:02, the
labels were written 21:53:49 and copied into tests/data with the document in
one `cp`, this module written 21:54:13 before any reading, storfa first run
21:54:14-21:54:25, the PDF's action plan printed 21:54:36), the same from the
Markdown and from the PDF unless said:

- identity: key and identifier DHR2025-W01, type DHR, variant None, board
  None, year 2025; dates: index incident 2024-04-06, referral 2024-04-11 (the
  police's notification), learning event 2024-12-03, period start 2021-01-01,
  period end None, sign-off 2025-10-14 ("Date of completion"), publication
  None;
- recommendations: 14 records; all 7 recommendations found, numbered "1" to
  "7", each read from its own passage; and 7 extra, the action plan's seven
  rows, numbered "1"-"7" again (the repeats counted twice). Addressees from
  the Markdown right for 1-6 (4 both the health board and the police), 7 []
  ("The Home Office should": right, the Home Office); the rows' addressees
  their "Lead" cells (row 4 "MARAC steering group"); from the PDF the rows'
  addressees [] but row 5 ['housing'];
- from the PDF: the action plan's header read as a paragraph "No
  Recommendation Scope Action Lead Target date", row 3's lead cell (wrapped)
  read "Cwm Morgannwg University Health Board | Taf", rows 4 and 5 a stray
  cell "the" ("Amend the MARAC ..." wrapped): 99 passages still, 4 reading
  otherwise than the Markdown;
- auto-coding at the single-case threshold (0.49 on this tree), the same
  from both: 11 suggestions, 8 of the 10 practice paragraphs, precision 0.73
  (8/11), recall 0.80 (8/10); the same sub-theme as the label on 4 of 8, the
  same theme on 5 of 8 (0.63). Sub-themes that differ: the October officer's
  professional curiosity -> Escalating concerns (labelled Risk assessment),
  her referral to children's social care -> Effective communication
  (Escalating concerns), the IDVA's contact within a day -> Consistent and
  persistent communication (Persistency in care and support: another
  theme), children's social care seeing the children alone -> Adhering to policy
  and procedure (Effective communication). Wrong (3): the analysis's lead-in
  "The analysis considers each agency's involvement in turn. It identifies
  good practice ..." (0.57), the IDVA's handover "When the IDVA went on
  maternity leave ..." (0.58, a missed opportunity), the first conclusion
  "Ms T lived with coercive and controlling behaviour ..." (0.52). Missed
  (2): the emergency nurse's routine enquiry "in accordance with the health
  board's policy" (0.30) and the mental health practitioner who asked,
  consulted the safeguarding lead the same day and rang the police (0.41).
  Found: all three "The panel recognises the good practice of ...", "It
  would have been good practice for the GP ..." (1.00), the change made
  during the review (0.59); not suggested: the two concessions before a
  criticism, three of the four missed opportunities, the title page,
  preliminaries, the sister's words, chronology, lessons, recommendations,
  the action plan.

After the first reading only this module changed, not the document or the
labels: each test that failed was marked strict xfail with what storfa gave,
the one failing from the PDF only split by reading (`only`), and three tests
added for what the reading showed (the analysis's lead-in, the two missed
practice paragraphs, the Home Office). One expectation of mine was wrong and
corrected: the identifier, written "DHR2025-01" before the reading; storfa
gives "DHR2025-W01", the form the written DHR's test holds ("DHR 2024/02" ->
"DHR2024-W02"), so the test now holds that.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. This module adds `_found` (the fraction of the seven
recommendations read into some record)."""

from __future__ import annotations

from pathlib import Path

import pytest

from written import (
    Read,
    finds_the_recommendations,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identified,
    identity,
    in_section,
    labelled_records,
    never_suggested,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-dardr"
DOCUMENT = DATA / "dardr-written-2026.md"
NUMBERING = "DARDR 01/2025"  # on the title page; storfa reads a DARDR as a DHR
IDENTIFIER = "DHR2025-W01"  # as the written DHR's "DHR2024-W02"
PARTNERSHIP = "Bridgend Community Safety Partnership"
HEALTH_BOARD = "Cwm Taf Morgannwg University Health Board"
RECOMMENDATIONS = (
    "1. Bridgend Community Safety Partnership should",
    "2. Bridgend Community Safety Partnership should",
    "3. Cwm Taf Morgannwg University Health Board should",
    "4. Cwm Taf Morgannwg University Health Board and South Wales Police",
    "5. Bridgend County Borough Council should",
    "6. The Welsh Government should",
    "7. The Home Office should",
)
NUMBERS = ["1", "2", "3", "4", "5", "6", "7"]
# Each record's addressee(s), as the recommendation names them.
AGENCIES = {
    "1": [PARTNERSHIP],
    "2": [PARTNERSHIP],
    "3": [HEALTH_BOARD],
    "4": [HEALTH_BOARD, "South Wales Police"],
    "5": ["Bridgend County Borough Council"],
    "6": ["Welsh Government"],
    "7": ["Home Office"],
}
PRELIMINARIES = ("Contents", "Preface", "Timescales", "Confidentiality", "Terms of reference",
                 "Methodology", "Involvement of family", "Background information")
AFTER = ("Conclusions", "Lessons to be learned")
TWICE = ("the action plan's seven rows, which repeat the recommendations, are recorded "
         "again as records '1'-'7' (14 records, 7 extra); right: 7 records")


read = reading(DOCUMENT, DATA / "dardr-written-2026.tsv", "written-dardr")


def _found(read: Read) -> float:
    """The fraction of the seven recommendations read into some record from
    their own passage."""
    recorded = {seq for seq, _ in read.recommendations}
    return len(read.seqs("recommendation") & recorded) / len(RECOMMENDATIONS)


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 99, 10, 7, 82)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed (cell borders read from a table's rules): from the PDF the action
# plan's header is read as a paragraph 'No Recommendation Scope Action Lead Target date', row
# 3's wrapped lead cell as 'Cwm Morgannwg University Health Board | Taf', rows 4 and 5 with a
# stray cell 'the' (from 'Amend the MARAC ...')
def test_each_passage_reads_as_the_markdown_wrote_it_from_the_pdf(read: Read) -> None:
    reads_as_written(read, "pdf")


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_and_no_board(read: Read) -> None:
    # A DARDR is read as a DHR; a community safety partnership is not a
    # safeguarding board, and none is named.
    identity(read, type="DHR", board=None)


def test_the_title_page_gives_the_partnerships_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("DHR", 2025, 1, None), NUMBERING)


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("."))
    reads_every_recommendation_passage(read)


def test_the_judged_bar_on_recommendations_found_holds(read: Read) -> None:
    # Issue 14: 6 of 7 found.
    assert _found(read) >= 6 / 7, _found(read)


def test_nothing_else_is_recorded(read: Read) -> None:
    # On the first reading the action plan's seven rows, which summarise the
    # recommendations under their numbers, were recorded again (14 records, 7 extra).
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # On the first reading the action plan's seven rows, which summarise the
    # recommendations under their numbers, were recorded again (14 records, 7 extra).
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def test_the_action_plan_is_not_counted_again(read: Read) -> None:
    # On the first reading the action plan's seven rows, which summarise the
    # recommendations under their numbers, were recorded again (14 records, 7 extra).
    plan = in_section(read, "Appendix A")
    assert len(plan) >= 8  # the header and seven rows
    assert not read.covered & plan, [read.text(s)[:60] for s in read.covered & plan]


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_each_local_and_welsh_record_is_to_its_addressee(read: Read) -> None:
    named = {r.number: r.agencies for r in labelled_records(read)}
    wrong = {n: named.get(n) for n, agencies in AGENCIES.items()
             if n != "7" and named.get(n) != agencies}
    assert not wrong, wrong


def test_the_national_record_is_to_the_home_office(read: Read) -> None:
    # To nobody on the first reading: the Home Office was no body storfa knew.
    named = {r.number: r.agencies for r in labelled_records(read)}
    assert named.get("7") == AGENCIES["7"], named.get("7")


def test_no_recommendation_from_the_lessons_or_the_analysis(read: Read) -> None:
    # "Lesson 4: When two agencies each believe ..." and "It would have been
    # good practice for the GP ..." are no recommendations.
    elsewhere = in_section(read, "Analysis", *AFTER)
    assert not read.covered & elsewhere, [read.text(s)[:60] for s in read.covered & elsewhere]


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.73 (8 of 11) on the first reading: the analysis's lead-in, the IDVA's
    # handover and the first conclusion were suggested.
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 5 of 8 (0.63) from both readings: the IDVA's contact
# within a day -> Consistent and persistent communication (Persistency in care and support), the
# officer's referral to children's social care -> Effective communication (Escalating concerns),
# children's social care seeing the children alone -> Adhering to policy and procedure
# (Effective communication)
# First reading, since fixed (the coder learnt round nine's reviews): since the coder learnt
# rounds seven and eight (in-sample) the same theme on 5 of 8 (0.63) again, both readings, as
# at the first reading: the officer's referral -> Effective communication (Escalating
# concerns), the IDVA's contact within a working day -> Consistent and persistent
# communication (Persistency in care and support), children's social care's assessment ->
# Adhering to policy and procedure (Effective communication)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "preliminaries, the family's words, background": in_section(read, *PRELIMINARIES),
        "chronology": in_section(read, "Chronology"),
        "lessons": in_section(read, "Lessons to be learned"),
        "recommendation": read.seqs("recommendation"),
        "action plan": in_section(read, "Appendix A"),
    })


# First reading, since fixed: the first conclusion 'Ms T lived with coercive and controlling
# behaviour for at least four years ...' is suggested (Positive working relationships, 0.52): it
# names no practice
def test_auto_coding_never_suggests_the_conclusions(read: Read) -> None:
    never_suggested(read, {"conclusions": in_section(read, "Conclusions")})


def test_auto_coding_does_not_suggest_the_analysis_lead_in(read: Read) -> None:
    # Suggested on the first reading (0.57).
    (lead_in,) = opened_by(read, "The analysis considers")
    assert lead_in in read.seqs("other") and lead_in not in read.suggested


def test_auto_coding_finds_the_panels_recognised_good_practice(read: Read) -> None:
    said = {s for s in read.seqs("practice")
            if "recognises the good practice" in read.text(s)}
    assert len(said) == 3
    assert said <= read.suggested.keys(), sorted(said - read.suggested.keys())


@pytest.mark.xfail(strict=True, reason=(
    "'When the IDVA went on maternity leave the case was reallocated ... one letter ... "
    "closed ... put Ms T at risk.' is suggested (Consistent and persistent communication, "
    "0.58): a missed opportunity"))
def test_auto_coding_does_not_suggest_the_missed_opportunities(read: Read) -> None:
    missed = opened_by(read, "This was a missed opportunity", "When the IDVA went on",
                       "The safeguarding lead advised", "The assessment concluded")
    assert missed <= read.seqs("other")
    wrong = sorted(missed & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_a_concession_before_a_criticism(read: Read) -> None:
    conceded = opened_by(read, "The officers who attended in August 2021",
                         "Primary care. The GP saw")
    assert conceded <= read.seqs("other")
    wrong = sorted(conceded & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_the_change_made_during_the_review(read: Read) -> None:
    (change,) = opened_by(read, "The service has since changed")
    assert change in read.seqs("practice") and change in read.suggested


@pytest.mark.xfail(strict=True, reason=(
    "practice stated through what was done is missed: the emergency nurse's routine enquiry "
    "with the partner outside 'in accordance with the health board's policy' (0.30) and the "
    "mental health practitioner who asked, took it to the safeguarding lead the same day and "
    "rang the police (0.41)"))
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    done = opened_by(read, "Emergency department. The nurse", "Community Mental Health Team.")
    assert done <= read.seqs("practice")
    assert done <= read.suggested.keys(), sorted(done - read.suggested.keys())
