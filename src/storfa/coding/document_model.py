"""Best practice in a whole document: the passage classifier's reading of a
passage's words, shifted by where the document puts the passage.

    P(practice | passage in its document) = σ(logit P_text(passage) + prior[zone])

The zone is the passage's section as `coding.context` reads it from the
heading path. The priors are domain rules, not fitted: reviewers write what
went well under "Good practice", "Effective practice" or "Strengths", and a
method section, a chronology, front matter or a reference list holds none.
Fitted context models were tried first (a logistic model over thirty zone and
form features, then smaller ones) and each did worse on a held-out report than
no context at all: four reports of very different kinds each have their own
zones and base rates, so what was fitted on three misled on the fourth.
Fixed priors raised held-out F1 from 0.53 to 0.59 and precision at recall 0.5
from 0.52 to 0.64 (bench/wholedoc_eval.py, docs/classifier.md).

What is fitted is the default suggestion threshold, chosen by one rule (the
lowest threshold at which 80% of suggestions are practice) on two kinds of
document: held-out thematic and overview reports, and single-case reviews
(a CPR, APR, DHR ...), whose praise is of this case's practitioners and
whose practice is denser, so that the same precision comes at a lower
threshold. Both ship as `coding/data/<codebook>.document.npz` beside the
classifier's weights, written by `bench/wholedoc_eval.py --write`."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from storfa.coding.context import Reading
from storfa.domain.reviews import is_single_case

FORMAT_VERSION = 3
Vector = npt.NDArray[np.float64]
# Log-odds are clipped so that a passage the classifier is certain of can
# still be moved by its zone.
LOGIT_CLIP = 8.0

ZONE_PRIORS: Mapping[str, float] = {
    "practice": 2.5,
    "changes": 2.5,
    "method": -2.0,
    "references": -2.0,
    "front": -2.0,
    # A Home Office panel's letter on a DHR praises the report and its chair.
    "assurance": -4.0,
    "chronology": -2.0,
    "lessons": -2.0,
    # "What could have been better": what was missed, told in practice's words.
    "shortfalls": -1.5,
    # Terms of reference ask what happened; they never say anyone did well.
    "terms": -4.0,
    # An introduction or background sets out the case and the review's remit
    # ("The purpose of a Child Practice Review is to identify learning..."): no
    # labelled practice in 70 such paragraphs of the four reports, and a
    # written CPR's introduction read as practice at 0.87 without it.
    "background": -3.0,
}


# Forms that move a passage's reading wherever it sits (coding.context). Read
# down: a plain narrative of dated events with no word of praise ("Gwent
# Police attended the home on 11 December 2024 ...") sets out what happened;
# a directive ("Practitioners should see the adult on their own") says what
# ought to happen; criticism says twice what was not done; none shows
# practice done well. Read up: an agency's change made since the review
# began, acting on its learning, and the reviewers' own verdict ("This was
# good practice."). Measured on the written reviews and the corpus
# (docs/classifier.md), fixed, not fitted.
FORM_PRIORS: Mapping[str, float] = {
    "chronology": -1.0,
    "directive": -1.0,
    "criticism": -1.0,
    "change_made": 2.0,
    "verdict": 1.5,
    # Done within the time the procedures set: practice told as timeliness.
    "timely": 1.0,
    # How the review was done, wherever it is said: method, as its zone is.
    "review_process": -2.0,
    # The family's own words, reported: their view of practice, not the reviewers'.
    "family_words": -1.5,
    # What practitioners told the review: their account, not its finding.
    "practitioners_words": -1.5,
    # "It would have been better if ...": the reviewers' suggested good practice.
    "suggested": 2.5,
    # A bullet telling practitioners what to do: a learning point or a
    # recommendation, never what was done (on top of the directive's -1).
    "directive_item": -1.0,
    # Work only promised, under "Changes already made" or anywhere: no change
    # made yet (the changes zone's lift taken back).
    "promise": -2.5,
}


# The code a zone says its passages are, whatever else their words name:
# changes an agency made during the review, acting on its learning, are what
# the best-practice codebook calls "Learning from past reviews" ("agencies
# that reflected on and acted on their own learning during the review"),
# though their words name risk, policy or records. Odds multiplied by e^5,
# so that the zone decides unless the words are all but certain of another code.
# A passage whose own words say it is such a change is the same code.
ZONE_CODES: Mapping[str, str] = {"changes": "Learning from past reviews"}
FORM_CODES: Mapping[str, str] = {"change_made": "Learning from past reviews",
                                  "suggested": "Suggested good practice"}
ZONE_CODE_WEIGHT = 5.0


def codes_in_zones(p_codes: Vector, leaves: Sequence[str], readings: Sequence[Reading]
                   ) -> Vector:
    """The code probabilities (rows in `leaves` order) moved towards the code
    each passage's zone or form names, where the codebook has it."""
    out: Vector = np.array(p_codes, dtype=np.float64, copy=True)
    index = {name: k for k, name in enumerate(leaves)}
    for row, reading in zip(out, readings, strict=True):
        named = {ZONE_CODES.get(reading.zone or "")} | {FORM_CODES.get(f) for f in reading.forms}
        for k in {index[c] for c in named if c in index}:
            row[k] *= np.exp(ZONE_CODE_WEIGHT)
        row /= row.sum()
    return out


