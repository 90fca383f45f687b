"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on a second
Welsh Single Unified Safeguarding Review laid out as the SUSR report
template sets it out, of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-susr2/susr2-written-2026.md` is a WRITTEN SUSR
(fictional: no real case or person) commissioned jointly by the West
Glamorgan Safeguarding Board and Neath Port Talbot Community Safety
Partnership, a domestic homicide: Ms R, 41, killed in Port Talbot on 9
November 2024 by her former partner, Mr T, eleven weeks after she ended the
relationship and after ten reports to the police of his contact. Where it
differs from the first written SUSR (`test_written_susr.py`) and the others:

- a bilingual title page, Welsh first on each line ("Bwrdd Diogelu Gorllewin
  Morgannwg | West Glamorgan Safeguarding Board", the partnership likewise,
  the one heading "Adolygiad Diogelu Unedig Sengl | Single Unified
  Safeguarding Review", "Adroddiad yr adolygiad i farwolaeth Ms R | Report
  of ..."), the identifier "SUSR2025-04/WG" alone on a line, "Approved by
  the Board and the Partnership: 18 November 2025", "Date of publication:
  16 December 2025", "Mae'r ddogfen hon ar gael yn Gymraeg. This document is
  available in Welsh."; no contents, no running header or page numbers;
- the template's sections, numbered "1. Introduction" ... "9.
  Recommendations", paragraphs numbered "1.1": "2. Circumstances leading to
  the review" (what happened; the police's notification on 12 November, the
  referral to the Case Review Group on 14 November), "3. Scope and process"
  (the period 1 November 2022 - 9 November 2024 with its reason, the
  learning event, the panel's membership as a TABLE "Agency | Role on the
  panel" after a lead-in ending "Its members were:"), "4. The voice of the
  family" (the sister's, the son's and the daughter's words; the daughter's
  praise the social worker), "5. Background and summary of agency contact"
  (narrative under year sub-headings "2022", "2023", "2024");
- "6. Analysis" by five Key Lines of Enquiry, each a question sub-heading
  ("KLOE 1: How well did agencies identify and assess the risk ...?"), each
  mixing good practice explicit ("This was appropriate and timely", "was
  thorough", "an effective multi-agency meeting") and implicit (what was
  done: weekly contact "at times and places Ms R chose", supervision, seeing
  the daughter alone), poor practice, a concession ("The panel recognises
  that the officers ... were responding to a high volume of calls"), "It
  would have been good practice for ...", a change made since ("Since Ms R's
  death, Neath Port Talbot Council has introduced ..."), and a LEARNING BOX,
  a blockquote "**Learning point N:** ..." (what practitioners need to do);
- "7. Good practice identified": a lead-in and six short bullets restating
  the analysis; "8. Conclusions", the last of three restating the IDVA's,
  the school's and the social worker's practice;
- "9. Recommendations": a lead-in, "Recommendations for the Board" (a
  numbered list 1-4: 1 to the Board and the Partnership jointly, 2-4 "The
  Board should ...", one seeking assurance from the police, one writing to
  the Welsh Government) and "Single agency recommendations" (list items
  lettered "a)" - "d)", each opening on its agency: South Wales Police,
  Swansea Bay University Health Board, Neath Port Talbot Council, Probation
  Service Wales); no action plan;
- "Appendix A: Glossary" as paragraphs "TERM – meaning", the first the Welsh
  name "ADUS – Adolygiad Diogelu Unedig Sengl ...".

Its labels (`susr2-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 109 passages,
18 practice (11 paragraphs of the analysis, the 6 good-practice bullets each
with its paragraph's code, the concluding praise 8.3), 8 recommendation (the
4 numbered and 4 lettered items), 83 other. As the earlier reviews: a
paragraph is practice where the reviewers present some practice in it as
good, however implicitly; "It would have been good practice for ..." is
Suggested good practice; the council's change since the death is Learning
from past reviews. Other: the title page, every heading, the introduction,
circumstances, scope and the panel table (header and rows), the family's
words (the daughter's praise of her social worker is hers, not the
panel's), the background by year, the analysis's lead-in, the poor practice
(6.2, 6.4, 6.7, 6.9, 6.11, 6.15, 6.20), the concessions (6.13, 6.21), the
five learning points, the lead-ins, the two conclusions that name no
practice, the recommendations' lead-in and the glossary.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt11 at HEAD be6c833, which existed already and was used as it was; by
the machine's clock the session began 22:58:13, the document was drafted
22:59-23:00, segmented 23:00:42, the labels written 23:00:53 and copied into
tests/data with the document in one `cp` 23:00:56, this module written
before any reading, storfa first run 23:01:34-23:01:54), the same from the
Markdown and from the PDF unless said:

