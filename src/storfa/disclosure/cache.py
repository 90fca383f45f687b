"""The check's result per stored version, kept in memory: a version's text
never changes (a new upload is a new version), so the reader's panel and the
API need not read a 40-page review again on every page turn."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storfa.disclosure.check import DisclosureReport, check_passages, ocr_pages

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.domain.reviews import ReviewRecord

KEEP = 64
_lock = threading.Lock()
_reports: OrderedDict[tuple[str, str, int, str, tuple[str, ...]], DisclosureReport] = \
    OrderedDict()


def disclosure_report(app: Storfa, record: ReviewRecord, min_confidence: float = 0.5,
                      terms: Iterable[str] = ()) -> DisclosureReport:
    """The check over the record's version, at `min_confidence` (computed once
    at confidence 0 and filtered, so every threshold shares one run). `terms`
    are the review's own list; a changed list is a different result."""
    wanted = tuple(sorted({t.casefold() for t in terms}))
    key = (str(app.settings.data_dir), app.settings.database_url or "", record.version_id,
           record.source_sha256, wanted)
    with _lock:
        full = _reports.get(key)
        if full is not None:
            _reports.move_to_end(key)
    if full is None:
        s = record.summary
        findings = check_passages(app.store.passages(record.version_id), s.review_id,
                                  s.version, min_confidence=0.0, terms=wanted)
        full = DisclosureReport(s.review_id, s.version, s.pages, findings,
                                ocr_pages(app, record.version_id), 0.0)
        with _lock:
            _reports[key] = full
            while len(_reports) > KEEP:
                _reports.popitem(last=False)
    return DisclosureReport(full.review_id, full.version, full.pages,
                            [f for f in full.findings if f.confidence >= min_confidence],
                            full.ocr_pages, min_confidence)
