"""Dates as reports write them, read day-first."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storfa.ingest.metadata.date_roles import date_roles
from storfa.ingest.metadata.dates import find_dates, parse_date, spellings

D = dt.date


def _roles(sentence: str, section: str = "Introduction") -> list[list[str]]:
    """Each date's candidate roles in `sentence`, best first."""
    return [[r.role for r in ranked]
            for ranked in date_roles(sentence, find_dates(sentence), section)]

SPELLINGS: list[tuple[str, dt.date | None, str]] = [
    # text, date, precision
    ("14th March 2019", D(2019, 3, 14), "day"),
    ("2 May 2019", D(2019, 5, 2), "day"),
    ("the 29th of October 2020", D(2020, 10, 29), "day"),
    ("29th of October, 2020", D(2020, 10, 29), "day"),
    ("11/01/2021", D(2021, 1, 11), "day"),
    ("30/06/2020", D(2020, 6, 30), "day"),
    ("1/6/2020", D(2020, 6, 1), "day"),
    ("11/01/21", D(2021, 1, 11), "day"),
    ("3.4.2020", D(2020, 4, 3), "day"),
    ("03.04.2020", D(2020, 4, 3), "day"),
    ("22.09.2022", D(2022, 9, 22), "day"),
    ("11-01-2021", D(2021, 1, 11), "day"),
    ("March 3rd, 2019", D(2019, 3, 3), "day"),
    ("March 3 2019", D(2019, 3, 3), "day"),
    ("March 3, 2019", D(2019, 3, 3), "day"),
    ("1st June 2021", D(2021, 6, 1), "day"),
    ("Sept 2019", D(2019, 9, 1), "month"),
    ("September 2019", D(2019, 9, 1), "month"),
    ("Sept. 2019", D(2019, 9, 1), "month"),
    ("in June, 2019", D(2019, 6, 1), "month"),
    ("Jan 2020", D(2020, 1, 1), "month"),
    ("3 Jan 2020", D(2020, 1, 3), "day"),
    ("3 Sept. 2020", D(2020, 9, 3), "day"),
    ("14-Mar-2019", D(2019, 3, 14), "day"),
    ("2019-06-30", D(2019, 6, 30), "day"),
    ("22nd April 2025", D(2025, 4, 22), "day"),
    ("23rd April 2025", D(2025, 4, 23), "day"),
    ("1th August 2025", D(2025, 8, 1), "day"),  # ordinal typo
    ("2st August 2025", D(2025, 8, 2), "day"),  # ordinal typo
    ("14 MARCH 2019", D(2019, 3, 14), "day"),
    ("14 march 2019", D(2019, 3, 14), "day"),
    ("14th March2019", D(2019, 3, 14), "day"),  # lost space
    ("On 14th March 2019, Child T was taken", D(2019, 3, 14), "day"),
    ("signed off on 11/01/2021.", D(2021, 1, 11), "day"),
    # Welsh
    ("14 Mawrth 2019", D(2019, 3, 14), "day"),
    ("14eg Mawrth 2019", D(2019, 3, 14), "day"),
    ("1af Ionawr 2020", D(2020, 1, 1), "day"),
    ("2il Chwefror 2020", D(2020, 2, 2), "day"),
    ("3ydd Ebrill 2020", D(2020, 4, 3), "day"),
    ("5ed Mai 2020", D(2020, 5, 5), "day"),
    ("21ain o Fehefin 2020", D(2020, 6, 21), "day"),  # soft mutation after "o"
    ("7fed Gorffennaf 2020", D(2020, 7, 7), "day"),
    ("8 Awst 2020", D(2020, 8, 8), "day"),
    ("9 Medi 2020", D(2020, 9, 9), "day"),
    ("10fed Hydref 2020", D(2020, 10, 10), "day"),
    ("11eg Tachwedd 2020", D(2020, 11, 11), "day"),
    ("12fed Rhagfyr 2020", D(2020, 12, 12), "day"),
    ("Medi 2019", D(2019, 9, 1), "month"),
    # Not dates, or impossible ones
    ("31/02/2020", None, ""),
    ("31 February 2020", None, ""),
    ("30.02.2021", None, ""),
    ("06/30/2020", None, ""),  # US month-first: month 30 does not exist
    ("paragraph 3.4.12", None, ""),
    ("2019", None, ""),
    ("the year 2019-20", None, ""),
    ("CPR2024-W11", None, ""),
    ("SUSR2024-06/CTM", None, ""),
    ("", None, ""),
]


