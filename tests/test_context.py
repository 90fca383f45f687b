"""coding.context: what a document says about a passage beyond its words."""

from __future__ import annotations

import pytest

from storfa.coding.context import pseudo_heading, read, zone_of
from storfa.coding.document_reading import suggestable
from storfa.domain.reviews import Passage


def _passages(*rows: tuple[str, str, str]) -> list[Passage]:
    return [Passage(i, 1, section, kind, text, 0, len(text))
            for i, (section, kind, text) in enumerate(rows)]


def test_zones_come_from_the_nearest_heading_that_names_one() -> None:
    assert zone_of("Key findings > Clarity > Recommendations") == "recommendations"
    assert zone_of("What we found > Strengths") == "practice"
    assert zone_of("Summary timeline") == "chronology"
    assert zone_of("Contents") == "front"
    assert zone_of("Child M") is None


def test_a_review_templates_own_sections_are_zoned() -> None:
    """The Welsh CPR/APR and the DHR overview templates: statements, panel
    lists and process sections hold no practice; a one-word finding heading
    is not mistaken for one."""
    for heading in ("Statement by Reviewer(s)", "Statement by Review Panel Chair",
                    "3. Timescales", "Confidentiality", "Contributors to the review",
                    "The review panel members", "Parallel reviews", "Involvement of family",
                    "Equality and diversity", "Period under review"):
        assert zone_of(heading) == "method", heading
    assert zone_of("Summary of the case") == "chronology"
    assert zone_of("What was done well") == "practice"
    assert zone_of("Confidentiality and information sharing") is None
    assert zone_of("Timescales for strategy meetings") is None


def test_a_heading_that_answers_the_terms_of_reference_is_findings() -> None:
    # An SAR organised by its terms-of-reference questions (the written RSAR):
    # the answers are the review's findings, practice and all.
    assert zone_of("5. Findings: the terms of reference questions > Question 2: Was the "
                   "risk of fire understood?") == "learning"
    assert zone_of("Analysis against the terms of reference") == "learning"
    assert zone_of("2. Terms of reference and method") == "terms"
    assert zone_of("Cylch gorchwyl") == "terms"


def test_furniture_and_recommendations_are_read_from_form() -> None:
    readings = read(_passages(
        ("", "paragraph", "Authors: Michelle McManus, Emma Ball, Rachel Almond, Hannah Roberts"),
        ("", "paragraph", "Foreword 3 Background 4 Summary 5 What we found 6 Conclusion 22"),
        ("Results", "paragraph", "Figure 3: Breakdown of responses by organisation"),
        ("References", "paragraph", "Smith, J. et al. (2019) Practice reviews. doi:10.1/x"),
        ("Findings", "paragraph", "AMY: The Safeguarding Board should seek assurance that "
                                  "advocacy is in place for every child."),
        ("Findings", "paragraph", "The health visitor kept visiting weekly although the "
                                  "door was not opened, which was good practice."),
    ))
    assert [r.furniture for r in readings] == [True, True, True, True, False, False]


def test_recommendations_are_never_suggested_as_practice() -> None:
    passages = _passages(
        ("Recommendations", "list_item", "The Safeguarding Board should seek assurance that "
                                         "advocacy is in place for every child."),
        ("Findings", "paragraph", "The health visitor kept visiting weekly although the "
                                  "door was not opened, which was good practice."),
    )
    readings = read(passages)
    assert suggestable(passages, readings, 10**6, best_practice=True) == [False, True]
    # A codebook that is not about practice may still code a recommendation.
    assert suggestable(passages, readings, 10**6, best_practice=False) == [True, True]


def test_a_short_line_standing_alone_opens_a_section() -> None:
    readings = read(_passages(
        ("", "paragraph", "Strengths"),
        ("", "paragraph", "Strategy meetings were well attended and information was shared."),
        ("", "paragraph", "What needs to improve"),
        ("", "paragraph", "Assessments are often imprecise with limited analysis of risk."),
    ))
    assert readings[0].furniture and readings[2].furniture
    assert readings[1].zone == "practice" and readings[3].zone == "learning"


