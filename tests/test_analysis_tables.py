"""The CSV contract format: random tables round-trip, and any other text is
either read or refused with a TableError that says where — never a crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from storfa.analysis.descriptive import frequencies, table_frequencies
from storfa.analysis.tables import (
    TableError,
    binary_table,
    parse_table,
    read_binary_csv,
    table_bytes,
    write_table,
)

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                min_size=1, max_size=12)
cells = st.sampled_from([0, 1, None])


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def binary_tables(draw: st.DrawFn) -> tuple[list[str], list[str], list[list[int | None]]]:
    variables = draw(st.lists(names.filter(lambda n: n.casefold() != "review_id"),
                              min_size=1, max_size=6, unique=True))
    ids = draw(st.lists(names, min_size=1, max_size=20, unique=True))
    values = [[draw(cells) for _ in variables] for _ in ids]
    return variables, ids, values


@given(binary_tables())
@settings(max_examples=150, deadline=None)
def test_random_binary_tables_round_trip(
        table: tuple[list[str], list[str], list[list[int | None]]]) -> None:
    variables, ids, values = table
    text = to_csv(["review_id", *variables],
                  [[rid, *("" if v is None else str(v) for v in row)]
                   for rid, row in zip(ids, values, strict=True)])
    parsed = binary_table(parse_table(text))
    assert parsed.variables == tuple(variables) and parsed.review_ids == tuple(ids)
    expected = np.array([[v == 1 for v in row] for row in values], dtype=bool)
    known = np.array([[v is not None for v in row] for row in values], dtype=bool)
    assert (parsed.present == expected).all() and (parsed.known == known).all()


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_is_read_or_refused_clearly(text: str) -> None:
    try:
        binary_table(parse_table(text))
    except TableError as exc:
        assert str(exc)


@given(st.lists(st.lists(st.text(max_size=6), min_size=1, max_size=4), min_size=1,
                max_size=8))
@settings(max_examples=200, deadline=None)
def test_csv_shaped_rubbish_is_read_or_refused_clearly(rows: list[list[str]]) -> None:
    try:
        binary_table(parse_table(to_csv(["review_id", *rows[0]], rows[1:])))
    except TableError as exc:
        assert "line" in str(exc) or "no rows" in str(exc) or "no variable" in str(exc)


@pytest.mark.parametrize(("text", "message"), [
    ("review_id,a\nR1,2\n", "line 2 (review 'R1'), column 'a': '2' is not 0, 1 or empty"),
    ("review_id,a\nR1,yes\n", "column 'a': 'yes'"),
    ("review_id,a\nR1,1\nR2,0\nR1,0\n", "line 4: duplicate review_id 'R1' (first on line 2)"),
    ("review_id,a\n", "no rows"),
    ("", "empty"),
    ("id,a\nR1,1\n", "first column must be 'review_id'"),
    ("review_id,a,a\nR1,1,0\n", "column 'a' appears twice"),
    ("review_id,a\nR1,1,0\n", "line 2: 3 fields"),
    ("review_id,a\n,1\n", "line 2: empty review_id"),
    ("review_id\nR1\n", "no variable columns"),
    ('review_id,a\nR1,"1\n', "malformed CSV"),
])
def test_bad_input_names_the_row_and_column(text: str, message: str) -> None:
    with pytest.raises(TableError) as caught:
        binary_table(parse_table(text))
    assert message in str(caught.value)


def test_exports_with_excel_habits_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "vars.csv"
    path.write_bytes("\ufeffReview_ID,a,b\r\nR1, 1.0 ,0\r\nR2,,1.00\r\n\r\n".encode())
    table = read_binary_csv(path)
    assert table.review_ids == ("R1", "R2")
    assert table.present.tolist() == [[True, False], [False, True]]
    assert table.known.tolist() == [[True, True], [False, True]]


def test_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no such file"):
        read_binary_csv(tmp_path / "missing.csv")
    (tmp_path / "latin1.csv").write_bytes(b"review_id,caf\xe9\nR1,1\n")
    with pytest.raises(TableError, match="not UTF-8"):
        read_binary_csv(tmp_path / "latin1.csv")
    with pytest.raises(TableError, match="folder"):
        read_binary_csv(tmp_path)


def test_write_csv_and_xlsx(tmp_path: Path) -> None:
    rows = [["a", "b", 0.25, None, True], ["c", "d", -1.0, 3, False]]
    headers = ["x", "y", "phi", "n", "significant"]
    write_table(tmp_path / "out.csv", headers, rows)
    text = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert text == ["x,y,phi,n,significant", "a,b,0.25,,True", "c,d,-1.0,3,False"]
    write_table(tmp_path / "out.xlsx", headers, rows)
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [headers, *rows]
    # Written in openpyxl's write-only mode, the sheet still looks as it did:
    # named, its header row bold and frozen, the values plain.
    assert sheet.title == "analysis" and sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1]) and not any(c.font.bold for c in sheet[2])
    long_name = table_bytes("xlsx", "a sheet name longer than Excel allows", headers, rows)
    assert load_workbook(io.BytesIO(long_name)).sheetnames == ["a sheet name longer than Excel "]
    with pytest.raises(TableError, match=r"\.csv or \.xlsx"):
        write_table(tmp_path / "out.txt", headers, rows)


def test_frequencies_like_spss() -> None:
    # 10 reviews: 4 × "1", 3 × "0", 3 not known.
    table = frequencies(["1", "0", "1", None, "1", "0", None, "1", "0", None], "neglect")
    assert (table.total, table.valid, table.missing) == (10, 7, 3)
    rows = [(r.value, r.frequency, r.percent, r.valid_percent, r.cumulative_percent)
            for r in table.rows]
    assert rows == [("0", 3, 30.0, 42.9, 42.9), ("1", 4, 40.0, 57.1, 100.0)]
    assert table.as_json()["missing"] == {"frequency": 3, "percent": 30.0}


def test_frequencies_order_numbers_numerically_and_group_by_a_column() -> None:
    text = ("review_id,year,board\nA,2019,Gwent\nB,2021,Gwent\nC,9,North Wales\n"
            "D,,North Wales\nE,2019,\n")
    table = parse_table(text)
    (years,) = table_frequencies(table, ["year"])
    assert [r.value for r in years.rows] == ["9", "2019", "2021"]
    grouped = table_frequencies(table, ["year"], by="board")
    assert [t.group for t in grouped] == ["Gwent", "North Wales", "missing"]
    assert grouped[1].missing == 1 and grouped[1].rows[0].valid_percent == 100.0
    with pytest.raises(TableError, match="No column 'region'"):
        table_frequencies(table, None, by="region")
    with pytest.raises(TableError, match="No column 'age'"):
        table_frequencies(table, ["age"])


def test_written_tables_never_carry_formulas(tmp_path: Path) -> None:
    """CLI exports (--out) and web downloads share write_table: text that a
    spreadsheet would run is escaped, numbers such as a negative phi are not."""
    from openpyxl import load_workbook

    from storfa.analysis.tables import write_table

    rows = [["=HYPERLINK(\"http://x\")", -0.5, None], ["@SUM(A1)", 3, "plain"]]
    write_table(tmp_path / "t.csv", ["a", "b", "c"], rows)
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-0.5,"
    assert lines[2] == "'@SUM(A1),3,plain"
    write_table(tmp_path / "t.xlsx", ["a", "b", "c"], rows)
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == ["'=HYPERLINK(\"http://x\")", -0.5, None]
    assert sheet["A3"].data_type == "s"
