"""A document's passages laid out as a published report, in the layouts
boards publish reviews in, to be rendered to PDF by WeasyPrint.

Real reports reach storfa as PDFs, but the labelled ones held for testing
are text: laying a labelled report's own passages out as a PDF and reading
it back tests the PDF path on real prose with every paragraph's label known
(`bench/real_as_pdf.py`, `tests/test_written_review.py`), and as Word
documents the same way. WeasyPrint
draws a page as Chromium does (a 0.75-scaled page space, U+2010 for an
automatic hyphen)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from storfa.domain.reviews import Passage
from storfa.ingest.extractors.list_markers import OPENS_ON_ORDINAL

HEADER = "Safeguarding review — published report"
FOOTNOTE = ("Welsh Government (2018) Working Together to Safeguard People: Volume 2, "
            "Child Practice Reviews.")
# A list item's own marker ("a.", "2)", "iv."), set as the list's numbering.
MARKER = OPENS_ON_ORDINAL  # an item that carries its own number ("a.", "2)")

# Page styles by layout (STYLES below): `word` (a review written in Word and
# saved as PDF), `footnotes` (as `word`, a note at the foot of the page on
# about one paragraph in four), `numbered` (as `word`, each paragraph
# numbered "3.1" in a hanging indent, as the Welsh review templates number
# them), `numbered-tight` (the same with 2 pt between paragraphs, as older
# templates set them, so only the numbers mark where a paragraph starts),
# `two-column` (a designed report) and `typeset` (two justified
# columns, words hyphenated at line ends). The CSS is %-formatted with the
# running header, hence "100%%".
_WORD = """
    @page { size: A4; margin: 25mm 22mm;
            @top-right { content: "%(header)s"; font: 9pt Arial, sans-serif; color: #444 }
            @bottom-center { content: "Page " counter(page) " of " counter(pages);
                             font: 9pt Arial, sans-serif } }
    body { font: 11pt/1.35 "DejaVu Sans", Arial, sans-serif; text-align: justify }
    h2 { font-size: 14pt; font-weight: bold; margin: 14pt 0 6pt }
    p, li { margin: 0 0 8pt }
    table { border-collapse: collapse; width: 100%%; font-size: 10pt; margin: 0 0 8pt }
    td { border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top }
"""
# A designed report: two columns of smaller type, tables without borders.
_COLUMNS = """
    p, li { margin: 0 0 6pt }
    table { border-collapse: collapse; width: 100%%; font-size: 8.5pt; margin: 0 0 6pt }
    td { padding: 1pt 3pt; vertical-align: top }
"""
STYLES = {
    "word": _WORD,
    "footnotes": _WORD + """
        @page { @footnote { border-top: 0.5pt solid #888; padding-top: 3pt } }
        .fn { float: footnote; font-size: 8.5pt; text-align: left }
    """,
    "numbered": _WORD + """
        body { text-align: left }
        h2 { font-size: 13pt }
        p.n { padding-left: 13mm; text-indent: -13mm }
        p.n span { display: inline-block; width: 13mm; text-indent: 0 }
    """,
    "numbered-tight": "",  # as `numbered`, with 2 pt between paragraphs (set below)
    "two-column": _COLUMNS + """
        @page { size: A4; margin: 20mm 16mm;
                @top-left { content: "%(header)s"; font: 8pt Arial, sans-serif; color: #444 }
                @bottom-right { content: "Page " counter(page) " of " counter(pages);
                                font: 8pt Arial, sans-serif } }
        body { font: 9.5pt/1.3 "DejaVu Serif", serif; column-count: 2; column-gap: 9mm }
        h2 { font: bold 12pt "DejaVu Sans", sans-serif; margin: 10pt 0 4pt;
             break-after: avoid }
    """,
    "typeset": _COLUMNS + """
        @page { size: A4; margin: 18mm 15mm;
                @bottom-center { content: counter(page); font: 8pt sans-serif } }
        body { font: 9.5pt/1.25 "DejaVu Serif", serif; column-count: 2; column-gap: 8mm;
               text-align: justify; hyphens: auto }
        h2 { font: bold 11pt "DejaVu Sans", sans-serif; margin: 9pt 0 3pt; hyphens: none }
        p, li { margin: 0 0 5pt }
        table { font-size: 8pt; margin: 0 0 5pt }
    """,
}

STYLES["numbered-tight"] = STYLES["numbered"] + " p, li { margin: 0 0 2pt } "


# Heading sizes by depth, as a Word report's Heading 1-3 styles set them:
# far enough apart, and the smallest far enough above the body, to be told
# apart by size. Without them every heading is one <h2>, the harder case.
LEVELS_CSS = ("h2 { font-size: 1.6em } h3 { font-size: 1.35em } h4 { font-size: 1.18em } "
              "h3, h4, h5, h6 { font-weight: bold; margin: 10pt 0 4pt } "
              "h5, h6 { font-size: 1em }")


def report_html(passages: Sequence[Passage], layout: str, levels: bool = False) -> str:
    """The passages as a published report's HTML: one element per passage, a
    list item with its own marker ("a.", "2)") set as Word sets a numbered
    list (the marker hanging in the margin), others with a bullet, and a run
    of table rows as one table (storfa joins a row's cells with " | ").
    Headings are one <h2> each, or with `levels` sized by their depth in the
    heading path (<h2> outermost)."""
    body: list[str] = []
    open_tag = ""  # "ul" or "table" while one is open
    section, number = 1, 0
    for p in passages:
        tag = {"list_item": "ul", "table_row": "table"}.get(p.kind, "")
        if tag != open_tag:
            if open_tag:
                body.append(f"</{open_tag}>")
            if tag:
                body.append(f"<{tag}>")
            open_tag = tag
        text = html.escape(p.text)
        if p.kind == "heading":
            h = f"h{min(6, p.section.count(' > ') + 2)}" if levels else "h2"
            body.append(f"<{h}>{text}</{h}>")
            section, number = section + 1, 0
        elif p.kind == "list_item":
            own = " class='own'" if MARKER.match(p.text) else ""
            body.append(f"<li{own}>{text}</li>")
        elif p.kind == "table_row":
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in p.text.split(" | "))
            body.append(f"<tr>{cells}</tr>")
        elif layout == "footnotes" and len(body) % 4 == 0 and ". " in text:
            # A note on the first sentence of about one paragraph in four,
            # set at the foot of the page (a reference, as reviews cite).
            head, tail = text.split(". ", 1)
            body.append(f"<p>{head}.<span class='fn'>{FOOTNOTE}</span> {tail}</p>")
        elif layout.startswith("numbered"):
            # The paragraph number hangs in the margin, as in a CPR: section
            # and paragraph, a new "section" every thirty paragraphs where a
            # report has no headings (numbers stay as real ones are, "12.30").
            section, number = (section + 1, 1) if number >= 30 else (section, number + 1)
            body.append(f"<p class='n'><span>{section % 100}.{number}</span>{text}</p>")
        else:
            body.append(f"<p>{text}</p>")
    if open_tag:
        body.append(f"</{open_tag}>")
    style = STYLES[layout] % {"header": HEADER} + (LEVELS_CSS if levels else "")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<style>{style} li.own {{ list-style: none; text-indent: -1.6em }}</style>"
            f"</head><body>{''.join(body)}</body></html>")


def render_report_pdf(passages: Sequence[Passage], layout: str, path: Path,
                      levels: bool = False) -> Path:
    """The passages as a PDF at `path`, in one of `STYLES`' layouts (headings
    sized by depth with `levels`)."""
    from weasyprint import HTML

    HTML(string=report_html(passages, layout, levels)).write_pdf(path)
    return path


def render_report_docx(passages: Sequence[Passage], path: Path) -> Path:
    """The passages as a Word document at `path`: headings in Word's Heading 2
    style, list items as List Bullet paragraphs (an item's own marker kept
    in its text), a run of table rows as one Table Grid table."""
    from docx import Document

    doc = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, cells, strict=False):
                    cell.text = value
            rows.clear()

    for p in passages:
        if p.kind == "table_row":
            rows.append(p.text.split(" | "))
            continue
        flush()
        if p.kind == "heading":
            doc.add_heading(p.text, level=2)
        elif p.kind == "list_item":
            doc.add_paragraph(p.text, style="List Bullet")
        else:
            doc.add_paragraph(p.text)
    flush()
    doc.save(str(path))
    return path
