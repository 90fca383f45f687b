"""A fourth whole single-case review read end to end: a Domestic Homicide
Review overview report in the Home Office template, as Welsh community safety
partnerships publish them, laid out differently again from the Concise CPR
(`test_written_review.py`), the Extended APR (`test_written_apr.py`) and the
SUSR (`test_written_susr.py`).

`tests/data/written-dhr/dhr-written-2026.md` is a WRITTEN DHR (fictional: no
real case or person) for Cardiff Community Safety Partnership, about a woman
killed by her former partner. Where it differs:

- the cover names the partnership (not a safeguarding board), "Domestic
  Homicide Review", "Overview Report into the death of Ms G" and the
  partnership's numbering "DHR 2024/02"; no contents, no running header;
- the Home Office template's nineteen sections, "1. Introduction" ...
  "19. Recommendations", paragraphs numbered "1.1" in the text; tables of
  pseudonyms ("Name | Relationship | Age | Ethnicity"), contributors
  ("Agency | Contribution") and panel members ("Name | Role |
  Organisation"); terms of reference as bullets after a lead-in;
- a chronology of long paragraphs by period ("14.1 2019 – 2021: ...");
- the analysis under "Term of reference N: ..." sub-headings, mixing poor
  practice, facts and four paragraphs of good practice ("It is to the credit
  of ...", "This was an example of good practice."); it cites another
  partnership's review, "DHR 2020/01" of Newport (Gwent);
- "Lesson 1: ..." paragraphs, one worded "Agencies should treat ...": lessons,
  not recommendations;
- recommendations: "Overview report recommendations", a numbered list "1."
  to "4.", the first addressed to "The Community Safety Partnership"; and
  "Single agency recommendations" made in the IMRs, each agency a label line
  ("South Wales Police:") over lettered items "a)", "b)";
- Appendix A, the action plan: a seven-column table "Recommendation | Scope |
  Action to take | Lead Agency | Key milestones | Target date | Date of
  completion and outcome" whose rows repeat the overview recommendations
  (not new ones: the register must not count them twice).

Its labels (`dhr-written-2026.tsv`, storfa.coding.wholedoc's format) were set
by hand, paragraph by paragraph, before storfa's predictions were looked at:
117 passages, 4 practice, 9 recommendation (4 overview, 5 single agency), 104
other. The agency label lines, the lead-ins, the lessons, the chronology and
the action plan's rows are `other`.

What storfa makes of it (at the commit this was written against): identity
DHR2024-W02, type DHR, year 2024, no board (a partnership is not a board);
the nine recommendations found, the single agency ones numbered 5-9 with no
agency; the action plan's four rows counted again as records 1-4 (13 records,
a strict xfail); auto-coding precision 0.50, recall 0.75 from both readings.
From the PDF two wrapped list items and the action plan come apart into more
passages than the Markdown has: the labels are carried to them (`_carried`).

Being written, its figures are a behavioural check, not a headline. What
storfa gets wrong is a small test of its own marked strict xfail, its reason
saying what storfa gave and what is right; a fault seen in one reading only
is tested on that one."""

from __future__ import annotations

from pathlib import Path

from storfa.domain.recommendations import StoredRecommendation
from written import (
    Read,
    all_suggested,
    between,
    headings,
    holds_the_floors,
    holds_the_labels,
    identified,
    identity,
    never_suggested,
    only,
    opened_by,
    print_register,
    reading,
    reads_as_written,
    reads_every_recommendation_passage,
    recommendation_groups,
    records_beyond_the_labels,
)

DATA = Path(__file__).resolve().parent / "data" / "written-dhr"
DOCUMENT = DATA / "dhr-written-2026.md"
# The floors the other written reviews hold to; the precision floor is the
# one the shipped threshold was chosen for (docs/classifier.md).
IDENTIFIER = "DHR2024-W02"  # "DHR 2024/02" on the cover
CITED = "DHR2020-W01"  # "DHR 2020/01", Newport's, in the analysis
# Each recommendation's opening passage: the four overview recommendations,
# then the single agency ones under their agency's label line.
RECOMMENDATIONS = (
    "1. The Community Safety Partnership should seek assurance",
    "2. South Wales Police should ensure",
    "3. Cardiff and Vale University Health Board should audit",
    "4. The Cardiff MARAC steering group should invite",
    "a) Supervisors should review",
    "b) Response officers should receive",
    "a) The emergency department should add",
    "b) GPs should be reminded",
    "a) An IDVA should complete",
)
OVERVIEW_AGENCIES = {
    "2": ["South Wales Police"],
    "3": ["Cardiff and Vale University Health Board"],
}
# The single agency items' agency, from the label line above them.
SINGLE_AGENCY = ["South Wales Police"] * 2 + ["Cardiff and Vale University Health Board"] * 2 \
    + ["Cardiff Women's Aid"]