- identity: key and identifier SUSR2025-04/WG, type SUSR, variant None,
  board West Glamorgan, year 2025, all right; dates: referral 2024-11-14,
  learning event 2025-06-03, period 2022-11-01 to 2024-11-09, sign-off
  2025-11-18, publication 2025-12-16, right; index incident 2024-11-12,
  WRONG (the day the police notified the board of the death, 2.2; right
  2024-11-09, 1.1 and 2.1);
- recommendations: 8 records, all 8 found, nothing extra (not the lead-in,
  a learning point, "It would have been good practice ...", a bullet or the
  glossary); addressees all right (1 the Board and the Partnership, 2-4
  the Board, a-d each its agency); numbered "1"-"4", then "5", "5b", "5c",
  "5d": the lettered single agency recommendations read as the parts of a
  fifth recommendation (and "a) " kept in the first one's text, the letter
  cut from the others), right "a"-"d";
- from the PDF 108 passages: the year heading "2024", the first line of page
  4, is dropped ("2022" and "2023", mid-page, are kept); every other passage
  reads as the Markdown wrote it;
- auto-coding at the single-case threshold (0.49 as reported): from the
  Markdown 18 suggestions, 12 of the 18 practice passages, precision 0.67,
  recall 0.67; from the PDF 20 suggestions, precision 0.60, recall 0.67;
  same sub-theme on 7 of 12, same theme on 8 of 12 (0.67), both. Wrong
  (6): 2.1 the circumstances (Persistency in care and support 0.64), the
  son's words (Escalating concerns 0.65), the daughter's praise of her
  social worker (Effective communication 0.80), 6.4 the closure of the
  ambulance crew's report on Ms R's word with Mr T at home (Escalating
  concerns 0.69), the concession 6.13 (Learning from past reviews 0.74),
  the glossary's "DVPN / DVPO" (Adhering to policy and procedure 0.52);
  from the PDF also 5.2 (0.57) and 5.7 (0.68) of the background. Missed
  (6): 6.3 the ambulance crew, "This was appropriate and timely" (0.42),
  6.14 the Housing Options officer's attempts (0.24), 6.17 the IDVA's
  weekly contact (0.07), 6.18 her supervision (0.24), 6.19 the social
  worker's direct work with the daughter (0.10), the bullet "The IDVA's
  thorough risk assessment in February 2024." (0.34). Found: 6.5 (0.52),
  6.6 (0.89), 6.8 (0.91), 6.10 "appropriate and timely" (0.87), 6.12 as
  Suggested good practice (1.00), 6.16 as Learning from past reviews
  (0.79), five of six bullets, 8.3 (0.88). Sub-themes that differ: 6.8 and
  6.10 (Adhering to policy and procedure) -> Effective communication, Risk
  assessment; the ambulance crew's bullet (Escalating concerns) -> Risk
  assessment; the lead's bullet (Adhering) -> Escalating concerns; the
  social worker's bullet (Effective communication) -> Consistent care and
  support. Not suggested: any heading, the title page, the panel table,
  the learning points, the recommendations, the lead-ins, 8.1-8.2, six of
  seven criticisms.

