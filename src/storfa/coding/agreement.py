"""Agreement between two coders, per code, at the passage level.

The units are the passages (headings aside) of the reviews both coders have
coded in the codebook. For each code a coder's value for a passage is 1 if
one of their accepted extracts with that code overlaps the passage, else 0.
Cohen's kappa and Krippendorff's alpha (nominal) are computed over those 0/1
pairs; both are undefined (None) when there is no variation to agree about,
e.g. a code neither coder used."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Any

from storfa.domain.codebooks import Codebook
from storfa.domain.coding import ACCEPTED, Extract


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters' labels for the same items."""
    if len(a) != len(b):
        raise ValueError("Both coders need a label for every unit.")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data: one row per coder, one column per
    unit, None where a coder gave no value. Units with fewer than two values
    are not pairable and are left out, as in Krippendorff (2011)."""
    coincidence: dict[tuple[Hashable, Hashable], float] = {}
    for unit in zip(*data, strict=True):
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for x, y in permutations(values, 2):
            coincidence[(x, y)] = coincidence.get((x, y), 0.0) + 1.0 / (m - 1)
    totals: dict[Hashable, float] = {}
    for (x, _), weight in coincidence.items():
        totals[x] = totals.get(x, 0.0) + weight
    n = sum(totals.values())
    if n <= 1:
        return None
    disagree = sum(w for (x, y), w in coincidence.items() if x != y)
    expected = sum(totals[x] * totals[y] for x in totals for y in totals if x != y) / (n - 1)
    if expected == 0:
        return None
    return 1.0 - disagree / expected


@dataclass(frozen=True)
class Unit:
    """A passage: the span of a review version's text that is coded or not."""

    review_row: int
    version_id: int
    start: int
    end: int


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    theme: str
    units: int
    coded_a: int
    coded_b: int
    coded_both: int
    kappa: float | None
    alpha: float | None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "theme": self.theme, "units": self.units,
                "coded_a": self.coded_a, "coded_b": self.coded_b,
                "coded_both": self.coded_both,
                "kappa": None if self.kappa is None else round(self.kappa, 4),
                "alpha": None if self.alpha is None else round(self.alpha, 4)}


def _coded(units: Sequence[Unit], extracts: Iterable[Extract], code: str) -> list[int]:
    spans: dict[int, list[tuple[int, int]]] = {}
    for e in extracts:
        if e.code.casefold() == code.casefold():
            spans.setdefault(e.version_id, []).append((e.start, e.end))
    return [int(any(s < u.end and u.start < t for s, t in spans.get(u.version_id, ())))
            for u in units]


def passage_agreement(book: Codebook, units: Sequence[Unit], a: Sequence[Extract],
                      b: Sequence[Extract]) -> list[CodeAgreement]:
    """Kappa and alpha per code of the codebook over these units."""
    found = []
    for code in book:
        xa, xb = _coded(units, a, code.name), _coded(units, b, code.name)
        found.append(CodeAgreement(
            code=code.name, theme=code.theme, units=len(units), coded_a=sum(xa),
            coded_b=sum(xb), coded_both=sum(x & y for x, y in zip(xa, xb, strict=True)),
            kappa=cohen_kappa(xa, xb), alpha=krippendorff_alpha([xa, xb])))
    return found


def coder_of(extract: Extract) -> str:
    """Whose coding an accepted extract is: the person who accepted a
    suggestion, or who made a manual extract (decided_by is its coder)."""
    return extract.decided_by or extract.coder


def by_coder(extracts: Iterable[Extract], coder: str) -> list[Extract]:
    return [e for e in extracts if e.status == ACCEPTED and coder_of(e) == coder]
