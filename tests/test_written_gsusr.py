"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round 10), on a
Welsh SINGLE UNIFIED SAFEGUARDING REVIEW for the Gwent Safeguarding Board
after the suicide of a 15-year-old, whose recommendations are a TABLE "No. |
Recommendation | Lead agency | Target date" whose target cells MIX calendar
dates with relative times and words that are no date.

`tests/data/written-gsusr/gsusr-written-2026.md` is a WRITTEN SUSR
(fictional: no real case or person), "SUSR2025-03/GW", commissioned by the
Gwent Safeguarding Board after the death of Ffion (a name her family chose),
15, who took her own life at home in the Caerphilly county borough on 3
November 2024. Fourteen months before: a falling-out with friends and an
altered image in a pupils' group chat treated as behaviour; a friend's
disclosure of self-harm passed to the school's designated safeguarding person
within the hour; a referral to children's services' Information, Advice and
Assistance closed with advice in five days; fourteen weekly sessions with a
school counsellor she trusted; a GP's thorough assessment and same-day
referral to the SPACE-Wellbeing panel, then fourteen weeks' wait for CAMHS;
an intimate image shared, recorded but referred nowhere; an overdose, a CAMHS
assessment within 24 hours and a well attended discharge meeting without
children's services; a care coordinator's persistent contact over the
summer; two police officers an hour with her on a footbridge over the A472
and a Public Protection Notice that night; no strategy discussion; a social
worker's four visits and an assessment closed to Families First 24 days
before she died. Where it differs from the written reviews before it (the
three written SUSRs, `test_written_susr2.py` the nearest, and the Gwent
TBCPR's recommendations table):

- the cover: "Gwent Safeguarding Board", "Bwrdd Diogelu Gwent", the one
  level-1 heading "Single Unified Safeguarding Review", "Report of the review
  into the death of Ffion, aged 15", the identifier "SUSR2025-03/GW" alone on
  a line, the two reviewers, "Final report agreed by the reviewers: 15
  September 2025", "Endorsed by the Gwent Safeguarding Board: 23 October
  2025", "Date of publication: 2 December 2025", the Welsh-version line;
  "Contents" a numbered list of the twelve sections;
- numbered sections, paragraphs numbered "1.1": "1. Introduction", "2.
  Circumstances leading to the review" (the death on 3 November 2024; Gwent
  Police's notification of 5 November and the PRUDiC meeting of 6 November;
  children's services' referral to the Board's Case Review Group on 14
  November 2024, the group's meeting of 28 November and the Independent
  Chair's agreement of 5 December), "3. Terms of reference and process" (the
  period 1 September 2023 - 3 November 2024 with its reason, a lead-in over
  FIVE BULLETED key lines of enquiry, the panel as a TABLE "Agency | Panel
  member" of six rows, the learning event of 18 March 2025, the family, the
  coroner);
- "4. Voice of the child": the reviewers' portrait, then FFION'S OWN WRITING
  quoted (a school English piece, four notebook entries, one praising the
  counsellor, "She didn't make a big deal of it which was good. She just
  listened."), and the reviewers' reading of it; "5. The family's
  perspective" (the mother's words, one praising the counsellor; the
  stepfather and the father not asked); "6. Summary of agency involvement",
  thirteen dated paragraphs of fact;
