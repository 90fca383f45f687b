"""Tables drawn with cell borders, read from the rules (pdf_rules).

Where a table strokes its cells' borders, rows and columns come from the
rules, not from gaps in the text: a narrow justified cell sets its words as
far apart as cells, and a row broken by the page has its halves on two pages.
Real PDFs made by WeasyPrint (as browsers save them) and ReportLab (lines
drawn one by one); the grid finder is checked on drawn grids of any shape."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
from hypothesis import given, settings
from hypothesis import strategies as st

from storfa.ingest.clean import clean_document
from storfa.ingest.extractors import extract_document
from storfa.ingest.extractors.pdf_layout import Segment
from storfa.ingest.extractors.pdf_rules import Grid, Rule, fill, find_grids, page_rules
from storfa.ingest.segment import segment

WRITTEN_SAR = (Path(__file__).resolve().parent / "data" / "written-rsar"
               / "rsar-written-2026.md")
PARAGRAPHS = (
    "The health visitor saw the family at home every week and shared what she found with "
    "the school nurse, who arranged for the child to be seen alone at school.",
    "The GP referred the mother to the community mental health team and wrote to the "
    "social worker the same day, naming the risk the partner posed.")
ROWS = [
    ("Recommendation", "SAB response", "Action", "Lead", "Target date"),
    ("1. Revise the Self-Neglect and Hoarding Protocol: fire risk and escalation", "Accepted",
     "Protocol to be revised by the Policy and Procedures Sub-Group and relaunched with a "
     "practitioner briefing", "SAB Business Manager", "30 June 2026"),
    ("2. Assurance on training in executive capacity", "Accepted in part",
     "Partner agencies to report training figures and audit results to the Learning and "
     "Development Sub-Group", "Chair, Learning and Development Sub-Group", "31 March 2026"),
]


def passages(path: Path) -> list[tuple[str, str]]:
    _, found = segment(clean_document(extract_document(path)))
    return [(p.kind, p.text) for p in found]


def pages_of(path: Path) -> list[tuple[int, str, str]]:
    _, found = segment(clean_document(extract_document(path)))
    return [(p.page, p.kind, p.text) for p in found]


def table_html(rows: list[tuple[str, ...]], before: str = "", after: str = "") -> str:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return ("<style>@page { size: A4; margin: 25mm 22mm } body { font: 11pt sans-serif;"
            " text-align: justify } table { border-collapse: collapse; width: 100%;"
            " font-size: 10pt } td { border: 0.5pt solid #888; padding: 2pt 4pt;"
            " vertical-align: top }</style>"
            f"{before}<table>{cells}</table>{after}")


def weasy(tmp_path: Path, html: str) -> Path:
    from weasyprint import HTML

    path = tmp_path / "table.pdf"
    HTML(string=html).write_pdf(path)
    return path


def test_justified_narrow_cells_are_read_by_their_borders(tmp_path: Path) -> None:
    """The written SAR's response table laid out as a review saved from
    Word: justified words in a narrow column stand as far apart as cells do,
    a cell's wrapped lines as far apart as rows, and its last row goes on
    overleaf. Read by gaps, 4 of its 8 rows came out whole."""
    from storfa.coding.wholedoc import read_document
    from storfa.synthetic.publish import render_report_pdf

    source = read_document(WRITTEN_SAR)
    path = render_report_pdf(source, "word", tmp_path / "sar.pdf")
    rows = [text for kind, text in passages(path) if kind == "table_row"]
    assert rows == [p.text for p in source if p.kind == "table_row"]
    assert len(rows) == 8


def test_a_table_stands_between_the_text_above_and_below_it(tmp_path: Path) -> None:
    path = weasy(tmp_path, table_html(
        ROWS, "<h2>9. Appendix: the Board's response</h2><p>The Board agreed this response.</p>",
        "<p>Progress is reported every quarter.</p>"))
    assert passages(path) == [
        ("heading", "9. Appendix: the Board's response"),
        ("paragraph", "The Board agreed this response."),
        *(("table_row", " | ".join(row)) for row in ROWS),
        ("paragraph", "Progress is reported every quarter."),
    ]


def test_a_row_the_page_breaks_is_one_row(tmp_path: Path) -> None:
    """No rule under a row at the foot of a page and none over its rest at
    the head of the next: one row, its cells joined."""
    long = ("The Board's Independent Chair to write to the Department of Health and Social "
            "Care, sharing this report and asking for guidance on refusal of help. ") * 3
    rows = [("Recommendation", "Response", "Action"),
            *[(f"{n}. Guidance on executive capacity", "Accepted", long.strip())
              for n in range(1, 9)]]
    path = weasy(tmp_path, table_html(rows, "<p>" + "Text before the table. " * 60 + "</p>"))
    found = [text for kind, text in passages(path) if kind == "table_row"]
    assert found == [" | ".join(row) for row in rows]


def test_a_header_repeated_on_each_page_is_read_once(tmp_path: Path) -> None:
    """Word's "repeat as header row" and a browser's <thead> set the header
    again at the head of each page, over the rest of a row the page broke:
    one header, and each row whole."""
    long = ("The Board's Independent Chair to write to the Department of Health and Social "
            "Care, sharing this report and asking for guidance on refusal of help. ") * 12
    rows = [(f"{n}. Guidance on executive capacity", "Accepted", long.strip()) for n in (1, 2, 3)]
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    html = table_html([], "<p>" + "Text before the table. " * 60 + "</p>").replace(
        "<table></table>", "<table><thead><tr><th>Recommendation</th><th>Response</th>"
        f"<th>Action</th></tr></thead>{body}</table>").replace("td {", "td, th {")
    path = weasy(tmp_path, html)
    found = [(page, text) for page, kind, text in pages_of(path) if kind == "table_row"]
    assert [text for _, text in found] == ["Recommendation | Response | Action",
                                           *(" | ".join(row) for row in rows)]
    assert found[-1][0] == 2  # over three pages: the last row starts on the second


def test_a_cell_across_the_table_is_read_as_text(tmp_path: Path) -> None:
    """A review template's form: a section's title and its narrative in cells
    across the table, between rows of two cells. The narrative's paragraphs
    stay paragraphs under its title, a heading; the two-cell rows are rows."""
    first, second = PARAGRAPHS
    html = table_html([]).replace("<table></table>", (
        "<table><tr><td>Review reference</td><td>CPR 2024/03</td></tr>"
        "<tr><td colspan=2><b>Brief outline of circumstances</b></td></tr>"
        f"<tr><td colspan=2><p>{first}</p><p>{second}</p></td></tr>"
        "<tr><td>Date of the learning event</td><td>12 March 2024</td></tr></table>"))
    path = weasy(tmp_path, html.replace("text-align: justify", "text-align: left"))
    assert passages(path) == [
        ("table_row", "Review reference | CPR 2024/03"),
        ("heading", "Brief outline of circumstances"),
        ("paragraph", first), ("paragraph", second),
        ("table_row", "Date of the learning event | 12 March 2024"),
    ]


def test_an_empty_cell_keeps_its_place(tmp_path: Path) -> None:
    rows = [("Agency", "Contact", "Outcome"), ("Police", "", "No further action")]
    path = weasy(tmp_path, table_html(rows))
    assert [t for k, t in passages(path) if k == "table_row"] == [
        "Agency | Contact | Outcome", "Police | | No further action"]


def test_a_grid_of_lines_drawn_one_by_one(tmp_path: Path) -> None:
    """ReportLab draws a table's grid as separate lines: the same rows, and
    two cells set closer than a word gap are two cells."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    data = [["Date", "Agency", "Event"],
            ["03/02/2023", "Police", "Officers attended after a call from a neighbour."],
            ["14/02/2023", "GP", "The mother was seen and referred to the perinatal team."]]
    path = tmp_path / "grid.pdf"
    table = Table(data, colWidths=[62, 48, 300])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#555555"),
                               ("FONTSIZE", (0, 0), (-1, -1), 10),
                               ("LEFTPADDING", (0, 0), (-1, -1), 1),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 1)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    pdf = pdfium.PdfDocument(str(path))
    try:
        assert len(find_grids(page_rules(pdf[0]))) == 1
    finally:
        pdf.close()
    assert [t for k, t in passages(path) if k == "table_row"] == [
        " | ".join(row) for row in data]


