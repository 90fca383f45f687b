"""Triangulation (docs/assurance.md): for one theme, what each source of
evidence says, side by side — agencies' self-evaluations, case-file audits,
the practitioner survey, and what published reviews in the repository found
(coded extracts and recommendations on the theme, with links) — and a flag
where the sources disagree.

Each assurance source is reduced to one comparable figure, the share of
positive answers on the theme: "yes" and a self-score of good or better in
self-evaluations; good or outstanding in audits; "yes", "agree" or the top of
a numeric scale in the survey. Two sources whose shares are
DISAGREEMENT_POINTS or more apart are flagged (e.g. 70% of agencies say they
disseminate 7-minute briefings, 20% of practitioners know of them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from storfa.assurance import access
from storfa.assurance.audit_service import CaseAuditService
from storfa.assurance.drafting import MAX_CHARS, SOURCES, draft, lines, theme_name
from storfa.assurance.scope import Caller, Forbidden, Scoped
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.selfevals import NO, YES
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.surveys import QuestionResult, percent, yes_no
from storfa.domain.assurance import SavedNote
from storfa.domain.errors import N_, StorfaError
from storfa.storage import repositories
from storfa.storage.repositories import TriangulationNotes

if TYPE_CHECKING:
    from storfa.app import Storfa

DISAGREEMENT_POINTS = 30.0
# A disagreement flag, with the two sources' names (SOURCES) and shares.
FLAG = N_("{first}: {x:g}% positive, but {second}: {y:g}%.")
# Each finding as a sentence around the board's own words: the question (or
# a section's title) quoted, the exercise it was asked in, and the count
# spelt out with what it counts, so "2/3" is never glued to a question.
SAID_YES = N_("{positive} of {base} agencies answered yes to ‘{question}’ ({asked_in})")
SELF_SCORED = N_("{positive} of {base} agencies scored themselves good or better on "
                 "‘{question}’ ({asked_in})")
GRADED_WELL = N_("{positive} of {base} grades for ‘{question}’ were good or outstanding "
                 "({asked_in})")
SURVEYED = N_("{positive} of {base} respondents gave a positive answer to ‘{question}’ "
              "({asked_in})")
SPREAD = N_("Answers to ‘{question}’ ({asked_in}): {spread}")
# What a source's base counts: "160 answers from 80 respondents to 2 questions".
BASE_FROM = N_("{answers} from {people} to {questions}")
BASE_FOR = N_("{answers} for {questions}")  # an audit's grades: cases, not people
ANSWERS = (N_("{n} answer"), N_("{n} answers"))
GRADES = (N_("{n} grade"), N_("{n} grades"))
QUESTIONS = (N_("{n} question"), N_("{n} questions"))
# Who answered, per source (audits grade cases, so they have no respondents).
PEOPLE = {"selfeval": (N_("{n} agency"), N_("{n} agencies")),
          "survey": (N_("{n} respondent"), N_("{n} respondents"))}
POSITIVE = {"yes", "y", "agree", "strongly agree", "always", "often", "ie", "cytuno"}
MAX_EXTRACTS, MAX_RECOMMENDATIONS = 12, 12


def counted(n: int, forms: tuple[str, str], gettext: Callable[[str], str]) -> str:
    """A number with its noun, singular or plural ("1 answer", "2 answers")."""
    return gettext(forms[0] if n == 1 else forms[1]).format(n=n)


@dataclass(frozen=True)
class Finding:
    """One line of evidence: what was asked and what came back. `question`
    and `asked_in` are the board's own words (a question or section title,
    the exercise's title) and stay as typed; `wording` is an N_-marked
    sentence around them, shown in the page's language."""

    question: str
    asked_in: str
    positive: int | None = None  # positive answers (None: not a yes/no kind of answer)
    base: int = 0
    wording: str = SPREAD
    spread: tuple[tuple[str, int], ...] = ()  # each answer and its count, when not counted
    counts: str = ""  # what the base counts: agencies, grades or respondents

    @property
    def text(self) -> str:
        """In English (the API and the CLI)."""
        return self.translated(str)

    def translated(self, gettext: Callable[[str], str]) -> str:
        spread = "; ".join(f"{value}: {n}" for value, n in self.spread)
        return gettext(self.wording).format(
            question=self.question, asked_in=self.asked_in, positive=self.positive,
            base=self.base, spread=spread)

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "question": self.question, "asked_in": self.asked_in,
                "positive": self.positive, "base": self.base,
                "base_counts": self.counts or None,
                "percent": percent(self.positive, self.base)
                if self.positive is not None else None,
                "spread": [{"value": v, "count": n} for v, n in self.spread]}