HEADINGS = [
    "Domestic Homicide Review", "1. Introduction", "2. Timescales", "3. Confidentiality",
    "4. Terms of Reference", "5. Methodology",
    "6. Involvement of Family, Friends, Work Colleagues, Neighbours and Wider Community",
    "7. Contributors to the Review", "8. The Review Panel Members",
    "9. Author of the Overview Report", "10. Parallel Reviews", "11. Equality and Diversity",
    "12. Dissemination", "13. Background Information (The Facts)", "14. Chronology",
    "15. Overview", "16. Analysis",
    "Term of reference 1: identifying and assessing the risk to Ms G",
    "Term of reference 2: sharing information about Mr E",
    "Term of reference 3: support for Ms G, including her use of alcohol",
    "Term of reference 4: barriers to seeking help",
    "17. Conclusions", "18. Lessons to be Learned", "19. Recommendations",
    "Overview report recommendations", "Single agency recommendations",
    "Appendix A: Action plan",
]


read = reading(DOCUMENT, DATA / "dhr-written-2026.tsv", "written-dhr")


def _action_plan(read: Read) -> set[int]:
    (at,) = [p.seq for p in read.passages
             if p.kind == "heading" and p.text == "Appendix A: Action plan"]
    return set(range(at + 1, len(read.passages)))


def _lessons(read: Read) -> set[int]:
    return between(read, "18. Lessons to be Learned", "19. Recommendations")


# --------------------------------------------------------------- segmentation
def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    only(read, "markdown")  # the PDF's twin: the action plan's xfail below
    holds_the_labels(read, 117, 4, 9, 104)


def test_each_passage_reads_as_the_markdown_wrote_it(read: Read) -> None:
    reads_as_written(read, "markdown")


def test_the_pdf_differs_only_in_the_action_plan(read: Read) -> None:
    # What the action plan's xfail below describes, and nothing else (by the
    # Markdown passage each label came from: 111 on, whose split rows keep the
    # label placed last).
    only(read, "pdf")
    differ = {seq for seq, _ in read.differ()}
    assert differ <= set(range(111, 117)), differ
    assert not {s for s in _action_plan(read) if s in read.seqs("practice") | read.seqs(
        "recommendation")}


def test_the_pdf_keeps_a_wrapped_list_item_whole(read: Read) -> None:
    # "b) GPs should … with a" / "MARAC flag attends.": the second line at
    # the item's hanging indent goes on with it, capital or not.
    only(read, "pdf")
    assert not [p.seq for p in read.passages
                if p.text.startswith(("MARAC flag", "coordinator before"))]
    (gps,) = [r for _, r in read.recommendations if r.text.startswith("GPs should")]
    assert gps.text.endswith("with a MARAC flag attends.")


# First reading, since fixed (cell borders read from a table's rules): from the PDF, the action
# plan (seven narrow columns) is not read as written: its header, wrapped in cells ('Action to'
# / 'take', 'Lead' / 'Agency', 'Key' / 'milestones'), is two rows ('Recommendation | Scope |
# Action to | Lead | Key | Target | Date of' and 'take | Agency | milestones | date | completion
# and outcome'). Its rows are read as written now; on the first reading row 1 was two rows with
# words moved between cells ('... the risk to a | The | Local | ...' and 'victim reassessed when
# a perpetrator leaves the home | is') and row 2 lost 'the' to the next cell, their justified
# cells' words read as cells of their own
def test_the_pdf_reads_the_action_plan_as_written(read: Read) -> None:
    only(read, "pdf")
    plan = _action_plan(read)
    assert len(plan) == 5
    assert not read.differ()


def test_the_headings_are_the_reports_own(read: Read) -> None:
    assert [p.text for p in read.passages if p.kind == "heading"] == HEADINGS


