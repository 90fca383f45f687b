"""A document's passages read as a reader reads them: which of them may be
practice at all, and how likely each is to be practice given where it sits.

One home for what auto-coding (`CodingService.suggest`) and `storfa classify`
(and the API's classify) make of a document. A stream of passages given to
`classify` in document order is read the same way: its short title-like lines
open sections (`coding.context.pseudo_heading`), so a paragraph under
"Recommendations" or "Chronology" is read there, and a heading, a contents
line or a recommendation is never called practice. Held out on the four real
reports, reading the stream as a document lifts classify's paragraph F1 from
0.51 to 0.62, and changes nothing on the extract dev set, whose lines are
unrelated sentences (bench/wholedoc_eval.py, docs/classifier.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storfa.coding.context import FURNITURE, MIN_WORDS, Reading, read
from storfa.coding.document_model import codes_in_zones, p_practice
from storfa.domain.reviews import Passage, is_question

if TYPE_CHECKING:
    from storfa.coding.classifier import PassageClassifier, Prediction

# Passages that are only a heading, or too short to say anything, are not coded.
MIN_CHARS = 20
# Why a passage was not read as practice whatever its words say, in the order
# a reader would give it.
RECOMMENDATION, QUESTION, TOO_SHORT = "recommendation", "question", "too short"


def codable(passage: Passage, text_length: int) -> bool:
    """Whether auto-coding reads this passage: not a heading, long enough to
    say something, and not a question (an evaluation's survey items — "Any
    changes resulting from feedback?" — ask about practice, they do not show it)."""
    return not _set_aside_by_form(passage, text_length)


def _set_aside_by_form(passage: Passage, text_length: int) -> str | None:
    if passage.kind == "heading":
        return "heading"
    if (passage.end - passage.start < MIN_CHARS or _too_few_words(passage.text)
            or passage.end > text_length):
        return TOO_SHORT
    if is_question(passage.text):
        return QUESTION
    return None


# A sentence of its own says something in fewer words than a line needs: a
# plain-English review's bullet "Adult K's GP saw her at home." is practice.
_SENTENCE_WORDS = 5


def _too_few_words(text: str) -> bool:
    words = len(text.split())
    return words < MIN_WORDS and not (words >= _SENTENCE_WORDS and text.rstrip().endswith("."))


def set_aside(passages: Sequence[Passage], readings: Sequence[Reading], text_length: int,
              best_practice: bool) -> list[str | None]:
    """For each passage, why it may not be practice at all, or None: not
    codable, furniture (a heading, contents line, author list, reference,
    caption or lead-in line), or, for a best-practice codebook, part of a
    recommendation as the register reads them (recommendations.extract, the
    one home of that rule)."""
    recommended: set[int] = set()
    if best_practice:
        from storfa.recommendations.extract import extract

        recommended = {seq for found in extract(passages) for seq in found.passage_seqs}
    out: list[str | None] = []
    for p, r in zip(passages, readings, strict=True):
        # A heading first, whatever else it is; then what else a reader sees.
        furniture = sorted(r.forms & FURNITURE, key=lambda form: form != "heading")
        reason = furniture[0].replace("_", " ") if furniture else None
        if reason is None:
            reason = _set_aside_by_form(p, text_length)
        if reason is None and p.seq in recommended:
            reason = RECOMMENDATION
        out.append(reason)
    return out


def suggestable(passages: Sequence[Passage], readings: Sequence[Reading], text_length: int,
                best_practice: bool) -> list[bool]:
    """Which of a document's passages auto-coding may suggest at all."""
    return [reason is None for reason in set_aside(passages, readings, text_length,
                                                   best_practice)]


@dataclass(frozen=True)
class DocumentRead:
    """What the classifier and the document make of a document's passages.
    The arrays hold a row for each passage in `usable` (those not set aside)."""

    readings: list[Reading]
    set_aside: list[str | None]
    usable: list[int]
    p_practice: npt.NDArray[np.float64]  # the classifier's reading moved by the zone
    p_codes: npt.NDArray[np.float64]  # moved towards the code a zone names


def read_document(classifier: PassageClassifier, passages: Sequence[Passage],
                  spans: Sequence[str], text_length: int,
                  single_case: bool = False) -> DocumentRead:
    """Read a document's passages (`spans` their text, as stored) in their
    document; only the passages not set aside are given to the classifier
    (`single_case`: the document is a single-case review)."""
    readings = read(passages)
    reasons = set_aside(passages, readings, text_length, classifier.codebook.best_practice)
    usable = [i for i, reason in enumerate(reasons) if reason is None]
    if not usable:
        empty = np.zeros(0, dtype=np.float64)
        return DocumentRead(readings, reasons, [], empty,
                            np.zeros((0, len(classifier.leaves)), dtype=np.float64))
    p_text, p_codes = classifier.read([spans[i] for i in usable], single_case=single_case)
    # A table row's good-practice cell says whether it is practice; its code
    # is read from the whole row, whose other cells name what it is about.
    focused = [k for k, i in enumerate(usable) if readings[i].focus]
    if focused:
        p_text[focused] = classifier.read([str(readings[usable[k]].focus) for k in focused])[0]
    kept = [readings[i] for i in usable]
    p_codes = codes_in_zones(p_codes, [c.name for c in classifier.leaves], kept)
    return DocumentRead(readings, reasons, usable, p_practice(p_text, kept, single_case),
                        p_codes)


# The languages a best-practice classifier reads: its sentence embedding and
# its language cues are English, and a Welsh paragraph is all but never read
# as practice, however plainly it names it ("Roedd hyn yn arfer da" scores
# 0.00-0.06; Welsh phrases among the cues lift it to 0.11 at most). Passages
# in another language are said to be so, not left silent.
READS = frozenset({"en"})


@dataclass(frozen=True)
class Classified:
    """`classify`'s answer for one passage, with what the document said."""

    prediction: Prediction
    zone: str | None  # the section kind it sits in (coding.context.ZONES), if any
    set_aside: str | None  # why it cannot be practice, whatever its words say
    language: str = "en"  # as ingest reads it: READS says which the classifier reads

    def as_json(self) -> dict[str, object]:
        return {**self.prediction.as_json(), "zone": self.zone, "set_aside": self.set_aside,
                "language": self.language}


def stream_passages(texts: Sequence[str]) -> list[Passage]:
    """Free passages as the paragraphs of one document, in the order given."""
    out: list[Passage] = []
    at = 0
    for i, text in enumerate(texts):
        out.append(Passage(seq=i, page=1, section="", kind="paragraph", text=text,
                           start=at, end=at + len(text)))
        at += len(text) + 2
    return out


def classify_passages(classifier: PassageClassifier, texts: Sequence[str],
                      as_document: bool = True) -> list[Classified]:
    """Is each passage best practice, and of which theme and code? With
    `as_document` the passages are read as one document's paragraphs in
    order (`read_document`), at the classifier's own detection threshold;
    without it each is read on its own words alone."""
    if not texts:
        return []
    from storfa.ingest.language import detect

    languages = [detect(text) for text in texts]
    if not as_document:
        return [Classified(p, None, None, lang)
                for p, lang in zip(classifier.classify(texts), languages, strict=True)]
    passages = stream_passages(texts)
    found = read_document(classifier, passages, texts, passages[-1].end)
    row_of = {i: k for k, i in enumerate(found.usable)}
    out: list[Classified] = []
    for i, reason in enumerate(found.set_aside):
        k = row_of.get(i)
        if k is None:
            prediction = classifier.refusal()
        else:
            prediction = classifier.decision(float(found.p_practice[k]), found.p_codes[k])
        out.append(Classified(prediction, found.readings[i].zone, reason, languages[i]))
    return out
