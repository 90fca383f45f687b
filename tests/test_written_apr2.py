"""An eleventh whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on a
Welsh Extended Adult Practice Review laid out as North Wales publishes them,
of the single-case auto-coding threshold and the document-reading rules
chosen on the written reviews before it.

`tests/data/written-apr2/apr2-written-2026.md` is a WRITTEN Extended Adult
Practice Review (fictional: no real case or person) for the North Wales
Safeguarding Board, about Adult C, a 79-year-old woman living with
Alzheimer's disease in a Conwy care home, who fell at least eleven times in
nine months, was lifted back into bed by hand after a fall at night, was
given telephone advice by her GP the next day, was found to have a hip
fracture by a district nurse the day after, and died in hospital of
pneumonia after surgery. Where it differs from the other ten:

- the title page: "North Wales Safeguarding Board" above the heading "Adult
  Practice Review Report", then "Extended Adult Practice Review", "Re:
  NWSAB 3/2024" (the board's adults' numbering, no type), the board's logo
  text "Bwrdd Diogelu Gogledd Cymru", "Adult C" and the date of the final
  report; contents as a table "Section | Page";
- deep decimal numbering: sections "1." to "8.", learning themes as
  numbered sub-headings "4.1 Learning theme 1: ..." and paragraphs
  "4.1.1" ... "4.6.6", long paragraphs; "Brief outline of circumstances
  resulting in the Review" (its last paragraph names the good practice),
  "Methodology" ("met with Adult C's son twice"), "Family involvement" (the
  son's words);
- "Practice and organisational learning" under six learning themes, good
  practice mostly mild and embedded ("appropriately", "in accordance with
  the Wales Safeguarding Procedures", "demonstrated a person-centred
  approach", "prompt, detailed and well-reasoned", "robust", "well
  chosen") or implied by what came of it ("the home had the equipment in
  place within a fortnight"), criticism and plain facts in the same voice,
  concessions ("The review acknowledges that ...; but ...", "decided,
  within the seven working days the procedures require, ... The enquiry
  consisted of a request to the home"), two changes made since the death;
- a separate "5. Good practice identified": a lead-in and a TABLE "Agency |
  Good practice" of five rows restating practice from the learning;
- "6. Improving Systems and Practice": the template's lead-in, then a TABLE
  "No. | Recommendation | Agency | Outcome" of seven rows, row 1 to "NWSB"
  (the abbreviation only) with its parts a) to c) in the same cell, the
  others to Betsi Cadwaladr University Health Board (2), Conwy County
  Borough Council Social Services (2), the Welsh Ambulance Services NHS
  Trust and the care home's provider;
- "Statement by Reviewer(s)" as a two-column table (one column a
  reviewer), "Statement by Review Panel Chair" as a two-column table,
  "Appendix 1: Terms of reference" (a lead-in, bullets, the process) and
  "Appendix 2: Summary timeline" (a table "Date | Agency | Event").

Its labels (`apr2-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 133
passages, 25 practice (19 in the learning, 5 rows of the good practice
table, 1 in the outline), 7 recommendation (the table's rows), 101 other.
As the CAPR's, ECPR's, SAR's and Welsh CPR's: a paragraph is practice where
the reviewers present some practice in it as good, however implicitly; a
concession that opens a criticism is other; a change made since (by the
home after the death, by the council and health board during the review)
is practice, Learning from past reviews. Other: the title page, the
contents table, the outline's account of what happened, the methodology,
the family's words, the section lead-ins (including "5.1 The review
identified the following good practice ..." and "6.1 In order to promote
the learning ..."), the tables' headers, every learning paragraph that
presents no practice as good (facts, criticism, "The learning from this
theme is ..."), the statements, terms of reference and timeline.
Restatement convention (there is no executive summary): a restatement of
the good practice that names it is practice, coded by its first example:
the outline's "1.6 ... It also identified good practice, including the
district nurse's prompt recognition ..." (Risk assessment) and each row of
the good practice table (coded as the learning paragraph it restates); a
recommendation is counted once, as its table row. Borderline, labelled
other: "4.6.6 The review acknowledges the openness of Eithin Care Ltd
throughout the review ..." (the provider's part in the review, not
practice in the case); labelled practice: "4.2.3 ... the senior care worker
... telephoned the GP practice ... and asked for a home visit ... also
telephoned Adult C's son ..., which he told the review he appreciated"
(implied by its contrast with the GP's advice) and "4.6.1 ... placed the
home under the ... Escalating Concerns process ..., in accordance with the
regional procedure".

The fresh check, run once the labels were final (a worktree of HEAD
04b5220, frozen, /tmp/wt9; by the machine's clock the session began
20:57:16, the labels were written 20:59:42 and copied into tests/data with
the document 20:59:45, storfa first run 21:00:31-21:00:43), the same from
the Markdown and from the PDF unless said:

- identity: APR2024-03/NW, type APR, extended, North Wales, year 2024; the
  period 2023-01-01 to 2023-12-03, learning event 2024-09-18, referral
  2024-04-09 (the sub-group's recommendation), index incident 2023-12-03
  (the death, not the fall on 18 November 2023), sign-off and publication
  None;
- recommendations: all 7 rows found, numbered "1" to "7" as the report
  numbers them, row 1 whole with its parts a) to c), no Outcome cell in
  any record (from the Markdown); one extra, the section's lead-in "6.1"
  (7 of 7 found, 1 extra: within the judged bar). Agencies from the
  Markdown right for 2 to 7, row 1 to ['NWSB'], not the North Wales
  Safeguarding Board. From the PDF the rows' cells come apart line by line:
  rows 2 to 7 are recorded from their cell's first line(s) run into pieces
  of the Agency and Outcome columns ("Betsi Cadwaladr University Health
  Board should Cadwaladr University Health Board planned."), their
  agencies from those pieces ("Eithin Care checked for"), row 1 to the
  three bodies its text names;
- auto-coding at the single-case threshold (0.49 on this tree), from the
  Markdown: 21 suggestions, 15 of the 25 practice paragraphs, precision
  0.71, recall 0.60; the same sub-theme as the label on 4 of 15, the same
  theme on 9 of 15 (0.60). Wrong (6): the outline's "1.3 In the nine
  months ..." (0.77), the son's words "3.2" (0.55), the night's events
  "4.2.1" (0.51), the concession "4.3.2" (0.82), the provider's openness
  "4.6.6" (0.54, a borderline label) and the good practice table's lead-in
  "5.1" (0.99). Missed (10): the outline's restatement "1.6" (0.19),
  "4.1.1" (0.25), "4.1.2" (0.33), the falls huddle "4.1.5" (0.41),
  "4.4.1" 'appropriately' (0.19), "4.4.4" 'well chosen' (0.19), the
  pharmacist "4.5.4" (0.35), "4.6.1" 'in accordance with the regional
  procedure' (0.16), the revised procedure "4.6.5" (0.39) and the table's
  falls service row (0.25). Found: the seven paragraphs whose praise is
  plainest ("recognised a likely fracture", "assessed ... thoroughly",
  "prompt, detailed and well-reasoned", "person-centred", "thorough and
  candid", "in accordance with the Wales Safeguarding Procedures" and "...
  the NICE guideline"), four of seven stated through what came of them,
  four of five table rows;
  nothing suggested on the title page, contents, methodology, statements,
  terms of reference, timeline, recommendations, other lead-ins or the
  tables' headers; the concessions "4.1.4" and "4.4.6" not suggested.
  From the PDF, 170 passages (the five tables with wrapped cells come
  apart), the body (passages 0-81) read as written and suggested as from
  the Markdown; by the shared label join (a row's pieces carry the labels
  of the passages before them) 23 suggestions, 17 of 33, precision 0.74,
  recall 0.52, the same theme on 8 of 17; a piece of every good practice
  row is suggested.

After the first reading only the tests' own code changed (the records
taken by number rather than by label, so that the PDF's table is measured
as the Markdown's; tests split by reading where the readings differ; the
xfails). The same module run on /work/main at a5599c0 (src unchanged
since 04b5220), and at e1e50d2 with an uncommitted change to
recommendations/extract.py, gives the same figures, suggestion for
suggestion, record for record.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. Theme agreement is measured with tests/written.py's
`theme_agreement`; this module has its own `_records` (the table's records
by number)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import find_board_numbered
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
    identified,
    identity,
    in_section,
    never_suggested,
    only,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-apr2"
DOCUMENT = DATA / "apr2-written-2026.md"
BOARD = "North Wales Safeguarding Board"
IDENTIFIER = "APR2024-03/NW"  # "Re: NWSAB 3/2024" on the title page
NUMBERING = "NWSAB 3/2024"
# Each recommendation's table row; row 1 holds its lettered parts a) to c) in
# the same cell.
RECOMMENDATIONS = (
    "1 | The NWSB should:",
    "2 | Betsi Cadwaladr University Health Board should",
    "3 | Conwy County Borough Council Social Services should",
    "4 | Conwy County Borough Council Social Services should",
    "5 | Betsi Cadwaladr University Health Board should",
    "6 | The Welsh Ambulance Services NHS Trust should",
    "7 | Eithin Care Ltd should",
)
# Who each row is to, as its Agency cell names it ("NWSB": the review's own board).
AGENCIES = {
    "1": [BOARD],
    "2": ["Betsi Cadwaladr University Health Board"],
    "3": ["Conwy County Borough Council"],  # its Social Services, at least the council
    "4": ["Conwy County Borough Council"],
    "5": ["Betsi Cadwaladr University Health Board"],
    "6": ["Welsh Ambulance Services NHS Trust"],
    "7": ["Eithin Care Ltd"],
}
# Each row's Outcome cell opens so: what the action should achieve, not the
# recommendation.
OUTCOMES = {
    "1": "Care home residents who fall",
    "2": "No older person with a suspected fracture",
    "3": "Enquiries establish whether",
    "4": "Conditions intended to reduce risk",
    "5": "Antipsychotic medication is reviewed",
    "6": "Older people with a suspected fracture",
    "7": "Residents are checked for injury",
}
TEMPLATE = ("7. Statement by Reviewer(s)", "8. Statement by Review Panel Chair",
            "Appendix 1", "Appendix 2")


read = reading(DOCUMENT, DATA / "apr2-written-2026.tsv", "written-apr2")


def _records(read: Read) -> list[StoredRecommendation]:
    """The records numbered as the table's rows ("1", "1a", ... "7"): by number,
    not by label, so that a PDF's table, whose rows come apart and carry the
    labels of the passages before them, is measured as the Markdown's is."""
    return [r for _, r in read.recommendations if r.number.rstrip("abc") in AGENCIES]


