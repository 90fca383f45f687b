"""A twentieth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on a
Welsh Extended Adult Practice Review about self-neglect whose findings each
run "What happened", "Analysis", "Learning", of the single-case auto-coding
threshold and the document-reading rules chosen on the written reviews
before it.

`tests/data/written-napr/napr-written-2026.md` is a WRITTEN Extended Adult
Practice Review (fictional: no real case or person) for the North Wales
Safeguarding Adults Board, about Mr G, 68, who lived alone in Rhyl,
dependent on alcohol, hoarding and refusing care, and was found dead at home
in an unheated house on 9 February 2023 (bronchopneumonia, with hypothermia
and alcohol-related liver disease). Where it differs from the others:

- the cover: "North Wales Safeguarding Adults Board", its Welsh name
  "Bwrdd Diogelu Oedolion Gogledd Cymru", the heading "Extended Adult
  Practice Review", the board's numbering "NWSB APR 02/2024" (BOARD, TYPE,
  number/year: an order no earlier review used), "Mr G", "Published: 2 July
  2024"; no contents;
- a "Preface by the Chair of the Board": condolences, the difficulty of
  self-neglect, one paragraph of the chair's praise of the district nurses
  ("kept returning to Mr G's door, week after week"), a signature line;
- a "Summary": the story, the main finding, a sentence naming the good
  practice that leads into a TWO-COLUMN TABLE "Key learning | Good practice"
  of four rows, each a learning sentence beside the good practice that goes
  with it;
- "Introduction" (the referral considered by the sub-group 21 March 2023,
  the period "from 1 February 2022 to 9 February 2023", the learning event
  27 September 2023, the brother's words);
- "Findings": six findings, each "### Finding n: ..." with three
  sub-headings "What happened" (plain facts, one paragraph), "Analysis" (the
  praise, mostly implicit, stated through what was done: "continued to visit
  every week ... although Mr G often sent them away at the door", "Although
  heating was not a nursing matter, the district nurse ...", "When Mr G
  stopped coming to the surgery, his GP saw him at home"; poor practice;
  concessions; one "It would have been good practice ..."; one change made
  since) and "Learning" (a paragraph or two bullets of "should"s);
- "The Mental Capacity Act 2005 and self-neglect": four paragraphs of law
  with citations (ss. 1(2), 1(4), 2(1), 3(1); A Local Authority v JB [2021]
  UKSC 52; Tower Hamlets v PB [2020] EWCOP 34; Greenwich v CDM [2019] EWCOP
  32; DL v A Local Authority [2012] EWCA Civ 253; s. 126 SSWbA 2014);
- "Recommendations": a lead-in, then a THREE-COLUMN TABLE "Recommendation |
  Lead agency | Timescale", the number inside the first cell ("1. The North
  Wales Safeguarding Adults Board should ...", "4. The Board should ...",
  "6. The Board should write to the Welsh Government ..."), the lead agency
  "NWSAB" for the board's three, a relative timescale ("12 months");
- "Statement by the reviewers" (one paragraph ending "Signed: S. Pritchard
  and G. Lloyd, Independent Reviewers, 18 March 2024."), "Appendix 1:
  Chronology" (a Date | Agency | Event table of five rows), "Appendix 2:
  Glossary" (three bullets).

Its labels (`napr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 109 passages,
18 practice, 6 recommendation, 85 other. As the earlier modules': practice
where the reviewers present some practice as good, however implicitly; "It
would have been good practice ..." Suggested good practice; the council's
and health board's protocol since the death Learning from past reviews;
restatements practice with the code of what they restate. Practice: the
chair's praise (Persistency in care and support), the summary's sentence
naming the good practice (borderline: a lead-in to the table, but it names
the practice, as apr2's outline "1.6"; Persistency), the four summary table
rows (by their "Good practice" cell: Persistency, Risk assessment,
Persistency, Risk assessment), and twelve analysis paragraphs (the
environmental health officer Multi-agency working; the firefighters' clutter
rating and referral Risk assessment; the district nurses' weekly visits
Persistency; the nurse's rapport Positive working relationships; the GP's
home visit Persistency; the ambulance crew's adult at risk report Escalating
concerns; the capacity assessment "careful work" Risk assessment; "It would
have been good practice" Suggested good practice; the police's welfare
check and PPN "in line with force policy" Adhering to policy and procedure;
the team leader's professionals meeting Multi-agency working; the heaters
"although heating was not a nursing matter" Persistency; the protocol since
Learning from past reviews). Other: the cover, the rest of the preface, the
summary's account and the table's header, the introduction and the
brother's words, every "What happened" (facts, though they hold the practice
the analysis praises), the eight poor-practice and concession paragraphs of
the analyses, every "Learning", the law section, the recommendations'
lead-in and table header, the statement and the appendices.

What a user would expect of its identity, decided before the reading: type
APR, extended, board North Wales, identifier APR2024-02/NW (from "NWSB APR
02/2024"), year 2024; dates: index incident 2023-02-09, referral
2023-03-21, period 2022-02-01 to 2023-02-09, learning event 2023-09-27,
sign-off 2024-03-18, publication 2024-07-02.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt12
as it was, HEAD d48797e; STORFA_INT8=u8; by the machine's clock the session
began 23:43:54, the labels were written 23:46:53 and copied into tests/data
with the document in one `cp` 23:46:57, this module written before any
reading (a first try at 23:47:36 stopped at collection on a Python 3.11
f-string, storfa not run), storfa first run 23:47:44-23:48:05; the PDF's
passages, the records' texts and the near misses printed 23:48:22-23:48:44
on the same tree), the same from the Markdown and from the PDF unless said:

- segmentation: the Markdown as written (109); the PDF 110 passages, all as
  written but recommendation 4's row, whose cell wraps at a page break: "4.
  The Board should commission ... for practitioners | NWSAB | 12 months" and
  its last line "working with adults who self-neglect, ... on an
  assessment." as a paragraph (the record is still whole: the continuation
  is read into it);
- identity: type APR, extended, board North Wales, year 2024, right; the
  identifier APR2024-W02, not APR2024-02/NW: find_board_numbered reads "APR
  02/2024" out of "NWSB APR 02/2024", board None (the board's abbreviation
  before the type is not taken), so the all-Wales form. Dates: index
  incident 2023-02-09, referral 2023-03-21, learning event 2023-09-27,
  publication 2024-07-02, all right; period None (right: 2022-02-01 to
  2023-02-09, "The review considered the involvement of agencies with Mr G
  from 1 February 2022 to 9 February 2023"); sign-off None (right:
  2024-03-18, "Signed: ... Independent Reviewers, 18 March 2024." under
  "Statement by the reviewers");
- recommendations: 6 of 6, numbered 1-6, nothing extra (not the lead-in,
  no "Learning", not the summary's key learning, not the law); each record
  the first cell only (no "NWSAB", no "12 months"); addressees all right:
  1, 4 and 6 ['North Wales Safeguarding Adults Board'] (the cell "NWSAB" and
  "The Board"; 6 not to the Welsh Government it writes to), 2
  ['Denbighshire County Council'], 3 ['Betsi Cadwaladr University Health
  Board'], 5 ['North Wales Police', 'North Wales Fire and Rescue Service'];
  no due date from the relative timescales (due_date None: nothing to test
  against, the acceptance date 23 April 2024 being in the lead-in);
- auto-coding at the single-case threshold (0.49 as reported): 15
  suggestions, 15 of the 18 practice passages, precision 1.00, recall 0.83;
  the same sub-theme as the label on 8 of 15, the same theme on 11 of 15
  (0.73). Wrong: none. Missed (3): the capacity assessment's praise in both
  its places, the analysis's "The capacity assessment of 24 November 2022
  was in many respects careful work ... recorded his answers verbatim"
  (0.26) and its summary row "Capacity includes being able to act on a
  decision ... | The social worker's capacity assessment ... was carefully
  timed and recorded Mr G's own words." (0.36); and the summary row "Where
  several agencies are involved ... | The fire and rescue service used the
  clutter image rating tool and referred Mr G ... on the day of its visit."
  (0.34), though the analysis paragraph it restates is found (0.82). Themes
  that differ: the chair's praise -> Learning from past reviews (0.73;
  Persistency), the firefighters -> Record keeping (0.82; Risk assessment),
  the ambulance crew -> Effective communication (0.93; Escalating concerns),
  the heaters -> Adhering to policy and procedure (0.75; Persistency);
  sub-themes within the theme: the GP's home visit and its row -> Positive
  working relationships (0.99) and Consistent care and support (0.95), the
  environmental health officer -> Effective communication (0.50). Nothing
  suggested on the cover, headings, "What happened", "Learning", the law,
  the introduction, the recommendations, the statement or the appendices;
  near misses under the threshold: "On 3 December 2022 Mr G's brother asked
  North Wales Police ..." (What happened, 0.47), "Most agencies saw Mr G's
  drinking as a lifestyle choice ..." (0.46), "The assessment considered
  whether Mr G could understand ... It did not consider ..." (0.42).

After the first reading only this module changed, not the document or the
labels: the segmentation tests split by reading with a PDF test of what
reads as written and of record 4 read whole, a test of the themes that
differ, and the xfails for what storfa got wrong. From /work/main (whose
src/ held an uncommitted change to the PDF layout reader at the time) the
module gave the same at 23:50: 65 passed, 5 skipped, 20 xfailed.

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
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-napr"
DOCUMENT = DATA / "napr-written-2026.md"
NUMBERING = "NWSB APR 02/2024"  # on the cover
IDENTIFIER = "APR2024-02/NW"
# The review's own board, as the cover names it, or by the name storfa keeps.
OWN_BOARD = ("North Wales Safeguarding Adults Board", "North Wales Safeguarding Board")
RECOMMENDATIONS = (
    "1. The North Wales Safeguarding Adults Board should",
    "2. Denbighshire County Council should",
    "3. Betsi Cadwaladr University Health Board should",
    "4. The Board should commission",
    "5. North Wales Police and North Wales Fire and Rescue Service should",
    "6. The Board should write to the Welsh Government",
)
# Who each agency's row is to, as its text and its "Lead agency" cell say.
AGENCIES = {
    "2": ["Denbighshire County Council"],
    "3": ["Betsi Cadwaladr University Health Board"],
    "5": ["North Wales Police", "North Wales Fire and Rescue Service"],
}
BOARDS_OWN = ("1", "4", "6")  # "The North Wales Safeguarding Adults Board", "The Board"
PREFACE = "Preface by the Chair of the Board"
LAW = "The Mental Capacity Act 2005 and self-neglect"
FINDINGS = 6


# _PDF_ROW, a first reading since fixed (cell borders read from a table's rules): from the PDF,
# 110 passages, not 109: recommendation 4's row wraps at a page break, '4. The Board should
# commission multi-agency training on the Mental Capacity Act 2005 for practitioners | NWSAB |
# 12 months' read as the row and its cell's last line 'working with adults who self-neglect,
# covering executive capacity ... on an assessment.' as a paragraph; every other passage as
# written
_IDENTIFIER = (
    "identifier APR2024-W02 (the all-Wales form), both readings; right: APR2024-02/NW. "
    "find_board_numbered reads 'APR 02/2024' out of the cover's 'NWSB APR 02/2024', board "
    "None: the board's abbreviation before the type is not taken (storfa knows 'CPR CTMSB "
    "06/2021', type first, and 'NWSAB 3/2024', no type), though the board is read as North "
    "Wales from the page")


read = reading(DOCUMENT, DATA / "napr-written-2026.tsv", "written-napr")


def _under(read: Read, name: str) -> set[int]:
    """The passages whose nearest heading above is `name` (the findings'
    sub-headings repeat, six times each; a PDF's headings have no depth)."""
    found, current = set(), None
    for p in read.passages:
        if p.kind == "heading":
            current = p.text
        elif current == name:
            found.add(p.seq)
    return found


def _title_page(read: Read) -> set[int]:
    # No contents: the cover runs to the preface.
    return set(range(heading_at(read, PREFACE)))


def _summary_table(read: Read) -> set[int]:
    """The "Key learning | Good practice" rows, the header aside."""
    (header,) = opened_by(read, "Key learning | Good practice")
    return set(range(header + 1, heading_at(read, "Introduction")))


def _after_the_recommendations(read: Read) -> set[int]:
    return set(range(heading_at(read, "Statement by the reviewers"), len(read.passages)))


def _records(read: Read) -> dict[str, StoredRecommendation]:
    return {r.number: r for r in labelled_records(read)}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 109, 18, 6, 85)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_ROW above
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 109, 18, 6, 85)


