"""Reading REFI-QDA files safely, and the code tree both of its formats share.

Every .qdc and .qdpx comes from outside, so it is read as hostile: the XML
parser never resolves entities, loads a DTD or touches the network, and a
document with a DOCTYPE is refused outright (there is no legitimate use for
one in REFI-QDA). A .qdpx is read in memory, never unpacked to disk, with
limits on the number of members, each member's size, the total and the
compression ratio, so a zip bomb is refused before it is inflated; member
names that climb out of the archive are refused too."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from storfa.domain.codebooks import Code, Codebook
from storfa.domain.errors import N_, StorfaError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member, beyond a small floor
_RATIO_FLOOR = 1024 * 1024
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://storfa/refi-qda")
# Characters XML 1.0 cannot hold (form feeds between pages, stray controls).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def guid(*parts: object) -> str:
    """A GUID derived from storfa's own ids, the same on every export."""
    return str(uuid.uuid5(_GUIDS, "\x1f".join(str(p) for p in parts)))


def xml_text(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def write_codes(parent: etree._Element, book: Codebook, ns: str) -> None:
    """The codebook's code tree under `parent` (a <Codes> element); a retired
    code is written not codable, so other tools keep it without offering it."""
    def one(into: etree._Element, code: Code) -> None:
        node = etree.SubElement(into, f"{{{ns}}}Code", {
            "guid": guid("code", book.name, code.name), "name": xml_text(code.name),
            "isCodable": "false" if code.retired else "true", "color": code.colour.upper()})
        if code.description:
            etree.SubElement(node, f"{{{ns}}}Description").text = xml_text(code.description)
        for child in book.children(code.name):
            one(node, child)

    for theme in book.themes:
        one(parent, theme)


class RefiError(StorfaError):
    """A REFI-QDA file storfa will not read, and why."""


# Refused however the DOCTYPE is found (in the bytes, or by the parser).
_DOCTYPE = N_("{what} declares a DOCTYPE, which REFI-QDA files never need; it is refused "
              "so that no entity can be expanded.")


def parse_xml(data: bytes, what: str) -> etree._Element:
    """The root element of an untrusted XML document. `what` names it in the
    messages: a file name, or words (Words, N_) a page translates."""
    if len(data) > MAX_XML_BYTES:
        raise RefiError(N_("{what} is larger than {mb} MB."), what=what,
                        mb=MAX_XML_BYTES // 2**20)
    if b"<!DOCTYPE" in data or "<!DOCTYPE".encode("utf-16-le") in data:
        raise RefiError(_DOCTYPE, what=what)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise RefiError(N_("{what} is not well-formed XML: {reason}"), what=what,
                        reason=str(exc)) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise RefiError(N_("{what} could not be read as XML: {reason}"), what=what,
                        reason=str(exc)) from None
    if root is None:
        raise RefiError(N_("{what} is empty."), what=what)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise RefiError(_DOCTYPE, what=what)
    return root


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (bool(name) and "\x00" not in name and not name.startswith(("/", "\\"))
            and not re.match(r"^[A-Za-z]:", name) and ".." not in parts)


class Archive:
    """A .qdpx held in memory, its members read on demand within limits."""

    def __init__(self, data: bytes) -> None:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise RefiError(N_("The file is not a .qdpx: a .qdpx is a zip archive."))
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise RefiError(N_("The .qdpx archive is damaged: {reason}"),
                            reason=str(exc)) from None
        if len(infos) > MAX_MEMBERS:
            raise RefiError(N_("The .qdpx holds {n} files; at most {most}."), n=len(infos),
                            most=MAX_MEMBERS)
        total = 0
        for info in infos:
            if not _safe_name(info.filename):
                raise RefiError(N_("The .qdpx holds a file named {name!r}, which points "
                                   "outside the archive."), name=info.filename)
            if info.flag_bits & 0x1:
                raise RefiError(N_("The .qdpx is encrypted."))
            total += info.file_size
            ratio_ok = (info.file_size <= _RATIO_FLOOR
                        or info.file_size <= MAX_RATIO * max(1, info.compress_size))
            if info.file_size > MAX_MEMBER_BYTES or not ratio_ok:
                raise RefiError(N_("{name} in the .qdpx would unpack to {size:,} bytes: "
                                   "refused as a possible zip bomb."),
                                name=info.filename, size=info.file_size)
        if total > MAX_TOTAL_BYTES:
            raise RefiError(N_("The .qdpx would unpack to {size:,} bytes: refused as a "
                               "possible zip bomb."), size=total)
        self.names = {i.filename: i for i in infos}

    def read(self, name: str) -> bytes | None:
        """A member's bytes (None when absent), never more than it declared."""
        info = self.names.get(name)
        if info is None:
            return None
        try:
            with self.zip.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
            raise RefiError(N_("{name} in the .qdpx cannot be read: {reason}"), name=name,
                            reason=str(exc)) from None
        if len(data) > info.file_size:
            raise RefiError(N_("{name} in the .qdpx is larger than it says."), name=name)
        return data


@dataclass(frozen=True)
class RefiCode:
    """A code as a REFI-QDA file has it; `parent` is the enclosing code's guid."""

    guid: str
    name: str
    parent: str | None
    colour: str
    description: str
    codable: bool


def read_codes(codes: etree._Element | None, ns: str) -> list[RefiCode]:
    """The codes under a <Codes> element, depth first, parents before children."""
    found: list[RefiCode] = []
    guids: set[str] = set()

    def walk(el: etree._Element, parent: str | None) -> None:
        for node in el.iterchildren(f"{{{ns}}}Code"):
            name = " ".join((node.get("name") or "").split())
            guid = node.get("guid") or ""
            if not name or not guid:
                raise RefiError(N_("A code in the file has no name or no guid."))
            if guid in guids:
                raise RefiError(N_("Two codes in the file share the guid {guid!r}."),
                                guid=guid)
            guids.add(guid)
            colour = node.get("color") or ""
            found.append(RefiCode(guid, name, parent,
                                  colour.upper() if _COLOUR.match(colour) else "#777777",
                                  (node.findtext(f"{{{ns}}}Description") or "").strip(),
                                  node.get("isCodable", "true") != "false"))
            walk(node, guid)

    if codes is not None:
        walk(codes, None)
    return found


def code_nodes(codes: list[RefiCode]) -> Iterator[tuple[RefiCode, str | None]]:
    """Each code with its parent's name."""
    names = {c.guid: c.name for c in codes}
    for code in codes:
        yield code, names.get(code.parent) if code.parent else None


def schema(kind: str) -> etree.XMLSchema:
    """storfa's own XSD for what it writes: "project" (.qde) or "codebook" (.qdc)."""
    from importlib import resources

    data = (resources.files("storfa.coding") / "data" / "refi" / f"{kind}.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(data))
