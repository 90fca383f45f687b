"""A seventh whole single-case review read end to end, written and labelled
before storfa's predictions were looked at: a fresh held-out check, on an
English review, of the single-case auto-coding threshold and the
document-reading rules chosen on the other six written reviews (all Welsh).

`tests/data/written-cspr/cspr-written-2026.md` is a WRITTEN Local Child
Safeguarding Practice Review (fictional: no real case or person) for the
Northshire Safeguarding Children Partnership (a fictional English
partnership), about Child M, a 15-year-old boy criminally exploited outside
the home and stabbed after a year of exclusion, missing episodes and an
arrest in another county. Where it differs from the other six:

- English, not Welsh: a partnership, not a board; the title page gives the
  partnership's name, "Local Child Safeguarding Practice Review" as the
  title, "Child M", "Independent author: ..." and "Published: 12 February
  2026", and NO review number (English reviews rarely have one);
- an executive summary at the front restating the findings (one paragraph)
  and the good practice (one paragraph), then "The review makes seven
  recommendations, set out in full in section 8:" and a numbered list of
  the seven in brief ("1. The Partnership should agree how ...");
- "Key practice episodes" (KPE 1 ... KPE 5) under headings, each a short
  account opening "What happened:" and an analysis opening "Analysis:" that
  mixes good and poor practice; praise explicit ("This was good practice",
  "an example of strong multi-agency working") or only implied by what was
  done and what came of it ("offered to talk in her car ... M agreed. At
  that meeting ... he told her"); concessions before criticism ("responded
  to each report in line with the force's missing persons procedure ...
  Each report was assessed on its own");
- findings in the SCIE "Learning Together" style, the heading a systemic
  statement ("Finding 1: In Northshire, permanent exclusion ... are treated
  as education decisions, ..."), each followed by a heading "Questions for
  the partnership" and questions as bullets (not recommendations);
- the voice of the child and the family under "What Child M's mother told
  the review" and "What Child M told the review", inside "3. Child M and
  his family"; the mother praises the youth worker and the ward sister in
  her own words;
- recommendations as a table "No. | Recommendation | Lead agency |
  Timescale", rows 1, 2, 3, 4a, 4b, 5, 6, 7 (seven recommendations, eight
  rows), three of them to "The Partnership" itself; then "The partnership
  has already taken the following action:" and three bullets of changes
  made during the review; then a terms-of-reference appendix (a lead-in and
  bullets) and a glossary table.

Its labels (`cspr-written-2026.tsv`, storfa.coding.wholedoc's format) were
set by hand, paragraph by paragraph, before storfa was run on it: 150
passages, 20 practice, 8 recommendation (7 recommendations, 8 rows), 122
other. As the CAPR's and the ECPR's: a paragraph is practice where the
reviewers present some practice in it as good, however implicitly; a
concession that opens a criticism is other; the section lead-ins, the
questions for the partnership, the summary of events, the "What happened:"
accounts, the family's and the child's words, the table header, the terms
of reference and the glossary are other. The changes already made (three
bullets) are practice, Learning from past reviews, as the CAPR's "During
the review ... changed its screening procedure" is. Executive summary,
the convention: its restatement of good practice is practice (as the
CAPR's restatements under "Good practice"), its restatement of the findings
is other, and its brief list of recommendations is other - a
recommendation is counted once, where it is made in full, in the table, so
a record read from the brief list is an extra. Borderline, labelled other:
the conclusion's "individual practitioners who did good and sometimes
exceptional work" (names no practice); labelled practice: "The youth
worker recorded what M told her and sent the return home interview report
to Children's Social Care the same day, marked as a concern ..." (the rest
of the paragraph is what Children's Social Care did not do) and the
paediatric liaison nurse who "recognised that a cut across the palm is
typical of an injury from grabbing a blade" inside a paragraph that opens
on the triage nurse's miss.

The fresh check, run once the labels were final (a worktree of HEAD 04a2417,
frozen, /tmp/wt7; by the machine's clock the session began 20:13:25, the
labels were written 20:15:57, storfa first run 20:16:52), the same from the
Markdown and from the PDF: identity type CSPR, no identifier (key
"cspr-written-2026", the file's name), variant None, board None, year 2026
(publication 2026-02-12; period 2023-09-01 to 2025-02-20, learning event
2025-10-08 read right; the index incident read as 2024-06-11, M found in
Eastbury, not the stabbing on 2025-02-09). The 8 rows found as numbered ("1", "2", "3", "4a",
"4b", "5", "6", "7"; all 7 recommendations), nothing else: not the
executive summary's brief list, the questions, the actions taken or the
terms of reference. Agencies: the Partnership's three rows to the
partnership by name, 3 to the police and the council, 5 to the trust, 6 to
"Northshire County Council Housing Service" (its lead-agency cell); 2 and
4a to "Northshire County Council" (the service cut off). Auto-coding at the
single-case threshold (0.49 on this tree): 25 suggestions, 15 of the 20
practice paragraphs, precision 0.60, recall 0.75; the same sub-theme as the
label on 8 of 15, the same theme on 11 of 15 (0.73). Wrong (10): five of
the eight paragraphs of "3. Child M and his family" (the mother's and the
child's words 0.75-0.87, the background 0.57), the executive summary's
account of the method (0.84, Learning from past reviews), one "What
happened:" account (0.56), two criticisms (0.71, 0.72) and the conclusion
(0.66). Missed (5): the Child Abduction Warning Notice served and what came
of it (0.06), two of the three changes already made (0.15, 0.39), "The
Beacon Centre's work with M shows what alternative provision can do" in
Finding 1 (0.36) and the youth worker's same-day report (0.27, borderline).
Found: every paragraph that names its praise ("This was good practice",
"strong multi-agency working", "a good example of"), five of six that state
it through what came of it, the executive summary's good practice; nothing
on the title page, contents, introduction, summary of events, questions,
brief list, recommendations, lead-ins or appendices. From the PDF the two
longest findings' headings are read as paragraphs (their text is whole).
After the first reading only the tests' own code changed: the template-zone
test had put the executive summary among the preliminaries and the
questions' helper stopped only at a heading (so from the PDF it ran on into
Finding 3); the single agency test was split in two, the organisation (as
the CAPR's "startswith the council") and the lead-agency cell as given, and
row 6's expectation set from its cell; the xfails for what storfa got wrong
(the family, method, "What happened:", criticism, PDF headings, index
incident) were added.

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a test of its own marked strict xfail, its reason
saying what storfa gave and what is right. The document is ingested once per
module (from Markdown, and from a PDF laid out as a Word report) into a
temporary SQLite store, and auto-coded with the shipped classifier and real
embeddings. Theme agreement is measured with tests/written.py's
`theme_agreement`."""

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
    not_identified,
    opened_by,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    records_beyond_the_labels,
    themes_agree,
    title_page,
)

