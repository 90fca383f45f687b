"""A thirtieth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on a
Welsh Concise Child Practice Review written INTO THE WELSH GOVERNMENT'S
WORD TEMPLATE AS A FORM, its front matter and its first boxes a two-column
table "Section | Content", of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-formcpr/formcpr-written-2026.md` is a WRITTEN Concise
Child Practice Review (fictional: no real case or person) for the Cardiff
and Vale Regional Safeguarding Board, about Child H, nine, who on the
evening of 26 March 2023 ran from the family home in Cardiff in his pyjamas
during an incident in which his father assaulted his mother, was found on a
main road and taken to the Children's Hospital for Wales; emotional abuse
and domestic abuse at home over years. His school, the GP practice, South
Wales Police (two attendances, March and November 2022; MARAC; Operation
Encompass), Cardiff Council Children's Services (the MASH: three
referrals, each seen on its own; a care and support assessment closed in
January 2023), Cardiff and Vale University Health Board (health visiting,
school nursing, the emergency department) and an IDVA from Cardiff Women's
Aid run through it. Where it differs from the twenty-nine written reviews
before it (the CAPR2's and CVAPR's are the same board; the GCPR's the
nearest Concise CPR):

- THE FORM: after the board's name, its Welsh name "Bwrdd Diogelu
  Rhanbarthol Caerdydd a'r Fro" and "Child Practice Review Report" (the
  only level-1 heading), the report opens on a two-column table "| Section
  | Content |" of fifteen rows: "Name of Board | Cardiff and Vale Regional
  Safeguarding Board", "Type of review | Concise Child Practice Review",
  "Review reference | CPR2024-W09" (the national form of identifier, the
  only place it is given), "Child | Child H, aged 9", "Date of referral to
  the Review Sub-Group | 12 June 2023", "Date review commissioned | 5 July
  2023", "Period under review | 1 January 2022 to 26 March 2023", "Date of
  learning event | 18 October 2023", "Date of final report to the Board |
  28 March 2024", "Date of publication | 10 July 2024" (every key date of
  the front matter a table cell beside its label, no "Date of ...:" line),
  then the template's boxes as FOUR LONG ROWS whose Content cell holds three
  to five sentences: "Legal context" (the commissioning, the Act and the
  guidance, the concise criteria), "Brief outline of circumstances" (the
  incident of 26 March 2023 and the harm found), "Practice and
  organisational learning" (the five areas, and the school's persistence
  "was good practice": PRACTICE IN A TABLE CELL, the first in a written
  review's front matter), "Family involvement"; then "Summary timeline |
  ... Appendix 2.";
- the rest as ordinary UNNUMBERED headings and paragraphs: "Circumstances
  resulting in the review" (the family, the agencies' involvement, what
  followed, the period with its reason, the method with the learning event,
  the mother's words), "Learning identified" with five sub-headings
  "Learning n: <statement>" and a closing one "The response after 26 March
  2023", "What H and his mother told the review" (H's letter: his teacher
  "always knew when I was sad"), "Improving Systems and Practice" (the
  template's lead-in and recommendations 1-6 as a Markdown numbered list,
  3 a lead-in "... should ensure that:" with three nested bullets),
  "Statement by Reviewer(s)" (the statement as a paragraph and a
  THREE-COLUMN TABLE "Declaration | Reviewer 1 | Reviewer 2" with the rows
  "Statement of independence from the case | Yes | Yes", "Signature",
  "Name (Print)", "Date | 14/03/2024 | 14/03/2024"), "Statement by Review
  Panel Chair" (21/03/2024), "Appendix 1: Terms of reference" (a lead-in
  and five bullets), "Appendix 2: Summary timeline" ("Date | Agency |
  Event", nine rows, some dates ranges "20-21 March 2022");
- in the learning: praise named ("clear, factual and easy to follow",
  "exactly what the scheme is intended to achieve", "a thorough response,
  in line with force policy", "good direct work", "in line with the Ask
  and Act guidance", "swift and well coordinated"), practice stated only
  through what was done (the school's referral with its chronology and H's
  words; the school nurse's same-day referral; the DSP's challenge under the
  professional differences protocol; the emergency department nurse who
  wrote down H's words), praise through the family's words (the IDVA "was
  the first person who made me feel believed"), two "It would have been
  good practice ...", two changes since the learning event, a concession
  ("The reviewers consider that this was a reasonable decision. However
  ..."; "The reviewers recognise ... But ..."), what practitioners said at
  the learning event, the Domestic Abuse Act 2021 and the Wales
  Safeguarding Procedures stated, and ONE EARLIER REVIEW OF THE BOARD'S
  CITED BY ITS NATIONAL IDENTIFIER, "CPR2021-W04", its learning repeated
  (and cited again in recommendation 1).

Its labels (`formcpr-written-2026.tsv`, storfa.coding.wholedoc's format)
were set by hand, passage by passage, before storfa was run on it: 110
passages, 17 practice, 9 recommendation (the six numbered items, 3's
lead-in among them, and its three nested bullets), 84 other. As the
earlier modules': practice where the reviewers present some practice as
good, however implicitly or mixed with criticism. Codes: the form's
"Practice and organisational learning" cell (the school's persistence
"good practice") Escalating concerns; the DSP's chronology ("clear,
factual") Record keeping; the Operation Encompass notification and the
DSP's quiet word with H Effective communication; the school's referral of
14 September 2022 (through what was done) Escalating concerns; the
November police response ("thorough ... in line with force policy") Risk
assessment; the IDVA (her words) Positive working relationships; the
MARAC's "It would have been good practice" Suggested good practice; the
police's automatic notifications since Learning from past reviews; the
social worker's Three Houses session ("good direct work", inside a
paragraph whose next one criticises the assessment) Effective
communication; the school nurse's same-day referral Escalating concerns;
the DSP's challenge under the protocol Escalating concerns; the council's
third-referral rule since Learning from past reviews; the GP's direct
question ("in line with the Ask and Act guidance") Adhering to policy and
procedure; the emergency department's nurse and registrar (through what
was done) Record keeping; the assessment's "It would have been good
practice" Suggested good practice; the response after 26 March 2023
("swift and well coordinated") Multi-agency working; H's letter (his
teacher "always knew when I was sad": borderline, praised through his
words) Positive working relationships. Other: the cover and every other
form row (the Legal context, the outline and Family involvement cells
among them), the circumstances, the learning's preamble, the Learning
headings, the teacher's first records of January 2022 (facts before the
chronology's praise: borderline), the concessions, poor practice and facts,
what practitioners said, the Act and the Procedures, the earlier review
cited, the family's words, the template's lead-in, the statements, their
tables and the appendices.

What a user would expect of its identity, decided before the reading: type
CPR, concise, board Cardiff and Vale, identifier CPR2024-W09 (not the
CPR2021-W04 the learning cites), year 2024; dates: index incident
2023-03-26 (H ran from home; not the arrest of 19 November 2022 nor the
strategy discussion of 27 March 2023), referral 2023-06-12 (the form's row,
not the commissioning of 5 July 2023), period 2022-01-01 to 2023-03-26,
learning event 2023-10-18, sign-off 2024-03-14 (the reviewers' table, not
the chair's 21/03/2024 nor the final report of 28 March 2024), publication
2024-07-10.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt15
as it was, HEAD 59221f8; STORFA_INT8=u8; by the machine's clock the session
began about 03:34, the labels were written 03:37:57 and copied into
tests/data with the document in one `cp` 03:37:58, this module written
before any reading by 03:39:02, storfa first run 03:39:04-03:39:17; the
suggestions with their confidences, the records' texts, the metadata's
evidence and the PDF's passages printed 03:39:34-03:40:01, on the same
tree), the same from the Markdown and from the PDF unless said:

- segmentation: the Markdown as written (110); THE FORM READ AS WRITTEN
  from both, its header and fifteen rows each a table row of its own, each
  long Content cell whole with its Section cell; the PDF 110 passages, all
  as written but three: the reviewers' table's header "Declaration |
  Reviewer 1 | Reviewer 2" read as the paragraph "Declaration Reviewer 1
  Reviewer 2" (its other rows table rows as written); the Legal context
  cell's "Social Services and Well-being (Wales) Act 2014" read
  "Wellbeing" (the hyphen at a line's end taken for a word break); and the
  cited "CPR2021-W04", broken over a line after its hyphen, read
  "CPR2021- W04";
- identity: CPR2024-W09 (key and identifier, from "Review reference |
  CPR2024-W09"), CPR, concise (from "Type of review | Concise Child
  Practice Review", 0.90), Cardiff and Vale, 2024, all right, the cited
  CPR2021-W04 not taken; referral 2023-06-12 (1.00, the form's row),
  learning event 2023-10-18 (0.85, the form's row), period 2022-01-01 to
  2023-03-26 (the paragraph), sign-off 2024-03-14 (0.51, the reviewers'
  table's "Date" row), publication 2024-07-10 (0.85, the form's row), all
  right; index incident WRONG: 2023-10-01 (0.58), from "He was later
  charged with assault and with controlling or coercive behaviour, and in
  October 2023 he pleaded guilty to both." (right: 2023-03-26, the form's
  outline cell "On the evening of 26 March 2023 Child H ... ran from the
  family home"; a guilty plea months later is no incident, and a month is
  no day);
- recommendations: 8 records, 1, 2, 3a, 3b, 3c, 4, 5, 6, each of 3's
  bullets a record completed by its lead-in ("Cardiff Council Children's
  Services should ensure that a child who is ..."), every recommendation
  passage read, nothing extra (not the earlier review's "recommended that
  the MASH should look at ...", not "It would have been good practice", not
  a form row, not the template's lead-in, not the terms of reference).
  Addressees all right: 1, 5 and 6 the Cardiff and Vale Regional
  Safeguarding Board ("The Board should ..." read as the board), 2 South
  Wales Police, 3a-3c "Cardiff Council Children's Services", 4 Cardiff and
  Vale University Health Board (5's partners, the two councils' education
  services, not taken). No due dates (2's "within six months" is relative);
- auto-coding at the single-case threshold (0.49 as reported): 20
  suggestions, 14 of the 17 practice passages, precision 0.70 (under the
  0.80 floor, at the 0.70 judged bar), recall 0.82; the same sub-theme as
  the label on 10 of 14, the same theme on 10 of 14 (0.71, over the 0.70
  bar). Wrong (6): TWO FORM ROWS, the "Brief outline of circumstances"
  cell (Risk assessment, 0.71) and the "Family involvement" cell
  (Effective communication, 0.55); the teacher's first records of January
  2022 (Record keeping, 0.66; borderline, labelled other); the MASH's
  decision on the school's referral, "The school's referral of 14
  September 2022 was considered on 19 September 2022. The MASH social
  worker read the chronology and spoke to the DSP, but ..." (Record
  keeping, 0.73); what practitioners said, "Across the agencies, H's
  experience was described as 'exposure to parental conflict' ..."
  (Support and training for practitioners, 0.50); the Domestic Abuse Act
  2021 and the Wales Safeguarding Procedures stated (Adhering to policy and
  procedure, 0.65). Missed (3): the DSP's challenge under the protocol
  (0.28), the emergency department's nurse and registrar (0.26), H's letter
  (0.28), all practice stated through what was done or through words.
  Themes that differ (4): the form's practice cell -> Support and training
  for practitioners (1.00; Escalating concerns), the Operation Encompass
  notification -> Learning from past reviews (0.62; Effective
  communication), the school's referral of 14 September -> Record keeping
  (0.72; Escalating concerns), the school nurse's same-day referral ->
  Adhering to policy and procedure (0.86; Escalating concerns). Right: the
  chronology (Record keeping 0.83), the November police response (Risk
  assessment 0.72), the IDVA (Positive working relationships 0.77), both
  "It would have been good practice" (Suggested good practice 1.00, 1.00),
  both changes since (Learning from past reviews 0.94, 0.61), the Three
  Houses session (Effective communication 0.86), the GP's direct question
  (Adhering to policy and procedure 0.79), the response after 26 March
  (Multi-agency working 0.75). Nothing suggested on the cover, the form's
  short rows or its Legal context cell, a heading, the circumstances, the
  preamble, the concessions, the teachers' words at the learning event, the
  earlier review cited, the family's words, a recommendation, a lead-in,
  the statements or the appendices; near misses under the threshold: the
  Legal context cell (0.42, Markdown only), the teachers' words at the
  learning event (0.40) and the first police attendance (0.40).

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (with a PDF test
of what reads as written), the xfails for what storfa got wrong, a test of
the form's practice cell's theme. On the frozen tree (03:41:32) and from
/work/main with its own src/, HEAD 59221f8 too (03:41:47), the module gave
the same: 82 passed, 3 skipped, 27 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.coding import load_codebook
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
    records_of,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-formcpr"
DOCUMENT = DATA / "formcpr-written-2026.md"
IDENTIFIER = "CPR2024-W09"
CITED = "CPR2021-W04"  # the Board's earlier review the learning cites
OWN_BOARD = ("Cardiff and Vale Regional Safeguarding Board",)
POLICE = "South Wales Police"
HEALTH_BOARD = "Cardiff and Vale University Health Board"
RECOMMENDATIONS = (
    "1. The Cardiff and Vale Regional Safeguarding Board should seek",
    "2. South Wales Police should report",
    "3. Cardiff Council Children's Services should ensure",
    "4. Cardiff and Vale University Health Board should agree",
    "5. The Board should work with",
    "6. The Board should publish",
)
# The bullets under recommendation 3, by their openings.
BULLETS = {"3": ("a child who is the subject", "the school is asked for its view",
                 "a decision to close a case")}
# The form's rows, by their Section cell, in order.
FORM = ("Section", "Name of Board", "Type of review", "Review reference", "Child",
        "Date of referral to the Review Sub-Group", "Date review commissioned",
        "Period under review", "Date of learning event", "Date of final report to the Board",
        "Date of publication", "Legal context", "Brief outline of circumstances",
        "Practice and organisational learning", "Family involvement", "Summary timeline")
# The long rows, by their Section cell and their last words.
LONG_ROWS = {
    "Legal context": "abuse or neglect is known or suspected.",
    "Brief outline of circumstances": "through living with domestic abuse.",
    "Practice and organisational learning": "by living with domestic abuse.",
    "Family involvement": "using drawings and a short letter.",
}
LEARNING = "Learning identified"
_PDF = (
    "from the PDF, three passages are not read as written: the reviewers' table's header "
    "'Declaration | Reviewer 1 | Reviewer 2' read as the paragraph 'Declaration Reviewer 1 "
    "Reviewer 2'; the Legal context cell's 'Social Services and Well-being (Wales) Act "
    "2014' read 'Wellbeing' (a hyphen at a line's end taken for a word break); the cited "
    "'CPR2021-W04', broken over a line after its hyphen, read 'CPR2021- W04'; every other "
    "passage, the form's rows among them, as written, 110 passages")
_THEMES = (
    "same theme on 10 of 14 (0.71), both readings: the form's 'Practice and organisational "
    "learning' cell (the school's persistence 'was good practice') -> Support and training "
    "for practitioners 1.00 (Escalating concerns), the Operation Encompass notification and "
    "the DSP's quiet word with H -> Learning from past reviews 0.62 (Effective "
    "communication), the school's referral of 14 September 2022 with its chronology and H's "
    "words -> Record keeping 0.72 (Escalating concerns), the school nurse's same-day "
    "referral -> Adhering to policy and procedure 0.86 (Escalating concerns)")
_FORM_ROWS = (
    "two of the form's long rows are suggested, both readings: the 'Brief outline of "
    "circumstances' cell ('On the evening of 26 March 2023 Child H ... ran from the family "
    "home ... the strategy discussion concluded that he had suffered significant harm ...') "
    "as Risk assessment 0.71 and the 'Family involvement' cell ('H's mother met the "
    "reviewers twice ... H's father ... declined. H shared his views ... through his social "
    "worker, using drawings and a short letter.') as Effective communication 0.55; right: "
    "neither (the template's outline and family boxes: facts, no practice judged)")
_MASH_DECISION = (
    "'The school's referral of 14 September 2022 was considered on 19 September 2022. The "
    "MASH social worker read the chronology and spoke to the DSP, but the decision was that "
    "the concerns could be met through early help ... H was not seen on his own.' is "
    "suggested as Record keeping 0.73, both readings; right: not practice (a decision the "
    "learning criticises, facts)")
_SAID = (
    "'Across the agencies, H's experience was described as \"exposure to parental conflict\" "
    "or \"witnessing arguments\", rather than as abuse. At the learning event several "
    "practitioners said that they would have acted more quickly if H had had a bruise.' is "
    "suggested as Support and training for practitioners 0.50, both readings; right: not "
    "practice (a finding against the agencies, what practitioners said)")
_LAW = (
    "'The Domestic Abuse Act 2021 recognises a child who sees, hears or experiences the "
    "effects of domestic abuse as a victim in their own right, and the Wales Safeguarding "
    "Procedures are clear that emotional abuse can be as harmful ...' is suggested as "
    "Adhering to policy and procedure 0.65, both readings; right: not practice (the law and "
    "the Procedures stated, no one's practice)")
_FIRST_RECORDS = (
    "'In January 2022 H's class teacher noticed that he had become withdrawn. ... The "
    "teacher recorded each of these on the school's electronic safeguarding system, and the "
    "designated safeguarding person (DSP) began a chronology.' is suggested as Record "
    "keeping 0.66, both readings; labelled other (borderline: the facts before the next "
    "paragraph's praise of the chronology)")
_LEARNING_OTHER = (
    "four paragraphs of the learning labelled other are suggested, both readings: the "
    "teacher's first records (Record keeping 0.66, borderline), the MASH's decision on the "
    "school's referral (Record keeping 0.73), 'Across the agencies, H's experience was "
    "described as ...' (Support and training for practitioners 0.50), the Domestic Abuse "
    "Act 2021 and the Procedures (Adhering to policy and procedure 0.65)")
FAMILY = "What H and his mother told the review"
SYSTEMS = "Improving Systems and Practice"
STATEMENT = "Statement by Reviewer(s)"


read = reading(DOCUMENT, DATA / "formcpr-written-2026.tsv", "written-formcpr")


def _form(read: Read) -> dict[str, int]:
    """The form's rows by their Section cell: the one passage before the first
    ordinary heading opening on it (with its cell's bar, or without, as a PDF
    may read it); -1 where there is none or more than one."""
    end = heading_at(read, "Circumstances resulting in the review")
    found: dict[str, int] = {}
    for name in FORM:
        seqs = [s for s in range(end) if read.text(s).startswith((f"{name} |", f"{name} "))
                and not read.text(s).startswith("Child Practice Review Report")]
        found[name] = seqs[0] if len(seqs) == 1 else -1
    return found


def _cover(read: Read) -> set[int]:
    """The board's names and the report's title, and every form row but the
    practice cell: before the first ordinary heading."""
    form = _form(read)
    end = heading_at(read, "Circumstances resulting in the review")
    return set(range(end)) - {form["Practice and organisational learning"]}


def _learning(read: Read) -> set[int]:
    return set(range(heading_at(read, LEARNING) + 1, heading_at(read, FAMILY)))


def _statements_and_appendices(read: Read) -> set[int]:
    return set(range(heading_at(read, STATEMENT), len(read.passages)))


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 110, 17, 9, 84)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


@pytest.mark.xfail(strict=True, reason=_PDF)
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_three_passages_as_written(read: Read) -> None:
    only(read, "pdf")
    assert len(read.passages) == 110
    odd = {heading_at(read, STATEMENT) + 2, *opened_by(read, "Legal context",
                                                        "This is not new learning")}
    wrong = [(s, t) for s, t in read.differ() if s not in odd]
    assert not wrong, wrong


def test_each_row_of_the_form_is_a_passage_of_its_own(read: Read) -> None:
    form = _form(read)
    assert all(s >= 0 for s in form.values()), form
    assert list(form.values()) == sorted(form.values()), form


def test_each_long_cell_is_read_whole_with_its_section(read: Read) -> None:
    # Three to five sentences in one Content cell: one passage, its Section
    # cell first and its last sentence in it.
    form = _form(read)
    wrong = [(name, read.text(form[name])[-50:]) for name, end in LONG_ROWS.items()
             if form[name] < 0 or not read.text(form[name]).endswith(end)]
    assert not wrong, wrong


def test_the_forms_rows_are_table_rows(read: Read) -> None:
    form = _form(read)
    kinds = {name: read.passages[s].kind for name, s in form.items() if s >= 0}
    assert set(kinds.values()) == {"table_row"}, kinds


# ------------------------------------------------------------------- identity
def test_the_form_gives_type_variant_and_board(read: Read) -> None:
    # "Type of review | Concise Child Practice Review"; "Name of Board | Cardiff
    # and Vale Regional Safeguarding Board".
    identity(read, type="CPR", variant="concise", board="Cardiff and Vale")


def test_the_form_gives_the_identifier(read: Read) -> None:
    # "Review reference | CPR2024-W09".
    identified(read, IDENTIFIER, ("CPR", 2024, 9, None))


def test_no_cited_review_is_taken_for_this_one(read: Read) -> None:
    # "The Board's Child Practice Review CPR2021-W04 found that ..."
    assert not (read.summary.identifier or "").startswith(CITED), read.summary.identifier
    assert read.summary.year != 2021, read.summary.year


# First reading, since fixed: index incident 2023-10-01 (0.58), both readings, from 'He was
# later charged with assault and with controlling or coercive behaviour, and in October 2023 he
# pleaded guilty to both.'; right: 2023-03-26, the form's outline cell 'On the evening of 26
# March 2023 Child H, then aged nine, ran from the family home ...' (a guilty plea months after
# is no incident, and a month no day)
def test_the_index_incident_is_the_night_h_ran_from_home(read: Read) -> None:
    # "On the evening of 26 March 2023 Child H ... ran from the family home";
    # not the arrest of 19 November 2022, nor the strategy discussion of 27 March.
    assert read.summary.dates.get("index_incident") == "2023-03-26", read.summary.dates


def test_the_referral_is_the_forms(read: Read) -> None:
    # "Date of referral to the Review Sub-Group | 12 June 2023"; the
    # commissioning, 5 July 2023, is not it.
    assert read.summary.dates.get("referral") == "2023-06-12", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "Period under review | 1 January 2022 to 26 March 2023", and again in a paragraph.
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-01-01", "2023-03-26"), dates


def test_the_learning_event(read: Read) -> None:
    # "Date of learning event | 18 October 2023".
    assert read.summary.dates.get("learning_event") == "2023-10-18", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # "Date | 14/03/2024 | 14/03/2024"; not the chair's 21/03/2024, nor the
    # final report to the Board of 28 March 2024.
    assert read.summary.dates.get("sign_off") == "2024-03-14", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Date of publication | 10 July 2024".
    assert read.summary.dates.get("publication") == "2024-07-10", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_six(read: Read) -> None:
    print_register(read)
    numbers = [r.number.rstrip("abcdefg") for r in labelled_records(read)]
    assert sorted(set(numbers)) == ["1", "2", "3", "4", "5", "6"], numbers


def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    for n, bullets in BULLETS.items():
        records = records_of(read, n)
        assert records, n
        lead = "Cardiff Council Children's Services should ensure"
        for bullet in bullets:
            holding = [r for r in records if bullet in r.text]
            assert holding and all(lead in r.text for r in holding), (n, bullet,
                                                                    [r.text for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not the earlier review's "recommended that the MASH should look at ...",
    # not "It would have been good practice", not the template's lead-in, not a
    # form row, not the terms of reference.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_form_the_learning_or_the_appendices(read: Read) -> None:
    for what, seqs in (("form", _cover(read) | {_form(read)[
                           "Practice and organisational learning"]}),
                       ("circumstances", in_section(read, "Circumstances resulting")),
                       ("learning", _learning(read)),
                       ("statements and appendices", _statements_and_appendices(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def test_the_boards_recommendations_are_the_boards(read: Read) -> None:
    found = {n: [r.agencies for r in records_of(read, n)] for n in ("1", "5", "6")}
    assert all(found[n] and all(a and a[0] in OWN_BOARD for a in found[n]) for n in found), \
        found


def test_the_polices_recommendation_is_the_polices(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "2")]
    assert found and all(a and a[0] == POLICE for a in found), found


def test_the_councils_recommendation_is_cardiff_councils(read: Read) -> None:
    # "Cardiff Council Children's Services should ensure that:" and its bullets.
    found = [r.agencies for r in records_of(read, "3")]
    assert found and all(a and a[0].startswith("Cardiff Council") for a in found), found


def test_the_health_boards_recommendation_is_the_health_boards(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "4")]
    assert found and all(a and a[0] == HEALTH_BOARD for a in found), found


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=(
    "precision 0.70 (14 of 20), both readings, under the 0.80 floor: six passages labelled "
    "other suggested, two of them the form's outline and family involvement cells (see "
    "the tests of each)"))
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    # The form's long rows apart (their own tests).
    form = _form(read)
    never_suggested(read, {
        "heading": headings(read),
        "cover and form": _cover(read) - {form[name] for name in LONG_ROWS},
        "circumstances": in_section(read, "Circumstances resulting"),
        "statements and appendices": _statements_and_appendices(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_forms_short_rows_or_legal_context(read: Read) -> None:
    # The header, the name, type, reference, child, the dates, the summary
    # timeline's pointer, and the Legal context cell.
    form = _form(read)
    rows = {s for name, s in form.items()
            if name not in ("Practice and organisational learning",
                            "Brief outline of circumstances", "Family involvement")}
    assert len(rows) == 13 and rows <= read.seqs("other")
    never_suggested(read, {"form row": rows})


# First reading, since fixed: two of the form's long rows are suggested, both readings: the
# 'Brief outline of circumstances' cell ('On the evening of 26 March 2023 Child H ... ran from
# the family home ... the strategy discussion concluded that he had suffered significant harm
# ...') as Risk assessment 0.71 and the 'Family involvement' cell ('H's mother met the reviewers
# twice ... H's father ... declined. H shared his views ... through his social worker, using
# drawings and a short letter.') as Effective communication 0.55; right: neither (the template's
# outline and family boxes: facts, no practice judged)
def test_auto_coding_never_suggests_a_form_row(read: Read) -> None:
    # The outline's, the legal context's and the family involvement's cells among them.
    form = _form(read)
    rows = {s for name, s in form.items() if name != "Practice and organisational learning"}
    assert rows <= read.seqs("other")
    never_suggested(read, {"form row": rows})


def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    opened_not_suggested(read, "The review identified five areas of learning")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The school did not refer to the MASH", "The reviewers recognise")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event teachers said")


@pytest.mark.xfail(strict=True, reason=_SAID)
def test_auto_coding_does_not_suggest_how_agencies_described_the_harm(read: Read) -> None:
    opened_not_suggested(read, "Across the agencies")


def test_auto_coding_does_not_suggest_an_earlier_reviews_learning_repeated(read: Read) -> None:
    opened_not_suggested(read, "This is not new learning for the Board")


@pytest.mark.xfail(strict=True, reason=_LAW)
def test_auto_coding_does_not_suggest_the_law_and_procedures(read: Read) -> None:
    opened_not_suggested(read, "The Domestic Abuse Act 2021")


def test_auto_coding_does_not_suggest_the_familys_words(read: Read) -> None:
    opened_not_suggested(read, "H's mother told the review that, looking back",
                         "H's mother said that since")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    opened_not_suggested(read, "The first police attendance", "H's father was released on bail",
                         "The MARAC considered", "The MASH considered the police referral",
                         "The assessment was completed",
                         "The MASH considered the referral on 3 February",
                         "The case was allocated to a social worker", "The health visitor received",
                         "The GP practice did not share")


@pytest.mark.xfail(strict=True, reason=_MASH_DECISION)
def test_auto_coding_does_not_suggest_the_mashs_decision_on_the_schools_referral(
        read: Read) -> None:
    opened_not_suggested(read, "The school's referral of 14 September")


@pytest.mark.xfail(strict=True, reason=_FIRST_RECORDS)
def test_auto_coding_does_not_suggest_the_first_records(read: Read) -> None:
    # Borderline: the teacher's first records, facts before the chronology's praise.
    opened_not_suggested(read, "In January 2022 H's class teacher")


@pytest.mark.xfail(strict=True, reason=_LEARNING_OTHER)
def test_auto_coding_does_not_suggest_anything_else_in_the_learning(read: Read) -> None:
    other = _learning(read) & read.seqs("other") - headings(read)
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_the_practice_in_the_forms_cell(read: Read) -> None:
    # "The review found that the school's persistence on H's behalf was good practice."
    seq = _form(read)["Practice and organisational learning"]
    assert seq in read.seqs("practice")
    all_suggested(read, {seq})


@pytest.mark.xfail(strict=True, reason=(
    "the form's 'Practice and organisational learning' cell is suggested as Support and "
    "training for practitioners (1.00), both readings; right: Risk and Escalation "
    "(Escalating concerns: the school 'referring to the Multi-Agency Safeguarding Hub and "
    "then challenging the decision that followed ... persistence on H's behalf was good "
    "practice'; no practitioner supported or trained)"))
def test_the_forms_practice_cell_is_read_as_escalation(read: Read) -> None:
    seq = _form(read)["Practice and organisational learning"]
    book = load_codebook("best-practice")
    code = read.suggested.get(seq, [("", 0.0)])[0][0]
    assert code and book.code(code).theme == "Risk and Escalation", read.suggested.get(seq)


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "clear, factual and easy to follow"; "exactly what the scheme is intended
    # to achieve"; "a thorough response, in line with force policy"; "good
    # direct work"; "in line with the Ask and Act guidance"; "swift and well
    # coordinated".
    opened_suggested(read, "Over the following eight months", "On 21 March 2022 the school",
                     "On 19 November 2022 H's mother",
                     "A care and support assessment was allocated", "On 7 June 2022 H's mother",
                     "The response after H was found")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The school's referral with its chronology; the school nurse's same-day
    # referral.
    opened_suggested(read, "In September 2022 H moved", "In January 2023 the school asked")


@pytest.mark.xfail(strict=True, reason=(
    "'When the DSP was told of this decision on 9 February 2023, she telephoned the MASH "
    "team manager to challenge it. When she had no reply within two working days she wrote "
    "to him under the Board's protocol for resolving professional differences ...' is not "
    "suggested (0.28), both readings: escalation stated through what was done, Escalating "
    "concerns"))
def test_auto_coding_finds_the_dsps_challenge(read: Read) -> None:
    opened_suggested(read, "When the DSP was told")


@pytest.mark.xfail(strict=True, reason=(
    "'At the Children's Hospital for Wales on the night of 26 March 2023 the emergency "
    "department nurse wrote down exactly what H said to her, in his own words, and the "
    "paediatric registrar made a referral to children's services before H left the "
    "department.' is not suggested (0.26), both readings: practice stated through what was "
    "done, Record keeping"))
def test_auto_coding_finds_the_emergency_departments_record(read: Read) -> None:
    opened_suggested(read, "At the Children's Hospital for Wales")


def test_auto_coding_finds_the_idva_praised_in_the_mothers_words(read: Read) -> None:
    opened_suggested(read, "An Independent Domestic Violence Advisor")


@pytest.mark.xfail(strict=True, reason=(
    "'H wrote a letter to the reviewers ... his teacher \"always knew when I was sad and let "
    "me sit in the calm corner\".' is not suggested (0.28), both readings: borderline, the "
    "teacher's practice praised through H's words, Positive working relationships"))
def test_auto_coding_finds_the_teacher_praised_in_hs_letter(read: Read) -> None:
    # Borderline: his teacher "always knew when I was sad".
    opened_suggested(read, "H wrote a letter to the reviewers")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice for the MARAC", "Suggested good practice")
    opened_coded(read, "It would have been good practice for the care", "Suggested good practice")


def test_auto_coding_finds_the_polices_change_since(read: Read) -> None:
    opened_coded(read, "Since the learning event South Wales Police", "Learning from past reviews")


def test_auto_coding_finds_the_councils_change_since(read: Read) -> None:
    opened_coded(read, "Since the learning event Cardiff Council", "Learning from past reviews")
