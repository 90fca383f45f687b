"""The analysis of coding on both backends: the coding matrix, its drill-down,
co-occurrence, word frequencies and the 0/1 table, each checked against an
independent computation (pandas crosstab, Counter, brute force) over the
same extracts read straight from the database."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from harness import Cli
from storfa.accounts.policy import can_view_coding
from storfa.analysis.tables import table_bytes
from storfa.app import Storfa
from storfa.coding.codebooks import load_codebook
from storfa.coding.matrix import CodingAnalysis, Selection
from storfa.coding.ngrams import frequencies, grams_of
from storfa.domain.accounts import User
from storfa.domain.casevars import CONFIRMED, NewCaseValue
from storfa.domain.coding import NewExtract
from storfa.domain.errors import StorfaError
from storfa.storage.sql.casevars import SQLCaseVariables
from storfa.storage.sql.extracts import SQLExtracts
from storfa.synthetic import generate_corpus

BOOK = "best-practice"
STRANGER = "A code no longer in the codebook"


@dataclass
class Coded:
    storfa: Storfa
    analysis: CodingAnalysis
    rows: dict[str, int]  # review key → row
    hidden: int  # a review row left out as a visitor's hidden review


def _extracts(storfa: Storfa, rng: random.Random) -> None:
    """Accepted, suggested, rejected and superseded extracts of leaf codes,
    themes and a code the codebook lacks, with overlapping spans, and one
    second coder's agreeing decision (origin_id) that must not count twice."""
    sql = SQLExtracts(storfa.store.db)  # type: ignore[attr-defined]
    book = load_codebook(BOOK)
    names = [c.name for c in book.codes] + [STRANGER]
    for summary in storfa.store.list_reviews():
        record = storfa.store.get_review(summary.review_id)
        assert record is not None
        text = sql.version_text(record.version_id)
        made: list[NewExtract] = []
        for _ in range(rng.randint(4, 24)):
            start = rng.randrange(0, max(1, len(text) - 400))
            end = start + rng.randint(20, 300)
            code = rng.choice(names)
            theme = book.theme(code).name if code in book else code
            made.append(NewExtract(
                review_row=record.id, version_id=record.version_id, start=start, end=end,
                text=text[start:end], codebook=BOOK, code=code, theme=theme,
                coder=rng.choice(["ann", "ben"]), how="manual", page=1))
        half = len(made) // 2
        for new in made[:half]:
            sql.add_manual(new)
        sql.replace_suggestions(record.id, BOOK, made[half:])  # superseded by the next
        sql.replace_suggestions(record.id, BOOK, made[half:])
    open_ = sql.select(codebook=BOOK, status="suggested")
    for e in open_[::3]:
        sql.decide(e.id, "rejected", "ann")
    for e in open_[1::3]:
        sql.decide(e.id, "accepted", "ann")
    accepted = sql.select(codebook=BOOK, status="accepted")
    with storfa.store.db.write() as conn:  # type: ignore[attr-defined]
        for e in accepted[:2]:  # ben agrees with ann: a row of its own
            conn.execute(
                "INSERT INTO extracts (review_id, version_id, start_offset, end_offset, page, "
                "text, codebook, code, theme, coder, how, status, created_at, origin_id) "
                "SELECT review_id, version_id, start_offset, end_offset, page, text, "
                "codebook, code, theme, 'ben', how, status, created_at, id FROM extracts "
                "WHERE id = ?", (e.id,))


@pytest.fixture
def coded(storfa: Storfa, tmp_path: Path) -> Iterator[Coded]:
    paths = generate_corpus(tmp_path / "in", 8, seed=11, formats=("md",), pages_hint=2)
    results = storfa.ingest.ingest(paths)
    assert {r.status for r in results} == {"ingested"}
    _extracts(storfa, random.Random(5))
    rows = {key: row for row, key in storfa.store.review_keys().items()}
    yield Coded(storfa, CodingAnalysis.of(storfa), rows, hidden=sorted(rows.values())[0])


