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

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from storfa.disclosure.names import name_parts
from storfa.domain.reviews import Passage
from storfa.ingest.metadata.dates import find_dates

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.domain.reviews import ReviewRecord
    from storfa.storage.interface import Store

Span = tuple[int, int, str]


Word = tuple[str, str]  # (the original words, what stands in for them)
# A decided finding's words as stored: (the original words, what stands in
# for them, the finding's type; "" when not known).
TypedWord = tuple[str, str, str]
NAME_TYPES = ("person_name", "practitioner_name")


@dataclass(frozen=True, slots=True)
class Redactions:
    """A version's redaction spans, sorted and not overlapping, and the words
    they redact (for text that carries no offsets into the version's text):
    each finding's words, and the parts of each person's name, which are
    caught alone only as a name is written (capitalised, or in capitals)."""

    spans: tuple[Span, ...] = ()
    words: tuple[Word, ...] = ()
    parts: tuple[Word, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spans) or bool(self.words)

    @classmethod
    def of(cls, spans: Sequence[Span], words: Sequence[Word] = (),
           parts: Sequence[Word] = ()) -> Redactions:
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
        return cls(tuple(kept), tuple(dict.fromkeys(words)), tuple(dict.fromkeys(parts)))

    @classmethod
    def decided(cls, spans: Sequence[Span], words: Iterable[TypedWord]) -> Redactions:
        """The one place decided findings become what is redacted outside the
        text: each finding's words, and for a person's or a practitioner's
        name each part of it alone ("Smith", "Jane" and so "Smith's" of "Jane
        Smith"), as the review's own list of terms catches a surname in the
        text. A day's other spellings are caught by `matches` itself."""
        typed = list(words)
        return cls.of(spans, [(w, r) for w, r, _ in typed],
                      [(part, r) for w, r, kind in typed if kind in NAME_TYPES
                       for part in name_parts(w)])

    def loose(self, text: str) -> str:
        """`text` that has no offsets into the version's text (a title, a
        section path, metadata evidence, a recommendation as the register
        holds it, a Word file's runs) with every redacted word replaced
        wherever it occurs, as a whole word and in any case (a name's parts
        too, and a redacted day however it is written; `matches`): the same
        redaction, applied by the words, which also catches the words where
        no finding was (the safe side)."""
        if not text:
            return text
        out: list[str] = []
        at = 0
        for start, end, replacement in self.matches(text):
            out += [text[at:start], replacement]
            at = end
        out.append(text[at:])
        return "".join(out)

    def part_of_redacted(self, text: str) -> bool:
        """True when `text`'s words, whole, are some of a redacted finding's
        words ("oak tree road" of "12 Oak Tree Road"): for vocabulary drawn
        from redacted text (a group's terms), which `loose` cannot rewrite
        because the whole finding is not there."""
        key = _key(text)
        if not key:
            return False
        return any(f" {key} " in f" {_key(original)} " for original, _ in self.words)

    def matches(self, text: str) -> list[Span]:
        """Where `text` holds redacted words, as (start, end, replacement)
        within it: for a caller that must rewrite the pieces itself (a Word
        paragraph's runs, disclosure/redact_docx.py)."""
        if not text:
            return []
        pattern, lookup = _word_pattern(self.words, self.parts)
        found = [] if pattern is None else [
            (m.start(), m.end(), lookup.get(_key(m.group(0)), m.group(0)))
            for m in pattern.finditer(text)]
        dates = _dates(self.words)
        if dates:
            # The same day written another way ("2014-03-03" for a redacted
            # "3 March 2014"), read by the one date parser (ingest/metadata/dates.py).
            found += [(d.start, d.end, dates[d.date]) for d in find_dates(text)
                      if d.precision == "day" and d.date in dates
                      and not _timestamp(text, d.end)
                      and not any(a < d.end and d.start < b for a, b, _ in found)]
            found.sort()
        return found

    def finds(self, text: str) -> bool:
        """Whether `text` still holds a redacted word (the check after a copy is made)."""
        return bool(self.matches(text))

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

    def map(self, position: int, after: bool = False) -> int:
        """Where `position` of the original full text is in the redacted one; a
        position inside a span maps to the span's start (`after`: to the end
        of its replacement, for the end of a piece)."""
        shift = 0
        for start, stop, replacement in self.spans:
            if start >= position:
                break
            if stop > position:
                return start + shift + (len(replacement) if after else 0)
            shift += len(replacement) - (stop - start)
        return position + shift

    def unmap(self, position: int, after: bool = False) -> int:
        """Where `position` of the redacted text is in the original (the
        inverse of `map`): a position inside a replacement maps to its span's
        start (`after`: its end), so a selection made in the redacted text
        covers the whole of the words it touches."""
        shift = 0
        for start, stop, replacement in self.spans:
            shown = start + shift
            if position <= shown:
                break
            if position < shown + len(replacement):
                return stop if after else start
            shift += len(replacement) - (stop - start)
        return position - shift

    def passages(self, passages: Sequence[Passage]) -> list[Passage]:
        """The passages with their text redacted (offsets stay the original's),
        and their section path, which repeats the headings' words."""
        if not self:
            return list(passages)
        return [replace(p, text=self.apply(p.text, p.start), section=self.loose(p.section))
                for p in passages]


