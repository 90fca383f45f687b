"""Agreement between two coders, per code, at the passage level.

The units are the passages (headings aside) of the reviews both coders have
coded in the codebook. For each code a coder's value for a passage is 1 if
one of their accepted extracts with that code overlaps the passage, else 0.
Cohen's kappa and Krippendorff's alpha (nominal) are computed over those 0/1
pairs; both are undefined (None) when there is no variation to agree about,
e.g. a code neither coder used.

`compare_coders` is the use case the page (/coding/agreement), the API
(GET /api/v1/coding/{codebook}/agreement) and `storfa code agreement` share,
through CodingService.agreement_report: it picks the pair of coders when none
is named (the two who coded most reviews in common), and returns the figures
per code, the figures over every code either coder used (pooled: each
passage × code is one unit), what kappa's band means, and the passages where
the two differ."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, permutations
from typing import TYPE_CHECKING, Any

from storfa.domain.codebooks import Codebook
from storfa.domain.coding import ACCEPTED, Extract
from storfa.domain.errors import N_, StorfaError

if TYPE_CHECKING:
    from storfa.storage.interface import Store

# Landis and Koch's (1977) bands for kappa: the lowest value of each, best first.
BANDS = ((0.81, N_("almost perfect")), (0.61, N_("substantial")), (0.41, N_("moderate")),
         (0.21, N_("fair")), (0.0, N_("slight")))
POOR = N_("poor")


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


def kappa_band(kappa: float | None) -> str | None:
    """What a kappa means in words (Landis and Koch): poor below 0, then
    slight, fair, moderate, substantial, almost perfect above 0.80. Kappa is
    compared as rounded to two places, as it is shown."""
    if kappa is None:
        return None
    shown = round(kappa, 2)
    return next((name for floor, name in BANDS if shown >= floor), POOR)


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """The share of units both coders gave the same value, 0 to 100."""
    if not a:
        return None
    return 100.0 * sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


@dataclass(frozen=True)
class Unit:
    """A passage: the span of a review version's text that is coded or not."""

    review_row: int
    version_id: int
    start: int
    end: int
    review_id: str = ""
    page: int | None = None
    text: str = ""


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

    @property
    def only_a(self) -> int:
        return self.coded_a - self.coded_both

    @property
    def only_b(self) -> int:
        return self.coded_b - self.coded_both

    @property
    def used(self) -> bool:
        """Whether either coder used the code on these passages."""
        return self.coded_a + self.coded_b > 0

    @property
    def percent(self) -> float | None:
        """Passages on which the two agree (both coded it, or neither did), 0 to 100."""
        if not self.units:
            return None
        return 100.0 * (self.units - self.only_a - self.only_b) / self.units

    @property
    def band(self) -> str | None:
        return kappa_band(self.kappa)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "theme": self.theme, "units": self.units,
                "coded_a": self.coded_a, "coded_b": self.coded_b,
                "coded_both": self.coded_both, "only_a": self.only_a, "only_b": self.only_b,
                "percent": _rounded(self.percent, 2),
                "kappa": _rounded(self.kappa, 4), "alpha": _rounded(self.alpha, 4),
                "band": self.band}


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _over(unit: Unit, e: Extract) -> bool:
    return e.version_id == unit.version_id and e.start < unit.end and unit.start < e.end


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


# ------------------------------------------------------------ the use case
@dataclass(frozen=True)
class Overall:
    """The figures over every code either coder used, pooled: each passage ×
    code is one unit (a code neither used would only add agreement about
    nothing)."""

    codes: int
    units: int
    kappa: float | None
    alpha: float | None
    percent: float | None

    @property
    def band(self) -> str | None:
        return kappa_band(self.kappa)

    def as_json(self) -> dict[str, Any]:
        return {"codes": self.codes, "units": self.units, "percent": _rounded(self.percent, 2),
                "kappa": _rounded(self.kappa, 4), "alpha": _rounded(self.alpha, 4),
                "band": self.band}


@dataclass(frozen=True)
class Disagreement:
    """A passage the two coders coded differently: the codes only one of them
    gave it, and an extract of each kind to open it at."""

    review_id: str
    page: int | None
    start: int
    end: int
    text: str
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    extract_id: int

    def involves(self, code: str) -> bool:
        key = code.casefold()
        return any(c.casefold() == key for c in (*self.only_a, *self.only_b))

    def as_json(self) -> dict[str, Any]:
        return {"review_id": self.review_id, "page": self.page, "start": self.start,
                "end": self.end, "text": self.text, "only_a": list(self.only_a),
                "only_b": list(self.only_b), "extract_id": self.extract_id}


@dataclass(frozen=True)
class CoderReviews:
    """A coder with accepted codings in the codebook, and on how many reviews."""

    coder: str
    reviews: int

    def as_json(self) -> dict[str, Any]:
        return {"coder": self.coder, "reviews": self.reviews}