def test_every_zone_has_a_label_for_readers() -> None:
    from storfa.coding.context import ZONE_LABELS, ZONE_NAMES

    assert set(ZONE_LABELS) == set(ZONE_NAMES)


@pytest.mark.parametrize("text", ["4. Good Practice", "1.1. Key Findings",
                                  "Section 3 Recommendations", "iv. What went well",
                                  "B. Chronology"])
def test_a_numbered_line_is_a_heading(text: str) -> None:
    line = Passage(0, 1, "", "paragraph", text, 0, len(text))
    assert pseudo_heading(line)
    follows = Passage(1, 1, "", "paragraph", "The health visitor kept visiting the family.",
                      len(text) + 2, len(text) + 48)
    assert read([line, follows])[1].zone == zone_of(text) is not None


def test_a_numbered_sentence_is_not_a_heading() -> None:
    for text in ("1. The Board should review the escalation policy.",
                 "3. 12 of 40 practitioners said so", "2.1"):
        assert not pseudo_heading(Passage(0, 1, "", "paragraph", text, 0, len(text)))


def test_learning_points_themes_changes_and_the_familys_views_are_zoned() -> None:
    """What the fifth written review (test_written_ecpr.py) found: learning
    points say what was learnt; a numbered theme is learning whatever it names
    ("The organisational context"); what agencies changed during the review is
    a zone of its own; the family's contribution is the review's method."""
    assert zone_of("9. Learning points") == "lessons"
    assert zone_of("Key learning") == "lessons"
    assert zone_of("Practice and organisational learning") == "learning"
    assert zone_of("Learning > Theme 5: The organisational context") == "learning"
    assert zone_of("Actions already taken by agencies") == "changes"
    for heading in ("Family contribution", "The family's views", "Contribution of the family"):
        assert zone_of(heading) == "method", heading