def _frame(coded: Coded, statuses: tuple[str, ...]) -> pd.DataFrame:
    """The counted extracts, read independently: one row per extract."""
    with coded.storfa.store.db.read() as conn:  # type: ignore[attr-defined]
        rows = [dict(r) for r in conn.execute(
            "SELECT e.id, e.review_id, e.version_id, e.start_offset, e.end_offset, e.code, "
            "e.status, e.superseded, e.origin_id, e.text, r.type, r.board, r.year "
            "FROM extracts e JOIN reviews r ON r.id = e.review_id")]
    frame = pd.DataFrame(rows)
    by_id = frame.set_index("id")
    duplicate = frame["origin_id"].notna() & frame.apply(
        lambda r: r["origin_id"] == r["origin_id"]
        and by_id.loc[int(r["origin_id"]), "code"] == r["code"]
        and by_id.loc[int(r["origin_id"]), "status"] == r["status"], axis=1)
    counted = frame[(frame.superseded == 0) & frame.status.isin(statuses) & ~duplicate]
    return counted[counted.review_id != coded.hidden].copy()


def _row_code(code: str) -> list[str]:
    """The matrix rows an extract of `code` counts in: its code and those above."""
    book = load_codebook(BOOK)
    return list(book.code(code).path) if code in book else [code]


@pytest.mark.parametrize("status", ["accepted", "suggested"])
def test_matrix_counts_match_a_crosstab(coded: Coded, status: str) -> None:
    statuses = ("accepted",) if status == "accepted" else ("accepted", "suggested")
    frame = _frame(coded, statuses)
    assert len(frame) > 20  # enough to mean something
    matrix = coded.analysis.matrix(BOOK, "type", status,
                                   Selection(exclude=frozenset({coded.hidden})))
    frame["type"] = frame["type"].fillna("")
    long = frame.assign(row=frame.code.map(_row_code)).explode("row")
    extracts = pd.crosstab(long.row, long.type)
    reviews = long.drop_duplicates(["row", "review_id"]).pipe(
        lambda f: pd.crosstab(f.row, f.type))
    for row in matrix.rows:
        for i, column in enumerate(matrix.columns):
            want = int(extracts.at[row.code, column]) if (
                row.code in extracts.index and column in extracts.columns) else 0
            assert row.extracts[i] == want, (row.code, column)
            want = int(reviews.at[row.code, column]) if (
                row.code in reviews.index and column in reviews.columns) else 0
            assert row.reviews[i] == want, (row.code, column)
        assert row.total_reviews == long[long.row == row.code].review_id.nunique()
    assert matrix.total_extracts == len(frame)
    assert matrix.total_reviews == frame.review_id.nunique()
    assert list(matrix.column_extracts) == [
        int((frame.type == c).sum()) for c in matrix.columns]
    assert list(matrix.column_reviews) == [
        frame[frame.type == c].review_id.nunique() for c in matrix.columns]
    # Codebook order; a theme counts its sub-codes; the stranger has its own row.
    book = load_codebook(BOOK)
    assert [r.code for r in matrix.rows][:len(book)] == [c.name for c in book.codes]
    assert matrix.rows[-1].code == STRANGER and not matrix.rows[-1].in_codebook
    # Hidden review: selected nowhere.
    assert sum(matrix.selected) == len(coded.rows) - 1


def _cell_value(value: Any, by: str) -> str:
    """A review's column, as the matrix names it: "" where unknown."""
    if value is None or value != value:  # None, or pandas' NaN
        return ""
    return str(int(value)) if by == "year" else str(value)


def test_matrix_by_year_board_and_case_variable(coded: Coded) -> None:
    frame = _frame(coded, ("accepted",))
    for by in ("year", "board"):
        matrix = coded.analysis.matrix(BOOK, by, selection=Selection(
            exclude=frozenset({coded.hidden})))
        values = [_cell_value(v, by) for v in frame[by]]
        assert dict(zip(matrix.columns, matrix.column_extracts, strict=True)) == {
            c: values.count(c) for c in matrix.columns}
        assert set(values) <= set(matrix.columns)
    # A case variable: two reviews confirmed present, one not known, others not coded.
    keys = sorted(coded.rows)
    variable = "child_neglect"
    SQLCaseVariables(coded.storfa.store.db).decide_many(  # type: ignore[attr-defined]
        [(coded.rows[keys[1]], NewCaseValue(variable, "present")),
         (coded.rows[keys[2]], NewCaseValue(variable, "present")),
         (coded.rows[keys[3]], NewCaseValue(variable, "not_known"))], CONFIRMED, "ann")
    matrix = coded.analysis.matrix(BOOK, f"var:{variable}", selection=Selection(
        exclude=frozenset({coded.hidden})))
    assert set(matrix.columns) <= {"present", "not known", ""}
    value = {coded.rows[keys[1]]: "present", coded.rows[keys[2]]: "present",
             coded.rows[keys[3]]: "not known"}
    want = Counter(frame.review_id.map(lambda r: value.get(r, "")).tolist())
    assert dict(zip(matrix.columns, matrix.column_extracts, strict=True)) == {
        c: want[c] for c in matrix.columns}
    with pytest.raises(StorfaError, match="No case variable"):
        coded.analysis.matrix(BOOK, "var:nonsense")
    with pytest.raises(StorfaError, match="--by"):
        coded.analysis.matrix(BOOK, "colour")
    with pytest.raises(StorfaError, match="codebook"):
        coded.analysis.matrix("nonsense")


