"""A whole 7-minute briefing read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a learning
product about a Welsh Adult Practice Review rather than the review itself,
of the single-case auto-coding threshold and the document-reading rules
chosen on the written reviews before it.

`tests/data/written-seven/seven-written-2026.md` is a WRITTEN "7 Minute
Briefing" (fictional: no real case or person) of the kind Welsh regional
boards publish with a review: Mid and West Wales Safeguarding Board's
(CYSUR / CWMPAS) briefing on Adult Practice Review "APR 2024-W05", about Mrs
F, 87, who had vascular dementia, lived at Tŷ Derwen, a residential care home
in Carmarthenshire, was found on the floor of her room with a broken hip on
2 January 2023 and grade 4 pressure ulcers, and died in hospital on 19
January 2023; neglect of pressure care. Where it differs from the written
reviews before it (it is not a review but a learning product about one):

- the title block: the board's name, "CYSUR / CWMPAS", "7 Minute Briefing"
  (the only level-1 heading), "Adult Practice Review APR 2024-W05: Mrs F"
  (the identifier with a space inside), "Published: 15 July 2024", and a
  paragraph saying what the briefing is for; no contents, no numbering of
  its own, no reviewer, no sign-off;
- seven numbered short sections, each a few short paragraphs or bullets:
  "1. Background" (the story and the review's dates in three paragraphs),
  "2. Why it matters" (general statements, not this case), "3. What the
  review found" (thirteen one-finding paragraphs mixing good practice told
  through what was done, poor practice, a concession, "It would have been
  good practice ...", the husband's concerns and his words), "4. Good
  practice" (a lead-in and four bullets restating section 3), "5. Learning"
  (four learning bullets, then two changes made since, one opening "Since
  the review, ...", the next only "Hywel Dda University Health Board has
  added ..."), "6. What you should do" (five practitioner actions, "Make
  sure you ..."), "7. Questions for reflection" (four questions);
- then "The Board's recommendations": a lead-in and four unnumbered short
  bullets, two to agencies ("... should agree", "... to seek assurance"),
  one "The Board to provide ...", one "CWMPAS to share ..." (CWMPAS being
  the region's adult board by its own name); and "Further information"
  (links, a telephone number, a closing request to share the briefing).

Identity expected, decided before the run: the review's own. The
repository's type vocabulary has nothing for a briefing; Welsh boards file
a 7-minute briefing with its review under the same identifier, and a user
filtering type:APR or board:"Mid and West Wales", or looking up APR2024-W05,
expects to find it. So: APR, concise (the briefing says "Concise Adult
Practice Review" twice), Mid and West Wales, identifier APR2024-W05 (read
from "APR 2024-W05"), year 2024, and the review's dates as the briefing
gives them (publication 15 July 2024, "published alongside the review
report"; index incident the fall on 2 January or the death on 19 January
2023, either accepted; referral 8 February 2023; learning event 12 October
2023; period 1 April 2022 to 19 January 2023). What that leaves unsaid is
that it is a briefing: ReviewSummary has no field for the kind of document,
so nothing here tests it; and keyed as the review is, this briefing and the
review's own report would share one key (not run here: one reading only).

Its labels (`seven-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 64 passages,
11 practice, 4 recommendation, 49 other. As the written reviews': a
paragraph is practice where the reviewers present some practice in it as
good, however implicitly (the GP who asked Mrs F herself, Effective
communication; the day centre's same-day report, Escalating concerns; the
social worker's prompt review "as the council's procedures require" and the
hospital's report "in line with the Wales Safeguarding Procedures",
Adhering to policy and procedure); "It would have been good practice ..."
is Suggested good practice; the two changes made since are Learning from
past reviews; the four "Good practice" bullets are practice with their
paragraphs' codes. Other: the title block and its introduction, the
background, why it matters, the poor practice, the concession, the
husband's concerns and words, the lead-ins, the learning bullets, "What you
should do" (practitioner actions, not recommendations), the questions,
further information.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt11 at be6c833, as it was; by the machine's clock the session began
23:08:06, the labels were written 23:08:22 and copied into tests/data with
the document 23:08:24, this module written 23:08:50 before any reading,
storfa first run 23:08:51-23:09:05), the same from the Markdown and from
the PDF, every passage read as written (64 from both):

- identity: key and identifier APR2024-W05, type APR, variant concise,
  board Mid and West Wales, year 2024, as expected (the title read as "7
  Minute Briefing"). Dates: publication 2024-07-15, referral 2023-02-08,
  learning event 2023-10-12, index incident 2023-01-19 (her death) right;
  period start and end None (wrong); sign-off None (none given);
- recommendations: 4 of 4 found, numbered "1"-"4", each from its own
  bullet, nothing extra (not the "Make sure you ..." actions, the learning
  bullets, the questions, the lead-in or further information). Addressees:
  the health board and council together, the council, "The Board" as Mid
  and West Wales Safeguarding Board, right; "CWMPAS to share ..." recorded
  to "CWMPAS", not the board;
- auto-coding at the single-case threshold (0.49 on this tree): 13
  suggestions, 10 of the 11 practice passages, precision 0.77 (10/13),
  recall 0.91 (10/11); the same sub-theme and the same theme as the label
  on 3 of 10 (0.30): the GP's and the day centre's paragraphs and their
  bullets -> Record keeping, the social worker's and its bullet ->
  Consistent care and support, the hospital's bullet -> Escalating
  concerns; right: the would-have-been (1.00), the hospital's paragraph
  (0.87), Tŷ Derwen's change (0.84). Wrong (3): the briefing's introduction
  "This briefing sets out the learning ..." (Learning from past reviews
  0.78), the concession on night staffing (Learning from past reviews
  0.54), Mr F's concerns "written down but not acted on" (Persistency in
  care and support 0.94). Missed (1): "Hywel Dda University Health Board has
  added a prompt ..." (0.04), a change since told without a "since". Found:
  all four good-practice bullets (0.91-1.00), all four findings of good
  practice told through what was done (0.68-0.99); nothing suggested on a
  heading, the rest of the title block, the background, why it matters, the
  five other paragraphs of poor practice, the husband's words, the learning
  bullets, "What you should do", the questions, a lead-in, a
  recommendation or further information.

After the first reading only this module changed, not the document or the
labels: each test that found a fault was split from what held (the
introduction from the rest of the title block, Tŷ Derwen's change from the
health board's, Mr F's concerns from the other poor practice, the
concession from the husband's words, "The Board" from "CWMPAS") and the
faults marked strict xfail.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
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
    holds_the_judged_bar,
    holds_the_labels,
    identified,
    identity,
    labelled_records,
    lead_ins,
    never_suggested,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-seven"
DOCUMENT = DATA / "seven-written-2026.md"
BOARD = "Mid and West Wales Safeguarding Board"
HEALTH = "Hywel Dda University Health Board"
COUNCIL = "Carmarthenshire County Council"
NUMBERING = "APR 2024-W05"  # as the briefing writes the review's identifier
IDENTIFIER = "APR2024-W05"
RECOMMENDATIONS = (
    "Hywel Dda University Health Board and Carmarthenshire County Council should",
    "Carmarthenshire County Council to seek assurance",
    "The Board to provide",
    "CWMPAS to share",
)
# Each bullet's addressee, in order: "The Board" and "CWMPAS" (the regional
# adults' board's own name) are the review's own board.
AGENCIES = [[HEALTH, COUNCIL], [COUNCIL], [BOARD], [BOARD]]
BACKGROUND = "1. Background"
WHY = "2. Why it matters"
FOUND = "3. What the review found"
GOOD = "4. Good practice"
LEARNING = "5. Learning"
DO = "6. What you should do"
QUESTIONS = "7. Questions for reflection"
RECS = "The Board's recommendations"
FURTHER = "Further information"


read = reading(DOCUMENT, DATA / "seven-written-2026.tsv", "written-seven")


def _heading(read: Read, text: str) -> int:
    (seq,) = [p.seq for p in read.passages if p.kind == "heading" and read.text(p.seq) == text]
    return seq


def _title_block(read: Read) -> set[int]:
    """Everything before "1. Background": no contents in a briefing."""
    return set(range(_heading(read, BACKGROUND)))


def _introduction(read: Read) -> set[int]:
    return opened_by(read, "This briefing sets out the learning")


def _further(read: Read) -> set[int]:
    return set(range(_heading(read, FURTHER) + 1, len(read.passages)))


def _records_by_bullet(read: Read) -> list[list[str]]:
    """Each labelled bullet's records' agencies, in order."""
    return [[a for seq2, r in read.recommendations if seq2 == seq for a in r.agencies]
            for seq in sorted(read.seqs("recommendation"))]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 64, 11, 4, 49)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


def test_the_briefing_has_its_seven_sections_and_two_more(read: Read) -> None:
    for text in (BACKGROUND, WHY, FOUND, GOOD, LEARNING, DO, QUESTIONS, RECS, FURTHER):
        _heading(read, text)


# ------------------------------------------------------------------- identity
# A briefing is a learning product about one review, not the review. The
# repository's vocabulary has no type for it, and Welsh boards file a 7-minute
# briefing with its review (the same identifier on the same page): a user who
# filters type:APR or board:"Mid and West Wales", or looks up APR2024-W05,
# expects to find it. So the identity expected is the review's own: APR,
# concise (the briefing says so twice), Mid and West Wales, APR2024-W05 of
# 2024, the dates the briefing gives for the review.
def test_the_briefing_gives_type_variant_and_board(read: Read) -> None:
    identity(read, type="APR", variant="concise", board="Mid and West Wales")


def test_the_briefing_gives_the_reviews_identifier(read: Read) -> None:
    # "Adult Practice Review APR 2024-W05: Mrs F": a space inside the identifier.
    identified(read, IDENTIFIER, ("APR", 2024, 5, None), NUMBERING)


def test_the_publication(read: Read) -> None:
    # "Published: 15 July 2024" ("published alongside the review report").
    assert read.summary.dates.get("publication") == "2024-07-15", read.summary.dates


def test_the_index_incident(read: Read) -> None:
    # The fall and the ulcers found on 2 January 2023; her death on 19 January.
    assert read.summary.dates.get("index_incident") in ("2023-01-02", "2023-01-19"), \
        read.summary.dates


def test_the_referral_and_learning_event(read: Read) -> None:
    # "referred to the Board's Adult Practice Review Sub-Group on 8 February 2023";
    # "A learning event for practitioners was held on 12 October 2023."
    dates = read.summary.dates
    assert (dates.get("referral"), dates.get("learning_event")) == \
        ("2023-02-08", "2023-10-12"), dates


# First reading, since fixed: period start and end None, both readings: 'The review looked at
# agencies' contact with Mrs F from 1 April 2022 to 19 January 2023' is not read as the
# period; right is 2022-04-01 to 2023-01-19
def test_the_period_under_review(read: Read) -> None:
    # "from 1 April 2022 to 19 January 2023"
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-04-01", "2023-01-19"), dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_one_record_per_bullet(read: Read) -> None:
    print_register(read)
    assert [len(a) > 0 for a in _records_by_bullet(read)] == [True] * 4
    assert len(labelled_records(read)) == 4, [r.text[:50] for r in labelled_records(read)]


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def test_each_agencys_bullet_is_its_addressees(read: Read) -> None:
    found = _records_by_bullet(read)
    assert found[:2] == AGENCIES[:2], found


def test_the_boards_bullet_is_the_boards(read: Read) -> None:
    # "The Board to provide ..."
    assert _records_by_bullet(read)[2] == [BOARD]


# First reading, since fixed: 'CWMPAS to share this briefing with every care home provider
# ...' is recorded to 'CWMPAS', the name the region's adult safeguarding board goes by, as an
# agency of its own; right is the review's board, Mid and West Wales Safeguarding Board (as
# 'The Board to provide ...' is recorded)
def test_the_boards_own_name_is_the_board(read: Read) -> None:
    # "CWMPAS to share ...": CWMPAS is the board (CYSUR / CWMPAS on the title).
    assert _records_by_bullet(read)[3] == [BOARD]


def test_no_record_from_what_you_should_do(read: Read) -> None:
    # "Make sure you ...": practitioners' actions, not recommendations.
    do = between(read, DO, QUESTIONS)
    assert len(do) == 5
    wrong = sorted(read.covered & do)
    assert not wrong, [read.text(s)[:60] for s in wrong]


def test_no_record_from_the_rest_of_the_briefing(read: Read) -> None:
    for what, seqs in (("title", _title_block(read)),
                       ("why it matters", between(read, WHY, FOUND)),
                       ("findings", between(read, FOUND, GOOD)),
                       ("good practice", between(read, GOOD, LEARNING)),
                       ("learning", between(read, LEARNING, DO)),
                       ("questions", between(read, QUESTIONS, RECS)),
                       ("further information", _further(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=(
    "precision 0.77 (10 of 13) at threshold 0.49, both readings, floor 0.80: the "
    "briefing's introduction (0.78), the concession on night staffing (0.54) and Mr F's "
    "unheeded concerns (0.94) suggested; recall 0.91"))
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 3 of 10 (0.30), same sub-theme 3 of 10, both
# readings: the GP asking Mrs F herself and its bullet -> Record keeping (labelled Effective
# communication), the day centre's same-day report and its bullet -> Record keeping (Escalating
# concerns), the social worker's prompt review and its bullet -> Consistent care and support
# (Adhering to policy and procedure), the hospital's bullet -> Escalating concerns (Adhering to
# policy and procedure); right: the would-have-been, the hospital's paragraph, Tŷ Derwen's
# change
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_the_reading_passage_by_passage(read: Read) -> None:
    # Printed only (-s): every suggestion and every practice label.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_briefing_rules_out(read: Read) -> None:
    # The title block without the briefing's introduction (its own test below).
    never_suggested(read, {
        "heading": headings(read),
        "title block": _title_block(read) - _introduction(read),
        "background": between(read, BACKGROUND, WHY),
        "question": between(read, QUESTIONS, RECS),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
        "further information": _further(read),
    })


@pytest.mark.xfail(strict=True, reason=(
    "'This briefing sets out the learning from a Concise Adult Practice Review about Mrs F. "
    "It is published alongside the review report ...' is suggested, Learning from past "
    "reviews 0.78, both readings: it says what the briefing is for, no practice"))
def test_auto_coding_never_suggests_the_briefings_introduction(read: Read) -> None:
    never_suggested(read, {"introduction": _introduction(read)})


def test_auto_coding_never_suggests_why_it_matters(read: Read) -> None:
    # General statements ("the Wales Safeguarding Procedures expect ..."), not this case.
    never_suggested(read, {"why it matters": between(read, WHY, FOUND)})


def test_auto_coding_never_suggests_what_you_should_do(read: Read) -> None:
    never_suggested(read, {"what you should do": between(read, DO, QUESTIONS)})


def test_auto_coding_never_suggests_a_learning_bullet(read: Read) -> None:
    bullets = {p.seq for p in read.passages
               if p.kind == "list_item" and p.seq in between(read, LEARNING, DO)}
    assert len(bullets) == 4
    never_suggested(read, {"learning bullet": bullets})


def test_auto_coding_finds_every_good_practice_bullet(read: Read) -> None:
    listed = {p.seq for p in read.passages
              if p.kind == "list_item" and p.seq in between(read, GOOD, LEARNING)}
    assert listed <= read.seqs("practice") and len(listed) == 4
    all_suggested(read, listed)


def test_auto_coding_finds_the_findings_that_are_good_practice(read: Read) -> None:
    # Stated through what was done: the GP, the day centre, the social worker,
    # the hospital ("in line with the Wales Safeguarding Procedures").
    found = opened_by(read, "Mrs F's GP completed", "Staff at the day centre",
                      "Her social worker visited", "On her admission to Glangwili")
    assert found <= read.seqs("practice")
    all_suggested(read, found)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    found = opened_by(read, "It would have been good practice")
    assert found <= read.seqs("practice")
    all_suggested(read, found)


def test_auto_coding_finds_the_change_made_since_the_review(read: Read) -> None:
    found = opened_by(read, "Since the review, Tŷ Derwen")
    assert found <= read.seqs("practice")
    all_suggested(read, found)


@pytest.mark.xfail(strict=True, reason=(
    "'Hywel Dda University Health Board has added a prompt to the district nursing wound "
    "assessment to consider an adult at risk report ...' is missed (0.04), both readings: "
    "a change made since, with no 'since' of its own (the paragraph before has it); right "
    "is Learning from past reviews"))
def test_auto_coding_finds_the_change_told_without_since(read: Read) -> None:
    found = opened_by(read, "Hywel Dda University Health Board has")
    assert found <= read.seqs("practice")
    all_suggested(read, found)


def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    poor = opened_by(read, "When Mrs F moved into", "Repositioning charts showed",
                     "District nurses visited", "When the ulcer reached", "Mrs F fell twice")
    assert poor <= read.seqs("other")
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "'Mr F visited every day. He told staff several times that his wife was sleeping in her "
    "chair ... His concerns were written down but not acted on.' is suggested, Persistency "
    "in care and support 0.94, both readings: the persistence is the husband's and the "
    "finding is that staff did not act"))
def test_auto_coding_does_not_suggest_concerns_not_acted_on(read: Read) -> None:
    never_suggested(read, {"concerns not acted on": opened_by(read, "Mr F visited every day")})


def test_auto_coding_does_not_suggest_the_husbands_words(read: Read) -> None:
    never_suggested(read, {"family's words": opened_by(read, "Mr F told the reviewer")})


@pytest.mark.xfail(strict=True, reason=(
    "'The review recognises that the home had lost several experienced night staff that "
    "winter and was relying on agency carers ...' is suggested, Learning from past reviews "
    "0.54, both readings: a concession before a criticism, no practice"))
def test_auto_coding_does_not_suggest_the_concession(read: Read) -> None:
    never_suggested(read, {"concession": opened_by(read, "The review recognises that the home")})
