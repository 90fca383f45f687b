"""One review, several renditions (issue 16 item 6): a second format of the
same text is attached to the current version instead of replacing it, the
paginated one (the PDF) is what the reader and page citations use, every
rendition is downloadable, and a changed text is still a new version."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from storfa.app import Storfa
from storfa.domain.renditions import ReadingState
from storfa.ingest.pipeline import FileResult, IngestOptions
from storfa.ingest.renditions import SAME_TEXT, Outcome, decide, similarity
from storfa.storage.sql.renditions import SQLRenditions
from storfa.synthetic.api import generate_review
from storfa.synthetic.model import GeneratedReview
from storfa.synthetic.office import render_docx, render_markdown
from storfa.synthetic.pdf import render_pdf
from storfa.web.app import create_app

SEED = 41


def _review(seed: int = SEED) -> GeneratedReview:
    return generate_review(seed, "CPR", pages_hint=4)


def _files(tmp_path: Path, review: GeneratedReview, stem: str = "report") -> dict[str, Path]:
    pdf, docx, md = (tmp_path / f"{stem}.{ext}" for ext in ("pdf", "docx", "md"))
    render_pdf(review, pdf)
    render_docx(review, docx)
    render_markdown(review, md)
    return {"pdf": pdf, "docx": docx, "md": md}


def _one(storfa: Storfa, path: Path, options: IngestOptions | None = None) -> FileResult:
    (result,) = storfa.ingest.ingest([path], options)
    assert result.status == "ingested", result
    return result


def test_pdf_then_docx_keeps_the_pages(storfa: Storfa, tmp_path: Path) -> None:
    files = _files(tmp_path, _review())
    first = _one(storfa, files["pdf"])
    assert first.pages and first.pages > 1
    second = _one(storfa, files["docx"])
    assert second.review_id == first.review_id
    assert second.rendition_of == 1 and second.version == 1
    assert any("rendition" in w for w in second.warnings)
    record = storfa.store.get_review(first.review_id or "")
    assert record is not None
    assert (record.format, record.summary.pages, record.summary.version) == (
        "pdf", first.pages, 1)
    assert max(p.page for p in storfa.store.passages(record.version_id)) == first.pages
    files_of = SQLRenditions(storfa.store).of_version(record.version_id)
    assert [(r.format, r.reading) for r in files_of] == [("pdf", True), ("docx", False)]
    # The same DOCX again is a duplicate, like any stored file.
    (again,) = storfa.ingest.ingest([files["docx"]])
    assert (again.status, again.review_id) == ("duplicate", first.review_id)


def test_docx_then_pdf_makes_the_pdf_the_one_read(storfa: Storfa, tmp_path: Path) -> None:
    files = _files(tmp_path, _review())
    first = _one(storfa, files["docx"])
    _one(storfa, files["md"])  # a third format of the same words: a rendition too
    pdf = _one(storfa, files["pdf"])
    assert pdf.pages and pdf.pages > 1 and pdf.rendition_of is None
    record = storfa.store.get_review(first.review_id or "")
    assert record is not None
    assert (record.format, record.summary.pages) == ("pdf", pdf.pages)
    assert {p.page for p in storfa.store.passages(record.version_id)} == set(
        range(1, pdf.pages + 1))
    files_of = SQLRenditions(storfa.store).of_version(record.version_id)
    assert [(r.format, r.reading) for r in files_of] == [
        ("pdf", True), ("docx", False), ("markdown", False)]


def test_a_changed_docx_is_a_new_version(storfa: Storfa, tmp_path: Path) -> None:
    files = _files(tmp_path, _review())
    first = _one(storfa, files["pdf"])
    other = _files(tmp_path, _review(SEED + 7), stem="changed")
    changed = _one(storfa, other["docx"], IngestOptions(identifier=first.review_id))
    assert changed.review_id == first.review_id
    assert (changed.version, changed.rendition_of) == (2, None)
    record = storfa.store.get_review(first.review_id or "")
    assert record is not None and (record.format, record.summary.version) == ("docx", 2)
    assert [r.format for r in SQLRenditions(storfa.store).of_version(record.version_id)] == [
        "docx"]


def test_every_rendition_is_downloadable(storfa: Storfa, tmp_path: Path) -> None:
    files = _files(tmp_path, _review())
    key = _one(storfa, files["pdf"]).review_id
    _one(storfa, files["docx"])
    client = TestClient(create_app(storfa))
    page = client.get(f"/reviews/{key}")
    assert page.status_code == 200
    assert "Download the PDF" in page.text and "Download the DOCX" in page.text
    assert 'id="renditions-note"' in page.text
    listed = client.get(f"/api/v1/reviews/{key}").json()["renditions"]
    assert [(r["format"], r["reading"]) for r in listed] == [("pdf", True), ("docx", False)]
    docx = client.get(listed[1]["url"])
    assert docx.status_code == 200 and docx.content == files["docx"].read_bytes()
    assert client.get(listed[0]["url"]).content == files["pdf"].read_bytes()
    # A file of another review, or none, is not found through this one.
    assert client.get(f"/reviews/{key}/renditions/999999").status_code == 404


def _state(text: str, fmt: str = "pdf") -> ReadingState:
    return ReadingState(version_id=1, version=1, text=text, reading_format=fmt,
                        formats=frozenset({fmt}))


def test_the_tolerance() -> None:
    words = [f"word{i}" for i in range(200)]
    text = " ".join(words)
    assert similarity(text, text.upper().replace(" ", "\n")) == 1.0  # case, layout
    # 5 of 200 words differ: within the tolerance; 20 of 200: a changed text.
    few = " ".join(words[:195] + [f"other{i}" for i in range(5)])
    many = " ".join(words[:180] + [f"other{i}" for i in range(20)])
    assert similarity(text, few) >= SAME_TEXT > similarity(text, many)
    assert decide(_state(text), "docx", few).outcome is Outcome.RENDITION
    assert decide(_state(text), "docx", many).outcome is Outcome.VERSION
    assert decide(_state(text, "docx"), "pdf", few).outcome is Outcome.PROMOTE
    # The same format again is a correction unless not one word differs.
    assert decide(_state(text), "pdf", few).outcome is Outcome.VERSION
    assert decide(_state(text), "pdf", text).outcome is Outcome.RENDITION
    assert decide(None, "pdf", text).outcome is Outcome.VERSION
