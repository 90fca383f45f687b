"""REFI-QDA codebook exchange (.qdc): a codebook as NVivo, ATLAS.ti and
MAXQDA write it, in the urn:QDA-XML:codebook:1.0 namespace.

<CodeBook><Codes><Code guid name isCodable color><Description/><Code …/></Code>
</Codes></CodeBook>. A retired code is written isCodable="false" and read
back retired. REFI-QDA has no place for search-term rules, so a codebook read
from a .qdc has none until they are added with `storfa codebook edit-code`."""

from __future__ import annotations

from lxml import etree

from storfa import __version__
from storfa.coding.refi import (
    CODEBOOK_NS,
    RefiError,
    code_nodes,
    parse_xml,
    read_codes,
    write_codes,
)
from storfa.domain.codebooks import Codebook
from storfa.domain.errors import N_, Words

NS = CODEBOOK_NS
_Q = f"{{{NS}}}"


def codebook_xml(book: Codebook) -> bytes:
    """The .qdc document for a codebook."""
    root = etree.Element(_Q + "CodeBook", nsmap={None: NS},
                         attrib={"origin": f"storfa {__version__}"})
    write_codes(etree.SubElement(root, _Q + "Codes"), book, NS)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                pretty_print=True))


def read_qdc(data: bytes, name: str, title: str | None = None) -> Codebook:
    """The codebook in a .qdc document, named `name`. Refuses what is not a
    REFI-QDA codebook, with the reason."""
    root = parse_xml(data, Words(N_("The .qdc file")))
    if root.tag != _Q + "CodeBook":
        raise RefiError(N_("The .qdc file is not a REFI-QDA codebook: its root element is "
                           "{element!r} in {namespace!r}, not CodeBook in {ns!r}."),
                        element=etree.QName(root).localname,
                        namespace=etree.QName(root).namespace, ns=NS)
    codes = read_codes(root.find(_Q + "Codes"), NS)
    if not codes:
        raise RefiError(N_("The .qdc file holds no codes."))
    nodes: dict[str, dict[str, object]] = {}
    top: list[dict[str, object]] = []
    seen: set[str] = set()
    for code, _parent in code_nodes(codes):
        key = code.name.casefold()
        if key in seen:
            raise RefiError(N_("The .qdc file names the code {code!r} twice; storfa needs "
                               "each code name once in a codebook."), code=code.name)
        seen.add(key)
        node: dict[str, object] = {"name": code.name, "description": code.description,
                                   "colour": code.colour, "retired": not code.codable,
                                   "children": []}
        nodes[code.guid] = node
        if code.parent is None:
            top.append(node)
        else:
            kids = nodes[code.parent]["children"]
            assert isinstance(kids, list)
            kids.append(node)
    return Codebook.from_dict({"name": name, "title": title or name, "codes": top})