DATA = Path(__file__).resolve().parent / "data" / "written-cspr"
DOCUMENT = DATA / "cspr-written-2026.md"
PARTNERSHIP = "Northshire Safeguarding Children Partnership"
# Each recommendation's opening row; 4a and 4b are the fourth's two rows.
RECOMMENDATIONS = (
    "1 | The Partnership should agree",
    "2 | Northshire County Council Children's Social Care should ensure",
    "3 | Northshire Police and Northshire County Council should review",
    "4a | Northshire County Council Children's Social Care should adopt",
    "5 | North Vale Hospitals NHS Trust should ensure",
    "6 | Northshire County Council should agree",
    "7 | The Partnership should seek assurance",
)
NUMBERS = ["1", "2", "3", "4a", "4b", "5", "6", "7"]
# Who each row is to, as its text and its "Lead agency" cell say (each must
# be among the record's agencies; "The Partnership" is the review's own).
AGENCIES = {
    "1": [PARTNERSHIP],
    "2": ["Northshire County Council Children's Social Care"],
    "3": ["Northshire Police", "Northshire County Council"],
    "4a": ["Northshire County Council Children's Social Care"],
    "4b": [PARTNERSHIP],
    "5": ["North Vale Hospitals NHS Trust"],
    "6": ["Northshire County Council"],
    "7": [PARTNERSHIP],
}
# As the "Lead agency" cells give them.
LEAD = {**AGENCIES, "6": ["Northshire County Council Housing Service"]}
TEMPLATE = ("Appendix A", "Appendix B")