def test_filters_narrow_the_reviews(coded: Coded) -> None:
    everything = coded.analysis.matrix(BOOK, "type")
    kind = next(c for c, n in zip(everything.columns, everything.column_extracts,
                                  strict=True) if n and c)
    only = coded.analysis.matrix(BOOK, "type", selection=Selection(type=kind.upper()))
    assert only.columns == (kind,)
    assert only.total_extracts == everything.column_extracts[everything.columns.index(kind)]


def test_drill_down_lists_the_cells_extracts(coded: Coded) -> None:
    selection = Selection(exclude=frozenset({coded.hidden}))
    matrix = coded.analysis.matrix(BOOK, "type", selection=selection)
    frame = _frame(coded, ("accepted",))
    frame["type"] = frame["type"].fillna("")
    checked = 0
    for row in matrix.rows:
        for i, column in enumerate(matrix.columns):
            cell = coded.analysis.cell(BOOK, row.code, column, "type", selection=selection,
                                       limit=1000)
            assert cell.total == row.extracts[i] == len(cell.extracts)
            want = frame[frame.code.map(lambda c, r=row.code: r in _row_code(c))
                         & (frame.type == column)]
            assert sorted(e.id for e in cell.extracts) == sorted(want.id.tolist())
            assert all(e.review_row != coded.hidden for e in cell.extracts)
            checked += bool(cell.total)
    assert checked > 5
    busiest = max(matrix.rows[:-1], key=lambda r: max(r.extracts))
    column = matrix.columns[busiest.extracts.index(max(busiest.extracts))]
    first = coded.analysis.cell(BOOK, busiest.code, column, "type", selection=selection,
                                limit=2)
    rest = coded.analysis.cell(BOOK, busiest.code, column, "type", selection=selection,
                               limit=1000, offset=2)
    whole = coded.analysis.cell(BOOK, busiest.code, column, "type", selection=selection,
                                limit=1000)
    assert [e.id for e in first.extracts + rest.extracts] == [e.id for e in whole.extracts]


def test_cooccurrence_matches_brute_force(coded: Coded) -> None:
    selection = Selection(exclude=frozenset({coded.hidden}))
    result = coded.analysis.cooccurrence(BOOK, "suggested", selection)
    frame = _frame(coded, ("accepted", "suggested"))
    codes_of = frame.groupby("review_id").code.apply(set)
    reviews: Counter[tuple[str, str]] = Counter()
    for codes in codes_of:
        reviews.update(tuple(sorted(p)) for p in combinations(codes, 2))
    overlaps: Counter[tuple[str, str]] = Counter()
    spans = frame[["version_id", "start_offset", "end_offset", "code"]].to_dict("records")
    for a, b in combinations(spans, 2):
        if (a["version_id"] == b["version_id"] and a["code"] != b["code"]
                and a["start_offset"] < b["end_offset"] and b["start_offset"] < a["end_offset"]):
            overlaps[tuple(sorted((a["code"], b["code"])))] += 1  # type: ignore[index]
    got = {tuple(sorted((p.a, p.b))): p for p in result.pairs}
    assert set(got) == set(reviews) | set(overlaps)
    for key, pair in got.items():
        assert pair.reviews == reviews[key] and pair.overlaps == overlaps[key], key
    assert sum(overlaps.values()) > 0
    assert dict(zip(result.codes, result.code_reviews, strict=True)) == {
        c: int(frame[frame.code == c].review_id.nunique()) for c in result.codes}


