"""Format registry: detect a file's format by content and run its extractor.

Runs in-process; untrusted files should go through `storfa.ingest.sandbox`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storfa.domain.documents import ExtractedDocument
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.detect import decode_text, detect_path
from storfa.ingest.limits import MB, ExtractLimits

__all__ = ["ExtractLimits", "check_size", "detect_path", "extract_document", "text_chars"]


def _pdf(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    from storfa.ingest.extractors.pdf import extract_pdf

    return extract_pdf(path, limits)


def _docx(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    from storfa.ingest.extractors.docx import extract_docx

    return extract_docx(path, limits)


def _html(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    from storfa.ingest.extractors.html import extract_html

    return extract_html(path.read_bytes())


def _read_text(path: Path) -> str:
    text = decode_text(path.read_bytes())
    if text is None:
        raise RejectedFile(RejectReason.UNSUPPORTED, "file is not valid text")
    return text


def _markdown(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    from storfa.ingest.extractors.text import extract_markdown

    return extract_markdown(_read_text(path))


def _text(path: Path, limits: ExtractLimits) -> ExtractedDocument:
    from storfa.ingest.extractors.text import extract_plain_text

    return extract_plain_text(_read_text(path))


EXTRACTORS: dict[str, Callable[[Path, ExtractLimits], ExtractedDocument]] = {
    "pdf": _pdf,
    "docx": _docx,
    "html": _html,
    "markdown": _markdown,
    "text": _text,
}


def check_size(path: Path, limits: ExtractLimits) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RejectedFile(RejectReason.CORRUPT, f"cannot read file: {exc}") from None
    if size > limits.max_file_bytes:
        raise RejectedFile(RejectReason.TOO_LARGE,
                           f"file is {size / MB:,.1f} MB "
                           f"(limit {limits.max_file_bytes / MB:,.0f} MB)")
    if size == 0:
        raise RejectedFile(RejectReason.EMPTY, "file is empty")
    return size


def text_chars(doc: ExtractedDocument) -> int:
    return sum(len(b.text) for p in doc.pages for b in p.blocks) + sum(
        len(f) for p in doc.pages for f in p.furniture)


def extract_document(path: Path, limits: ExtractLimits | None = None) -> ExtractedDocument:
    """Extract one file (uncleaned). Raises RejectedFile with a typed reason."""
    limits = limits or ExtractLimits()
    check_size(path, limits)
    fmt = detect_path(path)
    doc = EXTRACTORS[fmt](path, limits)
    if text_chars(doc) > limits.max_text_chars:
        raise RejectedFile(RejectReason.RESOURCE_LIMIT,
                           f"extracted text exceeds {limits.max_text_chars:,} characters")
    if not any(p.blocks for p in doc.pages):
        raise RejectedFile(RejectReason.NO_TEXT, f"no text found in this {fmt} file")
    return doc