read = reading(DOCUMENT, DATA / "cspr-written-2026.tsv", "written-cspr")








def _executive_summary(read: Read) -> set[int]:
    return between(read, "1. Executive summary", "2. Introduction and the review process")


def _brief_list(read: Read) -> set[int]:
    # "1. The Partnership should agree how ..." to "7. ...": the seven in brief.
    found = {s for s in _executive_summary(read) if read.text(s)[:3] in
             {f"{n}. " for n in range(1, 8)}}
    assert len(found) == 7, [read.text(s)[:40] for s in found]
    return found


def _questions(read: Read) -> set[int]:
    """The passages under each "Questions for the partnership" heading, to the
    next heading or finding (from the PDF two findings' headings are read as
    paragraphs: their own test below)."""
    out: set[int] = set()
    under = False
    for p in read.passages:
        text = read.text(p.seq)
        if p.kind == "heading" or text.startswith("Finding "):
            under = text == "Questions for the partnership"
        elif under:
            out.add(p.seq)
    return out


def _findings(read: Read) -> set[int]:
    return opened_by(read, "Finding 1:", "Finding 2:", "Finding 3:", "Finding 4:")


def _actions_taken(read: Read) -> set[int]:
    return opened_by(read, "Children's Social Care now allocates",
                     "Kelbrook Youth Trust's contract has been varied",
                     "North Vale Hospitals NHS Trust has added an alert")


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    holds_the_labels(read, 150, 20, 8, 122)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read)


def test_each_findings_heading_is_a_heading(read: Read) -> None:
    # From the PDF on the first reading, the two longest (wrapped over several
    # lines, over 200 characters) were read as paragraphs, so Finding 3's
    # paragraphs were filed under the "Questions for the partnership" before it.
    assert all(read.passages[s].kind == "heading" for s in _findings(read)), \
        [(read.text(s)[:30], read.passages[s].kind) for s in sorted(_findings(read))]


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_the_type(read: Read) -> None:
    identity(read, type="CSPR")


def test_no_identifier_is_borrowed(read: Read) -> None:
    # The review has no number: nothing in it (a date, "section 47", "KPE 1",
    # "Finding 1") is an identifier, and its key is not one of another review.
    not_identified(read)


def test_the_year_is_the_year_of_publication(read: Read) -> None:
    assert read.summary.year == 2026, read.summary.year


def test_the_index_incident_is_the_stabbing(read: Read) -> None:
    # 2024-06-11 on the first reading (the day M was found in Eastbury, told
    # once); the stabbing is told in the summary, the introduction and the
    # outline of events.
    assert read.summary.dates.get("index_incident") == "2025-02-09", read.summary.dates


def test_the_board_is_no_welsh_board(read: Read) -> None:
    no_welsh_board(read)


def test_the_board_is_the_partnership(read: Read) -> None:
    # What a user filtering by who published the review expects (board None on
    # the first reading: storfa's boards were the Welsh ones only).
    assert read.summary.board is not None and "Northshire" in read.summary.board, \
        read.summary.board


# ------------------------------------------------------------ recommendations
def test_every_recommendation_is_found(read: Read) -> None:
    finds_the_recommendations(read, RECOMMENDATIONS, lambda number: number.rstrip("ab"))
    reads_every_recommendation_passage(read)


def test_the_records_are_numbered_as_the_table_numbers_them(read: Read) -> None:
    assert [r.number for r in labelled_records(read)] == NUMBERS


def test_each_record_names_its_lead_agencys_organisation(read: Read) -> None:
    # The organisation, at least: the council for its Children's Social Care.
    named = {r.number: r.agencies for r in labelled_records(read)}

    def names(agency: str, found: list[str]) -> bool:
        return any(agency.startswith(a) or a.startswith(agency) for a in found)

    wrong = {n: named.get(n) for n, agencies in AGENCIES.items()
             if not all(names(a, named.get(n) or []) for a in agencies)}
    assert not wrong, wrong


