"""Free-text answers of a practitioner survey coded with a codebook
(docs/assurance.md, "Coding free-text answers"), the way a self-evaluation's
are (assurance/answer_coding.py: the same codebooks, the same auto-coder
through CodingService.suggest, the same table and counts per code).

A survey's rows carry no id, so an answer is named by where it sits: the
survey, the respondent's row (1-based among the survey's rows, which never
change once imported) and the file's column. A column is free text when the
mapping says `text`; remapping it hides its codings without losing them.

Practitioners answer anonymously: an answer shows its row number and the
text of that one cell, never another column of the row (a role, a team, an
e-mail address a form tool added). Access is the survey's (SurveyService):
the board's editors and administrators code; whoever may see the survey's
results sees the codings. Every coding, withdrawal and request for
suggestions is audited, as are refusals.

Many respondents give the same short answer ("More staff", "N/A"). A coder
may code one answer and, as an explicit choice, every identical answer to
the same question (the same text once whitespace and case are folded) with
it: each of those codings is made and audited as a single coding is, all in
one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from storfa.assurance.answer_coding import (
    AnswerSuggestion,
    CodedSet,
    check_threshold,
    choose_code,
    suggest_codes,
)
from storfa.assurance.scope import Forbidden, NotVisible
from storfa.assurance.survey_service import SurveyService
from storfa.domain.assurance import AnswerCoding, Survey
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import MANUAL
from storfa.domain.errors import N_, StorfaError
from storfa.storage import repositories

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.assurance.scope import Caller
    from storfa.coding.autocode import CodingService

_OBJECT = "assurance_survey"


@dataclass(frozen=True)
class SurveyAnswer:
    """One respondent's answer to a free-text question: the row's cell."""

    survey_id: int
    row: int  # 1-based among the survey's rows
    column: str
    question: str
    text: str

    @property
    def key(self) -> tuple[int, str]:
        return self.row, self.column

    def as_json(self, names: Mapping[int, str] | None = None) -> dict[str, Any]:
        return {"survey_id": self.survey_id, "row": self.row, "column": self.column,
                "question": self.question, "text": self.text}


def same_text(text: str) -> str:
    """A text as compared for identical answers (and a column's name as
    looked up): whitespace runs made one space, case folded."""
    return " ".join(text.split()).casefold()


def identical_to(answers: Sequence[SurveyAnswer], answer: SurveyAnswer) -> list[SurveyAnswer]:
    """The other answers to `answer`'s question (its column) with the same
    text once whitespace and case are folded, in the answers' order."""
    key = _alike(answer)
    return [a for a in answers if _alike(a) == key and a.key != answer.key]


def _alike(answer: SurveyAnswer) -> tuple[str, str]:
    """What identical answers share: the question (column) and the folded text."""
    return answer.column, same_text(answer.text)


@dataclass(frozen=True)
class CodedSurvey(CodedSet[SurveyAnswer]):
    """A survey's free-text answers coded with one codebook."""

    survey: Survey

    @cached_property
    def _groups(self) -> dict[tuple[str, str], list[SurveyAnswer]]:
        # Grouped once: a page asks for each answer's identical answers.
        found: dict[tuple[str, str], list[SurveyAnswer]] = {}
        for a in self.answers:
            found.setdefault(_alike(a), []).append(a)
        return found

    def identical(self, answer: SurveyAnswer) -> list[SurveyAnswer]:
        """The other answers identical to `answer` (identical_to), of those shown."""
        return [a for a in self._groups.get(_alike(answer), []) if a.key != answer.key]

    def _answer_json(self, answer: SurveyAnswer, names: Mapping[int, str]) -> dict[str, Any]:
        return {**answer.as_json(names), "identical": len(self.identical(answer))}

    def as_json(self, names: Mapping[int, str] | None = None) -> dict[str, Any]:
        return {"survey_id": self.survey.id, **self._json(names or {})}


