"""`storfa export extracts`: coded extracts as CSV, JSON or a REFI-QDA .qdpx.

CSV cells go through the same formula-injection escaping as the web's search
export (storfa.interchange.cells.to_csv), so an extract that begins with "=" opens
in a spreadsheet as text."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path

from storfa.coding.autocode import CodingService
from storfa.coding.qdpx import SourceText, write_qdpx
from storfa.disclosure.pseudonymise import ExportMasks
from storfa.domain.coding import ACCEPTED, SUGGESTED, Extract
from storfa.domain.errors import N_, StorfaError

FORMATS = ("csv", "json", "qdpx")
# Rejected suggestions are not codings; they stay in storfa for the record.
DEFAULT_STATUSES = (SUGGESTED, ACCEPTED)
COLUMNS = ("id", "review_id", "start", "end", "page", "codebook", "theme", "code", "status",
           "how", "confidence", "coder", "decided_by", "created_at", "text")


def chosen_extracts(service: CodingService, codebook: str | None,
                    statuses: Sequence[str] = DEFAULT_STATUSES) -> list[Extract]:
    return [e for e in service.extracts(codebook=codebook) if e.status in statuses]


def export_extracts(service: CodingService, path: Path, fmt: str, codebook: str | None = None,
                    statuses: Sequence[str] = DEFAULT_STATUSES,
                    masks: ExportMasks | None = None, exclude: Collection[int] = ()) -> int:
    """Write the extracts to `path`; returns how many. Their text and their
    memos carry the editors' disclosure redactions, and pseudonyms when `masks` pseudonymises
    (disclosure/pseudonymise.py; the caller keeps the mapping). `exclude`
    holds review rows the caller may not see (the web's export)."""
    if fmt not in FORMATS:
        raise StorfaError(N_("--format must be one of {formats} (got {fmt!r})."),
                          formats=", ".join(FORMATS), fmt=fmt)
    masks = masks or ExportMasks(service.store)
    raw = [e for e in chosen_extracts(service, codebook, statuses)
           if e.review_row not in exclude]
    extracts = masks.extracts(raw)
    if fmt == "csv":
        from storfa.interchange.cells import to_csv

        rows = [[getattr(e, c) if c != "review_id" else e.review_id for c in COLUMNS]
                for e in extracts]
        path.write_text(to_csv([list(COLUMNS), *rows]), encoding="utf-8", newline="")
    elif fmt == "json":
        memos = masks.memos(service.sql.memos([e.id for e in extracts]), extracts)
        notes: dict[int, list[dict[str, object]]] = {}
        for memo in memos:
            if memo.extract_id is not None:
                notes.setdefault(memo.extract_id, []).append(memo.as_json())
        path.write_text(json.dumps({"extracts": [
            {**e.as_json(), "memos": notes.get(e.id, [])} for e in extracts]},
            ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        books = {e.codebook for e in extracts}
        if codebook is None and len(books) > 1:
            raise StorfaError("A .qdpx holds one codebook; choose one with --codebook "
                              f"({', '.join(sorted(books))}).")
        book = service.book(codebook or (books.pop() if books else "best-practice"))
        sources: dict[int, SourceText] = {}
        placed: list[Extract] = []
        for version_id in dict.fromkeys(e.version_id for e in extracts):
            mine = [e for e in extracts if e.version_id == version_id]
            # The source text is masked too, so selections are mapped into it.
            text, moved = masks.source(version_id, mine[0].review_id,
                                       service.sql.version_text(version_id), mine)
            sources[version_id] = SourceText(version_id, mine[0].review_id, text,
                                             min(x.created_at for x in mine))
            placed += moved
        extracts = placed
        memos = masks.memos(service.sql.memos([e.id for e in extracts]), extracts)
        write_qdpx(path, book, extracts, sources, memos,
                   created_at=min((e.created_at for e in extracts),
                                  default="1970-01-01T00:00:00Z"))
    return len(extracts)
