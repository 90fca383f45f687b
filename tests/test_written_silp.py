"""A fourteenth whole single-case review read end to end, written and
labelled before storfa's predictions were looked at: a fresh held-out check,
on an English Safeguarding Adults Review written with the SILP method, of
the single-case auto-coding threshold and the document-reading rules chosen
on the written reviews before it.

`tests/data/written-silp/silp-written-2026.md` is a WRITTEN Safeguarding
Adults Review (fictional: no real case or person) for the Westbury
Safeguarding Adults Board (a fictional English board), carried out with the
Significant Incident Learning Process (SILP), about "Jean" (a pseudonym), 86,
who had Alzheimer's disease and died of sepsis in hospital on 4 February 2025
after self-neglect and neglect by her son and carer, Mark, who lived with
her; a paramedic found her dehydrated with grade 4 pressure ulcers on 21
January. Where it differs from the other thirteen (the SAR's nearest):

- the title page: the board's name, "Safeguarding Adults Review: Jean" (the
  only level-1 heading), "A review using the Significant Incident Learning
  Process (SILP)", "Overview report", the lead reviewer, "Approved by
  Westbury Safeguarding Adults Board: 28 January 2026", "Published: 9 March
  2026"; NO numbering of any kind; contents a NUMBERED list of the eight
  sections, whose headings are numbered ("1. Executive summary" ... "8.
  Single agency actions already taken"), paragraphs not;
- first names throughout ("Jean", "her son Mark", "Carol", her daughter);
- a short "Executive summary" (what happened, the referral and the CPS's
  decision, the findings, a paragraph of practice "to commend", "The review
  makes nine recommendations ..."); "The SILP process" (the model, agency
  reports, a learning event 17 September 2025 and a RECALL EVENT 12
  November 2025 on the draft, the family's part; the period under review
  stated here); "Jean and her family" (Carol's words);
- "Key Lines of Enquiry": a lead-in and four QUESTIONS as a numbered list,
  then a paragraph saying the analysis follows them;
- the analysis ORGANISED BY KLOE ("KLOE 1: ..." to "KLOE 4: ..."), each with
  the sub-headings "What was done well" and "What could have been done
  differently" (so each recurs four times); much of it in the
  practitioners' voice ("Practitioners at the learning event told the
  reviewer that ..."), both as praise the reviewer endorses ("The reviewer
  agrees that these home visits were good practice") and as the
  practitioners' own account of why they acted as they did; one paragraph
  a practitioner's quoted words; "It would have been good practice for ..."
  (two) and "Best practice would have been for ..." (two) under "What could
  have been done differently"; a concession ("within the Adult Social Care
  timescale for a concern rated 'high'") before a criticism;
- "Summary of learning": a lead-in and six NUMBERED FINDINGS, several
  saying what practitioners "need to" or "should" do;
- nine recommendations as bold run-in paragraphs "**Recommendation N:**"
  (not a list), "Westbury SAB to seek assurance that ...", "The SAB should
  ...", "Westbury SAB to work with ...", or agency-named ("Westbury Council
  Adult Social Care to ensure ...", "NHS Westbury Integrated Care Board to
  seek assurance ...", "Westbury Constabulary to ensure ...");
- "Single agency actions already taken": a lead-in and five BULLETS, each
  opening on the agency's name ("Elmfield Surgery now flags carers ...");
  no appendices, no glossary.

Its labels (`silp-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 106 passages,
21 practice, 9 recommendation, 76 other. As the SAR's: a paragraph is
practice where the reviewers present some practice in it as good, however
implicitly (all 11 paragraphs under "What was done well", two of them told
through what practitioners said and the reviewer endorses); "It would have
been good practice ..." and "Best practice would have been ..." are
Suggested good practice (4); the five actions already taken are Learning
from past reviews; the executive summary's paragraph of practice "to
commend" is practice, coded by its first example (the memory nurse's
explanation: Effective communication), the rest of the summary other.
Other: the title page, contents, the SILP process, Jean and her family
(Carol's words), the KLOEs (questions) and their lead-in, every headline,
every other paragraph under "What could have been done differently" (poor
practice, facts, the concession, the practitioners' own accounts, the
quoted practitioner), the summary of learning, the lead-ins.

The fresh check, run once the labels were final (the frozen worktree
/tmp/wt11 at HEAD be6c833; by the machine's clock the session began
22:58:14, the labels were written 23:00:15 and copied into tests/data with
the document 23:00:17, this module written 23:00:47 before any reading,
storfa first run 23:00:49-23:01:28), the same from the Markdown and from the
PDF, every passage read as written (106 from both):

- identity: type SAR, board "Westbury Safeguarding Adults Board", year
  2026, variant None, identifier None, key "silp-written-2026" (the file's
  name), all right. Dates: referral 2025-02-11, learning event 2025-09-17
  (not the recall event), period start 2023-01-01, sign-off 2026-01-28
  ("Approved by ...") and publication 2026-03-09 right; index incident
  2025-01-21 (the admission, not Jean's death on 2025-02-04); period end
  None (2025-02-04, "to her death on 4 February 2025");
- recommendations: 9 of 9 found, numbered "1"-"9" from the bold
  "Recommendation N:" run-ins, each from its own paragraph, nothing extra
  (not the numbered contents, the KLOE questions, the findings that say
  "should", the agency-named actions already taken). Addressees: 1, 2 and
  7 the board (right); 5, 6 and 9 as named (right); 3 and 4 "Westbury
  Council" ("Adult Social Care" cut off, as the SAR's); 8 "Westbury SAB to
  work with NHS Westbury Integrated Care Board ..." recorded to the ICB,
  not the board;
- auto-coding at the single-case threshold (0.49 on this tree): 23
  suggestions, 20 of the 21 practice passages, precision 0.87 (20/23),
  recall 0.95 (20/21); the same sub-theme as the label on 14 of 20, the same
  theme on 16 of 20 (0.80). Sub-themes that differ: the summary's practice
  and the carers' referral -> Support and training for practitioners
  (labelled Effective communication, Adhering to policy and procedure),
  the home care workers' warm relationship -> Record keeping (Positive
  working relationships), the paramedic's determination -> Effective
  communication (Persistency in care and support), the hospital's
  safeguarding team -> Record keeping (Adhering to policy and procedure),
  the GP practice's MDT meeting -> Effective communication (Multi-agency
  working). Wrong (3): the SILP model's description "The Significant
  Incident Learning Process (SILP) is a learning model ..." (0.52), the
  practitioners' account "Practitioners told the reviewer that Mark
  presented as a devoted son who was coping ..." (0.74), the sixth finding
  "Small pieces of information ... Practitioners need a clear route for
  sharing them" (0.59). Missed (1): "Westbury Council Adult Social Care has
  changed its case recording system ..." (0.31). Found: all 11 under "What
  was done well" (0.86-1.00, the two told in the practitioners' voice
  1.00), all 4 "would have been good practice" / "Best practice would
  have been" (0.74-1.00), the summary's practice (0.97), 4 of the 5 actions
  taken (0.61-0.95); nothing suggested on a heading, the title page,
  contents, Jean and her family, the KLOEs, a lead-in or a recommendation,
  nor on four of the five practitioners' accounts or the quoted words.

After the first reading only this module changed, not the document or the
labels: each test that found a fault was split from what held (the SILP
process and the summary of learning from the template zones, the period's
start from its end, the council's action from the other four) and the
faults marked strict xfail. One slip of the module's own was put right: the
practitioners' accounts were sought by an opening ("... told the reviewer
that they") that two passages share, so `opened_by` found five for four.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. This module adds `_under` (as the SAR's: the passages under
every heading of a given text, the KLOEs' sub-headings recurring)."""

