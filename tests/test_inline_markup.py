"""Markup stays out of passages and section names: Markdown inline marks, HTML page headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storfa.ingest.extractors.text import _md_inline, extract_markdown


@pytest.mark.parametrize(("source", "text"), [
    ("*2.1. Escalation and Referral<sup>17</sup> Process Ambiguity*",
     "2.1. Escalation and Referral Process Ambiguity"),
    ("**2. Structures and Process Barriers**", "2. Structures and Process Barriers"),
    ('one CPR noting *"staff shared a culture"*', 'one CPR noting "staff shared a culture"'),
    ("2 * 3 and snake_case_name", "2 * 3 and snake_case_name"),
    ("Health &amp; social care [guidance](https://example.org)", "Health & social care guidance"),
    ("a footnote[^3] marker", "a footnote marker"),
])
def test_inline_markup_removed(source: str, text: str) -> None:
    assert _md_inline(source) == text


def test_section_names_are_clean() -> None:
    doc = extract_markdown("# Results\n\n## **2. Barriers**\n\nText with _emphasis_ here.\n")
    blocks = [b.text for p in doc.pages for b in p.blocks]
    assert blocks == ["Results", "2. Barriers", "Text with emphasis here."]


@given(st.text(max_size=300))
def test_never_raises_and_never_grows_markup(text: str) -> None:
    out = _md_inline(text)
    assert out.count("**") <= text.count("**")


def test_html_page_header_is_furniture_not_text() -> None:
    from storfa.ingest.extractors.html import extract_html

    doc = extract_html(b"<html><body><header><p>Board - CONFIDENTIAL</p></header><main>"
                       b"<article><header><h1>Review</h1></header><p>Body text.</p></article>"
                       b"</main></body></html>")
    (page,) = doc.pages
    assert [b.text for b in page.blocks] == ["Review", "Body text."]
    assert page.furniture == ["Board - CONFIDENTIAL"]


def test_control_characters_never_reach_passages() -> None:
    from storfa.ingest.clean import normalize_text

    assert normalize_text("a\x00b\x07c\x1bd\ud800e\tf") == "abcde f"
