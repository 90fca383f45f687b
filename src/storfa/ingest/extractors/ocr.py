"""OCR of a rendered PDF page with the `tesseract` command-line tool."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from storfa.domain.documents import Block
from storfa.ingest.limits import ExtractLimits

MAX_PIXELS = 40_000_000  # cap the render size of oversized pages


class OcrError(Exception):
    pass


@functools.cache
def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def available() -> bool:
    return tesseract_path() is not None


@functools.cache
def languages() -> str:
    """`eng+cym` when Welsh data is installed, else `eng`."""
    exe = tesseract_path()
    if exe is None:
        return "eng"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                             timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "eng"
    langs = set((out.stdout + out.stderr).split())
    return "eng+cym" if "cym" in langs else "eng"


def ocr_image(image_path: Path, timeout: float) -> str:
    exe = tesseract_path()
    if exe is None:
        raise OcrError("tesseract is not installed")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        out = subprocess.run([exe, str(image_path), "stdout", "-l", languages(), "--psm", "3"],
                             capture_output=True, timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"tesseract timed out after {timeout:.0f}s") from None
    except OSError as exc:
        raise OcrError(f"could not run tesseract: {exc}") from None
    if out.returncode != 0:
        raise OcrError(out.stderr.decode("utf-8", "replace").strip()[-300:] or "tesseract failed")
    return out.stdout.decode("utf-8", "replace")


def ocr_page(page: pdfium.PdfPage, limits: ExtractLimits) -> list[Block]:
    from storfa.ingest.extractors.text import plain_text_blocks

    width, height = page.get_size()
    scale = limits.ocr_dpi / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_pil()
        with tempfile.TemporaryDirectory(prefix="storfa-ocr-") as tmp:
            png = Path(tmp) / "page.png"
            image.save(png)
            text = ocr_image(png, limits.ocr_timeout)
    finally:
        bitmap.close()
    return plain_text_blocks(text.replace("\f", ""))