@dataclass(frozen=True)
class AgreementReport:
    codebook: str
    coder_a: str | None  # None when no two coders have coded a review in common
    coder_b: str | None
    coders: list[CoderReviews]
    reviews: list[str]
    codes: list[CodeAgreement]
    overall: Overall
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def units(self) -> int:
        return self.codes[0].units if self.codes else 0

    def as_json(self) -> dict[str, Any]:
        return {"codebook": self.codebook,
                "coders": [c for c in (self.coder_a, self.coder_b) if c is not None],
                "reviews": self.reviews, "units": self.units,
                "codes": [f.as_json() for f in self.codes],
                "overall": self.overall.as_json(),
                "disagreements": [d.as_json() for d in self.disagreements],
                "candidates": [c.as_json() for c in self.coders]}


def coders_by_review(extracts: Iterable[Extract]) -> dict[str, set[str]]:
    """Each coder of these accepted extracts, and the reviews they coded."""
    found: dict[str, set[str]] = {}
    for e in extracts:
        if e.status == ACCEPTED:
            found.setdefault(coder_of(e), set()).add(e.review_id)
    return found


def busiest_pair(coded: dict[str, set[str]]) -> tuple[str, str] | None:
    """The two coders who coded most reviews in common (then most reviews
    between them, then by name); None when no two share a review."""
    best: tuple[tuple[int, int, str, str], tuple[str, str]] | None = None
    for a, b in combinations(sorted(coded), 2):
        common = len(coded[a] & coded[b])
        if not common:
            continue
        key = (-common, -(len(coded[a]) + len(coded[b])), a, b)
        if best is None or key < best[0]:
            best = (key, (a, b))
    return None if best is None else best[1]


def pooled(units: Sequence[Unit], a: Sequence[Extract], b: Sequence[Extract],
           figures: Sequence[CodeAgreement]) -> Overall:
    used = [f.code for f in figures if f.used]
    xa: list[int] = []
    xb: list[int] = []
    for code in used:
        xa += _coded(units, a, code)
        xb += _coded(units, b, code)
    return Overall(codes=len(used), units=len(xa), kappa=cohen_kappa(xa, xb),
                   alpha=krippendorff_alpha([xa, xb]) if xa else None,
                   percent=percent_agreement(xa, xb))


def disagreements(units: Sequence[Unit], a: Sequence[Extract],
                  b: Sequence[Extract]) -> list[Disagreement]:
    """The passages the two coded differently, in review and text order."""
    by_version: dict[int, tuple[list[Extract], list[Extract]]] = {}
    for side, extracts in enumerate((a, b)):
        for e in extracts:
            by_version.setdefault(e.version_id, ([], []))[side].append(e)
    found = []
    for u in units:
        of_a, of_b = by_version.get(u.version_id, ([], []))
        over_a = [e for e in of_a if _over(u, e)]
        over_b = [e for e in of_b if _over(u, e)]
        codes_a = {e.code.casefold(): e for e in over_a}
        codes_b = {e.code.casefold(): e for e in over_b}
        only_a = [codes_a[k] for k in codes_a if k not in codes_b]
        only_b = [codes_b[k] for k in codes_b if k not in codes_a]
        if not only_a and not only_b:
            continue
        found.append(Disagreement(
            review_id=u.review_id, page=u.page, start=u.start, end=u.end, text=u.text,
            only_a=tuple(sorted(e.code for e in only_a)),
            only_b=tuple(sorted(e.code for e in only_b)),
            extract_id=min(e.id for e in (*only_a, *only_b))))
    return found


def compare_coders(store: Store, book: Codebook, accepted: Sequence[Extract],
                   coder_a: str | None = None, coder_b: str | None = None, code: str = ""
                   ) -> AgreementReport:
    """Agreement of two coders over these accepted extracts of the codebook
    (already narrowed to the reviews the asker may see). Name both coders or
    neither: with neither, the two who coded most reviews in common. The
    disagreements are those involving `code` only, when one is named."""
    if (coder_a is None) != (coder_b is None) or (coder_a is not None and coder_a == coder_b):
        raise StorfaError(N_("Name two different coders."))
    coded = coders_by_review(accepted)
    coders = sorted((CoderReviews(name, len(keys)) for name, keys in coded.items()),
                    key=lambda c: (-c.reviews, c.coder))
    if coder_a is None or coder_b is None:
        pair = busiest_pair(coded)
        if pair is None:
            return AgreementReport(book.name, None, None, coders, [], [],
                                   Overall(0, 0, None, None, None))
        coder_a, coder_b = pair
    a, b = by_coder(accepted, coder_a), by_coder(accepted, coder_b)
    both = sorted({e.review_id for e in a} & {e.review_id for e in b})
    units: list[Unit] = []
    for key in both:
        record = store.get_review(key)
        assert record is not None  # it has extracts
        units.extend(Unit(record.id, record.version_id, p.start, p.end, key, p.page, p.text)
                     for p in sorted(store.passages(record.version_id), key=lambda p: p.start)
                     if p.kind != "heading")
    figures = passage_agreement(book, units, a, b)
    differ = [d for d in disagreements(units, a, b) if not code or d.involves(code)]
    return AgreementReport(book.name, coder_a, coder_b, coders, both, figures,
                           pooled(units, a, b, figures), differ)
