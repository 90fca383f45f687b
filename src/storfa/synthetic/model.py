"""The generated review: its text as sections of Blocks, plus the ground truth.

Every renderer (Markdown, PDF, DOCX, HTML) walks `reading_order()`, so the text
a benchmark expects (`plain_text()`) is exactly the text each file carries,
apart from running headers/footers and line-end hyphenation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from storfa.domain.documents import Block, BlockKind


@dataclass
class Section:
    """A heading and its body. `level` is the Markdown depth: 2 = '##' (the title is 1)."""

    heading: str
    level: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Recommendation:
    number: int
    text: str
    agencies: list[str]
    level: str  # "local" | "regional" | "national"


@dataclass
class GeneratedReview:
    review_type: str
    identifier: str
    board: str
    variant: str | None
    title: str
    language: str
    age_band: str | None
    gender: str | None
    dates: dict[str, dt.date]
    sections: list[Section]
    recommendations: list[Recommendation]
    # How each date is spelt in the text (the evidence a parser should find).
    date_text: dict[str, str] = field(default_factory=dict)
    board_name: str = ""  # the board as named in the report (e.g. Western Bay before 2019)
    identifier_text: str = ""  # the identifier as spelt in the title (may use a dash/space)
    age_years: int | None = None
    subject: str = ""
    seed: int = 0
    themes: list[str] = field(default_factory=list)

    # -- reading order -------------------------------------------------------------------
    def reading_order(self) -> Iterator[tuple[Block, str | None]]:
        """Blocks in reading order, each with its list marker ("3.") for list items."""
        yield Block(BlockKind.HEADING, self.title, 1), None
        for section in self.sections:
            yield Block(BlockKind.HEADING, section.heading, section.level), None
            n = 0
            for block in section.blocks:
                if block.kind is BlockKind.LIST_ITEM:
                    n += 1
                    yield block, f"{n}."
                else:
                    n = 0
                    yield block, None

    def plain_text(self) -> str:
        """Reading-order text, one block per paragraph, no page furniture."""
        out: list[str] = []
        for block, marker in self.reading_order():
            out.append(f"{marker} {block.text}" if marker else block.text)
        return "\n\n".join(out) + "\n"

    def to_markdown(self) -> str:
        lines: list[str] = []
        in_table = False
        for block, marker in self.reading_order():
            if block.kind is BlockKind.TABLE_ROW:
                cells = block.text.split(" | ")
                lines.append("| " + " | ".join(cells) + " |")
                if not in_table:  # the first row of a run is the header
                    lines.append("|" + " --- |" * len(cells))
                in_table = True
                continue
            if in_table:
                lines.append("")
                in_table = False
            if block.kind is BlockKind.HEADING:
                if lines and lines[-1]:
                    lines.append("")
                lines.extend(["#" * block.level + " " + block.text, ""])
            elif block.kind is BlockKind.LIST_ITEM:
                lines.append(f"{marker} {block.text}")
            else:
                if lines and lines[-1] and not lines[-1].startswith("#"):
                    lines.append("")  # close a preceding list
                lines.extend([block.text, ""])
        text = "\n".join(lines)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip() + "\n"

    # -- ground truth --------------------------------------------------------------------
    def expected_metadata(self) -> dict[str, Any]:
        """JSON-able ground truth, keyed like storfa.domain.reviews DATE_FIELDS/TEXT_FIELDS."""
        meta: dict[str, Any] = {
            "type": self.review_type,
            "identifier": self.identifier,
            "identifier_text": self.identifier_text or self.identifier,
            "title": self.title,
            "board": self.board,
            "board_name": self.board_name or self.board,
            "variant": self.variant,
            "age_band": self.age_band,
            "age_years": self.age_years,
            "gender": self.gender,
            "language": self.language,
            "subject": self.subject,
            "seed": self.seed,
            "themes": list(self.themes),
        }
        for key, value in self.dates.items():
            meta[key] = value.isoformat()
        meta["date_text"] = dict(self.date_text)
        meta["recommendations"] = [
            {"number": r.number, "text": r.text, "agencies": list(r.agencies), "level": r.level}
            for r in self.recommendations
        ]
        meta["headings"] = [s.heading for s in self.sections]
        return meta

    def word_count(self) -> int:
        return len(self.plain_text().split())
