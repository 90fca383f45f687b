"""The best-practice dev set (data/devset/best-practice.jsonl), shared by the
classifier's training and evaluation scripts, with embeddings cached in
bench/out so that tuning does not re-embed the same passages. The loading and
the figures live in storfa.coding.evaluation, which `storfa code train` uses
too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from storfa.coding import evaluation
from storfa.coding.evaluation import DEVSET, Row, load
from storfa.search.embeddings import Embedder

CACHE = Path(__file__).resolve().parent / "out" / "embeddings"
__all__ = ["CACHE", "DEVSET", "Row", "embed_cached", "load"]


def embed_cached(embedder: Embedder, texts: list[str]) -> npt.NDArray[np.float32]:
    return evaluation.embed_cached(embedder, texts, CACHE)
