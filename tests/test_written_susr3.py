"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a third Welsh
Single Unified Safeguarding Review, written SHORT and PLAIN as the new SUSR
guidance encourages, of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-susr3/susr3-written-2026.md` is a WRITTEN SUSR
(fictional: no real case or person) for the Mid and West Wales Safeguarding
Board about Child P, 4, scalded at home near Tregaron, Ceredigion, on 23
November 2024 when he pulled down a kettle while his mother slept after
drinking; neglect and both adults' alcohol misuse over the year before.
Where it differs from the two written SUSRs before it (`test_written_susr.py`,
numbered "1.0" sections with contents; `test_written_susr2.py`, the template's
numbered sections and KLOEs) and the others:

- a bare title page: the board's name in English and Welsh ("Bwrdd Diogelu
  Canolbarth a Gorllewin Cymru"), the one level-1 heading "Single Unified
  Safeguarding Review: Child P", "SUSR2025-02/MWW" alone on a line,
  "Reviewers: ...", "Approved by the Board: 9 September 2025", "Published:
  7 October 2025", a line saying this is a short report; no contents, no
  paragraph numbers anywhere;
- "Summary" (seven short paragraphs, one naming the good practice, "We also
  saw good practice. The health visitor kept going back ..."); "The review
  process" (the referral to the Case Review Group 5 December 2024, "We
  looked at what agencies did from 1 November 2023 to 23 November 2024",
  the learning event 14 May 2025, the grandmother's words); "What happened"
  (twelve paragraphs of plain narrative with dates);
- "What we learned": a lead-in and five headed themes ("### 1. Seeing the
  children behind a parent's drinking" ... "### 5. When P was hurt"), every
  paragraph in the first person plural: "We found that ..." (nine: poor
  practice and gaps), "We heard from practitioners that ..." (four: what
  made it hard, a concession "We agree. But ..."), "We saw good practice
  when/from/at/in ..." (five), practice stated through what was done (six:
  the recovery worker's rapport, the health visitor's supervision, the
  cylch's call to children's services "done promptly", the PPN "in line with
  Dyfed-Powys Police policy", the registrar's referral, the strategy
  discussion), "It would have been good practice ..." (one) and "This means
  that ... should ..." (two, the learning);
- "What needs to change" (NOT "Recommendations"): the lead-in "We make
  seven recommendations." and a numbered list 1-7, each "X should ...": 1,
  2 and 7 "The Board", 3-4 Ceredigion County Council, 5 Hywel Dda
  University Health Board, 6 Dyfed-Powys Police;
- "What has already changed": a lead-in ending in a colon and five bullets,
  one per agency's change, the last the cylch's record used in the Board's
  training; no glossary, no statement, no appendix.

Its labels (`susr3-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 87 passages,
18 practice, 7 recommendation, 62 other. As the earlier modules: practice
where the reviewers present some practice as good, however implicitly; the
summary's naming of good practice with the code of its first example
(Persistency in care and support); "It would have been good practice ..."
Suggested good practice; the five changes already made Learning from past
reviews. Practice in the themes: the GP asking who was at home (Risk
assessment), the recovery worker's relationship (Positive working
relationships), the health visitor's persistence (Persistency) and her
supervision (Support and training for practitioners; borderline: told in
her words, as susr2's 6.18), the cylch's record (Record keeping) and its
call (Escalating concerns), the police's PPN (Adhering to policy and
procedure), the triage nurse (Risk assessment), the registrar's referral
(Escalating concerns), the strategy discussion (Multi-agency working), the
social worker speaking with P in Welsh (Effective communication). Other:
the title page, every heading, the rest of the summary, the review process
and the grandmother's words, what happened, the themes' lead-in, every "We
found", "We heard" and "This means", the lead-ins.