def test_words_and_ngrams(coded: Coded) -> None:
    selection = Selection(exclude=frozenset({coded.hidden}))
    frame = _frame(coded, ("accepted",))
    theme = load_codebook(BOOK).themes[0]
    texts = frame[frame.code.map(lambda c: theme.name in _row_code(c))].text.tolist()
    for n in (1, 2, 3):
        read, grams = coded.analysis.words(BOOK, theme.name, n, 10, selection=selection)
        assert read == len(texts)
        want = Counter(g for t in texts for g in grams_of(t, n))
        assert [(g.text, g.count) for g in grams] == sorted(
            want.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    with pytest.raises(StorfaError):
        coded.analysis.words(BOOK, theme.name, 4)


def test_ngram_tokenising() -> None:
    text = "Escalation of concerns was timely. The child's voice, and the voice of 2 staff."
    assert grams_of(text, 1) == ["escalation", "concerns", "timely", "child", "voice",
                                 "voice", "staff"]
    assert grams_of(text, 2) == ["child voice"]
    assert grams_of(text, 3) == ["escalation of concerns", "concerns was timely",
                                 "voice of staff"]
    top = frequencies([text, "voice"], 1, 2)
    assert [(g.text, g.count, g.extracts) for g in top] == [("voice", 3, 2),
                                                            ("child", 1, 1)]


def test_binary_table(coded: Coded) -> None:
    selection = Selection(exclude=frozenset({coded.hidden}))
    headers, rows = coded.analysis.binary(BOOK, selection=selection)
    frame = _frame(coded, ("accepted",))
    assert headers[:4] == ["review_id", "type", "board", "year"]
    assert len(rows) == len(coded.rows) - 1
    key_of = {row: key for key, row in coded.rows.items()}
    for code in headers[4:]:
        j = headers.index(code)
        want = {key_of[r] for r in frame[frame.code.map(
            lambda c, code=code: code in _row_code(c))].review_id}
        assert {r[0] for r in rows if r[j] == 1} == want, code
        assert all(r[j] in (0, 1) for r in rows)
    data = table_bytes("csv", "binary", headers, rows)
    assert data.decode().splitlines()[0].startswith("review_id,type,board,year,")


def test_spreadsheet_cells_are_escaped() -> None:
    data = table_bytes("csv", "m", ["code"], [["=HYPERLINK(1)"], ["-1"], [3]])
    assert data.decode().splitlines() == ["code", "'=HYPERLINK(1)", "'-1", "3"]
    with pytest.raises(StorfaError):
        table_bytes("ods", "m", ["code"], [])


def _user(**fields: Any) -> User:
    from storfa.domain.accounts import Role

    defaults: dict[str, Any] = {"id": 1, "username": "u", "display_name": "U",
                                "role": Role.READER,
                                "organisation_id": None, "disabled": False}
    return User(**{**defaults, **fields})


def test_policy_anyone_signed_in_may_view_coding() -> None:
    from storfa.domain.accounts import Role

    assert not can_view_coding(None)
    assert can_view_coding(_user())
    assert can_view_coding(_user(role=Role.CODER))
    assert not can_view_coding(_user(disabled=True))


def test_cli(coded: Coded, cli: Cli, tmp_path: Path) -> None:
    """The CLI counts every review (no visitor hides any) with the same service."""
    want = coded.analysis.matrix(BOOK, "year", "suggested")
    got = cli.json("code", "matrix", "--codebook", BOOK, "--by", "year", "--status",
                   "suggested", "--count", "reviews")
    assert got["columns"] == list(want.columns) and got["count"] == "reviews"
    assert [r["reviews"] for r in got["rows"]] == [list(r.reviews) for r in want.rows]
    assert got["total_extracts"] == want.total_extracts
    pairs = cli.json("code", "cooccurrence", "--codebook", BOOK)
    assert pairs["pairs"] == [p.as_json() for p in coded.analysis.cooccurrence(BOOK).pairs]
    theme = load_codebook(BOOK).themes[0].name
    words = cli.json("code", "words", "--codebook", BOOK, "--code", theme, "--n", "2",
                     "--top", "5")
    assert words["grams"] == [g.as_json() for g in coded.analysis.words(BOOK, theme, 2, 5)[1]]
    out = tmp_path / "codes.xlsx"
    done = cli.json("code", "binary", "--codebook", BOOK, "--out", str(out))
    assert done["reviews"] == len(coded.rows) and out.exists()
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet is not None and sheet.max_row == len(coded.rows) + 1
    matrix_csv = tmp_path / "m.csv"
    cli.json("code", "matrix", "--codebook", BOOK, "--out", str(matrix_csv))
    assert matrix_csv.read_text().startswith("code,theme,level,")
    bad = cli.json("code", "matrix", "--codebook", BOOK, "--by", "colour", expect_exit=2)
    assert "--by" in bad["error"]
    bad = cli.json("code", "binary", "--codebook", BOOK, "--out", str(tmp_path / "x.ods"),
                   expect_exit=2)
    assert ".csv or .xlsx" in bad["error"]