from __future__ import annotations

from pathlib import Path

import pytest

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

DATA = Path(__file__).resolve().parent / "data" / "written-silp"
DOCUMENT = DATA / "silp-written-2026.md"
BOARD = "Westbury Safeguarding Adults Board"
COUNCIL = "Westbury Council Adult Social Care"
ICB = "NHS Westbury Integrated Care Board"
TRUST = "Westbury and Downs Partnership NHS Foundation Trust"
POLICE = "Westbury Constabulary"
RECOMMENDATIONS = tuple(f"Recommendation {n}:" for n in range(1, 10))
NUMBERS = [str(n) for n in range(1, 10)]
# Who each recommendation is to: "Westbury SAB" and "The SAB" are the review's
# own board (2 and 8 "work with" others: still the board's, as the SAR's 7).
AGENCIES = {
    "1": [BOARD], "2": [BOARD], "3": [COUNCIL], "4": [COUNCIL], "5": [ICB],
    "6": [TRUST], "7": [BOARD], "8": [BOARD], "9": [POLICE],
}
BOARDS_OWN = ("1", "2", "7", "8")
ANALYSIS = "5. Analysis by Key Line of Enquiry"
WELL, DIFFERENTLY = "What was done well", "What could have been done differently"


read = reading(DOCUMENT, DATA / "silp-written-2026.tsv", "written-silp")


