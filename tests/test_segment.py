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
