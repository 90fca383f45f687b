"""A whole single-case review read end to end, written and labelled before
storfa's predictions were looked at: a fresh held-out check (round 10), on
an English SAFEGUARDING ADULTS REVIEW ORGANISED BY ITS TERMS-OF-REFERENCE
QUESTIONS (each question a heading, its answer under it), about an older
man's self-neglect and hoarding, whose numbered recommendations are
followed by "Appendix: the SAB's response", A TABLE that restates each
recommendation in short with the Board's response and a target date.

`tests/data/written-rsar/rsar-written-2026.md` is a WRITTEN Safeguarding
Adults Review under section 44 of the Care Act 2014 (fictional: no real
case or person) for the Kestonbridge Safeguarding Adults Board (a fictional
English board, which commissioned it: the board here), "Safeguarding Adults
Review: Arthur". Arthur, 83, a retired railway signalman living alone since
his wife's death in a terraced house rented from Greenway Housing, its
rooms filled with newspapers and railway papers, died in a fire at home on
14 January 2024, started by papers stacked beside an electric bar heater.
A housing officer's safeguarding concern (clutter image rating 8) closed by
Adult Social Care after two visits and a capacity assessment; a fire
service safe and well visit rating the home high risk, its report sent only
to the landlord; district nurses dressing his leg ulcers twice a week for
fourteen months; an environmental health officer clearing the yard; a
district nurse's concern and a well-attended multi-agency risk management
meeting (MARM); the case unallocated for seven weeks; an Age UK befriender
he came to trust; a tenancy warning letter; a second MARM without the GP
practice or the fire service; a second safe and well visit that found the
heater beside the papers and escalated nothing. Where it differs from the
written reviews before it (the SAR's, the ILSAR's, the ASAR's, the
WWSAR's, the TSAR's, English SARs; the ILSAR's the nearest for a repeated
set of recommendations):

- the cover: the board's name (a paragraph), "Safeguarding Adults Review:
  Arthur" (the only level-1 heading), "A review under section 44 of the
  Care Act 2014", the reviewer, "Final report agreed by the SAR panel: 5
  March 2025", "Endorsed by Kestonbridge Safeguarding Adults Board: 24
  April 2025", "Published: 19 June 2025"; NO numbering of any kind;
  "Contents" a numbered list of nine sections;
- "1. Introduction" (the death; the fire service's referral to the Board's
  SAR Review Group on 2 February 2024 and the group's decision of 28
  February 2024; the purpose; the inquest's conclusion of 10 December 2024;
  his first name), "2. Terms of reference and methodology" (the period with
  its reason, a lead-in "The Board asked the review to answer six
  questions:" over SIX NUMBERED QUESTIONS, the reviewer and panel, the
  agencies' chronologies, the learning event of 12 September 2024, the
  family, the panel's agreement of the final report on 5 March 2025 and
  the Board's endorsement of 24 April 2025), "3. Arthur and his family" (a
  pen picture, then his niece's words, among them her praise of the
  district nurses and the befriender), "4. Summary of events" (eleven
  dated paragraphs of fact, which tell as plain fact the housing officer's
  concern, the safe and well visits and the MARM);
- "5. Findings: the terms of reference questions": a preamble, then SIX
  HEADINGS THAT ARE THE TERMS OF REFERENCE'S QUESTIONS ("Question 1: How
  well did agencies understand Arthur's hoarding ...?" ... "Question 6:
  Did the Board's policies ...?", level 3, each restating its question in
  full), each answered in four to nine unnumbered paragraphs mixing
  practice named as good ("This was good practice", "thorough", "detailed
  and contemporaneous", "well attended", "clear and detailed"), practice
  told through what was done (the district nurses "kept on trying", the
  befriender Arthur came to trust and her call the same afternoon, the
  environmental health officer's same-day message and her explanation to
  Arthur, the housing officer's calls to the niece, the team leader's
  safeguarding supervision), procedures followed ("as the Mental Capacity
  Act Code of Practice requires", "as the practice's policy for housebound
  patients requires"), two "It would have been good practice for ...",
  THREE CHANGES SINCE (the council's capacity record, its self-neglect
  procedure, the fire service's sharing of safe and well outcomes) and
  training given after an earlier SAR elsewhere, three concessions ("The
  reviewer accepts / recognises that ... However, ..."), poor practice,
  the Mental Capacity Act, what practitioners said at the learning event;
  Questions 1, 2, 4 and 6 END ON A BOLD "**Learning point:** ..."
  PARAGRAPH (Questions 3 and 5 have none);
- "6. Good practice": a lead-in and FIVE BULLETS restating practice found;
  "7. Conclusions" (two paragraphs, the second "Many practitioners worked
  hard for Arthur" in general);
- "8. Recommendations": a preamble (not a recommendation), then
  "Recommendation 1:" to "Recommendation 7:" PARAGRAPHS; Recommendation 1 a
  lead-in "Kestonbridge Safeguarding Adults Board should revise its
  Self-Neglect and Hoarding Protocol so that:" over TWO BULLETS; addressed
  to THE SAB by name (1, 2), Kestonbridge Borough Council (3), Kestonbridge
  Fire and Rescue Service (4), NHS Kestonbridge Integrated Care Board (5),
  JOINTLY Kestonbridge Borough Council and Greenway Housing (6, "should
  audit the arrangement within six months of agreeing it"), and NATIONALLY
  the Department of Health and Social Care (7); no calendar date in any
  recommendation's own text;
- "9. Appendix: the SAB's response": a lead-in paragraph (the Board's
  meeting of 24 April 2025; quarterly reports to its Quality and
  Performance Sub-Group), then A TABLE "Recommendation | SAB response |
  Action | Lead | Target date" whose SEVEN ROWS RESTATE THE SEVEN
  RECOMMENDATIONS IN SHORT ("1. Revise the Self-Neglect and Hoarding
  Protocol: fire risk and escalation", not word for word), say "Accepted"
  (5 "Accepted in part"), give the action and a lead (an officer, not the
  recommendation's addressee: "SAB Business Manager", "Director of Housing,
  Greenway Housing", ...), and a target date: CALENDAR DATES for 1 ("30
  June 2026"), 2 ("31 March 2026"), 4 ("September 2025") and 6 ("31
  December 2025"); NONE for 3 ("Q3 2026/27"), 5 ("Ongoing") and 7 ("On
  publication"). The report ends with the table.

Its labels (`rsar-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 140
passages, 26 practice, 16 recommendation (the seven "Recommendation n:"
paragraphs and Recommendation 1's two bullets, AND the response table's
seven rows, which restate them: both are recommendation passages, as the
ILSAR's repeat table, though a user expects each recommendation recorded
once), 98 other. As the earlier modules': practice where the reviewer
presents some practice as good, however implicitly or mixed with
criticism; a change since Learning from past reviews; "It would have been
good practice ..." Suggested good practice; a concession opening a
criticism other; the family's words other (the niece's praise too); a
learning point other; the good practice bullets practice, each with its
finding's code. Codes: Question 1: the housing officer's concern ("This
was good practice") Escalating concerns; the first safe and well visit
("thorough") Risk assessment; the district nurses' records ("detailed and
contemporaneous") Record keeping. Question 2: the capacity assessment "as
the Mental Capacity Act Code of Practice requires" (the criticism of it in
the next paragraph) Adhering to policy and procedure; "It would have been
good practice for the social worker ... to assess Arthur's capacity again"
Suggested good practice; the district nurses' person-centred approach
Positive working relationships; the council's capacity record since
Learning from past reviews. Question 3: the district nurses kept on trying
Persistency in care and support; Arthur's trust in the befriender Positive
working relationships; her telling the social worker the same afternoon
Escalating concerns; the council's self-neglect procedure since Learning
from past reviews. Question 4: the first MARM "well attended" Multi-agency
working; its minutes "clear and detailed" Record keeping; the
environmental health officer's same-day message to Adult Social Care and
Greenway Housing Multi-agency working; "It would have been good practice
for the fire service ..." Suggested good practice; the fire service's
sharing since March 2024 Learning from past reviews. Question 5: the
housing officer's calls to the niece Consistent and persistent
communication; the GP home visit within two days "as the practice's
policy for housebound patients requires" Adhering to policy and procedure;
the environmental health officer's explanation to Arthur Effective
communication. Question 6: the team leader's safeguarding supervision
Support and training for practitioners; Greenway Housing's hoarding
training after a SAR in a neighbouring area Learning from past reviews.
The five bullets: Escalating concerns, Risk assessment, Persistency in
care and support, Positive working relationships, Multi-agency working.
Other: the cover and contents, the introduction, the terms of reference
(the six questions) and methodology, the family's words, the summary of
events, the findings' preamble and the six question headings, the poor
practice (the second safe and well visit "made the immediate area safe
... but" raised no concern; the tenancy letter that "followed the
association's standard tenancy enforcement procedure" and undid the
trust: no praise), the concessions, the Mental Capacity Act, what
practitioners said, the four learning points, the conclusions, the good
practice lead-in, the recommendations' preamble, the appendix's lead-in
and the table's header.

What a user would expect, decided before the reading (15:57:37, the
document and its labels copied into tests/data): identity: type SAR, no
variant, board "Kestonbridge Safeguarding Adults Board" (the SAB that
commissioned it), no Welsh board; NO identifier (no numbering: key the
file's name, "rsar-written-2026"; nothing in it, "Question 1",
"Recommendation 1", "section 44", taken for one); year 2025
(publication); dates: index incident 2024-01-14 (the fire and death; not a
safeguarding concern of 14 April 2022 or 14 March 2023), referral
2024-02-02 (the fire service's referral to the SAR Review Group; not the
group's decision of 28 February 2024), period 2022-04-01 to 2024-01-14,
learning event 2024-09-12, sign-off 2025-03-05 (the SAR panel's agreement
of the final report; not the Board's endorsement of 24 April 2025 nor the
inquest of 10 December 2024), publication 2025-06-19. Recommendations:
SEVEN, EACH RECORDED ONCE (Recommendation 1 one record, or one per bullet
each with its lead-in), all read from section 8, NONE from the response
table (its restatements are not a second set) or anywhere else (the six
questions, a learning point, "It would have been good practice", a good
practice bullet, the preamble, the appendix's lead-in); addressees 1 and 2
the Kestonbridge Safeguarding Adults Board, 3 Kestonbridge Borough
Council, 4 Kestonbridge Fire and Rescue Service, 5 NHS Kestonbridge
Integrated Care Board, 6 Kestonbridge Borough Council and Greenway
Housing, 7 the Department of Health and Social Care, level national
(never the table's leads); DUE DATES FROM THE RESPONSE TABLE'S TARGET
DATES, where they are calendar dates: 1 (each part) 2026-06-30, 2
2026-03-31, 4 2025-09 (a month), 6 2025-12-31 (not "within six months");
3 ("Q3 2026/27"), 5 ("Ongoing") and 7 ("On publication") none.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt10
as it was, HEAD 6d898ac; STORFA_INT8=u8; by the machine's clock the session
began 15:55:09, the document was written by 15:57:21, its labels 15:57:29,
the two copied into tests/data in one `cp` with the expectations above
written down 15:57:37, this module written before any reading 15:58:00-
15:59:02, storfa first run 15:59:03-15:59:17; the PDF's passages of the
appendix and the records' levels and due dates printed 15:59:40-15:59:44 on
the same tree, by a script calling tests/written.py's read_review), the same
from the Markdown and from the PDF unless said:

- segmentation: from the Markdown 140 passages, all as written (the six
  question headings, the four learning points each the last paragraph of
  its question, "Recommendation 1" to "7" paragraphs, Recommendation 1's
  bullets list items, the response table's header and seven rows table
  rows). From the PDF 146: all as written up to the appendix's heading;
  THE RESPONSE TABLE COMES APART: its header (whose "SAB response" wraps)
  read as a paragraph "Recommendation SAB Action Lead Target date
  response", row 1 two table rows (its first line, then the rest), row 6
  a table row and a paragraph (its last line), row 7 four table rows and a
  paragraph; rows 2 to 5 as written; so the labels joined to the PDF's
  appendix are carried (row 1's two pieces take the header's, other);
- identity: key "rsar-written-2026" (the file's name), identifier None,
  SAR, no variant, "Kestonbridge Safeguarding Adults Board", 2025, all
  right; index incident 2024-01-14, referral 2024-02-02, learning event
  2024-09-12, period start 2022-04-01, sign-off 2025-03-05 (the SAR
  panel's agreement, not the Board's endorsement), publication 2025-06-19,
  all right; WRONG: the period's end, from the Markdown 2023-03-01 (the
  end of "between December 2022 and March 2023" in Question 1's answer,
  the nurses' eleven visits recording the heater), from the PDF None
  (right: 2024-01-14, "from 1 April 2022, when Greenway Housing first
  found ..., to his death on 14 January 2024");
- recommendations: 8 records, 1a and 1b (each with Recommendation 1's
  lead-in), 2 to 7, each recommendation RECORDED ONCE, every passage of
  section 8 read (121-129), NOTHING FROM THE RESPONSE TABLE (not even from
  the PDF's broken rows) or anywhere else: right. Addressees all right: 1a,
  1b and 2 ['Kestonbridge Safeguarding Adults Board'], 3 ['Kestonbridge
  Borough Council'], 4 ['Kestonbridge Fire and Rescue Service'], 5 ['NHS
  Kestonbridge Integrated Care Board'], 6 ['Kestonbridge Borough Council',
  'Greenway Housing'], 7 ['Department of Health and Social Care']; no
  table lead taken for one. WRONG: level None on every record (7, to the
  Department nationally, right: national); due_date None on every record:
  THE RESPONSE TABLE'S TARGET DATES ARE NOT READ (right: 1a and 1b
  2026-06-30, 2 2026-03-31, 4 2025-09, 6 2025-12-31; 3, 5 and 7 rightly
  none, and 6's own "within six months" rightly no date);
- auto-coding at the single-case threshold (0.49). FROM THE MARKDOWN: 9
  suggestions, 8 of the 26 practice passages, precision 0.89, RECALL 0.31
  (under the 0.60 floor and the 0.70 bar); the same sub-theme as the label
  on 6 of 8, the same theme on 6 of 8 (0.75). Of the 21 practice
  paragraphs under the six questions only 3 were suggested (the council's
  capacity record since, Learning from past reviews 0.65; the befriender's
  call the same afternoon, Positive working relationships 0.52; "It would
  have been good practice for the fire service", Suggested good practice
  0.98); the other 18 were read at 0.01-0.30 (the housing officer's
  concern 0.30, the safe and well visit "thorough" 0.22, the district
  nurses' records 0.01, the capacity assessment 0.01, "It would have been
  good practice for the social worker" 0.23, the district nurses'
  person-centred approach 0.18, "kept on trying" 0.14, the befriender's
  trust 0.05, the council's procedure since 0.18, the first MARM "well
  attended" 0.03, its minutes 0.12, the environmental health officer's
  message 0.17, the fire service's sharing since 0.01, the calls to the
  niece 0.23, the GP's home visit 0.08, the officer's explanation 0.28, the
  team leader's supervision 0.01, the hoarding training 0.03). The five
  good practice bullets were all suggested (0.98-1.00). The heading does
  it: the questions sit under "5. Findings: the terms of reference
  questions", and storfa.coding.context zones a passage by the nearest
  heading of its path that names a zone; the question headings name none,
  the section's heading names the terms of reference, and
  `zone_of("5. Findings: the terms of reference questions > Question 1:
  ...")` is "terms" (checked on the frozen tree between the first
  confirming run and the second); the PDF's headings have no depth, so there each question is
  a section of its own, in no zone.
  FROM THE PDF: 22 suggestions, 21 of 26, precision 0.95, recall 0.81; the
  same sub-theme on 15 of 21, the same theme on 15 of 21 (0.71). Missed
  (5): the district nurses' records (0.22), the capacity assessment as the
  Code requires (0.28), the council's self-neglect procedure since (0.18),
  the fire service's sharing since (0.44), the team leader's supervision
  (0.45). Wrong, both readings (1): the pen picture's "He loved the
  railways all his life. He kept timetables, ..." (Positive working
  relationships, 0.75). Themes that differ: both readings, the befriender
  telling the social worker the same afternoon -> Positive working
  relationships (0.52 Markdown, 0.98 PDF; Escalating concerns) and the
  good practice bullet of the first safe and well visit -> Multi-agency
  working (0.98; Risk assessment); from the PDF also the environmental
  health officer's same-day message -> Escalating concerns (0.92;
  Multi-agency working), the housing officer's calls to the niece ->
  Positive working relationships (0.94; Consistent and persistent
  communication), the GP's home visit "as the practice's policy ...
  requires" -> Consistent care and support (0.82; Adhering to policy and
  procedure), Greenway Housing's training after an earlier SAR ->
  Escalating concerns (0.66; Learning from past reviews). Nothing
  suggested on the cover, contents, a heading (the six questions among
  them), the introduction, the terms of reference and methodology, the
  niece's words, the summary of events, the findings' preamble, a
  concession, the poor practice, the law, what practitioners said, a
  learning point, the conclusions, a lead-in, a recommendation or the
  SAB's response.

After the first reading only this module changed, not the document or the
labels: this docstring, the tests that failed in one reading split by
`only` from the other's, each fault marked strict xfail with what storfa
gave and what is right, and twins added for what held beside a test that
found a fault (the period's start, the PDF's passages before the appendix
and its rows 2 to 5, the niece's words, the other suggestions in the
label's theme, the other four good practice bullets in theme, what was
found in the findings from each reading, the capacity record since, the
fire service's "It would have been good practice" from the Markdown).
On the frozen tree the first confirming run (16:01:27-16:01:33) gave 124
passed, 28 skipped, 36 xfailed, no XPASS; after this docstring and a
reason were made exact (the zone checked), the same (16:01:42-16:01:49).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.coding.wholedoc import passage_key
from storfa.domain.ids import parse_review_id
from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    auto_coding,
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
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-rsar"
DOCUMENT = DATA / "rsar-written-2026.md"
TITLE = "Safeguarding Adults Review: Arthur"
BOARD = "Kestonbridge Safeguarding Adults Board"
COUNCIL = "Kestonbridge Borough Council"
FIRE = "Kestonbridge Fire and Rescue Service"
ICB = "NHS Kestonbridge Integrated Care Board"
HOUSING = "Greenway Housing"
DHSC = "Department of Health and Social Care"
AGENCIES = {
    "1": [BOARD],
    "2": [BOARD],
    "3": [COUNCIL],
    "4": [FIRE],
    "5": [ICB],
    "6": [COUNCIL, HOUSING],
    "7": [DHSC],
}
NUMBERS = [str(n) for n in range(1, 8)]
OPENINGS = tuple(f"Recommendation {n}:" for n in NUMBERS)
# The response table's target dates that are calendar dates (a month: "2025-09").
DUE = {"1": "2026-06-30", "2": "2026-03-31", "4": "2025-09", "6": "2025-12-31"}
NOT_DUE = ("3", "5", "7")  # "Q3 2026/27", "Ongoing", "On publication"
# The table's leads: officers, never a recommendation's addressee.
LEADS = ("SAB Business Manager", "Chair, Learning and Development Sub-Group",
         "Director of Adult Social Care", "Head of Prevention", "Designated Nurse",
         "Director of Housing", "SAB Independent Chair")
CONTENTS = "Contents"
INTRODUCTION = "1. Introduction"
TERMS = "2. Terms of reference and methodology"
FAMILY = "3. Arthur and his family"
EVENTS = "4. Summary of events"
FINDINGS = "5. Findings: the terms of reference questions"
GOOD_PRACTICE = "6. Good practice"
CONCLUSIONS = "7. Conclusions"
RECOMMENDATIONS_HEADING = "8. Recommendations"
APPENDIX = "9. Appendix: the SAB's response"
R1_LEAD_IN = "revise its Self-Neglect and Hoarding Protocol so that"
R1_BULLETS = ("risk of fire is to be assessed and shared", "route to escalate a case")

CONCESSIONS = ("The reviewer accepts that assessing the risk of fire",
               "The reviewer recognises that Adult Social Care",
               "The reviewer accepts that Arthur did not always")
POOR = ("Adult Social Care's front door treated", "The fire service's report of that visit",
        "No agency brought together", "The assessment asked whether Arthur understood",
        "Arthur's wish to stay in his home", "Adult Social Care closed the case in May 2022",
        "The case was unallocated for seven weeks", "Greenway Housing's letter of 21 August",
        "The second meeting, on 11 October 2023", "The fire service's second safe and well",
        "Millgate Surgery was invited to both meetings", "Arthur's niece raised her fear",
        "Neighbours complained about the smell", "The Board's Self-Neglect and Hoarding Protocol",
        "Social workers in the Adult Social Care locality team")
CONTEXT = ("The Mental Capacity Act 2005 requires",
           "Practitioners at the learning event said that engaging",
           "Practitioners at the learning event said that they did not know")
NAMED_GOOD = ("Arthur's housing officer recognised that what",
              "The safe and well visit in July 2022 was thorough",
              "The district nurses' records were detailed",
              "The first multi-agency risk management meeting on 4 April",
              "The minutes of that meeting")
TOLD = ("The district nurses' approach was person-centred", "The district nurses kept on trying",
        "Arthur came to trust the befriender", "The befriender told Arthur's social worker",
        "The environmental health officer who visited in January",
        "Arthur's housing officer, with Arthur's agreement",
        "The environmental health officer explained",
        "The district nursing team leader brought")
PROCEDURES = ("The social worker's assessment of Arthur's capacity",
              "When Arthur's niece rang Millgate Surgery")
CHANGES = ("Since the review began, Kestonbridge Borough Council has introduced",
           "Since the review began, Kestonbridge Borough Council has changed",
           "Since March 2024 Kestonbridge Fire and Rescue Service")
EARLIER_REVIEW = "Greenway Housing had trained all its housing officers"
WOULD_HAVE = ("It would have been good practice for the social worker",
              "It would have been good practice for the fire service")


read = reading(DOCUMENT, DATA / "rsar-written-2026.tsv", "written-rsar")


def _number_of(number: str) -> str:
    """A record's number as the recommendation's: "Recommendation 1b" -> "1"."""
    return number.strip().removeprefix("Recommendation").strip().rstrip(".:").rstrip("abcdefg")


def _number(r: StoredRecommendation) -> str:
    return _number_of(r.number)


def _agency(name: str) -> str:
    return name.removeprefix("the ").removeprefix("The ")


def _records(read: Read, n: str) -> list[StoredRecommendation]:
    return [r for _, r in read.recommendations if _number(r) == n]


def _to(read: Read, *numbers: str) -> None:
    """Every record of these recommendations is to its addressees (in any order)."""
    found = {n: [sorted(_agency(a) for a in r.agencies) for r in _records(read, n)]
             for n in numbers}
    right = {n: [sorted(AGENCIES[n])] * max(1, len(found[n])) for n in numbers}
    assert found == right, found


def _questions(read: Read) -> list[int]:
    """The six question headings, in order."""
    return sorted(p.seq for p in read.passages
                  if p.kind == "heading" and read.text(p.seq).startswith("Question "))


def _findings(read: Read) -> set[int]:
    # By heading text: a PDF's headings have no depth.
    return between(read, FINDINGS, GOOD_PRACTICE)


def _learning_points(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Learning point:")}


def _good_practice_bullets(read: Read) -> set[int]:
    return between(read, GOOD_PRACTICE, CONCLUSIONS) - lead_ins(read)


def _section_8(read: Read) -> set[int]:
    return between(read, RECOMMENDATIONS_HEADING, APPENDIX)


def _body(read: Read) -> set[int]:
    """The recommendation passages of section 8."""
    return _section_8(read) & read.seqs("recommendation")


def _appendix(read: Read) -> set[int]:
    """Everything after the appendix's heading (the report's end)."""
    return set(range(heading_at(read, APPENDIX) + 1, len(read.passages)))


def _rows(read: Read) -> set[int]:
    """The response table's rows that restate the recommendations."""
    return _appendix(read) & read.seqs("recommendation")