- "7. Analysis of agency practice": a lead-in and FIVE AGENCY SUB-SECTIONS
  (the school; the health board's GP practice and CAMHS; Gwent Police;
  Caerphilly children's services; "Working together"), each MIXING practice
  named as good ("prompt and proportionate", "clear and detailed", "a
  thorough assessment", "well attended"), practice told through what was
  done (the counsellor, the care coordinator's calls and texts, her
  reflective supervision, the officers on the footbridge, the PPN, the social
  worker's four visits), procedures followed ("as the NICE guideline on
  self-harm requires"), TWO "It would have been good practice for ...",
  THREE concessions ("The reviewers accept / recognise ... However, ..."),
  poor practice, what practitioners said at the learning event;
- "8. Changes already made": a paragraph of lead-in, FOUR CHANGES SINCE (the
  health board's "waiting well", the school's policy, children's services'
  strategy discussions, Gwent Police's PPN prompt), the Board's assurance to
  come; "9. Good practice identified": a lead-in and SIX BULLETS; "10.
  Learning": five "Learning point N:" paragraphs;
- "11. Recommendations": a preamble, then the TABLE "No. | Recommendation |
  Lead agency | Target date" of SIX ROWS, "1", "2", "3a", "3b", "4", "5":
  1 "The Board should ..." to Gwent Safeguarding Board, "31 March 2026"; 2
  Aneurin Bevan University Health Board, "September 2026"; 3a and 3b, the
  LETTERED PARTS of the third, each to Caerphilly County Borough Council,
  "6 months" and "31 July 2026"; 4 Gwent Police, "Complete"; 5 "The Welsh
  Government should consider national guidance ...", Welsh Government,
  "Ongoing"; then a note on "Complete" and the action plan; "12. Statement
  by the reviewers" (independence; names and date).

Its labels (`gsusr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 153 passages,
25 practice, 6 recommendation (the six rows of the table; its header other,
as the TBCPR's and ILSAR's), 122 other. As the earlier modules': practice
where the reviewers present some practice as good, however implicitly or
mixed with criticism; a change made since Learning from past reviews; "It
would have been good practice ..." Suggested good practice; a concession
opening a criticism other; the child's and the family's words other (her
praise of the counsellor and her mother's too); a learning point other; the
good practice bullets practice, each with its finding's code. Codes: 7.2
the form tutor and the DSP Escalating concerns; 7.3 the DSP's records Record
keeping; 7.6 the counsellor Positive working relationships; 7.7 the
counsellor passing on the disclosure Escalating concerns; 7.9 and 7.28
Suggested good practice; 7.10 the GP's assessment Risk assessment; 7.11 the
same-day referral and 7.14 the assessment within 24 hours Adhering to
policy and procedure; 7.15 the discharge meeting Multi-agency working; 7.17
the care coordinator's contact Consistent and persistent communication;
7.18 her supervision Support and training for practitioners; 7.20 the
officers on the footbridge Effective communication; 7.21 the PPN Escalating
concerns; 7.26 the social worker's visits Persistency in care and support;
8.2-8.5 Learning from past reviews; the six bullets Escalating concerns,
Positive working relationships, Risk assessment, Consistent and persistent
communication, Effective communication, Persistency in care and support.
Other: the cover and contents, every heading, the introduction, the
circumstances, the terms of reference (its bullets and the panel table), the
voice of the child, the family's perspective, the summary of agency
involvement, the analysis's lead-in 7.1, the poor practice (7.4, 7.8, 7.12,
7.16, 7.19, 7.22, 7.23, 7.25, 7.27, 7.29), the concessions (7.5, 7.13,
7.24), "Working together" (7.30-7.32), 8.1 and 8.6, the good practice
lead-in, the learning points, the preamble, the table's header, 11.2, 11.3
and the statement.

What a user would expect of its identity, decided before the reading: type
SUSR, no variant, key and identifier SUSR2025-03/GW (GW, Gwent's canonical
abbreviation in storfa.domain.ids), board Gwent (the Board commissioned it),
year 2025; dates: index incident 2024-11-03 (the death; not the overdose of
6 June 2024 or the footbridge of 20 August 2024), referral 2024-11-14
(children's services' referral to the Case Review Group; not the police's
notification of 5 November, the IAA referral of 17 November 2023 or the
GP's of 12 January 2024), period 2023-09-01 to 2024-11-03, learning event
2025-03-18, sign-off 2025-09-15 (the reviewers' agreement of the final
report, also the statement's date; not the Board's endorsement of 23 October
2025), publication 2025-12-02. Recommendations: six records, numbered 1, 2,
3a, 3b, 4, 5, each the Recommendation cell; addressees 1 ['Gwent
Safeguarding Board'], 2 ['Aneurin Bevan University Health Board'], 3a and 3b
['Caerphilly County Borough Council'], 4 ['Gwent Police'], 5 ['Welsh
Government']; level of 5 national, of 1 (the regional Board's own)
regional; due dates only from the dated cells: 1 2026-03(-31), 2 2026-09, 3b
2026-07(-31); none from "6 months" (3a), "Complete" (4) or "Ongoing" (5);
nothing else recorded (not the header, the preamble, 11.2, 11.3, a learning
point, a line of enquiry, a change since or "It would have been good
practice ...").

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt10
as it was, HEAD 6d898ac; STORFA_INT8=u8; by the machine's clock the session
began 15:55:09, the document was written and segmented (153 passages) by
15:57:41, the labels written 15:57:49 and copied into tests/data with the
document in one `cp` 15:57:51, this module written before any reading
(ruff-clean 15:59:02), storfa first run 15:59:03-15:59:14: 96 passed, 2
skipped, 22 failed), the same from the Markdown and from the PDF in every
figure:

- segmentation: 153 passages, all as written, both readings (the panel and
  the recommendations tables row by row, their headers rows too; the six
  good practice bullets list items; the one cover heading);
- identity: key and identifier SUSR2025-03/GW, type SUSR, variant None,
  board Gwent, year 2025, all right; index incident 2024-11-03, learning
  event 2025-03-18, period start 2023-09-01, sign-off 2025-09-15 (the
  reviewers', not the Board's endorsement) and publication 2025-12-02,
  right; WRONG: referral 2024-11-28, the day the Case Review Group met
  (right: 2024-11-14, children's services' referral to it, the same
  paragraph), and period end None (right: 2024-11-03, "... to her death on
  3 November 2024" after a clause between);
- recommendations: 6 records, one for each row, numbered "1", "2", "3a",
  "3b", "4", "5" as the table does, each text the Recommendation cell (no
  number, lead agency or target), every recommendation passage read,
  nothing extra (not the header, the preamble, 11.2 on "Complete", 11.3,
  a learning point, a line of enquiry, a change since or "It would have
  been good practice"). Addressees all right: 1 ['Gwent Safeguarding
  Board'], 2 ['Aneurin Bevan University Health Board'], 3a and 3b
  ['Caerphilly County Borough Council'], 4 ['Gwent Police'], 5 ['Welsh
  Government']. DUE DATES ALL RIGHT: 1 2026-03-31, 2 2026-09, 3b
  2026-07-31, and none from "6 months", "Complete" or "Ongoing"; WRONG:
  level None on every record (right: 5 national, 1 regional);
- auto-coding at the single-case threshold (0.49 as reported): 27
  suggestions, 24 of the 25 practice passages, precision 0.89, recall 0.96
  (over the 0.80 and 0.60 floors and the 0.70 judged bar); the same
  sub-theme as the label on 19 of 24, the same theme on 21 of 24 (0.88,
  over the 0.70 bar). Wrong (3): 7.19 the care coordinator's records never
  asking about the group chat (poor practice; Consistent and persistent
  communication 0.76), 7.30 "Ffion was known to five agencies ... No
  meeting ever brought all of this together." (Multi-agency working 0.87),
  8.6 the Board's assurance to come (Learning from past reviews 0.70).
  Missed (1): 7.10 the GP's "thorough assessment" (0.23; its bullet found,
  Risk assessment 0.98). Themes that differ (3): 7.6 the counsellor and
  its bullet -> Effective communication (0.98, 1.00; Positive working
  relationships), 7.14 the CAMHS assessment within 24 hours "as the NICE
  guideline ... requires" -> Consistent care and support (0.50; Adhering to
  policy and procedure); within the theme: 7.21 the PPN -> Risk assessment
  (0.96; Escalating concerns), the police officers' bullet -> Multi-agency
  working (1.00; Effective communication). Right: the four changes already
  made, each Learning from past reviews (0.86-1.00), both "It would have
  been good practice" Suggested good practice (1.00), the supervision
  Support and training for practitioners (0.99), the social worker's visits
  Persistency in care and support (0.84), the discharge meeting Multi-agency
  working (0.99), all six bullets. Nothing suggested on the cover, contents,
  a heading, the introduction, the circumstances, the terms of reference or
  the panel table, the voice of the child (her praise of the counsellor
  included), the family's words (the mother's praise included), the summary
  of agency involvement, a concession, the nine other criticisms, a
  learning point, the recommendations table or its notes, or the statement.

After the first reading only this module changed, not the document or the
labels: this docstring, the eleven failing tests marked strict xfail with
what storfa gave and what is right, and twins added beside them for what
held (the period's start, no wrong level, the other 21 suggestions in their
label's theme, the other nine criticisms, the lead-in and the rest of
"Working together", the changes' lead-in, the other three practices named
as good, the other 14 practice paragraphs of the analysis). On the frozen
tree the confirming run (15:59:59-16:00:07) gave 112 passed, 2 skipped, 22
xfailed, no XPASS.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    auto_coding,
    between,
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
    opened_by,
    opened_coded,
    opened_suggested,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-gsusr"
DOCUMENT = DATA / "gsusr-written-2026.md"
IDENTIFIER = "SUSR2025-03/GW"
BOARD = "Gwent Safeguarding Board"
HEALTH = "Aneurin Bevan University Health Board"
COUNCIL = "Caerphilly County Borough Council"
POLICE = "Gwent Police"
WG = "Welsh Government"
# The table's rows, by their number cell, as the passages open.
ROWS = {
    "1": "1 | The Board should develop",
    "2": "2 | Aneurin Bevan University Health Board should",
    "3a": "3a | Caerphilly County Borough Council should ensure that a strategy",
    "3b": "3b | Caerphilly County Borough Council should ensure that no care",
    "4": "4 | Gwent Police should ensure",
    "5": "5 | The Welsh Government should consider",
}
AGENCIES = {"1": [BOARD], "2": [HEALTH], "3a": [COUNCIL], "3b": [COUNCIL], "4": [POLICE],
            "5": [WG]}
# Only the dated target cells: "31 March 2026", "September 2026", "31 July 2026".
DUE = {"1": "2026-03", "2": "2026-09", "3b": "2026-07"}
CONTENTS = "Contents"
INTRODUCTION = "1. Introduction"
CIRCUMSTANCES = "2. Circumstances leading to the review"
TERMS = "3. Terms of reference and process"
VOICE = "4. Voice of the child"
FAMILY = "5. The family's perspective"
SUMMARY = "6. Summary of agency involvement"
ANALYSIS = "7. Analysis of agency practice"
CHANGES = "8. Changes already made"
GOOD_PRACTICE = "9. Good practice identified"
LEARNING = "10. Learning"
RECOMMENDATIONS_HEADING = "11. Recommendations"
STATEMENT = "12. Statement by the reviewers"

CHANGES_SINCE = ("8.2 Aneurin Bevan University Health Board introduced",
                 "8.3 Ffion's school has updated", "8.4 Caerphilly County Borough Council",
                 "8.5 Gwent Police has added")
SUGGESTED = ("7.9 It would have been good practice", "7.28 It would have been good practice")
NAMED_AS_GOOD = ("7.2 When Ffion's friend told", "7.3 The DSP's records",
                 "7.10 The GP who saw Ffion", "7.15 The discharge planning meeting")
TOLD_THROUGH_WHAT_WAS_DONE = ("7.6 The school-based counsellor", "7.7 The counsellor passed",
                              "7.11 The GP referred", "7.17 Ffion's CAMHS care coordinator",
                              "7.18 The care coordinator took", "7.20 The two officers",
                              "7.21 One of the officers", "7.26 The social worker allocated")
PROCEDURE = "7.14 When Ffion was admitted"
CONCESSIONS = ("7.5 The reviewers accept", "7.13 The reviewers recognise",
               "7.24 The reviewers recognise")
POOR = ("7.4 However, the school", "7.8 When Ffion's attendance fell", "7.12 Ffion then waited",
        "7.16 But children's services", "7.19 The care coordinator's records",
        "7.22 Ffion's mother mentioned", "7.23 The IAA service's", "7.25 When the PPN",
        "7.27 The assessment was closed", "7.29 Families First had not")


read = reading(DOCUMENT, DATA / "gsusr-written-2026.tsv", "written-gsusr")

_NOT_PRACTICE = ("suggested on three passages labelled other, both readings: 7.19 'The care "
                 "coordinator's records do not show that Ffion was ever asked directly about "
                 "the group chat ...' (poor practice; Consistent and persistent communication "
                 "0.76), 7.30 'Ffion was known to five agencies ... No meeting ever brought all "
                 "of this together.' (Multi-agency working 0.87), 8.6 'The Board's Quality "
                 "Assurance Sub-group will seek evidence over the coming year ...' (assurance "
                 "to come, no practice; Learning from past reviews 0.70)")
_GP = ("7.10 'The GP who saw Ffion on 12 January 2024 saw her alone for part of the "
       "consultation, asked her directly about thoughts of suicide, and recorded her answers "
       "and her risk factors in detail. This was a thorough assessment.' is not suggested "
       "(0.23), both readings; right: Risk assessment (its bullet, 'The GP's thorough "
       "assessment of Ffion's risk ...', is found, Risk assessment 0.98)")


def _number(number: str) -> str:
    return number.strip("().").lower()


def _rows(read: Read) -> dict[str, int]:
    """Each table row's passage, by its number cell."""
    return {n: next(iter(opened_by(read, o))) for n, o in ROWS.items()}


def _records(read: Read) -> dict[str, list[StoredRecommendation]]:
    """The records read from each row's passage, by the row's number."""
    by_row = {seq: n for n, seq in _rows(read).items()}
    out: dict[str, list[StoredRecommendation]] = {}
    for seq, r in read.recommendations:
        if seq in by_row:
            out.setdefault(by_row[seq], []).append(r)
    return out


def _due(read: Read) -> dict[str, list[str | None]]:
    """Each row's records' due dates, by the row's number."""
    return {n: [r.due_date for r in rs] for n, rs in _records(read).items()}


def _to(read: Read, *numbers: str) -> None:
    """Each of these rows is read into one record, to its addressees."""
    records = _records(read)
    found = {n: [r.agencies for r in records.get(n, [])] for n in numbers}
    assert found == {n: [AGENCIES[n]] for n in numbers}, found


def _table(read: Read) -> set[int]:
    """The recommendations table, its header and its six rows."""
    (header,) = opened_by(read, "No. | Recommendation | Lead agency")
    return set(range(header, header + 7))


def _learning_points(read: Read) -> set[int]:
    found = {p.seq for p in read.passages if "Learning point " in read.text(p.seq)[:25]}
    assert len(found) == 5
    return found


def _good_practice_bullets(read: Read) -> set[int]:
    return between(read, GOOD_PRACTICE, LEARNING) - lead_ins(read)


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def _not_suggested(read: Read, *openings: str) -> None:
    seqs = opened_by(read, *openings)
    assert seqs <= read.seqs("other")
    wrong = sorted(seqs & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 153, 25, 6, 122)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_title_is_the_one_heading_of_the_cover(read: Read) -> None:
    assert heading_at(read, "Single Unified Safeguarding Review") == 2
    assert title_page(read) & headings(read) == {2}


def test_the_recommendations_table_is_read_as_rows(read: Read) -> None:
    rows = [read.passages[s] for s in sorted(_table(read))]
    assert [p.kind for p in rows] == ["table_row"] * 7, [(p.kind, p.text[:40]) for p in rows]


def test_the_panel_table_is_read_as_rows(read: Read) -> None:
    (lead_in,) = opened_by(read, "3.3 Each agency provided")
    rows = [read.passages[s] for s in range(lead_in + 1, lead_in + 8)]
    assert [p.kind for p in rows] == ["table_row"] * 7, [(p.kind, p.text[:40]) for p in rows]


def test_the_good_practice_summary_is_six_bullets(read: Read) -> None:
    bullets = _good_practice_bullets(read)
    assert len(bullets) == 6 and all(read.passages[s].kind == "list_item" for s in bullets)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_board_and_year(read: Read) -> None:
    identity(read, type="SUSR", variant=None, board="Gwent", year=2025)


def test_the_cover_gives_the_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("SUSR", 2025, 3, "GW"))


def test_the_index_incident_is_the_death(read: Read) -> None:
    # "... took her own life ... on 3 November 2024" (1.1); not the overdose of
    # 6 June 2024 or the footbridge of 20 August 2024.
    assert read.summary.dates.get("index_incident") == "2024-11-03", read.summary.dates


# First reading, since fixed (a numbered paragraph opening on its date; a person referred for care
# is no review's referral): referral 2024-11-28, both readings: the day the Case Review Group MET
# ('The Case Review Group met on 28 November 2024 and recommended a review', 2.3); right:
# 2024-11-14, the referral itself ('On 14 November 2024 Caerphilly County Borough Council
# Children's Services referred Ffion's death to the Board's Case Review Group', the same
# paragraph's first sentence)
def test_the_referral_is_to_the_case_review_group(read: Read) -> None:
    # "On 14 November 2024 ... Children's Services referred Ffion's death to the
    # Board's Case Review Group" (2.3); not the police's notification of 5
    # November, the IAA referral of 17 November 2023 or the GP's of 12 January 2024.
    assert read.summary.dates.get("referral") == "2024-11-14", read.summary.dates


# First reading, since fixed (a longer aside between a period's two dates): period_end None, both
# readings (period_start 2023-09-01 right): 'from 1 September 2023, when Ffion began Year 10 and
# her school first recorded concerns about her friendships, to her death on 3 November 2024' (3.1),
# the end after a clause between; right: 2024-11-03
def test_the_period_under_review(read: Read) -> None:
    # "from 1 September 2023 ... to her death on 3 November 2024" (3.1).
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-09-01", "2024-11-03"), dates


def test_the_period_starts_with_year_10(read: Read) -> None:
    # Added after the first reading: what held beside the period's end.
    assert read.summary.dates.get("period_start") == "2023-09-01", read.summary.dates


def test_the_learning_event(read: Read) -> None:
    # "A learning event was held in Ystrad Mynach on 18 March 2025" (3.4).
    assert read.summary.dates.get("learning_event") == "2025-03-18", read.summary.dates


def test_the_sign_off_is_the_reviewers_agreement(read: Read) -> None:
    # "Final report agreed by the reviewers: 15 September 2025"; not "Endorsed
    # by the Gwent Safeguarding Board: 23 October 2025".
    assert read.summary.dates.get("sign_off") == "2025-09-15", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-12-02", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, tuple(ROWS.values()))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_as_the_table_does(read: Read) -> None:
    print_register(read)
    assert [_number(r.number) for r in labelled_records(read)] == list(ROWS), \
        [r.number for r in labelled_records(read)]


def test_each_row_is_one_record(read: Read) -> None:
    records = _records(read)
    assert {n: len(records.get(n, [])) for n in ROWS} == dict.fromkeys(ROWS, 1), records


def test_a_records_text_is_its_recommendation_cell(read: Read) -> None:
    # Not the number, the lead agency or the target date.
    records = _records(read)
    wrong = [(n, r.text) for n, rs in records.items() for r in rs
             if r.text.startswith(n) or r.text.rstrip(" .|").endswith(
                 ("2026", "6 months", "Complete", "Ongoing", "Government", "Board",
                  "Council", "Police"))]
    assert not wrong, wrong


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the header, the preamble, 11.2 ("Complete"), 11.3, a learning point, a
    # line of enquiry, a change since or "It would have been good practice".
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_table_header_or_the_notes_after_it(read: Read) -> None:
    (header,) = opened_by(read, "No. | Recommendation | Lead agency")
    _no_record_from(read, "header and notes", {header} | opened_by(
        read, "11.1 The reviewers make", "11.2 Where the target date", "11.3 The Board will"))


def test_no_record_from_the_analysis_changes_good_practice_or_learning(read: Read) -> None:
    _no_record_from(read, "analysis to learning", between(read, ANALYSIS,
                                                          RECOMMENDATIONS_HEADING))


def test_no_record_from_the_rest_of_the_report(read: Read) -> None:
    for what, seqs in (("cover", title_page(read)),
                       ("introduction to summary", between(read, INTRODUCTION, ANALYSIS)),
                       ("statement", set(range(heading_at(read, STATEMENT) + 1,
                                               len(read.passages))))):
        _no_record_from(read, what, seqs)


def test_the_boards_own_recommendation_is_to_the_board(read: Read) -> None:
    # "The Board should develop ...", lead agency Gwent Safeguarding Board.
    _to(read, "1")


def test_each_agencys_recommendation_is_to_it(read: Read) -> None:
    _to(read, "2", "4")


def test_both_lettered_parts_are_to_the_council(read: Read) -> None:
    _to(read, "3a", "3b")


def test_the_national_recommendation_is_to_the_welsh_government(read: Read) -> None:
    _to(read, "5")


# First reading, since fixed (levels read from the sub-heading and the addressees): level None on
# every record, both readings: 5 'The Welsh Government should consider national guidance ...' (lead
# agency Welsh Government) None, right: national; 1 'The Board should develop and publish multi-
# agency guidance for Gwent ...' (lead agency Gwent Safeguarding Board) None, right: regional
def test_the_national_recommendation_is_national(read: Read) -> None:
    levels = [r.level for r in _records(read).get("5", [])]
    assert levels == ["national"], levels


# First reading, since fixed (levels read from the sub-heading and the addressees): as above
def test_the_boards_own_recommendation_is_regional(read: Read) -> None:
    levels = [r.level for r in _records(read).get("1", [])]
    assert levels == ["regional"], levels


def test_no_record_is_given_a_wrong_level(read: Read) -> None:
    # Added after the first reading: what held beside the levels, none given.
    records = _records(read)
    wrong = [(n, r.level) for n, right in (("1", "regional"), ("5", "national"))
             for r in records.get(n, []) if r.level not in (None, right)]
    assert not wrong, wrong


def test_the_dated_target_cells_are_the_due_dates(read: Read) -> None:
    # "31 March 2026", "September 2026", "31 July 2026".
    due = _due(read)
    assert {n: [d and d[:7] for d in due.get(n, [])] for n in DUE} == \
        {n: [month] for n, month in DUE.items()}, due


def test_a_day_in_a_target_cell_is_kept(read: Read) -> None:
    # "31 March 2026" and "31 July 2026" name their day.
    due = _due(read)
    assert (due.get("1"), due.get("3b")) == (["2026-03-31"], ["2026-07-31"]), due


def test_no_due_date_from_a_relative_time_or_a_word(read: Read) -> None:
    # "6 months" (3a), "Complete" (4), "Ongoing" (5).
    records = _records(read)
    wrong = [(n, r.due_date) for n in ("3a", "4", "5") for r in records.get(n, [])
             if r.due_date is not None]
    assert not wrong, wrong


def test_no_due_date_beyond_the_table(read: Read) -> None:
    wrong = [(r.number, r.due_date) for r in labelled_records(read)
             if r.due_date is not None and _number(r.number) not in DUE]
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed (the coder learnt round ten (53 reviews), in-sample): 3 of 24
# suggestions on practice are in another theme, both readings: 7.6 the school counsellor Ffion came
# to trust -> Effective communication 0.98 and its bullet 'The school counsellor's relationship
# with Ffion ...' -> Effective communication 1.00 (right: Positive working relationships, Care and
# Support); 7.14 the CAMHS assessment 'within 24 hours, as the NICE guideline on self-harm
# requires' -> Consistent care and support 0.50 (right: Adhering to policy and procedure)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_other_suggestions_are_in_the_labels_theme(read: Read) -> None:
    # Added after the first reading: 21 of 24, all but the three of the xfail beside.
    held = read.seqs("practice") & read.suggested.keys() - opened_by(
        read, "7.6 The school-based counsellor", "7.14 When Ffion was admitted",
        "The school counsellor's relationship")
    assert len(held) == 21
    suggested_in_labels_theme(read, held)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


@pytest.mark.xfail(strict=True, reason=_NOT_PRACTICE)
def test_auto_coding_suggests_nothing_but_practice(read: Read) -> None:
    auto_coding(read)
    wrong = sorted(read.suggested.keys() - read.seqs("practice"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": title_page(read),
        "contents": between(read, CONTENTS, INTRODUCTION),
        "introduction and circumstances": between(read, INTRODUCTION, TERMS),
        "terms of reference and panel": between(read, TERMS, VOICE),
        "recommendations": set(range(heading_at(read, RECOMMENDATIONS_HEADING) + 1,
                                     heading_at(read, STATEMENT))),
        "statement": set(range(heading_at(read, STATEMENT) + 1, len(read.passages))),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_voice_of_the_child(read: Read) -> None:
    # Her own writing, her praise of the counsellor ("She just listened.") too.
    voice = between(read, VOICE, FAMILY)
    assert len(voice) == 8 and voice <= read.seqs("other")
    never_suggested(read, {"voice of the child": voice})


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    # The mother's praise of the counsellor is hers, not the reviewers'.
    family = between(read, FAMILY, SUMMARY)
    assert len(family) == 5 and family <= read.seqs("other")
    never_suggested(read, {"family's perspective": family})


def test_auto_coding_never_suggests_the_summary_of_agency_involvement(read: Read) -> None:
    summary = between(read, SUMMARY, ANALYSIS)
    assert len(summary) == 13
    never_suggested(read, {"summary of agency involvement": summary})


def test_auto_coding_never_suggests_a_learning_point(read: Read) -> None:
    never_suggested(read, {"learning point": _learning_points(read)})


def test_auto_coding_does_not_suggest_a_concession(read: Read) -> None:
    _not_suggested(read, *CONCESSIONS)


@pytest.mark.xfail(strict=True, reason=(
    "7.19 'The care coordinator's records do not show that Ffion was ever asked directly "
    "about the group chat, and the plan stayed focused on Ffion's mood ...' is suggested, "
    "Consistent and persistent communication 0.76, both readings; right: other, a criticism"))
def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    _not_suggested(read, *POOR)


def test_auto_coding_does_not_suggest_the_other_poor_practice(read: Read) -> None:
    # Added after the first reading: the nine criticisms but 7.19.
    _not_suggested(read, *(o for o in POOR if not o.startswith("7.19")))


@pytest.mark.xfail(strict=True, reason=(
    "7.30 'Ffion was known to five agencies, and each held part of the picture. ... No "
    "meeting ever brought all of this together.' is suggested, Multi-agency working 0.87, "
    "both readings; right: other, the want of multi-agency working"))
def test_auto_coding_does_not_suggest_the_analysis_lead_in_or_working_together(
        read: Read) -> None:
    _not_suggested(read, "7.1 This section considers", "7.30 Ffion was known",
                   "7.31 At the learning event", "7.32 Nobody asked")


def test_auto_coding_does_not_suggest_the_lead_in_or_the_rest_of_working_together(
        read: Read) -> None:
    # Added after the first reading: all but 7.30.
    _not_suggested(read, "7.1 This section considers", "7.31 At the learning event",
                   "7.32 Nobody asked")


# First reading, since fixed (work only promised is no change made): 8.6 'The Board's Quality
# Assurance Sub-group will seek evidence over the coming year that these changes have made a
# difference for children.' is suggested, Learning from past reviews 0.70, both readings; right:
# other, assurance still to come
def test_auto_coding_does_not_suggest_the_changes_lead_in_or_assurance(read: Read) -> None:
    _not_suggested(read, "8.1 Agencies have not waited", "8.6 The Board's Quality Assurance")


def test_auto_coding_does_not_suggest_the_changes_lead_in(read: Read) -> None:
    # Added after the first reading: what held beside 8.6.
    _not_suggested(read, "8.1 Agencies have not waited")


def test_auto_coding_finds_the_changes_already_made(read: Read) -> None:
    opened_suggested(read, *CHANGES_SINCE)


def test_auto_coding_finds_the_changes_as_learning_from_past_reviews(read: Read) -> None:
    for opening in CHANGES_SINCE:
        opened_coded(read, opening, "Learning from past reviews")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    for opening in SUGGESTED:
        opened_coded(read, opening, "Suggested good practice")


@pytest.mark.xfail(strict=True, reason=_GP)
def test_auto_coding_finds_practice_named_as_good(read: Read) -> None:
    # "prompt and proportionate", "clear and detailed", "a thorough
    # assessment", "well attended".
    opened_suggested(read, *NAMED_AS_GOOD)


def test_auto_coding_finds_the_other_practice_named_as_good(read: Read) -> None:
    # Added after the first reading: all but the GP's (7.10).
    opened_suggested(read, *(o for o in NAMED_AS_GOOD if not o.startswith("7.10")))


def test_auto_coding_finds_practice_told_through_what_was_done(read: Read) -> None:
    opened_suggested(read, *TOLD_THROUGH_WHAT_WAS_DONE)


def test_auto_coding_finds_the_procedure_followed(read: Read) -> None:
    # "... within 24 hours, as the NICE guideline on self-harm requires".
    opened_suggested(read, PROCEDURE)


def test_auto_coding_finds_every_good_practice_bullet(read: Read) -> None:
    bullets = _good_practice_bullets(read)
    assert bullets <= read.seqs("practice")
    all_suggested(read, bullets)


@pytest.mark.xfail(strict=True, reason=_GP)
def test_auto_coding_finds_all_the_practice_in_the_analysis(read: Read) -> None:
    practice = between(read, ANALYSIS, CHANGES) & read.seqs("practice")
    assert len(practice) == 15
    all_suggested(read, practice)


def test_auto_coding_finds_the_other_practice_in_the_analysis(read: Read) -> None:
    # Added after the first reading: 14 of 15, all but the GP's (7.10).
    practice = between(read, ANALYSIS, CHANGES) & read.seqs("practice") - opened_by(
        read, "7.10 The GP who saw Ffion")
    assert len(practice) == 14
    all_suggested(read, practice)


def test_auto_coding_finds_the_supervision_as_support_for_practitioners(read: Read) -> None:
    opened_coded(read, "7.18 The care coordinator took", "Support and training for practitioners")


def test_auto_coding_finds_the_social_workers_persistence(read: Read) -> None:
    opened_coded(read, "7.26 The social worker allocated", "Persistency in care and support")


def test_auto_coding_finds_the_discharge_meeting_as_multi_agency_working(read: Read) -> None:
    opened_coded(read, "7.15 The discharge planning meeting", "Multi-agency working")
