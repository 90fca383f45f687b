"""Per-document work after cleaning: segment, label languages, read metadata.

It runs inside the parser worker processes (ExtractorPool.submit's `then`),
so this CPU-heavy part uses every core; the main process only stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from storfa.domain.documents import ExtractedDocument
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.domain.reviews import MetadataValue, Passage
from storfa.ingest.language import label_passages
from storfa.ingest.metadata import extract_metadata
from storfa.ingest.segment import segment, title_heading


@dataclass(slots=True)
class AnalysedDocument:
    format: str
    page_count: int
    text: str
    passages: list[Passage]
    language: str
    metadata: list[MetadataValue]
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    furniture: dict[int, list[str]] = field(default_factory=dict)
    ocr_pages: list[int] = field(default_factory=list)


def analyse(doc: ExtractedDocument, language: str | None = None) -> AnalysedDocument:
    text, passages = segment(doc)
    if not passages:
        raise RejectedFile(RejectReason.NO_TEXT, "no text could be read from the file")
    review_language = label_passages(passages, forced=language)
    title = doc.title or title_heading(doc)
    metadata = extract_metadata(passages, title)
    return AnalysedDocument(
        format=doc.format, page_count=doc.page_count, text=text, passages=passages,
        language=review_language, metadata=metadata, title=title,
        warnings=list(doc.warnings),
        furniture={p.number: p.furniture for p in doc.pages if p.furniture},
        ocr_pages=[p.number for p in doc.pages if p.ocr])


def analyser(language: str | None) -> Any:
    """A picklable `then` for ExtractorPool.submit."""
    return partial(analyse, language=language)
