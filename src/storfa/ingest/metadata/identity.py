"""Where a report says what it is: its title page, front matter and running headers.

A report's identifier, type and board are read only from its own furniture:
the title, the passages before the body starts and the running headers and
footers. A thematic analysis or an overview report quotes dozens of reviews in
its body ("as in CPR2019-W03"); the first identifier it cites is not its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storfa.domain.reviews import Passage

# The front matter: the title page and the first passages before the body.
# A cover page is often all title lines, so a short page 1 brings in page 2.
FRONT_CHARS = 2000
_COVER_CHARS = 400
# A title-page line is short and is not a sentence ("Overview Report:" is one).
_TITLE_LINE_CHARS = 160
# The contents list closes the title page: what follows is the body's outline.
_CONTENTS_RE = re.compile(r"^\W*(?:table\s+of\s+)?contents\W*$|^\W*cynnwys\W*$", re.IGNORECASE)
# A contents entry or a numbered heading ("3 Background", "Preface ..... 3").
_CONTENTS_ENTRY_RE = re.compile(r"^\d+(?:\.\d+)*\.?\s|\.{3,}\s*\d+\s*$|\t\d+\s*$")

# Said by a report across many reviews about itself, on its title page or in a
# running header. "Overview report" alone is the standard name of a single DHR's
# main report, so it counts only when no single review type is named beside it.
_ACROSS_REVIEWS = (
    r"thematic\s+(?:[\w-]+\s+){0,3}?(?:reviews?|analysis|report|learning|study|studies)"
    r"|evaluation|gwerthusiad|adolygiad\s+thematig|meta-?analysis"
    r"|(?:analysis|review|audit|study|summary)\s+of\s+(?:\S+\s+){0,4}reviews"
    r"|(?:learning|lessons|themes|findings|voices)\s+(?:from|across|in)\s+(?:\S+\s+){0,5}reviews"
    r"|national\s+(?:\w+\s+){0,2}(?:report|analysis|review|evaluation)"
    r"|joint\s+inspection|inspection\s+report"
)
_TITLE_MARKER_RE = re.compile(rf"\b(?:{_ACROSS_REVIEWS})\b", re.IGNORECASE)
_OVERVIEW_RE = re.compile(r"\boverview\s+report\b", re.IGNORECASE)
# In a running sentence only the report speaking of itself counts: "This thematic
# review analyses 33 reviews", not "The data was subjected to thematic analysis".
_SENTENCE_MARKER_RE = re.compile(
    r"\b(?:this|our|the\s+present)\s+(?:\w+\s+){0,2}"
    r"(?:thematic|overview\s+report|evaluation|meta-?analysis|national\s+analysis)\b"
    r"|\b(?:this|the)\s+(?:national\s+)?evaluation\b"
    r"|\b(?:this|the)\s+(?:thematic|overview)\s+(?:review|report|analysis)\b"
    r"|\bthis\s+(?:report|review|analysis)\s+(?:\w+\s+){0,6}(?:\d+|several|many)\s+"
    r"(?:\w+\s+){0,3}reviews\b",
    re.IGNORECASE,
)
# Plural review names on a title page ("Child Practice Reviews", "CPRs") mean a
# report across reviews, unless a single one is named as well.
_PLURAL_ABBREVIATION_RE = re.compile(r"\b(?:CPR|APR|DHR|MHHR|SUSR|CSPR|SAR|SCR|CMR|OWHR)s\b")

# A sentence naming its own identifier: "Review reference: CPR2020-W04",
# "Cyfeirnod: CPR2020-W09", "This Child Practice Review (CPR2021-W07) ...".
SELF_REFERENCE_RE = re.compile(
    r"\b(?:review\s+)?(?:reference|ref\.?|number|no\.)\s*[:\-]?|\bcyfeirnod\b|\bcyf\b"
    r"|\bthis\s+(?:\w+\s+){0,4}(?:review|report|adolygiad|adroddiad)\b",
    re.IGNORECASE,
)
# An author or publisher on the front matter of a report across reviews.
PUBLISHER_RE = re.compile(
    r"\b(?:produced|published|commissioned|written|prepared|issued)\s+(?:\w+\s+){0,2}by\b"
    r"|\bcyhoeddwyd\s+gan\b|\bcomisiynwyd\s+gan\b",
    re.IGNORECASE,
)

# What storfa says when a report's title page names no type and no identifier.
IDENTITY_NEEDED = (
    "No review type or identifier was found on this report's title page, front matter or "
    "running headers, so none was guessed from its body: an editor should set them."
)


def front_passages(passages: Sequence[Passage]) -> list[Passage]:
    """The title page and front matter: page 1 (and page 2 after a bare cover page),
    up to the contents list and at most FRONT_CHARS of text."""
    if not passages:
        return []
    paged = any(p.page != passages[0].page for p in passages)
    first_page = passages[0].page
    cover = sum(len(p.text) for p in passages if p.page == first_page)
    last_page = first_page + (1 if paged and cover < _COVER_CHARS else 0)
    front: list[Passage] = []
    used = 0
    for passage in passages:
        if paged and passage.page > last_page:
            break
        if _CONTENTS_RE.match(passage.text.strip()) and front:
            break
        front.append(passage)
        used += len(passage.text)
        if used >= FRONT_CHARS:
            break
    return front


def is_title_line(passage: Passage) -> bool:
    """A heading, or a short line that is not a sentence nor a contents entry."""
    text = passage.text.strip()
    if not text or passage.kind == "list_item" or _CONTENTS_ENTRY_RE.search(text):
        return False
    if passage.kind == "heading":
        return True
    return len(text) <= _TITLE_LINE_CHARS and not text.endswith((".", "!", "?", ";"))


def across_reviews(text: str, *, sentence: bool, single_named: bool) -> bool:
    """Whether `text` says the report is across reviews: thematic, overview, evaluation.

    `single_named`: one review type is named in the singular beside it, which
    makes "overview report" a single review's (a DHR overview report).
    """
    if sentence:
        return bool(_SENTENCE_MARKER_RE.search(text))
    if _TITLE_MARKER_RE.search(text) or _PLURAL_ABBREVIATION_RE.search(text):
        return True
    return bool(_OVERVIEW_RE.search(text)) and not single_named


def identity_needed(review_type: str | None, identifier: str | None) -> bool:
    """A report with neither a type nor an identifier waits for an editor to name it."""
    return not (review_type or identifier)
