"""PDF extraction with PDFium: per-page characters → reading-ordered blocks, OCR fallback."""

from __future__ import annotations

import ctypes
from dataclasses import replace
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from storfa.domain.documents import Block, ExtractedDocument, ExtractedPage
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.extractors import ocr
from storfa.ingest.extractors.pdf_layout import (
    Line,
    Segment,
    Style,
    TableCarry,
    build_blocks,
    carried_leftover,
    group_lines,
    make_style,
    page_furniture,
    reading_order,
    split_notes,
)
from storfa.ingest.extractors.pdf_rules import (
    Grid,
    Overleaf,
    Row,
    fill,
    find_grids,
    page_rules,
    row_block,
)
from storfa.ingest.limits import ExtractLimits

MIN_TEXT_CHARS = 16  # fewer non-space characters than this → the page needs OCR
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FORCE_BOLD = 1 << 18


def _void_fn(fn: Any, *args: Any) -> Any:
    """The PDFium function `fn` returning its handle as a plain int (or None): cheaper
    to compare and cache than pypdfium2's typed pointers, which need ctypes.cast."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    assert address is not None
    return ctypes.CFUNCTYPE(ctypes.c_void_p, *args)(address)


# (textpage, char index) -> text object address; (text object) -> font address
_text_object = _void_fn(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_int)
_object_font = _void_fn(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)


_MATRIX = pdfium_c.FS_MATRIX()


def _font_size(tp: pdfium_c.FPDF_TEXTPAGE, index: int) -> float:
    """A character's size on the page, in points. PDFium's font size is the
    size set in the text (`Tf`), before the text and graphics matrices scale
    it: WeasyPrint and Chromium draw a page in a 0.75-scaled space (11 pt
    text is "14.67"), and some producers set every font at 1 and scale the
    text matrix (11 pt is "1"). Line spacing and heading sizes are judged
    against it, so it must be the size as drawn."""
    size = pdfium_c.FPDFText_GetFontSize(tp, index) or 10.0
    if pdfium_c.FPDFText_GetMatrix(tp, index, _MATRIX):
        m = _MATRIX
        scale = abs(m.a * m.d - m.b * m.c) ** 0.5
        if scale > 1e-3:
            size *= scale
    return float(size)


class _FontCache:
    """Whether a character's font is bold, cached per font."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.tp = textpage.raw
        self.cache: dict[int | None, bool] = {}
        self.buf = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()

    def bold(self, index: int, obj: int | None = None) -> bool:
        if obj is None:
            obj = _text_object(self.tp, index)
        key: int | None = _object_font(obj) if obj else None
        hit = self.cache.get(key)
        if hit is None:
            weight = pdfium_c.FPDFText_GetFontWeight(self.tp, index)
            n = pdfium_c.FPDFText_GetFontInfo(self.tp, index, self.buf, 128, self.flags)
            name = self.buf.raw[: max(0, min(n, 128) - 1)].decode("latin-1").lower()
            hit = weight >= 600 or any(b in name for b in _BOLD_NAMES) or bool(
                self.flags.value & _FORCE_BOLD)
            if key is not None:
                self.cache[key] = hit
        return hit


def page_segments(textpage: pdfium.PdfTextPage) -> list[Segment]:
    """Split the page's characters into runs on one baseline without wide gaps.

    Fast path: PDFium's rectangle API gives one box per run of one text object on
    a line, so a page costs a few calls per run rather than several per character.
    Runs that look odd (a wide internal gap, a line break inside) and pages whose
    runs cannot be mapped to character indices fall back to the per-character walk.
    """
    tp = textpage.raw
    n = pdfium_c.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    fonts = _FontCache(textpage)
    pieces = _rect_pieces(tp, n, fonts)
    segs = _char_segments(tp, 0, n, fonts) if pieces is None else _merge_pieces(pieces)
    for seg in segs:
        _read_bullet(seg)
    return segs


def _read_bullet(seg: Segment) -> None:
    """A segment opening with a bullet as Word sets it, opening with the bullet
    it draws instead."""
    if seg.text[:1] in _SYMBOL_BULLETS:
        seg.text = _SYMBOL_BULLETS[seg.text[0]] + seg.text[1:]
    elif seg.text == "o" or (seg.text.startswith("o ") and seg.break_words
                             and seg.text[2:].startswith(seg.break_words[0])):
        # Word's second-level bullet: an "o" set apart by a tab, its text a
        # run of its own (the Welsh word "o" runs on a word space after).
        seg.text = "◦" + seg.text[1:]


