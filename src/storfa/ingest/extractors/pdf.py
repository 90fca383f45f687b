"""PDF extraction with PDFium: per-page characters → reading-ordered blocks, OCR fallback."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from storfa.domain.documents import ExtractedDocument, ExtractedPage
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.extractors import ocr
from storfa.ingest.extractors.pdf_layout import (
    Segment,
    Style,
    build_blocks,
    group_lines,
    make_style,
    reading_order,
)
from storfa.ingest.limits import ExtractLimits

MIN_TEXT_CHARS = 16  # fewer non-space characters than this → the page needs OCR
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FORCE_BOLD = 1 << 18


class _FontCache:
    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.tp = textpage
        self.cache: dict[int | None, bool] = {}
        self.buf = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()

    def bold(self, index: int) -> bool:
        obj = pdfium_c.FPDFText_GetTextObject(self.tp, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value
        hit = self.cache.get(key)
        if hit is None:
            weight = pdfium_c.FPDFText_GetFontWeight(self.tp, index)
            n = pdfium_c.FPDFText_GetFontInfo(self.tp, index, self.buf, 128, self.flags)
            name = self.buf.raw[: max(0, min(n, 128) - 1)].decode("latin-1").lower()
            hit = weight >= 600 or any(b in name for b in _BOLD_NAMES) or bool(
                self.flags.value & _FORCE_BOLD)
            self.cache[key] = hit
        return hit


def page_segments(textpage: pdfium.PdfTextPage) -> list[Segment]:
    """Split the page's characters into runs on one baseline without wide gaps."""
    tp = textpage
    n = pdfium_c.FPDFText_CountChars(tp)
    fonts = _FontCache(tp)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    segs: list[Segment] = []
    chars: list[str] = []
    seg: Segment | None = None
    last_x1 = 0.0

    def close() -> None:
        nonlocal seg
        if seg is not None:
            text = "".join(chars).strip()
            if text:
                seg.text = " ".join(text.split(" ")) if "  " not in text else " ".join(
                    text.split())
                segs.append(seg)
        seg = None
        chars.clear()

    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(tp, i)
        ch = chr(code) if 0 <= code < 0x110000 else "\ufffd"
        if ch in "\r\n":
            close()
            continue
        if ch.isspace():
            if seg is not None:
                chars.append(" ")
            continue
        if not pdfium_c.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
            continue
        pdfium_c.FPDFText_GetCharOrigin(tp, i, ox, oy)
        size = pdfium_c.FPDFText_GetFontSize(tp, i) or 10.0
        x0, x1, y = left.value, right.value, oy.value
        if ch == "\x02":  # PDFium's marker for a hyphen at the end of a line
            ch = "-"
        if seg is not None:
            gap = x0 - last_x1
            same_line = abs(seg.y - y) < 0.5 * max(seg.size, size)
            if not same_line or gap > max(1.5 * seg.size, 8.0) or gap < -2.0 * seg.size:
                close()
        if seg is None:
            seg = Segment("", x0, x1, y, size, fonts.bold(i))
        chars.append(ch)
        seg.x1 = max(seg.x1, x1)
        seg.size = max(seg.size, size) if len(chars) < 3 else seg.size
        last_x1 = x1
    close()
    return segs


def _has_images(page: pdfium.PdfPage) -> bool:
    for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        return True
    return False


def _open(path: Path, limits: ExtractLimits) -> pdfium.PdfDocument:
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise RejectedFile(RejectReason.ENCRYPTED,
                               "PDF is password-protected") from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise RejectedFile(RejectReason.ENCRYPTED,
                               "PDF uses an unsupported security handler") from None
        raise RejectedFile(RejectReason.CORRUPT, f"unreadable PDF: {exc}") from None
    n = len(doc)
    if n == 0:
        doc.close()
        raise RejectedFile(RejectReason.CORRUPT, "PDF has no readable pages")
    if n > limits.max_pages:
        doc.close()
        raise RejectedFile(RejectReason.TOO_MANY_PAGES,
                           f"PDF has {n:,} pages (limit {limits.max_pages:,})")
    return doc


def extract_pdf(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    doc = _open(path, limits)
    warnings: list[str] = []
    try:
        per_page: list[tuple[list[Segment], float]] = []
        needs_ocr: list[int] = []
        failed = 0
        for index in range(len(doc)):
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                failed += 1
                per_page.append(([], 0.0))
                continue
            try:
                tp = page.get_textpage()
                try:
                    segs = page_segments(tp)
                finally:
                    tp.close()
                if sum(len(s.text.replace(" ", "")) for s in segs) < MIN_TEXT_CHARS \
                        and _has_images(page):
                    needs_ocr.append(index)
                per_page.append((segs, page.get_width()))
            finally:
                page.close()
        style = make_style([segs for segs, _ in per_page])
        pages = [_layout(i + 1, segs, width, style) for i, (segs, width) in enumerate(per_page)]
        if failed:
            warnings.append(f"{failed} page(s) could not be read")
        if needs_ocr:
            _ocr_pages(doc, pages, needs_ocr, limits, warnings)
        title = (doc.get_metadata_value("Title") or "").strip() or None
    finally:
        doc.close()
    if not any(p.blocks for p in pages):
        truncated = b"%%EOF" not in path.read_bytes()[-2048:]
        if failed or truncated:
            raise RejectedFile(RejectReason.CORRUPT, "PDF is damaged or truncated; no text found")
        raise RejectedFile(RejectReason.NO_TEXT, "PDF has no extractable text")
    return ExtractedDocument(format="pdf", pages=pages, title=title, warnings=warnings)


def _layout(number: int, segs: list[Segment], width: float, style: Style) -> ExtractedPage:
    lines = reading_order(group_lines(segs), width or 612.0)
    return ExtractedPage(number=number, blocks=build_blocks(lines, style))


def _ocr_pages(doc: pdfium.PdfDocument, pages: list[ExtractedPage], indices: list[int],
               limits: ExtractLimits, warnings: list[str]) -> None:
    if not limits.ocr or not ocr.available():
        warnings.append(f"{len(indices)} page(s) have no text layer and OCR is unavailable: "
                        + ", ".join(str(i + 1) for i in indices))
        return
    done: list[int] = []
    for index in indices:
        page = doc[index]
        try:
            blocks = ocr.ocr_page(page, limits)
        except ocr.OcrError as exc:
            warnings.append(f"OCR failed on page {index + 1}: {exc}")
            continue
        finally:
            page.close()
        pages[index] = ExtractedPage(number=index + 1, blocks=blocks, ocr=True)
        done.append(index + 1)
    if done:
        warnings.append("text from OCR (may contain recognition errors) on page(s): "
                        + ", ".join(map(str, done)))
