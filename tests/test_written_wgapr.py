"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a Welsh
Extended Adult Practice Review whose analysis is a THREE-COLUMN TABLE "Area
| Good practice | Learning" and whose recommendations are a table with the
number in a column of its own, of the single-case auto-coding threshold and
the document-reading rules chosen on the written reviews before it.

`tests/data/written-wgapr/wgapr-written-2026.md` is a WRITTEN Extended Adult
Practice Review (fictional: no real case or person) for the West Glamorgan
Safeguarding Board, about Mrs J, 79, a widow with mild Alzheimer's disease
living alone in Bonymaen, Swansea, who took in a lodger, Mr K, in February
2023; about £46,000 was taken from her accounts, she stopped being seen by
her GP and memory clinic, was found at home severely malnourished with
pressure ulcers on 2 March 2024 and died at Morriston Hospital on 14 March
2024 (Mr K since convicted of fraud and wilful neglect). Where it differs
from the others:

- the title page: the board's name in English and Welsh ("Bwrdd Diogelu
  Gorllewin Morgannwg"), "Extended Adult Practice Review Report" (the only
  level-1 heading), "Re: Mrs J", the board's reference as a slashed code
  "Board reference: WGSB/APR/2025/02" (BOARD/TYPE/YEAR/NUMBER, an order
  and separator no earlier review used), "Date of publication: 12 June
  2025"; a contents list of eight bullets;
- "Introduction": six unnumbered paragraphs (the Act and Volume 3, the
  death and the referral considered by the Adult Practice Review Group on
  23 April 2024, the period "from 1 January 2023 to 14 March 2024" with its
  reason, the panel and the learning event on 17 October 2024, the nephew,
  the conviction and the pause); "Summary of the case": seven paragraphs
  of narrative facts (the bank's stopped transfer, the Public Protection
  Notice and the paramedics among them, told plainly);
