"""Review types and CPR/APR variants named in running text."""

from __future__ import annotations

import re

# Phrase -> ReviewType value. Longer phrases first so "Child Safeguarding Practice
# Review" is CSPR, not part of a CPR. A Domestic Abuse Related Death Review is the
# renamed Domestic Homicide Review (ReviewType has no DARDR member).
_TYPE_PHRASES: tuple[tuple[str, str], ...] = (
    (r"child\s+safeguarding\s+practice\s+reviews?", "CSPR"),
    (r"(?:concise\s+|extended\s+)?child\s+practice\s+reviews?", "CPR"),
    (r"(?:concise\s+|extended\s+)?adult\s+practice\s+reviews?", "APR"),
    (r"domestic\s+homicide\s+reviews?", "DHR"),
    (r"domestic\s+abuse[\s-]+related\s+death\s+reviews?", "DHR"),
    (r"mental\s+health\s+homicide\s+reviews?", "MHHR"),
    (r"offensive\s+weapons?\s+homicide\s+reviews?", "OWHR"),
    (r"single\s+unified\s+safeguarding\s+reviews?", "SUSR"),
    (r"safeguarding\s+adults?\s+reviews?", "SAR"),
    (r"serious\s+case\s+reviews?", "SCR"),
    (r"case\s+management\s+reviews?", "CMR"),
    # Scotland's, which replaced its Significant Case Reviews in 2021.
    (r"learning\s+reviews?", "LR"),
    # "Thematic Safeguarding Adults Review" is one report about several people,
    # not a SAR: the match starts at "Thematic", before the type it names.
    (r"thematic\s+(?:[\w-]+\s+){0,3}?(?:reviews?|analysis|report)|overview\s+report",
     "thematic"),
    # Welsh
    (r"adolygiad(?:au)?\s+ymarfer\s+plant", "CPR"),
    (r"adolygiad(?:au)?\s+ymarfer\s+oedolion", "APR"),
    (r"adolygiad(?:au)?\s+(?:o\s+)?(?:dd|d)ynladdiad\s+domestig", "DHR"),
    (r"adolygiad(?:au)?\s+diogelu\s+unedig\s+sengl", "SUSR"),
    (r"adolygiad\s+thematig", "thematic"),
)
_TYPE_RE = re.compile(
    "|".join(f"(?P<t{i}>\\b{pattern}\\b)" for i, (pattern, _) in enumerate(_TYPE_PHRASES)),
    re.IGNORECASE,
)

_VARIANT_RE = re.compile(
    r"\b(?P<variant>concise|extended)\s+(?:(?:child|adult)\s+practice\s+)?review\b"
    r"|\badolygiad\s+ymarfer\s+(?:plant|oedolion)\s+(?P<welsh>cryno|estynedig)\b",
    re.IGNORECASE,
)


def find_review_types(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) for every review-type phrase in `text`."""
    found = []
    for match in _TYPE_RE.finditer(text):
        index = int((match.lastgroup or "t0")[1:])
        found.append((_TYPE_PHRASES[index][1], match.start(), match.end()))
    return found


def find_variants(text: str) -> list[tuple[str, int, int]]:
    """("concise" | "extended", start, end) for each variant named in `text`."""
    found = []
    for match in _VARIANT_RE.finditer(text):
        word = (match.group("variant") or match.group("welsh")).lower()
        variant = {"cryno": "concise", "estynedig": "extended"}.get(word, word)
        found.append((variant, match.start(), match.end()))
    return found
