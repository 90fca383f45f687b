"""A national thematic review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round 10), on an
ENGLISH NATIONAL THEMATIC REVIEW by the Child Safeguarding Practice Review
Panel, about six children (Children A to F) harmed where a parent misused
drugs or alcohol: a report ACROSS CASES, written by a national body, which
CITES six local reviews' identifiers and six local safeguarding partnerships
and is none of them.

`tests/data/written-natpanel/natpanel-written-2026.md` is a WRITTEN national
review of the Panel (fictional: no real case or person; the Panel, the
Department for Education, the Department of Health and Social Care, NICE and
Working Together 2023 are real bodies and guidance, the six areas Ashcombe,
Brenthall, Calderwick, Dunmere, Eastholm and Fenbridge are not), "Living with
it: safeguarding children whose parents misuse drugs and alcohol". Child A
(seven weeks, died co-sleeping with a father who had been drinking), B (two,
swallowed her mother's methadone), C (nine, severe neglect, caring for a
mother dependent on alcohol), D (fourteen, an overdose of her mother's
pregabalin), E (four months, fractures, a father using cocaine), F (sixteen,
died of a drug overdose). Where it differs from the written reviews before
it (the thematic SAR of `test_written_tsar.py` the nearest):

- the cover: "Child Safeguarding Practice Review Panel" (a paragraph: the
  author, a national body, no safeguarding board), the title as the only
  level-1 heading, "A national review of the serious harm to six children,
  Children A to F, and of the learning from 55 local reviews", "Published
  March 2026" (a month only); no identifier of its own anywhere; "Contents"
  a list of ten lines;
- "Foreword" by the Panel's chair (four paragraphs, one of general praise,
  "We also saw practice that made a real difference", with no practice of
  its own; her name and office as the last paragraph);
- "Executive summary": two paragraphs, then "Key findings", a lead-in "Our
  key findings are:" over SEVEN BULLETS, four of them findings of poor
  practice and THREE NAMING GOOD PRACTICE (Child D's family support
  worker's fourteen months, the joint working after Child B's admission,
  the changes made since local reviews), and a paragraph on the five
  recommendations;
- "1. Introduction and methodology" with three sub-headings (why the theme:
  the Panel's notifications and Hidden Harm, a Markdown FOOTNOTE citing the
  Panel's annual report; the scope, notifications from 1 April 2022 to 31
  March 2024, a lead-in over four bulleted questions; how it was done: 41
  rapid reviews and 14 LCSPRs analysed, six cases in depth, 38 practitioners
  interviewed between June and September 2025, a national practitioner
  workshop on 24 September 2025, two parents' focus groups, four families,
  "The Panel agreed the final report at its meeting on 11 February 2026"),
  then "Table 1: the six children", a TABLE whose last column CITES each
  child's local review by its partnership and reference ("Ashcombe
  Safeguarding Children Partnership, LCSPR 2023/04", "Brenthall ..., CSPR
  2024/01", "Calderwick ..., rapid review RR 2023/11", "Dunmere ..., rapid
  review RR 2024/03", "Eastholm ..., LCSPR 2024/02", "Fenbridge ..., CSPR
  2024/05");
- "2. The children and their families": SIX CASE SUMMARIES, each under its
  own sub-heading "Child A" to "Child F", facts only but for Child B's (the
  health visitor's "multiple attempts" to see her, practice), and "The
  families' views" (a grandmother's and a mother's words, the mother's
  praise of the family support worker);
- THREE FINDINGS CHAPTERS ACROSS THE CASES, "3. Seeing the child behind the
  parent's substance use", "4. Working with parents who use drugs and
  alcohol", "5. Working together and sharing information", each a run of
  unnumbered paragraphs mixing practice named as good ("The referral was
  timely and set out the pattern clearly", "well attended", "clear and
  detailed"), practice told through what was done (a family support worker
  who "kept on trying", a mother who "came to trust her", a pharmacist who
  "raised her concern ... the same day", officers who completed a risk
  assessment and notified the same night), procedures followed ("as NICE
  guidance and the trust's policy require", "which is what its policy
  requires. But ..." mixed), specialist supervision, a co-located worker in
  Calderwick, two "It would have been good practice for ...", TWO CHANGES
  SINCE ("Since Child A's review ...", "Since the local review for Child E
  ...", the second with a FOOTNOTE citing that LCSPR "(LCSPR 2024/02)"),
  three concessions ("The Panel recognises / accepts that ... However,
  ..."), poor practice across the cases, "recovery optimism", Working
  Together 2023, what practitioners and parents said; EACH CHAPTER ENDS ON A
  BOXED "Finding N:" paragraph (a Markdown block quote), a learning
  statement, not practice;
- "6. What good looks like": a lead-in ending "looks like this:" over SEVEN
  BULLETS restating the practice found, each "A practitioner who does not
  give up: Child D's family support worker ...", and a closing paragraph
  ("Good practice should not depend on individual practitioners ...");
- "7. Recommendations": a preamble (not a recommendation), then
  "Recommendation 1." to "Recommendation 5." PARAGRAPHS, all to NATIONAL
  BODIES OR TO SAFEGUARDING PARTNERS COLLECTIVELY: 1 the Department for
  Education ("... by the end of 2026"), 2 a lead-in "The Department of
  Health and Social Care should ensure that:" over TWO BULLETS, 3 the
  Department for Education and the Department of Health and Social Care
  JOINTLY, 4 and 5 "Safeguarding partners should ..." (5 "within twelve
  months of this report ... report what they find to the Panel");
- "References": seven bulleted references, three of them to the local
  reviews ("... Child A (LCSPR 2023/04)", "... Child B (CSPR 2024/01)", "...
  Child F (CSPR 2024/05)").

Its labels (`natpanel-written-2026.tsv`, storfa.coding.wholedoc's format)
were set by hand, passage by passage, before storfa was run on it: 142
passages, 27 practice, 7 recommendation (Recommendations 1-5, 2's lead-in
and its two bullets), 108 other. As the earlier modules': practice where the
report presents some practice as good, however implicitly or mixed with
criticism, as for a single review; the changes since Learning from past
reviews; "It would have been good practice ..." Suggested good practice; a
concession opening a criticism other; the families' words other (the
mother's praise too); the good-practice summary's bullets practice, each
with its finding's code. Codes: the key findings' three bullets Persistency
in care and support (Child D's worker), Multi-agency working (Child B),
Learning from past reviews (the changes made); Child B's summary (the health
visitor's multiple attempts) Persistency in care and support; chapter 3: the
designated safeguarding lead's records and timely referral Escalating
concerns, the midwife "as NICE guidance and the trust's policy require"
Adhering to policy and procedure, the youth worker who saw Child F alone
and recorded his words Effective communication, "It would have been good
practice for the health visitor ..." Suggested good practice, Ashcombe's
safe sleep assessment since Learning from past reviews; chapter 4: the
family support worker's fourteen months Persistency in care and support,
Child D's mother's trust in her Positive working relationships, the drug
service's assessment within five days "which is what its policy requires.
But ..." (mixed) Adhering to policy and procedure, the pharmacist
Escalating concerns, the specialist reflective supervision Support and
training for practitioners, Eastholm's training and notifications since
Learning from past reviews; chapter 5: the strategy discussion for Child B
Multi-agency working, Child A's GP records Record keeping, Calderwick's
co-located worker Multi-agency working, the police officers' risk
assessment and notification Risk assessment, "It would have been good
practice for the alcohol service ..." Suggested good practice; the seven
"What good looks like" bullets Persistency in care and support, Adhering to
policy and procedure, Effective communication, Escalating concerns,
Multi-agency working, Support and training for practitioners, Learning from
past reviews. Other: the cover and contents, the foreword (its general
praise too), the executive summary's paragraphs, its lead-in and four other
key findings, the introduction and methodology (their footnote, questions
and table too), the other five case summaries, the families' words, each
chapter's findings of poor practice, research, concessions, what
practitioners and parents said, the three boxed findings, the footnote in
chapter 4, the lead-in and closing paragraph of "What good looks like",
the recommendations' preamble, the references.

What a user would expect of its identity, decided before the reading
(MISSION.md and docs/architecture.md on a thematic report): type thematic
(a national review across six children and 55 local reviews: never a CSPR,
an LCSPR or any single-case type, whatever it cites); NO identifier (key the
file's name): none of the references it cites (LCSPR 2023/04, CSPR 2024/01,
RR 2023/11, RR 2024/03, LCSPR 2024/02, CSPR 2024/05) is its own; NO board:
the Panel is a national body, not a safeguarding board, and the six
partnerships it cites did not commission it; variant None; year 2026
(publication); dates: no index incident, referral or review period (six
children, six incidents; the notifications' window of 1 April 2022 to 31
March 2024 is the sample's, not a case's timeline); learning event none (a
thematic review's workshop; the one of 24 September 2025 would be
accepted); sign-off 2026-02-11 ("The Panel agreed the final report at its
meeting on 11 February 2026": the panel's agreement); publication March
2026 (the cover's month). Auto-coding held at the general threshold for a
thematic report (0.69), not the single-case one. Recommendations: five, 2
read with its lead-in (one record or one per bullet); 1 to the Department
for Education, national, due 2026-12 ("by the end of 2026"); 2 to the
Department of Health and Social Care, national; 3 to the Department for
Education and the Department of Health and Social Care, national; 4 and 5
to the safeguarding partners (each area's: local), 5's "within twelve
months" no date (and not to the Panel it reports to); nothing else recorded
(not a key finding, a boxed finding, a scope question, a "What good looks
like" bullet, "It would have been good practice ...", the preamble or a
reference).

By the machine's clock: the session began 15:55:10; the document was
written and first segmented by 15:57:35, its labels written 15:57:49, both
copied into tests/data in one `cp` at 15:57:51, this module written from
15:58:08, before any run of storfa on it.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt10
as it was, HEAD 6d898ac; STORFA_INT8=u8; storfa first run 15:59:20-15:59:30:
31 failed, 95 passed, 2 skipped), the same from the Markdown and from the
PDF in every figure but the table's header:

- segmentation: 142 passages from the Markdown, all as written (the two
  footnotes, paragraphs of their own, the boxed findings each the last
  paragraph of its chapter, the table's header and six rows, Recommendation
  2's bullets list items); 143 from the PDF: the table's HEADER ROW, its
  cells wrapped over two lines, read as TWO ROWS ("Child | Age at | What
  happened | Parental | Local review", "the time | substance use"), WRONG;
  the six data rows, wrapped too, and every other passage as written;
- identity: type thematic, key natpanel-written-2026 (the file's name),
  identifier None (none of the six references it cites borrowed), board
  None (neither the Panel nor a cited partnership), variant None, year
  2026, publication 2026-03-01 ("Published March 2026"), index incident,
  referral, learning event and period None, all right; WRONG: sign-off None
  (right: 2026-02-11, "The Panel agreed the final report at its meeting on
  11 February 2026", in the methodology, not the front matter);
- recommendations: 6 records, 1, 2a, 2b (each completed by its lead-in), 3,
  4, 5: every recommendation found and every recommendation passage read,
  NOTHING EXTRA (not a key finding, a boxed finding, a scope question, a
  good-practice bullet, "It would have been good practice", the preamble, a
  footnote or a reference); addressees right for 2a and 2b ['Department of
  Health and Social Care']; 4 and 5 ['safeguarding partnership'] (the
  register's label for England's safeguarding partners: accepted, the test
  corrected, below; no cited partnership); WRONG: 1 ['education',
  'Department for Education'] and 3 ['education', 'Department of Health and
  Social Care', 'Department for Education'] (the department's name read
  again as the kind "education"); level None on all six (right: national
  for 1-3, local for 4 and 5); due dates right: 1 due 2026-12 ("by the end
  of 2026"), none on the others (5's "within twelve months" no date);
- auto-coding, held at the general threshold (0.69) as a thematic report's
  should be (the lowest suggestion 0.70; the printout's "threshold 0.49" is
  the single-case figure written.py prints, not the one applied): 26
  suggestions, 24 of the 27 practice passages, precision 0.92, recall 0.89
  (over the 0.80 and 0.60 floors and the 0.70 judged bar); the same
  sub-theme as the label on 19 of 24, the same theme on 20 of 24 (0.83, over
  the 0.70 bar). Wrong (2): chapter 3's opening finding "In almost every
  review we analysed, the parent's substance use was well documented. What
  was missing ..." (Record keeping 0.73) and the parents' focus groups'
  words "a worker who \"didn't judge\" ..." (Positive working relationships
  0.92). Missed (3): the key finding "Where practice was strongest, one
  practitioner ..." (0.49), Child B's summary with the health visitor's
  multiple attempts (0.59), the mixed paragraph "The adult drug service
  assessed Child B's mother within five days ..., which is what its policy
  requires. But ..." (0.30). Themes that differ (4): the midwife "as NICE
  guidance and the trust's policy require" -> Escalating concerns 0.78
  (Adhering to policy and procedure), the pharmacist -> Consistent care and
  support 0.88 (Escalating concerns), Calderwick's co-located worker ->
  Consistent care and support 0.94 (Multi-agency working), the bullet
  "Asking every parent about drugs and alcohol ..." -> Escalating concerns
  0.90 (Adhering to policy and procedure); within the theme, the specialist
  supervision -> Consistent care and support 0.94 (Support and training for
  practitioners). Found: both "It would have been good practice"
  (Suggested good practice 1.00), both changes since (Learning from past
  reviews 0.98, 0.89), the other two good key findings, all seven "What good
  looks like" bullets, 15 of the 16 practice paragraphs of the chapters.
  Nothing suggested on the cover, contents, a heading, the foreword (its
  general praise too), the other key findings, the methodology, its table
  or footnote, the other five case summaries, the families' words (the
  mother's praise too), a boxed finding, a concession, what practitioners
  said, the closing paragraph, a recommendation, a lead-in or a reference.

After the first reading only this module changed, not the document or the
labels: this docstring, the failing tests marked strict xfail with what
storfa gave, twins added for what held beside the tests that found a fault
(the PDF's practice and recommendation passages and its other passages as
written, the six data rows, the departments among the addressees of 1 and
3, the other 20 suggestions in the label's theme, the other two good key
findings, the other 15 practice paragraphs and the other 18 paragraphs of
the chapters, the concessions and what practitioners said), the tests of
the Markdown-only figures split from the PDF's, and ONE EXPECTATION
CORRECTED: recommendations 4 and 5 ("Safeguarding partners should ...")
were asked to be to 'safeguarding partners' in those words; storfa gave
'safeguarding partnership', its register's label for England's safeguarding
partners (the kind, as "the Partnership" in a local review), the same
addressee, so both are accepted (and a test added that no cited partnership
is named). On the frozen tree the module then gave 114 passed, 9 skipped,
29 xfailed, no XPASS (16:00:41-16:00:52).

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once
per module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storfa.domain.recommendations import StoredRecommendation
from storfa.domain.reviews import is_single_case
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
    identity,
    labelled_records,
    lead_ins,
    never_suggested,
    no_welsh_board,
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
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-natpanel"
DOCUMENT = DATA / "natpanel-written-2026.md"
TITLE = "Living with it: safeguarding children whose parents misuse drugs and alcohol"
# The general auto-coding threshold, for thematic and other reports
# (docs/classifier.md); the single-case one is lower.
GENERAL = 0.69
# The local reviews it cites, raw and as storfa's identifiers would read them.
CITED = ("LCSPR 2023/04", "CSPR 2024/01", "RR 2023/11", "RR 2024/03", "LCSPR 2024/02",
         "CSPR 2024/05")
CITED_NUMBERS = ("2023-04", "2024-01", "2023-11", "2024-03", "2024-02", "2024-05",
                 "2023/04", "2024/01", "2023/11", "2024/03", "2024/02", "2024/05")
PARTNERSHIPS = ("Ashcombe", "Brenthall", "Calderwick", "Dunmere", "Eastholm", "Fenbridge")
DFE = "department for education"
DHSC = "department of health and social care"
PARTNERS = "safeguarding partners"
AGENCIES = {"1": [DFE], "2": [DHSC], "3": [DFE, DHSC], "4": [PARTNERS], "5": [PARTNERS]}
LEVELS = {"1": "national", "2": "national", "3": "national", "4": "local", "5": "local"}
RECOMMENDATIONS = tuple(f"Recommendation {n}. " for n in range(1, 6))
R2_ITEMS = ("the commissioning guidance for adult drug", "every prescriber of take-home")

CONTENTS = "Contents"
FOREWORD = "Foreword"
SUMMARY = "Executive summary"
KEY_FINDINGS = "Key findings"
INTRODUCTION = "1. Introduction and methodology"
METHOD = "How we carried out the review"
CHILDREN = "2. The children and their families"
FAMILIES = "The families' views"
CHAPTERS = ("3. Seeing the child behind the parent's substance use",
            "4. Working with parents who use drugs and alcohol",
            "5. Working together and sharing information")
GOOD = "6. What good looks like"
RECS = "7. Recommendations"
REFERENCES = "References"
SUMMARIES = tuple(f"Child {c}" for c in "ABCDEF")
# The key findings that name good practice.
GOOD_FINDINGS = ("Where practice was strongest, one practitioner",
                 "Joint working between the drug and alcohol service",
                 "Several areas have already changed their practice")
CONCESSIONS = ("The Panel recognises that practitioners in adult services",
               "The Panel accepts that adults in treatment",
               "The Panel recognises that several of the areas")
CHANGES = ("Since Child A's review, Ashcombe's", "Since the local review for Child E")
WOULD_HAVE = ("It would have been good practice for the health visitor",
              "It would have been good practice for the alcohol service")


_NATIONAL = ("level None on recommendations 1, 2a, 2b and 3, both readings; right: national "
             "(the Department for Education, the Department of Health and Social Care)")
_LOCAL = ("level None on recommendations 4 and 5, both readings; right: local ('Safeguarding "
          "partners should ...': each area's local authority, ICB and police)")
_THEMES = ("4 of the 24 practice suggestions are outside the label's theme, both readings: "
           "the midwife 'as NICE guidance and the trust's policy require' -> Escalating concerns "
           "0.78 (Adhering to policy and procedure), the pharmacist who 'raised her concern with "
           "the prescriber and the health visitor the same day' -> Consistent care and support "
           "0.88 (Escalating concerns), Calderwick's co-located drug and alcohol worker -> "
           "Consistent care and support 0.94 (Multi-agency working), the bullet 'Asking every "
           "parent about drugs and alcohol ...' -> Escalating concerns 0.90 (Adhering to policy "
           "and procedure)")
_OFF_THEME = ("In Child E's case, the midwife asked", "The pharmacist who dispensed",
              "In Calderwick, a worker from the drug", "Asking every parent about drugs")
_GENERAL_FINDING = ("'In almost every review we analysed, the parent's substance use was well "
                    "documented. What was missing was a picture of the child's day ...' "
                    "(chapter 3's opening finding, poor practice) is suggested, Record keeping "
                    "0.73, both readings; right: other, no practice presented as good")
_PARENTS = ("'The parents in recovery who took part in our focus groups told us that what "
            "helped them most was a worker who \"didn't judge\" ...' is suggested, Positive "
            "working relationships 0.92, both readings; right: other, what parents said")
_KEY_FINDING = ("the key finding 'Where practice was strongest, one practitioner built a "
                "relationship with the family and kept it going over many months ... as Child "
                "D's family support worker did for fourteen months' is not suggested (0.49, "
                "under the general 0.69), both readings; right: Persistency in care and support")
_CHILD_B = ("Child B's summary ('... The health visitor made multiple attempts to see Child B "
            "at home ..., calling, writing and visiting again when the door was not opened') is "
            "not suggested (0.59), both readings; right: Persistency in care and support")
_MIXED = ("'The adult drug service assessed Child B's mother within five days of her referral, "
          "which is what its policy requires. But ...' is not suggested (0.30), both readings; "
          "right: practice presented as meeting the policy, then criticism, Adhering to policy "
          "and procedure")
_MIXED_OPENING = "The adult drug service assessed Child B's mother"
_GENERAL_OPENING = "In almost every review we analysed"
_PARENTS_OPENING = "The parents in recovery who took part"


read = reading(DOCUMENT, DATA / "natpanel-written-2026.tsv", "written-natpanel")


def _number(number: str) -> str:
    """A record's number as the report's: "Recommendation 2", "R2", "2b" -> "2"."""
    found = re.search(r"\d+", number)
    return found.group(0) if found else number


def _agency(name: str) -> str:
    name = name.strip().lower()
    return name.removeprefix("the ")


def _records_of(read: Read, n: str) -> list[StoredRecommendation]:
    return [r for r in labelled_records(read) if _number(r.number) == n]


def _to(read: Read, *numbers: str) -> None:
    """Every record of these recommendations is to its addressees (any order,
    "the" and case dropped)."""
    found = {n: [sorted(_agency(a) for a in r.agencies) for r in _records_of(read, n)]
             for n in numbers}
    right = {n: [sorted(AGENCIES[n])] * max(1, len(found[n])) for n in numbers}
    assert found == right, found


def _findings(read: Read) -> set[int]:
    """The boxed findings."""
    return {p.seq for p in read.passages if re.match(r"Finding \d:", read.text(p.seq))}


def _chapters(read: Read) -> set[int]:
    # By heading text: a PDF's headings have no depth.
    return between(read, CHAPTERS[0], GOOD)


def _good_bullets(read: Read) -> set[int]:
    return {s for s in between(read, GOOD, RECS) if read.passages[s].kind == "list_item"}


def _key_findings(read: Read) -> set[int]:
    return {s for s in between(read, KEY_FINDINGS, INTRODUCTION)
            if read.passages[s].kind == "list_item"}


def _summaries(read: Read) -> set[int]:
    """The six case summaries' paragraphs."""
    return {heading_at(read, c) + 1 for c in SUMMARIES}