def _groups(read: Read) -> list[set[int]]:
    """Section 8's recommendation passages, one set per recommendation."""
    groups: list[set[int]] = []
    for seq in sorted(_body(read)):
        if read.text(seq).startswith(OPENINGS):
            groups.append(set())
        groups[-1].add(seq)
    assert len(groups) == 7
    return groups


def _no_record_from(read: Read, what: str, seqs: set[int]) -> None:
    assert seqs, what
    wrong = sorted(read.covered & seqs)
    assert not wrong, (what, [read.text(s)[:50] for s in wrong])


def _due(read: Read) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for _, r in read.recommendations:
        out.setdefault(_number(r), []).append(r.due_date)
    return out


# What the first reading found (each reason says what storfa gave and what is right).
_ZONED = ("from the Markdown, where the six questions sit under '5. Findings: the terms of "
          "reference questions' (zoned as terms of reference by that heading: zone_of gives "
          "'terms' for the path; the PDF's headings have no depth): ")
# _TABLE, a first reading since fixed (cell borders read from a table's rules): from the PDF the
# response table comes apart (146 passages, not 140): its header read as a paragraph
# 'Recommendation SAB Action Lead Target date response', row 1 as two table rows, row 6 as a
# table row and a paragraph, row 7 as four table rows and a paragraph; right: a header and seven
# rows as written, as from the Markdown
_PEN_PICTURE = ("the pen picture's 'He loved the railways all his life. He kept timetables, "
                "magazines, ...' is suggested (Positive working relationships, 0.75), both "
                "readings; right: other, the man and his collection, no practice")
