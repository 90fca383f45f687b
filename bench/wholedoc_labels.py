"""Label a real report paragraph by paragraph, for the whole-document figures.

    python bench/wholedoc_labels.py dump ../shared/corpus/REPORT.md --out work.tsv
        every passage as storfa segments it: seq, kind, page, section, text
    python bench/wholedoc_labels.py write ../shared/corpus/REPORT.md decisions.tsv
        decisions.tsv has columns seq, label (practice | recommendation | other)
        and code (the best-practice sub-theme of a practice passage); writes
        data/wholedoc/REPORT.tsv keyed by each passage's text hash

Every passage must get a decision: a heading, a contents line or a caption is
`other`. See docs/classifier.md, "Whole documents"."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from storfa.coding.codebooks import load_codebook
from storfa.coding.wholedoc import (
    KINDS,
    LABELS,
    PRACTICE,
    Label,
    passage_key,
    read_document,
    write_labels,
)


def dump(source: Path, out: Path) -> None:
    passages = read_document(source)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["seq", "kind", "page", "section", "text"])
        for p in passages:
            w.writerow([p.seq, p.kind, p.page, p.section, " ".join(p.text.split())])
    print(f"{len(passages)} passages -> {out}", file=sys.stderr)


def write(source: Path, decisions: Path) -> None:
    passages = read_document(source)
    book = load_codebook("best-practice")
    with decisions.open(encoding="utf-8", newline="") as fh:
        rows = {int(r["seq"]): r for r in csv.DictReader(fh, delimiter="\t")}
    missing = [p.seq for p in passages if p.seq not in rows]
    if missing:
        sys.exit(f"{len(missing)} passages have no decision, first seq {missing[0]}")
    labels = []
    for p in passages:
        row = rows[p.seq]
        label = row["label"].strip()
        if label not in KINDS:
            sys.exit(f"seq {p.seq}: label {label!r} is not one of {KINDS}")
        code = (row.get("code") or "").strip() or None
        if label == PRACTICE:
            if code is None:
                sys.exit(f"seq {p.seq}: a practice passage needs its sub-theme")
            code = book.code(code).name  # checks the name, spelt as the codebook spells it
        labels.append(Label(p.seq, passage_key(p.text), label, code if label == PRACTICE
                            else None))
    target = LABELS / f"{source.stem}.tsv"
    write_labels(target, passages, labels)
    counts = {k: sum(lab.label == k for lab in labels) for k in KINDS}
    print(f"{target}: {counts}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("source", type=Path)
    d.add_argument("--out", type=Path, required=True)
    w = sub.add_parser("write")
    w.add_argument("source", type=Path)
    w.add_argument("decisions", type=Path)
    args = ap.parse_args()
    if args.command == "dump":
        dump(args.source, args.out)
    else:
        write(args.source, args.decisions)


if __name__ == "__main__":
    main()