What a user would expect of its identity, decided before the reading: type
SUSR, variant None, board Mid and West Wales, identifier SUSR2025-02/MWW,
year 2025; dates: index incident 2024-11-23, referral 2024-12-05, learning
event 2025-05-14, period 2023-11-01 to 2024-11-23, sign-off 2025-09-09 (the
Board's approval), publication 2025-10-07.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt13
as it was, HEAD fb28f56; STORFA_INT8=u8; by the machine's clock the session
began about 00:18, the document was drafted 00:19-00:20:55, segmented
00:20:57, the labels written 00:21:04 and copied into tests/data with the
document in one `cp` 00:21:07, this module written before any reading,
storfa first run 00:21:46-00:22:14), the same from the Markdown and from the
PDF in every figure:

- segmentation: 87 passages from both, every one as the Markdown wrote it;
- identity: key and identifier SUSR2025-02/MWW, type SUSR, variant None,
  board Mid and West Wales, year 2025, all right; dates: index incident
  2024-11-23, referral 2024-12-05, learning event 2025-05-14, sign-off
  2025-09-09, publication 2025-10-07, all right; period None, WRONG (right
  2023-11-01 to 2024-11-23: "We looked at what agencies did from 1 November
  2023 to 23 November 2024, about a year before P was hurt.");
- recommendations: 0 RECORDS, none of the 7 found, from both readings: the
  heading "What needs to change" is not read as a recommendations section
  (recommendations.rules knows "Recommendations", "Improving systems", "What
  needs to improve", "Areas for improvement", "What next", "Next steps"),
  nor does the lead-in "We make seven recommendations." open one, so the
  numbered "X should ..." items are not taken; no addressee or numbering to
  judge (the tests of nothing extra hold only vacuously);
- auto-coding at the single-case threshold (0.49 as reported): 24
  suggestions, 16 of the 18 practice passages, precision 0.67, recall 0.89;
  the same sub-theme as the label on 12 of 16 (0.75), the same theme on 12
  of 16 (0.75). Wrong (8), all in "What we learned": four "We found"
  paragraphs, "... agencies knew P's mother was drinking heavily ... most of
  their work was about her drinking and not about the children" (Escalating
  concerns 0.80), "... the DDAS assessment asked whether there were children
  ... but this did not lead to any contact" (Risk assessment 0.51), "... the
  call was treated as a request for advice" (Consistent and persistent
  communication 0.88), "... P's GP practice was not invited to the strategy
  discussion" (Learning from past reviews 0.55); two "We heard", "...
  early help is voluntary ... We agree. But ..." (Consistent care and
  support 0.59) and "... a PPN about a child is sent to the health board
  ... only when ... medium or high risk" (Adhering to policy and procedure
  0.51); both "This means that ... should ...", the adult services' (Effective
  communication 0.70) and the neglect tool's (Learning from past reviews
  0.77). Missed (2): the police's PPN "in line with Dyfed-Powys Police
  policy" (0.30) and the change "With Mudiad Meithrin's agreement, the cylch
  meithrin's record of P's days has been used ... in the Board's neglect
  training" (0.35). Sub-themes that differ (each in another theme): the GP
  asking who was at home -> Consistent care and support (0.91; Risk
  assessment), the triage nurse -> Consistent care and support (0.91; Risk
  assessment), the cylch's call -> Record keeping (0.65; Escalating
  concerns), the registrar's referral -> Adhering to policy and procedure
  (0.95; Escalating concerns). Right: all five "We saw good practice", the
  summary's good practice (0.96), "It would have been good practice" as
  Suggested good practice (1.00), four of five changes as Learning from
  past reviews (0.93-1.00). Nothing suggested on the title page, headings,
  summary's account, review process, what happened, the recommendations or
  the lead-ins; five of nine "We found" and two of four "We heard" not
  suggested.