_FIRE_BULLET = ("the good practice bullet 'The fire service's first safe and well visit assessed "
                "the risk of fire in every room ...' is suggested as Multi-agency working (0.98), "
                "both readings; right: Risk assessment, its finding's code")
_THEMES = ("suggestions on practice in another theme: both readings, 'The befriender told "
           "Arthur's social worker the same afternoon ...' -> Positive working relationships "
           "(0.52 Markdown, 0.98 PDF; Escalating concerns) and " + _FIRE_BULLET.split(" is ")[0]
           + " -> Multi-agency working (0.98; Risk assessment); from the PDF also the "
           "environmental health officer's same-day message -> Escalating concerns (0.92; "
           "Multi-agency working), the housing officer's calls to the niece -> Positive "
           "working relationships (0.94; Consistent and persistent communication), the GP's "
           "home visit 'as the practice's policy for housebound patients requires' -> "
           "Consistent care and support (0.82; Adhering to policy and procedure), Greenway "
           "Housing's hoarding training after an earlier SAR -> Escalating concerns (0.66; "
           "Learning from past reviews)")
_MD_MISSED = (_ZONED + "18 of the 21 practice paragraphs under the questions are not suggested "
              "(0.01-0.30: the housing officer's concern 0.30, the safe and well visit "
              "'thorough' 0.22, the district nurses' records 0.01, the capacity assessment "
              "0.01, 'It would have been good practice for the social worker' 0.23, the "
              "nurses' person-centred approach 0.18, 'kept on trying' 0.14, the befriender's "
              "trust 0.05, the council's procedure since 0.18, the first MARM 0.03, its minutes "
              "0.12, the environmental health officer's message 0.17, the fire service's "
              "sharing since 0.01, the calls to the niece 0.23, the GP's home visit 0.08, the "
              "officer's explanation 0.28, the team leader's supervision 0.01, the training "
              "0.03); right: each practice")
