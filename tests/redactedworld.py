"""A web world (webworld.py) with one more review whose disclosure findings
are all accepted: what the redaction tests read as readers and editors."""

from __future__ import annotations

from pathlib import Path

from storfa.disclosure.decisions import DisclosureDecisions
from storfa.domain.acting import CommandLine
from storfa.domain.reviews import ReviewRecord
from storfa.ingest.after_store import after_store
from webworld import SYSTEM, World, build_world


def redacted_world(base: Path, key: str, markdown: str) -> tuple[World, ReviewRecord]:
    """The world, and the review `key` (from `markdown`) ingested as
    `storfa ingest` does, with every finding of its check accepted."""
    site = build_world(base / "data", base / "reviews")
    path = base / f"{key.lower()}.md"
    path.write_text(markdown, encoding="utf-8")
    storfa = site.storfa
    (result,) = storfa.ingest.ingest([path])
    assert result.review_id == key, result
    assert not after_store(storfa, [key], SYSTEM.name).failures
    record = storfa.reviews.get(key)
    decisions = DisclosureDecisions(storfa)
    for finding in decisions.report(record).undecided():
        decisions.decide(record, finding.id, "accepted", None, CommandLine("test"))
    return site, storfa.reviews.get(key)
