"""Whole-document labels: every passage of a real report, labelled as a
reader meets it — an example of best practice (with its code), a
recommendation, or other — and the documents they belong to.

Extract-level dev sets overstate what a user sees, because their negatives
are sentences chosen one by one; a whole report is mostly chronology,
context, method and recommendations. The labels live in
`data/wholedoc/<document>.tsv` in a storfa checkout, one row per passage,
keyed by a hash of the passage's text (so a label never silently moves to
another passage). The reports themselves are never stored with the labels:
they are read from `../shared/corpus` (or a folder given) and segmented by
storfa's own ingest, exactly as `storfa ingest` would."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from storfa.domain.errors import StorfaError
from storfa.domain.reviews import Passage

LABELS = Path(__file__).resolve().parents[3] / "data" / "wholedoc"
PRACTICE, RECOMMENDATION, OTHER = "practice", "recommendation", "other"
KINDS = (PRACTICE, RECOMMENDATION, OTHER)
COLUMNS = ("seq", "key", "label", "code", "opening")
OPENING_CHARS = 40


def passage_key(text: str) -> str:
    """A short hash of a passage's text, whitespace-folded."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Label:
    seq: int
    key: str
    label: str
    code: str | None

    @property
    def practice(self) -> bool:
        return self.label == PRACTICE


@dataclass(frozen=True)
class LabelledPassage:
    document: str
    passage: Passage
    label: Label


def read_document(path: Path) -> list[Passage]:
    """A document's passages as storfa's ingest makes them (extract, clean,
    segment), without a store or its metadata."""
    from storfa.ingest.clean import clean_document
    from storfa.ingest.extractors import extract_document
    from storfa.ingest.segment import segment

    return segment(clean_document(extract_document(path)))[1]


def read_labels(path: Path) -> list[Label]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    labels = []
    for n, row in enumerate(rows, start=2):
        label = (row.get("label") or "").strip()
        if label not in KINDS:
            raise StorfaError(f"{path.name} line {n}: label {label!r} is not one of "
                              f"{', '.join(KINDS)}")
        code = (row.get("code") or "").strip() or None
        labels.append(Label(int(row["seq"]), row["key"], label, code))
    return labels


def write_labels(path: Path, passages: Sequence[Passage], labels: Iterable[Label]) -> None:
    by_seq = {p.seq: p for p in passages}
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(COLUMNS)
        for label in labels:
            opening = " ".join(by_seq[label.seq].text.split())[:OPENING_CHARS]
            out.writerow([label.seq, label.key, label.label, label.code or "", opening])


def join(document: str, passages: Sequence[Passage], labels: Sequence[Label]
         ) -> list[LabelledPassage]:
    """Each labelled passage with its label, matched by text hash. Raises when a
    label matches no passage: the document or its segmentation has changed and
    the labels must be checked, not quietly dropped."""
    by_key: dict[str, list[Passage]] = {}
    for p in passages:
        by_key.setdefault(passage_key(p.text), []).append(p)
    out, missing = [], []
    for label in labels:
        candidates = by_key.get(label.key, [])
        if not candidates:
            missing.append(label.seq)
            continue
        # Repeated text (a running heading) is matched by its nearest position.
        chosen = min(candidates, key=lambda p: abs(p.seq - label.seq))
        out.append(LabelledPassage(document, chosen, label))
    if missing:
        raise StorfaError(f"{document}: {len(missing)} labels match no passage "
                          f"(first at seq {missing[0]}); relabel with bench/wholedoc_labels.py")
    return out


def load(corpus: Path, labels_dir: Path | None = None) -> list[LabelledPassage]:
    """Every labelled passage of the documents in `corpus` that have labels."""
    folder = labels_dir or LABELS
    out: list[LabelledPassage] = []
    for labels_file in sorted(folder.glob("*.tsv")):
        source = next((p for p in sorted(corpus.glob(labels_file.stem + ".*"))), None)
        if source is None:
            continue
        out.extend(join(labels_file.stem, read_document(source), read_labels(labels_file)))
    return out
