"""Checks on an OOXML (zip) container before any parser opens it."""

from __future__ import annotations

import itertools
import re
import struct
import zipfile
import zlib
from pathlib import Path

from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.limits import MB, ExtractLimits

BOMB_RATIO = 100
BOMB_MIN_BYTES = 10 * MB
MAX_XML_PART = 256 * MB
CHUNK = 1 * MB
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _unsafe_name(name: str) -> bool:
    norm = name.replace("\\", "/")
    return (
        norm.startswith("/")
        or re.match(r"^[A-Za-z]:", norm) is not None
        or ".." in norm.split("/")
        or "\x00" in norm
    )


def _check_overlaps(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Entries whose local header + data ranges overlap (a classic zip-bomb trick)."""
    size = path.stat().st_size
    spans: list[tuple[int, int, str]] = []
    with path.open("rb") as fh:
        for info in infos:
            if not 0 <= info.header_offset < size:
                raise RejectedFile(RejectReason.CORRUPT,
                                   f"zip entry {info.filename!r} has a bad offset")
            fh.seek(info.header_offset)
            local = fh.read(30)
            if len(local) < 30 or local[:4] != b"PK\x03\x04":
                raise RejectedFile(RejectReason.CORRUPT,
                                   f"zip entry {info.filename!r} has no local header")
            n_len, x_len = struct.unpack_from("<HH", local, 26)
            end = info.header_offset + 30 + n_len + x_len + info.compress_size
            if end > size:
                raise RejectedFile(RejectReason.CORRUPT,
                                   f"zip entry {info.filename!r} runs past the end of the file")
            spans.append((info.header_offset, end, info.filename))
    spans.sort()
    for (_, end, name), (start, _, nxt) in itertools.pairwise(spans):
        if start < end:
            raise RejectedFile(RejectReason.UNSAFE_ARCHIVE,
                               f"zip entries {name!r} and {nxt!r} overlap")


def check_zip(path: Path, limits: ExtractLimits) -> list[zipfile.ZipInfo]:
    """Validate the zip's directory; raise RejectedFile on bombs and unsafe entries."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise RejectedFile(RejectReason.CORRUPT, f"damaged zip archive: {exc}") from None
    if len(infos) > limits.max_zip_entries:
        raise RejectedFile(RejectReason.ZIP_BOMB,
                           f"zip has {len(infos):,} entries (limit {limits.max_zip_entries:,})")
    seen: set[str] = set()
    for info in infos:
        if _unsafe_name(info.filename):
            raise RejectedFile(RejectReason.UNSAFE_ARCHIVE,
                               f"zip entry name {info.filename!r} escapes the archive")
        key = info.filename.lower()
        if key in seen:
            raise RejectedFile(RejectReason.UNSAFE_ARCHIVE,
                               f"zip has duplicate entry {info.filename!r}")
        seen.add(key)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise RejectedFile(RejectReason.ZIP_BOMB,
                           f"zip expands to {total / MB:,.0f} MB "
                           f"(limit {limits.max_unzipped_bytes / MB:,.0f} MB)")
    if total > BOMB_MIN_BYTES and total > BOMB_RATIO * max(packed, 1):
        raise RejectedFile(RejectReason.ZIP_BOMB,
                           f"zip compression ratio {total / max(packed, 1):,.0f}:1 "
                           f"expanding to {total / MB:,.0f} MB")
    _check_overlaps(path, infos)
    return infos


def _has_dtd(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and data[1:2] == b"\x00"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True  # undecodable UTF-16 markup: treat as hostile
    return _DTD.search(data) is not None


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Stream one part looking for DTD/entity declarations (bounded memory)."""
    tail = b""
    first = True
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            if first and _has_dtd(chunk[:CHUNK]):
                return True
            if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                return _has_dtd(chunk + fh.read(MAX_XML_PART))
            first = False
            if _DTD.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def check_xml_parts(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse any XML part carrying a DTD or entity declarations (XXE, billion laughs)."""
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                hostile = _scan_part(zf, info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                    RuntimeError, zlib.error) as exc:
                raise RejectedFile(RejectReason.CORRUPT,
                                   f"damaged zip entry {info.filename!r}: {exc}") from None
            if hostile:
                raise RejectedFile(RejectReason.XML_ENTITIES,
                                   f"{info.filename} declares a DTD/entities; refusing to parse")