_PDF_MISSED = ("from the PDF five practice paragraphs under the questions are not suggested: "
               "the district nurses' records 'detailed and contemporaneous' (0.22; Record "
               "keeping), the capacity assessment 'as the Mental Capacity Act Code of Practice "
               "requires' (0.28; Adhering to policy and procedure), the council's self-neglect "
               "procedure since (0.18) and the fire service's sharing since March 2024 (0.44; "
               "both Learning from past reviews), the team leader's safeguarding supervision "
               "(0.45; Support and training for practitioners)")
_CHANGES = ("'Since the review began, Kestonbridge Borough Council has changed its self-neglect "
            "procedure ...' (0.18, both readings) and 'Since March 2024 Kestonbridge Fire and "
            "Rescue Service has shared ...' (0.01 Markdown, 0.44 PDF) are not suggested; right: "
            "changes since, Learning from past reviews")
_TRAINING = ("'Greenway Housing had trained all its housing officers ... in 2021, following the "
             "findings of a Safeguarding Adults Review in a neighbouring area ...' is not "
             "suggested from the Markdown (0.03) and suggested as Escalating concerns from the "
             "PDF (0.66); right: Learning from past reviews")
OFF_THEME = ("The befriender told Arthur's social worker",
             "The fire service's first safe and well visit assessed",
             "The environmental health officer who visited in January",
             "Arthur's housing officer, with Arthur's agreement",
             "When Arthur's niece rang Millgate Surgery", EARLIER_REVIEW)