@pytest.mark.parametrize(("text", "form", "present"), [
    ("The review identified a number of examples of effective practice, which are set out "
     "below so that they can be shared across the region.", "signpost", True),
    ("The learning from this review is set out under five themes.", "signpost", True),
    ("4.1 This section summarises each agency's involvement.", "signpost", True),
    # A signpost opening a long paragraph of practice is not the paragraph.
    ("The review identified several examples of good practice. " + "The health visitor "
     "visited weekly and recorded each visit in detail, sharing it with the GP. " * 6,
     "signpost", False),
    ("Since the learning event, South Wales Police has implemented a change to the way "
     "notices are completed.", "change_made", True),
    ("The health board has also already introduced a requirement that midwives offer a "
     "further appointment.", "change_made", True),
    ("The health board introduced a new form in 2019.", "change_made", False),
    ("Neither the health visitor nor the adviser was told, and the GP did not notice that "
     "T was on the register.", "criticism", True),
    ("The GP did not refer, but the health visitor's thorough assessment was good "
     "practice.", "criticism", False),
    ("The crew completed the falls assessment and referred her. This was good practice.",
     "verdict", True),
    ("It is to the credit of the housing officer that she visited again.", "verdict", True),
    ("It would have been good practice to refer her.", "verdict", False),
    ("This was not good practice.", "verdict", False),
    # The seventh written review (test_written_cspr.py): how the review was done,
    # said in an executive summary rather than a method section.
    ("The review was commissioned by the Northshire Safeguarding Children Partnership "
     "following a rapid review, and it was carried out using the systems approach.",
     "review_process", True),
    ("The health visitor's review was thorough and led to a referral.", "review_process",
     False),
    ("The request was recorded by each social worker in turn. Nobody escalated it, and the "
     "housing service did not reconsider.", "criticism", True),
    # The family's or the subject's own words, reported (their view of practice).
    ("Ms A told the reviewer that she had found child protection conferences hard to "
     "follow.", "family_words", True),
    ("She spoke warmly of the youth worker, who never gave up on M.", "family_words", True),
    ("M's mother met the author twice and read a draft of this report.", "family_words",
     True),
    ("The health visitor told the GP the same day, which was good practice.",
     "family_words", False),
    # What the reviewers say would have been good practice, opening the paragraph.
    ("It would have been better if the MARM meeting had been reconvened in December 2024.",
     "suggested", True),
    ("4.5 It would have been good practice to complete a capacity assessment.",
     "suggested", True),
    ("The GP said it would have been better to wait.", "suggested", False),
    ("The referral was not checked. It would have been appropriate to hold a strategy "
     "discussion.", "suggested", True),
    ("7.14 Since J's death, the trust has introduced a policy for children.", "change_made",
     True),
    ("Her referral is a good example of what the guidance asks for.", "verdict", True),
    # The eleventh written review (a Welsh extended APR).
    ("5.1 The review identified the following good practice, which the Board wishes to "
     "recognise and share.", "signpost", True),
    ("4.1.5 The deputy manager told the review that since Adult C's death the home has "
     "introduced a falls huddle.", "change_made", True),
    ("4.6.5 During the review, the council and the health board have revised the procedure "
     "so that a home cannot be removed without a visit, and no home is closed without a "
     "review.", "criticism", False),
    ("3.2 Adult C's son described his mother as a proper teacher.", "family_words", True),
    # The twelfth and thirteenth (a Welsh DARDR, an older concise APR).
    ("The analysis considers each agency's involvement in turn. It identifies good "
     "practice where it was found.", "signpost", True),
    ("A nurse visited. The nurse did not arrange to see Mr D alone, and no adult at risk "
     "report was made.", "criticism", True),
    # The fourteenth to sixteenth (a Welsh MHHR, a Welsh SUSR, an English SILP SAR).
    ("5.11 Since these events the health board has introduced a standard for absent care "
     "coordinators.", "change_made", True),
    ("Since the homicide, the trust has revised its discharge checklist.", "change_made",
     True),
    ("4.3 Her son told the reviewer: \"Mam rang the police so many times.\"",
     "family_words", True),
    ("4.4 Ms R's daughter wrote that the social worker was the first adult who asked her.",
     "family_words", True),
    # The twentieth to twenty-second (a Gwent CPR, a North Wales APR, a Cardiff DHR).
    ("2.31 At the learning event practitioners were shown what each agency had known.",
     "practitioners_words", True),
    ("Practitioners at the learning event said they had seen the friendship as his choice.",
     "practitioners_words", True),
    ("Practitioners should see the adult on their own.", "practitioners_words", False),
    # Round eight (an LCSPR opening with a letter to the child, an SAR by agency).
    ("5.12 At the learning event practitioners were candid about why fathers were not seen.",
     "practitioners_words", True),
    ("5.7 Since the rapid review, Harbridge City Council has changed its pre-birth "
     "assessment.", "change_made", True),
    ("Moorside Homes has since set up a hoarding and self-neglect panel.", "change_made",
     True),
    ("5.24 The reviewer appreciates that most bruises are innocent. But the protocol exists "
     "for the one that is not.", "criticism", True),
    ("The practitioners who visited kept trying, which was good practice.",
     "practitioners_words", False),
])
def test_signposts_changes_made_and_criticism_are_read_from_form(
        text: str, form: str, present: bool) -> None:
    (reading,) = read(_passages(("Findings", "paragraph", text)))
    assert (form in reading.forms) is present
    # A signpost names what follows and is never suggested.
    assert reading.furniture is (form == "signpost" and present)


def test_the_familys_own_words_and_a_run_in_account_are_zoned() -> None:
    """What the seventh written review (an English LCSPR) found: the family's
    and the child's words under "What ... told the review", the family as the
    review met them, and a key practice episode's "What happened:" account."""
    assert zone_of("3. Child M and his family > What Child M's mother told the review") \
        == "method"
    assert zone_of("3. Child M and his family") == "background"
    # A finding about the family or the child's voice is not the family's words.
    assert zone_of("Working with Mrs W and her family") is None
    assert zone_of("6.2 Hearing the voice of the child") is None
    readings = read(_passages(
        ("Key practice episodes > KPE 3", "paragraph",
         "What happened: On 11 June 2024 officers executed a warrant and found M."),
        ("Key practice episodes > KPE 3", "paragraph",
         "Analysis: The officers recognised M as a victim of exploitation."),
        ("Recommendations", "paragraph",
         "Recommendation 1: The Partnership should agree how risk is reviewed."),
    ))
    assert [r.zone for r in readings] == ["chronology", None, "recommendations"]


