"""The recommendations register: extraction after a file is stored
(ingest/after_store.py) and on command, the listing the CLI and API print,
the filtered register with overdue flags and exports, audited status
changes, progress notes with evidence, and editor corrections (edit, split,
merge) that survive re-extraction (docs/recommendations.md). Reading the
register never writes: reviews not extracted yet are counted, not extracted."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from storfa.domain.errors import N_, NotFound, StorfaError
from storfa.domain.recommendations import STATUSES, Attachment, HistoryEntry, StoredRecommendation
from storfa.domain.reviews import Passage, ReviewRecord, ReviewSummary
from storfa.recommendations import themes
from storfa.recommendations.evidence import Evidence, store_evidence
from storfa.recommendations.extract import LEVELS, extract
from storfa.storage import repositories
from storfa.storage.files import BlobStore
from storfa.storage.interface import Store
from storfa.storage.repositories import Recommendations

if TYPE_CHECKING:
    pass

# Statuses a due date can be missed in: the work is not finished or declined.
PENDING = ("open", "in_progress")
EXPORT_COLUMNS = ("id", "review_id", "board", "year", "number", "text", "agencies", "level",
                  "themes", "status", "owner", "due_date", "overdue", "page", "corrected")


@dataclass(frozen=True)
class RegisterFilters:
    board: str = ""
    agency: str = ""
    theme: str = ""
    status: str = ""
    year: int | None = None
    overdue: bool = False
    review: str = ""


@dataclass(frozen=True)
class RegisterItem:
    review_id: str
    board: str | None
    year: int | None
    rec: StoredRecommendation
    overdue: bool

    def export_row(self) -> list[Any]:
        r = self.rec
        return [r.id, self.review_id, self.board, self.year, r.number, r.text,
                "; ".join(r.agencies), r.level, "; ".join(r.themes), r.status, r.owner,
                r.due_date, self.overdue, r.page, r.corrected]


@dataclass(frozen=True)
class RegisterView:
    items: list[RegisterItem]
    # Over the rows the board/agency/theme/year/review filters select,
    # before status and overdue narrow them, so the counts stay a summary.
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    # Visible reviews whose current version was never extracted (an older
    # store, or a failed after-store step): `recommendations extract --pending`.
    unextracted: int = 0


def is_overdue(rec: StoredRecommendation, today: dt.date) -> bool:
    return bool(rec.due_date) and rec.status in PENDING and str(rec.due_date) < today.isoformat()


def _status(text: str) -> str:
    wanted = text.strip().casefold().replace(" ", "_").replace("-", "_")
    if wanted not in STATUSES:
        raise StorfaError(N_("Status is one of {statuses} (got {status!r})."),
                          statuses=", ".join(STATUSES), status=text)
    return wanted


class RecommendationRegister:
    def __init__(self, store: Store, sql: Recommendations,
                 audit_detail: dict[str, Any] | None = None,
                 on_change: Callable[[], object] | None = None) -> None:
        self.store = store
        self.sql = sql
        # Who is acting beyond their name (the web adds role, organisation,
        # address), written into every audit event of a change.
        self.audit_detail = dict(audit_detail or {})
        # Called after a correction changes the register's texts (the
        # recurrence grouping is recomputed per change, never in a read).
        self.on_change = on_change

    def _records(self, review: str | None, only_stale: bool) -> Iterator[ReviewRecord]:
        """The reviews to extract: one (read once), every stale one, or all."""
        if review is not None:
            record = self.store.get_review(review)
            if record is None:
                raise StorfaError(N_("No review called {key!r}."), key=review)
            yield record
            return
        # Every stale review: straight from the store, not one lookup per review.
        keys = (self.unextracted() if only_stale
                else [s.review_id for s in self.store.list_reviews()])
        for key in keys:
            record = self.store.get_review(key)
            if record is not None:
                yield record

    def extract(self, review: str | None, actor: str, only_stale: bool = False
                ) -> dict[str, int]:
        """Extract the reviews' recommendations (one review, or all); with
        `only_stale`, only reviews whose current version was never extracted.
        Returns review id → recommendations found."""
        done = self.sql.extracted_versions() if only_stale else {}
        counts: dict[str, int] = {}
        for record in self._records(review, only_stale):
            if only_stale and done.get(record.id) == record.version_id:
                continue
            passages = self.store.passages(record.version_id)
            found = extract(passages)
            self.sql.replace_extracted(record.id, record.version_id, found)
            # The passages just read: coding the themes needs the same version's.
            self.code_themes(record.id, {record.version_id: passages})
            key = record.summary.review_id
            self.store.audit(actor, "recommendations.extract", "review", key,
                             {"version_id": record.version_id, "found": len(found)})
            counts[key] = len(found)
        return counts

    def unextracted(self, hidden: Iterable[int] = ()) -> list[str]:
        """Reviews (not hidden) whose current version was never extracted."""
        keys = self.store.review_keys()
        hide = set(hidden)
        return [keys[row] for row in self.sql.unextracted() if row in keys and row not in hide]

    def listing(self, review: str | None) -> list[tuple[str, StoredRecommendation]]:
        """(review id, recommendation) for one review or all, as stored."""
        keys = self.store.review_keys()
        rows = None
        if review is not None:
            record = self.store.get_review(review)
            rows = [record.id] if record else []
        return [(keys[r.review_row], r) for r in self.sql.current(rows) if r.review_row in keys]

    def set(self, rec_id: int, actor: str, status: str | None = None,
            owner: str | None = None, due_date: str | None = None,
            note: str | None = None) -> StoredRecommendation:
        """Change a recommendation's tracking fields; audited, with history.
        None (and a blank status) leaves a field as it is; a blank owner or
        due date clears it; the note is kept with the change."""
        self.get(rec_id)
        changes = _tracking(status, owner, due_date)
        text = _note(note)
        if not changes and not text:
            raise StorfaError(N_("Nothing to change: give the status, owner, due date or a "
                                 "note."))
        return self._update(rec_id, actor, changes, text)

    def track(self, rec_id: int, actor: str, status: str | None = None,
              owner: str | None = None, due_date: str | None = None,
              note: str | None = None, blobs: BlobStore | None = None,
              files: Sequence[tuple[str, bytes]] = (), file_note: str = "Evidence"
              ) -> StoredRecommendation:
        """The tracking form in one step: `set`, and evidence files. With
        files the note goes with them (a note row holding the files, reading
        `file_note` when no note is given), not with the change. Every field
        and file is checked before anything is stored."""
        if not files:
            return self.set(rec_id, actor, status, owner, due_date, note)
        rec = self.get(rec_id)
        changes = _tracking(status, owner, due_date)
        stored = self._store_files(blobs, files)
        if changes:
            rec = self._update(rec_id, actor, changes, None)
        self._add_note(rec, actor, _note(note) or file_note, stored)
        return self.get(rec_id)

    def _update(self, rec_id: int, actor: str, changes: dict[str, str | None],
                note: str | None) -> StoredRecommendation:
        updated = self.sql.update(rec_id, changes, actor, note)
        self._audit(actor, "recommendations.set", updated, {**changes, "note": note})
        return updated

    def history(self, rec_id: int) -> list[HistoryEntry]:
        return self.sql.history(rec_id)

    # --------------------------------------------------------------- register
    def get(self, rec_id: int) -> StoredRecommendation:
        rec = self.sql.get(rec_id)
        if rec is None:
            raise NotFound(N_("No recommendation with id {id}."), id=rec_id)
        return rec

    def find(self, rec_id: int) -> StoredRecommendation | None:
        """The recommendation, current or superseded; None when there is none."""
        return self.sql.get(rec_id)

    def siblings(self, rec: StoredRecommendation) -> list[StoredRecommendation]:
        """The review's other current recommendations (what it may merge with)."""
        return [r for r in self.sql.current([rec.review_row]) if r.id != rec.id]

    def review_key(self, rec: StoredRecommendation) -> str:
        return self.store.review_keys().get(rec.review_row, str(rec.review_row))

    def _summaries(self) -> dict[int, ReviewSummary]:
        keys = self.store.review_keys()
        by_key = {s.review_id: s for s in self.store.list_reviews()}
        return {row: by_key[key] for row, key in keys.items() if key in by_key}

    def register(self, filters: RegisterFilters, hidden: Iterable[int] = (),
                 summaries: dict[int, ReviewSummary] | None = None,
                 today: dt.date | None = None) -> RegisterView:
        """The current recommendations the filters select, never one of a
        `hidden` review row (not listed, not counted, not exported). Reads only."""
        today = today or dt.date.today()
        summaries = self._summaries() if summaries is None else summaries
        hide = set(hidden)
        wanted_status = _status(filters.status) if filters.status else ""
        selected: list[RegisterItem] = []
        for rec in self.sql.current():
            summary = summaries.get(rec.review_row)
            if summary is None or rec.review_row in hide:
                continue
            if not _matches(filters, summary, rec):
                continue
            selected.append(RegisterItem(summary.review_id, summary.board, summary.year, rec,
                                         is_overdue(rec, today)))
        if filters.review and not selected and not any(
                s.review_id.casefold() == filters.review.strip().casefold()
                for row, s in summaries.items() if row not in hide):
            # A review that is not there (or not visible) is an error, not an
            # empty register: the same answer for both, so nothing leaks.
            raise NotFound(N_("No review called {key!r}."), key=filters.review.strip())
        counts = Counter(i.rec.status for i in selected)
        items = [i for i in selected if (not wanted_status or i.rec.status == wanted_status)
                 and (not filters.overdue or i.overdue)]
        return RegisterView(items, {s: counts.get(s, 0) for s in STATUSES},
                            sum(1 for i in selected if i.overdue),
                            len(self.unextracted(hide)))

    # ------------------------------------------------------------- corrections
    def edit(self, rec_id: int, actor: str, text: str | None = None,
             number: str | None = None, agencies: str | Sequence[str] | None = None,
             level: str | None = None, note: str | None = None) -> StoredRecommendation:
        """Correct what the extractor found; kept through later extractions.
        None leaves a field as it is. `agencies` is a list, or one text with
        the names separated by semicolons (as the page and the CLI take them);
        empty: none. An empty level is "not stated"."""
        rec = self.get(rec_id)
        if rec.superseded:
            raise StorfaError(N_("Recommendation {id} is no longer current."), id=rec_id)
        if isinstance(agencies, str):
            agencies = agencies.split(";")
        note = _note(note)
        changes: dict[str, str | None] = {}
        if text is not None:
            changes["text"] = _required(text, N_("The text cannot be empty."))
        if number is not None:
            changes["number"] = _required(number, N_("The number cannot be empty."))
        if agencies is not None:
            names = [" ".join(a.split()) for a in agencies if a.strip()]
            changes["agencies"] = json.dumps(list(dict.fromkeys(names)), ensure_ascii=False)
        if level is not None:
            wanted = level.strip().casefold()
            if wanted and wanted not in LEVELS:
                raise StorfaError(N_("Level is one of {levels} (got {level!r})."),
                                  levels=", ".join(LEVELS), level=level)
            changes["level"] = wanted or None
        if not changes:
            raise StorfaError(N_("Nothing to change: give the text, number, agencies or "
                                 "level."))
        updated = self.sql.correct(rec_id, changes, actor, note)
        self.code_themes(updated.review_row)
        self._audit(actor, "recommendations.edit", updated, {**changes, "note": note})
        self._changed()
        return self.get(rec_id)

    def split(self, rec_id: int, actor: str, at: int | None = None,
              texts: tuple[str | None, str | None] | None = None
              ) -> tuple[StoredRecommendation, StoredRecommendation]:
        """Split one recommendation in two: at a character offset of its text,
        or into the two texts given (both blank or None: none given; one
        blank: refused). The second part is numbered with a "b"."""
        rec = self.get(rec_id)
        if rec.superseded:
            raise StorfaError(N_("Recommendation {id} is no longer current."), id=rec_id)
        if texts is not None:
            texts = ((texts[0] or "", texts[1] or "")
                     if any((t or "").strip() for t in texts) else None)
        if (at is None) == (texts is None):
            raise StorfaError(N_("Split at a character offset or into two texts, not both."))
        if at is not None:
            if not 0 < at < len(rec.text):
                raise StorfaError(N_("Split inside the text: 1 to {last} (got {at})."),
                                  last=len(rec.text) - 1, at=at)
            texts = (rec.text[:at], rec.text[at:])
        assert texts is not None
        first = _required(texts[0], N_("The first part cannot be empty."))
        second = _required(texts[1], N_("The second part cannot be empty."))
        a, b = self.sql.split(rec_id, first, second, f"{rec.number}b", actor)
        self.code_themes(rec.review_row)
        self._audit(actor, "recommendations.split", a, {"new_id": b.id, "first": first,
                                                         "second": second})
        self._changed()
        return self.get(a.id), self.get(b.id)

    def merge(self, keep_id: int, other_id: int, actor: str, text: str | None = None
              ) -> StoredRecommendation:
        """Merge two current recommendations of the same review into the first."""
        keep, other = self.get(keep_id), self.get(other_id)
        if keep_id == other_id:
            raise StorfaError(N_("Merge two different recommendations."))
        if keep.review_row != other.review_row:
            raise StorfaError(N_("Only recommendations of the same review can be merged."))
        if keep.superseded or other.superseded:
            raise StorfaError(N_("Only current recommendations can be merged."))
        # No text (or a blank one): both texts, the kept one first.
        joined = (_required(text, N_("The text cannot be empty.")) if text and text.strip()
                  else f"{keep.text} {other.text}")
        merged = self.sql.merge(keep_id, other_id, joined, actor)
        self.code_themes(keep.review_row)
        self._audit(actor, "recommendations.merge", merged, {"merged": other_id,
                                                             "text": joined})
        self._changed()
        return self.get(keep_id)

    # ------------------------------------------------------ notes and evidence
    def note(self, rec_id: int, actor: str, text: str, blobs: BlobStore | None = None,
             files: Sequence[tuple[str, bytes]] = ()) -> int:
        """A progress note with evidence files (checked, then stored in `blobs`)."""
        rec = self.get(rec_id)
        body = _required(text, N_("The note cannot be empty."))
        return self._add_note(rec, actor, body, self._store_files(blobs, files))

    @staticmethod
    def _store_files(blobs: BlobStore | None, files: Sequence[tuple[str, bytes]]
                     ) -> list[Evidence]:
        stored: list[Evidence] = []
        for name, data in files:
            assert blobs is not None, "evidence files need the blob store"
            stored.append(store_evidence(blobs, name, data))
        return stored

    def _add_note(self, rec: StoredRecommendation, actor: str, body: str,
                  stored: Sequence[Evidence]) -> int:
        history_id = self.sql.add_note(rec.id, actor, body, [
            (e.filename, e.media_type, e.size, e.sha256) for e in stored])
        self._audit(actor, "recommendations.note", rec, {
            "note": body, "files": [{"name": e.filename, "sha256": e.sha256} for e in stored]})
        return history_id

    def attachments(self, rec_id: int) -> list[Attachment]:
        return self.sql.attachments(rec_id)

    def attachment(self, attachment_id: int, rec_id: int | None = None) -> Attachment:
        """An evidence file (of recommendation `rec_id`, when given): NotFound
        otherwise, the same for a file of another recommendation."""
        found = self.sql.attachment(attachment_id)
        if found is None or (rec_id is not None and found.recommendation_id != rec_id):
            raise NotFound(N_("No evidence file with id {id}."), id=attachment_id)
        return found

    # ------------------------------------------------------------------ themes
    def code_themes(self, review_row: int,
                    read: Mapping[int, Sequence[Passage]] | None = None) -> None:
        """Code the review's current recommendations to the cpr-learning
        codebook and mirror the codes into the coding machinery. `read`:
        passages already read, by version id (the rest are read here)."""
        coded = [replace(r, themes=tuple(themes.codes_of(r.text)))
                 for r in self.sql.current([review_row])]
        self.sql.set_themes({r.id: list(r.themes) for r in coded})
        known = read or {}
        versions = {r.version_id for r in coded}
        passages = {p.id: p for v in versions
                    for p in (known[v] if v in known else self.store.passages(v))
                    if p.id is not None}
        extracts = repositories.extracts(self.store)
        full = {v: extracts.version_text(v) for v in versions}
        extracts.replace_suggestions(review_row, themes.CODEBOOK,
                                     themes.suggestions(coded, passages, full, review_row),
                                     scope=themes.SOURCE)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _audit(self, actor: str, action: str, rec: StoredRecommendation,
               detail: dict[str, Any]) -> None:
        self.store.audit(actor, action, "recommendation", str(rec.id),
                         {**self.audit_detail, "review_id": self.review_key(rec), **detail})


