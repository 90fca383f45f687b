"""What an extractor hands to the pipeline: pages made of typed blocks.

Extractors know file formats; everything after them (cleaning, segmenting,
metadata, storage) sees only these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# A paragraph this short (characters) with no closing stop reads as a heading
# the layout did not mark as one: "Professional curiosity", "Learning".
HEADING_LIKE_CHARS = 60
_CLOSED = re.compile(r"""[.!?…:;]["'”’)\]]*$""")


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    TABLE_ROW = "table_row"
    LIST_ITEM = "list_item"


def closed(text: str) -> bool:
    """Whether `text` ends as a sentence or a lead-in does: a stop, question or
    exclamation mark, ellipsis, colon or semicolon, then any closing quotes."""
    return _CLOSED.search(text.rstrip()) is not None


def reads_as_heading(kind: str, text: str) -> bool:
    """A heading, or a paragraph short and open enough to be one the layout
    did not mark (HEADING_LIKE_CHARS)."""
    return kind == BlockKind.HEADING or (
        kind == BlockKind.PARAGRAPH and len(text) <= HEADING_LIKE_CHARS and not closed(text))


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a page's reading order.

    `level` is the heading depth (1 = top) for headings and 0 otherwise.
    A table row's cells are joined with " | " in `text`. `note` marks a
    footnote set at the foot of its page, after the page's text. `room`, for
    a PDF's paragraphs and list items, is how many characters would still
    have fitted on the block's last line: a paragraph whose next word would
    not have fitted may go on at the top of the next page or column.
    """

    kind: BlockKind
    text: str
    level: int = 0
    note: bool = False
    room: float | None = None

    def with_text(self, text: str) -> Block:
        """The same block with other text (as cleaning rewrites it)."""
        return Block(self.kind, text, self.level, self.note, self.room)


@dataclass(slots=True)
class ExtractedPage:
    number: int  # 1-based
    blocks: list[Block] = field(default_factory=list)
    # Running headers, footers, page numbers, banners removed from the blocks.
    furniture: list[str] = field(default_factory=list)
    ocr: bool = False


@dataclass(slots=True)
class ExtractedDocument:
    format: str  # "pdf" | "docx" | "html" | "markdown" | "text"
    pages: list[ExtractedPage]
    title: str | None = None
    # Pages whose text came from OCR, and any non-fatal remarks for the user.
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)