def test_a_lead_in_naming_changes_made_zones_the_list_that_follows() -> None:
    readings = read(_passages(
        ("8. Recommendations", "paragraph",
         "The partnership has already taken the following action:"),
        ("8. Recommendations", "list_item",
         "The youth trust's contract has been varied so that a youth worker stays involved."),
        ("8. Recommendations", "list_item",
         "The trust has added an alert to the emergency department's record."),
        ("8. Recommendations", "paragraph", "The partnership will report on progress."),
        ("8. Recommendations", "list_item", "A list of its own, not the changes."),
    ))
    # (The lead-in itself is furniture, in its section's zone.)
    assert [r.zone for r in readings] == ["recommendations", "changes", "changes",
                                         "recommendations", "recommendations"]
    # A lead-in naming no zone of its kind leaves its list in the section's zone.
    readings = read(_passages(
        ("Good practice", "paragraph", "The following actions were taken by the police:"),
        ("Good practice", "list_item", "Officers visited the same day and referred M."),
    ))
    assert [r.zone for r in readings] == ["practice", "practice"]


def test_what_could_have_been_better_terms_of_reference_and_organisational_context() -> None:
    """What the eighth and ninth written reviews (an English SAR, a Welsh CPR)
    found: "What could have been better" beside "What went well" tells what was
    missed; terms of reference never hold practice, wherever they sit; a
    review's "Organisational context" is its learning, not the case's
    background; a summary of agency involvement tells the case."""
    assert zone_of("Theme 1 > What could have been better") == "shortfalls"
    assert zone_of("Theme 1 > What went well") == "practice"
    assert zone_of("Appendix 1: Terms of reference") == "terms"
    assert zone_of("Practice and organisational learning > Organisational context") \
        == "learning"
    assert zone_of("Context") == "background"
    assert zone_of("Summary of agency involvement") == "chronology"
    # Each agency's own analysis, praise and all, is not a chronology.
    assert zone_of("4.0 Agency involvement > North Wales Police") is None


def test_a_bullet_telling_practitioners_what_to_do_is_read_down() -> None:
    readings = read(_passages(
        ("Learning", "list_item", "Practitioners need to consider whether a new friend who "
                                  "takes an interest in an adult's money may be exploiting him."),
        ("Learning", "paragraph", "Practitioners need to consider whether a new friend may be "
                                  "exploiting an adult, as this review shows."),
    ))
    assert ["directive_item" in r.forms for r in readings] == [True, False]


def test_a_kloe_glossary_review_model_and_summary_of_learning_are_zoned() -> None:
    """What the fourteenth to sixteenth written reviews found: a key line of
    enquiry asked as a question names its subject ("... in the context of
    the abuse?"), not background, so the analysis above it decides; the
    family's voice and a named review model's process are method; a summary
    of learning says what was learnt."""
    assert zone_of("6. Analysis > KLOE 5: Was Ms R's mental health understood in the "
                   "context of the abuse?") == "learning"
    assert zone_of("Context") == "background"
    assert zone_of("What happened?") == "chronology"
    assert zone_of("4. The voice of the family") == "method"
    assert zone_of("2. The SILP process") == "method"
    assert zone_of("Escalation process") is None
    assert zone_of("5. Summary of learning") == "lessons"


def test_a_glossarys_entries_are_never_suggested() -> None:
    text = ("DVPN / DVPO - Domestic Violence Protection Notice and Order, which can bar a "
            "perpetrator from the victim's home for up to 28 days.")
    passages = _passages(("Appendix A: Glossary", "paragraph", text),
                         ("9. Findings", "paragraph", text))
    readings = read(passages)
    assert ["glossary" in r.forms for r in readings] == [True, False]
    assert suggestable(passages, readings, 10**6, True) == [False, True]


def test_a_change_made_in_its_own_section_is_not_criticism() -> None:
    text = ("Westbury Council Adult Social Care has changed its case recording system so "
            "that a package cancelled without a review is flagged; before, nobody was told "
            "and the worker did not check.")
    readings = read(_passages(("Single agency actions already taken", "list_item", text),
                              ("Findings", "paragraph", text)))
    assert ["criticism" in r.forms for r in readings] == [False, True]
    # Listed as an action already taken, it is a change made without a "since".
    assert ["change_made" in r.forms for r in readings] == [True, False]


