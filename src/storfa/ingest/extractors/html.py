"""HTML extraction with lxml: no network, no entity resolution, no scripts."""

from __future__ import annotations

import re

import lxml.etree as etree
import lxml.html

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.extractors.list_markers import format_count

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DROP = ("script", "style", "nav", "footer", "noscript", "template", "iframe", "object",
         "embed", "svg", "math", "form", "button", "select", "head")
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_LEAF_BLOCKS = {"p", "pre", "dt", "dd", "caption", "figcaption", "address", "summary",
                "legend", "label"}
_CONTAINERS = {"html", "body", "div", "section", "article", "main", "aside", "header",
               "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "blockquote", "figure",
               "details", "fieldset", "center", "hgroup", "li", "td", "th", "tr", "menu"}
_BLOCK_TAGS = set(_HEADINGS) | _LEAF_BLOCKS | _CONTAINERS | {"hr", "br"}
_WS = re.compile(r"\s+")
# <ol type="…"> as a browser numbers it.
_OL_TYPES = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
             "I": "upperRoman"}


def _text(el: etree._Element) -> str:
    return _WS.sub(" ", "".join(el.itertext())).strip()


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.counts: dict[etree._Element, int] = {}  # <ol> → its last item's number
        self.marker: str | None = None  # an <ol> item's number, until its text is read

    def flush(self) -> None:
        self._add(BlockKind.PARAGRAPH, "".join(self.buf))
        self.buf.clear()

    def _add(self, kind: BlockKind, text: str, level: int = 0) -> None:
        text = _WS.sub(" ", text).strip()
        if not text:
            return
        if self.marker and kind is not BlockKind.HEADING:
            text, self.marker = f"{self.marker} {text}", None
        self.blocks.append(Block(kind, text, level))

    def _ol_marker(self, li: etree._Element) -> str | None:
        """The number a browser draws beside an <ol>'s item ("3.", "b.")."""
        ol = li.getparent()
        if ol is None or not isinstance(ol.tag, str) or ol.tag.lower() != "ol":
            return None
        value = li.get("value") or ""
        if value.isdigit():
            n = int(value)
        else:
            start = ol.get("start") or ""
            n = self.counts.get(ol, int(start) - 1 if start.isdigit() else 0) + 1
        self.counts[ol] = n
        return f"{format_count(n, _OL_TYPES.get(ol.get('type') or '1', 'decimal'))}."

    def walk(self, el: etree._Element, depth: int = 0) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if depth > 200:  # pathological nesting: take the text and stop descending
            self.buf.append(_text(el))
            return
        if tag in _HEADINGS:
            self.flush()
            if text := _text(el):
                self.blocks.append(Block(BlockKind.HEADING, text, _HEADINGS[tag]))
        elif tag in _LEAF_BLOCKS:
            self.flush()
            self._add(BlockKind.PARAGRAPH, _text(el))
        elif tag == "tr":
            self.flush()
            cells = [c for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if len(cells) == 1:
                # A cell across the whole table (a template's section of
                # narrative, a box): its paragraphs, not a row of one cell.
                self._container(cells[0], depth + 1)
                self.flush()
            elif any(texts := [_text(c) for c in cells]):
                self.blocks.append(Block(BlockKind.TABLE_ROW, " | ".join(texts)))
        elif tag == "li":
            self.flush()
            self.marker = self._ol_marker(el)
            self._container(el, depth)
            self.marker = None
        elif tag in _CONTAINERS or tag == "":
            self.flush()
            self._container(el, depth)
            self.flush()
        else:
            self.buf.append(_text(el))

    def _container(self, el: etree._Element, depth: int) -> None:
        is_li = isinstance(el.tag, str) and el.tag.lower() == "li"
        if el.text:
            self.buf.append(el.text)
        for child in el:
            ctag = child.tag.lower() if isinstance(child.tag, str) else ""
            if ctag == "br":
                self.buf.append(" ")
            elif ctag in _BLOCK_TAGS:
                self._flush_as(is_li)
                self.walk(child, depth + 1)
            elif ctag:
                self.buf.append("".join(child.itertext()))
            if child.tail:
                self.buf.append(child.tail)
        self._flush_as(is_li)

    def _flush_as(self, is_li: bool) -> None:
        if not is_li:
            self.flush()
            return
        self._add(BlockKind.LIST_ITEM, "".join(self.buf))
        self.buf.clear()


def extract_html(data: bytes) -> ExtractedDocument:
    if _ENTITY_DECL.search(data) or _ENTITY_DECL.search(
            data.decode("utf-16", "ignore").encode() if data[:2] in (b"\xff\xfe", b"\xfe\xff")
            else b""):
        raise RejectedFile(RejectReason.XML_ENTITIES,
                           "HTML declares XML entities in its DOCTYPE; refusing to expand them")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=False, recover=True)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise RejectedFile(RejectReason.CORRUPT, f"unreadable HTML: {exc}") from None
    title_el = root.find(".//title")
    title = _text(title_el) if title_el is not None else None
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    # A page's own <header> (not one inside the article) is site furniture:
    # logos, running titles, "Skip to content".
    furniture = []
    for el in list(root.iter("header")):
        if el.getparent() is not None and not any(
                a.tag in ("main", "article") for a in el.iterancestors()):
            if text := _text(el):
                furniture.append(text)
            el.drop_tree()
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return ExtractedDocument(format="html",
                             pages=[ExtractedPage(1, walker.blocks, furniture=furniture)],
                             title=title or None)
