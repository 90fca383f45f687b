"""The embedding layer: shape, normalisation, determinism, and the fast path
(ONNX Runtime, int8 weights) agreeing with the reference (sentence-transformers
on torch). Real model, loaded once per module."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storfa.domain.errors import StorfaError
from storfa.search.embeddings import (
    DIM,
    MAX_CHARS,
    MODEL_NAME,
    Embedder,
    OnnxEmbedder,
    ReferenceEmbedder,
    batches_by_length,
    cpu_has_vnni,
    default_embedder,
    make_embedder,
    onnx_model,
)

TEXTS = [
    "The health visitor kept visiting even though the door was never opened.",
    "Police shared information with children's services the same day.",
    "Records were clear, detailed and shared with the GP.",
    "The school nurse escalated her concerns to the designated safeguarding lead.",
    "Mother missed three antenatal appointments and was not followed up.",
    "",
]


@pytest.fixture(scope="module")
def fast() -> Embedder:
    return default_embedder()


@pytest.fixture(scope="module")
def reference() -> Embedder:
    return ReferenceEmbedder()


def test_shape_type_and_normalisation(fast: Embedder) -> None:
    vectors = fast.embed(TEXTS)
    assert fast.name == MODEL_NAME and fast.dim == DIM
    assert vectors.shape == (len(TEXTS), DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert fast.embed([]).shape == (0, DIM)


def test_deterministic_and_independent_of_batch(fast: Embedder) -> None:
    first = fast.embed(TEXTS, batch_size=2)
    assert np.array_equal(first, fast.embed(TEXTS, batch_size=2))
    # A text's vector does not depend on the other texts in its batch.
    alone = fast.embed([TEXTS[0]])[0]
    assert float(alone @ first[0]) > 0.9999


def test_progress_counts_every_text(fast: Embedder) -> None:
    seen: list[int] = []
    fast.embed(TEXTS, batch_size=4, progress=seen.append)
    assert sum(seen) == len(TEXTS) and len(seen) == 2


def test_int8_path_agrees_with_reference(reference: Embedder) -> None:
    int8 = OnnxEmbedder(quantised=True)
    a, b = int8.embed(TEXTS[:-1]), reference.embed(TEXTS[:-1])
    # Each text runs alone, so its vector does not depend on its batch.
    assert np.array_equal(int8.embed([TEXTS[0]])[0], a[0])
    cosines = (a * b).sum(axis=1)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.98
    # Same nearest neighbour for each text under both paths.
    assert np.array_equal(np.argsort(-(a @ a.T), axis=1)[:, 1],
                          np.argsort(-(b @ b.T), axis=1)[:, 1])


def test_fp32_path_equals_reference(reference: Embedder) -> None:
    fp32 = OnnxEmbedder(quantised=False)
    cosines = (fp32.embed(TEXTS[:-1]) * reference.embed(TEXTS[:-1])).sum(axis=1)
    assert cosines.min() > 0.9999


def test_texts_run_side_by_side_give_the_same_vectors() -> None:
    # Two workers share the cores; the vectors are those of one worker, bit for bit.
    one, two = OnnxEmbedder(threads=1), OnnxEmbedder(threads=2)
    assert np.array_equal(one.embed(TEXTS), two.embed(TEXTS))


def test_int8_weights_suit_the_cpu_unless_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    # Signed weights only where VNNI multiplies u8 by s8 without saturating;
    # $STORFA_INT8 pins one kind (the suite pins u8: conftest.py).
    from storfa.search.embeddings import signed_weights

    monkeypatch.delenv("STORFA_INT8", raising=False)
    assert signed_weights() is cpu_has_vnni()
    monkeypatch.setenv("STORFA_INT8", "S8")
    assert signed_weights() is True
    monkeypatch.setenv("STORFA_INT8", "u8")
    assert signed_weights() is False
    assert OnnxEmbedder(quantised=True).variant.endswith("-int8-u8")
    monkeypatch.setenv("STORFA_INT8", "int4")
    with pytest.raises(StorfaError, match="STORFA_INT8"):
        signed_weights()


def test_huge_text_is_cut_not_fatal(fast: Embedder) -> None:
    huge = "safeguarding " * 20_000
    vector = fast.embed([huge])[0]
    assert np.isclose(np.linalg.norm(vector), 1.0)
    assert np.allclose(vector, fast.embed([huge[:MAX_CHARS]])[0], atol=1e-6)


def test_batches_by_length_covers_every_index_once() -> None:
    texts = ["a" * n for n in (5, 50, 1, 20, 7)]
    batches = batches_by_length(texts, 2)
    assert sorted(i for b in batches for i in b) == list(range(5))
    assert batches[0] == [1, 3]


def test_unknown_path_is_a_clear_error() -> None:
    with pytest.raises(StorfaError, match="Unknown embedding path"):
        make_embedder("gpu")


def test_a_cache_it_cannot_write_is_a_clear_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # A service account with a read-only home: say where, and what to set.
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("STORFA_CACHE", str(blocked / "cache"))
    with pytest.raises(StorfaError, match="set STORFA_CACHE to a folder it may write"):
        onnx_model(quantised=True)


def test_unsigned_weights_where_the_cpu_lacks_vnni(
        monkeypatch: pytest.MonkeyPatch, reference: Embedder) -> None:
    from storfa.search import embeddings

    monkeypatch.setattr(embeddings, "cpu_has_vnni", lambda: False)
    unsigned = OnnxEmbedder(quantised=True)
    assert unsigned.variant.endswith("-int8-u8")
    cosines = (unsigned.embed(TEXTS[:-1]) * reference.embed(TEXTS[:-1])).sum(axis=1)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.98


def test_exported_graph_is_fused(fast: Embedder) -> None:
    # ONNX Runtime's BERT fusions took: one attention operator per layer, int8.
    import onnx

    assert isinstance(fast, OnnxEmbedder)
    ops = [node.op_type for node in onnx.load(str(fast.path)).graph.node]
    assert ops.count("QAttention") == 6 and "EmbedLayerNormalization" in ops