def test_a_box_round_a_paragraph_and_a_footnote_rule_are_no_table(tmp_path: Path) -> None:
    path = weasy(tmp_path, "<style>body { font: 11pt sans-serif } div { border: 1pt solid #000;"
                 " padding: 6pt } hr { border: 0; border-top: 0.5pt solid #000 }</style>"
                 "<div>Learning point: ask who else lives in the household.</div><hr>"
                 "<p>The review found that agencies did not share the history.</p>")
    assert passages(path) == [
        ("paragraph", "Learning point: ask who else lives in the household."),
        ("paragraph", "The review found that agencies did not share the history."),
    ]


# ------------------------------------------------------------ the grid finder
def drawn(xs: list[float], ys: list[float], per_cell: bool, seed: int) -> list[Rule]:
    """A grid's rules as producers draw them: each cell's four sides (browsers,
    Word), or each edge once across the table (ReportLab), in any order."""
    rules: list[Rule] = []
    if per_cell:
        for left, right in pairwise(xs):
            for top, bottom in pairwise(ys):
                rules += [Rule(True, top, left, right), Rule(True, bottom, left, right),
                          Rule(False, left, bottom, top), Rule(False, right, bottom, top)]
    else:
        rules += [Rule(True, y, xs[0], xs[-1]) for y in ys]
        rules += [Rule(False, x, ys[-1], ys[0]) for x in xs]
    random.Random(seed).shuffle(rules)
    return rules


