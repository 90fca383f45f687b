"""Extraction of each supported format, format detection and cleaning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import hostile
from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.clean import clean_document, join_lines, normalize_text
from storfa.ingest.detect import detect_format
from storfa.ingest.extractors import extract_document

H, P, T, L = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.TABLE_ROW, BlockKind.LIST_ITEM


def _extract(path: Path) -> ExtractedDocument:
    return clean_document(extract_document(path))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ExtractedDocument:
    return _extract(hostile.make_report_pdf(tmp_path_factory.mktemp("pdf") / "r.pdf"))


def test_pdf_headings_and_paragraphs(report: ExtractedDocument) -> None:
    blocks = report.pages[0].blocks
    assert blocks[0] == Block(H, "Child Practice Review", 1)
    assert blocks[1] == Block(H, "1. Introduction", 2)
    assert blocks[2].kind is P
    assert "safeguarding arrangements with a multi-Agency panel" in blocks[2].text
    assert report.title == "Child Practice Review: Child T"


def test_pdf_table_rows(report: ExtractedDocument) -> None:
    rows = [b.text for b in report.pages[0].blocks if b.kind is T]
    assert rows == ["Agency | Role | Contact", "Police | Investigation | Weekly",
                    "Health Board | Health visiting | Monthly", "School | Education | Daily"]


def test_pdf_two_columns_read_left_then_right(report: ExtractedDocument) -> None:
    texts = [b.text for b in report.pages[1].blocks]
    assert texts[0] == "3. Findings"
    # The left column ends on a full line with no stop, so the right column
    # may be read as the same paragraph going on; either way, in order.
    body = " ".join(texts[1:])
    assert body.startswith("LEFTCOL")
    assert body.rindex("LEFTCOL") < body.index("RIGHTCOL")


def test_pdf_running_header_footer_removed(report: ExtractedDocument) -> None:
    for page in report.pages:
        assert "Child Practice Review - Child T - CONFIDENTIAL DRAFT" in page.furniture
        assert f"Page {page.number} of 3" in page.furniture
        assert all("Page" not in b.text[:5] for b in page.blocks)


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_pdf_ocr_image_only_page(tmp_path: Path) -> None:
    doc = _extract(hostile.make_image_pdf(tmp_path / "scan.pdf"))
    page = doc.pages[0]
    assert page.ocr
    assert "safeguarding" in " ".join(b.text for b in page.blocks).lower()
    assert any("OCR" in w for w in doc.warnings)


def test_docx(tmp_path: Path) -> None:
    doc = _extract(hostile.make_docx(tmp_path / "d.docx"))
    assert doc.format == "docx" and doc.page_count == 2
    assert doc.title == "Adult Practice Review"
    assert doc.pages[0].blocks == [
        Block(H, "Adult Practice Review", 1),
        Block(P, "This review considers the support offered to Adult B."),
        Block(H, "Terms of reference", 2),
        Block(L, "Information sharing between agencies"),
        Block(L, "The voice of the adult"),
        Block(T, "Agency | Role"),
        Block(T, "Police | Investigation"),
        Block(P, "Last words on page one."),
    ]
    assert doc.pages[1].blocks == [Block(H, "Findings", 2), Block(P, "Page two text.")]


def form_blocks(heading_level: int) -> list[Block]:
    """A review template's form as every format reads it: rows of two cells,
    and a section across the table read as its title and paragraphs."""
    return [Block(T, "Review reference | CPR 2024/03"),
            Block(H, "Brief outline of circumstances", heading_level),
            Block(P, "The family moved to the area in 2021."),
            Block(P, "The school raised a concern in March 2023."),
            Block(T, "Learning event | 12 March 2024")]


def test_a_docx_cell_across_the_table_is_read_as_its_paragraphs(tmp_path: Path) -> None:
    """A review template's form: a section's title and narrative in a cell
    merged across the table, between rows of two cells. The narrative's
    paragraphs stay paragraphs (its title a heading, by its style); before,
    the whole section was one table row of one cell."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "Review reference", "CPR 2024/03"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.paragraphs[0].text = "Brief outline of circumstances"
    merged.paragraphs[0].style = doc.styles["Heading 2"]
    merged.add_paragraph("The family moved to the area in 2021.")
    merged.add_paragraph("The school raised a concern in March 2023.")
    table.cell(2, 0).text, table.cell(2, 1).text = "Learning event", "12 March 2024"
    path = tmp_path / "form.docx"
    doc.save(str(path))
    assert _extract(path).pages[0].blocks == form_blocks(heading_level=2)


