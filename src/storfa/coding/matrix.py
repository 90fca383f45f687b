"""Analysis of coding: the coding matrix (codes × review type, year, board or
a case variable), the extracts behind one of its cells, code co-occurrence,
word and n-gram frequencies within a code, and the 0/1 code-by-review table.

One service for the CLI and the web. Counts come from one SQL aggregation
(extracts per review and code, storage/sql/coding_matrix.py) folded into the
matrix with numpy, so 100,000 extracts cost one indexed GROUP BY and a few
array operations, never an object per extract.

Which reviews count: every stored review, less `exclude` (the web passes the
visitor's hidden review rows, so a review a visitor may not see is never in a
count, a drill-down, a word list or a download), narrowed by type, board and
year as the case analysis is (analysis.casevars.select_reviews).

Rows are the codebook's codes in codebook order; a code's row counts the
extracts coded with it or with any code beneath it (a theme counts its
sub-codes'). Extracts with a code the codebook no longer has are shown in
rows of their own after the codebook's. Each review falls in exactly one
column, so a row's review total is the sum of its cells."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storfa.analysis.casevars import CaseVariableService, VariableState, select_reviews
from storfa.analysis.tables import Cell
from storfa.coding.ngrams import Gram, frequencies
from storfa.domain.codebooks import Codebook, UnknownCode
from storfa.domain.coding import ACCEPTED, SUGGESTED, Extract
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import ReviewSummary
from storfa.storage import repositories
from storfa.storage.interface import Store

if TYPE_CHECKING:
    from storfa.app import Storfa

DIMENSIONS = ("type", "year", "board")
VARIABLE_PREFIX = "var:"
COUNTS = ("extracts", "reviews")
# The statuses a matrix may count: accepted codings, or those and the open
# suggestions (rejected suggestions are not codings).
STATUS_CHOICES: dict[str, tuple[str, ...]] = {
    "accepted": (ACCEPTED,), "suggested": (ACCEPTED, SUGGESTED)}
UNKNOWN = ""  # the column of reviews without a value (type, year, board or variable)
DRILL_PAGE = 100
Int = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Selection:
    """Which reviews count."""

    exclude: frozenset[int] = frozenset()
    type: str | None = None
    board: str | None = None
    year_from: int | None = None
    year_to: int | None = None


@dataclass(frozen=True)
class MatrixRow:
    code: str
    theme: str
    depth: int  # 0 for a theme
    extracts: tuple[int, ...]  # per column
    reviews: tuple[int, ...]
    in_codebook: bool = True  # False: a code the codebook no longer has

    @property
    def total_extracts(self) -> int:
        return sum(self.extracts)

    @property
    def total_reviews(self) -> int:
        return sum(self.reviews)

    def counts(self, count: str) -> tuple[int, ...]:
        return self.reviews if count == "reviews" else self.extracts

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "theme": self.theme, "depth": self.depth,
                "in_codebook": self.in_codebook, "extracts": list(self.extracts),
                "reviews": list(self.reviews), "total_extracts": self.total_extracts,
                "total_reviews": self.total_reviews}


@dataclass(frozen=True)
class CodingMatrix:
    codebook: str
    by: str
    statuses: tuple[str, ...]
    columns: tuple[str, ...]  # column values; UNKNOWN ("") for reviews without one
    selected: tuple[int, ...]  # selected reviews per column, with or without extracts
    rows: tuple[MatrixRow, ...]
    column_extracts: tuple[int, ...]
    column_reviews: tuple[int, ...]  # reviews with at least one extract, per column

    @property
    def total_extracts(self) -> int:
        return sum(self.column_extracts)

    @property
    def total_reviews(self) -> int:
        return sum(self.column_reviews)

    def column_totals(self, count: str) -> tuple[int, ...]:
        return self.column_reviews if count == "reviews" else self.column_extracts

    def total(self, count: str) -> int:
        return self.total_reviews if count == "reviews" else self.total_extracts

    def table(self, count: str = "extracts") -> tuple[list[str], list[list[Cell]]]:
        """Headers and rows for a CSV/XLSX file: one row per code, a total row."""
        headers = ["code", "theme", "level", *(c or "unknown" for c in self.columns), "total"]
        rows: list[list[Cell]] = [
            [r.code, r.theme, "theme" if r.depth == 0 else "sub-code", *r.counts(count),
             sum(r.counts(count))] for r in self.rows]
        rows.append(["total", "", "", *self.column_totals(count), self.total(count)])
        return headers, rows

    def as_json(self) -> dict[str, Any]:
        return {"codebook": self.codebook, "by": self.by, "statuses": list(self.statuses),
                "columns": list(self.columns), "selected_reviews": list(self.selected),
                "rows": [r.as_json() for r in self.rows],
                "column_extracts": list(self.column_extracts),
                "column_reviews": list(self.column_reviews),
                "total_extracts": self.total_extracts, "total_reviews": self.total_reviews}


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    reviews: int  # reviews with both codes
    overlaps: int  # pairs of extracts, one of each code, whose spans overlap

    def as_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "reviews": self.reviews, "overlaps": self.overlaps}


@dataclass(frozen=True)
class CoOccurrence:
    codebook: str
    codes: tuple[str, ...]  # as coded, codebook order
    code_reviews: tuple[int, ...]  # reviews with each code
    pairs: tuple[Pair, ...]  # pairs found together at least once, most reviews first

    def as_json(self) -> dict[str, Any]:
        return {"codebook": self.codebook, "codes": [
            {"code": c, "reviews": n} for c, n in zip(self.codes, self.code_reviews,
                                                      strict=True)],
                "pairs": [p.as_json() for p in self.pairs]}


@dataclass(frozen=True)
class MatrixCell:
    """The extracts of one matrix cell (one page of them)."""

    code: str
    column: str
    total: int
    extracts: tuple[Extract, ...]
    offset: int = 0


@dataclass
class _Counts:
    """The aggregation every analysis starts from, for the selected reviews."""

    review_rows: Int  # per (review, code) group
    code_index: Int
    extracts: Int
    columns: list[str]
    column_of: dict[int, int]  # review row → column index
    selected: list[int]  # selected reviews per column
    codes: list[str]  # stored code names, indexed by code_index
    summaries: dict[int, ReviewSummary] = field(default_factory=dict)


def parse_statuses(status: str) -> tuple[str, ...]:
    try:
        return STATUS_CHOICES[status]
    except KeyError:
        raise StorfaError(N_("--status is accepted or suggested (accepted and suggested), "
                             "not {status!r}."), status=status) from None


class CodingAnalysis:
    def __init__(self, store: Store, load_book: Callable[[str], Codebook],
                 reviews: Callable[[], dict[int, ReviewSummary]]) -> None:
        """`load_book(name)` gives a codebook (stored or built-in);
        `reviews()` gives review row → summary of every stored review."""
        self.store = store
        self.sql = repositories.coding_matrix(store)
        self._load_book = load_book
        self._reviews = reviews

    @classmethod
    def of(cls, app: Storfa) -> CodingAnalysis:

        return cls(app.store, app.codebooks.load, app.catalogue.by_row)

    def codebook(self, name: str) -> Codebook:
        return self._load_book(name)

    # -------------------------------------------------------------- selection
    def selected(self, selection: Selection | None = None) -> dict[int, ReviewSummary]:
        """Review row → summary of the reviews that count."""
        selection = selection or Selection()
        by_row = self._reviews()
        visible = {s.review_id: row for row, s in by_row.items()
                   if row not in selection.exclude}
        chosen = select_reviews((by_row[row] for row in visible.values()), selection.type,
                                selection.board, selection.year_from, selection.year_to)
        return {visible[s.review_id]: s for s in chosen}

    def _dimension(self, by: str, reviews: dict[int, ReviewSummary]) -> dict[int, str]:
        """Each selected review's column value."""
        if by == "type":
            return {row: s.type or UNKNOWN for row, s in reviews.items()}
        if by == "board":
            return {row: s.board or UNKNOWN for row, s in reviews.items()}
        if by == "year":
            return {row: str(s.year) if s.year else UNKNOWN for row, s in reviews.items()}
        if by.startswith(VARIABLE_PREFIX):
            return self._variable(by[len(VARIABLE_PREFIX):], reviews)
        raise StorfaError(N_("--by is type, year, board or var:<case variable> (got {by!r})."),
                          by=by)

    def _variable(self, name: str, reviews: dict[int, ReviewSummary]) -> dict[int, str]:
        """A case variable's coded value (its label: present / not known for a
        binary variable), read as the case analysis reads it."""
        definition = CaseVariableService(self.store, repositories.case_variables(
            self.store)).definition(name)
        values = dict.fromkeys(reviews, UNKNOWN)
        for decision in self.sql.decisions(definition.name):  # oldest first: last wins
            if decision.review_row in values:
                label = VariableState(definition, decision=decision).label
                values[decision.review_row] = label or UNKNOWN
        return values

    def _counts(self, codebook: str, by: str, statuses: Sequence[str],
                selection: Selection | None) -> _Counts:
        reviews = self.selected(selection)
        value_of = self._dimension(by, reviews)
        columns = _ordered({v for v in value_of.values()}, by)
        index = {c: i for i, c in enumerate(columns)}
        column_of = {row: index[v] for row, v in value_of.items()}
        selected = [0] * len(columns)
        for i in column_of.values():
            selected[i] += 1
        found = [g for g in self.sql.counts(codebook, statuses) if g[0] in column_of]
        codes = sorted({code for _, code, _ in found})
        code_at = {c: i for i, c in enumerate(codes)}
        return _Counts(
            review_rows=np.array([g[0] for g in found], dtype=np.int64),
            code_index=np.array([code_at[g[1]] for g in found], dtype=np.int64),
            extracts=np.array([g[2] for g in found], dtype=np.int64),
            columns=columns, column_of=column_of, selected=selected, codes=codes,
            summaries=reviews)

    # ----------------------------------------------------------------- matrix
    def matrix(self, codebook: str, by: str = "type", status: str = "accepted",
               selection: Selection | None = None) -> CodingMatrix:
        book = self.codebook(codebook)
        statuses = parse_statuses(status)
        counts = self._counts(book.name, by, statuses, selection)
        n_cols = len(counts.columns)
        col = np.array([counts.column_of[r] for r in counts.review_rows.tolist()],
                       dtype=np.int64)
        per_code = np.zeros((len(counts.codes), n_cols), dtype=np.int64)
        np.add.at(per_code, (counts.code_index, col), counts.extracts)
        rows = []
        for code, theme, depth, members, known in _row_members(book, counts.codes):
            wanted = np.isin(counts.code_index, members)
            extracts = per_code[members].sum(axis=0) if members else np.zeros(n_cols, np.int64)
            rows.append(MatrixRow(code, theme, depth, _ints(extracts),
                                  _ints(_distinct_reviews(counts.review_rows[wanted],
                                                          col[wanted], n_cols)), known))
        return CodingMatrix(
            codebook=book.name, by=by, statuses=statuses, columns=tuple(counts.columns),
            selected=tuple(counts.selected), rows=tuple(rows),
            column_extracts=_ints(per_code.sum(axis=0)),
            column_reviews=_ints(_distinct_reviews(counts.review_rows, col, n_cols)))

    def cell(self, codebook: str, code: str, column: str, by: str = "type",
             status: str = "accepted", selection: Selection | None = None,
             limit: int = DRILL_PAGE, offset: int = 0) -> MatrixCell:
        """The extracts behind one cell: coded `code` (or beneath it) in the
        selected reviews whose value for `by` is `column` ("" for unknown)."""
        book = self.codebook(codebook)
        statuses = parse_statuses(status)
        reviews = self.selected(selection)
        value_of = self._dimension(by, reviews)
        rows = sorted(row for row, value in value_of.items() if value == column)
        codes = sorted(_stored_under(book, code, self.sql.codes(book.name)))
        if not codes or not rows:
            return MatrixCell(code, column, 0, (), offset)
        total = self.sql.count(book.name, statuses, codes, rows)
        found = self.sql.extracts(book.name, statuses, codes, rows, limit, offset)
        return MatrixCell(code, column, total, tuple(found), offset)

    # ------------------------------------------------------------ co-occurrence
    def cooccurrence(self, codebook: str, status: str = "accepted",
                     selection: Selection | None = None) -> CoOccurrence:
        """Pairs of codes (as coded) found in the same review, and how many
        pairs of their extracts overlap in the text."""
        book = self.codebook(codebook)
        statuses = parse_statuses(status)
        counts = self._counts(book.name, "type", statuses, selection)
        order = _code_order(book, counts.codes)  # codebook order → stored index
        codes = [counts.codes[i] for i in order]
        position = {stored: k for k, stored in enumerate(order)}
        rows = sorted(set(counts.review_rows.tolist()))
        row_at = {r: i for i, r in enumerate(rows)}
        present = np.zeros((len(rows), len(codes)), dtype=np.int64)
        if rows:
            present[[row_at[r] for r in counts.review_rows.tolist()],
                    [position[i] for i in counts.code_index.tolist()]] = 1
        together = present.T @ present
        overlaps = self._overlaps(book.name, statuses, set(counts.column_of),
                                  {c: k for k, c in enumerate(codes)})
        pairs = [Pair(codes[i], codes[j], int(together[i, j]), overlaps.get((i, j), 0))
                 for i in range(len(codes)) for j in range(i + 1, len(codes))
                 if together[i, j] or overlaps.get((i, j))]
        pairs.sort(key=lambda p: (-p.reviews, -p.overlaps))
        return CoOccurrence(book.name, tuple(codes), _ints(np.diag(together)), tuple(pairs))

    def _overlaps(self, codebook: str, statuses: Sequence[str], rows: set[int],
                  index: dict[str, int]) -> dict[tuple[int, int], int]:
        """Overlapping extract pairs per code pair (i < j), by a sweep over each
        version's spans in start order: only spans still open are compared."""
        found: dict[tuple[int, int], int] = defaultdict(int)
        version = -1
        open_: list[tuple[int, int]] = []  # (end, code index) of spans still open
        for review, version_id, start, end, code in self.sql.spans(codebook, statuses):
            if review not in rows:
                continue
            if version_id != version:
                version, open_ = version_id, []
            open_ = [o for o in open_ if o[0] > start]
            k = index[code]
            for _, other in open_:
                if other != k:
                    found[(min(k, other), max(k, other))] += 1
            open_.append((end, k))
        return dict(found)

    # ------------------------------------------------------------------ words
    def words(self, codebook: str, code: str, n: int = 1, top: int = 30,
              status: str = "accepted", selection: Selection | None = None
              ) -> tuple[int, list[Gram]]:
        """(extracts read, the most frequent n-grams) within a code's extracts."""
        book = self.codebook(codebook)
        if n not in (1, 2, 3):
            raise StorfaError(N_("--n is 1, 2 or 3 (got {n})."), n=n)
        statuses = parse_statuses(status)
        codes = _stored_under(book, book.code(code).name, self.sql.codes(book.name))
        texts = self.sql.texts(book.name, statuses, sorted(codes),
                               sorted(self.selected(selection)))
        return len(texts), frequencies(texts, n, top)

    # ----------------------------------------------------------------- binary
    def binary(self, codebook: str, status: str = "accepted",
               selection: Selection | None = None) -> tuple[list[str], list[list[Cell]]]:
        """Every selected review × every code: 1 where the review has an
        extract coded there (or beneath), else 0. Headers and rows."""
        book = self.codebook(codebook)
        counts = self._counts(book.name, "type", parse_statuses(status), selection)
        rows = sorted(counts.summaries, key=lambda r: counts.summaries[r].review_id)
        row_at = {r: i for i, r in enumerate(rows)}
        members = list(_row_members(book, counts.codes))
        table = np.zeros((len(rows), len(members)), dtype=np.int64)
        at = np.array([row_at[r] for r in counts.review_rows.tolist()], dtype=np.int64)
        for j, (_, _, _, codes, _) in enumerate(members):
            table[at[np.isin(counts.code_index, codes)], j] = 1
        headers = ["review_id", "type", "board", "year", *(m[0] for m in members)]
        out: list[list[Cell]] = []
        for i, row in enumerate(rows):
            s = counts.summaries[row]
            out.append([s.review_id, s.type, s.board, s.year, *table[i].tolist()])
        return headers, out


