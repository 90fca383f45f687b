"""Reports as DOCX (python-docx): the same document as the PDF, with real
Word headings (Heading 1/2), bullet lists, tables and the chart as a PNG, so
a board can edit it further in Word."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.shared import Mm, Pt, RGBColor

from storfa.reports.document import Bullets, Document, Image, Paragraph, Table

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCENT = RGBColor(0x1D, 0x5B, 0x79)


def render_docx(doc: Document) -> bytes:
    word = new_docx()
    section = word.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(16))
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    brand = word.add_paragraph()
    run = brand.add_run(f"storfa · {doc.kind}")
    run.bold, run.font.color.rgb, run.font.size = True, ACCENT, Pt(8)
    word.add_heading(doc.title, level=1)
    for line in doc.meta:
        word.add_paragraph(line).runs[0].font.size = Pt(8.5)
    section.footer.paragraphs[0].text = f"storfa · {doc.kind} · {doc.meta[0] if doc.meta else ''}"
    for part in doc.sections:
        word.add_heading(part.heading, level=part.level)
        for block in part.blocks:
            if isinstance(block, Paragraph):
                word.add_paragraph(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    word.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Table):
                _table(word, block)
            elif isinstance(block, Image):
                word.add_picture(io.BytesIO(block.png), width=Mm(165))
                word.add_paragraph(block.caption).runs[0].italic = True
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _table(word: DocxDocument, block: Table) -> None:
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Light List Accent 1"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