def test_the_welsh_templates_prompt_is_never_suggested() -> None:
    passages = _passages(("Practice and organisational learning", "paragraph",
                          "Identify each individual learning point arising in this case "
                          "(including highlighting effective practice) accompanied by a brief "
                          "outline of the relevant circumstances."))
    readings = read(passages)
    assert "aim" in readings[0].forms
    assert suggestable(passages, readings, 10**6, True) == [False]


def test_a_checklist_or_contributors_row_is_never_suggested() -> None:
    passages = [Passage(0, 1, "7. Contributors to the review", "table_row",
                        "RISE (specialist domestic abuse service, Cardiff) | Yes | Yes", 0, 60),
                Passage(1, 1, "16. Analysis", "table_row",
                        "The school nurse saw T the same day and referred her | Good practice",
                        61, 130)]
    readings = read(passages)
    assert ["checklist_row" in r.forms for r in readings] == [True, False]
    assert suggestable(passages, readings, 10**6, True) == [False, True]


def test_a_tables_good_practice_column_is_read_on_its_own() -> None:
    """What the written reviews with learning tables found (a Welsh CPR's
    "Learning | What happened | Good practice identified | ..."): a row is
    practice by its good-practice cell, read without the row's other cells;
    a row whose cell names none is never suggested."""
    section = "Learning identified"
    passages = _passages(
        (section, "table_row", "Learning | What happened | Good practice identified"),
        (section, "table_row", "Going missing is a warning sign. | T went missing eleven "
                               "times. | The CSE service met her within 72 hours each time."),
        (section, "table_row", "Education can protect a child. | T was on a part-time "
                               "timetable. | None identified."),
        ("Chronology", "table_row", "Date | Agency | Event"),
        ("Chronology", "table_row", "12/03/2015 | Police | T reported missing"))
    readings = read(passages)
    assert [(r.zone, r.focus) for r in readings[1:3]] == [
        ("practice", "The CSE service met her within 72 hours each time."), ("learning", None)]
    assert suggestable(passages, readings, 10**6, True)[1:3] == [True, False]
    assert readings[4].focus is None and readings[4].zone == "chronology"


def test_the_four_new_layouts_zones() -> None:
    """What the twenty-sixth to twenty-ninth written reviews found: Signs of
    Safety's questions, an adult's own words, a family composition, "Key
    learning point n: <topic>" over its analysis, a bold label ending on a
    full stop, and a chronology's comment cell praising."""
    assert zone_of("Analysis > KLOE 1 > What was working well?") == "practice"
    assert zone_of("Analysis > KLOE 1 > What were we worried about?") == "shortfalls"
    assert zone_of("2. Mr K in his own words and his sister's words") == "method"
    assert zone_of("3. Family composition") == "background"
    assert zone_of("5. Analysis > Key learning point 2: Seeing the whole family") == "learning"
    assert zone_of("Summary of learning") == "lessons"
    section = "Key learning point 1: Pre-birth assessment"
    passages = _passages(
        (section, "paragraph", "Strengths in practice. The midwife completed a full booking."),
        ("Chronology", "table_row", "Date | Agency | Event | Comment"),
        ("Chronology", "table_row", "31/01/2023 | Ambulance | Crew attends | Good practice: "
                                    "crew reported before leaving the house"),
        ("Chronology", "table_row", "02/02/2023 | Police | Visit | Late"))
    readings = read(passages)
    assert readings[0].zone == "practice"
    assert (readings[2].zone, readings[2].focus) == (
        "practice", "Good practice: crew reported before leaving the house")
    assert (readings[3].zone, readings[3].focus) == ("chronology", None)