# First reading, since fixed: _PDF_ROW above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_recommendations_table_as_written(read: Read) -> None:
    only(read, "pdf")
    table = set(range(heading_at(read, "Recommendations"),
                      heading_at(read, "Statement by the reviewers")))
    wrong = [(s, t) for s, t in read.differ() if s not in table]
    assert not wrong, wrong


def test_recommendation_4_is_read_whole(read: Read) -> None:
    # From the PDF its row's last line is a paragraph of its own, read into the record.
    text = " ".join(_records(read)["4"].text.split())
    assert text.startswith("The Board should commission") and \
        text.endswith("the bearing of alcohol dependence on an assessment."), text


def test_each_finding_has_its_three_sub_sections(read: Read) -> None:
    for name in ("What happened", "Analysis", "Learning"):
        assert sum(p.kind == "heading" and p.text == name for p in read.passages) == FINDINGS
    assert len(_under(read, "What happened")) == FINDINGS
    assert len(_under(read, "Analysis")) == 20
    assert len(_under(read, "Learning")) == 7


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Oedolion Gogledd Cymru" is the board's name in Welsh.
    identity(read, type="APR", variant="extended", board="North Wales")


# First reading, since fixed: identifier APR2024-W02 (the all-Wales form), both readings;
# right: APR2024-02/NW. find_board_numbered reads 'APR 02/2024' out of the cover's 'NWSB APR
# 02/2024', board None: the board's abbreviation before the type is not taken (storfa knows
# 'CPR CTMSB 06/2021', type first, and 'NWSAB 3/2024', no type), though the board is read as
# North Wales from the page
def test_the_cover_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("APR", 2024, 2, "NW"))