After the first reading only this module changed, not the document or the
labels: each failing test was marked strict xfail with what storfa gave;
the passage count, the background and the date test were split (by
reading, or into the date that is wrong and those that are right); the
never-suggested test was split by zone so that what holds is held. One
fault was mine and fixed: the addressees of a-d were looked up by the
number "a"-"d", which storfa does not give (so the test failed on
numbering, not addressees); they are now taken passage by passage, and
hold. The sub-theme bar (0.7, as JUDGED) is this module's own.

Being written, its figures are a behavioural check, not a headline. The
document is ingested once per module (from Markdown, and from a PDF laid
out as a Word report) into a temporary SQLite store, and auto-coded with the
shipped classifier and real embeddings."""

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
    only,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-susr2"
DOCUMENT = DATA / "susr2-written-2026.md"
IDENTIFIER = "SUSR2025-04/WG"
BOARD = "West Glamorgan Safeguarding Board"
PARTNERSHIP = "Neath Port Talbot Community Safety Partnership"
RECOMMENDATIONS = (
    "1. The West Glamorgan Safeguarding Board and Neath Port Talbot",
    "2. The Board should seek assurance",
    "3. The Board should write to the Welsh Government",
    "4. The Board should publish",
    "a) South Wales Police should ensure",
    "b) Swansea Bay University Health Board should ensure",
    "c) Neath Port Talbot Council should ensure",
    "d) Probation Service Wales should ensure",
)
# As the report numbers and letters them.
NUMBERS = ["1", "2", "3", "4", "a", "b", "c", "d"]
# The single agency recommendations' addressees, each the agency it opens on.
SINGLE = {
    "a": ["South Wales Police"],
    "b": ["Swansea Bay University Health Board"],
    "c": ["Neath Port Talbot Council"],
    "d": ["Probation Service Wales"],
}
INTRODUCTION = "1. Introduction"
ANALYSIS = "6. Analysis"
GOOD_PRACTICE = "7. Good practice identified"
CONCLUSIONS = "8. Conclusions"
RECOMMENDATIONS_HEADING = "9. Recommendations"
GLOSSARY = "Appendix A: Glossary"


read = reading(DOCUMENT, DATA / "susr2-written-2026.tsv", "written-susr2")


def _number(number: str) -> str:
    return number.strip("().")


def _title_page(read: Read) -> set[int]:
    # No contents: the title page is all before the introduction's heading.
    (intro,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == INTRODUCTION]
    return set(range(intro))


def _glossary(read: Read) -> set[int]:
    (at,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == GLOSSARY]
    return set(range(at + 1, len(read.passages)))


def _learning_points(read: Read) -> set[int]:
    found = {p.seq for p in read.passages if read.text(p.seq).startswith("Learning point ")}
    assert len(found) == 5
    return found


def _good_practice_bullets(read: Read) -> set[int]:
    (lead_in,) = opened_by(read, "7.1 The panel identified")
    return between(read, GOOD_PRACTICE, CONCLUSIONS) - {lead_in}


def _records(read: Read) -> dict[str, list[str]]:
    """Each record's addressees, by the number the report gives its passage."""
    by_seq = {seq: r for seq, r in read.recommendations}
    labelled = sorted(read.seqs("recommendation"))
    assert len(labelled) == len(NUMBERS)
    return {n: by_seq[seq].agencies for n, seq in zip(NUMBERS, labelled, strict=True)
            if seq in by_seq}


_PRECISION = (
    "precision 0.67 (12 of 18) from the Markdown, 0.60 (12 of 20) from the PDF, at threshold "
    "0.49, floor 0.80: suggested 2.1 the circumstances (0.64), the son's and the daughter's "
    "words (0.65, 0.80), 6.4 the closure on Ms R's word (0.69), the concession 6.13 (0.74), "
    "the glossary's 'DVPN / DVPO' (0.52), and from the PDF two chronology paragraphs, 5.2 "
    "(0.57) and 5.7 (0.68)")