def _by_row(read: Read) -> dict[str, list[StoredRecommendation]]:
    """The row records by their row's number ("1a" and "1" are row 1's)."""
    rows: dict[str, list[StoredRecommendation]] = {}
    for r in _records(read):
        rows.setdefault(r.number.rstrip("abc"), []).append(r)
    return rows


def _learning(read: Read) -> set[int]:
    # By heading text: a PDF's theme headings are top-level sections of their own.
    return between(read, "4. Practice and organisational learning", "5. Good practice identified")


def _good_practice(read: Read) -> set[int]:
    return between(read, "5. Good practice identified", "6. Improving Systems and Practice")


def _table_rows(read: Read, seqs: set[int]) -> set[int]:
    return {s for s in seqs if read.passages[s].kind == "table_row"}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 133, 25, 7, 101)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed (cell borders read from a table's rules): from the PDF, 154
# passages, not 133 (170 on the first reading, before the recommendations table's numbered rows
# were kept whole): where a cell wraps on the page the good practice table is carried to, its
# rows come apart line by line (a row's last line read as a paragraph, 'recorded her findings
# clearly.'), the reviewers' statement table is read column by column as paragraphs, the panel
# chair's statement cell as paragraphs, and the summary timeline comes apart after its page
# break (dates, agencies and events as separate rows and paragraphs)
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 133, 25, 7, 101)


