"""A fourteenth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on a Welsh Mental Health Homicide Review in Healthcare Inspectorate Wales'
style, of the single-case auto-coding threshold and the document-reading
rules chosen on the written reviews before it.

`tests/data/written-mhhr/mhhr-written-2026.md` is a WRITTEN independent
review (fictional: no real case or person), "Independent review of the care
and treatment provided to Mr Y", by Healthcare Inspectorate Wales (HIW)
after Mr Y, 34, a man with paranoid schizophrenia under Hywel Dda University
Health Board's community mental health team in Llanelli, killed his father
at their home. Where it differs from the other thirteen:

- the title page: "Healthcare Inspectorate Wales", the title as the only
  heading, "Mental Health Homicide Review", the health board (no
  safeguarding board anywhere: HIW reviews are national), "HIW reference:
  MHHR/2019/02", "Date of publication: 21 November 2019"; contents one
  paragraph of section names;
- a "Foreword" by HIW (its role, condolences, thanks, "Chief Executive,
  Healthcare Inspectorate Wales" as a signature line); an "Executive
  summary" (what happened, the main findings, "We also found notable
  practice, including:" and three bullets restating it, the
  predictability statement and "We make eight recommendations.");
- numbered top-level sections "1. Introduction" (HIW notified by the health
  board, the trial, the community safety partnership's decision not to hold
  a Domestic Homicide Review), "2. Terms of reference" (the period, a
  lead-in and five bullets), "3. Methodology" (records read, staff
  interviewed, the sister's words, the report finalised);
- "4. Background and chronology": numbered paragraphs "4.1" ... "4.13",
  dated, plain facts;
- "5. Findings" under five unnumbered theme sub-headings (Risk assessment;
  Care and treatment planning; Engagement with family and carers;
  Communication between services; Medicines management), paragraphs
  numbered "5.1" ... "5.22" mixing criticism with practice: a run-in
  "**Notable practice:**" opening three paragraphs, and once a lead-in
  "**Notable practice:**" alone over two bullets; practice also stated
  through what was done ("in line with the health board's policy ...
  recorded the plan in full", "saw Mr Y every month without fail"), staff
  support after the homicide, "It would have been good practice for the
  CMHT to ...", two changes the health board has made since the events,
  and two concessions before a criticism ("The duty workers responded to
  each call on the day ... No one, however, ...", "The PPN was screened ...
  in line with the council's procedures. It was then ... filed without
  being read");
- "6. Conclusions": "6.1 We do not consider that the homicide was
  predictable ..." and "6.2 ... missed opportunities ... We cannot say
  whether this would have prevented his father's death.";
- "7. Recommendations": a lead-in saying whose they are, then eight
  paragraphs "R1 The health board must ensure ..." ... "R8 The Welsh
  Government should consider ..." (R1-R6 to "The health board", that is
  Hywel Dda University Health Board; R7 to Carmarthenshire County Council
  and the health board; R8 to the Welsh Government); "Appendix A:
  Improvement plan", a lead-in and a table "Recommendation | Action |
  Responsible officer | Date" whose eight rows restate R1-R8, shortened.

Its labels (`mhhr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 109 passages,
14 practice, 8 recommendation, 87 other. As the CAPR's, the DARDR's and the
SAR's: a paragraph is practice where the reviewers present some practice in
it as good, however implicitly; "It would have been good practice for ..."
is Suggested good practice; the health board's two changes since the events
are Learning from past reviews; a concession that opens a criticism is
other. Executive summary, the convention: its three notable-practice
bullets restate findings and are practice, each with its finding's code
(the crisis team's assessment: Risk assessment; the pharmacist: Escalating
concerns; the police officers' PPN to both agencies: Multi-agency working);
its account, findings and predictability statement are other. Practice
codes: 5.3 crisis team's assessment Risk assessment; 5.5 Suggested good
practice; 5.6 the medication change Adhering to policy and procedure; 5.7
the care coordinator's monthly visits Consistent care and support; 5.11 and
5.22 Learning from past reviews; 5.12 staff support after the homicide
Support and training for practitioners; 5.15 the crisis team speaking with
the father alone Effective communication; the pharmacist's bullet
Escalating concerns; the police officers' bullet Multi-agency working; 5.20
the medication chart Record keeping. Other: the title page, contents,
foreword, introduction, terms of reference, methodology (the sister's words
too), the chronology, the findings' lead-in and the "Notable practice:"
lead-in, the criticisms and concessions, the conclusions, the
recommendations' lead-in, and the improvement plan (lead-in, header and the
eight rows, which restate the recommendations: a recommendation is counted
once, as the DARDR's and DHR's action plans).

What a user would expect of its identity, decided before the reading: type
MHHR; the identifier "MHHR2019-W02" (HIW's "MHHR/2019/02" in the all-Wales
form, as the DHR's "DHR 2024/02" -> "DHR2024-W02"; no board abbreviation);
year 2019 (publication); board None (HIW is national and no safeguarding
board commissioned or is named in the review; the health board is no
safeguarding board, as the DARDR's partnership); dates: index incident
2018-02-14, referral 2018-02-16 (the health board notified HIW), period
2016-01-01 to 2018-02-14, sign-off 2019-08-30 ("The report was finalised
on"), publication 2019-11-21, no learning event.

FIRST READING, run once the labels were final (the frozen worktree
/tmp/wt11 at HEAD be6c833; by the machine's clock the session began
22:58:30, the labels were written 23:00:37 and copied into tests/data with
the document in one `cp` 23:00:38, this module written 23:01:27 before any
reading, storfa first run 23:01:28-23:01:52; the dates' evidence and the
PDF's passages printed 23:02 on the same tree), the same from the Markdown
and from the PDF unless said:

- identity: key and identifier MHHR2019-W02, type MHHR, variant None, board
  None, year 2019: all as expected. Dates: referral 2018-02-16, period
  2016-01-01 to 2018-02-14, publication 2019-11-21, no learning event, all
  right; index incident None (right: 2018-02-14, "Mr Y was 34 years old
  when he killed his father on 14 February 2018", "4.13 On 14 February 2018
  Mr Y killed his father"); sign-off from the Markdown 2020-01-01
  (confidence 0.34, read from the improvement plan's R2 row "... Discharge
  checklist for the crisis teams, signed by the receiving CMHT | ... |
  January 2020"), from the PDF None (that row wraps), where "The report was
  finalised on 30 August 2019" is right;
- recommendations: 8 records, all 8 found, each from its own passage,
  nothing extra (not the improvement plan's eight rows, not "It would have
  been good practice ...", not "should have been reviewed"): 8 of 8, 0
  extra, from both readings. Numbered "1" ... "8", not "R1" ... "R8" as the
  report numbers them. Addressees: R1-R6 ['health board'] ("The health
  board must ensure ...": right, Hywel Dda University Health Board, named
  in the lead-in and on the title page); R7 ['R7 Carmarthenshire County
  Council'] (the number glued on, the health board missing); R8 ['R8 The
  Welsh Government'] (right: Welsh Government);
- from the PDF the improvement plan's R2 row wraps and is read as two rows
  ("R2 Crisis team risk assessments read and | Discharge checklist for the
  crisis teams, | ..." and "acted on by the CMHT | signed receiving CMHT |
  by | the"): 110 passages, the second carrying the row's label;
- auto-coding at the single-case threshold (0.49 as reported), the same
  from both: 15 suggestions, 12 of the 14 practice paragraphs, precision
  0.80 (12/15, on the floor exactly), recall 0.86 (12/14); the same
  sub-theme as the label on 6 of 12, the same theme on 7 of 12 (0.58).
  Themes that differ: the summary's pharmacist bullet -> Consistent and
  persistent communication (0.99; labelled Escalating concerns), the
  pharmacist's bullet in the findings -> Consistent care and support (0.91;
  Escalating concerns), the police officers' PPN -> Record keeping (0.81;
  Multi-agency working), 5.6 the medication change made in line with policy
  -> Learning from past reviews (0.69; Adhering to policy and procedure),
  5.12 staff supported after the homicide -> Learning from past reviews
  (0.97; Support and training for practitioners); 5.15 the father seen
  alone -> Consistent and persistent communication (0.69; Effective
  communication, the same theme). Wrong (3): the summary's opening "Mr Y
  was 34 years old when he killed his father ..." (0.70, Consistent care
  and support), 5.2 "The 2015 assessment recorded that Mr Y's relapses ...
  None of the duty workers ... referred to this history" (0.52, Record
  keeping), and the concession 5.17 "The PPN was screened ... within two
  working days, in line with the council's procedures. It was then ...
  filed without being read by a clinician" (0.58, Adhering to policy and
  procedure); the other concession, 5.10, was not. Missed (2): both changes
  made since the events, "5.11 Since these events the health board has
  introduced a standard ..." (0.10) and "5.22 Since these events the health
  board has agreed a protocol ..." (0.14), while 5.6 and 5.12, which are
  not changes, were coded Learning from past reviews. Found: every
  "Notable practice" passage (run-in and bullets, 0.69-0.94), the three
  summary bullets (0.92-1.00), "It would have been good practice ..."
  (1.00), the practice stated through what was done (5.6, 5.7, 5.12: 0.69,
  0.70, 0.97). Nothing suggested on a heading, the title page, contents,
  foreword, introduction, terms of reference, methodology (the sister's
  words), the chronology, the lead-ins, the conclusions (the
  predictability statement), a recommendation or the improvement plan.

After the first reading only this module changed, not the document or the
labels: each test that failed was marked strict xfail with what storfa
gave; the passage count and the reading of the PDF split by reading
(`only`), the sign-off split from the publication, and the addressees keyed
by each record's place (R1 ... R8) rather than its number, so that the
numbering fault is its own test and does not hide what the addressees are.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. This module adds `_found` (the fraction of the eight
recommendations read into some record from their own passage) and `_named`
(each record's addressees by its place, R1 ... R8)."""

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
    in_section,
    labelled_records,
    lead_ins,
    never_suggested,
    only,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-mhhr"
