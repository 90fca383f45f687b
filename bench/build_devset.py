"""Build data/devset/best-practice.jsonl from the hand-labelled sources beside it.

    python bench/build_devset.py

`data/devset/written.txt` and `written-extra.txt` hold passages written for
storfa; `corpus.txt` and `corpus-extra.txt` hold sentences of ../shared/corpus
labelled by hand. In each, `= code` labels the lines after it (`= -`: not
best practice) and `@ file` names the source. Splits are assigned by the order
of a hash of the text within each (file, code) group, so every code appears in
every split where it has enough examples. Adding passages to a group can move that
group's others between splits, so a new batch of labels goes in a file of its
own, which leaves the existing splits as they were. Train on `train`, tune on
`dev`, report `test` once."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from storfa.coding import load_codebook

ROOT = Path(__file__).resolve().parents[1] / "data" / "devset"
# Real text is scarce, so more of it is held out than of the written passages.
SHARES = {"written": (0.70, 0.15), "corpus": (0.40, 0.30)}


def read_labelled(path: Path, origin: str) -> list[dict[str, object]]:
    if not path.exists():
        return []
    book = load_codebook("best-practice")
    rows: list[dict[str, object]] = []
    label, source = None, origin
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@ "):
            source = f"{origin}:{line[2:].strip()}"
        elif line.startswith("= "):
            label = line[2:].strip()
        elif label is None:
            raise SystemExit(f"{path}:{n}: a passage before any '= code' line")
        else:
            code = None if label == "-" else book.code(label)
            rows.append({"text": line, "best_practice": code is not None,
                         "theme": code.theme if code else None,
                         "code": code.name if code else None, "source": source,
                         "_origin": origin, "_file": path.name})
    return rows


def assign_splits(rows: list[dict[str, object]]) -> None:
    groups: dict[tuple[object, object], list[dict[str, object]]] = {}
    for row in rows:
        digest = hashlib.sha1(str(row["text"]).encode()).hexdigest()
        row["id"] = f"{row['_origin']}-{digest[:10]}"
        groups.setdefault((row["_file"], row["code"]), []).append(row)
    for members in groups.values():
        members.sort(key=lambda r: str(r["id"]))
        train, dev = SHARES[str(members[0]["_origin"])]
        n = len(members)
        n_dev = max(1, round(n * dev)) if n >= 3 else 0
        n_test = max(1, round(n * (1 - train - dev))) if n >= 3 else 0
        for i, row in enumerate(members):
            row["split"] = "dev" if i < n_dev else "test" if i < n_dev + n_test else "train"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "best-practice.jsonl")
    args = parser.parse_args()
    rows = read_labelled(ROOT / "written.txt", "written") + \
        read_labelled(ROOT / "written-extra.txt", "written") + \
        read_labelled(ROOT / "corpus.txt", "corpus") + \
        read_labelled(ROOT / "corpus-extra.txt", "corpus")
    texts = [r["text"] for r in rows]
    if len(set(texts)) != len(texts):
        raise SystemExit("The same passage is labelled twice.")
    assign_splits(rows)
    rows.sort(key=lambda r: (str(r["split"]), str(r["id"])))
    keys = ("id", "text", "best_practice", "theme", "code", "source", "split")
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({k: row[k] for k in keys}, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        key = f"{row['split']} {'positive' if row['best_practice'] else 'negative'}"
        counts[key] = counts.get(key, 0) + 1
    print(f"{len(rows)} passages -> {args.out}: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
