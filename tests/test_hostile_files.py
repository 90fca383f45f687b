"""Hostile files end in a typed RejectedFile (or a bounded success), inside the sandbox."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import hostile
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.limits import MB, ExtractLimits
from storfa.ingest.sandbox import ExtractorPool, extract_in_sandbox

LIMITS = ExtractLimits(memory_bytes=768 * MB, cpu_seconds=20)
R = RejectReason


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractorPool]:
    with ExtractorPool(LIMITS, workers=2) as p:
        yield p


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


CASES: dict[str, tuple[str, Callable[[Path], bytes], set[RejectReason]]] = {
    "flate_bomb": ("bomb.pdf", lambda d: hostile.flate_bomb_pdf(1024**3),
                   {R.RESOURCE_LIMIT, R.NO_TEXT, R.CORRUPT}),
    "lzw_bomb": ("lzw.pdf", lambda d: hostile.lzw_bomb_pdf(),
                 {R.RESOURCE_LIMIT, R.NO_TEXT, R.CORRUPT}),
    "circular": ("circ.pdf", lambda d: hostile.circular_pdf(), {R.CORRUPT}),
    "encrypted": ("enc.pdf", lambda d: hostile.encrypted_pdf(d / "e.pdf").read_bytes(),
                  {R.ENCRYPTED}),
    "truncated": ("trunc.pdf",
                  lambda d: hostile.truncated_pdf(hostile.make_report_pdf(d / "r.pdf")
                                                  .read_bytes()),
                  {R.CORRUPT}),
    "docx_bomb": ("bomb.docx", lambda d: hostile.docx_bomb(), {R.ZIP_BOMB}),
    "overlap": ("overlap.docx", lambda d: hostile.overlapping_zip(), {R.UNSAFE_ARCHIVE}),
    "zip_slip": ("slip.docx", lambda d: hostile.zip_slip_docx(), {R.UNSAFE_ARCHIVE}),
    "billion_laughs": ("laughs.docx",
                       lambda d: hostile.docx_with_document(hostile.BILLION_LAUGHS),
                       {R.XML_ENTITIES}),
    "external_entity": ("xxe.docx",
                        lambda d: hostile.docx_with_document(hostile.EXTERNAL_ENTITY),
                        {R.XML_ENTITIES}),
    "html_entities": ("laughs.html", lambda d: hostile.BILLION_LAUGHS.replace(
        b"<w:document", b"<html><body><p>x</p></body></html><w:document"), {R.XML_ENTITIES}),
    "zero_bytes": ("empty.pdf", lambda d: b"", {R.EMPTY}),
    "whitespace": ("blank.txt", lambda d: b" \n\t\n ", {R.EMPTY}),
    "random_bytes": ("random.pdf", lambda d: os.urandom(8192), {R.UNSUPPORTED}),
    "png": ("image.pdf", lambda d: hostile.PNG, {R.UNSUPPORTED}),
    "xlsx": ("sheet.docx", lambda d: hostile.zip_bytes([("xl/workbook.xml", b"<w/>")]),
             {R.UNSUPPORTED}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_rejected(case: str, tmp_path: Path, pool: ExtractorPool) -> None:
    name, make, reasons = CASES[case]
    path = _write(tmp_path, name, make(tmp_path))
    start = time.monotonic()
    with pytest.raises(RejectedFile) as info:
        pool.submit(path).result(timeout=2 * LIMITS.cpu_seconds + 10)
    assert info.value.reason in reasons, str(info.value)
    assert time.monotonic() - start < 2 * LIMITS.cpu_seconds


def test_html_renamed_pdf_ingests_as_html(tmp_path: Path, pool: ExtractorPool) -> None:
    path = _write(tmp_path, "report.pdf",
                  b"<!DOCTYPE html><html><body><h1>Review</h1><p>Findings.</p></body></html>")
    doc = pool.submit(path).result()
    assert doc.format == "html"
    assert [b.text for b in doc.pages[0].blocks] == ["Review", "Findings."]


def test_pool_survives_a_killed_worker(tmp_path: Path, pool: ExtractorPool) -> None:
    bomb = _write(tmp_path, "bomb.pdf", hostile.flate_bomb_pdf(1024**3))
    good = hostile.make_report_pdf(tmp_path / "good.pdf")
    futures = [pool.submit(bomb), pool.submit(good), pool.submit(good)]
    with pytest.raises(RejectedFile) as info:
        futures[0].result()
    assert info.value.reason in {R.RESOURCE_LIMIT, R.NO_TEXT}
    assert all(f.result().format == "pdf" for f in futures[1:])


def test_too_large_checked_from_size(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", b"word " * 1000)
    with pytest.raises(RejectedFile) as info:
        extract_in_sandbox(path, ExtractLimits(max_file_bytes=100))
    assert info.value.reason is R.TOO_LARGE


def test_output_cap(tmp_path: Path) -> None:
    path = _write(tmp_path, "long.txt", b"word " * 5000)
    with pytest.raises(RejectedFile) as info:
        extract_in_sandbox(path, ExtractLimits(max_text_chars=1000))
    assert info.value.reason is R.RESOURCE_LIMIT


def test_too_many_pages(tmp_path: Path) -> None:
    path = hostile.make_report_pdf(tmp_path / "r.pdf")
    with pytest.raises(RejectedFile) as info:
        extract_in_sandbox(path, ExtractLimits(max_pages=2))
    assert info.value.reason is R.TOO_MANY_PAGES


def _what_the_worker_holds(_doc: object) -> tuple[bool, int]:
    import sys

    from storfa.ingest.language import load_model

    return "storfa.ingest.worker_start" in sys.modules, load_model.cache_info().currsize


def test_a_worker_starts_with_the_parsers_and_language_model_loaded(
        tmp_path: Path, pool: ExtractorPool) -> None:
    """Workers are forked from a server that loaded what they need once
    (ingest/worker_start.py), not each loading it on its first file."""
    path = _write(tmp_path, "a.txt", b"The health visitor saw the baby at home twice.")
    assert pool.submit(path, _what_the_worker_holds).result(timeout=60) == (True, 1)
