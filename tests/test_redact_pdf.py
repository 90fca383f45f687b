"""The downloadable original of a PDF carries the editors' redactions
(issue 19 item 3, its simplest part): the redacted copy's text layer, read
back with pypdfium2, no longer holds an accepted or edited finding's words.
Editors still get the unredacted original; without decisions nothing changes."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from fastapi.testclient import TestClient
from reportlab.pdfgen import canvas

from storfa.app import Storfa
from storfa.disclosure.decisions import CommandLine, DisclosureDecisions
from storfa.disclosure.redact_pdf import Redaction, redact_pdf
from storfa.web.app import create_app

LINES = ("Child Practice Review CPR2024-W07",
         "North Wales Safeguarding Board - Child Practice Review re: Child K",
         "Child K lived with Mother. Her NHS number is 943 476 5919.",
         "The health visitor, Ceri Morgan, visited weekly.",
         "Jane Evans phoned the duty team.",
         "Practitioners showed professional curiosity.")


def _pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path))
    # A draft's author often leaves names in the document properties too.
    c.setTitle("Review re: Jane Evans")
    c.setAuthor("Ceri Morgan")
    c.setSubject("Jane Evans, NHS 943 476 5919")
    c.bookmarkPage("jane")
    c.addOutlineEntry("Jane Evans", "jane")
    for i, line in enumerate(LINES):
        c.drawString(72, 760 - 22 * i, line)
    c.showPage()
    c.save()
    return path


def _text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_redacted_text_layer_has_no_redacted_words(tmp_path: Path) -> None:
    data = _pdf(tmp_path / "draft.pdf").read_bytes()
    out = redact_pdf(data, [Redaction(1, "943 476 5919", "[NHS number]"),
                            Redaction(1, "Jane Evans", "Person A")])
    text = _text(out)
    assert "943" not in text and "5919" not in text and "Evans" not in text
    assert "[NHS number]" in text and "Person A phoned the duty team." in text
    # Lines without a finding are left exactly as they were.
    assert "Practitioners showed professional curiosity." in text
    # The document properties and bookmarks are not carried over.
    copy = pdfium.PdfDocument(out)
    try:
        properties = copy.get_metadata_dict(skip_empty=True)
        assert not {"Title", "Author", "Subject", "Keywords"} & set(properties), properties
        assert list(copy.get_toc()) == []
        assert len(copy) == 1
    finally:
        copy.close()
    source = pdfium.PdfDocument(data)
    try:
        assert "Jane Evans" in source.get_metadata_dict()["Title"]  # it was there to remove
        assert [b.get_title() for b in source.get_toc()] == ["Jane Evans"]
    finally:
        source.close()


def test_download_is_redacted_for_readers(storfa: Storfa, tmp_path: Path) -> None:
    (result,) = storfa.ingest.ingest([_pdf(tmp_path / "draft.pdf")])
    assert result.status == "ingested", result
    record = storfa.store.get_review(result.review_id)
    assert record is not None and record.format == "pdf"
    client = TestClient(create_app(storfa))
    url = f"/reviews/{record.summary.review_id}/original"
    stored = storfa.blobs.path_for(record.source_sha256).read_bytes()
    assert client.get(url).content == stored  # nothing decided: the original

    service = DisclosureDecisions(storfa)
    found = {f.type: f for f in service.report(record).report.findings}
    editor = CommandLine("cli:tester")
    service.decide(record, found["nhs_number"].id, "accepted", None, editor)
    service.decide(record, found["practitioner_name"].id, "edited", "the health visitor",
                   editor)
    service.set_term(record, "Evans", editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _text(response.content)
    for words in ("943 476 5919", "Ceri Morgan", "Evans"):
        assert words not in text, words
    assert "[NHS number]" in text and "the health visitor" in text
    assert b"5919" not in response.content  # not in the file at all, not only the text layer