def test_each_record_names_its_lead_agency_as_the_table_gives_it(read: Read) -> None:
    # Rows 2 and 4a were recorded to "Northshire County Council" on the first
    # reading, their cells' "Children's Social Care" cut off.
    named = {r.number: r.agencies for r in labelled_records(read)}
    wrong = {n: named.get(n) for n, agencies in LEAD.items()
             if not set(agencies) <= set(named.get(n) or [])}
    assert not wrong, wrong


def test_no_record_names_a_welsh_board(read: Read) -> None:
    named = [a for r in labelled_records(read) for a in r.agencies]
    assert not [a for a in named if a.startswith(WELSH_BOARDS)], named


def test_nothing_else_is_recorded(read: Read) -> None:
    records_beyond_the_labels(read, 0)


def test_the_judged_bar_on_extra_records_holds(read: Read) -> None:
    # Issue 14: at most two records beyond the recommendations.
    records_beyond_the_labels(read, 2)


def test_no_record_from_the_executive_summarys_brief_list(read: Read) -> None:
    brief = _brief_list(read)
    assert not read.covered & brief, [read.text(s)[:50] for s in sorted(read.covered & brief)]


def test_no_record_from_questions_actions_or_terms_of_reference(read: Read) -> None:
    questions = _questions(read)
    assert len(questions) == 9
    actions = _actions_taken(read)
    terms = in_section(read, "Appendix A")
    assert len(terms) == 6
    for what, seqs in (("questions", questions), ("actions taken", actions),
                       ("terms of reference", terms)):
        wrong = sorted(read.covered & seqs)
        assert not wrong, (what, [read.text(s)[:50] for s in wrong])


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_precision_holds_its_floor(read: Read) -> None:
    # 0.60 on the first reading (15 of 25 suggestions practice): the family's and
    # the child's words (5), the executive summary's account of the review, a
    # "What happened:" account, two criticisms and the conclusion were suggested.
    holds_the_floors(read, recall=None)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_holds_the_judged_bar(read: Read) -> None:
    # Precision 0.60, recall 0.75 on the first reading; the bar is 0.70 for both.
    holds_the_judged_bar(read)


def test_the_theme_agrees_with_the_label(read: Read) -> None:
    themes_agree(read)


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never_suggested(read, {
        "heading": headings(read),
        "title page": title_page(read),
        # By heading text: a PDF's sub-headings are top-level sections of their own.
        # (The family's section has its own test, below.)
        "contents": between(read, "Contents", "1. Executive summary"),
        "introduction": between(read, "2. Introduction and the review process",
                                "3. Child M and his family"),
        "summary of events": between(read, "4. Summary of events", "5. Key practice episodes"),
        "terms of reference and glossary": in_section(read, *TEMPLATE),
        "recommendation": read.seqs("recommendation"),
        "lead-in": lead_ins(read),
    })


def test_auto_coding_never_suggests_the_questions_for_the_partnership(read: Read) -> None:
    never_suggested(read, {"questions": _questions(read)})


def test_auto_coding_never_suggests_the_recommendations_in_brief(read: Read) -> None:
    never_suggested(read, {"brief list": _brief_list(read)})


def test_auto_coding_finds_the_good_practice_in_the_executive_summary(read: Read) -> None:
    (restated,) = opened_by(read, "There was also practice that the partnership")
    assert restated in read.seqs("practice")
    all_suggested(read, {restated})


def test_auto_coding_does_not_suggest_the_findings_in_the_executive_summary(
        read: Read) -> None:
    (findings,) = opened_by(read, "The review has made four findings.")
    assert findings in read.seqs("other")
    assert findings not in read.suggested, read.suggested.get(findings)