_MISSED = (
    "recall 0.67 (12 of 18): missed 6.3 the ambulance crew's report, 'This was appropriate "
    "and timely' (0.42), 6.14 the Housing Options officer's attempts (0.24), 6.17 the IDVA's "
    "weekly contact (0.07), 6.18 her supervision (0.24), 6.19 the social worker's direct work "
    "(0.10) and the bullet 'The IDVA's thorough risk assessment in February 2024.' (0.34)")


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 109, 18, 8, 83)


# First reading, since fixed: from the PDF 108 passages: the year heading '2024' of section 5,
# the first line of page 4, is dropped (2022 and 2023, mid-page, are kept); right: 109, every
# heading kept
def test_the_store_holds_the_passages_that_were_labelled_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 109, 18, 8, 83)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


def test_the_panel_table_is_read_as_rows(read: Read) -> None:
    (lead_in,) = opened_by(read, "3.3 The review panel met six times")
    rows = [read.passages[s] for s in range(lead_in + 1, lead_in + 10)]
    assert [p.kind for p in rows] == ["table_row"] * 9, [(p.kind, p.text[:40]) for p in rows]


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_board_and_year(read: Read) -> None:
    identity(read, type="SUSR", variant=None, board="West Glamorgan", year=2025)


def test_the_title_page_gives_the_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("SUSR", 2025, 4, "WG"))


# First reading, since fixed: index incident 2024-11-12, the day the police notified the board
# ('notified the Board's business unit of Ms R's death on 12 November 2024', 2.2); right:
# 2024-11-09, the day she was killed ('killed by her former partner ... on 9 November 2024',
# 1.1; 'On the evening of 9 November 2024', 2.1)
def test_the_date_of_the_death(read: Read) -> None:
    assert read.summary.dates.get("index_incident") == "2024-11-09", read.summary.dates


def test_the_dates_of_the_referral_and_learning_event(read: Read) -> None:
    # "referred to the Board's Case Review Group on 14 November 2024";
    # "A learning event was held ... on 3 June 2025".
    dates = read.summary.dates
    assert (dates.get("referral"), dates.get("learning_event")) == \
        ("2024-11-14", "2025-06-03"), dates


def test_the_review_period(read: Read) -> None:
    # "from 1 November 2022 to 9 November 2024" (3.1).
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-11-01", "2024-11-09"), dates


def test_the_publication_and_approval(read: Read) -> None:
    # "Date of publication: 16 December 2025"; "Approved by the Board and the
    # Partnership: 18 November 2025".
    dates = read.summary.dates
    assert dates.get("publication") == "2025-12-16", dates
    assert dates.get("sign_off") == "2025-11-18", dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the lead-in 9.1, a learning point, "It would have been good practice
    # for ..." or a good-practice bullet.
    records_beyond_the_labels(read, 0)


@pytest.mark.xfail(strict=True, reason=(
    "the single agency recommendations a)-d), a lettered series of their own under their "
    "own heading, are numbered '5', '5b', '5c', '5d', as parts of a fifth recommendation "
    "the report does not have (and the first keeps 'a) ' in its text, the others lose "
    "their letter); right: 'a'-'d' after '1'-'4'"))
def test_the_records_are_numbered_and_lettered_as_the_report_does(read: Read) -> None:
    print_register(read)
    assert [_number(r.number) for r in labelled_records(read)] == NUMBERS


def test_the_first_is_to_the_board_and_the_partnership(read: Read) -> None:
    assert _records(read).get("1") == [BOARD, PARTNERSHIP], _records(read)


def test_the_boards_own_are_the_boards(read: Read) -> None:
    # "The Board should seek assurance from South Wales Police ...", "... write
    # to the Welsh Government ...", "... publish ...": the Board acts.
    found = _records(read)
    assert all((found.get(n) or [None])[0] == BOARD for n in ("2", "3", "4")), found


