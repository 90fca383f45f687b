"""A 7-minute briefing in a real browser: a reader opens a review's briefing,
edits one section, downloads the PDF; the test renders the downloaded file's
first page to PNG with PDFium and reads its text back, checking the section
headings, the review id and the edited words are in it. Elements are found by
id, class and role, never by English words."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from livesite import SignIn, Site
from playwright.sync_api import Page, expect

from storfa.reports.words import SECTIONS, word

pytestmark = pytest.mark.browser

EDITED = "Practitioners in every agency should ask who else lives in the home zanzibarite."


def test_reader_edits_a_briefing_and_downloads_the_pdf(page: Page, sign_in: SignIn, site: Site,
                                                     tmp_path: Path) -> None:
    sign_in(page, "reader")
    page.goto("/reports")
    page.locator("#link-briefing").click()
    page.locator("#b-review").select_option(site.paged_review)
    page.locator("#choose-review button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"review={re.escape(site.paged_review)}"))
    sections = page.locator("form#briefing-form textarea")
    expect(sections).to_have_count(len(SECTIONS))
    learned = page.locator("#section-what_we_learned")
    expect(learned).not_to_be_empty()
    learned.fill(f"- {EDITED}")

    with page.expect_download() as info:
        page.locator("#export-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "briefing.pdf"
    download.save_as(path)

    pdf = pdfium.PdfDocument(path)
    try:
        assert 1 <= len(pdf) <= 3
        image = pdf[0].render(scale=1).to_pil()
        # A4 at 72 dpi: 595 × 842 points.
        assert abs(image.width - 595) <= 2 and abs(image.height - 842) <= 2
        image.save(tmp_path / "page1.png")
        assert (tmp_path / "page1.png").stat().st_size > 10_000  # a page with text, not blank
        text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    text = re.sub(r"\s+", " ", text)
    assert site.paged_review in text
    for key in SECTIONS:
        assert word(key, "en") in text, key
    assert EDITED in text
