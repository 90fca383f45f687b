"""A seventeenth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Extended Child Practice Review whose findings are a TABLE, of the
single-case auto-coding threshold and the document-reading rules chosen on
the written reviews before it.

`tests/data/written-tcpr/tcpr-written-2026.md` is a WRITTEN Extended Child
Practice Review (fictional: no real case or person) for the Western Bay
Safeguarding Children Board (the pre-2018 children's board for Swansea,
Neath Port Talbot and Bridgend; West Glamorgan's old name), about Child T, a
14-year-old girl from Bridgend who self-harmed, went missing eleven times and
was sexually exploited by men in Swansea; found at a flat on 9 May 2015, she
took an overdose at home on 12 May 2015. Where it differs from the others:

- the title page: the board's name, "Child Practice Review Report" (the
  only level-1 heading), "Extended Child Practice Review", the board's
  numbering "WBSCB 2/2016" (a CHILDREN's board's abbreviation, no type),
  "Re: Child T", "Date of final report: 26 April 2016"; no contents;
- the older Welsh template, unnumbered paragraphs, each of its three
  italic prompts kept ("To include here: legal context ...", "Identify each
  individual learning point ...", "In order to promote the learning ...
  actions for the LSCB ..."); the outline gives the commissioning (referral
  considered by the sub-group 17 June 2015, commissioned 2 July 2015), the
  period (1 March 2014 to 12 May 2015, fourteen months, with its reason);
- the learning as a short narrative "Analysis" (nine paragraphs: an
  overview, good practice stated through what was done, poor practice, one
  "It would have been good practice for ...", a concession), "T and her
  family" (three paragraphs of their words), then the findings as a
  FOUR-COLUMN TABLE "Learning | What happened | Good practice identified |
  What needs to change", eight rows of one-to-two-sentence cells, two with
  "None identified." as the good practice, every "What needs to change"
  cell a "should" that is not a recommendation; storfa reads each row
  (four cells) as one passage from the Markdown;
- "Summary of good practice": a lead-in and six bullets restating it;
- "Improving Systems and Practice": the prompt, "Actions already taken"
  (two paragraphs, an agency's change since the learning event each), and
  "Recommendations" 1-7 as numbered prose ("Western Bay Safeguarding
  Children Board should ...", "The Board should ..." twice, "South Wales
  Police should ...", "Abertawe Bro Morgannwg University Health Board should
  ...", "The directors of education of Bridgend, Neath Port Talbot and
  Swansea should ...", "That the Board shares ...");
- "Statement by Reviewer(s)": the template's lead-in and its checklist as a
  table "Statement | Yes/No" (four rows, "Yes"), the two reviewers'
  signatures dated 14/03/2016; the panel chair's (30/03/2016); "Appendix 1:
  Terms of reference" (questions as bullets; the process, "the panel met
  five times between July 2015 and March 2016"); "Appendix 2: Summary
  timeline" (a Date | Agency | Event table).

Its labels (`tcpr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 96 passages,
18 practice, 7 recommendation, 71 other. A table row is labelled as a reader
would label the whole row: practice where its "Good practice identified"
cell presents some practice as good (six rows, coded by that cell), other
where it says "None identified." (two rows; their "What needs to change" is
learning, not a recommendation, as the earlier modules' learning bullets);
the header row other. Practice as well: four paragraphs of the analysis
(one "It would have been good practice ...": Suggested good practice), the
six summary bullets (each with the code of what it restates), the two
actions already taken (Learning from past reviews). Other: the title page,
the prompts, the outline, the learning's preamble, the analysis's overview
("Many practitioners recognised that T was at risk, and several of them
worked hard to keep her safe. What is striking ... is how often agencies
responded to a single episode ...": borderline, its praise general and its
point the criticism), the poor practice and the concession, the family's
words, the lead-ins, the statements and their checklist, the appendices.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt11 as it was, HEAD be6c833; by the machine's clock the session began
23:07:05, the labels were written and copied into tests/data with the
document 23:09:15, this module written 23:09:50 before any reading, storfa
first run 23:09:52-23:10:25):

- segmentation: the Markdown as written (96); the PDF 109 passages, its
  learning table read line by line, the header and eight rows as 22
  passages whose cells interleave and whose words are reordered ("The
  person's voice | young | T said ...", "Plans include both | must | ..."),
  only the "Education can protect ..." row whole; the statement table's
  header and first row read as paragraphs ("... or have given Yes
  professional advice ...");
- identity: type CPR, extended, board West Glamorgan, year 2016 (right);
  identifier None, the key the file's name: "WBSCB 2/2016" is not read
  (storfa knows "WBSB", not the children's board's "WBSCB"); right
  CPR2016-02/WG. Dates: index incident 2015-05-12, referral 2015-06-17,
  learning event 2015-11-19, publication 2016-04-26 right; the period read
  as 2015-07-01 to 2016-03-01 (the appendix's "the panel met five times
  between July 2015 and March 2016"), not 2014-03-01 to 2015-05-12; sign-off
  None (the reviewers' "Date: 14/03/2016");
- recommendations, the same from both: 7 of 7, numbered 1-7, nothing extra
  (no "What needs to change" cell, no action already taken); addressees
  right for 1-4, 6 and 7 (the Board's four as "Western Bay Safeguarding
  Children Board"); 5 recorded to "education", not the three councils;
- auto-coding at the single-case threshold (0.49 on this tree), from the
  Markdown: 17 suggestions, 14 of the 18 practice passages, precision 0.82,
  recall 0.78; the same sub-theme as the label on 9 of 14, the same theme on
  10 of 14 (0.71). Wrong (3): the learning's prompt "Identify each
  individual learning point ..." (0.49, Learning from past reviews), its
  preamble "The learning in this review was identified from the agencies'
  timelines ..." (0.59, the same), the analysis's overview (0.92, Risk
  assessment). Missed (4): the CSE worker's paragraph "T was allocated a
  worker ... did not give up when T cancelled ... the trust the worker
  built with T was the single most important protective factor" (0.37),
  and three table rows with good practice, "Going missing ..." (0.20), "The
  risk of child sexual exploitation ..." (0.15), "Disrupting the adults
  ..." (0.33); found the other three rows (0.72, 0.90, 0.70), neither
  "None identified." row, all six summary bullets (0.82-1.00), both actions
  taken (0.99, 0.76), "It would have been good practice" (1.00). Sub-themes
  that differ: the police's notices -> Adhering to policy and procedure
  (Multi-agency working), the school nurse's row and bullet -> Escalating
  concerns (Effective communication), the self-harm row -> Risk assessment
  (Escalating concerns), the designated senior person's bullet -> Record
  keeping (Risk assessment). From the PDF, as measured: 19 suggestions,
  precision 0.58, recall 0.92 (11 of 12), theme 8 of 11: its table's
  fragments take the label of the lead-in or of the "None identified" row
  they are carried from, so five suggested fragments of practice rows count
  as wrong and the six practice rows drop out of the gold; the same
  suggestions otherwise.

After the first reading only this module changed, not the document or the
labels: the segmentation tests and the floors split by reading, the template
zones split from the prompt, the analysis's overview split from its poor
practice, the PDF's own check of the rows with no good practice (by the
fragments' openings), the board-numbering check made to list what it finds,
and the xfails for what storfa got wrong.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import find_board_numbered
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
    labelled_records,
    lead_ins,
    never_suggested,
    only,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-tcpr"
DOCUMENT = DATA / "tcpr-written-2026.md"
NUMBERING = "WBSCB 2/2016"  # on the title page; "Extended Child Practice Review" names the type
IDENTIFIER = "CPR2016-02/WG"  # Western Bay is West Glamorgan's old name
# The review's own board, as the title page names it or by its present name.
OWN_BOARD = ("Western Bay Safeguarding Children Board", "West Glamorgan Safeguarding Board")
RECOMMENDATIONS = (
    "1. Western Bay Safeguarding Children Board should",
    "2. The Board should seek assurance",
    "3. South Wales Police should",
    "4. Abertawe Bro Morgannwg University Health Board should",
    "5. The directors of education of Bridgend",
    "6. The Board should ask the Chairs",
    "7. That the Board shares the learning",
)
AGENCIES = {
    "3": ["South Wales Police"],
    "4": ["Abertawe Bro Morgannwg University Health Board"],
}
BOARDS_OWN = ("1", "2", "6", "7")
# The learning table's rows (the header aside), by their "Learning" cell.
ROWS_WITH_PRACTICE = (
    "Self-harm in a young teenager", "Going missing is a warning sign",
    "The risk of child sexual exploitation", "Disrupting the adults",
    "The young person's voice", "A young person's risk of self-harm",
)
ROWS_WITHOUT = ("Education can protect", "Plans must include both parents")
TEMPLATE_PROMPTS = ("To include here:", "Identify each individual learning point",
                    "In order to promote the learning")

# _PDF_TABLE, a first reading since fixed (cell borders read from a table's rules): from the
# PDF, 109 passages, not 96: the learning table (four columns of wrapped cells) is read line by
# line, its header and eight rows as 22 passages whose cells interleave and whose words are
# reordered ('The person's voice | young | T said many times ...', 'Plans include both | must |
# ...'), only 'Education can protect ...' whole; the statement table's header and first row are
# read as paragraphs ('Statement Yes/ No', '... or have given Yes professional advice on the
# case')

_UNNUMBERED = (
    "identifier None (the review keyed by its file's name, tcpr-written-2026), both "
    "readings: the title page's 'WBSCB 2/2016' is not read as a board's numbering "
    "(find_board_numbered finds nothing; storfa knows 'WBSB', not the Western Bay "
    "Safeguarding Children Board's 'WBSCB'); right: CPR2016-02/WG, its type from "
    "'Extended Child Practice Review' and its board West Glamorgan, as the board is read")
_PDF_PRECISION = (
    "from the PDF, as measured, precision 0.58 (11 of 19), recall 0.92 (11 of 12), floor "
    "and bar 0.80 / 0.70: the learning table comes apart and its fragments take the label "
    "of the lead-in or of the 'None identified' row they are carried from, so five "
    "suggested fragments of practice rows count as wrong ('Self-harm in a young teenager "
    "| ...' 0.91, 'as treated. | well | ...' 0.83, 'The person's voice | young | ...' 0.90, "
    "'plan. | attended ...' 0.53, 'sexual abuse. | harm. ...' 0.66), besides the "
    "Markdown's three (the template prompt 0.49, the preamble 0.59, the overview 0.92); "
    "the Markdown's precision is 0.82")


read = reading(DOCUMENT, DATA / "tcpr-written-2026.tsv", "written-tcpr")


def _title_page(read: Read) -> set[int]:
    # No contents: the title page runs to the outline's heading.
    return between(read, "Child Practice Review Report",
                   "Brief outline of circumstances resulting in the Review") | {0}


def _outline(read: Read) -> set[int]:
    return between(read, "Brief outline of circumstances resulting in the Review",
                   "Practice and organisational learning")


def _analysis(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, "Analysis", "T and her family")


def _family(read: Read) -> set[int]:
    return between(read, "T and her family", "Learning identified")


def _table(read: Read) -> set[int]:
    """The learning table's passages, its lead-in aside."""
    (lead_in,) = opened_by(read, "The table below summarises")
    (after,) = [p.seq for p in read.passages
                if p.kind == "heading" and p.text == "Summary of good practice"]
    return set(range(lead_in + 1, after))