# First reading, since fixed: identifier APR2024-W02 (the all-Wales form), both readings;
# right: APR2024-02/NW. find_board_numbered reads 'APR 02/2024' out of the cover's 'NWSB APR
# 02/2024', board None: the board's abbreviation before the type is not taken (storfa knows
# 'CPR CTMSB 06/2021', type first, and 'NWSAB 3/2024', no type), though the board is read as
# North Wales from the page
def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    found = find_board_numbered(NUMBERING, "APR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


def test_the_index_incident_is_the_death(read: Read) -> None:
    # "He was found dead at home by police officers on 9 February 2023."
    assert read.summary.dates.get("index_incident") == "2023-02-09", read.summary.dates


def test_the_referral_is_the_sub_groups(read: Read) -> None:
    # "... the Board's Adult Practice Review Sub-Group, which considered the
    # referral on 21 March 2023" (the Chair agreed it on 4 April 2023).
    assert read.summary.dates.get("referral") == "2023-03-21", read.summary.dates


# First reading, since fixed: period None, both readings; right: 2022-02-01 to 2023-02-09,
# 'The review considered the involvement of agencies with Mr G from 1 February 2022 to 9
# February 2023, the date of his death.' (in the Introduction; storfa's cue is 'considered
# agencies' involvement', not 'the involvement of agencies')
def test_the_period_under_review(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-02-01", "2023-02-09"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2023-09-27", read.summary.dates


# First reading, since fixed: sign-off None, both readings; right: 2024-03-18, 'Signed: S.
# Pritchard and G. Lloyd, Independent Reviewers, 18 March 2024.' closing the paragraph under
# 'Statement by the reviewers'
def test_the_reviewers_sign_off(read: Read) -> None:
    # "Signed: S. Pritchard and G. Lloyd, Independent Reviewers, 18 March 2024."
    assert read.summary.dates.get("sign_off") == "2024-03-18", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Published: 2 July 2024" on the cover.
    assert read.summary.dates.get("publication") == "2024-07-02", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number)
    reads_every_recommendation_passage(read)


def test_one_record_per_row(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == [str(n) for n in range(1, 7)]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the lead-in, not a "Learning" paragraph or bullet ("... should ..."),
    # not the summary's key learning, not the law, not "It would have been good
    # practice ...".
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_findings_or_the_summary(read: Read) -> None:
    zone = set(range(heading_at(read, "Summary"), heading_at(read, "Recommendations")))
    assert not read.covered & zone, [read.text(s)[:60] for s in sorted(read.covered & zone)]


def test_each_agency_recommendation_names_its_lead_agency(read: Read) -> None:
    found = {n: r.agencies for n, r in _records(read).items()}
    due = [(n, r.due_date) for n, r in _records(read).items()]
    print(f"\n[{read.source}] agencies {found}, due {due}")
    assert {n: found.get(n) for n in AGENCIES} == AGENCIES, found


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # The cell "NWSAB" and "The Board" are the review's own board; 6 is to the
    # Board, which is to write to the Welsh Government.
    found = {n: r.agencies for n, r in _records(read).items()}
    assert all(found.get(n) and found[n][0] in OWN_BOARD for n in BOARDS_OWN), found


def test_each_record_is_the_recommendation_not_its_other_cells(read: Read) -> None:
    texts = {n: r.text for n, r in _records(read).items()}
    wrong = {n: t[-60:] for n, t in texts.items() if "months" in t or "NWSAB" in t}
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 1.00 (15 of 15) on the first reading, both readings; recall 0.83 (15 of 18).
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 11 of 17 (0.65) now: the table rows found since a
# good-practice column's cell is read on its own are coded to other themes than their labels'
# (held: 11 of 15 (0.73) on the first reading)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    # 11 of 15 (0.73) on the first reading, both readings.
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=(
    "four suggestions on practice are in another theme than the label's, both readings: "
    "the chair's praise of the district nurses 'kept returning to Mr G's door, week after "
    "week' -> Learning from past reviews (0.73; Persistency in care and support), the "
    "firefighters' clutter image rating and referral -> Record keeping (0.82; Risk "
    "assessment), the ambulance crew's adult at risk report -> Effective communication "
    "(0.93; Escalating concerns), the heaters 'although heating was not a nursing matter' "
    "-> Adhering to policy and procedure (0.75; Persistency in care and support)"))
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _title_page(read),
        "recommendation": read.seqs("recommendation"),
        "recommendations' lead-in": opened_by(read, "The reviewers make six"),
        "statement and appendices": _after_the_recommendations(read),
    })


