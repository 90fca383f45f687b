"""The review generator: determinism, realism of the ground truth, and every renderer."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from storfa.domain.documents import BlockKind
from storfa.synthetic import (
    REVIEW_TYPES,
    generate_corpus,
    generate_review,
    header_text,
    render_docx,
    render_html,
    render_markdown,
    render_pdf,
)
from storfa.synthetic.dates import STYLES, spell_date
from storfa.synthetic.pdf_layout import wrap

CPR_HEADINGS = [
    "Brief outline of circumstances resulting in the review",
    "Practice and organisational learning",
    "Family members' perspectives",
    "Improving systems and practice",
    "Statement by reviewer(s)",
    "Terms of reference",
    "Summary timeline",
    "Learning event and family engagement",
]


def _pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _dehyphenate(text: str) -> str:
    # PDFium reports a line-end hyphen as U+FFFE and joins the lines itself.
    return re.sub(r"-\r?\n", "", text.replace("\ufffe", ""))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{4,}", text))


def test_same_seed_same_review() -> None:
    a, b = generate_review(42), generate_review(42)
    assert a.to_markdown() == b.to_markdown()
    assert a.expected_metadata() == b.expected_metadata()
    assert generate_review(43).to_markdown() != a.to_markdown()
    # Naming the type the seed would have drawn changes nothing.
    assert generate_review(42, a.review_type).to_markdown() == a.to_markdown()


def test_same_seed_same_pdf_text(tmp_path: Path) -> None:
    review = generate_review(5, pages_hint=4)
    render_pdf(review, tmp_path / "a.pdf", layout="two_column")
    render_pdf(generate_review(5, pages_hint=4), tmp_path / "b.pdf", layout="two_column")
    assert _pdf_pages(tmp_path / "a.pdf") == _pdf_pages(tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("review_type", REVIEW_TYPES)
def test_every_type_generates(review_type: str) -> None:
    review = generate_review(7, review_type, pages_hint=6)
    meta = review.expected_metadata()
    assert meta["type"] == review_type
    assert review.identifier in review.title or review.identifier_text in review.title
    pattern = rf"{review_type}\d{{4}}-W\d{{2}}"
    if review_type == "SUSR":
        pattern = r"SUSR\d{4}-\d{2}/[A-Z]{2,3}"
    assert re.fullmatch(pattern, review.identifier)
    assert int(review.identifier[len(review_type):][:4]) == review.dates["publication"].year
    assert review.board in {"Cardiff and Vale", "Cwm Taf Morgannwg", "Gwent", "Mid and West Wales",
                            "North Wales", "West Glamorgan"}
    assert (review.variant in ("concise", "extended")) == (review_type in ("CPR", "APR"))
    assert review.recommendations and all(r.agencies for r in review.recommendations)
    assert {r.level for r in review.recommendations} <= {"local", "regional", "national"}
    assert json.loads(json.dumps(meta)) == meta
    if review_type in ("CPR", "APR", "SUSR"):
        headings = [s.heading for s in review.sections]
        assert [h for h in headings if h in CPR_HEADINGS] == CPR_HEADINGS


def test_dates_are_ordered_and_spelt_in_the_text() -> None:
    for seed in range(40):
        review = generate_review(seed, pages_hint=3)
        d = review.dates
        assert d["period_start"] < d["period_end"] <= d["index_incident"]
        assert d["index_incident"] < d["referral"] <= d["index_incident"] + dt.timedelta(days=92)
        assert d["referral"] < d["learning_event"] < d["sign_off"] < d["publication"]
        months = (d["sign_off"] - d["referral"]).days / 30.4
        assert 5 <= months <= 31
        markdown = review.to_markdown()
        for key, text in review.date_text.items():
            assert text in markdown, (seed, key, text)


def test_date_spellings() -> None:
    day = dt.date(2020, 4, 3)
    spelt = {style: spell_date(day, style) for style in STYLES}
    assert spelt["ordinal"] == "3rd April 2020"
    assert spelt["the_of"] == "the 3rd of April 2020"
    assert spelt["slash"] == "03/04/2020"
    assert spelt["us_ordinal"] == "April 3rd, 2020"
    assert spelt["dotted"] == "3.4.2020"
    assert spell_date(dt.date(2019, 3, 11), "ordinal") == "11th March 2019"


def test_recommendations_name_their_agencies() -> None:
    review = generate_review(11, "CPR", pages_hint=10)
    text = review.plain_text()
    for rec in review.recommendations:
        assert rec.text in text
        assert all(agency in rec.text for agency in rec.agencies)


def test_vocabulary_differs_between_reviews() -> None:
    texts = [generate_review(seed, "CPR", pages_hint=6).plain_text() for seed in range(6)]
    assert len(set(texts)) == 6
    # Best-practice vocabulary the national analysis searched for is present.
    joined = " ".join(texts)
    for term in ("Good practice was seen when", "commended", "multi-agency", "timely"):
        assert term in joined


def test_pdf_pages_header_footer_and_text(tmp_path: Path) -> None:
    review = generate_review(3, "CPR", pages_hint=6)
    path = tmp_path / "r.pdf"
    count = render_pdf(review, path)
    pages = _pdf_pages(path)
    assert count == len(pages) >= 3
    header = header_text(review)
    for number, text in enumerate(pages, 1):
        assert header in text
        assert f"Page {number} of {count}" in text
    joined = _dehyphenate("\n".join(pages))
    assert _words(review.plain_text()) <= _words(joined)
    assert "Summary timeline" in joined


def test_pdf_page_count_follows_the_hint(tmp_path: Path) -> None:
    count = render_pdf(generate_review(9, pages_hint=20), tmp_path / "r.pdf")
    assert 15 <= count <= 26


def test_two_column_and_hyphenation(tmp_path: Path) -> None:
    review = generate_review(21, pages_hint=6)
    path = tmp_path / "r.pdf"
    render_pdf(review, path, layout="two_column")
    text = "\n".join(_pdf_pages(path))
    assert re.search(r"[a-z]{3,}(\ufffe|-\r?\n)[a-z]{3,}", text), "no hyphenated line end"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # Column lines are short: most body lines hold well under 70 characters.
    assert sum(len(ln) < 70 for ln in lines) > 0.8 * len(lines)


def test_a_table_in_half_a_page_keeps_its_dates_in_their_cell(tmp_path: Path) -> None:
    """A chronology date is not run into the agency beside it
    ("25/06/2011Denbighshire") when the table sits in one of two columns."""
    review = generate_review(0, pages_hint=12)
    path = tmp_path / "r.pdf"
    render_pdf(review, path, layout="two_column")
    text = "\n".join(_pdf_pages(path))
    dated = re.findall(r"\d\d/\d\d/\d{4}\S?", text)
    assert len(dated) >= 5
    assert not [d for d in dated if d[-1].isalpha()], dated


def test_wrap_hyphenates_only_sometimes() -> None:
    import random

    text = generate_review(1, pages_hint=3).plain_text()
    lines = wrap(text, "Helvetica", 10.5, 180.0, random.Random(1))
    hyphenated = [ln for ln in lines if ln.endswith("-")]
    assert 0 < len(hyphenated) < len(lines)
    rebuilt = "".join(ln[:-1] if ln.endswith("-") else ln + " " for ln in lines)
    assert rebuilt.split() == text.split()


def test_image_page_has_no_text_layer(tmp_path: Path) -> None:
    review = generate_review(4, pages_hint=4)
    path = tmp_path / "r.pdf"
    count = render_pdf(review, path, image_pages=[2])
    pages = _pdf_pages(path)
    assert count == len(pages)
    assert pages[1].strip() == ""
    assert pages[0].strip() and pages[2].strip()
    pdf = pdfium.PdfDocument(str(path))
    objects = list(pdf[1].get_objects())
    assert any(o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for o in objects)
    pdf.close()


def test_docx_has_heading_styles(tmp_path: Path) -> None:
    review = generate_review(8, "APR", pages_hint=4)
    path = tmp_path / "r.docx"
    render_docx(review, path)
    document = docx.Document(str(path))
    headings = {p.text: p.style.name for p in document.paragraphs
                if p.style is not None and (p.style.name or "").startswith("Heading")}
    assert headings[review.title] == "Heading 1"
    for heading in CPR_HEADINGS:
        assert headings[heading] == "Heading 2"
    assert document.tables  # the summary timeline
    assert header_text(review) in document.sections[0].header.paragraphs[0].text


def test_markdown_and_html(tmp_path: Path) -> None:
    review = generate_review(12, "CPR", pages_hint=4)
    render_markdown(review, tmp_path / "r.md")
    render_html(review, tmp_path / "r.html")
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert markdown.startswith("# ")
    assert "## Summary timeline" in markdown
    assert "| Date | Agency | Event |" in markdown and "| --- | --- | --- |" in markdown
    assert re.search(r"^1\. ", markdown, re.MULTILINE)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>Summary timeline</h2>" in html and "<table>" in html


def test_plain_text_is_the_reading_order() -> None:
    review = generate_review(2, pages_hint=3)
    blocks = [b for b, _ in review.reading_order()]
    assert blocks[0].kind is BlockKind.HEADING and blocks[0].text == review.title
    text = review.plain_text()
    assert all(b.text in text for b in blocks if b.kind is not BlockKind.LIST_ITEM)


def test_welsh_version_shares_the_case(tmp_path: Path) -> None:
    en = generate_review(30, "CPR", pages_hint=10)
    cy = generate_review(30, "CPR", language="cy", pages_hint=10)
    assert cy.language == "cy"
    assert (cy.identifier, cy.board, cy.dates, cy.variant) == (
        en.identifier, en.board, en.dates, en.variant)
    assert len(cy.plain_text().split()) < len(en.plain_text().split())
    text = cy.to_markdown()
    for phrase in ("Adolygiad Ymarfer Plant", "Dysgu ymarfer a sefydliadol", "Argymhellion"):
        assert phrase in text
    for spelt in cy.date_text.values():
        assert spelt in text
    count = render_pdf(cy, tmp_path / "cy.pdf")
    assert "Tudalen 1 o" in _pdf_pages(tmp_path / "cy.pdf")[0] and count >= 1


def test_corpus_writes_files_and_manifest(tmp_path: Path) -> None:
    seen: list[int] = []
    paths = generate_corpus(tmp_path, 3, seed=1, formats=("pdf", "docx", "md", "html"),
                            two_column_share=0.5, image_page_share=0.2, pages_hint=3,
                            welsh_share=0.5, progress=lambda done, total: seen.append(done))
    assert seen == [1, 2, 3]
    assert all(p.exists() for p in paths)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == len(paths)
    for entry in manifest:
        assert (tmp_path / entry["path"]).exists()
        assert entry["expected"]["identifier"]
        if entry["format"] == "pdf":
            assert entry["layout"] in ("single", "two_column")
            assert entry["pages"] == len(_pdf_pages(tmp_path / entry["path"]))
    english = [e["expected"]["identifier"] for e in manifest
               if e["format"] == "md" and e["language"] == "en"]
    assert len(set(english)) == len(english)  # identifiers are unique within a corpus
