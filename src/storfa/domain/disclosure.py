"""Disclosure decisions as stored: an editor's decision on one finding of the
check before publication, and the words on a review's own list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DisclosureDecision:
    """An editor's decision about one disclosure finding of one version."""

    finding_id: str  # REVIEW@vN:TYPE:START-END (disclosure/check.py)
    decision: str    # accepted | rejected | edited
    replacement: str | None  # the editor's own text, for "edited"
    actor: str
    at: str


@dataclass(frozen=True, slots=True)
class DisclosureTerm:
    """A word on a review's own list, caught everywhere it occurs."""

    term: str
    actor: str
    at: str
