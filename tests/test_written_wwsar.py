"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round eight), on
an English Safeguarding Adults Review organised AGENCY BY AGENCY, each agency
a sub-heading over "What went well" and "What could have been better"
sub-sub-headings holding BULLET LISTS, whose recommendations are "R1." to
"R7." paragraphs, of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-wwsar/wwsar-written-2026.md` is a WRITTEN Safeguarding
Adults Review under section 44 of the Care Act 2014 (fictional: no real case
or person) for the Eastmoor Safeguarding Adults Board (the fictional English
board of the SAR's and the SSAR's modules), about "Claire" (a pseudonym her
sister chose), 46, who lived alone in a flat let by Moorside Homes, a
housing association; she drank most days, had long-standing depression,
hoarded, refused care and treatment, and had ulcers on both legs from the
summer of 2022; a Moorside Homes housing officer found her dead on 14
November 2023 (sepsis from the infected leg ulcers, alcohol-related liver
disease contributing). Agencies: Holmfield Surgery (the practice nurse's 31
leg ulcer appointments, 9 attended; a locum's "has capacity"), Northern
Counties Ambulance Service NHS Trust (two attendances, one with a capacity
assessment and a safeguarding concern, one with neither), Eastmoor Borough
Council Adult Social Care (a housing referral answered with a leaflet; the
crew's concern closed after one visit), Northfield Mental Health NHS
Foundation Trust (a thorough assessment, a discharge after two missed
appointments, a crisis team's same-hour response), Moorside Homes (a
tenancy sustainment officer's eleven visits; an injunction letter from its
compliance team) and Westvale Police (two welfare checks). Where it differs
from the written reviews before it (the SAR's and the SSAR's, English SARs
of the same board, the nearest):

- the cover: the board's name (a paragraph), "Safeguarding Adults Review:
  Claire" (the only level-1 heading), "Overview report", "Reference: ESAB
  SAR 04/2025", the independent reviewer, "Signed off by the Safeguarding
  Adults Board: 26 February 2025", "Published: 2 April 2025"; no contents;
- numbered sections, paragraphs not: "1. Introduction" (the death; the
  referral to the SAR Sub-Group on 4 December 2023, the Sub-Group's
  recommendation of 9 January 2024 and the Independent Chair's s44 decision
  of 17 January 2024; the pseudonym and the purpose of a SAR; who Claire
  was), "2. Terms of reference" (a lead-in and FIVE BULLETED QUESTIONS, the
  period with its reason), "3. Methodology" (the panel, the agencies'
  chronologies, the learning event of 12 June 2024, the sister's two
  meetings, the limitations), "4. Summary of events" (seven dated
  paragraphs, among them the crew's concern and the police notification as
  plain fact), "5. Voice of the family" (the sister's words, the last
  praising the tenancy officer and the police officers);
- "6. Agency analysis" ORGANISED AGENCY BY AGENCY: a preamble, then SIX
  AGENCY SUB-HEADINGS ("GP practice: Holmfield Surgery", "Ambulance
  service: ...", "Adult social care: ...", "Mental health trust: ...",
  "Housing association: Moorside Homes", "Police: Westvale Police"), each
  over the same two sub-sub-headings "What went well" and "What could have
  been better" (so each recurs six times), each holding a BULLET LIST: 18
  bullets of what went well, all practice (praise named, "thorough", "in
  clear and specific terms", "within the hour", or told through what was
  done: the practice nurse's calls and letters, the crew's summary to the
  GP, the tenancy officer's eleven visits, the officers' two hours); 24 of
  what could have been better, mixing poor practice, facts, four
  concessions ("That was right in terms of confidentiality, but ...", "The
  reviewer accepts that ... But ...", "The discharge followed the trust's
  policy, but ...", "... as the force's procedure requires, but ..."), what
  practitioners said at the learning event, ONE MIXED bullet ("The social
  worker's visit was timely and respectful, but the decision to close ...")
  and THREE CHANGES SINCE ("Since the learning event, Holmfield Surgery has
  ...", "Since Claire's death the trust has added ...", "Moorside Homes has
  since set up ...");
- "7. Key learning": a preamble and FIVE NUMBERED PARAGRAPHS of learning
  ("Practitioners need to ..."), none a recommendation;
- "8. Recommendations": a lead-in, then "R1." to "R7." PARAGRAPHS: R1, R2
  "The SAB should seek assurance that ..." and R7 "... seek assurance from
  Westvale Police that ..." (the Board's), R3 to Westvale Integrated Care
  Board, R4 to the ambulance trust ("within twelve months", no date), R5
  JOINT to Northfield Mental Health NHS Foundation Trust and Eastmoor
  Borough Council Public Health "as commissioner of Eastmoor Recovery
  Partnership", R6 to Moorside Homes; "9. The Board's response" (one
  paragraph: the recommendations accepted on 26 February 2025).

Its labels (`wwsar-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 119 passages,
22 practice, 7 recommendation (the seven "Rn." paragraphs), 90 other. As
the earlier modules': practice where the reviewers present some practice as
good, however implicitly or mixed with criticism; the changes since
Learning from past reviews. Codes: the GP's January 2022 consultation and
same-day referral Effective communication; the practice nurse's record with
photographs Record keeping; her calls and letters after missed
appointments Consistent and persistent communication; the first appointment
of the day Positive working relationships; the surgery's change since
Learning from past reviews; the crew's documented capacity assessment Risk
assessment; the crew's safeguarding concern Escalating concerns; the crew's
summary to the GP Multi-agency working; the ambulance trust's prompt since
Learning from past reviews; the social worker's visit within three days,
late in the morning, Positive working relationships; her recording Claire's
own words Effective communication; the duty worker's call to the tenancy
officer Multi-agency working; the mixed bullet Positive working
relationships; the community mental health team's thorough assessment Risk
assessment; the crisis team's response to the police Multi-agency working;
the tenancy officer's recognition and referral Escalating concerns; her
eleven visits Persistency in care and support; her small plan with Claire
Positive working relationships; the housing officer's same-day visit
Escalating concerns; Moorside Homes' panel since Learning from past
reviews; the officers' two hours Positive working relationships; their
notification the same night Escalating concerns. Other: the cover, the
introduction, the terms of reference, the method, the summary of events,
the family's words (her praise too), the preamble, every other bullet of
what could have been better, the key learning, the recommendations'
lead-in, the Board's response.