# Word sets its bullets in the Symbol and Wingdings fonts, whose glyphs PDFium
# reads as private-use code points (U+F0B7 is Symbol's bullet, Word's
# default). Each is read as the bullet it draws, so the layout knows a list
# item by it; unread, a list ran into the paragraph before it.
_SYMBOL_BULLETS = {
    "\uf0b7": "•", "\uf06c": "●", "\uf0a7": "▪", "\uf06e": "■", "\uf0a8": "□",
    "\uf071": "□", "\uf076": "•", "\uf0d8": "‣", "\uf0e0": "‣", "\uf0fc": "•",
}


# A run of text from one rectangle: (segment, text-with-trailing-whitespace, ends_line).
_Piece = tuple[Segment, str, bool]


def _page_text(tp: pdfium_c.FPDF_TEXTPAGE, n: int) -> tuple[bytes, int] | None:
    """All the page's text as UTF-16-LE bytes and the text index of char 0."""
    first = last = -1
    for i in range(n):
        first = pdfium_c.FPDFText_GetTextIndexFromCharIndex(tp, i)
        if first >= 0:
            break
    for i in range(n - 1, -1, -1):
        last = pdfium_c.FPDFText_GetTextIndexFromCharIndex(tp, i)
        if last >= 0:
            break
    if first < 0 or last < first:
        return None
    buf = (ctypes.c_ushort * (last - first + 2))()
    got = pdfium_c.FPDFText_GetText(tp, 0, n, buf)
    if got <= 0:
        return None
    return bytes(buf)[: 2 * (got - 1)], first


def _rect_pieces(tp: pdfium_c.FPDF_TEXTPAGE, n: int, fonts: _FontCache) -> list[_Piece] | None:
    """One piece per PDFium text rectangle, or None if they cannot be mapped to chars.

    A rectangle is a maximal run of one text object in character order, so each
    starts where the text object changes. Usually that is just after the next line
    break in the page text, which two calls confirm; otherwise the rectangle is
    probed with FPDFText_GetCharIndexAtPos (which scans the whole page).
    """
    nrects = pdfium_c.FPDFText_CountRects(tp, 0, -1)
    if nrects <= 0:
        return None
    page_text = _page_text(tp, n)
    if page_text is None:
        return None
    raw, base = page_text
    units = len(raw) // 2
    full = raw.decode("utf-16-le", "surrogatepass")
    # Text index == char index (the usual case): slice `full` by char index directly.
    direct = base == 0 and units == n == len(full) and \
        pdfium_c.FPDFText_GetTextIndexFromCharIndex(tp, n - 1) == n - 1
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    get_obj = _text_object
    # (x0, x1, baseline, first char, text object)
    rects: list[tuple[float, float, float, int, int | None]] = []
    prev, prev_key = -1, None
    for k in range(nrects):
        if not pdfium_c.FPDFText_GetRect(tp, k, left, top, right, bottom):
            return None
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        idx, obj, key = -1, None, None
        if direct:
            idx = 0 if k == 0 else full.find("\r\n", prev + 1) + 2
            if idx > prev:
                obj = get_obj(tp, idx)
                key = obj
                if key is None or key == prev_key or (
                        k and get_obj(tp, idx - 3) != prev_key):
                    idx = -1
                else:
                    pdfium_c.FPDFText_GetCharOrigin(tp, idx, ox, oy)
                    if not (x0 - 2.0 <= ox.value <= x1 + 1.0 and y0 - 1.0 <= oy.value <= y1 + 1.0):
                        idx = -1
        if idx <= prev:
            idx = pdfium_c.FPDFText_GetCharIndexAtPos(
                tp, x0 + min(1.0, (x1 - x0) / 2), (y0 + y1) / 2, 1.0, max(y1 - y0, 0.5) / 2)
            obj = get_obj(tp, idx) if idx > prev else None
            key = obj
            if key is None or key == prev_key:
                # The probe hit another run (overlapping text): scan for the change.
                idx = prev + 1
                while idx < n:
                    obj = get_obj(tp, idx)
                    key = obj
                    if key is not None and key != prev_key:
                        break
                    idx += 1
                else:
                    return None
            # The probe may land after the run's first character (a small quote mark
            # or bullet): step back over characters of the same text object.
            while idx - 1 > prev and get_obj(tp, idx - 1) == key:
                idx -= 1
            pdfium_c.FPDFText_GetCharOrigin(tp, idx, ox, oy)
        rects.append((x0, x1, oy.value, idx, obj))
        prev, prev_key = idx, key
    starts = [r[3] for r in rects] + [n]
    if direct:
        tstarts = starts[:-1]
    else:
        tstarts = []
        for idx in starts[:-1]:
            t = pdfium_c.FPDFText_GetTextIndexFromCharIndex(tp, idx)
            if t < 0 or (tstarts and t < tstarts[-1]):
                return None
            tstarts.append(t - base)
    tstarts.append(units)
    pieces: list[_Piece] = []
    for k, (x0, x1, y, idx, obj) in enumerate(rects):
        if direct:
            text = full[tstarts[k]: tstarts[k + 1]]
        else:
            text = raw[2 * tstarts[k]: 2 * tstarts[k + 1]].decode("utf-16-le", "replace")
        body = text.rstrip()
        size = _font_size(tp, idx)
        if not body or "\n" in body or "\r" in body or "  " in body or (
                len(body) > 2 and x1 - x0 > 0.7 * size * len(body) + 1.5 * size):
            # Odd run (wide internal gap, several lines): walk its characters.
            for seg in _char_segments(tp, idx, starts[k + 1], fonts):
                pieces.append((seg, seg.text, True))
            continue
        tail = text[len(body):]
        seg = Segment("", x0, x1, y, size, fonts.bold(idx, obj))
        pieces.append((seg, _hyphens(body) + (" " if tail else ""),
                       "\n" in tail or "\r" in tail))
    return pieces


