"""The coding matrix pages through the real app: signed-in people only, a
review the visitor may not see never counted, drilled into, read for words
or downloaded, drill-down links to the reader at the extract's page, and
downloads escaped (CSV) and readable (XLSX)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from storfa.coding.codebooks import load_codebook
from storfa.domain.coding import NewExtract
from storfa.storage.sql.extracts import SQLExtracts
from webworld import REVIEWS, World, build_world

BOOK = "best-practice"
SHARED = "Multi-agency working"  # coded on every review
ONLY_DRAFT = "Record keeping"  # coded on the draft review only
FORMULA = "=HYPERLINK(\"http://x\")"  # a code someone typed, not in the codebook


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("coding-matrix-web")
    site = build_world(base / "data", base / "reviews")
    sql = SQLExtracts(site.storfa.store.db)  # type: ignore[attr-defined]
    book = load_codebook(BOOK)
    for level, (key, _board, word) in REVIEWS.items():
        record = site.storfa.store.get_review(key)
        assert record is not None
        text = sql.version_text(record.version_id)
        start = text.index(f"professional curiosity about {word}")
        end = start + len(f"professional curiosity about {word}")
        codes = [SHARED] + ([ONLY_DRAFT] if level == "draft" else []) + (
            [FORMULA] if level == "public" else [])
        for code in codes:
            theme = book.theme(code).name if code in book else code
            sql.add_manual(NewExtract(
                review_row=record.id, version_id=record.version_id, start=start, end=end,
                text=text[start:end], codebook=BOOK, code=code, theme=theme, coder="ann",
                how="manual", page=1))
    yield site
    site.close()


def _cells(html: str, code: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{re.escape(code)}.*?</tr>", html, re.S)
    assert row, code
    return re.findall(r"<td class=\"num[^\"]*\">(?:<a[^>]*>)?(?:<span[^>]*>)?(\d+)", row.group())


def test_anonymous_may_not_look(world: World) -> None:
    anonymous = world.client("anonymous")
    for url in ("/coding/matrix", "/coding/matrix/cell?code=x", "/coding/matrix.csv",
                "/coding/matrix/binary.xlsx"):
        response = anonymous.get(url)
        assert response.status_code == 303, url  # to the sign-in page
        assert response.headers["location"].startswith("/login?next=/coding/matrix")


def test_hidden_review_is_not_counted(world: World) -> None:
    reader = world.client("reader")  # may not see the draft review
    page = reader.get("/coding/matrix", params={"codebook": BOOK, "by": "year"})
    assert page.status_code == 200, page.text[:500]
    assert "2020" not in re.search(r"<thead>.*?</thead>", page.text, re.S).group()  # type: ignore[union-attr]
    assert _cells(page.text, SHARED)[-1] == "3"
    assert _cells(page.text, ONLY_DRAFT)[-1] == "0"
    assert world.keys["draft"] not in page.text
    editor = world.client("editor")  # may
    page = editor.get("/coding/matrix", params={"codebook": BOOK, "by": "year"})
    assert _cells(page.text, SHARED)[-1] == "4"
    assert _cells(page.text, ONLY_DRAFT)[-1] == "1"
    # Reviews counted instead of extracts: the theme counts a review once.
    page = editor.get("/coding/matrix", params={"codebook": BOOK, "by": "type",
                                                "count": "reviews"})
    assert _cells(page.text, "Policy, Procedures and Recording")[-1] == "1"
    assert _cells(page.text, "Communication")[-1] == "4"


def test_hidden_review_cannot_be_drilled_into(world: World) -> None:
    params = {"codebook": BOOK, "by": "year", "code": ONLY_DRAFT, "column": "2020"}
    reader = world.client("reader").get("/coding/matrix/cell", params=params)
    assert reader.status_code == 200
    assert world.keys["draft"] not in reader.text and 'class="extract"' not in reader.text
    editor = world.client("editor").get("/coding/matrix/cell", params=params)
    key = world.keys["draft"]
    assert f'href="/reviews/{key}?page=1"' in editor.text
    assert editor.text.count('class="extract"') == 1
    # The shared code's row: every visible review, each linked to the reader.
    page = world.client("reader").get("/coding/matrix", params={"codebook": BOOK})
    links = re.findall(r'href="(/coding/matrix/cell\?[^"]+)"', page.text)
    assert links
    cell = world.client("reader").get(links[0].replace("&amp;", "&"))
    assert cell.status_code == 200 and 'class="reader"' in cell.text


def test_words_leave_out_hidden_reviews(world: World) -> None:
    params = {"codebook": BOOK, "code": "Communication", "n": "1"}
    reader = world.client("reader").get("/coding/matrix", params=params)
    editor = world.client("editor").get("/coding/matrix", params=params)
    hidden_word = REVIEWS["draft"][2]
    assert 'class="list words"' in reader.text
    assert hidden_word not in reader.text and hidden_word in editor.text
    assert REVIEWS["public"][2] in reader.text


def test_cooccurrence_table(world: World) -> None:
    page = world.client("editor").get("/coding/matrix", params={"codebook": BOOK})
    table = re.search(r'<table class="list cooccurrence">.*?</table>', page.text, re.S)
    assert table
    assert re.search(rf"<td>{SHARED}</td><td>{ONLY_DRAFT}</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">1</td>", table.group())


def test_csv_is_escaped_and_xlsx_opens(world: World) -> None:
    reader = world.client("reader")
    response = reader.get("/coding/matrix.csv", params={"codebook": BOOK, "by": "year"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["code", "theme", "level"] and "2020" not in rows[0]
    codes = [r[0] for r in rows]
    assert "'" + FORMULA in codes and FORMULA not in codes
    assert rows[codes.index(SHARED)][-1] == "3"
    xlsx = reader.get("/coding/matrix.xlsx", params={"codebook": BOOK, "count": "reviews"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "code"
    shared = next(r for r in values if r[0] == SHARED)
    assert shared[-1] == 3
    binary = reader.get("/coding/matrix/binary.csv", params={"codebook": BOOK})
    table = list(csv.reader(io.StringIO(binary.text)))
    assert table[0][:4] == ["review_id", "type", "board", "year"]
    assert "'" + FORMULA in table[0]
    assert {r[0] for r in table[1:]} == {world.keys[lv] for lv in
                                         ("public", "registered", "restricted")}
    assert any(e["action"] == "coding.export" and e["actor"] == "user:reader"
               for e in world.audit("coding.export"))
    binary_xlsx = reader.get("/coding/matrix/binary.xlsx", params={"codebook": BOOK})
    assert load_workbook(io.BytesIO(binary_xlsx.content)).active is not None
    assert reader.get("/coding/matrix.ods").status_code == 404


def test_bad_choices_are_explained(world: World, tmp_path: Path) -> None:
    reader = world.client("reader")
    assert reader.get("/coding/matrix", params={"codebook": "nonsense"}).status_code == 400
    assert reader.get("/coding/matrix", params={"by": "var:nonsense"}).status_code == 400
    page = reader.get("/coding/matrix", params={"by": "var:child_neglect"})
    assert page.status_code == 200 and "<svg" in page.text
    assert "style=" not in page.text.split("<main", 1)[1]