def _numbered_docx(path: Path) -> Path:
    """Recommendations as Word numbers them: "1." with "(a)", "(b)" under it,
    then "2.", a bulleted item, a second list that restarts at 5, and a
    third of the first's definition that goes on with its count."""
    from docx import Document
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(
        f'<w:num {w} w:numId="91"><w:abstractNumId w:val="90"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="92"><w:abstractNumId w:val="90"/></w:num>'))

    def item(text: str, num_id: int, level: int) -> None:
        para = doc.add_paragraph(text)
        para._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    item("The Board should strengthen its response:", 90, 0)
    item("agree a screening tool;", 90, 1)
    item("audit closed referrals.", 90, 1)
    item("Police should share notices.", 90, 0)
    item("The lettering starts again under each item.", 90, 1)
    doc.add_paragraph("A bulleted point.", style="List Bullet")
    item("Health boards should record households.", 91, 0)
    item("Schools should keep chronologies.", 92, 0)
    doc.save(str(path))
    return path


def test_docx_list_items_carry_the_numbers_word_draws(tmp_path: Path) -> None:
    doc = _extract(_numbered_docx(tmp_path / "n.docx"))
    assert [b.text for b in doc.pages[0].blocks] == [
        "1. The Board should strengthen its response:", "(a) agree a screening tool;",
        "(b) audit closed referrals.", "2. Police should share notices.",
        "(a) The lettering starts again under each item.", "A bulleted point.",
        "5. Health boards should record households.", "3. Schools should keep chronologies."]


def test_word_list_counts_written_as_word_writes_them() -> None:
    from storfa.ingest.extractors.list_markers import format_count

    assert [format_count(n, "lowerRoman") for n in (1, 4, 9, 14, 40)] == \
        ["i", "iv", "ix", "xiv", "xl"]
    assert [format_count(n, "lowerLetter") for n in (1, 26, 27, 28)] == ["a", "z", "aa", "bb"]
    assert format_count(3, "upperLetter") == "C" and format_count(12, "decimal") == "12"


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(
        "<html><head><title>CPR 3/2021</title><style>p{}</style></head><body>"
        "<nav>Home | About</nav><h1>Review</h1><p>First <b>para</b>.</p>"
        "<div>Loose text<h2>Sub</h2></div><ul><li>One</li><li>Two</li></ul>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<script>alert(1)</script><footer>Footer</footer></body></html>")
    doc = _extract(path)
    assert doc.title == "CPR 3/2021"
    assert doc.pages[0].blocks == [
        Block(H, "Review", 1), Block(P, "First para."), Block(P, "Loose text"),
        Block(H, "Sub", 2), Block(L, "One"), Block(L, "Two"), Block(T, "A | B"),
        Block(T, "1 | 2"),
    ]


def test_an_html_cell_across_the_table_is_read_as_its_paragraphs(tmp_path: Path) -> None:
    """As in a PDF or a DOCX: a template's section in a cell spanning the
    table is its title and paragraphs, the rows of two cells rows."""
    path = tmp_path / "form.html"
    path.write_text(
        "<html><body><table><tr><td>Review reference</td><td>CPR 2024/03</td></tr>"
        "<tr><td colspan=2><h3>Brief outline of circumstances</h3>"
        "<p>The family moved to the area in 2021.</p>"
        "<p>The school raised a concern in March 2023.</p></td></tr>"
        "<tr><td>Learning event</td><td>12 March 2024</td></tr></table></body></html>")
    assert _extract(path).pages[0].blocks == form_blocks(heading_level=3)