def test_the_action_plan_rows_are_table_rows(read: Read) -> None:
    plan = _action_plan(read)
    # Both readings since cell borders are read from the table's rules; the
    # PDF's header was two rows before (6), and 7 on the first reading.
    assert len(plan) == 5
    assert {read.passages[s].kind for s in plan} == {"table_row"}


# ------------------------------------------------------------------- identity
def test_the_cover_gives_type_and_year_not_the_cited_review(read: Read) -> None:
    s = identity(read)
    assert s.type == "DHR"
    # The identifier's year (the partnership's numbering), not publication's.
    assert s.year == 2024
    assert CITED not in (s.identifier, s.review_id)
    # A community safety partnership is not a safeguarding board, and no board
    # is named on the cover: storfa gives none (not Cardiff and Vale, where
    # Cardiff lies, nor Gwent, the cited Newport review's region).
    assert s.board is None


def test_the_cover_gives_the_identifier(read: Read) -> None:
    identified(read, IDENTIFIER, ("DHR", 2024, 2, None))


def test_the_dates_the_report_states(read: Read) -> None:
    dates = read.summary.dates
    assert dates.get("publication") == "2025-06-30"  # "Date of publication: 30 June 2025"
    assert dates.get("index_incident") == "2023-11-09"  # "before her death on 9 November 2023"
    assert dates.get("learning_event") == "2024-04-17"  # "at a learning event on 17 April 2024"


def test_the_review_period_from_the_terms_of_reference(read: Read) -> None:
    dates = read.summary.dates
    assert (dates.get("period_start"), dates.get("period_end")) == \
        ("2019-01-01", "2023-11-09")


def test_the_referral_is_the_partnerships_notification(read: Read) -> None:
    # "South Wales Police notified Cardiff Community Safety Partnership of Ms
    # G's death on 16 November 2023", as the Gwent DARDR of test_metadata.
    assert read.summary.dates.get("referral") == "2023-11-16"


def test_the_sign_off_is_the_panels_agreement(read: Read) -> None:
    assert read.summary.dates.get("sign_off") == "2025-02-12"


# ------------------------------------------------------------ recommendations
def _overview(read: Read) -> dict[str, StoredRecommendation]:
    """The overview list's records by number (the action plan's rows, read
    as records too, are left out: see its xfail)."""
    groups = recommendation_groups(read, RECOMMENDATIONS)[:4]
    return {r.number: r for seq, r in read.recommendations if any(seq in g for g in groups)}


def _single_agency(read: Read) -> list[StoredRecommendation]:
    groups = recommendation_groups(read, RECOMMENDATIONS)[4:]
    return [r for seq, r in read.recommendations if any(seq in g for g in groups)]


def test_every_recommendation_is_found(read: Read) -> None:
    print_register(read)
    for n, group in enumerate(recommendation_groups(read, RECOMMENDATIONS), start=1):
        records = [r for seq, r in read.recommendations if seq in group]
        assert len(records) == 1, f"recommendation {n}: {RECOMMENDATIONS[n - 1]}: {records}"
    # Nothing else outside the action plan (whose rows: see its xfail).
    labelled = read.seqs("recommendation")
    extra = [r.text for seq, r in read.recommendations
             if seq not in labelled and seq not in _action_plan(read)]
    assert not extra, extra


def test_every_recommendation_passage_is_read(read: Read) -> None:
    reads_every_recommendation_passage(read)


def test_no_recommendation_from_the_lessons_or_the_terms_of_reference(read: Read) -> None:
    # "Lesson 1: ... Agencies should treat a perpetrator moving out as a reason
    # to reassess risk" is a lesson, not a recommendation.
    lessons = _lessons(read)
    assert len(lessons) == 4
    assert not read.covered & lessons, [read.text(s)[:60] for s in read.covered & lessons]
    terms = between(read, "4. Terms of Reference", "5. Methodology")
    assert len(terms) == 5 and not read.covered & terms


def test_the_overview_recommendations_are_numbered_1_to_4(read: Read) -> None:
    assert list(_overview(read)) == ["1", "2", "3", "4"]


def test_the_overview_recommendations_name_their_agencies(read: Read) -> None:
    named = {n: r.agencies for n, r in _overview(read).items()}
    for number, agencies in OVERVIEW_AGENCIES.items():
        assert named[number] == agencies, (number, named[number])