After the first reading only this module changed, not the document or the
labels: each failing test was marked strict xfail with what storfa gave; a
test of the theme of every suggestion on practice was added (the four that
differ); the test of the changes' sub-theme was split, the missed change
left to the test that every change is found. One fault was mine and fixed:
the count of the themes' paragraphs, 28, counted the lead-in of "What we
learned", which is under no theme; 27. On the frozen tree (00:23:13) and
from /work/main with the normal path (00:23:34) the module then gave 54
passed, 4 skipped, 28 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    lead_ins,
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

DATA = Path(__file__).resolve().parent / "data" / "written-susr3"
DOCUMENT = DATA / "susr3-written-2026.md"
IDENTIFIER = "SUSR2025-02/MWW"
BOARD = "Mid and West Wales Safeguarding Board"
RECOMMENDATIONS = (
    "1. The Board should make sure that its neglect toolkit",
    "2. The Board should seek assurance from its partners",
    "3. Ceredigion County Council should make sure that, when a family",
    "4. Ceredigion County Council should make sure that a call",
    "5. Hywel Dda University Health Board should make sure",
    "6. Dyfed-Powys Police should share every PPN",
    "7. The Board should produce a short briefing",
)
AGENCIES = {
    "3": ["Ceredigion County Council"],
    "4": ["Ceredigion County Council"],
    "5": ["Hywel Dda University Health Board"],
    "6": ["Dyfed-Powys Police"],
}
BOARDS_OWN = ("1", "2", "7")  # "The Board should ..."
LEARNED = "What we learned"
THEMES = (
    "1. Seeing the children behind a parent's drinking",
    "2. Families who say no to early help",
    "3. Neglect that builds up slowly",
    "4. What the police saw in July 2024",
    "5. When P was hurt",
)
CHANGED = "What has already changed"


_NO_RECORDS = (
    "no record at all, both readings: the heading 'What needs to change' is not read as a "
    "recommendations section (storfa knows 'Recommendations', 'Improving systems', 'What "
    "needs to improve', 'Areas for improvement', 'What next', 'Next steps') and the lead-in "
    "'We make seven recommendations.' does not open one, so the numbered items '1. The "
    "Board should ...' ... '7. The Board should ...' are not taken; right: 7 records")
_PRECISION = (
    "precision 0.67 (16 of 24) at threshold 0.49, floor 0.80, both readings: suggested four "
    "'We found that ...' paragraphs (0.51-0.88), two 'We heard ...' (0.59, 0.51) and both "
    "'This means that ... should ...' (0.70, 0.77), all in 'What we learned'")
_THEMES = (
    "the GP asking who was at home -> Consistent care and support (0.91; labelled Risk "
    "assessment), the triage nurse's questions -> Consistent care and support (0.91; Risk "
    "assessment), the cylch's call to children's services -> Record keeping (0.65; "
    "Escalating concerns), the registrar's safeguarding referral -> Adhering to policy and "
    "procedure (0.95; Escalating concerns), both readings")


read = reading(DOCUMENT, DATA / "susr3-written-2026.tsv", "written-susr3")


def _under(read: Read, *names: str) -> set[int]:
    """The passages whose nearest heading above is one of `names` (a PDF's
    headings have no depth)."""
    found, current = set(), None
    for p in read.passages:
        if p.kind == "heading":
            current = p.text
        elif current in names:
            found.add(p.seq)
    return found


def _learned(read: Read) -> set[int]:
    """The paragraphs of the five themes, their lead-in aside."""
    return _under(read, *THEMES)


def _learned_opening(read: Read, opening: str) -> set[int]:
    return {s for s in _learned(read) if read.text(s).startswith(opening)}


def _title_page(read: Read) -> set[int]:
    # No contents: the title page runs to the summary.
    return set(range(heading_at(read, "Summary")))


def _records(read: Read) -> dict[str, StoredRecommendation]:
    return {r.number.strip("()."): r for r in labelled_records(read)}


def _code(read: Read, seq: int) -> str:
    return read.suggested.get(seq, [("-", 0.0)])[0][0]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 87, 18, 7, 62)