def _footnotes(read: Read) -> set[int]:
    return opened_by(read,
                     "Child Safeguarding Practice Review Panel (2024) Annual Report 2023 to 2024:",
                     "Eastholm Safeguarding Children Partnership (2024) Local")


def _recommendations(read: Read) -> set[int]:
    return between(read, RECS, REFERENCES)


def _references(read: Read) -> set[int]:
    return set(range(heading_at(read, REFERENCES) + 1, len(read.passages)))


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # Split after the first reading: the PDF's table header (its own xfail).
    only(read, "markdown")
    holds_the_labels(read, 142, 27, 7, 108)


# First reading, since fixed (a header row whose cells wrap is one row): from the PDF the table's
# header row 'Child | Age at the time | What happened | Parental substance use | Local review', its
# cells wrapped over two lines, is read as two rows, 'Child | Age at | What happened | Parental |
# Local review' and 'the time | substance use': 143 passages and 8 table rows; right: 142 and 7,
# one header row, as from the Markdown (the six data rows, wrapped too, read as written)
def test_the_pdf_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 142, 27, 7, 108)


def test_the_pdf_holds_every_practice_and_recommendation_passage(read: Read) -> None:
    # Added after the first reading: what held beside the header's fault.
    only(read, "pdf")
    assert (len(read.seqs("practice")), len(read.seqs("recommendation"))) == (27, 7)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed (a header row whose cells wrap is one row): as above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_title_is_the_covers_only_heading(read: Read) -> None:
    assert heading_at(read, TITLE) == 1
    assert title_page(read) & headings(read) == {1}
    assert len(title_page(read)) == 4


