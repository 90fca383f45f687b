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
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storfa.domain.reviews import Passage, age_band

SUGGESTED = "suggested"
PRESENT = "present"
LEXICON, MODEL = "lexicon", "model"  # the two suggesters
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
    hits: int  # how many sentences (passages, for the model) support the same value
    status: str = SUGGESTED
    source: str = LEXICON
    confidence: float | None = None  # the model's cosine similarity; None for the lexicon

    def as_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "value": self.value, "term": self.term,
                "evidence": self.evidence, "page": self.page, "start": self.start,
                "end": self.end, "hits": self.hits, "status": self.status,
                "source": self.source, "confidence": self.confidence}


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


@cache
def _any_of(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching wherever any of the terms does (each keeping its
    own case rule): one search per sentence instead of one per term, the
    suggester's cost on long reports; the per-term rules then run only on
    the few sentences that match."""
    parts = [f"(?i:{p.pattern})" if p.flags & re.IGNORECASE else f"(?:{p.pattern})"
             for p in map(_pattern, terms)]
    return re.compile("|".join(parts) or r"(?!)")


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
    if not terms or not _any_of(tuple(terms)).search(sentence):
        return None
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
    return not context or _any_of(tuple(context)).search(sentence) is not None


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


# ------------------------------------------------------------ model suggester
# Calibrated on hand-written passages with all-MiniLM-L6-v2 (docs/analysis.md):
# passages that describe a variable in other words ("the mother drank heavily
# most evenings") score 0.45-0.55 against its closest prototype, unrelated
# report prose 0.15-0.35, and a passage close to two variables is ambiguous.
MODEL_MIN_COSINE = 0.44
MODEL_MIN_LEAD = 0.05  # over the passage's second-closest variable


class TextEmbedder(Protocol):
    """What the model suggester needs of storfa.search.embeddings.Embedder."""

    name: str

    def embed(self, texts: Sequence[str], batch_size: int = ...,
              progress: Any = ...) -> npt.NDArray[np.float32]: ...


def prototypes(variable: VariableDef) -> tuple[str, ...]:
    """The texts a passage is compared with: the label and each lexicon term."""
    return (variable.label, *(t.rstrip("*") for t in variable.terms))


_PROTOTYPES: dict[tuple[str, tuple[VariableDef, ...]],
                  tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]] = {}


def _prototype_matrix(embedder: TextEmbedder, variables: tuple[VariableDef, ...]
                      ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """(prototype vectors, index of each prototype's variable), embedded once
    per process and model: 240 short texts cost seconds on two cores."""
    key = (embedder.name, variables)
    if key not in _PROTOTYPES:
        texts = [(i, text) for i, v in enumerate(variables) for text in prototypes(v)]
        matrix = embedder.embed([text for _, text in texts])
        _PROTOTYPES[key] = (np.asarray(matrix, dtype=np.float32),
                            np.array([i for i, _ in texts], dtype=np.int64))
    return _PROTOTYPES[key]


def _only_denied(terms: Sequence[str], text: str) -> bool:
    """The passage names the variable only to deny it ("no evidence of
    domestic abuse"): embeddings do not see negation, the lexicon rule does."""
    named = any(_pattern(t).search(text) for t in terms)
    return named and not any(_affirmed(t, text) for t in terms)


def model_suggest(passages: Sequence[Passage], embedder: TextEmbedder,
                  vectors: Mapping[int, npt.NDArray[np.float32]],
                  variables: Sequence[VariableDef] | None = None,
                  skip: Collection[str] = ()) -> list[Suggestion]:
    """Suggestions from meaning rather than words: each passage with a vector
    is compared (cosine) with every binary variable's label and lexicon terms;
    a passage suggests its closest variable when the similarity is at least
    MODEL_MIN_COSINE and leads the next variable by MODEL_MIN_LEAD, the
    variable's context words (parent, child) are in the passage, and the
    passage does not name the variable only to deny it. One suggestion per
    variable, from its most similar passage, with `confidence` = the cosine;
    variables in `skip` (those the lexicon already suggests) are left out.
    `status` is "suggested": the model never decides."""
    definitions = builtin_variables() if variables is None else tuple(variables)
    binary = tuple(v for v in definitions if v.type == "binary")
    rows = [(p, vectors[p.id]) for p in passages
            if p.id is not None and p.id in vectors and p.kind != "heading" and p.text.strip()]
    if len(binary) < 2 or not rows:
        return []
    matrix, owner = _prototype_matrix(embedder, binary)
    passage_matrix = np.stack([np.asarray(vector, dtype=np.float32) for _, vector in rows])
    norms = np.linalg.norm(passage_matrix, axis=1, keepdims=True)
    similarity = (passage_matrix / np.where(norms == 0, 1, norms)) @ matrix.T
    scores = np.full((len(rows), len(binary)), -1.0, dtype=np.float32)
    closest = np.zeros((len(rows), len(binary)), dtype=np.int64)
    for j in range(len(binary)):
        columns = np.flatnonzero(owner == j)
        scores[:, j] = similarity[:, columns].max(axis=1)
        closest[:, j] = columns[similarity[:, columns].argmax(axis=1)]
    ranked = np.sort(scores, axis=1)
    texts = [t for v in binary for t in prototypes(v)]
    best: dict[str, Suggestion] = {}
    hits: dict[str, int] = {}
    for i, (passage, _) in enumerate(rows):
        j = int(scores[i].argmax())
        top, lead = float(ranked[i, -1]), float(ranked[i, -1] - ranked[i, -2])
        v = binary[j]
        if top < MODEL_MIN_COSINE or lead < MODEL_MIN_LEAD or v.name in skip:
            continue
        text = passage.text.strip()
        if not _in_context(v.context, text) or _only_denied(v.terms, text):
            continue
        hits[v.name] = hits.get(v.name, 0) + 1
        if v.name not in best or top > (best[v.name].confidence or 0.0):
            start = passage.start + passage.text.index(text)
            best[v.name] = Suggestion(v.name, PRESENT, texts[int(closest[i, j])], text,
                                      passage.page, start, start + len(text), hits=0,
                                      source=MODEL, confidence=round(top, 3))
    order = {v.name: i for i, v in enumerate(definitions)}
    return [replace(best[name], hits=hits[name]) for name in sorted(best, key=order.__getitem__)]
