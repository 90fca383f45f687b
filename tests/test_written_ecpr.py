"""A fifth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: the held-out check of the
single-case auto-coding threshold chosen on the other four written reviews
(the Concise CPR of `test_written_review.py`, the APR, the SUSR and the DHR).

`tests/data/written-ecpr/ecpr-written-2026.md` is a WRITTEN Extended Child
Practice Review (fictional: no real case or person) for the West Glamorgan
Safeguarding Board, about a toddler on the child protection register injured
by his mother's partner. Where it differs from the other four:

- the title page: the board's name on a line above "Child Practice Review
  Report", then "Extended Child Practice Review", the board's numbering "CPR
  WGSB 1/2025" and "Re: Child T"; the analysis cites a review of West
  Glamorgan's former board, "CPR WBSB 3/2018" (Western Bay);
- headings are not numbered, nor are paragraphs; contents lines are plain
  paragraphs ending in a page number;
- the voice of published reviews: long paragraphs that mix facts, judgement
  and context, good practice said mildly and often in the middle of a
  paragraph about something else ("demonstrated professional curiosity",
  "in line with the health board's routine enquiry policy", "a good example
  of", "appropriately", "well co-ordinated and timely"), poor practice in the
  same words ("was not in line with", "was not timely"), and "It would have
  been good practice for ...";
- the chronology is a table "Date | Agency | Event" dated "17 February 2024";
- effective practice is six prose paragraphs after a lead-in, not a list;
- recommendations: a numbered list, the first a lead-in addressed to "the
  Board" with roman parts "(i)" to "(iii)", the fifth to the West Glamorgan
  Safeguarding Board by name, the sixth to "the Board"; then "Learning
  points", bullets after a lead-in, which say what was learnt.

Its labels (`ecpr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, paragraph by paragraph, before storfa was run on it: 140
passages, 21 practice (15 in the five learning themes, 6 under "Effective
practice"), 9 recommendation (6 recommendations, 8 records as the report
numbers them), 110 other. A paragraph is practice where the reviewers
present some practice in it as good in its own right, however mildly and
wherever in the paragraph; a concession that opens a criticism ("received
supervision monthly, as the authority's policy requires ... The supervision
records, however, are brief") is other, as the CPR's "focused appropriately
..., but" is. The recommendation lead-in "1. The Board should seek assurance
... that:" is a recommendation passage (it is the recommendation's subject
and verb, as the CPR's "1. The Board must ... by:"); the section's lead-in,
the learning points and the family's views of practitioners are other.
Borderline, labelled other: the tenancy officer "was the only practitioner
who recorded that a second adult appeared to be living at the flat" (no
judgement given; the paragraph's point is that it went no further).

What storfa makes of it (on a working tree at cfb7817, the commit that chose
the single-case threshold 0.50 on the other four): identity CPR2025-01/WG, extended, West
Glamorgan, from both readings; the 8 records found as numbered, nothing else,
but "(iii)" without its lead-in; auto-coding 33 suggestions, 18 of the 21
practice paragraphs: precision 0.55, recall 0.86, the same sub-theme as the
label on 13 of 18. The wrong suggestions are the family's contribution, two
learning points, two section lead-ins, and eight paragraphs of the analysis
(three of poor practice in the same words as praise); the misses are the two
changes agencies made during the review and one paragraph at 0.499. From the
PDF, the chronology table comes apart where it crosses a page.

That was the fresh check. What it found was then fixed in the document
reading (the family's contribution is method, learning points a zone of
their own, signposting sentences furniture, criticism and plain dated
narrative read down, a change made since the learning event read up and
coded Learning from past reviews), and the single-case threshold chosen
again on all five reviews (still 0.50; each at the threshold chosen on the
other four, pooled P/R 0.87/0.94: bench/wholedoc_eval.py): 24 suggestions,
19 of 21 practice, precision 0.79, recall 0.90. So from here on this review
is tuned on, like the other four.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    lead_ins,
    never_suggested,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-ecpr"
DOCUMENT = DATA / "ecpr-written-2026.md"
BOARD = "West Glamorgan Safeguarding Board"
IDENTIFIER = "CPR2025-01/WG"  # "CPR WGSB 1/2025" on the title page
CITED = "CPR2018-03/WG"  # "As found in CPR WBSB 3/2018", in the analysis
# Each recommendation's opening passage; the roman parts after the first
# belong to it.
RECOMMENDATIONS = (
    "1. The Board should seek assurance",  # a lead-in, then (i)-(iii)
    "2. Neath Port Talbot Children's Services should",
    "3. Swansea Bay University Health Board should",
    "4. South Wales Police should remind",
    "5. The West Glamorgan Safeguarding Board should revise",
    "6. The Board should share the learning",
)
# The records as the report numbers them: the lead-in is completed by each of
# its parts, which are records of their own (as the SUSR's "2." / "i." give
# "2.i").
NUMBERS = ["1.i", "1.ii", "1.iii", "2", "3", "4", "5", "6"]
AGENCIES = {
    "2": ["Neath Port Talbot Children's Services"],
    "3": ["Swansea Bay University Health Board"],
    "4": ["South Wales Police"],
    "5": [BOARD],
    "6": [BOARD],  # "The Board", the review's own
}
# The sections of the review template and its method, none of them practice
# ("Family contribution" too: its own xfail below).
PRELIMINARIES = ("Contents", "Introduction", "Terms of reference",
                 "Methodology and the learning event", "Brief outline of circumstances")
TEMPLATE = ("Statement by Reviewer(s)", "Statement by Review Panel Chair", "Appendix 1")


read = reading(DOCUMENT, DATA / "ecpr-written-2026.tsv", "written-ecpr")


def _analysis(read: Read) -> set[int]:
    # By heading text: a PDF's theme headings are top-level sections of their own.
    return between(read, "Practice and organisational learning", "Effective practice")


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 140, 21, 9, 110)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    # From the PDF too: the chronology table runs from page 4 to page 5 with
    # no header row on page 5, and its rows there are read in the columns of
    # page 4 (the first one, date and agency run together, and "5 September"
    # / "2024" wrapping).
    reads_as_written(read)


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    s = identity(read, type="CPR", variant="extended", board="West Glamorgan")
    # The Western Bay review the analysis cites is not this one.
    assert CITED not in (s.identifier, s.review_id)


def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("CPR", 2025, 1, "WG"), "CPR WGSB 1/2025")


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found_and_nothing_else(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.split(".")[0])
    reads_every_recommendation_passage(read)
    records_beyond_the_labels(read, 0)


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for _, r in read.recommendations] == NUMBERS


def test_no_recommendation_from_the_learning_points_or_the_terms_of_reference(
        read: Read) -> None:
    learning = in_section(read, "Learning points")
    assert len(learning) == 6  # the lead-in and five bullets
    assert not read.covered & learning, [read.text(s)[:60] for s in read.covered & learning]
    terms = in_section(read, "Terms of reference")
    assert len(terms) == 7 and not read.covered & terms


def test_each_numbered_record_names_its_addressee(read: Read) -> None:
    named = {r.number: r.agencies for _, r in read.recommendations}
    for number, agencies in AGENCIES.items():
        assert named[number] == agencies, (number, named[number])


def test_each_roman_part_is_completed_by_the_lead_in(read: Read) -> None:
    # "(iii) the child protection plan sets out how practitioners will know
    # ..." ends the lead-in's sentence: "will" after "how" is no directive.
    parts = {r.number: r for _, r in read.recommendations if r.number.startswith("1.")}
    assert list(parts) == ["1.i", "1.ii", "1.iii"]
    for number, r in parts.items():
        assert r.text.startswith("The Board should seek assurance"), (number, r.text)
        assert r.agencies[:1] == [BOARD], (number, r.agencies)


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.80 at 0.49 (25 suggestions, 20 practice; 0.55 on the first reading).
    # Still suggested and labelled other: 'Ms A spoke openly about how she had
    # felt ...' (the family's contribution, 0.73), 'T was too young to say
    # ...' (0.73), 'As found in CPR WBSB 3/2018 ...' (0.60), 'The strength of
    # the relationship ...' (0.58), 'The newly qualified social worker
    # received supervision monthly ...' (0.56).
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.90: 19 of 21 (the misses: 'When the health visitor found Mr C ...',
    # 0.45, and 'Following the incident on 5 September 2024 a strategy
    # discussion was held the next day ...', just under 0.50).
    holds_the_floors(read, precision=None)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents, introduction, method": in_section(read, *PRELIMINARIES),
        "chronology": in_section(read, "Summary chronology"),
        "statements and appendix": in_section(read, *TEMPLATE),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_familys_contribution(read: Read) -> None:
    # "Ms A spoke openly about how she had felt ... her personal adviser was the
    # one person she felt she could talk to" (0.95 read alone) was suggested in
    # the method zone (0.74) until her own words were read as hers.
    family = in_section(read, "Family contribution")
    assert len(family) == 4
    never_suggested(read, {"family contribution": family})


def test_auto_coding_never_suggests_a_learning_point(read: Read) -> None:
    learning = in_section(read, "Learning points")
    never_suggested(read, {"learning points": learning})


def test_auto_coding_does_not_suggest_a_sections_lead_in(read: Read) -> None:
    never_suggested(read, {"section lead-in": opened_by(
        read, "The review identified a number of examples", "The learning from this review",
        "In order to promote the learning")})


def test_auto_coding_finds_every_paragraph_of_effective_practice(read: Read) -> None:
    # Prose paragraphs under "Effective practice": the section names itself.
    listed = read.seqs("practice") & in_section(read, "Effective practice")
    assert len(listed) == 6
    all_suggested(read, listed)


@pytest.mark.xfail(strict=True, reason=(
    "'When the health visitor found Mr C at the flat on 14 May 2024 she had ...' is not "
    "suggested (0.45): a dated narrative that says twice what was not known, its praise "
    "('She did, however, record ... in line with the health board's routine enquiry "
    "policy') mild; the plain-narrative and criticism priors take it below the threshold 0.49"))
def test_auto_coding_finds_praise_stated_mildly_in_the_analysis(read: Read) -> None:
    # Good practice in the middle of a paragraph about something else:
    # "demonstrated professional curiosity", "She did, however, record ... in
    # line with the health board's routine enquiry policy", "followed the
    # Board's protocol ... appropriately", "It would have been good practice".
    mild = opened_by(read, "The first contact that any agency had with Mr C",
                    "When the health visitor found Mr C", "On the morning of 13 January",
                    "The Domestic Violence Disclosure Scheme was not considered")
    assert mild <= read.seqs("practice")
    all_suggested(read, mild)


def test_auto_coding_finds_the_changes_made_since_the_learning_event(read: Read) -> None:
    changes = opened_by(read, "Since the learning event", "The health board has also already")
    assert changes <= read.seqs("practice")
    assert changes <= read.suggested.keys()


def test_auto_coding_does_not_suggest_poor_practice_in_the_same_words(read: Read) -> None:
    # "was not in line with", "was not timely", "not linked ... in a timely way".
    poor = {s for s in read.seqs("other") & _analysis(read)
            if any(w in read.text(s) for w in ("not in line with", "not timely",
                                                "not linked to the child"))}
    assert len(poor) == 6
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]
