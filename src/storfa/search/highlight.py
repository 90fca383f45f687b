"""Find where a query's words occur in a passage: highlights, snippets and
keyword-in-context lines. Engine-independent, so every backend shows the
same marks."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storfa.ingest.language import ENGLISH, WELSH
from storfa.search.query import And, Near, Node, Not, Or, Phrase, Prefix, Term
from storfa.search.tokens import iter_tokens, stem, stems

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
        words = [tok for tok, _, _ in toks]
        # Stemmed in one call, and a phrase compared only where its first
        # word stands: a search page marks twenty passages per request.
        stemmed = stems(words) if self.stems else words
        firsts = {phrase[0] for phrase in self.phrases if phrase}
        marked: list[tuple[int, int]] = []
        for i, (tok, start, end) in enumerate(toks):
            if tok in self.words or stemmed[i] in self.stems or (
                    self.prefixes and tok.startswith(self.prefixes)):
                marked.append((start, end))
            if tok in firsts:
                for phrase in self.phrases:
                    if phrase and phrase[0] == tok and tuple(words[i:i + len(phrase)]) == phrase:
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


# What makes a passage read as a table or a ruled page rather than as text:
# runs of cell separators with the whitespace and rule cells ("|---|:--:|")
# around them, rules of three or more dashes standing alone, and whitespace
# other than single spaces. Words (letters and digits, storfa.search.tokens)
# are never part of a match, so highlights on words can be carried across.
_RULE = r"(?<![^\s|]):?-{3,}:?(?![^\s|])"
# The lookahead lets the scan pass over letters quickly (a third of the time).
_NOISE = re.compile(rf"(?=[\s|:-])(?:(?:\s*(?:\||{_RULE}))+\s*|^\s+|\s+\Z|\s{{2,}}|[^\S ])")
# Most passages need nothing done: told apart at a quarter of a scan's cost.
_ODD_SPACE = re.compile(r"[^\S ]|  ")
CELL_BREAK = " · "


def readable(text: str, spans: Sequence[tuple[int, int]] = ()) -> tuple[
        str, list[tuple[int, int]]]:
    """`text` as a line of prose, with `spans` moved to the same words.

    A passage taken from a table ("| Public Health Wales | Health visitor |")
    reads "Public Health Wales · Health visitor": cell separators become
    CELL_BREAK, rules are dropped and whitespace is folded to single spaces.
    Only snippets and concordance lines are cleaned; a hit's text and its
    highlights keep the passage's own characters and offsets."""
    if not ("|" in text or "---" in text or text[:1] == " " or text[-1:] == " "
            or _ODD_SPACE.search(text)):
        return text, list(spans)
    pieces: list[str] = []
    # Where each stretch of text kept as it is starts, before and after, and
    # its length; what lies between two stretches was replaced.
    old: list[int] = []
    new: list[int] = []
    length: list[int] = []
    pos = size = 0
    for m in _NOISE.finditer(text):
        gap = "" if m.start() == 0 or m.end() == len(text) else (
            CELL_BREAK if "|" in m.group() else " ")
        old.append(pos)
        new.append(size)
        length.append(m.start() - pos)
        pieces += (text[pos:m.start()], gap)
        size += m.start() - pos + len(gap)
        pos = m.end()
    if not old:
        return text, list(spans)
    old.append(pos)
    new.append(size)
    length.append(len(text) - pos)
    pieces.append(text[pos:])

    def moved(i: int) -> int:
        # Inside a kept stretch a position moves with it; inside a replaced
        # run it lands where the replacement starts (never a word's letter).
        k = bisect_right(old, i) - 1
        return new[k] + min(i - old[k], length[k])

    return "".join(pieces), [(moved(s), moved(e)) for s, e in spans]


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """A window of the passage, read as text (`readable`), around its first
    highlight, cut at word boundaries."""
    text, spans = readable(text, spans)
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
        # Nor through a later highlight: a phrase is shown whole or not at all.
        end = next((e for s, e in spans if s < end < e), end)
    # A window cut beside a cell break starts or ends on a word, not on "·".
    first = spans[0][0] if spans else end
    if text.startswith(CELL_BREAK[1:], start) and start + 2 <= first:
        start += 2
    if text.endswith(CELL_BREAK[:-1], start, end) and end - 2 >= (spans[0][1] if spans else 0):
        end -= 2
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + mark(text, spans, start, end) + suffix


def kwic(text: str, spans: list[tuple[int, int]], context: int = KWIC_CONTEXT) -> list[
        tuple[str, str, str]]:
    """(left, keyword, right) concordance lines, one per highlight, read as
    text (`readable`)."""
    flat, spans = readable(text, spans)
    return [(flat[max(0, s - context): s], flat[s:e], flat[e: e + context]) for s, e in spans]
