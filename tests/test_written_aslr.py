"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round 8), on a
SCOTTISH Adult Support and Protection Learning Review (the first adult
review here from Scotland; the CPC's Learning Review, test_written_scot.py,
the nearest), of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-aslr/aslr-written-2026.md` is a WRITTEN Learning Review
(fictional: no real case or person) under the National Guidance for Adult
Protection Committees Undertaking Learning Reviews (Scottish Government,
2022), for the Lochmuir Adult Protection Committee, about Mr D, 78, a
widower with Alzheimer's disease living alone in Ardmuir with care at home
twice a day and a weekly district nurse, whose grandson G moved in on
06/06/2022, took more than £11,000 from him and was seen as the cause of
bruising; two ASP inquiries (the first closed on a poor reading of the
three-point test, the second thorough), a Banking Protocol call and an
officer's check with the Office of the Public Guardian (G claimed Power of
Attorney; the daughter, Mrs F, held it), an Adults with Incapacity
assessment, an Adult Protection Case Conference (24/11/2022) and a
protection plan that failed when G cancelled the care at home visits and
the review case conference was postponed; Mr D was found on his kitchen
floor by Police Scotland on 14 March 2023, days after a fall, and died in
Lochmuir Royal Infirmary that day. Its shape:

- the cover: the committee's name, "Learning Review" (the only level-1
  heading), "Mr D", "June 2024" (a month only), the lead reviewer; no
  numbering; a numbered contents list of the nine numbered sections;
- "1. Executive summary" (the finding and death, the harm, the overall
  finding, ONE paragraph of good practice restating three strengths, the
  seven recommendations); "2. Introduction" (Police Scotland's referral for
  an Initial Case Review on 22/03/2023, the ICR completed by the Learning
  Review Sub-group on 19 April 2023, the APC Chair's decision on 10/05/2023,
  the 2022 guidance, the daughter); "3. Scope and methodology" (the period
  06/06/2022 to 14 March 2023, the learning review team, a practitioner
  event on 12 October 2023 and the team's meeting on 30/11/2023, four
  questions as a lead-in and bullets, the APC's approval on 05/03/2024);
  "4. Background" (Mr D, his daughter's words, the diagnosis and Power of
  Attorney, G);
- "5. Findings": a preamble and FIVE THEMED HEADINGS (the three-point test;
  financial harm, Power of Attorney and Adults with Incapacity; the case
  conference and protection plan; health services and the district nurse;
  the final weeks), their paragraphs mixing practice named as good ("done
  promptly and well", "thoughtful and professionally curious policing", "an
  excellent example", "well prepared and well attended", "commends her
  persistence", "prompt and in line with"), practice stated through what
  was done (the bank's staff, the officer's check with the OPG, the district
  nurse's call and email), practice mixed with criticism (the care at home
  coordinator "was right to tell ... But ..."), "It would have been good
  practice ..." and "good practice would have been ...", two changes since
  ("Since the review began, the HSCP ...", "Since Mr D's death, the care at
  home service ..."), poor practice, facts, three concessions ("The review
  recognises ... But", "accepts ... However", "acknowledges ...
  Nevertheless"), the daughter's words; dates written partly as
  "14/03/2023", partly as "14 March 2023";
- "6. Strengths in practice": a lead-in (no colon) and SIX paragraphs
  restating strengths; "7. Areas for improvement": a lead-in ending on a
  colon and SIX noun-phrase bullets (areas, not directives);
- "8. Recommendations": a lead-in and a numbered list 1-7, 2 a lead-in
  "Lochmuir HSCP should ensure that:" over three NESTED BULLETS; 1, 6, 7 to
  the APC (6 "should work with the Office of the Public Guardian (Scotland)
  and local advocacy services"), 2 to Lochmuir HSCP, 3 to the HSCP "and its
  commissioned care at home providers", 4 to NHS Lochmuir, 5 to Police
  Scotland and Lochmuir HSCP; "9. Conclusion": three paragraphs, no praise.

Its labels (`aslr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 113
passages, 21 practice, 10 recommendation (the seven numbered items, 2's
lead-in among them, and 2's three bullets), 82 other. Codes: the summary's
good-practice paragraph Escalating concerns (by its first finding); the
care at home worker's report Escalating concerns; "It would have been good
practice ..." and "good practice would have been ..." Suggested good
practice; the officers in September Risk assessment; both changes since
Learning from past reviews; the bank's staff Escalating concerns; the
officer's check with the OPG Risk assessment; the second inquiry Effective
communication; the case conference Multi-agency working; the coordinator's
email (mixed) Escalating concerns; the district nurse's call and email
Escalating concerns, her calls and visits Consistent and persistent
communication; the response after Mr D was found Adhering to policy and
procedure; the six strengths Record keeping, Risk assessment, Multi-agency
working, Effective communication, Multi-agency working, Consistent and
persistent communication. Other: the cover, contents, summary, introduction,
scope and its questions, background, the findings' preamble, poor practice,
facts, concessions, the attorney's burden, the family's words, the
strengths' lead-in, the areas for improvement, the recommendations'
lead-in, the conclusion.

What a user would expect of its identity, decided before the reading: type
LR (Scotland's Learning Review, single-case), no variant, no identifier
(the key the file's name), board "Lochmuir Adult Protection Committee",
year 2024; dates: index incident 2023-03-14 (the finding after the fall,
the death the same day), referral 2023-03-22 (for Initial Case Review; not
the ICR's completion of 19 April 2023 or the Chair's decision), period
2022-06-06 to 2023-03-14, learning event 2023-10-12 (the practitioner
event; not the team's meeting of 30/11/2023), sign-off 2024-03-05 (the
APC's approval), publication 2024-06-01 ("June 2024"). Recommendations:
the seven, 2's bullets each completed by its lead-in or held in one
record, nothing else; addressees as above (the OPG named for 6 no fault).

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt8
as it was, HEAD c9857fa; STORFA_INT8=u8; by the machine's clock the session
began 09:17:03, the document was written 09:19:40, the labels written
09:19:45 (the expected identity
written down 09:19:48) and copied into tests/data with the document in one `cp`
09:19:48, this module written 09:20:32 before any reading, storfa first run
09:20:39-09:21:03; the near misses, the register and the dates printed
09:21:17-09:21:27 with a small script of read_review, on the same tree),
the same from the Markdown and from the PDF in every figure:

- segmentation: 113 passages, all as written, both readings (the five
  themed headings headings, the strengths six paragraphs, the areas a
  lead-in and six items, 2's bullets list items);
- identity: type LR, no variant, no identifier (key "aslr-written-2026"),
  board "Lochmuir Adult Protection Committee", year 2024, all right; index
  incident 2023-03-14, period 2022-06-06 to 2023-03-14, learning event
  2023-10-12, sign-off 2024-03-05, publication 2024-06-01, all right;
  referral WRONG: 2023-04-19, the ICR's completion ("The Initial Case Review
  was completed by the APC's Learning Review Sub-group on 19 April 2023.");
  right 2023-03-22 ("Police Scotland referred Mr D's case to the APC for an
  Initial Case Review on 22/03/2023");
- recommendations: 9 records, numbered 1, 2a, 2b, 2c, 3-7, each of 2's
  bullets a record completed by its lead-in ("Lochmuir HSCP should ensure
  that council officers see ..."), every recommendation passage read,
  nothing extra (not an area for improvement, a question, a contents item,
  the strengths' lead-in, "It would have been good practice", the
  conclusion). Addressees: 1, 6, 7 ['Lochmuir Adult Protection Committee'],
  right (6 without the OPG); WRONG: 2a ['local authority'], 2b [], 2c []
  (right: Lochmuir HSCP), 3 ['local authority'] (right: Lochmuir HSCP and
  its commissioned care at home providers), 4 ['GP'] (right: NHS Lochmuir),
  5 ['Police Scotland'] (right: Police Scotland and Lochmuir HSCP): the HSCP
  and NHS Lochmuir are not read as organisations;
- auto-coding at the single-case threshold (0.49, applied: the type LR is
  single-case): 22 suggestions, 18 of the 21 practice passages, precision
  0.82, recall 0.86; the same sub-theme as the label on 9 of 18, the same
  theme on 13 of 18 (0.72: over the module helpers' 0.70, under the
  brief's 0.80). Wrong (4): the first inquiry as it happened, "The referral
  was allocated to a council officer, who began an ASP inquiry on 22 August
  2022. ... G was present throughout the visit and answered most of the
  questions." (Adhering to policy and procedure, 0.72); "The protection
  plan had five parts: ..." (Multi-agency working, 0.60); two areas for
  improvement, "Seeing and speaking with the adult on their own during an
  ASP inquiry." (Effective communication, 0.90) and "Health practitioners'
  confidence to make an adult protection referral when a case is already
  open." (Adhering to policy and procedure, 0.49). Missed (3): the officer's
  check with the OPG, "G told the officers that he held Power of Attorney
  ... The next morning one of the officers contacted the Office of the
  Public Guardian ..." (0.13); the coordinator's email, "The care at home
  coordinator was right to tell the social work team, ... But ..." (0.16);
  "The review considers that good practice would have been to set a new
  date for the review case conference at once ..." (0.00). Themes that
  differ (5): the summary's good practice -> Learning from past reviews
  (0.97; Escalating concerns), the district nurse's calls and visits ->
  Persistency in care and support (0.88; Consistent and persistent
  communication), the response after Mr D was found -> Escalating concerns
  (0.98; Adhering to policy and procedure), the strengths of the care at
  home worker -> Escalating concerns (0.98; Record keeping) and of the bank
  -> Escalating concerns (0.98; Multi-agency working); within the theme:
  the officers in September -> Escalating concerns (0.87) and their
  strength (0.67) (Risk assessment), the case conference -> Effective
  communication (0.99) and its strength (0.95) (Multi-agency working).
  Right: the care at home worker's report (0.95), "It would have been good
  practice" (Suggested good practice, 0.97), both changes since (Learning
  from past reviews, 0.66, 0.80), the bank (0.82), the second inquiry
  (1.00), the district nurse's email (0.92), the strengths of the council
  officer (1.00) and the district nurse (1.00). Nothing suggested on the
  cover, contents, a heading, the summary, introduction, scope, background,
  a concession, the attorney's burden, the family's words, the strengths'
  lead-in, a recommendation or the conclusion; near misses under the
  threshold (other): the conclusion's "Mr D was known to at least six
  agencies ..." (0.67), the finding on 14 March 2023 (0.43), the daughter's
  meetings (0.40), the attorney's burden (0.40), the daughter's "Everybody
  knew bits" (0.40).

The brief's judged bars: precision and recall at 0.49 hold (0.82, 0.86 over
0.80); theme agreement does not (0.72 under 0.80); every recommendation
found with no extra record holds.

After the first reading only this module changed, not the document or the
labels: the docstring, and the tests that found a fault split from what
held (the police recommendation names Police Scotland; nine of the
findings' practice paragraphs and four strengths are in their labels'
theme; four areas for improvement, the other facts and poor practice, the
bank and the district nurse's email as read), each fault its own strict
xfail. On the frozen tree (09:22:28-09:22:45) and from /work/main with its
own src/ (09:22:46-09:22:58, HEAD c9857fa) the module gave the same: 106
passed, 2 skipped, 32 xfailed.

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

from storfa.coding import load_codebook
from storfa.domain.reviews import is_single_case
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
    opened_coded,
    opened_not_suggested,
    opened_suggested,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    records_of,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-aslr"
DOCUMENT = DATA / "aslr-written-2026.md"
BOARD = "Lochmuir Adult Protection Committee"
FINDINGS = "5. Findings"
STRENGTHS = "6. Strengths in practice"
AREAS = "7. Areas for improvement"
RECOMMENDATIONS_HEADING = "8. Recommendations"
THEMES = ("Recognising harm and applying the three-point test",
          "Financial harm, Power of Attorney and Adults with Incapacity",
          "The Adult Protection Case Conference and the protection plan",
          "Health services and the district nurse",
          "Information sharing and the final weeks")
RECOMMENDATIONS = tuple(f"{n}. " for n in range(1, 8))
# Recommendation 2's bullets, by their openings, under "Lochmuir HSCP should ensure that:".
BULLETS = ("council officers see and speak", "every new concern about an adult",
           "every protection plan names")
LEAD = "Lochmuir HSCP should ensure that"
# The organisations the recommendations are addressed to, each by the words
# that name it in a record's agencies.
ORGANISATIONS = {
    "APC": re.compile(r"adult protection committee", re.I),
    "HSCP": re.compile(r"\bHSCP\b|health and social care partnership", re.I),
    "NHS Lochmuir": re.compile(r"\bNHS Lochmuir\b", re.I),
    "Police Scotland": re.compile(r"police scotland", re.I),
    "care at home providers": re.compile(r"care at home", re.I),
    "OPG": re.compile(r"public guardian", re.I),
}
# Who each recommendation is to ("6. ... should work with the Office of the
# Public Guardian (Scotland) ...": the APC's, the OPG named as its partner is
# no fault).
ADDRESSEES: dict[str, tuple[set[str], ...]] = {
    "1": ({"APC"},),
    "2": ({"HSCP"},),
    "3": ({"HSCP", "care at home providers"},),
    "4": ({"NHS Lochmuir"},),
    "5": ({"Police Scotland", "HSCP"},),
    "6": ({"APC"}, {"APC", "OPG"}),
    "7": ({"APC"},),
}
# The judged bars of the brief: precision and recall, and theme agreement.
BAR = 0.80


_JOINT = (
    "record 3 ('Lochmuir HSCP and its commissioned care at home providers should agree ...') "
    "is to ['local authority'] and record 5 ('Police Scotland and Lochmuir HSCP should review "
    "...') to ['Police Scotland'], both readings; right: the HSCP and its care at home "
    "providers, and Police Scotland and the HSCP. Since round eight's addressee fixes record 5 "
    "is right (its own test) and record 3 is to ['Lochmuir HSCP'], without the providers")
_SUMMARY = (
    "the summary's 'The review also found good practice. A care at home worker reported "
    "bruising promptly ...; bank staff and Police Scotland worked well together ...; and the "
    "district nurse kept visiting ...' is read as Learning from past reviews (0.97), both "
    "readings: it restates practice found in the case, no change made since (labelled "
    "Escalating concerns, by its first finding)")
_NURSE = (
    "the district nurse's 'telephoned the adult social work team on 6 February and again on "
    "13 February 2023 ... telephoned G's mobile twice ... telephoned Mrs F ... The review "
    "commends her persistence' is read as Persistency in care and support (0.88), both "
    "readings; right: Consistent and persistent communication (calls pursued), theme "
    "Communication")
_RESPONSE = (
    "'The response after Mr D was found was prompt and in line with the inter-agency "
    "procedures. ...' is read as Escalating concerns (0.98), both readings; right: Adhering "
    "to policy and procedure ('in line with the ... procedures'), theme Policy, Procedures "
    "and Recording")
_STRENGTHS = (
    "two strengths are read as Escalating concerns (0.98 each), both readings: the care at "
    "home worker's 'Her body map and her clear account of what Mr D said gave the council "
    "officer a sound basis' (right: Record keeping) and the bank's 'Staff at Mr D's bank ... "
    "Together with the police officer's check with the Office of the Public Guardian, this "
    "stopped the loss' (right: Multi-agency working)")
_THEMES = f"same theme on 13 of 18, both readings: {_SUMMARY}; {_NURSE}; {_RESPONSE}; " \
    f"{_STRENGTHS}"
_AREAS = (
    "two areas for improvement are suggested, both readings: 'Seeing and speaking with the "
    "adult on their own during an ASP inquiry.' (Effective communication, 0.90) and 'Health "
    "practitioners' confidence to make an adult protection referral when a case is already "
    "open.' (Adhering to policy and procedure, 0.49); right: not suggested (what must "
    "improve, no practice)")
_FACTS = (
    "two paragraphs of the findings that are facts are suggested, both readings: 'The "
    "referral was allocated to a council officer, who began an ASP inquiry on 22 August "
    "2022. ... G was present throughout the visit and answered most of the questions.' "
    "(Adhering to policy and procedure, 0.72; the inquiry the next paragraph finds unsound) "
    "and 'The protection plan had five parts: ...' (Multi-agency working, 0.60)")
_OPG = (
    "'G told the officers that he held Power of Attorney ... The next morning one of the "
    "officers contacted the Office of the Public Guardian, which confirmed that the only "
    "attorney registered for Mr D was his daughter ...' is not suggested (0.13), both "
    "readings; right: practice stated through what was done (an account checked with "
    "another agency), Risk assessment")
_MIXED = (
    "'The care at home coordinator was right to tell the social work team, and her email ... "
    "was clear about what was happening and why it worried her. But ...' is not suggested "
    "(0.16), both readings; right: practice mixed with criticism, Escalating concerns")


read = reading(DOCUMENT, DATA / "aslr-written-2026.tsv", "written-aslr")


def _findings(read: Read) -> set[int]:
    return between(read, FINDINGS, STRENGTHS)


def _strengths(read: Read) -> set[int]:
    """The strengths section's paragraphs, not its lead-in."""
    (lead_in,) = opened_by(read, "The review identified the following strengths")
    return between(read, STRENGTHS, AREAS) - {lead_in}


def _areas(read: Read) -> set[int]:
    return between(read, AREAS, RECOMMENDATIONS_HEADING)


def _front(read: Read) -> set[int]:
    """The executive summary, introduction, scope and background, all but the
    summary's good-practice paragraph."""
    (good,) = opened_by(read, "The review also found good practice")
    return in_section(read, "1. Executive", "2. Introduction", "3. Scope",
                      "4. Background") - {good}


def _named(read: Read, n: str) -> list[set[str]]:
    """The organisations each record of recommendation `n` names (an agency
    matched by none is kept by its own words)."""
    out = []
    for r in records_of(read, n):
        found = set()
        for agency in r.agencies:
            names = {k for k, pattern in ORGANISATIONS.items() if pattern.search(agency)}
            found |= names or {agency}
        out.append(found)
    return out


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 113, 21, 10, 82)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_findings_have_five_themed_headings(read: Read) -> None:
    found = [read.text(s) for s in sorted(_findings(read) & headings(read))]
    assert found == list(THEMES), found


def test_the_strengths_are_six_paragraphs(read: Read) -> None:
    strengths = _strengths(read)
    assert len(strengths) == 6 and not strengths & headings(read)
    assert strengths <= read.seqs("practice")


def test_the_areas_for_improvement_are_a_lead_in_and_six_items(read: Read) -> None:
    areas = _areas(read)
    assert len(areas) == 7 and len(areas & lead_ins(read)) == 1
    assert areas <= read.seqs("other")


# ------------------------------------------------------------------- identity
def test_the_type_is_a_learning_review(read: Read) -> None:
    # "Learning Review" on the cover; "... under the National Guidance for
    # Adult Protection Committees Undertaking Learning Reviews (2022)".
    identity(read, type="LR")


def test_a_learning_review_is_a_single_case_review(read: Read) -> None:
    assert is_single_case(read.summary.type), read.summary.type


def test_no_variant(read: Read) -> None:
    # Concise and extended are Welsh practice reviews' variants.
    assert read.summary.variant is None, read.summary.variant


def test_the_board_is_the_adult_protection_committee(read: Read) -> None:
    identity(read, board=BOARD)


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_no_identifier_and_the_key_is_the_files_name(read: Read) -> None:
    # A Scottish Learning Review is not numbered; nothing in it (a contents
    # item's "1.", a recommendation's "1.") is an identifier.
    assert read.summary.identifier is None, read.summary.identifier
    assert read.summary.review_id == DOCUMENT.stem, read.summary.review_id


def test_the_year_is_the_publications(read: Read) -> None:
    # "June 2024" on the cover.
    assert read.summary.year == 2024, read.summary.year


def test_the_index_incident_is_the_finding_after_the_fall(read: Read) -> None:
    # "On 14 March 2023 Mr D was found by police officers on the kitchen floor
    # ... and died there later the same day."
    assert read.summary.dates.get("index_incident") == "2023-03-14", read.summary.dates


# First reading, since fixed (round eight's date fixes): referral 2023-04-19, both readings, the
# Initial Case Review's completion ('The Initial Case Review was completed by the APC's Learning
# Review Sub-group on 19 April 2023.'); right: 2023-03-22, the referral for it ('Police Scotland
# referred Mr D's case to the APC for an Initial Case Review on 22/03/2023')
def test_the_referral_for_initial_case_review(read: Read) -> None:
    # "Police Scotland referred Mr D's case to the APC for an Initial Case
    # Review on 22/03/2023" (not the ICR's completion, 19 April 2023, nor the
    # Chair's decision, 10/05/2023, nor an adult protection referral).
    assert read.summary.dates.get("referral") == "2023-03-22", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "from 06/06/2022, when Mr D's grandson moved into his home, to 14 March
    # 2023, when Mr D was found".
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-06-06", "2023-03-14"), dates


def test_the_practitioner_event_is_the_learning_event(read: Read) -> None:
    # "A practitioner event was held on 12 October 2023"; not the learning
    # review team's meeting of 30/11/2023.
    assert read.summary.dates.get("learning_event") == "2023-10-12", read.summary.dates


def test_the_sign_off_is_the_committees_approval(read: Read) -> None:
    # "The final report was approved by Lochmuir Adult Protection Committee on
    # 05/03/2024."
    assert read.summary.dates.get("sign_off") == "2024-03-05", read.summary.dates


def test_the_publication_is_the_covers_month(read: Read) -> None:
    # "June 2024".
    assert read.summary.dates.get("publication") == "2024-06-01", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_seven(read: Read) -> None:
    print_register(read)
    numbers = [r.number.rstrip("abcdefg") for r in labelled_records(read)]
    assert sorted(set(numbers)) == [str(n) for n in range(1, 8)], numbers


def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    # One record holding the three bullets, or a record for each completed by
    # its lead-in: either way each bullet's words are in a record that names
    # the HSCP.
    records = records_of(read, "2")
    assert records
    for bullet in BULLETS:
        holding = [r for r in records if bullet in r.text]
        assert holding and all(LEAD in r.text for r in holding), (bullet,
                                                                  [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not an area for improvement, a review question, a contents item, "the APC
    # should recognise and share", "It would have been good practice", "The
    # APC will monitor ...".
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_areas_for_improvement(read: Read) -> None:
    wrong = sorted(read.covered & _areas(read))
    assert not wrong, [read.text(s)[:60] for s in wrong]


def test_no_record_from_the_rest_of_the_report(read: Read) -> None:
    for what, seqs in (("contents", in_section(read, "Contents")),
                       ("front", _front(read)), ("findings", _findings(read)),
                       ("strengths", between(read, STRENGTHS, AREAS)),
                       ("conclusion", in_section(read, "9. Conclusion"))):
        assert seqs, what
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_committees_own_recommendations_are_the_committees(read: Read) -> None:
    # 1 and 7: "Lochmuir Adult Protection Committee should ...".
    found = {n: _named(read, n) for n in ("1", "7")}
    assert found == {"1": [{"APC"}], "7": [{"APC"}]}, found


# First reading, since fixed (round eight's addressee fixes): records 2a, 2b, 2c ('Lochmuir HSCP
# should ensure that ...') are to ['local authority'], [] and [], both readings; right: Lochmuir
# HSCP (a Scottish Health and Social Care Partnership, named in the lead-in)
def test_the_hscps_recommendation_is_the_hscps(read: Read) -> None:
    found = _named(read, "2")
    assert found and all(names == {"HSCP"} for names in found), found


# First reading, since fixed (round eight's addressee fixes): record 4 ('NHS Lochmuir should
# ensure that GP practices receive ...') is to ['GP'], both readings, a service it names; right:
# NHS Lochmuir (a Scottish health board)
def test_the_health_boards_recommendation_is_nhs_lochmuirs(read: Read) -> None:
    assert _named(read, "4") == [{"NHS Lochmuir"}], _named(read, "4")


def test_the_police_recommendation_names_police_scotland(read: Read) -> None:
    found = _named(read, "5")
    assert found and all("Police Scotland" in names for names in found), found


@pytest.mark.xfail(strict=True, reason=_JOINT)
def test_the_joint_recommendations_name_both_partners(read: Read) -> None:
    # 3: the HSCP and its care at home providers; 5: Police Scotland and the HSCP.
    found = {n: _named(read, n) for n in ("3", "5")}
    assert found == {"3": [{"HSCP", "care at home providers"}],
                     "5": [{"Police Scotland", "HSCP"}]}, found


def test_the_police_and_hscps_recommendation_is_to_both(read: Read) -> None:
    # Added after round eight's addressee fixes: 5 split from the joint test.
    assert _named(read, "5") == [{"Police Scotland", "HSCP"}], _named(read, "5")


def test_the_attorneys_information_is_the_committees(read: Read) -> None:
    # 6: "Lochmuir Adult Protection Committee should work with the Office of the
    # Public Guardian (Scotland) ...".
    found = _named(read, "6")
    assert found and all(names in ADDRESSEES["6"] for names in found), found


def test_no_record_names_a_welsh_board(read: Read) -> None:
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_uses_the_single_case_threshold(read: Read) -> None:
    # The threshold applied is the single-case one only if the type read is.
    assert is_single_case(read.summary.type), read.summary.type
    assert abs(read.threshold - 0.49) < 0.005, read.threshold


def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_auto_coding_precision_holds_the_briefs_bar(read: Read) -> None:
    holds_the_floors(read, precision=BAR, recall=None)


def test_auto_coding_recall_holds_the_briefs_bar(read: Read) -> None:
    holds_the_floors(read, precision=None, recall=BAR)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# same theme on 13 of 18 (0.72), both readings, under the brief's 0.80 (over the helpers' 0.70)
def test_the_theme_agrees_with_the_label_at_the_briefs_bar(read: Read) -> None:
    _, same_theme, hits = theme_agreement(read)
    assert hits and same_theme / hits >= BAR, (same_theme, hits)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_nine_of_the_findings_practice_paragraphs_are_in_the_labels_theme(read: Read) -> None:
    # The care at home worker's report, "It would have been good practice",
    # the officers in September (Escalating, same theme), both changes since,
    # the bank, the second inquiry, the case conference (Effective
    # communication, same theme), the district nurse's email.
    held = opened_by(read, "On 18/08/2022 a care at home worker", "It would have been good",
                     "On 14 September 2022 Police Scotland", "Since the review began",
                     "Since Mr D's death", "On 11/10/2022 G went with Mr D",
                     "The second ASP inquiry was allocated",
                     "The Adult Protection Case Conference was held",
                     "The district nurse continued her weekly visits")
    suggested_in_labels_theme(read, held)


# First reading, since fixed (the coder learnt round ten (53 reviews)): the summary's 'The review
# also found good practice. A care at home worker reported bruising promptly ...; bank staff and
# Police Scotland worked well together ...; and the district nurse kept visiting ...' is read as
# Learning from past reviews (0.97), both readings: it restates practice found in the case, no
# change made since (labelled Escalating concerns, by its first finding)
def test_the_summarys_good_practice_is_not_read_as_learning(read: Read) -> None:
    (good,) = opened_by(read, "The review also found good practice")
    assert read.suggested.get(good, [("", 0.0)])[0][0] not in (
        "Learning from past reviews", "Suggested good practice"), read.suggested.get(good)


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample): the
# district nurse's 'telephoned the adult social work team on 6 February and again on 13 February
# 2023 ... telephoned G's mobile twice ... telephoned Mrs F ... The review commends her
# persistence' is read as Persistency in care and support (0.88), both readings; right: Consistent
# and persistent communication (calls pursued), theme Communication
def test_the_district_nurses_calls_are_communication(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "When she had no reply, the district nurse"))


# First reading, since fixed (the single-case coder learnt rounds seven and eight, in-sample):
# 'The response after Mr D was found was prompt and in line with the inter-agency procedures. ...'
# is read as Escalating concerns (0.98), both readings; right: Adhering to policy and procedure
# ('in line with the ... procedures'), theme Policy, Procedures and Recording
def test_the_response_after_the_finding_is_read_as_procedure(read: Read) -> None:
    suggested_in_labels_theme(read, opened_by(read, "The response after Mr D was found"))


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_the_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover and contents": title_page(read) | in_section(read, "Contents"),
        "summary, introduction, scope, background": _front(read),
        "areas' lead-in": _areas(read) & lead_ins(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
        "conclusion": in_section(read, "9. Conclusion"),
    })


@pytest.mark.xfail(strict=True, reason=_AREAS)
def test_auto_coding_never_suggests_an_area_for_improvement(read: Read) -> None:
    never_suggested(read, {"area for improvement": _areas(read)})


def test_auto_coding_does_not_suggest_the_other_four_areas(read: Read) -> None:
    # All but "Seeing and speaking with the adult ..." and "Health
    # practitioners' confidence ..." (their own xfail).
    opened_not_suggested(read, "The application of the three-point test",
                         "Linking repeat concern reports", "Monitoring protection plans",
                         "Support for attorneys")


def test_auto_coding_does_not_suggest_the_strengths_lead_in(read: Read) -> None:
    opened_not_suggested(read, "The review identified the following strengths")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    # All but the first inquiry's visit and the protection plan's parts (their
    # own xfail).
    opened_not_suggested(read, "Care at home workers first noticed",
                         "The council officer concluded", "The concern report reached",
                         "The GP assessed Mr D's capacity", "On 09/01/2023 G telephoned",
                         "The review case conference set for",
                         "The review found that no single agency",
                         "The GP practice recorded", "The Older Adults CMHT had discharged",
                         "G left Mr D's home", "On the morning of 14 March 2023")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The review recognises that the adult social work",
                         "The case conference considered whether",
                         "The review acknowledges that the community nursing")


def test_auto_coding_does_not_suggest_the_attorneys_burden(read: Read) -> None:
    # Mrs F took over her father's money; no one supported her.
    opened_not_suggested(read, "Mrs F, as attorney")


def test_auto_coding_does_not_suggest_the_familys_words(read: Read) -> None:
    opened_not_suggested(read, "Mrs F described her father", "Mrs F told the review:",
                         "Mrs F said at the end")


@pytest.mark.xfail(strict=True, reason=_FACTS)
def test_auto_coding_does_not_suggest_the_first_visit_or_the_plans_parts(read: Read) -> None:
    opened_not_suggested(read, "The referral was allocated to a council officer",
                         "The protection plan had five")


@pytest.mark.xfail(strict=True, reason=_FACTS)
def test_auto_coding_does_not_suggest_anything_else_in_the_findings(read: Read) -> None:
    other = _findings(read) & read.seqs("other") - headings(read)
    assert len(other) == 19
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "done promptly and well", "thoughtful and professionally curious",
    # "an excellent example", "well prepared and well attended", "commends her
    # persistence", "prompt and in line with".
    opened_suggested(read, "On 18/08/2022 a care at home worker",
                     "On 14 September 2022 Police Scotland",
                     "The second ASP inquiry was allocated",
                     "The Adult Protection Case Conference was held",
                     "When she had no reply, the district nurse",
                     "The response after Mr D was found")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The bank's member of staff; the district nurse's call to the GP and email
    # to the council officer.
    opened_suggested(read, "On 11/10/2022 G went with Mr D",
                     "The district nurse continued her weekly visits")


@pytest.mark.xfail(strict=True, reason=_OPG)
def test_auto_coding_finds_the_officers_check_with_the_public_guardian(read: Read) -> None:
    opened_suggested(read, "G told the officers that he held")


@pytest.mark.xfail(strict=True, reason=_MIXED)
def test_auto_coding_finds_practice_mixed_with_criticism(read: Read) -> None:
    # "The care at home coordinator was right to tell ... But ...".
    opened_suggested(read, "The care at home coordinator was right")


def test_auto_coding_finds_the_summarys_good_practice(read: Read) -> None:
    opened_suggested(read, "The review also found good practice")


def test_auto_coding_finds_every_strength(read: Read) -> None:
    all_suggested(read, _strengths(read))


@pytest.mark.xfail(strict=True, reason=_STRENGTHS)
def test_the_strengths_are_in_their_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, _strengths(read))


def test_four_strengths_are_in_their_labels_theme(read: Read) -> None:
    # The officers (Escalating, same theme), the council officer, the case
    # conference (Effective communication, same theme), the district nurse.
    suggested_in_labels_theme(read, opened_by(
        read, "The Police Scotland officers who attended", "The council officer in the second",
        "The Adult Protection Case Conference of 24", "The district nurse kept visiting"))


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


# First reading, since fixed (round eight's form fixes): 'The review considers that good practice
# would have been to set a new date for the review case conference at once ...' is not suggested
# (0.00), both readings; right: Suggested good practice (the 'It would have been good practice
# ...' paragraph is read right, 0.97)
def test_auto_coding_finds_what_good_practice_would_have_been(read: Read) -> None:
    opened_coded(read, "The review considers that good practice would have been",
                 "Suggested good practice")


def test_auto_coding_finds_the_hscps_change_since(read: Read) -> None:
    opened_coded(read, "Since the review began, the HSCP", "Learning from past reviews")


def test_auto_coding_finds_the_care_at_home_change_since(read: Read) -> None:
    opened_coded(read, "Since Mr D's death, the care at home service",
                 "Learning from past reviews")


def test_the_codebook_holds_every_labelled_code(read: Read) -> None:
    book = load_codebook("best-practice")
    for item in read.labelled:
        if item.label.label == "practice":
            assert item.label.code and book.code(item.label.code), item.label
