"""Another whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Concise Child Practice Review in the current (2021+) template,
numbered paragraph by paragraph, of the single-case auto-coding threshold
and the document-reading rules chosen on the written reviews before it.

`tests/data/written-gcpr/gcpr-written-2026.md` is a WRITTEN Concise Child
Practice Review (fictional: no real case or person) for the Gwent
Safeguarding Board, about Baby H, nine weeks old, taken to the Grange
University Hospital with a skull fracture on 14 February 2025; his mother
in treatment for heroin use (methadone, the Gwent Drug and Alcohol
Service), his father using cannabis and alcohol, the mother's first child
removed in 2021 and adopted. Where it differs from the written reviews before
it (the CPR2's the nearest: a Concise CPR, a baby's skull fracture):

- the title page: the board's name, "Child Practice Review Report" (the
  only level-1 heading), "Concise Review", "Review reference: CPR 3/2025"
  (the board's own sequence: type and number, NO board abbreviation; the
  board is the page's), "Re: Baby H", "Date of final report to the Board:
  15 January 2026"; no contents;
- the sections numbered "1." to "5." and EVERY paragraph numbered "1.1",
  "2.16", "3.2" (plain paragraphs opening on their number, not list items);
- "1. Brief outline ...": "1.1 Legal context." (referral considered by the
  Child Practice Review Group 20 March 2025, commissioned 27 March 2025),
  the criteria, the injury, the family, the period (1 May 2024 to 14
  February 2025, with its reason), family involvement;
- "2. Practice and organisational learning": 40 numbered paragraphs under
  eleven sub-headings by agency or theme ("Aneurin Bevan University Health
  Board: maternity and neonatal care", "Health visiting", "Blaenau Gwent
  Children's Services", "Gwent Drug and Alcohol Service", "The GP
  practice", "Gwent Police", "Bringing the information together", "The
  family's perspective", "Organisational context" ...); praise named
  ("thorough", "commended", "good practice, showing the professional
  curiosity ..."), "in line with" (four), praise IN PASSING inside a
  criticism (2.16 "She recorded this clearly, and her note is a good
  example ..., but she did not share it"), practice stated through what
  was done (2.18, 2.35), two "It would have been good practice ...", two
  changes since the learning event; five paragraphs summarising what
  practitioners said at the learning event; FOUR findings citing earlier
  Gwent reviews by number ("CPR 2/2022" twice, "CPR 1/2023", "CPR 4/2021"),
  each a learning repeated or a recommendation not embedded; two
  concessions before a criticism; a closing "2.40 In summary, ...";
- "3. Improving Systems and Practice": "3.1" the template's lead-in ending
  on a full stop, "3.2" pointing to the changes already made ("The Board
  should receive evidence of their impact within six months."), then
  "Recommendations" 1-6 as a numbered list, 1 and 4 to "Gwent Safeguarding
  Board should ...:" with lettered parts "(a)", "(b)", 2, 3, 5, 6 to the
  health board, the council, the drug and alcohol service and the police;
- "4. Statement by Reviewer(s)": a lead-in and the Yes/No table with a
  column per reviewer ("Statement | Reviewer 1 (Yes/No) | Reviewer 2
  (Yes/No)"), both signatures "Date: 19/11/2025"; "5. Statement by Review
  Panel Chair" (02/12/2025); "Appendix 1: Terms of reference" (the core
  tasks and the specific questions as bullets, the review process).

Its labels (`gcpr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 107
passages, 17 practice (all in the learning), 10 recommendation (6
recommendations, 8 records as the report numbers them, the two lead-ins
"1. ... should seek assurance ... that:" and "4. ... should, through its
Learning and Development Group:" recommendation passages, as the CPR2's),
80 other. As the CPR2's, ECPR's and MHHR's: a paragraph is practice where
the reviewers present some practice in it as good in its own right,
however mildly and wherever in the paragraph (so 2.16, praised in passing
inside a criticism, is practice: Record keeping); a concession that opens
a criticism is other (2.7 "within the timescale ... However", 2.8 "within
the range of reasonable professional judgement ..., but"); "It would have
been good practice ..." is Suggested good practice (2.13, 2.30); the two
changes since the learning event are Learning from past reviews (2.22,
2.39). Other: the title page, the outline, the learning's preamble (2.1),
its overview (2.2 "much committed practice ... It also found ...":
borderline, its point the criticism, as the TCPR's), what practitioners
said at the learning event (2.9, 2.17, 2.25, 2.31, 2.32), the findings
citing earlier reviews (2.6, 2.20, 2.27, 2.33), poor practice and plain
facts (2.24 "recorded the result and increased her contact ..., but she
did not tell ...": no judgement, its point the failure to share), the
family's words, the organisational context, the summary, the lead-in 3.1
and 3.2 (it points to changes, and its "should receive evidence" is not
one of the six recommendations: borderline), the statements and the
appendix. Codes: 2.3, 2.14, 2.23, 2.28, 2.34 Adhering to policy and
procedure; 2.4, 2.26 Risk assessment; 2.10 Consistent care and support;
2.11 Multi-agency working; 2.15 Persistency in care and support; 2.16,
2.18, 2.35 Record keeping.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt12 as it was, HEAD d48797e; STORFA_INT8=u8; by the machine's clock
the session began 23:44:07, the document was written 23:45:59 and the
labels 23:46:14, both copied into tests/data 23:46:16, this module written
23:46:56 before any reading, storfa first run 23:46:59-23:47:16), the same
from the Markdown and from the PDF in every figure; both read as written,
107 passages:

- identity: type CPR, concise, board Gwent, year 2025 (right); identifier
  and key CPR2025-W03, not CPR2025-03/GW: "CPR 3/2025", the board's own
  numbering under its name, is read as the national Welsh series
  ("W"), whose number it is not; none of the cited earlier reviews was
  taken. Dates: index incident 2025-02-14, referral 2025-03-20, learning
  event 2025-07-10, period 2024-05-01 to 2025-02-14, all right; sign-off
  None (the reviewers' "Date: 19/11/2025"), publication None (the final
  report to the Board 15 January 2026: not asserted either way);
- recommendations: 8 of 8 records, numbered "1a", "1b", "2", "3", "4a",
  "4b", "5", "6", each part completed by its lead-in, every addressee right
  (the Board's four parts "Gwent Safeguarding Board", not the bodies it
  seeks assurance from); ONE extra: "3.2 The changes already made ... The
  Board should receive evidence of their impact within six months."
  recorded as number "3.2" to Blaenau Gwent Children's Services, Aneurin
  Bevan University Health Board and the Board; nothing from the 40
  numbered learning paragraphs (their "should", "would have been good
  practice", the cited CPRs' recommendations) or the appendix;
- auto-coding at the single-case threshold (0.49 as reported): 20
  suggestions, 16 of the 17 practice paragraphs, precision 0.80 (at the
  floor), recall 0.94; the same sub-theme as the label on 10 of 16, the
  same theme on 10 of 16 (0.62, under the 0.70 bar). Wrong (4): 2.31
  "At the learning event practitioners were shown, for the first time,
  what each agency had known ..." (Learning from past reviews, 0.97), 2.32
  "Practitioners also said that the learning event was the first time they
  had met ..." (Multi-agency working, 0.70), 2.24 the GDAS key worker who
  "recorded the result and increased her contact ..., but she did not tell
  Children's Services" (Record keeping, 0.76), the template's lead-in "3.1
  In order to promote the learning from this case the review identified the
  following actions ..." (Learning from past reviews, 0.58). Missed (1):
  2.23 "... In line with the service's policy for parents in treatment, she
  completed a parenting risk assessment ..." (0.19). Themes that differ:
  2.3 the midwife's same-day referrals "in line with the Wales Safeguarding
  Procedures" -> Learning from past reviews (0.56), 2.26 the GP's
  "professional curiosity" -> Learning from past reviews (0.95), 2.11 the
  discharge planning meeting -> Consistent care and support (Multi-agency
  working), 2.14 the new birth visit "within the timescale" -> Consistent
  care and support (Adhering to policy and procedure), 2.16 the clear note
  -> Effective communication (Record keeping), 2.34 the registrar's
  response -> Escalating concerns (Adhering to policy and procedure). Held:
  nothing suggested on a heading, the title page, the outline, the
  statements, the appendix, a recommendation or a colon lead-in; not on the
  family's words, the preamble, the overview or the summary, the four
  findings citing earlier CPRs, the two concessions, three of the five
  practitioners' summaries, or the other poor practice; found every
  paragraph naming its praise, 2.16 praised in passing (0.87), both stated
  through what was done (0.71, 0.57), both "would have been good practice"
  (Suggested good practice, 0.96), both changes since (0.51, 0.99), three
  of the four "in line with".

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the
practitioners' summaries, the poor practice, "in line with", the template
lead-in 3.1, the extra record against the judged bar), the board-numbering
check made to say what it reads, a printing-only test dropped, and the
xfails for what storfa got wrong.

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

DATA = Path(__file__).resolve().parent / "data" / "written-gcpr"
DOCUMENT = DATA / "gcpr-written-2026.md"
BOARD = "Gwent Safeguarding Board"
NUMBERING = "CPR 3/2025"  # "Review reference: CPR 3/2025", under the board's name
IDENTIFIER = "CPR2025-03/GW"
# Earlier Gwent reviews the learning cites: none is this review.
CITED = ("CPR 2/2022", "CPR 1/2023", "CPR 4/2021")
RECOMMENDATIONS = (
    "1. Gwent Safeguarding Board should seek assurance",
    "2. Aneurin Bevan University Health Board should",
    "3. Blaenau Gwent County Borough Council should",
    "4. Gwent Safeguarding Board should, through",
    "5. The Gwent Drug and Alcohol Service should",
    "6. Gwent Police should",
)
# The records as the report numbers them: each lead-in recorded through its
# lettered parts.
NUMBERS = ["1a", "1b", "2", "3", "4a", "4b", "5", "6"]
AGENCIES = {
    "2": ["Aneurin Bevan University Health Board"],
    "3": ["Blaenau Gwent County Borough Council"],
    "5": ["Gwent Drug and Alcohol Service"],
    "6": ["Gwent Police"],
}
BOARDS_OWN = ("1a", "1b", "4a", "4b")
LEARNING = "2. Practice and organisational learning"
SYSTEMS = "3. Improving Systems and Practice"

_NATIONAL = (
    "identifier and key CPR2025-W03, both readings: 'Review reference: CPR 3/2025', the "
    "board's own numbering (type and number, no board abbreviation) under 'Gwent "
    "Safeguarding Board', is read as the national Welsh series ('W'), a number the "
    "document never gives; right: CPR2025-03/GW, the board taken from the page, as the "
    "CPR2's 'CYSUR 2/2025' is CPR2025-02/MWW (the cited CPR 2/2022, 1/2023 and 4/2021 "
    "are rightly not taken)")


read = reading(DOCUMENT, DATA / "gcpr-written-2026.tsv", "written-gcpr")


def _paragraphs(read: Read, *numbers: str) -> set[int]:
    """The passages numbered so ("2.16 At that visit ...")."""
    return opened_by(read, *(f"{n} " for n in numbers))


def _title_page(read: Read) -> set[int]:
    # No contents: the title page runs to the outline's heading.
    (outline,) = [p.seq for p in read.passages if p.kind == "heading"
                  and p.text.startswith("1. Brief outline")]
    return set(range(outline))


def _learning(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, LEARNING, SYSTEMS)


def _statements_and_appendix(read: Read) -> set[int]:
    (start,) = [p.seq for p in read.passages
                if p.kind == "heading" and p.text == "4. Statement by Reviewer(s)"]
    return set(range(start, len(read.passages)))


def _records(read: Read) -> dict[str, list[str]]:
    return {r.number: r.agencies for r in labelled_records(read)}


def _not_suggested(read: Read, paragraphs: tuple[str, ...]) -> None:
    seqs = _paragraphs(read, *paragraphs)
    assert seqs <= read.seqs("other")
    wrong = sorted(seqs & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def _suggested(read: Read, paragraphs: tuple[str, ...]) -> None:
    seqs = _paragraphs(read, *paragraphs)
    assert seqs <= read.seqs("practice")
    missed = sorted(seqs - read.suggested.keys())
    assert not missed, [(read.text(s)[:60], round(read.confidence.get(s, 0.0), 2))
                        for s in missed]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 107, 17, 10, 80)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 107, 17, 10, 80)


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_variant_and_board(read: Read) -> None:
    identity(read, type="CPR", variant="concise", board="Gwent")


@pytest.mark.xfail(strict=True, reason=_NATIONAL)
def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    # Not one of the earlier reviews the learning cites (CPR 2/2022, 1/2023, 4/2021).
    identified(read, IDENTIFIER, ("CPR", 2025, 3, "GW"))


def test_the_reference_is_read_as_the_boards_numbering(read: Read) -> None:
    # "CPR 3/2025" names the type and no board: the board is the page's.
    ((found, _, _),) = find_board_numbered(f"Review reference: {NUMBERING}", "CPR")
    assert (found.type, found.year, found.seq, found.board) == ("CPR", 2025, 3, None), found


@pytest.mark.xfail(strict=True, reason=_NATIONAL)
def test_the_reference_reads_with_the_boards_name(read: Read) -> None:
    assert read.summary.identifier == IDENTIFIER, read.summary.identifier


def test_no_cited_review_is_taken_for_this_one(read: Read) -> None:
    cited = {f"CPR{c[-4:]}-0{c[4]}" for c in CITED}
    assert not any(read.summary.identifier.startswith(c) for c in cited), \
        read.summary.identifier


def test_the_index_incident_is_the_injury(read: Read) -> None:
    assert read.summary.dates.get("index_incident") == "2025-02-14", read.summary.dates


def test_the_referral_is_the_review_groups(read: Read) -> None:
    # "... the Board's Child Practice Review Group, which considered the referral
    # ... on 20 March 2025" (commissioned 27 March 2025).
    assert read.summary.dates.get("referral") == "2025-03-20", read.summary.dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2025-07-10", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is from 1 May 2024 ... to 14 February 2025."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2024-05-01", "2025-02-14"), dates


# First reading, since fixed: sign-off None, both readings; right: 2025-11-19, both reviewers'
# 'Reviewer 1 (Signature): R. Bevan. Name (Print): ... Date: 19/11/2025' under '4. Statement
# by Reviewer(s)' (the panel chair's 02/12/2025 is not theirs), as the TCPR's 'Date:
# 14/03/2016' was not read
def test_the_reviewers_sign_off(read: Read) -> None:
    # Both reviewers "Date: 19/11/2025"; the panel chair's 02/12/2025 is not theirs.
    assert read.summary.dates.get("sign_off") == "2025-11-19", read.summary.dates


def test_the_report_to_the_board_is_no_earlier_date(read: Read) -> None:
    # "Date of final report to the Board: 15 January 2026": a publication date
    # if one is read, never one of the events'.
    assert read.summary.dates.get("publication") in (None, "2026-01-15"), read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("ab"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_each_lettered_part_is_completed_by_its_lead_in(read: Read) -> None:
    parts = {r.number: r for r in labelled_records(read) if r.number in BOARDS_OWN}
    assert list(parts) == list(BOARDS_OWN)
    for number, r in parts.items():
        assert r.text.startswith("Gwent Safeguarding Board should"), (number, r.text)


def test_each_agency_recommendation_names_its_addressee(read: Read) -> None:
    found = _records(read)
    assert {n: found.get(n) for n in AGENCIES} == AGENCIES, found


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # Recommendation 1 seeks assurance FROM the five local authorities and the
    # health board: they are not its addressees.
    found = _records(read)
    wrong = {n: found.get(n) for n in BOARDS_OWN if found.get(n) != [BOARD]}
    assert not wrong, wrong


# First reading, since fixed (a paragraph before a sub-heading of recommendations is the section's
# preamble): one record beyond the labels, both readings: '3.2 The changes already made by Blaenau
# Gwent Children's Services and by Aneurin Bevan University Health Board, described at paragraphs
# 2.22 and 2.39, are not repeated below. The Board should receive evidence of their impact within
# six months.' recorded as number '3.2' to Blaenau Gwent Children's Services, the health board and
# the Board; right: not a recommendation (labelled other, borderline: a 'should' before the
# numbered six, pointing at changes already made)
def test_nothing_else_is_recorded(read: Read) -> None:
    # Nor the terms of reference's core tasks.
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations (one, 3.2).
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_learning_or_the_appendix(read: Read) -> None:
    learning = _learning(read)
    assert len(learning) == 51  # 40 numbered paragraphs and 11 sub-headings
    for what, seqs in (("learning", learning), ("outline", in_section(read, "1. Brief outline")),
                       ("statements and appendix", _statements_and_appendix(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.80 (16 of 20) on the first reading, at the floor.
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.94 (16 of 17).
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: same theme on 10 of 16 (0.62), both readings: 2.3 the midwife's
# same-day referrals 'in line with the Wales Safeguarding Procedures' -> Learning from past
# reviews (Adhering to policy and procedure), 2.26 the GP's 'professional curiosity' -> Learning
# from past reviews 0.95 (Risk assessment), 2.11 the discharge planning meeting -> Consistent
# care and support (Multi-agency working), 2.14 the new birth visit 'within the timescale' ->
# Consistent care and support (Adhering to policy and procedure), 2.16 the clear note ->
# Effective communication (Record keeping), 2.34 the registrar's response -> Escalating concerns
# (Adhering to policy and procedure)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": _title_page(read),
        "outline": in_section(read, "1. Brief outline"),
        "statements and appendix": _statements_and_appendix(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


# First reading, since fixed: the template's lead-in '3.1 In order to promote the learning from
# this case the review identified the following actions for the Gwent Safeguarding Board and its
# member agencies and anticipated improvement outcomes.' is suggested (Learning from past
# reviews, 0.58), both readings: numbered and ending on a full stop, it is the same lead-in the
# CPR2 kept unnumbered with a colon, which was not suggested
def test_auto_coding_never_suggests_the_templates_numbered_lead_in(read: Read) -> None:
    never_suggested(read, {"template lead-in": _paragraphs(read, "3.1")})


def test_auto_coding_does_not_suggest_the_learnings_preamble_or_overview(read: Read) -> None:
    # 2.1 how the learning was identified; 2.2 "much committed practice ... It also
    # found ..." (borderline, its point the criticism); 2.40 the summary.
    _not_suggested(read, ("2.1", "2.2", "2.40"))


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    _not_suggested(read, ("2.36", "2.37"))


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    # The learning event's summaries: the practitioners' account, not the reviewers' praise.
    _not_suggested(read, ("2.9", "2.17", "2.25"))


@pytest.mark.xfail(strict=True, reason=(
    "two summaries of the learning event are suggested, both readings: '2.31 At the "
    "learning event practitioners were shown, for the first time, what each agency had "
    "known ... a strategy discussion would have been held had one person known all of it' "
    "(Learning from past reviews, 0.97) and '2.32 Practitioners also said that the learning "
    "event was the first time they had met one another ... a single multi-agency meeting "
    "... would have helped' (Multi-agency working, 0.70); neither presents practice as good "
    "nor a change made (2.9, 2.17, 2.25 are not suggested)"))
def test_auto_coding_does_not_suggest_what_practitioners_agreed_at_the_event(
        read: Read) -> None:
    _not_suggested(read, ("2.31", "2.32"))


def test_auto_coding_does_not_suggest_a_previous_reviews_learning_repeated(read: Read) -> None:
    # An earlier CPR's finding seen again, or its recommendation not embedded.
    _not_suggested(read, ("2.6", "2.20", "2.27", "2.33"))


def test_auto_coding_does_not_suggest_a_concession_before_criticism(read: Read) -> None:
    # 2.7 "within the timescale ... However ..."; 2.8 "within the range of
    # reasonable professional judgement ..., but the plan contained no contingency".
    _not_suggested(read, ("2.7", "2.8"))


def test_auto_coding_does_not_suggest_poor_practice_or_context(read: Read) -> None:
    _not_suggested(read, ("2.5", "2.12", "2.19", "2.21", "2.29", "2.38", "3.2"))


@pytest.mark.xfail(strict=True, reason=(
    "'2.24 On 10 January 2025 Ms J's drug screen was positive for cocaine ... The key "
    "worker recorded the result and increased her contact with Ms J to weekly, but she did "
    "not tell Children's Services or the health visitor ...' is suggested (Record keeping, "
    "0.76), both readings: what was done, with no judgement, its point the failure to share"))
def test_auto_coding_does_not_suggest_what_was_recorded_but_not_shared(read: Read) -> None:
    _not_suggested(read, ("2.24",))


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "thorough", "consistent and well co-ordinated", "good practice", "commended",
    # "good practice, showing the professional curiosity", "a good example of".
    _suggested(read, ("2.4", "2.10", "2.11", "2.15", "2.26", "2.34"))


def test_auto_coding_finds_practice_in_line_with_policy(read: Read) -> None:
    # 0.56, 0.69, 0.68 on the first reading.
    _suggested(read, ("2.3", "2.14", "2.28"))


@pytest.mark.xfail(strict=True, reason=(
    "'2.23 The GDAS key worker had worked with Ms J since 2021. In line with the service's "
    "policy for parents in treatment, she completed a parenting risk assessment ..., "
    "provided a locked box for Ms J's methadone, and moved her to supervised consumption "
    "...' is not suggested (0.19), both readings: 'in line with' opening the list of what "
    "was done, with no other praise (the other three 'in line with' paragraphs are found)"))
def test_auto_coding_finds_practice_in_line_with_a_services_policy(read: Read) -> None:
    _suggested(read, ("2.23",))


def test_auto_coding_finds_practice_praised_in_the_middle_of_criticism(read: Read) -> None:
    # 2.16: "She recorded this clearly, and her note is a good example ..., but she
    # did not share it".
    _suggested(read, ("2.16",))


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # 2.18 the social worker's detailed records; 2.35 the ambulance crew's record.
    _suggested(read, ("2.18", "2.35"))


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    found = _paragraphs(read, "2.13", "2.30")
    assert found <= read.seqs("practice")
    all_suggested(read, found)
    assert {read.suggested[s][0][0] for s in found} == {"Suggested good practice"}


def test_auto_coding_finds_the_changes_made_since_the_learning_event(read: Read) -> None:
    # 0.51 and 0.99 on the first reading.
    _suggested(read, ("2.22", "2.39"))
