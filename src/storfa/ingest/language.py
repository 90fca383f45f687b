"""English or Welsh, per passage and per review.

py3langid's model is restricted to the two languages storfa reads, which
makes short passages far more reliable than an open-set guess."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from storfa.domain.reviews import Passage

LANGUAGES = ("en", "cy")
MIN_CHARS = 25


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str, default: str = "en") -> str:
    if len(text) < MIN_CHARS:
        return default
    lang, _ = _identifier().classify(text)
    return str(lang)


def label_passages(passages: Sequence[Passage], forced: str | None = None) -> str:
    """Set each passage's language and return the review's (by characters)."""
    if forced:
        for p in passages:
            p.language = forced
        return forced
    weight: Counter[str] = Counter()
    for p in passages:
        p.language = detect(p.text, default="")
        if p.language:
            weight[p.language] += len(p.text)
    review = weight.most_common(1)[0][0] if weight else "en"
    for p in passages:
        p.language = p.language or review
    return review
