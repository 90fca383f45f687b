"""The written single-case reviews read from their Markdown and from a PDF,
pooled: what a user uploading a review saved from Word meets, beside what
one pasting its text meets.

Each review in tests/data/written-* is read as tests/written.py reads it for
the tests (`read_review`: laid out as Word saves a PDF, with every table cell
bordered, then `storfa ingest`, auto-coding with the best-practice codebook at
the default threshold and the recommendations register, in a temporary store),
and scored paragraph by paragraph against its hand labels:

- passages read as written: the share of labelled paragraphs whose text came
  back exactly;
- auto-coding precision and recall by paragraph, and the theme of the correct
  suggestions (the coder is trained on these reviews: themes are in-sample);
- recommendations: recall, the labelled recommendation paragraphs some record
  was read from, and precision, the paragraphs records were read from that
  are labelled recommendation.

    .venv/bin/python bench/written_pdf.py [--only NAME ...]   # about 4 minutes
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from storfa.coding.codebooks import load_codebook  # noqa: E402
from written import Read, read_review  # noqa: E402

BEST_PRACTICE = load_codebook("best-practice")


@dataclass
class Tally:
    labelled: int = 0
    as_written: int = 0
    suggested: int = 0
    practice: int = 0
    hits: int = 0
    same_theme: int = 0
    recommendations: int = 0
    covered: int = 0
    covered_right: int = 0

    def add(self, read: Read) -> None:
        theme = BEST_PRACTICE.code
        self.labelled += len(read.labelled)
        self.as_written += len(read.labelled) - len(read.differ())
        gold = read.seqs("practice")
        hits = set(read.suggested) & gold
        self.suggested += len(read.suggested)
        self.practice += len(gold)
        self.hits += len(hits)
        labels = {i.passage.seq: i.label for i in read.labelled}
        self.same_theme += sum(
            1 for s in hits if labels[s].code
            and theme(read.suggested[s][0][0]).theme == theme(labels[s].code).theme)
        recs = read.seqs("recommendation")
        self.recommendations += len(recs)
        self.covered += len(read.covered)
        self.covered_right += len(read.covered & recs)

    def row(self, name: str) -> str:
        def share(a: int, b: int) -> str:
            return f"{a / b:5.3f}" if b else "    - "
        return (f"{name:10} read as written {share(self.as_written, self.labelled)}  "
                f"auto P {share(self.hits, self.suggested)} R {share(self.hits, self.practice)}"
                f"  theme {share(self.same_theme, self.hits)}  "
                f"recommendations P {share(self.covered_right, self.covered)} "
                f"R {share(self.covered_right, self.recommendations)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", default=None, help="written-* folder names")
    args = ap.parse_args(argv)
    folders = sorted((TESTS / "data").glob("written-*"))
    if args.only:
        folders = [f for f in folders if f.name in args.only or f.name[8:] in args.only]
    tallies = {"markdown": Tally(), "pdf": Tally()}
    with tempfile.TemporaryDirectory() as tmp:
        for n, folder in enumerate(folders, 1):
            (markdown,), (labels,) = folder.glob("*.md"), folder.glob("*.tsv")
            line = []
            for source, tally in tallies.items():
                work = Path(tmp) / f"{folder.name}-{source}"
                work.mkdir()
                read = read_review(source, markdown, labels, work)
                one = Tally()
                one.add(read)
                tally.add(read)
                line.append(one.row(source))
            print(f"[{n}/{len(folders)}] {folder.name}\n  " + "\n  ".join(line), flush=True)
    print(f"\npooled over {len(folders)} written reviews:")
    for source, tally in tallies.items():
        print("  " + tally.row(source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
