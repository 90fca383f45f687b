"""Typed reasons a file is rejected. Every rejection carries one."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any


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


def N_(message: str) -> str:
    """Marks a core message for the web's catalogue (scripts/i18n.sh extracts
    N_ as well as _) without translating it here: the core has no language,
    the page that shows the message does."""
    return message


class Words(str):
    """A value of a core message that is itself English words, not data (a
    name for what is refused: "The .qdc file"): `translated` looks it up in
    the catalogue as well. Mark the literal with N_ where it is written:
    `Words(N_("The .qdc file"))`."""

    __slots__ = ()


class StorfaError(Exception):
    """An error the CLI and web show to the user as a message, not a traceback.

    `StorfaError(N_("No review called {key!r}."), key=key)` keeps the English
    template and its values apart, so a page can look the template up in its
    catalogue and fill in the same values (`translated`); str() is the English.
    A message given already formatted still works: it is looked up whole."""

    def __init__(self, message: str = "", **values: Any) -> None:
        super().__init__(message.format(**values) if values else message)
        self.template = message
        self.values = values

    def translated(self, gettext: Callable[[str], str]) -> str:
        # Subclasses that build their own message (and never call this
        # __init__ with a template) still read as their English text.
        template = getattr(self, "template", None) or str(self)
        values = {name: gettext(value) if isinstance(value, Words) else value
                  for name, value in getattr(self, "values", {}).items()}
        text = gettext(template)
        return text.format(**values) if values else text


class NotFound(StorfaError):
    """What the use case was asked about does not exist: adapters answer 404."""


class Refused(StorfaError):
    """A rule of the use case forbids this change to this actor (audited where
    it is raised): adapters answer 403 with the message, not a bare 400."""


class LockOut(Refused):
    """An editor would shut their own organisation out of a review."""

    def __init__(self, organisation: str) -> None:
        super().__init__(N_("A restricted or draft review must name your own organisation "
                            "({organisation}): an editor never locks their own "
                            "organisation out."), organisation=organisation)
