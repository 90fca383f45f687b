"""A report document as a downloadable file: PDF or DOCX, chosen by name."""

from __future__ import annotations

from storfa.domain.errors import N_, StorfaError
from storfa.reports.document import Document

FORMATS = ("pdf", "docx")


def format_of(name: str) -> str:
    """"pdf" or "docx" from a format name or a file name's suffix."""
    fmt = name.rsplit(".", 1)[-1].strip().casefold()
    if fmt not in FORMATS:
        raise StorfaError(N_("A report is written as .pdf or .docx (got {name!r})."), name=name)
    return fmt


def render(doc: Document, fmt: str) -> tuple[bytes, str]:
    """(file bytes, media type)."""
    if format_of(fmt) == "pdf":
        from storfa.reports.pdf import MEDIA_TYPE, render_pdf

        return render_pdf(doc), MEDIA_TYPE
    from storfa.reports.docx import MEDIA_TYPE as DOCX_TYPE
    from storfa.reports.docx import render_docx

    return render_docx(doc), DOCX_TYPE
