"""A redacted copy of a PDF whose text layer no longer holds the redacted
words (issue 19 item 3, the downloadable original). A black box drawn over
text is not redaction: the words stay in the file for anyone to copy.

PDFium (pypdfium2, already the project's PDF reader) cannot delete single
characters from a text object, so every text object that holds a redacted
character is removed whole, and the rest of its text is written back in
Helvetica at the same place and size, with the replacement ("[NHS number]")
where the words were, over a black box. A line whose text object is rewritten
loses its original font and exact spacing; that is the price of the words
really being gone. Every page's annotations are dropped as well (comments,
sticky notes, FreeText boxes, links and their URIs, form fields and their
values): any of them can hold the very names redacted, they are not part of
the text layer, and a reader of a published review needs none of them.
A page's own XMP metadata stream is not copied either. Afterwards the
copy's text, whatever annotations it still has and every XMP stream in it
(an image's) are read again and checked: if a redacted word survives (text
inside a form XObject, a glyph without a Unicode mapping, an annotation,
XMP), `redact_pdf` raises instead of handing out an unredacted file.
"""

from __future__ import annotations

import ctypes
import html
import io
import re
import zlib
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


def _words(text: str) -> str:
    """Letters and digits only, one space between runs: an annotation's URI
    spells a name "jane-evans" or "Jane%20Evans"."""
    return " ".join(re.findall(r"[^\W_]+", text.replace("%20", " ").casefold()))


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
        for page in pdf:
            _drop_annotations(page)
        redacted = _pages_only(pdf)
    finally:
        pdf.close()
    _verify(redacted, redactions)
    return redacted


def _drop_annotations(page: pdfium.PdfPage) -> None:
    """Remove every annotation of the page (widgets of form fields included),
    before the page is copied: what the copy's pages no longer point at is
    not copied with them, and a document's form (AcroForm) never is."""
    for index in reversed(range(raw.FPDFPage_GetAnnotCount(page.raw))):
        raw.FPDFPage_RemoveAnnot(page.raw, index)


# An annotation's texts a reader of the file can see or copy: its comment,
# its title (author), subject, rich text, a form field's name, tooltip and value.
_ANNOT_KEYS = (b"Contents", b"T", b"Subj", b"RC", b"NM", b"TU", b"V")


def _annotation_texts(pdf: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[str]:
    texts: list[str] = []
    for index in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, index)
        try:
            for key in _ANNOT_KEYS:
                size = raw.FPDFAnnot_GetStringValue(annot, key, None, 0)
                if size > 2:
                    buffer = ctypes.create_string_buffer(size)
                    raw.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(
                        buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
                    texts.append(buffer.raw[:size - 2].decode("utf-16-le", errors="ignore"))
            link = raw.FPDFAnnot_GetLink(annot)
            action = raw.FPDFLink_GetAction(link) if link else None
            if action:
                size = raw.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
                if size > 1:
                    buffer = ctypes.create_string_buffer(size)
                    raw.FPDFAction_GetURIPath(pdf.raw, action, buffer, size)
                    texts.append(buffer.raw[:size - 1].decode("latin-1"))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return texts


def _pages_only(pdf: pdfium.PdfDocument) -> bytes:
    """The pages alone, in a new document: the source's document properties
    (title, author, subject, keywords, XMP) and its bookmarks, which a draft's
    author may have filled with the very names redacted, are not copied.

    A page can carry an XMP stream of its own (/Metadata in the page's
    dictionary), which importing a page copies and PDFium cannot remove from
    a page. When the copy holds one, every page is drawn instead as a form
    XObject made from the page (its contents and resources, which PDFium
    builds without the page's other keys) on a new page of the same size."""
    copy = pdfium.PdfDocument.new()
    try:
        copy.import_pages(pdf)
        data = _saved(copy)
    finally:
        copy.close()
    if _METADATA not in data:  # PDFium writes dictionaries uncompressed
        return data
    copy = pdfium.PdfDocument.new()
    try:
        for index in range(len(pdf)):
            width, height = pdf[index].get_size()
            xobject = raw.FPDF_NewXObjectFromPage(copy.raw, pdf.raw, index)
            page = raw.FPDFPage_New(copy.raw, index, width, height)
            try:
                # The form's matrix carries the page's rotation and origin.
                raw.FPDFPage_InsertObject(page, raw.FPDF_NewFormObjectFromXObject(xobject))
                raw.FPDFPage_GenerateContent(page)
            finally:
                raw.FPDF_ClosePage(page)
                raw.FPDF_CloseXObject(xobject)
        return _saved(copy)
    finally:
        copy.close()


_METADATA = b"/Metadata"


def _saved(pdf: pdfium.PdfDocument) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# An object's dictionary and the start of its stream, as PDFium writes them.
_STREAM = re.compile(rb"\d+\s+\d+\s+obj\s*(<<.*?>>)\s*stream\r?\n", re.S)
_PACKET = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>|<\?xpacket begin.*?<\?xpacket end[^>]*>",
                     re.S)


def xmp_texts(data: bytes) -> list[str]:
    """The text of every XMP metadata stream in the file (a page's, an
    image's), decompressed, and of any XMP packet left in the open, with the
    XML's tags taken out. A compressed stream that cannot be read raises."""
    texts: list[str] = []
    for match in _STREAM.finditer(data):
        header = match.group(1)
        if not (re.search(rb"/Type\s*/Metadata", header) or re.search(rb"/Subtype\s*/XML", header)):
            continue
        length = re.search(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)", header)
        end = (match.end() + int(length.group(1)) if length
               else data.find(b"endstream", match.end()))
        body = data[match.end():end if end >= 0 else len(data)]
        if re.search(rb"/Filter\s*(\[\s*)?/FlateDecode", header):
            try:
                body = zlib.decompressobj().decompress(body)
            except zlib.error as exc:  # unread, it could hold anything
                raise RedactionFailed("an XMP metadata stream could not be read") from exc
        texts.append(body.decode("utf-8", errors="replace"))
    texts += [m.group(0).decode("utf-8", errors="replace") for m in _PACKET.finditer(data)]
    return [html.unescape(re.sub(r"<[^>]*>", " ", t)) for t in texts]


def _verify(data: bytes, redactions: Sequence[Redaction]) -> None:
    pdf = pdfium.PdfDocument(data)
    try:
        properties = _flat(" ".join(pdf.get_metadata_dict(skip_empty=True).values()))
        # On any page: an annotation is not tied to the page its finding was on.
        held = " ".join(t for page in pdf for t in _annotation_texts(pdf, page))
        annotations = f" {_words(held)} "
        xmp = f" {_words(' '.join(xmp_texts(data)))} "
        for r in redactions:
            if _words(r.text) and f" {_words(r.text)} " in xmp:
                raise RedactionFailed("an XMP metadata stream still holds a redacted finding "
                                      "after redaction; the redacted PDF is not served")
            if _flat(r.text) in properties:
                raise RedactionFailed("the document properties still hold a redacted finding "
                                      "after redaction; the redacted PDF is not served")
            if _words(r.text) and f" {_words(r.text)} " in annotations:
                raise RedactionFailed("an annotation still holds a redacted finding after "
                                      "redaction; the redacted PDF is not served")
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