def _key(words: str) -> str:
    return " ".join(words.split()).casefold()


@lru_cache(maxsize=256)
def _word_pattern(words: tuple[Word, ...], parts: tuple[Word, ...] = ()
                  ) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern for all the words, longest first, whole words only, any
    case, any run of spaces or line breaks between words; and the
    replacement of each (the first one given, for words redacted twice). A
    name's part matches only as written or in capitals: "Hope" or "Mark"
    alone is a name, "hope" and "mark" are words."""
    lookup: dict[str, str] = {}
    for original, replacement in words:
        key = _key(original)
        if len(key) >= 2 and any(c.isalnum() for c in key):
            lookup.setdefault(key, replacement)
    # A part that is also a finding's whole words is caught in any case, as those are.
    written: dict[str, set[str]] = {}
    for original, replacement in parts:
        key = _key(original)
        if (len(key) >= 2 and key not in lookup) or key in written:
            lookup.setdefault(key, replacement)
            written.setdefault(key, set()).update({" ".join(original.split()),
                                                   original.upper()})
    if not lookup:
        return None, {}
    alternatives = []
    for key in sorted(lookup, key=lambda k: (-len(k), k)):
        spellings = sorted(written[key]) if key in written else [key]
        body = "|".join(r"\s+".join(re.escape(w) for w in spelt.split()) for spelt in spellings)
        if key in written:
            body = f"(?-i:{body})"
        before = r"(?<!\w)" if (key[0].isalnum() or key[0] == "_") else ""
        after = r"(?!\w)" if (key[-1].isalnum() or key[-1] == "_") else ""
        alternatives.append(f"{before}(?:{body}){after}")
    return re.compile("|".join(alternatives), re.IGNORECASE), lookup


@lru_cache(maxsize=256)
def _dates(words: tuple[Word, ...]) -> dict[dt.date, str]:
    """The days the words redact (a date of birth, an exact date of a death),
    each with its replacement: a day is redacted however it is written."""
    found: dict[dt.date, str] = {}
    for original, replacement in words:
        for d in find_dates(original):
            if d.precision == "day":
                found.setdefault(d.date, replacement)
    return found


def _timestamp(text: str, end: int) -> bool:
    """A date that begins a machine timestamp (a Word file's revision date,
    "2014-03-03T10:00:00Z"), which names when a file was edited, not a person,
    and whose rewriting would damage the file."""
    return text[end:end + 1] == "T" and text[end + 1:end + 2].isdigit()


def _decided(app: Storfa, record: ReviewRecord) -> tuple[Redactions, dict[int, str]]:
    """The redactions the record's decisions and terms call for now, and each
    span's finding type by its start."""
    from storfa.disclosure.decisions import DisclosureDecisions

    decided = DisclosureDecisions(app).report(record, 0.0).redactions()
    return (Redactions.decided([(f.start, f.end, text) for f, text in decided],
                               [(f.text, text, f.type) for f, text in decided]),
            {f.start: f.type for f, _ in decided})


def computed(app: Storfa, record: ReviewRecord) -> Redactions:
    """The redactions the record's decisions and terms call for now (the check
    itself; `for_record` reads what `refresh` stored)."""
    return _decided(app, record)[0]


def refresh(app: Storfa, record: ReviewRecord) -> list[int]:
    """Store the record's version's redactions and redacted passages after its
    decisions or terms changed; the search index re-reads the review (the
    store logs it) and changed passages are re-embedded. Returns the passages
    whose published text changed."""
    wanted, types = _decided(app, record)
    originals = app.store.passages(record.version_id)
    published = wanted.passages(originals)
    redacted = {p.id: new.text for p, new in zip(originals, published, strict=True)
                if p.id is not None and new.text != p.text}
    # Passages under a redacted heading: their section path as published
    # (the section: filter and search hits read it; migration 0027).
    sections = {p.id: (new.text, new.section) for p, new in zip(originals, published,
                                                                strict=True)
                if p.id is not None and new.section != p.section}
    changed = app.store.set_redactions(record.version_id, record.id, wanted.spans, redacted,
                                       sections, types)
    if changed:
        app.index.sync(app.store)
    return changed


def for_version(app: Storfa, version_id: int) -> Redactions:
    """The stored redactions of a version (none when nothing is decided), with
    the words they redact."""
    return stored(app.store, version_id)


def stored(store: Store, version_id: int) -> Redactions:
    """`for_version` for a caller that holds only the store (the published view)."""
    spans = store.redaction_spans(version_id)
    if not spans:
        return Redactions()
    return Redactions.decided(spans, store.redaction_words([version_id]).get(version_id, []))


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