def _table_rows(read: Read) -> set[int]:
    rows = {p.seq for p in read.passages if p.kind == "table_row"}
    assert rows <= between(read, METHOD, CHILDREN), sorted(rows)
    return rows


def test_the_table_is_its_header_and_six_rows(read: Read) -> None:
    # Split after the first reading: the PDF's header (its own xfail).
    only(read, "markdown")
    assert len(_table_rows(read)) == 7


# First reading, since fixed (a header row whose cells wrap is one row): as above
def test_the_pdfs_table_is_its_header_and_six_rows(read: Read) -> None:
    only(read, "pdf")
    assert len(_table_rows(read)) == 7


def test_the_pdfs_table_rows_of_the_six_children_read_as_written(read: Read) -> None:
    # Added after the first reading: the six data rows held.
    only(read, "pdf")
    rows = opened_by(read, *(f"{c} | " for c in "ABCDEF"))
    assert rows <= _table_rows(read)


def test_each_case_summary_is_a_paragraph_under_its_heading(read: Read) -> None:
    seqs = _summaries(read)
    assert len(seqs) == 6 and all(read.passages[s].kind == "paragraph" for s in seqs)
    assert [read.text(s)[:9] for s in sorted(seqs)] == [f"Child {c} w" for c in "ABCDEF"]