def test_what_needs_to_change_under_every_theme_is_its_learning() -> None:
    """Repeated under each theme it holds learning statements (read down as
    learning points); once, on its own, it is the recommendations."""
    def theme(n: int) -> tuple[tuple[str, str, str], ...]:
        under = f"Learning > Theme {n} > What needs to change?"
        return ((under, "heading", "What needs to change?"),
                (under, "paragraph", "Practitioners need to know who lives in the home."))

    assert read(_passages(*theme(1), *theme(2)))[1].zone == "lessons"
    assert read(_passages(*theme(1)))[1].zone == "recommendations"


def test_conclusions_a_form_box_and_the_partners_response_are_zoned() -> None:
    """The thirtieth to thirty-third written reviews: a review's conclusions,
    a template form's two-column box, a partnership's commitments, a child's
    own voice, "About Mrs J"."""
    assert zone_of("9. Conclusion") == "conclusions"
    assert zone_of("8. Partnership response") == "recommendations"
    assert zone_of("3. Child R's voice") == "method"
    assert zone_of("2. About Mrs J") == "background"
    passages = _passages(
        ("", "table_row", "Section | Content"),
        ("", "table_row", "Brief outline of circumstances | On the evening of 26 March 2023 "
                          "Child H ran from the family home."),
        ("", "table_row", "Family involvement | H's mother met the reviewers twice."),
        ("", "table_row", "Review reference | CPR2024-W09"))
    assert [r.zone for r in read(passages)] == [None, "chronology", "method", None]


def test_conclusions_and_recommendations_are_read_down_in_a_single_case_review_only() -> None:
    """A thematic report's conclusions are its findings; a single-case
    review's sum up what went wrong in one case."""
    import numpy as np

    from storfa.coding.context import Reading
    from storfa.coding.document_model import p_practice

    readings = [Reading("conclusions", frozenset()), Reading("recommendations", frozenset()),
                Reading("learning", frozenset())]
    p = np.array([0.8, 0.8, 0.8])
    general, single = p_practice(p, readings), p_practice(p, readings, single_case=True)
    assert np.allclose(general, p)
    assert single[0] < single[1] < single[2] == general[2]


def test_numbered_learning_and_findings_a_concession_and_the_childs_story() -> None:
    """What the round-six written reviews found: "6.12 Learning 4: ..." and an
    executive summary's "Finding 2: ..." state learning (furniture); "The
    reviewer accepts that ... But ..." is criticism; "The child's story" and a
    family's tribute are the family's, not the analysis."""
    readings = read(_passages(
        ("6. Learning", "paragraph", "6.12 Learning 4: When a parent says that a relationship "
                                     "has ended, practitioners should check it with others."),
        ("Executive summary", "list_item", "Finding 2: when R was found in Bramford he was "
                                           "treated as a suspect before he was seen as a victim."),
        ("Findings", "paragraph", "Learning from this review was shared widely across the "
                                  "partnership, which was good practice."),
        ("Findings", "paragraph", "The reviewer accepts that schools have few options for a "
                                  "child whose behaviour puts others at risk. But the timetable "
                                  "was not reviewed for five months."),
        ("3. The child's story", "paragraph", "\"The school were good with me at first.\""),
        ("Tribute to Anna from her family", "paragraph", "Anna worked for nine years at the "
                                                         "bakery."),
    ))
    assert [r.furniture for r in readings] == [True, True, False, False, False, False]
    assert "criticism" in readings[3].forms
    assert [r.zone for r in readings[4:]] == ["method", "background"]


def test_an_opening_sentences_plain_verdict_reads_up() -> None:
    # "5.2.1 Ms L's booking ... was thorough." opens with the reviewers' verdict;
    # negated, or a chart's label with its percentages, it is none.
    readings = read(_passages(
        ("5. Analysis", "paragraph", "5.2.1 Ms L's booking on 22 March 2022 was thorough. The "
                                     "midwife saw her alone."),
        ("5. Analysis", "paragraph", "The strategy discussion was not timely. Nobody rang."),
        ("Results", "paragraph", "The decision making was timely, proportionate and well "
                                 "recorded Outstanding Good 7% 66% 17% 10%"),
    ))
    assert ["verdict" in r.forms for r in readings] == [True, False, False]


def test_practice_done_in_time_reads_up_unless_it_was_not() -> None:
    readings = read(_passages(
        ("Analysis", "paragraph", "The MARAC met on 15 September 2022, within nine working days "
                                  "of the referral."),
        ("Analysis", "paragraph", "The child was not seen within the ten working days the "
                                  "procedures require."),
    ))
    assert ["timely" in r.forms for r in readings] == [True, False]


