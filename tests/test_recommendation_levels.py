"""A recommendation's level where its text states none: the sub-heading it
sits under, else what its addressees are (round ten of the written reviews,
and the NICMR's sub-headings)."""

from __future__ import annotations

import pytest

from storfa.domain.reviews import Passage
from storfa.recommendations.extract import agencies_of, extract
from storfa.recommendations.levels import addressed_level, heading_level


@pytest.mark.parametrize("agencies,level", [
    (["Welsh Government"], "national"),
    (["Home Office"], "national"),
    (["Department for Education", "Department of Health and Social Care"], "national"),
    (["North Wales Safeguarding Board"], "regional"),
    (["CVRSB"], "regional"),
    (["Bwrdd Diogelu Gogledd Cymru"], "regional"),
    (["safeguarding partnership"], "local"),
    (["Eastmere Safeguarding Children Partnership"], "local"),
    # A police force or a health board names the board's region, but its
    # recommendation may be local or regional: unset.
    (["Gwent Police"], None),
    (["Cardiff and Vale University Health Board"], None),
    (["Kestonbridge Safeguarding Adults Board"], None),
    (["Welsh Government", "Gwent Police"], None),
    ([], None),
])
def test_the_level_the_addressees_share(agencies: list[str], level: str | None) -> None:
    assert addressed_level(agencies) == level


@pytest.mark.parametrize("section,level", [
    ("11. Recommendations > Regional Recommendations", "regional"),
    ("Recommendations > Local recommendations", "local"),
    ("Argymhellion > Argymhellion cenedlaethol", "national"),
    ("Recommendations for a national level", "national"),
    ("National context", None),
    ("Recommendations at a national level", "national"),
    ("Recommendations", None),
    ("Local context", None),
])
def test_the_level_a_sub_heading_names(section: str, level: str | None) -> None:
    assert heading_level(section) == level


def test_a_kind_inside_a_bodys_name_is_no_second_addressee() -> None:
    assert agencies_of("The Department for Education should publish guidance.") == [
        "Department for Education"]
    assert agencies_of("Schools should review their policies.") == ["education"]


def _passages(rows: list[tuple[str, str, str]]) -> list[Passage]:
    return [Passage(i, 1, section, kind, text, i * 100, i * 100 + len(text), id=i + 1)
            for i, (section, kind, text) in enumerate(rows)]


def test_a_stated_level_outranks_the_heading_and_the_heading_the_addressees() -> None:
    regional = "Recommendations > Regional Recommendations"
    found = extract(_passages([
        ("Recommendations", "heading", "Recommendations"),
        (regional, "heading", "Regional Recommendations"),
        (regional, "list_item", "Welsh Government should review the guidance."),
        (regional, "list_item", "Gwent Police should audit referrals. This is a local "
                                "recommendation."),
        ("Recommendations > Other", "heading", "Other"),
        ("Recommendations > Other", "list_item", "Welsh Government should fund advocacy."),
        ("Recommendations > Other", "list_item", "Gwent Police should train its officers."),
    ]))
    assert [(f.text[:20], f.level) for f in found] == [
        ("Welsh Government sho", "regional"), ("Gwent Police should ", "local"),
        ("Welsh Government sho", "national"), ("Gwent Police should ", None)]