DOCUMENT = DATA / "mhhr-written-2026.md"
NUMBERING = "MHHR/2019/02"  # "HIW reference: MHHR/2019/02" on the title page
IDENTIFIER = "MHHR2019-W02"  # the all-Wales form, as the DHR's "DHR 2024/02"
HEALTH_BOARD = "Hywel Dda University Health Board"
COUNCIL = "Carmarthenshire County Council"
RECOMMENDATIONS = tuple(f"R{n} " for n in range(1, 9))
NUMBERS = [f"R{n}" for n in range(1, 9)]
# Who each record is to: "The health board" is Hywel Dda University Health Board.
AGENCIES = {
    **{f"R{n}": {HEALTH_BOARD} for n in range(1, 7)},
    "R7": {COUNCIL, HEALTH_BOARD},
    "R8": {"Welsh Government"},
}
PRELIMINARIES = ("Contents", "Foreword", "1. Introduction", "2. Terms of reference",
                 "3. Methodology")
FINDINGS, CONCLUSIONS = "5. Findings", "6. Conclusions"


read = reading(DOCUMENT, DATA / "mhhr-written-2026.tsv", "written-mhhr")


def _found(read: Read) -> float:
    """The fraction of the eight recommendations read into some record from
    their own passage."""
    recorded = {seq for seq, _ in read.recommendations}
    return len(read.seqs("recommendation") & recorded) / len(RECOMMENDATIONS)