@pytest.mark.parametrize(("text", "expected", "precision"), SPELLINGS)
def test_spellings(text: str, expected: dt.date | None, precision: str) -> None:
    assert parse_date(text) == expected
    found = find_dates(text)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].precision == precision
        assert text[found[0].start : found[0].end] == found[0].raw


def test_several_dates_in_a_sentence_in_order() -> None:
    text = "The review covers the period between 1 January 2018 and 14/03/2019, and June 2019."
    found = find_dates(text)
    assert [f.date for f in found] == [D(2018, 1, 1), D(2019, 3, 14), D(2019, 6, 1)]
    assert [f.raw for f in found] == ["1 January 2018", "14/03/2019", "June 2019"]


@given(st.text())
def test_never_raises(text: str) -> None:
    for found in find_dates(text):
        assert text[found.start : found.end] == found.raw
    parse_date(text)


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2099, 12, 31)))
def test_every_spelling_parses_back(value: dt.date) -> None:
    for text in spellings(value):
        assert parse_date(text) == value, text
        assert parse_date(f"On {text}, the child was seen.") == value, text


def test_date_roles_read_the_section_and_what_a_referral_is_to() -> None:
    def top_roles(sentence: str, section: str = "") -> list[str | None]:
        ranked = date_roles(sentence, find_dates(sentence), section)
        return [r[0].role if r else None for r in ranked]

    # A range in the terms of reference is the review's period, cue or none.
    scope = "The review considered agencies' contact from 1 September 2023 to 21 September 2024."
    assert top_roles(scope, "2.0 Terms of reference") == ["period_start", "period_end"]
    # A referral to the review's group starts the review; a family's referral does not.
    assert top_roles("The case was referred to the review sub-group on 3 May 2024.") == ["referral"]
    assert "referral" not in top_roles("Children's Services received the MARAC referral in "
                                   "March 2024.")
    # A recommendations table's dates are targets.
    assert top_roles("Record any referral made. | December 2025",
                 "6.0 Recommendations > Single agency recommendations") == [None]


@pytest.mark.parametrize(("text", "expected"), [
    # A day that shares the year, and perhaps the month, of the date after it.
    ("Two learning events were held, on 10 June and 1 July 2025.",
     [D(2025, 6, 10), D(2025, 7, 1)]),
    ("between 3 and 5 March 2024", [D(2024, 3, 3), D(2024, 3, 5)]),
    ("rhwng 3 a 5 Mawrth 2024", [D(2024, 3, 3), D(2024, 3, 5)]),
    # A lone number is a day only where it opens a range.
    ("paragraphs 3 and 5 March 2024", [D(2024, 3, 5)]),
    ("12 May 2023, 10 June and 1 July 2025", [D(2023, 5, 12), D(2025, 6, 10), D(2025, 7, 1)]),
    ("On 5 May 2023 and 7 May and 9 May 2023", [D(2023, 5, 5), D(2023, 5, 7), D(2023, 5, 9)]),
    # Not a day after the date it would share a year with.
    ("on 30 June and 1 June 2025", [D(2025, 6, 1)]),
])
def test_a_day_shares_the_year_of_the_date_after_it(text: str, expected: list[D]) -> None:
    found = find_dates(text)
    assert [f.date for f in found] == expected
    for f in found:
        assert text[f.start:f.end] == f.raw