def test_stored_practice_scores_are_renamed_when_a_form_is_read_otherwise(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Practice ranking keeps scores under a name holding this digest: a form's
    # pattern read otherwise must give new scores, as a zone's does.
    import re

    from storfa.coding import context
    from storfa.coding.document_model import priors_digest

    before = priors_digest()
    monkeypatch.setattr(context, "_WITHIN", re.compile(r"\bwithin a day\b"))
    assert priors_digest() != before


def test_findings_with_their_recommendations_are_the_learning() -> None:
    # "7. Findings and recommendations > Finding 1: ...": each finding's analysis
    # with its recommendation inline is the body, as "Findings" alone is.
    assert zone_of("7. Findings and recommendations > Finding 1: Mr D's views were not "
                   "heard") == "learning"
    assert zone_of("7. Findings and recommendations") == "learning"
    assert zone_of("8. Recommendations") == "recommendations"


def test_about_this_review_and_what_a_relative_told_us_are_the_reviews_method() -> None:
    assert zone_of("About this review") == "method"
    assert zone_of("Adult K's daughter told us") == "method"
    assert zone_of("About Adult K") == "background"


def test_a_sentence_of_five_words_is_long_enough_to_code() -> None:
    readings = read(_passages(
        ("What worked well", "list_item", "Adult K's GP saw her at home."),
        ("What worked well", "list_item", "Adult K's GP practice"),
    ))
    reasons = suggestable(_passages(
        ("What worked well", "list_item", "Adult K's GP saw her at home."),
        ("What worked well", "list_item", "Adult K's GP practice"),
    ), readings, 10**9, best_practice=True)
    assert list(reasons) == [True, False]


def test_a_change_made_is_not_read_down_by_its_zone() -> None:
    """Round eight's SAR put an agency's change since under "What could have
    been better": a change made is practice wherever it sits (61 of 61 in the
    written reviews), so its zone's negative prior does not apply; a plain
    passage there is still read down."""
    import numpy as np

    from storfa.coding.context import Reading
    from storfa.coding.document_model import FORM_PRIORS, logit, p_practice

    readings = [Reading("shortfalls", frozenset({"change_made"})),
                Reading("shortfalls", frozenset()), Reading(None, frozenset({"change_made"}))]
    p = np.array([0.3, 0.3, 0.3])
    out = p_practice(p, readings, single_case=True)
    assert out[0] == out[2] > p[0] > out[1]
    assert np.isclose(logit(out[0:1])[0], logit(p[0:1])[0] + FORM_PRIORS["change_made"])


def test_areas_for_improvement_and_a_view_of_what_would_have_been_good_practice() -> None:
    """Round eight's Scottish Learning Review: "Areas for improvement" is what
    could have been better; "The review considers that good practice would
    have been to ..." is suggested good practice, not a signpost."""
    assert zone_of("7. Areas for improvement") == "shortfalls"
    # A heading naming both is not (the Warwickshire thematic review's).
    assert zone_of("4. Summary of strengths and areas for improvement") != "shortfalls"
    (reading,) = read(_passages((
        "5. Findings", "paragraph",
        "The review considers that good practice would have been to set a new date for the "
        "review case conference.")))
    assert "suggested" in reading.forms and not reading.furniture
    (signpost,) = read(_passages((
        "5. Findings", "paragraph", "The analysis considers each agency's involvement in turn.")))
    assert signpost.furniture


def test_work_only_promised_is_no_change_made() -> None:
    # The written GSUSR's "Changes already made" ends on an assurance still to come.
    promised, made = read(_passages(
        ("8. Changes already made", "paragraph", "8.6 The Board's Quality Assurance Sub-group "
         "will seek evidence over the coming year that these changes have made a difference."),
        ("8. Changes already made", "paragraph", "8.2 The health board has introduced a "
         "waiting well process and will audit it in 2026."),
    ))
    assert promised.zone == "changes" and "promise" in promised.forms
    assert "promise" not in made.forms
