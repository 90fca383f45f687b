"""`storfa analyse ...`: timeliness, phi associations, the co-occurrence map and
frequency tables (methods in docs/analysis.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table as RichTable

from storfa.analysis.timeliness import MEASURES
from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

analyse_app = typer.Typer(
    help="Statistics over reviews: timeliness, associations, co-occurrence map, frequencies.",
    no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
CsvOpt = Annotated[Path | None, typer.Option(
    "--from-csv", help="CSV: review_id, then one 0/1 column per variable (empty = not known).",
    show_default=False)]
AlphaOpt = Annotated[float, typer.Option("--alpha", help="Significance level before Bonferroni.")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Also write the table to this .csv or .xlsx file.", show_default=False)]


def _binary_csv(path: Path | None, as_json: bool) -> Any:
    from storfa.analysis.tables import read_binary_csv

    if path is None:
        fail("Give the case variables with --from-csv FILE (stored case variables are not "
             "available yet).", as_json)
    try:
        return read_binary_csv(path)
    except StorfaError as exc:
        fail(str(exc), as_json)


def _check_alpha(alpha: float, as_json: bool) -> None:
    if not 0 < alpha < 1:
        fail(f"--alpha must be between 0 and 1 (got {alpha}).", as_json)


def _write(path: Path | None, headers: list[str], rows: list[list[Any]], as_json: bool) -> None:
    from storfa.analysis.tables import write_table

    if path is None:
        return
    try:
        write_table(path, headers, rows)
    except (StorfaError, OSError) as exc:
        fail(str(exc), as_json)
    if not as_json:
        out.print(f"Wrote {path}")


def _num(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _p(value: float) -> str:
    return "<.001" if value < 0.001 else f"{value:.3f}".lstrip("0")


@analyse_app.command()
def timeliness(
    ctx: typer.Context,
    type: Annotated[str | None, typer.Option("--type", help="Only this review type.")] = None,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
) -> None:
    """Days between each review's dates, summarised overall, by board and by type,
    against the 6-month completion and 12-month timeline guidance."""
    from storfa.analysis.timeliness import timeliness as compute

    result = compute(services(ctx).store.list_reviews(type))
    rows = [[r["review_id"], r["type"], r["board"], *r["days"].values(),
             r["timeline_period_days"], r["guidance"]["completed_within_6_months"]]
            for r in result["reviews"]]
    _write(out_file, ["review_id", "type", "board", *MEASURES, "timeline_period_days",
                      "completed_within_6_months"], rows, as_json)
    if as_json:
        emit_json(result)
        return
    if not rows:
        out.print("No reviews yet. Add some with [bold]storfa ingest FOLDER[/].")
        return
    _print_timeliness(result)


# Short headings keep the tables readable in an 80-column terminal.
SHORT = {"incident_to_referral": "incident→referral", "referral_to_sign_off": "referral→sign-off",
         "incident_to_learning_event": "incident→learning", "incident_to_sign_off": "incident→sign-off",
         "timeline_period": "timeline period"}


def _print_timeliness(result: dict[str, Any]) -> None:
    table = RichTable(title="Days between dates", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("review", no_wrap=True)
    table.add_column("board", overflow="ellipsis", max_width=12, no_wrap=True)
    for name in MEASURES:
        table.add_column(SHORT[name].replace("→", "\n→"), justify="right", min_width=9)
    table.add_column("≤ 6\nmonths")
    for r in result["reviews"]:
        met = r["guidance"]["completed_within_6_months"]
        table.add_row(r["review_id"], r["board"] or "",
                      *("–" if d is None else str(d) for d in r["days"].values()),
                      "–" if met is None else ("yes" if met else "no"))
    out.print(table)
    summary = RichTable(title="Summary in days (median also in months)", box=box.SIMPLE_HEAD,
                        pad_edge=False)
    summary.add_column("measure", no_wrap=True)
    for name in ("n", "median", "mean", "sd", "min", "max", "median months"):
        summary.add_column(name, justify="right", no_wrap=True)
    for name, stats in result["summary"]["measures"].items():
        days, months = stats["days"] or {}, stats["months"] or {}
        summary.add_row(SHORT[name], str(stats["n"]),
                        *(_num(days.get(k), 1) or "–" for k in ("median", "mean", "sd", "min",
                                                                "max")),
                        _num(months.get("median")) or "–")
    out.print(summary)
    for name, g in result["summary"]["guidance"].items():
        share = "–" if g["share"] is None else f"{100 * g['share']:.1f}%"
        out.print(f"{name.replace('_', ' ')}: {g['met']} of {g['n']} ({share}) — {g['rule']}")
    missing = result["summary"]["missing_dates"]
    if missing:
        out.print(f"[dim]{len(missing)} reviews lack some dates: "
                  + "; ".join(f"{m['review_id']} ({', '.join(m['missing'])})"
                              for m in missing[:10]) + ("…" if len(missing) > 10 else "") + "[/]")


@analyse_app.command()
def associations(
    from_csv: CsvOpt = None,
    alpha: AlphaOpt = 0.05,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
) -> None:
    """Phi coefficient for every pair of variables present in more than two reviews,
    with chi-square or Fisher's exact p-values and a Bonferroni threshold."""
    from storfa.analysis.associations import associations as compute

    _check_alpha(alpha, as_json)
    result = compute(_binary_csv(from_csv, as_json), alpha)
    pairs = [p.as_json() for p in result.pairs]
    _write(out_file, ["a", "b", "phi", "p", "test", "n", "stars", "strength", "significant",
                      "significant_bonferroni"],
           [[p[k] for k in ("a", "b", "phi", "p", "test", "n", "stars", "strength",
                            "significant", "significant_bonferroni")] for p in pairs], as_json)
    if as_json:
        emit_json(result.as_json())
        return
    table = RichTable(title=f"Phi coefficients, n = {result.n} reviews", box=box.SIMPLE_HEAD,
                      pad_edge=False)
    for name in ("a", "b", "phi", "p", "test", "strength"):
        table.add_column(name, no_wrap=True)
    for p in sorted(result.pairs, key=lambda p: -abs(p.phi)):
        table.add_row(p.a, p.b, f"{p.phi:.2f}{p.stars}", _p(p.p), p.test, p.strength)
    out.print(table)
    threshold = result.bonferroni_alpha
    out.print(f"* p < {alpha}, ** p < .01, *** Bonferroni p < "
              f"{'–' if threshold is None else f'{threshold:.4g}'} "
              f"({len(result.pairs)} pairs tested)")
    for s in result.skipped:
        out.print(f"[dim]skipped {s.variable}: {s.reason}[/]")


