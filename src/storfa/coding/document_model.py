"""Best practice in a whole document: the passage classifier's reading of a
passage's words, corrected by what the document says about it.

P(practice | passage in its document) is a logistic model over the passage
classifier's log-odds and the passage's `coding.context` reading (its zone,
its form, its modality), fitted on whole real documents labelled paragraph by
paragraph (data/wholedoc) and checked one held-out document at a time
(bench/wholedoc_eval.py). The weights ship as plain arrays beside the
classifier's (`coding/data/<codebook>.document.npz`); the file also carries
the default suggestion threshold, chosen on held-out documents so that at
least 80% of suggestions are practice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from storfa.coding.context import FEATURE_NAMES, Reading, features

FORMAT_VERSION = 1
Vector = npt.NDArray[np.float64]
# Log-odds are clipped so that a passage the classifier is certain of can
# still be overruled by its context.
LOGIT_CLIP = 8.0


def logit(p: Vector) -> Vector:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    out: Vector = np.clip(np.log(q / (1 - q)), -LOGIT_CLIP, LOGIT_CLIP)
    return out


def design(p_text: Vector, readings: Sequence[Reading]) -> Vector:
    """The model's inputs: the classifier's log-odds, the context features,
    and the log-odds within the zones where reviewers praise or direct (the
    same words weigh differently under "Good practice" and "Recommendations")."""
    z = logit(p_text)[:, None]
    ctx = features(readings).astype(np.float64)
    column = {name: i for i, name in enumerate(FEATURE_NAMES)}
    interactions = np.hstack([z * ctx[:, [column[f"zone:{zone}"]]]
                              for zone in INTERACTION_ZONES])
    out: Vector = np.hstack([z, ctx, interactions])
    return out


INTERACTION_ZONES = ("practice", "recommendations", "learning", "chronology")
DESIGN_NAMES: tuple[str, ...] = ("logit", *FEATURE_NAMES,
                                 *(f"logit*zone:{z}" for z in INTERACTION_ZONES))


@dataclass(frozen=True)
class DocumentWeights:
    codebook: str
    names: tuple[str, ...]
    w: Vector
    b: float
    threshold: float  # default suggestion threshold on the calibrated probability

    def p_practice(self, p_text: Vector, readings: Sequence[Reading]) -> Vector:
        x = design(p_text, readings)
        out: Vector = 0.5 * (1.0 + np.tanh(0.5 * (x @ self.w + self.b)))
        return out

    def save(self, target: Path | IO[bytes]) -> None:
        np.savez_compressed(
            target, format_version=np.array(FORMAT_VERSION), codebook=np.array(self.codebook),
            names=np.array(self.names), w=self.w.astype(np.float64), b=np.array(self.b),
            threshold=np.array(self.threshold))

    @classmethod
    def load(cls, source: Path | IO[bytes]) -> DocumentWeights:
        with np.load(source, allow_pickle=False) as data:
            if int(data["format_version"]) != FORMAT_VERSION:
                raise ValueError("document model format changed: retrain with "
                                 "bench/wholedoc_eval.py --write")
            names = tuple(str(n) for n in data["names"])
            if names != DESIGN_NAMES:
                raise ValueError("document model was trained on other context features: "
                                 "retrain with bench/wholedoc_eval.py --write")
            return cls(str(data["codebook"]), names, data["w"].astype(np.float64),
                       float(data["b"]), float(data["threshold"]))


def fit(p_text: Vector, readings: Sequence[Reading], practice: npt.NDArray[np.bool_],
        codebook: str, c: float = 1.0, threshold: float = 0.5) -> DocumentWeights:
    """Fit the document model. The classifier's log-odds enter with weight 1
    (an offset): the context shifts the odds of what the words say, and never
    learns to ignore them. Trained on a few thematic reports, a free weight
    fell to 0.27, which would drown clear praise in a single review's
    "Learning" section; with the offset it still reads as practice."""
    from scipy.optimize import minimize

    x = design(p_text, readings)
    offset = x[:, 0]
    ctx = x[:, 1:]
    y = practice.astype(np.float64)

    def loss(theta: Vector) -> tuple[float, Vector]:
        w, b = theta[:-1], theta[-1]
        z = offset + ctx @ w + b
        p = 0.5 * (1.0 + np.tanh(0.5 * z))
        eps = 1e-12
        nll = -float(np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
        grad = np.concatenate([ctx.T @ (p - y), [np.sum(p - y)]]) + np.concatenate(
            [w / c, [0.0]])
        return nll + float(w @ w) / (2 * c), grad

    theta = minimize(loss, np.zeros(ctx.shape[1] + 1), jac=True, method="L-BFGS-B").x
    weights = np.concatenate([[1.0], theta[:-1]])
    return DocumentWeights(codebook, DESIGN_NAMES, weights.astype(np.float64),
                           float(theta[-1]), threshold)


def weights_file(codebook: str) -> resources.abc.Traversable:
    return resources.files("storfa.coding") / "data" / f"{codebook}.document.npz"


@cache
def load_document_model(codebook: str) -> DocumentWeights | None:
    """The shipped document model of a built-in codebook, or None."""
    path = weights_file(codebook)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return DocumentWeights.load(fh)