def _good_practice(read: Read) -> set[int]:
    return between(read, "Summary of good practice", "Improving Systems and Practice") - \
        opened_by(read, "The review identified the following good practice")


def _statements_and_appendices(read: Read) -> set[int]:
    (start,) = [p.seq for p in read.passages
                if p.kind == "heading" and p.text == "Statement by Reviewer(s)"]
    return set(range(start, len(read.passages)))


def _records(read: Read) -> dict[str, list[str]]:
    return {r.number: r.agencies for r in labelled_records(read)}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 96, 18, 7, 71)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_TABLE above
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 96, 18, 7, 71)


# First reading, since fixed: _PDF_TABLE above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def _one_passage_a_row(read: Read) -> None:
    # The header and eight rows, each row's four cells together.
    rows = _table(read)
    print(f"\n[{read.source}] the learning table:")
    for seq in sorted(rows):
        print(f"  {seq} {read.suggested.get(seq, '')} {read.text(seq)[:90]}")
    assert len(rows) == 9, [read.text(s)[:40] for s in sorted(rows)]
    assert all(read.text(s).count(" | ") == 3 for s in rows)


def test_each_row_of_the_learning_table_is_one_passage(read: Read) -> None:
    only(read, "markdown")
    _one_passage_a_row(read)


# First reading, since fixed: _PDF_TABLE above
def test_each_row_of_the_pdfs_learning_table_is_one_passage(read: Read) -> None:
    only(read, "pdf")
    _one_passage_a_row(read)


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    identity(read, type="CPR", variant="extended", board="West Glamorgan")