PDF_MISSED = ("The district nurses' records were detailed",
              "The social worker's assessment of Arthur's capacity", CHANGES[1], CHANGES[2],
              "The district nursing team leader brought")
# What the Markdown found under the questions.
MD_FOUND = (CHANGES[0], "The befriender told Arthur's social worker", WOULD_HAVE[1])


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")
    holds_the_labels(read, 140, 26, 16, 98)


# First reading, since fixed: _TABLE above
def test_the_store_holds_the_passages_that_were_labelled_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    holds_the_labels(read, 140, 26, 16, 98)


def test_the_pdf_holds_the_labelled_passages_before_the_appendix(read: Read) -> None:
    # Added after the first reading: what held beside the table's fault.
    only(read, "pdf")
    before = {i.passage.seq: i.label.label for i in read.labelled
              if i.passage.seq <= heading_at(read, APPENDIX)}
    assert len(before) == 131
    assert [list(before.values()).count(x) for x in ("practice", "recommendation", "other")] \
        == [26, 9, 96]


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _TABLE above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_before_the_response_table_as_written(read: Read) -> None:
    # Added after the first reading: everything up to the appendix's lead-in.
    only(read, "pdf")
    appendix = heading_at(read, APPENDIX)
    differ = [(i.passage.seq, read.text(i.passage.seq)[:60]) for i in read.labelled
              if i.passage.seq <= appendix + 1 and passage_key(i.passage.text) != i.label.key]
    assert not differ, differ


def test_the_title_is_a_heading_and_the_cover_its_paragraphs(read: Read) -> None:
    assert heading_at(read, TITLE) == 1
    assert title_page(read) & headings(read) == {1}


def test_the_findings_are_six_question_headings(read: Read) -> None:
    questions = _questions(read)
    assert len(questions) == 6 and set(questions) <= _findings(read)
    assert all(read.text(s).endswith("?") for s in questions), \
        [read.text(s)[-30:] for s in questions]


def test_four_questions_end_on_their_learning_point(read: Read) -> None:
    # Questions 1, 2, 4 and 6; not 3 and 5.
    ends = [s - 1 for s in _questions(read)[1:]] + [heading_at(read, GOOD_PRACTICE) - 1]
    assert _learning_points(read) == {ends[0], ends[1], ends[3], ends[5]}, \
        [read.text(s)[:40] for s in ends]
    assert _learning_points(read) <= read.seqs("other")


def test_each_recommendation_opens_a_passage_of_its_own(read: Read) -> None:
    openings = opened_by(read, *OPENINGS)
    assert all(read.passages[s].kind == "paragraph" for s in openings)
    # The preamble and Recommendation 1's two bullets.
    assert len(_section_8(read) - openings) == 3
    assert len(_body(read)) == 9


def test_the_response_is_a_lead_in_and_a_table_of_seven_rows(read: Read) -> None:
    only(read, "markdown")
    _a_lead_in_and_seven_rows(read)


# First reading, since fixed: _TABLE above
def test_the_response_is_a_lead_in_and_a_table_of_seven_rows_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    _a_lead_in_and_seven_rows(read)


def _a_lead_in_and_seven_rows(read: Read) -> None:
    appendix = sorted(_appendix(read))
    assert len(appendix) == 9
    assert [read.passages[s].kind for s in appendix[1:]] == ["table_row"] * 8, \
        [(read.passages[s].kind, read.text(s)[:30]) for s in appendix]
    assert set(appendix[2:]) == _rows(read)


def test_the_pdf_reads_rows_2_to_5_as_rows(read: Read) -> None:
    # Added after the first reading: the rows that held beside the table's fault.
    only(read, "pdf")
    rows = opened_by(read, "2. Assurance on training", "3. No unallocated protocol cases",
                     "4. Fire service to raise", "5. GP practices' contact details")
    assert all(read.passages[s].kind == "table_row" for s in rows)
    assert rows <= read.seqs("recommendation")


def test_the_good_practice_summary_is_five_bullets(read: Read) -> None:
    bullets = _good_practice_bullets(read)
    assert len(bullets) == 5 and all(read.passages[s].kind == "list_item" for s in bullets)
    assert bullets <= read.seqs("practice")


# ------------------------------------------------------------------- identity
def test_the_type_is_a_safeguarding_adults_review(read: Read) -> None:
    identity(read, type="SAR")


def test_an_english_review_has_no_variant(read: Read) -> None:
    identity(read, variant=None)


def test_the_board_is_the_safeguarding_adults_board(read: Read) -> None:
    # The SAB commissioned it: the board here.
    identity(read, board=BOARD)


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_a_review_without_numbering_has_no_identifier(read: Read) -> None:
    # Nothing in it ("Question 1", "Recommendation 1", "section 44") is one.
    s = read.summary
    assert s.identifier is None, s.identifier
    assert s.review_id == DOCUMENT.stem, s.review_id
    assert parse_review_id(s.review_id).seq is None