def _hyphens(text: str) -> str:
    """PDFium's markers for a hyphen at the end of a line as hyphens. (Two
    replaces, not str.translate: translating with a dict raises and catches
    a KeyError inside for every distinct character not in it, ~3 µs a run.)"""
    return text.replace("\x02", "-").replace("\ufffe", "-")


def _merge_pieces(pieces: list[_Piece]) -> list[Segment]:
    """Join consecutive runs on one baseline without a wide gap (as the char walk does)."""
    segs: list[Segment] = []
    seg: Segment | None = None
    parts: list[str] = []
    for piece, text, ends_line in pieces:
        if seg is not None and _reference_mark(seg, piece.size, piece.y, text):
            if ends_line:
                _close(seg, parts, segs)
                seg = None
            continue
        if seg is not None:
            gap = piece.x0 - seg.x1
            same_line = abs(seg.y - piece.y) < 0.5 * max(seg.size, piece.size)
            if not same_line or gap > max(1.5 * seg.size, 8.0) or gap < -2.0 * seg.size:
                _close(seg, parts, segs)
                seg = None
        if seg is None:
            seg = Segment("", piece.x0, piece.x1, piece.y, piece.size, piece.bold)
            parts = []
        elif piece.x0 - seg.x1 > 0.4 * seg.size:
            seg.breaks.append(piece.x0)  # perhaps a narrow table cell's start
            seg.break_words.append(text.split(" ", 1)[0])
        parts.append(text)
        seg.x1 = max(seg.x1, piece.x1)
        if ends_line:
            _close(seg, parts, segs)
            seg = None
    if seg is not None:
        _close(seg, parts, segs)
    return segs


def _reference_mark(seg: Segment, size: float, y: float, text: str) -> bool:
    """Whether `text`, going on from `seg`, is a footnote's reference mark:
    a number (or *, †, ‡) set small and raised ("partnerships.²"). It is
    left out, as a reader skips it: "partnerships.2 Wales" is not the text."""
    mark = text.strip()
    return (0 < len(mark) <= 3 and (mark.isdigit() or mark in "*†‡")
            and size < 0.8 * seg.size and y > seg.y + 0.2 * seg.size)


def _close(seg: Segment, parts: list[str], segs: list[Segment]) -> None:
    text = "".join(parts).strip()
    if text:
        seg.text = " ".join(text.split()) if "  " in text or "\t" in text else text
        segs.append(seg)