# First reading, since fixed (cell borders read from a table's rules): from the PDF, the five
# tables with wrapped cells come apart (the test above); the title page, contents table,
# outline, methodology, family involvement and learning read as written
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_the_body_as_written(read: Read) -> None:
    # Everything before the good practice table: title page, contents table,
    # the outline, methodology, family involvement and the learning.
    only(read, "pdf")
    before = set(range(82))
    wrong = [(s, t) for s, t in read.differ() if s in before]
    assert not wrong, wrong


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Gogledd Cymru" is the board's logo, in Welsh: the same board.
    identity(read, type="APR", variant="extended", board="North Wales")


def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("APR", 2024, 3, "NW"))


def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    # "Re: NWSAB 3/2024" names no type; the page names it ("Extended Adult
    # Practice Review"). NWSAB is the board's adults' numbering.
    ((found, _, _),) = find_board_numbered(f"Re: {NUMBERING}", "APR")
    assert found.canonical() == IDENTIFIER == read.summary.identifier, found


def test_the_period_and_the_learning_event(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end"), dates.get("learning_event")) \
        == ("2023-01-01", "2023-12-03", "2024-09-18"), dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    # By the labels: the Markdown's table rows are its passages.
    only(read, "markdown")
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abc"))
    reads_every_recommendation_passage(read)


def test_every_row_is_a_record_that_opens_as_the_row(read: Read) -> None:
    # By number, from either reading: each row's record opens with its cell.
    print_register(read)
    rows = _by_row(read)
    openings = {str(n): o.split(" | ", 1)[1] for n, o in enumerate(RECOMMENDATIONS, start=1)}
    wrong = {n: [r.text[:60] for r in rows.get(n, [])] for n, o in openings.items()
             if not rows.get(n) or not all(r.text.startswith(o) for r in rows[n])}
    assert not wrong, wrong


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    # Row 1 is "1" with parts a) to c) in its cell: recorded whole ("1") or by
    # its parts ("1a" ... "1c"), either as the report numbers it.
    numbers = [r.number for r in _records(read)]
    assert numbers in (["1", "2", "3", "4", "5", "6", "7"],
                       ["1a", "1b", "1c", "2", "3", "4", "5", "6", "7"]), numbers


def test_the_first_row_keeps_all_its_parts(read: Read) -> None:
    text = " ".join(r.text for r in _by_row(read).get("1", []))
    for part in ("seek assurance", "multi-agency practice guide", "share the learning"):
        assert part in text, (part, text)


def _named(read: Read, rows: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """The rows among `rows` whose records do not name their row's agency."""
    found = _by_row(read)

    def names(agency: str, agencies: list[str]) -> bool:
        return any(a.startswith(agency) for a in agencies)

    return {n: [r.agencies for r in found.get(n, [])] for n in rows
            if not found.get(n) or not all(names(a, r.agencies) for r in found[n]
                                           for a in AGENCIES[n])}


def test_each_record_names_its_rows_agency(read: Read) -> None:
    only(read, "markdown")
    wrong = _named(read, ("2", "3", "4", "5", "6", "7"))
    assert not wrong, wrong


def test_each_record_of_the_pdf_names_its_rows_agency(read: Read) -> None:
    # On the first reading rows 2, 3, 5 and 7 were recorded to the Agency cell's
    # first line run into the Outcome column's: a row's lines came apart, an agency's
    # name wrapping with capitals.
    only(read, "pdf")
    wrong = _named(read, ("2", "3", "4", "5", "6", "7"))
    assert not wrong, wrong


def test_the_nwsb_is_the_reviews_own_board(read: Read) -> None:
    # Row 1's Agency cell is "NWSB", its text "The NWSB should: ...": recorded
    # to ['NWSB'] from the Markdown on the first reading, the initials not read
    # as the board's; from the PDF (its table come apart, the Agency cell lost)
    # to the bodies its text names.
    found = [r.agencies for r in _by_row(read).get("1", [])]
    assert found and all(a == [BOARD] for a in found), found


def test_a_record_is_its_recommendation_not_the_outcome(read: Read) -> None:
    # The Outcome cell says what the action should achieve; the Agency cell who.
    wrong = {r.number: r.text for r in _records(read)
             if OUTCOMES[r.number.rstrip("abc")] in " ".join(r.text.split())}
    assert not wrong, wrong


def _cells() -> dict[str, str]:
    """Each row's Recommendation cell, as the Markdown writes it."""
    rows = [line.split(" | ") for line in DOCUMENT.read_text(encoding="utf-8").splitlines()
            if line.startswith(tuple(f"| {n} | " for n in AGENCIES))]
    return {row[0].lstrip("| "): row[1] for row in rows}


def _cell_read_whole(read: Read) -> None:
    cells = _cells()
    assert len(cells) == 7
    wrong = {r.number: r.text[:100] for r in _records(read)
             if not " ".join(r.text.split()).startswith(cells[r.number.rstrip("abc")])}
    assert not wrong, wrong


def test_a_record_holds_its_whole_cell(read: Read) -> None:
    only(read, "markdown")
    _cell_read_whole(read)


def test_a_record_of_the_pdf_is_its_cell_not_the_columns_beside_it(read: Read) -> None:
    # On the first reading rows 2 to 7 were recorded from the cell's first lines
    # and pieces of the Agency and Outcome columns.
    # From the PDF the cells' lines come apart; a record should still be the
    # Recommendation cell's words in order.
    only(read, "pdf")
    _cell_read_whole(read)


def test_nothing_else_is_recorded(read: Read) -> None:
    # The template's lead-in '6.1 In order to promote the learning ...' was
    # recorded as recommendation '6.1' on the first reading.
    extra = [r.text[:60] for _, r in read.recommendations if r.number.rstrip("abc")
             not in AGENCIES]
    assert not extra, extra


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    extra = [r.text[:60] for _, r in read.recommendations if r.number.rstrip("abc")
             not in AGENCIES]
    assert len(extra) <= 2, extra


def test_no_record_from_the_learning_the_good_practice_or_the_appendices(read: Read) -> None:
    # The learning's "should be assessed in person", "needs a named person
    # responsible", the good practice table, the terms of reference and the
    # timeline are not recommendations.
    for what, seqs in (("learning", _learning(read)), ("good practice", _good_practice(read)),
                       ("outline", in_section(read, "1. Brief outline")),
                       ("appendices", in_section(read, "Appendix 1", "Appendix 2"))):
        assert seqs
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.71 from the Markdown and 0.74 from the PDF on the first reading: the
    # outline's account of the fall, the son's words, the night's events, a concession,
    # the provider's openness and the good practice table's lead-in were suggested.
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    only(read, "markdown")
    holds_the_floors(read, precision=None)


# First reading, since fixed (cell borders read from a table's rules): from the PDF 0.52 (17 of
# 33): the good practice table's rows come apart into pieces that each carry a practice label,
# most not suggested ('recorded her findings clearly.' 0.00), on top of the Markdown's ten
# misses
def test_auto_coding_recall_from_the_pdf_holds_its_floor(read: Read) -> None:
    only(read, "pdf")
    holds_the_floors(read, precision=None)


# First reading, since fixed: recall 0.60 (15 of 25) from the Markdown, 0.52 from the PDF,
# below 0.70 (precision 0.71 and 0.74): ten practice paragraphs missed, most stated mildly or
# through what came of them, and both changes made since
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    only(read, "markdown")
    holds_the_judged_bar(read)


# First reading, since fixed (cell borders read from a table's rules): from the PDF precision
# 0.86, recall 0.58: its good-practice table comes apart (the carried two-column table's xfail),
# so its rows are not read as the Markdown's are
def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 9 of 15 (0.60) from the Markdown, 8 of 17 from the
# PDF: 4.3.1 the manager's report 'in accordance with the Wales Safeguarding Procedures' -> Risk
# assessment, 4.5.1 the psychiatrist explaining the risks to the son -> Escalating concerns,
# 4.5.2 the six-week review 'in accordance with the NICE guideline' -> Consistent care and
# support, 4.6.2 the contracts officer's reports shared -> Adhering to policy and procedure, the
# table's district nurse -> Consistent care and support, the table's ambulance crew's report ->
# Positive working relationships
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    only(read, "markdown")
    themes_agree(read)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# from the PDF, same theme on 12 of 19 (0.63) since the single-case coder also learnt the sixth
# round's four reviews (stop 38; it held the 0.70 bar before): the PDF's good-practice table comes
# apart, and its rows' fragments are coded otherwise than the Markdown's whole rows
# First reading, since fixed (cell borders read from a table's rules): Since the coder learnt
# round nine's reviews (this stop): from the PDF, same theme on 13 of 19 (0.68), under the 0.70
# bar, the table's fragments coded otherwise than the Markdown's rows
def test_the_theme_agrees_with_the_label_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents": in_section(read, "Contents"),
        "methodology": in_section(read, "2. Methodology"),
        "statements, terms of reference, timeline": in_section(read, *TEMPLATE),
        "recommendation": _recommendation_table(read),
    })


