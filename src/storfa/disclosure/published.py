"""The published view of the fields around a review's text (issue 19 item 3):
its title, its metadata values and their evidence, its recommendations as
the register holds them, a search hit's title and section.

These carry no offsets into the version's text (a title is corrected, a
recommendation edited or merged, a section path repeats its headings), so
they are redacted by the words the version's redactions redact
(`Redactions.loose`, disclosure/redaction.py): the same decisions, applied
wherever the words occur. As for the text, the review's editors and
administrators get the original (they decide what is published); everyone
else gets the published view. The words of every redacted review are read in
one query, once per view.

A recommendation's history (its old and new texts, its notes) is redacted
the same way, and so are an evidence file's name and a memo on an extract.
Text that knows its offsets into a version (the text a coder codes, an
extract) gets the version's spans first (`version`), as the reader does.

Adapters build one `PublishedView` per request (web/published.py) and pass
what they show through it; nothing else here decides who sees what.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storfa.disclosure.redaction import Redactions, stored

if TYPE_CHECKING:
    from storfa.coding.agreement import AgreementReport
    from storfa.domain.coding import Extract, Memo
    from storfa.domain.recommendations import Attachment, HistoryEntry, StoredRecommendation
    from storfa.domain.reviews import ReviewRecord, ReviewSummary
    from storfa.recommendations.recurrence import Group
    from storfa.search.service import SearchResults
    from storfa.storage.interface import Store

NONE = Redactions()


class PublishedView:
    """What one caller is shown: `may_edit(review_row)` says whether they read
    a review's original (its editors) or its published view."""

    def __init__(self, store: Store, may_edit: Callable[[int], bool]) -> None:
        self.store = store
        self.may_edit = may_edit
        self._versions: dict[int, Redactions] = {}
        self._masks_read: dict[int, Redactions] | None = None
        self._rows_read: dict[str, int] | None = None

    # Plain lazy attributes, not functools.cached_property: in Python 3.11 that
    # holds one class-wide lock while computing, and a view is built per
    # request, so every search page's threads queued on the others' redaction
    # query (15% of one loaded worker's sampled time, most of it waiting;
    # docs/performance.md).
    @property
    def _masks(self) -> dict[int, Redactions]:
        if self._masks_read is None:
            self._masks_read = {row: Redactions.decided((), words)
                                for row, words in self.store.current_redaction_words().items()}
        return self._masks_read

    @property
    def _rows(self) -> dict[str, int]:
        if self._rows_read is None:
            self._rows_read = {key.casefold(): row
                               for row, key in self.store.review_keys().items()}
        return self._rows_read

    def mask(self, review_row: int) -> Redactions:
        """The words this caller must not see in the review's fields (none
        for its editors, or when nothing is redacted)."""
        found = self._masks.get(review_row)
        if found is None or self.may_edit(review_row):
            return NONE
        return found

    def version(self, review_row: int, version_id: int) -> Redactions:
        """A version's redactions, its spans and words, for text that knows
        its offsets into that version (the text being coded, an extract);
        none for the review's editors. Read once per version and view."""
        if self.may_edit(review_row):
            return NONE
        found = self._versions.get(version_id)
        if found is None:
            found = self._versions[version_id] = stored(self.store, version_id)
        return found

    def hides(self, review_rows: Iterable[int], text: str) -> bool:
        """Whether any word of `text` (a frequent word or phrase drawn from
        the reviews' extracts, which cannot be rewritten since its finding is
        not whole there) is a word of a finding redacted from this caller in
        one of the reviews: such vocabulary is left out (the safe side)."""
        masks = [m for m in (self.mask(row) for row in review_rows) if m]
        return any(m.part_of_redacted(word) for word in text.split() for m in masks)

    def mask_of(self, review_key: str) -> Redactions:
        if not self._masks:
            return NONE
        row = self._rows.get(review_key.casefold())
        return NONE if row is None else self.mask(row)

    # ------------------------------------------------------------ reviews
    def summary(self, review_row: int, summary: ReviewSummary) -> ReviewSummary:
        """The title and key dates as published: a redacted date of birth or
        exact date of the death is redacted in a date field however it is
        written there (then it reads as no date to the timeliness figures)."""
        mask = self.mask(review_row)
        if not mask:
            return summary
        return replace(summary, title=mask.loose(summary.title) if summary.title else summary.title,
                       dates={k: mask.loose(v) if v else v for k, v in summary.dates.items()})

    def summaries(self, rows: Iterable[tuple[int, ReviewSummary]]
                  ) -> list[tuple[int, ReviewSummary]]:
        return [(row, self.summary(row, s)) for row, s in rows]

    def record(self, record: ReviewRecord) -> ReviewRecord:
        """The review's title, metadata values and evidence as published."""
        mask = self.mask(record.id)
        if not mask:
            return record
        metadata = [replace(m, value=mask.loose(m.value),
                            evidence=None if m.evidence is None else replace(
                                m.evidence, text=mask.loose(m.evidence.text)))
                    for m in record.metadata]
        return replace(record, summary=self.summary(record.id, record.summary),
                       metadata=metadata)

    # ------------------------------------------------------------ search
    def hits(self, results: SearchResults) -> SearchResults:
        """Hits' titles and sections as published (their text and snippets
        already are: the index holds the published rendition)."""
        for hit in results.hits:
            mask = self.mask_of(hit.review_id)
            if mask:
                hit.title = mask.loose(hit.title) if hit.title else hit.title
                hit.section = mask.loose(hit.section)
        return results

    # ---------------------------------------------------- recommendations
    def recommendation(self, rec: StoredRecommendation) -> StoredRecommendation:
        mask = self.mask(rec.review_row)
        return replace(rec, text=mask.loose(rec.text)) if mask else rec

    def recommendations(self, recs: Sequence[StoredRecommendation]
                        ) -> list[StoredRecommendation]:
        return [self.recommendation(r) for r in recs]

    def history(self, rec: StoredRecommendation, entries: Sequence[HistoryEntry]
                ) -> list[HistoryEntry]:
        """A recommendation's history as published: the values it changed
        from and to (an edited text, an owner) and the notes kept with them."""
        mask = self.mask(rec.review_row)
        if not mask:
            return list(entries)
        return [replace(h, old=None if h.old is None else mask.loose(h.old),
                        new=None if h.new is None else mask.loose(h.new),
                        note=None if h.note is None else mask.loose(h.note))
                for h in entries]

    def attachments(self, rec: StoredRecommendation, found: Sequence[Attachment]
                    ) -> list[Attachment]:
        """A recommendation's evidence files with their names as published."""
        return [replace(a, filename=self.filename(rec.review_row, a.filename)) for a in found]

    def filename(self, review_row: int, name: str) -> str:
        """An evidence file's name as published: its words (which a file name
        joins with "_", "-" or ".") by the review's redacted words, and a word
        that is still part of a redacted finding ("evans" in lower case) as
        "[redacted]". A name with nothing redacted is left as uploaded."""
        mask = self.mask(review_row)
        if not mask:
            return name
        stem, dot, extension = name.rpartition(".")
        if not dot or not stem or not extension.isalnum() or len(extension) > 5:
            stem, extension = name, ""
        words = " ".join(re.split(r"[\s_.+-]+", stem)).strip()
        shown = " ".join("[redacted]" if mask.part_of_redacted(word) else word
                         for word in mask.loose(words).split())
        if shown == words:
            return name
        return f"{shown}.{extension}" if extension else shown

    def group(self, group: Group) -> Group:
        """A group of recurring recommendations as published: each one's text
        by its review's words, and the group's label and terms, which are drawn
        from their words, by the words of every review in the group."""
        masks = [self.mask(item.review_row) for item in group.items]
        if not any(masks):
            return group
        items = [replace(item, text=mask.loose(item.text)) if mask else item
                 for item, mask in zip(group.items, masks, strict=True)]
        shown = [m for m in masks if m]
        # A term that is a piece of a redacted finding ("oak tree road") is
        # left out rather than rewritten: only whole findings have a
        # replacement. The label is a member's topic, so whole findings.
        terms = [t for t in group.terms if not any(m.part_of_redacted(t) for m in shown)]
        label = group.label
        for mask in shown:
            label, terms = mask.loose(label), [mask.loose(t) for t in terms]
        return replace(group, label=label, terms=terms, items=items)

    # ------------------------------------------------------------ coding
    def extract(self, extract: Extract) -> Extract:
        """A coded extract's words as published (a report quotes them, a
        coder who may not edit the review reads them): its version's spans by
        their offsets, so a piece of a redacted word at its edge goes too,
        then by the words the review's current version redacts."""
        mask = self.mask(extract.review_row)
        if not mask:  # nothing of the review is redacted now (as in its reader)
            return extract
        spans = self.version(extract.review_row, extract.version_id)
        text = spans.loose(spans.apply(extract.text, extract.start)) if spans else extract.text
        text = mask.loose(text)
        return extract if text == extract.text else replace(extract, text=text)

    def agreement(self, report: AgreementReport) -> AgreementReport:
        """The passages two coders coded differently, as published (by the
        words: a passage is whole words)."""
        changed = [replace(d, text=self.mask_of(d.review_id).loose(d.text))
                   for d in report.disagreements]
        return replace(report, disagreements=changed)

    def memo(self, review_row: int, memo: Memo) -> Memo:
        """A memo on an extract of the review, by the words (it has no offsets)."""
        mask = self.mask(review_row)
        return replace(memo, text=mask.loose(memo.text)) if mask else memo
