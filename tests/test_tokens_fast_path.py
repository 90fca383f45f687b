"""search.tokens.tokens reads ASCII text by translating and splitting, not
with _WORD's findall: the two must find the same words."""

from __future__ import annotations

import itertools
import random

from storfa.search.tokens import _WORD, MAX_TOKEN_CHARS, tokens


def _by_findall(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return [w for w in words if len(w) <= MAX_TOKEN_CHARS]


def test_every_pair_of_ascii_characters() -> None:
    chars = [chr(i) for i in range(128)]
    for a, b in itertools.product(chars, repeat=2):
        assert tokens(a + b) == _by_findall(a + b), repr(a + b)


def test_random_ascii_text() -> None:
    rng = random.Random(7)
    alphabet = [chr(i) for i in range(128)] + ["a", "e", " ", "Z", "9"] * 8
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert tokens(text) == _by_findall(text), repr(text)
