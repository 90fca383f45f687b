"""A tenth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on an
English Serious Case Review of the older kind, of the single-case
auto-coding threshold and the document-reading rules chosen on the written
reviews before it.

`tests/data/written-scr/scr-written-2026.md` is a WRITTEN Serious Case Review
overview report (fictional: no real case or person) for the Hartfield Local
Safeguarding Children Board (a fictional English LSCB), under regulation 5
of the LSCB Regulations 2006 and Working Together 2015, published March
2016, about Child J, aged seven, who died of diabetic ketoacidosis when his
insulin was not given, one of four neglected siblings. Where it differs from
the other nine:

- an English SCR of 2012-2017: the title page gives the LSCB's name, "Serious
  Case Review" as the title, "Overview Report", "Child J", the LSCB's own
  numbering "SCR 2015/02" (the year commissioned; published 2016), "Lead
  reviewer: ..." and "Published: March 2016"; contents a bulleted list;
  numbered sections ("7. Analysis") and paragraphs ("7.14");
- a "Foreword by the Independent Chair of the LSCB" that praises the report
  and, in general terms, the practitioners; an executive summary (what
  happened, the findings, one paragraph of good practice, the number and
  subjects of the recommendations); terms of reference with six "key lines
  of enquiry" as a numbered list of questions; a methodology of Individual
  Management Reviews (IMRs), a panel, a practitioners' event, the mother's
  words; a "Family structure" table "Name | Relationship | Age at January
  2015";
- a long "Summary of agency involvement" in four periods ("Period 1:
  pregnancy to birth (2012)" ...), plain dated facts, four paragraphs ending
  on an IMR author's favourable judgement ("The health IMR author considers
  that this was good practice", "... of a good standard", "... describes the
  training as thorough") and one on an unfavourable one;
- "Analysis" under one sub-heading per key line of enquiry: practice
  explicit ("a good example of", "This was thorough"), mild ("in line with
  the trust's routine enquiry policy", "promptly") or through what came of
  it, and criticism in the same register ("did not", "missed opportunity",
  "lack of", "With hindsight"), two concessions that open a criticism, "It
  would have been good practice for ..." and "It would have been
  appropriate to ..." (closing a criticism), one change made since J's death;
- "Good practice" a numbered list of five after a lead-in; "Lessons learned"
  as "Lesson N: ..." paragraphs; two paragraphs of conclusions;
- recommendations: six to the LSCB as a numbered list ("Hartfield LSCB
  should", "The LSCB should"), the second and fourth lead-ins with roman
  parts "i." / "ii." (eight records), then "Single agency recommendations":
  a lead-in and a table "Agency | Recommendation" of six rows from the IMRs;
  appendices: a glossary table and references ("Brandon, M. et al (2013)").

Its labels (`scr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 174 passages,
26 practice, 16 recommendation, 132 other. As the CAPR's, the ECPR's and the
SAR's: a paragraph is practice where the reviewers present some practice in
it as good, however implicitly; a concession that opens a criticism is
other; "It would have been good practice for ..." and "It would have been
appropriate to ..." are practice, Suggested good practice (7.20 is
borderline: a criticism that closes on it); the change made since J's death
is practice, Learning from past reviews. Borderline, labelled practice
(Effective communication): "7.21 The school's family support worker began
the early help assessment promptly and involved Ms B, J and K in it" (mild
praise before a fault that was not hers). The IMR authors' judgements, the
convention: a narrative paragraph is practice where the report gives an IMR
author's judgement that practice in it was good (the overview report adopts
it); the rest of the narrative is other, plain dated facts even where the
analysis praises them (the teaching assistant's note, the nurse's visits and
her escalation). Executive summary, the convention (as the SAR's): its
paragraph of good practice is practice (coded by its first example, the
nurse's visits: Persistency in care and support); what happened, the
findings and the paragraph about the recommendations are other; a
recommendation is counted once, in the Recommendations section. The single
agency recommendations are recommendations (each table row one, its header
other): twelve recommendations, the LSCB's six and the IMRs' six, in sixteen
passages (the two roman lead-ins and their four parts). Other: the title
page, contents, foreword, introduction, terms of reference (questions
too), methodology (the mother's words too), family structure, section
lead-ins, lessons, conclusions ("Many practitioners worked hard for J":
names no practice), glossary and references.

The fresh check, run once the labels were final (a worktree of HEAD 04b5220,
frozen, /tmp/wt9; by the machine's clock the session began 20:57:16, the
labels were written 21:00:35 and copied into tests/data 21:00:38, storfa
first run 21:01:23-21:01:34, the register and the PDF's passages printed in
full from the same reading 21:02), the same from the Markdown and from the
PDF unless said:

- identity: key and identifier SCR2015-02, type SCR, variant None, board
  "Hartfield Local Safeguarding Children Board", year 2015; dates: index
  incident 2015-01-14 and period 2012-06-12 to 2015-01-14 right, referral
  2015-02-12 (the chair's decision), learning event 2015-09-09 (the
  practitioners' event), publication 2016-03-01 ("March 2016"), sign-off None;
- recommendations from the Markdown: 14 records, all 12 recommendations
  found, 0 extra; the LSCB's numbered "1", "2.i", "2.ii", "3", "4.i", "4.ii",
  "5", "6" (each part completed by its lead-in), the six rows numbered on
  "7"-"12" (the report does not number them), each row to its agency.
  Agencies of the LSCB's records all wrong: 1 ['all agencies'] ("by all
  agencies"), 2.i and 2.ii the two NHS trusts it is to seek assurance from
  (the GP practices dropped), 3 ['Hartfield Borough Council'], 4.i ['GP',
  'education', 'all agencies'], 4.ii and 6 [], 5 ["Children's Social Care and
  Southmoor Police"] (one name); right: the LSCB for all eight;
- from the PDF (175 passages): the single agency table crosses from page 12
  to 13, its header and first row's recommendation left on page 12 and the
  row's agency cell on page 13: read as paragraphs "Agency Recommendation",
  the recommendation, then "Hartfield Borough Council Children's Social
  Care"; the five rows after it are table rows but no records: 9 records,
  7 of the 12 recommendations found (the first row's to nobody), 0 extra;
  the glossary's "Was not brought" (wrapped in its cell) read "Was brought |
  not | ...";
- auto-coding at the single-case threshold (0.49 on this tree), Markdown: 20
  suggestions, 19 of the 26 practice passages, precision 0.95 (19/20),
  recall 0.73 (19/26); the same sub-theme as the label on 7 of 19, the same
  theme on 10 of 19 (0.53). Wrong (1): "6.14 In May 2014 a new health
  visitor completed a Graded Care Profile ..." (0.63, narrative). Missed (7),
  all in the analysis: 7.2 midwife's referral "a good example of" (0.37),
  7.5 health visitor's Graded Care Profile "careful and evidence-based"
  (0.32), 7.8 GP "prompt and in line with NICE guidance" (0.11), 7.14 the
  change since J's death (0.49, just under), 7.17 police notification "a
  clear account" (0.09), 7.20 "It would have been appropriate to hold a
  strategy discussion" (0.11), 7.24 "in line with the trust's routine enquiry
  policy" (0.46). PDF: 23 suggestions, precision 0.83 (19/23), recall 0.73,
  themes 10 of 19; wrong also "6.4 Children's Social Care completed an
  initial assessment within ten working days ..." (0.56) and two single
  agency rows not read as recommendations (Hartfield Community Health
  Services 0.79, Eastgate Medical Centre 0.51). Found: all 4 IMR-judged
  narrative paragraphs, all 5 listed good practice, the summary's good
  practice (0.81); nothing suggested on a heading, the title page, contents,
  foreword, introduction, terms of reference, method, family table, the
  summary's other paragraphs, any of the 16 criticisms in the analysis, a
  lead-in, the lessons, conclusions or appendices.

After the first reading only this module changed, not the document or the
labels: each test that failed was marked strict xfail with what storfa gave,
those that fail in one reading only split by reading (`only`), the template
zones split from the recommendations, and a test of the judged bar on
recommendations found (6 of 7, as a fraction) added.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. Theme agreement is measured with tests/written.py's
`theme_agreement`; this module adds `_zone` (the passages between two
headings, sub-headings left out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import parse_review_id
from storfa.domain.recommendations import StoredRecommendation
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
    in_section,
    lead_ins,
    never_suggested,
    only,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-scr"
DOCUMENT = DATA / "scr-written-2026.md"
BOARD = "Hartfield Local Safeguarding Children Board"
NUMBERING = "SCR 2015/02"  # on the title page: the LSCB's own numbering
IDENTIFIER = "SCR2015-02"
COUNCIL = "Hartfield Borough Council Children's Social Care"
# Each recommendation's opening passage: the LSCB's six (the roman parts
# after the second and the fourth belong to them), then the six rows of the
# IMRs' single agency recommendations, each a recommendation of its own.
LSCB = (
    "1. Hartfield LSCB should revise",
    "2. The LSCB should seek assurance",  # a lead-in "... that:", then i., ii.
    "3. Hartfield LSCB should ask",
    "4. The LSCB should revise its procedure",  # a lead-in "... so that it:", then i., ii.
    "5. Hartfield LSCB should seek assurance",
    "6. The LSCB should disseminate",
)
SINGLE_AGENCY = (
    f"{COUNCIL} | Assessments",
    f"{COUNCIL} | Team managers",
    "Hartfield Hospitals NHS Foundation Trust |",
    "Hartfield Community Health Services NHS Trust |",
    "Eastgate Medical Centre |",
    "Southmoor Police |",
)
# The LSCB's records as the report numbers them: each roman part completed
# by its lead-in (as the SUSR's "2." / "i." give "2.i").
NUMBERS = ["1", "2.i", "2.ii", "3", "4.i", "4.ii", "5", "6"]
# Who each single agency recommendation is to: the row's agency cell.
ROW_AGENCIES = {
    f"{COUNCIL} | Assessments": COUNCIL,
    f"{COUNCIL} | Team managers": COUNCIL,
    "Hartfield Hospitals NHS Foundation Trust |": "Hartfield Hospitals NHS Foundation Trust",
    "Hartfield Community Health Services NHS Trust |":
        "Hartfield Community Health Services NHS Trust",
    "Eastgate Medical Centre |": "Eastgate Medical Centre",
    "Southmoor Police |": "Southmoor Police",
}


read = reading(DOCUMENT, DATA / "scr-written-2026.tsv", "written-scr")






def _zone(read: Read, first: str, after: str) -> set[int]:
    """The passages between two headings, by their text (a PDF's headings have
    no depth, so "Period 1: ..." and "Key line of enquiry 1: ..." are
    top-level there), the sub-headings left out."""
    return {s for s in between(read, first, after) if read.passages[s].kind != "heading"}


def _summary(read: Read) -> set[int]:
    return _zone(read, "1. Executive summary", "2. Introduction")


def _narrative(read: Read) -> set[int]:
    return _zone(read, "6. Summary of agency involvement", "7. Analysis")


def _analysis(read: Read) -> set[int]:
    return _zone(read, "7. Analysis", "8. Good practice")




def _lscb_records(read: Read) -> list[StoredRecommendation]:
    lscb = _zone(read, "11. Recommendations", "Single agency recommendations")
    return [r for seq, r in read.recommendations if seq in lscb & read.seqs("recommendation")]


def _row_records(read: Read) -> dict[str, list[StoredRecommendation]]:
    """The records read from each single agency recommendation's row."""
    out: dict[str, list[StoredRecommendation]] = {}
    for opening in SINGLE_AGENCY:
        (row,) = opened_by(read, opening)
        out[opening] = [r for seq, r in read.recommendations if seq == row]
    return out


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 174, 26, 16, 132)


