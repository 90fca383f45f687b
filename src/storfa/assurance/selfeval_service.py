"""Self-evaluation use cases (docs/assurance.md): a board designs a
self-evaluation (from a built-in template or its own sections), sends it to
agencies, each agency fills in a draft and submits, the board sees who has
not returned and the results, and publishes them. Access follows
organisations:

- the board running it sees every return's status, and submitted returns;
- an agency sees its own return (draft or submitted) and never another's;
  after publication it sees the results of all;
- national users see published results.

Every change, submission, reopening and export is audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storfa.assurance import access
from storfa.assurance.paging import held_bytes
from storfa.assurance.scope import Caller, Forbidden, NotVisible, Scoped
from storfa.assurance.selfevals import (
    SCORE,
    SelfEvalResults,
    build_design,
    check_answer,
    check_score,
    results,
    template,
)
from storfa.domain.assurance import (
    SE_DESIGN,
    SE_OBJECT,
    SE_PUBLISHED,
    SE_RETURN,
    SelfEval,
    SFile,
    SReturn,
)
from storfa.domain.errors import N_, StorfaError
from storfa.recommendations.evidence import store_evidence
from storfa.storage import repositories
from storfa.storage.repositories import SelfEvaluations

if TYPE_CHECKING:
    from storfa.app import Storfa


@dataclass(frozen=True)
class ReturnView:
    selfeval: SelfEval
    ret: SReturn
    answers: dict[str, str]
    files: list[SFile]
    may_fill: bool
    may_reopen: bool

    @property
    def missing_scores(self) -> list[str]:
        return [s.title for s in self.selfeval.sections if not self.answers.get(SCORE + s.key)]

    def as_json(self) -> dict[str, Any]:
        r = self.ret
        return {"id": r.id, "selfeval_id": r.selfeval_id, "organisation_id": r.organisation_id,
                "status": r.status, "version": r.version, "submitted_at": r.submitted_at,
                "sections": [{"key": s.key, "title": s.title, "theme": s.theme,
                              "score": self.answers.get(SCORE + s.key) or None,
                              "questions": [{**q.as_json(),
                                             "answer": self.answers.get(q.key) or None,
                                             "files": [{"id": f.id, "name": f.filename}
                                                       for f in self.files
                                                       if f.question_key == q.key]}
                                            for q in s.questions]}
                             for s in self.selfeval.sections]}


class SelfEvalService(Scoped):
    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> SelfEvalService:
        return cls(app.store, app.blobs, app.accounts.accounts.organisations(), caller)

    @property
    def data(self) -> SelfEvaluations:
        return repositories.self_evaluations(self.store)

    def names(self) -> dict[int, str]:
        return {o.id: o.name for o in self.orgs.values()}

    def _me(self) -> int | None:
        user = self.caller.user
        return user.organisation_id if user is not None and not user.disabled else None

    def runs(self, se: SelfEval) -> bool:
        return self._cli() or (self._me() is not None and self._me() == se.organisation_id)

    def may_manage(self, se: SelfEval) -> bool:
        return self._cli() or (self.runs(se)
                               and access.can_answer(self.caller.user, se.organisation_id))

    def _sent_to_me(self) -> set[int]:
        me = self._me()
        return {r.selfeval_id for r in self.data.returns(organisation_id=me)} if me else set()

    def _may_see(self, se: SelfEval, mine: set[int]) -> bool:
        return self.runs(se) or se.id in mine or (self.national and se.status == SE_PUBLISHED)

    def get(self, selfeval_id: int, action: str = "assurance.selfeval.view") -> SelfEval:
        se = self.data.get(selfeval_id)
        if se is None or not self._may_see(se, self._sent_to_me()):
            if se is not None:
                self._deny(action, str(selfeval_id), NotVisible(""), SE_OBJECT)
            raise NotVisible(N_("No self-evaluation with id {id}."), id=selfeval_id)
        return se

    def listing(self) -> list[SelfEval]:
        mine = self._sent_to_me()
        return [s for s in self.data.listing() if self._may_see(s, mine)]

    def _managed(self, selfeval_id: int, action: str) -> SelfEval:
        se = self.get(selfeval_id, action)
        if not self.may_manage(se):
            raise self._deny(action, str(selfeval_id), Forbidden(
                N_("Only the editors of the board that runs the self-evaluation can do "
                   "that.")),
                SE_OBJECT)
        return se

    # ------------------------------------------------------------ the board
    def create(self, organisation_id: int, title: str, template_key: str | None = None,
               design: Sequence[Mapping[str, Any]] | None = None) -> int:
        """From a built-in template or a design (sections of questions)."""
        if organisation_id not in self.orgs:
            raise NotVisible(N_("No organisation with id {id}."), id=organisation_id)
        if not access.runs_exercises(self.orgs[organisation_id]):
            raise self._deny("assurance.selfeval.create", str(organisation_id), Forbidden(
                N_("An agency answers self-evaluations and case-file audits; its board "
                   "runs them.")), "organisation")
        if not (self._cli() or access.can_answer(self.caller.user, organisation_id)):
            raise self._deny("assurance.selfeval.create", str(organisation_id), Forbidden(
                N_("Only the board's own editors can design its self-evaluations.")),
                "organisation")
        if design is not None:
            sections, default = build_design(design), "Self-evaluation"
        else:
            default, sections = template(template_key or "core")
        name = " ".join((title or "").split())[:200] or default
        return self.data.create(organisation_id, name, sections, self.caller.actor,
                                self.caller.detail)

    def add_question(self, selfeval_id: int, section: str, text: str, kind: str,
                     options: Sequence[str] = (), theme: str = "") -> SelfEval:
        """Add a question (to a new section when `section` names none yet)."""
        se = self._managed(selfeval_id, "assurance.selfeval.design")
        if se.status != SE_DESIGN:
            raise StorfaError(N_("The self-evaluation has been sent; its design is fixed."))
        raw = [s.as_json() for s in se.sections]
        target = next((s for s in raw if section.strip() in (s["key"], s["title"])), None)
        if target is None:
            target = {"title": section, "theme": theme, "questions": []}
            raw.append(target)
        target["questions"].append({"text": text, "kind": kind, "options": list(options)})
        self.data.set_design(se.id, build_design(raw), self.caller.actor, self.caller.detail)
        return self.get(se.id)

    def send(self, selfeval_id: int, agencies: Sequence[str | int]) -> list[int]:
        se = self._managed(selfeval_id, "assurance.selfeval.send")
        if se.status == SE_PUBLISHED:
            raise StorfaError(N_("The results are published; send a new self-evaluation instead."))
        ids = [self.organisation(a).id for a in agencies]
        if not ids:
            raise StorfaError(N_("Name at least one agency to send it to."))
        return self.data.send(se.id, ids, self.caller.actor, self.caller.detail)

    def publish(self, selfeval_id: int) -> SelfEval:
        se = self._managed(selfeval_id, "assurance.selfeval.published")
        if se.status != SE_PUBLISHED:
            self.data.set_status(se.id, SE_PUBLISHED, self.caller.actor, self.caller.detail)
        return self.get(se.id)

    # ------------------------------------------------------------ returns
    def _may_see_return(self, se: SelfEval, ret: SReturn) -> bool:
        own = self._me() == ret.organisation_id
        return self._cli() or own or (self.runs(se) and ret.status == "submitted")

    def find_return(self, selfeval_id: int, agency: str | int | None = None) -> SReturn:
        """The caller's agency's return (the CLI names the agency)."""
        se = self.get(selfeval_id)
        org_id = self.organisation(agency).id if agency is not None and self._cli() \
            else self._me()
        for r in self.data.returns(selfeval_id=se.id, organisation_id=org_id):
            return r
        raise NotVisible(N_("The self-evaluation was not sent to that agency."))

    def _return(self, return_id: int, action: str) -> tuple[SelfEval, SReturn]:
        ret = self.data.get_return(return_id)
        se = self.data.get(ret.selfeval_id) if ret else None
        if ret is None or se is None or not self._may_see_return(se, ret):
            if ret is not None:
                self._deny(action, str(return_id), NotVisible(""), SE_RETURN)
            raise NotVisible(N_("No self-evaluation return with id {id}."), id=return_id)
        return se, ret

    def view(self, return_id: int) -> ReturnView:
        se, ret = self._return(return_id, "assurance.selfeval.return.view")
        fill = ret.status == "draft" and se.status != SE_PUBLISHED and (
            self._cli() or access.can_answer(self.caller.user, ret.organisation_id))
        return ReturnView(se, ret, self.data.answers([ret.id])[ret.id],
                          self.data.files([ret.id]), fill,
                          ret.status == "submitted" and self.may_manage(se))

    def _fillable(self, return_id: int) -> ReturnView:
        view = self.view(return_id)
        if view.ret.status != "draft":  # said plainly, before who may fill it
            raise StorfaError("The return is submitted and locked; the board must reopen it "
                              "before it can change.")
        if view.selfeval.status == SE_PUBLISHED:
            raise StorfaError(N_("The results are published; the returns can no longer change."))
        return view

    def save(self, return_id: int, answers: Mapping[str, str | None] | None = None,
             scores: Mapping[str, str | None] | None = None,
             files: Sequence[tuple[str, str, bytes]] = ()) -> SReturn:
        """Save a draft: answers by question key, self-scores by section key,
        files as (question key, name, bytes). Left out means unchanged; a
        half-filled return is simply a draft."""
        view = self._fillable(return_id)
        if not view.may_fill:
            raise self._deny("assurance.selfeval.save", str(return_id), Forbidden(
                N_("Only the agency's own editors can change its draft return.")), SE_RETURN)
        questions = view.selfeval.questions()
        values: dict[str, str] = {}
        for key, value in (answers or {}).items():
            if value is None:
                continue
            if key not in questions:
                raise StorfaError(N_("The self-evaluation has no question {key!r}."), key=key)
            values[key] = check_answer(questions[key][1], value)
        for key, value in (scores or {}).items():
            if value is None:
                continue
            values[SCORE + view.selfeval.section(key).key] = check_score(value)
        stored = []
        for key, name, data in files:
            if key not in questions or questions[key][1].kind != "evidence":
                raise StorfaError(N_("Question {key!r} does not take a file."), key=key)
            e = store_evidence(self.blobs, name, data)
            stored.append(SFile(0, return_id, key, e.filename, e.media_type, e.size, e.sha256))
        changed = {k: v for k, v in values.items() if view.answers.get(k, "") != v}
        if not changed and not stored:
            return view.ret
        return self.data.save(return_id, changed, stored, self.caller.actor, self.caller.detail)

    def submit(self, return_id: int) -> SReturn:
        view = self._fillable(return_id)
        if not view.may_fill:
            raise self._deny("assurance.selfeval.submit", str(return_id), Forbidden(
                N_("Only the agency's own editors can submit its return.")), SE_RETURN)
        if view.missing_scores:
            raise StorfaError(N_("Give each section a self-score before submitting; the "
                                 "return is kept as a draft. Not scored yet: {missing}."),
                              missing=", ".join(view.missing_scores))
        return self.data.set_return_status(return_id, "submitted", self.caller.actor, None,
                                           self.caller.detail)

    def reopen(self, return_id: int, reason: str) -> SReturn:
        """The board unlocks a submitted return: explicit, with a reason, audited."""
        view = self.view(return_id)
        if not view.may_reopen:
            raise self._deny("assurance.selfeval.reopen", str(return_id), Forbidden(
                N_("Only the board's editors can reopen a submitted return.")), SE_RETURN)
        why = " ".join((reason or "").split())
        if not why:
            raise StorfaError(N_("Give the reason for reopening the return."))
        return self.data.set_return_status(return_id, "draft", self.caller.actor, why[:2000],
                                           self.caller.detail)

    def evidence_file(self, return_id: int, file_id: int) -> tuple[SFile, bytes]:
        view = self.view(return_id)
        found = next((f for f in view.files if f.id == file_id), None)
        if found is None:
            raise NotVisible(N_("There is no such evidence file."))
        self._audit("assurance.selfeval.evidence", SE_RETURN, str(return_id), file=file_id)
        return found, self.blobs.path_for(found.sha256).read_bytes()

    # ------------------------------------------------------------ results
    def results(self, selfeval_id: int) -> SelfEvalResults:
        """The board's view (or, once published, everyone who may see it);
        an agency before publication sees only its own return."""
        se = self.get(selfeval_id)
        returns = self.data.returns(selfeval_id=se.id)
        if not (self.runs(se) or se.status == SE_PUBLISHED):
            returns = [r for r in returns if r.organisation_id == self._me()]
        ids = [r.id for r in returns if r.status == "submitted"]
        have: dict[int, set[str]] = {}
        for f in self.data.files(ids):
            have.setdefault(f.return_id, set()).add(f.question_key)
        return results(se, returns, self.data.answers(ids), have)

    def export_results(self, selfeval_id: int, fmt: str) -> bytes:
        from storfa.analysis.tables import table_bytes

        found = self.results(selfeval_id)
        names = self.names()
        rows: list[list[Any]] = []
        for q in found.questions:
            rows.extend(["question", q.section, q.text, q.base, o.value, o.count, o.percent]
                        for o in q.options)
            rows.extend(["question", q.section, q.text, q.base, t, None, None]
                        for _, t in q.texts)
        for sec in found.selfeval.sections:
            rows.extend(["score", sec.key, sec.title, None, names.get(o, str(o)), g, None]
                        for o, g in found.scores.get(sec.key, {}).items())
        header = ["row", "section", "question", "base", "answer", "count", "percent"]
        data = held_bytes(self.store, f"selfeval.{fmt}", (header, rows),
                          lambda: table_bytes(fmt, "self-evaluation", header, rows))
        self._audit("assurance.selfeval.export", SE_OBJECT, str(selfeval_id), format=fmt)
        return data