def test_each_chapter_ends_on_its_boxed_finding(read: Read) -> None:
    ends = [heading_at(read, h) - 1 for h in (*CHAPTERS[1:], GOOD)]
    assert _findings(read) == set(ends), [read.text(s)[:40] for s in ends]
    assert all(read.passages[s].kind == "paragraph" for s in ends)


def test_a_footnote_is_a_paragraph_of_its_own(read: Read) -> None:
    notes = _footnotes(read)
    assert all(read.passages[s].kind == "paragraph" for s in notes)
    assert not [p.text[:40] for p in read.passages if p.text.startswith(("[^", ":"))]


def test_the_key_findings_are_seven_bullets(read: Read) -> None:
    assert len(_key_findings(read)) == 7


def test_what_good_looks_like_is_seven_bullets(read: Read) -> None:
    assert len(_good_bullets(read)) == 7


def test_each_recommendation_opens_a_paragraph_of_its_own(read: Read) -> None:
    openings = opened_by(read, *RECOMMENDATIONS)
    assert all(read.passages[s].kind == "paragraph" for s in openings)
    items = opened_by(read, *R2_ITEMS)
    assert all(read.passages[s].kind == "list_item" for s in items)
    assert _recommendations(read) - openings - items == \
        opened_by(read, "The Panel makes five recommendations. The first")


