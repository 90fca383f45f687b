"""Write a corpus of generated reviews in several formats, with a ground-truth manifest."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from storfa.synthetic.api import generate_review
from storfa.synthetic.facts import make_facts
from storfa.synthetic.model import GeneratedReview
from storfa.synthetic.office import render_docx, render_html, render_markdown
from storfa.synthetic.pdf import render_pdf
from storfa.synthetic.pdf_layout import layout_review

FORMATS = ("pdf", "docx", "md", "html")
_EXT = {"pdf": "pdf", "docx": "docx", "md": "md", "html": "html"}


def _slug(identifier: str) -> str:
    return identifier.replace("/", "-")


def generate_corpus(out_dir: str | Path, n: int, *, seed: int = 0,
                    formats: Sequence[str] = ("pdf", "docx", "md"),
                    two_column_share: float = 0.2, image_page_share: float = 0.0,
                    pages_hint: int = 12, welsh_share: float = 0.0,
                    progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Generate `n` reviews and write each in every format asked for.

    Review i uses seed `seed * 1_000_003 + i`; identifiers are made unique across
    the corpus by giving each (type, year[, board]) its own running sequence.
    `two_column_share` of PDFs use two columns; each PDF page becomes an
    image-only page with probability `image_page_share`; `welsh_share` of
    reviews also get a Welsh version (same identifier, "-cy" in the file name).
    Writes out_dir/manifest.json and returns the written paths.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; expected some of {FORMATS}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"storfa-corpus:{seed}")
    counters: dict[tuple[str, int, str], int] = {}
    manifest: list[dict[str, Any]] = []
    paths: list[Path] = []
    for i in range(n):
        review_seed = seed * 1_000_003 + i
        facts = make_facts(review_seed, None, pages_hint)
        key = (facts.review_type, facts.dates["publication"].year,
               facts.board.abbrev if facts.review_type == "SUSR" else "")
        counters[key] = counters.get(key, 0) + 1
        languages = ["en"] + (["cy"] if rng.random() < welsh_share else [])
        two_column = rng.random() < two_column_share
        for language in languages:
            review = generate_review(review_seed, facts.review_type, language, pages_hint,
                                     sequence=counters[key])
            suffix = "-cy" if language == "cy" else ""
            stem = f"review-{i:05d}-{_slug(review.identifier)}{suffix}"
            for fmt in formats:
                path = out / f"{stem}.{_EXT[fmt]}"
                entry = _write(review, fmt, path, two_column, image_page_share, rng)
                entry.update(path=path.name, seed=review_seed, sequence=counters[key],
                             expected=review.expected_metadata())
                manifest.append(entry)
                paths.append(path)
        if progress is not None:
            progress(i + 1, n)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                                       encoding="utf-8")
    return paths


def _write(review: GeneratedReview, fmt: str, path: Path, two_column: bool,
           image_share: float, rng: random.Random) -> dict[str, Any]:
    entry: dict[str, Any] = {"format": fmt, "layout": None, "language": review.language}
    if fmt == "pdf":
        layout = "two_column" if two_column else "single"
        image_pages: list[int] = []
        if image_share > 0:
            count = len(layout_review(review, layout))
            image_pages = [p for p in range(1, count + 1) if rng.random() < image_share]
        entry["pages"] = render_pdf(review, path, layout=layout, image_pages=image_pages)
        entry.update(layout=layout, image_pages=image_pages, header=True)
    elif fmt == "docx":
        render_docx(review, path)
    elif fmt == "md":
        render_markdown(review, path)
    else:
        render_html(review, path)
    return entry