def test_html_ordered_list_items_carry_the_numbers_a_browser_draws(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(
        "<html><body><ol><li>The Board should:<ol type='a'><li>audit referrals;</li>"
        "<li><p>review the protocol.</p></li></ol></li><li>Police should share notices.</li>"
        "</ol><ol start='4' type='i'><li>Four</li><li value='9'>Nine</li><li>Ten</li></ol>"
        "<ul><li>A bullet</li></ul></body></html>")
    assert [b.text for b in _extract(path).pages[0].blocks] == [
        "1. The Board should:", "a. audit referrals;", "b. review the protocol.",
        "2. Police should share notices.", "iv. Four", "ix. Nine", "x. Ten", "A bullet"]


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# Title\n\nSome **bold** text\nwrapped safe-\nguarding.\n\n"
                    "## Part\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
                    "\fSecond page.\n")
    doc = _extract(path)
    assert doc.format == "markdown" and doc.page_count == 2
    assert doc.pages[0].blocks == [
        Block(H, "Title", 1), Block(P, "Some bold text wrapped safeguarding."),
        Block(H, "Part", 2), Block(L, "item one"), Block(L, "item two"),
        Block(T, "a | b"), Block(T, "1 | 2"),
    ]
    assert doc.pages[1].blocks == [Block(P, "Second page.")]


def test_markdown_keeps_an_items_number_and_drops_its_bullet(tmp_path: Path) -> None:
    # An item's number or letter is how a report cites it ("recommendation
    # 1b"); a bullet is only layout.
    path = tmp_path / "r.md"
    path.write_text("1. The Board should:\n   (a) audit referrals;\n   ii. review the protocol.\n"
                    "- shared notes\n* seen alone\n")
    assert [b.text for b in _extract(path).pages[0].blocks] == [
        "1. The Board should:", "(a) audit referrals;", "ii. review the protocol.",
        "shared notes", "seen alone"]


def test_markdown_footnote_text_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("Guidance applies.[^1]\n\n[^1]: Welsh Government (2024) Guidance.\n")
    assert _extract(path).pages[0].blocks == [
        Block(P, "Guidance applies."), Block(P, "Welsh Government (2024) Guidance.", note=True)]


def test_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("EXECUTIVE SUMMARY\n\n1. Introduction\n\nThe review\u00a0found "
                     "ﬁndings.\n\nOFFICIAL-SENSITIVE\n\f2\n\nMore text.\n".encode())
    doc = _extract(path)
    assert doc.format == "text"
    assert doc.pages[0].blocks == [Block(H, "EXECUTIVE SUMMARY", 1),
                                   Block(H, "1. Introduction", 1),
                                   Block(P, "The review found findings.")]
    assert doc.pages[0].furniture == ["OFFICIAL-SENSITIVE"]
    assert doc.pages[1].blocks == [Block(P, "More text.")]


