"""The best-practice dev set (data/devset/best-practice.jsonl), shared by the
classifier's training and evaluation scripts, with embeddings cached in
bench/out so that tuning does not re-embed the same passages."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storfa.search.embeddings import Embedder

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset" / "best-practice.jsonl"
CACHE = Path(__file__).resolve().parent / "out" / "embeddings"


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    best_practice: bool
    theme: str | None
    code: str | None
    source: str
    split: str

    @property
    def origin(self) -> str:
        return self.source.split(":", 1)[0]


def load(splits: set[str] | None = None, path: Path = DEVSET) -> list[Row]:
    rows = [Row(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if splits is None or r.split in splits]


def embed_cached(embedder: Embedder, texts: list[str]) -> npt.NDArray[np.float32]:
    key = hashlib.sha1("\n".join([embedder.name, *texts]).encode()).hexdigest()[:16]
    path = CACHE / f"{key}.npy"
    if path.exists():
        cached: npt.NDArray[np.float32] = np.load(path, allow_pickle=False)
        return cached
    vectors = embedder.embed(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