def _tracking(status: str | None, owner: str | None, due_date: str | None
              ) -> dict[str, str | None]:
    """The tracking fields to change, checked and in their stored form."""
    changes: dict[str, str | None] = {}
    if status is not None and status.strip():
        changes["status"] = _status(status)
    if owner is not None:
        changes["owner"] = " ".join(owner.split()) or None
    if due_date is not None:
        try:
            changes["due_date"] = (dt.date.fromisoformat(due_date.strip()).isoformat()
                                   if due_date.strip() else None)
        except ValueError:
            raise StorfaError(N_("Due date is YYYY-MM-DD (got {due!r})."),
                              due=due_date) from None
    return changes


def _note(text: str | None) -> str | None:
    """A note as kept in the history: trimmed (lines kept); None when blank."""
    return (text or "").strip() or None


def _required(text: str | None, empty: str) -> str:
    """The text with its spaces tidied; else `empty`, a whole message (N_),
    is raised: a field's name inside a template would stay in English."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise StorfaError(empty)
    return cleaned


def _matches(f: RegisterFilters, summary: ReviewSummary, rec: StoredRecommendation) -> bool:
    if f.review and summary.review_id.casefold() != f.review.strip().casefold():
        return False
    if f.board and (summary.board or "").casefold() != f.board.strip().casefold():
        return False
    if f.year is not None and summary.year != f.year:
        return False
    if f.agency and not any(f.agency.strip().casefold() in a.casefold() for a in rec.agencies):
        return False
    return not f.theme or themes.matches_theme(rec.themes, f.theme)


def contract_json(items: Sequence[tuple[str, StoredRecommendation]]) -> dict[str, Any]:
    """The shape CONTRACT.md gives `storfa recommendations --json`, plus `id`
    (what `storfa recommendations set ID` takes; the contract allows additions)."""
    return {"recommendations": [
        {"id": r.id, "review_id": key, "number": r.number, "text": r.text,
         "agencies": list(r.agencies), "level": r.level, "page": r.page, "status": r.status}
        for key, r in items]}