def test_each_single_agency_recommendation_is_to_its_agency(read: Read) -> None:
    found = _records(read)
    assert {n: found.get(n) for n in SINGLE} == SINGLE, found


def test_no_recommendation_from_the_analysis_or_the_good_practice(read: Read) -> None:
    elsewhere = between(read, ANALYSIS, RECOMMENDATIONS_HEADING)
    assert not read.covered & elsewhere, [read.text(s)[:60] for s in read.covered & elsewhere]


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=_PRECISION)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar_from_the_markdown(read: Read) -> None:
    # Missed from both readings at the first reading (the reasons below); from the
    # Markdown it holds now.
    only(read, "markdown")
    holds_the_judged_bar(read)


@pytest.mark.xfail(strict=True, reason=_PRECISION + "; " + _MISSED)
def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_judged_bar(read)


_SUB_THEMES = (
    "6.8 the safeguarding lead's same-day referral -> Effective communication (Adhering to "
    "policy and procedure), 6.10 the arrest within two hours -> Risk assessment (Adhering "
    "to policy and procedure), the ambulance crew's bullet -> Risk assessment (Escalating "
    "concerns: the same theme), the lead's bullet -> Escalating concerns (Adhering to policy "
    "and procedure), the social worker's bullet -> Consistent care and support (Effective "
    "communication)")


# First reading, since fixed: 'same theme on 8 of 12 (0.67), both readings: ' + _SUB_THEMES
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed: 'same sub-theme on 7 of 12 (0.58), both readings: ' + _SUB_THEMES
def test_the_sub_theme_agrees_with_the_label(read: Read) -> None:
    same_code, _, hits = theme_agreement(read)
    assert hits and same_code / hits >= 0.7, (same_code, hits)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": _title_page(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


@pytest.mark.xfail(strict=True, reason=(
    "'2.1 Ms R and Mr T had been in a relationship for six years ...' (the circumstances of "
    "her death) is suggested, Persistency in care and support 0.64, both readings: it "
    "names no practice"))
def test_auto_coding_never_suggests_the_introduction_or_scope(read: Read) -> None:
    never_suggested(read, {"introduction, circumstances, scope and panel": between(
        read, INTRODUCTION, "4. The voice of the family")})


def test_auto_coding_never_suggests_the_background(read: Read) -> None:
    only(read, "markdown")
    never_suggested(read, {"background": between(
        read, "5. Background and summary of agency contact", ANALYSIS)})


@pytest.mark.xfail(strict=True, reason=(
    "from the PDF two paragraphs of the chronology by year are suggested: '5.2 On 21 "
    "November 2022 Ms R saw her GP ...' (Consistent care and support 0.57) and '5.7 The "
    "charge against Mr T was discontinued ...' (Persistency in care and support 0.68); "
    "not from the Markdown"))
def test_auto_coding_never_suggests_the_background_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    never_suggested(read, {"background": between(
        read, "5. Background and summary of agency contact", ANALYSIS)})


# First reading, since fixed: the glossary's 'DVPN / DVPO – Domestic Violence Protection
# Notice and Order, which can bar a perpetrator ...' is suggested, Adhering to policy and
# procedure 0.52, both readings
def test_auto_coding_never_suggests_the_glossary(read: Read) -> None:
    never_suggested(read, {"glossary": _glossary(read)})


# First reading, since fixed: the family's words are suggested, both readings: the daughter's
# '... the social worker "was the first adult who asked me ..."' (Effective communication
# 0.80) and the son's '"Mam rang the police so many times ..."' (Escalating concerns 0.65):
# their words, not the panel's finding
def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    # The daughter's praise of her social worker is her word, not the panel's.
    never_suggested(read, {"family": between(
        read, "4. The voice of the family", "5. Background and summary of agency contact")})


def test_auto_coding_never_suggests_a_learning_point(read: Read) -> None:
    never_suggested(read, {"learning point": _learning_points(read)})