# ------------------------------------------------------------------- identity
def test_a_national_review_is_typed_thematic(read: Read) -> None:
    identity(read, type="thematic")


def test_it_is_not_single_case(read: Read) -> None:
    # Six children: never a CSPR or LCSPR, the types of the reviews it cites.
    assert not is_single_case(read.summary.type), read.summary.type


def test_no_identifier_is_borrowed_from_the_reviews_it_cites(read: Read) -> None:
    assert read.summary.identifier is None, read.summary.identifier
    assert read.summary.review_id == DOCUMENT.stem, read.summary.review_id


def test_no_cited_reference_is_the_key(read: Read) -> None:
    key = read.summary.review_id or ""
    assert not any(c in key for c in CITED_NUMBERS), key


def test_no_board_the_panel_being_none(read: Read) -> None:
    # The Panel is a national body; the six partnerships it cites did not
    # commission it.
    identity(read, board=None)


def test_no_cited_partnership_is_the_board(read: Read) -> None:
    board = read.summary.board or ""
    assert not any(p in board for p in PARTNERSHIPS), board
    no_welsh_board(read)


def test_the_year_is_the_publications(read: Read) -> None:
    identity(read, year=2026)


def test_no_variant(read: Read) -> None:
    identity(read, variant=None)


def test_no_index_incident_referral_or_period(read: Read) -> None:
    # Six children, six incidents; "notified to the Panel between 1 April 2022
    # and 31 March 2024" is the sample's window, not a case's timeline.
    dates = read.summary.dates
    found = {k: dates.get(k) for k in ("index_incident", "referral", "period_start",
                                       "period_end")}
    assert found == dict.fromkeys(found), found


