"""Passage vectors round-trip through both backends, and nearest-neighbour
answers agree with a brute-force cosine computed independently."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.search.vectors import VectorIndex, from_bytes, to_bytes


def test_vectors_stored_and_searched(storfa: Storfa, tmp_path: Path) -> None:
    storfa.ingest.ingest(write_reviews(tmp_path / "in"))
    missing = storfa.store.passages_missing_vectors("test-model", 10_000)
    assert missing and all(text for _, text in missing)
    rng = np.random.default_rng(1)
    vectors = {pid: rng.normal(size=8).astype(np.float32) for pid, _ in missing}
    storfa.store.put_vectors("test-model", 8, [(p, to_bytes(v)) for p, v in vectors.items()])
    assert storfa.store.passages_missing_vectors("test-model", 10) == []
    stored = dict(storfa.store.current_vectors("test-model"))
    assert all(np.array_equal(from_bytes(stored[p]), v) for p, v in vectors.items())

    index = VectorIndex(storfa.store, "test-model")
    assert index.load() == len(vectors)
    query = rng.normal(size=8).astype(np.float32)

    def cosine(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))

    expected = sorted(vectors, key=lambda p: -cosine(vectors[p], query))
    got = index.nearest(query, 5)
    assert [p for p, _ in got] == expected[:5]
    assert abs(got[0][1] - cosine(vectors[expected[0]], query)) < 1e-5
    allowed = set(expected[3:6])
    assert [p for p, _ in index.nearest(query, 10, allowed)] == expected[3:6]
    # Re-storing a vector replaces it rather than duplicating it.
    first = expected[0]
    storfa.store.put_vectors("test-model", 8, [(first, to_bytes(-vectors[first]))])
    assert len(storfa.store.current_vectors("test-model")) == len(vectors)
