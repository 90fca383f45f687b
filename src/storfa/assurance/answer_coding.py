"""Free-text answers of a self-evaluation coded with a codebook
(docs/assurance.md, "Coding free-text answers"), and what coding any
free-text answer shares (survey answers: assurance/survey_coding.py), through the coding layer
the reviews use: the same codebooks (stored copies and built-ins), and
auto-coding suggestions from the same coder (CodingService.suggest), which
reads the answers as the passages of one document, one passage an answer.

A board's editors code its agencies' submitted answers, by hand or by
accepting a suggestion; suggestions are worked out when asked for and not
stored, so only what a person chose is kept. Who sees what follows the
self-evaluation's results (SelfEvalService.results): the board sees its
agencies' answers, an agency before publication only its own. Every coding
and withdrawal is audited, as is asking for suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from storfa.assurance.scope import Forbidden, NotVisible
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.domain.assurance import SE_OBJECT, AnswerCoding, SelfEval
from storfa.domain.codebooks import Code, Codebook
from storfa.domain.coding import MANUAL, MODEL, TERM, NewExtract
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import Passage
from storfa.storage import repositories

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.assurance.scope import Caller
    from storfa.coding.autocode import CodingService

# Answers are joined into one document for the coder with a blank line between.
_GAP = "\n\n"


class Coded(Protocol):
    """What a coded free-text answer is, wherever it was given: a key naming
    it within its self-evaluation or survey, the question, the text."""

    @property
    def key(self) -> tuple[int, str]: ...
    @property
    def question(self) -> str: ...
    @property
    def text(self) -> str: ...
    def as_json(self, names: Mapping[int, str]) -> dict[str, Any]: ...


A = TypeVar("A", bound=Coded)


@dataclass(frozen=True)
class Answer:
    """A submitted free-text answer: a return's answer to a question."""

    return_id: int
    organisation_id: int
    question_key: str
    question: str
    text: str

    @property
    def key(self) -> tuple[int, str]:
        return self.return_id, self.question_key

    def as_json(self, names: Mapping[int, str]) -> dict[str, Any]:
        return {"return_id": self.return_id,
                "organisation": names.get(self.organisation_id, str(self.organisation_id)),
                "question_key": self.question_key, "question": self.question,
                "text": self.text}


@dataclass(frozen=True)
class AnswerSuggestion(Generic[A]):
    answer: A
    code: str
    theme: str
    how: str  # model or term
    confidence: float | None

    def as_json(self, names: Mapping[int, str]) -> dict[str, Any]:
        return {**self.answer.as_json(names), "code": self.code, "theme": self.theme,
                "source": self.how,
                "confidence": None if self.confidence is None else round(self.confidence, 4)}


@dataclass(frozen=True)
class CodeCount(Generic[A]):
    code: str
    theme: str
    answers: list[tuple[AnswerCoding, A]]

    @property
    def count(self) -> int:
        return len(self.answers)


