"""PDFs as boards publish them, and words broken at a line's end.

A report saved from a browser or made by WeasyPrint draws its page in a
0.75-scaled space, so PDFium's font size for 11 pt text is 14.67; some
producers set every font at 1 pt and scale the text matrix. Judged by the
raw size, every paragraph gap looked like a line break and a whole page was
one passage (`bench/real_as_pdf.py`: 16% of the corpus reports' paragraphs
came back whole, 97% after). Real PDFs, made by WeasyPrint and ReportLab."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.ingest.clean import SOFT_BREAK, clean_document, join_lines, resolve_breaks
from storfa.ingest.extractors import extract_document
from storfa.ingest.segment import segment

PARAGRAPHS = [
    "The health visitor saw the family at home every week and shared what she found with "
    "the school nurse, who arranged for the child to be seen alone at school.",
    "The GP referred the mother to the community mental health team and wrote to the "
    "social worker the same day, naming the risk the partner posed.",
    "The review found that agencies did not share the history of domestic abuse, so each "
    "contact was judged on its own and the pattern was missed.",
]


def passages(path: Path) -> list[tuple[str, str]]:
    _, found = segment(clean_document(extract_document(path)))
    return [(p.kind, p.text) for p in found]


def test_a_weasyprint_report_keeps_its_paragraphs_and_headings(tmp_path: Path) -> None:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = ("<style>body { font: 11pt/1.35 sans-serif; width: 12cm } "
            "h2 { font-size: 15pt } p { margin: 0 0 8pt }</style>"
            f"<h2>Practice and organisational learning</h2>{body}")
    path = tmp_path / "report.pdf"
    HTML(string=html).write_pdf(path)
    assert passages(path) == [("heading", "Practice and organisational learning"),
                              *(("paragraph", p) for p in PARAGRAPHS)]


def test_fonts_set_at_one_point_and_scaled_by_the_text_matrix(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "scaled.pdf"
    canvas = Canvas(str(path))
    y = 760.0
    for size, texts in ((16, ["Learning from the review"]),
                        (10, ["Agencies met weekly and shared", "their records in full."]),
                        (10, ["The Board accepted the findings."])):
        y -= 12  # the space above a heading or paragraph
        for text in texts:
            t = canvas.beginText()
            t.setFont("Helvetica", 1)
            t.setTextTransform(size, 0, 0, size, 72, y)
            t.textOut(text)
            canvas.drawText(t)
            y -= size * 1.2
    canvas.save()
    assert passages(path) == [
        ("heading", "Learning from the review"),
        ("paragraph", "Agencies met weekly and shared their records in full."),
        ("paragraph", "The Board accepted the findings."),
    ]


def doc(*texts: str) -> ExtractedDocument:
    return ExtractedDocument("pdf", [ExtractedPage(1, [Block(BlockKind.PARAGRAPH, t)
                                                       for t in texts])])


def cleaned(*texts: str) -> list[str]:
    return [b.text for b in clean_document(doc(*texts)).pages[0].blocks]


def test_a_broken_word_is_spelt_as_the_document_spells_it() -> None:
    broken = join_lines(["The injuries were life-", "threatening and good prac-",
                         "tice was seen."], pending=True)
    assert cleaned(broken, "A life-threatening injury.", "Good practice based on need.") == [
        "The injuries were life-threatening and good practice was seen.",
        "A life-threatening injury.", "Good practice based on need."]


def test_an_unseen_word_follows_the_documents_habit() -> None:
    # Typeset with hyphenation: broken words are found whole elsewhere, so an
    # unseen one ("safe-" / "guarding") is joined too.
    typeset = [join_lines(["prac-", "tice and refer-", "rals and safe-", "guarding"],
                          pending=True), "practice", "referrals"]
    assert cleaned(*typeset)[0] == "practice and referrals and safeguarding"
    # Written in Word: the breaks are compounds' hyphens, so "Phi-" keeps its.
    word = [join_lines(["life-", "threatening and well-", "known Phi-", "coefficients"],
                       pending=True), "life-threatening"]
    assert cleaned(*word)[0] == "life-threatening and well-known Phi-coefficients"


def test_a_line_end_hyphen_before_a_capital_or_an_unseen_prefixed_word_stays() -> None:
    assert join_lines(["North-", "Wales"], pending=True) == "North-Wales"
    # WeasyPrint and Chromium hyphenate with U+2010.
    assert join_lines(["the safe\u2010", "guarding board"]) == "the safeguarding board"
    typeset = [join_lines(["a multi-", "agency panel, an ex-", "ercise"], pending=True),
               "exercise", "practice"]
    assert cleaned(*typeset)[0] == "a multi-agency panel, an exercise"


words = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@given(st.lists(st.tuples(words, words), min_size=1, max_size=5),
       st.lists(words, max_size=5))
def test_every_pending_break_is_read_one_way_or_the_other(
        pairs: list[tuple[str, str]], others: list[str]) -> None:
    text = " ".join(f"{a}{SOFT_BREAK}{b}" for a, b in pairs)
    resolved = resolve_breaks([text, *others])(text)
    assert SOFT_BREAK not in resolved
    assert len(resolved.split(" ")) == len(pairs)
    for (a, b), word in zip(pairs, resolved.split(" "), strict=True):
        assert word in (a + b, f"{a}-{b}")
    assert resolve_breaks(others)(" ".join(others)) == " ".join(others)


def test_a_footnote_does_not_cut_the_paragraph_it_sits_under(tmp_path: Path) -> None:
    """A paragraph running over a page break with a footnote at the foot of
    the first page is one passage; the note follows it, and the raised
    reference mark is not read into the text ("records.1 She")."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "noted.pdf"
    canvas = Canvas(str(path))

    def text(x: float, y: float, words: str, size: float = 11) -> None:
        canvas.setFont("Helvetica", size)
        canvas.drawString(x, y, words)

    first = "The health visitor kept careful records."
    text(72, 700, first)
    text(72 + canvas.stringWidth(first, "Helvetica", 11) + 1, 704, "1", size=7)
    text(72, 686, "She saw the family every week and shared what she found with the")
    text(72, 120, "The school recorded each concern and told the")
    text(72, 60, "1 The records were read by the reviewer in May 2025.", size=8)
    text(280, 30, "Page 1 of 2", size=9)
    canvas.showPage()
    text(72, 760, "school nurse the same day.")
    text(72, 730, "A new paragraph starts here.")
    text(280, 30, "Page 2 of 2", size=9)
    canvas.save()
    assert passages(path) == [
        ("paragraph", "The health visitor kept careful records. She saw the family every week "
                      "and shared what she found with the"),
        ("paragraph", "The school recorded each concern and told the school nurse the same day."),
        ("paragraph", "1 The records were read by the reviewer in May 2025."),
        ("paragraph", "A new paragraph starts here."),
    ]


