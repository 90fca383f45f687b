"""The case-variable table as files: CSV and XLSX (tables.write_table) and
SPSS `.sav` with variable labels and value labels (pyreadstat).

In the `.sav` file binary variables are numeric 0/1 with the value labels
0 = "not known", 1 = "present" (present / not known coding: a report's
silence is not evidence of absence) and system-missing where the review has
not been coded; categorical variables are numeric codes 1..k in the order of
their definition, labelled with the category; the year is numeric; other
columns (type, board, variant) are strings."""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from storfa.analysis.casevars import BINARY_LABELS, META_COLUMNS
from storfa.analysis.tables import ID_COLUMN, Table, TableError, write_table
from storfa.analysis.variables import VariableDef
from storfa.domain.errors import N_, StorfaError

FORMATS = ("csv", "xlsx", "sav")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}
_META_LABELS = {ID_COLUMN: "Review identifier", "type": "Review type",
                "board": "Safeguarding board", "year": "Year", "variant": "Concise or extended"}


def write_case_table(path: Path, table: Table, definitions: Sequence[VariableDef]) -> None:
    """Write the table in the format the file name's suffix names."""
    if path.suffix.casefold() == ".sav":
        write_sav(path, table, definitions)
        return
    write_table(path, [ID_COLUMN, *table.columns],
                ([rid, *row] for rid, row in zip(table.review_ids, table.rows, strict=True)),
                sheet="case variables")


def case_table_bytes(fmt: str, table: Table, definitions: Sequence[VariableDef]) -> bytes:
    """The same, in memory (for downloads)."""
    if fmt not in FORMATS:
        raise TableError(N_("Choose one of {formats} (got {fmt!r})."),
                         formats=", ".join(FORMATS), fmt=fmt)
    with tempfile.TemporaryDirectory(prefix="storfa-export-") as folder:
        path = Path(folder) / f"case-variables.{fmt}"
        write_case_table(path, table, definitions)
        return path.read_bytes()


def write_sav(path: Path, table: Table, definitions: Sequence[VariableDef]) -> None:
    try:
        import pandas as pd
        import pyreadstat
    except ImportError:
        raise StorfaError(N_("SPSS export needs pyreadstat and pandas "
                             "(pip install pyreadstat pandas).")) from None
    by_name: Mapping[str, VariableDef] = {d.name: d for d in definitions}
    data: dict[str, list[object]] = {ID_COLUMN: list(table.review_ids)}
    labels: dict[str, str | None] = {ID_COLUMN: _META_LABELS[ID_COLUMN]}
    value_labels: dict[str, dict[int | float, str]] = {}
    measure: dict[str, str] = {}
    for i, name in enumerate(table.columns):
        cells = [row[i] for row in table.rows]
        definition = by_name.get(name)
        labels[name] = definition.label if definition else _META_LABELS.get(name, name)
        if definition is not None and definition.type == "binary":
            data[name] = [math.nan if c is None else float(c) for c in cells]
            value_labels[name] = {float(k): v for k, v in BINARY_LABELS.items()}
            measure[name] = "nominal"
            continue
        categories = [c.value for c in definition.categories] if definition else []
        codes = {value: float(k) for k, value in enumerate(categories, start=1)}
        if categories and all(c is None or c in codes for c in cells):
            data[name] = [math.nan if c is None else codes[c] for c in cells]
            value_labels[name] = {k: value for value, k in codes.items()}
            measure[name] = "nominal"
        elif name == "year" and name in META_COLUMNS:
            data[name] = [math.nan if c is None else float(c) for c in cells]
            measure[name] = "scale"
        else:
            data[name] = ["" if c is None else c for c in cells]
            measure[name] = "nominal"
    try:
        pyreadstat.write_sav(pd.DataFrame(data), str(path),
                             file_label="storfa case variables", column_labels=labels,
                             variable_value_labels=value_labels, variable_measure=measure)
    except OSError as exc:
        raise StorfaError(N_("Could not write {path}: {reason}"), path=path,
                          reason=str(exc)) from None