def test_the_store_holds_the_passages_that_were_labelled_from_the_pdf(read: Read) -> None:
    # 175 on the first reading: the single agency table's first row, split across
    # pages 12 and 13 (its header and recommendation at the foot, its agency overleaf),
    # was read as two paragraphs.
    only(read, "pdf")
    holds_the_labels(read, 174, 26, 16, 132)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: from the PDF the glossary's 'Was not brought', wrapped in its
# cell, is read as 'Was brought | not | ...' (the single agency table crossing from page 12 to
# 13, its header and first row's recommendation at the foot and its agency cell overleaf, read
# as paragraphs on the first reading, now reads as written)
def test_each_passage_reads_as_the_markdown_wrote_it_from_the_pdf(read: Read) -> None:
    reads_as_written(read, "pdf")


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_and_board(read: Read) -> None:
    # The LSCB as the title page names it: what a user filtering by board expects.
    identity(read, type="SCR", board=BOARD)


def test_the_lscbs_numbering_is_the_identifier(read: Read) -> None:
    # "SCR 2015/02": type, year and sequence, no board abbreviation, no Welsh W.
    assert (read.summary.identifier, read.summary.review_id) == (IDENTIFIER, IDENTIFIER)
    found = parse_review_id(NUMBERING)
    assert (found.type, found.year, found.seq, found.board) == ("SCR", 2015, 2, None)
    assert read.summary.year == 2015


