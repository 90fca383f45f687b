"""The downloadable original of a PDF carries the editors' redactions
(issue 19 item 3, its simplest part): the redacted copy's text layer, read
back with pypdfium2, no longer holds an accepted or edited finding's words.
Editors still get the unredacted original; without decisions nothing changes."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from fastapi.testclient import TestClient
from reportlab.pdfgen import canvas

from storfa.app import Storfa
from storfa.disclosure.decisions import CommandLine, DisclosureDecisions
from storfa.disclosure.redact_pdf import Redaction, RedactionFailed, redact_pdf
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


def _annotated_pdf(path: Path) -> bytes:
    """A draft whose comments, link, FreeText box and form field name the
    person the text names: none of them is in the text layer."""
    c = canvas.Canvas(str(path))
    c.drawString(72, 760, "Jane Evans phoned the duty team.")
    c.drawString(72, 738, "Practitioners showed professional curiosity.")
    c.textAnnotation("Check this with Jane Evans first", Rect=(72, 600, 200, 650))
    c.linkURL("https://example.org/families/jane-evans", (72, 500, 200, 520))
    c.freeTextAnnotation("Jane Evans said so", Rect=(72, 400, 300, 430), DA="/Helv 10 Tf 0 g")
    c.acroForm.textfield(name="mother", value="Jane Evans", x=72, y=300, width=200, height=20)
    c.showPage()
    c.save()
    return path.read_bytes()


def _annotations(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return sum(raw.FPDFPage_GetAnnotCount(page.raw) for page in pdf)
    finally:
        pdf.close()


def test_annotations_and_form_fields_are_dropped(tmp_path: Path) -> None:
    data = _annotated_pdf(tmp_path / "annotated.pdf")
    assert _annotations(data) == 4 and b"jane-evans" in data  # they were there to remove
    assert b"Check this with Jane Evans first" in data and b"/AcroForm" in data
    out = redact_pdf(data, [Redaction(1, "Jane Evans", "Person A")])
    assert _annotations(out) == 0
    assert "Evans" not in _text(out) and "Person A phoned the duty team." in _text(out)
    # Not in the file at all: no comment, URI, FreeText or field value left.
    for words in (b"Evans", b"evans", b"/AcroForm", b"mother"):
        assert words not in out, words


def test_a_copy_whose_annotations_hold_a_finding_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _annotated_pdf(tmp_path / "annotated.pdf")
    monkeypatch.setattr("storfa.disclosure.redact_pdf._drop_annotations", lambda page: None)
    with pytest.raises(RedactionFailed, match="annotation"):
        redact_pdf(data, [Redaction(1, "Jane Evans", "Person A")])
    # The URI alone, which spells the name with a hyphen, is caught too.
    c = canvas.Canvas(str(tmp_path / "link.pdf"))
    c.drawString(72, 760, "Jane Evans phoned the duty team.")
    c.linkURL("https://example.org/jane-evans", (72, 500, 200, 520))
    c.showPage()
    c.save()
    with pytest.raises(RedactionFailed, match="annotation"):
        redact_pdf((tmp_path / "link.pdf").read_bytes(), [Redaction(1, "Jane Evans", "Person A")])
