"""The reports pages through the real app: a briefing assembled, edited and
downloaded as PDF and DOCX (audited, CSRF-checked), a hidden review answering
404 everywhere, thematic downloads and the recurrence table without hidden
reviews, headings in Welsh for a Welsh interface."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
from docx import Document

from storfa.reports.words import SECTIONS, word
from webworld import World, build_world, csrf_of

HIDDEN = "CPR2019-W07"  # restricted to the home organisation
PUBLIC = "CPR2017-W01"
EXTRA = """
## Recommendations

1. Agencies should share information about neglect with the school nurse before every
   strategy discussion.
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("reports-web")
    site = build_world(base / "data", base / "reviews",
                       extra={level: EXTRA for level in ("public", "registered", "restricted",
                                                         "draft")})
    yield site
    site.close()


def _pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_hidden_review_is_not_found(world: World) -> None:
    for who in ("other_reader", "anonymous"):
        client = world.client(who)
        assert client.get("/reports/briefing", params={"review": HIDDEN}).status_code == 404
        response = client.post("/reports/briefing/export", data={
            "review": HIDDEN, "format": "pdf", "csrf_token": world.page_csrf(who)})
        assert response.status_code == 404
    page = world.client("reader").get("/reports/briefing", params={"review": HIDDEN})
    assert page.status_code == 200 and 'id="section-what_happened"' in page.text
    chooser = world.client("other_reader").get("/reports/briefing")
    assert chooser.status_code == 200 and HIDDEN not in chooser.text and PUBLIC in chooser.text


def test_briefing_export_takes_the_edited_text_and_is_audited(world: World) -> None:
    client = world.client("reader")
    page = client.get("/reports/briefing", params={"review": PUBLIC})
    assert page.status_code == 200
    for key in SECTIONS:
        assert f'id="section-{key}"' in page.text
    form = {"review": PUBLIC, "csrf_token": csrf_of(page.text),
            "questions": "- Who sees the child alone, and when?\r\n- A second question"}
    forged = client.post("/reports/briefing/export", data={**form, "csrf_token": "forged",
                                                          "format": "pdf"})
    assert forged.status_code == 403
    pdf = client.post("/reports/briefing/export", data={**form, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    text = _squash(_pdf_text(pdf.content))
    assert "Who sees the child alone, and when?" in text
    assert all(word(key, "en") in text for key in SECTIONS)
    docx = client.post("/reports/briefing/export", data={**form, "format": "docx"})
    assert docx.status_code == 200 and "wordprocessingml" in docx.headers["content-type"]
    paragraphs = Document(io.BytesIO(docx.content)).paragraphs
    headings = [p.text for p in paragraphs if p.style is not None
                and p.style.name.startswith("Heading 2")]
    assert headings == [word(key, "en") for key in SECTIONS]
    assert any(p.text == "Who sees the child alone, and when?" for p in paragraphs)
    events = [e for e in world.audit("report.briefing") if e["object_id"] == PUBLIC]
    assert {e["detail"]["format"] for e in events} == {"pdf", "docx"}
    assert all(e["detail"]["edited"] == ["questions"] and e["actor"] == "user:reader"
               for e in events)
    bad = client.post("/reports/briefing/export", data={**form, "format": "exe"})
    assert bad.status_code == 400


def test_welsh_interface_gives_welsh_headings(world: World) -> None:
    client = world.client("reader")
    page = client.get("/reports/briefing", params={"review": PUBLIC, "lang": "cy"})
    assert page.status_code == 200
    assert all(word(key, "cy") in page.text.replace("&#39;", "'") for key in SECTIONS)


def test_theme_briefing_needs_coded_extracts(world: World) -> None:
    response = world.client("reader").get("/reports/briefing", params={"theme": "Communication"})
    # Nothing is coded in this small world: the page says so rather than failing.
    assert response.status_code == 404 and "Communication" in response.text


def test_thematic_and_recurrence_leave_hidden_reviews_out(world: World) -> None:
    outsider = world.client("other_reader")
    page = outsider.get("/reports/thematic")
    assert page.status_code == 200 and 'id="thematic-export"' in page.text
    download = outsider.post("/reports/thematic/export", data={
        "format": "docx", "csrf_token": csrf_of(page.text)})
    assert download.status_code == 200
    body = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert PUBLIC in body and HIDDEN not in body
    pdf = outsider.post("/reports/thematic/export", data={
        "format": "pdf", "csrf_token": csrf_of(page.text), "type": "CPR"})
    assert pdf.status_code == 200 and HIDDEN not in _pdf_text(pdf.content)
    assert world.audit("report.thematic")
    recurring = outsider.get("/reports/recurrence")
    assert recurring.status_code == 200 and 'class="recurrence-group"' in recurring.text
    assert PUBLIC in recurring.text and HIDDEN not in recurring.text
    assert re.search(r'href="/recommendations/\d+"', recurring.text)
    insider = world.client("reader").get("/reports/recurrence")
    assert HIDDEN in insider.text
    assert world.client("reader").get("/reports").status_code == 200


def test_report_pages_keep_the_content_security_policy(world: World) -> None:
    client = world.client("reader")
    for path in ("/reports", "/reports/briefing", f"/reports/briefing?review={PUBLIC}",
                 "/reports/thematic", "/reports/recurrence"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        assert html.count("<h1") == 1, path
