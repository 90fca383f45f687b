"""A thematic Safeguarding Adults Review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a report about SIX people, not one, of the reading rules for thematic
reports (their type, their identity without the identifiers they cite, the
general auto-coding threshold) chosen on the written reviews before it.

`tests/data/written-tsar/tsar-written-2026.md` is a WRITTEN thematic
Safeguarding Adults Review (fictional: no real case or person) for the
Northbrook Safeguarding Adults Board (English, Care Act 2014), about six
adults who died between August 2021 and March 2023 of self-neglect and
alcohol harm: Adult A (58, alone in a council flat, liver disease), B (47,
fourteen admissions, alcohol withdrawal), C (71, no heating, hypothermia six
days after discharge), D (63, alcohol-related brain damage, a fall), E (39,
temporary accommodation, alcohol poisoning), F (52, depression, alcohol
toxicity). Where it differs from the written reviews before it:

- the cover: the board's name (its only statement of authorship), "Thematic
  Safeguarding Adults Review: self-neglect and alcohol" (the only level-1
  heading), "The deaths of six adults in Northbrook, 2021 to 2023", the
  independent reviewer, "Final report accepted by the Board: 18 April 2024",
  "Published June 2024" (a month only); no contents, no numbering;
- "1. Introduction and scope": why a thematic review (Preston-Shoot's
  analyses, "the national analysis of SARs 2019-2023"), then "The six
  people" as SIX VIGNETTES, "Adult A was a 58-year-old man ..." to "Adult F
  ...", each facts with some good practice (a housing officer's monthly
  visits, an alcohol care team's continuity, a joint capacity assessment, a
  fire crew's same-day referral, a High Risk Adults Panel, a GP's fortnightly
  calls), the families' words, the period ("the two years before they
  died");
- "2. Methodology": the case file audit, two practitioner workshops (11
  October and 8 November 2023), a TABLE of the six by age, gender, year of
  death and living situation;
- "3. Findings" by THEME ACROSS CASES: "Theme 1: Mental capacity and
  executive function", "Theme 2: Multi-agency risk management", "Theme 3:
  Hospital discharge", "Theme 4: Alcohol services", each with the
  sub-headings "What we found" (facts, poor practice, research, one mixed
  paragraph: Adult D's duty team "within two days ... which is what the
  procedures expect. But ..."), "Good practice we saw" (two to four
  paragraphs citing Adult C, Adult E ...; one "Since Adult B's review (NSAB
  SAR 2022/03), ..." change) and "What needs to improve" (should-statements,
  a concession, "It would have been good practice ...", research);
- "4. Conclusions" (one good-practice restatement, one of learning);
- "5. Recommendations" under a general lead-in ("The review makes eight
  recommendations to Northbrook Safeguarding Adults Board.") as paragraphs
  "R1." to "R8.", all "The Board should ...", R3 a lead-in ending "that:"
  with lettered items (a)-(c), R6 one ending "to:" with (a)-(b);
- "Appendix: The six cases": a lead-in and six bullets of the Board's
  references for the six cases ("NSAB SAR 2022/03 (Adult B): Safeguarding
  Adults Review, published March 2023.") -- NOT this report's identity.

Its labels (`tsar-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 109 passages,
21 practice, 13 recommendation (R1-R8, the two lead-ins among them, and the
five lettered items), 75 other. Practice where the reviewers present some
practice as good, however implicitly or mixed with criticism. Codes: the six
vignettes by their good practice (A's housing officer Persistency in care
and support; B's alcohol care team Consistent care and support; C's joint
capacity assessment Risk assessment; D's fire crew Escalating concerns; E's
panel Multi-agency working; F's GP Consistent and persistent communication);
Theme 1's good practice: the joint capacity assessment Risk assessment, the
hostel worker's records Record keeping, the Board's training Support and
training for practitioners; Theme 2: Adult D's duty team's visit and meeting
(in "What we found", mixed) Adhering to policy and procedure, the panel
Multi-agency working, the housing officer's challenge and the fire crew's
referral Escalating concerns; Theme 3: the specialist nurse Positive working
relationships, the ward's same-day summary and call Effective
communication, "It would have been good practice ..." Suggested good
practice; Theme 4: the outreach worker's six visits Persistency in care and
support, the policy changed since Adult B's review Learning from past
reviews, D's GP "in line with the practice's alcohol care pathway" Adhering
to policy and procedure, the Blue Light training Support and training for
practitioners; the conclusions' restatement Positive working relationships
(by its first finding). Other: the cover, the introduction's
commissioning, reasons and research, the families' words, the period, the
methodology and its table, each theme's "What we found" but D's duty team,
every "What needs to improve" paragraph but the suggested practice, the
conclusions' learning, the recommendations' general lead-in, the appendix.

What a user would expect of its identity, decided before the reading (as
docs/architecture.md describes a thematic report): type thematic; no
identifier (key the file's name), none of the six references the appendix
and Theme 4 cite; board Northbrook Safeguarding Adults Board (the cover
names it, and "the Board" accepted the report); variant, age band and gender
none (six people); year 2024; dates: no index incident, referral, review
period (six deaths, six referrals, a period per person); learning event none
(the workshops are two, of a thematic review; the first, 2023-10-11, would
be accepted); sign-off 2024-04-18 (the front matter's "Final report accepted
by the Board"); publication 2024-06-01 ("Published June 2024"). Auto-coding
held at the general threshold (0.69), not the single-case one.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt16
as it was, HEAD 306f4c9; STORFA_INT8=u8; by the machine's clock the session
began 05:40:33, the labels were written 05:42:22 and copied into tests/data
with the document in one `cp` 05:42:30, this module written before any
reading by 05:43:10, storfa first run 05:43:11-05:43:17 (-x, stopped at the
type) and 05:43:18-05:43:27 (all: 22 failed, 58 passed, 2 skipped); the
passage-by-passage reading and the suggestions' own confidences printed
05:43:42-05:44:02, on the same tree), the same from the Markdown and from
the PDF unless said:

- segmentation: 109 passages from both, every one as written (the table's
  header and six rows, the lettered items, the appendix's bullets);
- identity: key tsar-written-2026, identifier None (none of the six cited
  references borrowed, "NSAB SAR 2022/03" in Theme 4 nor the appendix's),
  board Northbrook Safeguarding Adults Board, year 2024, variant None, all
  right; sign-off 2024-04-18, publication 2024-06-01, right; learning event
  2023-10-11 (the first workshop, accepted); TYPE WRONG: SAR (right:
  thematic: the cover's "Thematic Safeguarding Adults Review", "The deaths
  of six adults"), so the report is taken as a single-case review: its
  dates read from the body, index incident 2023-03-01 from the Markdown and
  2022-02-01 from the PDF, period 2021-08-01 to 2023-03-01 (the
  introduction's "Between August 2021 and March 2023 six adults ... died"),
  all WRONG (right: none; referral None, right); and auto-coding held at
  the single-case threshold (0.49), not the general 0.69;
- recommendations: R1-R8 all found, every recommendation passage read, 11
  records numbered R1, R2, R3a-R3c, R4, R5, R6a, R6b, R7, R8, each lettered
  item a record completed by its lead-in, all to Northbrook Safeguarding
  Adults Board (right); 4 EXTRA records, numbered "1"-"4", from four "What
  needs to improve" paragraphs: "Capacity assessments for people who
  self-neglect ... should be specific to the decision ..." ([]), "The
  self-neglect procedures need to be used routinely ..." ([]), "The
  national analysis of SARs 2019-2023 found that hospital discharge ...
  needs to start at admission ..." ([]), "The Recovery Partnership and
  adult social care need to agree ..." (['Recovery Partnership', 'adult
  social care']); not the appendix, the general lead-in or "It would have
  been good practice";
- auto-coding as applied (0.49; the printout's "threshold 0.49" is the one
  applied here, the type being SAR): Markdown 15 suggestions, 14 of the 21
  practice passages, precision 0.93, recall 0.67; PDF 17, 16 of 21,
  precision 0.94, recall 0.76. Wrong (1, both): "Practitioners at the
  workshops said that they felt under pressure to respect people's choices
  ..." (Positive working relationships, 0.58). Missed: all six vignettes
  from the Markdown (A 0.08, B 0.24, C 0.06, D 0.03, E 0.25, F 0.02), four
  from the PDF (A 0.38, C 0.31, D 0.18, F 0.12; B 0.70 and E 0.71 found),
  and the mixed paragraph "In Adult D's case the adult social care duty
  team visited within two days ..." (0.25, both). Every "Good practice we
  saw" paragraph (12), "It would have been good practice" (Suggested good
  practice 1.00), the change since Adult B's review (Learning from past
  reviews 0.99) and the conclusions' restatement (0.66) found. Nothing on
  the cover, a heading, the methodology or its table, a research citation,
  the concession, a "What needs to improve" statement, a recommendation, a
  lead-in or the appendix; near misses: "Adult B was discharged fourteen
  times" (0.45), from the PDF the families' words (0.41);
- AT THE GENERAL THRESHOLD (0.69, the suggestions' own confidences; the
  brief's figure for a report that is not single-case): Markdown 13
  suggestions, 13 of 21, precision 1.00, recall 0.62; PDF 15 of 21,
  precision 1.00, recall 0.71 (the workshop paragraph, 0.58, and the
  conclusions' restatement, 0.66, drop out);
- themes, as applied: the same theme on 12 of 14 (0.86) from the Markdown,
  13 of 16 (0.81) from the PDF; the same sub-theme on 11 of 14, 12 of 16. At
  0.69: 11 of 13 (0.85), 12 of 15 (0.80). Themes that differ: the hostel
  worker's records -> Risk assessment 0.97 (Record keeping), the Blue Light
  training -> Learning from past reviews 0.94 (Support and training for
  practitioners), from the PDF Adult E's vignette -> Risk assessment 0.71
  (Multi-agency working); within the theme: the ward's same-day summary and
  call -> Multi-agency working 0.99 (Effective communication).

After the first reading only this module changed, not the document or the
labels: the xfails for what storfa got wrong, the tests that found a fault
split from what held (the judged bar by reading, the PDF's two vignettes
found, the workshop paragraph from the other "What we found" and research
ones), and two slips of the module's own put right: the test of records in
the findings looked for them by `in_section`, which from the PDF (headings
without depth) found none of the findings' paragraphs and so passed there,
now `between` the findings' and conclusions' headings; and the threshold
test compared the suggestions with the confidences at threshold 0, which
differ for the conclusions' restatement (0.66 suggested, 0.93 at 0), now
the suggestions' own confidences only. Added from the same reading: the
judged bar at the general threshold. On the frozen tree (05:44:50) and from
/work/main with its own src/ (05:45:02, HEAD 306f4c9 too) the module gave
the same: 71 passed, 7 skipped, 22 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storfa.domain.reviews import is_single_case
from written import (
    PRECISION_FLOOR,
    RECALL_FLOOR,
    Read,
    all_suggested,
    between,
    finds_the_recommendations,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
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
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-tsar"
DOCUMENT = DATA / "tsar-written-2026.md"
BOARD = "Northbrook Safeguarding Adults Board"
# The general auto-coding threshold, for thematic and other reports
# (docs/classifier.md); the single-case one is lower.
GENERAL = 0.69
RECOMMENDATIONS = tuple(f"R{n}. " for n in range(1, 9))
NUMBERS = [str(n) for n in range(1, 9)]
# The lettered items under R3 and R6, by their openings.
LETTERED = {
    "3": ("capacity assessments for people", "practitioners know how",
          "an audit of capacity assessments"),
    "6": ("agree a joint protocol", "ensure that the Recovery Partnership"),
}
# The six cases' references, cited in the appendix (and one in Theme 4).
CITED = ("SAR2022-05", "SAR2022-03", "SAR2023-02", "SAR2022-14", "SAR2023-06", "SAR2022-09")
VIGNETTES = ("Adult A was a 58-year-old", "Adult B was a 47-year-old",
             "Adult C was a 71-year-old", "Adult D was a 63-year-old",
             "Adult E was a 39-year-old", "Adult F was a 52-year-old")
FINDINGS = "3. Findings"
CONCLUSIONS = "4. Conclusions"
RECS = "5. Recommendations"
APPENDIX = "Appendix: The six cases"


_RECALL = (
    "recall 0.67 (14 of 21) from the Markdown at the 0.49 applied, precision 0.93: all six "
    "vignettes missed (A 0.08, B 0.24, C 0.06, D 0.03, E 0.25, F 0.02) and the mixed "
    "paragraph on Adult D's duty team (0.25); the PDF holds it (0.94, 0.76)")
_RECALL_GENERAL = (
    "recall 0.62 (13 of 21) from the Markdown at the general 0.69, precision 1.00: the six "
    "vignettes (0.02-0.25), the mixed paragraph (0.25) and the conclusions' restatement "
    "(0.66) missed; the PDF holds it (1.00, 0.71)")
_THEMES = (
    "themes differ, both readings: the hostel worker's records -> Risk assessment 0.97 "
    "(Record keeping), the Blue Light training -> Learning from past reviews 0.94 (Support "
    "and training for practitioners); from the PDF also Adult E's vignette -> Risk "
    "assessment 0.71 (Multi-agency working)")
_VIGNETTES = (
    "the vignettes are missed: from the Markdown all six (A 0.08, B 0.24, C 0.06, D 0.03, E "
    "0.25, F 0.02), from the PDF four (A 0.38, C 0.31, D 0.18, F 0.12; B 0.70 and E 0.71 "
    "found): each is facts with one piece of good practice (a housing officer's monthly "
    "visits 'including on the many occasions when he would not open the door', a fire crew's "
    "same-day safeguarding referral, a GP's fortnightly calls ...)")
_MIXED = (
    "'In Adult D's case the adult social care duty team visited within two days of the fire "
    "service's referral and convened a multi-agency meeting within a fortnight, which is what "
    "the procedures expect. But ...' is not suggested (0.25), both readings: practice "
    "presented as meeting the procedures, then criticism")


read = reading(DOCUMENT, DATA / "tsar-written-2026.tsv", "written-tsar")


def _cover(read: Read) -> set[int]:
    return set(range(heading_at(read, "1. Introduction and scope")))


def _number(number: str) -> str:
    """A record's number as the report's: "R3", "3", "3a", "R3(a)" -> "3"."""
    found = re.search(r"\d+", number)
    return found.group(0) if found else number


def _records_of(read: Read, n: str) -> list:
    return [r for r in labelled_records(read) if _number(r.number) == n]


def _sub_headed(read: Read, heading: str) -> set[int]:
    """The paragraphs under every sub-heading reading `heading`, to the next heading."""
    out: set[int] = set()
    marks = sorted(headings(read))
    for seq in marks:
        if read.text(seq) == heading:
            after = next((m for m in marks if m > seq), len(read.passages))
            out |= set(range(seq + 1, after))
    return out


def _held_at(read: Read, threshold: float) -> tuple[float, float]:
    """(precision, recall) had the suggestions been held at `threshold`, by
    their own confidences (those at threshold 0 differ for some passages)."""
    gold = read.seqs("practice")
    predicted = {s for s, codes in read.suggested.items() if codes[0][1] >= threshold}
    hits = predicted & gold
    print(f"\n[{read.source}] at {threshold:.2f}: {len(predicted)} suggestions, {len(hits)} of "
          f"{len(gold)}; missed {sorted(gold - predicted)}, wrong {sorted(predicted - gold)}")
    return len(hits) / max(1, len(predicted)), len(hits) / max(1, len(gold))


def _at(read: Read, threshold: float) -> tuple[float, float, set[int], set[int]]:
    """(precision, recall, wrong, missed) had suggestions been held at
    `threshold`, from the confidences of the same reading."""
    gold = read.seqs("practice")
    predicted = {s for s, c in read.confidence.items() if c >= threshold}
    hits = predicted & gold
    return (len(hits) / max(1, len(predicted)), len(hits) / max(1, len(gold)),
            predicted - gold, gold - predicted)


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 109, 21, 13, 75)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_each_vignette_is_a_passage_of_its_own(read: Read) -> None:
    seqs = opened_by(read, *VIGNETTES)
    assert seqs <= read.seqs("practice")


def test_the_four_themes_each_have_their_three_sub_headings(read: Read) -> None:
    for sub in ("What we found", "Good practice we saw", "What needs to improve"):
        found = [p.seq for p in read.passages if p.kind == "heading" and read.text(p.seq) == sub]
        assert len(found) == 4, (sub, found)


# ------------------------------------------------------------------- identity
# First reading, since fixed: type SAR, both readings; right: thematic: the cover's
# 'Thematic Safeguarding Adults Review: self-neglect and alcohol' and 'The deaths of six
# adults in Northbrook, 2021 to 2023', six vignettes 'Adult A' to 'Adult F', findings by
# theme across the cases
def test_a_thematic_review_is_typed_thematic(read: Read) -> None:
    identity(read, type="thematic")


# First reading, since fixed: typed SAR, both readings, so taken as a single-case review
# (its dates read from the body, auto-coding held at the single-case 0.49); a thematic
# review of six deaths is not single-case
def test_a_thematic_review_is_not_single_case(read: Read) -> None:
    assert not is_single_case(read.summary.type), read.summary.type


def test_no_identifier_is_borrowed_from_the_cases_it_cites(read: Read) -> None:
    # "NSAB SAR 2022/03 (Adult B)" and the five others are the six cases'
    # references, not this report's.
    assert read.summary.identifier is None, read.summary.identifier
    assert read.summary.review_id == DOCUMENT.stem, read.summary.review_id


def test_no_cited_reference_is_the_key(read: Read) -> None:
    key = read.summary.review_id or ""
    assert not any(c in key for c in CITED), key


def test_the_board_is_the_one_on_the_cover(read: Read) -> None:
    identity(read, board=BOARD)


def test_the_year_is_the_publications(read: Read) -> None:
    identity(read, year=2024)


def test_no_variant(read: Read) -> None:
    # Six people: no variant (ReviewSummary holds no age band or gender).
    identity(read, variant=None)


def test_no_referral(read: Read) -> None:
    assert read.summary.dates.get("referral") is None, read.summary.dates


# First reading, since fixed: index incident 2023-03-01 from the Markdown, 2022-02-01
# from the PDF, period 2021-08-01 to 2023-03-01 (the introduction's 'Between August 2021
# and March 2023 six adults ... died'), read as a single case's because the type is SAR;
# right: none (six deaths, six referrals, a period per person); referral None, right
def test_no_index_incident_referral_or_period(read: Read) -> None:
    dates = read.summary.dates
    found = {k: dates.get(k) for k in ("index_incident", "referral", "period_start",
                                       "period_end")}
    assert found == dict.fromkeys(found), found


def test_the_learning_event_is_none_or_the_first_workshop(read: Read) -> None:
    assert read.summary.dates.get("learning_event") in (None, "2023-10-11"), read.summary.dates


def test_the_sign_off_is_the_boards_acceptance(read: Read) -> None:
    # "Final report accepted by the Board: 18 April 2024" on the cover.
    assert read.summary.dates.get("sign_off") == "2024-04-18", read.summary.dates


def test_the_publication_is_the_covers_month(read: Read) -> None:
    # "Published June 2024".
    assert read.summary.dates.get("publication") == "2024-06-01", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, _number)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_eight(read: Read) -> None:
    print_register(read)
    numbers = sorted({_number(r.number) for r in labelled_records(read)}, key=int)
    assert numbers == NUMBERS, [r.number for r in labelled_records(read)]


def test_each_lettered_item_is_read_with_its_lead_in(read: Read) -> None:
    # One record holding the items, or one per item completed by its lead-in:
    # either way each item's words are in a record with the lead-in's.
    for n, items in LETTERED.items():
        records = _records_of(read, n)
        assert records, n
        for item in items:
            holding = [r for r in records if item in r.text]
            assert holding and all("The Board should" in r.text for r in holding), \
                (n, item, [r.text for r in records])


# First reading, since fixed: 4 extra records, both readings, numbered '1'-'4', from
# four 'What needs to improve' paragraphs: 'Capacity assessments for people who self-
# neglect ... should be specific to the decision ...' ([]), 'The self-neglect procedures
# need to be used routinely ...' ([]), 'The national analysis of SARs 2019-2023 found
# that hospital discharge ... needs to start at admission ...' ([]), 'The Recovery
# Partnership and adult social care need to agree ...' (['Recovery Partnership', 'adult
# social care']); right: none, the findings' learning is not the eight recommendations
# R1-R8
def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a "What needs to improve" should-statement, not "It would have been
    # good practice", not the general lead-in, not the appendix.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_introduction_the_conclusions_or_the_appendix(read: Read
                                                                         ) -> None:
    # By heading text: a PDF's headings have no depth.
    for what, seqs in (("introduction", between(read, "1. Introduction and scope", FINDINGS)),
                       ("conclusions", between(read, CONCLUSIONS, RECS)),
                       ("appendix", set(range(heading_at(read, APPENDIX), len(read.passages))))):
        assert seqs, what
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_no_record_from_the_good_practice_or_what_we_found(read: Read) -> None:
    seqs = _sub_headed(read, "Good practice we saw") | _sub_headed(read, "What we found")
    assert len(seqs) == 26
    wrong = sorted(read.covered & seqs)
    assert not wrong, [read.text(s)[:50] for s in wrong]


# First reading, since fixed: 4 extra records, both readings, numbered '1'-'4', from
# four 'What needs to improve' paragraphs: 'Capacity assessments for people who self-
# neglect ... should be specific to the decision ...' ([]), 'The self-neglect procedures
# need to be used routinely ...' ([]), 'The national analysis of SARs 2019-2023 found
# that hospital discharge ... needs to start at admission ...' ([]), 'The Recovery
# Partnership and adult social care need to agree ...' (['Recovery Partnership', 'adult
# social care']); right: none, the findings' learning is not the eight recommendations
# R1-R8
def test_no_record_from_the_findings(read: Read) -> None:
    findings = between(read, FINDINGS, CONCLUSIONS)
    assert len(findings) == 50
    wrong = sorted(read.covered & findings)
    assert not wrong, [read.text(s)[:50] for s in wrong]


def test_every_recommendation_is_the_boards(read: Read) -> None:
    # All eight are "The Board should ..." (R2, R3 seek assurance from, R5, R6
    # ask, other agencies: still the Board's to act on).
    found = {r.number: r.agencies for r in labelled_records(read)}
    assert found and all(a and a[0] == BOARD for a in found.values()), found


# ---------------------------------------------------------------- auto-coding
# First reading, since fixed: suggestions held at the single-case 0.49, both readings,
# since the type is SAR: the workshop paragraph at 0.58 and the conclusions' restatement
# at 0.66 are suggested; right: the general 0.69 for a thematic report
def test_auto_coding_is_held_at_the_general_threshold(read: Read) -> None:
    found = [c for codes in read.suggested.values() for _, c in codes]
    assert found and min(found) >= GENERAL, sorted(found)[:3]


def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_judged_bar(read)


@pytest.mark.xfail(strict=True, reason=_RECALL)
def test_auto_coding_holds_the_judged_bar_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    holds_the_judged_bar(read)


def test_at_the_general_threshold_auto_coding_holds_the_floors(read: Read) -> None:
    precision, recall = _held_at(read, GENERAL)
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, (precision, recall)


def test_at_the_general_threshold_the_pdf_holds_the_judged_bar(read: Read) -> None:
    only(read, "pdf")
    precision, recall = _held_at(read, GENERAL)
    assert precision >= 0.70 and recall >= 0.70, (precision, recall)


@pytest.mark.xfail(strict=True, reason=_RECALL_GENERAL)
def test_at_the_general_threshold_the_markdown_holds_the_judged_bar(read: Read) -> None:
    only(read, "markdown")
    precision, recall = _held_at(read, GENERAL)
    assert precision >= 0.70 and recall >= 0.70, (precision, recall)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_at_the_single_case_threshold(read: Read) -> None:
    """Printed only: what the single-case threshold gives (the one applied,
    the type being SAR), from the confidences at threshold 0."""
    precision, recall, wrong, missed = _at(read, read.threshold)
    print(f"\n[{read.source}] at {read.threshold:.2f}: precision {precision:.2f} "
          f"recall {recall:.2f} (floors {PRECISION_FLOOR}, {RECALL_FLOOR})")
    for seq in sorted(wrong):
        print(f"  would be suggested, not practice: {seq} ({read.confidence[seq]:.2f}) "
              f"{read.text(seq)[:70]}")
    for seq in sorted(missed):
        print(f"  practice, still missed: {seq} ({read.confidence.get(seq, 0.0):.2f}) "
              f"{read.text(seq)[:70]}")


def test_auto_coding_never_suggests_what_the_layout_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "methodology and its table": in_section(read, "2. Methodology"),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
        "appendix": in_section(read, "Appendix"),
    })


def test_auto_coding_does_not_suggest_the_introductions_other_paragraphs(read: Read) -> None:
    # The commissioning, the reasons and research, the scope, the families' words,
    # the period.
    opened_not_suggested(read, "Between August 2021", "The Board chose a thematic",
                         "This report does not re-tell", "The families of four",
                         "The review looked at agencies")


@pytest.mark.xfail(strict=True, reason=_VIGNETTES)
def test_auto_coding_finds_the_six_vignettes(read: Read) -> None:
    opened_suggested(read, *VIGNETTES)


def test_auto_coding_finds_the_vignettes_of_adults_b_and_e_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_suggested(read, "Adult B was a 47-year-old", "Adult E was a 39-year-old")


def test_auto_coding_finds_the_good_practice_we_saw(read: Read) -> None:
    good = _sub_headed(read, "Good practice we saw")
    assert len(good) == 12 and good <= read.seqs("practice")
    all_suggested(read, good)


def test_auto_coding_does_not_suggest_what_we_found_but_the_mixed_paragraph(read: Read
                                                                            ) -> None:
    # All but the workshop paragraph (its own xfail).
    found = _sub_headed(read, "What we found")
    (mixed,) = opened_by(read, "In Adult D's case the adult social care")
    (workshop,) = opened_by(read, "Practitioners at the workshops said that they")
    assert len(found) == 14 and found - {mixed} <= read.seqs("other")
    wrong = sorted((found - {mixed, workshop}) & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


# First reading, since fixed: 'Practitioners at the workshops said that they felt under
# pressure to respect people's choices, and that they were worried about being seen as
# paternalistic. The reviewer understands this. But ...' is suggested, both readings
# (Positive working relationships, 0.58, under the 0.69 a thematic report is held to):
# what practitioners said and a concession, no practice presented as good
def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "Practitioners at the workshops said that they")


@pytest.mark.xfail(strict=True, reason=_MIXED)
def test_auto_coding_finds_the_mixed_paragraph(read: Read) -> None:
    # "... visited within two days ... within a fortnight, which is what the
    # procedures expect. But ..."
    opened_suggested(read, "In Adult D's case the adult social care")


def test_auto_coding_does_not_suggest_what_needs_to_improve(read: Read) -> None:
    improve = _sub_headed(read, "What needs to improve")
    (suggested_practice,) = opened_by(read, "It would have been good practice")
    rest = improve - {suggested_practice}
    assert len(rest) == 6 and rest <= read.seqs("other")
    wrong = sorted(rest & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_research_or_concessions(read: Read) -> None:
    opened_not_suggested(read, "Several of the six could explain",
                         "The national analysis of SARs 2019-2023 found",
                         "Alcohol Change UK's guidance", "The reviewer recognises")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_change_since_adult_bs_review(read: Read) -> None:
    opened_coded(read, "Since Adult B's review", "Learning from past reviews")


def test_auto_coding_finds_the_conclusions_restatement_only(read: Read) -> None:
    conclusions = between(read, CONCLUSIONS, RECS)
    (good,) = opened_by(read, "The review saw good practice in every one")
    assert conclusions == {good, good + 1}
    all_suggested(read, {good})
    assert good + 1 not in read.suggested, read.suggested.get(good + 1)
