"""Hypothesis fuzz target for extraction: mutate small valid PDF/DOCX/HTML seeds.

Runs `extract_document` + `clean_document` in-process on each mutant and records any
exception that is not a RejectedFile. Usage:

    .venv/bin/python bench/fuzz_extract.py --seconds 120
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import hostile
from storfa.domain.errors import RejectedFile
from storfa.ingest.clean import clean_document
from storfa.ingest.extractors import extract_document
from storfa.ingest.limits import ExtractLimits

LIMITS = ExtractLimits(ocr=False, max_pages=50)


def seeds(tmp: Path) -> list[tuple[str, bytes]]:
    html = (b"<!DOCTYPE html><html><head><title>T</title></head><body><h1>Review</h1>"
            b"<p>Para <b>one</b>.</p><ul><li>a</li></ul><table><tr><td>1</td><td>2</td>"
            b"</tr></table></body></html>")
    return [
        ("r.pdf", hostile.make_report_pdf(tmp / "seed.pdf").read_bytes()),
        ("d.docx", hostile.make_docx(tmp / "seed.docx").read_bytes()),
        ("r.html", html),
        ("r.md", b"# Title\n\ntext safe-\nguarding\n\n| a | b |\n|--|--|\n- item\n\f2\n"),
    ]


def mutate(data: bytes, ops: list[tuple[int, int, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for kind, pos, length, blob in ops:
        if not buf:
            break
        pos %= len(buf)
        if kind == 0:  # flip bytes
            for i in range(pos, min(len(buf), pos + max(1, length % 8))):
                buf[i] ^= 0xFF
        elif kind == 1:  # insert
            buf[pos:pos] = blob
        elif kind == 2:  # delete
            del buf[pos: pos + length]
        elif kind == 3:  # overwrite
            buf[pos: pos + len(blob)] = blob
        else:  # truncate
            del buf[pos:]
    return bytes(buf)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--memory-mb", type=int, default=2048)
    args = ap.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (args.memory_mb * 1024 * 1024,) * 2)
    tmp = Path(tempfile.mkdtemp(prefix="storfa-fuzz-"))
    corpus = seeds(tmp)
    stats: Counter[str] = Counter()
    failures: dict[str, str] = {}
    slowest = [0.0, ""]
    deadline = time.monotonic() + args.seconds
    target = tmp / "input"

    op = st.tuples(st.integers(0, 4), st.integers(0, 1 << 20), st.integers(0, 64),
                   st.binary(max_size=16))

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(range(len(corpus))), st.lists(op, min_size=1, max_size=6))
    def run(seed: int, ops: list[tuple[int, int, int, bytes]]) -> None:
        if time.monotonic() > deadline:
            return
        name, data = corpus[seed]
        path = target.with_suffix(Path(name).suffix)
        path.write_bytes(mutate(data, ops))
        start = time.monotonic()
        try:
            clean_document(extract_document(path, LIMITS))
            stats["ok"] += 1
        except RejectedFile as exc:
            stats[f"rejected:{exc.reason.value}"] += 1
        except Exception as exc:
            key = f"{type(exc).__name__} in {name}"
            stats[f"ERROR:{key}"] += 1
            failures.setdefault(key, traceback.format_exc(limit=6))
        took = time.monotonic() - start
        if took > slowest[0]:
            slowest[:] = [took, name]
        stats["total"] += 1

    while time.monotonic() < deadline:
        try:
            run()
        except Exception:  # hypothesis re-raises nothing here; keep looping
            traceback.print_exc()
    print(f"ran {stats['total']} inputs in {args.seconds:.0f}s; slowest {slowest[0]:.2f}s "
          f"({slowest[1]})")
    for key, n in sorted(stats.items()):
        print(f"  {key}: {n}")
    for key, tb in failures.items():
        print(f"\n=== {key}\n{tb}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
