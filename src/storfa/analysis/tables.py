"""Tables in and out: the CSV contract format (`review_id`, then one column per
variable; an empty cell is "not known"), and CSV/XLSX outputs.

Every problem with an input file is a `TableError` that names the line and the
column, so an analyst can fix the spreadsheet without reading a traceback.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import ReviewSummary
from storfa.interchange.cells import safe_cell, safe_value

ID_COLUMN = "review_id"
Cell = str | int | float | bool | None

# SPSS and Excel exports write 1 as "1.0" or "1.00"; those still mean present.
_BINARY = re.compile(r"^\s*([01])(?:\.0*)?\s*$")


class TableError(StorfaError):
    """An input table the analysis cannot use, with the place to fix it."""


@dataclass(frozen=True, slots=True)
class Table:
    """A review × column table of text cells; None where a cell is empty."""

    columns: tuple[str, ...]  # without the review_id column
    review_ids: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    lines: tuple[int, ...] = ()  # source line of each row, for error messages

    def column(self, name: str) -> list[str | None]:
        if name not in self.columns:
            raise TableError(N_("No column {name!r}; the table has: {columns}."), name=name,
                             columns=", ".join(self.columns))
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def line(self, row: int) -> int:
        return self.lines[row] if self.lines else row + 2


@dataclass(frozen=True, slots=True)
class BinaryTable:
    """Binary case variables: `present` is 1 where coded present; `known` is
    False where the cell was empty (not known, which the analysis counts as
    absent but descriptive tables show as missing)."""

    review_ids: tuple[str, ...]
    variables: tuple[str, ...]
    present: npt.NDArray[np.bool_]  # shape (reviews, variables)
    known: npt.NDArray[np.bool_]

    @property
    def n(self) -> int:
        return len(self.review_ids)


def read_table(path: Path) -> Table:
    """Read a CSV whose first column is `review_id`; cells are kept as text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TableError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise TableError(f"{path} is a folder, not a CSV file.") from None
    except UnicodeDecodeError as exc:
        raise TableError(f"{path}: not UTF-8 text (byte {exc.start}); save the sheet as "
                         "CSV UTF-8.") from None
    return parse_table(text, source=str(path))


def parse_table(text: str, source: str = "CSV") -> Table:
    rows = _csv_rows(text, source)
    try:
        _, header = next(rows)
    except StopIteration:
        raise TableError(f"{source} is empty: expected a header row starting with "
                         f"{ID_COLUMN!r}.") from None
    columns = _check_header(header, source)
    ids: list[str] = []
    cells: list[tuple[str | None, ...]] = []
    lines: list[int] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        if not any(field.strip() for field in row):
            continue  # blank lines are common at the end of exported sheets
        if len(row) != len(header):
            raise TableError(f"{source} line {line}: {len(row)} fields, but the header has "
                             f"{len(header)}.")
        review_id = row[0].strip()
        if not review_id:
            raise TableError(f"{source} line {line}: empty {ID_COLUMN}.")
        if review_id in first_line:
            raise TableError(f"{source} line {line}: duplicate {ID_COLUMN} {review_id!r} "
                             f"(first on line {first_line[review_id]}).")
        first_line[review_id] = line
        ids.append(review_id)
        cells.append(tuple(field.strip() or None for field in row[1:]))
        lines.append(line)
    if not ids:
        raise TableError(f"{source} has a header but no rows of data.")
    return Table(columns=columns, review_ids=tuple(ids), rows=tuple(cells), lines=tuple(lines))


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    if (nul := text.find("\x00")) >= 0:
        raise TableError(f"{source} line {text.count(chr(10), 0, nul) + 1}: a NUL byte; "
                         "is it really a CSV file?")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(f"{source} line {reader.line_num}: malformed CSV ({exc}).") from None


def _check_header(header: list[str], source: str) -> tuple[str, ...]:
    names = [name.strip() for name in header]
    if not names or names[0].casefold() != ID_COLUMN:
        found = names[0] if names else ""
        raise TableError(f"{source} line 1: the first column must be {ID_COLUMN!r} "
                         f"(found {found!r}).")
    seen: set[str] = set()
    for number, name in enumerate(names[1:], start=2):
        if not name:
            raise TableError(f"{source} line 1: column {number} has no name.")
        if name in seen or name.casefold() == ID_COLUMN:
            raise TableError(f"{source} line 1: column {name!r} appears twice.")
        seen.add(name)
    return tuple(names[1:])


def binary_table(table: Table, source: str = "CSV") -> BinaryTable:
    """Check that every cell is 0, 1 or empty and convert to arrays."""
    if not table.columns:
        raise TableError(f"{source} has no variable columns after {ID_COLUMN!r}.")
    shape = (len(table.rows), len(table.columns))
    present = np.zeros(shape, dtype=bool)
    known = np.zeros(shape, dtype=bool)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            match = _BINARY.match(cell)
            if match is None:
                raise TableError(
                    f"{source} line {table.line(r)} (review {table.review_ids[r]!r}), column "
                    f"{table.columns[c]!r}: {cell!r} is not 0, 1 or empty.")
            known[r, c] = True
            present[r, c] = match.group(1) == "1"
    return BinaryTable(review_ids=table.review_ids, variables=table.columns,
                       present=present, known=known)


def read_binary_csv(path: Path) -> BinaryTable:
    return binary_table(read_table(path), source=str(path))


def reviews_table(summaries: Iterable[ReviewSummary]) -> Table:
    """Stored reviews' descriptive metadata as a table, for frequencies by type,
    board, year, variant (concise/extended) or language."""
    columns = ("type", "board", "year", "variant", "language")
    ids: list[str] = []
    rows: list[tuple[str | None, ...]] = []
    for s in summaries:
        ids.append(s.review_id)
        rows.append((s.type, s.board, str(s.year) if s.year else None, s.variant,
                     s.language or None))
    return Table(columns=columns, review_ids=tuple(ids), rows=tuple(rows))


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]],
                sheet: str = "analysis") -> None:
    """Write rows as CSV or XLSX, chosen by the file's suffix; text cells and
    headers (often code or variable names people typed) are escaped so that no
    spreadsheet runs them as formulas."""
    suffix = path.suffix.casefold()
    headers = [safe_cell(h) for h in headers]
    rows = ([safe_value(cell) for cell in row] for row in rows)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    elif suffix == ".xlsx":
        _write_xlsx(path, headers, rows, sheet)
    else:
        raise TableError(f"{path}: choose a .csv or .xlsx file name.")


def table_bytes(fmt: str, name: str, headers: Sequence[str],
                rows: Iterable[Sequence[Cell]]) -> bytes:
    """The same as CSV or XLSX bytes, for downloads; `name` names the sheet."""
    import tempfile

    if fmt not in ("csv", "xlsx"):
        raise TableError(N_("Choose csv or xlsx (got {fmt!r})."), fmt=fmt)
    with tempfile.TemporaryDirectory(prefix="storfa-table-") as folder:
        path = Path(folder) / f"table.{fmt}"
        write_table(path, headers, rows, sheet=name)
        return path.read_bytes()


def _write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]],
                sheet: str) -> None:
    # Write-only mode streams each row to the file instead of keeping a cell
    # object per value (a third faster for a 5,000-row survey); the sheet is
    # the same: bold headers, frozen under the header row.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])  # Excel's limit on sheet names
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in headers:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    book.save(path)