def _char_segments(tp: pdfium_c.FPDF_TEXTPAGE, start: int, end: int,
                   fonts: _FontCache) -> list[Segment]:
    """The per-character walk over chars [start, end): exact but slow."""
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

    for i in range(start, end):
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
        size = _font_size(tp, i)
        x0, x1, y = left.value, right.value, oy.value
        if ch in "\x02\ufffe":  # PDFium's marker for a hyphen at the end of a line
            ch = "-"
        if seg is not None and _reference_mark(seg, size, y, ch):
            continue
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
        per_page: list[tuple[list[Segment], float, list[Grid]]] = []
        needs_ocr: list[int] = []
        failed = 0
        for index in range(len(doc)):
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                failed += 1
                per_page.append(([], 0.0, []))
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
                grids = find_grids(page_rules(page), page.get_height())
                per_page.append((segs, page.get_width(), grids))
            finally:
                page.close()
        style = make_style([segs for segs, _, _ in per_page])
        carry = TableCarry()  # a table going on from one page to the next
        overleaf = Overleaf()  # a ruled table going on from one page to the next
        pages = [_layout(i + 1, segs, width, style, carry, grids, overleaf)
                 for i, (segs, width, grids) in enumerate(per_page)]
        leftover = carried_leftover(carry)
        if leftover is not None and pages:
            # The last page's table ran to its foot: its last row stands there,
            # before the page's notes.
            body = [b for b in pages[-1].blocks if not b.note]
            pages[-1].blocks.insert(len(body), leftover)
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


def _layout(number: int, segs: list[Segment], width: float, style: Style,
            carry: TableCarry, grids: list[Grid], overleaf: Overleaf) -> ExtractedPage:
    grids = [g for g in grids if _owns_band(g, segs)]
    if grids:
        return ExtractedPage(number=number,
                             blocks=_ruled_page(segs, width, style, carry, grids, overleaf))
    overleaf.leaves(None)
    lines = reading_order(group_lines(segs), width or 612.0)
    body, notes = split_notes(lines, style)
    return ExtractedPage(number=number, blocks=build_blocks(body, style, carry) + [
        replace(b, note=True) for b in build_blocks(notes, style)])


def _ruled_page(segs: list[Segment], width: float, style: Style, carry: TableCarry,
                grids: list[Grid], overleaf: Overleaf) -> list[Block]:
    """A page's blocks where it has ruled tables: each read from its rules,
    the text above, between and below them through the text layout, band by
    band."""
    bands: list[list[Segment]] = [[] for _ in range(len(grids) + 1)]
    inside: list[list[Segment]] = [[] for _ in grids]
    for seg in segs:
        k = next((k for k, g in enumerate(grids) if g.holds(seg)), None)
        if k is not None:
            inside[k].append(seg)
        else:
            bands[sum(1 for g in grids if g.bottom > seg.y)].append(seg)
    for grid, held in zip(grids, inside, strict=True):
        fill(grid, held)
    banded = [reading_order(group_lines(band), width or 612.0) for band in bands]
    body, notes = split_notes(banded[-1], style)
    banded[-1] = body
    # A table from the page before goes on: its header repeated, the row it broke.
    skip = overleaf.resumes(grids[0], _furniture_only(banded[0]))
    header = overleaf.header if skip else None
    blocks = build_blocks(banded[0], style, carry)
    if (leftover := carried_leftover(carry)) is not None:
        blocks.append(leftover)  # a table without rules ended where a ruled one began
    last: Row | None = None
    for k, grid in enumerate(grids):
        if k:
            blocks += build_blocks(banded[k], style)
            header = None
        for last in grid.rows[skip if k == 0 else 0:]:
            if len(last.cells) == 1:
                # A cell across the whole table (a template's section of
                # narrative, a box): its paragraphs, read as text.
                lines = reading_order(group_lines(last.cells[0]), width or 612.0)
                blocks += build_blocks(lines, style)
            elif any(cells := last.texts):
                blocks.append(row_block(cells))
        header = header or grid.rows[0].texts
    foot_row = len(blocks) - 1
    blocks += build_blocks(banded[-1], style, carry)
    # The last grid's last row is this page's last block of it, to be joined
    # if it goes on overleaf (not a row that all went to the page before's,
    # nor a cell read as text, which the text's own joins carry on).
    ends_here = last is not None and len(last.cells) > 1 and any(last.texts)
    overleaf.leaves(grids[-1] if _furniture_only(banded[-1]) and ends_here else None,
                    header, blocks, foot_row)
    blocks += [replace(b, note=True) for b in build_blocks(notes, style)]
    return blocks


def _owns_band(grid: Grid, segs: list[Segment]) -> bool:
    """Whether no text stands beside the grid: a table across the text's
    width, read in its place between the text above and below it."""
    return not any(grid.bottom < s.y < grid.top and not grid.holds(s) for s in segs)


def _furniture_only(lines: list[Line]) -> bool:
    """Lines between a ruled table and the page's edge that are at most a
    running header, footer or page number."""
    return len(lines) <= 2 and all(page_furniture(ln, ln.size) for ln in lines)


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