def test_a_numbered_rows_lines_stay_together_when_an_agency_wraps(tmp_path: Path) -> None:
    """A table whose rows are numbered in their first column, laid out as a
    review saved from Word: a row's later lines leave that column empty, and
    their cells may start with capitals (an agency's name wrapping in a narrow
    column), and stay in the row."""
    from storfa.coding.wholedoc import read_document
    from storfa.synthetic.publish import render_report_pdf

    # Two rows of the written North Wales APR (test_written_apr2.py).
    rows = [("2", "Betsi Cadwaladr University Health Board should ensure that a care home "
                  "resident who cannot stand or walk after a fall is assessed in person by a "
                  "clinician, and that GP practices and out-of-hours services have access to "
                  "a falls pathway for care homes.", "Betsi Cadwaladr University Health Board",
             "No older person with a suspected fracture is managed by telephone advice "
             "alone."),
            ("5", "Betsi Cadwaladr University Health Board should ensure that when an "
                  "antipsychotic is prescribed for a person living with dementia, a named "
                  "clinician is responsible for the planned review and reduction, and that "
                  "care homes are told of the plan.", "Betsi Cadwaladr University Health Board",
             "Antipsychotic medication is reviewed and reduced as planned.")]
    markdown = tmp_path / "review.md"
    markdown.write_text(
        "# Adult Practice Review\n\n## 6. Improving Systems and Practice\n\n"
        "| No. | Recommendation | Agency | Outcome |\n| --- | --- | --- | --- |\n"
        + "".join(f"| {' | '.join(row)} |\n" for row in rows), encoding="utf-8")
    path = render_report_pdf(read_document(markdown), "word", tmp_path / "review.pdf")
    found = [(kind, text) for kind, text in passages(path) if kind == "table_row"]
    assert found == [("table_row", "No. | Recommendation | Agency | Outcome"),
                     *(("table_row", " | ".join(row)) for row in rows)]


