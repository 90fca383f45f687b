"""Table rows through the PDF path: each written review's tables laid out as
a published PDF and read back, row by row, against the Markdown's rows.

The written reviews (tests/data/written-*/*.md) hold 563 table rows:
recommendations with agency and timescale columns, action plans, chronologies,
response tables. Each review is laid out by storfa.synthetic.publish (`word`
draws every cell's border, as Word and browsers do; `two-column` draws none),
read through `storfa ingest`'s extraction, cleaning and segmenting, and a row
counts when a passage of kind table_row has exactly the Markdown row's text
(cells joined by " | "). Extra rows are table_row passages that match none.

    .venv/bin/python bench/pdf_tables.py [--layout word two-column ...] [--show]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from storfa.coding.wholedoc import read_document
from storfa.ingest.clean import clean_document
from storfa.ingest.extractors import extract_document
from storfa.ingest.segment import segment
from storfa.synthetic.publish import render_report_pdf

WRITTEN = Path(__file__).resolve().parents[1] / "tests" / "data"


def rows_of(path: Path) -> list[str]:
    _, passages = segment(clean_document(extract_document(path)))
    return [p.text for p in passages if p.kind == "table_row"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--layout", nargs="+", default=["word", "two-column"])
    ap.add_argument("--show", action="store_true", help="print each missed and extra row")
    args = ap.parse_args(argv)
    documents = sorted(WRITTEN.glob("written-*/*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        for layout in args.layout:
            want_all = found = extra = 0
            seconds = 0.0
            for md in documents:
                source = read_document(md)
                want = [p.text for p in source if p.kind == "table_row"]
                pdf = render_report_pdf(source, layout, Path(tmp) / f"{md.stem}-{layout}.pdf")
                started = time.perf_counter()
                got = rows_of(pdf)
                seconds += time.perf_counter() - started
                missed = [w for w in want if w not in got]
                extras = [g for g in got if g not in want]
                want_all += len(want)
                found += len(want) - len(missed)
                extra += len(extras)
                if missed or extras:
                    print(f"  {md.stem:34} rows {len(want) - len(missed)}/{len(want)}, "
                          f"extra {len(extras)}")
                    if args.show:
                        for text in missed:
                            print(f"      missed {text[:150]}")
                        for text in extras:
                            print(f"      extra  {text[:150]}")
            print(f"{layout}: table rows read exactly {found}/{want_all} "
                  f"({found / max(want_all, 1):.1%}), extra rows {extra}; "
                  f"read in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
