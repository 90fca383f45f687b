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

Adapters build one `PublishedView` per request (web/published.py) and pass
what they show through it; nothing else here decides who sees what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from storfa.disclosure.redaction import Redactions

if TYPE_CHECKING:
    from storfa.domain.coding import Extract
    from storfa.domain.recommendations import StoredRecommendation
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

    @cached_property
    def _masks(self) -> dict[int, Redactions]:
        return {row: Redactions.of((), words)
                for row, words in self.store.current_redaction_words().items()}

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {key.casefold(): row for row, key in self.store.review_keys().items()}

    def mask(self, review_row: int) -> Redactions:
        """The words this caller must not see in the review's fields (none
        for its editors, or when nothing is redacted)."""
        found = self._masks.get(review_row)
        if found is None or self.may_edit(review_row):
            return NONE
        return found

    def mask_of(self, review_key: str) -> Redactions:
        if not self._masks:
            return NONE
        row = self._rows.get(review_key.casefold())
        return NONE if row is None else self.mask(row)

    # ------------------------------------------------------------ reviews
    def summary(self, review_row: int, summary: ReviewSummary) -> ReviewSummary:
        mask = self.mask(review_row)
        if not mask or not summary.title:
            return summary
        return replace(summary, title=mask.loose(summary.title))

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
        """A coded extract's words as published (a report quotes them)."""
        mask = self.mask(extract.review_row)
        return replace(extract, text=mask.loose(extract.text)) if mask else extract