def test_auto_coding_never_suggests_what_happened(read: Read) -> None:
    # Plain facts, though some of them are the practice the analysis praises.
    facts = _under(read, "What happened")
    assert facts <= read.seqs("other") and len(facts) == FINDINGS
    never_suggested(read, {"what happened": facts})


def test_auto_coding_never_suggests_the_learning(read: Read) -> None:
    learning = _under(read, "Learning")
    assert learning <= read.seqs("other") and len(learning) == 7
    never_suggested(read, {"learning": learning})


def test_auto_coding_never_suggests_the_law(read: Read) -> None:
    law = _under(read, LAW)
    assert law <= read.seqs("other") and len(law) == 4
    never_suggested(read, {"the Mental Capacity Act section": law})


def test_auto_coding_never_suggests_the_introduction_or_the_family(read: Read) -> None:
    introduction = _under(read, "Introduction")
    assert len(introduction) == 3
    never_suggested(read, {"introduction": introduction})


def test_auto_coding_does_not_suggest_the_summarys_account(read: Read) -> None:
    account = opened_by(read, "Mr G was a 68-year-old man", "Seven agencies had contact")
    never_suggested(read, {"summary's account": account,
                           "summary table header": opened_by(read, "Key learning | Good")})


# First reading, since fixed: two of the four rows are not suggested, both readings: 'Capacity
# includes being able to act on a decision ... | The social worker's capacity assessment in
# November 2022 was carefully timed and recorded Mr G's own words.' (0.36) and 'Where several
# agencies are involved ... | The fire and rescue service used the clutter image rating tool
# and referred Mr G to adult social care on the day of its visit.' (0.34); the district
# nurses' row (0.95) and the GP's (0.95) are
def test_auto_coding_finds_every_row_of_the_summary_table(read: Read) -> None:
    rows = _summary_table(read)
    assert rows <= read.seqs("practice") and len(rows) == 4
    all_suggested(read, rows)


