"""Practitioner survey use cases: import a file, map its columns to questions
(the mapping step), and summarise the answers; access follows organisations
like the 12 Cs returns (docs/assurance.md)."""

from __future__ import annotations

import hashlib
import json
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storfa.assurance import access
from storfa.assurance.paging import held_bytes
from storfa.assurance.scope import Caller, Forbidden, NotVisible, Scoped
from storfa.assurance.surveys import (
    QuestionResult,
    check_mapping,
    guess_kind,
    read_survey,
    summarise,
)
from storfa.domain.assurance import Survey
from storfa.domain.errors import N_, StorfaError

if TYPE_CHECKING:
    from storfa.app import Storfa

SAMPLES = 3


@dataclass(frozen=True)
class SurveySummary:
    """A mapped survey's results: the survey without its rows, how many
    respondents (rows) it has, and each question's counts."""

    survey: Survey
    respondents: int
    questions: list[QuestionResult]


# Summaries held per store under what they are made from: the survey, its
# file (rows never change once imported; the SHA-256 names them) and its
# mapping. A new mapping is a new key, so a held summary is never stale.
_Key = tuple[int, str, str]
_SUMMARIES: weakref.WeakKeyDictionary[Any, OrderedDict[_Key, tuple[int, list[QuestionResult]]]] \
    = weakref.WeakKeyDictionary()
_HELD = 8


@dataclass(frozen=True)
class ColumnChoice:
    """One column as the mapping step shows it: name, a few answers, the
    mapping so far (or a guess at the kind)."""

    position: int
    column: str
    samples: list[str]
    question: str
    kind: str


class SurveyService(Scoped):
    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> SurveyService:
        return cls(app.store, app.blobs, app.accounts.accounts.organisations(), caller)

    def _may_change(self, organisation_id: int) -> bool:
        return self._cli() or access.can_answer(self.caller.user, organisation_id)

    def listing(self, organisation_id: int | None = None) -> list[Survey]:
        return [s for s in self.store.assurance_surveys(organisation_id)
                if self._cli() or access.can_view_survey(self.caller.user, self.national,
                                                         s.organisation_id)]

    def get(self, survey_id: int, action: str = "assurance.survey.view") -> Survey:
        found = self.store.assurance_survey(survey_id)
        return self._visible(survey_id, found, action)

    def head(self, survey_id: int, action: str = "assurance.survey.view") -> Survey:
        """The survey as `get` gives it, but without its rows."""
        return self._visible(survey_id, self.store.assurance_survey_head(survey_id), action)

    def _visible(self, survey_id: int, found: Survey | None, action: str) -> Survey:
        if found is None:
            raise NotVisible(f"No survey with id {survey_id}.")
        if not (self._cli() or access.can_view_survey(self.caller.user, self.national,
                                                      found.organisation_id)):
            raise self._deny(action, str(survey_id), NotVisible(f"No survey with id "
                                                                f"{survey_id}."),
                             "assurance_survey")
        return found

    def import_file(self, organisation_id: int, title: str, filename: str,
                    data: bytes) -> int:
        """Read and store the file (SurveyError naming rows and columns when it
        cannot be used); the mapping comes next."""
        if organisation_id not in self.orgs:
            raise NotVisible(f"No organisation with id {organisation_id}.")
        if not self._may_change(organisation_id):
            raise self._deny("assurance.survey.import", str(organisation_id),
                             Forbidden(N_("Only the board's own editors can import its surveys.")),
                             "organisation")
        table = read_survey(data)
        name = " ".join((title or "").split()) or Path(filename).stem or "Survey"
        sha = hashlib.sha256(data).hexdigest()
        with tempfile.TemporaryDirectory(prefix="storfa-survey-") as folder:
            path = Path(folder) / "upload"
            path.write_bytes(data)
            self.blobs.put(path, sha)  # the original, kept like evidence files
        return self.store.assurance_add_survey(
            organisation_id, name[:200], Path(filename.replace("\\", "/")).name[:200], sha,
            table.columns, table.rows, self.caller.actor, self.caller.detail)

    def choices(self, survey: Survey) -> list[ColumnChoice]:
        mapped = {m["column"]: m for m in survey.mapping}
        out = []
        for i, column in enumerate(survey.columns):
            values = [r[i] for r in survey.rows if i < len(r)]
            samples = list(dict.fromkeys(v for v in values if v))[:SAMPLES]
            m = mapped.get(column)
            out.append(ColumnChoice(i, column, samples, m["question"] if m else column,
                                    m["kind"] if m else
                                    ("ignore" if survey.mapped else guess_kind(values))))
        return out

    def map(self, survey_id: int, mapping: Sequence[dict[str, str]]) -> Survey:
        survey = self.get(survey_id, "assurance.survey.map")
        if not self._may_change(survey.organisation_id):
            raise self._deny("assurance.survey.map", str(survey_id),
                             Forbidden(N_("Only the board's own editors can map its surveys.")),
                             "assurance_survey")
        tidy = check_mapping(survey.columns, mapping)
        self.store.assurance_set_survey_mapping(survey_id, tidy, self.caller.actor,
                                                self.caller.detail)
        return self.get(survey_id)

    def results(self, survey_id: int) -> tuple[Survey, list[QuestionResult]]:
        survey = self.get(survey_id)
        if not survey.mapped:
            raise StorfaError(N_("Map the survey's columns to questions first."))
        _, results = self._summarised(survey, lambda: survey)
        return survey, results

    def summary(self, survey_id: int) -> SurveySummary:
        """The results without reading the survey's rows when they were
        summarised before with the same mapping (a 5,000-row survey)."""
        head = self.head(survey_id)
        if not head.mapped:
            raise StorfaError(N_("Map the survey's columns to questions first."))

        def full() -> Survey:
            found = self.store.assurance_survey(survey_id)
            if found is None:  # removed between the two reads
                raise NotVisible(f"No survey with id {survey_id}.")
            return found

        respondents, results = self._summarised(head, full)
        return SurveySummary(head, respondents, results)

    def _summarised(self, survey: Survey, full: Callable[[], Survey]
                    ) -> tuple[int, list[QuestionResult]]:
        key = (survey.id, survey.sha256, json.dumps(survey.mapping, sort_keys=True))
        held = _SUMMARIES.setdefault(self.store, OrderedDict())
        if key in held:
            held.move_to_end(key)
            return held[key]
        whole = full()
        found = (len(whole.rows), summarise(whole.columns, whole.rows, whole.mapping))
        held[key] = found
        while len(held) > _HELD:
            held.popitem(last=False)
        return found

    def export_results(self, survey_id: int, fmt: str) -> bytes:
        """One row per answer option (and per free-text answer); audited."""
        from storfa.analysis.tables import table_bytes

        found = self.summary(survey_id)
        rows: list[list[Any]] = []
        for r in found.questions:
            rows.extend([r.question, r.kind, r.base, o.value, o.count, o.percent]
                        for o in r.options)
            rows.extend([r.question, r.kind, r.base, text, None, None] for text in r.texts)
        header = ["question", "kind", "base", "answer", "count", "percent"]
        key = (found.survey.id, found.survey.sha256, found.survey.mapping, found.survey.title)
        data = held_bytes(self.store, f"survey.{fmt}", key,
                          lambda: table_bytes(fmt, "survey", header, rows))
        self._audit("assurance.survey.export", "assurance_survey", str(found.survey.id),
                    format=fmt)
        return data
