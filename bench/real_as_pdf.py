"""Real report text through the PDF path: do the paragraphs come back whole?

The corpus reports are Markdown, so their labelled paragraphs never meet
storfa's PDF layout reading, while the reviews a board publishes are PDFs.
This bench lays each report's own passages (as `storfa ingest` segments the
Markdown: headings, paragraphs, list items, table rows) out as a PDF the way
a review is published, renders it with WeasyPrint, reads it back through
storfa's extractor, cleaning and segmentation, and compares passage by
passage:

- intact: a source passage found as one PDF passage, word for word;
- split: its words are spread over two or more PDF passages;
- merged: it shares a PDF passage with another source passage;
- headings: source headings read back as headings;
- leaks: PDF passages still holding the running header or "Page N of M".

Layouts (storfa.synthetic.publish.STYLES): `word`, `footnotes`, `numbered`,
`numbered-tight`, `two-column` and `typeset`, and `docx` (a Word document, read by storfa's
DOCX extractor); all by default.

    .venv/bin/python bench/real_as_pdf.py [--layout word footnotes ...] [--show N]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storfa.coding.wholedoc import read_document
from storfa.domain.reviews import Passage
from storfa.synthetic.publish import (
    HEADER,
    MARKER,
    STYLES,
    render_report_docx,
    render_report_pdf,
)

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FOOTER = re.compile(r"\bPage \d+ of \d+\b")
_NUMBER = re.compile(r"^\d{1,2}\.\d{1,3}\s+")

def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@dataclass
class Result:
    name: str
    source: int = 0
    intact: int = 0
    split: int = 0
    merged: int = 0
    headings: int = 0
    headings_back: int = 0
    leaks: int = 0
    pages: int = 0
    seconds: float = 0.0
    faults: list[str] = field(default_factory=list)


@dataclass
class Placed:
    """Where each source passage's words were found in the read-back passages."""

    back_texts: list[str]  # the read-back texts as compared (a layout's numbers off)
    # Per source passage: read-back passage index -> how many of its words it holds.
    holders: list[Counter[int]]
    lost: list[int]  # source passages with words, found nowhere


def place(source: Sequence[Passage], back: Sequence[Passage], numbered: bool = False
          ) -> Placed:
    """Each source passage's words located in the read-back passages,
    consecutively and in order, searched from where the last one ended."""
    # A paragraph's own number ("3.1") stays in its passage; the source has none.
    # (A heading's own number, "6.1 Hearing the child", is in both.)
    headings = {" ".join(words(p.text)) for p in source if p.kind == "heading"}
    back_texts = [p.text if not numbered or " ".join(words(p.text)) in headings
                  else _NUMBER.sub("", p.text) for p in back]
    stream: list[tuple[str, int]] = [(w, n) for n, t in enumerate(back_texts) for w in words(t)]
    holders: list[Counter[int]] = []
    lost: list[int] = []
    at = 0
    for s_idx, s in enumerate(source):
        w = source_words(s)
        found = _find(stream, w, at) if w else None
        if found is None:
            holders.append(Counter())
            if w:
                lost.append(s_idx)
            continue
        at = found + len(w)
        holders.append(Counter(stream[i][1] for i in range(found, found + len(w))))
    return Placed(back_texts, holders, lost)


def source_words(passage: Passage) -> list[str]:
    """A source passage's words as the PDF should hold them: a list item's own
    marker ("a.", "2)") is the list's numbering in a PDF, which storfa reads as
    such and leaves out of the item's text."""
    return words(MARKER.sub("", passage.text) if passage.kind == "list_item"
                 else passage.text)