def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 87, 18, 7, 62)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_each_theme_is_a_heading_of_its_own(read: Read) -> None:
    assert all(heading_at(read, t) >= 0 for t in THEMES)
    assert len(_learned(read)) == 27


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_board_and_year(read: Read) -> None:
    identity(read, type="SUSR", variant=None, board="Mid and West Wales", year=2025)


def test_the_title_page_gives_the_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("SUSR", 2025, 2, "MWW"))


def test_the_index_incident_is_the_scalding(read: Read) -> None:
    # "badly scalded at home in Ceredigion on 23 November 2024" (the summary);
    # "On the evening of 23 November 2024 P pulled the kettle down" (what happened).
    assert read.summary.dates.get("index_incident") == "2024-11-23", read.summary.dates


def test_the_referral_is_the_case_review_groups(read: Read) -> None:
    # "referred his case to the Board's Case Review Group on 5 December 2024"
    # (the group met on 19 December 2024 and agreed the criteria were met).
    assert read.summary.dates.get("referral") == "2024-12-05", read.summary.dates


def test_the_learning_event(read: Read) -> None:
    # "We held a learning event on 14 May 2025."
    assert read.summary.dates.get("learning_event") == "2025-05-14", read.summary.dates


# First reading, since fixed: period None, both readings; right: 2023-11-01 to 2024-11-23, 'We
# looked at what agencies did from 1 November 2023 to 23 November 2024, about a year before P
# was hurt.' (the review process): the plain-English wording is not read as the period
def test_the_period_under_review(read: Read) -> None:
    # "We looked at what agencies did from 1 November 2023 to 23 November 2024".
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-11-01", "2024-11-23"), dates


def test_the_boards_approval(read: Read) -> None:
    # "Approved by the Board: 9 September 2025" on the title page.
    assert read.summary.dates.get("sign_off") == "2025-09-09", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Published: 7 October 2025" on the title page.
    assert read.summary.dates.get("publication") == "2025-10-07", read.summary.dates


# ------------------------------------------------------------ recommendations
# First reading, since fixed: no record at all, both readings: the heading 'What needs to
# change' is not read as a recommendations section (storfa knows 'Recommendations', 'Improving
# systems', 'What needs to improve', 'Areas for improvement', 'What next', 'Next steps') and
# the lead-in 'We make seven recommendations.' does not open one, so the numbered items '1.
# The Board should ...' ... '7. The Board should ...' are not taken; right: 7 records
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


# First reading, since fixed: no record at all, both readings: the heading 'What needs to
# change' is not read as a recommendations section (storfa knows 'Recommendations', 'Improving
# systems', 'What needs to improve', 'Areas for improvement', 'What next', 'Next steps') and
# the lead-in 'We make seven recommendations.' does not open one, so the numbered items '1.
# The Board should ...' ... '7. The Board should ...' are not taken; right: 7 records
def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    print_register(read)
    assert [r.number.strip("().") for r in labelled_records(read)] == \
        [str(n) for n in range(1, 8)]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Holds only vacuously at the first reading: nothing is recorded at all.
    # Not the lead-in, a "This means that ... should" paragraph, "It would have
    # been good practice ...", or a bullet of what has already changed.
    records_beyond_the_labels(read, 0)


def test_no_record_from_what_we_learned_or_what_has_changed(read: Read) -> None:
    # Holds only vacuously at the first reading: nothing is recorded at all.
    zone = set(range(heading_at(read, LEARNED), heading_at(read, "What needs to change")))
    zone |= set(range(heading_at(read, CHANGED), len(read.passages)))
    assert not read.covered & zone, [read.text(s)[:60] for s in sorted(read.covered & zone)]


