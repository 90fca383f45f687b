"""Publishing safely, end to end in a real browser (issue 19's outside check):
an editor uploads a Word draft with planted identifiers, which lands as a
draft; sees the findings in the reader, decides them, tries to publish with
one undecided (refused), decides it and publishes; then an anonymous visitor
searches, reads, downloads the original and a 7-minute briefing, and finds
none of the planted identifiers anywhere.

Elements are found by id, class and attribute, not by English words."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from docx import Document
from livesite import SignIn, Site
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

# The worker reads the file in a separate process on a shared, busy machine.
INGEST_TIMEOUT_MS = 90_000
PLANTED = ("Jane Evans", "Evans", "Oak Tree Road", "SA15 3AB", "943 476 5919",
           "Oakfield Primary", "01554 123456", "jevans1984")


def _draft(path: Path, key: str, word: str) -> None:
    doc = Document()
    doc.core_properties.title = f"Child Practice Review {key}"
    doc.add_paragraph(f"Child Practice Review {key}", style="Title")
    doc.add_paragraph("Gwent Safeguarding Board")
    doc.add_heading("Brief outline of circumstances resulting in the review", level=1)
    para = doc.add_paragraph()
    for piece in ("Jane Ev", "ans lived at 12 Oak Tree Road, Llanelli, SA15 3AB with her son. "):
        para.add_run(piece)
    doc.add_paragraph("Her NHS number is 943 476 5919 and her phone number was 01554 123456; "
                      "she wrote from jevans1984@example.com.")
    doc.add_heading("Practice and organisational learning", level=1)
    doc.add_paragraph(f"Child K attended Oakfield Primary School, where staff showed {word} "
                      "professional curiosity and escalated concerns about Jane Evans.")
    doc.save(str(path))


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.endswith((".xml", ".rels")))
    doc = Document(io.BytesIO(data))
    return "\n".join([xml, re.sub(r"<[^>]+>", "", xml), *(p.text for p in doc.paragraphs)])


def _clean(text: str, where: str) -> None:
    held = [w for w in PLANTED if w.casefold() in text.casefold()]
    assert not held, f"{where} still holds {held}"


def test_upload_decide_publish_then_nothing_planted_is_public(
        page: Page, browser: Browser, site: Site, sign_in: SignIn, tmp_path: Path) -> None:
    number = 10 + uuid.uuid4().int % 80
    key, word = f"CPR2025-W{number}", f"tamarin{uuid.uuid4().hex[:6]}"
    draft = tmp_path / f"draft-{number}.docx"
    _draft(draft, key, word)

    # Upload: the safe level is chosen; the result says draft and how many wait.
    sign_in(page, "editor")
    page.goto("/upload")
    expect(page.locator("#upload-access input[value=draft]")).to_be_checked()
    page.locator("#files").set_input_files([draft])
    page.locator("#upload-form button[type=submit]").click()
    row = page.locator("#upload-results tbody tr").filter(has_text=draft.name)
    expect(row.locator("td").nth(2)).to_have_class(re.compile(r"status-ingested"),
                                                   timeout=INGEST_TIMEOUT_MS)
    expect(row.locator(".upload-access.access-draft")).to_be_visible()
    expect(row.locator(".disclosure-warning")).to_contain_text(re.compile(r"\d"))

    # Nobody else can see the draft yet.
    anonymous = browser.new_context(base_url=site.url, locale="en-GB")
    visitor = anonymous.new_page()
    try:
        assert visitor.request.get(f"/reviews/{key}").status == 404
        assert visitor.request.get(f"/api/v1/search?q={word}").json()["total"] == 0

        # The findings, in the reader's panel.
        row.locator("a.decide-findings").click()
        expect(page.locator("#disclosure")).to_be_visible()
        findings = page.locator("#disclosure ol.findings > li")
        total = findings.count()
        assert total >= 6, total
        expect(page.locator("#disclosure ol.findings mark.disclosure").first).to_be_visible()

        # Decide all but one.
        undecided = page.locator("#disclosure li[data-decision=undecided]")
        for left in range(total, 1, -1):
            expect(undecided).to_have_count(left)
            undecided.first.locator("button[value=accepted]").click()
        expect(undecided).to_have_count(1)

        # Publishing with one undecided is refused, with the reason.
        access = page.locator("form[action$='/access']")
        page.locator("details.edit:has(form[action$='/access']) > summary").click()
        expect(page.locator("#publication-gate")).to_be_visible()
        access.locator("input[name=level][value=public]").check()
        with page.expect_response(lambda r: r.url.endswith("/access")) as refused:
            access.locator("button[type=submit]").click()
        assert refused.value.status == 400
        expect(page.locator("p.error")).to_contain_text("1")
        assert visitor.request.get(f"/reviews/{key}").status == 404

        # Decide the last one, then publish.
        page.goto(f"/reviews/{key}#disclosure")
        undecided.first.locator("button[value=accepted]").click()
        expect(undecided).to_have_count(0)
        page.locator("details.edit:has(form[action$='/access']) > summary").click()
        expect(page.locator("#publication-gate")).to_have_count(0)
        access.locator("input[name=level][value=public]").check()
        access.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/reviews/{key}$"))
        expect(page.locator(".reader-head .badge")).to_have_count(0)

        # An anonymous visitor: search, hits, snippets, the reader, the original,
        # the search export and the briefing hold none of the planted identifiers.
        visitor.goto(f"/search?q={word}")
        hits = visitor.locator("ol.hits li.hit")
        expect(hits).to_have_count(1)
        _clean(hits.first.inner_text(), "the hit")
        # Within the review (the generated corpus has its own Evanses), which
        # its own words find.
        assert visitor.request.get("/api/v1/search", params={
            "q": f"{word} review:{key}"}).json()["total"] == 1
        for planted in ('"Jane Evans"', "Evans", '"Oak Tree Road"', '"SA15 3AB"',
                        '"943 476 5919"', "Oakfield", "jevans1984", "section:Oakfield"):
            found = visitor.request.get("/api/v1/search",
                                        params={"q": f"{planted} review:{key}"}).json()
            assert found["total"] == 0, (planted, found["hits"][:1])
        hits.first.locator("h3 a").click()
        expect(visitor.locator(".reader-head h1")).to_be_visible()
        _clean(visitor.locator("main").inner_text(), "the reader")
        with visitor.expect_download() as got:
            visitor.locator(".reader-head .actions a[href$='/original']").click()
        original = Path(got.value.path()).read_bytes()
        assert got.value.suggested_filename.endswith(".docx")
        text = _docx_text(original)
        _clean(text, "the downloaded original")
        assert word in text and "Person A" in text
        _clean(visitor.request.get(f"/search.csv?q={word}").text(), "the search CSV")
        briefing = visitor.request.get(f"/reports/briefing?review={key}")
        assert briefing.status == 200
        _clean(briefing.text(), "the 7-minute briefing")
    finally:
        anonymous.close()
