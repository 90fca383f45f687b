"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a Welsh
Extended Child Practice Review whose analysis under "Theme n: ..." headings
is mostly critical and whose good practice is mostly in an appendix TABLE
"Agency | Good practice identified" (the agencies' own claims), with the
reviewers' paragraph after it agreeing with six rows and not with the
seventh, of the single-case auto-coding threshold and the document-reading
rules chosen on the written reviews before it.

`tests/data/written-appx/appx-written-2026.md` is a WRITTEN Extended Child
Practice Review (fictional: no real case or person) for the Cardiff and Vale
Regional Safeguarding Board, about two brothers, C (9) and D (6), who lived
in the east of Cardiff with their mother (dependent on alcohol, using
cocaine from 2021) and her partner Mr F, on the child protection register
for neglect from 9 March 2021 with a plan that barely changed over four
review conferences, until on 17 January 2023 police found them alone in a
cold house with no electricity and no food and took them into police
protection. Agencies: Cardiff Council Children's Services, its Education
Service and the primary school, Cardiff and Vale University Health Board
(health visiting, school nursing, the GP practice), South Wales Police, the
Cardiff Drug and Alcohol Team and the Families First team. The layout:

- the cover: the board's name, its Welsh name "Bwrdd Diogelu Rhanbarthol
  Caerdydd a'r Fro", "Extended Child Practice Review" (the only level-1
  heading), "CVRSB CPR 2024/02" on a line of its own (BOARD, TYPE,
  YEAR/NUMBER, the order the CVAPR's "CVRSB APR 2025/01" used), "Re:
  Children C and D", "Report agreed by the Board: 10 July 2024", "Date of
  publication: 24 September 2024"; no contents;
- "1. Introduction and circumstances resulting in the review" (the
  commissioning: referral by Cardiff Council to the Case Review Group on 6
  March 2023, met 12 April, the Chair agreed 25 April; the family; the
  registration of 9 March 2021; the night of 17 January 2023; where the
  children live now; the purpose), "2. The review process" (the period "from
  1 September 2020 to 17 January 2023" with its reason; the panel; the terms
  of reference as a lead-in and four bullets; the agencies; the learning
  event on 19 October 2023; the family's part and C's words);
- "3. Practice and organisational learning": a preamble, then FOUR "###
  Theme n: ..." headings of MOSTLY CRITICAL running text (facts, poor
  practice, two concessions "The reviewers accept ... But ..." and "The
  reviewers recognise ... But ...", what practitioners said at the learning
  event, the Wales Safeguarding Procedures' description of neglect
  paraphrased), with good practice rare: the social worker allocated in June
  2022 ("good practice, but ..."), "It would have been good practice ...",
  the change since (head of service reviews of plans at twelve months), the
  class teacher's dated record, the school nurse's escalation ("the review
  commends it");
- "4. Improving systems and practice": the general lead-in "The review
  makes the following recommendations:" and SEVEN numbered recommendations,
  1, 3 and 7 lead-ins ("... should ensure that:", "... should:") each with
  two "(a)"/"(b)" LETTERED PARTS as paragraphs of their own: 1-2 Cardiff
  Council, 3 the health board, 4 the Cardiff Drug and Alcohol Team, 5 the
  Cardiff Council Education Service, 6 South Wales Police, 7 the Board;
- "5. Statement by the reviewers": the template's statement and a
  SIGNATURE TABLE "Name | Role | Signature | Date" of two rows (21/05/2024);
  "6. Statement by the Review Panel Chair" (a paragraph, "Signed: ...
  Date: 04/06/2024"); "Appendix 1: Glossary", five bullets with a bold term;
- "Appendix 2: Good practice identified by the agencies": a lead-in, the
  TABLE "Agency | Good practice identified" of SEVEN ROWS, each cell a
  sentence or two, and ONE PARAGRAPH by the reviewers agreeing with six and
  ending "The review does not agree that the school's attendance monitoring
  was good practice: ...".

Its labels (`appx-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 98 passages,
12 practice, 13 recommendation (the seven numbered items, the three
lead-ins among them, and the six lettered parts), 73 other. As the earlier
modules': practice where the reviewers present some practice as good,
however implicitly or mixed with criticism; a table row labelled as a
reader would label the whole row. Codes: the social worker from June 2022
who stayed and visited as planned ("good practice, but ...") Consistent
care and support; "It would have been good practice ..." Suggested good
practice; the head of service reviews since Learning from past reviews; the
class teacher's dated record of D's days Record keeping; the school nurse's
escalation Escalating concerns; the appendix's rows the reviewers agree
with: children's services' visits "as the plan required" Adhering to policy
and procedure, the school nurse's sharing Multi-agency working, the police
officers' care of the children Effective communication, the key worker's
persistence Persistency in care and support, the GP practice's written
report Record keeping, the family support worker's relationship with C
Positive working relationships; the reviewers' paragraph after the table
Effective communication (by its first finding, the police officers' care;
mixed with its disagreement). Other: the school's row (the agency's claim,
which the reviewers reject), the cover, the introduction and process, the
preamble, poor practice and facts (the police's Public Protection Notices
"shared with children's services" told as a fact in a paragraph about Mr F
not assessed), the concessions, what practitioners said, the Procedures,
the headings, the lead-ins, the statements, the glossary, the appendix's
lead-in and the table's header.

What a user would expect of its identity, decided before the reading: type
CPR, extended, board Cardiff and Vale, identifier CPR2024-02/CV, year 2024;
dates: index incident 2023-01-17 (the children found alone, not the
registration of 9 March 2021), referral 2023-03-06, period 2020-09-01 to
2023-01-17, learning event 2023-10-19, sign-off 2024-05-21 (the reviewers'
table, not the chair's 04/06/2024 nor the Board's agreement of 10 July
2024), publication 2024-09-24.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt17
as it was, HEAD 9260802; STORFA_INT8=u8; by the machine's clock the session
began 06:58:27, the labels were written 06:59:48 and copied into tests/data
with the document in one `cp` 06:59:49, this module written before any
reading (ruff-clean 07:00:35), storfa first run 07:00:36-07:00:41 (-x, stopped
at the first failure) and 07:00:42-07:00:54 without -x; the metadata, the
register, the suggestions passage by passage and the PDF's passages printed
07:00:58-07:01:13, on the same tree), the same from the Markdown and from the
PDF unless said:

- segmentation: the Markdown as written (98: the six lettered parts each a
  passage, each theme a heading, each table row a passage); the PDF 101
  passages, all as written but three rows of the appendix's table: the
  health board's row, its Agency cell wrapped over three lines, read as
  three rows ("Cardiff and Vale | The school nurse shared ...", "University
  Health | the day she found it ...", "Board | was invited to."); the
  police's row broken by the page into the row "South Wales Police | The
  officers ... spoke to C" and the paragraph "and D gently, explained ...";
  the school's row read as the paragraph "The primary school The school
  monitored ..." (no cell break). The label join carries the labels of
  these pieces by position (the health board's pieces take the children's
  services row's, the school's paragraph the police row's practice label),
  so the PDF's figures below are measured against labels partly misplaced;
- identity: CPR, extended, Cardiff and Vale, 2024, right; identifier WRONG:
  CPR2024-W02 (the all-Wales form; right: CPR2024-02/CV, which
  find_board_numbered reads from "CVRSB CPR 2024/02" itself, but not on the
  cover, where it stands on a line of its own); referral 2023-03-06,
  learning event 2023-10-19, period 2020-09-01 to 2023-01-17, sign-off
  2024-05-21 (from the reviewers' table), publication 2024-09-24, all right;
  index incident WRONG: none (right: 2023-01-17, "On the evening of 17
  January 2023 a neighbour called South Wales Police ... Officers found C
  and D alone in the house at 9.40pm.");
- recommendations: 10 records, numbered 1a, 1b, 2, 3a, 3b, 4, 5, 6, 7a, 7b,
  each lettered part a record completed by its lead-in ("Cardiff Council
  should ensure that every child protection plan ..."), every one of the 13
  recommendation passages read, nothing extra (not "It would have been good
  practice", not the Procedures, not the terms of reference, not the general
  lead-in, not the appendix). Addressees: 1 and 2 Cardiff Council, 3 the
  health board, 5 ['Cardiff Council Education Service'], 6 South Wales
  Police, 7a and 7b the Board, right; 4 WRONG: [] (right: the Cardiff Drug
  and Alcohol Team its sentence opens on). No due dates (all relative);
- auto-coding at the single-case threshold (0.49 as reported), from the
  Markdown: 18 suggestions, 11 of the 12 practice passages, precision 0.61,
  recall 0.92; the same sub-theme as the label on 7 of 11, the same theme on
  9 of 11 (0.82). Wrong (7): the night of 17 January 2023 in the
  introduction (Escalating concerns, 0.54), "The reviewers met the
  children's mother and their grandmother ..." (Effective communication,
  0.53), "The plan was reviewed at four review conferences ..." (Record
  keeping, 0.63), "At the learning event practitioners said that they had
  become used to the house." (Persistency in care and support, 0.53), "The
  mother's engagement ... was counted at each conference as progress."
  (Record keeping, 0.71), "The response to the school nurse's escalation was
  slow." (Escalating concerns, 0.63), and the school's row the reviewers
  reject, "The primary school | The school monitored the children's
  attendance daily ..." (Consistent and persistent communication, 1.00).
  Missed (1): children's services' row "From June 2022 the allocated social
  worker visited every ten working days, as the plan required ..." (0.34;
  the same practice in the running text, 0.99, is found). Themes that differ
  (2): the police row -> Adhering to policy and procedure (0.99; Effective
  communication), the reviewers' view after the table -> Record keeping
  (0.89; Effective communication); within the theme: the key worker's
  persistence -> Consistent care and support (0.99; Persistency), the GP
  practice's report -> Adhering to policy and procedure (0.90; Record
  keeping). Right: the five practice passages of the running text, each in
  its label's sub-theme (the social worker 0.99, "It would have been good
  practice" 0.64, the change since 0.52, the class teacher's record 0.82, the
  school nurse's escalation 0.63), the health board's row (Multi-agency
  working, 1.00), the family support worker's (0.99). From the PDF: 18
  suggestions, 12 of 16 practice passages (as carried), precision 0.67,
  recall 0.75, the same theme on 8 of 12 (0.67): the same seven wrong (the
  school's paragraph 0.82, counted right by its carried label); missed the
  children's services row (0.34), "Board | was invited to." (0.00) and,
  unlike the Markdown, the key worker's row (0.40) and the GP practice's
  (0.27); the health board's first two pieces -> Consistent care and
  support (0.99, 1.00), the police row's first piece -> Adhering (0.64), its
  tail "and D gently ..." Effective communication (0.79). Nothing suggested
  on the cover, a heading, a recommendation, a lead-in, the statements, the
  glossary, the appendix's lead-in or header, the preamble, the Procedures,
  the concessions.

After the first reading only this module changed, not the document or the
labels: the segmentation tests split by reading with a PDF test of what
reads as written, the tests that found a fault split from what held, and
the xfails for what storfa got wrong (each its own test). On the frozen tree
(07:02:42-07:02:51) and from /work/main with its own src/ (07:03:03-07:03:10)
the module gave the same: 79 passed, 15 skipped, 38 xfailed.

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
    CODEBOOK,
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
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-appx"
DOCUMENT = DATA / "appx-written-2026.md"
NUMBERING = "CVRSB CPR 2024/02"  # on the cover: board, type, year/number
IDENTIFIER = "CPR2024-02/CV"
OWN_BOARD = ("Cardiff and Vale Regional Safeguarding Board",)
COUNCIL = "Cardiff Council"
HEALTH_BOARD = "Cardiff and Vale University Health Board"
RECOMMENDATIONS = (
    "1. Cardiff Council should ensure that:",
    "2. Cardiff Council should report",
    "3. Cardiff and Vale University Health Board should ensure that:",
    "4. The Cardiff Drug and Alcohol Team should",
    "5. The Cardiff Council Education Service should",
    "6. South Wales Police should",
    "7. The Cardiff and Vale Regional Safeguarding Board should:",
)
# The lettered parts of recommendations 1, 3 and 7, by words of each.
PARTS = {
    "1": ("what must change for the child", "a neglect assessment tool"),
    "3": ("The GP practice of every child", "keep a chronology of growth"),
    "7": ("publish a seven-minute briefing", "audit the use of its escalation protocol"),
}
THEMES = ("Theme 1: Drift in child protection planning",
          "Theme 2: The children's lived experience of neglect",
          "Theme 3: Parental substance misuse and its impact on parenting",
          "Theme 4: Professional challenge and escalation")
# The appendix's rows the reviewers agree with, and the one they do not.
AGREED_ROWS = ("Cardiff Council Children's Services |", "Cardiff and Vale University Health "
               "Board |", "South Wales Police |", "Cardiff Drug and Alcohol Team |",
               "The GP practice |", "Families First team |")
REJECTED_ROW = "The primary school |"
REVIEWERS_VIEW = "The review agrees that the police officers'"
# The good practice in the learning's running text.
BODY_PRACTICE = ("The social worker allocated in June 2022", "It would have been good practice",
                 "Since the review began", "D's class teacher kept",
                 "In November 2022 the school nurse")
INTRODUCTION = "1. Introduction and circumstances resulting in the review"
PROCESS = "2. The review process"
LEARNING = "3. Practice and organisational learning"
SYSTEMS = "4. Improving systems and practice"
STATEMENT = "5. Statement by the reviewers"
GLOSSARY = "Appendix 1: Glossary"
APPENDIX = "Appendix 2: Good practice identified by the agencies"
# The two paragraphs of the introduction and process suggested (each its xfail).
_INTRODUCTION_SUGGESTED = ("On the evening of 17 January 2023",
                           "The reviewers met the children's mother")

# _PDF, a first reading since fixed (cell borders read from a table's rules): from the PDF, 101
# passages, not 98: three rows of the appendix's table are not read as written: the health
# board's row, its Agency cell wrapped over three lines, as three rows ('Cardiff and Vale | The
# school nurse shared ...', 'University Health | the day she found it ...', 'Board | was invited
# to.'); the police's row, broken by the page, as the row 'South Wales Police | The officers ...
# spoke to C' and the paragraph 'and D gently, explained to them ...'; the school's row as the
# paragraph 'The primary school The school monitored ...' (no cell break); every other passage
# as written
_PRECISION = (
    "precision 0.61 from the Markdown (18 suggestions, 11 of 12 practice; recall 0.92), "
    "and from the PDF since its table rows are read whole (0.67 and recall 0.75 before): "
    "suggested, not practice, both readings: the night of "
    "the incident (0.54), the family's part in the review (0.53), the plan continued "
    "unchanged (0.63), practitioners used to the house (0.53), engagement counted as "
    "progress (0.71), the slow response to the escalation (0.63), and the school's row the "
    "reviewers reject (1.00; from the PDF 0.82, counted there as practice by the police "
    "row's label carried onto it)")


def _theme(read: Read, opening: str) -> str | None:
    """The theme of the first suggestion on the passage that opens so."""
    (seq,) = opened_by(read, opening)
    code = read.suggested.get(seq, [("", 0.0)])[0][0]
    return load_codebook(CODEBOOK).code(code).theme if code else None


read = reading(DOCUMENT, DATA / "appx-written-2026.tsv", "written-appx")


def _cover(read: Read) -> set[int]:
    return set(range(heading_at(read, INTRODUCTION)))


def _learning(read: Read) -> set[int]:
    return between(read, LEARNING, SYSTEMS)


def _statements_and_glossary(read: Read) -> set[int]:
    return set(range(heading_at(read, STATEMENT), heading_at(read, APPENDIX)))


def _appendix(read: Read) -> set[int]:
    return set(range(heading_at(read, APPENDIX) + 1, len(read.passages)))


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 98, 12, 13, 73)


# First reading, since fixed: _PDF above
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 98, 12, 13, 73)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_three_rows_of_the_appendix_as_written(read: Read) -> None:
    only(read, "pdf")
    # By the labels' seqs: the health board's, the police's and the school's rows.
    wrong = [(s, t) for s, t in read.differ() if s not in {90, 91, 92, 93}]
    assert not wrong, wrong


def test_each_theme_is_a_heading_in_the_learning(read: Read) -> None:
    found = {heading_at(read, theme) for theme in THEMES}
    assert found <= set(range(heading_at(read, LEARNING), heading_at(read, SYSTEMS)))


def test_the_appendix_table_is_read_one_row_a_passage(read: Read) -> None:
    only(read, "markdown")
    rows = opened_by(read, *AGREED_ROWS, REJECTED_ROW, "Agency | Good practice identified")
    assert rows <= _appendix(read)
    assert all(read.passages[s].kind == "table_row" for s in rows)


# First reading, since fixed: _PDF above
def test_the_pdf_reads_the_appendix_table_one_row_a_passage(read: Read) -> None:
    only(read, "pdf")
    rows = opened_by(read, *AGREED_ROWS, REJECTED_ROW, "Agency | Good practice identified")
    assert all(read.passages[s].kind == "table_row" for s in rows)


def test_the_appendix_rows_not_broken_are_rows_of_their_own(read: Read) -> None:
    # Both readings: the header and four of the seven rows.
    rows = opened_by(read, "Cardiff Council Children's Services |",
                     "Cardiff Drug and Alcohol Team |", "The GP practice |",
                     "Families First team |", "Agency | Good practice identified")
    assert rows <= _appendix(read)
    assert all(read.passages[s].kind == "table_row" for s in rows)


def test_each_lettered_part_is_a_passage_of_its_own(read: Read) -> None:
    parts = {p.seq for p in read.passages if read.text(p.seq).startswith(("(a) ", "(b) "))}
    assert len(parts) == 6 and parts <= read.seqs("recommendation")


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_variant_and_board(read: Read) -> None:
    # "Bwrdd Diogelu Rhanbarthol Caerdydd a'r Fro" is the board's name in Welsh.
    identity(read, type="CPR", variant="extended", board="Cardiff and Vale")


# First reading, since fixed: the identifier is CPR2024-W02 (the all-Wales form), both
# readings; right: CPR2024-02/CV, the cover's 'CVRSB CPR 2024/02' on a line of its own
# (board, type, year/number), which find_board_numbered reads as CPR2024-02/CV when
# given it alone
def test_the_cover_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("CPR", 2024, 2, "CV"))


def test_the_cover_gives_a_cpr_of_2024_numbered_two(read: Read) -> None:
    # What holds of the identifier: the type, the year and the number (at the
    # first reading "CPR2024-W02", since "CPR2024-02/CV").
    assert read.summary.identifier.startswith("CPR2024-"), read.summary.identifier
    assert "02" in read.summary.identifier, read.summary.identifier
    assert read.summary.year == 2024


def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    found = find_board_numbered(NUMBERING, "CPR")
    assert [f.canonical() for f, _, _ in found] == [IDENTIFIER], found


@pytest.mark.xfail(strict=True, reason=(
    "index incident None, both readings; right: 2023-01-17, the introduction's 'On the "
    "evening of 17 January 2023 a neighbour called South Wales Police ... Officers found C "
    "and D alone in the house at 9.40pm. ... The officers took the children into police "
    "protection.' (not the registration of 9 March 2021)"))
def test_the_index_incident_is_the_night_the_children_were_found(read: Read) -> None:
    # "On the evening of 17 January 2023 ... Officers found C and D alone";
    # not the registration of 9 March 2021.
    assert read.summary.dates.get("index_incident") == "2023-01-17", read.summary.dates


def test_the_referral_is_the_councils(read: Read) -> None:
    # "Cardiff Council referred the case to the Board's Case Review Group on
    # 6 March 2023" (the Group met 12 April, the Chair agreed 25 April).
    assert read.summary.dates.get("referral") == "2023-03-06", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2020-09-01", "2023-01-17"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2023-10-19", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # The reviewers' table, "| Rhian Beddoe | Independent Reviewer | R. Beddoe |
    # 21/05/2024 |"; not the chair's 04/06/2024 nor "Report agreed by the
    # Board: 10 July 2024".
    assert read.summary.dates.get("sign_off") == "2024-05-21", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2024-09-24", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_seven(read: Read) -> None:
    print_register(read)
    numbers = [r.number.rstrip("abcdefg") for r in labelled_records(read)]
    assert sorted(set(numbers), key=int) == [str(n) for n in range(1, 8)], numbers


def test_each_lettered_part_is_read_with_its_lead_in(read: Read) -> None:
    # One record holding the parts, or a record for each part completed by its
    # lead-in: either way, each part's words are in a record naming the lead-in's
    # addressee.
    for n, parts in PARTS.items():
        records = records_of(read, n)
        assert records, n
        lead = RECOMMENDATIONS[int(n) - 1].split(". ", 1)[1].removeprefix("The ")[:25]
        for part in parts:
            holding = [r for r in records if part.lower() in r.text.lower()]
            assert holding and all(lead in r.text for r in holding), \
                (n, part, [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not "It would have been good practice ...", not the Procedures, not the
    # terms of reference, not the general lead-in, not the appendix.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_learning_statements_or_appendices(read: Read) -> None:
    for what, seqs in (("introduction and process", in_section(read, "1. ", "2. ")),
                       ("learning", _learning(read)),
                       ("statements and glossary", _statements_and_glossary(read)),
                       ("appendix 2", _appendix(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_councils_recommendations_are_the_councils(read: Read) -> None:
    found = {n: [r.agencies for r in records_of(read, n)] for n in ("1", "2")}
    assert all(found[n] and all(a == [COUNCIL] for a in found[n]) for n in found), found


def test_the_health_boards_recommendation_is_the_health_boards(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "3")]
    assert found and all(a == [HEALTH_BOARD] for a in found), found


# First reading, since fixed: record 4 is to [] (no agency), both readings; right: the
# Cardiff Drug and Alcohol Team, its sentence's subject ('4. The Cardiff Drug and
# Alcohol Team should ensure that every assessment of an adult who cares for children
# ...')
def test_the_substance_misuse_services_recommendation_names_it(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "4")]
    assert found and all(a and "Cardiff Drug and Alcohol Team" in a[0] for a in found), found


def test_the_education_services_recommendation_is_the_councils(read: Read) -> None:
    # "The Cardiff Council Education Service": the council, or its service by name.
    found = [r.agencies for r in records_of(read, "5")]
    assert found and all(a and a[0].startswith(COUNCIL) for a in found), found


def test_the_polices_recommendation_is_the_polices(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "6")]
    assert found == [["South Wales Police"]], found


def test_the_boards_own_recommendation_is_the_boards(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "7")]
    assert found and all(a and a[0] in OWN_BOARD for a in found), found


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=_PRECISION)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


@pytest.mark.xfail(strict=True, reason=_PRECISION)
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    only(read, "markdown")
    holds_the_judged_bar(read)


# First reading, since fixed from the PDF (an appendix named for good practice
# is a good-practice section, and the lead-in above its table a signpost): as
# _PRECISION. Since cell borders are read from a table's rules, the PDF's
# table rows are whole and its reading is the Markdown's, the same 0.61 / 0.92.
@pytest.mark.xfail(strict=True, reason=_PRECISION)
def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    # Same theme on 9 of 11 (0.82).
    only(read, "markdown")
    themes_agree(read)


# First reading, since fixed (cell borders read from a table's rules): from the PDF, the same
# theme on 8 of 12 (0.67): the health board's row, read as three rows, has its first two pieces
# coded Consistent care and support (0.99, 1.00; right: Multi-agency working, the label carried
# from the row before being Adhering to policy and procedure), the police row's first piece
# Adhering to policy and procedure (0.64; Effective communication), the reviewers' view Record
# keeping (0.89; Effective communication)
def test_the_theme_of_the_pdf_agrees_with_the_label(read: Read) -> None:
    only(read, "pdf")
    themes_agree(read)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    # The introduction and process but the two paragraphs xfailed below.
    introduction = in_section(read, "1. ", "2. ") - opened_by(read, *_INTRODUCTION_SUGGESTED)
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "introduction and process": introduction,
        "statements and glossary": _statements_and_glossary(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


@pytest.mark.xfail(strict=True, reason=(
    "the introduction's night of the incident, 'On the evening of 17 January 2023 a "
    "neighbour called South Wales Police ... The officers took the children into police "
    "protection.', is suggested as Escalating concerns (0.54), both readings: a fact of the "
    "story, no practice presented as good"))
def test_auto_coding_does_not_suggest_the_night_of_the_incident(read: Read) -> None:
    opened_not_suggested(read, _INTRODUCTION_SUGGESTED[0])


@pytest.mark.xfail(strict=True, reason=(
    "'The reviewers met the children's mother and their grandmother. Their father did not "
    "respond ... C, who said that what he remembered most was \"being cold ...\"' (the "
    "review process) is suggested as Effective communication (0.53), both readings: how "
    "the family took part in the review, not practice in the case"))
def test_auto_coding_does_not_suggest_the_familys_part_in_the_review(read: Read) -> None:
    opened_not_suggested(read, _INTRODUCTION_SUGGESTED[1])


def test_auto_coding_finds_the_rows_the_reviewers_agree_with(read: Read) -> None:
    # All but children's services' row, both readings. From the PDF this was
    # a test of pieces (the police row's first, the health board row's first,
    # the family support worker's row) until cell borders were read from the
    # table's rules: the PDF's rows are now whole, as the Markdown's.
    opened_suggested(read, *AGREED_ROWS[1:])


# First reading, since fixed (an appendix named for good practice, 'Appendix 2: Good practice
# identified by the agencies', is a good-practice section): from the PDF, the key worker's row
# 'Cardiff Drug and Alcohol Team | The key worker kept the mother's case open ...' (0.40) and
# the GP practice's 'The GP practice | After it was invited in December 2022, the practice
# sent a written report ...' (0.27) are not suggested, though each reads as written (from the
# Markdown 0.99 and 0.90)
def test_auto_coding_finds_the_pdfs_whole_rows_the_reviewers_agree_with(read: Read) -> None:
    only(read, "pdf")
    all_suggested(read, opened_by(read, "Cardiff Drug and Alcohol Team |", "The GP practice |"))


@pytest.mark.xfail(strict=True, reason=(
    "children's services' row, 'Cardiff Council Children's Services | From June 2022 the "
    "allocated social worker visited every ten working days, as the plan required, and saw "
    "C and D alone on every visit.', is not suggested (0.34), both readings: practice the "
    "reviewers agree with (Adhering to policy and procedure; the same practice in the "
    "running text is suggested, 0.99)"))
def test_auto_coding_finds_the_childrens_services_row(read: Read) -> None:
    all_suggested(read, opened_by(read, AGREED_ROWS[0]))


@pytest.mark.xfail(strict=True, reason=(
    "the school's row, which the reviewers reject ('The review does not agree that the "
    "school's attendance monitoring was good practice: ...'), 'The primary school | The "
    "school monitored the children's attendance daily and sent a text ...', is suggested as "
    "Consistent and persistent communication, 1.00 from the Markdown, 0.82 from the PDF "
    "(read there as a paragraph): the agency's claim, not practice the review presents as "
    "good"))
def test_auto_coding_does_not_suggest_the_row_the_reviewers_reject(read: Read) -> None:
    (row,) = opened_by(read, "The primary school")
    assert row not in read.suggested, read.suggested[row]


def test_auto_coding_does_not_suggest_the_appendixs_lead_in_or_header(read: Read) -> None:
    opened_not_suggested(read, "Each agency was asked", "Agency | Good practice identified")


def test_auto_coding_finds_the_reviewers_view_of_the_table(read: Read) -> None:
    opened_suggested(read, REVIEWERS_VIEW)


@pytest.mark.xfail(strict=True, reason=(
    "the reviewers' view after the table, 'The review agrees that the police officers' care "
    "of the children, the school nurse's sharing of information, the key worker's "
    "persistence ...', is read as Record keeping (0.89), both readings; right: Effective "
    "communication, by its first finding (nothing in it is about records but 'the GP "
    "practice's report', the fourth of six)"))
def test_the_reviewers_view_is_read_as_communication(read: Read) -> None:
    assert _theme(read, REVIEWERS_VIEW) == "Communication", read.suggested


# First reading, since fixed (cell borders read from a table's rules): the police row, 'South
# Wales Police | The officers who found the children ... spoke to C and D gently, explained to
# them where they were going and why ...', is read as Adhering to policy and procedure, 0.99
# from the Markdown, its first piece 0.64 from the PDF; right: Effective communication
# (explained to the children)
def test_the_pdfs_police_row_is_read_as_communication(read: Read) -> None:
    # From the Markdown since the coder learnt round eight (in-sample): its own test.
    only(read, "pdf")
    assert _theme(read, "South Wales Police |") == "Communication", read.suggested


def test_the_police_row_is_read_as_communication(read: Read) -> None:
    # A strict xfail at the first reading (both readings); from the Markdown
    # since the coder learnt round eight (in-sample).
    only(read, "markdown")
    assert _theme(read, "South Wales Police |") == "Communication", read.suggested


def test_the_health_boards_row_is_read_as_communication(read: Read) -> None:
    # Multi-agency working (1.00), both readings since the PDF's rows are read
    # whole. First reading, since fixed (the single-case coder learnt rounds
    # seven and eight, in-sample): from the PDF, the health board's row, read
    # as three rows, was coded Consistent care and support on its first two
    # pieces ('Cardiff and Vale | The school nurse shared D's weight loss ...'
    # 0.99, 'University Health | the day she found it ...' 1.00).
    assert _theme(read, AGREED_ROWS[1]) == "Communication", read.suggested


def test_the_key_workers_and_gps_rows_are_in_the_labels_theme(read: Read) -> None:
    # Consistent care and support (Persistency), Adhering to policy and
    # procedure (Record keeping): the same themes.
    only(read, "markdown")
    assert (_theme(read, "Cardiff Drug and Alcohol Team |"), _theme(read, "The GP practice |")) \
        == ("Care and Support", "Policy, Procedures and Recording"), read.suggested


def test_auto_coding_finds_the_good_practice_in_the_learning(read: Read) -> None:
    opened_suggested(read, *BODY_PRACTICE)


def test_the_escalation_is_read_as_escalating_concerns(read: Read) -> None:
    opened_coded(read, "In November 2022 the school nurse", "Escalating concerns")


def test_what_would_have_been_good_practice_is_read_so(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_the_change_since_is_read_as_learning(read: Read) -> None:
    opened_coded(read, "Since the review began", "Learning from past reviews")


def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    opened_not_suggested(read, "The review identified four themes")


def test_auto_coding_does_not_suggest_the_procedures(read: Read) -> None:
    opened_not_suggested(read, "The Wales Safeguarding Procedures describe")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The reviewers accept that", "The reviewers recognise that")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    # All but "practitioners said that they had become used to the house" (its xfail).
    opened_not_suggested(read, "At the learning event, practitioners described",
                         "Several practitioners told the review")


@pytest.mark.xfail(strict=True, reason=(
    "'At the learning event practitioners said that they had become used to the house. A "
    "health visitor said that \"you stop noticing the smell ...\"' is suggested as "
    "Persistency in care and support (0.53), both readings: what practitioners said, and "
    "said against themselves"))
def test_auto_coding_does_not_suggest_practitioners_used_to_the_house(read: Read) -> None:
    opened_not_suggested(read, "At the learning event practitioners said")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but the three xfailed below.
    opened_not_suggested(
        read, "The initial child protection conference", "The children had four allocated",
        "No assessment of the children's needs", "Agencies saw many signs",
        "C's attendance fell", "The children's own words", "C's role as a young carer",
        "The Cardiff Drug and Alcohol Team did not test", "Mr F's substance misuse",
        "The GP prescribed diazepam", "The review found that the phrase",
        "The school did not raise")


@pytest.mark.xfail(strict=True, reason=(
    "'The plan was reviewed at four review conferences ... At each, the plan was continued "
    "with the same actions.' is suggested as Record keeping (0.63), both readings: the "
    "drift, no practice presented as good"))
def test_auto_coding_does_not_suggest_the_plan_continued_unchanged(read: Read) -> None:
    opened_not_suggested(read, "The plan was reviewed at four")


@pytest.mark.xfail(strict=True, reason=(
    "'The mother's engagement with the Cardiff Drug and Alcohol Team was counted at each "
    "conference as progress. The conference was told that she \"attended most "
    "appointments\", but not what she had said ...' is suggested as Record keeping (0.71), "
    "both readings: a criticism of what the conference was told"))
def test_auto_coding_does_not_suggest_engagement_counted_as_progress(read: Read) -> None:
    opened_not_suggested(read, "The mother's engagement")


@pytest.mark.xfail(strict=True, reason=(
    "'The response to the school nurse's escalation was slow. The manager acknowledged her "
    "letter after three weeks, and the review conference ... went ahead with no change to "
    "the plan.' is suggested as Escalating concerns (0.63), both readings: the response "
    "criticised (the escalation itself, the paragraph before, is practice and suggested)"))
def test_auto_coding_does_not_suggest_the_slow_response_to_the_escalation(read: Read) -> None:
    opened_not_suggested(read, "The response to the school nurse's")


@pytest.mark.xfail(strict=True, reason=(
    "four passages of the learning labelled other are suggested, both readings: 'The plan "
    "was reviewed at four ...' (Record keeping 0.63), 'At the learning event practitioners "
    "said ...' (Persistency 0.53), 'The mother's engagement ...' (Record keeping 0.71), "
    "'The response to the school nurse's escalation was slow.' (Escalating concerns 0.63)"))
def test_auto_coding_suggests_nothing_else_in_the_learning(read: Read) -> None:
    wrong = sorted((_learning(read) & read.suggested.keys()) - read.seqs("practice"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]