def test_the_year_is_the_publications(read: Read) -> None:
    identity(read, year=2025)


def test_the_index_incident_is_the_fire(read: Read) -> None:
    # "On the night of 14 January 2024 Arthur ... died in a fire at his home";
    # not a safeguarding concern (14 April 2022, 14 March 2023).
    assert read.summary.dates.get("index_incident") == "2024-01-14", read.summary.dates


def test_the_referral_is_the_fire_services(read: Read) -> None:
    # "... referred Arthur's death to the Board's SAR Review Group on 2
    # February 2024"; not the group's decision of 28 February 2024.
    assert read.summary.dates.get("referral") == "2024-02-02", read.summary.dates


# First reading, since fixed (a longer aside between a period's two dates; a range under a heading
# that answers the terms of reference is no period): the period's end is 2023-03-01 from the
# Markdown (the end of 'between December 2022 and March 2023' in Question 1's answer) and None from
# the PDF; right: 2024-01-14, 'from 1 April 2022, when Greenway Housing first found ..., to his
# death on 14 January 2024' (its start, 2022-04-01, right)
def test_the_period_under_review(read: Read) -> None:
    # "... from 1 April 2022 ... to his death on 14 January 2024."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-04-01", "2024-01-14"), dates


def test_the_period_starts_when_the_boiler_could_not_be_reached(read: Read) -> None:
    # Added after the first reading: the start held beside the end's fault.
    assert read.summary.dates.get("period_start") == "2022-04-01", read.summary.dates


def test_the_learning_event(read: Read) -> None:
    assert read.summary.dates.get("learning_event") == "2024-09-12", read.summary.dates


def test_the_sign_off_is_the_sar_panels_agreement(read: Read) -> None:
    # "Final report agreed by the SAR panel: 5 March 2025"; not the Board's
    # endorsement (24 April 2025), a later approval.
    assert read.summary.dates.get("sign_off") == "2025-03-05", read.summary.dates


def test_the_publication(read: Read) -> None:
    assert read.summary.dates.get("publication") == "2025-06-19", read.summary.dates


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found_in_section_8(read: Read) -> None:
    print_register(read)
    missed = [n for n, group in zip(NUMBERS, _groups(read), strict=True)
              if not [r for seq, r in read.recommendations if seq in group and _number(r) == n]]
    assert not missed, missed


def test_every_recommendation_passage_of_section_8_is_read(read: Read) -> None:
    missed = sorted(_body(read) - read.covered)
    assert not missed, [read.text(s)[:60] for s in missed]


def test_each_recommendation_is_recorded_once(read: Read) -> None:
    # The response table restates all seven: a user expects seven
    # recommendations in the register, 1 as one record or one per bullet.
    print_register(read)
    numbers = sorted(_number(r) for _, r in read.recommendations)
    ones = numbers.count("1")
    assert ones in (1, 2) and [n for n in numbers if n != "1"] == NUMBERS[1:], \
        [(r.number, r.text[:40]) for _, r in read.recommendations]


def test_the_response_table_adds_no_record(read: Read) -> None:
    # Its rows restate the recommendations: none is recorded again, nor the
    # lead-in or the header (from the PDF's broken rows neither).
    _no_record_from(read, "response table", _appendix(read))
    wrong = [r.text[:50] for seq, r in read.recommendations if seq in _appendix(read)]
    assert not wrong, wrong


def test_recommendation_1_holds_its_lead_in_and_bullets(read: Read) -> None:
    records = _records(read, "1")
    assert records and all(R1_LEAD_IN in " ".join(r.text.split()) for r in records), \
        [r.text[:60] for r in records]
    words = " ".join(" ".join(r.text.split()) for r in records)
    assert all(b in words for b in R1_BULLETS), words


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a question, a learning point, "It would have been good practice", a
    # good practice bullet, the preamble or the appendix's lead-in.
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_findings(read: Read) -> None:
    _no_record_from(read, "findings", _findings(read))


def test_no_record_from_the_good_practice_summary(read: Read) -> None:
    _no_record_from(read, "good practice", between(read, GOOD_PRACTICE, CONCLUSIONS))


def test_no_record_from_the_rest_of_the_report(read: Read) -> None:
    for what, seqs in (("cover", title_page(read)),
                       ("contents", between(read, CONTENTS, INTRODUCTION)),
                       ("introduction", between(read, INTRODUCTION, TERMS)),
                       ("terms of reference", between(read, TERMS, FAMILY)),
                       ("family", between(read, FAMILY, EVENTS)),
                       ("events", between(read, EVENTS, FINDINGS)),
                       ("conclusions", between(read, CONCLUSIONS, RECOMMENDATIONS_HEADING)),
                       ("preamble", opened_by(read, "The review makes seven recommendations"))):
        _no_record_from(read, what, seqs)


def test_the_boards_own_recommendations_are_the_boards(read: Read) -> None:
    # "Kestonbridge Safeguarding Adults Board should ...".
    _to(read, "1", "2")


def test_a_recommendation_naming_its_agency_is_to_it(read: Read) -> None:
    _to(read, "3", "4", "5")


def test_the_joint_recommendation_is_to_both(read: Read) -> None:
    _to(read, "6")


def test_the_national_recommendation_is_to_the_department(read: Read) -> None:
    _to(read, "7")


def test_no_addressee_is_a_lead_of_the_response_table(read: Read) -> None:
    wrong = [(r.number, a) for _, r in read.recommendations for a in r.agencies
             if a.startswith(LEADS)]
    assert not wrong, wrong


# First reading, since fixed (levels read from the sub-heading and the addressees): Recommendation
# 7, 'The Department of Health and Social Care should update the Care and Support Statutory
# Guidance ...', has level None, both readings; right: national
def test_the_national_recommendation_is_national(read: Read) -> None:
    levels = [r.level for r in _records(read, "7")]
    assert levels == ["national"], levels


def test_no_other_recommendation_is_national(read: Read) -> None:
    wrong = [(r.number, r.level) for _, r in read.recommendations
             if _number(r) != "7" and r.level == "national"]
    assert not wrong, wrong


def _response_dates_read(read: Read) -> None:
    # 1 (each part) 30 June 2026, 2 31 March 2026, 4 September 2025 (a month),
    # 6 31 December 2025 (its own "within six months" no date).
    due = _due(read)
    found = {n: [d[:len(DUE[n])] if d else d for d in due.get(n, [None])] for n in DUE}
    right = {n: [DUE[n]] * len(found[n]) for n in DUE}
    assert found == right, due


# First reading, since fixed (round 10: an action plan's or a response table's target date is
# its recommendation's due date): every record's due_date was None, both readings
def test_the_due_dates_are_the_response_tables_target_dates(read: Read) -> None:
    only(read, "markdown")
    _response_dates_read(read)


