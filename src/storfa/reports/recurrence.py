"""Recurrence and follow-through of recommendations (MISSION.md area E).

Recurrence: recommendations from different reviews that ask for the same
thing are grouped by meaning. Each recommendation's *topic* — its text after
the addressee ("Powys County Council must | develop practice guidance on ...")
— is embedded with the shipped sentence model, and the vectors are grouped
by average-linkage agglomerative clustering on cosine distance, cut at
THRESHOLD (chosen on the generated corpus, docs/reports.md). A group is
labelled by its most central recommendation and its commonest words, and
counted per review.

Follow-through: for one recommendation, later reviews' best-practice
extracts that say the same thing (cosine similarity above EVIDENCE_MIN) are
evidence the practice changed; later reviews with a recommendation in the
same group are repeats."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from storfa.search.embeddings import DIM, Matrix
from storfa.storage.sql.extracts import REJECTED, SQLExtracts
from storfa.storage.sql.recommendations import STATUSES, SQLRecommendations

if TYPE_CHECKING:
    from storfa.app import Storfa

# Cosine distance at which two groups stop merging (average linkage). On 60
# generated reviews whose recommendations' sources are known, every cut from
# 0.25 to 0.35 recovers the 29 phrasings exactly (ARI 1.0) and 0.40 starts
# merging different asks; the top of that plateau leaves most room for real
# reviews' freer wording (bench/recurrence_threshold.py; docs/reports.md).
THRESHOLD = 0.35
# A best-practice extract at least this similar to a recommendation is linked
# as evidence that the practice it asks for was seen later.
EVIDENCE_MIN = 0.45
MAX_EVIDENCE = 10
LABEL_TERMS = 4

Embed = Callable[[Sequence[str]], Matrix]

_ADDRESSEE = re.compile(r"\b(?:should|must|shall|are asked to|is asked to|needs? to|ought to|"
                        r"will|dylai|dylid|rhaid i)\b\s*", re.I)
_WORD = re.compile(r"[a-zA-Z][a-zA-Z'-]{3,}")
_STOP = frozenset((
    "that", "this", "with", "from", "their", "they", "them", "have", "been", "were", "which",
    "when", "where", "what", "into", "onto", "also", "such", "than", "then", "there", "these",
    "those", "about", "across", "ensure", "should", "must", "including", "include", "includes",
    "within", "between", "other", "each", "every", "more", "most", "will", "shall"))


def topic(text: str) -> str:
    """What a recommendation asks for, without who is asked: agencies named
    first would otherwise pull recommendations to the same body together."""
    match = _ADDRESSEE.search(text[:250])
    rest = text[match.end():] if match else text
    return rest.strip() or text


class EmbeddingCache:
    """Vectors of texts, kept in memory by the text's hash: a register of a
    few thousand recommendations is embedded once per process."""

    def __init__(self, embed: Embed | None = None) -> None:
        self._embed = embed
        self._vectors: dict[str, Matrix] = {}

    def _model(self) -> Embed:
        if self._embed is None:
            from storfa.search.embeddings import default_embedder

            model = default_embedder()
            self._embed = lambda texts: model.embed(texts)
        return self._embed

    def __call__(self, texts: Sequence[str]) -> Matrix:
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            vectors = self._model()([by_key[k] for k in missing])
            for k, v in zip(missing, vectors, strict=True):
                self._vectors[k] = v
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)


_CACHE = EmbeddingCache()


def shared_cache() -> EmbeddingCache:
    return _CACHE


@dataclass(frozen=True)
class Item:
    """One recommendation as recurrence sees it."""

    id: int
    review_id: str
    review_row: int
    year: int | None
    number: str
    text: str
    status: str
    page: int | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "review_id": self.review_id, "year": self.year,
                "number": self.number, "text": self.text, "status": self.status,
                "page": self.page}


@dataclass
class Group:
    id: int
    label: str
    terms: list[str]
    items: list[Item] = field(default_factory=list)

    @property
    def reviews(self) -> list[str]:
        return sorted({i.review_id for i in self.items})

    @property
    def years(self) -> tuple[int, int] | None:
        years = [i.year for i in self.items if i.year]
        return (min(years), max(years)) if years else None

    @property
    def span(self) -> str:
        years = self.years
        if years is None:
            return ""
        return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"

    @property
    def statuses(self) -> dict[str, int]:
        counts = Counter(i.status for i in self.items)
        return {s: counts.get(s, 0) for s in STATUSES}

    def summary(self) -> str:
        """"whole-family approach: 20 reviews, 2015–2023, 6 implemented"."""
        span = f", {self.span}" if self.span else ""
        return (f"{self.label}: {len(self.reviews)} reviews{span}, "
                f"{self.statuses['implemented']} implemented")

    def as_json(self) -> dict[str, Any]:
        years = self.years
        return {"id": self.id, "label": self.label, "terms": self.terms,
                "reviews": len(self.reviews), "review_ids": self.reviews,
                "year_from": years[0] if years else None,
                "year_to": years[1] if years else None,
                "statuses": self.statuses, "summary": self.summary(),
                "recommendations": [i.as_json() for i in self.items]}


def clusters(vectors: Matrix, threshold: float = THRESHOLD) -> list[int]:
    """A cluster number per row: average linkage on cosine distance, cut at threshold."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [0]
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=threshold)
    return [int(x) for x in model.fit_predict(vectors)]


