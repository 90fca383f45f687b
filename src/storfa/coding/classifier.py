"""The passage classifier: is a passage an example of best practice, and if
so, which theme and code of a codebook?

With trained weights (package data `coding/data/<codebook>.model.npz`, made by
`bench/train_classifier.py`), detection is a Platt-calibrated logistic model
over the sentence embedding and the reviewers' language cues, and coding a
temperature-scaled multinomial model over the embedding, the similarity to each
code's definition, the code's term rules and the cues. A codebook without
weights of its own is coded from its seeds alone: the code whose embedded
definition is nearest, with best-practice detection borrowed from the
`best-practice` weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storfa.coding.codebooks import builtin_codebooks, load_codebook
from storfa.coding.features import CodeRules, coding_features, detection_features
from storfa.coding.model import ClassifierWeights
from storfa.domain.codebooks import Code, Codebook, UnknownCode
from storfa.domain.errors import StorfaError
from storfa.ingest.metadata.sentences import split_sentences
from storfa.search.embeddings import Embedder, default_embedder

Matrix = npt.NDArray[np.float32]
DETECTOR = "best-practice"
# A sentence needs this many words to be read on its own (PassageClassifier.read).
SENTENCE_WORDS = 5
# Softmax temperature over cosine similarities for seeds-only coding: cosines
# between a passage and a definition differ by hundredths, so they are sharpened.
SEED_TEMPERATURE = 0.05


@dataclass(frozen=True)
class Prediction:
    best_practice: bool
    theme: str | None
    code: str | None
    # The probability of the answer given: that the passage is best practice
    # when best_practice is true, that it is not when false.
    confidence: float
    p_best_practice: float
    theme_confidence: float | None
    code_confidence: float | None
    method: str  # "model" (trained weights) or "seeds" (codebook definitions only)

    def as_json(self) -> dict[str, object]:
        return {"best_practice": self.best_practice, "theme": self.theme, "code": self.code,
                "confidence": round(self.confidence, 4),
                "theme_confidence": _round(self.theme_confidence),
                "code_confidence": _round(self.code_confidence), "method": self.method}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def weights_file(codebook: str) -> resources.abc.Traversable:
    return resources.files("storfa.coding") / "data" / f"{codebook}.model.npz"


def load_weights(codebook: str) -> ClassifierWeights | None:
    path = weights_file(codebook)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return ClassifierWeights.load(fh)


def sentences_of(text: str) -> list[str]:
    """The sentences of a passage long enough to be read on their own."""
    return [text[a:b] for a, b in split_sentences(text)
            if len(text[a:b].split()) >= SENTENCE_WORDS]


class PassageClassifier:
    def __init__(self, codebook: Codebook, embedder: Embedder,
                 weights: ClassifierWeights | None, detector: ClassifierWeights) -> None:
        for w in (weights, detector):
            if w is not None and w.embedder != embedder.name:
                raise StorfaError(f"The {w.codebook} classifier was trained on {w.embedder} "
                                  f"embeddings, but this storfa embeds with {embedder.name}.")
        self.codebook, self.embedder = codebook, embedder
        self.weights, self.detector = weights, detector
        self.leaves: tuple[Code, ...] = (
            tuple(codebook.code(c) for c in weights.codes) if weights
            else tuple(c for c in codebook.leaves if not c.retired))
        self.rules = CodeRules.of(self.leaves)
        self._seeds: Matrix | None = weights.seeds if weights else None

    @property
    def method(self) -> str:
        return "model" if self.weights else "seeds"

    @property
    def seeds(self) -> Matrix:
        if self._seeds is None:
            self._seeds = self.embedder.embed([c.seed_text() for c in self.leaves])
        return self._seeds

    def classify(self, texts: Sequence[str], embeddings: Matrix | None = None) -> list[Prediction]:
        if not texts:
            return []
        p_bp, p_codes = self.read(texts, embeddings)
        threshold = self.detector.threshold
        return [self._decide(float(p), row, threshold) for p, row in zip(p_bp, p_codes,
                                                                         strict=True)]

    def read(self, texts: Sequence[str], embeddings: Matrix | None = None,
             single_case: bool = False
             ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """P(best practice) and P(code) of passages read sentence by sentence.

        The detector learnt from extracts of a sentence or two; one averaged
        embedding of a long report paragraph dilutes the praise in it, and a
        single praising clause among chronology should not carry it alone. So
        a passage of two or more sentences is as practice-like as the mean of
        its two most practice-like sentences' probabilities, and its codes are
        read from the mean of its sentences' embeddings (which also spares
        embedding it whole: one pass over the sentences costs what one over
        the paragraphs did). Held out on whole reports this lifts F1 of
        `classify` from 0.47 to 0.51 and of auto-coding from 0.59 to 0.64
        (docs/classifier.md). A passage of one sentence is read whole, with
        `embeddings` when given. `single_case`: the passages are a single-case
        review's, coded by the weights' coder for those where they have one."""
        split = [sentences_of(t) for t in texts]
        long = [i for i, parts in enumerate(split) if len(parts) > 1]
        whole = [] if embeddings is not None else [i for i, parts in enumerate(split)
                                                   if len(parts) <= 1]
        many = [s for i in long for s in split[i]]
        vectors = (self.embedder.embed([texts[i] for i in whole] + many) if whole or many
                   else np.zeros((0, self.embedder.dim), dtype=np.float32))
        passages = (np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
                    if embeddings is None else np.array(embeddings, dtype=np.float32))
        passages[whole] = vectors[:len(whole)]
        sentences = vectors[len(whole):]
        bounds, at = [], 0
        for i in long:
            mean = sentences[at:at + len(split[i])].mean(axis=0)
            passages[i] = mean / (np.linalg.norm(mean) or 1.0)
            bounds.append((at, at + len(split[i])))
            at += len(split[i])
        p_bp, p_codes = self.probabilities(texts, passages, single_case)
        if many:
            p_sentences = self.detector.p_best_practice(detection_features(many, sentences))
            for i, (start, end) in zip(long, bounds, strict=True):
                p_bp[i] = float(np.sort(p_sentences[start:end])[-2:].mean())
        return p_bp, p_codes

    def probabilities(self, texts: Sequence[str], embeddings: Matrix, single_case: bool = False
                      ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """P(best practice) per passage, and P(code) per passage and leaf code
        (in `self.leaves` order), before any decision is taken."""
        p_bp = self.detector.p_best_practice(detection_features(texts, embeddings))
        if self.weights is not None:
            return p_bp, self.weights.p_codes(
                coding_features(texts, embeddings, self.seeds, self.rules), single_case)
        z = (embeddings @ self.seeds.T).astype(np.float64) / SEED_TEMPERATURE
        z -= z.max(axis=1, keepdims=True)
        return p_bp, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)

    def decision(self, p_bp: float, p_codes: npt.NDArray[np.float64],
                 threshold: float | None = None) -> Prediction:
        """The answer `classify` gives for a passage with these probabilities
        (at another detection threshold when one is given)."""
        return self._decide(p_bp, p_codes,
                            self.detector.threshold if threshold is None else threshold)

    def refusal(self) -> Prediction:
        """The answer for a passage that cannot be practice whatever its words
        say (a heading, a recommendation: coding.document_reading)."""
        return Prediction(False, None, None, 1.0, 0.0, None, None, self.method)

    def _decide(self, p_bp: float, p_codes: npt.NDArray[np.float64],
                threshold: float) -> Prediction:
        is_bp = p_bp >= threshold
        confidence = p_bp if is_bp else 1.0 - p_bp
        marked = [i for i, c in enumerate(self.leaves) if c.best_practice]
        if self.codebook.best_practice and not is_bp:
            # Every code of this codebook is best practice: nothing to code.
            return Prediction(False, None, None, confidence, p_bp, None, None, self.method)
        if not self.codebook.best_practice and is_bp and marked:
            # A learning codebook with a good-practice code: the detector decides it.
            code = self.leaves[marked[0]]
            return Prediction(True, code.theme, code.name, confidence, p_bp, p_bp, p_bp,
                              self.method)
        allowed = [i for i, c in enumerate(self.leaves) if c.best_practice == is_bp] \
            if marked and not self.codebook.best_practice else list(range(len(self.leaves)))
        probs = np.zeros_like(p_codes)
        probs[allowed] = p_codes[allowed]
        probs /= probs.sum()
        by_theme: dict[str, float] = {}
        for i, code in enumerate(self.leaves):
            by_theme[code.theme] = by_theme.get(code.theme, 0.0) + float(probs[i])
        theme = max(by_theme, key=lambda t: (by_theme[t], t))
        inside = [i for i, c in enumerate(self.leaves) if c.theme == theme]
        best = max(inside, key=lambda i: float(probs[i]))
        return Prediction(is_bp, theme, self.leaves[best].name, confidence, p_bp,
                          by_theme[theme], float(probs[best]), self.method)


@cache
def load_classifier(codebook: str) -> PassageClassifier:
    """The classifier for a built-in codebook, loaded once per process."""
    book = load_codebook(codebook)
    detector = load_weights(DETECTOR)
    if detector is None:  # pragma: no cover - a broken install
        raise StorfaError("The best-practice classifier weights are missing; reinstall "
                          "storfa or run bench/train_classifier.py.")
    weights = detector if book.name == DETECTOR else load_weights(book.name)
    return PassageClassifier(book, default_embedder(), weights, detector)


def model_path(models: Path, codebook: str) -> Path:
    """Where `storfa code train` keeps a repository's retrained classifier."""
    return models / f"{codebook}.model.npz"


def classifier_for(book: Codebook, models: Path | None = None) -> PassageClassifier:
    """The classifier for a codebook as this repository has it: the model
    retrained under `models` when there is one, else the built-in classifier,
    else (a codebook of the repository's own) one coding from its definitions."""
    if models is not None:
        path = model_path(models, book.name)
        if path.is_file():
            trained = _trained(book, str(path), path.stat().st_mtime_ns)
            if trained is not None:
                return trained
    if book.name in builtin_codebooks():
        return load_classifier(book.name)
    return _seeded(book)


@lru_cache(maxsize=8)
def _trained(book: Codebook, path: str, _mtime: int) -> PassageClassifier | None:
    with open(path, "rb") as fh:
        weights = ClassifierWeights.load(fh)
    detector = weights if book.name == DETECTOR else load_weights(DETECTOR)
    assert detector is not None  # the package ships the detector
    try:
        return PassageClassifier(book, default_embedder(), weights, detector)
    except UnknownCode:  # a code renamed since training: retrain to use the model again
        return None


@lru_cache(maxsize=8)
def _seeded(book: Codebook) -> PassageClassifier:
    detector = load_weights(DETECTOR)
    assert detector is not None
    return PassageClassifier(book, default_embedder(), None, detector)
