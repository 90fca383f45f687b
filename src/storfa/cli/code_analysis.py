"""`storfa code matrix | cooccurrence | words | binary`: analysis of coding
(docs/coding.md). Registered on the `storfa code` group.

The CLI is the operator's: it counts every stored review (the web leaves out
the reviews a visitor may not see). --type, --board, --year-from and
--year-to narrow the reviews as `storfa analyse` does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from storfa.cli.code import CodebookOpt, code_app
from storfa.cli.context import services
from storfa.cli.options import BoardOpt, JsonOpt, TypeOpt, YearFromOpt, YearToOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    # Imported inside the commands: coding.matrix and analysis.tables load numpy.
    from storfa.analysis.tables import Cell
    from storfa.coding.matrix import CodingAnalysis, CodingMatrix, Selection

ByOpt = Annotated[str, typer.Option(
    "--by", help="Columns: type, year, board, or var:<case variable>, e.g. var:child_neglect.")]
StatusOpt = Annotated[str, typer.Option(
    "--status", help="accepted (default): accepted codings only; suggested: accepted "
                     "codings and open suggestions.")]
TableOutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Also write the table to this .csv or .xlsx file.", show_default=False)]


def _analysis(ctx: typer.Context, as_json: bool) -> CodingAnalysis:
    from storfa.coding.matrix import CodingAnalysis

    try:
        return CodingAnalysis.of(services(ctx))
    except StorfaError as exc:
        fail(str(exc), as_json)


def _selection(type: str | None, board: str | None, year_from: int | None,
               year_to: int | None) -> Selection:
    from storfa.coding.matrix import Selection

    return Selection(type=type, board=board, year_from=year_from, year_to=year_to)


def _write(path: Path, headers: list[str], rows: list[list[Cell]], sheet: str,
           as_json: bool) -> None:
    from storfa.analysis.tables import write_table

    try:
        write_table(path, headers, rows, sheet=sheet)
    except OSError as exc:
        fail(f"Could not write {path}: {exc}", as_json)


def _check_out(path: Path | None, as_json: bool) -> None:
    """Refuse a file name we cannot write before doing the work."""
    if path is not None and path.suffix.casefold() not in (".csv", ".xlsx"):
        fail(f"{path}: choose a .csv or .xlsx file name.", as_json)


def _column(value: str) -> str:
    return value or "unknown"


def _matrix_table(m: CodingMatrix, count: str) -> Table:
    table = Table("code", *(escape(_column(c)) for c in m.columns), "total",
                  box=box.SIMPLE_HEAD,
                  title=f"{m.codebook}: {count} by {m.by} ({' + '.join(m.statuses)})")
    for r in m.rows:
        name = escape(r.code) if r.depth == 0 else "  " * r.depth + escape(r.code)
        if r.depth == 0:
            name = f"[bold]{name}[/]"
        if not r.in_codebook:
            name += " [dim](not in the codebook)[/]"
        values = r.counts(count)
        table.add_row(name, *(str(n) if n else "[dim]·[/]" for n in values), str(sum(values)))
    table.add_row("[bold]total[/]", *(str(n) for n in m.column_totals(count)),
                  str(m.total(count)))
    return table


@code_app.command()
def matrix(
    ctx: typer.Context,
    codebook: CodebookOpt,
    by: ByOpt = "type",
    count: Annotated[str, typer.Option(
        "--count", help="Count extracts, or distinct reviews.")] = "extracts",
    status: StatusOpt = "accepted",
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    out_file: TableOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The coding matrix: the codebook's codes (themes counting their sub-codes)
    × review type, year, board or a case variable, with row and column totals."""
    from storfa.coding.matrix import COUNTS

    if count not in COUNTS:
        fail(f"--count is extracts or reviews (got {count!r}).", as_json)
    _check_out(out_file, as_json)
    analysis = _analysis(ctx, as_json)
    try:
        result = analysis.matrix(codebook, by, status,
                                 _selection(type, board, year_from, year_to))
    except StorfaError as exc:
        fail(str(exc), as_json)
    if out_file is not None:
        headers, rows = result.table(count)
        _write(out_file, headers, rows, "coding matrix", as_json)
    if as_json:
        emit_json({**result.as_json(), "count": count,
                   **({"out": str(out_file)} if out_file else {})})
        return
    out.print(_matrix_table(result, count))
    out.print(f"[dim]{sum(result.selected)} reviews selected; "
              f"{result.total_reviews} with extracts, {result.total_extracts} extracts.[/]")
    if out_file is not None:
        out.print(f"Wrote {out_file}")