def _recommendation_table(read: Read) -> set[int]:
    return _table_rows(read, in_section(read, "6. Improving Systems"))


@pytest.mark.xfail(strict=True, reason=(
    "'1.3 In the nine months she lived at Plas Eithin, Adult C fell at least eleven "
    "times ...', the outline's account of what happened, is suggested Consistent care "
    "and support (0.77), from both readings"))
def test_auto_coding_never_suggests_the_outline_of_what_happened(read: Read) -> None:
    outline = in_section(read, "1. Brief outline") - opened_by(read, "1.6 The review identified")
    assert len(outline) == 5
    never_suggested(read, {"outline": outline})


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    # '3.2 Adult C's son described his mother as ...' was suggested on the first
    # reading (0.55): a two-word name before the relative was not read.
    family = in_section(read, "3. Family involvement")
    assert len(family) == 3
    never_suggested(read, {"family involvement": family})


def test_auto_coding_never_suggests_the_learnings_lead_in_or_a_tables_header(read: Read) -> None:
    never_suggested(read, {
        "lead-ins": opened_by(read, "The learning is set out", "6.1 In order to promote"),
        "headers": opened_by(read, "Agency | Good practice", "No. | Recommendation"),
    })


def test_auto_coding_never_suggests_the_good_practice_lead_in(read: Read) -> None:
    # '5.1 The review identified the following good practice, ...' was suggested
    # on the first reading (0.99).
    never_suggested(read, {"lead-in": opened_by(read, "5.1 The review identified")})


