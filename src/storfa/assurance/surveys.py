"""Practitioner survey files (CSV or XLSX exports of the common form tools):
read them, check a mapping of columns to questions, and summarise the answers
(docs/assurance.md).

Every problem names the row and the column to fix, as the analysis tables do:
a bad encoding, a row short of cells, a column the mapping names but the file
lacks, a question mapped twice. Reading is by content, never by file name."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storfa.domain.errors import StorfaError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 500
KINDS = ("yesno", "scale", "choice", "text", "ignore")
# A yes/no question's answers, in English and Welsh (Welsh answers echo the
# question's verb: "Oes" / "Nac oes" to "Is there…?", "Do" / "Naddo" to a past
# "Did…?", "Ie" / "Na" otherwise), compared without case.
YES_WORDS = ("yes", "y", "ie", "oes", "do")
NO_WORDS = ("no", "n", "na", "nac oes", "naddo")
# Multiple-choice exports put several answers in one cell, separated so.
CHOICE_SEPARATOR = ";"
# Common agreement/frequency scales, in order, so a scale of words is shown
# from low to high rather than by first appearance.
KNOWN_SCALES = (
    ("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"),
    ("never", "rarely", "sometimes", "often", "always"),
    ("very poor", "poor", "fair", "good", "very good"),
    ("no", "yes"),
)
_MAX_PROBLEMS = 20


class SurveyError(StorfaError):
    """A survey file or mapping that cannot be used, with every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        more = "" if len(problems) <= 5 else f" … and {len(problems) - 5} more"
        super().__init__("; ".join(self.problems[:5]) + more)


@dataclass(frozen=True)
class SurveyTable:
    columns: list[str]
    rows: list[list[str]]


def _where(row: int, index: int, columns: Sequence[str]) -> str:
    name = f" ({columns[index]!r})" if index < len(columns) else ""
    return f"Row {row}, column {index + 1}{name}"


# ------------------------------------------------------------------ reading
def read_survey(data: bytes) -> SurveyTable:
    """The file's header and rows as text; SurveyError naming rows and columns."""
    if not data:
        raise SurveyError(["The survey file is empty."])
    if len(data) > MAX_BYTES:
        raise SurveyError([f"The survey file is over the {MAX_BYTES // (1024 * 1024)} MB "
                           "limit."])
    if data.startswith(b"PK\x03\x04"):
        raw = _xlsx_rows(data)
    elif b"\x00" in data[:4096]:
        raise SurveyError(["A survey file is CSV or XLSX; this file is neither."])
    else:
        raw = _csv_rows(data)
    return _table(raw)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SurveyError([_encoding_problem(data, exc)]) from None
    first = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise SurveyError([f"The CSV could not be read: {exc}."]) from None


def _encoding_problem(data: bytes, exc: UnicodeDecodeError) -> str:
    """Which row and column hold the first byte that is not UTF-8."""
    head = data[:exc.start]
    row = head.count(b"\n") + 1
    line_start = head.rfind(b"\n") + 1
    before = data[line_start:exc.start].decode("utf-8", "replace")
    column = len(next(csv.reader([before]), [""]))
    header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8", "replace")]), [])
    return (f"{_where(row, column - 1, header)}: byte 0x{data[exc.start]:02x} "
            "is not UTF-8 text. Save the file as \"CSV UTF-8\" and import it again.")


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise SurveyError(["A survey file is CSV or XLSX; this file is neither."])
            if sum(i.file_size for i in archive.infolist()) > 20 * MAX_BYTES:
                raise SurveyError(["The workbook unpacks to more than a survey should."])
    except zipfile.BadZipFile:
        raise SurveyError(["The XLSX file is damaged and could not be opened."]) from None
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(raw: list[list[str]]) -> SurveyTable:
    # Spreadsheets pad rows with empty cells; trailing empties are not data.
    while raw and not any(c.strip() for c in raw[-1]):
        raw.pop()
    if not raw:
        raise SurveyError(["The survey file has no header row."])
    header = [c.strip() for c in raw[0]]
    while header and not header[-1]:
        header.pop()
    problems: list[str] = []
    if len(header) > MAX_COLUMNS:
        problems.append(f"The file has {len(header)} columns; at most {MAX_COLUMNS}.")
    if len(raw) - 1 > MAX_ROWS:
        problems.append(f"The file has more than {MAX_ROWS:,} rows.")
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            problems.append(f"Row 1, column {i + 1}: the column has no name.")
        elif name.casefold() in seen:
            problems.append(f"Row 1, column {i + 1}: {name!r} is also column "
                            f"{seen[name.casefold()] + 1}; columns need different names.")
        else:
            seen[name.casefold()] = i
    rows: list[list[str]] = []
    for number, cells in enumerate(raw[1:], start=2):
        cells = [c.strip() for c in cells]
        while len(cells) > len(header) and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue  # a blank line between returns
        if len(cells) < len(header):
            problems.append(f"{_where(number, len(cells), header)}: missing; "
                            f"the row has {len(cells)} cells and the header "
                            f"{len(header)}.")
        elif len(cells) > len(header):
            problems.append(f"{_where(number, len(header), header)}: the row "
                            f"has {len(cells)} cells but the header only {len(header)}.")
        rows.append(cells)
        if len(problems) >= _MAX_PROBLEMS:
            break
    if problems:
        raise SurveyError(problems)
    if not rows:
        raise SurveyError(["The survey file has a header but no answers."])
    return SurveyTable(header, rows)


