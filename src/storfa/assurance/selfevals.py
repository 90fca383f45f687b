"""Self-evaluations: the design (sections and questions), the built-in
templates, checking an answer, and the results (pure; docs/assurance.md).

A board designs sections of questions — yes/no, a scale, a choice, free
text, an evidence upload — and each section has a self-score on the
assurance grade scale. Results count each answer among the submitted
returns that answered the question (the base), so percentages are of
agencies that answered, as in the survey results."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from storfa.assurance.surveys import Option, percent
from storfa.domain.assurance import (
    GRADES,
    SCALE,
    SelfEval,
    SQuestion,
    SReturn,
    SSection,
    parse_grade,
)
from storfa.domain.errors import N_, StorfaError

KINDS = ("yesno", "scale", "choice", "text", "evidence")
YES, NO = "yes", "no"
DEFAULT_SCALE = ("1", "2", "3", "4", "5")
SCORE = "score:"  # answer key prefix of a section's self-score
MAX_ANSWER = 20_000
MAX_QUESTIONS = 300


# ------------------------------------------------------------------ design
def _words(text: Any, limit: int, what: str) -> str:
    out = " ".join(str(text or "").split())
    if len(out) > limit:
        raise StorfaError(f"{what} is over {limit} characters.")
    return out


def build_design(raw: Sequence[Mapping[str, Any]]) -> tuple[SSection, ...]:
    """Sections from plain data (a template, an uploaded JSON design, a form),
    keyed s1, s1q1, … in order; a problem names the section and question."""
    sections = []
    count = 0
    for i, sec in enumerate(raw, start=1):
        title = _words(sec.get("title"), 200, f"Section {i}'s title")
        if not title:
            raise StorfaError(f"Section {i} has no title.")
        questions = []
        for j, q in enumerate(sec.get("questions") or [], start=1):
            where = f"Section {i} ({title}), question {j}"
            text = _words(q.get("text"), 1000, where)
            kind = str(q.get("kind") or "").strip().casefold().replace("/", "")
            if not text:
                raise StorfaError(f"{where} has no text.")
            if kind not in KINDS:
                raise StorfaError(f"{where}: the kind is one of {', '.join(KINDS)} "
                                  f"(got {q.get('kind')!r}).")
            options = tuple(dict.fromkeys(_words(o, 200, f"{where}'s option")
                                          for o in q.get("options") or [] if str(o).strip()))
            if kind == "choice" and len(options) < 2:
                raise StorfaError(f"{where}: a choice needs at least two options.")
            if kind == "scale" and not options:
                options = DEFAULT_SCALE
            if kind in ("yesno", "text", "evidence"):
                options = ()
            questions.append(SQuestion(f"s{i}q{j}", text, kind, options))
            count += 1
        sections.append(SSection(f"s{i}", title, _words(sec.get("theme"), 80, "A theme")
                                 or title.casefold(), tuple(questions)))
    if not sections:
        raise StorfaError(N_("A self-evaluation needs at least one section."))
    if count > MAX_QUESTIONS:
        raise StorfaError(f"A self-evaluation has at most {MAX_QUESTIONS} questions.")
    return tuple(sections)


@cache
def _templates() -> dict[str, Any]:
    text = resources.files("storfa.assurance").joinpath(
        "data", "selfeval_templates.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def templates() -> dict[str, tuple[str, str]]:
    """Template key → (title, where its shape comes from)."""
    return {k: (t["title"], t["source"]) for k, t in _templates().items()}


def template(key: str) -> tuple[str, tuple[SSection, ...]]:
    found = _templates().get(key.strip().casefold())
    if found is None:
        raise StorfaError(f"There is no template {key!r}; the templates are "
                          f"{', '.join(_templates())}.")
    return found["title"], build_design(found["sections"])


# ------------------------------------------------------------------ answers
def check_answer(question: SQuestion, value: str | None) -> str:
    """The answer as stored ('' for no answer yet); refused with the allowed values."""
    text = (value or "").strip()
    if not text:
        return ""
    if question.kind == "yesno":
        folded = text.casefold()
        if folded in ("yes", "y", "true", "1", "ie", "do"):
            return YES
        if folded in ("no", "n", "false", "0", "na", "naddo"):
            return NO
        raise StorfaError(f"{question.text!r} is answered yes or no (got {text!r}).")
    if question.kind in ("scale", "choice"):
        for o in question.options:
            if text.casefold() == o.casefold():
                return o
        raise StorfaError(f"{question.text!r} is answered with one of "
                          f"{', '.join(question.options)} (got {text!r}).")
    if question.kind == "evidence":
        raise StorfaError(f"{question.text!r} is answered with a file.")
    if len(text) > MAX_ANSWER:
        raise StorfaError(f"The answer to {question.text!r} is over {MAX_ANSWER:,} characters.")
    return text


def check_score(value: str | None) -> str:
    return parse_grade(value) or ""


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class SQuestionResult:
    section: str
    key: str
    text: str
    kind: str
    base: int  # submitted returns that answered
    options: list[Option] = field(default_factory=list)
    mean: float | None = None
    texts: list[tuple[int, str]] = field(default_factory=list)  # (agency, text)

    def as_json(self, names: Mapping[int, str]) -> dict[str, Any]:
        return {"section": self.section, "key": self.key, "question": self.text,
                "kind": self.kind, "base": self.base, "mean": self.mean,
                "options": [{"value": o.value, "count": o.count, "percent": o.percent}
                            for o in self.options],
                "texts": [{"organisation": names.get(o, str(o)), "text": t}
                          for o, t in self.texts]}


@dataclass(frozen=True)
class SelfEvalResults:
    selfeval: SelfEval
    returns: list[SReturn]
    questions: list[SQuestionResult]
    scores: dict[str, dict[int, str]]  # section key → agency → grade
    score_counts: dict[str, dict[str, int]]  # section key → grade → agencies

    @property
    def submitted(self) -> list[SReturn]:
        return [r for r in self.returns if r.status == "submitted"]

    @property
    def not_returned(self) -> list[SReturn]:
        return [r for r in self.returns if r.status != "submitted"]

    def mean_score(self, section: str) -> float | None:
        points = [GRADES[g].points for g in self.scores.get(section, {}).values()]
        return round(sum(points) / len(points), 2) if points else None

    def as_json(self, names: Mapping[int, str]) -> dict[str, Any]:
        s = self.selfeval
        return {"id": s.id, "title": s.title, "status": s.status,
                "sent_to": len(self.returns), "submitted": len(self.submitted),
                "not_returned": [names.get(r.organisation_id, str(r.organisation_id))
                                 for r in self.not_returned],
                "questions": [q.as_json(names) for q in self.questions],
                "sections": [{"key": sec.key, "title": sec.title, "theme": sec.theme,
                              "scores": {names.get(o, str(o)): g for o, g in
                                         self.scores.get(sec.key, {}).items()},
                              "counts": self.score_counts.get(sec.key, {}),
                              "mean_points": self.mean_score(sec.key)}
                             for sec in s.sections]}


def results(selfeval: SelfEval, returns: Sequence[SReturn],
            answers: Mapping[int, Mapping[str, str]],
            files: Mapping[int, set[str]]) -> SelfEvalResults:
    """Over submitted returns only: `answers` return id → question key → value,
    `files` return id → question keys with an evidence file."""
    submitted = [r for r in returns if r.status == "submitted"]
    out = []
    for sec in selfeval.sections:
        for q in sec.questions:
            if q.kind == "evidence":
                have = sum(1 for r in submitted if q.key in files.get(r.id, set()))
                out.append(SQuestionResult(sec.key, q.key, q.text, q.kind, len(submitted), [
                    Option("with a file", have, percent(have, len(submitted))),
                    Option("without", len(submitted) - have,
                           percent(len(submitted) - have, len(submitted)))]))
                continue
            given = [(r.organisation_id, answers.get(r.id, {}).get(q.key, ""))
                     for r in submitted]
            given = [(o, v) for o, v in given if v]
            base = len(given)
            if q.kind == "text":
                out.append(SQuestionResult(sec.key, q.key, q.text, q.kind, base, texts=given))
                continue
            counts = Counter(v for _, v in given)
            values = [YES, NO] if q.kind == "yesno" else list(q.options)
            options = [Option(v, counts.get(v, 0), percent(counts.get(v, 0), base))
                       for v in values]
            mean = None
            if q.kind == "scale" and given and all(re.fullmatch(r"-?\d+(\.\d+)?", v)
                                                   for _, v in given):
                mean = round(sum(float(v) for _, v in given) / base, 2)
            out.append(SQuestionResult(sec.key, q.key, q.text, q.kind, base, options, mean))
    scores: dict[str, dict[int, str]] = {}
    for r in submitted:
        for sec in selfeval.sections:
            grade = answers.get(r.id, {}).get(SCORE + sec.key, "")
            if grade in GRADES:
                scores.setdefault(sec.key, {})[r.organisation_id] = grade
    score_counts = {sec.key: {g.key: sum(1 for v in scores.get(sec.key, {}).values() if v == g.key)
                        for g in SCALE} for sec in selfeval.sections}
    return SelfEvalResults(selfeval, list(returns), out, scores, score_counts)