def _terms(texts: Iterable[str]) -> list[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w.casefold() for w in _WORD.findall(text)} - _STOP)
    return [w for w, _ in counts.most_common(LABEL_TERMS)]


def group(items: Sequence[Item], embed: Embed | None = None,
          threshold: float = THRESHOLD) -> list[Group]:
    """Groups of recommendations by meaning, most reviews first."""
    if not items:
        return []
    embed = embed or _CACHE
    topics = [topic(i.text) for i in items]
    vectors = embed(topics)
    labels = clusters(vectors, threshold)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    groups: list[Group] = []
    for indexes in members.values():
        centre = vectors[indexes].mean(axis=0)
        central = max(indexes, key=lambda i: float(vectors[i] @ centre))
        chosen = sorted((items[i] for i in indexes),
                        key=lambda it: (it.year or 0, it.review_id, it.id))
        groups.append(Group(0, topic(items[central].text).rstrip("."),
                            _terms(topics[i] for i in indexes), chosen))
    groups.sort(key=lambda g: (-len(g.reviews), -len(g.items), g.label))
    for number, g in enumerate(groups, start=1):
        g.id = number
    return groups


# ------------------------------------------------------------- from the store
def items_of(app: Storfa, exclude: Iterable[int] = (),
             reviews: Iterable[str] | None = None) -> list[Item]:
    """The current register's recommendations of the visible reviews
    (`exclude`: review rows the reader may not see; `reviews`: only these)."""
    hidden = set(exclude)
    wanted = None if reviews is None else set(reviews)
    summaries = {s.review_id: s for s in app.store.list_reviews()}
    keys = app.store.review_keys()
    out = []
    for r in SQLRecommendations(app.store.db).current():
        key = keys.get(r.review_row)
        if key is None or r.review_row in hidden or (wanted is not None and key not in wanted):
            continue
        summary = summaries.get(key)
        out.append(Item(r.id, key, r.review_row, summary.year if summary else None, r.number,
                        r.text, r.status, r.page))
    return out


def ensure_extracted(app: Storfa, actor: str) -> None:
    """Extract the recommendations of reviews whose current version never was
    (the register does that on demand too), so recurrence sees every review."""
    from storfa.analysis.recommendation_register import RecommendationRegister

    RecommendationRegister.of(app).extract(None, actor, only_stale=True)


def recurrence(app: Storfa, exclude: Iterable[int] = (), threshold: float = THRESHOLD,
               reviews: Iterable[str] | None = None, embed: Embed | None = None
               ) -> list[Group]:
    return group(items_of(app, exclude, reviews), embed, threshold)


@dataclass(frozen=True)
class Evidence:
    review_id: str
    year: int | None
    page: int | None
    code: str
    text: str
    similarity: float
    extract_id: int

    def as_json(self) -> dict[str, Any]:
        return {"review_id": self.review_id, "year": self.year, "page": self.page,
                "code": self.code, "text": self.text,
                "similarity": round(self.similarity, 4), "extract_id": self.extract_id}


@dataclass
class FollowThrough:
    item: Item
    evidence: list[Evidence]
    repeats: list[Item]

    def as_json(self) -> dict[str, Any]:
        return {"recommendation": self.item.as_json(),
                "evidence": [e.as_json() for e in self.evidence],
                "repeats": [r.as_json() for r in self.repeats]}


def follow_through(app: Storfa, rec_id: int, exclude: Iterable[int] = (),
                   threshold: float = THRESHOLD, embed: Embed | None = None
                   ) -> FollowThrough | None:
    """Later evidence for one recommendation (None when it is not visible)."""
    hidden = set(exclude)
    items = items_of(app, hidden)
    item = next((i for i in items if i.id == rec_id), None)
    if item is None:
        return None
    embed = embed or _CACHE
    later = item.year or 0
    years = {s.review_id: s.year for s in app.store.list_reviews()}
    extracts = [e for e in SQLExtracts(app.store.db).select(codebook="best-practice")
                if e.status != REJECTED and e.review_row not in hidden
                and e.review_row != item.review_row and (years.get(e.review_id) or 0) > later]
    evidence: list[Evidence] = []
    if extracts:
        vectors = embed([topic(item.text)] + [e.text for e in extracts])
        scores = vectors[1:] @ vectors[0]
        for e, score in zip(extracts, scores, strict=True):
            if float(score) >= EVIDENCE_MIN:
                evidence.append(Evidence(e.review_id, years.get(e.review_id), e.page, e.code,
                                         e.text, float(score), e.id))
        evidence.sort(key=lambda ev: (-ev.similarity, ev.year or 0, ev.review_id))
    groups = group(items, embed, threshold)
    mine = next(g for g in groups if any(i.id == rec_id for i in g.items))
    repeats = [i for i in mine.items if i.review_row != item.review_row and (i.year or 0) > later]
    return FollowThrough(item, evidence[:MAX_EVIDENCE], repeats)
