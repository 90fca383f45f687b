"""Trained classifier weights: plain NumPy arrays in one .npz file.

No pickles: the file holds only numeric and string arrays, loaded with
allow_pickle=False, so a weights file can never run code. Inference is a few
matrix products, so classifying needs neither scikit-learn nor training."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from storfa.coding.cues import CUE_NAMES

FORMAT_VERSION = 1
Matrix = npt.NDArray[np.float32]
Vector = npt.NDArray[np.float64]


def _sigmoid(x: Vector) -> Vector:
    out: Vector = 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free logistic
    return out


def _softmax(z: Vector) -> Vector:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Vector = e / e.sum(axis=1, keepdims=True)
    return out


@dataclass(frozen=True)
class LinearWeights:
    """A standardised linear model: score = ((x - mean) / scale) @ w.T + b."""

    mean: Vector
    scale: Vector
    w: Vector  # (classes, features); one row for a binary model
    b: Vector  # (classes,)

    def scores(self, x: Matrix) -> Vector:
        z = (np.asarray(x, dtype=np.float64) - self.mean) / self.scale
        out: Vector = z @ self.w.T + self.b
        return out


@dataclass(frozen=True)
class ClassifierWeights:
    """Detection (binary, Platt-calibrated) and coding (multinomial,
    temperature-scaled) weights for one codebook, with the seeds they used."""

    codebook: str
    embedder: str
    codes: tuple[str, ...]  # leaf codes, the order of the coding classes and seeds
    cues: tuple[str, ...]
    seeds: Matrix  # (codes, dim) embedded code definitions
    detect: LinearWeights
    platt: tuple[float, float]  # p = sigmoid(a * score + b), fitted out of fold
    threshold: float  # on the calibrated probability
    code: LinearWeights
    temperature: float
    # A second coder for single-case reviews (a CPR, APR, DHR ...), taught
    # also by whole reviews' practice paragraphs: their themes are told as
    # what one agency did in one case, where thematic reports and extracts
    # generalise. None: the one coder serves both.
    review_code: LinearWeights | None = None
    review_temperature: float | None = None

    def p_best_practice(self, x: Matrix) -> Vector:
        a, b = self.platt
        return _sigmoid(a * self.detect.scores(x)[:, 0] + b)

    def p_codes(self, x: Matrix, single_case: bool = False) -> Vector:
        if single_case and self.review_code is not None and self.review_temperature:
            return _softmax(self.review_code.scores(x) / self.review_temperature)
        return _softmax(self.code.scores(x) / self.temperature)

    def save(self, target: Path | IO[bytes]) -> None:
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "format_version": np.array(FORMAT_VERSION),
            "codebook": np.array(self.codebook), "embedder": np.array(self.embedder),
            "codes": np.array(self.codes), "cues": np.array(self.cues),
            "seeds": self.seeds.astype(np.float32),
            "platt": np.array(self.platt), "threshold": np.array(self.threshold),
            "temperature": np.array(self.temperature),
        }
        parts: list[tuple[str, LinearWeights]] = [("detect", self.detect), ("code", self.code)]
        if self.review_code is not None and self.review_temperature is not None:
            parts.append(("review_code", self.review_code))
            arrays["review_temperature"] = np.array(self.review_temperature)
        for prefix, part in parts:
            for f in fields(part):
                arrays[f"{prefix}_{f.name}"] = getattr(part, f.name).astype(np.float32)
        np.savez_compressed(target, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, source: Path | IO[bytes]) -> ClassifierWeights:
        with np.load(source, allow_pickle=False) as data:
            version = int(data["format_version"])
            if version != FORMAT_VERSION:
                raise ValueError(f"classifier weights format {version}, expected "
                                 f"{FORMAT_VERSION}: retrain with bench/train_classifier.py")
            cues = tuple(str(c) for c in data["cues"])
            if cues != CUE_NAMES:
                raise ValueError("classifier weights were trained with other language cues: "
                                 "retrain with bench/train_classifier.py")

            def part(prefix: str) -> LinearWeights:
                return LinearWeights(*(data[f"{prefix}_{f.name}"].astype(np.float64)
                                       for f in fields(LinearWeights)))

            review = "review_temperature" in data.files
            return cls(codebook=str(data["codebook"]), embedder=str(data["embedder"]),
                       codes=tuple(str(c) for c in data["codes"]), cues=cues,
                       seeds=data["seeds"].astype(np.float32), detect=part("detect"),
                       platt=(float(data["platt"][0]), float(data["platt"][1])),
                       threshold=float(data["threshold"]), code=part("code"),
                       temperature=float(data["temperature"]),
                       review_code=part("review_code") if review else None,
                       review_temperature=float(data["review_temperature"]) if review
                       else None)