def test_a_decision_to_review_is_no_sign_off_and_an_ambulance_is_an_incident() -> None:
    """What the eighth and ninth written reviews found."""

    decided = ("It agreed on 20 February 2025 that the criteria for a mandatory review were met, "
               "and the Board's independent chair endorsed that decision.")
    assert "sign_off" not in _roles(decided)[0]
    assert "sign_off" in _roles("The report was endorsed by the Board on 18 November 2025.")[0]
    taken = ("Child K was seven months old when she was taken by ambulance to Glangwili "
             "General Hospital, Carmarthen, on the evening of 4 August 2025.")
    assert _roles(taken)[0][:1] == ["index_incident"]


def test_the_news_of_a_death_and_the_killing_itself() -> None:
    """What the fourteenth to seventeenth written reviews found (an MHHR, a
    SUSR of a domestic homicide, a 7 Minute Briefing)."""

    # The perpetrator the subject: still the incident.
    assert _roles("Mr Y was 34 years old when he killed his father on 14 February 2018.")[0][
        :1] == ["index_incident"]
    # The day the board heard of the death is not the death's.
    news = "South Wales Police notified the Board of Ms R's death on 12 November 2024."
    assert "index_incident" not in _roles(news)[0]
    assert _roles("The report was finalised on 30 August 2019.")[0][:1] == ["sign_off"]
    # An improvement plan's dates are targets, as a recommendations table's are.
    assert _roles("Checklist signed by the receiving team | January 2020",
                 "Appendix A: Improvement plan") == [[]]
    assert _roles("The review looked at agencies' contact with Mrs F from 1 April 2022 to 19 "
                 "January 2023.") == [["period_start"], ["period_end"]]


def test_a_statements_date_and_a_period_to_a_death() -> None:
    """What the twentieth to twenty-second written reviews found."""

    # A date under the reviewers' statement, with no cue, is its sign-off ...
    assert _roles("Date: 19/11/2025", "Statement by Reviewer(s)") == [["sign_off"]]
    assert _roles("Date: 19/11/2025", "Introduction") == [[]]
    # ... and outranks the board's approval told elsewhere: the sign-off is
    # the reviewers' (MISSION.md), the board's approval only where they date
    # nothing (three written reviews: a cover's "Report approved by the Board"
    # or "Endorsed by the Board" date is not the reviewers' sign-off).
    approved = date_roles(s := "The review was approved by the North Wales Safeguarding "
                               "Board on 15-11-2021.", find_dates(s), "Introduction")[0][0]
    signed = date_roles("Date: 30/09/2021", find_dates("Date: 30/09/2021"),
                        "Statement by reviewer")[0][0]
    assert approved.role == signed.role == "sign_off" and approved.score < signed.score
    # (The death is the period's end and the incident both.)
    assert [set(r) for r in _roles(
        "The review covers the period from 1 March 2021, when her GP first recorded her "
        "pregnancy, to her death on 14 October 2023.")] == [
        {"period_start", "index_incident"}, {"period_end", "index_incident"}]
    assert _roles("The review considered the involvement of agencies with Mr G from 1 "
                 "February 2022 to 9 February 2023.") == [["period_start"], ["period_end"]]


def test_the_courts_day_agreement_by_the_partners_and_a_welsh_scald() -> None:
    """What the thirtieth to thirty-third written reviews found."""

    # A plea, a conviction or a charge is the court's day, not the harm's ...
    assert _roles("He was later charged with assault, and in October 2023 he pleaded guilty "
                 "to both.") == [[]]
    assert _roles("He was convicted on 5 May 2024 of her murder.") == [[]]
    # ... but the harm told with its later conviction is still the incident.
    assert _roles("Ms A was killed on 3 March 2023 by her partner, who was later convicted of "
                 "her murder.")[0][:1] == ["index_incident"]
    assert _roles("Final report agreed by the safeguarding partners: 9 September 2025") == [
        ["sign_off"]]
    assert _roles("Ar noson 17 Hydref 2023 cafodd T ei sgaldio gan ddŵr berwedig.")[0][:1] == [
        "index_incident"]


