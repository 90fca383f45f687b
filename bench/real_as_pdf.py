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

Layouts: `word` (A4, one column, numbered pages and a running header, as a
review written in Word and saved as PDF), `two-column` (a designed report:
two columns, the headings across one column) and `typeset` (two justified
columns with words hyphenated at line ends, page numbers only) and
`numbered` (as `word`, each paragraph numbered "3.1" in a hanging indent,
as the Welsh review templates number them).

    .venv/bin/python bench/real_as_pdf.py [--layout word numbered two-column typeset] [--show N]
"""

from __future__ import annotations

import argparse
import html
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

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HEADER = "Safeguarding review — published report"
FOOTER = re.compile(r"\bPage \d+ of \d+\b")
_NUMBER = re.compile(r"^\d{1,2}\.\d{1,3}\s+")
_MARKER = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivx]{1,4})[.)]\s+")

STYLES = {
    "word": """
        @page { size: A4; margin: 25mm 22mm;
                @top-right { content: "%(header)s"; font: 9pt Arial, sans-serif; color: #444 }
                @bottom-center { content: "Page " counter(page) " of " counter(pages);
                                 font: 9pt Arial, sans-serif } }
        body { font: 11pt/1.35 "DejaVu Sans", Arial, sans-serif; text-align: justify }
        h2 { font-size: 14pt; font-weight: bold; margin: 14pt 0 6pt }
        p, li { margin: 0 0 8pt }
        table { border-collapse: collapse; width: 100%%; font-size: 10pt; margin: 0 0 8pt }
        td { border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top }
    """,
    "two-column": """
        @page { size: A4; margin: 20mm 16mm;
                @top-left { content: "%(header)s"; font: 8pt Arial, sans-serif; color: #444 }
                @bottom-right { content: "Page " counter(page) " of " counter(pages);
                                font: 8pt Arial, sans-serif } }
        body { font: 9.5pt/1.3 "DejaVu Serif", serif; column-count: 2; column-gap: 9mm }
        h2 { font: bold 12pt "DejaVu Sans", sans-serif; margin: 10pt 0 4pt;
             break-after: avoid }
        p, li { margin: 0 0 6pt }
        table { border-collapse: collapse; width: 100%%; font-size: 8.5pt; margin: 0 0 6pt }
        td { padding: 1pt 3pt; vertical-align: top }
    """,
    "numbered": """
        @page { size: A4; margin: 25mm 22mm;
                @top-right { content: "%(header)s"; font: 9pt Arial, sans-serif; color: #444 }
                @bottom-center { content: "Page " counter(page) " of " counter(pages);
                                 font: 9pt Arial, sans-serif } }
        body { font: 11pt/1.35 "DejaVu Sans", Arial, sans-serif }
        h2 { font-size: 13pt; font-weight: bold; margin: 14pt 0 6pt }
        p, li { margin: 0 0 8pt }
        p.n { padding-left: 13mm; text-indent: -13mm }
        p.n span { display: inline-block; width: 13mm; text-indent: 0 }
        table { border-collapse: collapse; width: 100%%; font-size: 10pt; margin: 0 0 8pt }
        td { border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top }
    """,
    "typeset": """
        @page { size: A4; margin: 18mm 15mm;
                @bottom-center { content: counter(page); font: 8pt sans-serif } }
        body { font: 9.5pt/1.25 "DejaVu Serif", serif; column-count: 2; column-gap: 8mm;
               text-align: justify; hyphens: auto }
        h2 { font: bold 11pt "DejaVu Sans", sans-serif; margin: 9pt 0 3pt; hyphens: none }
        p, li { margin: 0 0 5pt }
        table { border-collapse: collapse; width: 100%%; font-size: 8pt; margin: 0 0 5pt }
        td { padding: 1pt 3pt; vertical-align: top }
    """,
}


def to_html(passages: Sequence[Passage], layout: str) -> str:
    """The passages as a published report's HTML: one element per passage, a
    list item with its own marker ("a.", "2)") set as Word sets a numbered
    list (the marker hanging in the margin), others with a bullet."""
    body: list[str] = []
    in_list = False
    section = number = 0
    for p in passages:
        if (p.kind == "list_item") != in_list:
            body.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        text = html.escape(p.text)
        if p.kind == "heading":
            body.append(f"<h2>{text}</h2>")
            section, number = section + 1, 0
        elif p.kind == "paragraph" and layout == "numbered":
            number += 1  # the paragraph number hangs in the margin, as in a CPR
            body.append(f"<p class='n'><span>{section}.{number}</span>{text}</p>")
        elif p.kind == "list_item":
            own = " class='own'" if _MARKER.match(p.text) else ""
            body.append(f"<li{own}>{text}</li>")
        elif p.kind == "table_row" and "\t" in p.text:
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in p.text.split("\t"))
            body.append(f"<table><tr>{cells}</tr></table>")
        else:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    style = STYLES[layout] % {"header": HEADER}
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<style>{style} li.own {{ list-style: none; text-indent: -1.6em }}</style>"
            f"</head><body>{''.join(body)}</body></html>")


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


def compare(name: str, source: Sequence[Passage], back: Sequence[Passage],
            numbered: bool = False) -> Result:
    """Passage by passage: each source passage's words located in the read-back
    passages (consecutively, in order), counted intact, split or merged."""
    res = Result(name, source=len(source))
    # A paragraph's own number ("3.1") stays in its passage; the source has none.
    back_texts = [_NUMBER.sub("", p.text) if numbered else p.text for p in back]
    norm_back = [" ".join(words(t)) for t in back_texts]
    exact = Counter(norm_back)
    # Where each read-back passage's words came from, to count merges.
    owners: dict[int, set[int]] = defaultdict(set)
    stream: list[tuple[str, int]] = [(w, n) for n, t in enumerate(back_texts) for w in words(t)]
    at = 0
    for s_idx, s in enumerate(source):
        # A list item's own marker ("a.", "2)") is the list's numbering in a
        # PDF, which storfa reads as such and leaves out of the item's text.
        w = words(_MARKER.sub("", s.text) if s.kind == "list_item" else s.text)
        if not w:
            continue
        if s.kind == "heading":
            res.headings += 1
            if any(" ".join(w) == t and back[n].kind == "heading"
                   for n, t in enumerate(norm_back)):
                res.headings_back += 1
        # Find the source's words as a run in the stream, near where the last ended.
        found = _find(stream, w, at)
        if found is None:
            res.faults.append(f"lost    {s.text[:110]}")
            continue
        at = found + len(w)
        holders = {stream[i][1] for i in range(found, found + len(w))}
        for h in holders:
            owners[h].add(s_idx)
        if len(holders) > 1:
            res.split += 1
            res.faults.append(f"split   {s.kind:7} {s.text[:110]}")
        elif exact[" ".join(w)]:
            res.intact += 1
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
    from weasyprint import HTML

    source = read_document(path)
    pdf = tmp / f"{path.stem}.{layout}.pdf"
    HTML(string=to_html(source, layout)).write_pdf(pdf)
    t0 = time.perf_counter()
    back = read_document(pdf)
    seconds = time.perf_counter() - t0
    res = compare(path.stem, source, back, numbered=layout == "numbered")
    res.pages = len(pypdfium2.PdfDocument(pdf))
    res.seconds = seconds
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REAL)
    ap.add_argument("--layout", nargs="+", choices=sorted(STYLES), default=sorted(STYLES))
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
            print(f"read back at {total.pages / total.seconds:.1f} pages/s "
                  "(extract, clean and segment, one process)")


def _print(r: Result) -> None:
    print(f"{r.name:44} {r.pages:5} {r.source:8} {r.intact / r.source:7.1%} "
          f"{r.split:6} {r.merged:6} {r.headings_back:4}/{r.headings:<4} {r.leaks:5}")


if __name__ == "__main__":
    main()
