"""The built-in codebooks: structure, lookup, term rules that parse."""

from __future__ import annotations

import pytest

from storfa.coding import UnknownCode, UnknownCodebook, builtin_codebooks, load_codebook
from storfa.coding.terms import Analysed, TermRule
from storfa.search.query import parse_query

THEMES = ["Care and Support", "Communication", "Risk and Escalation",
          "Policy, Procedures and Recording", "Learning and Reflections"]
SUB_THEMES = {
    "Care and Support": ["Consistent care and support", "Persistency in care and support",
                         "Positive working relationships",
                         "Support and training for practitioners"],
    "Communication": ["Effective communication", "Consistent and persistent communication",
                      "Multi-agency working"],
    "Risk and Escalation": ["Risk assessment", "Escalating concerns"],
    "Policy, Procedures and Recording": ["Adhering to policy and procedure", "Record keeping"],
    "Learning and Reflections": ["Learning from past reviews", "Suggested good practice"],
}


def test_builtins_load() -> None:
    assert {"best-practice", "cpr-learning"} <= set(builtin_codebooks())
    for name in builtin_codebooks():
        book = load_codebook(name)
        assert book.name == name and book.themes and book.description
        for code in book:
            assert code.description and code.colour.startswith("#")


def test_best_practice_has_exactly_the_five_themes_and_thirteen_sub_themes() -> None:
    book = load_codebook("best-practice")
    assert [t.name for t in book.themes] == THEMES
    assert len(book.leaves) == 13 and len(book) == 18
    for theme, subs in SUB_THEMES.items():
        assert [c.name for c in book.children(theme)] == subs
        for sub in subs:
            assert book.theme(sub).name == theme
            assert book.parent(sub) == book.code(theme)
            assert book.code(sub).best_practice
    assert book.parent("Communication") is None


def test_lookup_ignores_case_and_spacing() -> None:
    book = load_codebook("  BEST-practice ")
    assert book.code("record KEEPING").name == "Record keeping"
    assert book.code(" risk  and escalation ").is_theme
    assert "multi-agency working" in book and "Nonsense" not in book
    with pytest.raises(UnknownCode, match="no code 'Nonsense'"):
        book.code("Nonsense")


def test_unknown_codebook_lists_the_known_ones() -> None:
    with pytest.raises(UnknownCodebook) as info:
        load_codebook("best-practise")
    assert "best-practise" in str(info.value)
    assert "best-practice" in str(info.value) and "cpr-learning" in str(info.value)


def test_cpr_learning_has_the_four_learning_themes() -> None:
    book = load_codebook("cpr-learning")
    assert [t.name for t in book.themes] == [
        "Practitioner and agency challenges", "Structures and process barriers",
        "Wider influences", "Identified good practice"]
    assert [c.name for c in book if c.best_practice] == ["Identified good practice"]


@pytest.mark.parametrize("name", ["best-practice", "cpr-learning"])
def test_every_term_rule_is_a_valid_query(name: str) -> None:
    book = load_codebook(name)
    for term in [*book.terms, *(t for code in book for t in code.terms)]:
        assert parse_query(term).node is not None, term


def test_the_best_practice_term_list_is_the_analysis_one() -> None:
    assert len(load_codebook("best-practice").terms) == 26


@pytest.mark.parametrize(("query", "text", "hit"), [
    ('"kept on trying"', "She kept on trying to visit.", True),
    ("escalat*", "Concerns were escalated to a manager.", True),
    ("escalation", "She escalated the concern.", True),  # stemmed
    ("co-operation", "Good co-operation between forces.", True),
    ("persisten*", "The worker was persistent.", True),
    ('"good practice"', "This was practice that was good.", False),
    ("school NOT attendance", "The school monitored attendance.", False),
    ("worker NEAR/2 visited", "The worker then visited.", True),
    ("worker NEAR/0 visited", "The worker then visited.", False),
])
def test_term_rules_match_one_passage(query: str, text: str, hit: bool) -> None:
    assert TermRule.parse(query).matches(Analysed.of(text)) is hit
