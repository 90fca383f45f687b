"""Evidence files for a recommendation's progress notes: checked by their
first bytes (never by the name or the browser's word), size-limited, stored
in the app's blob store under their SHA-256 (docs/recommendations.md)."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from storfa.domain.errors import N_, StorfaError
from storfa.storage.files import BlobStore

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = "PDF, DOCX, PNG, JPEG, TXT"


@dataclass(frozen=True)
class Evidence:
    filename: str
    media_type: str
    size: int
    sha256: str


def media_type(data: bytes) -> str | None:
    """The file's type from its content, or None when it is not an allowed one."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _docx(data)
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _docx(data: bytes) -> str | None:
    # Any ZIP starts PK; a Word document is the one holding word/document.xml.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def safe_name(filename: str) -> str:
    """The file's own name without any folder, for the download header."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return cleaned[:200] or "evidence"


def store_evidence(blobs: BlobStore, filename: str, data: bytes) -> Evidence:
    """Check and store one file; StorfaError (shown to the user) when refused."""
    if not data:
        raise StorfaError(N_("The evidence file is empty."))
    if len(data) > MAX_BYTES:
        raise StorfaError(N_("The evidence file is over the {mb} MB limit."),
                          mb=MAX_BYTES // (1024 * 1024))
    kind = media_type(data)
    if kind is None:
        raise StorfaError(N_("Evidence files are {allowed}; this file is none of them."),
                          allowed=ALLOWED)
    sha = hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory(prefix="storfa-evidence-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        blobs.put(path, sha)
    return Evidence(safe_name(filename), kind, len(data), sha)


def read_evidence(blobs: BlobStore, sha256: str) -> bytes:
    return blobs.path_for(sha256).read_bytes()
