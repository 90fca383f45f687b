"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check, on an English
Local Child Safeguarding Practice Review that OPENS WITH AN EXECUTIVE
SUMMARY restating its findings as bullets, strengths among them, so that
the same good practice appears twice (in the summary and at length in the
findings), of the single-case auto-coding threshold and the
document-reading rules chosen on the written reviews before it.

`tests/data/written-exsum/exsum-written-2026.md` is a WRITTEN Local Child
Safeguarding Practice Review (fictional: no real case or person) for the
Eastmoor Safeguarding Children Partnership (a fictional English
partnership), about Child R, a 15-year-old boy criminally exploited by a
county lines network running from Kingsmere to Eastmoor and Bramford, and
stabbed twice in Priory Park, Eastmoor, on 18 February 2023, who survived.
A school referral naming exploitation, a part-time timetable, the pupil
referral unit's mornings only, an arrest in another force area and a late
NRM referral, a MACE panel that lowered his rating because he had "gone
quiet", a youth offending worker who did not give up, and his mother's
unheard requests to move run through it. Where it differs from the
written reviews before it (the CSPR's and the LCSPR's, also English, also
a boy exploited and stabbed, the nearest):

- the cover: the partnership's name (a paragraph), "LCSPR: Child R" (the
  only level-1 heading, the type as an abbreviation), "Independent
  reviewer: ...", "Final report: 12 January 2024", "Published: 28 March
  2024"; no number, no contents;
- "Executive summary" FIRST: two paragraphs, a lead-in "In summary, the
  review found:" and SEVEN BULLETS, four restating findings 1, 2, 3 and 5
  ("Finding 1: a part-time timetable ...") and three "Strengths: ..."
  bullets (the youth offending worker's persistence, the designated
  safeguarding lead's timely referral, the response after the stabbing),
  each described again at length in the findings; then a paragraph
  pointing to the five recommendations in section 6;
- "1. Background" (the stabbing, the notification and the referral the
  same day, the rapid review), "2. Methodology" (a paragraph QUOTING
  WORKING TOGETHER 2023's duty, the safeguarding partners "must make
  arrangements to identify and review ...", the period with its reason, the
  method and the learning event, R and his mother met), "3. The child's
  story" (facts by the reviewer alternating with FIVE PARAGRAPHS OF HIS
  MOTHER'S QUOTED WORDS, two of them praising the designated safeguarding
  lead and the youth offending worker);