@pytest.mark.xfail(strict=True, reason=(
    "'1.6 The review identified learning about ... It also identified good practice, "
    "including the district nurse's prompt recognition of Adult C's injury ...' reads "
    "0.19, from both readings"))
def test_auto_coding_finds_the_outlines_restatement_of_the_good_practice(read: Read) -> None:
    all_suggested(read, opened_by(read, "1.6 The review identified"))


def _every_row_found(read: Read) -> None:
    # By the opening of each row's good practice cell: from the PDF a row
    # comes apart, and one of its pieces suggested is enough.
    rows = (("Conwy County Borough", "The best interests assessor"),
            ("Betsi Cadwaladr", "The district nurse recognised"),
            ("Welsh Ambulance", "The ambulance crew submitted"),
            ("Conwy County Borough", "The strategy meeting on 22"),
            ("Betsi Cadwaladr", "The community falls service"))
    zone = sorted(_good_practice(read))
    starts = [next(s for s in zone if f"| {opening}" in read.text(s)) for _, opening in rows]
    ends = [*starts[1:], max(zone) + 1]
    missed = [opening for (_, opening), start, end in zip(rows, starts, ends, strict=True)
              if not set(range(start, end)) & read.suggested.keys()]
    assert not missed, missed


# First reading, since fixed: 'Betsi Cadwaladr University Health Board | The community falls
# service assessed Adult C within eight working days of the home's referral and made clear,
# practical recommendations.' reads 0.25 (from the PDF a piece of that row is suggested, 0.92:
# its twin passes)
def test_auto_coding_finds_every_row_of_the_good_practice_table(read: Read) -> None:
    only(read, "markdown")
    _every_row_found(read)