# ------------------------------------------------------------------ mapping
def check_mapping(columns: Sequence[str], mapping: Sequence[dict[str, str]]
                  ) -> list[dict[str, str]]:
    """The mapping made tidy ({column, question, kind}; question defaults to the
    column's name), or SurveyError naming each column at fault."""
    problems: list[str] = []
    index = {c.casefold(): i for i, c in enumerate(columns)}
    tidy: list[dict[str, str]] = []
    by_question: dict[str, str] = {}
    for item in mapping:
        column = str(item.get("column", "")).strip()
        kind = str(item.get("kind", "")).strip().casefold() or "ignore"
        if column.casefold() not in index:
            problems.append(f"Column {column!r} is not in the file; its columns are "
                            f"{', '.join(repr(c) for c in columns)}.")
            continue
        position = index[column.casefold()]
        if kind not in KINDS:
            problems.append(f"Column {position + 1} ({column!r}): the kind is one of "
                            f"{', '.join(KINDS)} (got {kind!r}).")
            continue
        if kind == "ignore":
            continue
        question = " ".join(str(item.get("question") or columns[position]).split())
        key = question.casefold()
        if key in by_question:
            problems.append(f"Question {question!r} is mapped twice: column "
                            f"{index[by_question[key].casefold()] + 1} "
                            f"({by_question[key]!r}) and column {position + 1} ({column!r}).")
            continue
        by_question[key] = columns[position]
        tidy.append({"column": columns[position], "question": question, "kind": kind})
    if not tidy and not problems:
        problems.append("Map at least one column to a question.")
    if problems:
        raise SurveyError(problems)
    return tidy


def guess_kind(values: Sequence[str]) -> str:
    """A first suggestion for the mapping step, for a person to confirm."""
    answered = [v for v in values if v]
    if not answered:
        return "ignore"
    distinct = {" ".join(v.casefold().split()) for v in answered}
    if distinct <= {*YES_WORDS, *NO_WORDS}:
        return "yesno"
    if all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in answered) and len(distinct) <= 11:
        return "scale"
    if any(distinct <= set(scale) for scale in KNOWN_SCALES):
        return "scale"
    if len(distinct) <= max(12, len(answered) // 5) and max(map(len, answered)) <= 80:
        return "choice"
    return "text"


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class Option:
    value: str
    count: int
    percent: float  # of `base`, one decimal place


@dataclass(frozen=True)
class QuestionResult:
    question: str
    column: str
    kind: str
    respondents: int  # rows in the file
    base: int  # respondents who answered this question: what percentages are of
    options: list[Option] = field(default_factory=list)
    mean: float | None = None  # numeric scales only
    texts: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"question": self.question, "column": self.column, "kind": self.kind,
                "respondents": self.respondents, "base": self.base, "mean": self.mean,
                "options": [{"value": o.value, "count": o.count, "percent": o.percent}
                            for o in self.options],
                "texts": self.texts}


def percent(count: int, base: int) -> float:
    return round(100 * count / base, 1) if base else 0.0


def yes_no(value: str) -> bool | None:
    """True for a yes, False for a no (English or Welsh), None for anything else."""
    folded = " ".join(value.casefold().split())
    return True if folded in YES_WORDS else False if folded in NO_WORDS else None


def _order(values: Sequence[str]) -> list[str]:
    if all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values):
        return sorted(values, key=float)
    folded = {v.casefold() for v in values}
    for scale in KNOWN_SCALES:
        if folded <= set(scale):
            return sorted(values, key=lambda v: scale.index(v.casefold()))
    return list(values)  # first appearance


def summarise(columns: Sequence[str], rows: Sequence[Sequence[str]],
              mapping: Sequence[dict[str, str]]) -> list[QuestionResult]:
    index = {c: i for i, c in enumerate(columns)}
    results = []
    for item in mapping:
        i, kind = index[item["column"]], item["kind"]
        answers = [r[i].strip() for r in rows if i < len(r) and r[i].strip()]
        base = len(answers)
        common = dict(question=item["question"], column=item["column"], kind=kind,
                      respondents=len(rows), base=base)
        if kind == "text":
            results.append(QuestionResult(**common, texts=answers))  # type: ignore[arg-type]
            continue
        if kind == "choice":
            # Each respondent counts once per option chosen; the base is people.
            chosen = [o.strip() for a in answers for o in dict.fromkeys(
                a.split(CHOICE_SEPARATOR)) if o.strip()]
            counts = Counter(chosen)
            values = sorted(counts, key=lambda v: (-counts[v], list(counts).index(v)))
        elif kind == "yesno":
            # Yes first, then no, then any other answer ("Don't know"), each
            # as written; the percentages are of everyone who answered.
            counts = Counter(answers)
            rank = {True: 0, False: 1, None: 2}
            values = sorted(counts, key=lambda v: rank[yes_no(v)])
        else:
            counts = Counter(answers)
            values = _order(list(counts))
        options = [Option(v, counts[v], percent(counts[v], base)) for v in values]
        mean = None
        if kind == "scale" and answers and all(re.fullmatch(r"-?\d+(\.\d+)?", a)
                                               for a in answers):
            mean = round(sum(float(a) for a in answers) / base, 2)
        results.append(QuestionResult(**common, options=options, mean=mean))  # type: ignore[arg-type]
    return results
