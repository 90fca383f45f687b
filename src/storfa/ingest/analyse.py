"""Per-document work after cleaning: segment, label languages, read metadata.

It runs inside the parser worker processes (ExtractorPool.submit's `then`),
so this CPU-heavy part uses every core; the main process only stores."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from storfa.domain.documents import ExtractedDocument
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.domain.reviews import MetadataValue, Passage
from storfa.ingest.language import label_passages
from storfa.ingest.metadata import extract_metadata
from storfa.ingest.metadata.identity import IDENTITY_NEEDED, identity_needed
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
    # Findings of the disclosure check at its default confidence: a warning
    # on the upload's result, counted here in the worker processes.
    disclosure_findings: int = 0


def analyse(doc: ExtractedDocument, language: str | None = None) -> AnalysedDocument:
    text, passages = segment(doc)
    if not passages:
        raise RejectedFile(RejectReason.NO_TEXT, "no text could be read from the file")
    review_language = label_passages(passages, forced=language)
    title = doc.title or title_heading(doc)
    # Running headers and footers are the report's own furniture: they may carry
    # its identifier and board on every page, where the body quotes other reviews'.
    furniture = [line for page in doc.pages for line in page.furniture]
    metadata = extract_metadata(metadata_passages(passages, doc.page_count), title, furniture)
    warnings = list(doc.warnings)
    found = {m.field: m.value for m in metadata}
    if identity_needed(found.get("type"), found.get("identifier")):
        warnings.append(IDENTITY_NEEDED)
    return AnalysedDocument(
        format=doc.format, page_count=doc.page_count, text=text, passages=passages,
        language=review_language, metadata=metadata, title=title,
        warnings=warnings,
        furniture={p.number: p.furniture for p in doc.pages if p.furniture},
        ocr_pages=[p.number for p in doc.pages if p.ocr],
        disclosure_findings=_disclosure(passages, warnings))


def _disclosure(passages: list[Passage], warnings: list[str]) -> int:
    from storfa.disclosure.check import warning_count

    found = warning_count(passages)
    if found:
        warnings.append(f"disclosure check: {found} possible identifying detail(s) "
                        "(names, addresses, dates of birth...); decide each in the "
                        "disclosure check before publishing")
    return found


# Long reports state their type, identifier, board and dates on the first pages,
# in the statement by the reviewers and in the appendices at the end, and in
# sections with these names; the learning in between is read for search only.
FULL_READ_PAGES = 12
HEAD_PAGES, TAIL_PAGES = 8, 5
_METADATA_SECTIONS = re.compile(
    r"outline|circumstances|introduction|background|statement|terms of reference|"
    r"learning event|practitioner event|timeline|chronology|review process|methodology|"
    r"governance|publication|sign|amlinelliad|datganiad|cylch gorchwyl", re.I)


# The same by position, for formats without pages (Markdown, most DOCX).
FULL_READ_PASSAGES = 300
HEAD_PASSAGES, TAIL_PASSAGES = 150, 80


def metadata_passages(passages: list[Passage], page_count: int) -> list[Passage]:
    if page_count <= FULL_READ_PAGES and len(passages) <= FULL_READ_PASSAGES:
        return passages
    last = len(passages) - TAIL_PASSAGES
    if page_count > FULL_READ_PAGES:
        return [p for p in passages
                if p.page <= HEAD_PAGES or p.page > page_count - TAIL_PAGES
                or _METADATA_SECTIONS.search(p.section)]
    return [p for i, p in enumerate(passages)
            if i < HEAD_PASSAGES or i >= last or _METADATA_SECTIONS.search(p.section)]


def analyser(language: str | None) -> Any:
    """A picklable `then` for ExtractorPool.submit."""
    return partial(analyse, language=language)
