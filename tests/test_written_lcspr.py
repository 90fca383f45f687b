"""A thirtieth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on an
English Local Child Safeguarding Practice Review that makes NO
recommendations (findings and questions for the partnership instead) and
whose analysis is a sequence of practice episodes, each in three
sub-sections "What happened", "Analysis" and "Learning", of the single-case
auto-coding threshold and the document-reading rules chosen on the written
reviews before it.

`tests/data/written-lcspr/lcspr-written-2026.md` is a WRITTEN Local Child
Safeguarding Practice Review (fictional: no real case or person) for the
Riverton Safeguarding Children Partnership (a fictional English
partnership), about Child R, a 14-year-old boy criminally exploited by a
county lines network between Riverton and the coastal town of Saltmarsh,
stabbed in the thigh in the Castle Street underpass on 3 November 2024,
who survived. His school's referral, a part-time timetable, four missing
episodes, his arrest at Saltmarsh station by British Transport Police, a
strategy discussion, three social workers in five months, a Youth Justice
Service worker he trusted, the Multi-Agency Child Exploitation (MACE)
panel lowering his rating, a threat phoned in and closed, then the
stabbing and the response run through it. Where it differs from the
written reviews before it (the CSPR's, also English, also a boy exploited
and stabbed, with "KPE" headings and "Finding n" headings over "Questions
for the partnership" headings and a recommendations table, the nearest):

- the cover: the partnership's name (a paragraph), "Local Child
  Safeguarding Practice Review: Child R" (the only level-1 heading), "Lead
  reviewer: ...", "Final report agreed by the safeguarding partners: 9
  September 2025", "Published: 21 October 2025"; no number, no contents;
- sections "1. Introduction" (the stabbing, the notification and the
  referral to the Case Review Group the same day, the rapid review, the
  National Panel's agreement, the period with its reason, the method and
  the learning event, R and his mother involved, the trial), "2. About
  Child R", "3. Child R's voice" (four paragraphs of his words, one
  praising his YJS worker: "She never gave up on me"), "4. Summary of key
  events" (a lead-in and a "Date | Event" table of six rows);
- "5. Practice episodes": a preamble, then FOUR "Practice episode n: <title>
  (<months>)" headings, EACH with three sub-headings "What happened" (two
  paragraphs of facts; in episode 4 the threat and the stabbing), "Analysis"
  (five or six paragraphs) and "Learning" (ONE paragraph of two sentences
  stating learning); the good practice inside the Analysis parts, named
  ("of a high standard", "This was good practice, in line with ...", "well
  attended and well led", "The review commends her", "exemplary", "swift
  and well coordinated") and stated through what was done (the Early Help
  worker coming back after school and taking R to a boxing club; the Open
  Door worker's return home interviews at a chicken shop he chose; the YJS
  worker's weekly sessions at a gym; a detective visiting R's mother every
  day), one "It would have been good practice ..." citing Working Together
  2023, two changes since the rapid review ("Since the rapid review, ..."),
  poor practice, two concessions ("The reviewer accepts that ... But ...",
  "The reviewer recognises that ... However, ..."), the mother's words
  inside three Analysis paragraphs;
- "6. Learning from national reviews": ONE paragraph citing the Child
  Safeguarding Practice Review Panel's "It was hard to escape" (2020) and
  "Child Protection in England" (2022) and their themes (learning of other
  reviews, not practice in this case, nothing changed because of them);
- "7. Findings": a preamble ("The review does not make recommendations:
  the safeguarding partners are best placed to decide how to respond."),
  then THREE BOLD "Finding n: ..." statements as PARAGRAPHS (not headings),
  each followed by one paragraph of explanation and a "Questions for the
  partnership:" lead-in PARAGRAPH over two question bullets; the third
  finding's explanation restates the trusted relationships found;
- "8. Partnership response": the partners named, the findings accepted, a
  lead-in ending "two commitments:" and TWO bullets of dated commitments
  ("By January 2026, the MACE panel's terms of reference ... will be
  revised ...", "From the start of the spring term 2026, every school in
  Riverton will tell ..."): agreed actions, not recommendations;
- "9. Conclusion" (two paragraphs, "Many individual practitioners worked
  hard for him" naming no practice), "Appendix A: Terms of reference" (a
  lead-in and three question bullets); NO recommendations anywhere, so the
  register should hold nothing.

Its labels (`lcspr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 110
passages, 15 practice, 0 recommendation, 95 other. As the earlier modules':
practice where the reviewers present some practice as good, however
implicitly or mixed with criticism; the "What happened" accounts (facts,
though they tell of practice praised later), the "Learning" statements, the
concessions that open a criticism, the child's and the mother's words in
their own sections, the national reviews' paragraph, the findings, the
questions and the partnership's commitments are other. Codes: the DSL's
referral "of a high standard ... named criminal exploitation" Risk
assessment; the Early Help worker's work built around R Positive working
relationships; the academy trust's attendance policy since the rapid
review Learning from past reviews; the Open Door worker who "did not give
up" Persistency in care and support; the British Transport Police
officers' NRM referral ("good practice, in line with ...") Adhering to
policy and procedure; the strategy discussion "well attended and well led"
Multi-agency working; "It would have been good practice ... a child
protection conference" Suggested good practice; the YJS worker's weekly
sessions Positive working relationships; her clinical supervision Support
and training for practitioners; her escalation to the MACE chair ("The
review commends her") Escalating concerns; the emergency department's
"exemplary" records Record keeping; the response after the stabbing
Multi-agency working; the detective's daily visits to R's mother
Consistent and persistent communication; the police's call grading since
the rapid review Learning from past reviews; Finding 3's explanation ("The
review saw what a trusted relationship could do for R ...") Positive
working relationships (a restatement of practice found, as the CTMAPR's
"Good practice" paragraph). Borderline, labelled other: R's words praising
his YJS worker in "Child R's voice" (the child's words, as the CSPR's), the
conclusion's "Many individual practitioners worked hard for him" (names no
practice), the partnership's two commitments (actions agreed, no
recommendation: nothing to record).

What a user would expect of its identity, decided before the reading: type
CSPR; no variant; no identifier (the review has no number: nothing in it,
"Year 9", "section 47", "Practice episode 1", "Finding 1", is one), so the
key is the file's name; the board the partnership (Riverton), no Welsh
board; year 2025 (publication); dates: index incident 2024-11-03 (the
stabbing, not the arrest at Saltmarsh of 28 April 2024 or the threat of 14
October 2024), referral 2024-11-06 (to the Case Review Group, the day of
the notification; not the rapid review of 20 November), period 2023-09-01
to 2024-11-03, learning event 2025-05-14, sign-off 2025-09-09 (the
partners' agreement on the cover: the reviewer dates nothing else),
publication 2025-10-21.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt15
as it was, HEAD 59221f8; STORFA_INT8=u8; by the machine's clock the session
began 03:35:09, the document was last edited 03:38:08, the labels written
03:38:15 and copied into tests/data with the document in one `cp`
03:38:17, this module written 03:39:17 before any reading, storfa first
run 03:39:19-03:39:31; the figures, the register, the near misses printed
03:39:35-03:39:54 and the PDF's table as read at 03:40:05, on the same
tree), the same from the Markdown and from the PDF in every figure unless
said:

- segmentation: the Markdown as written (110); the PDF 110 passages, all
  as written but the summary of key events' table: its header and six rows
  read as PARAGRAPHS with the cells joined by a space ("Date Event",
  "September 2023 R starts Year 9 ..."), one of them, "5 February 2024 R is
  placed on a part-time timetable, mornings only", as a HEADING (it opens
  on a number), and two whose date cell wrapped with the year moved to the
  end ("17 September The MACE panel lowers R's risk rating from high to
  medium 2024", "3 November R is stabbed in Riverton 2024"); the four
  episodes' "What happened" / "Analysis" / "Learning" sub-headings are
  headings and the three bold findings paragraphs, both readings;
- identity: type CSPR, no variant, no identifier (key
  "lcspr-written-2026"), board "Riverton Safeguarding Children
  Partnership", year 2025, all right; index incident 2024-11-03, referral
  2024-11-06, period 2023-09-01 to 2024-11-03, learning event 2025-05-14,
  publication 2025-10-21, all right; sign-off WRONG: None (right:
  2025-09-09, the cover's "Final report agreed by the safeguarding
  partners: 9 September 2025", the only date of approval it gives);
- recommendations: NONE recorded, right: not the findings' preamble ("The
  review does not make recommendations"), the findings, the questions, the
  "Learning" statements, "It would have been good practice ...", the
  partnership's two dated commitments or the terms of reference;
- auto-coding at the single-case threshold (0.49 as reported): 21
  suggestions, all 15 practice passages, precision 0.71 (under the 0.80
  floor, over the 0.70 judged bar), recall 1.00; the same sub-theme as the
  label on 13 of 15, the same theme on 14 of 15 (0.93). Wrong (6): "About
  Child R"'s "R's mother works shifts in a care home. She told the review
  that she ... 'went to everyone I could think of' ..." (Positive working
  relationships, 0.57); "Child R's voice"'s "Asked what had helped, R talked
  about his YJS worker: 'She never gave up on me. ...'" (Positive working
  relationships, 0.93); the Front Door's poor practice in episode 1's
  Analysis, "The Front Door did not check the car's registration with the
  police ..." (Risk assessment, 0.68); the partnership's second commitment
  "From the start of the spring term 2026, every school in Riverton will
  tell the child's lead professional ..." (Adhering to policy and
  procedure, 0.94); both paragraphs of the conclusion, "R was 13 when older
  young people began to exploit him ... Many individual practitioners
  worked hard for him. ..." (Consistent care and support, 0.84) and "R now
  lives with his family in a new area ... 'help the next kid' ..."
  (Learning from past reviews, 0.84). Missed: none. Theme that differs (1):
  the police's change since the rapid review, "Since the rapid review,
  Rivershire Constabulary has changed how threats to children are handled
  ..." -> Escalating concerns (0.67; Learning from past reviews); within
  the theme: the YJS worker's weekly sessions -> Persistency in care and
  support (0.97; Positive working relationships). Right: the DSL's
  referral (0.86), the Early Help worker (1.00), the academy trust's change
  since (Learning from past reviews, 0.62), the Open Door worker (0.99), the
  British Transport Police (0.99), both strategy discussions and responses
  (0.92, 0.97), "It would have been good practice" (Suggested good practice,
  0.99), the supervision (0.93), the escalation (0.85), the emergency
  department's records (0.94), the detective (0.93), Finding 3's
  restatement (0.93). Nothing suggested on the cover, a heading, the
  introduction, the summary table, a "What happened" account, a "Learning"
  statement, the national reviews' paragraph (0.41), a finding, a question,
  a lead-in, the partnership's first commitment, the appendix, the
  concessions (0.35 and under) or the other poor practice; near misses
  under the threshold: the method paragraph (0.46) and R's "It was older
  boys I looked up to ..." (0.45).

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the child and
his family, the commitments, the Analysis' other paragraphs, the themes), a
PDF test of what reads as written and one of its table rows' kinds, and
the xfails for what storfa got wrong. On the frozen tree (03:40:49-03:41:12)
the module gave: 93 passed, 5 skipped, 20 xfailed.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from written import (
    Read,
    all_suggested,
    between,
    heading_at,
    headings,
    holds_the_floors,
    holds_the_judged_bar,
    holds_the_labels,
    identity,
    lead_ins,
    never_suggested,
    no_welsh_board,
    not_identified,
    only,
    opened_by,
    opened_coded,
    opened_not_suggested,
    opened_suggested,
    print_register,
    reading,
    reads_as_written,
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-lcspr"
DOCUMENT = DATA / "lcspr-written-2026.md"
INTRODUCTION = "1. Introduction"
EPISODES = "5. Practice episodes"
NATIONAL = "6. Learning from national reviews"
FINDINGS = "7. Findings"
RESPONSE = "8. Partnership response"
CONCLUSION = "9. Conclusion"
APPENDIX = "Appendix A: Terms of reference"
PARTS = ("What happened", "Analysis", "Learning")
TABLE = "4. Summary of key events"

# _PDF_TABLE, a first reading since fixed (cell borders read from a table's rules): from the
# PDF, the summary of key events' table is not read as written: its header and six rows read as
# paragraphs with the cells joined by a space ('Date Event', 'September 2023 R starts Year 9
# ...'), two with the date cell's wrapped year moved to the end ('17 September The MACE panel
# lowers R's risk rating from high to medium 2024', '3 November R is stabbed in Riverton 2024');
# every other passage as written, 110 passages
_FAMILY = (
    "two paragraphs of the child and his family are suggested, both readings: 'About Child "
    "R''s 'R's mother works shifts in a care home. She told the review that she saw the "
    "changes ... \"went to everyone I could think of\" ...' (Positive working relationships, "
    "0.57) and 'Child R's voice''s 'Asked what had helped, R talked about his YJS worker: "
    "\"She never gave up on me. ...\"' (Positive working relationships, 0.93); right: "
    "neither, their words (the YJS worker's practice is praised in the Analysis)")
_FRONT_DOOR = (
    "'The Front Door did not check the car's registration with the police, who would have "
    "told them that it was linked to a man known for drug supply ... That view of risk, as "
    "something that happens inside the family, recurs throughout this review.' is suggested "
    "(Risk assessment, 0.68), both readings: poor practice, no praise")


read = reading(DOCUMENT, DATA / "lcspr-written-2026.tsv", "written-lcspr")


def _cover(read: Read) -> set[int]:
    # No contents: the cover runs to the introduction's heading.
    return set(range(heading_at(read, INTRODUCTION)))


def _episode_headings(read: Read) -> list[int]:
    return [p.seq for p in read.passages
            if p.kind == "heading" and p.text.startswith("Practice episode ")]


def _part(read: Read, name: str) -> set[int]:
    """The passages under every "What happened", "Analysis" or "Learning"
    sub-heading, to the next heading (by text: a PDF's headings have no
    depth)."""
    out: set[int] = set()
    under = None
    for p in read.passages:
        if p.kind == "heading":
            under = p.text
        elif under == name:
            out.add(p.seq)
    return out


def _findings(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Finding ")}


def _questions(read: Read) -> set[int]:
    """Each "Questions for the partnership:" lead-in and its bullets."""
    out: set[int] = set()
    under = False
    for p in read.passages:
        text = read.text(p.seq)
        if p.kind == "heading" or text.startswith("Finding "):
            under = False
        if text == "Questions for the partnership:":
            under = True
        if under:
            out.add(p.seq)
    return out


def _response(read: Read) -> set[int]:
    return between(read, RESPONSE, CONCLUSION)


def _no_table_row_is_a_heading(read: Read) -> None:
    table = set(range(heading_at(read, TABLE) + 1, heading_at(read, EPISODES)))
    assert len(table) == 8
    wrong = [read.text(s) for s in sorted(table) if read.passages[s].kind == "heading"]
    assert not wrong, wrong


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 110, 15, 0, 95)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_TABLE above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_table_as_written(read: Read) -> None:
    only(read, "pdf")
    table = set(range(heading_at(read, TABLE), heading_at(read, EPISODES)))
    wrong = [(s, t) for s, t in read.differ() if s not in table]
    assert not wrong, wrong


# First reading, since fixed (cell borders read from a table's rules): from the PDF, the table
# row '5 February 2024 | R is placed on a part-time timetable, mornings only' is read as a
# HEADING ('5 February 2024 R is placed on a part-time timetable, mornings only': it opens on a
# number); right: a row of the table
def test_no_table_row_of_the_pdf_is_read_as_a_heading(read: Read) -> None:
    only(read, "pdf")
    _no_table_row_is_a_heading(read)


def test_no_table_row_of_the_markdown_is_read_as_a_heading(read: Read) -> None:
    only(read, "markdown")
    _no_table_row_is_a_heading(read)


def test_each_episode_has_its_three_parts(read: Read) -> None:
    # Four "Practice episode n" headings, each followed by "What happened",
    # "Analysis" and "Learning" as headings, in that order.
    episodes = _episode_headings(read)
    assert len(episodes) == 4, episodes
    for start, end in zip(episodes, [*episodes[1:], heading_at(read, NATIONAL)], strict=True):
        subs = [read.passages[s].text for s in range(start + 1, end)
                if read.passages[s].kind == "heading"]
        assert subs == list(PARTS), (read.passages[start].text, subs)


def test_the_parts_hold_their_paragraphs(read: Read) -> None:
    assert (len(_part(read, "What happened")), len(_part(read, "Analysis")),
            len(_part(read, "Learning"))) == (8, 21, 4)


def test_each_finding_is_a_passage_of_its_own(read: Read) -> None:
    found = _findings(read)
    assert len(found) == 3 and found <= between(read, FINDINGS, RESPONSE), \
        [read.text(s)[:40] for s in sorted(found)]
    assert len(_questions(read)) == 9


# ------------------------------------------------------------------- identity
def test_the_cover_gives_the_type(read: Read) -> None:
    identity(read, type="CSPR")


def test_no_variant(read: Read) -> None:
    # Concise and extended are Welsh practice reviews' variants.
    assert read.summary.variant is None, read.summary.variant


def test_no_identifier_is_borrowed(read: Read) -> None:
    # The review has no number: nothing in it ("Year 9", "section 47",
    # "Practice episode 1", "Finding 1", "Appendix A") is an identifier.
    not_identified(read)


def test_the_key_is_the_files_name(read: Read) -> None:
    assert read.summary.review_id == "lcspr-written-2026", read.summary.review_id


def test_the_year_is_the_year_of_publication(read: Read) -> None:
    assert read.summary.year == 2025, read.summary.year


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_board_is_the_partnership(read: Read) -> None:
    # What a user filtering by who published the review expects.
    assert read.summary.board is not None and "Riverton" in read.summary.board, \
        read.summary.board


def test_the_index_incident_is_the_stabbing(read: Read) -> None:
    # "... stabbed in the leg ... on the evening of 3 November 2024"; not the
    # arrest at Saltmarsh (28 April 2024) or the threat (14 October 2024).
    assert read.summary.dates.get("index_incident") == "2024-11-03", read.summary.dates


def test_the_referral_is_to_the_case_review_group(read: Read) -> None:
    # "... notified the Child Safeguarding Practice Review Panel of the serious
    # incident on 6 November 2024, and on the same day the case was referred to
    # the partnership's Case Review Group." (The rapid review met 20 November.)
    assert read.summary.dates.get("referral") == "2024-11-06", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "The period under review is 1 September 2023, when R started Year 9 ...,
    # to 3 November 2024."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2023-09-01", "2024-11-03"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2025-05-14", read.summary.dates


# First reading, since fixed: sign-off None, both readings; right: 2025-09-09, the cover's
# 'Final report agreed by the safeguarding partners: 9 September 2025' (the reviewer dates
# nothing, so the partners' approval is the sign-off)
def test_the_sign_off_is_the_partners_agreement(read: Read) -> None:
    # "Final report agreed by the safeguarding partners: 9 September 2025"
    # (the reviewer dates nothing else).
    assert read.summary.dates.get("sign_off") == "2025-09-09", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-10-21", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_nothing_is_recorded(read: Read) -> None:
    # "The review does not make recommendations": findings, questions for the
    # partnership and two commitments by the partners, none a recommendation.
    print_register(read)
    records_beyond_the_labels(read, 0)
    assert not read.recommendations


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_findings_or_their_questions(read: Read) -> None:
    # The preamble ("The review does not make recommendations"), the bold
    # findings, their explanations, the questions' lead-ins and bullets.
    _no_record_from(read, "findings", between(read, FINDINGS, RESPONSE))


def test_no_record_from_the_partnerships_commitments(read: Read) -> None:
    # "By January 2026, the MACE panel's terms of reference ... will be revised
    # ...", "From the start of the spring term 2026, every school ... will
    # tell ...": actions the partners have agreed, not recommendations.
    _no_record_from(read, "partnership response", _response(read))


def test_no_record_from_the_episodes(read: Read) -> None:
    # "Learning" statements ("... need to ..."), "It would have been good
    # practice ...", the changes since the rapid review.
    _no_record_from(read, "practice episodes", between(read, EPISODES, NATIONAL))


def test_no_record_from_the_rest(read: Read) -> None:
    for what, seqs in (("cover and introduction", set(range(heading_at(read, EPISODES)))),
                       ("national reviews", between(read, NATIONAL, FINDINGS)),
                       ("conclusion and appendix",
                        set(range(heading_at(read, CONCLUSION), len(read.passages))))):
        _no_record_from(read, what, seqs)


# ---------------------------------------------------------------- auto-coding
# First reading, since fixed: precision 0.71 (15 of 21 suggestions), under the 0.80 floor, both
# readings: the six wrong are the mother's and R's words, the Front Door's poor practice, the
# second commitment and the conclusion's two paragraphs (their own xfails)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


# First reading, since fixed: 'Since the rapid review, Rivershire Constabulary has
# changed how threats to children are handled. A threat of violence against a child
# flagged as at risk of exploitation is now graded as a priority call ...' is read as
# Escalating concerns (0.67), both readings; right: Learning from past reviews (a change
# made since, as the academy trust's, read right)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice"))


def test_all_but_the_polices_change_are_in_the_labels_theme(read: Read) -> None:
    # 14 of 15 (0.93); the YJS worker's weekly sessions read as Persistency in
    # care and support (0.97), the same theme as Positive working relationships.
    police = opened_by(read, "Since the rapid review, Rivershire Constabulary")
    suggested_in_labels_theme(read, read.seqs("practice") - police)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "introduction": between(read, INTRODUCTION, "2. About Child R"),
        "summary of key events": between(read, "4. Summary of key events", EPISODES),
        "lead-in": lead_ins(read),
        "appendix": set(range(heading_at(read, APPENDIX) + 1, len(read.passages))),
    })


@pytest.mark.xfail(strict=True, reason=_FAMILY)
def test_auto_coding_never_suggests_the_child_or_his_family(read: Read) -> None:
    # "About Child R" and "Child R's voice": his words praising his YJS worker
    # included ("She never gave up on me").
    never_suggested(read, {
        "about R": between(read, "2. About Child R", "3. Child R's voice"),
        "R's voice": between(read, "3. Child R's voice", TABLE),
    })


def test_auto_coding_does_not_suggest_the_rest_of_the_child_and_his_family(
        read: Read) -> None:
    # All but the mother's "went to everyone I could think of" and R's praise
    # of his YJS worker (their own xfail).
    opened_not_suggested(read, "R is of mixed", "R was clear that", "He said that school",
                         "R wanted professionals to know")


def test_auto_coding_never_suggests_a_what_happened_account(read: Read) -> None:
    never_suggested(read, {"what happened": _part(read, "What happened")})


def test_auto_coding_never_suggests_a_learning_statement(read: Read) -> None:
    never_suggested(read, {"learning": _part(read, "Learning")})


def test_auto_coding_does_not_suggest_the_national_reviews_cited(read: Read) -> None:
    # "It was hard to escape" and "Child Protection in England": other reviews'
    # learning, nothing changed in this case because of them.
    opened_not_suggested(read, "Much of this learning is not new")


def test_auto_coding_never_suggests_the_findings_or_questions(read: Read) -> None:
    never_suggested(read, {
        "findings' preamble": opened_by(read, "The review makes three findings"),
        "finding": _findings(read),
        "questions": _questions(read),
        "finding's explanation": opened_by(read, "R's part-time timetable was agreed",
                                           "R's rating was lowered"),
    })


# First reading, since fixed (work only promised is no change made): the partnership's second
# commitment, 'From the start of the spring term 2026, every school in Riverton will tell the
# child's lead professional within one working day when a child ... is placed on a part-time
# timetable, and the partnership will audit this after six months.', is suggested (Adhering to
# policy and procedure, 0.94), both readings: an action agreed for the future, no practice in the
# case
def test_auto_coding_never_suggests_the_partnerships_commitments(read: Read) -> None:
    never_suggested(read, {"partnership response": _response(read)})


def test_auto_coding_does_not_suggest_the_response_or_the_first_commitment(
        read: Read) -> None:
    opened_not_suggested(read, "The safeguarding partners, Riverton City Council",
                         "By January 2026, the MACE panel")


# First reading, since fixed: both paragraphs of the conclusion are suggested, both readings: 'R
# was 13 when older young people began to exploit him ... Many individual practitioners worked
# hard for him. What was missing was a system ...' (Consistent care and support, 0.84) and 'R
# now lives with his family in a new area ... "help the next kid" ...' (Learning from past
# reviews, 0.84); right: neither (no practice named, nothing changed)
def test_auto_coding_does_not_suggest_the_conclusion(read: Read) -> None:
    opened_not_suggested(read, "R was 13 when", "R now lives with")


def test_auto_coding_does_not_suggest_the_episodes_preamble(read: Read) -> None:
    opened_not_suggested(read, "The review identified four practice episodes")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, "The reviewer accepts that", "The reviewer recognises that")


def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    # All but the Front Door's (its own xfail).
    opened_not_suggested(read, "Each missing episode was assessed",
                         "The strategy discussion decided", "Changes of social worker",
                         "The threat on 14 October")


@pytest.mark.xfail(strict=True, reason=_FRONT_DOOR)
def test_auto_coding_does_not_suggest_the_front_doors_poor_practice(read: Read) -> None:
    opened_not_suggested(read, "The Front Door did not check")


@pytest.mark.xfail(strict=True, reason=_FRONT_DOOR)
def test_auto_coding_does_not_suggest_anything_else_in_the_analysis(read: Read) -> None:
    other = _part(read, "Analysis") & read.seqs("other")
    assert len(other) == 7
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "of a high standard", "This was good practice", "well attended and well
    # led", "The review commends her", "exemplary", "swift and well coordinated".
    opened_suggested(read, "The DSL's referral", "The British Transport Police officers",
                     "The strategy discussion on 30 April", "The YJS worker disagreed",
                     "The emergency department's records", "The response after the stabbing")


def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The Early Help worker, the Open Door worker, the YJS worker's sessions,
    # the detective's visits.
    opened_suggested(read, "The Early Help worker built", "The Open Door worker did not",
                     "The YJS worker saw R every week", "A detective from the exploitation team")


def test_auto_coding_finds_the_supervision(read: Read) -> None:
    opened_suggested(read, "The YJS worker had monthly clinical supervision")


def test_auto_coding_finds_the_trusted_relationships_restated(read: Read) -> None:
    # Finding 3's explanation: the practice found, restated.
    opened_suggested(read, "The review saw what a trusted relationship")


def test_auto_coding_finds_all_the_practice_in_the_analysis(read: Read) -> None:
    practice = _part(read, "Analysis") & read.seqs("practice")
    assert len(practice) == 14
    all_suggested(read, practice)


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


def test_auto_coding_finds_the_schools_change_since(read: Read) -> None:
    opened_coded(read, "Since the rapid review, the multi-academy trust",
                 "Learning from past reviews")


def test_auto_coding_suggests_the_polices_change_since(read: Read) -> None:
    # Suggested (0.67), under another theme (its own xfail).
    opened_suggested(read, "Since the rapid review, Rivershire Constabulary")


# First reading, since fixed: 'Since the rapid review, Rivershire Constabulary has
# changed how threats to children are handled. A threat of violence against a child
# flagged as at risk of exploitation is now graded as a priority call ...' is read as
# Escalating concerns (0.67), both readings; right: Learning from past reviews (a change
# made since, as the academy trust's, read right)
def test_auto_coding_finds_the_polices_change_since(read: Read) -> None:
    opened_coded(read, "Since the rapid review, Rivershire Constabulary",
                 "Learning from past reviews")