def logit(p: Vector) -> Vector:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    out: Vector = np.clip(np.log(q / (1 - q)), -LOGIT_CLIP, LOGIT_CLIP)
    return out


def _sigmoid(x: Vector) -> Vector:
    out: Vector = 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow for large |x|
    return out


# Zones read down only in a single-case review. Its conclusions sum up what
# went wrong in one case: 3 of 28 such paragraphs of the written reviews are
# practice (at -2.0 the 33 reviews' P/R 0.866/0.848 -> 0.875/0.846), where a
# thematic report's conclusions are its findings, strengths among them (the
# JICPA overview's three held back at -2.0). Under its recommendations what
# the register does not take is what it asks for next ("The CPC will also
# produce a learning briefing"): 1 of 52 such paragraphs is practice, where
# MAOSA's evaluation sets 8 of its practice findings there.
SINGLE_CASE_PRIORS: Mapping[str, float] = {"conclusions": -2.0, "recommendations": -1.5}


def _zone_priors(zones: Sequence[str | None], single_case: bool = False) -> Vector:
    extra = SINGLE_CASE_PRIORS if single_case else {}
    return np.array([ZONE_PRIORS.get(z or "", 0.0) + extra.get(z or "", 0.0) for z in zones],
                    dtype=np.float64)


def p_in_zones(p_text: Vector, zones: Sequence[str | None]) -> Vector:
    """The classifier's probabilities moved by each passage's zone prior."""
    return _sigmoid(logit(p_text) + _zone_priors(zones))


def p_practice(p_text: Vector, readings: Sequence[Reading],
               single_case: bool = False) -> Vector:
    """P(practice) of passages read in their document (`coding.context.read`):
    moved by their zone's prior and by their forms' (`single_case`: the
    document is a single-case review)."""
    forms = np.array([sum(FORM_PRIORS.get(f, 0.0) for f in r.forms) for r in readings],
                     dtype=np.float64)
    zones = _zone_priors([r.zone for r in readings], single_case)
    # A change made since is practice wherever the report puts it (61 of 61
    # such paragraphs of the written reviews, two under "What could have been
    # better"): its zone does not read it down.
    changed = np.array(["change_made" in r.forms for r in readings], dtype=bool)
    zones = np.where(changed, np.maximum(zones, 0.0), zones)
    out = _sigmoid(logit(p_text) + zones + forms)
    return out


def priors_digest() -> str:
    """Names the priors and the zone and form patterns, so that scores kept from
    an earlier reading of zones and forms are recomputed rather than mixed in."""
    from storfa.coding import context

    forms = sorted((name, value.pattern) for name, value in vars(context).items()
                   if isinstance(value, re.Pattern))
    text = repr((sorted(ZONE_PRIORS.items()), sorted(SINGLE_CASE_PRIORS.items()),
                 [(n, p.pattern) for n, p in context.ZONES], forms,
                 sorted(FORM_PRIORS.items()), sorted(ZONE_CODES.items()),
                 sorted(FORM_CODES.items()), ZONE_CODE_WEIGHT))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class DocumentModel:
    codebook: str
    threshold: float  # default suggestion threshold on p_practice
    measured: Mapping[str, Any]  # what the held-out documents showed at that threshold
    review_threshold: float  # the same for a single-case review
    review_measured: Mapping[str, Any]  # what the single-case reviews showed at it

    def threshold_for(self, review_type: str | None) -> float:
        """The default suggestion threshold for a review of this type."""
        return self.review_threshold if is_single_case(review_type) else self.threshold

    def p_practice(self, p_text: Vector, readings: Sequence[Reading]) -> Vector:
        return p_practice(p_text, readings)

    def save(self, target: Path | IO[bytes]) -> None:
        np.savez_compressed(target, format_version=np.array(FORMAT_VERSION),
                            codebook=np.array(self.codebook), threshold=np.array(self.threshold),
                            measured=np.array(json.dumps(dict(self.measured))),
                            review_threshold=np.array(self.review_threshold),
                            review_measured=np.array(json.dumps(dict(self.review_measured))))

    @classmethod
    def load(cls, source: Path | IO[bytes]) -> DocumentModel:
        with np.load(source, allow_pickle=False) as data:
            if int(data["format_version"]) != FORMAT_VERSION:
                raise ValueError("document model format changed: rewrite it with "
                                 "bench/wholedoc_eval.py --write")
            return cls(str(data["codebook"]), float(data["threshold"]),
                       json.loads(str(data["measured"])), float(data["review_threshold"]),
                       json.loads(str(data["review_measured"])))


def model_file(codebook: str) -> resources.abc.Traversable:
    return resources.files("storfa.coding") / "data" / f"{codebook}.document.npz"


@cache
def load_document_model(codebook: str) -> DocumentModel | None:
    """The shipped document model of a built-in codebook, or None."""
    path = model_file(codebook)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return DocumentModel.load(fh)