# First reading, since fixed (cell borders read from a table's rules): from the PDF every
# record's due_date is None: the response table's header is read as a paragraph (the PDF table
# fault above), so no row's target date is known as one; right: as from the Markdown, 1a and 1b
# 2026-06-30, 2 2026-03-31, 4 2025-09, 6 2025-12-31
def test_the_due_dates_are_the_response_tables_target_dates_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    _response_dates_read(read)


def test_no_due_date_where_the_table_gives_none(read: Read) -> None:
    # "Q3 2026/27", "Ongoing", "On publication".
    due = _due(read)
    wrong = {n: due[n] for n in NOT_DUE if any(due.get(n, []))}
    assert not wrong, wrong


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.89 from the Markdown, 0.95 from the PDF.
    holds_the_floors(read, recall=None)


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): 18 of the 21 practice paragraphs under the questions are not suggested
# (0.01-0.30: the housing officer's concern 0.30, the safe and well visit 'thorough' 0.22, the
# district nurses' records 0.01, the capacity assessment 0.01, 'It would have been good practice
# for the social worker' 0.23, the nurses' person-centred approach 0.18, 'kept on trying' 0.14, the
# befriender's trust 0.05, the council's procedure since 0.18, the first MARM 0.03, its minutes
# 0.12, the environmental health officer's message 0.17, the fire service's sharing since 0.01, the
# calls to the niece 0.23, the GP's home visit 0.08, the officer's explanation 0.28, the team
# leader's supervision 0.01, the training 0.03); right: each practice; recall 0.31, floor 0.60
def test_auto_coding_recall_holds_its_floor_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    holds_the_floors(read, precision=None)


def test_auto_coding_recall_holds_its_floor_from_the_pdf(read: Read) -> None:
    # 0.81.
    only(read, "pdf")
    holds_the_floors(read, precision=None)


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): 18 of the 21 practice paragraphs under the questions are not suggested
# (0.01-0.30: the housing officer's concern 0.30, the safe and well visit 'thorough' 0.22, the
# district nurses' records 0.01, the capacity assessment 0.01, 'It would have been good practice
# for the social worker' 0.23, the nurses' person-centred approach 0.18, 'kept on trying' 0.14, the
# befriender's trust 0.05, the council's procedure since 0.18, the first MARM 0.03, its minutes
# 0.12, the environmental health officer's message 0.17, the fire service's sharing since 0.01, the
# calls to the niece 0.23, the GP's home visit 0.08, the officer's explanation 0.28, the team
# leader's supervision 0.01, the training 0.03); right: each practice; recall 0.31, bar 0.70
# (precision 0.89)
def test_auto_coding_holds_the_judged_bar_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    holds_the_judged_bar(read)


def test_auto_coding_holds_the_judged_bar_from_the_pdf(read: Read) -> None:
    # Precision 0.95, recall 0.81.
    only(read, "pdf")
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    # 6 of 8 from the Markdown (0.75), 15 of 21 from the PDF (0.71).
    themes_agree(read)


@pytest.mark.xfail(strict=True, reason=_THEMES)
def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_other_suggestions_on_practice_are_in_the_labels_theme(read: Read) -> None:
    # Added after the first reading: 6 of 8 from the Markdown, 15 of 21 from the PDF.
    held = read.seqs("practice") & read.suggested.keys() - opened_by(read, *OFF_THEME)
    assert len(held) >= 6
    suggested_in_labels_theme(read, held)


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


