"""Typed reasons a file is rejected. Every rejection carries one."""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"
    TOO_MANY_PAGES = "too_many_pages"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"
    UNSAFE_ARCHIVE = "unsafe_archive"  # zip-slip names, overlapping entries
    XML_ENTITIES = "xml_entities"  # DTDs, entity expansion, external entities
    RESOURCE_LIMIT = "resource_limit"  # worker hit its CPU, memory or output cap
    NO_TEXT = "no_text"


class RejectedFile(Exception):
    """Raised by extraction when a file cannot be ingested, with the reason."""

    def __init__(self, reason: RejectReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.message}"

    def __reduce__(self) -> tuple[type[RejectedFile], tuple[RejectReason, str]]:
        # Crosses process boundaries from the parser workers.
        return (RejectedFile, (self.reason, self.message))


class StorfaError(Exception):
    """An error the CLI and web show to the user as a message, not a traceback."""