- "4. Findings": a preamble and FIVE "Finding n: ..." HEADINGS, each over
  four to seven paragraphs of analysis with strengths woven into criticism
  ("Although the school's referral was timely, ...", "The Orchard Centre's
  attendance records were accurate ... But ...", "Although the panel's
  decision was not well founded, its process was sound in one respect:
  ...", "Each of them visited within the required timescales ... But ..."),
  praise named ("This was good practice", "well attended", "The review
  commends her persistence", "swift and well coordinated"), two concessions
  ("The reviewer accepts that ... But ...", "The reviewer recognises that
  ... However, ..."), one "It would have been good practice ...", what
  practitioners said at the learning event; FINDING 4 ENTIRELY ABOUT ONE
  PRACTITIONER'S GOOD WORK (Sian, the YOS worker: seven paragraphs, all
  practice);
- "5. What has changed since": a lead-in ending "Since the rapid review:",
  four bullets of changes made by agencies, a closing paragraph;
- "6. Recommendations for the Partnership": a lead-in, then FIVE
  "Recommendation n: The Partnership should ..." PARAGRAPHS, EACH FOLLOWED
  BY AN "Evidence of impact: ..." PARAGRAPH (the measure of the
  recommendation, not a recommendation: labelled other, all five);
- "Appendix A: Glossary" (a "Term | Meaning" table: CCE, MACE, NRM, YOS)
  and "Appendix B: References" (four bullets: the National Panel's "It was
  hard to escape", Working Together 2023, the Home Office's county lines
  guidance, the Modern Slavery Act 2015).

Its labels (`exsum-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 104
passages, 22 practice, 5 recommendation, 77 other. As the earlier
modules': practice where the reviewers present some practice as good,
however implicitly or mixed with criticism; the executive summary's
strengths bullets are practice (as the CSPR's executive summary's good
practice), its findings bullets other; the mother's words are other, even
where they praise (as the CSPR's and the LCSPR's family's words); the
changes since are practice, Learning from past reviews. Codes: the three
"Strengths:" bullets Persistency in care and support (the YOS worker's
persistence), Escalating concerns (the timely referral), Multi-agency
working (the response after the stabbing); Finding 1's "Although the
school's referral was timely ... a clear, well-evidenced referral, made at
the right time." Escalating concerns and the Orchard Centre's records
"accurate and kept up to date" Record keeping; Finding 2's custody sergeant
("This was good practice") Risk assessment and the strategy discussion
"well attended" Multi-agency working; Finding 3's chair's standing item on
the child's views Effective communication; Finding 4's seven: Sian the one
constant Consistent care and support, her home visits ("The review
commends her persistence") Persistency in care and support, meeting R
where he felt safe Positive working relationships, her recording,
telephoning and escalation Escalating concerns, her supervision Support
and training for practitioners, her weekly calls to R's mother Consistent
and persistent communication, "it shows what works" Positive working
relationships; Finding 5's social workers' visits within timescales
Adhering to policy and procedure, "It would have been good practice ..."
Suggested good practice, the response after the stabbing Multi-agency
working; the four changes since Learning from past reviews. Borderline,
labelled other: the mother's praise of Mrs Okafor and of Sian (her words),
"R had told his youth offending worker that he was frightened ..." (a fact
the panel lacked), the changes' lead-in ("Agencies in Eastmoor have not
waited for this report.") and closing paragraph.

What a user would expect of its identity, decided before the reading: type
CSPR; no variant; no identifier (the review has no number: nothing in it,
"Finding 1", "Recommendation 1", "section 47", "section 45", "Appendix
A", is one), so the key is the file's name, "exsum-written-2026"; the
board the partnership (Eastmoor), no Welsh board; year 2024 (publication;
not Working Together's 2023); dates: index incident 2023-02-18 (the
stabbing, not the arrest in Bramford of 3 October 2022 or the MACE panel
of 12 January 2023), referral 2023-02-20 (to the Case Review Subgroup, the
day of the notification; not the rapid review of 6 March 2023 or the
partners' agreement of 14 March 2023), period 2022-04-01 to 2023-02-18,
learning event 2023-06-27, sign-off 2024-01-12 (the cover's "Final report:
12 January 2024", the only approval it dates), publication 2024-03-28.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt16
as it was, HEAD 306f4c9; STORFA_INT8=u8; by the machine's clock the session
began 05:40:35, the document was written 05:42:28, the labels written
05:42:34 and copied into tests/data with the document in one `cp`
05:42:35, this module written 05:43:17 before any reading, storfa first
run 05:43:19-05:43:25 (with -x: it stopped at the referral) and
05:43:26-05:43:35 (without); the figures, the register and the near misses
printed 05:43:42-05:43:52 and the metadata's evidence at 05:44:14, on the
same tree), the same from the Markdown and from the PDF in every figure
unless said:

- segmentation: the Markdown as written (104); the PDF 104 passages, all
  as written but the glossary's table: its header and four rows read as
  PARAGRAPHS with the cells joined by a space ("Term Meaning", "CCE Child
  criminal exploitation: ..."); the five "Finding n:" headings are
  headings, the summary's seven bullets list items and the five "Evidence
  of impact:" lines paragraphs of their own, both readings;
- identity: type CSPR, no variant, no identifier (key
  "exsum-written-2026"), board "Eastmoor Safeguarding Children
  Partnership", year 2024, all right; index incident 2023-02-18 (0.82,
  from the Background's "On the night of 18 February 2023 R was
  stabbed ..."), period 2022-04-01 to 2023-02-18, learning event
  2023-06-27, publication 2024-03-28, all right; referral WRONG:
  2023-03-14 (0.76, from "... and the safeguarding partners agreed on 14
  March 2023 to commission one."; right: 2023-02-20, "... and on the same
  day the case was referred to the Partnership's Case Review Subgroup.",
  the sentence before); sign-off WRONG: None (right: 2024-01-12, the
  cover's "Final report: 12 January 2024");
- recommendations: 5 records, numbered 1-5, each from its "Recommendation
  n:" paragraph alone, every recommendation passage read, nothing extra (no
  "Evidence of impact:" line, read into a record or as one of its own; not
  the summary's pointer to section 6, Working Together's "must make
  arrangements", "It would have been good practice", a change since or a
  reference). Addressees WRONG in all five: 1 ['education'], 2 ['Fenshire
  Constabulary', 'Eastmoor Borough Council'], 3 [], 4 ['Eastmoor Youth
  Offending Service'], 5 ['housing'] (right: each "The Partnership should
  ...", the Eastmoor Safeguarding Children Partnership first; those named
  after "with" or "from" are whom it works with or asks);
- auto-coding at the single-case threshold (0.49 as reported): 26
  suggestions, 19 of the 22 practice passages, precision 0.73 (under the
  0.80 floor, over the 0.70 judged bar), recall 0.86; the same sub-theme
  as the label on 14 of 19, the same theme on 15 of 19 (0.79). Wrong (7):
  two of the summary's four findings bullets, "Finding 2: when R was found
  in Bramford he was treated as a suspect ..." (Adhering to policy and
  procedure, 0.60) and "Finding 5: R's mother asked for help many times
  ..." (Persistency in care and support, 0.53); three of the mother's five
  quoted paragraphs, '"The school were good with me at first. Mrs Okafor
  rang me the same day ..."' (Positive working relationships, 0.90), '"They
  sent him home at twelve. ... I rang the school, I rang social services
  ..."' (Multi-agency working, 0.79) and '"When they brought him back from
  Bramford ... The only one he'd talk to was Sian ..."' (Persistency in
  care and support, 0.77); the concession "The reviewer accepts that
  schools in Eastmoor have few options ... But ..." (Learning from past
  reviews, 0.61); the changes' closing "The recommendations that follow
  build on these changes. ..." (Learning from past reviews, 0.75). Missed
  (3): Finding 4's first paragraph, "R was allocated a worker from the
  Eastmoor Youth Offending Service (YOS), Sian, ... She remained his worker
  ... the one constant in R's life" (0.22), its last, "Sian's work did not
  prevent what happened to R ... But it shows what works ..." (0.46), and
  the change since "The MACE panel's terms of reference were revised in
  September 2023: ..." (0.16). Themes that differ (4): the summary's
  "Strengths: the designated safeguarding lead ... a clear and timely
  referral" -> Support and training for practitioners (1.00; Escalating
  concerns), its "Strengths: after the stabbing, the police, the hospital
  ... worked quickly together" -> Positive working relationships (0.98;
  Multi-agency working), the Orchard Centre's records -> Consistent care
  and support (0.84; Record keeping), the social workers' visits within
  timescales -> Consistent care and support (0.75; Adhering to policy and
  procedure); within the theme: the custody sergeant -> Escalating
  concerns (0.97; Risk assessment). So the same practice is coded twice
  alike only for the YOS worker's persistence (summary and Finding 4 both
  Persistency in care and support): the DSL's referral is Support and
  training in the summary and Escalating concerns in Finding 1 (0.74), the
  response after the stabbing Positive working relationships in the
  summary and Multi-agency working in Finding 5 (0.98). Right: the summary's
  YOS bullet (0.99), the DSL's referral woven into criticism (0.74), the
  strategy discussion (0.52), the MACE chair's standing item (0.94), five
  of Sian's seven (0.56-1.00; the supervision Support and training 1.00),
  "It would have been good practice" (Suggested good practice, 0.95), the
  response after the stabbing (0.98), three changes since (Learning from
  past reviews, 0.98-1.00). Nothing suggested on the cover, a heading, the
  summary's other paragraphs, findings 1 and 3 in the summary, the
  background, the methodology (Working Together's quotation), the
  reviewer's parts of the story and two of the mother's paragraphs, the
  findings' preamble, what practitioners said, the poor practice and facts,
  the second concession (0.31), the changes' lead-in, the recommendations,
  an "Evidence of impact:" line (0.37-0.67 with nothing held back, none
  suggested) or the appendices; near misses under the threshold: Sian's
  work "shows what works" (0.46, practice), "Quiet is a known warning
  sign" (0.41), "R's mother contacted agencies at least 23 times" (0.39).

After the first reading only this module changed, not the document or the
labels: the tests that found a fault split from what held (the mother's
words, the summary's findings, the concessions, the changes, Sian's work,
the themes, the addressees), a PDF test of what reads as written, two
slips in the module's own code mended (an opening, "The review makes
five", that matches two passages; `between` given seqs for headings'
texts), and the xfails for what storfa got wrong. On the frozen tree
(05:44:52-05:45:04) and from /work/main with its own src/ (05:45:06-05:45:15,
HEAD also 306f4c9) the module gave the same: 94 passed, 3 skipped, 27
xfailed.

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
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    suggested_in_labels_theme,
    theme_agreement,
    themes_agree,
)

DATA = Path(__file__).resolve().parent / "data" / "written-exsum"
DOCUMENT = DATA / "exsum-written-2026.md"
PARTNERSHIP = "Eastmoor Safeguarding Children Partnership"
SUMMARY = "Executive summary"
BACKGROUND = "1. Background"
METHODOLOGY = "2. Methodology"
STORY = "3. The child's story"
FINDINGS = "4. Findings"
CHANGED = "5. What has changed since"
RECOMMENDING = "6. Recommendations for the Partnership"
GLOSSARY = "Appendix A: Glossary"
REFERENCES = "Appendix B: References"
RECOMMENDATIONS = (
    "Recommendation 1: The Partnership should agree with all schools",
    "Recommendation 2: The Partnership should seek assurance",
    "Recommendation 3: The Partnership should ensure that the MACE",
    "Recommendation 4: The Partnership should work with",
    "Recommendation 5: The Partnership should agree with the housing",
)
STRENGTHS = ("Strengths: the youth offending worker's", "Strengths: the designated",
             "Strengths: after the stabbing")
# Finding 4: Sian's work, every paragraph practice.
SIAN = ("R was allocated a worker from the Eastmoor Youth", "For the first six weeks",
        "She met R where he felt safe", "Sian recorded what R told her",
        "Her manager gave her fortnightly supervision", "With R's agreement, Sian rang",
        "Sian's work did not prevent")
CHANGES = ("St Aidan's Academy and the Orchard Centre now", "Fenshire Constabulary has agreed",
           "The MACE panel's terms of reference were revised",
           "The Eastmoor Youth Offending Service has used")


# _PDF_TABLE, a first reading since fixed (cell borders read from a table's rules): from the
# PDF, the glossary's table is not read as written: its header and four rows read as paragraphs
# with the cells joined by a space ('Term Meaning', 'CCE Child criminal exploitation: ...',
# 'MACE Multi-Agency ...', 'NRM National Referral Mechanism: ...', 'YOS Youth Offending Service:
# ...'); every other passage as written, 104 passages
_STRENGTHS_THEMES = (
    "both readings: the summary's 'Strengths: the designated safeguarding lead at St "
    "Aidan's Academy made a clear and timely referral ...' -> Support and training for "
    "practitioners 1.00 (Escalating concerns) and 'Strengths: after the stabbing, the "
    "police, the hospital, children's social care and the family's housing association "
    "worked quickly together ...' -> Positive working relationships 0.98 (Multi-agency "
    "working)")
_THEMES = (
    "same theme on 15 of 19 (0.79), both readings: " + _STRENGTHS_THEMES + "; the Orchard "
    "Centre's 'attendance records were accurate and kept up to date' -> Consistent care and "
    "support 0.84 (Record keeping); the social workers who 'visited within the required "
    "timescales' -> Consistent care and support 0.75 (Adhering to policy and procedure)")
_SIAN = (
    "two of Finding 4's seven paragraphs of Sian's work are not suggested, both readings: "
    "'R was allocated a worker from the Eastmoor Youth Offending Service (YOS), Sian, ... "
    "She remained his worker until the family moved away, through three changes of social "
    "worker. ... the one constant in R's life outside his family.' (0.22; Consistent care "
    "and support) and 'Sian's work did not prevent what happened to R ... But it shows what "
    "works with a child who is being exploited: one adult who stays ...' (0.46; Positive "
    "working relationships)")
_MACE_CHANGE = (
    "the change since 'The MACE panel's terms of reference were revised in September 2023: "
    "a child's rating can no longer be lowered without hearing from the practitioner who "
    "knows the child best ...' is not suggested (0.16), both readings; right: Learning from "
    "past reviews, as the other three changes since")


read = reading(DOCUMENT, DATA / "exsum-written-2026.tsv", "written-exsum")


def _cover(read: Read) -> set[int]:
    return set(range(heading_at(read, SUMMARY)))


def _summary(read: Read) -> set[int]:
    return between(read, SUMMARY, BACKGROUND)


def _findings(read: Read) -> set[int]:
    return between(read, FINDINGS, CHANGED)


def _finding_headings(read: Read) -> set[int]:
    return {p.seq for p in read.passages
            if p.kind == "heading" and read.text(p.seq).startswith("Finding ")}


def _summary_findings(read: Read) -> set[int]:
    return {s for s in _summary(read) if read.text(s).startswith("Finding ")}


def _evidence(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Evidence of impact:")}


def _appendices(read: Read) -> set[int]:
    return set(range(heading_at(read, GLOSSARY), len(read.passages)))


def _mothers_words(read: Read) -> set[int]:
    return {s for s in between(read, STORY, FINDINGS) if read.text(s).startswith('"')}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 104, 22, 5, 77)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_TABLE above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_glossary_as_written(read: Read) -> None:
    only(read, "pdf")
    glossary = between(read, GLOSSARY, REFERENCES)
    wrong = [(s, t) for s, t in read.differ() if s not in glossary]
    assert not wrong, wrong


def test_each_finding_is_a_heading_of_its_own(read: Read) -> None:
    found = _finding_headings(read)
    assert len(found) == 5 and found <= _findings(read), \
        [read.text(s)[:40] for s in sorted(found)]


def test_the_summarys_bullets_are_not_headings(read: Read) -> None:
    bullets = _summary_findings(read) | opened_by(read, *STRENGTHS)
    assert len(bullets) == 7 and not bullets & headings(read), \
        [read.text(s)[:40] for s in sorted(bullets & headings(read))]


def test_each_evidence_of_impact_is_a_passage_of_its_own(read: Read) -> None:
    evidence = _evidence(read)
    assert len(evidence) == 5 and evidence <= read.seqs("other")
    assert evidence <= between(read, RECOMMENDING, GLOSSARY)


# ------------------------------------------------------------------- identity
def test_the_cover_gives_the_type(read: Read) -> None:
    # "LCSPR: Child R"; the summary says "Local Child Safeguarding Practice Review".
    identity(read, type="CSPR")


def test_no_variant(read: Read) -> None:
    assert read.summary.variant is None, read.summary.variant


def test_no_identifier_is_borrowed(read: Read) -> None:
    # No number: "Finding 1", "Recommendation 1", "section 47", "section 45",
    # "Appendix A" are not identifiers.
    not_identified(read)


def test_the_key_is_the_files_name(read: Read) -> None:
    assert read.summary.review_id == "exsum-written-2026", read.summary.review_id


def test_the_year_is_the_year_of_publication(read: Read) -> None:
    # Not Working Together's 2023.
    assert read.summary.year == 2024, read.summary.year


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_board_is_the_partnership(read: Read) -> None:
    assert read.summary.board is not None and "Eastmoor" in read.summary.board, \
        read.summary.board


def test_the_index_incident_is_the_stabbing(read: Read) -> None:
    # "... stabbed twice in Priory Park, Eastmoor, on the night of 18 February
    # 2023"; not the arrest in Bramford (3 October 2022) or the MACE panel
    # (12 January 2023).
    assert read.summary.dates.get("index_incident") == "2023-02-18", read.summary.dates


# First reading, since fixed: referral 2023-03-14, both readings, from the Background's
# '... It found that the criteria for a local review were met, and the safeguarding
# partners agreed on 14 March 2023 to commission one.'; right: 2023-02-20, the sentence
# before: 'On 20 February 2023 Eastmoor Borough Council notified the Child Safeguarding
# Practice Review Panel ..., and on the same day the case was referred to the
# Partnership's Case Review Subgroup.' (the partners' decision to commission is not the
# referral)
def test_the_referral_is_to_the_case_review_subgroup(read: Read) -> None:
    # "On 20 February 2023 Eastmoor Borough Council notified the ... Panel ...,
    # and on the same day the case was referred to the Partnership's Case
    # Review Subgroup." (Rapid review 6 March, partners' agreement 14 March.)
    assert read.summary.dates.get("referral") == "2023-02-20", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-04-01", "2023-02-18"), dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2023-06-27", read.summary.dates


# First reading, since fixed: sign-off None, both readings; right: 2024-01-12, the
# cover's 'Final report: 12 January 2024' (the only approval the review dates)
def test_the_sign_off_is_the_final_report(read: Read) -> None:
    # The cover's "Final report: 12 January 2024", the only approval dated.
    assert read.summary.dates.get("sign_off") == "2024-01-12", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2024-03-28", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_five(read: Read) -> None:
    print_register(read)
    assert [r.number for r in labelled_records(read)] == ["1", "2", "3", "4", "5"]


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not an "Evidence of impact:" line, not the summary's pointer to section
    # 6, not Working Together's "must make arrangements", not "It would have
    # been good practice", not a change since, not a reference.
    records_beyond_the_labels(read, 0)


def test_no_evidence_of_impact_is_read_into_a_record(read: Read) -> None:
    # The measure follows its recommendation; it is not part of it.
    wrong = sorted(read.covered & _evidence(read))
    assert not wrong, [read.text(s)[:50] for s in wrong]
    assert not [r.number for _, r in read.recommendations if "Evidence of impact" in r.text]


def test_no_record_from_the_summary_the_findings_or_the_rest(read: Read) -> None:
    before = set(range(heading_at(read, RECOMMENDING)))
    wrong = sorted(read.covered & (before | _appendices(read)))
    assert not wrong, [read.text(s)[:50] for s in wrong]


# First reading, since fixed: no record is to the Partnership, both readings: 1
# ['education'], 2 ['Fenshire Constabulary', 'Eastmoor Borough Council'], 3 [], 4
# ['Eastmoor Youth Offending Service'], 5 ['housing']; right: each opens 'The
# Partnership should ...', so each is to the Eastmoor Safeguarding Children Partnership
# first (those named after 'with' or 'from' are whom it works with or seeks assurance
# from)
def test_every_record_is_the_partnerships(read: Read) -> None:
    # "The Partnership should ..." in each: the review's own partnership.
    found = {r.number: r.agencies for r in labelled_records(read)}
    wrong = {n: a for n, a in found.items() if not a or a[0] != PARTNERSHIP}
    assert len(found) == 5 and not wrong, found


def test_the_bodies_a_record_names_are_not_its_addressees(read: Read) -> None:
    # First reading: the organisations recommendations 2 and 4 name were their
    # addressees (the Partnership was not read). Since the Partnership is read
    # as the subject, the register holds it alone, as it holds a Board alone
    # where "The Board should seek assurance from ..." (the PCPR's, the SUSR's,
    # the SCR's): whom it works with or asks is not whom it is addressed to.
    found = {r.number: r.agencies for r in labelled_records(read)}
    assert found.get("2") == [PARTNERSHIP] and found.get("4") == [PARTNERSHIP], found


# ---------------------------------------------------------------- auto-coding
# First reading, since fixed: precision 0.73 (19 of 26 suggestions), both readings,
# under the 0.80 floor: two of the summary's findings bullets, three of the mother's
# quoted paragraphs, a concession and the changes' closing paragraph suggested (each its
# own xfail)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_all_but_four_suggestions_on_practice_are_in_the_labels_theme(read: Read) -> None:
    # Not the two strengths bullets, the Orchard Centre's records or the
    # social workers' visits (the xfail above).
    differ = opened_by(read, "Strengths: the designated", "Strengths: after the stabbing",
                       "The move to the Orchard Centre", "R had three social workers")
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys() - differ)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": _cover(read),
        "background": in_section(read, BACKGROUND),
        "methodology": in_section(read, METHODOLOGY),
        "appendices": _appendices(read),
        "recommendation": read.seqs("recommendation"),
        "evidence of impact": _evidence(read),
        "lead-in": lead_ins(read),
    })


# First reading, since fixed: two of the executive summary's four findings bullets are
# suggested, both readings: 'Finding 2: when R was found in Bramford he was treated as a
# suspect before he was seen as a victim, and the National Referral Mechanism referral
# was made seven weeks later.' (Adhering to policy and procedure, 0.60) and 'Finding 5:
# R's mother asked for help many times and was not treated as a partner ...'
# (Persistency in care and support, 0.53); right: neither, findings of poor practice
# restated
def test_auto_coding_never_suggests_the_summarys_findings(read: Read) -> None:
    found = _summary_findings(read)
    assert len(found) == 4 and found <= read.seqs("other")
    never_suggested(read, {"summary's findings": found})


def test_auto_coding_does_not_suggest_the_summarys_first_and_third_findings(read: Read
                                                                           ) -> None:
    opened_not_suggested(read, "Finding 1: a part-time timetable", "Finding 3: the MACE panel")


def test_auto_coding_does_not_suggest_the_rest_of_the_summary(read: Read) -> None:
    opened_not_suggested(read, "This Local Child Safeguarding Practice Review is about",
                         "The review was commissioned by",
                         "The review makes five recommendations for")


def test_auto_coding_finds_the_summarys_strengths(read: Read) -> None:
    opened_suggested(read, *STRENGTHS)


@pytest.mark.xfail(strict=True, reason=(
    "the same practice is coded alike in the summary and the finding only for the YOS "
    "worker's persistence, both readings: the DSL's referral is Support and training for "
    "practitioners in the summary (1.00) and Escalating concerns in Finding 1 (0.74); the "
    "response after the stabbing Positive working relationships in the summary (0.98) and "
    "Multi-agency working in Finding 5 (0.98); right: alike, as labelled (Escalating "
    "concerns, Multi-agency working)"))
def test_auto_coding_codes_the_strengths_as_the_findings_do(read: Read) -> None:
    # The same practice twice: the summary's bullet and the finding's paragraph.
    pairs = (("Strengths: the youth offending worker's", "For the first six weeks"),
             ("Strengths: the designated", "Although the school's referral was timely"),
             ("Strengths: after the stabbing", "After the stabbing the response"))
    codes = {o: read.suggested.get(next(iter(opened_by(read, o))), [("", 0.0)])[0][0]
             for pair in pairs for o in pair}
    wrong = [(a, codes[a], b, codes[b]) for a, b in pairs if codes[a] != codes[b]]
    assert not wrong, wrong


def test_auto_coding_codes_the_yos_workers_persistence_alike(read: Read) -> None:
    for opening in ("Strengths: the youth offending worker's", "For the first six weeks"):
        opened_coded(read, opening, "Persistency in care and support")


@pytest.mark.xfail(strict=True, reason=(
    "three of the mother's five quoted paragraphs in 'The child's story' are suggested, "
    "both readings: '\"The school were good with me at first. Mrs Okafor rang me the same "
    "day ...\"' (Positive working relationships, 0.90), '\"They sent him home at twelve. "
    "The car was outside by one. I rang the school, I rang social services ...\"' "
    "(Multi-agency working, 0.79) and '\"When they brought him back from Bramford ... The "
    "only one he'd talk to was Sian ...\"' (Persistency in care and support, 0.77); right: "
    "none, her words (the practice she praises is the reviewer's, in the findings)"))
def test_auto_coding_never_suggests_the_mothers_words(read: Read) -> None:
    words = _mothers_words(read)
    assert len(words) == 5 and words <= read.seqs("other")
    never_suggested(read, {"mother's words": words})


def test_auto_coding_does_not_suggest_the_mothers_other_words(read: Read) -> None:
    opened_not_suggested(read, '"He was the one who made', '"I\'d been asking them')


def test_auto_coding_does_not_suggest_the_rest_of_the_story(read: Read) -> None:
    story = between(read, STORY, FINDINGS) - _mothers_words(read)
    assert len(story) == 5
    wrong = sorted(story & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_working_together_quotation(read: Read) -> None:
    opened_not_suggested(read, "Working Together to Safeguard Children 2023 states")


# First reading, since fixed: 'The reviewer accepts that schools in Eastmoor have few
# options for a child whose behaviour puts others at risk, and that a part-time
# timetable is sometimes the only way ... But for a child at risk of exploitation it is
# a safeguarding decision ...' is suggested (Learning from past reviews, 0.61), both
# readings; right: not, a concession opening a criticism
def test_auto_coding_does_not_suggest_the_schools_concession(read: Read) -> None:
    opened_not_suggested(read, "The reviewer accepts that")


def test_auto_coding_does_not_suggest_the_charging_concession(read: Read) -> None:
    opened_not_suggested(read, "The reviewer recognises that")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "At the learning event, education staff")


def test_auto_coding_does_not_suggest_poor_practice_or_facts(read: Read) -> None:
    opened_not_suggested(read, "The decision to put R on a part-time", "On 3 October 2022 "
                         "Westmarch", "That note was not acted on", "R was released under",
                         "R was discussed at the", "By January 2023", "The panel did not have",
                         "Quiet is a known", "R's mother contacted", "Most of these contacts",
                         "From November 2022 R's mother")


def test_auto_coding_does_not_suggest_the_findings_preamble(read: Read) -> None:
    opened_not_suggested(read, "The review sets out five findings")


def test_auto_coding_does_not_suggest_the_changes_lead_in(read: Read) -> None:
    opened_not_suggested(read, "Agencies in Eastmoor have not waited")


@pytest.mark.xfail(strict=True, reason=(
    "the changes' closing paragraph 'The recommendations that follow build on these "
    "changes. They are for the Partnership as a whole rather than for any single agency.' "
    "is suggested (Learning from past reviews, 0.75), both readings; right: not, it names "
    "no practice and no change"))
def test_auto_coding_does_not_suggest_the_changes_close(read: Read) -> None:
    opened_not_suggested(read, "The recommendations that follow build")


def test_auto_coding_finds_strengths_woven_into_criticism(read: Read) -> None:
    opened_suggested(read, "Although the school's referral was timely",
                     "The move to the Orchard Centre", "Although the panel's decision",
                     "R had three social workers")


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    opened_suggested(read, "The custody sergeant recognised", "The strategy discussion itself",
                     "After the stabbing the response")


@pytest.mark.xfail(strict=True, reason=_SIAN)
def test_auto_coding_finds_all_of_sians_work(read: Read) -> None:
    # Finding 4, every paragraph.
    seqs = opened_by(read, *SIAN)
    assert seqs <= read.seqs("practice")
    assert between(read, read.text(min(seqs) - 1), read.text(max(seqs) + 1)) == seqs
    opened_suggested(read, *SIAN)


def test_auto_coding_finds_five_of_sians_paragraphs(read: Read) -> None:
    opened_suggested(read, *SIAN[1:-1])


def test_auto_coding_finds_the_supervision(read: Read) -> None:
    opened_coded(read, "Her manager gave her fortnightly supervision",
                 "Support and training for practitioners")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "It would have been good practice", "Suggested good practice")


@pytest.mark.xfail(strict=True, reason=_MACE_CHANGE)
def test_auto_coding_finds_the_changes_since(read: Read) -> None:
    opened_suggested(read, *CHANGES)


@pytest.mark.xfail(strict=True, reason=_MACE_CHANGE)
def test_auto_coding_codes_the_changes_since_as_learning(read: Read) -> None:
    for opening in CHANGES:
        opened_coded(read, opening, "Learning from past reviews")


def test_auto_coding_codes_three_changes_since_as_learning(read: Read) -> None:
    for opening in (CHANGES[0], CHANGES[1], CHANGES[3]):
        opened_coded(read, opening, "Learning from past reviews")


def test_auto_coding_finds_the_strengths_and_the_response_after_the_stabbing(read: Read
                                                                              ) -> None:
    # The same practice twice, found twice.
    all_suggested(read, opened_by(read, *STRENGTHS, "After the stabbing the response"))