What a user would expect of its identity, decided before the reading: type
SAR, variant None, board "Eastmoor Safeguarding Adults Board", year 2025,
identifier and key SAR2025-04 (the board's "ESAB SAR 04/2025"; no Welsh
board, so no suffix); dates: index incident 2023-11-14 (the death; not the
ambulance attendances of 21 August and 12 October 2023), referral
2023-12-04 (to the SAR Sub-Group; not the Sub-Group's recommendation of 9
January 2024 or the Chair's decision of 17 January 2024), period
2022-01-01 to 2023-11-14, learning event 2024-06-12, sign-off 2025-02-26
(the Board's: the reviewer dates nothing of her own), publication
2025-04-02. Recommendations: seven records numbered 1-7 (or R1-R7), to the
Board (R1, R2, R7), Westvale Integrated Care Board (R3), Northern Counties
Ambulance Service NHS Trust (R4), Northfield Mental Health NHS Foundation
Trust and Eastmoor Borough Council Public Health (R5), Moorside Homes (R6);
no due dates; nothing from the key learning, the terms of reference, the
bullets or the Board's response.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt8
as it was, HEAD c9857fa; STORFA_INT8=u8; by the machine's clock the session
began 09:17:02, the document was written by 09:18:55, the labels 09:19:25,
both copied into tests/data in one `cp` 09:19:26, this module written
before any reading by 09:20:02, storfa first run 09:20:03-09:20:14; the
records' due dates and the near misses printed 09:20:25-09:20:52 on the
same tree), the same from the Markdown and from the PDF in every figure:

- segmentation: 119 passages, all as written, both readings (the six agency
  headings and their twelve sub-sub-headings headings, the analysis' 42 bullets and
  the five key learning paragraphs passages of their own, each "Rn." a
  paragraph);
- identity: SAR2025-04 (key and identifier), SAR, variant None, "Eastmoor
  Safeguarding Adults Board", 2025, all right; index incident 2023-11-14,
  referral 2023-12-04, period start 2022-01-01, learning event 2024-06-12,
  sign-off 2025-02-26, publication 2025-04-02, all right; period end WRONG:
  None (right: 2023-11-14, "The review considered agency involvement from 1
  January 2022 to Claire's death on 14 November 2023, and any relevant
  history before that date.");
- recommendations: 7 records numbered R1-R7, every one found, every
  recommendation passage read, nothing extra (not the lead-in, the key
  learning, a bullet, a terms of reference question or the Board's
  response); no due dates (R4's "within twelve months"), right. Addressees:
  R1, R2 and R7 the Board, R3 Westvale Integrated Care Board, R4 Northern
  Counties Ambulance Service NHS Trust, right; WRONG: R5 ['Northfield
  Mental Health NHS Foundation Trust', 'Eastmoor Borough Council', 'Eastmoor
  Recovery Partnership'] (right: the trust and Eastmoor Borough Council
  Public Health; the recovery service is what Public Health commissions,
  not an addressee), R6 ['housing'] (right: ['Moorside Homes'], named at
  the recommendation's start);
- auto-coding at the single-case threshold (0.49): 19 suggestions, 19 of
  the 22 practice passages, precision 1.00, recall 0.86; the same sub-theme
  as the label on 9 of 19, the same theme on 11 of 19 (0.58, under the 0.70
  bar and this round's 0.80). Wrong: none. Missed (3): the ambulance trust's
  change since, "Since Claire's death the trust has added a mandatory
  prompt to its electronic patient record ..." (0.18), the tenancy
  officer's "She kept visiting. Between April and November 2023 she called
  on Claire eleven times ..." (0.39), Moorside Homes' "... has since set up
  a hoarding and self-neglect panel ..." (0.02) (the surgery's change since
  is found, Learning from past reviews, 0.91). Themes that differ (8): the
  first appointment of the day -> Escalating concerns (0.99; Positive
  working relationships), the crew's capacity assessment -> Effective
  communication (0.90; Risk assessment), the crew's summary to the GP ->
  Escalating concerns (0.98; Multi-agency working), the duty worker's call
  to the tenancy officer -> Learning from past reviews (0.96; Multi-agency
  working), the mixed bullet -> Multi-agency working (0.95; Positive working
  relationships), the crisis team's response -> Escalating concerns (0.94;
  Multi-agency working), the small plan with Claire -> Adhering to policy
  and procedure (0.58; Positive working relationships), the officers' two
  hours -> Multi-agency working (0.85; Positive working relationships);
  within the theme: the social worker's visit -> Persistency in care and
  support (1.00; Positive working relationships), the tenancy officer's
  referral -> Risk assessment (0.74; Escalating concerns). Right: the GP
  (0.94), the nurse's record (0.90) and calls (0.78), the surgery's change
  (0.91), the crew's concern (0.99), Claire's own words (0.93), the
  thorough assessment (0.96), the housing officer (0.93), the police
  notification (0.97). Nothing suggested on the cover, a heading, the
  introduction, the terms of reference, the method, the summary of events,
  the family's words (the sister's praise 0.27), a bullet of what could have
  been better labelled other (concessions, facts, what practitioners said),
  the key learning, a recommendation or the Board's response; the nearest
  miss among the other passages: the Board's response (0.31).

Against the round's judged bars: precision and recall 0.80 each, held
(1.00, 0.86); theme 0.80, NOT held (0.58); every recommendation found with
at most two extra records, held (none extra).

After the first reading only this module changed, not the document or the
labels: this docstring, the tests that found a fault split from what held
(the period's start from its end; R3 and R4 from R6; the joint
recommendation's first addressee from its second; the other seventeen
bullets of what went well, and the practice told through what was done,
from the tenancy officer's visits; the other eleven suggestions in the
label's theme from the eight), and the faults marked strict xfail. On the
frozen tree (09:21:40-09:22:00) and from /work/main with its own src/
(09:22:00-09:22:11) the module gave the same: 92 passed, 2 skipped, 30
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

from storfa.domain.ids import parse_review_id
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
    in_section,
    labelled_records,
    lead_ins,
    never_suggested,
    no_welsh_board,
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

DATA = Path(__file__).resolve().parent / "data" / "written-wwsar"
DOCUMENT = DATA / "wwsar-written-2026.md"
BOARD = "Eastmoor Safeguarding Adults Board"
NUMBERING = "ESAB SAR 04/2025"  # "Reference: ESAB SAR 04/2025" on the cover
IDENTIFIER = "SAR2025-04"
RECOMMENDATIONS = tuple(f"R{n}. " for n in range(1, 8))
ICB = "Westvale Integrated Care Board"
AMBULANCE = "Northern Counties Ambulance Service NHS Trust"
MENTAL_HEALTH = "Northfield Mental Health NHS Foundation Trust"
PUBLIC_HEALTH = "Eastmoor Borough Council Public Health"
HOUSING = "Moorside Homes"
# Who each record is to: "The SAB should seek assurance that/from <agency>"
# is the Board's own.
AGENCIES = {
    "1": [BOARD],
    "2": [BOARD],
    "3": [ICB],
    "4": [AMBULANCE],
    "5": [MENTAL_HEALTH, PUBLIC_HEALTH],
    "6": [HOUSING],
    "7": [BOARD],
}
AGENCY_HEADINGS = (
    "GP practice: Holmfield Surgery",
    f"Ambulance service: {AMBULANCE}",
    "Adult social care: Eastmoor Borough Council",
    f"Mental health trust: {MENTAL_HEALTH}",
    f"Housing association: {HOUSING}",
    "Police: Westvale Police",
)
WELL = "What went well"
BETTER = "What could have been better"
ANALYSIS = "6. Agency analysis"
LEARNING = "7. Key learning"
RECOMMENDATIONS_HEADING = "8. Recommendations"
RESPONSE = "9. The Board's response"
# The brief's judged bars for this round: precision and recall, and theme.
BAR = 0.80


_R5 = (
    "R5 is to ['Northfield Mental Health NHS Foundation Trust', 'Eastmoor Borough Council', "
    "'Eastmoor Recovery Partnership'], both readings; right: ['Northfield Mental Health NHS "
    "Foundation Trust', 'Eastmoor Borough Council Public Health'] ('... and Eastmoor Borough "
    "Council Public Health, as commissioner of Eastmoor Recovery Partnership, should ...': "
    "the service commissioned is no addressee). Since round eight's addressee fixes R5 is "
    "to ['Northfield Mental Health NHS Foundation Trust', 'Eastmoor Borough Council']: the "
    "commissioned service is gone, the council's public health team read as the council")
_VISITS = (
    "'She kept visiting. Between April and November 2023 she called on Claire eleven times, "
    "often unannounced, and was allowed into the flat on six of those visits. Claire's sister "
    "describes her as the one person Claire came to trust.' (under the housing association's "
    "'What went well') is not suggested (0.39), both readings; right: practice told through "
    "what was done, Persistency in care and support")
_AMBULANCE_SINCE = (
    "'Since Claire's death the trust has added a mandatory prompt to its electronic patient "
    "record: a crew recording a refusal of conveyance must now record a capacity assessment "
    "...' is not suggested (0.18), both readings; right: a change since, Learning from past "
    "reviews (the surgery's change since is found, 0.91)")
_MOORSIDE_SINCE = (
    "'Moorside Homes has since set up a hoarding and self-neglect panel which reviews every "
    "tenant where a gas safety check or repair cannot be completed ...' is not suggested "
    "(0.02), both readings; right: a change since, Learning from past reviews")
_THEME_LIST = (
    "the first appointment of the day -> Escalating concerns 0.99 (Positive working "
    "relationships), the crew's documented capacity assessment -> Effective communication "
    "0.90 (Risk assessment), the crew's summary to the GP -> Escalating concerns 0.98 "
    "(Multi-agency working), the duty worker's call to the tenancy officer -> Learning from "
    "past reviews 0.96 (Multi-agency working), 'The social worker's visit was timely and "
    "respectful, but ...' -> Multi-agency working 0.95 (Positive working relationships), the "
    "crisis team's response to the police -> Escalating concerns 0.94 (Multi-agency "
    "working), the small plan with Claire -> Adhering to policy and procedure 0.58 (Positive "
    "working relationships), the officers' two hours with Claire -> Multi-agency working 0.85 "
    "(Positive working relationships)")
_THEMES = f"same theme on 11 of 19 (0.58), both readings: {_THEME_LIST}"
_MISSED = f"three practice bullets not suggested: {_VISITS}; {_AMBULANCE_SINCE}; {_MOORSIDE_SINCE}"
# The eight suggestions outside the label's theme, by their openings.
OFF_THEME = ("Claire was offered the first appointment", "On 21 August 2023 the crew spent",
             "The crew also sent a summary", "When Moorside Homes made its referral",
             "The social worker's visit was timely", "On 19 September 2023 the crisis team",
             "She agreed a small plan with Claire", "The officers who attended on 19 September")


read = reading(DOCUMENT, DATA / "wwsar-written-2026.tsv", "written-wwsar")


def _under(read: Read, heading: str) -> set[int]:
    """The passages under every heading whose text is `heading`, each run to
    the next heading (the two sub-sub-headings recur under each agency)."""
    out: set[int] = set()
    under = False
    for p in read.passages:
        if p.kind == "heading":
            under = read.text(p.seq) == heading
        elif under:
            out.add(p.seq)
    return out


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the first numbered section.
    return set(range(heading_at(read, "1. Introduction")))


def _analysis(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, ANALYSIS, LEARNING)


def _key_learning(read: Read) -> set[int]:
    return {s for s in between(read, LEARNING, RECOMMENDATIONS_HEADING)
            if read.text(s)[:2] in {f"{n}." for n in range(1, 6)}}


def _response(read: Read) -> set[int]:
    return set(range(heading_at(read, RESPONSE) + 1, len(read.passages)))


def _family(read: Read) -> set[int]:
    return between(read, "5. Voice of the family", ANALYSIS)


def _named(read: Read) -> dict[str, list[str]]:
    return {_number(r): r.agencies for r in labelled_records(read)}


def _number(r: StoredRecommendation) -> str:
    return r.number.upper().removeprefix("R")


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 119, 22, 7, 90)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_each_agency_has_its_two_sub_headings(read: Read) -> None:
    # Six agency headings, each followed by "What went well" and "What could
    # have been better", in that order.
    found = [heading_at(read, h) for h in AGENCY_HEADINGS]
    assert found == sorted(found)
    for start, end in zip(found, [*found[1:], heading_at(read, LEARNING)], strict=True):
        subs = [read.text(s) for s in range(start + 1, end) if read.passages[s].kind == "heading"]
        assert subs == [WELL, BETTER], (read.text(start), subs)


def test_the_bullets_are_passages_of_their_own(read: Read) -> None:
    # 18 bullets of what went well, 24 of what could have been better; no
    # bullet read as a heading.
    well, better = _under(read, WELL), _under(read, BETTER)
    assert (len(well), len(better)) == (18, 24)
    assert not (well | better) & headings(read)


def test_each_recommendation_is_a_passage_of_its_own(read: Read) -> None:
    recommendations = opened_by(read, *RECOMMENDATIONS)
    assert recommendations == read.seqs("recommendation")


def test_the_key_learning_is_five_numbered_paragraphs(read: Read) -> None:
    assert len(_key_learning(read)) == 5


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_board_and_year(read: Read) -> None:
    identity(read, type="SAR", board=BOARD, year=2025)


def test_an_english_review_has_no_variant(read: Read) -> None:
    identity(read, variant=None)


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_boards_numbering_parses(read: Read) -> None:
    # "ESAB SAR 04/2025": the board's abbreviation, type, number/year.
    found = parse_review_id(NUMBERING)
    assert (found.type, found.year, found.seq) == ("SAR", 2025, 4), found


def test_the_identifier_is_the_boards_numbering(read: Read) -> None:
    identified(read, IDENTIFIER, ("SAR", 2025, 4, None))


def test_the_index_incident_is_the_death(read: Read) -> None:
    # "Claire was found dead in her flat on 14 November 2023 by a Moorside
    # Homes housing officer"; not the falls, the ambulance calls (21 August,
    # 12 October 2023) or the police welfare checks.
    assert read.summary.dates.get("index_incident") == "2023-11-14", read.summary.dates


def test_the_referral_is_to_the_sar_sub_group(read: Read) -> None:
    # "Moorside Homes referred Claire's death to the Board's SAR Sub-Group on
    # 4 December 2023." Not the Sub-Group's recommendation (9 January 2024),
    # the Independent Chair's decision (17 January 2024), nor any referral to
    # the mental health team or Adult Social Care.
    assert read.summary.dates.get("referral") == "2023-12-04", read.summary.dates


def test_the_period_under_review_starts(read: Read) -> None:
    assert read.summary.dates.get("period_start") == "2022-01-01", read.summary.dates


# First reading, since fixed (round eight's date fixes): period end None, both readings (start
# 2022-01-01 right); right: 2023-11-14, 'The review considered agency involvement from 1 January
# 2022 to Claire's death on 14 November 2023, and any relevant history before that date.'
def test_the_period_under_review(read: Read) -> None:
    # "The review considered agency involvement from 1 January 2022 to
    # Claire's death on 14 November 2023 ..."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-01-01", "2023-11-14"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-06-12", read.summary.dates


def test_the_sign_off_is_the_boards(read: Read) -> None:
    # "Signed off by the Safeguarding Adults Board: 26 February 2025" (the
    # reviewer dates nothing of her own; the Board's response repeats it).
    assert read.summary.dates.get("sign_off") == "2025-02-26", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-04-02", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS,
                              lambda number: number.upper().removeprefix("R"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_seven(read: Read) -> None:
    print_register(read)
    assert [_number(r) for r in labelled_records(read)] == [str(n) for n in range(1, 8)]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the section's lead-in, not a key learning paragraph ("Practitioners
    # need to ..."), not a bullet of what could have been better, not a terms
    # of reference question, not the Board's response.
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_key_learning(read: Read) -> None:
    _no_record_from(read, "key learning", between(read, LEARNING, RECOMMENDATIONS_HEADING))


def test_no_record_from_the_agency_analysis(read: Read) -> None:
    _no_record_from(read, "agency analysis", _analysis(read))


def test_no_record_from_the_rest_of_the_report(read: Read) -> None:
    for what, seqs in (("cover", _cover(read)),
                       ("introduction", in_section(read, "1. Introduction")),
                       ("terms of reference", in_section(read, "2. Terms of reference")),
                       ("family", _family(read)), ("response", _response(read))):
        _no_record_from(read, what, seqs)


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "The SAB should seek assurance that ..." (1, 2) and "... from Westvale
    # Police that ..." (7): the Board's, not the agency it seeks assurance from.
    named = _named(read)
    assert {n: named.get(n) for n in ("1", "2", "7")} == \
        {n: AGENCIES[n] for n in ("1", "2", "7")}, named


# First reading, since fixed (round eight's addressee fixes): R6 'Moorside Homes should ensure
# that no enforcement letter ...' is to ['housing'], both readings; right: ['Moorside Homes'], the
# housing association it names first
def test_a_recommendation_naming_its_agency_is_to_it(read: Read) -> None:
    named = _named(read)
    assert {n: named.get(n) for n in ("3", "4", "6")} == \
        {n: AGENCIES[n] for n in ("3", "4", "6")}, named


def test_the_icbs_and_the_ambulance_trusts_are_theirs(read: Read) -> None:
    named = _named(read)
    assert {n: named.get(n) for n in ("3", "4")} == \
        {n: AGENCIES[n] for n in ("3", "4")}, named


# First reading, since fixed (round eight's addressee fixes): R6 'Moorside Homes should ensure
# that no enforcement letter ...' is to ['housing'], both readings; right: ['Moorside Homes'], the
# housing association it names first
def test_the_housing_associations_is_to_moorside_homes(read: Read) -> None:
    assert _named(read).get("6") == [HOUSING], _named(read).get("6")


def test_the_joint_recommendation_names_the_trust_first(read: Read) -> None:
    found = _named(read).get("5") or []
    assert found[:1] == [MENTAL_HEALTH], found


@pytest.mark.xfail(strict=True, reason=_R5)
def test_the_joint_recommendation_is_to_both(read: Read) -> None:
    # "Northfield Mental Health NHS Foundation Trust and Eastmoor Borough
    # Council Public Health, as commissioner of Eastmoor Recovery Partnership,
    # should ...": not the service it commissions.
    assert _named(read).get("5") == AGENCIES["5"], _named(read).get("5")


def test_no_due_date_from_a_relative_time(read: Read) -> None:
    # R4's "within twelve months" is no date.
    wrong = [(r.number, r.due_date) for r in labelled_records(read) if r.due_date is not None]
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_auto_coding_holds_this_rounds_bar(read: Read) -> None:
    # Precision and recall 0.80 each.
    precision, recall = auto_coding(read)
    assert precision >= BAR and recall >= BAR, (precision, recall)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# same theme on 11 of 19 (0.58), both readings: the first appointment of the day -> Escalating
# concerns 0.99 (Positive working relationships), the crew's documented capacity assessment ->
# Effective communication 0.90 (Risk assessment), the crew's summary to the GP -> Escalating
# concerns 0.98 (Multi-agency working), the duty worker's call to the tenancy officer -> Learning
# from past reviews 0.96 (Multi-agency working), 'The social worker's visit was timely and
# respectful, but ...' -> Multi-agency working 0.95 (Positive working relationships), the crisis
# team's response to the police -> Escalating concerns 0.94 (Multi-agency working), the small plan
# with Claire -> Adhering to policy and procedure 0.58 (Positive working relationships), the
# officers' two hours with Claire -> Multi-agency working 0.85 (Positive working relationships):
# under the 0.70 bar
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# same theme on 11 of 19 (0.58), both readings: the first appointment of the day -> Escalating
# concerns 0.99 (Positive working relationships), the crew's documented capacity assessment ->
# Effective communication 0.90 (Risk assessment), the crew's summary to the GP -> Escalating
# concerns 0.98 (Multi-agency working), the duty worker's call to the tenancy officer -> Learning
# from past reviews 0.96 (Multi-agency working), 'The social worker's visit was timely and
# respectful, but ...' -> Multi-agency working 0.95 (Positive working relationships), the crisis
# team's response to the police -> Escalating concerns 0.94 (Multi-agency working), the small plan
# with Claire -> Adhering to policy and procedure 0.58 (Positive working relationships), the
# officers' two hours with Claire -> Multi-agency working 0.85 (Positive working relationships):
# under this round's 0.80 bar
def test_the_theme_holds_this_rounds_bar(read: Read) -> None:
    _, same_theme, hits = theme_agreement(read)
    assert hits and same_theme / hits >= BAR, (same_theme, hits)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


@pytest.mark.xfail(strict=True, reason=(
    "Since the coder learnt round ten (53 reviews): 'The GP who saw Claire in January 2022 "
    "...' is read as Positive working relationships (0.94), both readings; right: Effective "
    "communication, theme Communication"))
def test_all_but_eight_suggestions_are_in_the_labels_theme(read: Read) -> None:
    # 11 of 19: the GP, the nurse's record and calls, the surgery's change, the
    # crew's concern, the social worker's visit (Persistency, same theme) and
    # Claire's own words, the thorough assessment, the tenancy officer's
    # referral (Risk assessment, same theme), the housing officer, the
    # police notification. (12 since round eight's fixes: the ambulance
    # trust's change since, found, is in its label's theme.)
    held = read.seqs("practice") & read.suggested.keys() - opened_by(read, *OFF_THEME)
    assert len(held) == 12
    suggested_in_labels_theme(read, held)


@pytest.mark.xfail(strict=True, reason=_THEME_LIST)
def test_the_crews_capacity_assessment_is_risk(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "On 21 August 2023 the crew spent"))


@pytest.mark.xfail(strict=True, reason=_THEME_LIST)
def test_the_information_shared_is_multi_agency_working(read: Read) -> None:
    # The crew's summary to the GP, the duty worker's call to the tenancy
    # officer, the crisis team's response to the police.
    suggested_in_labels_theme(read, opened_by(read, "The crew also sent a summary",
                                              "When Moorside Homes made its referral",
                                              "On 19 September 2023 the crisis team"))


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample): the
# first appointment of the day -> Escalating concerns 0.99 (Positive working relationships), the
# crew's documented capacity assessment -> Effective communication 0.90 (Risk assessment), the
# crew's summary to the GP -> Escalating concerns 0.98 (Multi-agency working), the duty worker's
# call to the tenancy officer -> Learning from past reviews 0.96 (Multi-agency working), 'The
# social worker's visit was timely and respectful, but ...' -> Multi-agency working 0.95 (Positive
# working relationships), the crisis team's response to the police -> Escalating concerns 0.94
# (Multi-agency working), the small plan with Claire -> Adhering to policy and procedure 0.58
# (Positive working relationships), the officers' two hours with Claire -> Multi-agency working
# 0.85 (Positive working relationships)
def test_the_relationships_are_care_and_support(read: Read) -> None:
    # The first appointment of the day, the mixed bullet, the small plan, the
    # officers' two hours.
    suggested_in_labels_theme(read, opened_by(read, "Claire was offered the first appointment",
                                              "The social worker's visit was timely",
                                              "She agreed a small plan with Claire",
                                              "The officers who attended on 19 September"))


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_suggests_nothing_but_practice(read: Read) -> None:
    wrong = sorted(read.suggested.keys() - read.seqs("practice"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "introduction": in_section(read, "1. Introduction"),
        "terms of reference": in_section(read, "2. Terms of reference"),
        "methodology": in_section(read, "3. Methodology"),
        "recommendations": in_section(read, RECOMMENDATIONS_HEADING),
        "response": _response(read),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_summary_of_events(read: Read) -> None:
    # Dated facts, among them the crew's concern and the police notification.
    summary = in_section(read, "4. Summary of events")
    assert len(summary) == 7
    never_suggested(read, {"summary of events": summary})


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    # The sister praises the tenancy officer and the police officers in her
    # own words.
    family = _family(read)
    assert len(family) == 4 and family <= read.seqs("other")
    never_suggested(read, {"family's words": family})


def test_auto_coding_never_suggests_the_key_learning(read: Read) -> None:
    learning = between(read, LEARNING, RECOMMENDATIONS_HEADING)
    assert len(learning) == 6 and learning <= read.seqs("other")
    never_suggested(read, {"key learning": learning})


@pytest.mark.xfail(strict=True, reason=_VISITS)
def test_auto_coding_finds_everything_that_went_well(read: Read) -> None:
    well = _under(read, WELL)
    assert len(well) == 18 and well <= read.seqs("practice")
    all_suggested(read, well)


def test_auto_coding_finds_the_other_seventeen_that_went_well(read: Read) -> None:
    well = _under(read, WELL) - opened_by(read, "She kept visiting.")
    assert len(well) == 17
    all_suggested(read, well)


@pytest.mark.xfail(strict=True, reason=_VISITS)
def test_auto_coding_finds_the_tenancy_officers_visits(read: Read) -> None:
    opened_suggested(read, "She kept visiting.")


def test_auto_coding_does_not_suggest_what_could_have_been_better(read: Read) -> None:
    # All but the mixed bullet and the three changes since.
    other = _under(read, BETTER) & read.seqs("other")
    assert len(other) == 20
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    # "That was right in terms of confidentiality, but ...", "The reviewer
    # accepts that ... But ...", "The discharge followed the trust's policy,
    # but ...", "... as the force's procedure requires, but ...".
    opened_not_suggested(read, "The practice twice told Claire's sister",
                         "The reviewer accepts that the crew",
                         "Claire was discharged to her GP on 9 June 2022",
                         "The adult concern notification in September 2023")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "Practitioners at the learning event described")


def test_auto_coding_finds_the_mixed_bullet(read: Read) -> None:
    # "The social worker's visit was timely and respectful, but ..."
    opened_suggested(read, "The social worker's visit was timely and respectful")


def test_auto_coding_finds_practice_told_through_what_was_done(read: Read) -> None:
    # The practice nurse's calls and letters; the crew's summary to the GP;
    # the officers' two hours (the tenancy officer's visits: their own xfail).
    opened_suggested(read, "When Claire missed appointments, the practice nurse",
                     "The crew also sent a summary",
                     "The officers who attended on 19 September 2023")


def test_auto_coding_finds_the_surgerys_change_since(read: Read) -> None:
    opened_coded(read, "Since the learning event, Holmfield Surgery",
                 "Learning from past reviews")


# First reading, since fixed (round eight's form fixes): 'Since Claire's death the trust has added
# a mandatory prompt to its electronic patient record: a crew recording a refusal of conveyance
# must now record a capacity assessment ...' is not suggested (0.18), both readings; right: a
# change since, Learning from past reviews (the surgery's change since is found, 0.91)
def test_auto_coding_finds_the_ambulance_trusts_change_since(read: Read) -> None:
    opened_coded(read, "Since Claire's death the trust", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_MOORSIDE_SINCE)
def test_auto_coding_finds_moorside_homes_change_since(read: Read) -> None:
    opened_coded(read, "Moorside Homes has since set up", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=f"{_THEMES}; and {_MISSED}")
def test_every_practice_bullet_is_suggested_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice"))
