"""What one coder sees of a codebook's extracts when several people code.

Blind coding: a coder sees the auto-coder's suggestions as if nobody else had
decided them, their own decisions and their own codings, and nothing of
anyone else's. With `compare` every current extract shows as it is, with
who decided it. Storage keeps each coder's decisions apart
(storage/sql/extracts.py); this is only the view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from storfa.domain.coding import ACCEPTED, REJECTED, SUGGESTED, Extract


def coder_view(extracts: Iterable[Extract], who: str, compare: bool = False) -> list[Extract]:
    """The extracts as `who` sees them, in the order given."""
    rows = list(extracts)
    if compare:
        return rows
    decided_by_copy = {e.origin_id for e in rows
                       if e.decided_by == who and e.origin_id is not None}
    seen = []
    for e in rows:
        if e.decided_by == who:
            seen.append(e)
        elif e.is_suggestion and e.id not in decided_by_copy:
            # Someone else's decision on it stays unseen: still open for this coder.
            seen.append(e if e.status == SUGGESTED else
                        replace(e, status=SUGGESTED, decided_by=None, decided_at=None))
    return seen


def queue_items(view: Iterable[Extract]) -> list[Extract]:
    """The items of a coder's suggestion queue: suggestions and the
    coder's decisions on them (not extracts made by hand), the most
    confident first, so that a coder's first hour goes where the suggestions
    are most likely right (ties, and suggestions without a confidence, in
    review and text order)."""
    items = [e for e in view if e.how != "manual" or e.origin_id is not None]
    return sorted(items, key=lambda e: -(e.confidence if e.confidence is not None else -1.0))


def status_counts(view: Iterable[Extract]) -> dict[str, int]:
    counts = Counter(e.status for e in view)
    return {s: counts.get(s, 0) for s in (SUGGESTED, ACCEPTED, REJECTED)}
