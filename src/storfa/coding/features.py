"""What the classifier sees of a passage.

Detection (is this best practice?) sees the sentence embedding and the
reviewers' language cues. Coding (which code?) also sees how close the passage
is to each code's own definition (the codebook's description, embedded: the
seed) and which codes' search-term rules it matches. Both sets of features are
built the same way at training and at run time, here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storfa.coding.cues import cue_matrix
from storfa.coding.terms import Analysed, TermRule
from storfa.domain.codebooks import Code

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class CodeRules:
    """The term rules of each leaf code, in the classifier's code order."""

    rules: tuple[tuple[TermRule, ...], ...]

    @classmethod
    def of(cls, codes: Sequence[Code]) -> CodeRules:
        return cls(tuple(tuple(TermRule.parse(t) for t in code.terms) for code in codes))

    def hits(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), len(self.rules)), dtype=np.float32)
        for i, text in enumerate(texts):
            passage = Analysed.of(text)
            for j, rules in enumerate(self.rules):
                out[i, j] = float(any(rule.matches(passage) for rule in rules))
        return out


def detection_features(texts: Sequence[str], embeddings: Matrix) -> Matrix:
    return np.hstack([embeddings, cue_matrix(list(texts))]).astype(np.float32)


def coding_features(texts: Sequence[str], embeddings: Matrix, seeds: Matrix,
                    rules: CodeRules) -> Matrix:
    # Rows and seeds are unit vectors, so the product is the cosine similarity.
    similarity = embeddings @ seeds.T
    return np.hstack([embeddings, similarity, rules.hits(texts),
                      cue_matrix(list(texts))]).astype(np.float32)
