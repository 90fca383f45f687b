"""Codebook pages: browse, create, edit, merge and retire codes; .qdc and .qdpx import and export.

Anyone may read a codebook (its codes, colours, descriptions, search terms
and history); changing one and importing REFI-QDA files is for editors and
administrators (storfa.accounts.policy.can_manage_codebooks). A .qdpx import
codes only the reviews the importer may see: the rest count as unmatched."""

from __future__ import annotations

import io
import zipfile
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi.responses import RedirectResponse, Response

from storfa.accounts.policy import can_manage_codebooks
from storfa.coding.codebook_store import CodebookService
from storfa.domain.codebooks import Codebook
from storfa.domain.errors import StorfaError
from storfa.web.context import Visitor, visitor
from storfa.web.render import render

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
CHUNK = 1024 * 1024
KINDS = ("qdc", "qdpx")
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=300)]


def _service(v: Visitor) -> CodebookService:
    return v.storfa.codebooks


def _book(v: Visitor, name: str) -> Codebook:
    try:
        return _service(v).load(name)
    except StorfaError:
        raise HTTPException(404, v._("There is no such codebook.")) from None


def _manager(v: Visitor, csrf_token: str, action: str, name: str) -> None:
    """The CSRF check and the permission check every change goes through."""
    v.check_csrf(csrf_token)
    if not can_manage_codebooks(v.user):
        v.storfa.accounts.audit(v.actor, action, "codebook", name, allowed=False)
        raise HTTPException(403, v._("Only editors and administrators can change codebooks."))


def _tree(book: Codebook) -> list[dict[str, Any]]:
    """The codes depth first, each with its depth, for an indented list."""
    return [{"code": c, "depth": len(c.path) - 1} for c in book]


def _terms(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@router.get("/codebooks")
def codebooks_page(v: V) -> Response:
    return render(v, "codebooks/index.html", books=_service(v).infos(),
                  manager=can_manage_codebooks(v.user), max_mb=v.storfa.settings.upload_mb)


@router.get("/codebooks/{name}")
def codebook_page(v: V, name: str, error: str = "") -> Response:
    book = _book(v, name)
    return _show(v, book, error)


def _show(v: Visitor, book: Codebook, error: str = "", status: int = 200) -> Response:
    return render(v, "codebooks/show.html", status=status, book=book, tree=_tree(book),
                  live=[c for c in book if not c.retired],
                  history=_service(v).history(book.name),
                  manager=can_manage_codebooks(v.user), error=error)


def _change(v: Visitor, name: str, action: str, csrf_token: str, run: Any) -> Response:
    _manager(v, csrf_token, action, name)
    book = _book(v, name)
    try:
        run(_service(v), book.name, v.actor.name)
    except StorfaError as exc:
        return _show(v, _book(v, book.name), v.error(exc), status=400)
    return RedirectResponse(f"/codebooks/{book.name}", status_code=303)


@router.post("/codebooks/{name}/add")
def add_code(v: V, name: str, code: Short = "", parent: Short = "", description: Text = "",
             colour: Annotated[str, Form(max_length=20)] = "#777777", terms: Text = "",
             csrf_token: Annotated[str, Form()] = "") -> Response:
    return _change(v, name, "codebook.add-code", csrf_token, lambda s, b, who: s.add_code(
        b, code, who, parent or None, description, colour, _terms(terms)))


@router.post("/codebooks/{name}/edit")
def edit_code(v: V, name: str, code: Short = "", new_name: Short = "", description: Text = "",
              colour: Annotated[str, Form(max_length=20)] = "", terms: Text = "",
              csrf_token: Annotated[str, Form()] = "") -> Response:
    return _change(v, name, "codebook.edit-code", csrf_token, lambda s, b, who: s.edit_code(
        b, code, who, new_name or None, description, colour or None, _terms(terms)))


@router.post("/codebooks/{name}/merge")
def merge_codes(v: V, name: str, source: Short = "", target: Short = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    return _change(v, name, "codebook.merge", csrf_token,
                   lambda s, b, who: s.merge(b, source, target, who))


@router.post("/codebooks/{name}/retire")
def retire_code(v: V, name: str, code: Short = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    return _change(v, name, "codebook.retire", csrf_token,
                   lambda s, b, who: s.retire(b, code, who))


@router.get("/codebooks/{name}/export.qdc")
def export_qdc(v: V, name: str) -> Response:
    from storfa.coding.qdc import codebook_xml

    book = _book(v, name)
    return Response(codebook_xml(book), media_type="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{book.name}.qdc"'})


# ------------------------------------------------------------------- import
def _upload(v: Visitor, item: UploadFile) -> bytes | None:
    """The upload's bytes, or None when it is over the web's upload limit."""
    limit = v.storfa.settings.upload_mb * 1024 * 1024
    data = io.BytesIO()
    while chunk := item.file.read(CHUNK):
        if data.tell() + len(chunk) > limit:
            return None
        data.write(chunk)
    return data.getvalue()


def _wrong_type(v: Visitor, kind: str, data: bytes) -> str | None:
    """Why the file is not the kind chosen, before any parsing."""
    if kind == "qdpx":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            return v._("A .qdpx file is a zip archive; this file is not one.")
        return None
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return v._("A .qdc file is XML; this file is not.")
    return None


def _refuse(v: Visitor, reason: str, status: int) -> Response:
    return render(v, "codebooks/import_result.html", status=status, report=None, book=None,
                  error=reason)


@router.post("/codebooks/import")
def import_file(v: V, file: Annotated[UploadFile, File()],
                kind: Annotated[str, Form(max_length=10)] = "qdpx",
                name: Annotated[str, Form(max_length=100)] = "",
                codebook: Annotated[str, Form(max_length=100)] = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    _manager(v, csrf_token, f"codebook.import-{kind}", name or codebook or "-")
    if kind not in KINDS:
        return _refuse(v, v._("Choose a .qdc codebook or a .qdpx project."), 400)
    data = _upload(v, file)
    if data is None:
        return _refuse(v, v._("The file is over the {mb} MB upload limit.").format(
            mb=v.storfa.settings.upload_mb), 413)
    wrong = _wrong_type(v, kind, data)
    if wrong is not None:
        return _refuse(v, wrong, 415)
    filename = (file.filename or "upload").rsplit("/", 1)[-1]
    try:
        if kind == "qdc":
            from storfa.coding.qdc import read_qdc

            stem = name.strip() or filename.rsplit(".", 1)[0]
            book = _service(v).store_import(read_qdc(data, stem.casefold()), v.actor.name,
                                            filename)
            return render(v, "codebooks/import_result.html", report=None, book=book,
                          error="")
        from storfa.coding.qdpx_import import import_qdpx

        report = import_qdpx(v.storfa.coding, data, v.actor.name,
                             codebook.strip() or None, hidden=v.hidden, file_name=filename)
    except StorfaError as exc:
        return _refuse(v, v.error(exc), 400)
    return render(v, "codebooks/import_result.html", report=report, book=None, error="")
