"""Markdown and plain-text extraction. A form feed (\\f) starts a new page."""

from __future__ import annotations

import html
import re

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.ingest.clean import join_lines
from storfa.ingest.extractors.list_markers import ORDINAL, list_item_text

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_LIST = re.compile(rf"^[ \t]*([-*+•▪◦‣]|{ORDINAL})[ \t]+(\S.*)$")
_TABLE_SEP = re.compile(r"^\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+([A-Z][^.!?]{0,90})$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_MD_INLINE = re.compile(r"(\*\*|__|`)")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# *emphasis* and _emphasis_ whose markers hug a word (not "2 * 3" or snake_case).
_MD_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
# Footnote references are noise inside passages and headings.
_FOOTNOTE = re.compile(r"<sup>[^<]{0,12}</sup>|\[\^[^\]]{1,12}\]", re.I)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
# A footnote's text, "[^1]: Welsh Government (2024) ...": a note, as a PDF's
# footnote is, not a paragraph opening on a colon once its label is gone.
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]{1,12}\]:[ \t]*(.*)$")


def _md_inline(text: str) -> str:
    text = _FOOTNOTE.sub("", text)
    text = _HTML_TAG.sub("", _MD_LINK.sub(r"\1", text))
    text = _MD_EMPHASIS.sub(r"\2", _MD_INLINE.sub("", text))
    return html.unescape(text).strip()


def _cells(line: str) -> str:
    body = line.strip()
    body = body.removeprefix("|").removesuffix("|")
    return " | ".join(_md_inline(c) for c in body.split("|"))


def _markdown_page(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    lines = text.split("\n")

    def flush() -> None:
        if para:
            joined = _md_inline(join_lines(para, pending=True))
            if joined:
                blocks.append(Block(BlockKind.PARAGRAPH, joined))
            para.clear()

    in_fence = False
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if line.strip():
                blocks.append(Block(BlockKind.PARAGRAPH, line.strip()))
            continue
        if not line.strip():
            flush()
            continue
        if m := _MD_HEADING.match(line):
            flush()
            if title := _md_inline(m.group(2)):
                blocks.append(Block(BlockKind.HEADING, title, len(m.group(1))))
            continue
        nxt = lines[i + 1].rstrip() if i + 1 < len(lines) else ""
        if para and _SETEXT.match(line) and len(para) == 1:
            level = 1 if line.strip().startswith("=") else 2
            blocks.append(Block(BlockKind.HEADING, _md_inline(para[0]), level))
            para.clear()
            continue
        if "|" in line and (_TABLE_SEP.match(nxt) or _TABLE_SEP.match(line) or
                            line.lstrip().startswith("|")):
            flush()
            if not _TABLE_SEP.match(line):
                blocks.append(Block(BlockKind.TABLE_ROW, _cells(line)))
            continue
        if m := _FOOTNOTE_DEF.match(line):
            flush()
            if note := _md_inline(m.group(1)):
                blocks.append(Block(BlockKind.PARAGRAPH, note, note=True))
            continue
        if m := _LIST.match(line):
            flush()
            blocks.append(Block(BlockKind.LIST_ITEM,
                                list_item_text(m.group(1), _md_inline(m.group(2)))))
            continue
        if line.startswith((" ", "\t")) and blocks and blocks[-1].kind is BlockKind.LIST_ITEM \
                and not para:
            prev = blocks.pop()
            blocks.append(Block(BlockKind.LIST_ITEM,
                                join_lines([prev.text, _md_inline(line)], pending=True)))
            continue
        para.append(line.lstrip(">").strip() if line.startswith(">") else line)
    flush()
    return blocks


def _is_plain_heading(line: str, next_blank: bool, prev_blank: bool) -> int:
    """Heading level (1–3) of a plain-text line, 0 if it is not a heading."""
    s = line.strip()
    if not s or len(s) > 100 or (s.endswith((".", ",", ";", ":")) and not s.endswith("...")):
        return 0
    m = _NUMBERED_HEADING.match(s)
    if m and len(s.split()) <= 12 and (next_blank or prev_blank):
        return min(3, m.group(1).count(".") + 1)
    letters = [c for c in s if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters) and len(s.split()) <= 12:
        return 1
    words = s.split()
    if prev_blank and next_blank and 1 <= len(words) <= 8 and s[0].isupper() \
            and not s.endswith(("?", "!")):
        capitalised = sum(1 for w in words if w[0].isupper() or len(w) <= 3)
        if capitalised == len(words):
            return 2
    return 0


def plain_text_blocks(text: str) -> list[Block]:
    """Blocks of plain text: blank-line paragraphs, bullet items and heuristic headings."""
    blocks: list[Block] = []
    para: list[str] = []
    lines = text.split("\n")

    def flush() -> None:
        if para:
            joined = join_lines(para, pending=True)
            if joined:
                blocks.append(Block(BlockKind.PARAGRAPH, joined))
            para.clear()

    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if not para and (level := _is_plain_heading(line, next_blank, prev_blank)):
            blocks.append(Block(BlockKind.HEADING, line.strip(), level))
            continue
        if m := _LIST.match(line):
            flush()
            blocks.append(Block(BlockKind.LIST_ITEM,
                                list_item_text(m.group(1), m.group(2).strip())))
            continue
        para.append(line)
    flush()
    return blocks


def _split_pages(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\f")


def extract_markdown(text: str) -> ExtractedDocument:
    pages = [ExtractedPage(number=i + 1, blocks=_markdown_page(t))
             for i, t in enumerate(_split_pages(text))]
    return ExtractedDocument(format="markdown", pages=pages)


def extract_plain_text(text: str) -> ExtractedDocument:
    pages = [ExtractedPage(number=i + 1, blocks=plain_text_blocks(t))
             for i, t in enumerate(_split_pages(text))]
    return ExtractedDocument(format="text", pages=pages)
