"""Multi-agency case-file audits: types and the pure sums (docs/assurance.md).

A board lists cases by reference, assigns each to agencies, and each
agency's auditor grades every audit question on the four-point scale with a
comment. Results are distributions of grades per question, per agency and
per theme (counts and percentages of the grades given: the base), and the
disagreements: the same question of the same case graded differently by
two or more agencies. No SQL, no web here."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storfa.assurance.surveys import percent
from storfa.domain.assurance import GRADES, SCALE, Audit, AuditCase, AuditGrade, Question
from storfa.domain.errors import N_, StorfaError

MAX_QUESTIONS = 100
# The audit's questions when the board gives none: the shape of the case-file
# audits in the Warwickshire core safeguarding thematic review (2022).
DEFAULT_QUESTIONS = (
    ("Was the risk to the child or adult identified and assessed?", "risk assessment"),
    ("Was information shared with partner agencies when it should have been?",
     "information sharing"),
    ("Was the voice of the child or adult heard and recorded?", "voice of the person"),
    ("Was the practitioner supervised, and did supervision challenge the plan?", "supervision"),
    ("Did practice reflect learning from reviews?", "learning from reviews"),
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "q"


def make_questions(items: Iterable[tuple[str, str]]) -> list[Question]:
    """Questions from (text, theme) pairs, each keyed q1, q2, … so a key never
    changes when a question's wording is corrected."""
    out: list[Question] = []
    for i, (text, theme) in enumerate(items, start=1):
        words = " ".join((text or "").split())
        if not words:
            continue
        if len(words) > 500:
            raise StorfaError(f"Question {i} is over 500 characters.")
        out.append(Question(f"q{len(out) + 1}", words, " ".join((theme or "").split())[:80]
                            or "general"))
    if not out:
        raise StorfaError(N_("An audit needs at least one question."))
    if len(out) > MAX_QUESTIONS:
        raise StorfaError(f"An audit has at most {MAX_QUESTIONS} questions.")
    return out


def parse_question(text: str) -> tuple[str, str]:
    """'THEME | question' or just 'question' (theme general), as typed."""
    theme, sep, question = text.partition("|")
    return (question.strip(), theme.strip()) if sep else (text.strip(), "general")


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class Distribution:
    """Grades given, by grade, with the percentage of `base` (grades given)."""

    counts: dict[str, int]
    base: int

    @property
    def percents(self) -> dict[str, float]:
        return {g: percent(n, self.base) for g, n in self.counts.items()}

    @property
    def positive(self) -> float:
        """Share graded good or outstanding, in per cent of the base."""
        return percent(self.counts["outstanding"] + self.counts["good"], self.base)

    def as_json(self) -> dict[str, Any]:
        return {"base": self.base, "counts": self.counts, "percents": self.percents,
                "good_or_better": self.positive}


def distribution(grades: Iterable[str]) -> Distribution:
    counted = Counter(g for g in grades if g in GRADES)
    return Distribution({g.key: counted.get(g.key, 0) for g in SCALE}, sum(counted.values()))


@dataclass(frozen=True)
class Disagreement:
    """One question of one case graded differently by agencies."""

    case_id: int
    reference: str
    question_key: str
    grades: dict[int, str]  # organisation id → grade

    @property
    def spread(self) -> int:
        """Points between the highest and lowest grade (1 = neighbouring grades)."""
        points = [GRADES[g].points for g in self.grades.values()]
        return max(points) - min(points)


@dataclass(frozen=True)
class AuditResults:
    audit: Audit
    cases: list[AuditCase]
    by_question: dict[str, Distribution]
    by_agency: dict[int, Distribution]
    by_theme: dict[str, Distribution]
    overall: Distribution
    disagreements: list[Disagreement]
    outstanding_returns: list[tuple[str, int]] = field(default_factory=list)  # (case, agency)

    def as_json(self, names: dict[int, str]) -> dict[str, Any]:
        return {
            "audit": {"id": self.audit.id, "title": self.audit.title,
                      "status": self.audit.status},
            "scale": [g.key for g in SCALE],
            "overall": self.overall.as_json(),
            "questions": [{**q.as_json(), **self.by_question[q.key].as_json()}
                          for q in self.audit.questions],
            "agencies": [{"organisation_id": o, "organisation": names.get(o, str(o)),
                          **d.as_json()} for o, d in self.by_agency.items()],
            "themes": [{"theme": t, **d.as_json()} for t, d in self.by_theme.items()],
            "disagreements": [{"case_id": d.case_id, "reference": d.reference,
                               "question": d.question_key, "spread": d.spread,
                               "grades": {names.get(o, str(o)): g
                                          for o, g in d.grades.items()}}
                              for d in self.disagreements],
            "not_returned": [{"reference": r, "organisation": names.get(o, str(o))}
                             for r, o in self.outstanding_returns]}


def results(audit: Audit, cases: Sequence[AuditCase],
            grades: Sequence[AuditGrade]) -> AuditResults:
    """Distributions and disagreements from the current grades (pure)."""
    themes = {q.key: q.theme for q in audit.questions}
    keys = [q.key for q in audit.questions]
    graded = [g for g in grades if g.question_key in themes]
    by_agency_ids = sorted({o for c in cases for o in c.agencies}
                           | {g.organisation_id for g in graded})
    by_theme: dict[str, Distribution] = {}
    for theme in dict.fromkeys(q.theme for q in audit.questions):
        by_theme[theme] = distribution(g.grade for g in graded
                                       if themes[g.question_key] == theme)
    refs = {c.id: c.reference for c in cases}
    per_item: dict[tuple[int, str], dict[int, str]] = {}
    for g in graded:
        per_item.setdefault((g.case_id, g.question_key), {})[g.organisation_id] = g.grade
    disagreements = [Disagreement(case, refs.get(case, str(case)), key, dict(sorted(found.items())))
                     for (case, key), found in per_item.items()
                     if len(set(found.values())) > 1]
    disagreements.sort(key=lambda d: (-d.spread, d.reference, keys.index(d.question_key)))
    done = {(g.case_id, g.organisation_id) for g in graded}
    missing = [(c.reference, o) for c in cases for o in c.agencies if (c.id, o) not in done]
    return AuditResults(
        audit, list(cases),
        {k: distribution(g.grade for g in graded if g.question_key == k) for k in keys},
        {o: distribution(g.grade for g in graded if g.organisation_id == o)
         for o in by_agency_ids},
        by_theme, distribution(g.grade for g in graded), disagreements, missing)
