"""DOCX extraction with python-docx, after the zip container has been vetted."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.extractors.docx_numbering import ListNumbers
from storfa.ingest.extractors.ziputil import check_xml_parts, check_zip
from storfa.ingest.limits import ExtractLimits

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_T, _TAB, _BR, _CR, _P, _TBL = (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:p"),
                                qn("w:tbl"))
_PAGE_BREAK = object()


def _paragraph_pieces(p: Paragraph) -> list[object]:
    """Text runs and page-break markers of one paragraph, in order."""
    pieces: list[object] = []
    ppr = p._p.pPr
    if ppr is not None:
        pbb = ppr.find(qn("w:pageBreakBefore"))
        if pbb is not None and pbb.get(qn("w:val"), "true") not in ("0", "false", "off"):
            pieces.append(_PAGE_BREAK)
    for el in p._p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            pieces.append(el.text or "")
        elif el.tag == _BR and el.get(qn("w:type")) == "page":
            pieces.append(_PAGE_BREAK)
        else:
            pieces.append(" ")
    if ppr is not None:
        sect = ppr.find(qn("w:sectPr"))
        if sect is not None:
            kind = sect.find(qn("w:type"))
            if kind is None or kind.get(qn("w:val"), "nextPage") in ("nextPage", "oddPage",
                                                                       "evenPage"):
                pieces.append(_PAGE_BREAK)
    return pieces


def _classify(p: Paragraph) -> tuple[BlockKind, int]:
    try:
        style = p.style.name if p.style is not None and p.style.name else ""
    except (KeyError, ValueError, AttributeError):
        style = ""
    if m := _HEADING_STYLE.match(style.strip()):
        return BlockKind.HEADING, max(1, min(9, int(m.group(1))))
    if style.lower() in ("title",):
        return BlockKind.HEADING, 1
    ppr = p._p.pPr
    if ppr is not None:
        outline = ppr.find(qn("w:outlineLvl"))
        val = outline.get(qn("w:val")) if outline is not None else None
        if val is not None and val.isdigit() and int(val) < 9:
            return BlockKind.HEADING, int(val) + 1
        if ppr.find(qn("w:numPr")) is not None:
            return BlockKind.LIST_ITEM, 0
    if style.lower().startswith("list"):
        return BlockKind.LIST_ITEM, 0
    return BlockKind.PARAGRAPH, 0


def _cell_text(tc: etree._Element) -> str:
    texts = ["".join(t.text or "" for t in para.iter(_T)) for para in tc.iter(_P)]
    return " ".join(t.strip() for t in texts if t.strip())


class _Pages:
    def __init__(self, limits: ExtractLimits) -> None:
        self.pages = [ExtractedPage(1)]
        self.limits = limits

    def new_page(self) -> None:
        if not self.pages[-1].blocks:
            return
        if len(self.pages) >= self.limits.max_pages:
            raise RejectedFile(RejectReason.TOO_MANY_PAGES,
                               f"document has more than {self.limits.max_pages:,} pages")
        self.pages.append(ExtractedPage(len(self.pages) + 1))

    def add(self, kind: BlockKind, text: str, level: int = 0) -> None:
        text = " ".join(text.split())
        if text:
            self.pages[-1].blocks.append(Block(kind, text, level))


def _list_numbers(doc: DocxDocument) -> ListNumbers:
    try:
        numbering = doc.part.numbering_part.element
    except (KeyError, ValueError, AttributeError, NotImplementedError, etree.XMLSyntaxError):
        numbering = None  # a list without definitions is read without numbers
    return ListNumbers.of(numbering)


def _add_paragraph(out: _Pages, para: Paragraph, numbers: ListNumbers) -> None:
    """One paragraph's blocks: its kind by its style, a list item's number,
    and a new page where it breaks one."""
    kind, level = _classify(para)
    marker = numbers.marker(para) if kind is BlockKind.LIST_ITEM else None
    text: list[str] = [f"{marker} "] if marker else []
    for piece in _paragraph_pieces(para):
        if piece is _PAGE_BREAK:
            out.add(kind, "".join(text), level)
            text.clear()
            out.new_page()
        else:
            assert isinstance(piece, str)
            text.append(piece)
    out.add(kind, "".join(text), level)


def extract_docx(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    infos = check_zip(path, limits)
    check_xml_parts(path, infos)
    try:
        doc = Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError,
            zlib.error, EOFError, AttributeError, TypeError) as exc:
        raise RejectedFile(RejectReason.CORRUPT, f"unreadable DOCX: {exc!r}") from None
    out = _Pages(limits)
    numbers = _list_numbers(doc)
    body = doc.element.body
    for child in body.iterchildren(_P, _TBL):
        if child.tag != _TBL:
            _add_paragraph(out, Paragraph(child, doc._body), numbers)
            continue
        for tr in Table(child, doc._body)._tbl.tr_lst:
            if len(tr.tc_lst) == 1:
                # A cell across the whole table (a template's section of
                # narrative, a box): its paragraphs, not one row of one cell.
                for p in tr.tc_lst[0].iter(_P):
                    _add_paragraph(out, Paragraph(p, doc._body), numbers)
            elif any(cells := [_cell_text(tc) for tc in tr.tc_lst]):
                out.add(BlockKind.TABLE_ROW, " | ".join(cells))
    pages = out.pages
    while len(pages) > 1 and not pages[-1].blocks:
        pages.pop()
    title = None
    try:
        title = (doc.core_properties.title or "").strip() or None
    except (KeyError, ValueError, AttributeError, etree.XMLSyntaxError):
        title = None
    return ExtractedDocument(format="docx", pages=pages, title=title)