def _findings(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings are top-level sections of their own.
    return between(read, FINDINGS, CONCLUSIONS)


def _summary(read: Read) -> set[int]:
    return between(read, "Executive summary", "1. Introduction")


def _named(read: Read) -> dict[str, set[str]]:
    """Each record's addressees by its place (R1 ... R8), whatever its number."""
    return {f"R{n}": set(r.agencies)
            for n, r in enumerate(labelled_records(read), start=1)}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 109, 14, 8, 87)


# First reading, since fixed: from the PDF the improvement plan's R2 row wraps and is read as
# two rows: 110 passages, 109 labelled
def test_the_store_holds_the_passages_that_were_labelled_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 109, 14, 8, 87)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: from the PDF the improvement plan's R2 row is read as 'R2 Crisis
# team risk assessments read and | Discharge checklist for the crisis teams, | Head of Adult
# Mental Health Services | January 2020' and a second row 'acted on by the CMHT | signed
# receiving CMHT | by | the'; every other passage reads as written
def test_each_passage_reads_as_the_markdown_wrote_it_from_the_pdf(read: Read) -> None:
    reads_as_written(read, "pdf")


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_the_type_and_no_board(read: Read) -> None:
    # HIW's review: no safeguarding board commissioned it or is named in it.
    identity(read, type="MHHR", board=None)


def test_the_title_page_gives_hiws_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("MHHR", 2019, 2, None), NUMBERING)


