"""Case-file audit use cases (docs/assurance.md): a board creates an audit,
lists cases by reference and assigns agencies; each agency grades each
question of its cases; the board publishes. Access follows organisations:

- the board running the audit sees every agency's grades;
- an agency sees the audit's cases assigned to it and its own grades only,
  until the board publishes, and then the results of all;
- national users see published results.

Everything is checked and audited here; the CLI and web only render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storfa.assurance import access
from storfa.assurance.audits import DEFAULT_QUESTIONS, AuditResults, make_questions, results
from storfa.assurance.case_reference import check_reference
from storfa.assurance.paging import held_bytes
from storfa.assurance.scope import Caller, Forbidden, NotVisible, Scoped
from storfa.domain.assurance import (
    AUDIT_OBJECT,
    AUDIT_OPEN,
    AUDIT_PUBLISHED,
    Audit,
    AuditCase,
    AuditGrade,
    parse_grade,
)
from storfa.domain.errors import N_, StorfaError
from storfa.storage import repositories
from storfa.storage.repositories import CaseFileAudits

if TYPE_CHECKING:
    from storfa.app import Storfa

MAX_COMMENT = 5_000


@dataclass(frozen=True)
class AuditView:
    """An audit as the caller may see it: the cases they may see, and the
    grades they may see (an agency's own until the results are published)."""

    audit: Audit
    cases: list[AuditCase]
    grades: list[AuditGrade]
    runs_it: bool  # the caller's organisation runs the audit (or the CLI)
    may_manage: bool
    may_grade_for: int | None  # the agency the caller grades for, if any

    def as_json(self, names: dict[int, str]) -> dict[str, Any]:
        a = self.audit
        return {"id": a.id, "title": a.title, "status": a.status,
                "organisation_id": a.organisation_id,
                "organisation": names.get(a.organisation_id),
                "questions": [q.as_json() for q in a.questions],
                "cases": [{"id": c.id, "reference": c.reference,
                           "agencies": [{"id": o, "name": names.get(o, str(o))}
                                        for o in c.agencies]} for c in self.cases],
                "grades": [g.as_json() for g in self.grades]}


class CaseAuditService(Scoped):
    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> CaseAuditService:
        return cls(app.store, app.blobs, app.accounts.accounts.organisations(), caller)

    @property
    def audits_store(self) -> CaseFileAudits:
        return repositories.case_file_audits(self.store)

    def names(self) -> dict[int, str]:
        return {o.id: o.name for o in self.orgs.values()}

    def _runs(self, audit: Audit) -> bool:
        user = self.caller.user
        return self._cli() or (user is not None and not user.disabled
                               and user.organisation_id == audit.organisation_id)

    def _agency(self) -> int | None:
        user = self.caller.user
        return user.organisation_id if user is not None and not user.disabled else None

    def _may_see(self, audit: Audit, assigned: set[int] | None = None) -> bool:
        if self._runs(audit) or (self.national and audit.published):
            return True
        agency = self._agency()
        if agency is None:
            return False
        mine = assigned if assigned is not None else self.audits_store.assigned_audits(agency)
        return audit.id in mine

    def get(self, audit_id: int, action: str = "assurance.audit.view") -> Audit:
        audit = self.audits_store.get(audit_id)
        if audit is None:
            raise NotVisible(N_("No case-file audit with id {id}."), id=audit_id)
        if not self._may_see(audit):
            raise self._deny(action, str(audit_id),
                             NotVisible(N_("No case-file audit with id {id}."), id=audit_id),
                             AUDIT_OBJECT)
        return audit

    def listing(self) -> list[Audit]:
        agency = self._agency()
        assigned = self.audits_store.assigned_audits(agency) if agency else set()
        return [a for a in self.audits_store.listing() if self._may_see(a, assigned)]

    def _manage(self, audit_id: int, action: str) -> Audit:
        audit = self.get(audit_id, action)
        if not (self._cli() or (self._runs(audit)
                                and access.can_answer(self.caller.user, audit.organisation_id))):
            raise self._deny(action, str(audit_id), Forbidden(
                N_("Only the editors of the board running the audit can change it.")),
                AUDIT_OBJECT)
        return audit

    # ------------------------------------------------------------ the board
    def create(self, organisation_id: int, title: str,
               questions: Sequence[tuple[str, str]] = ()) -> int:
        if organisation_id not in self.orgs:
            raise NotVisible(N_("No organisation with id {id}."), id=organisation_id)
        if not access.runs_exercises(self.orgs[organisation_id]):
            raise self._deny("assurance.audit.create", str(organisation_id), Forbidden(
                N_("An agency answers self-evaluations and case-file audits; its board "
                   "runs them.")), "organisation")
        if not (self._cli() or access.can_answer(self.caller.user, organisation_id)):
            raise self._deny("assurance.audit.create", str(organisation_id), Forbidden(
                N_("Only the board's own editors can start its case-file audits.")),
                "organisation")
        name = " ".join((title or "").split())[:200]
        if not name:
            raise StorfaError(N_("Give the audit a title."))
        made = make_questions(questions or DEFAULT_QUESTIONS)
        return self.audits_store.create(organisation_id, name, made, self.caller.actor,
                                        self.caller.detail)

    def add_case(self, audit_id: int, reference: str,
                 agencies: Sequence[str | int]) -> AuditCase:
        """List a case by its reference (never a name) and assign agencies."""
        audit = self._manage(audit_id, "assurance.audit.case")
        if audit.published:
            raise StorfaError(N_("The audit's results are published; it takes no more cases."))
        ref = check_reference(reference)
        ids = [self.organisation(a).id for a in agencies]
        if not ids:
            raise StorfaError(N_("Assign the case to at least one agency."))
        return self.audits_store.add_case(audit.id, ref, ids, self.caller.actor,
                                          self.caller.detail)

    def publish(self, audit_id: int) -> Audit:
        """Agencies then see every agency's grades and the results."""
        audit = self._manage(audit_id, "assurance.audit.published")
        if audit.published:
            return audit
        self.audits_store.set_status(audit.id, AUDIT_PUBLISHED, self.caller.actor,
                                     self.caller.detail)
        return self.get(audit_id)

    # ------------------------------------------------------------ agencies
    def grade(self, audit_id: int, case: str | int, question: str, grade: str,
              comment: str = "", agency: str | int | None = None) -> AuditGrade:
        """Grade one question of one case for an agency assigned to it (the
        caller's own; the CLI names it)."""
        audit = self.get(audit_id, "assurance.audit.grade")
        org_id = self.organisation(agency).id if agency is not None and self._cli() \
            else self._agency()
        found = self._case(audit, case)
        if org_id is None or org_id not in found.agencies:
            raise self._deny("assurance.audit.grade", str(audit_id), Forbidden(
                N_("Case {reference} is not assigned to your agency."),
                reference=found.reference), AUDIT_OBJECT)
        if not (self._cli() or access.can_answer(self.caller.user, org_id)):
            raise self._deny("assurance.audit.grade", str(audit_id), Forbidden(
                N_("Only an agency's editors can grade its cases.")), AUDIT_OBJECT)
        if audit.status != AUDIT_OPEN:
            raise StorfaError(N_("The audit's results are published; grades can no longer change."))
        key = audit.question(question).key
        chosen = parse_grade(grade)
        if chosen is None:
            raise StorfaError("Give a grade: outstanding, good, requires_improvement or "
                              "unsatisfactory.")
        text = (comment or "").strip()
        if len(text) > MAX_COMMENT:
            raise StorfaError(N_("A comment is at most {most:,} characters."),
                              most=MAX_COMMENT)
        made = AuditGrade(found.id, org_id, key, chosen, text, self.caller.actor)
        self.audits_store.grade(audit.id, made, self.caller.detail)
        return made

    def _case(self, audit: Audit, case: str | int) -> AuditCase:
        for c in self.audits_store.cases(audit.id):
            if str(case) in (str(c.id), c.reference):
                return c
        raise NotVisible(N_("The audit has no case {case!r}."), case=case)

    # ------------------------------------------------------------ reading
    def view(self, audit_id: int) -> AuditView:
        audit = self.get(audit_id)
        runs = self._runs(audit)
        agency = self._agency()
        cases = self.audits_store.cases(audit.id)
        if runs or (audit.published and self.national):
            grades = self.audits_store.grades(audit.id)
        elif audit.published:
            grades = self.audits_store.grades(audit.id)
            cases = [c for c in cases if agency in c.agencies]
        else:  # an agency before publication: its own cases and grades only
            cases = [c for c in cases if agency in c.agencies]
            grades = self.audits_store.grades(audit.id, agency) if agency else []
        return AuditView(audit, cases, grades, runs,
                         self._cli() or (runs and access.can_answer(self.caller.user,
                                                                    audit.organisation_id)),
                         agency if agency is not None and not runs
                         and access.can_answer(self.caller.user, agency) else None)

    def results(self, audit_id: int) -> AuditResults:
        """Distributions and disagreements over the grades the caller may see."""
        view = self.view(audit_id)
        return results(view.audit, view.cases, view.grades)

    def export_results(self, audit_id: int, fmt: str) -> bytes:
        """One row per question, agency and theme with each grade's count; audited."""
        from storfa.analysis.tables import table_bytes

        found = self.results(audit_id)
        names = self.names()
        rows: list[list[Any]] = []
        for kind, items in (("question", [(q.text, found.by_question[q.key])
                                          for q in found.audit.questions]),
                            ("agency", [(names.get(o, str(o)), d)
                                        for o, d in found.by_agency.items()]),
                            ("theme", list(found.by_theme.items()))):
            for label, d in items:
                rows.append([kind, label, d.base, *d.counts.values(), d.positive])
        header = ["by", "what", "base", *found.overall.counts.keys(), "good_or_better_percent"]
        data = held_bytes(self.store, f"audit.{fmt}", (header, rows),
                          lambda: table_bytes(fmt, "case-file audit", header, rows))
        self._audit("assurance.audit.export", AUDIT_OBJECT, str(audit_id), format=fmt)
        return data