def edges(start: float, gaps: list[float]) -> list[float]:
    out = [start]
    for gap in gaps:
        out.append(out[-1] + gap)
    return out


@settings(max_examples=150, deadline=None)
@given(col_gaps=st.lists(st.floats(8, 200), min_size=2, max_size=7),
       row_gaps=st.lists(st.floats(8, 120), min_size=1, max_size=12),
       left=st.floats(20, 100), top=st.floats(500, 800), per_cell=st.booleans(),
       seed=st.integers(0, 1000))
def test_any_drawn_grid_is_found_with_its_rows_and_columns(
        col_gaps: list[float], row_gaps: list[float], left: float, top: float,
        per_cell: bool, seed: int) -> None:
    xs = edges(left, col_gaps)
    ys = [top - d for d in edges(0.0, row_gaps)]
    (grid,) = find_grids(drawn(xs, ys, per_cell, seed))
    assert not grid.open_top and not grid.open_bottom
    assert len(grid.rows) == len(row_gaps)
    for row, (upper, lower) in zip(grid.rows, pairwise(ys), strict=True):
        assert abs(row.top - upper) < 0.01 and abs(row.bottom - lower) < 0.01
        assert [round(x, 3) for x in row.edges] == [round(x, 3) for x in xs]


@given(seed=st.integers(0, 1000))
def test_a_grid_with_no_rule_at_its_foot_is_open(seed: int) -> None:
    xs, ys = [50.0, 150.0, 300.0], [700.0, 680.0, 600.0]
    rules = [r for r in drawn(xs, ys, False, seed) if not (r.horizontal and r.pos == 600.0)]
    (grid,) = find_grids(rules)
    assert grid.open_bottom and not grid.open_top
    assert [(round(r.top), round(r.bottom)) for r in grid.rows] == [(700, 680), (680, 600)]


def test_one_column_is_no_table() -> None:
    assert find_grids(drawn([50.0, 300.0], [700.0, 650.0, 600.0], True, 0)) == []


def test_a_segment_over_two_cells_is_cut_at_the_border() -> None:
    """Two cells set closer than a word gap are one segment with a break where
    the second began: it is cut there, at the border between them."""
    (grid,) = find_grids(drawn([50.0, 120.0, 300.0], [700.0, 680.0], True, 0))
    seg = Segment("03/02/2023 Police attended", 53.0, 200.0, 686.0, 10.0, False,
                  breaks=[123.0], break_words=["Police"])
    fill(grid, [seg])
    assert grid.rows[0].texts == ["03/02/2023", "Police attended"]


def test_text_beside_a_grid_is_not_in_it() -> None:
    (grid,) = find_grids(drawn([50.0, 120.0, 300.0], [700.0, 680.0], True, 0))
    assert isinstance(grid, Grid)
    assert not grid.holds(Segment("Beside", 320.0, 360.0, 690.0, 10.0, False))
    assert grid.holds(Segment("Inside", 55.0, 100.0, 690.0, 10.0, False))


def test_a_frame_round_two_columns_is_no_table(tmp_path: Path) -> None:
    """A page's two columns in a box with a rule between them, touching it:
    a frame, not a one-row table of two cells."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "frame.pdf"
    canvas = Canvas(str(path))  # A4 portrait: 595 x 842
    canvas.rect(40, 60, 515, 720)
    canvas.line(297, 60, 297, 780)
    canvas.setFont("Helvetica", 10)
    for column, x in enumerate((50, 307)):
        for k in range(40):
            canvas.drawString(x, 760 - 17 * k, f"Column {column + 1} line {k + 1} of the text.")
    canvas.save()
    pdf = pdfium.PdfDocument(str(path))
    try:
        rules = page_rules(pdf[0])
        assert len(rules) == 5
        assert find_grids(rules, 10_000.0) != []  # a one-row table, on a page that tall
        assert find_grids(rules, pdf[0].get_height()) == []
    finally:
        pdf.close()
    # Not one cell per column, each holding its column's forty lines.
    assert not any("line 1 " in text and "line 2 " in text for _, text in passages(path))


def test_a_drawing_of_many_rules_is_no_table() -> None:
    """A map or a chart draws thousands of short lines. 300 little two-cell
    boxes, 1,500 rules that no join shortens: past _MAX_RULES the page is a
    drawing, read by its text, and the finder never compares every flat
    rule with every upright one. Fewer of the same boxes are grids."""
    rules: list[Rule] = []
    for row in range(15):
        for column in range(20):
            x, y = 40.0 + 26 * column, 780.0 - 30 * row
            rules += drawn([x, x + 8, x + 16], [y, y - 6], False, 0)
    assert len(rules) == 1500
    assert find_grids(rules) == []
    assert len(find_grids(rules[:500])) == 100