def test_a_panels_agreement_and_a_covers_final_report() -> None:
    """What the round-six written reviews found: a DHR panel's agreement told
    with 'It', and a cover's 'Final report:' line, are the sign-off; the Welsh
    template's 'Date of final report' stays the publication's."""

    assert _roles("The Review Panel met six times. It agreed the overview report on 24 June "
                 "2024.")[0][:1] == ["sign_off"]
    assert _roles("Final report: 12 January 2024") == [["sign_off"]]
    assert _roles("Agreed by the SAB: 7 November 2024") == [["sign_off"]]
    assert "sign_off" not in _roles("Date of final report: 26 April 2016")[0]


def test_a_referral_is_the_reviews_not_a_practitioners_notification() -> None:
    """A GP practice's 'MARAC notification' is no referral for review; a
    referral told after 'on the same day' is the earlier date's."""
    def roles(sentence: str) -> list[list[str]]:
        return _roles(sentence, "Analysis")

    assert roles("The practice received the MARAC notification on 16 September 2022.") == [[]]
    assert roles("Northshire Police notified the Safer Northshire Partnership of Anna's death "
                 "on 21 June 2023.")[0][:1] == ["referral"]
    same_day = ("On 20 February 2023 the council notified the national Panel of the serious "
                "incident, and on the same day the case was referred to the Partnership's Case "
                "Review Subgroup.")
    (ranked,) = date_roles(same_day, find_dates(same_day), "Analysis")
    assert ranked[0].role == "referral" and ranked[0].score > 2.5  # as if told before it


def test_a_preliminary_reviews_completion_a_999_call_and_a_period_to_a_named_death() -> None:
    """What the round-eight written reviews found: a Scottish Initial Case
    Review's completion is neither the referral nor the sign-off; the
    referral names whose case was referred; a 999 call is the incident; a
    period may end on "Claire's death"."""
    done = "The Initial Case Review was completed by the APC's Learning Review Sub-group on " \
           "19 April 2023."
    assert _roles(done) == [[]]
    assert _roles("Police Scotland referred Mr D's case to the APC for an Initial Case Review "
                  "on 22/03/2023.")[0][:1] == ["referral"]
    assert _roles("1.2 On the evening of 19 August 2024 O's father called 999 to say that O "
                  "had gone floppy.")[0][:1] == ["index_incident"]
    assert [set(r) for r in _roles("The review considered agency involvement from 1 January "
                                   "2022 to Claire's death on 14 November 2023.")] == [
        {"period_start", "index_incident"}, {"period_end", "index_incident"}]


def test_a_bodys_sign_off_ranks_under_the_reviewers_and_approval_for_publication() -> None:
    """What round ten of the written reviews found (with four earlier ones:
    a cover's "Date of sign-off by the Board" over the reviewers' dated
    statement)."""

    def best(sentence: str, section: str) -> float:
        ranked = date_roles(sentence, find_dates(sentence), section)[0]
        return next(r.score for r in ranked if r.role == "sign_off")

    by_board = best("Date of sign-off by the Board: 14 March 2024", "Cover")
    by_partners = best("Report signed off by the Eastmere safeguarding partners: 5 February "
                       "2025", "Cover")
    reviewers = best("Dr Helen Ashworth, Independent Reviewer, 14 May 2025",
                     "8. Statement of the independent reviewer")
    panel = best("The review panel agreed the final report on 9 January 2025.", "Method")
    assert max(by_board, by_partners) < min(reviewers, panel)
    # The panel's agreement told beside the partners' sign-off (the written DEAR's 2.6).
    both = ("2.6 The report was agreed by the review panel on 23 April 2025 and signed off by "
            "the Harbridge safeguarding partners on 14 May 2025.")
    first, second = date_roles(both, find_dates(both), "2. The review")
    assert first[0].role == second[0].role == "sign_off" and first[0].score > second[0].score
    # Alone, the board's sign-off is still one.
    assert _roles("This report was signed off by the Cardiff and Vale Regional Safeguarding "
                  "Board on 13 November 2023.")[0][:1] == ["sign_off"]
    # Agreeing the report for publication is the publication's date.
    assert _roles("The Board agreed the report for publication on 20 April 2024.")[0][
        :1] == ["publication"]
    assert "sign_off" not in _roles("The Board approved the report for publication on 20 "
                                    "April 2024.")[0]


