"""Word and n-gram frequencies of a set of texts (a code's extracts).

Words are the search index's tokens (lower case, diacritics folded), less
one-letter tokens and numbers. An n-gram never runs across sentence or clause
punctuation and neither starts nor ends with a stopword (search.highlight's
English and Welsh list), so "escalation of concerns" is kept and "of the"
is not; a single word is counted only when it is not a stopword."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storfa.search.highlight import STOPWORDS
from storfa.search.tokens import tokens

# Clause breaks: an n-gram never spans one.
_CLAUSE = re.compile(r"[.;:!?,()\[\]{}\"“”–—•\n]+")
MAX_N = 3


@dataclass(frozen=True, slots=True)
class Gram:
    text: str
    count: int  # occurrences
    extracts: int  # texts holding it at least once

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "count": self.count, "extracts": self.extracts}


def _words(clause: str) -> list[str]:
    # One-letter tokens are the halves of "child's" or list letters, not words.
    return [w for w in tokens(clause) if len(w) > 1 and not w.isdigit()]


def grams_of(text: str, n: int) -> list[str]:
    """The n-grams of one text, in order, repeats kept."""
    if n == 1:  # the same words as clause by clause, in one pass (the common case)
        return [w for w in _words(text) if w not in STOPWORDS]
    found: list[str] = []
    for clause in _CLAUSE.split(text):
        words = _words(clause)
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if gram[0] in STOPWORDS or gram[-1] in STOPWORDS:
                continue
            found.append(" ".join(gram))
    return found


def frequencies(texts: Iterable[str], n: int = 1, top: int = 30) -> list[Gram]:
    """The `top` most frequent n-grams (n = 1, 2 or 3) of these texts, most
    frequent first, ties alphabetical."""
    if not 1 <= n <= MAX_N:
        raise ValueError(f"n is 1, 2 or 3 (got {n})")
    count: Counter[str] = Counter()
    holding: Counter[str] = Counter()
    for text in texts:
        grams = grams_of(text, n)
        count.update(grams)
        holding.update(set(grams))
    ranked = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:max(top, 0)]
    return [Gram(g, c, holding[g]) for g, c in ranked]
