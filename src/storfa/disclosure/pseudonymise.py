"""What an export of extracts carries (issue 19 items 3 and 4).

Every export carries the editors' redactions (disclosure/redaction.py), for
anyone: an export leaves storfa. With `pseudonymise`, everything the
disclosure check finds (at its shown confidence) is replaced as well, and
consistently across the whole export: the same person is "Person 3" in every
extract of every review, a health visitor named in two reviews is "Health
Visitor 1" in both, an address is "[address 2]" wherever it recurs. The
mapping from pseudonym back to the words is kept by `ExportMasks` for the
caller to write to a separate file for those allowed to have it
(`mapping_rows`); it is never part of the export itself.

A memo carries no offsets into the text, so it is masked by the words: the
redacted words and their replacements, and with `pseudonymise` each
finding's words and their pseudonym (`Redactions.loose`, names by their
parts too), as the extracts it is written on are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from storfa.disclosure.check import MIN_CONFIDENCE, Finding, check_passages
from storfa.disclosure.redaction import Redactions, Span, TypedWord

if TYPE_CHECKING:
    from storfa.domain.coding import Extract, Memo
    from storfa.storage.interface import Store

MAPPING_COLUMNS = ("pseudonym", "type", "original", "reviews")
_NAMES = ("person_name", "practitioner_name")
# A suggested practitioner replacement is "Health Visitor 1": its role is
# kept, its number is the export's own.
_NUMBERED = re.compile(r"\s+\d+$")


@dataclass
class Pseudonyms:
    """Pseudonyms consistent across one export, and what each stands for."""

    given: dict[tuple[str, ...], str] = field(default_factory=dict)
    originals: dict[str, set[str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    reviews: dict[str, set[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def _next(self, label: str) -> int:
        self.counts[label] = self.counts.get(label, 0) + 1
        return self.counts[label]

    def of(self, f: Finding, review_id: str) -> str:
        words = " ".join(f.text.split())
        if f.type in _NAMES:
            # "Mrs Jane Evans", "Jane Evans" and "Evans" are one person (as the
            # check numbers them within a review); a practitioner keeps the role.
            role = (_NUMBERED.sub("", f.replacement) if f.type == "practitioner_name"
                    else "Person")
            key: tuple[str, ...] = ("name", role, words.split()[-1].casefold())
            label = role
        else:
            key = (f.type, words.casefold())
            label = f.type.replace("_", " ")
        if key not in self.given:
            n = self._next(label)
            self.given[key] = f"{label} {n}" if f.type in _NAMES else f"[{label} {n}]"
        pseudonym = self.given[key]
        self.originals.setdefault(pseudonym, set()).add(words)
        self.types[pseudonym] = f.type
        self.reviews.setdefault(pseudonym, set()).add(review_id)
        return pseudonym

    def rows(self) -> list[list[str]]:
        return [[p, self.types[p], "; ".join(sorted(self.originals[p])),
                 "; ".join(sorted(self.reviews[p]))] for p in self.originals]


class ExportMasks:
    """Per version: the redactions, and with `pseudonymise` the pseudonyms."""

    def __init__(self, store: Store, pseudonymise: bool = False) -> None:
        self.store = store
        self.pseudonymise = pseudonymise
        self.pseudonyms = Pseudonyms()
        self._masks: dict[int, Redactions] = {}
        self._words: dict[int, list[TypedWord]] = {}  # a version's pseudonymised words
        self._loose: dict[int, Redactions] = {}
        self.review_rows: set[int] = set()  # what the export holds, for the mapping's door

    def of(self, version_id: int, review_id: str) -> Redactions:
        if version_id not in self._masks:
            redacted = Redactions(tuple(self.store.redaction_spans(version_id)))
            self._masks[version_id] = (self._pseudonymised(version_id, review_id, redacted)
                                       if self.pseudonymise else redacted)
        return self._masks[version_id]

    def _pseudonymised(self, version_id: int, review_id: str,
                       redacted: Redactions) -> Redactions:
        store = self.store
        record = store.get_review(review_id)
        terms = [t.term for t in store.disclosure_terms(record.id)] if record else []
        findings = check_passages(store.passages(version_id), review_id,
                                  min_confidence=MIN_CONFIDENCE, terms=terms)
        spans: list[Span] = [(f.start, f.end, self.pseudonyms.of(f, review_id))
                             for f in findings]
        self._words[version_id] = [(f.text, pseudonym, f.type)
                                   for f, (_, _, pseudonym) in zip(findings, spans, strict=True)]
        # An editor's redaction that no pseudonym covers stays redacted.
        spans += [s for s in redacted.spans
                  if not any(a <= s[0] and s[1] <= b for a, b, _ in spans)]
        return Redactions.of(spans)

    def extract(self, e: Extract) -> Extract:
        """The extract with its text masked; offsets stay storfa's."""
        return replace(e, text=self.of(e.version_id, e.review_id).apply(e.text, e.start))

    def extracts(self, extracts: Iterable[Extract]) -> list[Extract]:
        # In a stable order, so the same export numbers pseudonyms the same way.
        ordered = sorted(extracts, key=lambda e: (e.review_id, e.version_id, e.start, e.id))
        self.review_rows.update(e.review_row for e in ordered)
        masked = {e.id: self.extract(e) for e in ordered}
        return [masked[e.id] for e in extracts]

    def by_words(self, version_id: int, review_id: str) -> Redactions:
        """The version's mask for text without offsets into it: its
        pseudonyms' words first (they win), then the redacted words."""
        if version_id not in self._loose:
            self.of(version_id, review_id)
            redacted = self.store.redaction_words([version_id]).get(version_id, [])
            self._loose[version_id] = Redactions.decided(
                (), [*self._words.get(version_id, []), *redacted])
        return self._loose[version_id]

    def memos(self, memos: Iterable[Memo], extracts: Iterable[Extract]) -> list[Memo]:
        """The memos on the exported extracts, masked by their extract's
        version; a memo on no exported extract is masked by every version's."""
        on = {e.id: (e.version_id, e.review_id) for e in extracts}
        out = []
        for memo in memos:
            versions = [on[memo.extract_id]] if memo.extract_id in on else list(
                dict.fromkeys(on.values()))
            text = memo.text
            for version_id, review_id in versions:
                text = self.by_words(version_id, review_id).loose(text)
            out.append(replace(memo, text=text))
        return out

    def source(self, version_id: int, review_id: str, text: str,
               extracts: Iterable[Extract]) -> tuple[str, list[Extract]]:
        """A whole version's text masked, and its extracts with offsets mapped
        into it (a .qdpx selection must point at the masked source)."""
        mask = self.of(version_id, review_id)
        moved = [replace(e, start=mask.map(e.start), end=max(mask.map(e.start) + 1,
                                                              _end(mask, e.end)))
                 for e in extracts]
        return mask.apply(text), moved

    def mapping_rows(self) -> list[list[str]]:
        return self.pseudonyms.rows()


