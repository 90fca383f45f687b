"""Recurrence and follow-through of recommendations (MISSION.md area E).

Recurrence: recommendations from different reviews that ask for the same
thing are grouped by meaning. Each recommendation's *topic* — its text after
the addressee ("Powys County Council must | develop practice guidance on ...")
— is embedded with the shipped sentence model, and the vectors are grouped
by average-linkage agglomerative clustering on cosine distance, cut at
THRESHOLD (chosen on the generated corpus, docs/reports.md). A group is
labelled by its most central recommendation and its commonest words, and
counted per review. The grouping is computed once per change (`regroup`,
after a file is stored and after a correction: ingest/after_store.py) and
stored; readers assemble what they may see from it and never compute it.

Follow-through: for one recommendation, later reviews' best-practice
extracts that say the same thing (cosine similarity above EVIDENCE_MIN) are
evidence the practice changed; later reviews with a recommendation in the
same group are repeats."""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from storfa.domain.coding import REJECTED
from storfa.domain.errors import N_, StorfaError
from storfa.domain.recommendations import STATUSES
from storfa.search.embeddings import DIM, Matrix
from storfa.storage import repositories

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


def load_clustering() -> None:
    """Import what `clusters` needs (SciPy's hierarchy, ~0.4 s) ahead of the
    regrouping after a batch: `after_store.AsStored` asks for it while the
    parse workers are still reading, rather than after them on one core."""
    import scipy.cluster.hierarchy  # noqa: F401


def clusters(vectors: Matrix, threshold: float = THRESHOLD) -> list[int]:
    """A cluster number per row: average linkage on cosine distance, cut at threshold.

    The numbers are scikit-learn's AgglomerativeClustering(metric="cosine",
    linkage="average", distance_threshold=threshold), which builds this same
    SciPy tree and cuts it as `_cut` does; called directly, the grouping
    after an ingest skips importing scikit-learn (~0.8 s a process)."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [0]
    if not np.all(np.any(vectors, axis=1)):
        raise ValueError("Cosine affinity cannot be used when X contains zero vectors")
    from scipy.cluster.hierarchy import linkage

    tree = linkage(vectors, method="average", metric="cosine")
    children = [(int(a), int(b)) for a, b in tree[:, :2]]
    return _cut(children, int(np.count_nonzero(tree[:, 2] >= threshold)) + 1, n)


def _cut(children: Sequence[tuple[int, int]], n_clusters: int, n_leaves: int) -> list[int]:
    """Cut a linkage tree into n_clusters, numbered as scikit-learn's `_hc_cut`
    numbers them (the stored grouping keeps these numbers): split the newest
    merge until there are n_clusters, then number the heap's nodes in order."""
    nodes = [-(max(children[-1]) + 1)]  # negated: the heap's first is the newest merge
    for _ in range(n_clusters - 1):
        left, right = children[-nodes[0] - n_leaves]
        heapq.heappush(nodes, -left)
        heapq.heappushpop(nodes, -right)
    labels = [0] * n_leaves
    for number, node in enumerate(nodes):
        stack = [-node]
        while stack:
            at = stack.pop()
            if at < n_leaves:
                labels[at] = number
            else:
                stack.extend(children[at - n_leaves])
    return labels


def _terms(texts: Iterable[str]) -> list[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w.casefold() for w in _WORD.findall(text)} - _STOP)
    return [w for w, _ in counts.most_common(LABEL_TERMS)]


def _centrality(vectors: Matrix, labels: Sequence[int]) -> list[float]:
    """Each row's cosine to its group's centre: the most central names the group."""
    centres = {label: vectors[[i for i, x in enumerate(labels) if x == label]].mean(axis=0)
               for label in set(labels)}
    return [float(vectors[i] @ centres[label]) for i, label in enumerate(labels)]


def _assemble(items: Sequence[Item], labels: Sequence[int],
              centrality: Sequence[float]) -> list[Group]:
    """Groups from a cluster number and a centrality per item, most reviews
    first; a group is labelled by its most central item among those given."""
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    groups: list[Group] = []
    for indexes in members.values():
        central = max(indexes, key=lambda i: centrality[i])
        chosen = sorted((items[i] for i in indexes),
                        key=lambda it: (it.year or 0, it.review_id, it.id))
        groups.append(Group(0, topic(items[central].text).rstrip("."),
                            _terms(topic(items[i].text) for i in indexes), chosen))
    groups.sort(key=lambda g: (-len(g.reviews), -len(g.items), g.label))
    for number, g in enumerate(groups, start=1):
        g.id = number
    return groups


def group(items: Sequence[Item], embed: Embed | None = None,
          threshold: float = THRESHOLD) -> list[Group]:
    """Groups of recommendations by meaning, computed now (the store keeps
    the grouping `regroup` computed; `recurrence` reads that)."""
    if not items:
        return []
    embed = embed or _CACHE
    vectors = embed([topic(i.text) for i in items])
    labels = clusters(vectors, threshold)
    return _assemble(items, labels, _centrality(vectors, labels))


# ------------------------------------------------------------- from the store
class RecurrencePending(StorfaError):
    """The stored grouping is missing or older than the recommendations."""

    def __init__(self) -> None:
        super().__init__(N_("Recurrence has not been computed for the current "
                            "recommendations; run `storfa recommendations extract --pending`."))


def _every_item(app: Storfa) -> list[Item]:
    """Every current recommendation of a stored review, as recurrence sees it."""
    summaries = {s.review_id: s for s in app.store.list_reviews()}
    keys = app.store.review_keys()
    out = []
    for r in repositories.recommendations(app.store).current():
        key = keys.get(r.review_row)
        if key is None:
            continue
        summary = summaries.get(key)
        out.append(Item(r.id, key, r.review_row, summary.year if summary else None, r.number,
                        r.text, r.status, r.page))
    return out