@pytest.mark.xfail(strict=True, reason=_UNNUMBERED)
def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("CPR", 2016, 2, "WG"))


@pytest.mark.xfail(strict=True, reason=_UNNUMBERED)
def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    # "WBSCB 2/2016" names no type; the title page does.
    found = find_board_numbered(NUMBERING, "CPR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


def test_the_index_incident_is_the_overdose(read: Read) -> None:
    # "On the evening of 12 May 2015 T took a large overdose" (not 9 May, when
    # she was found).
    assert read.summary.dates.get("index_incident") == "2015-05-12", read.summary.dates


def test_the_referral_is_the_sub_groups(read: Read) -> None:
    # "... its Child Practice Review Sub-Group, which considered the referral on
    # 17 June 2015" (the Board commissioned it on 2 July 2015).
    assert read.summary.dates.get("referral") == "2015-06-17", read.summary.dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2015-11-19", read.summary.dates


# First reading, since fixed: period read as 2015-07-01 to 2016-03-01, from the appendix's
# review process ('the panel met five times between July 2015 and March 2016'); right:
# 2014-03-01 to 2015-05-12 ('The review considered agency involvement from 1 March 2014 to 12
# May 2015', in the outline), both readings
def test_the_period_under_review(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2014-03-01", "2015-05-12"), dates


# First reading, since fixed: sign-off None; right: 2016-03-14, the reviewers' 'Reviewer 1
# (Signature): C. Rees. Name (Print): ... Date: 14/03/2016' under 'Statement by Reviewer(s)'
# (the chair's 30/03/2016 is not the reviewers'), both readings
def test_the_reviewers_sign_off(read: Read) -> None:
    assert read.summary.dates.get("sign_off") == "2016-03-14", read.summary.dates


def test_the_final_report_is_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2016-04-26", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number)
    reads_every_recommendation_passage(read)


def test_one_record_per_recommendation(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == [str(n) for n in range(1, 8)]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the table's "What needs to change" cells ("... should ..."), not the
    # actions already taken, not the template's lead-in.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_learning_table(read: Read) -> None:
    table = _table(read)
    assert not read.covered & table, [read.text(s)[:60] for s in read.covered & table]


def test_each_agency_recommendation_names_its_addressee(read: Read) -> None:
    found = _records(read)
    assert {n: found.get(n) for n in AGENCIES} == AGENCIES, found


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "Western Bay Safeguarding Children Board should", "The Board should" (twice),
    # "That the Board shares".
    found = _records(read)
    assert all(found.get(n) and found[n][0] in OWN_BOARD for n in BOARDS_OWN), found


@pytest.mark.xfail(strict=True, reason=(
    "'5. The directors of education of Bridgend, Neath Port Talbot and Swansea should "
    "ensure ...' is recorded to ['education']; right: the three councils (or their "
    "education services) the directors serve, both readings"))
def test_the_directors_of_education_are_the_three_councils(read: Read) -> None:
    named = " ".join(_records(read).get("5") or [])
    assert all(place in named for place in ("Bridgend", "Neath Port Talbot", "Swansea")), named


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.82 from the Markdown on the first reading (14 of 17).
    only(read, "markdown")
    holds_the_floors(read, recall=None)


# First reading, since fixed: from the PDF, as measured, precision 0.58 (11 of 19), recall
# 0.92 (11 of 12), floor and bar 0.80 / 0.70: the learning table comes apart and its fragments
# take the label of the lead-in or of the 'None identified' row they are carried from, so five
# suggested fragments of practice rows count as wrong ('Self-harm in a young teenager | ...'
# 0.91, 'as treated. | well | ...' 0.83, 'The person's voice | young | ...' 0.90, 'plan. |
# attended ...' 0.53, 'sexual abuse. | harm. ...' 0.66), besides the Markdown's three (the
# template prompt 0.49, the preamble 0.59, the overview 0.92); the Markdown's precision is
# 0.82
def test_auto_coding_precision_holds_its_floor_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.78 from the Markdown (14 of 18), 0.92 from the PDF as measured (11 of 12).
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    # 0.82 / 0.78 from the Markdown on the first reading.
    only(read, "markdown")
    holds_the_judged_bar(read)


# First reading, since fixed: from the PDF, as measured, precision 0.58 (11 of 19), recall
# 0.92 (11 of 12), floor and bar 0.80 / 0.70: the learning table comes apart and its fragments
# take the label of the lead-in or of the 'None identified' row they are carried from, so five
# suggested fragments of practice rows count as wrong ('Self-harm in a young teenager | ...'
# 0.91, 'as treated. | well | ...' 0.83, 'The person's voice | young | ...' 0.90, 'plan. |
# attended ...' 0.53, 'sexual abuse. | harm. ...' 0.66), besides the Markdown's three (the
# template prompt 0.49, the preamble 0.59, the overview 0.92); the Markdown's precision is
# 0.82
def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 11 of 17 (0.65) from the Markdown, 11 of 16 from the
# PDF now: the table rows found since a good-practice column's cell is read on its own are coded
# to other themes than their labels' (held: 10 of 14 (0.71) from the Markdown on the first
# reading)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    # 10 of 14 (0.71) from the Markdown, 8 of 11 from the PDF, on the first reading:
    # the police's notices -> Adhering to policy and procedure (Multi-agency working),
    # the school nurse's row and bullet -> Escalating concerns (Effective
    # communication), the designated senior person's bullet -> Record keeping
    # (Risk assessment).
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": _title_page(read),
        "outline": _outline(read),
        "statements and appendices": _statements_and_appendices(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


# First reading, since fixed: the template's own prompt 'Identify each individual learning
# point arising in this case (including highlighting effective practice) ...' is suggested
# (Learning from past reviews, 0.49, at the threshold), both readings; an instruction to the
# author shows no practice (the other two prompts are not suggested)
def test_auto_coding_never_suggests_a_template_prompt(read: Read) -> None:
    never_suggested(read, {"template prompt": opened_by(read, *TEMPLATE_PROMPTS)})


@pytest.mark.xfail(strict=True, reason=(
    "the learning's preamble 'The learning in this review was identified from the "
    "agencies' timelines and reflective reports, from the panel's analysis and from a "
    "learning event ...' is suggested (Learning from past reviews, 0.59), both readings: "
    "it says how the review was done, not that practice was good or has changed"))
def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    never_suggested(read, {"preamble": opened_by(read, "The learning in this review was")})


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    family = _family(read)
    assert len(family) == 3
    never_suggested(read, {"family": family})


# First reading, since fixed: from the Markdown, three of the six rows whose 'Good practice
# identified' cell presents practice as good are not suggested: 'Going missing is a warning
# sign ... | The specialist CSE service carried out seven return interviews within 72 hours
# and shared what T told them ...' (0.20), 'The risk of child sexual exploitation ... | The
# designated senior person recorded the registration number ...' (0.15), 'Disrupting the
# adults ... | The police acted within a week on intelligence shared by the CSE worker ...'
# (0.33); the other three are (0.72, 0.90, 0.70). From the PDF the rows come apart (the
# segmentation xfails) and their openings are not found
def test_auto_coding_finds_every_row_of_good_practice(read: Read) -> None:
    only(read, "markdown")
    rows = opened_by(read, *ROWS_WITH_PRACTICE)
    assert rows <= read.seqs("practice")
    all_suggested(read, rows)


# First reading, since fixed (cell borders read from a table's rules): from the PDF the
# 'Disrupting the adults ...' row is broken by the page (its last words, 'Notices in February
# 2015. | informed of every step.', a row of their own overleaf), so its passage no longer reads
# as the Markdown's and carries the label of the row before it, other
def test_auto_coding_finds_every_row_of_good_practice_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    rows = opened_by(read, *ROWS_WITH_PRACTICE)
    assert rows <= read.seqs("practice")
    all_suggested(read, rows)


def test_auto_coding_does_not_suggest_a_row_with_none_identified(read: Read) -> None:
    only(read, "markdown")
    rows = opened_by(read, *ROWS_WITHOUT)
    assert all("| None identified. |" in read.text(s) for s in rows)
    never_suggested(read, {"row with no good practice": rows,
                           "table header": opened_by(read, "Learning | What happened")})


def test_auto_coding_does_not_suggest_the_pdfs_rows_with_none_identified(read: Read) -> None:
    # From the PDF too, each row whole now (on the first reading the first was
    # whole and the second three lines, its words reordered: "Plans include
    # both", "parents, wherever they", "live. | invited").
    only(read, "pdf")
    rows = opened_by(read, *ROWS_WITHOUT)
    assert all("| None identified. |" in read.text(s) for s in rows)
    never_suggested(read, {"row with no good practice": rows})


def test_auto_coding_finds_every_good_practice_bullet(read: Read) -> None:
    listed = _good_practice(read)
    assert listed == read.seqs("practice") & listed and len(listed) == 6
    all_suggested(read, listed)


def test_auto_coding_finds_the_actions_already_taken(read: Read) -> None:
    changes = opened_by(read, "Since the learning event", "Abertawe Bro Morgannwg University "
                        "Health Board has changed")
    assert changes <= read.seqs("practice")
    all_suggested(read, changes)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (suggested,) = opened_by(read, "It would have been good practice")
    assert read.suggested.get(suggested, [("", 0.0)])[0][0] == "Suggested good practice"


@pytest.mark.xfail(strict=True, reason=(
    "'T was allocated a worker from the specialist CSE service ... met T every week ... did "
    "not give up when T cancelled ... the trust the worker built with T was the single most "
    "important protective factor in T's life' is not suggested (0.37), both readings; its "
    "restatement under 'Summary of good practice' is (0.99); the analysis's other three "
    "practice paragraphs are (0.82, 0.72, 1.00)"))
def test_auto_coding_finds_the_practice_in_the_analysis(read: Read) -> None:
    found = read.seqs("practice") & _analysis(read)
    assert len(found) == 4
    all_suggested(read, found)


@pytest.mark.xfail(strict=True, reason=(
    "the analysis's overview 'Many practitioners recognised that T was at risk, and several "
    "of them worked hard to keep her safe. What is striking ... is how often agencies "
    "responded to a single episode ...' is suggested (Risk assessment, 0.92), both "
    "readings; labelled other (borderline: its praise general, its point the criticism). "
    "The poor practice (the part-time timetable, the CAMHS discharge, the father left out) "
    "and the concession are not suggested"))
def test_auto_coding_does_not_suggest_poor_practice_or_the_overview(read: Read) -> None:
    other = read.seqs("other") & _analysis(read)
    assert len(other) == 5
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_poor_practice_or_the_concession(read: Read) -> None:
    poor = opened_by(read, "From February 2015 T was on a part-time", "The Specialist CAMHS",
                     "T's father was not invited", "The reviewers recognise that in 2014")
    assert poor <= read.seqs("other")
    never_suggested(read, {"poor practice or concession": poor})