@analyse_app.command("map")
def co_occurrence_map(
    from_csv: CsvOpt = None,
    alpha: AlphaOpt = 0.05,
    nonmetric: Annotated[bool, typer.Option(
        "--nonmetric", help="Ordinal (non-metric) scaling instead of metric.")] = False,
    png: Annotated[Path | None, typer.Option("--png", help="Draw the map to this PNG file.",
                                             show_default=False)] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Draw the map to this SVG file.",
                                             show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Two-dimensional map (SMACOF multidimensional scaling) of the significantly
    associated variables, from a dissimilarity that ignores joint absences."""
    from storfa.analysis.mds import co_occurrence_map as compute

    _check_alpha(alpha, as_json)
    table = _binary_csv(from_csv, as_json)
    try:
        result = compute(table, alpha, metric=not nonmetric)
    except StorfaError as exc:
        fail(str(exc), as_json)
    _draw(result, [p for p in (png, svg) if p is not None], as_json)
    if as_json:
        emit_json(result.as_json())
        return
    grid = RichTable(title=f"Co-occurrence map (normalised raw stress {result.stress:.4f}, "
                           f"stress-1 {result.stress_1:.4f})", box=box.SIMPLE_HEAD,
                     pad_edge=False)
    for name in ("variable", "x", "y"):
        grid.add_column(name, no_wrap=True)
    for p in result.points:
        grid.add_row(p.variable, f"{p.x:+.3f}", f"{p.y:+.3f}")
    out.print(grid)
    if result.note:
        out.print(f"[dim]{result.note}[/]")


def _draw(result: Any, paths: list[Path], as_json: bool) -> None:
    from storfa.analysis.mds import plot

    for path in paths:
        try:
            plot(result, path)
        except ImportError:
            fail("Drawing the map needs matplotlib (pip install matplotlib).", as_json)
        except (OSError, ValueError) as exc:
            fail(f"Could not write {path}: {exc}", as_json)
        if not as_json:
            out.print(f"Wrote {path}")


@analyse_app.command()
def frequencies(
    ctx: typer.Context,
    from_csv: Annotated[Path | None, typer.Option(
        "--from-csv", help="CSV with review_id, then any columns (empty = missing). "
        "Without it: the stored reviews' type, board, year, variant and language.",
        show_default=False)] = None,
    variable: Annotated[list[str] | None, typer.Option(
        "--variable", help="Only this column (repeatable).", show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="Split by this column, e.g. type.",
                                           show_default=False)] = None,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
) -> None:
    """Frequency, percent, valid percent and cumulative percent per value, with
    missing values shown as such (like SPSS Frequencies)."""
    from storfa.analysis.descriptive import table_frequencies
    from storfa.analysis.tables import read_table, reviews_table

    try:
        table = (read_table(from_csv) if from_csv is not None
                 else reviews_table(services(ctx).store.list_reviews()))
        tables = table_frequencies(table, variable, by)
    except StorfaError as exc:
        fail(str(exc), as_json)
    docs = [t.as_json() for t in tables]
    _write(out_file, ["variable", "group", "value", "frequency", "percent", "valid_percent",
                      "cumulative_percent"], _frequency_rows(docs), as_json)
    if as_json:
        emit_json({"by": by, "tables": docs})
        return
    for doc in docs:
        _print_frequencies(doc, by)


def _frequency_rows(docs: list[dict[str, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for d in docs:
        rows.extend([d["variable"], d["group"], r["value"], r["frequency"], r["percent"],
                     r["valid_percent"], r["cumulative_percent"]] for r in d["rows"])
        rows.append([d["variable"], d["group"], "missing", d["missing"]["frequency"],
                     d["missing"]["percent"], None, None])
    return rows


def _print_frequencies(doc: dict[str, Any], by: str | None) -> None:
    title = doc["variable"] + (f" ({by} = {doc['group']})" if by else "")
    table = RichTable(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("value", "Frequency", "Percent", "Valid Percent", "Cumulative Percent"):
        table.add_column(name, no_wrap=True, justify="left" if name == "value" else "right")
    for r in doc["rows"]:
        table.add_row(r["value"], str(r["frequency"]), _num(r["percent"], 1),
                      _num(r["valid_percent"], 1), _num(r["cumulative_percent"], 1))
    table.add_row("Total (valid)", str(doc["valid"]),
                  _num(100 * doc["valid"] / doc["total"] if doc["total"] else 0.0, 1),
                  "100.0", "", end_section=True)
    table.add_row("Missing", str(doc["missing"]["frequency"]),
                  _num(doc["missing"]["percent"], 1), "", "")
    table.add_row("Total", str(doc["total"]), "100.0", "", "")
    out.print(table)
