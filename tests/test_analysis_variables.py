"""Built-in case variables and the lexicon suggester: proposals with their
evidence sentence, negation respected, never confirmed."""

from __future__ import annotations

import pytest

from reviewtext import CPR
from storfa.analysis.variables import (
    builtin_variables,
    detailed_age_band,
    lcspr_age_band,
    suggest,
)
from storfa.domain.reviews import Passage

MISSION_CHILD = [
    "Neglect", "Child sexual exploitation", "Emotional abuse", "Physical abuse", "Sexual abuse",
    "Mental health issues", "Physical/medical issues", "Neurodiversity", "Learning disability",
    "Looked after", "Bullying", "Self-harm", "Suicidal ideation", "Missing episodes",
    "Adverse childhood experiences", "Low self-esteem", "Poor home conditions",
    "Exposure to domestic abuse",
]
MISSION_PARENT = [
    "Mental health issues", "Drug/alcohol misuse", "Criminal history",
    "Adverse childhood experiences", "Domestic abuse in the relationship", "Young parents",
    "Previously looked after",
]


def passages(text: str, page: int = 1) -> list[Passage]:
    result, offset = [], 0
    for seq, paragraph in enumerate(text.split("\n\n")):
        result.append(Passage(seq=seq, page=page, section="", kind="paragraph", text=paragraph,
                              start=offset, end=offset + len(paragraph)))
        offset += len(paragraph) + 2
    return result


def by_variable(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for s in suggest(passages(text)):
        found.setdefault(s.variable, []).append(s.value)
    return found


def test_builtin_lists_cover_mission_md() -> None:
    variables = builtin_variables()
    groups: dict[str, list[str]] = {}
    for v in variables:
        groups.setdefault(v.group, []).append(v.label)
    assert groups["child vulnerabilities"] == MISSION_CHILD
    assert groups["parent/carer risk indicators"] == MISSION_PARENT
    assert len(groups["recommendation categories"]) == 5
    assert len({v.name for v in variables}) == len(variables)
    by_name = {v.name: v for v in variables}
    assert "SUDI" in [c.value for c in by_name["index_incident_type"].categories]
    assert [c.value for c in by_name["age_band_lcspr"].categories] == [
        "under 1", "1-5", "6-10", "11-15", "16+"]
    assert all(v.terms or v.categories for v in variables)


def test_suggestions_carry_evidence_at_the_right_offsets() -> None:
    found = suggest(passages(CPR))
    assert all(s.status == "suggested" for s in found)
    for s in found:
        assert CPR[s.start:s.end] == s.evidence
    names = {s.variable for s in found}
    assert {"child_neglect", "rec_professional_curiosity", "agency_health_visiting"} <= names
    # "There was no evidence of domestic abuse in the household."
    assert "parent_domestic_abuse" not in names and "child_exposure_domestic_abuse" not in names


def test_context_decides_whose_vulnerability_it_is() -> None:
    found = by_variable("The mother had a long history of depression and cannabis use.\n\n"
                        "The young person was referred to CAMHS for anxiety.")
    assert "parent_mental_health" in found and "parent_drug_alcohol_misuse" in found
    assert "child_mental_health" in found
    only_child = by_variable("The girl's anxiety was noted by the school.")
    assert "parent_mental_health" not in only_child


def test_acronyms_match_case_sensitively() -> None:
    assert "child_cse" in by_variable("Concerns about CSE were raised by the police.")
    assert "child_cse" not in by_variable("The case was closed.")
    assert by_variable("She had been reported missing three times.")["child_missing_episodes"]


@pytest.mark.parametrize(("sentence", "detailed", "lcspr"), [
    ("Child A, a baby aged 6 weeks, was admitted.", "0-3 months", "under 1"),
    ("Child B, a 10-month-old boy, was seen.", "10-12 months", "under 1"),
    ("Child C, a girl aged 14 months, was taken to hospital.", "13 months - 2 years", "1-5"),
    ("The child, aged 4 years, attended nursery.", "3-5 years", "1-5"),
    ("The young person was 15 years old.", "13-17 years", "11-15"),
    ("She was a care leaver; the young person was 18 years old.", "18 years", "16+"),
])
def test_age_bands_in_both_schemes(sentence: str, detailed: str, lcspr: str) -> None:
    found = by_variable(sentence)
    assert found["age_band_detailed"] == [detailed] and found["age_band_lcspr"] == [lcspr]


def test_durations_are_not_ages() -> None:
    found = by_variable("Three weeks later the child was seen; 3 months later the case closed.")
    assert "age_band_detailed" not in found


def test_age_scheme_boundaries() -> None:
    assert detailed_age_band(3 / 12) == "0-3 months"
    assert detailed_age_band(4 / 12) == "4-6 months"
    assert detailed_age_band(1.0) == "10-12 months"
    assert detailed_age_band(13 / 12) == "13 months - 2 years"
    assert detailed_age_band(2.99) == "13 months - 2 years"
    assert detailed_age_band(3.0) == "3-5 years"
    assert detailed_age_band(12.5) == "6-12 years"
    assert lcspr_age_band(0.5) == "under 1" and lcspr_age_band(17) == "16+"


def test_one_suggestion_per_value_counts_its_hits() -> None:
    text = "Neglect was noted.\n\nNeglect again.\n\nThe neglect was severe."
    (neglect,) = [s for s in suggest(passages(text)) if s.variable == "child_neglect"]
    assert neglect.hits == 3 and neglect.evidence == "Neglect was noted."
    assert suggest([]) == []
