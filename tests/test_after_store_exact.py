"""The after-store steps' shortcuts give what the long way gives
(bench/after_store.py measures them): recurrence's clustering is
scikit-learn's AgglomerativeClustering, labels and all, without importing
scikit-learn; theme coding's screen (`themes._may`) never drops a rule the
term matcher would match, so the codes are the matcher's alone."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering

from storfa.coding.terms import Analysed, TermRule
from storfa.recommendations import themes
from storfa.recommendations.recurrence import THRESHOLD, clusters


def _sklearn(vectors: np.ndarray, threshold: float) -> list[int]:
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=threshold)
    return [int(x) for x in model.fit_predict(vectors)]


@pytest.mark.parametrize("seed", range(40))
def test_clusters_are_scikit_learns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, dim = int(rng.integers(2, 250)), int(rng.integers(2, 48))
    # A few distinct texts repeated (as a register's recurring asks are),
    # exactly or with noise: ties at distance 0 decide the numbering too.
    centres = rng.normal(size=(int(rng.integers(1, n + 1)), dim))
    noise = float(rng.choice([0.0, 0.01, 0.3]))
    vectors = (centres[rng.integers(0, len(centres), n)]
               + noise * rng.normal(size=(n, dim))).astype(np.float32)
    for threshold in (0.05, THRESHOLD, 0.9, 1.5):
        assert clusters(vectors, threshold) == _sklearn(vectors, threshold)


def test_clusters_of_none_one_and_zero_vectors() -> None:
    assert clusters(np.zeros((0, 3), dtype=np.float32)) == []
    assert clusters(np.ones((1, 3), dtype=np.float32)) == [0]
    with pytest.raises(ValueError, match="zero vectors"):
        clusters(np.array([[1, 0], [0, 0]], dtype=np.float32))


RULES = ['"professional curiosity"', "escalat*", "unmet NEAR/0 need*", "history",
         "sibling* -father*", "GP AND (school OR nurse*)", '"was not brought" OR caseload*',
         "NOT covid*", "co NEAR/2 ordinat*", "multi-agency"]
WORDS = ["professional", "curiosity", "escalated", "escalation", "unmet", "needs", "need",
         "history", "historical", "siblings", "father", "fathers", "GP", "school", "nurses",
         "was", "not", "brought", "caseloads", "covid", "co", "ordinated", "coordination",
         "multi", "agency", "the", "child", "should", "be", "seen"]


def _texts() -> list[str]:
    """Short texts of the rules' words in many orders and mixes."""
    rng = np.random.default_rng(7)
    texts = [" ".join(rng.choice(WORDS, size=int(rng.integers(1, 12)))) for _ in range(1500)]
    texts += [" ".join(pair) for pair in itertools.permutations(WORDS[:12], 2)]
    return [*texts, "", "Professional Curiosity.", "The GP's nurse; the school.",
            "Multi-agency co-ordination was weak."]


def test_screen_never_drops_a_match() -> None:
    rules = [TermRule.parse(q) for q in RULES]
    matched = 0
    for text in _texts():
        analysed = Analysed.of(text)
        words = themes._Words.of(analysed)
        for rule in rules:
            if rule.matches(analysed):
                matched += 1
                assert themes._may(themes._stemmed(rule.node), words), (rule.query, text)
    assert matched > 500  # the texts do exercise the rules


def test_codes_are_the_matchers() -> None:
    _, rules = themes._rules()
    words = sorted({w for _, code_rules in rules for r in code_rules
                    for w in r.query.replace('"', " ").replace("*", "ing").split()
                    if w.isalpha() and w not in ("AND", "OR", "NOT")})
    rng = np.random.default_rng(3)
    texts = [" ".join(rng.choice(words, size=int(rng.integers(1, 15)))) for _ in range(1500)]
    coded = 0
    for text in texts:
        analysed = Analysed.of(text)
        plain = [code for code, code_rules in rules
                 if any(r.matches(analysed) for r in code_rules)]
        assert themes.codes_of(text) == plain, text
        coded += bool(plain)
    assert coded > 1000