@dataclass
class Source:
    key: str  # selfeval, audit, survey
    label: str
    findings: list[Finding] = field(default_factory=list)
    # The agencies (self-evaluation returns) or survey respondents who gave
    # the counted answers; None for audits, which grade cases.
    respondents: int | None = None

    @property
    def counted(self) -> list[Finding]:
        return [f for f in self.findings if f.positive is not None]

    @property
    def base(self) -> int:
        """Yes/no-like answers on the theme: one per question per respondent,
        so 2 questions put to 80 respondents make 160."""
        return sum(f.base for f in self.counted)

    @property
    def positive(self) -> int:
        return sum(f.positive or 0 for f in self.counted)

    @property
    def share(self) -> float | None:
        """Positive answers in per cent of all yes/no-like answers on the theme."""
        base = self.base
        return percent(self.positive, base) if base else None

    def base_text(self, gettext: Callable[[str], str] = str) -> str:
        """What the base counts, e.g. "160 answers from 80 respondents to 2
        questions" or "26 grades for 2 questions"; empty when nothing was counted."""
        if not self.base:
            return ""
        questions = counted(len(self.counted), QUESTIONS, gettext)
        if self.respondents is None or self.key not in PEOPLE:
            grades = counted(self.base, GRADES if self.key == "audit" else ANSWERS, gettext)
            return gettext(BASE_FOR).format(answers=grades, questions=questions)
        answers = counted(self.base, ANSWERS, gettext)
        people = counted(self.respondents, PEOPLE[self.key], gettext)
        return gettext(BASE_FROM).format(answers=answers, people=people, questions=questions)

    def as_json(self) -> dict[str, Any]:
        return {"source": self.key, "label": self.label, "positive_percent": self.share,
                "base": self.base, "answers": self.base, "positive_answers": self.positive,
                "questions": len(self.counted), "respondents": self.respondents,
                "base_text": self.base_text(),
                "findings": [f.as_json() for f in self.findings]}


@dataclass(frozen=True)
class ReviewEvidence:
    kind: str  # extract or recommendation
    review_id: str
    text: str
    where: str  # code or recommendation number
    link: str
    status: str = ""  # a recommendation's (domain.recommendations.STATUSES)

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "review": self.review_id, "text": self.text,
                "where": self.where, "link": self.link, "status": self.status}


@dataclass(frozen=True)
class Flag:
    first: str
    second: str
    first_share: float
    second_share: float
    first_key: str = ""  # the sources' keys, for their names in another language
    second_key: str = ""

    @property
    def message(self) -> str:
        """In English (the API and the CLI)."""
        return self.translated(lambda text: text)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """In the page's language: the template and the sources' names looked
        up in its catalogue, the figures filled in."""
        return gettext(FLAG).format(first=gettext(self.first), second=gettext(self.second),
                                    x=self.first_share, y=self.second_share)


@dataclass(frozen=True)
class Triangulation:
    theme: str
    terms: tuple[str, ...]
    organisation: str
    sources: list[Source]
    extracts: list[ReviewEvidence]
    recommendations: list[ReviewEvidence]
    extract_total: int
    recommendation_total: int
    organisation_id: int = 0
    saved: SavedNote | None = None  # the strengths and areas as a person last saved them

    @property
    def flags(self) -> list[Flag]:
        found = [(s, s.share) for s in self.sources if s.share is not None]
        out = []
        for i, (a, x) in enumerate(found):
            for b, y in found[i + 1:]:
                if x is not None and y is not None and abs(x - y) >= DISAGREEMENT_POINTS:
                    out.append(Flag(a.label, b.label, x, y, a.key, b.key) if x > y
                               else Flag(b.label, a.label, y, x, b.key, a.key))
        return out

    def named(self, lang: str = "en") -> str:
        """The theme as the page's language names it (drafting.theme_name)."""
        return theme_name(self.theme, lang)

    def drafted(self, lang: str = "en") -> tuple[list[str], list[str]]:
        """Strengths and areas for development as the rules draft them."""
        return draft(self.theme, self.sources, self.flags, lang)

    def notes(self, lang: str = "en") -> tuple[list[str], list[str]]:
        """Strengths and areas for development: as saved by a person, else as drafted."""
        if self.saved is not None:
            return lines(self.saved.strengths), lines(self.saved.areas)
        return self.drafted(lang)

    def as_json(self) -> dict[str, Any]:
        return {"theme": self.theme, "terms": list(self.terms),
                "organisation": self.organisation,
                "sources": [s.as_json() for s in self.sources],
                "reviews": {"extracts": [e.as_json() for e in self.extracts],
                            "extract_total": self.extract_total,
                            "recommendations": [r.as_json() for r in self.recommendations],
                            "recommendation_total": self.recommendation_total},
                "disagreements": [{"higher": f.first, "lower": f.second,
                                   "higher_percent": f.first_share,
                                   "lower_percent": f.second_share, "message": f.message}
                                  for f in self.flags],
                "threshold_points": DISAGREEMENT_POINTS,
                "drafted": dict(zip(("strengths", "areas"), self.drafted(), strict=True)),
                "saved": None if self.saved is None else {
                    "strengths": lines(self.saved.strengths), "areas": lines(self.saved.areas),
                    "by": self.saved.actor, "at": self.saved.at}}