def test_auto_coding_finds_every_row_of_the_good_practice_table_in_the_pdf(read: Read) -> None:
    only(read, "pdf")
    _every_row_found(read)


def test_auto_coding_finds_practice_praised_in_so_many_words(read: Read) -> None:
    # "recognised a likely fracture ... stayed with Adult C", "assessed Adult C
    # thoroughly", "prompt, detailed and well-reasoned", "demonstrated a
    # person-centred approach", "thorough and candid", "in accordance with
    # the Wales Safeguarding Procedures", "in accordance with the NICE guideline".
    named = opened_by(read, "4.2.5 On 19 November", "4.2.6 The 999 call", "4.3.1 On 14 August",
                      "4.3.5 The WAST crew", "4.4.3 The best interests",
                      "4.5.2 The community", "4.6.2 The contracts officer")
    assert named <= read.seqs("practice")
    all_suggested(read, named)


@pytest.mark.xfail(strict=True, reason=(
    "'4.4.1 ... granted itself an urgent authorisation, appropriately ... in "
    "accordance with the ADASS prioritisation tool' (0.19), '4.4.4 ... These "
    "conditions were well chosen and directly addressed the risks' (0.19) and '4.6.1 "
    "... in accordance with the regional procedure' (0.16) are not suggested, from "
    "both readings"))
