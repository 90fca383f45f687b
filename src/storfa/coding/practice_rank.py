"""Ranking by meaning towards good practice, for questions about practice.

A researcher's plain-language question ("practitioners kept trying to help
even when the family refused") is closest, by cosine alone, to passages that
*talk about* that practice — including the many that say it was missing. The
reviews' coded examples of the practice are what the question wants. So when a
question reads as a description of practice (it is close to a best-practice
code's definition, or the passage classifier would call it best practice), the
semantic candidates are re-scored:

    match = Σ_c P(code c | passage) · w_c(question)
    score = cosine + EXAMPLE_WEIGHT · P(best practice) · match + CODE_WEIGHT · match

where w(question) is a softmax over the question's similarity to each code's
definition. Detection enters only through the product: the detector reads many
plain statements of fact ("the GP prescribed medication") as practice, so on
its own it would lift them above the passage the question describes.

The classifier's outputs for a passage depend only on its text, so they are
kept beside its embedding (in passage_vectors, under PracticeScores.model) when
passages are embedded, and computed and stored on first use for passages
embedded before this existed. The weights were chosen on the dev split of the
13-question check (bench/semantic_questions.py) and reported on the test split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import numpy.typing as npt

from storfa.coding.classifier import DETECTOR, PassageClassifier, load_classifier, weights_file
from storfa.coding.features import detection_features
from storfa.search.vectors import from_bytes, to_bytes
from storfa.storage.interface import Store

Matrix = npt.NDArray[np.float32]
EXAMPLE_WEIGHT = 2.0
CODE_WEIGHT = 0.3
# Softmax temperature over the question's cosines with the code definitions.
CODE_TEMPERATURE = 0.05
# A question is about practice when its nearest code definition is at least
# this close, or nearly as close and the classifier itself reads it as good
# practice; set on the 13 questions and 16 everyday questions that are not
# about practice ("the mother's mental health", "no risk assessment was done").
PRACTICE_SIMILARITY = 0.45
PRACTICE_SIMILARITY_WITH_CUES = 0.40
PRACTICE_DETECTION = 0.80


def _digest() -> str:
    return hashlib.sha256(weights_file(DETECTOR).read_bytes()).hexdigest()[:12]


class PracticeScores:
    """The classifier's per-passage outputs, stored as a second vector per
    passage: [P(best practice), P(code 1), …, P(code n)]."""

    def __init__(self, classifier: PassageClassifier | None = None) -> None:
        self._classifier = classifier

    @cached_property
    def classifier(self) -> PassageClassifier:
        return self._classifier or load_classifier(DETECTOR)

    @cached_property
    def model(self) -> str:
        # A retrained detector gives new scores, so they are stored under a new name.
        return f"practice:{DETECTOR}:{_digest()}"

    @property
    def dim(self) -> int:
        return 1 + len(self.classifier.leaves)

    def compute(self, texts: Sequence[str], embeddings: Matrix) -> Matrix:
        p_bp, p_codes = self.classifier.probabilities(texts, embeddings)
        return np.hstack([p_bp[:, None], p_codes]).astype(np.float32)

    def store(self, store: Store, ids: Sequence[int], texts: Sequence[str],
              embeddings: Matrix) -> Matrix:
        """Compute and keep the scores of these passages; returns them."""
        rows = self.compute(texts, embeddings)
        store.put_vectors(self.model, self.dim,
                          [(pid, to_bytes(row)) for pid, row in zip(ids, rows, strict=True)])
        return rows


class PracticeRanker:
    """The search's re-ranker (search.semantic.Reranker)."""

    def __init__(self, store: Store, scores: PracticeScores | None = None) -> None:
        self.store = store
        self.scores = scores or PracticeScores()

    def weights(self, query: str, vector: Matrix) -> npt.NDArray[np.float64] | None:
        """How much each code is what the question asks about, or None when the
        question is not about practice."""
        c = self.scores.classifier
        similarity = (c.seeds @ vector).astype(np.float64)
        nearest = float(similarity.max())
        if nearest < PRACTICE_SIMILARITY:
            if nearest < PRACTICE_SIMILARITY_WITH_CUES:
                return None
            p = float(c.detector.p_best_practice(
                detection_features([query], vector[None, :].astype(np.float32)))[0])
            if p < PRACTICE_DETECTION:
                return None
        z = (similarity - nearest) / CODE_TEMPERATURE
        w: npt.NDArray[np.float64] = np.exp(z) / np.exp(z).sum()
        return w

    def rerank(self, query: str, vector: Matrix, ids: Sequence[int],
               cosines: Sequence[float], embeddings: Matrix) -> list[float] | None:
        """New scores for these candidates (same order), or None to keep cosine."""
        if not len(ids):
            return None
        w = self.weights(query, vector)
        if w is None:
            return None
        rows = self._rows(ids, embeddings)
        match = rows[:, 1:] @ w
        score = (np.asarray(cosines, dtype=np.float64) + EXAMPLE_WEIGHT * rows[:, 0] * match
                 + CODE_WEIGHT * match)
        return [float(s) for s in score]

    def _rows(self, ids: Sequence[int], embeddings: Matrix) -> Matrix:
        stored = self.store.vectors_of(ids, self.scores.model)
        missing = [i for i, pid in enumerate(ids) if pid not in stored]
        out = np.zeros((len(ids), self.scores.dim), dtype=np.float32)
        for i, pid in enumerate(ids):
            if pid in stored:
                out[i] = from_bytes(stored[pid])
        if missing:
            wanted = [ids[i] for i in missing]
            texts = self.store.passage_hits(wanted)
            known = [i for i in missing if ids[i] in texts]
            if known:
                out[known] = self.scores.store(
                    self.store, [ids[i] for i in known],
                    [texts[ids[i]].text for i in known], embeddings[known])
        return out
