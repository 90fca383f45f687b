"""Redaction that holds (issue 19 item 3): one rule for everything a reader
gets of a review whose findings were accepted or edited.

A version's redactions are spans of its full text, [start, end) with the
text that stands in for each (the suggested replacement of an accepted
finding, the editor's own text for an edited one). `Redactions` applies
them to any piece of the text that knows its offset (a passage, an extract,
the whole text) and maps offsets from the original to the redacted text, so
an export's selections still point at the right words.

The spans and each redacted passage's text are stored (migration 0018) and
rewritten by `refresh` whenever decisions or the review's own terms change;
the search index, snippets and embeddings read the stored rendition
(storage/sql/store.py), the reader, the API, exports and downloads call
`for_record` / `for_version` here. Editors of the review still read the
original (`shown_to`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from storfa.domain.reviews import Passage

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.domain.reviews import ReviewRecord

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Redactions:
    """A version's redaction spans, sorted and not overlapping."""

    spans: tuple[Span, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spans)

    @classmethod
    def of(cls, spans: Sequence[Span]) -> Redactions:
        """Sorted, with overlaps merged (the earlier span's replacement stands):
        findings of one check never overlap, but a merge of redactions and
        pseudonyms (disclosure/pseudonymise.py) may."""
        kept: list[Span] = []
        for start, end, text in sorted(spans):
            if kept and start < kept[-1][1]:
                a, b, r = kept[-1]
                kept[-1] = (a, max(b, end), r)
            elif end > start:
                kept.append((start, end, text))
        return cls(tuple(kept))

    def apply(self, text: str, offset: int = 0) -> str:
        """`text`, which starts at `offset` in the version's full text, with every
        span that touches it replaced. A span cut by the piece's edge (an
        extract that begins inside a name) replaces the part inside: no
        fragment of a redacted word is left."""
        if not self.spans:
            return text
        end = offset + len(text)
        out: list[str] = []
        at = offset
        for start, stop, replacement in self.spans:
            if start >= end:
                break
            if stop <= offset or stop <= at:
                continue
            out.append(text[at - offset:max(at, start) - offset])
            out.append(replacement)
            at = min(stop, end)
        out.append(text[at - offset:])
        return "".join(out)

    def map(self, position: int) -> int:
        """Where `position` of the original full text is in the redacted one; a
        position inside a span maps to the span's start."""
        shift = 0
        for start, stop, replacement in self.spans:
            if start >= position:
                break
            if stop > position:
                return start + shift
            shift += len(replacement) - (stop - start)
        return position + shift

    def passages(self, passages: Sequence[Passage]) -> list[Passage]:
        """The passages with their text redacted (offsets stay the original's)."""
        if not self.spans:
            return list(passages)
        return [replace(p, text=self.apply(p.text, p.start)) for p in passages]


def computed(app: Storfa, record: ReviewRecord) -> Redactions:
    """The redactions the record's decisions and terms call for now (the check
    itself; `for_record` reads what `refresh` stored)."""
    from storfa.disclosure.decisions import DisclosureDecisions

    return Redactions.of([(f.start, f.end, text) for f, text in
                          DisclosureDecisions(app).report(record, 0.0).redactions()])


def refresh(app: Storfa, record: ReviewRecord) -> list[int]:
    """Store the record's version's redactions and redacted passages after its
    decisions or terms changed; the search index re-reads the review (the
    store logs it) and changed passages are re-embedded. Returns the passages
    whose published text changed."""
    wanted = computed(app, record)
    originals = app.store.passages(record.version_id)
    redacted = {p.id: new.text for p, new in zip(originals, wanted.passages(originals),
                                                  strict=True)
                if p.id is not None and new.text != p.text}
    changed = app.store.set_redactions(record.version_id, record.id, wanted.spans, redacted)
    if changed:
        app.index.sync(app.store)
    return changed


def for_version(app: Storfa, version_id: int) -> Redactions:
    """The stored redactions of a version (none when nothing is decided)."""
    return Redactions(tuple(app.store.redaction_spans(version_id)))


def for_record(app: Storfa, record: ReviewRecord) -> Redactions:
    return for_version(app, record.version_id)


def shown_to(app: Storfa, record: ReviewRecord, may_edit: bool) -> Redactions:
    """What a reader gets: the redactions, or none for the review's editors,
    who read the original to decide what is published."""
    return Redactions() if may_edit else for_record(app, record)


def published_text(app: Storfa, record: ReviewRecord) -> str | None:
    """The version's text as published, passage by passage (as
    `GET /api/v1/reviews/{id}/text` gives it), or None when nothing is
    redacted: what a reader downloads instead of a Word, web or Markdown
    original, which storfa cannot redact in its own format."""
    redactions = for_record(app, record)
    if not redactions:
        return None
    return "\n\n".join(p.text for p in redactions.passages(app.store.passages(record.version_id)))


def masked_report(doc: dict[str, Any], redactions: Redactions) -> dict[str, Any]:
    """A disclosure report's JSON for someone who may not edit the review: each
    finding's words and context carry the redactions (a redacted finding
    shows its replacement), and the review's own list of words is left out."""
    for f in doc["findings"]:
        f["text"] = redactions.apply(f["text"], f["start"])
        before, after = f["context"]["before"], f["context"]["after"]
        f["context"] = {"before": redactions.apply(before, f["start"] - len(before)),
                        "after": redactions.apply(after, f["end"])}
    doc["terms"] = []
    return doc
