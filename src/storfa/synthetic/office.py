"""DOCX, HTML and Markdown renderers: the same reading order as the PDF."""

from __future__ import annotations

import html
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from storfa.domain.documents import BlockKind
from storfa.synthetic.model import GeneratedReview
from storfa.synthetic.pdf import footer_text, header_text


def render_markdown(review: GeneratedReview, path: str | Path) -> None:
    Path(path).write_text(review.to_markdown(), encoding="utf-8")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """Append a Word field (PAGE / NUMPAGES) so the footer reads 'Page N of M' in Word."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def render_docx(review: GeneratedReview, path: str | Path) -> None:
    """Headings use Word's Heading N styles (title = Heading 1, sections = Heading 2...)."""
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = header_text(review)
    footer = section.footer.paragraphs[0]
    words = footer_text(1, 1, review.language).split()  # ["Page", "1", "of", "1"]
    footer.add_run(words[0] + " ")
    _field(footer, "PAGE")
    footer.add_run(f" {words[2]} ")
    _field(footer, "NUMPAGES")
    doc.core_properties.title = review.title
    doc.core_properties.author = review.board_name or review.board
    rows: list[list[str]] = []

    def flush_table() -> None:
        if not rows:
            return
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        # Row by row: table.cell(r, c) rescans the whole grid on every call.
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
        rows.clear()

    for block, marker in review.reading_order():
        if block.kind is BlockKind.TABLE_ROW:
            rows.append(block.text.split(" | "))
            continue
        flush_table()
        if block.kind is BlockKind.HEADING:
            doc.add_heading(block.text, level=min(block.level, 9))
        elif block.kind is BlockKind.LIST_ITEM:
            # Typed numbers, as many real reports have, so extractors see "3." too.
            doc.add_paragraph(f"{marker} {block.text}", style="List Paragraph")
        else:
            doc.add_paragraph(block.text)
    flush_table()
    doc.save(str(path))


def render_html(review: GeneratedReview, path: str | Path) -> None:
    esc = html.escape
    lang = "cy" if review.language == "cy" else "en-GB"
    out = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">',
           f"<title>{esc(review.title)}</title></head>\n<body>",
           f'<header><p class="running-header">{esc(header_text(review))}</p></header>', "<main>"]
    open_list = open_table = False
    for block, _marker in review.reading_order():
        if open_list and block.kind is not BlockKind.LIST_ITEM:
            out.append("</ol>")
            open_list = False
        if open_table and block.kind is not BlockKind.TABLE_ROW:
            out.append("</tbody></table>")
            open_table = False
        if block.kind is BlockKind.HEADING:
            out.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif block.kind is BlockKind.LIST_ITEM:
            if not open_list:
                out.append("<ol>")
                open_list = True
            out.append(f"<li>{esc(block.text)}</li>")
        elif block.kind is BlockKind.TABLE_ROW:
            cells = block.text.split(" | ")
            if not open_table:
                head = "".join(f"<th>{esc(c)}</th>" for c in cells)
                out.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
                open_table = True
            else:
                out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        else:
            out.append(f"<p>{esc(block.text)}</p>")
    if open_list:
        out.append("</ol>")
    if open_table:
        out.append("</tbody></table>")
    out += ["</main>", "</body>", "</html>", ""]
    Path(path).write_text("\n".join(out), encoding="utf-8")
