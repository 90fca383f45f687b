"""The 12 Cs toolkit's use cases, one home for each rule: open this year's
return (from last year's answers), answer and grade each C with evidence,
submit and lock, reopen (audited, with a reason), grades over the years, and
the national comparison C by C (docs/assurance.md).

The CLI and the web call these and only render; access is checked here,
through assurance.access, and every refusal is audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storfa.assurance import access
from storfa.assurance.paging import MAX_PAGE, PAGE_SIZE, Paging, held_bytes, page_of, paging
from storfa.assurance.scope import Caller, Forbidden, NotVisible, Scoped
from storfa.assurance.twelve_cs import TwelveC, find_c, twelve_cs
from storfa.domain.accounts import Organisation
from storfa.domain.assurance import (
    DRAFT,
    GRADES,
    SCALE,
    SUBMITTED,
    CsAnswer,
    CsReturn,
    EvidenceFile,
    ReturnEvent,
    parse_grade,
)
from storfa.domain.errors import N_, StorfaError
from storfa.recommendations.evidence import store_evidence

if TYPE_CHECKING:
    from storfa.app import Storfa

MAX_TEXT = 20_000  # per field: a page or two, not a pasted report


@dataclass(frozen=True)
class CView:
    c: TwelveC
    answer: CsAnswer
    files: list[EvidenceFile]


@dataclass(frozen=True)
class ReturnView:
    ret: CsReturn
    organisation: Organisation
    cs: list[CView]
    events: list[ReturnEvent]
    can_answer: bool
    can_reopen: bool

    @property
    def missing(self) -> list[TwelveC]:
        """Cs without a grade: the return cannot be submitted until there are none."""
        return [v.c for v in self.cs if not v.answer.grade]

    def as_json(self) -> dict[str, Any]:
        r = self.ret
        return {"id": r.id, "organisation": self.organisation.name,
                "organisation_id": r.organisation_id, "board": self.organisation.board,
                "year": r.year, "status": r.status, "version": r.version,
                "carried_from": r.carried_from, "submitted_at": r.submitted_at,
                "submitted_by": r.submitted_by,
                "cs": [{**v.answer.as_json(), "name": v.c.name, "group": v.c.group,
                        "files": [{"id": f.id, "name": f.filename, "media_type": f.media_type,
                                   "size": f.size} for f in v.files]} for v in self.cs],
                "missing": [c.key for c in self.missing],
                "events": [{"version": e.version, "action": e.action, "actor": e.actor,
                            "at": e.at, "c": e.c_key, "note": e.note} for e in self.events]}


@dataclass(frozen=True)
class History:
    """Each C's grade in each year's return of one organisation."""

    organisation: Organisation
    years: list[int]
    grades: dict[str, dict[int, str | None]]  # c key → year → grade key
    statuses: dict[int, str]

    def as_json(self) -> dict[str, Any]:
        return {"organisation": self.organisation.name, "years": self.years,
                "statuses": {str(y): s for y, s in self.statuses.items()},
                "cs": [{"c": c.key, "name": c.name,
                        "grades": {str(y): self.grades.get(c.key, {}).get(y)
                                   for y in self.years}} for c in twelve_cs()]}


@dataclass(frozen=True)
class Comparison:
    """Submitted returns of one year, C by C: each board's grade and the spread."""

    year: int
    organisations: list[Organisation]
    grades: dict[str, dict[int, str | None]]  # c key → organisation id → grade
    counts: dict[str, dict[str, int]]  # c key → grade key → boards

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year,
                "organisations": [{"id": o.id, "name": o.name, "board": o.board}
                                  for o in self.organisations],
                "scale": [g.key for g in SCALE],
                "cs": [{"c": c.key, "name": c.name,
                        "grades": {o.name: self.grades.get(c.key, {}).get(o.id)
                                   for o in self.organisations},
                        "counts": self.counts.get(c.key, {})} for c in twelve_cs()]}

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        """A table for CSV/XLSX: one row per C, one column per board."""
        header = ["c", "name", *[o.name for o in self.organisations], *[g.key for g in SCALE]]
        body = [[c.key, c.name, *[_label(self.grades.get(c.key, {}).get(o.id))
                                  for o in self.organisations],
                 *[self.counts.get(c.key, {}).get(g.key, 0) for g in SCALE]]
                for c in twelve_cs()]
        return header, body


@dataclass(frozen=True)
class ReturnPage:
    """One page of the returns a caller may see, newest year first, then by
    organisation name."""

    returns: list[CsReturn]
    at: Paging


def _label(grade: str | None) -> str:
    return GRADES[grade].label if grade in GRADES else ""


def this_year() -> int:
    return dt.date.today().year


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise StorfaError(f"{what} is over {MAX_TEXT:,} characters.")
    return text


