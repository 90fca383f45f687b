"""English or Welsh, per passage and per review.

Most passages say which they are through their function words ("the", "was"
against "yr", "mae"), which costs a set lookup per word. Only passages where
those disagree or are too few go to py3langid, whose model is restricted to
the two languages storfa reads (far more reliable on short text than an
open-set guess, and ~100× the cost of the word test)."""

from __future__ import annotations

import contextlib
import os
from array import array
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from storfa.config import cache_dir
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
    """py3langid's model restricted to English and Welsh. py3langid ships it
    LZMA-compressed for 142 languages (68 MB unpacked, ~0.5 s to read), which
    every ingest paid at its start before a parse worker could fork (the
    forkserver preloads it: ingest/worker_start.py). So the first load keeps
    the parts the two languages use, uncompressed, in storfa's cache, and
    later loads read those (~0.05 s); a cache that cannot be written or read
    only means the slow load."""
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = MODEL_DIR / MODEL_FILE
    cached = cache_dir() / (f"langid-{py3langid.__version__}-{source.stat().st_size}-"
                            f"{'-'.join(LANGUAGES)}.npz")
    # Whatever stops the copy being read (missing, cut short by a full disk,
    # from another numpy) means the slow load, never a failed ingest.
    with contextlib.suppress(Exception):
        return _read_cached(cached, LanguageIdentifier)
    identifier = LanguageIdentifier.from_model_file(source)
    identifier.set_languages(list(LANGUAGES))
    with contextlib.suppress(OSError):
        _write_cached(identifier, cached)
    return identifier


def _write_cached(identifier: Any, path: Path) -> None:
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with partial.open("wb") as fh:
            np.savez(fh, ptc=identifier.nb_ptc, pc=identifier.nb_pc,
                     classes=np.array(identifier.nb_classes),
                     nextmove=np.frombuffer(identifier.tk_nextmove,
                                            dtype=f"u{identifier.tk_nextmove.itemsize}"),
                     row=np.frombuffer(identifier.tk_row,
                                       dtype=f"u{identifier.tk_row.itemsize}"),
                     output=np.array(identifier.tk_output, dtype=np.int32))
        partial.replace(path)  # whole or not at all, whichever process writes it
    finally:
        partial.unlink(missing_ok=True)  # 40 MB left by a write that failed


def _read_cached(path: Path, identifier_type: Any) -> Any:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        identifier = identifier_type(
            data["ptc"], data["pc"], data["classes"].tolist(), _array(data["nextmove"]),
            data["output"].tolist(), tk_row=_array(data["row"]))
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _array(values: Any) -> array[int]:
    """The stdlib array py3langid's tokeniser indexes (faster than numpy's per item)."""
    out = array({2: "H", 4: "I", 8: "Q"}[values.dtype.itemsize])
    out.frombytes(values.tobytes())
    return out


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
