"""The prefiltered path of search/vectors.py (PCA scan, exact re-score) against
the exact scan on a seeded synthetic set with structure: same top 10, exact
scores, masks applied before candidates are chosen, and small stores exact."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from storfa.search.vectors import EXACT_BELOW, VectorIndex, normalise

ROWS, DIM, PER_REVIEW = 6000, 384, 40


def structured(seed: int = 3) -> npt.NDArray[np.float32]:
    """Rows with the shape of sentence embeddings: a few dozen topics, a
    low-rank spread around each, and a little isotropic noise."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(40, DIM))
    mix = rng.normal(size=(24, DIM)) / np.sqrt(24)
    rows = (topics[rng.integers(0, 40, ROWS)] * 0.6
            + rng.normal(size=(ROWS, 24)) @ mix
            + rng.normal(scale=0.15, size=(ROWS, DIM)))
    return normalise(rows.astype(np.float32))


def index(**options: int) -> VectorIndex:
    ids = np.arange(1000, 1000 + ROWS, dtype=np.int64)
    reviews = np.arange(ROWS, dtype=np.int64) // PER_REVIEW
    built = VectorIndex(None, "synthetic", **options)
    built.set(ids, reviews, structured())
    return built


@pytest.fixture(scope="module")
def fast() -> VectorIndex:
    built = index(exact_below=1000, candidates=300, dims=48)
    assert built.prefilter is not None
    return built


def queries(n: int = 25) -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(11)
    rows = structured()[rng.choice(ROWS, n, replace=False)]
    return normalise(rows + rng.normal(scale=0.05, size=rows.shape).astype(np.float32))


def test_fast_path_returns_the_exact_top_ten(fast: VectorIndex) -> None:
    for q in queries():
        exact = fast.search(q, 10, exact=True)
        quick = fast.search(q, 10)
        assert exact.exact and not quick.exact
        assert [p for p, _ in quick.hits] == [p for p, _ in exact.hits]
        # The scores are the exact cosines, not the projected estimates.
        assert np.allclose([s for _, s in quick.hits], [s for _, s in exact.hits], atol=1e-6)


def test_masks_apply_before_candidates_are_chosen(fast: VectorIndex) -> None:
    reviews = np.unique(fast.reviews)
    allowed = set(reviews[::4].tolist())
    for q in queries(10):
        # Hide the review that holds the query's own nearest rows: none of them
        # may come back, and the rest must still be the exact masked answer.
        nearest_review = int(fast.reviews[int(np.argmax(fast.matrix @ q))])
        mask = fast.review_mask(allowed | {nearest_review}, {nearest_review})
        assert mask is not None
        quick = fast.search(q, 10, mask)
        exact = fast.search(q, 10, mask, exact=True)
        assert [p for p, _ in quick.hits] == [p for p, _ in exact.hits]
        rows = np.searchsorted(fast.ids, [p for p, _ in quick.hits])
        assert set(fast.reviews[rows].tolist()) <= allowed - {nearest_review}
    # A mask leaving fewer rows than the candidate list: every one is re-scored.
    only = fast.review_mask({int(reviews[5])})
    assert only is not None
    hits = fast.search(queries(1)[0], 100, only).hits
    assert len(hits) == PER_REVIEW
    assert {p for p, _ in hits} == set(fast.ids[only].tolist())


def test_min_score_and_related_count(fast: VectorIndex) -> None:
    q = queries(1)[0]
    exact = fast.search(q, 10, min_score=0.3, exact=True)
    quick = fast.search(q, 10, min_score=0.3)
    assert [p for p, _ in quick.hits] == [p for p, _ in exact.hits]
    assert all(s >= 0.3 for _, s in quick.hits)
    # The fast count is an estimate, never below what is shown, near the truth.
    assert quick.related >= len(quick.hits)
    assert abs(quick.related - exact.related) <= max(20, exact.related // 5)


def test_deep_pages_and_small_stores_use_the_exact_scan(fast: VectorIndex) -> None:
    q = queries(1)[0]
    # A deep page widens the candidate list to twice its depth...
    deep, truth = fast.search(q, 200), fast.search(q, 200, exact=True)
    assert not deep.exact and len(deep.hits) == 200
    assert len({p for p, _ in deep.hits} & {p for p, _ in truth.hits}) >= 196
    # ...and one that would re-score every row is answered by the exact scan.
    assert fast.search(q, ROWS // 2).exact
    small = index()  # default threshold: 6,000 rows is far below it
    assert ROWS < EXACT_BELOW and small.prefilter is None
    assert small.search(q, 10).exact
    assert small.nearest(q, 3) == [(p, s) for p, s in small.search(q, 3, exact=True).hits]


def test_prefilter_is_deterministic() -> None:
    a, b = index(exact_below=1000, dims=48), index(exact_below=1000, dims=48)
    assert a.prefilter is not None and b.prefilter is not None
    assert np.array_equal(a.prefilter.reduced_t, b.prefilter.reduced_t)


@pytest.mark.parametrize("exact", [True, False])
def test_a_bias_ranks_every_row_on_both_paths(fast: VectorIndex, exact: bool) -> None:
    # A bias lifts rows far down the cosine order to the top, scores become
    # cosine + bias, rows below the minimum cosine are never ranked, and the
    # related count stays a count by cosine.
    q = queries(1)[0]
    cosines = fast.matrix @ q
    order = np.argsort(-cosines)
    lifted = order[[500, 900]]  # related, but nowhere near the top ten
    below = int(np.flatnonzero(cosines < 0.0)[0])
    bias = np.zeros(len(fast.ids), dtype=np.float32)
    bias[lifted] = [2.0, 1.0]
    bias[below] = 5.0
    plain = fast.search(q, 10, min_score=0.0, exact=exact)
    found = fast.search(q, 10, min_score=0.0, exact=exact, bias=bias)
    assert [p for p, _ in found.hits[:2]] == [int(fast.ids[r]) for r in lifted]
    assert found.hits[0][1] == pytest.approx(float(cosines[lifted[0]]) + 2.0, abs=1e-5)
    assert int(fast.ids[below]) not in {p for p, _ in found.hits}
    assert [p for p, _ in found.hits[2:]] == [p for p, _ in plain.hits[:8]]
    assert found.related == plain.related