class TwelveCsService(Scoped):
    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> TwelveCsService:
        return cls(app.store, app.blobs, app.accounts.accounts.organisations(), caller)

    def may_answer(self, organisation_id: int) -> bool:
        return self._cli() or access.can_answer(self.caller.user, organisation_id)

    def _may_view(self, ret: CsReturn) -> bool:
        return self._cli() or access.can_view_return(self.caller.user, self.national,
                                                     ret.organisation_id, ret.status)

    def _visible(self, return_id: int, action: str = "assurance.return.view") -> CsReturn:
        ret = self.store.assurance_return(return_id)
        if ret is None:
            raise NotVisible(N_("No 12 Cs return with id {id}."), id=return_id)
        if not self._may_view(ret):
            raise self._deny(action, str(return_id),
                             NotVisible(N_("No 12 Cs return with id {id}."), id=return_id))
        return ret

    def _answerable(self, return_id: int, action: str) -> CsReturn:
        ret = self._visible(return_id, action)
        if not self.may_answer(ret.organisation_id):
            raise self._deny(action, str(return_id),
                             Forbidden(N_("Only the board's own editors can change its return.")))
        return ret

    # ---------------------------------------------------------------- returns
    def find(self, organisation_id: int, year: int) -> CsReturn | None:
        """The organisation's return for the year if the caller may see it."""
        ret = self.store.assurance_find_return(organisation_id, year)
        return ret if ret is not None and self._may_view(ret) else None

    def returns(self, organisation_id: int | None = None) -> list[CsReturn]:
        return [r for r in self.store.assurance_returns(organisation_id) if self._may_view(r)]

    def return_page(self, page: int = 1, per_page: int = PAGE_SIZE,
                    organisation_id: int | None = None, others_only: bool = False,
                    past_end: str = "last") -> ReturnPage:
        """A page of the returns the caller may see (the same as `returns`,
        paged by the database), newest year first, then by organisation name.
        `others_only` leaves out the caller's own organisation's, which the
        index lists apart. A page past the end is the last page, or with
        `past_end="empty"` (the API, so a script's loop ends) no returns."""
        user = self.caller.user
        own = user.organisation_id if user is not None and not user.disabled else None
        statuses = None if self._cli() else access.others_visible(self.national)
        exclude = own if others_only else None

        def fetch(at: Paging) -> tuple[list[CsReturn], int]:
            return self.store.assurance_return_page(at.offset, at.per_page, organisation_id,
                                                    exclude, own, statuses)

        at = Paging(min(max(page, 1), MAX_PAGE), paging(0, 1, per_page).per_page, 0)
        found, total = fetch(at)
        if not found and total and at.page > 1 and past_end == "last":
            at = paging(total, at.page, at.per_page)
            found, total = fetch(at)
        return ReturnPage(found, Paging(at.page, at.per_page, total))

    def open(self, organisation_id: int, year: int | None = None) -> CsReturn:
        """The year's return, made from the latest earlier year's answers when new."""
        year = year or this_year()
        if organisation_id not in self.orgs:
            raise NotVisible(N_("No organisation with id {id}."), id=organisation_id)
        if not self.may_answer(organisation_id):
            raise self._deny("assurance.return.open", f"{organisation_id}/{year}",
                             Forbidden(N_("Only the board's own editors can open its return.")))
        existing = self.store.assurance_find_return(organisation_id, year)
        if existing is not None:
            return existing
        earlier = [r for r in self.store.assurance_returns(organisation_id) if r.year < year]
        carried_from = max((r.year for r in earlier), default=None)
        carried: list[CsAnswer] = []
        if carried_from is not None:
            last = next(r for r in earlier if r.year == carried_from)
            carried = self.store.assurance_answers(last.id)
        return self.store.assurance_open_return(organisation_id, year, carried_from, carried,
                                                self.caller.actor, self.caller.detail)

    def view(self, return_id: int, version: int | None = None) -> ReturnView:
        """The return (as it stood at `version`, default now) with each C."""
        ret = self._visible(return_id)
        answers = {a.c_key: a for a in self.store.assurance_answers(ret.id, version)}
        files = self.store.assurance_files(ret.id)
        cs = [CView(c, answers.get(c.key, CsAnswer(c.key)),
                    [f for f in files if f.c_key == c.key
                     and (version is None or f.version <= version)]) for c in twelve_cs()]
        return ReturnView(ret, self.orgs[ret.organisation_id], cs,
                          self.store.assurance_events(ret.id),
                          can_answer=ret.status == DRAFT and self.may_answer(ret.organisation_id),
                          can_reopen=ret.status == SUBMITTED and self._may_reopen())

    def _may_reopen(self) -> bool:
        return self._cli() or access.can_reopen(self.caller.user, self.national)

    def save(self, return_id: int, c: str, in_place: str | None = None,
             planned: str | None = None, evidence: str | None = None,
             grade: str | None = None, files: Sequence[tuple[str, bytes]] = ()) -> CsReturn:
        """Record one C. Fields left as None keep what the C says now, so a
        half-filled return is simply a draft saved C by C."""
        ret = self._answerable(return_id, "assurance.answer.save")
        the_c = find_c(c)
        current = {a.c_key: a for a in self.store.assurance_answers(ret.id)}.get(
            the_c.key, CsAnswer(the_c.key))
        answer = CsAnswer(
            the_c.key,
            _text(in_place, "What is in place") if in_place is not None else current.in_place,
            _text(planned, "What is planned") if planned is not None else current.planned,
            _text(evidence, "The evidence") if evidence is not None else current.evidence,
            parse_grade(grade) if grade is not None else current.grade,
            actor=self.caller.actor)
        if ret.status != DRAFT:  # said plainly before any file is stored
            raise StorfaError(N_("The {year} return is submitted and locked; it must be "
                                 "reopened before it can change."), year=ret.year)
        stored = []
        for name, data in files:
            e = store_evidence(self.blobs, name, data)
            stored.append(EvidenceFile(0, ret.id, the_c.key, e.filename, e.media_type, e.size,
                                       e.sha256, self.caller.actor, ""))
        return self.store.assurance_save_answer(ret.id, answer, stored, self.caller.detail)

    def submit(self, return_id: int) -> CsReturn:
        ret = self._answerable(return_id, "assurance.return.submit")
        missing = [c.name for c in self.view(ret.id).missing]
        if missing:
            raise StorfaError(N_("Grade every C before submitting; the return is kept as a "
                                 "draft. Not graded yet: {missing}."), missing=", ".join(missing))
        return self.store.assurance_set_status(ret.id, SUBMITTED, self.caller.actor, None,
                                               self.caller.detail)

    def reopen(self, return_id: int, reason: str) -> CsReturn:
        """Unlock a submitted return: explicit, with a reason, audited."""
        ret = self._visible(return_id, "assurance.return.reopen")
        if not self._may_reopen():
            raise self._deny("assurance.return.reopen", str(return_id),
                             Forbidden(N_("Only national editors and administrators can "
                                          "reopen a submitted return.")))
        why = " ".join((reason or "").split())
        if not why:
            raise StorfaError(N_("Give the reason for reopening the return."))
        return self.store.assurance_set_status(ret.id, DRAFT, self.caller.actor, why[:2000],
                                               self.caller.detail)

    def evidence_file(self, return_id: int, file_id: int) -> tuple[EvidenceFile, bytes]:
        ret = self._visible(return_id, "assurance.evidence")
        found = self.store.assurance_file(file_id)
        if found is None or found.return_id != ret.id:
            raise NotVisible(N_("There is no such evidence file."))
        self._audit("assurance.evidence", "assurance_return", str(ret.id), file=file_id)
        return found, self.blobs.path_for(found.sha256).read_bytes()

    # ------------------------------------------------------- history, compare
    def history(self, organisation_id: int) -> History:
        """Each C's grade over the years: the board's own returns, or for national
        users its submitted ones (drafts stay the board's own)."""
        org = self.orgs.get(organisation_id)
        if org is None:
            raise NotVisible(N_("No organisation with id {id}."), id=organisation_id)
        statuses = {r.year: r.status for r in self.store.assurance_returns(organisation_id)
                    if self._may_view(r)}
        grades: dict[str, dict[int, str | None]] = {}
        for row in self.store.assurance_grades(organisation_id):
            if row.year in statuses:
                grades.setdefault(row.c_key, {})[row.year] = row.grade
        return History(org, sorted(statuses), grades, statuses)

    def compare(self, year: int | None = None) -> Comparison:
        """Boards C by C for one year's submitted returns: national users only."""
        year = year or this_year()
        if not (self._cli() or access.can_compare(self.national)):
            raise self._deny("assurance.compare", str(year),
                             Forbidden(N_("Comparing boards is for national users.")))
        grades: dict[str, dict[int, str | None]] = {}
        counts: dict[str, Counter[str]] = {}
        seen: set[int] = set()
        for row in self.store.assurance_submitted_grades(year):
            seen.add(row.organisation_id)
            grades.setdefault(row.c_key, {})[row.organisation_id] = row.grade
            if row.grade:
                counts.setdefault(row.c_key, Counter())[row.grade] += 1
        orgs = sorted((self.orgs[i] for i in seen if i in self.orgs), key=lambda o: o.name)
        return Comparison(year, orgs, grades,
                          {c: {g.key: n.get(g.key, 0) for g in SCALE} for c, n in counts.items()})

    def compare_page(self, year: int | None = None, page: int = 1,
                     per_page: int = PAGE_SIZE) -> tuple[Comparison, Paging]:
        """The comparison with one page of its boards (by name); the counts
        of each grade stay those of every board."""
        found = self.compare(year)
        shown, at = page_of(found.organisations, page, per_page)
        return Comparison(found.year, shown, found.grades, found.counts), at

    def export_comparison(self, year: int | None, fmt: str) -> bytes:
        """The comparison as CSV or XLSX; audited like every export."""
        from storfa.analysis.tables import table_bytes

        found = self.compare(year)
        header, body = found.rows()
        data = held_bytes(self.store, f"12cs.{fmt}", (header, body),
                          lambda: table_bytes(fmt, "12 Cs", header, body))
        self._audit("assurance.export", "assurance_comparison", str(found.year), format=fmt,
                    organisations=len(found.organisations))
        return data