# First reading, since fixed: no record at all, both readings: the heading 'What needs to
# change' is not read as a recommendations section (storfa knows 'Recommendations', 'Improving
# systems', 'What needs to improve', 'Areas for improvement', 'What next', 'Next steps') and
# the lead-in 'We make seven recommendations.' does not open one, so the numbered items '1.
# The Board should ...' ... '7. The Board should ...' are not taken; right: 7 records
def test_each_agency_recommendation_names_its_agency(read: Read) -> None:
    found = {n: r.agencies for n, r in _records(read).items()}
    print(f"\n[{read.source}] agencies {found}")
    assert {n: found.get(n) for n in AGENCIES} == AGENCIES, found


# First reading, since fixed: no record at all, both readings: the heading 'What needs to
# change' is not read as a recommendations section (storfa knows 'Recommendations', 'Improving
# systems', 'What needs to improve', 'Areas for improvement', 'What next', 'Next steps') and
# the lead-in 'We make seven recommendations.' does not open one, so the numbered items '1.
# The Board should ...' ... '7. The Board should ...' are not taken; right: 7 records
def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "The Board should ...": the review's own board; 2 seeks assurance from its
    # partners, 7 shares a briefing with Mudiad Meithrin.
    found = {n: r.agencies for n, r in _records(read).items()}
    assert all(found.get(n) == [BOARD] for n in BOARDS_OWN), found


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=_PRECISION)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.89 (16 of 18) on the first reading, both readings.
    holds_the_floors(read, precision=None)


@pytest.mark.xfail(strict=True, reason=_PRECISION + "; recall 0.89")
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    # 12 of 16 (0.75) on the first reading, both readings.
    themes_agree(read)


def test_the_sub_theme_agrees_with_the_label(read: Read) -> None:
    # 12 of 16 (0.75) on the first reading, both readings; the bar (0.7) is this module's.
    same_code, _, hits = theme_agreement(read)
    assert hits and same_code / hits >= 0.7, (same_code, hits)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": _title_page(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read) | {heading_at(read, "What needs to change") + 1},
    })


def test_auto_coding_never_suggests_the_review_process(read: Read) -> None:
    # The referral, the period, the learning event, the grandmother's words.
    process = _under(read, "The review process")
    assert process <= read.seqs("other") and len(process) == 7
    never_suggested(read, {"review process": process})


def test_auto_coding_never_suggests_what_happened(read: Read) -> None:
    # Plain facts, though some are the practice the themes praise.
    facts = _under(read, "What happened")
    assert facts <= read.seqs("other") and len(facts) == 12
    never_suggested(read, {"what happened": facts})


def test_auto_coding_never_suggests_the_summarys_account(read: Read) -> None:
    account = _under(read, "Summary") - read.seqs("practice")
    assert len(account) == 6
    never_suggested(read, {"summary's account": account})


def test_auto_coding_finds_the_summarys_good_practice(read: Read) -> None:
    (named,) = opened_by(read, "We also saw good practice.")
    assert named in read.seqs("practice")
    all_suggested(read, {named})


@pytest.mark.xfail(strict=True, reason=(
    "four of nine are suggested, both readings: 'We found that agencies knew P's mother was "
    "drinking heavily ... most of their work was about her drinking and not about the "
    "children' (Escalating concerns 0.80), '... the DDAS assessment asked whether there "
    "were children ... but this did not lead to any contact' (Risk assessment 0.51), '... "
    "the call was treated as a request for advice' (Consistent and persistent communication "
    "0.88), '... P's GP practice was not invited to the strategy discussion' (Learning from "
    "past reviews 0.55): the gaps the review found, not practice it praised"))
def test_auto_coding_does_not_suggest_what_we_found(read: Read) -> None:
    # "We found that ...": the poor practice and the gaps.
    found = _learned_opening(read, "We found")
    assert found <= read.seqs("other") and len(found) == 9
    wrong = sorted(found & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "two of four are suggested, both readings: 'We heard from practitioners that early help "
    "is voluntary ... We agree. But ...' (Consistent care and support 0.59) and 'We heard "
    "from the police that a PPN about a child is sent to the health board's safeguarding "
    "team only when ... graded medium or high risk' (Adhering to policy and procedure "
    "0.51): what practitioners said made it hard, and a gap in a procedure"))
