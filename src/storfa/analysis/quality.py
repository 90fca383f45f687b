"""The review quality checklist: the template's elements and core tasks, each
marked found / not found (or unknown, where a needed date is missing) for a
review, with the passage or date it rests on, and a score.

The items and their rationale live in `data/quality_checklist.json`, so an
analyst can read why each one is there; this module only evaluates them over
what storfa stores for a review: its dates and metadata (with their
evidence), its section headings, its text, the case-variable suggester and
the timeliness guidance flags.

Results are stored per review version (storage/sql/quality.py): a page
of 100 reviews reads them instead of reading every passage again. A stored
result is used only while the review's version, its metadata and the rules
(CHECKLIST_VERSION and the data files) are those it was computed from."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from storfa.analysis.timeliness import review_timeliness
from storfa.analysis.variables import builtin_variables, sentences, suggest, term_pattern
from storfa.domain.quality import QualityStamp
from storfa.domain.reviews import MetadataValue, Passage, ReviewRecord
from storfa.storage import repositories
from storfa.storage.interface import Store

# A check's result: True found, False not found, None unknown (missing dates).
Found = bool | None
# Bump when a change to the code below (or to the suggester or the timeliness
# guidance it calls) changes what a review's checklist finds: stored results
# of the old rules are then not used. Edits of the two data files are noticed
# without it (their digest is part of checklist_key).
CHECKLIST_VERSION = 1
_DATA_FILES = ("data/quality_checklist.json", "data/case_variables.json")
# Computed results are stored every this many reviews, so a long run
# (`storfa analyse quality` over every review) keeps what it did if stopped.
_STORE_EVERY = 25


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    label: str
    rationale: str
    check: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ItemResult:
    found: Found
    evidence: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"found": self.found, "evidence": self.evidence}


@cache
def checklist() -> tuple[Item, ...]:
    raw = json.loads(resources.files("storfa.analysis").joinpath("data/quality_checklist.json")
                     .read_text(encoding="utf-8"))
    return tuple(Item(i["name"], i["label"], i["rationale"], i["check"]) for i in raw["items"])


@cache
def checklist_key() -> str:
    """The rules a stored result was computed with: the version constant and
    a digest of the checklist and the lexicon the variable checks use."""
    digest = hashlib.sha256()
    for name in _DATA_FILES:
        digest.update(resources.files("storfa.analysis").joinpath(name).read_bytes())
    return f"{CHECKLIST_VERSION}:{digest.hexdigest()[:16]}"


class _Review:
    """What the checks read of one review, computed lazily and once."""

    def __init__(self, record: ReviewRecord, passages: Sequence[Passage]) -> None:
        self.record = record
        self.passages = passages
        self.starts = [p.start for p in passages]
        self.metadata: dict[str, MetadataValue] = {m.field: m for m in record.metadata}
        self.timeliness = review_timeliness(record.summary)
        self._suggestions: dict[str, dict[str, Any]] | None = None

    def passage_at(self, offset: int) -> Passage | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.passages[i] if i >= 0 and offset <= self.passages[i].end else None

    def suggestions(self) -> dict[str, dict[str, Any]]:
        if self._suggestions is None:
            self._suggestions = {}
            for s in suggest(self.passages, builtin_variables()):
                if s.variable not in self._suggestions:
                    self._suggestions[s.variable] = self.evidence(s.start, s.evidence, s.page)
        return self._suggestions

    def evidence(self, start: int | None, text: str, page: int | None) -> dict[str, Any]:
        passage = self.passage_at(start) if start is not None else None
        return {"passage_id": passage.id if passage else None,
                "page": page if page is not None else (passage.page if passage else None),
                "text": text}


def _all(results: list[ItemResult]) -> ItemResult:
    if any(r.found is False for r in results):
        return ItemResult(False)
    if any(r.found is None for r in results):
        return ItemResult(None)
    return ItemResult(True, next((r.evidence for r in results if r.evidence), None))


def _any(results: list[ItemResult]) -> ItemResult:
    hit = next((r for r in results if r.found), None)
    if hit is not None:
        return hit
    return ItemResult(None if any(r.found is None for r in results) else False)


def _terms_in(review: _Review, terms: Sequence[str], within: Sequence[str]) -> ItemResult:
    patterns = [term_pattern(t) for t in terms]
    sections = [term_pattern(t) for t in within]
    chosen = [p for p in review.passages if p.kind != "heading"
              and (not sections or any(s.search(p.section) for s in sections))]
    for passage, offset, sentence in sentences(chosen):
        if any(p.search(sentence) for p in patterns):
            return ItemResult(True, {"passage_id": passage.id, "page": passage.page,
                                     "text": sentence.strip(),
                                     "start": passage.start + offset})
    return ItemResult(False)


def evaluate(check: dict[str, Any], review: _Review) -> ItemResult:
    if "all" in check:
        return _all([evaluate(c, review) for c in check["all"]])
    if "any" in check:
        return _any([evaluate(c, review) for c in check["any"]])
    if "dates" in check:
        dates = review.record.summary.dates
        if not all(dates.get(name) for name in check["dates"]):
            return ItemResult(False)
        first = review.metadata.get(check["dates"][0])
        ev = first.evidence if first else None
        evidence = {"dates": {name: dates.get(name) for name in check["dates"]}}
        if ev is not None:
            evidence |= review.evidence(ev.start, ev.text, ev.page)
        return ItemResult(True, evidence)
    if "metadata" in check:
        values = [review.metadata.get(name) for name in check["metadata"]]
        if not all(v is not None and v.value for v in values):
            return ItemResult(False)
        ev = next((v.evidence for v in values if v is not None and v.evidence), None)
        evidence = {"values": {v.field: v.value for v in values if v is not None}}
        if ev is not None:
            evidence |= review.evidence(ev.start, ev.text, ev.page)
        return ItemResult(True, evidence)
    if "guidance" in check:
        flag = review.timeliness.guidance[check["guidance"]]
        return ItemResult(flag, {"days": review.timeliness.days} if flag else None)
    if "heading" in check:
        patterns = [term_pattern(t) for t in check["heading"]]
        for p in review.passages:
            if p.kind == "heading" and any(pat.search(p.text) for pat in patterns):
                return ItemResult(True, {"passage_id": p.id, "page": p.page, "text": p.text,
                                         "start": p.start})
        return ItemResult(False)
    if "text" in check:
        return _terms_in(review, check["text"], check.get("within", ()))
    if "variables" in check:
        spec = check["variables"]
        found = review.suggestions()
        if isinstance(spec, dict):
            names = [v.name for v in builtin_variables() if v.group == spec["group"]
                     and v.name in found]
            if len(names) < int(spec.get("min", 1)):
                return ItemResult(False)
            return ItemResult(True, {**found[names[0]], "variables": names})
        hits = [name for name in spec if name in found]
        return ItemResult(True, found[hits[0]]) if hits else ItemResult(False)
    raise ValueError(f"unknown quality check {sorted(check)}")


def review_quality(record: ReviewRecord, passages: Sequence[Passage]) -> dict[str, Any]:
    review = _Review(record, passages)
    items = {item.name: evaluate(item.check, review) for item in checklist()}
    found = sum(1 for r in items.values() if r.found)
    known = sum(1 for r in items.values() if r.found is not None)
    s = record.summary
    return {
        "review_id": s.review_id, "type": s.type, "board": s.board, "year": s.year,
        "variant": s.variant, "pages": s.pages,
        "score": round(found / len(items), 4) if items else None,
        "found": found, "known": known, "total": len(items),
        "items": {name: r.as_json() for name, r in items.items()},
    }


def _computed(store: Store, key: str) -> dict[str, Any] | None:
    record = store.get_review(key)
    return None if record is None else review_quality(record,
                                                      store.passages(record.version_id))


def stored_quality(store: Store, review_keys: Sequence[str]) -> list[dict[str, Any]]:
    """Each review's checklist document, read from the stored results where
    they are current, else computed and stored. This runs on read paths (the
    quality page, the API, downloads): filling the store of derived results
    is not a change to anyone's data, so it is not audited, and nothing a
    person entered (metadata, decisions, the review) is written."""
    rows = store.review_keys()
    exact = {key: row for row, key in rows.items()}
    folded = {key.lower(): row for row, key in rows.items()}  # as get_review's lower()
    wanted = [(key, exact.get(key) or folded.get(key.lower())) for key in review_keys]
    cache_sql = repositories.quality_results(store)
    rules = checklist_key()
    stamps = cache_sql.lookup([row for _, row in wanted if row is not None], rules)
    docs: dict[int, dict[str, Any]] = {}
    computed: list[tuple[QualityStamp, str]] = []
    for key, row in wanted:
        stamp = stamps.get(row) if row is not None else None
        if stamp is None or row is None or row in docs:
            continue  # no such review (or no version yet), or already done
        if stamp.result is not None:
            docs[row] = json.loads(stamp.result)
            continue
        record = store.get_review(key)
        if record is None:
            continue
        docs[row] = review_quality(record, store.passages(record.version_id))
        # Stored under what was read before computing: had a new version or a
        # metadata edit come in between, the next reader misses and recomputes.
        if record.version_id == stamp.version_id:
            computed.append((stamp, json.dumps(docs[row])))
        if len(computed) >= _STORE_EVERY:
            cache_sql.store(computed, rules)
            computed = []
    cache_sql.store(computed, rules)
    return [docs[row] for _, row in wanted if row is not None and row in docs]


def quality(store: Store, review_keys: Iterable[str], *, stored: bool = True
            ) -> dict[str, Any]:
    """The `storfa analyse quality --json` document for these reviews; with
    stored=False every review is worked out from its passages again and
    nothing is stored (the tests compare the two)."""
    keys = list(review_keys)
    reviews = (stored_quality(store, keys) if stored else
               [doc for doc in (_computed(store, key) for key in keys) if doc is not None])
    items = checklist()
    summary = {}
    for item in items:
        flags = [r["items"][item.name]["found"] for r in reviews]
        known = [f for f in flags if f is not None]
        met = sum(1 for f in known if f)
        summary[item.name] = {"found": met, "known": len(known), "reviews": len(flags),
                              "share": round(met / len(flags), 4) if flags else None}
    scores = [r["score"] for r in reviews if r["score"] is not None]
    return {
        "items": [{"name": i.name, "label": i.label, "rationale": i.rationale} for i in items],
        "reviews": reviews,
        "summary": {"reviews": len(reviews), "items": summary,
                    "mean_score": round(sum(scores) / len(scores), 4) if scores else None},
    }