def test_a_range_under_a_heading_that_answers_the_terms_of_reference_is_no_period() -> None:
    answering = "5. Findings: the terms of reference questions > Question 3: Was he seen?"
    sentence = "Between December 2022 and March 2023 he was not seen at home."
    assert not {"period_start", "period_end"} & {
        role for roles in _roles(sentence, answering) for role in roles}
    assert _roles("The review covers 1 March 2022 to 14 January 2024.",
                  "2. Terms of reference")[1][:1] == ["period_end"]


def test_a_cited_reviews_identifier_and_dates_are_not_this_reviews() -> None:
    """The written FNAPR: a review citing others in its text and footnotes."""
    # "APR2019" is an identifier's type and year, not April 2019.
    cited = "North Wales Safeguarding Board, Adult Practice Review APR2019-W02, published 14 " \
            "August 2019: the death of a man with epilepsy."
    assert [f.raw for f in find_dates(cited)] == ["14 August 2019"]
    assert [f.raw for f in find_dates("Sept.2019 and MAR2020")] == ["Sept.2019"]
    # Its publication is the cited review's, in the text or in the references.
    assert _roles(cited, "2. Practice and organisational learning") == [[]]
    assert _roles("Welsh Government (2016), published 3 May 2016.", "References") == [[]]
    assert _roles("Published: 17 November 2025", "Cover") == [["publication"]]


def test_a_groups_meeting_is_no_referral_and_a_long_aside_in_a_period() -> None:
    """The written GSUSR: the referral and the meeting that considered it in
    one paragraph; a period whose start is explained before its end."""
    assert "referral" not in _roles("The Case Review Group met on 28 November 2024 and "
                                    "recommended a review.")[0]
    assert _roles("The Case Review Group considered the referral on 9 May 2023.")[0][
        :1] == ["referral"]
    period = ("The review considered agencies' contact with Ffion and her family from 1 "
              "September 2023, when Ffion began Year 10 and her school first recorded concerns "
              "about her friendships, to her death on 3 November 2024.")
    assert [r[:1] for r in _roles(period, "3. Terms of reference")] == [
        ["period_start"], ["period_end"]]


def test_a_numbered_paragraph_opening_on_its_date_and_a_person_referred_for_care() -> None:
    """The written GSUSR: its referral, told in a numbered paragraph that opens
    on the date, outranks the police's notification to the business unit; the
    GP's referral of the girl to a wellbeing panel is no review's referral."""
    referred = ("2.3 On 14 November 2024 Caerphilly County Borough Council Children's "
                "Services referred Ffion's death to the Board's Case Review Group.")
    notified = "2.2 Gwent Police notified the Board's business unit of Ffion's death on 5 " \
               "November 2024."

    def referral(sentence: str) -> float:
        ranked = date_roles(sentence, find_dates(sentence), "2. Circumstances")[0]
        return next((r.score for r in ranked if r.role == "referral"), 0.0)

    assert referral(referred) > referral(notified)
    assert referral(referred) == referral(referred.removeprefix("2.3 "))
    gp = ("6.5 On 12 January 2024 Ffion's mother took her to the GP, who referred her to the "
          "SPACE-Wellbeing panel.")
    assert referral(gp) < referral(referred)