def test_a_recommendations_table_as_word_and_browsers_set_it(tmp_path: Path) -> None:
    """Rows whose cells wrap at 1.35 lines' leading stay one row each, and a
    narrow "No." column set closer to the next than a word gap is its own
    cell, so the register reads each row's agency from the Agency column."""
    from weasyprint import HTML

    from storfa.recommendations.extract import extract

    rows = [("1", "The Board should ensure that multi-agency training on child exploitation "
                  "includes the indicators seen in this review.",
             "Cwm Taf Morgannwg Safeguarding Board", "Six months"),
            ("2", "The health board should review how adult mental health services record "
                  "who lives in the household.", "CTM University Health Board", "Twelve months")]
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    html = ("<style>body { font: 11pt sans-serif } table { font-size: 10pt; line-height: 1.35;"
            " border-collapse: collapse } td { border: 0.5pt solid #888; padding: 2pt 4pt;"
            " vertical-align: top }</style>"
            "<h1>Child Practice Review</h1><h2>8. Recommendations</h2>"
            "<table><tr><td>No.</td><td>Recommendation</td><td>Agency</td><td>Timescale</td></tr>"
            f"{cells}</table>")
    path = tmp_path / "recommendations.pdf"
    HTML(string=html).write_pdf(path)
    found = passages(path)
    assert found[2:] == [("table_row", "No. | Recommendation | Agency | Timescale"),
                         *(("table_row", " | ".join(row)) for row in rows)]
    _, stored = segment(clean_document(extract_document(path)))
    assert [(r.number, r.agencies) for r in extract(stored)] == [
        ("1", ["Cwm Taf Morgannwg Safeguarding Board"]), ("2", ["CTM University Health Board"])]


@pytest.mark.parametrize("bullet", ["\uf0b7", "o"])
def test_words_symbol_font_bullets_start_list_items(tmp_path: Path, bullet: str) -> None:
    """Word sets its default bullet in the Symbol font, which PDFium reads as
    U+F0B7 (private use), and its second level as an "o" a tab before the
    text; read as bullets, each item is its own. Unread, the lead-in and the
    three items were one paragraph."""
    from weasyprint import HTML

    items = "".join(f'<p class="li"><span>{bullet}</span>{p}</p>' for p in PARAGRAPHS)
    html = ("<style>body { font: 11pt sans-serif; width: 15cm; text-align: justify } "
            "p { margin: 0 0 4pt } p.li { padding-left: 18pt; text-indent: -18pt } "
            "p.li span { display: inline-block; width: 18pt; text-indent: 0 }</style>"
            f"<h2>Learning</h2><p>The review found three things:</p>{items}"
            "<p>After the list a paragraph follows.</p>")
    path = tmp_path / "bullets.pdf"
    HTML(string=html).write_pdf(path)
    assert passages(path) == [("heading", "Learning"),
                              ("paragraph", "The review found three things:"),
                              *(("list_item", p) for p in PARAGRAPHS),
                              ("paragraph", "After the list a paragraph follows.")]


@pytest.mark.parametrize("width", ["6cm", "8cm"])
def test_a_welsh_line_opening_with_o_is_no_bullet(tmp_path: Path, width: str) -> None:
    """"o" (of, from) is a Welsh word: a justified line that opens with it
    (at these widths two do) goes on in its paragraph."""
    from weasyprint import HTML

    text = " ".join(["Daeth y teulu o Gaerdydd i fyw yn y dref o fewn blwyddyn, a symudodd "
                     "y plant o ysgol i ysgol"] * 6) + "."
    path = tmp_path / "cy.pdf"
    HTML(string=f"<style>body {{ font: 11pt sans-serif; width: {width}; text-align: justify }}"
                f" p {{ margin: 0 0 8pt }}</style><p>{text}</p><p>{text}</p>").write_pdf(path)
    assert passages(path) == [("paragraph", text), ("paragraph", text)]