# ------------------------------------------------------------------ helpers
def _ints(values: npt.NDArray[Any]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _distinct_reviews(review_rows: Int, columns: Int, n_cols: int) -> Int:
    """Distinct reviews per column among (review, column) entries; a review
    is in one column only, so its first entry gives its column."""
    if review_rows.size == 0:
        return np.zeros(n_cols, dtype=np.int64)
    _, first = np.unique(review_rows, return_index=True)
    return np.bincount(columns[first], minlength=n_cols).astype(np.int64)


def _ordered(values: set[str], by: str) -> list[str]:
    """Column order: numbers (years) numerically, others alphabetically,
    the unknown column last."""
    known = [v for v in values if v != UNKNOWN]
    if by == "year":
        known.sort(key=lambda v: int(v) if v.isdigit() else 0)
    else:
        known.sort(key=str.casefold)
    return known + ([UNKNOWN] if UNKNOWN in values else [])


def _code_order(book: Codebook, stored: list[str]) -> list[int]:
    """Stored code indices in codebook order, codes not in it last."""
    def key(i: int) -> tuple[int, str]:
        try:
            return book.codes.index(book.code(stored[i])), stored[i]
        except UnknownCode:
            return len(book.codes), stored[i]

    return sorted(range(len(stored)), key=key)


def _stored_under(book: Codebook, code: str, stored: set[str]) -> set[str]:
    """The stored code names the row of `code` counts: the code and those
    beneath it (or only itself, for a code the codebook no longer has)."""
    if code not in book:
        return {code} & stored
    name = book.code(code).name
    under = set()
    for s in stored:
        if s in book and name in book.code(s).path:
            under.add(s)
    return under


def _row_members(book: Codebook, stored: list[str]
                 ) -> list[tuple[str, str, int, list[int], bool]]:
    """(code, theme, depth, stored code indices it counts, in codebook) per
    matrix row: the codebook's codes in order, then codes it does not have."""
    path_of: dict[int, tuple[str, ...]] = {}
    strangers = []
    for i, name in enumerate(stored):
        try:
            path_of[i] = book.code(name).path
        except UnknownCode:
            strangers.append(i)
    rows = [(c.name, c.theme, len(c.path) - 1,
             [i for i, path in path_of.items() if c.name in path], True) for c in book.codes]
    rows += [(stored[i], stored[i], 0, [i], False) for i in strangers]
    return rows
