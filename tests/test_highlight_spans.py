"""Highlighting's fast paths give the marks of the plain reading.

`Matcher.spans` stems a passage's words in one call and compares a phrase
only where its first word stands; `iter_tokens` folds ASCII text once rather
than word by word. Both are held here to the straightforward reading they
replaced, on generated passages and queries."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from storfa.search.highlight import Matcher, _merge
from storfa.search.query import QuerySyntaxError, parse_query
from storfa.search.tokens import _WORD, MAX_TOKEN_CHARS, fold, iter_tokens, stem

VOCABULARY = ["health", "visitor", "visitors", "visited", "visiting", "Visit", "multi",
              "agency", "Agency", "neglect", "neglected", "the", "school", "nurse", "Ŵyr",
              "café", "2019", "x" * 45]


def plain_tokens(text: str) -> list[tuple[str, int, int]]:
    found = [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [t for t in found if len(t[0]) <= MAX_TOKEN_CHARS]


def plain_spans(matcher: Matcher, text: str) -> list[tuple[int, int]]:
    toks = plain_tokens(text)
    marked = []
    for i, (tok, start, end) in enumerate(toks):
        if tok in matcher.words or stem(tok) in matcher.stems or any(
                tok.startswith(p) for p in matcher.prefixes):
            marked.append((start, end))
        for phrase in matcher.phrases:
            if tuple(t for t, _, _ in toks[i:i + len(phrase)]) == phrase:
                marked.append((start, toks[i + len(phrase) - 1][2]))
    return _merge(marked)


words = st.sampled_from(VOCABULARY)
passages = st.lists(st.tuples(words, st.sampled_from([" ", ", ", "-", "  ", ". "])),
                     max_size=40).map(lambda pairs: "".join(w + sep for w, sep in pairs))
queries = st.one_of(
    words,
    st.tuples(words, words).map(lambda p: f'"{p[0]} {p[1]}"'),
    st.tuples(words, words).map(lambda p: f"{p[0]} OR {p[1]}*"),
    st.tuples(words, words, words).map(lambda p: f'{p[0]} "{p[1]} {p[2]}" NOT school'),
)


@given(st.text(max_size=120) | passages)
def test_tokens_of_ascii_text_are_those_of_folding_each_word(text: str) -> None:
    assert list(iter_tokens(text)) == plain_tokens(text)


@given(passages, queries)
def test_marks_are_those_of_the_plain_reading(text: str, query: str) -> None:
    # A query of words too long to search for ("x" * 45) is refused, not marked.
    try:
        node = parse_query(query).node
    except QuerySyntaxError:
        assume(False)
        raise
    matcher = Matcher.from_node(node)
    assert matcher.spans(text) == plain_spans(matcher, text)


def test_a_phrase_and_a_stem_are_marked() -> None:
    matcher = Matcher.from_node(parse_query('"health visitor" OR neglect').node)
    text = "The Health Visitor saw neglected children."
    assert [text[s:e] for s, e in matcher.spans(text)] == ["Health Visitor", "neglected"]
