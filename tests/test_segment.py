from __future__ import annotations

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.ingest.segment import segment, split_long


def test_passages_know_section_path_page_and_offsets() -> None:
    doc = ExtractedDocument("markdown", [
        ExtractedPage(1, [Block(BlockKind.HEADING, "Outline", 1),
                          Block(BlockKind.PARAGRAPH, "First paragraph.")]),
        ExtractedPage(2, [Block(BlockKind.HEADING, "Learning", 2),
                          Block(BlockKind.PARAGRAPH, "Second paragraph."),
                          Block(BlockKind.HEADING, "Statement", 1),
                          Block(BlockKind.TABLE_ROW, "Name | Date")]),
    ])
    text, passages = segment(doc)
    assert [p.section for p in passages] == [
        "Outline", "Outline", "Outline > Learning", "Outline > Learning", "Statement",
        "Statement"]
    assert [p.page for p in passages] == [1, 1, 2, 2, 2, 2]
    for p in passages:
        assert text[p.start:p.end] == p.text


def test_long_blocks_split_at_sentences_within_limit() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    parts = split_long(text, 500)
    assert all(len(p) <= 500 for p in parts)
    assert " ".join(parts) == text


def test_fast_tokens_agree_with_offset_tokens() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from storfa.search.tokens import iter_tokens, tokens

    @given(st.text(max_size=200) | st.sampled_from(
        ["Gwasanaethau Cymdeithasol ŵyr", "İstanbul ß æ", "x" * 50 + " y", "multi-agency 2019"]))
    def check(text: str) -> None:
        assert tokens(text) == [t for t, _, _ in iter_tokens(text)]

    check()


def test_numbered_headings_of_one_size_nest_by_their_numbers() -> None:
    """A PDF's headings all set alike (one level) still nest where their
    outline numbers say so, and an unnumbered heading closes them."""
    doc = ExtractedDocument("pdf", [ExtractedPage(1, [
        Block(BlockKind.HEADING, "Introduction", 2),
        Block(BlockKind.HEADING, "4. Recommendations for boards", 2),
        Block(BlockKind.HEADING, "4.1. Working towards one health record", 2),
        Block(BlockKind.PARAGRAPH, "Boards should agree one record."),
        Block(BlockKind.HEADING, "4.1.2 Audit", 2),
        Block(BlockKind.PARAGRAPH, "An audit should follow."),
        Block(BlockKind.HEADING, "4.2 Training", 2),
        Block(BlockKind.PARAGRAPH, "Training should be joint."),
        Block(BlockKind.HEADING, "5.1 Appendix", 2),   # no "5." above: as set
        Block(BlockKind.HEADING, "Statement by the reviewer", 2),
        Block(BlockKind.PARAGRAPH, "I confirm."),
    ])])
    sections = {p.text: p.section for p in segment(doc)[1] if p.kind == "paragraph"}
    assert sections == {
        "Boards should agree one record.":
            "4. Recommendations for boards > 4.1. Working towards one health record",
        "An audit should follow.": "4. Recommendations for boards > "
                                   "4.1. Working towards one health record > 4.1.2 Audit",
        "Training should be joint.": "4. Recommendations for boards > 4.2 Training",
        "I confirm.": "Statement by the reviewer"}


def test_levels_the_type_sizes_gave_are_kept() -> None:
    doc = ExtractedDocument("pdf", [ExtractedPage(1, [
        Block(BlockKind.HEADING, "2. Findings", 2),
        Block(BlockKind.HEADING, "2.1 Housing", 4),
        Block(BlockKind.HEADING, "Detail", 3),   # sizes say: above 2.1, under 2.
        Block(BlockKind.PARAGRAPH, "Text."),
    ])])
    assert segment(doc)[1][-1].section == "2. Findings > Detail"