def test_the_learning_event_is_none_or_the_workshop(read: Read) -> None:
    assert read.summary.dates.get("learning_event") in (None, "2025-09-24"), \
        read.summary.dates


# First reading, since fixed (a thematic report's own agreement of its final report): sign_off
# None, both readings; right: 2026-02-11, 'The Panel agreed the final report at its meeting on 11
# February 2026' (How we carried out the review): the panel's agreement of the final report, in the
# body, not the front matter
def test_the_sign_off_is_the_panels_agreement(read: Read) -> None:
    # "The Panel agreed the final report at its meeting on 11 February 2026."
    assert read.summary.dates.get("sign_off") == "2026-02-11", read.summary.dates


def test_the_publication_is_the_covers_month(read: Read) -> None:
    # "Published March 2026".
    assert (read.summary.dates.get("publication") or "")[:7] == "2026-03", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, _number)
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_one_to_five(read: Read) -> None:
    print_register(read)
    numbers = sorted({_number(r.number) for r in labelled_records(read)})
    assert numbers == ["1", "2", "3", "4", "5"], [r.number for r in labelled_records(read)]


def test_recommendation_2s_items_are_read_with_their_lead_in(read: Read) -> None:
    records = _records_of(read, "2")
    assert records
    for item in R2_ITEMS:
        holding = [r for r in records if item in r.text]
        assert holding and all("Department of Health and Social Care should ensure" in r.text
                               for r in holding), (item, [r.text[:80] for r in records])


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_summary_or_the_introduction(read: Read) -> None:
    for what, seqs in (("cover", title_page(read)),
                       ("foreword", between(read, FOREWORD, SUMMARY)),
                       ("executive summary", between(read, SUMMARY, INTRODUCTION)),
                       ("introduction", between(read, INTRODUCTION, CHILDREN)),
                       ("children", between(read, CHILDREN, CHAPTERS[0]))):
        _no_record_from(read, what, seqs)


def test_no_record_from_the_findings_chapters(read: Read) -> None:
    # Not a boxed finding, a concession or "It would have been good practice".
    _no_record_from(read, "chapters", _chapters(read))


