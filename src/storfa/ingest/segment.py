"""Turn an extracted document's blocks into passages that know their page,
section path and character offsets in the review's full text."""

from __future__ import annotations

import re

from storfa.domain.documents import BlockKind, ExtractedDocument
from storfa.domain.reviews import Passage

SEPARATOR = "\n\n"
MAX_PASSAGE_CHARS = 2000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")
# A heading's outline number: "4", "4.1", "4.1.2" (with or without a stop).
_OUTLINE = re.compile(r"(\d{1,2}(?:\.\d{1,2})*)\.?\s")


def split_long(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """Split an over-long block at sentence ends so a hit stays readable."""
    if len(text) <= limit:
        return [text]
    parts, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + 1 + len(sentence) > limit:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        parts.append(current)
    # A single sentence longer than the limit is cut at a space.
    out = []
    for part in parts:
        while len(part) > limit:
            cut = part.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            out.append(part[:cut])
            part = part[cut:].lstrip()
        out.append(part)
    return [p for p in out if p.strip()]


def title_heading(doc: ExtractedDocument) -> str | None:
    """A lone level-1 heading before any other heading is the document's title,
    not a section: leaving it out keeps section paths short."""
    headings = [b for page in doc.pages for b in page.blocks if b.kind == BlockKind.HEADING]
    if headings and headings[0].level == 1 and sum(h.level == 1 for h in headings) == 1:
        return headings[0].text
    return None


def nested_level(path: list[tuple[int, str]], heading: str, level: int) -> int:
    """`heading`'s level, one below the heading its outline number belongs
    to ("4.1 Housing" under "4. Recommendations") when that heading is on
    the path at the same level or deeper. A PDF whose headings are all one
    size and weight says nothing of their nesting, and a paragraph under
    "4.1" would lose the "Recommendations" its reading depends on; never
    lowers a level the type sizes gave."""
    own = _OUTLINE.match(heading)
    if own is None or "." not in own.group(1):
        return level
    parent = own.group(1).rsplit(".", 1)[0]
    for lvl, name in reversed(path):
        above = _OUTLINE.match(name)
        if above is not None and above.group(1) == parent:
            return max(level, min(6, lvl + 1))
    return level


def segment(doc: ExtractedDocument) -> tuple[str, list[Passage]]:
    """Return (full text, passages). Headings are passages too, so a search
    for a section's name finds it."""
    title = title_heading(doc)
    passages: list[Passage] = []
    path: list[tuple[int, str]] = []
    chunks: list[str] = []
    offset = 0
    for page in doc.pages:
        for block in page.blocks:
            text = block.text.strip()
            if not text:
                continue
            if block.kind == BlockKind.HEADING and block.text == title:
                title = None  # only its first occurrence is the title
            elif block.kind == BlockKind.HEADING:
                level = nested_level(path, text, max(1, block.level))
                path = [(lvl, name) for lvl, name in path if lvl < level]
                path.append((level, " ".join(text.split())))
            section = " > ".join(name for _, name in path)
            pieces = [text] if block.kind == BlockKind.HEADING else split_long(text)
            for piece in pieces:
                if chunks:
                    offset += len(SEPARATOR)
                chunks.append(piece)
                passages.append(Passage(
                    seq=len(passages), page=page.number, section=section,
                    kind=block.kind.value, text=piece, start=offset, end=offset + len(piece),
                ))
                offset += len(piece)
    return SEPARATOR.join(chunks), passages
