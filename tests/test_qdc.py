"""REFI-QDA codebooks (.qdc): the export passes storfa's own codebook schema
and reads back as the same tree; import stores a new codebook; hostile XML
and hostile archives are refused with a reason and never crash the reader."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from storfa.app import Storfa
from storfa.coding.codebooks import load_codebook
from storfa.coding.qdc import NS, codebook_xml, read_qdc
from storfa.coding.qdpx_import import read_project
from storfa.coding.refi import Archive, RefiError, parse_xml, schema
from storfa.domain.errors import StorfaError

Q = f"{{{NS}}}"


def test_export_validates_and_reads_back() -> None:
    book = load_codebook("best-practice")
    data = codebook_xml(book)
    root = etree.fromstring(data)
    checker = schema("codebook")
    assert checker.validate(root), checker.error_log
    assert root.tag == Q + "CodeBook"
    assert len(root.findall(f".//{Q}Code")) == 18
    assert [c.get("name") for c in root.findall(f"{Q}Codes/{Q}Code")] == \
        [t.name for t in book.themes]
    back = read_qdc(data, "copy")
    assert [(c.path, c.colour, c.description, c.retired) for c in back] == \
        [(c.path, c.colour.upper(), c.description, False) for c in book]
    # The schema can fail: a colour that is not #RRGGBB.
    root.find(f".//{Q}Code").set("color", "red")  # type: ignore[union-attr]
    assert not checker.validate(root)


def test_retired_code_is_not_codable(storfa: Storfa) -> None:
    service = storfa.codebooks
    service.retire("best-practice", "Record keeping", "ann")
    data = codebook_xml(service.load("best-practice"))
    node = etree.fromstring(data).find(f".//{Q}Code[@name='Record keeping']")
    assert node is not None and node.get("isCodable") == "false"
    assert read_qdc(data, "x").code("Record keeping").retired


def test_import_stores_a_new_codebook(storfa: Storfa) -> None:
    service = storfa.codebooks
    data = codebook_xml(load_codebook("cpr-learning"))
    stored = service.store_import(read_qdc(data, "Learning-2024", "Learning"), "ann", "l.qdc")
    assert stored.name == "learning-2024" and len(stored) == len(load_codebook("cpr-learning"))
    assert {i.name for i in service.infos()} >= {"learning-2024", "best-practice"}
    with pytest.raises(StorfaError, match="already"):
        service.store_import(read_qdc(data, "learning-2024"), "ann", "l.qdc")
    assert storfa.store.audit_events(action="codebook.import")[0]["object_id"] == "learning-2024"


BAD_XML = {
    "not xml": (b"this is not xml", "well-formed"),
    "billion laughs": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                       b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                       b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                       b'<Code guid="g" name="&lol2;" isCodable="true"/></Codes></CodeBook>',
                       "DOCTYPE"),
    "external entity": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                        b'"file:///etc/passwd">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
                        b'<Codes><Code guid="g" name="&e;" isCodable="true"/></Codes>'
                        b'</CodeBook>', "DOCTYPE"),
    "wrong root": (b'<Project xmlns="urn:QDA-XML:project:1.0"/>', "not a REFI-QDA codebook"),
    "no codes": (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
                 "no codes"),
    "twice": (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
              b'<Code guid="a" name="X" isCodable="true"/>'
              b'<Code guid="b" name="x" isCodable="true"/></Codes></CodeBook>', "twice"),
    "shared guid": (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                    b'<Code guid="a" name="X" isCodable="true"/>'
                    b'<Code guid="a" name="Y" isCodable="true"/></Codes></CodeBook>', "guid"),
}


@pytest.mark.parametrize("case", sorted(BAD_XML))
def test_hostile_codebooks_are_refused(case: str) -> None:
    data, reason = BAD_XML[case]
    with pytest.raises(RefiError, match=reason):
        read_qdc(data, "x")


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.text(max_size=300).map(lambda t: f"<CodeBook>{t}</CodeBook>".encode())))
def test_the_xml_reader_refuses_or_reads_never_crashes(data: bytes) -> None:
    try:
        parse_xml(data, "input")
        read_qdc(data, "fuzz")
    except RefiError:
        pass


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "reason"), [
    (b"PK not really a zip", "zip archive"),
    (b"<Project/>", "zip archive"),
    (_zip({"project.qde": b"<x/>", "../../etc/cron.d/evil": b"x"}), "outside the archive"),
    (_zip({"project.qde": b"<x/>", "/abs/path": b"x"}), "outside the archive"),
    (_zip({"project.qde": b"<x/>", "sources/bomb.txt": b"\0" * (8 * 2**20)}), "zip bomb"),
    (_zip({"sources/a.txt": b"text"}), r"no project\.qde"),
    (_zip({"project.qde": b"<Project/>"}), "not a REFI-QDA project"),
    (_zip({"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0'"}), "well-formed"),
])
def test_hostile_archives_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(RefiError, match=reason):
        read_project(data)


def test_archive_never_reads_more_than_declared() -> None:
    archive = Archive(_zip({"a.txt": b"hello"}))
    assert archive.read("a.txt") == b"hello" and archive.read("missing") is None
