"""The coding matrix in a real browser: a reader opens the matrix, clicks a
number, sees the extracts behind it, and follows one to the reader at its
page. The extracts are coded beforehand through SQLExtracts (as a coder's
accepted codings). Elements are found by id, class, role and attribute,
never by English words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from livesite import SignIn, Site
from playwright.sync_api import Page, expect

from storfa.app import Storfa
from storfa.coding.codebooks import load_codebook
from storfa.config import Settings
from storfa.domain.coding import NewExtract
from storfa.storage.sql.extracts import SQLExtracts
from webworld import REVIEWS, backend_env

pytestmark = pytest.mark.browser

BOOK = "best-practice"


@dataclass(frozen=True)
class Coded:
    code: str  # a code no other test on this site has used
    reviews: list[str]  # reviews with an extract coded `code`
    text: str  # the text of the first one


@pytest.fixture(scope="module")
def coded(site: Site) -> Iterator[Coded]:
    world = {identifier for identifier, _, _ in REVIEWS.values()}
    book = load_codebook(BOOK)
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            sql = SQLExtracts(app.store.db)  # type: ignore[attr-defined]
            # Other browser tests code on the same live site; a fresh code keeps
            # this test's counts its own whatever ran before it.
            used = {e.code for e in sql.select(codebook=BOOK, superseded=True)}
            code = next(c.name for c in reversed(book.leaves) if c.name not in used)
            generated = sorted(s.review_id for s in app.store.list_reviews()
                               if s.review_id not in world)[:4]
            texts = []
            for key in generated:
                record = app.store.get_review(key)
                assert record is not None
                passage = next(p for p in app.store.passages(record.version_id)
                               if p.kind != "heading" and len(p.text) > 60)
                text = sql.version_text(record.version_id)[passage.start:passage.end]
                sql.add_manual(NewExtract(
                    review_row=record.id, version_id=record.version_id, start=passage.start,
                    end=passage.end, text=text, codebook=BOOK, code=code,
                    theme=book.theme(code).name, coder="browser-test", how="manual",
                    passage_id=passage.id, page=passage.page))
                texts.append(text)
        finally:
            app.store.close()
    yield Coded(code, generated, texts[0])


def test_reader_drills_from_the_matrix_to_the_text(page: Page, sign_in: SignIn,
                                                   coded: Coded) -> None:
    sign_in(page, "reader")
    page.goto(f"/coding/matrix?codebook={BOOK}&by=year")
    matrix = page.locator("table.coding-matrix")
    expect(matrix).to_be_visible()
    expect(page.locator("svg.coding-bars rect.bar").first).to_be_attached()
    row = matrix.locator("tbody tr").filter(has=page.locator("th", has_text=coded.code))
    expect(row.locator("td.total")).to_have_text(str(len(coded.reviews)))
    row.locator("a.cell").first.click()

    expect(page).to_have_url(re.compile(r"/coding/matrix/cell\?.*code="))
    extracts = page.locator("table.cell-extracts tr.extract")
    expect(extracts.first).to_be_visible()
    assert 1 <= extracts.count() <= len(coded.reviews)
    link = extracts.first.locator("a.reader")
    key = link.inner_text().strip()
    assert key in coded.reviews
    expect(link).to_have_attribute("href", re.compile(rf"^/reviews/{re.escape(key)}\?page=\d+$"))
    link.click()
    expect(page).to_have_url(re.compile(rf"/reviews/{re.escape(key)}\?page=\d+$"))

    # Back on the matrix: the counts switch to reviews with the page's own form.
    page.goto(f"/coding/matrix?codebook={BOOK}")
    page.locator("#m-count").select_option("reviews")
    page.locator("form.matrix-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"count=reviews"))
    expect(page.locator("table.coding-matrix")).to_be_visible()
