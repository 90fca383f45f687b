"""Training the classifier's weights from labelled passages (needs scikit-learn).

Detection: logistic regression over standardised features, with Platt scaling
fitted on out-of-fold scores so the probability is calibrated on passages the
model did not see. Coding: multinomial logistic regression on the positive
passages plus each code's own definition (the seed), with a softmax
temperature fitted out of fold. Everything is seeded, so the same data gives
the same weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storfa.coding.cues import CUE_NAMES
from storfa.coding.features import CodeRules, coding_features, detection_features
from storfa.coding.model import ClassifierWeights, LinearWeights
from storfa.domain.codebooks import Codebook
from storfa.search.embeddings import Embedder

Matrix = npt.NDArray[np.float32]
FOLDS = 5
SEED = 0


@dataclass(frozen=True)
class Example:
    text: str
    best_practice: bool
    code: str | None = None


@dataclass(frozen=True)
class Settings:
    c_detect: float = 0.01
    c_code: float = 0.01
    # Each code counts as much as any other in coding, however many examples
    # it has: Multi-agency working has five times the examples of Risk
    # assessment, and unweighted the coder sent risk passages to it.
    balanced_codes: bool = True
    # How much the language cues count in detection against the embedding's
    # 384 dimensions: the cues are scaled up before fitting, so the same
    # regularisation holds them back less (dev F1 0.876 -> 0.888 at 2; real
    # text 0.806 -> 0.823; 3 and more gained nothing more).
    cue_weight: float = 2.0
    threshold: float = 0.5
    seed_weight: float = 1.0  # how much one code definition counts against one passage


def _standardise(x: Matrix) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    mean = x.mean(axis=0).astype(np.float64)
    scale = x.std(axis=0).astype(np.float64)
    scale[scale < 1e-6] = 1.0
    return mean, scale


def _fit_detector(x: Matrix, y: npt.NDArray[np.int_], c: float, cue_weight: float,
                  ) -> tuple[LinearWeights, tuple[float, float]]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    mean, scale = _standardise(x)
    # The cues are the last columns (features.detection_features). Folding the
    # weight into the stored scale keeps inference unchanged.
    scale[-len(CUE_NAMES):] /= cue_weight
    z = (x - mean) / scale
    oof = np.zeros(len(y))
    for train, held in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(z, y):
        fold = LogisticRegression(C=c, max_iter=5000).fit(z[train], y[train])
        oof[held] = fold.decision_function(z[held])
    platt = LogisticRegression(C=1e4, max_iter=5000).fit(oof.reshape(-1, 1), y)
    final = LogisticRegression(C=c, max_iter=5000).fit(z, y)
    weights = LinearWeights(mean, scale, final.coef_.astype(np.float64),
                            final.intercept_.astype(np.float64))
    return weights, (float(platt.coef_[0, 0]), float(platt.intercept_[0]))


def _fit_temperature(scores: npt.NDArray[np.float64], y: npt.NDArray[np.int_]) -> float:
    from scipy.optimize import minimize_scalar

    def nll(t: float) -> float:
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def _fit_coder(x: Matrix, y: npt.NDArray[np.int_], sample_weight: npt.NDArray[np.float64],
               classes: int, c: float, balanced: bool) -> tuple[LinearWeights, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    mean, scale = _standardise(x)
    z = (x - mean) / scale
    if balanced:
        counts = np.bincount(y, weights=sample_weight, minlength=classes)
        sample_weight = sample_weight * (len(y) / (classes * counts[y]))
    folds = max(2, min(FOLDS, int(np.bincount(y, minlength=classes).min())))
    oof = np.zeros((len(y), classes))
    for train, held in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(z, y):
        fold = LogisticRegression(C=c, max_iter=5000).fit(
            z[train], y[train], sample_weight=sample_weight[train])
        oof[np.ix_(held, fold.classes_)] = fold.decision_function(z[held])
    temperature = _fit_temperature(oof, y)
    final = LogisticRegression(C=c, max_iter=5000).fit(z, y, sample_weight=sample_weight)
    return LinearWeights(mean, scale, final.coef_.astype(np.float64),
                         final.intercept_.astype(np.float64)), temperature


def train(codebook: Codebook, examples: Sequence[Example], embedder: Embedder,
          settings: Settings = Settings(), embeddings: Matrix | None = None,
          coding_only: Sequence[Example] = (), coding_embeddings: Matrix | None = None,
          ) -> ClassifierWeights:
    """Weights for `codebook` from labelled passages. Positive examples need a
    leaf code of the codebook; `embeddings` (rows matching `examples`) saves
    re-embedding when tuning. `coding_only` are single-case reviews' practice
    paragraphs: with them a second coder is trained, for single-case reviews,
    on every positive example and them; they never teach the detector (the
    single-case threshold is chosen on the same reviews) nor the first coder."""
    leaves = codebook.leaves
    texts = [e.text for e in examples]
    emb = embedder.embed(texts) if embeddings is None else embeddings
    y = np.array([int(e.best_practice) for e in examples])
    detect, platt = _fit_detector(detection_features(texts, emb), y, settings.c_detect,
                                  settings.cue_weight)

    index = {c.name: i for i, c in enumerate(leaves)}
    positives = [i for i, e in enumerate(examples) if e.best_practice]
    seed_texts = [c.seed_text() for c in leaves]
    seeds = embedder.embed(seed_texts)
    rules = CodeRules.of(leaves)
    def coder(texts_: list[str], emb_: Matrix, codes: list[str | None]
              ) -> tuple[LinearWeights, float]:
        y_code = np.array([index[codebook.code(str(c)).name] for c in codes]
                          + list(range(len(leaves))))
        weight = np.array([1.0] * len(codes) + [settings.seed_weight] * len(leaves))
        return _fit_coder(coding_features(texts_ + seed_texts, np.vstack([emb_, seeds]), seeds,
                                          rules), y_code, weight, len(leaves),
                          settings.c_code, settings.balanced_codes)

    pos_texts = [texts[i] for i in positives]
    pos_codes = [examples[i].code for i in positives]
    code, temperature = coder(pos_texts, emb[positives], pos_codes)
    review_code: LinearWeights | None = None
    review_temperature: float | None = None
    extra = [e for e in coding_only if e.best_practice]
    if extra:
        extra_emb = coding_embeddings if coding_embeddings is not None and \
            len(extra) == len(coding_only) else embedder.embed([e.text for e in extra])
        review_code, review_temperature = coder(
            pos_texts + [e.text for e in extra], np.vstack([emb[positives], extra_emb]),
            pos_codes + [e.code for e in extra])
    return ClassifierWeights(
        codebook=codebook.name, embedder=embedder.name, codes=tuple(c.name for c in leaves),
        cues=CUE_NAMES, seeds=seeds, detect=detect, platt=platt,
        threshold=settings.threshold, code=code, temperature=temperature,
        review_code=review_code, review_temperature=review_temperature)