def test_the_index_incident_is_js_death(read: Read) -> None:
    assert read.summary.dates.get("index_incident") == "2015-01-14", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 12 June 2012 ... to 14 January 2015".
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2012-06-12", "2015-01-14"), dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    # The LSCB's six and the six single agency rows: twelve recommendations.
    only(read, "markdown")
    finds_the_recommendations(read, LSCB + SINGLE_AGENCY)
    reads_every_recommendation_passage(read)


def test_every_recommendation_is_found_from_the_pdf(read: Read) -> None:
    # On the first reading only 7 of the 12 were found (9 records): the five
    # single agency rows on page 13, after the table's header and first row
    # were left on page 12, were read as table rows but not as recommendations.
    only(read, "pdf")
    reads_every_recommendation_passage(read)
    rows = {s for s in read.seqs("recommendation") if read.passages[s].kind == "table_row"}
    assert len(rows) == 6
    unread = sorted(rows - {seq for seq, _ in read.recommendations})
    assert not unread, [read.text(s)[:50] for s in unread]


def _found(read: Read) -> float:
    """The fraction of the twelve recommendations with a record read from
    their labelled passages."""
    labelled = read.seqs("recommendation")
    groups: list[set[int]] = []
    for seq in sorted(labelled):
        if not read.text(seq).startswith(("i.", "ii.")):
            groups.append(set())
        groups[-1].add(seq)
    recorded = {seq for seq, _ in read.recommendations}
    return sum(bool(g & recorded) for g in groups) / 12


