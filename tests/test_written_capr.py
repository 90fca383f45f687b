"""A sixth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check of the
single-case auto-coding threshold (0.50) and the document-reading rules
chosen on the other five written reviews (the Concise CPR, the Extended APR,
the SUSR, the DHR and the Extended CPR).

`tests/data/written-capr/capr-written-2026.md` is a WRITTEN Concise Adult
Practice Review (fictional: no real case or person) for the Cwm Taf
Morgannwg Safeguarding Board, about an 86-year-old woman who died after
self-neglect and a fall at home, her adult son her carer. Where it differs
from the other five:

- the title page: the board's name, "Concise Adult Practice Review" as the
  title, the board's numbering "APR CTMSB 02-2025" (a dash before the year,
  as the board numbers its published reviews), then "Mrs W"; contents are a
  numbered list with no page numbers;
- terse numbered paragraphs throughout ("1.1", "4.30", "A1.2"), short
  sentences; practice often stated through what was done and what came of
  it ("they came back the next day, tried different times ... the dressings
  were completed at nine of eleven visits"), sometimes explicitly ("This was
  good practice"), poor practice and plain facts in the same register (a
  concession "This was in line with its policy at the time" before a gap);
  "It would have been good practice to ...";
- the chronology is prose paragraphs, each opening on a date;
- findings under headings that are questions from the terms of reference,
  with a short "Good practice" sub-section inside the findings (three
  one-sentence restatements after a lead-in);
- learning is a table "Learning | Agency | Action" (how each agency shared
  the learning), not recommendations, one row saying what "must be
  considered";
- recommendations: "Recommendation N: <text>" paragraphs under "Improving
  systems and practice", the first to "The Board", the second a lead-in
  "... should:" with lettered parts "a)" / "b)", the fourth to "All
  agencies".

Its labels (`capr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, paragraph by paragraph, before storfa was run on it: 116
passages, 17 practice (14 in the findings' questions, 3 under "Good
practice"), 7 recommendation (5 recommendations, 6 records as the report
numbers them), 92 other. As the APR's and the ECPR's: a paragraph is
practice where the reviewers present some practice in it as good, however
implicitly; the recommendation lead-in "Recommendation 2: ... should:" is a
recommendation passage; the section lead-ins, the learning table (header
and rows), the chronology and the family's words are other.

The fresh check, run once the labels were final (HEAD f7c18dd with others'
uncommitted changes to src/, as found; by the machine's clock the session
began 18:10:58, the labels were written 18:13:29, storfa first run
18:13:59), the same from the Markdown and from the PDF: identity
APR2025-02/CTM, concise, Cwm Taf Morgannwg; the 6 records found as numbered
("1", "2a", "2b", "3", "4", "5", each part completed by its lead-in), and
one more, the section's lead-in "6.1"; nothing from the learning table, the
findings or the terms of reference. Auto-coding at the single-case threshold
0.50: 13 suggestions, 11 of the 17 practice paragraphs, precision 0.85,
recall 0.65, the same sub-theme as the label on 4 of 11. Wrong: two plain
paragraphs of the findings (0.52, 0.60). Missed: four paragraphs whose
practice is stated through what came of it (0.26-0.43), one that ends "This
was good practice" (0.47), and the change an agency made during the review
(0.36). Nothing suggested in the title page, contents, introduction,
circumstances, chronology, learning table, statement or terms of reference.
From the PDF, one row of the learning table comes apart across a page.

Being written, its figures are a behavioural check, not
a headline. What storfa gets wrong is a test of its own marked strict
xfail, its reason saying what storfa gave and what is right. The document is
ingested once per module (from Markdown, and from a PDF laid out as a Word
report) into a temporary SQLite store, and auto-coded with the shipped
classifier and real embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
    headings,
    holds_the_floors,
    holds_the_labels,
    identified,
    identity,
    in_section,
    never_suggested,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-capr"
DOCUMENT = DATA / "capr-written-2026.md"
BOARD = "Cwm Taf Morgannwg Safeguarding Board"
COUNCIL = "Rhondda Cynon Taf County Borough Council"
NUMBERING = "APR CTMSB 02-2025"  # on the title page
# Each recommendation's opening passage; the lettered parts after the second
# belong to it.
RECOMMENDATIONS = (
    "Recommendation 1: The Board should",
    "Recommendation 2: Rhondda Cynon Taf",  # a lead-in "... should:", then a), b)
    "Recommendation 3: Cwm Taf Morgannwg University Health Board",
    "Recommendation 4: All agencies should",
    "Recommendation 5: The Welsh Ambulance Services",
)
# The records as the report numbers them: the lead-in is recorded through
# its lettered parts (as the APR's "1a", "1b").
NUMBERS = ["1", "2a", "2b", "3", "4", "5"]
# The agencies named in full (the Board, the council and "All agencies": their
# xfails below).
AGENCIES = {
    "3": ["Cwm Taf Morgannwg University Health Board"],
    "5": ["Welsh Ambulance Services NHS Trust"],
}
PRELIMINARIES = ("Contents", "1. Introduction", "2. Circumstances")
TEMPLATE = ("7. Statement by reviewer", "Appendix 1")


read = reading(DOCUMENT, DATA / "capr-written-2026.tsv", "written-capr")


def _findings(read: Read) -> set[int]:
    # By heading text: a PDF's question headings are top-level sections of their own.
    return between(read, "4. Findings", "5. Learning")


def _good_practice(read: Read) -> set[int]:
    return between(read, "Good practice", "5. Learning")


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 116, 17, 7, 92)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    # From the PDF too: the learning table's row "A pendant alarm only helps
    # if it is worn. | Adult Social Care | Raised with the community alarm
    # service" is broken by the page (its agency cell at the foot of page 6,
    # the rest at the head of page 7, its last cell's words set wide apart,
    # justified), and read as one row.
    reads_as_written(read)


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    identity(read, type="APR", variant="concise", board="Cwm Taf Morgannwg")


def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    identified(read, "APR2025-02/CTM", ("APR", 2025, 2, "CTM"), NUMBERING)


# ------------------------------------------------------------ recommendations
def _labelled_records(read: Read) -> list[StoredRecommendation]:
    labelled = read.seqs("recommendation")
    return [r for seq, r in read.recommendations if seq in labelled]


def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("ab"))
    reads_every_recommendation_passage(read)


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    # Those read from the labelled passages ("6.1 The reviewer makes five
    # recommendations." introduces them and is none).
    assert [r.number for r in _labelled_records(read)] == NUMBERS


def test_each_lettered_part_is_completed_by_the_lead_in(read: Read) -> None:
    parts = {r.number: r for r in _labelled_records(read) if r.number.startswith("2")}
    assert list(parts) == ["2a", "2b"]
    for number, r in parts.items():
        assert r.text.startswith("Rhondda Cynon Taf County Borough Council Adult Social Care "
                                 "should ensure"), (number, r.text)


def test_each_named_agency_is_its_records_addressee(read: Read) -> None:
    named = {r.number: r.agencies for r in _labelled_records(read)}
    for number, agencies in AGENCIES.items():
        assert named[number] == agencies, (number, named[number])


def test_the_board_is_the_reviews_own(read: Read) -> None:
    # The title page's board: the section names only "the Board".
    named = {r.number: r.agencies for r in _labelled_records(read)}
    assert named["1"] == [BOARD], named["1"]


def test_the_lettered_parts_name_the_council(read: Read) -> None:
    for r in _labelled_records(read):
        if r.number in ("2a", "2b"):
            assert r.agencies[:1] and r.agencies[0].startswith(COUNCIL), (r.number, r.agencies)


def test_a_recommendation_to_all_agencies_is_not_the_gps(read: Read) -> None:
    # The GP is who the information goes to; the recommendation is to all agencies.
    named = {r.number: r.agencies for r in _labelled_records(read)}
    assert named["4"] == ["all agencies"], named["4"]


def test_no_recommendation_from_the_learning_table_or_the_findings(read: Read) -> None:
    # The learning table says what was learnt and how it was shared ("capacity
    # to make the decision must be considered"); "It would have been good
    # practice to ..." in the findings says what was missed.
    learning = in_section(read, "5. Learning")
    assert len(learning) >= 8  # the lead-in, the header and six rows (more from the PDF)
    assert not read.covered & learning, [read.text(s)[:60] for s in read.covered & learning]
    findings = _findings(read)
    assert not read.covered & findings, [read.text(s)[:60] for s in read.covered & findings]
    terms = in_section(read, "Appendix 1")
    assert len(terms) == 9 and not read.covered & terms


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents, introduction, circumstances": in_section(read, *PRELIMINARIES),
        "chronology": in_section(read, "3. Chronology summary"),
        "statement and terms of reference": in_section(read, *TEMPLATE),
        "recommendation": read.seqs("recommendation"),
    })


def test_auto_coding_never_suggests_the_learning_table(read: Read) -> None:
    never_suggested(read, {"learning": in_section(read, "5. Learning")})


def test_auto_coding_finds_every_item_of_good_practice(read: Read) -> None:
    # Three restatements under "Good practice", inside the findings.
    listed = read.seqs("practice") & _good_practice(read)
    assert len(listed) == 3
    all_suggested(read, listed)


def test_auto_coding_does_not_suggest_the_good_practice_lead_in(read: Read) -> None:
    (lead_in,) = opened_by(read, "4.31 The review highlights")
    assert lead_in not in read.suggested, read.suggested.get(lead_in)


def test_auto_coding_finds_every_paragraph_that_says_good_practice(read: Read) -> None:
    # "4.16 The ambulance crew ... This was good practice." read 0.47 on the
    # first reading (the fresh check): the reviewers' verdict now counts.
    said = {s for s in read.seqs("practice") & _findings(read)
            if "good practice" in read.text(s)}
    assert len(said) == 4
    all_suggested(read, said)


@pytest.mark.xfail(strict=True, reason=(
    "practice stated through what was done and what came of it is not all suggested: "
    "'4.7 When Mrs W refused to let the district nurses dress her legs, they came back the "
    "next day ...' (0.38; 0.26 on the first reading), '4.12 The fire service's safeguarding "
    "lead did not accept the closure. She wrote ...' (0.27) and '4.15 The fire and rescue "
    "crew who visited on 4 November 2024 found Mrs W smoking ...' (0.32); '4.23 The "
    "carers' centre support worker telephoned Son every month ...' now is (0.43 first), "
    "with 4.8, 4.13, 4.19, 4.26 and 4.27"))
def test_auto_coding_finds_practice_stated_through_its_outcome(read: Read) -> None:
    implicit = opened_by(read, "4.7 When Mrs W refused", "4.8 One nurse", "4.12 The fire",
                        "4.13 On reopening", "4.15 The fire and rescue crew",
                        "4.19 On 29 October", "4.23 The carers'", "4.26 Mrs W saw the same GP",
                        "4.27 On the day of discharge")
    assert implicit <= read.seqs("practice")
    all_suggested(read, implicit)


def test_auto_coding_finds_the_change_made_during_the_review(read: Read) -> None:
    # "4.30 During the review, Rhondda Cynon Taf Adult Social Care changed its
    # screening procedure ...": 0.36 on the first reading.
    (change,) = opened_by(read, "4.30 During the review")
    assert change in read.seqs("practice") and change in read.suggested


@pytest.mark.xfail(strict=True, reason=(
    "plain facts in the findings are suggested: '4.2 Practitioners at the learning event "
    "described Mrs W as \"strong-minded\" ... Each refusal was recorded as her choice.' "
    "(0.52) and '4.9 Mrs W cancelled most of the reablement calls ... The reablement team "
    "told Adult Social Care when the package ended. The GP and the district nurses were "
    "not told.' (0.60): neither presents any practice as good"))
def test_auto_coding_does_not_suggest_plain_facts_in_the_findings(read: Read) -> None:
    facts = opened_by(read, "4.2 Practitioners at the learning event", "4.9 Mrs W cancelled")
    assert facts <= read.seqs("other")
    wrong = sorted(facts & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]