def test_no_record_from_what_good_looks_like_or_the_references(read: Read) -> None:
    _no_record_from(read, "what good looks like", between(read, GOOD, RECS))
    _no_record_from(read, "references", _references(read))


# First reading, since fixed (levels and addressees: a kind inside a body's name is that body):
# 'The Department for Education should ...' (1) is to ['education', 'Department for Education'] and
# 'The Department for Education and the Department of Health and Social Care should jointly ...'
# (3) to ['education', 'Department of Health and Social Care', 'Department for Education'], both
# readings: the department's name read a second time as the kind 'education'; right: the
# department(s) only
def test_the_department_for_educations_recommendation_is_to_it(read: Read) -> None:
    _to(read, "1")


def test_the_department_of_healths_recommendation_is_to_it(read: Read) -> None:
    _to(read, "2")


# First reading, since fixed (levels and addressees: a kind inside a body's name is that body): as
# above
def test_the_joint_recommendation_is_to_both_departments(read: Read) -> None:
    _to(read, "3")


def test_the_departments_are_among_the_addressees(read: Read) -> None:
    # Added after the first reading: what held beside the extra 'education'.
    for n in ("1", "3"):
        for r in _records_of(read, n):
            assert set(AGENCIES[n]) <= {_agency(a) for a in r.agencies}, (n, r.agencies)


# Corrected after the first reading, which gave ['safeguarding partnership'] for both: the
# register's own label for England's safeguarding partners (their kind, as "the Partnership"
# is), the same addressee; this module had asked for the words 'safeguarding partners'.
def test_the_safeguarding_partners_recommendations_are_to_them(read: Read) -> None:
    # Not the Panel that recommendation 5 reports to.
    found = {n: [[_agency(a) for a in r.agencies] for r in _records_of(read, n)]
             for n in ("4", "5")}
    assert all(found.values()) and all(
        a in ([PARTNERS], ["safeguarding partnership"]) for v in found.values() for a in v), found


def test_no_cited_partnership_is_an_addressee(read: Read) -> None:
    # The six partnerships whose reviews it cites are none of its addressees.
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert named and not [a for a in named if a.startswith(PARTNERSHIPS)], named


# First reading, since fixed (levels and addressees: a kind inside a body's name is that body):
# level None on recommendations 1, 2a, 2b and 3, both readings; right: national (the Department for
# Education, the Department of Health and Social Care)
def test_the_departments_recommendations_are_national(read: Read) -> None:
    found = {_number(r.number): r.level for r in labelled_records(read)
             if _number(r.number) in ("1", "2", "3")}
    assert found == {n: "national" for n in ("1", "2", "3")}, found


# First reading, since fixed (levels and addressees: a kind inside a body's name is that body):
# level None on recommendations 4 and 5, both readings; right: local ('Safeguarding partners should
# ...': each area's local authority, ICB and police)
def test_the_safeguarding_partners_recommendations_are_local(read: Read) -> None:
    found = {_number(r.number): r.level for r in labelled_records(read)
             if _number(r.number) in ("4", "5")}
    assert found == {"4": "local", "5": "local"}, found


def test_the_due_date_is_the_end_of_2026_on_recommendation_1_only(read: Read) -> None:
    # "... by the end of 2026"; 5's "within twelve months of this report" is no date.
    due = {r.number: r.due_date for r in labelled_records(read) if r.due_date}
    assert {_number(n): d[:7] for n, d in due.items()} == {"1": "2026-12"}, due


def test_no_due_date_from_a_relative_time(read: Read) -> None:
    wrong = [(r.number, r.due_date) for r in labelled_records(read)
             if r.due_date is not None and _number(r.number) != "1"]
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_is_held_at_the_general_threshold(read: Read) -> None:
    found = [c for codes in read.suggested.values() for _, c in codes]
    assert found and min(found) >= GENERAL, sorted(found)[:3]


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


def test_the_other_suggestions_are_in_the_labels_theme(read: Read) -> None:
    # 20 of 24 (added after the first reading: what held beside its xfail).
    held = read.seqs("practice") & read.suggested.keys() - opened_by(read, *_OFF_THEME)
    assert len(held) == 20
    suggested_in_labels_theme(read, held)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


@pytest.mark.xfail(strict=True, reason=f"{_GENERAL_FINDING}; {_PARENTS}")
def test_auto_coding_suggests_nothing_but_practice(read: Read) -> None:
    auto_coding(read)
    wrong = sorted(read.suggested.keys() - read.seqs("practice"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_never_suggests_what_the_layout_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "cover": title_page(read),
        "contents": between(read, CONTENTS, FOREWORD),
        "introduction and methodology": between(read, INTRODUCTION, CHILDREN),
        "recommendations": _recommendations(read),
        "lead-in": lead_ins(read),
        "references": _references(read),
        "footnotes": _footnotes(read),
    })


