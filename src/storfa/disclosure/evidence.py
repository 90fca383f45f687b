"""A recommendation's evidence file as someone who may not edit its review
gets it (issue 19 item 3): redacted by the review's redacted words, as the
review's own original is, or not at all.

An evidence file (recommendations/evidence.py: PDF, DOCX, PNG, JPEG or text)
has no offsets into the review's text, so it is redacted by the words
(`Redactions.loose` and `matches`, disclosure/redaction.py), with the
machinery that redacts a review's original:

- text: the words replaced, then read again;
- Word: `redact_docx` (every XML part, checked afterwards);
- PDF: each page's text layer is read, the redacted words found in it (a
  name's parts, a day however it is written) are redacted by `redact_pdf`
  (annotations, document properties and XMP dropped), and the copy's text
  and XMP are read again for any of the words;
- an image, or a PDF page with an image and no text (a scan): storfa cannot
  read its words, so it is withheld (`EvidenceWithheld`) while the review
  has redactions.

Any doubt raises `RedactionFailed` or `EvidenceWithheld`; the caller answers
409 and never the file as uploaded.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from storfa.disclosure.redact_docx import MEDIA_TYPE as DOCX
from storfa.disclosure.redact_docx import redact_docx
from storfa.disclosure.redact_pdf import Redaction, RedactionFailed, redact_pdf, xmp_texts
from storfa.disclosure.redaction import Redactions
from storfa.domain.errors import N_, StorfaError


class EvidenceWithheld(StorfaError):
    """The file's words cannot be read, so it cannot be redacted."""


def published_evidence(data: bytes, media_type: str, mask: Redactions) -> bytes:
    """The evidence file `data` with `mask`'s words redacted (unchanged when
    `mask` redacts nothing); raises rather than return a copy that may
    still hold one."""
    if not mask:
        return data
    if media_type == "text/plain":
        text = mask.loose(data.decode("utf-8"))
        if mask.finds(text):
            raise RedactionFailed("the text still holds a redacted word")
        return text.encode("utf-8")
    if media_type == DOCX:
        return redact_docx(data, mask)
    if media_type == "application/pdf":
        return _pdf(data, mask)
    raise EvidenceWithheld(N_("This evidence file is an image, which storfa cannot redact; "
                              "ask an editor of the review for it."))


def _pdf(data: bytes, mask: Redactions) -> bytes:
    wanted: list[Redaction] = []
    pdf = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(pdf, 1):
            text = page.get_textpage().get_text_range()
            if not text.strip() and _has_image(page):
                raise EvidenceWithheld(N_("This evidence file has a scanned page, which storfa "
                                          "cannot redact; ask an editor of the review for it."))
            wanted += [Redaction(number, text[a:b], replacement)
                       for a, b, replacement in mask.matches(text)]
    finally:
        pdf.close()
    # Even with no words on its pages the copy is made: its properties,
    # annotations and XMP may hold them.
    copy = redact_pdf(data, wanted)
    pdf = pdfium.PdfDocument(copy)
    try:
        if any(mask.finds(page.get_textpage().get_text_range()) for page in pdf):
            raise RedactionFailed("a page still holds a redacted word after redaction")
    finally:
        pdf.close()
    if any(mask.finds(text) for text in xmp_texts(copy)):
        raise RedactionFailed("an XMP metadata stream still holds a redacted word")
    return copy


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3))