@pytest.mark.xfail(strict=True, reason=_PEN_PICTURE)
def test_auto_coding_suggests_nothing_but_practice(read: Read) -> None:
    auto_coding(read)
    wrong = sorted(read.suggested.keys() - read.seqs("practice"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_suggests_nothing_else_but_the_pen_picture(read: Read) -> None:
    # Added after the first reading: the one wrong suggestion, both readings.
    wrong = sorted(read.suggested.keys() - read.seqs("practice")
                   - opened_by(read, "He loved the railways"))
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        "contents": between(read, CONTENTS, INTRODUCTION),
        "introduction": between(read, INTRODUCTION, TERMS),
        "terms of reference and methodology": between(read, TERMS, FAMILY),
        "recommendations": _section_8(read),
        "the SAB's response": _appendix(read),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_summary_of_events(read: Read) -> None:
    events = between(read, EVENTS, FINDINGS)
    assert len(events) == 11 and events <= read.seqs("other")
    never_suggested(read, {"summary of events": events})


@pytest.mark.xfail(strict=True, reason=_PEN_PICTURE)
def test_auto_coding_never_suggests_the_familys_words(read: Read) -> None:
    # The niece's praise of the district nurses and the befriender is hers.
    family = between(read, FAMILY, EVENTS)
    assert len(family) == 6 and family <= read.seqs("other")
    never_suggested(read, {"family's words": family})


def test_auto_coding_never_suggests_the_nieces_words(read: Read) -> None:
    # Added after the first reading: all of section 3 but the pen picture's
    # railway paragraph (its own xfail), the niece's praise among them.
    family = between(read, FAMILY, EVENTS) - opened_by(read, "He loved the railways")
    assert len(family) == 5 and family <= read.seqs("other")
    never_suggested(read, {"the niece's words": family})


def test_auto_coding_never_suggests_a_learning_point(read: Read) -> None:
    learning = _learning_points(read)
    assert len(learning) == 4
    never_suggested(read, {"learning point": learning})


def test_auto_coding_never_suggests_the_conclusions(read: Read) -> None:
    # "Many practitioners worked hard for Arthur ...": no practice of its own.
    conclusions = between(read, CONCLUSIONS, RECOMMENDATIONS_HEADING)
    assert len(conclusions) == 2 and conclusions <= read.seqs("other")
    never_suggested(read, {"conclusions": conclusions})


def test_auto_coding_never_suggests_the_findings_preamble(read: Read) -> None:
    opened_not_suggested(read, "This section answers each of the six questions")


def test_auto_coding_finds_the_good_practice_summary(read: Read) -> None:
    all_suggested(read, _good_practice_bullets(read))


# First reading, since fixed (the coder learnt round ten (53 reviews), in-sample): the good
# practice bullet 'The fire service's first safe and well visit assessed the risk of fire in every
# room ...' is suggested as Multi-agency working (0.98), both readings; right: Risk assessment, its
# finding's code
def test_the_good_practice_summary_is_in_its_findings_themes(read: Read) -> None:
    suggested_in_labels_theme(read, _good_practice_bullets(read))


def test_the_other_four_good_practice_bullets_are_in_their_findings_themes(read: Read) -> None:
    # Added after the first reading: all but the fire service's (its own xfail).
    bullets = _good_practice_bullets(read) - opened_by(read, OFF_THEME[1])
    assert len(bullets) == 4
    suggested_in_labels_theme(read, bullets)


@pytest.mark.xfail(strict=True, reason=f"{_MD_MISSED}; and {_PDF_MISSED}")
def test_auto_coding_finds_all_the_practice_in_the_findings(read: Read) -> None:
    practice = _findings(read) & read.seqs("practice")
    assert len(practice) == 21
    all_suggested(read, practice)


def test_auto_coding_finds_three_in_the_findings_from_the_markdown(read: Read) -> None:
    # Added after the first reading: what the Markdown found under the questions.
    only(read, "markdown")
    opened_suggested(read, *MD_FOUND)


def test_auto_coding_finds_the_other_practice_in_the_findings_from_the_pdf(read: Read) -> None:
    # Added after the first reading: 16 of 21, all but the five missed.
    only(read, "pdf")
    practice = _findings(read) & read.seqs("practice") - opened_by(read, *PDF_MISSED)
    assert len(practice) == 16
    all_suggested(read, practice)


def test_auto_coding_suggests_nothing_else_in_the_findings(read: Read) -> None:
    other = _findings(read) & read.seqs("other") - headings(read)
    assert len(other) == 26
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=(
    _ZONED + "none of the five is suggested (0.30, 0.22, 0.01, 0.03, 0.12); from the PDF 'The "
    "district nurses' records were detailed and contemporaneous ...' is not (0.22); right: "
    "each practice"))
def test_auto_coding_finds_practice_the_reviewer_names_as_good(read: Read) -> None:
    # "This was good practice", "thorough", "detailed and contemporaneous",
    # "well attended", "clear and detailed".
    opened_suggested(read, *NAMED_GOOD)


def test_auto_coding_finds_the_other_practice_named_as_good_from_the_pdf(read: Read) -> None:
    # Added after the first reading: all but the district nurses' records.
    only(read, "pdf")
    opened_suggested(read, *(o for o in NAMED_GOOD if o != PDF_MISSED[0]))


@pytest.mark.xfail(strict=True, reason=(
    _ZONED + "seven of the eight are not suggested (0.03-0.28; the befriender's call "
    "suggested, 0.52); from the PDF 'The district nursing team leader brought Arthur's case to "
    "the team's safeguarding supervision ...' is not (0.45); right: each practice"))
def test_auto_coding_finds_practice_told_through_what_was_done(read: Read) -> None:
    opened_suggested(read, *TOLD)


def test_auto_coding_finds_the_other_practice_told_from_the_pdf(read: Read) -> None:
    # Added after the first reading: all but the team leader's supervision.
    only(read, "pdf")
    opened_suggested(read, *(o for o in TOLD if o != PDF_MISSED[4]))


@pytest.mark.xfail(strict=True, reason=(
    _ZONED + "neither is suggested (0.01, 0.08); from the PDF 'The social worker's assessment "
    "of Arthur's capacity in May 2022 was carried out as the Mental Capacity Act Code of "
    "Practice requires ...' is not (0.28); right: each Adhering to policy and procedure"))
def test_auto_coding_finds_the_procedures_followed(read: Read) -> None:
    opened_suggested(read, *PROCEDURES)


def test_auto_coding_finds_the_gps_home_visit_from_the_pdf(read: Read) -> None:
    # Added after the first reading (suggested in another theme: above).
    only(read, "pdf")
    opened_suggested(read, PROCEDURES[1])


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): not suggested (0.14); right: Persistency in care and support
def test_auto_coding_finds_the_district_nurses_persistence_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_coded(read, "The district nurses kept on trying", "Persistency in care and support")


def test_auto_coding_finds_the_district_nurses_persistence_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_coded(read, "The district nurses kept on trying", "Persistency in care and support")


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): not suggested (0.05); right: Positive working relationships
def test_auto_coding_finds_the_befrienders_relationship_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_coded(read, "Arthur came to trust the befriender", "Positive working relationships")


def test_auto_coding_finds_the_befrienders_relationship_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_coded(read, "Arthur came to trust the befriender", "Positive working relationships")


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): 'Arthur's housing officer recognised that what she saw ... This was good
# practice.' is not suggested (0.30); right: Escalating concerns
def test_auto_coding_finds_the_housing_officers_concern_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_coded(read, "Arthur's housing officer recognised that what", "Escalating concerns")


def test_auto_coding_finds_the_housing_officers_concern_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_coded(read, "Arthur's housing officer recognised that what", "Escalating concerns")


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): 'The first multi-agency risk management meeting on 4 April 2023 was well
# attended ...' is not suggested (0.03); right: Multi-agency working
def test_auto_coding_finds_the_first_meeting_from_the_markdown(read: Read) -> None:
    only(read, "markdown")
    opened_coded(read, "The first multi-agency risk management meeting on 4 April",
                 "Multi-agency working")


def test_auto_coding_finds_the_first_meeting_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    opened_coded(read, "The first multi-agency risk management meeting on 4 April",
                 "Multi-agency working")


# First reading, since fixed (a heading that answers the terms of reference is findings): from the
# Markdown, where the six questions sit under '5. Findings: the terms of reference questions'
# (zoned as terms of reference by that heading: zone_of gives 'terms' for the path; the PDF's
# headings have no depth): 'It would have been good practice for the social worker who took over
# the case ...' is not suggested (0.23); right: Suggested good practice
def test_auto_coding_finds_what_would_have_been_good_practice_from_the_markdown(
        read: Read) -> None:
    only(read, "markdown")
    for opening in WOULD_HAVE:
        opened_coded(read, opening, "Suggested good practice")


def test_auto_coding_finds_what_would_have_been_good_practice_from_the_pdf(read: Read) -> None:
    only(read, "pdf")
    for opening in WOULD_HAVE:
        opened_coded(read, opening, "Suggested good practice")


def test_auto_coding_finds_the_fire_services_would_have_been(read: Read) -> None:
    # Added after the first reading: from the Markdown too (0.98).
    opened_coded(read, WOULD_HAVE[1], "Suggested good practice")


@pytest.mark.xfail(strict=True, reason=_CHANGES)
def test_auto_coding_finds_the_changes_since(read: Read) -> None:
    for opening in CHANGES:
        opened_coded(read, opening, "Learning from past reviews")


def test_auto_coding_finds_the_capacity_record_since(read: Read) -> None:
    # Added after the first reading: the change since that was found (0.65).
    opened_coded(read, CHANGES[0], "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_TRAINING)
def test_auto_coding_finds_the_training_after_an_earlier_review(read: Read) -> None:
    opened_coded(read, EARLIER_REVIEW, "Learning from past reviews")


def test_auto_coding_does_not_suggest_concessions(read: Read) -> None:
    opened_not_suggested(read, *CONCESSIONS)


def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    opened_not_suggested(read, *POOR)


def test_auto_coding_does_not_suggest_the_law_or_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, *CONTEXT)