@dataclass(frozen=True)
class CodedSet(Generic[A]):
    """Free-text answers coded with one codebook: per code, how many answers
    and which; and the answers not coded yet. A coding of an answer no longer
    shown (a reopened return's, a survey column mapped otherwise) is left out."""

    codebook: str
    book: Codebook  # its themes and the codes a person may choose (Codebook.codable)
    answers: list[A]
    codings: list[AnswerCoding]

    @property
    def by_code(self) -> list[CodeCount[A]]:
        """Codes with at least one answer, most answers first."""
        answer = {a.key: a for a in self.answers}
        found: dict[str, CodeCount[A]] = {}
        for c in self.codings:
            a = answer.get(c.key)
            if a is not None:
                found.setdefault(c.code, CodeCount(c.code, c.theme, [])).answers.append((c, a))
        return sorted(found.values(), key=lambda n: (-n.count, n.code.casefold()))

    @property
    def uncoded(self) -> list[A]:
        coded = {c.key for c in self.codings}
        return [a for a in self.answers if a.key not in coded]

    @cached_property
    def _by_key(self) -> dict[tuple[int, str], list[AnswerCoding]]:
        found: dict[tuple[int, str], list[AnswerCoding]] = {}
        for c in self.codings:
            found.setdefault(c.key, []).append(c)
        return found

    def codes_of(self, answer: A) -> list[AnswerCoding]:
        return self._by_key.get(answer.key, [])

    def with_code(self, code: str) -> list[A]:
        """The answers coded with `code`, in the answers' order."""
        return [a for a in self.answers if any(c.code == code for c in self.codes_of(a))]

    def _answer_json(self, answer: A, names: Mapping[int, str]) -> dict[str, Any]:
        """One answer as the JSON lists it (a kind of set may say more of it)."""
        return answer.as_json(names)

    def _json(self, names: Mapping[int, str]) -> dict[str, Any]:
        uncoded = self.uncoded
        return {"codebook": self.codebook,
                "answers": len(self.answers), "coded": len(self.answers) - len(uncoded),
                "codes": [{"code": n.code, "theme": n.theme, "count": n.count,
                           "answers": [{**self._answer_json(a, names), "coding": c.as_json()}
                                       for c, a in n.answers]} for n in self.by_code],
                "uncoded": [self._answer_json(a, names) for a in uncoded]}


@dataclass(frozen=True)
class CodedAnswers(CodedSet[Answer]):
    """A self-evaluation's free-text answers coded with one codebook."""

    selfeval: SelfEval

    def as_json(self, names: Mapping[int, str]) -> dict[str, Any]:
        return {"selfeval_id": self.selfeval.id, **self._json(names)}


# ------------------------------------------------------------ shared rules
def check_threshold(threshold: float | None) -> None:
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise StorfaError(N_("The threshold must be between 0 and 1 (got {threshold})."),
                          threshold=threshold)


def choose_code(book: Codebook, code: str, how: str) -> Code:
    """The codebook's code a person may give an answer, made `how` (manual,
    or an accepted suggestion's model or term)."""
    if how not in (MANUAL, MODEL, TERM):
        raise StorfaError(N_("A coding is manual, model or term (got {how!r})."), how=how)
    chosen = book.code(code)
    if chosen.retired:
        raise StorfaError(N_("The code '{code}' is retired."), code=chosen.name)
    return chosen


def suggest_codes(coding: CodingService, book: Codebook, document: str, answers: Sequence[A],
                  done: Sequence[AnswerCoding], threshold: float | None
                  ) -> list[AnswerSuggestion[A]]:
    """The reviews' auto-coder over the answers, read as the passages of one
    document (one passage an answer): at most one suggestion an answer, its
    best code, leaving out a code the answer already has."""
    if not answers:
        return []
    passages: list[Passage] = []
    at = 0
    for i, a in enumerate(answers):
        passages.append(Passage(i, 1, a.question, "paragraph", a.text, at, at + len(a.text)))
        at += len(a.text) + len(_GAP)
    text = _GAP.join(a.text for a in answers)
    found: list[NewExtract] = [s.extract for s in coding.suggest(
        book, document, 0, 0, passages, text, threshold).suggestions]
    seq = {p.start: p.seq for p in passages}
    had = {(c.key, c.code) for c in done}
    out = []
    for e in found:
        a = answers[seq[e.start]]
        if (a.key, e.code) not in had:
            out.append(AnswerSuggestion(a, e.code, e.theme or "", e.how, e.confidence))
    return out