def _under(read: Read, heading: str) -> set[int]:
    """The passages under every heading whose text is `heading`, each run to
    the next heading (the KLOEs' two sub-headings recur, four times each)."""
    out: set[int] = set()
    under = False
    for p in read.passages:
        if p.kind == "heading":
            under = read.text(p.seq) == heading
        elif under:
            out.add(p.seq)
    return out


def _summary(read: Read) -> set[int]:
    return between(read, "1. Executive summary", "2. The SILP process")


def _named(read: Read) -> dict[str, list[str]]:
    return {r.number: r.agencies for r in labelled_records(read)}


def _organisation(agency: str, found: list[str]) -> bool:
    return any(agency.startswith(a) or a.startswith(agency) for a in found)


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 106, 21, 9, 76)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


def test_each_kloe_has_its_two_sub_headings(read: Read) -> None:
    for heading in (WELL, DIFFERENTLY):
        found = [p.seq for p in read.passages
                 if p.kind == "heading" and read.text(p.seq) == heading]
        assert len(found) == 4, (heading, found)


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_board_and_year(read: Read) -> None:
    identity(read, type="SAR", board=BOARD, year=2026)


def test_a_review_without_numbering_has_no_identifier(read: Read) -> None:
    # "Safeguarding Adults Review: Jean": no number; the key is the file's name.
    assert read.summary.identifier is None, read.summary.identifier
    assert read.summary.review_id == DOCUMENT.stem, read.summary.review_id


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


# First reading, since fixed: the index incident is read as 2025-01-21, the day the paramedic
# found Jean and she was admitted; the review is of her death, on 4 February 2025 (the first
# sentence of the executive summary and the end of the period under review)
def test_the_index_incident_is_jeans_death(read: Read) -> None:
    # Died on 4 February 2025 (admitted on 21 January).
    assert read.summary.dates.get("index_incident") == "2025-02-04", read.summary.dates


def test_the_referral_to_the_board(read: Read) -> None:
    # "The hospital's safeguarding team referred Jean's case to the Board on 11 February 2025."
    assert read.summary.dates.get("referral") == "2025-02-11", read.summary.dates


def test_the_learning_event(read: Read) -> None:
    # "a learning event on 17 September 2025"; the recall event (12 November) is
    # the SILP's second, on the draft.
    assert read.summary.dates.get("learning_event") in ("2025-09-17", "2025-11-12"), \
        read.summary.dates


def test_the_period_starts_as_the_review_says(read: Read) -> None:
    assert read.summary.dates.get("period_start") == "2023-01-01", read.summary.dates


# First reading, since fixed: period end None: 'The review considered the period from 1
# January 2023, six months before Jean's diagnosis, to her death on 4 February 2025' gives its
# start only; right is 2025-02-04
def test_the_period_under_review(read: Read) -> None:
    # "The review considered the period from 1 January 2023 ... to her death on
    # 4 February 2025."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-01-01", "2025-02-04"), dates