def _chosen(every: Iterable[Item], exclude: Iterable[int] = (),
            reviews: Iterable[str] | None = None) -> list[Item]:
    hidden = set(exclude)
    wanted = None if reviews is None else set(reviews)
    return [i for i in every if i.review_row not in hidden
            and (wanted is None or i.review_id in wanted)]


def items_of(app: Storfa, exclude: Iterable[int] = (),
             reviews: Iterable[str] | None = None) -> list[Item]:
    """The current register's recommendations of the visible reviews
    (`exclude`: review rows the reader may not see; `reviews`: only these)."""
    return _chosen(_every_item(app), exclude, reviews)


def _topic_key(text: str) -> str:
    return hashlib.sha256(topic(text).encode("utf-8")).hexdigest()


def fingerprint(items: Iterable[Item]) -> str:
    """What a grouping depends on: which recommendations, and their topics
    (status, owner and review metadata are read live, so they are not in it)."""
    lines = sorted(f"{i.id}:{_topic_key(i.text)}" for i in items)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def regroup(app: Storfa, threshold: float = THRESHOLD) -> int:
    """Compute and store the grouping of every current recommendation, if the
    recommendations changed since it was last stored. Runs after a file is
    stored and after a recommendation is corrected (never in a read); only new
    topics are embedded. Returns the number of groups (0: nothing changed)."""
    from storfa.search.embeddings import MODEL_NAME
    from storfa.search.vectors import from_bytes, to_bytes

    every = _every_item(app)
    stamp = fingerprint(every)
    sql = repositories.groupings(app.store)
    stored = sql.grouping()
    if stored is not None and stored.fingerprint == stamp and stored.threshold == threshold:
        return 0
    keys = [_topic_key(i.text) for i in every]
    known = sql.vectors(MODEL_NAME)
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    if missing:
        texts = {k: topic(i.text) for k, i in zip(keys, every, strict=True)}
        vectors = _CACHE([texts[k] for k in missing])
        added = [(k, to_bytes(v)) for k, v in zip(missing, vectors, strict=True)]
        known.update(added)
    else:
        added = []
    sql.put_vectors(MODEL_NAME, added, keep=keys)
    if not every:
        sql.put_grouping(stamp, threshold, {})
        return 0
    matrix = np.stack([from_bytes(known[k]) for k in keys]).astype(np.float32)
    labels = clusters(matrix, threshold)
    centrality = _centrality(matrix, labels)
    sql.put_grouping(stamp, threshold, {i.id: (label, c) for i, label, c
                                        in zip(every, labels, centrality, strict=True)})
    return len(set(labels))


def is_current(app: Storfa) -> bool:
    """Whether the stored grouping is that of the current recommendations."""
    stored = repositories.groupings(app.store).grouping()
    return stored is not None and stored.fingerprint == fingerprint(_every_item(app))


def _grouped(app: Storfa, every: Sequence[Item], chosen: Sequence[Item], threshold: float,
             embed: Embed | None) -> list[Group]:
    """The stored grouping of `chosen`; computed here only when a caller asks
    for another threshold or embedder (`storfa report recurrence --threshold`)."""
    if embed is not None or threshold != THRESHOLD:
        return group(chosen, embed, threshold)
    stored = repositories.groupings(app.store).grouping()
    if stored is None or stored.threshold != threshold or (
            stored.fingerprint != fingerprint(every)):
        raise RecurrencePending
    if not chosen:
        return []
    assigned = [stored.assignments[i.id] for i in chosen]
    return _assemble(chosen, [g for g, _ in assigned], [c for _, c in assigned])


def recurrence(app: Storfa, exclude: Iterable[int] = (), threshold: float = THRESHOLD,
               reviews: Iterable[str] | None = None, embed: Embed | None = None
               ) -> list[Group]:
    """Groups of the visible recommendations, read from the stored grouping
    (RecurrencePending when it is out of date)."""
    every = _every_item(app)
    return _grouped(app, every, _chosen(every, exclude, reviews), threshold, embed)


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
    # False when the stored grouping is out of date, so repeats are unknown.
    grouped: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"recommendation": self.item.as_json(),
                "evidence": [e.as_json() for e in self.evidence],
                "repeats": [r.as_json() for r in self.repeats], "grouped": self.grouped}


def follow_through(app: Storfa, rec_id: int, exclude: Iterable[int] = (),
                   threshold: float = THRESHOLD, embed: Embed | None = None
                   ) -> FollowThrough | None:
    """Later evidence for one recommendation (None when it is not visible)."""
    hidden = set(exclude)
    every = _every_item(app)
    items = _chosen(every, hidden)
    item = next((i for i in items if i.id == rec_id), None)
    if item is None:
        return None
    embed = embed or _CACHE
    later = item.year or 0
    years = {s.review_id: s.year for s in app.store.list_reviews()}
    extracts = [e for e in repositories.extracts(app.store).select(codebook="best-practice")
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
    try:
        groups = _grouped(app, every, items, threshold, embed)
    except RecurrencePending:  # evidence still shows; repeats wait for the grouping
        return FollowThrough(item, evidence[:MAX_EVIDENCE], [], grouped=False)
    mine = next(g for g in groups if any(i.id == rec_id for i in g.items))
    repeats = [i for i in mine.items if i.review_row != item.review_row and (i.year or 0) > later]
    return FollowThrough(item, evidence[:MAX_EVIDENCE], repeats)
