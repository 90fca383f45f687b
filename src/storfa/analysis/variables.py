"""Built-in case variables (MISSION.md area D) and a lexicon-based suggester
that proposes, for one review's passages, the variables its text mentions,
each with the sentence that is the evidence.

A suggestion is only ever a proposal (`status` "suggested"): present / not
known coding is a person's judgement, so nothing here confirms a value.
The lexicon lives in `data/case_variables.json` so analysts can read it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from storfa.domain.reviews import Passage, age_band

SUGGESTED = "suggested"
PRESENT = "present"
# A cue this close before a term ("no evidence of domestic abuse") negates it.
_NEGATION = re.compile(r"\b(?:no|not|never|without|nor|denied|denies|ruled out|absence of)\b",
                       re.IGNORECASE)
_NEGATION_WINDOW = 40  # characters before the term
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_AGE = re.compile(
    r"\b(aged?\s+)?(\d{1,2})[\s-]+(minute|hour|day|week|month|year)s?\b(?:[\s-]+(old)\b)?",
    re.IGNORECASE)
_DAYS_PER = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0,
             "month": 365.25 / 12, "year": 365.25}


@dataclass(frozen=True, slots=True)
class Category:
    value: str
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VariableDef:
    name: str
    label: str
    group: str
    type: str  # "binary" | "categorical"
    terms: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # one of these must share the sentence with the term
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    variable: str
    value: str  # "present" for binary variables, else the category
    term: str  # the lexicon entry that matched
    evidence: str  # the sentence
    page: int
    start: int  # offsets of the evidence into the review's full text
    end: int
    hits: int  # how many sentences in the review support the same value
    status: str = SUGGESTED

    def as_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "value": self.value, "term": self.term,
                "evidence": self.evidence, "page": self.page, "start": self.start,
                "end": self.end, "hits": self.hits, "status": self.status}


@cache
def builtin_variables() -> tuple[VariableDef, ...]:
    raw = json.loads(resources.files("storfa.analysis").joinpath("data/case_variables.json")
                     .read_text(encoding="utf-8"))
    contexts: dict[str, list[str]] = raw["contexts"]
    return tuple(VariableDef(
        name=v["name"], label=v["label"], group=v["group"], type=v["type"],
        terms=tuple(v.get("terms", ())), context=tuple(contexts[v["context"]])
        if "context" in v else (),
        categories=tuple(Category(c["value"], tuple(c.get("terms", ())))
                         for c in v.get("categories", ())))
        for v in raw["variables"])


@cache
def _pattern(term: str) -> re.Pattern[str]:
    """Whole words; a trailing * matches any ending; a term with two or more
    capitals (CSE, GP, SUDI) is an acronym and matched case-sensitively."""
    body = re.escape(term.rstrip("*")).replace(r"\ ", r"[\s-]+")
    body += r"\w*" if term.endswith("*") else ""
    flags = 0 if sum(ch.isupper() for ch in term) >= 2 else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def _sentences(passages: Sequence[Passage]) -> Iterator[tuple[Passage, int, str]]:
    for passage in passages:
        # Curly apostrophes are common in reports; same length, so offsets hold.
        text = passage.text.replace("’", "'")
        for match in _SENTENCE.finditer(text):
            if match.group().strip():
                yield passage, match.start(), match.group()


def _affirmed(term: str, sentence: str) -> bool:
    for match in _pattern(term).finditer(sentence):
        if not _NEGATION.search(sentence[max(0, match.start() - _NEGATION_WINDOW):match.start()]):
            return True
    return False


def _first_term(terms: Sequence[str], context: Sequence[str], sentence: str) -> str | None:
    if not _in_context(context, sentence):
        return None
    return next((t for t in terms if _affirmed(t, sentence)), None)


def _age_in_years(sentence: str) -> float | None:
    for match in _AGE.finditer(sentence):
        # "aged 3 years" and "3-year-old" are ages; "3 months later" is a duration.
        if match.group(1) or match.group(4):
            return int(match.group(2)) * _DAYS_PER[match.group(3).lower()] / 365.25
    return None


def detailed_age_band(years: float) -> str:
    """The 2023 thematic analysis' scheme, in completed months then years."""
    completed_months = int(years * 12 + 1e-9)
    for limit, band in ((3, "0-3 months"), (6, "4-6 months"), (9, "7-9 months"),
                        (12, "10-12 months"), (35, "13 months - 2 years")):
        if completed_months <= limit:
            return band
    for limit, band in ((5, "3-5 years"), (12, "6-12 years"), (17, "13-17 years")):
        if int(years) <= limit:
            return band
    return "18 years"


def lcspr_age_band(years: float) -> str:
    band = age_band(years)
    return "16+" if band == "adult" else band  # the scheme's top band is open


AGE_SCHEMES = {"age_band_detailed": detailed_age_band, "age_band_lcspr": lcspr_age_band}


def _in_context(context: Sequence[str], sentence: str) -> bool:
    return not context or any(_pattern(word).search(sentence) for word in context)


def _matches(variables: Sequence[VariableDef], sentence: str) -> Iterator[tuple[str, str, str]]:
    """(variable, value, term) for every variable the sentence supports."""
    years = _age_in_years(sentence)
    for v in variables:
        if v.name in AGE_SCHEMES:
            if years is not None and _in_context(v.context, sentence):
                yield v.name, AGE_SCHEMES[v.name](years), "age"
        elif v.type == "binary":
            term = _first_term(v.terms, v.context, sentence)
            if term:
                yield v.name, PRESENT, term
        for category in v.categories:
            term = _first_term(category.terms, v.context, sentence)
            if term:
                yield v.name, category.value, term


def suggest(passages: Sequence[Passage], variables: Sequence[VariableDef] | None = None
            ) -> list[Suggestion]:
    """One suggestion per (variable, value), with its first evidence sentence,
    in the order of the variable definitions."""
    definitions = builtin_variables() if variables is None else tuple(variables)
    first: dict[tuple[str, str], Suggestion] = {}
    hits: dict[tuple[str, str], int] = {}
    for passage, offset, sentence in _sentences(passages):
        for name, value, term in _matches(definitions, sentence):
            key = (name, value)
            hits[key] = hits.get(key, 0) + 1
            if key not in first:
                lead = len(sentence) - len(sentence.lstrip())
                text = sentence.strip()
                start = passage.start + offset + lead
                first[key] = Suggestion(name, value, term, text, passage.page, start,
                                        start + len(text), hits=0)
    order = {v.name: i for i, v in enumerate(definitions)}
    ranked = sorted(first, key=lambda k: (order.get(k[0], len(order)), k[1]))
    return [replace(first[k], hits=hits[k]) for k in ranked]


# The same term matching and sentence splitting serve the quality checklist.
term_pattern = _pattern
sentences = _sentences