def test_the_judged_bar_on_recommendations_found_holds(read: Read) -> None:
    # Issue 14: 6 of 7 found; 12 of 12 from the Markdown.
    only(read, "markdown")
    assert _found(read) >= 6 / 7, _found(read)


def test_the_judged_bar_on_recommendations_found_holds_from_the_pdf(read: Read) -> None:
    # 7 of 12 on the first reading: the rows after the page break were not read
    # as the table's.
    only(read, "pdf")
    assert _found(read) >= 6 / 7, _found(read)


def test_the_lscbs_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for r in _lscb_records(read)] == NUMBERS


def test_each_roman_part_is_completed_by_its_lead_in(read: Read) -> None:
    parts = {r.number: r for r in _lscb_records(read) if "." in r.number}
    assert sorted(parts) == ["2.i", "2.ii", "4.i", "4.ii"], sorted(parts)
    for number, r in parts.items():
        lead = ("The LSCB should seek assurance" if number.startswith("2")
                else "The LSCB should revise its procedure")
        assert r.text.startswith(lead), (number, r.text)


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def test_the_lscbs_recommendations_are_to_the_reviews_own_board(read: Read) -> None:
    # On the first reading none of the eight was: 'Hartfield LSCB' and 'The LSCB' were
    # no addressee storfa knew, so the bodies named later in the sentence were taken.
    # "Hartfield LSCB" and "The LSCB" are the title page's board; the trusts
    # it is to seek assurance from are not the addressees.
    named = {r.number: r.agencies for r in _lscb_records(read)}
    wrong = {n: a for n, a in named.items() if a != [BOARD]}
    assert not wrong, wrong


def test_each_single_agency_row_is_to_its_agency(read: Read) -> None:
    only(read, "markdown")
    _rows_to_their_agencies(read)


def test_each_single_agency_row_is_to_its_agency_from_the_pdf(read: Read) -> None:
    # On the first reading the first row was recorded to nobody and the five
    # after it not at all.
    only(read, "pdf")
    _rows_to_their_agencies(read)


def _rows_to_their_agencies(read: Read) -> None:
    wrong = {opening: [r.agencies for r in records]
             for opening, records in _row_records(read).items()
             if not records or any(r.agencies != [ROW_AGENCIES[opening]] for r in records)}
    assert not wrong, wrong