class AnswerCodingService:
    def __init__(self, selfevals: SelfEvalService, coding: CodingService) -> None:
        self.selfevals = selfevals
        self.coding = coding
        self.data = repositories.answer_codings(selfevals.store)

    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> AnswerCodingService:
        return cls(SelfEvalService.of(app, caller), app.coding)

    def names(self) -> dict[int, str]:
        return self.selfevals.names()

    def _book(self, codebook: str) -> Codebook:
        return self.coding.book(codebook)

    def _coder(self, selfeval_id: int, action: str) -> SelfEval:
        s = self.selfevals
        se = s.get(selfeval_id, action)
        if not s.may_manage(se):
            raise s._deny(action, str(selfeval_id), Forbidden(
                N_("Only the editors of the board that runs the self-evaluation can code "
                   "its answers.")), SE_OBJECT)
        return se

    def answers(self, selfeval_id: int) -> tuple[SelfEval, list[Answer]]:
        """The submitted free-text answers the caller may see, in the order of
        the questions and then of the returns."""
        found = self.selfevals.results(selfeval_id)
        se = found.selfeval
        submitted = found.submitted
        given = self.selfevals.data.answers([r.id for r in submitted])
        out: list[Answer] = []
        for sec in se.sections:
            for q in sec.questions:
                if q.kind != "text":
                    continue
                out.extend(Answer(r.id, r.organisation_id, q.key, q.text, text)
                           for r in submitted if (text := given[r.id].get(q.key, "")))
        return se, out

    def coded(self, selfeval_id: int, codebook: str) -> CodedAnswers:
        book = self._book(codebook)
        se, answers = self.answers(selfeval_id)
        codings = self.data.current(sorted({a.return_id for a in answers}), book.name)
        return CodedAnswers(book.name, book, answers, codings, se)

    def _answer(self, answers: list[Answer], return_id: int, question_key: str) -> Answer:
        for a in answers:
            if a.key == (return_id, question_key):
                return a
        raise NotVisible(N_("Return {id} has no submitted free-text answer to question "
                            "{key!r}."), id=return_id, key=question_key)

    def suggest(self, selfeval_id: int, codebook: str,
                threshold: float | None = None) -> list[AnswerSuggestion[Answer]]:
        """Auto-coding suggestions for the answers not yet coded with the
        suggested code, at most one an answer (its best code), without storing them."""
        check_threshold(threshold)
        self._coder(selfeval_id, "assurance.selfeval.code.suggest")
        book = self._book(codebook)
        se, answers = self.answers(selfeval_id)
        done = self.data.current(sorted({a.return_id for a in answers}), book.name)
        out = suggest_codes(self.coding, book, f"self-evaluation {se.id}", answers, done,
                            threshold)
        self.selfevals._audit("assurance.selfeval.code.suggest", SE_OBJECT, str(se.id),
                              codebook=book.name, answers=len(answers), suggestions=len(out))
        return out

    def code(self, selfeval_id: int, return_id: int, question_key: str, codebook: str,
             code: str, how: str = MANUAL, confidence: float | None = None) -> AnswerCoding:
        """Code one answer by hand (how=manual), or accept a suggestion (model
        or term, with its confidence)."""
        se = self._coder(selfeval_id, "assurance.selfeval.code")
        book = self._book(codebook)
        chosen = choose_code(book, code, how)
        _, answers = self.answers(se.id)
        a = self._answer(answers, return_id, question_key)
        caller = self.selfevals.caller
        return self.data.add(a.return_id, a.question_key, book.name, chosen.name, chosen.theme,
                             how, confidence if how != MANUAL else None, a.text, caller.actor,
                             {**caller.detail, "selfeval_id": se.id})

    def uncode(self, selfeval_id: int, coding_id: int) -> None:
        se = self._coder(selfeval_id, "assurance.selfeval.uncode")
        found = self.data.get(coding_id)
        if found is None or found.return_id not in {
                r.id for r in self.selfevals.data.returns(selfeval_id=se.id)}:
            raise NotVisible(N_("There is no coding {id} to remove."), id=coding_id)
        caller = self.selfevals.caller
        self.data.remove(coding_id, caller.actor, {**caller.detail, "selfeval_id": se.id})
