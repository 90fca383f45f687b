"""A thirteenth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Concise Adult Practice Review in the older (2016-2019) template,
of the single-case auto-coding threshold and the document-reading rules
chosen on the written reviews before it.

`tests/data/written-capr2/capr2-written-2026.md` is a WRITTEN Concise Adult
Practice Review (fictional: no real case or person) for the Cardiff and Vale
Regional Safeguarding Board, about Mr D, a 34-year-old man with a mild
learning disability living alone in a housing association flat in Barry,
financially and physically abused by a "friend", Mr X, who moved in, took
his benefits and bank card, and pushed him down the stairs. Where it differs
from the other twelve:

- the title page: the board's name, the heading "Adult Practice Review",
  "Concise Review", the board's numbering "CVRSB 3/2017" (no type: the page
  names it), "Re: Mr D", the date of the final report; no contents;
- the older template's sections only, unnumbered: "Brief outline of
  circumstances resulting in the Review" (the commissioning paragraph, the
  story in four paragraphs, the sister's words), "Practice and
  organisational learning", "Improving Systems and Practice", "Statement by
  Reviewer(s)", and nothing after;
- the learning as four unnumbered sub-headings, each a few short
  paragraphs mixing good practice (stated through what was done: "asked
  him about it in private, recorded what he said and telephoned the CLDT
  the same day"; "in line with force policy"), poor practice and a
  concession, then ONE-LINE LEARNING BULLETS ("Practitioners need to
  consider ...", "Capacity is decision specific; ...") that are neither
  practice nor recommendations;
- a "Good practice" sub-section inside the learning: a lead-in and four
  BULLETS restating practice from the paragraphs above;
- the recommendations as six UNNUMBERED BULLETS after the template's
  lead-in ("... the following actions for the CVRSB and its member
  agencies ..."): "The RSB should ...", "Vale of Glamorgan Council to
  ensure ...", "South Wales Police to ensure ...", "Cardiff and Vale
  University Health Board to ensure ...", "CVRSB to publish ...", "That the
  Board seeks assurance that ...";
- the reviewer's statement as the template's lead-in and four bullets ("The
  review was conducted appropriately and was rigorous ...").

Its labels (`capr2-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 63 passages,
13 practice (9 paragraphs of the learning, the 4 good-practice bullets), 6
recommendation (the bullets), 44 other. As the CAPR's, APR's and ECPR's: a
paragraph is practice where the reviewers present some practice in it as
good, however implicitly ("It would have been good practice to ..." is
Suggested good practice; the GP practice's change since the events is
Learning from past reviews); restatements (here the "Good practice" bullets,
there being no executive summary) are practice, each with its paragraph's
code. Other: the title page, the outline (no practice in it is presented as
good), the sister's words, the section lead-ins (including "The review found
the following good practice:" and the recommendations' lead-in), the poor
practice and the concession, every learning bullet, the statement.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt10 at HEAD 6e5ac8e; by the machine's clock the session began
21:53:02, the labels were written 21:53:57 and copied in 21:53:59, storfa
first run 21:54:23), the same from the Markdown and from the PDF, every
passage read as written: identity APR2017-03/CV, APR, concise, Cardiff and
Vale, 2017 (period 2016-01-01 to 2016-11-30, learning event 2017-05-08,
publication 2017-09-14), all right. Recommendations: 4 of the 6 bullets read,
each with its right addressee ("The RSB" as the board in full), nothing
extra; the two not read are "CVRSB to publish ..." and "That the Board seeks
assurance that ...". Auto-coding at the single-case threshold (0.49 as
reported): 16 suggestions, 11 of the 13 practice passages, precision 0.69,
recall 0.85; the same sub-theme as the label on 5 of 11, the same theme on 7
of 11 (0.64). Wrong: the CLDT nurse's visit that did not see Mr D alone
(0.99, Persistency in care and support), the GP who accepted the explanation
(0.67), the report screened out (0.51), the concession about Mr D's choice
(0.57) and one learning bullet, "Practitioners need to consider whether a
new 'friend' ..." (0.64). Missed: two paragraphs whose practice is stated
through what was done (0.28, 0.35), though their restatements under "Good
practice" were found. Nothing suggested on the title page, the outline, the
good-practice lead-in, the recommendations or the statement; all four
good-practice bullets suggested.

Fixed after the first run, in this module only (no document or label
changed): the learning's bounds are taken between headings, as the CAPR's
findings are, because a PDF's sub-headings have no depth (in_section found
no learning bullets in the PDF).

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
    in_section,
    labelled_records,
    never_suggested,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-capr2"
DOCUMENT = DATA / "capr2-written-2026.md"
BOARD = "Cardiff and Vale Regional Safeguarding Board"
NUMBERING = "CVRSB 3/2017"  # on the title page; the type is the page's heading
IDENTIFIER = "APR2017-03/CV"
RECOMMENDATIONS = (
    "The RSB should",
    "Vale of Glamorgan Council to ensure",
    "South Wales Police to ensure",
    "Cardiff and Vale University Health Board to ensure",
    "CVRSB to publish",
    "That the Board seeks assurance",
)
# Each bullet's addressee, in order: "the RSB", "CVRSB" and "the Board" are
# the review's own board.
AGENCIES = [
    [BOARD],
    ["Vale of Glamorgan Council"],
    ["South Wales Police"],
    ["Cardiff and Vale University Health Board"],
    [BOARD],
    [BOARD],
]
LEARNING = "Practice and organisational learning"
SYSTEMS = "Improving Systems and Practice"

# The two xfail reasons shared by more than one test.
_UNREAD = (
    "the two bullets that open on the board without an agency's 'should' or 'to ensure' are "
    "not read: '- CVRSB to publish a briefing ...' and '- That the Board seeks assurance "
    "that ...'; 4 records of 6 (The RSB should, Vale of Glamorgan Council to ensure, South "
    "Wales Police to ensure, Cardiff and Vale University Health Board to ensure), each with "
    "its right addressee, nothing extra")
_PRECISION = (
    "precision 0.79 from both readings at threshold 0.49, floor 0.80 (0.69 on the first "
    "reading: poor practice 0.99, 0.51, 0.67, the concession 0.57 and a learning bullet "
    "0.64 suggested; the bullet and some of the poor practice no longer are); recall 0.85")


read = reading(DOCUMENT, DATA / "capr2-written-2026.tsv", "written-capr2")


def _title_page(read: Read) -> set[int]:
    # No contents: the title page is all before the outline's heading.
    (outline,) = [p.seq for p in read.passages if p.kind == "heading"
                  and p.text.startswith("Brief outline")]
    return set(range(outline))


def _learning(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings are top-level sections of their own.
    return between(read, LEARNING, SYSTEMS)


def _learning_bullets(read: Read) -> set[int]:
    """The one-line learning bullets: list items in the learning that are not
    the good-practice bullets."""
    good, learning = _good_practice(read), _learning(read)
    return {p.seq for p in read.passages if p.kind == "list_item"
            and p.seq in learning and p.seq not in good}


def _good_practice(read: Read) -> set[int]:
    (lead_in,) = opened_by(read, "The review found the following good practice")
    (after,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == SYSTEMS]
    return set(range(lead_in + 1, after))


def _records_by_bullet(read: Read) -> list[list[str]]:
    """Each labelled bullet's records' agencies, in order."""
    return [[a for seq2, r in read.recommendations if seq2 == seq for a in r.agencies]
            for seq in sorted(read.seqs("recommendation"))]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 63, 13, 6, 44)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    identity(read, type="APR", variant="concise", board="Cardiff and Vale")


def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("APR", 2017, 3, "CV"))


def test_the_boards_numbering_reads_as_the_identifier(read: Read) -> None:
    # "CVRSB 3/2017" names no type; the page's heading does.
    ((found, _, _),) = find_board_numbered(NUMBERING, "APR")
    assert found.canonical() == IDENTIFIER == read.summary.identifier, found


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    # On the first reading '- CVRSB to publish a briefing ...' and '- That the Board
    # seeks assurance that ...' were not read (4 of 6).
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the lead-in "... the following actions for the CVRSB ...", not a
    # learning bullet ("Practitioners need to consider ...").
    records_beyond_the_labels(read, 0)


def test_one_record_per_bullet(read: Read) -> None:
    # On the first reading '- CVRSB to publish a briefing ...' and '- That the Board
    # seeks assurance that ...' were not read (4 of 6).
    print_register(read)
    assert [len(a) > 0 for a in _records_by_bullet(read)] == [True] * 6
    assert len(labelled_records(read)) == 6, [r.text[:50] for r in labelled_records(read)]


def test_each_bullet_read_is_its_addressees(read: Read) -> None:
    # "The RSB" is the review's own board; the two bullets not read are the
    # xfails above (and below, for their addressee).
    found = _records_by_bullet(read)
    assert found[:4] == AGENCIES[:4], found


def test_the_boards_own_bullets_are_the_boards(read: Read) -> None:
    # No record, so no addressee, on the first reading.
    assert _records_by_bullet(read)[4:] == AGENCIES[4:]


def test_no_recommendation_from_the_learning(read: Read) -> None:
    learning = _learning(read)
    assert len(learning) == 34
    assert not read.covered & learning, [read.text(s)[:60] for s in read.covered & learning]


# ---------------------------------------------------------------- auto-coding
# First reading, since fixed: precision 0.79 from both readings at threshold 0.49, floor 0.80
# (0.69 on the first reading: poor practice 0.99, 0.51, 0.67, the concession 0.57 and a
# learning bullet 0.64 suggested; the bullet and some of the poor practice no longer are);
# recall 0.85
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    # Precision 0.69, recall 0.85 on the first reading.
    holds_the_judged_bar(read)


# First reading (signed int8 weights, as on a CPU with VNNI; the suite pins unsigned ones,
# conftest.py, where this holds): same theme on 7 of 11 (0.64), same sub-theme 5 of 11, both
# readings: the housing officer's joint visit -> Positive working relationships (Multi-
# agency working), the Emergency Unit nurse's bullet -> Multi-agency working (Escalating
# concerns), the GP practice's change since -> Support and training for practitioners
# (Learning from past reviews), the bullet on the accessible capacity assessment -> Support
# and training for practitioners (Effective communication)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": _title_page(read),
        "outline": in_section(read, "Brief outline"),
        "statement": in_section(read, "Statement by Reviewer"),
        "recommendation": read.seqs("recommendation"),
        "good practice lead-in": opened_by(read, "The review found the following"),
    })


def test_auto_coding_never_suggests_a_learning_bullet(read: Read) -> None:
    # 'Practitioners need to consider whether a new "friend" ...' was suggested
    # on the first reading (0.64).
    bullets = _learning_bullets(read)
    assert len(bullets) == 8
    never_suggested(read, {"learning bullet": bullets})


def test_auto_coding_finds_every_good_practice_bullet(read: Read) -> None:
    listed = _good_practice(read)
    assert listed == read.seqs("practice") & listed and len(listed) == 4
    all_suggested(read, listed)


@pytest.mark.xfail(strict=True, reason=(
    "poor practice and a concession in the learning are suggested: 'A CLDT nurse visited "
    "Mr D at home a week later. Mr X ... stayed in the room throughout ... did not arrange "
    "to see Mr D on his own' (Persistency in care and support 0.99), 'The report was "
    "screened ... closed after a telephone call' (0.51), 'The GP practice saw Mr D twice "
    "... accepted the explanation' (0.67), 'Practitioners at the learning event said they "
    "had seen the friendship as Mr D's choice ...' (0.57): none presents practice as good"))
def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    poor = opened_by(read, "A CLDT nurse visited", "The report was screened",
                     "The GP practice saw", "Practitioners at the learning event")
    assert poor <= read.seqs("other")
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "practice stated through what was done is missed: 'In March 2016 day service staff "
    "noticed ... asked him about it in private, recorded what he said and telephoned the "
    "CLDT the same day' (0.28) and 'The social worker allocated in May 2016 completed a "
    "mental capacity assessment ... used easy-read material ... recorded his answers in "
    "his own words' (0.35); both are restated under 'Good practice', and those bullets "
    "are suggested"))
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    implicit = opened_by(read, "In March 2016 day service staff", "The social worker allocated")
    assert implicit <= read.seqs("practice")
    all_suggested(read, implicit)