def test_auto_coding_does_not_suggest_what_we_heard(read: Read) -> None:
    # "We heard from practitioners that ...": what made it hard, a concession.
    heard = _learned_opening(read, "We heard")
    assert heard <= read.seqs("other") and len(heard) == 4
    wrong = sorted(heard & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "both are suggested, both readings: 'This means that services working with adults need "
    "to ask, at every contact, who else lives in the house ...' (Effective communication "
    "0.70) and 'This means that practitioners who are worried about neglect should use a "
    "tool ...' (Learning from past reviews 0.77): the learning, what practitioners should "
    "do, not practice the review saw"))
def test_auto_coding_never_suggests_what_this_means(read: Read) -> None:
    means = _learned_opening(read, "This means that")
    assert means <= read.seqs("other") and len(means) == 2
    never_suggested(read, {"learning": means})


def test_auto_coding_finds_what_we_saw_as_good_practice(read: Read) -> None:
    # "We saw good practice when/from/at/in ...".
    saw = _learned_opening(read, "We saw good practice")
    assert saw <= read.seqs("practice") and len(saw) == 5
    all_suggested(read, saw)


@pytest.mark.xfail(strict=True, reason=(
    "'When officers attended the argument on 20 July 2024 they went upstairs to check that "
    "both children were safe ... submitted a PPN the same night, in line with Dyfed-Powys "
    "Police policy.' is missed (0.30), both readings; the other five are found (0.65-0.99)"))
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # Praise without the words "good practice": the rapport, the supervision,
    # the cylch's call, the PPN "in line with policy", the registrar's referral,
    # the strategy discussion.
    done = opened_by(read, "The DDAS recovery worker built", "The health visitor had monthly",
                     "On 3 July 2024 the cylch leader", "When officers attended the argument",
                     "The paediatric registrar made", "A strategy discussion was held")
    assert done <= read.seqs("practice")
    all_suggested(read, done)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (said,) = opened_by(read, "It would have been good practice")
    assert _code(read, said) == "Suggested good practice", read.suggested.get(said)


@pytest.mark.xfail(strict=True, reason=(
    "'With Mudiad Meithrin's agreement, the cylch meithrin's record of P's days has been "
    "used, anonymised, as an example in the Board's neglect training.' is missed (0.35), "
    "both readings; the other four changes are found (0.93-1.00)"))
def test_auto_coding_finds_every_change_already_made(read: Read) -> None:
    changes = _under(read, CHANGED) - lead_ins(read)
    assert changes <= read.seqs("practice") and len(changes) == 5
    all_suggested(read, changes)


def test_the_changes_already_made_are_learning(read: Read) -> None:
    # Those suggested; the one missed is its own test's.
    changes = sorted((_under(read, CHANGED) - lead_ins(read)) & read.suggested.keys())
    assert len(changes) >= 4
    codes = {read.text(s)[:40]: _code(read, s) for s in changes}
    assert set(codes.values()) == {"Learning from past reviews"}, codes


@pytest.mark.parametrize(("opening", "code"), [
    ("We saw good practice from the health visitor", "Persistency in care and support"),
    ("We saw good practice at the cylch meithrin", "Record keeping"),
    pytest.param("When officers attended the argument", "Adhering to policy and procedure",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "not suggested at all (0.30), both readings: the officers checking "
                     "the children and submitting a PPN 'in line with Dyfed-Powys Police "
                     "policy'"))),
    ("A strategy discussion was held", "Multi-agency working"),
    ("We saw good practice from the social worker", "Effective communication"),
])
def test_plain_praise_is_read_as_its_sub_theme(read: Read, opening: str, code: str) -> None:
    (seq,) = opened_by(read, opening)
    assert _code(read, seq) == code, read.suggested.get(seq)