class SurveyCodingService:
    def __init__(self, surveys: SurveyService, coding: CodingService) -> None:
        self.surveys = surveys
        self.coding = coding
        self.data = repositories.answer_codings(surveys.store)

    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> SurveyCodingService:
        return cls(SurveyService.of(app, caller), app.coding)

    def may_code(self, survey: Survey) -> bool:
        return self.surveys._may_change(survey.organisation_id)

    def _book(self, codebook: str) -> Codebook:
        return self.coding.book(codebook)

    def _coder(self, survey_id: int, action: str) -> Survey:
        survey = self.surveys.get(survey_id, action)
        if not self.may_code(survey):
            raise self.surveys._deny(action, str(survey_id), Forbidden(
                N_("Only the editors of the board that ran the survey can code its answers.")),
                _OBJECT)
        return survey

    def _texts(self, survey: Survey, column: str = "") -> list[dict[str, str]]:
        """The mapping's free-text questions; `column` (a column or its
        question, any case) keeps one."""
        if not survey.mapped:
            raise StorfaError(N_("Map the survey's columns to questions first."))
        texts = [m for m in survey.mapping if m["kind"] == "text"]
        if column:
            wanted = same_text(column)
            texts = ([m for m in texts if m["column"].casefold() == wanted]
                     or [m for m in texts if m["question"].casefold() == wanted])
            if not texts:
                raise NotVisible(N_("The survey has no free-text question {column!r}."),
                                 column=column)
        return texts

    def answers(self, survey_id: int, column: str = "") -> tuple[Survey, list[SurveyAnswer]]:
        """The survey's non-empty free-text answers, in the mapping's order of
        questions and then by row; `column` (a column or its question) keeps one."""
        survey = self.surveys.get(survey_id)
        return survey, self._answers(survey, column)

    def _answers(self, survey: Survey, column: str) -> list[SurveyAnswer]:
        index = {c: i for i, c in enumerate(survey.columns)}
        out: list[SurveyAnswer] = []
        for m in self._texts(survey, column):
            i = index[m["column"]]
            out.extend(SurveyAnswer(survey.id, n, m["column"], m["question"], text)
                       for n, cells in enumerate(survey.rows, start=1)
                       if i < len(cells) and (text := cells[i].strip()))
        return out

    def answer(self, survey: Survey, row: int, column: str) -> SurveyAnswer:
        """One respondent's answer in a free-text column (NotVisible if none)."""
        m = self._texts(survey, column)[0] if column else None
        cells = survey.rows[row - 1] if 1 <= row <= len(survey.rows) else []
        i = survey.columns.index(m["column"]) if m else len(cells)
        text = cells[i].strip() if i < len(cells) else ""
        if m is None or not text:
            raise NotVisible(N_("Row {row} has no free-text answer in column {column!r}."),
                             row=row, column=column)
        return SurveyAnswer(survey.id, row, m["column"], m["question"], text)

    def coded(self, survey_id: int, codebook: str, column: str = "") -> CodedSurvey:
        book = self._book(codebook)
        survey, answers = self.answers(survey_id, column)
        codings = self.data.current_survey(survey.id, book.name)
        return CodedSurvey(book.name, book, answers, codings, survey)

    def suggest(self, survey_id: int, codebook: str, threshold: float | None = None,
                column: str = "", limit: int | None = None
                ) -> list[AnswerSuggestion[SurveyAnswer]]:
        """Auto-coding suggestions, without storing them, at most one an answer
        and never a code it has: for every answer (of one column, if given),
        or with `limit` for the first `limit` answers not coded at all, a
        batch at a time (the coder reads a few hundred answers a second)."""
        check_threshold(threshold)
        if limit is not None and limit < 1:
            raise StorfaError(N_("The limit is at least 1 (got {limit})."), limit=limit)
        survey = self._coder(survey_id, "assurance.survey.code.suggest")
        book = self._book(codebook)
        answers = self._answers(survey, column)
        done = self.data.current_survey(survey.id, book.name)
        if limit is not None:
            coded = {c.key for c in done}
            answers = [a for a in answers if a.key not in coded][:limit]
        out = suggest_codes(self.coding, book, f"survey {survey.id}", answers, done, threshold)
        self.surveys._audit("assurance.survey.code.suggest", _OBJECT, str(survey.id),
                            codebook=book.name, column=column or None, answers=len(answers),
                            suggestions=len(out))
        return out

    def code(self, survey_id: int, row: int, column: str, codebook: str, code: str,
             how: str = MANUAL, confidence: float | None = None) -> AnswerCoding:
        """Code one respondent's answer in a free-text column by hand
        (how=manual), or accept a suggestion (model or term, with its confidence)."""
        return self._code(survey_id, row, column, codebook, code, how, confidence, False)[0]

    def code_identical(self, survey_id: int, row: int, column: str, codebook: str, code: str,
                       how: str = MANUAL, confidence: float | None = None
                       ) -> list[AnswerCoding]:
        """Code the answer as `code` does and, with it, every identical answer
        to the same question (identical_to): the answer's coding first, then
        theirs in row order. An answer that has the code already keeps its coding."""
        return self._code(survey_id, row, column, codebook, code, how, confidence, True)

    def _code(self, survey_id: int, row: int, column: str, codebook: str, code: str,
              how: str, confidence: float | None, identical: bool) -> list[AnswerCoding]:
        survey = self._coder(survey_id, "assurance.survey.code")
        book = self._book(codebook)
        chosen = choose_code(book, code, how)
        a = self.answer(survey, row, column)
        alike = identical_to(self._answers(survey, a.column), a) if identical else []
        caller = self.surveys.caller
        # Each coding's audit event names its own answer (the store adds it);
        # coded with the identical answers, each also names the answer the
        # coder chose and how many were identical to it.
        audit = ({**caller.detail, "with_identical": {"row": a.row, "answers": len(alike)}}
                 if identical else caller.detail)
        return self.data.add_survey_many(
            survey.id, [(b.row, b.column, b.text) for b in [a, *alike]], book.name,
            chosen.name, chosen.theme, how, confidence if how != MANUAL else None,
            caller.actor, audit)

    def uncode(self, survey_id: int, coding_id: int) -> None:
        survey = self._coder(survey_id, "assurance.survey.uncode")
        found = self.data.get(coding_id)
        if found is None or found.survey_id != survey.id:
            raise NotVisible(N_("There is no coding {id} to remove."), id=coding_id)
        caller = self.surveys.caller
        self.data.remove(coding_id, caller.actor, caller.detail)