def test_cp1252_text(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("Caf\u00e9 \u2013 review".encode("cp1252"))
    assert _extract(path).pages[0].blocks == [Block(P, "Café – review")]


@pytest.mark.parametrize(("head", "name", "fmt"), [
    (b"%PDF-1.7\n", "x.docx", "pdf"),
    (b"\n\n%PDF-1.4", "x", "pdf"),
    (b"<!DOCTYPE html><p>x", "x.pdf", "html"),
    (b"  <html><body>x", "x.txt", "html"),
    (b"# Title\n\ntext", "x.txt", "markdown"),
    (b"plain words", "notes.md", "markdown"),
    (b"plain words", "notes.txt", "text"),
])
def test_detect(head: bytes, name: str, fmt: str) -> None:
    assert detect_format(head, name) == fmt


def test_detect_docx_and_rejections(tmp_path: Path) -> None:
    assert detect_format(hostile.make_docx(tmp_path / "d.bin").read_bytes(), "d.bin") == "docx"
    for head, reason in [(b"", RejectReason.EMPTY), (b"  \n", RejectReason.EMPTY),
                         (hostile.PNG, RejectReason.UNSUPPORTED),
                         (b"MZ\x90\x00\x03", RejectReason.UNSUPPORTED),
                         (hostile.zip_bytes([("content.xml", b"<x/>")]),
                          RejectReason.UNSUPPORTED)]:
        with pytest.raises(RejectedFile) as info:
            detect_format(head, "x.pdf")
        assert info.value.reason is reason


def test_clean_helpers() -> None:
    assert normalize_text("ﬁle\u00adname\u00a0 x") == "filename x"
    assert join_lines(["the safe-", "guarding board"]) == "the safeguarding board"
    assert join_lines(["a multi-", "agency panel"]) == "a multi-agency panel"
    assert join_lines(["North-", "Wales"]) == "North-Wales"
    # A compound broken at its own hyphen, after its little linking word; a
    # longer word inside a compound is hyphenation ("co-loc-" / "ating").
    assert join_lines(["an out-of-", "hours GP"]) == "an out-of-hours GP"
    assert join_lines(["her mother-in-", "law"]) == "her mother-in-law"
    assert join_lines(["co-loc-", "ating teams"]) == "co-locating teams"
    # A review's identifier or a range broken at its hyphen is one token (the
    # written FNAPR's "APR2019- W02" from its PDF); a dash standing alone is not.
    assert join_lines(["as found in APR2019-", "W02, the"]) == "as found in APR2019-W02, the"
    assert join_lines(["in 2019-", "20 the"]) == "in 2019-20 the"
    assert join_lines(["the review -", "and"]) == "the review - and"


def test_clean_page_numbers_and_repeats() -> None:
    words = ["alpha", "beta", "gamma", "delta"]
    pages = [ExtractedPage(n, [Block(P, "Review of Child A"), Block(P, f"Body {words[n - 1]}"),
                               Block(P, f"- {n} -")]) for n in (1, 2, 3, 4)]
    doc = clean_document(ExtractedDocument("pdf", pages))
    assert [b.text for b in doc.pages[2].blocks] == ["Body gamma"]
    assert doc.pages[2].furniture == ["Review of Child A", "- 3 -"]


def test_pdf_fast_segments_match_char_walk(tmp_path: Path) -> None:
    """The rectangle-based fast path gives the same segments as the per-char walk."""
    import pypdfium2 as pdfium

    from storfa.ingest.extractors import pdf
    from storfa.synthetic import generate_review, render_pdf

    paths = [hostile.make_report_pdf(tmp_path / "r.pdf")]
    for layout in ("single", "two_column"):
        path = tmp_path / f"{layout}.pdf"
        render_pdf(generate_review(3, pages_hint=4), path, layout=layout)
        paths.append(path)
    for path in paths:
        doc = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(doc)):
                tp = doc[index].get_textpage()
                n = pdfium.raw.FPDFText_CountChars(tp)
                slow = pdf._char_segments(tp.raw, 0, n, pdf._FontCache(tp))
                fast = pdf.page_segments(tp)
                key = sorted((round(s.y, 1), round(s.x0, 1), s.text, s.bold) for s in slow)
                assert sorted((round(s.y, 1), round(s.x0, 1), s.text, s.bold)
                              for s in fast) == key
        finally:
            doc.close()


LEFT_TEXT = ("The reviewers read the records of every agency and met the practitioners "
             "who knew the family. Their accounts were candid and showed how hard the "
             "work had been over the winter months. ") * 4


