"""Codebook pages through the real app: anyone reads the tree and history;
editors and administrators add, edit, merge and retire codes (CSRF on every
form, other roles refused and audited); .qdc download; .qdc and .qdpx upload
type-checked and size-limited; a .qdpx import never codes a hidden review."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from httpx import Response

from storfa.accounts.policy import can_manage_codebooks
from storfa.coding.codebooks import load_codebook
from storfa.coding.exports import export_extracts
from storfa.coding.qdc import codebook_xml
from storfa.domain.accounts import Role, User
from webworld import World, build_world, csrf_of


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("codebooks-web")
    site = build_world(base / "data", base / "reviews", upload_mb=1)
    yield site
    site.close()


@pytest.mark.parametrize(("role", "disabled", "allowed"), [
    (Role.ADMINISTRATOR, False, True), (Role.EDITOR, False, True), (Role.CODER, False, False),
    (Role.READER, False, False), (Role.EDITOR, True, False)])
def test_policy(role: Role, disabled: bool, allowed: bool) -> None:
    user = User(id=1, username="x", display_name="X", role=role, organisation_id=None,
                disabled=disabled)
    assert can_manage_codebooks(user) is allowed
    assert can_manage_codebooks(None) is False


def test_anyone_reads_codebooks(world: World) -> None:
    page = world.client("anonymous").get("/codebooks")
    assert page.status_code == 200 and 'href="/codebooks/best-practice"' in page.text
    assert 'id="import-form"' not in page.text
    tree = world.client("reader").get("/codebooks/best-practice")
    assert tree.status_code == 200 and tree.text.count('class="code depth-') == 18
    assert 'id="add-code-form"' not in tree.text
    assert world.client("reader").get("/codebooks/nope").status_code == 404
    qdc = world.client("anonymous").get("/codebooks/best-practice/export.qdc")
    assert qdc.status_code == 200 and b"urn:QDA-XML:codebook:1.0" in qdc.content
    assert "best-practice.qdc" in qdc.headers["content-disposition"]


def test_editor_changes_a_codebook(world: World) -> None:
    editor = world.client("editor")
    page = editor.get("/codebooks/best-practice")
    assert 'id="add-code-form"' in page.text
    csrf = csrf_of(page.text)
    url = "/codebooks/best-practice"
    added = editor.post(f"{url}/add", data={
        "code": "Trauma-informed practice", "parent": "Care and Support", "colour": "#aa3377",
        "description": "Shaped by trauma.", "terms": "trauma*\n", "csrf_token": csrf})
    assert added.status_code == 303 and added.headers["location"] == url
    edited = editor.post(f"{url}/edit", data={
        "code": "Trauma-informed practice", "new_name": "Trauma-aware practice",
        "description": "Shaped by trauma.", "colour": "#aa3377", "terms": "",
        "csrf_token": csrf})
    assert edited.status_code == 303
    assert editor.post(f"{url}/merge", data={
        "source": "Escalating concerns", "target": "Risk assessment",
        "csrf_token": csrf}).status_code == 303
    assert editor.post(f"{url}/retire", data={"code": "Record keeping",
                                              "csrf_token": csrf}).status_code == 303
    bad = editor.post(f"{url}/retire", data={"code": "Record keeping", "csrf_token": csrf})
    assert bad.status_code == 400 and "retired" in bad.text
    shown = editor.get(url).text
    assert shown.count("code depth-1 retired") == 2 and "Trauma-aware practice" in shown
    assert 'id="codebook-history"' in shown and "user:editor" in shown
    assert [e["actor"] for e in world.audit("codebook.merge")] == ["user:editor"]


@pytest.mark.parametrize("who", ["coder", "reader", "anonymous"])
def test_others_cannot_change_and_csrf_is_checked(world: World, who: str) -> None:
    client = world.client(who)
    csrf = world.page_csrf(who)
    response = client.post("/codebooks/best-practice/add", data={
        "code": f"By {who}", "csrf_token": csrf})
    assert response.status_code == 403
    assert f"By {who}" not in {c.name for c in world.storfa.coding
                               .book("best-practice")}
    denied = [e for e in world.audit("codebook.add-code") if e["detail"].get("allowed") is False]
    assert denied
    forged = world.client("editor").post("/codebooks/best-practice/add", data={
        "code": "Forged", "csrf_token": "not-the-token"})
    assert forged.status_code == 403


def _upload(world: World, kind: str, filename: str, data: bytes, **form: str) -> Response:
    editor = world.client("editor")
    return editor.post("/codebooks/import", data={"kind": kind, "csrf_token":
                                                  world.page_csrf("editor"), **form},
                       files={"file": (filename, data, "application/octet-stream")})


def test_upload_rejects_wrong_type_and_oversize(world: World) -> None:
    not_zip = _upload(world, "qdpx", "p.qdpx", b"just some text")
    assert not_zip.status_code == 415 and "zip" in not_zip.text
    not_xml = _upload(world, "qdc", "c.qdc", b"PK\x03\x04 binary")
    assert not_xml.status_code == 415
    big = _upload(world, "qdpx", "big.qdpx", b"\0" * (1024 * 1024 + 1))
    assert big.status_code == 413
    hostile = _upload(world, "qdc", "x.qdc", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e '
                      b'SYSTEM "file:///etc/passwd">]><CodeBook/>')
    assert hostile.status_code == 400 and "DOCTYPE" in hostile.text
    no_token = world.client("editor").post(
        "/codebooks/import", data={"kind": "qdc"},
        files={"file": ("c.qdc", codebook_xml(load_codebook("cpr-learning")), "text/xml")})
    assert no_token.status_code == 403
    coder = world.client("coder").post(
        "/codebooks/import", data={"kind": "qdc", "csrf_token": world.page_csrf("coder")},
        files={"file": ("c.qdc", codebook_xml(load_codebook("cpr-learning")), "text/xml")})
    assert coder.status_code == 403


def test_qdc_and_qdpx_import(world: World, tmp_path_factory: pytest.TempPathFactory) -> None:
    done = _upload(world, "qdc", "Learning.qdc", codebook_xml(load_codebook("cpr-learning")),
                   name="learning-copy")
    assert done.status_code == 200 and 'id="import-done"' in done.text
    assert "learning-copy" in {i.name for i in world.storfa.coding.codebooks.infos()}
    # A project coding a public and a restricted review, imported by someone
    # who cannot see the restricted one.
    service = world.storfa.coding
    for level in ("public", "restricted"):
        record = world.storfa.store.get_review(world.keys[level])
        assert record is not None
        service.code_span(world.keys[level], 0, 40, "cpr-learning",
                          "Identified good practice", "ann")
    path = tmp_path_factory.mktemp("qdpx") / "p.qdpx"
    export_extracts(service, path, "qdpx", "cpr-learning")
    other = world.client("other_editor")
    response = other.post("/codebooks/import", data={
        "kind": "qdpx", "codebook": "cpr-learning",
        "csrf_token": world.page_csrf("other_editor")},
        files={"file": ("p.qdpx", path.read_bytes(), "application/zip")})
    assert response.status_code == 200, response.text
    assert 'class="unmatched"' in response.text and world.keys["restricted"] in response.text
    assert 'class="matched"' in response.text
    events = world.audit("code.import")
    assert events[0]["detail"]["sources_unmatched"] == 1
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert "project.qde" in archive.namelist()
