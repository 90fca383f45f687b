"""Detect a file's format from its content, never its extension."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

from storfa.domain.errors import RejectedFile, RejectReason

HEAD_BYTES = 64 * 1024
FORMATS = ("pdf", "docx", "html", "markdown", "text")

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<head>", b"<head ")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_NAMES = (".md", ".markdown", ".mdown", ".mkd")
_KNOWN_BINARY = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"MZ": "Windows executable",
    b"\x7fELF": "ELF executable",
    b"\xd0\xcf\x11\xe0": "legacy Office (OLE) file",
    b"{\\rtf": "RTF document",
    b"\x1f\x8b": "gzip archive",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7-Zip archive",
}


def decode_text(data: bytes, *, partial: bool = False) -> str | None:
    """Decode as text (BOM-aware UTF-8/UTF-16, else UTF-8, else cp1252); None if binary.

    With `partial`, `data` may end mid-character (it is a file's head).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
        if partial and len(data) % 2:
            data = data[:-1]
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            return None
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if b"\x00" in data:
            return None
        text_or_none: str | None = None
        for cut in range(4 if partial else 1):
            try:
                text_or_none = data[: len(data) - cut].decode("utf-8")
                break
            except UnicodeDecodeError:
                continue
        if text_or_none is None:
            try:
                text_or_none = data.decode("cp1252")
            except UnicodeDecodeError:
                return None
        text = text_or_none
    if "\x00" in text:
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 100):
        return None
    return text


def _zip_names_in_head(head: bytes) -> list[str]:
    """File names of the local headers (and central directory) visible in `head`."""
    names: list[str] = []
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        start = 0
        while (i := head.find(sig, start)) >= 0 and len(names) < 10_000:
            start = i + 4
            if sig == b"PK\x03\x04" and i + 30 <= len(head):
                n_len = struct.unpack_from("<H", head, i + 26)[0]
                names.append(head[i + 30 : i + 30 + n_len].decode("cp437", "replace"))
            elif sig == b"PK\x01\x02" and i + 46 <= len(head):
                n_len = struct.unpack_from("<H", head, i + 28)[0]
                names.append(head[i + 46 : i + 46 + n_len].decode("cp437", "replace"))
    return names


def _zip_kind(names: list[str]) -> str:
    if "word/document.xml" in names:
        return "docx"
    kind = "zip archive"
    if any(n.startswith("xl/") for n in names):
        kind = "spreadsheet (xlsx)"
    elif any(n.startswith("ppt/") for n in names):
        kind = "presentation (pptx)"
    elif "mimetype" in names or "content.xml" in names:
        kind = "OpenDocument file"
    raise RejectedFile(RejectReason.UNSUPPORTED, f"unsupported format: {kind}")


# JSON objects/arrays and XML documents are data exports, not reports.
_DATA = re.compile(r'\A\s*(?:[\[{]\s*["{\[\]}]|<\?xml\b)')


def detect_format(head: bytes, name: str) -> str:
    """Format of a file from its first bytes: "pdf" | "docx" | "html" | "markdown" | "text".

    `name` only separates Markdown from plain text. Raises RejectedFile(EMPTY) for an
    empty or whitespace-only head, RejectedFile(UNSUPPORTED) for anything else.
    """
    if not head.strip():
        raise RejectedFile(RejectReason.EMPTY, "file is empty" if not head else
                           "file contains only whitespace")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(_zip_names_in_head(head))
    for magic, what in _KNOWN_BINARY.items():
        if head.startswith(magic):
            raise RejectedFile(RejectReason.UNSUPPORTED, f"unsupported format: {what}")
    text = decode_text(head, partial=True)
    if text is None:
        raise RejectedFile(RejectReason.UNSUPPORTED, "unsupported format: binary data")
    if not text.strip():
        raise RejectedFile(RejectReason.EMPTY, "file contains only whitespace")
    low = text[:4096].lower().encode("utf-8", "replace")
    stripped = low.lstrip()
    if any(m in low[:1024] for m in _HTML_MARKERS) or (
        stripped.startswith(b"<") and any(m in low for m in _HTML_MARKERS)
    ):
        return "html"
    if _DATA.match(text):
        raise RejectedFile(RejectReason.UNSUPPORTED,
                           "unsupported format: structured data (JSON or XML), not a document")
    if name.lower().endswith(_MD_NAMES) or _MD_HEADING.search(text):
        return "markdown"
    return "text"


def detect_path(path: Path) -> str:
    """`detect_format` for a file on disk; zips are judged by their central directory."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    try:
        return detect_format(head, path.name)
    except RejectedFile as exc:
        if exc.reason is not RejectReason.UNSUPPORTED or not head.startswith(_ZIP_MAGIC):
            raise
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise RejectedFile(RejectReason.CORRUPT, f"damaged zip archive: {exc}") from None
    return _zip_kind(names)