def test_auto_coding_finds_the_summarys_naming_of_good_practice(read: Read) -> None:
    (named,) = opened_by(read, "The review found examples of persistent")
    assert named in read.seqs("practice")
    all_suggested(read, {named})


def test_auto_coding_finds_the_chairs_praise_and_nothing_else_in_the_preface(
        read: Read) -> None:
    preface = _under(read, PREFACE)
    (praise,) = opened_by(read, "The review also shows what patient")
    assert preface & read.seqs("practice") == {praise}
    all_suggested(read, {praise})
    never_suggested(read, {"preface": preface - {praise}})


@pytest.mark.xfail(strict=True, reason=(
    "'The capacity assessment of 24 November 2022 was in many respects careful work. The "
    "social worker visited in the morning, before Mr G had had a drink, ... recorded his "
    "answers verbatim ...' is not suggested (0.26), both readings, nor its summary row "
    "(0.36); the other eleven analysis paragraphs of practice are (0.50-1.00)"))
def test_auto_coding_finds_the_practice_in_the_analyses(read: Read) -> None:
    found = _under(read, "Analysis") & read.seqs("practice")
    assert len(found) == 12
    all_suggested(read, found)


def test_auto_coding_does_not_suggest_poor_practice_or_concessions(read: Read) -> None:
    poor = _under(read, "Analysis") & read.seqs("other")
    assert len(poor) == 8
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (suggested,) = opened_by(read, "It would have been good practice")
    assert read.suggested.get(suggested, [("", 0.0)])[0][0] == "Suggested good practice"


def test_auto_coding_finds_the_change_made_since(read: Read) -> None:
    (change,) = opened_by(read, "Since Mr G's death")
    assert read.suggested.get(change, [("", 0.0)])[0][0] == "Learning from past reviews"


# First readings, since fixed: "Although heating was not a nursing matter" was
# read as Adhering to policy and procedure (0.75), both readings (the district
# nurse arranging heaters through Care and Repair within 48 hours, going beyond
# her role); "When Mr G stopped coming to the surgery" as Positive working
# relationships (0.99), its summary row as Consistent care and support (0.95).
@pytest.mark.parametrize("opening", [
    "The district nurses continued to visit every week",
    "Although heating was not a nursing matter",
    "When Mr G stopped coming to the surgery",
])
def test_persistence_is_read_as_persistence(read: Read, opening: str) -> None:
    # Practice stated through what was done: visiting despite being turned away,
    # going beyond the role, going to him when he would not come.
    (seq,) = opened_by(read, opening)
    assert read.suggested.get(seq, [("", 0.0)])[0][0] == "Persistency in care and support"
