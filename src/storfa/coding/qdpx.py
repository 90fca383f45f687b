"""REFI-QDA project export (.qdpx): coded extracts that NVivo, ATLAS.ti and
MAXQDA open.

A .qdpx is a zip holding `project.qde` (XML in the urn:QDA-XML:project:1.0
namespace) and each source's plain text under `sources/`, referred to from
the XML as `internal://<file>` as the standard prescribes. Positions are
counted in Unicode code points, as Python indexes a str, so an extract's
offsets into a review version's text are its selection's positions
unchanged. GUIDs are derived from storfa's own ids (uuid5), so exporting the
same project twice gives the same GUIDs and another tool can merge re-exports."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from storfa import __version__
from storfa.coding.agreement import coder_of
from storfa.coding.refi import PROJECT_NS, guid, write_codes, xml_text
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import Extract, Memo

NS = PROJECT_NS
__all__ = ["NS", "SourceText", "guid", "project_xml", "write_qdpx"]
_Q = f"{{{NS}}}"
SOURCES = "sources"


@dataclass(frozen=True)
class SourceText:
    """One review version's text, as exported."""

    version_id: int
    review_id: str
    text: str
    created_at: str


def _when(stamp: str) -> str:
    # storfa stamps are ISO 8601 UTC; xsd:dateTime wants the "T" and a zone.
    text = stamp.replace(" ", "T")
    return text if text.endswith("Z") or "+" in text[10:] else text + "Z"


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _Q + tag, {k: xml_text(v) for k, v in attrs.items()})


def project_xml(book: Codebook, extracts: Sequence[Extract],
                sources: Mapping[int, SourceText], memos: Sequence[Memo] = (),
                created_at: str = "1970-01-01T00:00:00Z") -> bytes:
    """project.qde for these extracts, whose version texts are in `sources`."""
    users = sorted({coder_of(e) for e in extracts} | {e.coder for e in extracts}
                   | {m.author for m in memos} | {"storfa"})
    root = etree.Element(_Q + "Project", nsmap={None: NS}, attrib={
        "name": f"storfa: {book.title}", "origin": f"storfa {__version__}",
        "creatingUserGUID": guid("user", "storfa"), "creationDateTime": _when(created_at)})
    users_el = _el(root, "Users")
    for name in users:
        _el(users_el, "User", guid=guid("user", name), name=name)
    write_codes(_el(_el(root, "CodeBook"), "Codes"), book, NS)
    notes_of: dict[int, list[Memo]] = {}
    for memo in memos:
        if memo.extract_id is not None:
            notes_of.setdefault(memo.extract_id, []).append(memo)
    by_version: dict[int, list[Extract]] = {}
    for e in extracts:
        by_version.setdefault(e.version_id, []).append(e)
    sources_el = _el(root, "Sources")
    for version_id in sorted(by_version):
        source = sources[version_id]
        source_el = _el(sources_el, "TextSource", guid=source_guid(source),
                        name=source.review_id,
                        plainTextPath=f"internal://{source_guid(source)}.txt",
                        creatingUser=guid("user", "storfa"),
                        creationDateTime=_when(source.created_at))
        for e in sorted(by_version[version_id], key=lambda x: (x.start, x.end, x.id)):
            who = guid("user", coder_of(e))
            sel = _el(source_el, "PlainTextSelection", guid=guid("extract", e.id),
                      name=e.text[:60], startPosition=str(e.start), endPosition=str(e.end),
                      creatingUser=who, creationDateTime=_when(e.created_at))
            coding = _el(sel, "Coding", guid=guid("coding", e.id), creatingUser=who,
                         creationDateTime=_when(e.decided_at or e.created_at))
            _el(coding, "CodeRef", targetGUID=guid("code", book.name, book.code(e.code).name))
            for memo in notes_of.get(e.id, ()):
                _el(sel, "NoteRef", targetGUID=guid("memo", memo.id))
    attached = [m for m in memos if m.extract_id is not None
                and any(m.extract_id == e.id for e in extracts)]
    if attached:
        notes_el = _el(root, "Notes")
        for memo in attached:
            note = _el(notes_el, "Note", guid=guid("memo", memo.id), name=memo.text[:60],
                       creatingUser=guid("user", memo.author),
                       creationDateTime=_when(memo.created_at))
            _el(note, "PlainTextContent").text = xml_text(memo.text)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                pretty_print=True))


def source_guid(source: SourceText) -> str:
    return guid("source", source.version_id)


def write_qdpx(path: Path, book: Codebook, extracts: Sequence[Extract],
               sources: Mapping[int, SourceText], memos: Sequence[Memo] = (),
               created_at: str = "1970-01-01T00:00:00Z") -> None:
    """Write the .qdpx archive: project.qde and the plain text of every source
    an extract is in."""
    xml = project_xml(book, extracts, sources, memos, created_at)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for version_id in sorted({e.version_id for e in extracts}):
            source = sources[version_id]
            archive.writestr(f"{SOURCES}/{source_guid(source)}.txt",
                             source.text.encode("utf-8"))