def test_auto_coding_finds_practice_the_reviewers_name_as_good(read: Read) -> None:
    # "This was good practice", "an example of strong multi-agency working",
    # "an example of what the partnership can achieve", "a good example of".
    said = opened_by(read, "Analysis: The arresting officers",
                     "The strategy discussion was held within 24 hours",
                     "The police assessed that there was a continuing risk",
                     "The youth worker's involvement shows")
    assert said <= read.seqs("practice")
    all_suggested(read, said)


@pytest.mark.xfail(strict=True, reason=(
    "'A Child Abduction Warning Notice was served on one of the adults found with M in "
    "July 2024, after Northshire Police's exploitation team gathered evidence ...; there "
    "is no record that the adult contacted M again' is not suggested (0.06); the other "
    "five are (0.66-0.97)"))
def test_auto_coding_finds_practice_stated_through_its_outcome(read: Read) -> None:
    implicit = opened_by(read, "The Beacon Centre allocated M a key worker",
                         "The youth worker from Kelbrook Youth Trust did not close",
                         "A Child Abduction Warning Notice",
                         "The youth worker continued to see M every week",
                         "After the attack in February",
                         "The ward sister on the children's ward")
    assert implicit <= read.seqs("practice")
    all_suggested(read, implicit)


def test_auto_coding_finds_the_changes_already_made(read: Read) -> None:
    # The lead-in "The partnership has already taken the following action:" puts
    # its bullets among the changes made; on the first reading two of the three
    # were missed ("Kelbrook Youth Trust's contract has been varied ..." 0.15,
    # "... has added an alert ..." 0.39).
    actions = _actions_taken(read)
    assert actions <= read.seqs("practice")
    all_suggested(read, actions)


def test_auto_coding_does_not_suggest_a_concession_before_criticism(read: Read) -> None:
    conceded = opened_by(read, "Analysis: The exclusion followed",
                         "Analysis: Northshire Police responded",
                         "M's five missing episodes")
    assert conceded <= read.seqs("other")
    wrong = sorted(conceded & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def test_auto_coding_does_not_suggest_the_familys_words(read: Read) -> None:
    # The mother praises the youth worker and the ward sister in her own words.
    # On the first reading five of the eight were suggested (0.57-0.87): "What
    # Child M's mother told the review" and "Child M and his family" were no
    # zone storfa knew.
    family = {s for s in between(read, "3. Child M and his family", "4. Summary of events")
              if read.passages[s].kind != "heading"}
    assert len(family) == 8
    never_suggested(read, {"family": family})


def test_auto_coding_does_not_suggest_the_method_in_the_executive_summary(
        read: Read) -> None:
    # "The review was commissioned by ... and carried out using the 'Learning
    # Together' systems approach": suggested on the first reading (0.84).
    (method,) = opened_by(read, "The review was commissioned by the Northshire")
    assert method in read.seqs("other")
    assert method not in read.suggested, read.suggested.get(method)


def test_auto_coding_does_not_suggest_what_happened(read: Read) -> None:
    # "What happened: On 11 June 2024 officers ... executed a drugs warrant ...":
    # suggested on the first reading (0.56); the run-in label is now its zone.
    accounts = {s + d for s in opened_by(read, *(f"What happened: {o}" for o in (
        "On 17 January", "M was reported missing", "On 11 June", "M was supported",
        "On 23 November"))) for d in (0, 1)}
    assert len(accounts) == 10 and accounts <= read.seqs("other")
    never_suggested(read, {"what happened": accounts})


@pytest.mark.xfail(strict=True, reason=(
    "criticism that names a worker's action is suggested: 'The request to move the "
    "family was recorded by each social worker in turn ... Nobody escalated the "
    "decision ...' (0.71, Escalating concerns) and 'M had three social workers in six "
    "months ... only because her manager made an exception ...' (0.72, Positive working "
    "relationships); and the conclusion's 'individual practitioners who did good and "
    "sometimes exceptional work' (0.66), which names no practice"))
def test_auto_coding_does_not_suggest_criticism_or_the_conclusion(read: Read) -> None:
    plain = opened_by(read, "The request to move the family", "M had three social workers",
                      "M was a boy who had been let down")
    assert plain <= read.seqs("other")
    wrong = sorted(plain & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]
