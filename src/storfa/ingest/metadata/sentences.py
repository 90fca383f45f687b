"""Splitting a passage into sentences, keeping character offsets."""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    (
        "mr", "mrs", "ms", "dr", "st", "no", "nos", "para", "paras", "e.g", "i.e", "etc",
        "cf", "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "ref", "vol", "pp", "p",
    )
)  # fmt: skip
# A full stop (or ! ? ;) before a capital, or a line break not followed by a
# lower-case word (a wrapped line continues in lower case). Every boundary
# starts at a space, a line break or a closing quote or bracket: the first
# look-ahead passes over the letters between at a fraction of trying each
# alternative's look-behind at every one.
_BOUNDARY_RE = re.compile(
    r"(?=[\s\"'”’)])(?:"
    r"(?<=[.!?;])[\"'”’)]*+\s++(?=[\"'“‘(]?[A-Z])"
    r"|(?<![ \t])[ \t]*+\n\s*+\n\s*+|(?<![ \t])[ \t]*+\n\s*+(?![a-z])"
    r")"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, leading and trailing spaces trimmed.

    Semicolons end a clause as well, so a date stays with the words of its clause.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if "\n" not in match.group(0):
            before = text[start : match.start()]
            last_word = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.strip() else ""
            if last_word in _ABBREVIATIONS:
                continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            trimmed.append((s, e))
    return trimmed


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence holding `offset`."""
    for start, end in split_sentences(text):
        if start <= offset < end:
            return start, end
    return 0, len(text)
