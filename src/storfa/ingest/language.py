"""English or Welsh, per passage and per review.

Most passages say which they are through their function words ("the", "was"
against "yr", "mae"), which costs a set lookup per word. Only passages where
those disagree or are too few go to py3langid, whose model is restricted to
the two languages storfa reads (far more reliable on short text than an
open-set guess, and ~100× the cost of the word test)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from storfa.domain.reviews import Passage
from storfa.search.tokens import tokens

LANGUAGES = ("en", "cy")
MIN_CHARS = 25
SAMPLE_CHARS = 600
# Frequent words that are unambiguous between the two languages.
ENGLISH = frozenset(
    [
        "the", "and", "of", "to", "was", "were", "that", "with", "for", "by", "this", "not",
        "had", "has", "have", "been", "from", "which", "their", "his", "her", "she", "he", "they",
        "is", "are", "be", "as", "at", "it", "but", "would", "should", "there", "when", "who"
    ])
WELSH = frozenset(
    [
        "yr", "ac", "yn", "mae", "ei", "bod", "wedi", "gyda", "fel", "ond", "hefyd", "roedd",
        "oedd", "eu", "hyn", "hynny", "ein", "nid", "dros", "rhwng", "neu", "sy", "sydd", "ym",
        "yng", "mewn", "iddo", "iddi", "ydy", "ydyw", "gan", "ar", "am"
    ])


@lru_cache(maxsize=1)
def load_model() -> Any:
    """py3langid's model restricted to English and Welsh (~0.4 s to load: the
    forkserver loads it once for every parse worker, ingest/worker_start.py)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str, default: str = "en") -> str:
    if len(text) < MIN_CHARS:
        return default
    sample = text[:SAMPLE_CHARS]
    words = tokens(sample)
    # Counted in C (a set's membership test over the words), not a loop per word.
    en = sum(map(ENGLISH.__contains__, words))
    cy = sum(map(WELSH.__contains__, words))
    if en >= 3 and en >= 4 * cy:
        return "en"
    if cy >= 3 and cy >= 4 * en:
        return "cy"
    lang, _ = load_model().classify(sample)
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
