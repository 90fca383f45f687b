"""Render a GeneratedReview to PDF with reportlab's canvas (fast, no platypus).

Features the ingestion benchmarks rely on: optional two-column body text, a
running header and "Page N of M" footer on every page, occasional line-end
hyphenation, tables drawn as rows, and chosen pages rendered as a bitmap only
(no text layer) so OCR is exercised.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from storfa.synthetic.model import GeneratedReview
from storfa.synthetic.pdf_layout import (
    BODY,
    BOLD,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    Line,
    PageLayout,
    layout_review,
    text_width,
)

DPI = 200
HEADER_Y, FOOTER_Y, FURNITURE_SIZE = PAGE_H - 42.0, 34.0, 8.5


def header_text(review: GeneratedReview) -> str:
    """The running header drawn on every page (with header_footer=True)."""
    board = review.board_name or review.board
    if zlib.crc32(review.identifier.encode()) % 2:
        return f"{board} — CONFIDENTIAL"
    return f"{review.identifier_text or review.identifier} — {board}"


def footer_text(page: int, total: int, language: str = "en") -> str:
    return f"Tudalen {page} o {total}" if language == "cy" else f"Page {page} of {total}"


def _furniture(review: GeneratedReview, page: int, total: int) -> PageLayout:
    footer = footer_text(page, total, review.language)
    fw = text_width(footer, BODY, 9.0)
    out = PageLayout()
    out.lines.append(Line(MARGIN_X, HEADER_Y, header_text(review), BODY, FURNITURE_SIZE))
    out.lines.append(Line((PAGE_W - fw) / 2, FOOTER_Y, footer, BODY, 9.0))
    out.rules.append((MARGIN_X, HEADER_Y - 5, PAGE_W - MARGIN_X, HEADER_Y - 5))
    return out


def render_pdf(review: GeneratedReview, path: str | Path, *, layout: str = "single",
               header_footer: bool = True, image_pages: Collection[int] = ()) -> int:
    """Write the PDF and return its page count. `image_pages` are 1-based."""
    # ASCII85 stream encoding is pure Python in reportlab and adds nothing for
    # files nobody reads as text; switch it off for this render only.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        return _render(review, path, layout, header_footer, image_pages)
    finally:
        rl_config.useA85 = saved


def _render(review: GeneratedReview, path: str | Path, layout: str, header_footer: bool,
            image_pages: Collection[int]) -> int:
    pages = layout_review(review, layout)
    total = len(pages)
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    canvas.setTitle(review.title)
    canvas.setAuthor(review.board_name or review.board)
    canvas.setCreator("storfa review generator")
    for number, page in enumerate(pages, 1):
        # Furniture first, as most authoring tools write it into the content stream.
        parts = [_furniture(review, number, total), page] if header_footer else [page]
        if number in image_pages:
            jpeg = _raster(parts)
            canvas.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, PAGE_W, PAGE_H)
        else:
            for part in parts:
                _draw_text(canvas, part)
        canvas.showPage()
    canvas.save()
    return total


# PDF string escaping for WinAnsi-encoded text, done with str.translate: reportlab's
# own escaper is a per-character Python loop without its optional C accelerator.
_PDF_ESC = {ord("("): "\\(", ord(")"): "\\)", ord("\\"): "\\\\",
            **{c: f"\\{c:03o}" for c in range(128, 256)}}


def _draw_text(canvas: Canvas, page: PageLayout) -> None:
    # One text object per page: far fewer operators than a drawString per line.
    text = canvas.beginText()
    code: list[str] = text._code  # the text object's operator list (private but stable)
    current: tuple[str, float] | None = None
    for line in page.lines:
        if (line.font, line.size) != current:
            current = (line.font, line.size)
            text.setFont(line.font, line.size)
        try:
            raw = line.text.encode("cp1252").decode("latin-1")
        except UnicodeEncodeError:  # outside WinAnsi (e.g. Welsh ŵ): let reportlab map it
            text.setTextOrigin(line.x, line.y)
            text.textOut(line.text)
            continue
        code.append(f"1 0 0 1 {line.x:.2f} {line.y:.2f} Tm ({raw.translate(_PDF_ESC)}) Tj")
    canvas.drawText(text)
    canvas.setLineWidth(0.5)
    for x1, y1, x2, y2 in page.rules:
        canvas.line(x1, y1, x2, y2)


@lru_cache(maxsize=16)
def _pil_font(font: str, size: float) -> ImageFont.FreeTypeFont:
    import reportlab

    name = "VeraBd.ttf" if font == BOLD else "Vera.ttf"
    path = Path(reportlab.__file__).parent / "fonts" / name
    probe = "The review found limited evidence of professional curiosity"
    base = ImageFont.truetype(str(path), 100)
    # Vera is wider than Helvetica; shrink it so lines keep to their laid-out width.
    ratio = text_width(probe, font, 100) / base.getlength(probe)
    return ImageFont.truetype(str(path), max(6, round(size * DPI / 72 * ratio)))


def _raster(parts: list[PageLayout]) -> bytes:
    """A greyscale ~200 dpi image of the page, JPEG-encoded (reportlab embeds it as is)."""
    scale = DPI / 72
    img = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
    draw = ImageDraw.Draw(img)
    for part in parts:
        for line in part.lines:
            draw.text((line.x * scale, (PAGE_H - line.y) * scale), line.text, fill=0,
                      font=_pil_font(line.font, line.size), anchor="ls")
        for x1, y1, x2, y2 in part.rules:
            draw.line([(x1 * scale, (PAGE_H - y1) * scale), (x2 * scale, (PAGE_H - y2) * scale)],
                      fill=0, width=1)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80, dpi=(DPI, DPI))
    return buf.getvalue()