def terms_of(theme: str, also: Iterable[str] = ()) -> tuple[str, ...]:
    words = [" ".join(t.casefold().split()) for t in (theme, *also)]
    return tuple(dict.fromkeys(t for t in words if t))


def matches(terms: Sequence[str], *texts: str) -> bool:
    folded = " ".join(texts).casefold()
    return any(re.search(rf"(?<!\w){re.escape(t)}", folded) for t in terms)


def survey_positive(result: QuestionResult) -> int | None:
    """Positive answers of a yes/no, scale or choice question; None when its
    answers are not yes/no, agree/disagree or numeric (then it is listed, not
    counted)."""
    if result.kind == "yesno":  # a yes in English or Welsh
        return sum(o.count for o in result.options if yes_no(o.value))
    values = [o.value.casefold() for o in result.options]
    if any(v in POSITIVE for v in values):
        return sum(o.count for o in result.options if o.value.casefold() in POSITIVE)
    numbers = [float(v) for v in values if re.fullmatch(r"-?\d+(\.\d+)?", v)]
    if result.kind == "scale" and numbers and len(numbers) == len(values):
        # The top of the scale: above its midpoint (4 and 5 of 1–5).
        low, high = min(min(numbers), 1.0), max(max(numbers), 5.0)
        middle = (low + high) / 2
        return sum(o.count for o in result.options if float(o.value) > middle)
    return None


