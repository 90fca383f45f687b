"""How clean is extracted text? Word recall and reading order against the
generator's source text, for PDF layouts that trouble QDA tools: one column,
two columns, running headers/footers; plus DOCX and HTML.

    .venv/bin/python bench/text_quality.py [--reviews 30] [--pages 12]

recall  = share of the source's words (as a multiset) found in the passages
order   = matching-blocks ratio of the two word sequences (1.0 = same order)
leaks   = passages still containing the running header or "Page N of M"
"""

from __future__ import annotations

import argparse
import difflib
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from storfa.ingest.clean import clean_document
from storfa.ingest.extractors import extract_document
from storfa.ingest.segment import segment, title_heading
from storfa.search.tokens import tokens
from storfa.synthetic import (
    generate_review,
    header_text,
    render_docx,
    render_html,
    render_pdf,
)

FOOTER = re.compile(r"\bPage \d+ of \d+\b")


def words_of(text: str) -> list[str]:
    return tokens(text)


def score(truth: list[str], got: list[str]) -> tuple[float, float]:
    want, have = Counter(truth), Counter(got)
    recall = sum(min(n, have[w]) for w, n in want.items()) / max(1, sum(want.values()))
    matcher = difflib.SequenceMatcher(None, truth, got, autojunk=False)
    order = sum(b.size for b in matcher.get_matching_blocks()) / max(1, len(truth))
    return recall, order


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reviews", type=int, default=30)
    ap.add_argument("--pages", type=int, default=12)
    args = ap.parse_args()
    layouts = {
        "pdf one column + header/footer": ("pdf", "single"),
        "pdf two columns + header/footer": ("pdf", "two_column"),
        "docx": ("docx", None),
        "html": ("html", None),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (fmt, layout) in layouts.items():
            recalls, orders, leaks, pages, seconds = [], [], 0, 0, 0.0
            for seed in range(args.reviews):
                review = generate_review(seed, pages_hint=args.pages)
                path = Path(tmp) / f"r{seed}.{fmt}"
                if fmt == "pdf":
                    render_pdf(review, path, layout=str(layout), header_footer=True)
                elif fmt == "docx":
                    render_docx(review, path)
                else:
                    render_html(review, path)
                started = time.perf_counter()
                doc = clean_document(extract_document(path))
                seconds += time.perf_counter() - started
                pages += doc.page_count
                _, passages = segment(doc)
                text = "\n".join(p.text for p in passages)
                header = header_text(review)
                # The title may rightly repeat the running header's words; skip it.
                body = [p for p in passages if p.text != title_heading(doc)]
                leaks += sum(1 for p in body if header in p.text or FOOTER.search(p.text))
                recall, order = score(words_of(review.plain_text()), words_of(text))
                recalls.append(recall)
                orders.append(order)
            print(f"{name:>32}: recall {sum(recalls) / len(recalls):.4f} (min "
                  f"{min(recalls):.4f})  order {sum(orders) / len(orders):.4f} (min "
                  f"{min(orders):.4f})  furniture leaks {leaks}  "
                  f"{pages / seconds:.0f} pages/s, {args.reviews / seconds:.1f} files/s "
                  "extract+clean on 1 core")


if __name__ == "__main__":
    main()
