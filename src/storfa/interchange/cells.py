"""Spreadsheet cells that never run as formulas (CSV/formula injection).

Text from reports, metadata and users goes into CSV and XLSX files; a cell
that starts with one of these characters is run by Excel or LibreOffice as a
formula, so it gets a leading apostrophe. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def safe_value(value: T) -> T | str:
    """Text made safe; numbers, dates and empty cells kept as they are."""
    return safe_cell(value) if isinstance(value, str) else value


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()
