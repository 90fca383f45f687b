"""A thirtieth whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on a
Concise Child Practice Review written ENTIRELY IN WELSH, as a Welsh board
publishes its Welsh version, of the single-case auto-coding threshold and the
document-reading rules chosen on the (English) written reviews before it.

`tests/data/written-cycpr/cycpr-written-2026.md` is a WRITTEN Adolygiad
Ymarfer Plant Cryno (fictional: no real case or person) for Bwrdd Diogelu
Gogledd Cymru (the North Wales Safeguarding Board), about Plentyn T, three,
who lived with his mother, his sister C (7) and his mother's partner Mr B in a
village near Caernarfon, having moved from Holyhead (Ynys Môn) in March 2023
when Anglesey closed the children's care and support plan; neglect (hunger,
nappies unchanged, teeth decayed, weight fallen to the 2nd centile, nine
health appointments he was not brought to), and on the evening of 17 October
2023 a scald from a kettle, about 9% of his body, brought to Ysbyty Gwynedd's
emergency department only the next morning. Agencies: Cyngor Gwynedd
(children's services, Dechrau'n Deg, the Tîm o Amgylch y Teulu), Bwrdd Iechyd
Prifysgol Betsi Cadwaladr (health visitors, GP practice, speech and language
therapy, the emergency department), Heddlu Gogledd Cymru, Cyngor Sir Ynys Môn
and a Cylch Meithrin. Where it differs from the 29 written reviews before it:

- ALL IN WELSH: every passage, the headings those of the Welsh CPR template
  ("1. Amlinelliad byr o'r amgylchiadau a arweiniodd at yr Adolygiad", "2.
  Ymarfer a dysgu sefydliadol", "3. Gwella Systemau ac Ymarfer", "4.
  Datganiad gan yr Adolygydd(wyr)", "5. Datganiad gan Gadeirydd y Panel
  Adolygu", "Atodiad 1: Cylch gorchwyl a llinell amser gryno"), the dates
  with Welsh month names ("17 Hydref 2023", "23 Mai 2024", "26 Mawrth
  2025"), the agencies by their Welsh names, mutated as Welsh mutates them
  ("gan Gyngor Gwynedd", "i Wynedd", "yng Ngwynedd", "Fwrdd Diogelu");
  earlier reviews had at most a Welsh board name or a bilingual title page;
- the cover: "Bwrdd Diogelu Gogledd Cymru" (the board only in Welsh), the
  title "Adroddiad Adolygiad Ymarfer Plant" (the only level-1 heading),
  "Adolygiad Ymarfer Plant Cryno", the national identifier "CPR2025-W04" on
  a line of its own, "Mewn perthynas â: Plentyn T", "Dyddiad cyflwyno'r
  adroddiad terfynol i'r Bwrdd: 10 Rhagfyr 2024", "Dyddiad cyhoeddi: 26
  Mawrth 2025", "Mae'r adroddiad hwn hefyd ar gael yn Saesneg."; no contents;
- the outline: commissioning (9 Ionawr 2024; the sub-group's referral from
  Cyngor Gwynedd 14 Rhagfyr 2023; the concise criteria), the family, the
  scald, the state T was in, who T was, the period "o 1 Ebrill 2022 hyd at 17
  Hydref 2023" with its reason, the mother's words, the learning event (23
  Mai 2024);
- the learning as FOUR "### Thema n: ..." sub-headings, each a run of facts,
  practice (stated plainly: "Roedd hyn yn arfer da", "arfer da iawn", "yn
  unol â pholisi'r heddlu ac yn arfer da", "yn amserol ac yn effeithiol";
  and through what was done: the therapist who saw T at the Cylch, the
  health visitor's unannounced visit, the Cylch leader's calls and the
  escalation protocol), poor practice, a concession ("Mae'r adolygwyr yn
  cydnabod ... Serch hynny ..."), what practitioners said at the learning
  event, and ending on a bold run-in "**Dysgu:**" paragraph with a "Dylai
  ..." (the same verb the recommendations open on); then three more
  sub-headings: "Yr ymateb i anaf T" (the emergency department, the strategy
  discussion), "Safbwynt y teulu" (three paragraphs of the mother's and
  grandmother's words) and "Arfer effeithiol" (one paragraph restating six
  findings);
- "3. Gwella Systemau ac Ymarfer" with two sub-headings: "Camau a gymerwyd
  eisoes" (two changes since) and "Argymhellion": a lead-in ending on a
  colon, then a numbered list 1-6 each opening "Dylai ..." (1, 5, 6 "Dylai'r
  Bwrdd", 2 "Dylai Cyngor Gwynedd a Chyngor Sir Ynys Môn, gyda'r pedwar
  awdurdod lleol arall", 3 "Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr
  sicrhau:" a lead-in over TWO NESTED BULLETS opening "bod ...", 4 "Dylai
  Heddlu Gogledd Cymru, gyda'r Hyb Diogelu Amlasiantaethol");
- the reviewers' statement as the template's declaration in Welsh (a lead-in
  ending on a colon over four bullets "nad oeddem ...", "bod ...") and the
  SIGNATURE TABLE with an empty first header cell ("| | Adolygydd 1 |
  Adolygydd 2 |", rows "Llofnod", "Enw (Priflythrennau)", "Dyddiad |
  12/11/2024 | 12/11/2024"); the panel chair's statement and a line
  "Cadeirydd y Panel Adolygu: ... Dyddiad: 28/11/2024"; the appendix: "###
  Cylch gorchwyl" (a lead-in and four bullets) and "### Llinell amser gryno",
  a "Dyddiad | Asiantaeth | Digwyddiad" table of eight rows.

Its labels (`cycpr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, passage by passage, before storfa was run on it: 106 passages,
14 practice, 8 recommendation (the six numbered items, 3's lead-in among
them, and its two nested bullets), 84 other. As the earlier modules':
practice where the reviewers present some practice as good, however
implicitly or mixed with criticism; the codes are the English codebook's.
Codes: the Anglesey health visitor's transfer summary and call ("Roedd hyn
yn arfer da") Effective communication; the Cylch leader's dated log ("arfer
da iawn") Record keeping; the social worker's visit within the seven working
days, C seen alone ("yn unol â'r weithdrefn", then "Fodd bynnag, ...")
Adhering to policy and procedure; "Byddai wedi bod yn arfer da ..."
Suggested good practice; the Dechrau'n Deg worker ("Roedd y berthynas hon yn
arfer da") Positive working relationships; the speech and language therapist
who saw T at the Cylch, in Welsh, after two clinic appointments he was not
brought to Persistency in care and support; the health visitor's unannounced
visit, T weighed, a safeguarding concern recorded and supervised Risk
assessment; the Cylch leader's two calls and the escalation protocol
Escalating concerns; the police officers' DASH and PPN ("yn unol â pholisi'r
heddlu ac yn arfer da") Adhering to policy and procedure; the emergency
department's triage nurse (the delay and the changing account) Risk
assessment; the strategy discussion ("amserol ac yn effeithiol") Multi-agency
working; the "Arfer effeithiol" paragraph Record keeping, by its first
finding; Gwynedd's GCP2 since and the health board's "Plant na Ddaethpwyd â
Hwy" policy since Learning from past reviews. Other: the cover, the outline
(the mother's words), the learning's preamble, the facts, the poor practice,
the concession, what practitioners said, the four "Dysgu:" paragraphs, the
family's words (the mother valued speaking Welsh with every practitioner:
her words, no practice named), the headings, the template's lead-in, the
statements and the appendix.

What a user would expect of its identity, decided before the reading: type
CPR, concise, board North Wales, identifier CPR2025-W04 (as on the cover),
year 2025, language Welsh ("cy"); dates: index incident 2023-10-17 (the
scald, "Ar noson 17 Hydref 2023", not the emergency department's 18 Hydref
2023), referral 2023-12-14 (the sub-group's, not the commissioning of 9
Ionawr 2024), period 2022-04-01 to 2023-10-17, learning event 2024-05-23,
sign-off 2024-11-12 (the reviewers' table, not the chair's 28/11/2024 nor
the final report to the Board of 10 Rhagfyr 2024), publication 2025-03-26.
Recommendations: six, 3 read with its two bullets (one record, or one per
bullet completed by its lead-in); addressees, in Welsh or English: 1, 5, 6
the board; 2 Cyngor Gwynedd and Cyngor Sir Ynys Môn first; 3 the health
board alone; 4 Heddlu Gogledd Cymru first; nothing recorded from the
"Dysgu:" paragraphs, the concession's "y dylai gwybodaeth ... ddilyn y
plentyn", the grandmother's "y dylai rhywun fod wedi gofyn", the template's
lead-in, the reviewers' declaration or the terms of reference.

FIRST READING, run once the labels were final (the frozen worktree /tmp/wt15
as it was, HEAD 59221f8; STORFA_INT8=u8; by the machine's clock the session
began 03:35:08, the labels were written 03:39:02 and copied into tests/data
with the document in one `cp` 03:39:04, this module written before any
reading (ruff clean 03:40:11), storfa first run 03:40:12-03:40:26; the
records' texts, the near misses and the metadata's evidence printed
03:40:44-03:41:07 on the same tree, after a first try at 03:40:40 that
stopped before any reading, a script without a main guard whose sandbox pool
could not start), the same from the Markdown and from the PDF unless said:

- segmentation: the Markdown as written (106); the PDF 106 passages, all as
  written but the timeline's row "17/10/2023 | – | T yn cael ei sgaldio
  gartref gyda'r nos", whose agency cell is a lone en dash: read as
  "17/10/2023 – | T yn cael ei sgaldio gartref gyda'r nos" (the dash joined
  to the date cell); the signature table with its empty first header cell
  reads as written from both;
- identity: type CPR, concise, board North Wales (from "Bwrdd Diogelu
  Gogledd Cymru"), identifier CPR2025-W04, year 2025, language cy, all
  right; the review KEY is "CPR2025-W04-cy", the identifier with the
  language: storfa's way of keying a Welsh version so that the English one
  can be linked to it (ingest/pipeline.py), taken as right: the identifier
  test asserts the identifier and the key's form apart (identified() asks
  key == identifier, which holds of English reviews only). Referral
  2023-12-14 (1.00), learning event 2024-05-23, period 2022-04-01 to
  2023-10-17, sign-off 2024-11-12 (0.51, the table's "Dyddiad" row),
  publication 2025-03-26 (0.85): Welsh month names read right throughout.
  Index incident WRONG: 2023-10-18 (0.53), from "Ymatebodd staff Adran
  Achosion Brys Ysbyty Gwynedd ... pan ddaethpwyd â T i'r adran ar 18
  Hydref 2023." (right: 2023-10-17, the outline's "Ar noson 17 Hydref 2023
  cafodd T ei sgaldio ...");
- recommendations: 5 records, numbered 1, 2, 4, 5, 6, each its whole item,
  nothing extra (no "Dysgu: ... Dylai ...", not the concession's "y dylai",
  not the grandmother's, not the template's lead-in, the declaration or the
  terms of reference). MISSED: recommendation 3, "3. Dylai Bwrdd Iechyd
  Prifysgol Betsi Cadwaladr sicrhau:" and its two nested bullets "bod ...",
  none of the three passages read into any record. Addressees: 4
  ['Heddlu Gogledd Cymru'], right; 1 and 6 [] (right: the board, "Dylai'r
  Bwrdd"); 5 ['Ngogledd Cymru'] (the mutated place name "yng Ngogledd
  Cymru" read as an agency; right: the board); 2 ['Ngogledd Cymru', 'local
  authority'] (right: Cyngor Gwynedd and Cyngor Sir Ynys Môn, "gyda'r
  pedwar awdurdod lleol arall yng Ngogledd Cymru"). No due dates (1's "o
  fewn chwe mis", 6's "ymhen deuddeg mis" are relative);
- auto-coding at the single-case threshold (0.49 as reported): NOTHING
  suggested, from either reading: 0 of the 14 practice paragraphs,
  precision 0.00 (nothing to measure) and recall 0.00, theme agreement 0
  of 0. No passage of the document reaches 0.15: the highest are the
  mother's valuing Welsh with every practitioner (other, 0.14), the first
  "Dysgu:" (other, 0.11), the Cylch staff at the learning event (other,
  0.09); the practice paragraphs score 0.00-0.06 (the social worker's visit
  0.06, the strategy discussion and the therapist 0.05, the plainly named
  "Roedd hyn yn arfer da" of the transfer summary 0.02, "Byddai wedi bod
  yn arfer da" 0.02, the "Arfer effeithiol" paragraph 0.01, the health
  board's change since 0.00). The never-suggested tests pass, vacuously;
  so does the test that every suggestion on practice is in the label's
  theme.

After the first reading only this module changed, not the document or the
labels: this record, the identifier test split from the key's form, a PDF
test of what reads as written, a test of the five unnested recommendations
that were read, and the strict xfails for what storfa got wrong. On the
frozen tree (03:41:39-03:41:56) the module gave: 57 passed, 4 skipped, 37
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

from storfa.domain.ids import parse_review_id
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

DATA = Path(__file__).resolve().parent / "data" / "written-cycpr"
DOCUMENT = DATA / "cycpr-written-2026.md"
IDENTIFIER = "CPR2025-W04"  # on the cover, a line of its own
# The board's name as a user would accept it, in English or in Welsh.
OWN_BOARD = ("North Wales Safeguarding Board", "Bwrdd Diogelu Gogledd Cymru",
             "North Wales Safeguarding Children Board")
GWYNEDD = ("Cyngor Gwynedd", "Gwynedd Council")
ANGLESEY = ("Cyngor Sir Ynys Môn", "Isle of Anglesey County Council", "Anglesey County Council")
HEALTH_BOARD = ("Bwrdd Iechyd Prifysgol Betsi Cadwaladr", "Betsi Cadwaladr University Health Board")
POLICE = ("Heddlu Gogledd Cymru", "North Wales Police")
RECOMMENDATIONS = (
    "1. Dylai'r Bwrdd ofyn",
    "2. Dylai Cyngor Gwynedd a Chyngor Sir Ynys Môn",
    "3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr sicrhau:",
    "4. Dylai Heddlu Gogledd Cymru",
    "5. Dylai'r Bwrdd ddatblygu",
    "6. Dylai'r Bwrdd gyhoeddi",
)
# The bullets under recommendation 3, by their openings.
BULLETS = ("bod pob practis meddyg teulu", "bod ymwelwyr iechyd yn gofyn")
OUTLINE = "1. Amlinelliad byr o'r amgylchiadau a arweiniodd at yr Adolygiad"
LEARNING = "2. Ymarfer a dysgu sefydliadol"
SYSTEMS = "3. Gwella Systemau ac Ymarfer"
STATEMENT = "4. Datganiad gan yr Adolygydd(wyr)"
CHAIR = "5. Datganiad gan Gadeirydd y Panel Adolygu"


_NOTHING = (
    "nothing is suggested from the Welsh text, both readings: 0 of the 14 practice paragraphs "
    "(precision 0.00, recall 0.00, theme agreement 0 of 0); no passage reaches 0.15 (the "
    "highest, the mother's words about speaking Welsh, other, 0.14), the practice paragraphs "
    "0.00-0.06, even those the reviewers name plainly ('Roedd hyn yn arfer da', 'arfer da "
    "iawn', 'yn amserol ac yn effeithiol'); right: the 14 practice paragraphs suggested, in "
    "their labels' themes")
_REC_3 = (
    "recommendation 3, '3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr sicrhau:' and its two "
    "nested bullets 'bod pob practis meddyg teulu ...', 'bod ymwelwyr iechyd yn gofyn ...', "
    "is read into no record, both readings: 5 records, numbered 1, 2, 4, 5, 6; right: six "
    "recommendations, 3's bullets read with its lead-in (one record or one a bullet)")
# _PDF_ROW, a first reading since fixed (cell borders read from a table's rules): from the PDF,
# the timeline's row '17/10/2023 | – | T yn cael ei sgaldio gartref gyda'r nos' (a lone en dash
# as its agency cell) reads '17/10/2023 – | T yn cael ei sgaldio gartref gyda'r nos', the dash
# joined to the date; every other passage as written, 106 passages


read = reading(DOCUMENT, DATA / "cycpr-written-2026.tsv", "written-cycpr")


def _title_page(read: Read) -> set[int]:
    # No contents: the cover runs to the outline's heading.
    return set(range(heading_at(read, OUTLINE)))


def _outline(read: Read) -> set[int]:
    return between(read, OUTLINE, LEARNING)


def _learning(read: Read) -> set[int]:
    # By heading text: a PDF's sub-headings have no depth.
    return between(read, LEARNING, SYSTEMS)


def _statements_and_appendix(read: Read) -> set[int]:
    return set(range(heading_at(read, STATEMENT), len(read.passages)))


def _learning_statements(read: Read) -> set[int]:
    return {p.seq for p in read.passages if read.text(p.seq).startswith("Dysgu:")}


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # From the PDF too: as many passages, each label at its place.
    holds_the_labels(read, 106, 14, 8, 84)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


# First reading, since fixed: _PDF_ROW above
def test_each_passage_of_the_pdf_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "pdf")


def test_the_pdf_reads_all_but_the_timelines_dash_row_as_written(read: Read) -> None:
    only(read, "pdf")
    wrong = [(s, t) for s, t in read.differ() if not t.startswith("17/10/2023")]
    assert not wrong and len(read.passages) == 106, wrong


def test_each_learning_statement_is_a_passage_of_its_own(read: Read) -> None:
    statements = _learning_statements(read)
    assert len(statements) == 4 and statements <= _learning(read)


def test_the_learning_holds_its_passages(read: Read) -> None:
    assert len(_learning(read)) == 44


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_variant_and_board(read: Read) -> None:
    # "Adolygiad Ymarfer Plant Cryno"; "Bwrdd Diogelu Gogledd Cymru" is the
    # North Wales Safeguarding Board.
    identity(read, type="CPR", variant="concise", board="North Wales")


def test_the_cover_gives_the_identifier(read: Read) -> None:
    # identified() also asks that the key be the identifier, as an English
    # review's is; a Welsh version is keyed with its language (below).
    assert read.summary.identifier == IDENTIFIER
    assert read.summary.year == 2025
    found = parse_review_id(IDENTIFIER)
    assert (found.type, found.year, found.seq, found.board) == ("CPR", 2025, 4, None)


def test_the_welsh_version_is_keyed_by_the_identifier_and_its_language(read: Read) -> None:
    # So that an English version, keyed CPR2025-W04, can be linked to it.
    assert read.summary.review_id == f"{IDENTIFIER}-cy", read.summary.review_id


def test_the_review_is_read_as_welsh(read: Read) -> None:
    assert read.summary.language == "cy", read.summary.language


# First reading, since fixed: index incident 2023-10-18 (0.53), both readings, from 'Ymatebodd
# staff Adran Achosion Brys Ysbyty Gwynedd yn gyflym ac yn drylwyr pan ddaethpwyd â T i'r adran
# ar 18 Hydref 2023.'; right: 2023-10-17, the outline's 'Ar noson 17 Hydref 2023 cafodd T ei
# sgaldio ...' (the scald, not the emergency department's attendance the next morning)
def test_the_index_incident_is_the_scald(read: Read) -> None:
    # "Ar noson 17 Hydref 2023 cafodd T ei sgaldio ..."; not the emergency
    # department's "18 Hydref 2023" ("fore trannoeth" in the outline).
    assert read.summary.dates.get("index_incident") == "2023-10-17", read.summary.dates


def test_the_referral_is_the_sub_groups(read: Read) -> None:
    # "... Is-grŵp Adolygu Achosion y Bwrdd, a oedd wedi ystyried atgyfeiriad
    # gan Gyngor Gwynedd ar 14 Rhagfyr 2023" (commissioned 9 Ionawr 2024).
    assert read.summary.dates.get("referral") == "2023-12-14", read.summary.dates


def test_the_period_under_review(read: Read) -> None:
    # "Mae'r adolygiad yn ystyried y cyfnod o 1 Ebrill 2022 hyd at 17 Hydref 2023."
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2022-04-01", "2023-10-17"), dates


def test_the_learning_event(read: Read) -> None:
    # "Cynhaliwyd digwyddiad dysgu yng Nghaernarfon ar 23 Mai 2024."
    assert read.summary.dates.get("learning_event") == "2024-05-23", read.summary.dates


def test_the_reviewers_sign_off(read: Read) -> None:
    # The reviewers' table: "Dyddiad | 12/11/2024 | 12/11/2024"; the panel
    # chair's 28/11/2024 is not theirs.
    assert read.summary.dates.get("sign_off") == "2024-11-12", read.summary.dates


def test_the_publication(read: Read) -> None:
    # "Dyddiad cyhoeddi: 26 Mawrth 2025" on the cover (the final report to the
    # Board 10 Rhagfyr 2024 is not it).
    assert read.summary.dates.get("publication") == "2025-03-26", read.summary.dates


# ------------------------------------------------------------ recommendations
# First reading, since fixed: recommendation 3, '3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr
# sicrhau:' and its two nested bullets 'bod pob practis meddyg teulu ...', 'bod ymwelwyr iechyd
# yn gofyn ...', is read into no record, both readings: 5 records, numbered 1, 2, 4, 5, 6;
# right: six recommendations, 3's bullets read with its lead-in (one record or one a bullet)
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("abcdefg"))
    reads_every_recommendation_passage(read)


# First reading, since fixed: recommendation 3, '3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr
# sicrhau:' and its two nested bullets 'bod pob practis meddyg teulu ...', 'bod ymwelwyr iechyd
# yn gofyn ...', is read into no record, both readings: 5 records, numbered 1, 2, 4, 5, 6;
# right: six recommendations, 3's bullets read with its lead-in (one record or one a bullet)
def test_the_records_are_numbered_one_to_six(read: Read) -> None:
    print_register(read)
    numbers = [r.number.rstrip("abcdefg") for r in labelled_records(read)]
    assert sorted(set(numbers)) == ["1", "2", "3", "4", "5", "6"], numbers


# First reading, since fixed: recommendation 3, '3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr
# sicrhau:' and its two nested bullets 'bod pob practis meddyg teulu ...', 'bod ymwelwyr iechyd
# yn gofyn ...', is read into no record, both readings: 5 records, numbered 1, 2, 4, 5, 6;
# right: six recommendations, 3's bullets read with its lead-in (one record or one a bullet)
def test_each_bullet_is_read_with_its_lead_in(read: Read) -> None:
    # One record holding both bullets, or a record for each completed by its
    # lead-in: either way each bullet's words are in a record naming the
    # health board's "Dylai ... sicrhau".
    records = records_of(read, "3")
    assert records
    for bullet in BULLETS:
        holding = [r for r in records if bullet in r.text]
        assert holding and all("Betsi Cadwaladr" in r.text for r in holding), \
            (bullet, [r.text for r in records])


def test_the_unnested_recommendations_are_read(read: Read) -> None:
    # 1, 2, 4, 5 and 6, each its whole item.
    print_register(read)
    found = {r.number: seq for seq, r in read.recommendations}
    unnested = {n: s for n, s in found.items() if not n.startswith("3")}
    items = opened_by(read, *(o for o in RECOMMENDATIONS if not o.startswith("3.")))
    assert sorted(unnested) == ["1", "2", "4", "5", "6"] and set(unnested.values()) == items, \
        found


def test_nothing_else_is_recorded(read: Read) -> None:
    # Not a "Dysgu: ... Dylai ..." paragraph, not the concession's "y dylai
    # gwybodaeth ... ddilyn y plentyn", not the grandmother's "y dylai rhywun
    # fod wedi gofyn", not the template's lead-in, not the reviewers'
    # declaration, not the terms of reference.
    records_beyond_the_labels(read, 0)


def test_no_record_from_the_learning_or_the_appendix(read: Read) -> None:
    for what, seqs in (("learning", _learning(read)), ("outline", _outline(read)),
                       ("statements and appendix", _statements_and_appendix(read))):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


@pytest.mark.xfail(strict=True, reason=(
    "'Dylai'r Bwrdd ...' (1, 5, 6) is not read as the board, both readings: 1 and 6 to [], 5 "
    "to ['Ngogledd Cymru'] (the mutated place name of '... adolygiadau blaenorol yng "
    "Ngogledd Cymru' read as an agency); right: the North Wales Safeguarding Board (Bwrdd "
    "Diogelu Gogledd Cymru), the board the report is by"))
def test_the_boards_recommendations_are_the_boards(read: Read) -> None:
    found = {n: [r.agencies for r in records_of(read, n)] for n in ("1", "5", "6")}
    assert all(found[n] and all(a and a[0] in OWN_BOARD for a in found[n]) for n in found), \
        found


# First reading, since fixed: recommendation 2 is to ['Ngogledd Cymru', 'local authority'], both
# readings (the mutated 'yng Ngogledd Cymru' as an agency); right: Cyngor Gwynedd and Cyngor Sir
# Ynys Môn (Gwynedd Council, Isle of Anglesey County Council), 'Dylai Cyngor Gwynedd a Chyngor
# Sir Ynys Môn, gyda'r pedwar awdurdod lleol arall yng Ngogledd Cymru, ...'
def test_the_councils_recommendation_names_gwynedd_and_anglesey(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "2")]
    assert found and all(len(a) >= 2 and a[0] in GWYNEDD and a[1] in ANGLESEY
                         for a in found), found


# First reading, since fixed: recommendation 3, '3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr
# sicrhau:' and its two nested bullets 'bod pob practis meddyg teulu ...', 'bod ymwelwyr iechyd
# yn gofyn ...', is read into no record, both readings: 5 records, numbered 1, 2, 4, 5, 6;
# right: six recommendations, 3's bullets read with its lead-in (one record or one a bullet)
def test_the_health_boards_recommendation_is_the_health_boards(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "3")]
    assert found and all(len(a) == 1 and a[0] in HEALTH_BOARD for a in found), found


def test_the_polices_recommendation_is_the_polices(read: Read) -> None:
    found = [r.agencies for r in records_of(read, "4")]
    assert found and all(a and a[0] in POLICE for a in found), found


# ---------------------------------------------------------------- auto-coding
@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, recall=None)


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    holds_the_judged_bar(read)


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_says_it_could_not_read_the_welsh(read: Read) -> None:
    # Added after the first reading: the classifier reads English only, so a
    # Welsh review's paragraphs that it did not suggest are counted as unread
    # (and the CLI, the coding page and the API say so) rather than left silent.
    assert not read.suggested
    assert len(read.seqs("practice")) <= read.unread < len(read.passages), read.unread


def test_every_suggestion_on_practice_is_in_the_labels_theme(read: Read) -> None:
    # At the first reading, vacuously: nothing was suggested.
    suggested_in_labels_theme(read, read.seqs("practice") & read.suggested.keys())


def test_the_sub_themes_as_read(read: Read) -> None:
    # Printed only: the passage-by-passage reading.
    theme_agreement(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    # This and the not-suggested tests below held vacuously at the first reading.
    never_suggested(read, {
        "heading": headings(read),
        "cover": _title_page(read),
        "outline": _outline(read),
        "statements and appendix": _statements_and_appendix(read),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_a_learning_statement(read: Read) -> None:
    statements = _learning_statements(read)
    assert statements <= read.seqs("other") and len(statements) == 4
    never_suggested(read, {"learning statement": statements})


def test_auto_coding_does_not_suggest_the_learnings_preamble(read: Read) -> None:
    opened_not_suggested(read, "Nododd yr adolygiad bedair thema ddysgu")


def test_auto_coding_does_not_suggest_the_concession(read: Read) -> None:
    opened_not_suggested(read, "Mae'r adolygwyr yn cydnabod")


def test_auto_coding_does_not_suggest_what_practitioners_said(read: Read) -> None:
    opened_not_suggested(read, "Yn y digwyddiad dysgu, dywedodd ymarferwyr",
                         "Yn y digwyddiad dysgu, dywedodd staff y Cylch")


def test_auto_coding_does_not_suggest_the_familys_words(read: Read) -> None:
    opened_not_suggested(read, "Dywedodd Mam ei bod", "Dywedodd hefyd ei bod wedi gwerthfawrogi",
                         "Mae nain T yn teimlo", "Dywedodd nain T wrth")


def test_auto_coding_does_not_suggest_poor_practice(read: Read) -> None:
    opened_not_suggested(read, "Pan ddywedodd Mam wrth y gweithiwr", "Nid oedd y tîm ymwelwyr",
                         "Daeth yr asesiad i'r casgliad", "Ond canolbwyntiodd",
                         "Nid oedd gan y practis meddyg teulu", "Ni welwyd y llythyr",
                         "Graddiwyd y PPN", "Nid enwyd Mr B", "Cytunodd y rheolwr tîm")


def test_auto_coding_does_not_suggest_the_facts(read: Read) -> None:
    opened_not_suggested(read, "Ar Ynys Môn roedd", "Dechreuodd T fynychu", "Rhwng mis Ebrill 2022",
                         "Symudodd Mr B i mewn")


def test_auto_coding_does_not_suggest_anything_else_in_the_learning(read: Read) -> None:
    other = _learning(read) & read.seqs("other") - headings(read)
    assert len(other) == 25
    wrong = sorted(other & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "Roedd hyn yn arfer da", "arfer da iawn", "Roedd y berthynas hon yn arfer
    # da", "yn unol â pholisi'r heddlu ac yn arfer da", "yn gyflym ac yn
    # drylwyr", "yn amserol ac yn effeithiol".
    opened_suggested(read, "Mewn cyferbyniad, anfonodd", "Cadwodd arweinydd y Cylch",
                     "Dyrannwyd gweithiwr cymorth", "Ar 29 Gorffennaf 2023 galwyd",
                     "Ymatebodd staff Adran Achosion Brys", "Cynhaliwyd trafodaeth strategaeth")


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_practice_stated_through_what_was_done(read: Read) -> None:
    # The therapist at the Cylch, the health visitor's unannounced visit, the
    # Cylch leader's calls and the escalation protocol.
    opened_suggested(read, "Roedd T wedi'i atgyfeirio at therapi",
                     "Ymatebodd yr ymwelydd iechyd yn wahanol", "Pan glywodd arweinydd y Cylch")


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_the_visit_within_the_timescale(read: Read) -> None:
    # Mixed: "Roedd hyn yn unol â'r weithdrefn. Fodd bynnag, ..."
    opened_suggested(read, "Ymwelodd gweithiwr cymdeithasol o'r Tîm Asesu")


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_the_effective_practice_paragraph(read: Read) -> None:
    (good,) = opened_by(read, "Gwelodd yr adolygiad arfer effeithiol")
    assert good in read.seqs("practice")
    all_suggested(read, {good})


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_what_would_have_been_good_practice(read: Read) -> None:
    opened_coded(read, "Byddai wedi bod yn arfer da", "Suggested good practice")


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_the_councils_change_since(read: Read) -> None:
    opened_coded(read, "Ers anaf T mae Cyngor Gwynedd", "Learning from past reviews")


@pytest.mark.xfail(strict=True, reason=_NOTHING)
def test_auto_coding_finds_the_health_boards_change_since(read: Read) -> None:
    opened_coded(read, "Ym mis Mehefin 2024 cyhoeddodd", "Learning from past reviews")


def test_the_pdf_is_read_as_the_markdown(read: Read) -> None:
    # Printed only for the PDF: where its passages differ.
    only(read, "pdf")
    print(f"\n[pdf] {len(read.passages)} passages; differ: {read.differ()}")
