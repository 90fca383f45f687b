"""Find where a query's words occur in a passage: highlights, snippets and
keyword-in-context lines. Engine-independent, so every backend shows the
same marks."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from storfa.ingest.language import ENGLISH, WELSH
from storfa.search.query import And, Near, Node, Not, Or, Phrase, Prefix, Term
from storfa.search.tokens import iter_tokens, stem

SNIPPET_CHARS = 280
KWIC_CONTEXT = 50
# Words not worth marking in a hit found by meaning: the language detector's
# function words, plus those it leaves out for being shared by English and
# Welsh or too short to tell them apart.
STOPWORDS = ENGLISH | WELSH | frozenset([
    "a", "an", "i", "y", "o", "in", "on", "or", "if", "so", "do", "did", "does", "its", "we",
    "you", "our", "my", "me", "him", "them", "what", "how", "why", "where", "any", "all",
    "into", "than", "then", "about", "can", "could", "will", "may", "being", "also", "no",
])


@dataclass(frozen=True)
class Matcher:
    stems: frozenset[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def from_node(cls, node: Node | None) -> Matcher:
        stems: set[str] = set()
        words: set[str] = set()
        prefixes: list[str] = []
        phrases: list[tuple[str, ...]] = []

        def walk(n: Node) -> None:
            if isinstance(n, Term):
                stems.add(stem(n.token))
                words.add(n.token)
            elif isinstance(n, Prefix):
                prefixes.append(n.token)
            elif isinstance(n, Phrase):
                phrases.append(tuple(n.tokens))
            elif isinstance(n, And | Or | Near):
                for item in n.items:
                    walk(item)
            elif isinstance(n, Not):
                return  # excluded words are not highlighted

        if node is not None:
            walk(node)
        return cls(frozenset(stems), frozenset(words), tuple(prefixes), tuple(phrases))

    def without(self, stopwords: frozenset[str]) -> Matcher:
        """The same marks minus single words in `stopwords`; quoted phrases
        and prefixes are kept whole, since the searcher typed them on purpose."""
        words = self.words - stopwords
        return Matcher(frozenset(stem(w) for w in words), words, self.prefixes, self.phrases)

    def spans(self, text: str) -> list[tuple[int, int]]:
        toks = list(iter_tokens(text))
        marked: list[tuple[int, int]] = []
        for i, (tok, start, end) in enumerate(toks):
            if tok in self.words or stem(tok) in self.stems or any(
                tok.startswith(p) for p in self.prefixes
            ):
                marked.append((start, end))
            for phrase in self.phrases:
                if tuple(t for t, _, _ in toks[i : i + len(phrase)]) == phrase:
                    marked.append((start, toks[i + len(phrase) - 1][2]))
        return _merge(marked)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """HTML-escaped text[start:end] with <mark> around each span."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """A window of the passage around its first highlight, cut at word boundaries."""
    if len(text) <= width:
        return mark(text, spans)
    centre = spans[0][0] if spans else 0
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > (spans[0][1] if spans else start) else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + mark(text, spans, start, end) + suffix


def kwic(text: str, spans: list[tuple[int, int]], context: int = KWIC_CONTEXT) -> list[
        tuple[str, str, str]]:
    """(left, keyword, right) concordance lines, one per highlight."""
    # Same length as text, so the spans' offsets still hold.
    flat = text.replace("\n", " ").replace("\t", " ")
    return [(flat[max(0, s - context): s], flat[s:e], flat[e: e + context]) for s, e in spans]