def test_auto_coding_never_suggests_the_foreword(read: Read) -> None:
    # Its "We also saw practice that made a real difference" is general praise.
    foreword = between(read, FOREWORD, SUMMARY)
    assert len(foreword) == 5 and foreword <= read.seqs("other")
    never_suggested(read, {"foreword": foreword})


def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    # Child D's mother's "She was the only one who never gave up on us" is hers.
    family = between(read, FAMILIES, CHAPTERS[0])
    assert len(family) == 2 and family <= read.seqs("other")
    never_suggested(read, {"families' words": family})


def test_auto_coding_never_suggests_the_boxed_findings(read: Read) -> None:
    found = _findings(read)
    assert len(found) == 3 and found <= read.seqs("other")
    never_suggested(read, {"boxed findings": found})


@pytest.mark.xfail(strict=True, reason=_KEY_FINDING)
def test_auto_coding_finds_the_key_findings_naming_good_practice(read: Read) -> None:
    opened_suggested(read, *GOOD_FINDINGS)


def test_auto_coding_finds_the_other_two_key_findings_naming_good_practice(read: Read
                                                                          ) -> None:
    # Added after the first reading: what held beside its xfail.
    opened_suggested(read, *GOOD_FINDINGS[1:])


def test_auto_coding_does_not_suggest_the_other_key_findings(read: Read) -> None:
    other = _key_findings(read) - opened_by(read, *GOOD_FINDINGS)
    assert len(other) == 4 and other <= read.seqs("other")
    never_suggested(read, {"key findings of poor practice": other})


@pytest.mark.xfail(strict=True, reason=_CHILD_B)
def test_auto_coding_finds_child_bs_summary(read: Read) -> None:
    # "The health visitor made multiple attempts to see Child B at home ..."
    opened_coded(read, "Child B was two years old", "Persistency in care and support")


def test_auto_coding_does_not_suggest_the_other_case_summaries(read: Read) -> None:
    other = _summaries(read) - opened_by(read, "Child B was two years old")
    assert len(other) == 5 and other <= read.seqs("other")
    never_suggested(read, {"case summaries": other})


@pytest.mark.xfail(strict=True, reason=_MIXED)
def test_auto_coding_finds_all_the_practice_in_the_chapters(read: Read) -> None:
    practice = _chapters(read) & read.seqs("practice")
    assert len(practice) == 16
    all_suggested(read, practice)


def test_auto_coding_finds_the_other_practice_in_the_chapters(read: Read) -> None:
    # 15 of 16: all but the mixed paragraph (added after the first reading).
    practice = _chapters(read) & read.seqs("practice") - opened_by(read, _MIXED_OPENING)
    assert len(practice) == 15
    all_suggested(read, practice)


@pytest.mark.xfail(strict=True, reason=f"{_GENERAL_FINDING}; {_PARENTS}")
def test_auto_coding_suggests_nothing_else_in_the_chapters(read: Read) -> None:
    other = _chapters(read) & read.seqs("other") - headings(read)
    assert len(other) == 20
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_suggests_none_of_the_other_18_in_the_chapters(read: Read) -> None:
    # Added after the first reading: what held beside its xfail (the boxed
    # findings, the footnote, the concessions, poor practice, research, what
    # practitioners said).
    other = _chapters(read) & read.seqs("other") - headings(read) - opened_by(
        read, _GENERAL_OPENING, _PARENTS_OPENING)
    assert len(other) == 18
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=_PARENTS)
def test_auto_coding_does_not_suggest_concessions_or_what_people_said(read: Read) -> None:
    opened_not_suggested(read, *CONCESSIONS, "Practitioners told us that they were unsure",
                         "Practitioners at our workshop told us", _PARENTS_OPENING)


def test_auto_coding_does_not_suggest_concessions_or_what_practitioners_said(read: Read
                                                                            ) -> None:
    # Added after the first reading: what held beside its xfail.
    opened_not_suggested(read, *CONCESSIONS, "Practitioners told us that they were unsure",
                         "Practitioners at our workshop told us")


def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    for opening in WOULD_HAVE:
        opened_coded(read, opening, "Suggested good practice")


def test_auto_coding_finds_the_changes_since(read: Read) -> None:
    for opening in CHANGES:
        opened_coded(read, opening, "Learning from past reviews")


def test_auto_coding_finds_the_family_support_workers_persistence(read: Read) -> None:
    opened_coded(read, "Child D's family support worker visited the family weekly",
                 "Persistency in care and support")


@pytest.mark.xfail(strict=True, reason=_MIXED)
def test_auto_coding_finds_the_mixed_paragraph(read: Read) -> None:
    # "... within five days of her referral, which is what its policy
    # requires. But ..."
    opened_suggested(read, _MIXED_OPENING)


def test_auto_coding_finds_what_good_looks_like(read: Read) -> None:
    bullets = _good_bullets(read)
    assert bullets <= read.seqs("practice")
    all_suggested(read, bullets)


def test_auto_coding_does_not_suggest_the_closing_paragraph(read: Read) -> None:
    # "Good practice should not depend on individual practitioners ...": no
    # practice of its own.
    opened_not_suggested(read, "Good practice should not depend")