# First reading, since fixed: index incident None from both readings; right: 2018-02-14 ('Mr Y
# was 34 years old when he killed his father on 14 February 2018', '4.13 On 14 February 2018
# Mr Y killed his father at their home')
def test_the_index_incident_is_the_homicide(read: Read) -> None:
    assert read.summary.dates.get("index_incident") == "2018-02-14", read.summary.dates


def test_the_referral_is_the_notification_to_hiw(read: Read) -> None:
    # "Hywel Dda University Health Board notified HIW of the homicide on 16 February 2018"
    assert read.summary.dates.get("referral") == "2018-02-16", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The review considered Mr Y's care and treatment from 1 January 2016 to
    # 14 February 2018."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2016-01-01", "2018-02-14"), dates


def test_the_publication(read: Read) -> None:
    # "Date of publication: 21 November 2019" on the title page.
    assert read.summary.dates.get("publication") == "2019-11-21", read.summary.dates


# First reading, since fixed: sign-off 2020-01-01 from the Markdown (0.34), read from the
# improvement plan's R2 row '... Discharge checklist for the crisis teams, signed by the
# receiving CMHT | ... | January 2020'; None from the PDF, where that row wraps; right:
# 2019-08-30, 'The report was finalised on 30 August 2019'
def test_the_sign_off(read: Read) -> None:
    # "The report was finalised on 30 August 2019."
    assert read.summary.dates.get("sign_off") == "2019-08-30", read.summary.dates


def test_no_learning_event(read: Read) -> None:
    # HIW interviews staff; there is no learning event.
    assert read.summary.dates.get("learning_event") is None, read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.lstrip("R"))
    reads_every_recommendation_passage(read)


def test_the_judged_bar_on_recommendations_found_holds(read: Read) -> None:
    # Issue 14: as the DARDR's, 6 of 7 or better.
    assert _found(read) >= 6 / 7, _found(read)


# First reading, since fixed: numbered '1' ... '8' from both readings; the report numbers them
# 'R1' ... 'R8'
def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def test_the_improvement_plan_is_not_counted_again(read: Read) -> None:
    plan = in_section(read, "Appendix A")
    assert len(plan) >= 10  # the lead-in, the header and eight rows
    assert not read.covered & plan, [read.text(s)[:60] for s in read.covered & plan]


# First reading, since fixed: R1-R6 ('The health board must ensure ...') are recorded to
# ['health board'] from both readings; right: Hywel Dda University Health Board, named in the
# recommendations' lead-in and on the title page
def test_the_health_boards_records_are_the_health_boards(read: Read) -> None:
    # "The health board must ensure ...": Hywel Dda University Health Board.
    named = _named(read)
    wrong = {n: named.get(n) for n in NUMBERS[:6] if named.get(n) != AGENCIES[n]}
    assert not wrong, wrong


# First reading, since fixed: R7 is recorded to ['R7 Carmarthenshire County Council'] from
# both readings: the number glued to the council's name, and the health board ('and the health
# board should agree') missing; right: Carmarthenshire County Council and Hywel Dda University
# Health Board
def test_the_joint_record_is_to_the_council_and_the_health_board(read: Read) -> None:
    assert _named(read).get("R7") == AGENCIES["R7"], _named(read).get("R7")


# First reading, since fixed: R8 is recorded to ['R8 The Welsh Government'] from both
# readings: the number and 'The' glued on; right: Welsh Government
def test_the_national_record_is_to_the_welsh_government(read: Read) -> None:
    assert _named(read).get("R8") == AGENCIES["R8"], _named(read).get("R8")


