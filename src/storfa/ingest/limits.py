"""Resource limits for parsing untrusted files."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    """Caps applied while extracting one file (checked in this order of cost)."""

    max_file_bytes: int = 200 * MB  # checked first, from the file size -> TOO_LARGE
    max_pages: int = 5_000  # -> TOO_MANY_PAGES
    cpu_seconds: int = 60  # per task, in the sandbox worker -> RESOURCE_LIMIT
    memory_bytes: int = 1024 * MB  # RLIMIT_AS of a sandbox worker -> RESOURCE_LIMIT
    max_unzipped_bytes: int = 500 * MB  # DOCX total uncompressed size -> ZIP_BOMB
    max_zip_entries: int = 10_000  # DOCX entry count -> ZIP_BOMB
    max_text_chars: int = 50_000_000  # extracted text -> RESOURCE_LIMIT
    ocr: bool = True  # OCR pages without a text layer (needs `tesseract`)
    ocr_timeout: float = 120.0  # wall seconds per OCR'd page
    ocr_dpi: int = 250