def test_the_csp_recommendation_names_the_reviews_own_partnership(read: Read) -> None:
    # "The Community Safety Partnership" is the one the cover names, not the
    # Newport partnership of a review cited in the analysis.
    assert _overview(read)["1"].agencies == ["Cardiff Community Safety Partnership"]


def test_the_marac_recommendation_names_the_steering_group(read: Read) -> None:
    # Its subject, before "should", not "housing providers" later in the sentence.
    assert _overview(read)["4"].agencies == ["Cardiff MARAC steering group"]


def test_the_single_agency_items_are_records_of_their_own(read: Read) -> None:
    # Each agency's label line ("South Wales Police:") numbers its lettered
    # items as one group: 5a, 5b, 6a, 6b, 7a.
    numbers = [r.number for r in _single_agency(read)]
    assert numbers == ["5a", "5b", "6a", "6b", "7a"]


def test_the_single_agency_items_name_the_agency_of_their_label_line(read: Read) -> None:
    assert [r.agencies for r in _single_agency(read)] == [[a] for a in SINGLE_AGENCY]


def test_the_action_plan_is_not_counted_twice(read: Read) -> None:
    # Its rows repeat recommendations 1-4 in short under their numbers: the
    # same records, not four more. From the PDF, whose first row of the plan
    # is misread (test_the_pdf_reads_the_action_plan_as_written), that row
    # opens "1. Community Safety Partnership should ..." with its "The" moved
    # to the next cell: still the opening of recommendation 1.
    records_beyond_the_labels(read, 2)
    assert not [seq for seq, _ in read.recommendations if seq in _action_plan(read)]
    assert len(read.recommendations) == 9


# ---------------------------------------------------------------- auto-coding
def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never = {
        "heading": headings(read),
        "cover": set(range(0, 7)),
        "chronology": between(read, "14. Chronology", "15. Overview"),
        "recommendation": read.seqs("recommendation"),
        "action plan": _action_plan(read),
        "lead-in": {p.seq for p in read.passages if p.text.rstrip().endswith(":")},
    }
    never_suggested(read, never)


def test_auto_coding_never_suggests_the_terms_of_reference_or_a_lesson(read: Read) -> None:
    never_suggested(read, {
        "preliminaries": between(read, "1. Introduction",
                                  "13. Background Information (The Facts)"),
        "lessons": _lessons(read),
    })


def test_auto_coding_finds_the_practice_of_a_domestic_homicide_review(read: Read) -> None:
    # 0.80: 4 of 5 suggestions practice (0.50 before a term of reference and a
    # lesson were set aside, 0.75 before 16.10 was read as Ms G's own words);
    # the one wrong is the conclusions' summary (its xfail below).
    holds_the_floors(read, recall=None)


# First reading, since fixed: the conclusions' summary '17.2 The panel found examples of good
# practice, particularly in the police response ...' (0.77), labelled other, is suggested: it
# lists where good practice was, described in 16.2, 16.5 and 16.8
def test_auto_coding_does_not_suggest_the_conclusions_summary(read: Read) -> None:
    (summary,) = opened_by(read, "17.2 The panel found")
    assert summary in read.seqs("other")
    assert summary not in read.suggested, read.suggested.get(summary)


def test_auto_coding_recall_holds_its_floor(read: Read) -> None:
    holds_the_floors(read, precision=None)


def test_auto_coding_finds_the_praise_in_so_many_words(read: Read) -> None:
    # "It is to the credit of ..." (twice), "This was an example of good practice."
    found = {s for s in read.seqs("practice") if read.text(s).startswith(
        ("16.2 It is to the credit", "16.5 This was an example", "16.8 It is to the credit"))}
    assert len(found) == 3 and found <= read.suggested.keys()


def test_auto_coding_finds_every_paragraph_of_good_practice(read: Read) -> None:
    practice = read.seqs("practice")
    assert practice <= between(read, "16. Analysis", "17. Conclusions")
    all_suggested(read, practice)


def test_auto_coding_does_not_suggest_poor_practice_in_the_analysis(read: Read) -> None:
    # "16.10 Ms G told her mother that she did not call the police ..." (a barrier
    # to seeking help) was suggested at 0.67 until Ms G's own words were read as hers.
    analysis = between(read, "16. Analysis", "17. Conclusions")
    wrong = sorted((analysis - read.seqs("practice")) & read.suggested.keys())
    assert not wrong, [read.text(s)[:60] for s in wrong]