@pytest.mark.xfail(strict=True, reason=(
    "'6.3 The ambulance crew ... made a safeguarding report ... This was appropriate and "
    "timely ...' is missed (0.42), both readings; 6.10 'The police response ... was "
    "appropriate and timely' is found (0.87)"))
def test_auto_coding_finds_what_was_appropriate_and_timely(read: Read) -> None:
    said = {s for s in read.seqs("practice") if "appropriate and timely" in read.text(s)}
    assert len(said) == 2
    all_suggested(read, said)


@pytest.mark.xfail(strict=True, reason=(
    "practice stated through what was done is missed, both readings: 6.14 the Housing "
    "Options officer's several attempts and the meeting at the IDVA's office (0.24), 6.17 "
    "the IDVA's weekly contact 'at times and places Ms R chose' (0.07), 6.18 her weekly "
    "supervision (0.24), 6.19 the social worker seeing the daughter alone three times "
    "(0.10); only 6.8 the same-day referral is found (0.91)"))
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    done = opened_by(read, "6.8 When Ms R's daughter disclosed", "6.14 Ms R's application",
                     "6.17 The IDVA saw or spoke", "6.18 The IDVA was supported",
                     "6.19 The social worker who assessed")
    assert done <= read.seqs("practice")
    all_suggested(read, done)


def test_auto_coding_finds_the_praised_assessment_and_meeting(read: Read) -> None:
    said = opened_by(read, "6.5 The IDVA's risk assessment", "6.6 The MARAC meeting")
    assert said <= read.seqs("practice")
    all_suggested(read, said)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    (said,) = opened_by(read, "6.12 It would have been good practice")
    assert read.suggested.get(said, [("-", 0.0)])[0][0] == "Suggested good practice", \
        read.suggested.get(said)


def test_auto_coding_finds_the_change_made_since_as_learning(read: Read) -> None:
    (change,) = opened_by(read, "6.16 Since Ms R's death")
    assert read.suggested.get(change, [("-", 0.0)])[0][0] == "Learning from past reviews", \
        read.suggested.get(change)


@pytest.mark.xfail(strict=True, reason=(
    "'6.4 The adult safeguarding team received the crew's report but closed it two days "
    "later, after a telephone call ... Mr T was at home during the call.' is suggested, "
    "Escalating concerns 0.69, both readings; the other six criticisms are not"))
def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    poor = opened_by(read, "6.2 The officers who attended", "6.4 The adult safeguarding team",
                     "6.7 Probation Service Wales", "6.9 The GP practice",
                     "6.11 Ms R's other ten reports", "6.15 The sanctuary scheme referral",
                     "6.20 Ms R saw her GP")
    assert poor <= read.seqs("other")
    wrong = sorted(poor & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "the concession '6.13 The panel recognises that the officers who took Ms R's reports "
    "were responding to a high volume of calls ...' is suggested, Learning from past "
    "reviews 0.74, both readings; 6.21 is not"))
def test_auto_coding_does_not_suggest_a_concession(read: Read) -> None:
    conceded = opened_by(read, "6.13 The panel recognises", "6.21 Practitioners at the")
    assert conceded <= read.seqs("other")
    wrong = sorted(conceded & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    "the bullet 'The IDVA's thorough risk assessment in February 2024.' is missed (0.34), "
    "both readings; the other five are found (0.79-0.99)"))
def test_auto_coding_finds_every_good_practice_bullet(read: Read) -> None:
    bullets = _good_practice_bullets(read)
    assert len(bullets) == 6 and bullets <= read.seqs("practice")
    all_suggested(read, bullets)


def test_auto_coding_finds_the_concluding_praise_and_nothing_else_there(read: Read) -> None:
    (praise,) = opened_by(read, "8.3 Ms R was well supported")
    assert praise in read.suggested, praise
    never_suggested(read, {"conclusions": opened_by(read, "8.1 Ms R's death", "8.2 The review")})