def compare(name: str, source: Sequence[Passage], back: Sequence[Passage],
            numbered: bool = False) -> Result:
    """Passage by passage: each source passage's words located in the read-back
    passages (`place`), counted intact, split or merged."""
    res = Result(name, source=len(source))
    placed = place(source, back, numbered)
    norm_back = [" ".join(words(t)) for t in placed.back_texts]
    exact = Counter(norm_back)
    owners: dict[int, set[int]] = defaultdict(set)  # read-back passage -> its sources
    lost = set(placed.lost)
    for s_idx, s in enumerate(source):
        w = source_words(s)
        if not w:
            continue
        if s.kind == "heading":
            res.headings += 1
            if any(" ".join(w) == t and back[n].kind == "heading"
                   for n, t in enumerate(norm_back)):
                res.headings_back += 1
        if s_idx in lost:
            res.faults.append(f"lost    {s.text[:110]}")
            continue
        held = placed.holders[s_idx]
        for h in held:
            owners[h].add(s_idx)
        if len(held) > 1:
            res.split += 1
            res.faults.append(f"split   {s.kind:7} {s.text[:110]}")
        elif exact[" ".join(w)] or exact[" ".join(words(s.text))]:
            res.intact += 1  # (a list item with or without its marker: DOCX keeps it)
    for h, srcs in owners.items():
        if len(srcs) > 1:
            res.merged += len(srcs)
            res.faults.append(f"merged  {len(srcs)} into {back[h].text[:110]}")
    res.leaks = sum(1 for p in back if FOOTER.search(p.text) or HEADER in p.text)
    return res


def _find(stream: Sequence[tuple[str, int]], w: Sequence[str], start: int) -> int | None:
    """The index in `stream` where the words `w` run in order, searched from
    `start` (then from the beginning: a passage moved by the layout)."""
    first = w[0]
    for lo, hi in ((start, len(stream)), (0, start)):
        for i in range(lo, hi):
            if stream[i][0] == first and all(
                    i + k < len(stream) and stream[i + k][0] == w[k] for k in range(len(w))):
                return i
    return None


def run(path: Path, layout: str, tmp: Path) -> Result:
    import pypdfium2

    source = read_document(path)
    if layout == "docx":
        pdf = render_report_docx(source, tmp / f"{path.stem}.docx")
    else:
        pdf = render_report_pdf(source, layout, tmp / f"{path.stem}.{layout}.pdf")
    t0 = time.perf_counter()
    back = read_document(pdf)
    seconds = time.perf_counter() - t0
    res = compare(path.stem, source, back, numbered=layout.startswith("numbered"))
    res.pages = len(pypdfium2.PdfDocument(pdf)) if layout != "docx" else 0
    res.seconds = seconds
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REAL)
    layouts = [*sorted(STYLES), "docx"]
    ap.add_argument("--layout", nargs="+", choices=layouts, default=layouts)
    ap.add_argument("--show", type=int, default=0, metavar="N",
                    help="print the first N faults of each report")
    ap.add_argument("--keep", type=Path, help="write the PDFs to this folder")
    args = ap.parse_args()
    reports = sorted(args.corpus.glob("*.md"))
    if not reports:
        sys.exit(f"no reports in {args.corpus}")
    with tempfile.TemporaryDirectory() as td:
        tmp = args.keep or Path(td)
        tmp.mkdir(parents=True, exist_ok=True)
        for layout in args.layout:
            print(f"\nlayout {layout}")
            print(f"{'report':44} {'pages':>5} {'passages':>8} {'intact':>7} {'split':>6} "
                  f"{'merged':>6} {'headings':>9} {'leaks':>5}")
            total = Result("ALL")
            for path in reports:
                r = run(path, layout, tmp)
                _print(r)
                for f in ("source", "intact", "split", "merged", "headings", "headings_back",
                          "leaks", "pages"):
                    setattr(total, f, getattr(total, f) + getattr(r, f))
                total.seconds += r.seconds
                for fault in r.faults[:args.show]:
                    print("    " + fault)
            _print(total)
            if total.pages:
                print(f"read back at {total.pages / total.seconds:.1f} pages/s "
                      "(extract, clean and segment, one process)")


def _print(r: Result) -> None:
    print(f"{r.name:44} {r.pages:5} {r.source:8} {r.intact / r.source:7.1%} "
          f"{r.split:6} {r.merged:6} {r.headings_back:4}/{r.headings:<4} {r.leaks:5}")


if __name__ == "__main__":
    main()