def test_auto_coding_finds_practice_said_mildly(read: Read) -> None:
    # "granted itself an urgent authorisation, appropriately ... in accordance
    # with the ADASS prioritisation tool", "well chosen and directly addressed
    # the risks", "in accordance with the regional procedure".
    mild = opened_by(read, "4.4.1 Plas Eithin", "4.4.4 The assessor", "4.6.1 CIW inspected")
    assert mild <= read.seqs("practice")
    all_suggested(read, mild)


def test_auto_coding_finds_practice_stated_through_what_came_of_it(read: Read) -> None:
    found = opened_by(read, "4.2.3 On the morning", "4.3.6 The adult safeguarding team",
                      "4.3.7 The strategy meeting", "4.5.1 In March 2023")
    assert found <= read.seqs("practice")
    all_suggested(read, found)


@pytest.mark.xfail(strict=True, reason=(
    "'4.1.1 ... recorded this in the care and support plan sent to Plas Eithin ... in "
    "accordance with the provider's falls policy' (0.25), '4.1.2 ... referred her ... "
    "the same day ... visited within eight working days ... equipment in place within "
    "a fortnight' (0.33) and '4.5.4 The practice's clinical pharmacist ... stopped "
    "the antihistamine' (0.35) are not suggested, from both readings"))
def test_auto_coding_finds_all_practice_stated_through_what_came_of_it(read: Read) -> None:
    implicit = opened_by(read, "4.1.1 Adult C had fallen", "4.1.2 After Adult C's third fall",
                         "4.5.4 The practice's clinical")
    assert implicit <= read.seqs("practice")
    all_suggested(read, implicit)


def test_auto_coding_finds_the_changes_made_since(read: Read) -> None:
    # On the first reading both were missed (0.41, 0.39): 'since Adult C's death
    # the home has introduced' opens no paragraph, and 4.6.5's description of the gap
    # it closes read as criticism.
    # "4.1.5 ... since Adult C's death the home has introduced a falls huddle"
    # and "4.6.5 During the review, ... have revised the Provider Performance
    # procedure".
    changes = opened_by(read, "4.1.5 The deputy manager", "4.6.5 During the review")
    assert changes <= read.seqs("practice")
    all_suggested(read, changes)


@pytest.mark.xfail(strict=True, reason=(
    "'4.3.2 The adult safeguarding team acknowledged the report the next day and "
    "decided, within the seven working days the procedures require, ... The enquiry "
    "was closed ... with no further action.' is suggested Adhering to policy and "
    "procedure (0.82), from both readings"))
def test_auto_coding_does_not_suggest_criticism_after_a_concession(read: Read) -> None:
    # "The review acknowledges that the home's policy ... the monthly reviews
    # were completed; but ...", "decided, within the seven working days the
    # procedures require, ... The enquiry consisted of a request to the home",
    # "care workers ... had a good understanding ... but were unsure".
    conceded = opened_by(read, "4.1.4 Between May", "4.3.2 The adult safeguarding team",
                         "4.4.6 No mental capacity")
    assert conceded <= read.seqs("other")
    wrong = sorted(conceded & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


# First reading (signed int8 weights, as on a CPU with VNNI; the suite pins unsigned ones,
# conftest.py, where this holds): '4.2.1 At 03:10 on 18 November 2023 a night care worker
# found Adult C on the floor ... lifted Adult C back into bed by hand' is suggested
# Escalating concerns (0.51), from both readings
def test_auto_coding_does_not_suggest_plain_facts_in_the_learning(read: Read) -> None:
    learning = {s for s in _learning(read) if read.passages[s].kind == "paragraph"}
    plain = learning & read.seqs("other") - opened_by(
        read, "The learning is set out", "4.3.2 The adult safeguarding team",
        "4.6.6 The review acknowledges the openness")
    assert len(plain) == 16
    wrong = sorted(plain & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "'4.6.6 The review acknowledges the openness of Eithin Care Ltd throughout the "
    "review ... reflected frankly on what had gone wrong' is suggested Learning from "
    "past reviews (0.54), from both readings (a borderline label: the provider's part "
    "in the review, not practice in the case)"))
def test_auto_coding_does_not_suggest_the_providers_openness_in_the_review(read: Read) -> None:
    (openness,) = opened_by(read, "4.6.6 The review acknowledges the openness")
    assert openness in read.seqs("other")
    assert openness not in read.suggested, read.suggested.get(openness)