def test_no_record_from_the_questions_good_practice_lessons_or_summary(read: Read) -> None:
    # The key lines of enquiry are numbered questions, the good practice a
    # numbered list, the lessons "Lesson N: ... should be resolved"; the
    # summary's sentence about the recommendations is no recommendation.
    zones = {
        "terms of reference": _zone(read, "3. Terms of reference", "4. Methodology"),
        "good practice": _zone(read, "8. Good practice", "9. Lessons learned"),
        "lessons": _zone(read, "9. Lessons learned", "10. Conclusions"),
        "summary": _summary(read),
        "analysis": _analysis(read),
        "narrative": _narrative(read),
    }
    assert len(zones["terms of reference"]) == 8 and len(zones["lessons"]) == 5
    for what, seqs in zones.items():
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: the same theme as the label on 10 of the 19 practice passages
# suggested (0.53; the same sub-theme on 7): Multi-agency working read as Consistent care and
# support (7.9 the diabetes team's preparation, 7.15 the child in need meetings), the midwife's
# referral as Effective communication and Risk assessment (labelled Escalating concerns), the
# police officer's checks on Mr D as Record keeping (Risk assessment), the GP's same-day
# admission as Consistent care and support (Adhering to policy and procedure), the notification
# as Adhering to policy (Record keeping), the teaching assistant's note as Record keeping and
# Positive working relationships (Effective communication)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents": _zone(read, "Contents", "Foreword by the Independent Chair of the LSCB"),
        "introduction": _zone(read, "2. Introduction", "3. Terms of reference"),
        "terms of reference": _zone(read, "3. Terms of reference", "4. Methodology"),
        "family structure": _zone(read, "5. Family structure",
                                  "6. Summary of agency involvement"),
        "appendices": in_section(read, "Appendix"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_a_recommendation(read: Read) -> None:
    only(read, "markdown")
    never_suggested(read, {"recommendation": read.seqs("recommendation")})


def test_auto_coding_never_suggests_a_recommendation_from_the_pdf(read: Read) -> None:
    # Two single agency rows were suggested on the first reading.
    only(read, "pdf")
    never_suggested(read, {"recommendation": read.seqs("recommendation")})


def test_auto_coding_never_suggests_the_foreword(read: Read) -> None:
    # The chair praises the report and "many of them worked hard": no practice.
    foreword = _zone(read, "Foreword by the Independent Chair of the LSCB",
                     "1. Executive summary")
    assert len(foreword) == 3
    never_suggested(read, {"foreword": foreword})


def test_auto_coding_never_suggests_the_method_or_the_mothers_words(read: Read) -> None:
    # 'the diabetes nurse "was the only one who kept coming"' is Ms B's.
    method = _zone(read, "4. Methodology", "5. Family structure")
    assert len(method) == 5
    never_suggested(read, {"methodology": method})


def test_auto_coding_finds_the_good_practice_in_the_summary(read: Read) -> None:
    (restated,) = opened_by(read, "1.4 The review also found good practice")
    assert restated in read.seqs("practice")
    all_suggested(read, {restated})


def test_auto_coding_does_not_suggest_the_rest_of_the_summary(read: Read) -> None:
    rest = _summary(read) & read.seqs("other")
    assert len(rest) == 4
    never_suggested(read, {"summary": rest})


def test_auto_coding_finds_what_the_imr_authors_call_good(read: Read) -> None:
    # "The health IMR author considers that this was good practice", "... of a
    # good standard", "... describes the training as thorough".
    judged = _narrative(read) & read.seqs("practice")
    assert len(judged) == 4
    all_suggested(read, judged)


@pytest.mark.xfail(strict=True, reason=(
    "'6.14 In May 2014 a new health visitor completed a Graded Care Profile assessment for M "
    "... She sent a copy to Social worker 1. J's school attendance ... 81%' is suggested "
    "(0.63, Consistent care and support; 0.93 from the PDF), and from the PDF also '6.4 "
    "Children's Social Care completed an initial assessment within ten working days ...' "
    "(0.56): plain dated facts with no judgement (the analysis praises the Graded Care "
    "Profile, in 7.5, which is missed)"))
def test_auto_coding_never_suggests_the_plain_narrative(read: Read) -> None:
    # Dated facts, some of them practice the analysis praises (the teaching
    # assistant's note, the nurse's visits and her escalation), and the IMR
    # author's "the decision to close was premature".
    plain = _narrative(read) & read.seqs("other")
    assert len(plain) == 18
    never_suggested(read, {"summary of agency involvement": plain})


@pytest.mark.xfail(strict=True, reason=(
    "4 of the 16 practice paragraphs of the analysis are not suggested: '7.5 ... Her "
    "assessment was careful and evidence-based' (0.32), '7.8 The GP's response ... was "
    "prompt and in line with NICE guidance' (0.11), '7.17 The police notification ... was a "
    "clear account' (0.09) and '7.24 ... in line with the trust's routine enquiry policy' "
    "(0.46); on the first reading 7 (7.2 'a good example of' 0.37, 7.14 'Since J's death' "
    "0.49 and 7.20 'It would have been appropriate' 0.11 are now suggested)"))
def test_auto_coding_finds_the_practice_in_the_analysis(read: Read) -> None:
    found = _analysis(read) & read.seqs("practice")
    assert len(found) == 16
    all_suggested(read, found)


@pytest.mark.xfail(strict=True, reason=(
    "'7.17 The police notification of March 2014 was a clear account of the home and of each "
    "of the four children, and the officer did what was asked of her. Children's Social "
    "Care placed it on J's file without ...' (0.09) and '7.24 The health visitor asked Ms B "
    "about domestic abuse ... in line with the trust's routine enquiry policy' (0.46) are not "
    "suggested; 7.9, 7.15 and 7.21 are"))
def test_auto_coding_finds_practice_stated_mildly_or_through_its_outcome(
        read: Read) -> None:
    mild = opened_by(read, "7.9 The diabetes team prepared", "7.15 The first four",
                     "7.17 The police notification", "7.21 The school's family support",
                     "7.24 The health visitor asked")
    assert mild <= read.seqs("practice")
    all_suggested(read, mild)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    # '7.20 ... It would have been appropriate to hold a strategy discussion' read
    # 0.11 on the first reading (inside a criticism, not opening the paragraph).
    # "It would have been good practice for ..." and "It would have been
    # appropriate to hold a strategy discussion" (closing a criticism).
    suggested = opened_by(read, "7.6 It would have been", "7.20 The front door's")
    assert suggested <= read.seqs("practice")
    all_suggested(read, suggested)


def test_auto_coding_finds_the_change_made_since_js_death(read: Read) -> None:
    # '7.14 Since J's death, ... has introduced ...' read 0.49 on the first reading,
    # just under the threshold: 'since J's death' was no change storfa knew.
    (change,) = opened_by(read, "7.14 Since J's death")
    assert change in read.seqs("practice") and change in read.suggested


@pytest.mark.xfail(strict=True, reason=(
    "at the unsigned int8 weights the suite pins (conftest.py), '7.11 The hospital's own "
    "procedures, however, treated J's missed appointments as the family's choice ...' is "
    "suggested (0.50, Effective communication), from both readings; at signed weights "
    "(VNNI) it is not"))
def test_auto_coding_does_not_suggest_criticism_in_the_analysis(read: Read) -> None:
    # "did not", "missed opportunity", "lack of ...", "With hindsight", and two
    # concessions that open a criticism ("The referral that followed was
    # right, but ...", "received monthly supervision, as the authority's
    # policy requires. The supervision records, however, ...").
    poor = _analysis(read) & read.seqs("other")
    assert len(poor) == 16
    never_suggested(read, {"criticism": poor})


def test_auto_coding_finds_every_item_of_good_practice(read: Read) -> None:
    listed = _zone(read, "8. Good practice", "9. Lessons learned") & read.seqs("practice")
    assert len(listed) == 5
    all_suggested(read, listed)


def test_auto_coding_never_suggests_the_lessons_or_the_conclusions(read: Read) -> None:
    lessons = _zone(read, "9. Lessons learned", "10. Conclusions")
    conclusions = _zone(read, "10. Conclusions", "11. Recommendations")
    assert len(lessons) == 5 and len(conclusions) == 2
    never_suggested(read, {"lessons": lessons, "conclusions": conclusions})