def test_no_recommendation_from_the_summary_findings_or_conclusions(read: Read) -> None:
    # "It would have been good practice for the CMHT to ...", "should have been
    # reviewed at least once a year", "We make eight recommendations." are none.
    for what, seqs in (("summary", _summary(read)), ("findings", _findings(read)),
                       ("conclusions", in_section(read, CONCLUSIONS))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.80 (12 of 15) on the first reading: on the floor exactly.
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    # 0.86 (12 of 14) on the first reading.
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


# First reading, since fixed: the same theme on 7 of 12 (0.58), the same sub-theme on 6, both
# readings: the two pharmacist passages -> Consistent and persistent communication and
# Consistent care and support (Escalating concerns), the police officers' PPN -> Record keeping
# (Multi-agency working), the medication change made in line with policy -> Learning from past
# reviews (Adhering to policy and procedure), staff supported after the homicide -> Learning
# from past reviews (Support and training for practitioners)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents, foreword, introduction, terms, method": in_section(read, *PRELIMINARIES),
        "recommendation": read.seqs("recommendation"),
        "improvement plan": in_section(read, "Appendix A"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_chronology(read: Read) -> None:
    chronology = in_section(read, "4. Background and chronology")
    assert len(chronology) == 13
    never_suggested(read, {"chronology": chronology})


def test_auto_coding_never_suggests_the_conclusions(read: Read) -> None:
    # The predictability and preventability statements name no practice.
    never_suggested(read, {"conclusions": in_section(read, CONCLUSIONS)})


@pytest.mark.xfail(strict=True, reason=(
    "the summary's opening 'Mr Y was 34 years old when he killed his father on 14 February "
    "2018 ...' is suggested (Consistent care and support, 0.70) from both readings: it "
    "tells what happened and names no practice"))
def test_auto_coding_never_suggests_the_summarys_account(read: Read) -> None:
    account = _summary(read) & read.seqs("other")
    assert len(account) == 4  # what happened, the findings, the lead-in, predictability
    never_suggested(read, {"summary's account": account})


def test_auto_coding_finds_the_summarys_notable_practice(read: Read) -> None:
    restated = _summary(read) & read.seqs("practice")
    assert len(restated) == 3
    all_suggested(read, restated)


def test_auto_coding_finds_every_notable_practice(read: Read) -> None:
    # The three run-in paragraphs and the two bullets under the lead-in.
    notable = {s for s in read.seqs("practice") & _findings(read)
               if "Notable practice:" in read.text(s)[:25]
               or read.passages[s].kind == "list_item"}
    assert len(notable) == 5
    all_suggested(read, notable)


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    done = opened_by(read, "5.6 The decision to change", "5.7 Between 2016",
                     "5.12 Staff told us")
    assert done <= read.seqs("practice")
    all_suggested(read, done)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (suggested,) = opened_by(read, "5.5 It would have been good practice")
    assert suggested in read.seqs("practice") and suggested in read.suggested


@pytest.mark.xfail(strict=True, reason=(
    "neither change made since the events is suggested, from both readings: '5.11 Since "
    "these events the health board has introduced a standard ...' (0.10) and '5.22 Since "
    "these events the health board has agreed a protocol ...' (0.14); both are Learning "
    "from past reviews"))
def test_auto_coding_finds_the_changes_made_since(read: Read) -> None:
    changes = opened_by(read, "5.11 Since these events", "5.22 Since these events")
    assert changes <= read.seqs("practice")
    all_suggested(read, changes)


@pytest.mark.xfail(strict=True, reason=(
    "'5.17 The PPN was screened by the adult safeguarding team within two working days, in "
    "line with the council's procedures. It was then sent to a shared email inbox ... filed "
    "without being read by a clinician.' is suggested (Adhering to policy and procedure, "
    "0.58) from both readings; '5.10 The duty workers responded ...' is not"))
def test_auto_coding_does_not_suggest_a_concession_before_a_criticism(read: Read) -> None:
    conceded = opened_by(read, "5.10 The duty workers responded", "5.17 The PPN was screened")
    assert conceded <= read.seqs("other")
    wrong = sorted(conceded & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "'5.2 The 2015 assessment recorded that Mr Y's relapses followed stopping his "
    "medication ... None of the duty workers ... referred to this history.' is suggested "
    "(Record keeping, 0.52) from both readings; the other ten criticisms are not"))
def test_auto_coding_does_not_suggest_the_criticisms(read: Read) -> None:
    # The findings' other paragraphs, concessions and lead-ins aside: poor
    # practice and facts.
    aside = opened_by(read, "5.10 The duty workers responded", "5.17 The PPN was screened",
                      "Our findings are set out")
    criticism = (_findings(read) & read.seqs("other")) - aside - lead_ins(read) \
        - headings(read)
    assert len(criticism) == 11, sorted(criticism)
    wrong = sorted(criticism & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_never_suggests_the_findings_lead_ins(read: Read) -> None:
    # "Our findings are set out under five themes ... including notable
    # practice ..." and the lead-in "Notable practice:" over two bullets.
    leads = opened_by(read, "Our findings are set out", "Notable practice:")
    assert leads <= read.seqs("other")
    never_suggested(read, {"findings' lead-ins": leads})


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    (words,) = opened_by(read, "Mr Y's sister told us")
    assert words not in read.suggested, read.suggested.get(words)
