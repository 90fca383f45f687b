"""One document shape every report renders from: a title, then sections of
paragraphs, bullet lists, tables and images. Briefings and thematic reports
build a `Document`; pdf.py and docx.py each turn one into a file, so both
formats carry exactly the same content."""

from __future__ import annotations

from dataclasses import dataclass, field

from storfa.reports.briefing import Briefing
from storfa.reports.words import SECTIONS, word


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Image:
    png: bytes
    svg: str
    caption: str


Block = Paragraph | Bullets | Table | Image


@dataclass
class Section:
    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 2


@dataclass
class Document:
    kind: str  # the report's name, e.g. "7-minute briefing"
    title: str
    lang: str
    meta: list[str] = field(default_factory=list)  # review ids, dates: under the title
    sections: list[Section] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]


def blocks_of(text: str) -> list[Block]:
    """Plain text as edited: blank lines split paragraphs, lines starting with
    "- ", "* " or "• " are bullets; a bullet's wrapped lines stay with it."""
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        items: list[str] = []
        prose: list[str] = []
        for line in lines:
            marker = line[:2] in ("- ", "* ", "• ")
            if marker:
                if prose:
                    blocks.append(Paragraph(" ".join(prose)))
                    prose = []
                items.append(line[2:].strip())
            elif items:
                items[-1] = f"{items[-1]} {line}"
            else:
                prose.append(line)
        if items:
            blocks.append(Bullets(tuple(items)))
        if prose:
            blocks.append(Paragraph(" ".join(prose)))
    return blocks


def briefing_document(briefing: Briefing) -> Document:
    lang = briefing.lang
    meta = [f"{word('review' if briefing.kind == 'review' else 'reviews', lang)}: "
            f"{', '.join(briefing.reviews)}"] if briefing.reviews else []
    return Document(briefing.heading, briefing.title, lang, meta, [
        Section(key, word(key, lang), blocks_of(briefing.sections.get(key, "")))
        for key in SECTIONS])