def _end(mask: Redactions, position: int) -> int:
    """An end offset inside a span maps past its replacement, so a selection
    that ended inside a name still holds the whole pseudonym."""
    for start, stop, replacement in mask.spans:
        if start < position < stop:
            return mask.map(start) + len(replacement)
    return mask.map(position)


def mapping_csv(masks: ExportMasks) -> str:
    from storfa.interchange.cells import to_csv

    return to_csv([list(MAPPING_COLUMNS), *masks.mapping_rows()])


def audit_export(store: Store, masks: ExportMasks, actor: str, fmt: str, extracts: int,
                 mapping: bool, detail: dict[str, object] | None = None) -> None:
    """Audit a pseudonymised export and whether its mapping went with it: how
    many pseudonyms, never the words they stand for (the audit log is
    append-only, so an identifying word written there could never be removed)."""
    store.audit(actor, "export.pseudonymise", "extracts", fmt, {
        **(detail or {}), "allowed": True, "format": fmt, "extracts": extracts,
        "pseudonyms": len(masks.mapping_rows()), "mapping": mapping})


def write_mapping(store: Store, masks: ExportMasks, path: Path | None, actor: str, fmt: str,
                  extracts: int) -> None:
    """The CLI's part: the mapping to its own file when asked for (the CLI is
    trusted like every command), and the audit event."""
    if path is not None:
        path.write_text(mapping_csv(masks), encoding="utf-8", newline="")
    audit_export(store, masks, actor, fmt, extracts, path is not None,
                 {"role": None, "organisation": None, "address": "command line"})
