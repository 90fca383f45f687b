"""An eighth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on an
English Safeguarding Adults Review, of the single-case auto-coding threshold
and the document-reading rules chosen on the written reviews before it.

`tests/data/written-sar/sar-written-2026.md` is a WRITTEN Safeguarding Adults
Review under section 44 of the Care Act 2014 (fictional: no real case or
person) for the Eastmoor Safeguarding Adults Board (a fictional English
board), about Adult R, a 58-year-old man dependent on alcohol who
self-neglected and died of hypothermia in his flat when his prepayment
electricity meter ran out. Where it differs from the other seven:

- an adults' review, English: the title page gives the board's name,
  "Safeguarding Adults Review" as the title, "Adult R", the board's own
  numbering "SAR 2025/03" (as English boards sometimes number them; no W,
  no board abbreviation), "Independent reviewer: ..." and "Final report
  presented to the Board: 18 November 2025"; contents a bulleted list of
  unnumbered section names; headings not numbered, nor are paragraphs;
- a short "Summary" up front: what happened (two paragraphs), the findings
  (one), the good practice (one), and "The review makes seven
  recommendations, set out in the Recommendations section ..." (no brief
  list); then "Introduction", "Methodology" (a hybrid of SCIE's "SAR in
  Rapid Time" and an integrated chronology, two learning events), "Family
  involvement" (the sister praises the firefighter and the police officers
  in her own words), "Pen picture of R" (as his sister describes him) and a
  prose "Summary of agency involvement", dated, which tells some good
  practice as plain fact ("The tenancy officer visited on 18 July 2023 and
  raised a safeguarding concern ... the same day");
- analysis by four THEMES ("Theme 1: Mental capacity and executive
  function", "Theme 2: Making Safeguarding Personal", "Theme 3: Multi-agency
  risk management", "Theme 4: Responding to alcohol dependence and cold
  homes"), each with the same four sub-headings "What happened", "What went
  well", "What could have been better" and "Learning" (so headings recur,
  four times each); "What went well" is paragraphs, or (Theme 2) a lead-in
  and four bullets; praise explicit ("This is the standard of assessment the
  Mental Capacity Act Code of Practice expects", "detailed and well
  prepared", "more than the service's policy required") or stated through
  what came of it ("R's electricity supply was not interrupted between
  September and December 2024"); "What could have been better" mixes poor
  practice, plain facts and concessions ("The closure was in line with the
  team's process ...", "The visit on 8 January 2025 was within that
  timescale"), with "It would have been better if ..." (three);
- recommendations: seven, as a Markdown numbered list broken by two
  lettered paragraphs "3a." and "3b." (eight records); 1 and 2 to "The SAB",
  7 to "The Board", the others to named agencies (5 to two jointly); then
  "Single agency actions already taken", a lead-in and a table "Agency |
  Action taken" of five changes made during the review; appendices: terms of
  reference (a lead-in and five bullets) and a glossary table.

Its labels (`sar-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 150
passages, 22 practice, 8 recommendation (7 recommendations, 8 records), 120
other. As the CAPR's, the ECPR's and the CSPR's: a paragraph is practice
where the reviewers present some practice in it as good, however
implicitly; a concession that opens a criticism is other; "It would have
been better if ..." is practice, Suggested good practice (as "It would have
been good practice to ..." in the other reviews: what the reviewer says would
have been good practice). Other: the section lead-ins (the bullets' lead-in
under "What went well" too), every "What happened" paragraph, every
"Learning" paragraph (what was learnt about the system, even where it says
what practitioners need to do, as the ECPR's learning points), the family
involvement and the pen picture, the summary of agency involvement (it is
the chronology, though it tells what the analysis praises), the conclusion
("several showed care and persistence": names no practice), the table
headers, the terms of reference and the glossary. The five rows of single
agency actions already taken are practice, Learning from past reviews (as
the CSPR's actions taken). Summary, the convention (as the CSPR's executive
summary): its restatement of the good practice is practice (coded by its
first example, the tenancy officer's concern: Escalating concerns), its
account of what happened, its findings and its sentence about the
recommendations are other; a recommendation is counted once, in the
Recommendations section.

The fresh check, run once the labels were final (a worktree of HEAD ea05729,
frozen, /tmp/wt8; by the machine's clock the session began 20:33:12, the
labels were written 20:35:40 and copied into tests/data 20:35:42, storfa
first run 20:36:30-20:36:40), the same from the Markdown and from the PDF:

- identity: type SAR, board "Eastmoor Safeguarding Adults Board", year 2025,
  variant None, identifier and key "SAR2025-W03" (the Welsh "W" put on an
  English board's "SAR 2025/03"); dates: index incident 2025-01-14 and
  period 2023-04-01 to 2025-01-14 right, referral 2025-02-06, learning event
  2025-07-01 (the second of the two), sign-off 2025-02-20 (the day the
  sub-group agreed the criteria were met, not the report's), publication None;
- recommendations: the 8 records found as numbered ("1", "2", "3a", "3b",
  "4" ... "7"), nothing else (not the summary, the analysis, the "It would
  have been better if" paragraphs, the actions taken or the terms of
  reference): 7 of 7 found, 0 extra. Agencies: 7 to the board by name, 6
  to Westvale Police; 1 and 2 ("The SAB") to nobody, []; 3a and 3b to
  "Eastmoor Borough Council" (its Adult Social Care cut off), 5 to
  "Eastmoor Borough Council" (Public Health cut off) and Pathways Recovery
  Service; 4 to "GP" (from "work with GP practices"), not Westvale
  Integrated Care Board;
- auto-coding at the single-case threshold (0.49 on this tree): 27
  suggestions, 19 of the 22 practice paragraphs, precision 0.70 (19/27),
  recall 0.86 (19/22); the same sub-theme as the label on 11 of 19, the same
  theme on 12 of 19 (0.63). Wrong (8): the summary's "In the twenty-one
  months ... known to eleven agencies" (0.51), the pen picture's football
  paragraph (0.54), two paragraphs of the summary of agency involvement
  (the tenancy officer's concern 0.72, the fire service's visits 0.60), three
  of "What could have been better" (R saying he would and not doing 0.75,
  the meal delivery cancelled 0.70, MSP misunderstood 0.55) and a terms of
  reference bullet (0.60). Missed (3): the three "It would have been better
  if ..." paragraphs (0.46, 0.41, 0.07). Found: all 13 under "What went
  well" (0.80-1.00, the bullets 0.99-1.00), the summary's good practice
  (0.85), all 5 actions already taken (0.56-1.00); nothing suggested on a
  heading, the title page, contents, introduction, method, family
  involvement, "What happened", "Learning", a lead-in, the conclusion, a
  recommendation or the glossary;
- from the PDF the glossary's header row, left at the foot of page 11 with
  its rows on page 12, is read as a paragraph "Term Meaning".

After the first reading only this module changed, not the document or the
labels: each test that found a fault was split from what held (the
template zones from the chronology and the terms of reference, the SAB from
"The Board", record 4 from the other agencies, the identifier from its
parse, the Markdown reading from the PDF's) and the faults marked strict
xfail; and a sign-off test was added. Two of the module's own counts were
put right before the first run (12, not 11, other paragraphs under "What
could have been better"; the analysis found by heading text, for the PDF).
Read again on the working tree at 312e1fc (20:38, after c26c77a read the
family's reported words down), everything is as on the first reading: the
same 27 suggestions, codes and records, one confidence 1.00 -> 0.99.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. Theme agreement is measured with tests/written.py's
`theme_agreement`; this module adds `_under` (the passages under every heading of a given text: this
review's "What happened" / "What went well" / "What could have been better"
/ "Learning" headings recur under each theme, so `between`, which keys
headings by their text, cannot find them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.ids import parse_review_id
from written import (
    WELSH_BOARDS,
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identity,
    in_section,
    labelled_records,
    lead_ins,
    never_suggested,
    no_welsh_board,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-sar"
DOCUMENT = DATA / "sar-written-2026.md"
BOARD = "Eastmoor Safeguarding Adults Board"
NUMBERING = "SAR 2025/03"  # on the title page, as English boards sometimes number them
IDENTIFIER = "SAR2025-03"
COUNCIL = "Eastmoor Borough Council"
# Each recommendation's opening passage; 3b belongs to the third.
RECOMMENDATIONS = (
    "1. The SAB should revise",
    "2. The SAB should seek assurance",
    "3a. Eastmoor Borough Council Adult Social Care should ensure that no",
    "4. Westvale Integrated Care Board should",
    "5. Eastmoor Borough Council Public Health",
    "6. Westvale Police should ensure",
    "7. The Board should work with",
)
NUMBERS = ["1", "2", "3a", "3b", "4", "5", "6", "7"]
# Who each record is to: "The SAB" and "The Board" are the review's own board.
AGENCIES = {
    "1": [BOARD],
    "2": [BOARD],
    "3a": ["Eastmoor Borough Council Adult Social Care"],
    "3b": ["Eastmoor Borough Council Adult Social Care"],
    "4": ["Westvale Integrated Care Board"],
    "5": ["Eastmoor Borough Council Public Health", "Pathways Recovery Service"],
    "6": ["Westvale Police"],
    "7": [BOARD],
}
# The summary of agency involvement (the chronology) and the terms of reference: own tests.
PRELIMINARIES = ("Contents", "Introduction", "Methodology")


read = reading(DOCUMENT, DATA / "sar-written-2026.tsv", "written-sar")


def _under(read: Read, heading: str) -> set[int]:
    """The passages under every heading whose text is `heading`, each run to
    the next heading (the theme sub-headings recur, four times each)."""
    out: set[int] = set()
    under = False
    for p in read.passages:
        if p.kind == "heading":
            under = read.text(p.seq) == heading
        elif under:
            out.add(p.seq)
    return out


def _summary(read: Read) -> set[int]:
    return between(read, "Summary", "Introduction")


def _actions_taken(read: Read) -> set[int]:
    """The table's rows, its header not among them."""
    return {s for s in in_section(read, "Single agency actions already taken")
            if read.passages[s].kind == "table_row" and not read.text(s).startswith("Agency |")}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 150, 22, 8, 120)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed (cell borders read from a table's rules): from the PDF the
# glossary's header row 'Term | Meaning', left alone at the foot of page 11 with its rows on
# page 12, is read as a paragraph 'Term Meaning'; every other passage reads as written
def test_each_passage_reads_as_the_markdown_wrote_it_from_the_pdf(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_each_theme_has_its_four_sub_headings(read: Read) -> None:
    for heading in ("What happened", "What went well", "What could have been better",
                    "Learning"):
        found = [p.seq for p in read.passages
                 if p.kind == "heading" and read.text(p.seq) == heading]
        assert len(found) == 4, (heading, found)


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_board_and_year(read: Read) -> None:
    # The board as the title page names it: what a user filtering by board expects.
    identity(read, type="SAR", board=BOARD, year=2025)


def test_the_boards_numbering_is_read(read: Read) -> None:
    # "SAR 2025/03": type, year and sequence, no board abbreviation.
    found = parse_review_id(read.summary.identifier or "")
    assert (found.type, found.year, found.seq, found.board) == ("SAR", 2025, 3, None), found
    assert parse_review_id(NUMBERING).seq == found.seq


def test_the_identifier_is_the_english_boards_numbering(read: Read) -> None:
    # 'SAR2025-W03' on the first reading: the W of the all-Wales numbering.
    assert (read.summary.identifier, read.summary.review_id) == (IDENTIFIER, IDENTIFIER)


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_index_incident_is_rs_death(read: Read) -> None:
    # Found dead on 14 January 2025: told in the summary and the chronology.
    assert read.summary.dates.get("index_incident") == "2025-01-14", read.summary.dates


def test_the_sign_off_is_not_the_decision_to_review(read: Read) -> None:
    # 2025-02-20 on the first reading: 'the Board's independent chair endorsed that
    # decision' (to hold the review) read as the report's sign-off.
    assert read.summary.dates.get("sign_off") in (None, "2025-11-18"), read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is 1 April 2023 ... to 14 January 2025."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-04-01", "2025-01-14"), dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("ab"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def _named(read: Read) -> dict[str, list[str]]:
    return {r.number: r.agencies for r in labelled_records(read)}


def _organisation(agency: str, found: list[str]) -> bool:
    return any(agency.startswith(a) or a.startswith(agency) for a in found)


def test_the_board_is_the_reviews_own(read: Read) -> None:
    # "The Board should work with ..." (7): the title page's board.
    assert _named(read)["7"] == [BOARD], _named(read)["7"]


def test_the_sab_is_the_reviews_own_board(read: Read) -> None:
    # 'The SAB' was recorded to nobody on the first reading.
    named = _named(read)
    wrong = {n: named.get(n) for n in ("1", "2") if named.get(n) != [BOARD]}
    assert not wrong, wrong


def test_each_record_names_its_agencys_organisation(read: Read) -> None:
    # The organisation, at least: the council for its Adult Social Care and its
    # Public Health (record 4: its own test).
    named = _named(read)
    wrong = {n: named.get(n) for n, agencies in AGENCIES.items()
             if n in ("3a", "3b", "5", "6")
             and not all(_organisation(a, named.get(n) or []) for a in agencies)}
    assert not wrong, wrong


def test_a_recommendation_to_the_integrated_care_board_is_its(read: Read) -> None:
    # Recorded to ['GP'] on the first reading (the practices it is to work with).
    assert _named(read)["4"] == AGENCIES["4"], _named(read)["4"]


@pytest.mark.xfail(strict=True, reason=(
    "3a and 3b are recorded to 'Eastmoor Borough Council', 'Adult Social Care' cut off, "
    "and 5 to 'Eastmoor Borough Council' and Pathways Recovery Service, 'Public Health' "
    "cut off; right is each agency as the recommendation names it"))
def test_each_record_names_its_agency_as_the_report_gives_it(read: Read) -> None:
    named = _named(read)
    wrong = {n: named.get(n) for n, agencies in AGENCIES.items()
             if n in ("3a", "3b", "5", "6") and not set(agencies) <= set(named.get(n) or [])}
    assert not wrong, wrong


def test_no_record_names_a_welsh_board(read: Read) -> None:
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


def test_no_record_from_the_analysis_the_actions_taken_or_the_terms_of_reference(
        read: Read) -> None:
    # "Practitioners need to know ...", "should be treated as a safeguarding
    # risk" (Learning), "It would have been better if ..." and the changes
    # agencies have made are no recommendations.
    analysis = between(read, "Analysis by theme", "Conclusion")
    actions = in_section(read, "Single agency actions already taken")
    terms = in_section(read, "Appendix 1")
    assert len(terms) == 6 and len(actions) == 7
    for what, seqs in (("analysis", analysis), ("actions taken", actions),
                       ("terms of reference", terms), ("summary", _summary(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.70 on the first reading (19 of 27): the summary's account, the pen picture,
    # two paragraphs of the summary of agency involvement, three of 'What could have
    # been better' and a terms-of-reference bullet were suggested.
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.86 on the first reading (19 of 22).
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    # Precision 0.70 (19/27: held with nothing to spare), recall 0.86 on the first reading.
    holds_the_judged_bar(read)


# First reading, since fixed: the same theme as the label on 12 of the 19 practice paragraphs
# suggested (0.63; the same sub-theme on 11): the police officers who stayed with R and reported
# him, and the alcohol liaison nurse's prompt referral, read as Consistent care and support
# (labelled Escalating concerns, Adhering to policy and procedure); the GP's capacity assessment
# to the Code's standard as Risk assessment; the summary's good practice as Learning from past
# reviews; the social worker's noticing as Record keeping
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        # By heading text: a PDF's headings have no depth.
        "contents, introduction, method": in_section(read, *PRELIMINARIES),
        "glossary": in_section(read, "Appendix 2"),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_summary_of_agency_involvement(read: Read) -> None:
    # On the first reading 'In July 2023 a neighbour complained ...' (0.72) and
    # 'Westvale Fire and Rescue Service carried out a Safe and Well visit ...'
    # (0.60) were suggested: "Summary of agency involvement" was no zone storfa
    # knew. (The section's lead-in and its seven paragraphs: eight passages.)
    chronology = in_section(read, "Summary of agency involvement")
    assert len(chronology) == 8
    never_suggested(read, {"summary of agency involvement": chronology})


def test_auto_coding_never_suggests_the_terms_of_reference(read: Read) -> None:
    # 'how effectively agencies worked together, including through the MARM
    # protocol;' was suggested on the first reading (0.60).
    terms = in_section(read, "Appendix 1")
    never_suggested(read, {"terms of reference": terms})


# First reading, since fixed (a background section read down further (-3)): the pen picture's 'R
# was a lifelong supporter of Eastmoor Town Football Club ... R had type 2 diabetes ...' is
# suggested (0.54, Record keeping); the family involvement paragraphs, the sister's praise of the
# firefighter among them, are not
def test_auto_coding_never_suggests_the_familys_words_or_the_pen_picture(
        read: Read) -> None:
    # The sister praises the firefighter and the police officers in her own words.
    family = in_section(read, "Family involvement", "Pen picture of R")
    assert len(family) == 6
    never_suggested(read, {"family": family})


def test_auto_coding_never_suggests_what_happened(read: Read) -> None:
    accounts = _under(read, "What happened")
    assert len(accounts) == 9 and accounts <= read.seqs("other")
    never_suggested(read, {"what happened": accounts})


def test_auto_coding_never_suggests_the_learning(read: Read) -> None:
    # What was learnt about the system, some of it as what practitioners need
    # to do: the ECPR's learning points are other too.
    learning = _under(read, "Learning")
    assert len(learning) == 8 and learning <= read.seqs("other")
    never_suggested(read, {"learning": learning})


def test_auto_coding_finds_everything_that_went_well(read: Read) -> None:
    # Thirteen paragraphs and bullets under the four "What went well" headings
    # (the bullets' lead-in aside), explicit ("This is the standard of
    # assessment the ... Code of Practice expects", "detailed and well
    # prepared", "more than the service's policy required") or stated through
    # what was done and what came of it.
    went_well = read.seqs("practice") & _under(read, "What went well")
    assert len(went_well) == 13
    all_suggested(read, went_well)


def test_auto_coding_finds_practice_stated_through_its_outcome(read: Read) -> None:
    implicit = opened_by(read, "The money advice worker helped R",
                         "Pathways Recovery Service reopened R's case",
                         "She arranged for the Eastmoor Homes money advice worker")
    assert implicit <= read.seqs("practice")
    all_suggested(read, implicit)


@pytest.mark.xfail(strict=True, reason=(
    "'It would have been better if the MARM meeting had been reconvened after the "
    "vulnerable adult report in December 2024 ...' is not suggested (0.37; 0.07 on the first "
    "reading); the other two now are (0.46 and 0.41 on the first reading)"))
def test_auto_coding_finds_what_would_have_been_better(read: Read) -> None:
    # "It would have been better if ...": what the reviewer says would have
    # been good practice (Suggested good practice, as "It would have been good
    # practice to ..." in the other written reviews).
    better = {s for s in _under(read, "What could have been better")
              if read.text(s).startswith("It would have been better if")}
    assert len(better) == 3 and better <= read.seqs("practice")
    all_suggested(read, better)


def test_auto_coding_does_not_suggest_what_could_have_been_better(read: Read) -> None:
    # Three of the twelve were suggested on the first reading (0.55-0.75); the
    # heading is now a zone of its own.
    # Poor practice and plain facts, some opening on a concession ("The
    # closure was in line with the team's process ...", "The visit on 8
    # January 2025 was within that timescale").
    poor = _under(read, "What could have been better") & read.seqs("other")
    assert len(poor) == 12
    never_suggested(read, {"what could have been better": poor})


def test_auto_coding_finds_the_actions_already_taken(read: Read) -> None:
    actions = _actions_taken(read)
    assert len(actions) == 5 and actions <= read.seqs("practice")
    all_suggested(read, actions)


def test_auto_coding_does_not_suggest_the_actions_tables_header(read: Read) -> None:
    (header,) = opened_by(read, "Agency | Action taken")
    assert header not in read.suggested, read.suggested.get(header)


def test_auto_coding_finds_the_good_practice_in_the_summary(read: Read) -> None:
    (restated,) = opened_by(read, "The review also found practice that the Board")
    assert restated in read.seqs("practice")
    all_suggested(read, {restated})


@pytest.mark.xfail(strict=True, reason=(
    "the summary's 'In the twenty-one months before his death R was known to eleven "
    "agencies. Three safeguarding concerns were raised ...' is suggested (0.51, Multi-agency "
    "working): a count of contacts, no practice"))
def test_auto_coding_does_not_suggest_the_rest_of_the_summary(read: Read) -> None:
    rest = _summary(read) & read.seqs("other")
    assert len(rest) == 4
    never_suggested(read, {"summary": rest})


def test_auto_coding_does_not_suggest_the_conclusion(read: Read) -> None:
    # "several showed care and persistence that made a difference": names no practice.
    conclusion = in_section(read, "Conclusion")
    assert len(conclusion) == 1
    never_suggested(read, {"conclusion": conclusion})