class TriangulationService(Scoped):
    """Runs with the caller's own access: each source is read through its
    own service, so nothing the caller may not see is counted."""

    app: Storfa

    @classmethod
    def of(cls, app: Storfa, caller: Caller) -> TriangulationService:
        made = cls(app.store, app.blobs, app.accounts.accounts.organisations(), caller)
        made.app = app
        return made

    def build(self, organisation_id: int, theme: str, also: Iterable[str] = (),
              hidden: frozenset[int] = frozenset()) -> Triangulation:
        org = self.orgs.get(organisation_id)
        home = self.home()
        if org is None or not (self._cli() or self.national
                               or (home is not None and home.id == organisation_id)):
            raise self._deny("assurance.triangulate", str(organisation_id), Forbidden(
                "Triangulation is for the board's own users and national users."),
                "organisation")
        if not access.runs_exercises(org):
            raise self._deny("assurance.triangulate", str(organisation_id), Forbidden(
                N_("Triangulation weighs a board's evidence; an agency's returns are part "
                   "of its board's.")), "organisation")
        terms = terms_of(theme, also)
        if not terms:
            raise StorfaError("Name the theme to triangulate.")
        sources = [self._selfevals(organisation_id, terms), self._audits(organisation_id, terms),
                   self._surveys(organisation_id, terms)]
        extracts, recs, n_extracts, n_recs = self._reviews(terms, hidden)
        self._audit("assurance.triangulate", "organisation", str(organisation_id),
                    theme=theme, terms=list(terms))
        saved = self._notes().latest(organisation_id, terms[0])
        return Triangulation(theme.strip(), terms, org.name, sources, extracts, recs,
                             n_extracts, n_recs, organisation_id, saved)

    def may_edit(self, organisation_id: int) -> bool:
        """The board's own editors and administrators (and the CLI) word its strengths."""
        return self._cli() or access.can_answer(self.caller.user, organisation_id)

    def save_notes(self, organisation_id: int, theme: str, strengths: str, areas: str) -> int:
        """Keep a person's wording of the strengths and areas for development
        of one theme (append-only, audited); returns the saved row's id."""
        terms = terms_of(theme)
        if not terms:
            raise StorfaError("Name the theme to triangulate.")
        if organisation_id not in self.orgs or not self.may_edit(organisation_id):
            raise self._deny("assurance.triangulation.save", str(organisation_id), Forbidden(
                "Only the board's editors and administrators may edit its strengths and "
                "areas for development."), "organisation")
        for name, text in (("strengths", strengths), ("areas for development", areas)):
            if len(text) > MAX_CHARS:
                raise StorfaError(f"The {name} are {len(text):,} characters long; the most "
                                  f"is {MAX_CHARS:,}.")
        return self._notes().save(organisation_id, terms[0], strengths.strip(), areas.strip(),
                                  self.caller.actor, dict(self.caller.detail))

    def _notes(self) -> TriangulationNotes:
        return repositories.triangulation_notes(self.store)

    def _selfevals(self, org_id: int, terms: Sequence[str]) -> Source:
        service = SelfEvalService(self.store, self.blobs, list(self.orgs.values()), self.caller)
        source = Source("selfeval", SOURCES["selfeval"], respondents=0)
        for se in service.listing():
            if se.organisation_id != org_id:
                continue
            found = service.results(se.id)
            by_key = {q.key: q for q in found.questions}
            before = len(source.counted)
            for sec in se.sections:
                on_theme = matches(terms, sec.theme, sec.title)
                for q in sec.questions:
                    r = by_key.get(q.key)
                    if r is None or not (on_theme or matches(terms, q.text)):
                        continue
                    if q.kind == "yesno":
                        yes = next(o.count for o in r.options if o.value == YES)
                        no = next(o.count for o in r.options if o.value == NO)
                        source.findings.append(Finding(q.text, se.title, yes, yes + no,
                                                       SAID_YES, counts="agencies"))
                    elif q.kind in ("scale", "choice"):
                        source.findings.append(Finding(q.text, se.title, spread=tuple(
                            (o.value, o.count) for o in r.options)))
                if on_theme and found.scores.get(sec.key):
                    given = found.scores[sec.key]
                    good = sum(1 for g in given.values() if g in ("good", "outstanding"))
                    source.findings.append(Finding(sec.title, se.title, good, len(given),
                                                   SELF_SCORED, counts="agencies"))
            if len(source.counted) > before:  # the agencies who returned it answered
                source.respondents = (source.respondents or 0) + len(found.submitted)
        return source

    def _audits(self, org_id: int, terms: Sequence[str]) -> Source:
        service = CaseAuditService(self.store, self.blobs, list(self.orgs.values()), self.caller)
        source = Source("audit", SOURCES["audit"])
        for audit in service.listing():
            if audit.organisation_id != org_id:
                continue
            found = service.results(audit.id)
            for q in audit.questions:
                d = found.by_question[q.key]
                if d.base and matches(terms, q.theme, q.text):
                    good = d.counts["good"] + d.counts["outstanding"]
                    source.findings.append(Finding(q.text, audit.title, good, d.base,
                                                   GRADED_WELL, counts="grades"))
        return source

    def _surveys(self, org_id: int, terms: Sequence[str]) -> Source:
        service = SurveyService(self.store, self.blobs, list(self.orgs.values()), self.caller)
        source = Source("survey", SOURCES["survey"], respondents=0)
        for listed in service.listing(org_id):
            if not listed.mapped:
                continue
            found = service.summary(listed.id)
            title = found.survey.title
            before = len(source.counted)
            for r in found.questions:
                if r.kind == "text" or not matches(terms, r.question):
                    continue
                positive = survey_positive(r)
                if positive is None:
                    source.findings.append(Finding(r.question, title, spread=tuple(
                        (o.value, o.count) for o in r.options[:8])))
                else:
                    source.findings.append(Finding(r.question, title, positive, r.base,
                                                   SURVEYED, counts="respondents"))
            if len(source.counted) > before:  # each of its rows is one respondent
                source.respondents = (source.respondents or 0) + found.respondents
        return source

    def _reviews(self, terms: Sequence[str], hidden: frozenset[int]
                 ) -> tuple[list[ReviewEvidence], list[ReviewEvidence], int, int]:
        from storfa.reports.briefing import shorten, usable_extracts

        extracts = [e for e in usable_extracts(repositories.extracts(self.store).select())
                    if e.review_row not in hidden and matches(terms, e.theme, e.code)]
        shown: list[ReviewEvidence] = []
        for e in extracts:  # accepted first; one per review before a second
            if len(shown) < MAX_EXTRACTS and all(s.review_id != e.review_id for s in shown):
                link = f"/reviews/{quote(e.review_id)}" + (f"?page={e.page}" if e.page else "")
                shown.append(ReviewEvidence("extract", e.review_id, shorten(e.text),
                                            e.code, link))
        keys = self.store.review_keys()
        recs = [r for r in repositories.recommendations(self.store).current()
                if r.review_row not in hidden and r.review_row in keys and r.merged_into is None
                and not r.superseded and matches(terms, " ".join(r.themes), r.text)]
        listed = [ReviewEvidence("recommendation", keys[r.review_row], shorten(r.text),
                                 str(r.number), f"/recommendations/{r.id}", r.status)
                  for r in recs[:MAX_RECOMMENDATIONS]]
        return shown, listed, len(extracts), len(recs)
