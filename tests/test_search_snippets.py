"""Snippets and keyword-in-context lines read as text: a passage taken from a
table shows its cells apart with " · ", rules and runs of whitespace go, and
the marks still fall on the words that matched."""

from __future__ import annotations

import html
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from harness import ALL_ENGINES
from storfa.app import Storfa
from storfa.search.highlight import CELL_BREAK, Matcher, kwic, readable, snippet
from storfa.search.query import parse_query
from storfa.search.tokens import tokens

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def spans_of(query: str, text: str) -> list[tuple[int, int]]:
    return Matcher.from_node(parse_query(query).node).spans(text)


def marked(snip: str) -> list[str]:
    return [html.unescape(m) for m in _MARK.findall(snip)]


def test_a_table_row_reads_as_cells_apart() -> None:
    text = "| 24/03/2012 | Public Health Wales | Health visitor home visit |"
    spans = spans_of("visitor", text)
    assert snippet(text, spans) == (
        "24/03/2012 · Public Health Wales · Health <mark>visitor</mark> home visit")
    assert kwic(text, spans) == [("24/03/2012 · Public Health Wales · Health ", "visitor",
                                  " home visit")]


def test_rules_empty_cells_and_whitespace_go() -> None:
    text = "|---|:---:|\n| Agency |  | Role |\n\n-----\nThe  health\tvisitor  called "
    clean, spans = readable(text, spans_of('"health visitor"', text))
    assert clean == "Agency · Role · The health visitor called"
    assert [clean[s:e] for s, e in spans] == ["health visitor"]


def test_text_without_tables_is_kept_as_it_is() -> None:
    text = "Multi-agency working -- and a 2-3 day delay -- was seen."
    assert readable(text, [(0, 5)]) == (text, [(0, 5)])


def test_a_phrase_across_a_cell_break_is_marked_whole() -> None:
    text = "| Agency | health | visitor | Role |"
    assert marked(snippet(text, spans_of('"health visitor"', text))) == [
        f"health{CELL_BREAK}visitor"]


def test_a_long_table_window_starts_and_ends_on_words() -> None:
    text = "| x " * 80 + "| Public Health Wales | health visitor " + "| y " * 80 + "|"
    snip = snippet(text, spans_of("visitor", text))
    assert "|" not in snip and "<mark>visitor</mark>" in snip
    assert snip.startswith("… x") and snip.endswith("y …")


# The pieces a passage taken from a page or a table is made of.
_PIECES = st.sampled_from([
    "visitor", "visitors", "health", "Public", "Wales", "24/03/2012", "multi-agency", "a-b",
    " ", "  ", "\n", "\t", "|", " | ", "||", "---", ":---:", "|---|", "-", "--", ".", "·",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60), st.integers(min_value=20, max_value=300))
def test_marks_wrap_the_matched_words_and_no_pipe_is_left(pieces: list[str],
                                                         width: int) -> None:
    text = "".join(pieces)
    spans = spans_of('visitor OR "health visitor"', text)
    clean, moved = readable(text, spans)
    # The same words, at their new places.
    assert [tokens(clean[s:e]) for s, e in moved] == [tokens(text[s:e]) for s, e in spans]
    assert "|" not in clean and "  " not in clean and clean == clean.strip()
    assert not re.search(r"[\n\t]|(?<!\S)-{3,}(?!\S)", clean)
    snip = snippet(text, spans, width)
    assert "|" not in snip
    for word in marked(snip):
        assert tokens(word) and set(tokens(word)) <= {"health", "visitor", "visitors"}
        assert tokens(word)[-1] in ("visitor", "visitors")
    lines = kwic(text, spans)
    assert [tokens(word) for _, word, _ in lines] == [tokens(text[s:e]) for s, e in spans]
    assert not any("|" in left + right for left, _, right in lines)


# --------------------------------------------------------- through the service
TABLE_REVIEW = """# Child Practice Review CPR2012-W07

Gwent Safeguarding Children Board — Child Practice Review re: Child L

## Summary timeline

| Date | Agency | Event |
|------|--------|-------|
| 24/03/2012 | Aneurin Bevan University Health Board | Health visitor home visit; Child L seen |
| 19/11/2012 | Public Health Wales | Health visitor home visit; home conditions noted |
"""


@ALL_ENGINES
def test_hits_from_a_table_read_as_text_with_their_words_marked(storfa: Storfa,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "cpr-2012-w07.md"
    path.write_text(TABLE_REVIEW, encoding="utf-8")
    assert [r.status for r in storfa.ingest.ingest([path])] == ["ingested"]
    found = storfa.search.search('"health visitor"', limit=10)
    assert found.total == 2
    for hit in found.hits:
        assert "|" in hit.text  # the passage itself is kept as stored...
        assert "|" not in hit.snippet and CELL_BREAK.strip() in hit.snippet  # ...shown as text
        assert [w.casefold() for w in marked(hit.snippet)] == ["health visitor"]
        # The highlights still point into the passage as stored.
        assert [hit.text[s:e].casefold() for s, e in hit.highlights] == ["health visitor"]
        assert [(w.casefold(), "|" in a + b) for a, w, b in hit.kwic] == [
            ("health visitor", False)]

