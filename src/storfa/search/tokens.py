"""Text analysis shared by indexing, querying and highlighting.

Every engine sees the same tokens: lower-cased, accents folded (so `ŵ`
matches `w`), split on anything that is not a letter or digit. English
passages are also stemmed (Snowball English); Welsh ones are not, because
an English stemmer mangles Welsh words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

MAX_TOKEN_CHARS = 40
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# _WORD's words in lower-cased ASCII text, as a table for str.translate:
# letters and digits kept, every other character a space. All 128 are in it:
# a character missing from a translate table costs a raised KeyError.
_ASCII_WORD_CHARS = {i: i if chr(i).isalnum() else ord(" ") for i in range(128)}
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case and strip diacritics from one word."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    # Lower-case again: compatibility forms like "ᴬ" decompose to capitals,
    # and folding must be a fixed point so a folded token folds to itself.
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def iter_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (folded token, start, end) with offsets into `text`."""
    if text.isascii():
        # Folding ASCII is lower-casing, which keeps every offset: fold the
        # text once rather than each word (highlighting runs this per hit).
        for match in _WORD.finditer(text.lower()):
            if match.end() - match.start() <= MAX_TOKEN_CHARS:
                yield match.group(), match.start(), match.end()
        return
    for match in _WORD.finditer(text):
        token = fold(match.group())
        if len(token) <= MAX_TOKEN_CHARS:
            yield token, match.start(), match.end()


def tokens(text: str) -> list[str]:
    """The folded tokens of `text`, as iter_tokens gives them, without offsets.

    The hot path of indexing: C-level splitting, folding only non-ASCII text
    (in ASCII text, translating and splitting finds _WORD's words in ~60 % of
    findall's time)."""
    if text.isascii():
        words = text.lower().translate(_ASCII_WORD_CHARS).split()
    else:
        words = [fold(w) for w in _WORD.findall(text)]
    if words and max(map(len, words)) > MAX_TOKEN_CHARS:  # C-level, unlike any(genexpr)
        words = [w for w in words if len(w) <= MAX_TOKEN_CHARS]
    return words


def stem(token: str) -> str:
    return str(_stemmer.stemWord(token))


def stems(words: list[str]) -> list[str]:
    out: list[str] = _stemmer.stemWords(words)  # already a new list of str
    return out