def _two_kinds_of_table_pdf(path: Path) -> Path:
    """Page 1: running text in the left column, a chronology table in the right
    one (its own leading). Page 2: a table across the page whose first column is
    long recommendation text, as a register of recommendations is laid out."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    _, h = A4
    c.setFont("Helvetica", 10)
    y = h - 100
    for line in simpleSplit(LEFT_TEXT, "Helvetica", 10, 220):
        c.drawString(60, y, line)
        y -= 14
    y = h - 100
    for date, agency, event in [("Date", "Agency", "Event"),
                                ("12/03/2021", "Police", "Attended the home"),
                                ("19/03/2021", "Health Board", "Health visitor call"),
                                ("02/04/2021", "School", "Absence followed up"),
                                ("16/04/2021", "Council", "Strategy meeting held"),
                                ("30/04/2021", "Police", "Arrest made")]:
        c.setFont("Helvetica", 9)
        c.drawString(310, y, date)
        c.drawString(370, y, agency)
        c.drawString(440, y, event)
        y -= 23
    c.showPage()
    c.setFont("Helvetica", 10)
    y = h - 100
    for n, agency in enumerate(["Police", "Health Board", "Council", "School"], 1):
        text = (f"Recommendation {n}: the agency should make sure that every practitioner "
                "who meets the family records what the child says in their own words.")
        lines = simpleSplit(text, "Helvetica", 10, 250)
        c.drawString(330, y, agency)
        c.drawString(450, y, "6 months")
        for line in lines:
            c.drawString(60, y, line)
            y -= 12
        y -= 10
    c.showPage()
    c.save()
    return path


def test_a_table_in_one_of_two_columns_is_read_apart_from_the_text(tmp_path: Path) -> None:
    doc = _extract(_two_kinds_of_table_pdf(tmp_path / "t.pdf"))
    blocks = doc.pages[0].blocks
    rows = [b.text for b in blocks if b.kind is T]
    assert "12/03/2021 | Police | Attended the home" in rows, rows
    # No row takes a line of the text beside it, and the text reads whole.
    assert not [r for r in rows if "reviewers" in r or "family" in r], rows
    text = " ".join(b.text for b in blocks if b.kind is not T)
    assert " ".join(LEFT_TEXT.split()) in " ".join(text.split())


def test_a_table_across_the_page_is_still_read_row_by_row(tmp_path: Path) -> None:
    doc = _extract(_two_kinds_of_table_pdf(tmp_path / "t.pdf"))
    text = "\n".join(b.text for b in doc.pages[1].blocks)
    # Each recommendation is followed by its own agency, not by the next one's text.
    at = [text.index(f"Recommendation {n}") for n in (1, 2, 3, 4)]
    agencies = [text.index(a) for a in ("Police", "Health Board", "Council", "School")]
    assert at[0] < agencies[0] < at[1] < agencies[1] < at[2] < agencies[2] < at[3], text


def _wrapping_tables_pdf(path: Path) -> Path:
    """Page 1: a register whose rows are padded apart and whose recommendation
    and agency cells wrap together. Page 2: a dense table of one-line rows
    (no padding), then a paragraph."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    _, h = A4
    c.setFont("Helvetica", 10)
    y = h - 100
    c.drawString(60, y, "Recommendation")
    c.drawString(330, y, "Agency")
    c.drawString(480, y, "Level")
    y -= 20
    rows = [(["1. The Health Board should make sure that every",
              "practitioner records the child's words."], ["Health Board"], "Local"),
            (["2. The Council and the Police should ensure that",
              "assessments seek out fathers and male", "carers."],
             ["Council and", "Police"], "Regional"),
            (["3. The School must share attendance concerns."], ["School"], "Local")]
    for text, agency, level in rows:
        c.drawString(480, y, level)
        for k in range(max(len(text), len(agency))):
            if k < len(text):
                c.drawString(60, y - 12 * k, text[k])
            if k < len(agency):
                c.drawString(330, y - 12 * k, agency[k])
        y -= 12 * max(len(text), len(agency)) + 8
    c.showPage()
    c.setFont("Helvetica", 10)
    y = h - 100
    for date, agency in [("Date", "Agency"), ("01/02/2020", "Police"), ("03/02/2020", "School"),
                         ("09/02/2020", "Health Board"), ("12/02/2020", "Council")]:
        c.drawString(60, y, date)
        c.drawString(200, y, agency)
        y -= 12
    c.drawString(60, y - 24, "The table above lists what each agency did that month.")
    c.showPage()
    c.save()
    return path


def test_cells_that_wrap_together_stay_one_row(tmp_path: Path) -> None:
    doc = _extract(_wrapping_tables_pdf(tmp_path / "w.pdf"))
    rows = [b.text for b in doc.pages[0].blocks if b.kind is T]
    assert rows == [
        "Recommendation | Agency | Level",
        "1. The Health Board should make sure that every practitioner records the child's "
        "words. | Health Board | Local",
        "2. The Council and the Police should ensure that assessments seek out fathers and "
        "male carers. | Council and Police | Regional",
        "3. The School must share attendance concerns. | School | Local"], rows


def test_a_dense_table_of_one_line_rows_keeps_its_rows(tmp_path: Path) -> None:
    doc = _extract(_wrapping_tables_pdf(tmp_path / "w.pdf"))
    rows = [b.text for b in doc.pages[1].blocks if b.kind is T]
    assert rows == ["Date | Agency", "01/02/2020 | Police", "03/02/2020 | School",
                    "09/02/2020 | Health Board", "12/02/2020 | Council"], rows