- "Analysis": a lead-in and a THREE-COLUMN TABLE "Area | Good practice |
  Learning", six rows of one-sentence cells; four Good practice cells
  praise something (the bank's fraud team, the officer's PPN, the Care and
  Repair caseworker seeing Mrs J alone, the section 126 enquiry started in
  the procedures' timescales), two say "None identified."; every Learning
  cell a general statement or a "should" that is not a recommendation;
- "Discussion": fourteen narrative paragraphs: an overview, six of
  practice (the pharmacist who rang the practice twice, the bank "prompt
  and thorough", the enquiry opened "in line with the Wales Safeguarding
  Procedures", "It would have been good practice ...", the caseworker's
  report and two calls, the paramedics), three of poor practice, a
  concession, the practitioners' account at the learning event, the
  nephew's words, a closing paragraph of learning;
- "Recommendations": a lead-in (accepted 20 March 2025) and a FOUR-COLUMN
  TABLE "No. | Recommendation | Lead agency | Timescale", the NUMBER IN A
  COLUMN OF ITS OWN ("1 | West Glamorgan Safeguarding Board should ... |
  WGSB | 6 months"), five rows, relative timescales;
- "Action already taken": three paragraphs, each an agency's change since
  the death (Swansea Council, Swansea Bay University Health Board, South
  Wales Police); "Statement by the reviewers" ("Signed: H. Morgan and D.
  Bevan, Independent Reviewers. Date: 28 February 2025."); "Glossary"
  (three bullets).

Its labels (`wgapr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 73 passages,
13 practice, 5 recommendation, 55 other. A table row is one passage, and is
labelled as a reader would label the whole row: practice where its "Good
practice" cell presents practice as good, coded by that cell (the bank
Escalating concerns; the PPN Multi-agency working; the caseworker seeing
Mrs J alone Effective communication; the enquiry in the procedures'
timescales Adhering to policy and procedure), other where it says "None
identified." (its Learning cell is learning, not a recommendation) and the
header. Practice in the discussion: the pharmacist, the bank, the
caseworker, the paramedics (Escalating concerns), the enquiry (Adhering to
policy and procedure), "It would have been good practice" (Suggested good
practice); the three actions already taken (Learning from past reviews).
Recommendation: the five rows. Other: the title page and contents, the
introduction, the summary of the case, the analysis's lead-in and header,
the two "None identified." rows, the discussion's overview, poor practice,
concession, the practitioners' account, the family's words and the closing
learning, the recommendations' lead-in and header, the statement, the
glossary.

What a user would expect of its identity, decided before the reading: type
APR, extended, board West Glamorgan, identifier APR2025-02/WG (from
"WGSB/APR/2025/02"), year 2025; dates: index incident 2024-03-14 (the
death; she was found on 2 March 2024), referral 2024-04-23, period
2023-01-01 to 2024-03-14, learning event 2024-10-17, sign-off 2025-02-28,
publication 2025-06-12.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt13
as it was, HEAD fb28f56; STORFA_INT8=u8; by the machine's clock the session
began 00:19:24, the labels were written and copied into tests/data with the
document in one `cp` 00:20:48, this module written before any reading,
storfa first run 00:21:20-00:21:41; the results listed, the PDF's split
paragraph and the near misses printed 00:21:45-00:23:03 on the same tree),
the same from the Markdown and from the PDF unless said:

- segmentation: the Markdown as written (73); the PDF 74 passages, all as
  written but the summary's "Following the police officer's Public
  Protection Notice, ... in November 2023. Both led to enquiries under
  section 126." and its last sentence "On each occasion Mrs J said that she
  wanted Mr K to stay, and the enquiries were closed.", read as two
  paragraphs at the page break between pages 2 and 3 (a line ending on a
  full stop at the foot of a page, a capital at the head of the next). Both
  tables are read one row a passage from the PDF as well;
- identity: type APR, extended, board West Glamorgan, year 2025, right;
  the identifier APR2025-W02 (the all-Wales form), not APR2025-02/WG:
  find_board_numbered finds nothing in "WGSB/APR/2025/02" (the slashed
  board/type/year/number reference is not a form it knows). Dates: all
  seven right (index incident 2024-03-14, referral 2024-04-23, learning
  event 2024-10-17, period 2023-01-01 to 2024-03-14, sign-off 2025-02-28,
  publication 2025-06-12);
- recommendations: 5 of 5, numbered 1-5 from the "No." column, nothing
  extra (no Learning cell, no discussion, no action already taken, not the
  lead-in); each record the Recommendation cell only (no "WGSB", no "6
  months"); addressees all right: 1 and 5 ['West Glamorgan Safeguarding
  Board'] ("The Board" and the cell "WGSB"), 2 ['Swansea Council'], 3
  ['Swansea Bay University Health Board'], 4 ['South Wales Police']; no due
  date (relative timescales from the lead-in's acceptance date; not tested);
- auto-coding at the single-case threshold (0.49), from the Markdown: 10
  suggestions, 8 of the 13 practice passages, precision 0.80, recall 0.62
  (the floors 0.80 / 0.60 held, just; the judged bar 0.70 not, on recall);
  the same sub-theme as the label on 6 of 8, the same theme on 7 of 8
  (0.88). Wrong (2): the poor practice "The officers who attended the bank
  spoke to Mrs J with Mr K beside her ... they accepted her account. No
  crime was recorded ..." (Effective communication, 0.95) and the
  concession "The reviewers recognise that Mrs J spoke clearly and warmly
  about Mr K ..." (Positive working relationships, 0.53). Missed (5): two
  of the four table rows with good practice, "Recognising financial abuse
  | The bank's fraud team stopped the £8,000 transfer ..." (0.42) and "The
  safeguarding enquiries | The first section 126 enquiry was started within
  the timescales ..." (0.20), though the discussion's paragraphs on the
  same practice are found (0.77, 0.91); the pharmacist who "telephoned
  again and asked to speak to the practice's safeguarding lead" (0.40); the
  paramedics who "recognised at once ... made an adult at risk report from
  the scene" (0.28); and the first action already taken, "Since Mrs J's
  death, Swansea Council has changed its section 126 enquiry form ..."
  (0.32), the other two found (0.98, 0.99). Found: the PPN row (0.96) and
  the caseworker's row (0.94), neither "None identified." row (0.00,
  0.11), "It would have been good practice" (Suggested good practice,
  1.00), the caseworker's report (0.83). Sub-themes that differ: the PPN row
  -> Record keeping (0.96; Multi-agency working, another theme: the cell
  says "recording his unease", its point the PPN reaching the team the next
  morning), the bank's paragraph -> Risk assessment (0.77; Escalating
  concerns, the same theme). Nothing suggested on the title page, the
  introduction, the summary of the case, the lead-ins, the recommendations,
  the statement or the glossary; near misses under the threshold: the
  closing learning "Taken together, ..." (0.48), the recommendations'
  lead-in (0.39), the overview (0.38), the nephew's involvement (0.36).
  From the PDF: 11 suggestions, precision 0.73, recall 0.62, theme 7 of 8:
  the same, and the split sentence "On each occasion Mrs J said that she
  wanted Mr K to stay, and the enquiries were closed." suggested
  (Persistency in care and support, 0.78).

After the first reading only this module changed, not the document or the
labels: the segmentation, summary and precision tests split by reading, a
PDF test of what reads as written, the discussion's "other" split into
poor practice, the concession and the rest, a test of the sub-themes, the
check of the actions' code restricted to those suggested (the miss is its
twin's), and the xfails for what storfa got wrong. Two faults of the
module itself, not of storfa, were mended: the template check named the
lead-ins, of which this document has none (no paragraph ends on a colon),
so it failed on an empty set; and the summary check counted seven passages
from the PDF, which reads eight. From the frozen tree and from /work/main
alike the module then gave, at 00:24: 60 passed, 10 skipped, 24 xfailed.

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
from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    finds_the_recommendations,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identified,
    identity,
    labelled_records,
    never_suggested,
    only,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-wgapr"
DOCUMENT = DATA / "wgapr-written-2026.md"
NUMBERING = "WGSB/APR/2025/02"  # "Board reference: WGSB/APR/2025/02" on the title page
IDENTIFIER = "APR2025-02/WG"
# The review's own board, as the title page names it (the "Lead agency" cell: "WGSB").
OWN_BOARD = ("West Glamorgan Safeguarding Board",)
# Each row's opening: the number in a column of its own, then the recommendation.
RECOMMENDATIONS = (
    "1 | West Glamorgan Safeguarding Board should",
    "2 | Swansea Council should",
    "3 | Swansea Bay University Health Board should",
    "4 | South Wales Police should",
    "5 | The Board should share",
)
AGENCIES = {
    "2": ["Swansea Council"],
    "3": ["Swansea Bay University Health Board"],
    "4": ["South Wales Police"],
}
BOARDS_OWN = ("1", "5")
# The analysis table's rows (the header aside), by their "Area" cell.
ROWS_WITH_PRACTICE = ("Recognising financial abuse", "Sharing information",
                      "Hearing Mrs J's voice", "The safeguarding enquiries")
ROWS_WITHOUT = ("Mental capacity", "Health care and professional curiosity")
DISCUSSION_PRACTICE = (
    "The first practitioner to raise a concern",  # the pharmacist, who rang twice
    "The bank's response in August 2023",
    "Following the Public Protection Notice",  # within the procedures' timescales
    "It would have been good practice",
    "In November 2023 a caseworker from Care and Repair",
    "When the paramedics were called",
)
DISCUSSION_OTHER = (
    "Mrs J's death was not the result",  # the overview
    "The practice recorded both calls",  # poor practice
    "The officers who attended the bank",  # poor practice
    "The enquiry was closed on 12 September 2023",  # poor practice
    "The reviewers recognise that Mrs J",  # the concession
    "Practitioners at the learning event said",  # their account
    "Mrs J's nephew told the reviewers",  # the family's words
    "Taken together, the learning",  # the learning
)
ACTIONS_TAKEN = ("Since Mrs J's death, Swansea Council",
                 "Swansea Bay University Health Board has introduced",
                 "South Wales Police has issued a briefing")


_PDF_SPLIT = (
    "from the PDF, 74 passages, not 73: the summary's 'Following the police officer's Public "
    "Protection Notice, ... in November 2023. Both led to enquiries under section 126. On "
    "each occasion Mrs J said that she wanted Mr K to stay, and the enquiries were closed.' "
    "is read as two paragraphs at the page break between pages 2 and 3 (the foot of page 2 "
    "ends on a full stop, page 3 opens on a capital); every other passage, both tables' rows "
    "among them, as written")
_IDENTIFIER = (
    "identifier APR2025-W02 (the all-Wales form), both readings; right: APR2025-02/WG. "
    "find_board_numbered finds nothing in the title page's 'Board reference: "
    "WGSB/APR/2025/02' (board/type/year/number, slashed: a form of board reference storfa "
    "does not know), though the board is read as West Glamorgan from the page")
_PDF_PRECISION = (
    "from the PDF, as measured, precision 0.73 (8 of 11), floor 0.80: the Markdown's two "
    "wrong suggestions (the officers' poor practice 0.95, the concession 0.53) and the split "
    "summary sentence 'On each occasion Mrs J said that she wanted Mr K to stay, and the "
    "enquiries were closed.' (Persistency in care and support, 0.78; a fact, labelled other "
    "with its paragraph); the Markdown's precision is 0.80")


read = reading(DOCUMENT, DATA / "wgapr-written-2026.tsv", "written-wgapr")


def _between(read: Read, first: str, after: str) -> set[int]:
    return set(range(heading_at(read, first) + 1, heading_at(read, after)))


def _title_page_and_contents(read: Read) -> set[int]:
    return set(range(heading_at(read, "Introduction")))


def _analysis_table(read: Read) -> set[int]:
    """The analysis table's rows, its header aside."""
    (header,) = opened_by(read, "Area | Good practice | Learning")
    return set(range(header + 1, heading_at(read, "Discussion")))


def _records(read: Read) -> dict[str, StoredRecommendation]:
    return {r.number: r for r in labelled_records(read)}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 73, 13, 5, 55)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


@pytest.mark.xfail(strict=True, reason=_PDF_SPLIT)
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 73, 13, 5, 55)


@pytest.mark.xfail(strict=True, reason=_PDF_SPLIT)
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_one_summary_paragraph_as_written(read: Read) -> None:
    only(read, "pdf")
    (split,) = opened_by(read, "On each occasion Mrs J said")
    assert len(read.passages) == 74
    wrong = [(s, t) for s, t in read.differ()
             if not t.startswith(("Following the police officer's", "On each occasion"))]
    assert not wrong, wrong
    assert read.text(split - 1).startswith("Following the police officer's")


def test_each_row_of_the_analysis_table_is_one_passage(read: Read) -> None:
    rows = _analysis_table(read)
    print(f"\n[{read.source}] the analysis table:")
    for seq in sorted(rows):
        print(f"  {seq} {read.suggested.get(seq, '')} {read.confidence.get(seq, 0.0):.2f} "
              f"{read.text(seq)[:90]}")
    assert len(rows) == 6, [read.text(s)[:40] for s in sorted(rows)]
    assert all(read.text(s).count(" | ") == 2 for s in rows)


def test_each_row_of_the_recommendations_table_is_one_passage(read: Read) -> None:
    rows = _between(read, "Recommendations", "Action already taken")
    assert len(rows) == 7  # the lead-in, the header and five rows
    assert sum(read.text(s).count(" | ") == 3 for s in rows) == 6


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Gorllewin Morgannwg" is the board's name in Welsh.
    identity(read, type="APR", variant="extended", board="West Glamorgan")


# First reading, since fixed: identifier APR2025-W02 (the all-Wales form), both
# readings; right: APR2025-02/WG. find_board_numbered finds nothing in the title page's
# 'Board reference: WGSB/APR/2025/02' (board/type/year/number, slashed: a form of board
# reference storfa does not know), though the board is read as West Glamorgan from the
# page
def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("APR", 2025, 2, "WG"))


@pytest.mark.xfail(strict=True, reason=_IDENTIFIER)
def test_the_boards_reference_reads_as_the_identifier(read: Read) -> None:
    found = find_board_numbered(NUMBERING, "APR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


def test_the_index_incident_is_the_death(read: Read) -> None:
    # "Mrs J died at Morriston Hospital on 14 March 2024, twelve days after she
    # was found at her home ..." (2 March 2024).
    assert read.summary.dates.get("index_incident") == "2024-03-14", read.summary.dates


def test_the_referral_is_the_review_groups(read: Read) -> None:
    # "... the Board's Adult Practice Review Group, which considered the referral
    # on 23 April 2024".
    assert read.summary.dates.get("referral") == "2024-04-23", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The review considered the involvement of agencies with Mrs J from 1
    # January 2023 to 14 March 2024."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-01-01", "2024-03-14"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-10-17", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # "Signed: H. Morgan and D. Bevan, Independent Reviewers. Date: 28 February
    # 2025." (the Board accepted the recommendations on 20 March 2025).
    assert read.summary.dates.get("sign_off") == "2025-02-28", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Date of publication: 12 June 2025" on the title page.
    assert read.summary.dates.get("publication") == "2025-06-12", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number)
    reads_every_recommendation_passage(read)


def test_one_record_per_row_numbered_by_its_column(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == [str(n) for n in range(1, 6)]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the lead-in, not the analysis table's "Learning" cells ("... should
    # ..."), not the discussion, not the actions already taken.
    print_register(read)
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_analysis_or_the_discussion(read: Read) -> None:
    zone = set(range(heading_at(read, "Analysis"), heading_at(read, "Recommendations")))
    assert not read.covered & zone, [read.text(s)[:60] for s in sorted(read.covered & zone)]


def test_no_record_from_the_actions_already_taken(read: Read) -> None:
    zone = set(range(heading_at(read, "Action already taken"), len(read.passages)))
    assert not read.covered & zone, [read.text(s)[:60] for s in sorted(read.covered & zone)]


def test_each_agency_recommendation_names_its_lead_agency(read: Read) -> None:
    found = {n: r.agencies for n, r in _records(read).items()}
    due = [(n, r.due_date) for n, r in _records(read).items()]
    print(f"\n[{read.source}] agencies {found}, due {due}")
    assert {n: found.get(n) for n in AGENCIES} == AGENCIES, found


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "West Glamorgan Safeguarding Board should ..." and "The Board should ...",
    # both with the lead agency "WGSB".
    found = {n: r.agencies for n, r in _records(read).items()}
    assert all(found.get(n) and found[n][0] in OWN_BOARD for n in BOARDS_OWN), found


def test_each_record_is_the_recommendation_not_its_other_cells(read: Read) -> None:
    texts = {n: " ".join(r.text.split()) for n, r in _records(read).items()}
    print(f"\n[{read.source}] records: {texts}")
    wrong = {n: t for n, t in texts.items()
             if "months" in t or "|" in t or not t.startswith(RECOMMENDATIONS[int(n) - 1]
                                                              .split(" | ")[1])}
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.80 (8 of 10) from the Markdown on the first reading, at the floor.
    only(read, "markdown")
    holds_the_floors(read, recall=None)


@pytest.mark.xfail(strict=True, reason=_PDF_PRECISION)
def test_auto_coding_precision_holds_its_floor_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.62 (8 of 13) on the first reading, both readings.
    holds_the_floors(read, precision=None)


# First reading, since fixed: recall 0.62 (8 of 13), bar 0.70, both readings: two of the four
# table rows with good practice (0.42, 0.20), the pharmacist (0.40), the paramedics (0.28) and
# Swansea Council's changed enquiry form (0.32) not suggested; precision 0.80 from the
# Markdown, 0.73 from the PDF (its split summary sentence suggested, 0.78)
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    # 7 of 8 (0.88) on the first reading, both readings.
    themes_agree(read)


# First reading, since fixed: the PPN row 'Sharing information | The officer who attended Mrs
# J's home submitted a Public Protection Notice the same day, recording his unease about Mr K's
# answers, and it reached the adult safeguarding team the next morning. | ...' is read as Record
# keeping (0.96), both readings; labelled Multi-agency working (information shared promptly
# between the police and adult services; the record of his unease a fair second reading)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    book = load_codebook("best-practice")
    codes = {i.passage.seq: i.label.code for i in read.labelled}
    wrong = [(read.text(s)[:40], read.suggested[s][0], codes[s])
             for s in sorted(read.seqs("practice") & read.suggested.keys())
             if book.code(read.suggested[s][0][0]).theme != book.code(codes[s]).theme]
    assert not wrong, wrong


# First reading, since fixed: two of the eight suggestions on practice have another sub-theme
# than the label's, both readings: the PPN row -> Record keeping (0.96; Multi-agency working)
# and the bank's paragraph 'The bank's response in August 2023 was prompt and thorough ...
# called the police under the Banking Protocol ...' -> Risk assessment (0.77; Escalating
# concerns, the same theme)
@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round nine's reviews (this stop): the bank's paragraph 'The "
    "bank's response in August 2023 was prompt and thorough ...' is Risk assessment "
    '(0.94) again, both readings; right: Escalating concerns (the same theme)'))
def test_every_suggestion_on_practice_has_the_labels_sub_theme(read: Read) -> None:
    codes = {i.passage.seq: i.label.code for i in read.labelled}
    wrong = [(read.text(s)[:40], read.suggested[s][0], codes[s])
             for s in sorted(read.seqs("practice") & read.suggested.keys())
             if read.suggested[s][0][0] != codes[s]]
    assert not wrong, wrong


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    # No paragraph ends on a colon: the lead-ins are named by their openings.
    never_suggested(read, {
        "heading": headings(read),
        "title page and contents": _title_page_and_contents(read),
        "introduction": _between(read, "Introduction", "Summary of the case"),
        "recommendation": read.seqs("recommendation"),
        "recommendations' lead-in and header": opened_by(
            read, "The Board accepted the following", "No. | Recommendation"),
        "statement and glossary": set(range(heading_at(read, "Statement by the reviewers"),
                                             len(read.passages))),
    })


def test_auto_coding_never_suggests_the_summary_of_the_case(read: Read) -> None:
    # Plain facts (the bank's stopped transfer, the Public Protection Notice,
    # the paramedics among them).
    only(read, "markdown")
    summary = _between(read, "Summary of the case", "Analysis")
    assert summary <= read.seqs("other") and len(summary) == 7
    never_suggested(read, {"summary of the case": summary})


@pytest.mark.xfail(strict=True, reason=(
    "from the PDF, the summary's paragraph split at the page break leaves its last sentence "
    "'On each occasion Mrs J said that she wanted Mr K to stay, and the enquiries were "
    "closed.' a passage of its own, and it is suggested (Persistency in care and support, "
    "0.78): a fact, no practice presented as good (whole, from the Markdown, the paragraph "
    "is not suggested)"))
def test_auto_coding_never_suggests_the_summary_of_the_case_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    summary = _between(read, "Summary of the case", "Analysis")
    assert summary <= read.seqs("other") and len(summary) == 8
    never_suggested(read, {"summary of the case": summary})


def test_auto_coding_never_suggests_the_analysis_lead_in_or_header(read: Read) -> None:
    never_suggested(read, {"analysis lead-in and header": opened_by(
        read, "The panel's analysis is set out", "Area | Good practice | Learning")})


# First reading, since fixed: two of the four rows whose 'Good practice' cell presents
# practice as good are not suggested, both readings: 'Recognising financial abuse | The bank's
# fraud team stopped the £8,000 transfer, asked to speak to Mrs J on her own, and called the
# police under the Banking Protocol ... | ...' (0.42) and 'The safeguarding enquiries | The
# first section 126 enquiry was started within the timescales of the Wales Safeguarding
# Procedures ... | ...' (0.20), though the discussion's paragraphs on the same practice are
# (0.77, 0.91); the PPN row (0.96) and the caseworker's row (0.94) are
def test_auto_coding_finds_every_row_of_good_practice(read: Read) -> None:
    rows = opened_by(read, *ROWS_WITH_PRACTICE)
    assert rows <= read.seqs("practice")
    all_suggested(read, rows)


def test_auto_coding_does_not_suggest_a_row_with_none_identified(read: Read) -> None:
    rows = opened_by(read, *ROWS_WITHOUT)
    assert all("| None identified. |" in read.text(s) for s in rows)
    never_suggested(read, {"row with no good practice": rows})


@pytest.mark.xfail(strict=True, reason=(
    "two of the six discussion paragraphs of practice are not suggested, both readings: "
    "the pharmacist who, 'when she had heard nothing after a fortnight ... telephoned again "
    "and asked to speak to the practice's safeguarding lead' (0.40), and the paramedics who "
    "'recognised at once that Mrs J's condition was the result of neglect ... made an adult "
    "at risk report from the scene' (0.28): practice stated through what was done; the bank "
    "(0.77), the enquiry (0.91), 'It would have been good practice' (1.00) and the "
    "caseworker (0.83) are"))
def test_auto_coding_finds_the_practice_in_the_discussion(read: Read) -> None:
    found = opened_by(read, *DISCUSSION_PRACTICE)
    assert found == read.seqs("practice") & _between(read, "Discussion", "Recommendations")
    all_suggested(read, found)


def test_the_discussions_other_paragraphs(read: Read) -> None:
    rest = opened_by(read, *DISCUSSION_OTHER)
    assert rest == read.seqs("other") & _between(read, "Discussion", "Recommendations")


def test_auto_coding_does_not_suggest_the_overview_accounts_or_learning(read: Read) -> None:
    # The overview (0.38), the practitioners' account, the nephew's words, the
    # closing learning (0.48) on the first reading.
    never_suggested(read, {"discussion": opened_by(read, *(
        DISCUSSION_OTHER[i] for i in (0, 5, 6, 7)))})


@pytest.mark.xfail(strict=True, reason=(
    "the poor practice 'The officers who attended the bank spoke to Mrs J with Mr K beside "
    "her. She told them that the money was a loan ... and they accepted her account. No "
    "crime was recorded, and Mrs J's capacity ... was not considered ...' is suggested "
    "(Effective communication, 0.95), both readings; the other two paragraphs of poor "
    "practice (the GP practice, the enquiry's closure) are not"))
def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    poor = opened_by(read, *(DISCUSSION_OTHER[i] for i in (1, 2, 3)))
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "the concession 'The reviewers recognise that Mrs J spoke clearly and warmly about Mr K, "
    "and that practitioners work under a duty to respect the choices of adults who can make "
    "them ...' is suggested (Positive working relationships, 0.53, just over the 0.49 "
    "threshold), both readings: it excuses, it does not praise"))
def test_auto_coding_does_not_suggest_the_concession(read: Read) -> None:
    never_suggested(read, {"concession": opened_by(read, DISCUSSION_OTHER[4])})


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (suggested,) = opened_by(read, "It would have been good practice")
    assert read.suggested.get(suggested, [("", 0.0)])[0][0] == "Suggested good practice"


@pytest.mark.xfail(strict=True, reason=(
    "the first action already taken, 'Since Mrs J's death, Swansea Council has changed its "
    "section 126 enquiry form, so that an enquiry cannot be closed unless ...', is not "
    "suggested (0.32), both readings; the health board's (0.98) and the police's (0.99) "
    "are, as Learning from past reviews"))
def test_auto_coding_finds_the_actions_already_taken(read: Read) -> None:
    changes = opened_by(read, *ACTIONS_TAKEN)
    assert changes == _between(read, "Action already taken", "Statement by the reviewers")
    all_suggested(read, changes)


def test_the_actions_already_taken_are_learning_from_past_reviews(read: Read) -> None:
    # Those suggested (the miss is its twin test's).
    changes = opened_by(read, *ACTIONS_TAKEN) & read.suggested.keys()
    codes = {read.text(s)[:40]: read.suggested[s][0] for s in changes}
    assert codes and all(c == "Learning from past reviews" for c, _ in codes.values()), codes


def test_the_pdfs_passages_as_read(read: Read) -> None:
    # Printed only: where the two readings' passages differ from the Markdown.
    only(read, "pdf")
    print(f"\n[pdf] {len(read.passages)} passages; differ: {read.differ()}")
