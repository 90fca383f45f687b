"""Renditions: further files of a review version's text, kept for download
beside the one the reader reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadingState:
    """What a review's current version holds, as the rendition decision needs it."""

    version_id: int
    version: int
    text: str
    reading_format: str
    formats: frozenset[str]  # the reading file's and every rendition's


@dataclass(frozen=True, slots=True)
class Rendition:
    """One downloadable file of a version; `reading` is the one the reader uses."""

    file_id: int
    name: str
    format: str
    sha256: str
    size: int
    pages: int
    reading: bool


@dataclass(frozen=True, slots=True)
class NewRendition:
    review_key: str
    version_id: int
    sha256: str
    original_name: str
    format: str
    size: int
    stored_path: str
    page_count: int
    similarity: float
    actor: str