@code_app.command()
def cooccurrence(
    ctx: typer.Context,
    codebook: CodebookOpt,
    status: StatusOpt = "accepted",
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Pairs of codes used on the same review (reviews), and pairs of their
    extracts whose spans overlap in the text (overlaps)."""
    analysis = _analysis(ctx, as_json)
    try:
        result = analysis.cooccurrence(codebook, status,
                                       _selection(type, board, year_from, year_to))
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(result.as_json())
        return
    if not result.pairs:
        out.print("No two codes have been used on the same review.")
        return
    table = Table("code", "code", "reviews", "overlapping extracts", box=box.SIMPLE_HEAD,
                  title=f"{result.codebook}: {len(result.pairs)} pairs of codes")
    for p in result.pairs:
        table.add_row(escape(p.a), escape(p.b), str(p.reviews), str(p.overlaps))
    out.print(table)


@code_app.command()
def words(
    ctx: typer.Context,
    codebook: CodebookOpt,
    code: Annotated[str, typer.Option("--code", help="The code (a theme takes in its "
                                                     "sub-codes' extracts).")],
    n: Annotated[int, typer.Option("--n", help="1 for words, 2 or 3 for n-grams.")] = 1,
    top: Annotated[int, typer.Option("--top", help="How many to list.")] = 30,
    status: StatusOpt = "accepted",
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The most frequent words (or 2- or 3-word phrases) in a code's extracts,
    stopwords left out."""
    if top < 1:
        fail("--top must be at least 1.", as_json)
    analysis = _analysis(ctx, as_json)
    try:
        read, grams = analysis.words(codebook, code, n, top, status,
                                     _selection(type, board, year_from, year_to))
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"codebook": codebook, "code": code, "n": n, "extracts": read,
                   "grams": [g.as_json() for g in grams]})
        return
    if not grams:
        out.print(f"No words: {read} extracts coded {escape(code)}.")
        return
    table = Table("#", "words" if n == 1 else f"{n}-grams", "count", "extracts",
                  box=box.SIMPLE_HEAD, title=f"{escape(code)}: {read} extracts")
    for i, g in enumerate(grams, start=1):
        table.add_row(str(i), escape(g.text), str(g.count), str(g.extracts))
    out.print(table)


@code_app.command()
def binary(
    ctx: typer.Context,
    codebook: CodebookOpt,
    out_file: Annotated[Path, typer.Option(
        "--out", help="Write the review × code 0/1 table to this .csv or .xlsx file.")],
    status: StatusOpt = "accepted",
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The 0/1 code-by-review table (review_id, type, board, year, one column per
    code: 1 where the review has an extract coded there), for statistics
    packages."""
    _check_out(out_file, as_json)
    analysis = _analysis(ctx, as_json)
    try:
        headers, rows = analysis.binary(codebook, status,
                                        _selection(type, board, year_from, year_to))
    except StorfaError as exc:
        fail(str(exc), as_json)
    _write(out_file, headers, rows, "codes by review", as_json)
    if as_json:
        emit_json({"out": str(out_file), "reviews": len(rows), "codes": headers[4:]})
        return
    out.print(f"Wrote {out_file}: {len(rows)} reviews × {len(headers) - 4} codes.")
