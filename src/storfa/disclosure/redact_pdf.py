"""A redacted copy of a PDF whose text layer no longer holds the redacted
words (issue 19 item 3, the downloadable original). A black box drawn over
text is not redaction: the words stay in the file for anyone to copy.

PDFium (pypdfium2, already the project's PDF reader) cannot delete single
characters from a text object, so every text object that holds a redacted
character is removed whole, and the rest of its text is written back in
Helvetica at the same place and size, with the replacement ("[NHS number]")
where the words were, over a black box. A line whose text object is rewritten
loses its original font and exact spacing; that is the price of the words
really being gone. Afterwards the copy's text is extracted again and checked:
if a redacted word survives (text inside a form XObject, a glyph without a
Unicode mapping), `redact_pdf` raises instead of handing out an unredacted
file.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.domain.reviews import ReviewRecord


@dataclass(frozen=True, slots=True)
class Redaction:
    page: int         # 1-based, as passages number pages
    text: str         # the words found
    replacement: str  # what the reader sees instead


class RedactionFailed(StorfaError):
    """The redacted copy still held a redacted word; it is never served."""


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _char_indices(textpage: pdfium.PdfTextPage, text: str) -> list[int]:
    """Indices of the page's characters that spell `text`: the whole phrase
    where the text layer has it in one piece, else each word of it (a name
    broken over two lines), which may also catch the same word elsewhere on
    the page; redacting too much is the safe side."""
    found: list[int] = []
    for needle in [text, *(w for w in text.split() if len(w) > 1)]:
        searcher = textpage.search(needle, match_case=False)
        while (hit := searcher.get_next()) is not None:
            found += range(hit[0], hit[0] + hit[1])
        if found:
            break
    return found


def _object_text(textpage: pdfium.PdfTextPage, obj: pdfium.PdfObject) -> str:
    size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(
        raw.FPDF_WCHAR)), size)
    return buffer.raw[: max(0, size - 2)].decode("utf-16-le", errors="ignore")


def _font_size(obj: pdfium.PdfObject) -> float:
    size = ctypes.c_float(0)
    raw.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size))
    return size.value or 10.0


def _rewrite(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, obj: pdfium.PdfObject,
             text: str, redactions: Sequence[Redaction]) -> None:
    """Replace `obj` with a black box and, in Helvetica, its text with the
    redacted words replaced."""
    left, bottom, right, top = obj.get_bounds()
    size = _font_size(obj)
    for r in redactions:
        for needle in [r.text, *r.text.split()]:
            text = re.sub(re.escape(needle), r.replacement, text, flags=re.I)
    page.remove_obj(obj)
    box = raw.FPDFPageObj_CreateNewRect(left, bottom, right - left, top - bottom)
    raw.FPDFPageObj_SetFillColor(box, 0, 0, 0, 255)
    raw.FPDFPath_SetDrawMode(box, raw.FPDF_FILLMODE_ALTERNATE, False)
    raw.FPDFPage_InsertObject(page.raw, box)
    label = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
    # Letters are written white on the box, so the replacement reads as a label.
    raw.FPDFPageObj_SetFillColor(label, 255, 255, 255, 255)
    encoded = ctypes.create_string_buffer(
        (" ".join(text.split()) + "\0").encode("utf-16-le"))
    raw.FPDFText_SetText(label, ctypes.cast(encoded, ctypes.POINTER(raw.FPDF_WCHAR)))
    raw.FPDFPageObj_Transform(label, 1, 0, 0, 1, left, bottom)
    raw.FPDFPage_InsertObject(page.raw, label)


def redact_pdf(data: bytes, redactions: Sequence[Redaction]) -> bytes:
    """A copy of the PDF `data` with every redaction's words removed from the
    text layer; raises RedactionFailed if the check afterwards finds one."""
    pdf = pdfium.PdfDocument(data)
    try:
        by_page: dict[int, list[Redaction]] = {}
        for r in redactions:
            if 1 <= r.page <= len(pdf) and r.text.strip():
                by_page.setdefault(r.page, []).append(r)
        for number, wanted in by_page.items():
            page = pdf[number - 1]
            textpage = page.get_textpage()
            hit: dict[int, tuple[pdfium.PdfObject, list[Redaction]]] = {}
            for r in wanted:
                for index in _char_indices(textpage, r.text):
                    obj = textpage.get_textobj(index)
                    if obj is not None:  # one entry per text object, by its handle
                        handle = ctypes.cast(obj.raw, ctypes.c_void_p).value or 0
                        hit.setdefault(handle, (obj, []))[1].append(r)
            rewrites = [(obj, _object_text(textpage, obj), list(dict.fromkeys(rs)))
                        for obj, rs in hit.values()]
            for obj, text, rs in rewrites:
                _rewrite(pdf, page, obj, text, rs)
            page.gen_content()
        redacted = _pages_only(pdf)
    finally:
        pdf.close()
    _verify(redacted, redactions)
    return redacted


def _pages_only(pdf: pdfium.PdfDocument) -> bytes:
    """The pages alone, in a new document: the source's document properties
    (title, author, subject, keywords, XMP) and its bookmarks, which a draft's
    author may have filled with the very names redacted, are not copied."""
    copy = pdfium.PdfDocument.new()
    try:
        copy.import_pages(pdf)
        out = io.BytesIO()
        copy.save(out)
        return out.getvalue()
    finally:
        copy.close()


def _verify(data: bytes, redactions: Sequence[Redaction]) -> None:
    pdf = pdfium.PdfDocument(data)
    try:
        properties = _flat(" ".join(pdf.get_metadata_dict(skip_empty=True).values()))
        for r in redactions:
            if _flat(r.text) in properties:
                raise RedactionFailed("the document properties still hold a redacted finding "
                                      "after redaction; the redacted PDF is not served")
            if not 1 <= r.page <= len(pdf):
                continue
            text = _flat(pdf[r.page - 1].get_textpage().get_text_range())
            if _flat(r.text) in text:
                raise RedactionFailed(
                    f"page {r.page} still holds a redacted finding after redaction; the "
                    "redacted PDF is not served")
    finally:
        pdf.close()


def redacted_original(app: Storfa, record: ReviewRecord, path: Path) -> bytes | None:
    """The stored PDF redacted by its version's accepted and edited findings,
    or None when nothing is decided for redaction. Raises RedactionFailed
    rather than return a copy that still holds a redacted word."""
    from storfa.disclosure.decisions import DisclosureDecisions

    wanted = [Redaction(f.page, f.text, replacement) for f, replacement in
              DisclosureDecisions(app).report(record, 0.0).redactions()]
    if not wanted:
        return None
    return redact_pdf(path.read_bytes(), wanted)