def test_the_sign_off_and_publication(read: Read) -> None:
    # "Approved by Westbury Safeguarding Adults Board: 28 January 2026",
    # "Published: 9 March 2026".
    dates = read.summary.dates
    assert (dates.get("sign_off"), dates.get("publication")) == \
        ("2026-01-28", "2026-03-09"), dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_as_the_report_numbers_them(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


@pytest.mark.xfail(strict=True, reason=(
    "'Westbury SAB to work with NHS Westbury Integrated Care Board and the local "
    "pharmaceutical committee to agree ...' (8) is recorded to the ICB, the partner it is to "
    "work with, not the board; 'Westbury SAB to seek assurance ...' (1) and 'The SAB should "
    "work with Westbury Council and NHS Westbury Integrated Care Board ...' (2) and 7 are "
    "the board's"))
def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "Westbury SAB to ...", "The SAB should ...".
    named = _named(read)
    wrong = {n: named.get(n) for n in BOARDS_OWN if named.get(n) != [BOARD]}
    assert not wrong, wrong


def test_each_agencys_record_names_its_organisation(read: Read) -> None:
    named = _named(read)
    wrong = {n: named.get(n) for n, agencies in AGENCIES.items()
             if n not in BOARDS_OWN
             and not all(_organisation(a, named.get(n) or []) for a in agencies)}
    assert not wrong, wrong


@pytest.mark.xfail(strict=True, reason=(
    "3 and 4 are recorded to 'Westbury Council', 'Adult Social Care' cut off (as the SAR's "
    "'Eastmoor Borough Council'); 5, 6 and 9 as the report names them"))
def test_each_agencys_record_names_it_as_the_report_gives_it(read: Read) -> None:
    named = _named(read)
    wrong = {n: named.get(n) for n, agencies in AGENCIES.items()
             if n not in BOARDS_OWN and named.get(n) != agencies}
    assert not wrong, wrong


def test_no_record_names_a_welsh_board(read: Read) -> None:
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


def test_no_record_from_the_contents_the_kloes_or_the_summary(read: Read) -> None:
    # Numbered lists that are no recommendations: the contents, the Key Lines of
    # Enquiry (questions) and the executive summary's sentence about them.
    for what, seqs in (("contents", in_section(read, "Contents")),
                       ("key lines of enquiry", in_section(read, "4. Key Lines")),
                       ("executive summary", _summary(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_no_record_from_the_analysis(read: Read) -> None:
    # "It would have been good practice for ...", "Best practice would have been ...".
    analysis = between(read, ANALYSIS, "6. Summary of learning")
    wrong = sorted(read.covered & analysis)
    assert not wrong, [read.text(s)[:50] for s in wrong]


def test_no_record_from_the_summary_of_learning(read: Read) -> None:
    # Six numbered findings, some saying what practitioners "should" or "need to" do.
    learning = in_section(read, "6. Summary of learning")
    assert len(learning) == 7
    wrong = sorted(read.covered & learning)
    assert not wrong, [read.text(s)[:50] for s in wrong]


def test_no_record_from_the_actions_already_taken(read: Read) -> None:
    # Bullets opening on an agency's name: changes made, not recommended.
    actions = in_section(read, "8. Single agency actions")
    assert len(actions) == 6
    wrong = sorted(read.covered & actions)
    assert not wrong, [read.text(s)[:50] for s in wrong]


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents": in_section(read, "Contents"),
        "key lines of enquiry": in_section(read, "4. Key Lines"),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


# First reading, since fixed: 'The Significant Incident Learning Process (SILP) is a learning
# model that engages frontline practitioners ... rather than to find fault with individuals'
# is suggested (0.52, Risk assessment): the method's description, no practice; the other three
# paragraphs of the SILP process (agency reports, learning and recall events, Mark and Carol)
# are not
def test_auto_coding_never_suggests_the_silp_process(read: Read) -> None:
    process = in_section(read, "2. The SILP process")
    assert len(process) == 4
    never_suggested(read, {"the SILP process": process})


# First reading, since fixed: the sixth finding, '6. Small pieces of information, such as
# prescriptions collected late, become significant when they are put together. Practitioners
# need a clear route for sharing them.', is suggested (0.59, Multi-agency working): learning,
# no practice presented as good; the lead-in and findings 1-5 are not
def test_auto_coding_never_suggests_the_summary_of_learning(read: Read) -> None:
    learning = in_section(read, "6. Summary of learning")
    assert len(learning) == 7
    never_suggested(read, {"summary of learning": learning})


def test_auto_coding_never_suggests_jean_and_her_family(read: Read) -> None:
    # Carol's words and the pen picture.
    family = in_section(read, "3. Jean and her family")
    assert len(family) == 3
    never_suggested(read, {"family": family})


def test_auto_coding_finds_the_good_practice_in_the_summary(read: Read) -> None:
    (restated,) = opened_by(read, "There was also practice to commend")
    assert restated in read.seqs("practice")
    all_suggested(read, {restated})


def test_auto_coding_does_not_suggest_the_rest_of_the_summary(read: Read) -> None:
    rest = _summary(read) & read.seqs("other")
    assert len(rest) == 4
    never_suggested(read, {"summary": rest})


def test_auto_coding_finds_everything_that_was_done_well(read: Read) -> None:
    done_well = _under(read, WELL)
    assert len(done_well) == 11 and done_well <= read.seqs("practice")
    all_suggested(read, done_well)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    # "It would have been good practice for ..." (two), "Best practice would
    # have been for ..." (two): Suggested good practice.
    suggested = {s for s in _under(read, DIFFERENTLY)
                 if read.text(s).startswith(("It would have been good practice",
                                             "Best practice would have been"))}
    assert len(suggested) == 4 and suggested <= read.seqs("practice")
    all_suggested(read, suggested)


# First reading, since fixed: 'Practitioners told the reviewer that Mark presented as a
# devoted son who was coping ... they had assumed someone else was supporting him' is
# suggested (0.74, Effective communication): the practitioners' account of why they did not
# ask, no practice presented as good; the other 13 are not
def test_auto_coding_does_not_suggest_what_could_have_been_done_differently(
        read: Read) -> None:
    # Poor practice, plain facts, a concession ("within the Adult Social Care
    # timescale"), the practitioners' own accounts and a practitioner's words.
    poor = _under(read, DIFFERENTLY) & read.seqs("other")
    assert len(poor) == 14
    never_suggested(read, {"what could have been done differently": poor})


def test_auto_coding_finds_practice_told_in_the_practitioners_voice(read: Read) -> None:
    # What practitioners told the reviewer, which the reviewer agrees was good.
    told = opened_by(read, "Practitioners at the learning event told the reviewer that Jean",
                     "When Mark stopped attending the group",
                     "In December 2023 the GP, the district nursing team")
    assert told <= read.seqs("practice")
    all_suggested(read, told)


# First reading, since fixed: 'Practitioners told the reviewer that Mark presented as a
# devoted son ...' is suggested (0.74, Effective communication); the other four accounts
# (anxious not to undermine Jean's independence, self-neglect as something an adult does to
# herself, each knew part of Jean's story, the quoted practitioner) are not
def test_auto_coding_does_not_suggest_the_practitioners_own_accounts(read: Read) -> None:
    # What practitioners said about why they acted as they did: no practice presented as good.
    accounts = opened_by(read, "Practitioners at the learning event told the reviewer that "
                         "they had been anxious",
                         "Practitioners at the learning event told the reviewer that "
                         "they thought",
                         "Practitioners told the reviewer that Mark",
                         "At the recall event practitioners said",
                         '"We saw a son')
    assert accounts <= read.seqs("other")
    never_suggested(read, {"practitioners' accounts": accounts})


def _actions_taken(read: Read) -> set[int]:
    return {s for s in in_section(read, "8. Single agency actions")
            if read.passages[s].kind == "list_item"}


def test_auto_coding_finds_the_actions_already_taken(read: Read) -> None:
    actions = _actions_taken(read)
    assert len(actions) == 5 and actions <= read.seqs("practice")
    (council,) = opened_by(read, "Westbury Council Adult Social Care has changed")
    all_suggested(read, actions - {council})


# First reading, since fixed: 'Westbury Council Adult Social Care has changed its case
# recording system so that a cancelled care package creates a review task ...' is not
# suggested (0.31); the other four changes are (0.61-0.95, Learning from past reviews)
def test_auto_coding_finds_the_councils_change_to_its_case_recording(read: Read) -> None:
    (council,) = opened_by(read, "Westbury Council Adult Social Care has changed")
    assert council in _actions_taken(read) & read.seqs("practice")
    all_suggested(read, {council})
