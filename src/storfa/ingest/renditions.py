"""Is a newly ingested file another rendition of the review's current text?

A report is often published as a PDF and a DOCX (or web page) of the same
words. Storing the second as a new version would make it current and, being
unpaginated, cost the review its pages and page citations. So a file whose
words are the same as the current version's, within SAME_TEXT, in a format
the version does not have yet, is a *rendition* of that version instead.

"The same words": the multiset Jaccard index of the two texts' normalised
words (NFKC, casefolded, runs of letters or digits) is at least SAME_TEXT.
Bags, not sets: a vocabulary barely changes when a paragraph is rewritten,
but the counts do. The tolerance absorbs what differs between formats of one
text: running headers and page numbers, hyphenation, table cells, captions.
A file in a format the version already has is a new version (a corrected
file, however small the correction) unless its words are exactly the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from storfa.domain.renditions import ReadingState

SAME_TEXT = 0.9
# Formats whose page numbers are the publisher's: the reader and page
# citations use one of these when the version has it.
PAGINATED = frozenset({"pdf"})
_WORD = re.compile(r"[^\W_]+")


class Outcome(Enum):
    VERSION = "version"      # a changed text (or the first file): a new current version
    RENDITION = "rendition"  # the same text in another format: attached to the current version
    PROMOTE = "promote"      # the same text, paginated where the current one is not


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    similarity: float | None = None


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def similarity(a: str, b: str) -> float:
    """Multiset Jaccard of the normalised words: shared counts over all counts."""
    wa, wb = words(a), words(b)
    union = sum((wa | wb).values())
    return sum((wa & wb).values()) / union if union else 1.0


def decide(current: ReadingState | None, new_format: str, new_text: str) -> Decision:
    if current is None:
        return Decision(Outcome.VERSION)
    score = similarity(current.text, new_text)
    # Another file in a format the version has is a correction unless not one
    # word differs (the same document saved again).
    needed = 1.0 if new_format in current.formats else SAME_TEXT
    if score < needed:
        return Decision(Outcome.VERSION, score)
    if new_format in PAGINATED and current.reading_format not in PAGINATED:
        return Decision(Outcome.PROMOTE, score)
    return Decision(Outcome.RENDITION, score)


def rendition_note(fmt: str, current: ReadingState, score: float) -> str:
    return (f"the same text as version {current.version} ({score:.0%} of words shared): "
            f"kept as its {fmt.upper()} rendition; the {current.reading_format.upper()} "
            "stays the one read")


def promoted_note(fmt: str, current: ReadingState, score: float) -> str:
    return (f"the same text as version {current.version} ({score:.0%} of words shared), "
            f"paginated: the {fmt.upper()} is now the one read, and the "
            f"{'/'.join(sorted(f.upper() for f in current.formats))} "
            "stay downloadable as renditions")
