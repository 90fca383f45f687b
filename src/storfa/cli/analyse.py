"""`storfa analyse ...`: timeliness, phi associations, the co-occurrence map,
frequency tables, stored case variables (suggest, set, values) and the review
quality checklist (methods in docs/analysis.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from storfa.analysis.timeliness import MEASURES
from storfa.cli.context import services
from storfa.cli.options import BoardOpt, JsonOpt, TypeOpt, YearFromOpt, YearToOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

analyse_app = typer.Typer(
    help="Statistics over reviews: timeliness, associations, co-occurrence map, frequencies.",
    no_args_is_help=True)

CsvOpt = Annotated[Path | None, typer.Option(
    "--from-csv", help="CSV: review_id, then one 0/1 column per variable (empty = not known).",
    show_default=False)]
AlphaOpt = Annotated[float, typer.Option("--alpha", help="Significance level before Bonferroni.")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Also write the table to this .csv or .xlsx file.", show_default=False)]
ReviewOpt = Annotated[list[str] | None, typer.Option(
    "--review", help="Only this review (repeatable).", show_default=False)]


@dataclass
class Selection:
    """Which stored reviews an analysis of stored case variables runs over."""

    type: str | None = None
    board: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    reviews: list[str] | None = None

    def summaries(self, ctx: typer.Context, as_json: bool) -> list[Any]:
        from storfa.analysis.casevars import select_reviews

        chosen = select_reviews(services(ctx).store.list_reviews(), self.type, self.board,
                                self.year_from, self.year_to)
        if self.reviews:
            wanted = {r.casefold() for r in self.reviews}
            chosen = [s for s in chosen if s.review_id.casefold() in wanted]
            missing = wanted - {s.review_id.casefold() for s in chosen}
            if missing:
                fail(f"No review called {', '.join(sorted(missing))} among the selected "
                     "reviews.", as_json)
        return chosen


def _cases(ctx: typer.Context, selection: Selection, as_json: bool) -> tuple[Any, list[Any]]:

    service = services(ctx).casevars
    return service, service.cases(service.with_rows(selection.summaries(ctx, as_json)))


def _codes(ctx: typer.Context, selection: Selection, as_json: bool) -> Any:
    """The selected reviews' coded cells as columns: what the statistics read."""

    service = services(ctx).casevars
    return service.codes(service.with_rows(selection.summaries(ctx, as_json)))


def _binary_csv(path: Path | None, as_json: bool, ctx: typer.Context | None = None,
                selection: Selection | None = None) -> Any:
    """The 0/1 table from --from-csv, or else from the stored, confirmed case variables."""
    from storfa.analysis.casevars import NothingCoded, binary_table
    from storfa.analysis.tables import read_binary_csv

    try:
        if path is None:
            if ctx is None or selection is None:
                fail("Give the case variables with --from-csv FILE.", as_json)
            return binary_table(_codes(ctx, selection, as_json))
        return read_binary_csv(path)
    except NothingCoded as exc:  # the service says what is missing; the CLI says how
        fail(f"{exc} Suggest values (storfa analyse suggest), confirm them "
             "(storfa analyse set), or give --from-csv FILE.", as_json)
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
    ctx: typer.Context,
    from_csv: CsvOpt = None,
    alpha: AlphaOpt = 0.05,
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
) -> None:
    """Phi coefficient for every pair of variables present in more than two reviews,
    with chi-square or Fisher's exact p-values and a Bonferroni threshold. Without
    --from-csv: the stored case variables confirmed present (not known = absent)."""
    from storfa.analysis.associations import associations as compute

    _check_alpha(alpha, as_json)
    result = compute(_binary_csv(from_csv, as_json, ctx,
                                 Selection(type, board, year_from, year_to)), alpha)
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
    ctx: typer.Context,
    from_csv: CsvOpt = None,
    alpha: AlphaOpt = 0.05,
    nonmetric: Annotated[bool, typer.Option(
        "--nonmetric", help="Ordinal (non-metric) scaling instead of metric.")] = False,
    png: Annotated[Path | None, typer.Option("--png", help="Draw the map to this PNG file.",
                                             show_default=False)] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Draw the map to this SVG file.",
                                             show_default=False)] = None,
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Two-dimensional map (SMACOF multidimensional scaling) of the significantly
    associated variables, from a dissimilarity that ignores joint absences. Without
    --from-csv: the stored case variables confirmed present."""
    from storfa.analysis.mds import co_occurrence_map as compute

    _check_alpha(alpha, as_json)
    table = _binary_csv(from_csv, as_json, ctx, Selection(type, board, year_from, year_to))
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
    case_variables: Annotated[bool, typer.Option(
        "--case-variables", help="Tabulate the stored case variables (coded values; "
        "reviews not yet coded are missing); --by type, board, year or variant.")] = False,
    type: TypeOpt = None,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
) -> None:
    """Frequency, percent, valid percent and cumulative percent per value, with
    missing values shown as such (like SPSS Frequencies)."""
    from storfa.analysis.casevars import coded_table, coded_variables
    from storfa.analysis.descriptive import table_frequencies
    from storfa.analysis.tables import read_table, reviews_table

    try:
        if from_csv is not None:
            table = read_table(from_csv)
        elif case_variables:
            cases = _codes(ctx, Selection(type), as_json)
            names = coded_variables(cases)
            if not names:
                fail("No case variable has been coded yet in the selected reviews.", as_json)
            table = coded_table(cases, names, labels=True, meta=True)
            variable = variable or names
        else:
            table = reviews_table(services(ctx).store.list_reviews(type))
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


@analyse_app.command("suggest")
def suggest_values(
    ctx: typer.Context,
    review: ReviewOpt = None,
    type: TypeOpt = None,
    model: Annotated[bool, typer.Option(
        "--model/--no-model", help="Also suggest from the embedding model (passages close "
        "in meaning to a variable the lexicon missed).")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Suggest case variables from each review's text, each with its evidence
    sentence (lexicon) or passage and confidence (model), stored as suggestions:
    none is confirmed until a person says so."""
    from storfa.ingest.pipeline import cli_actor

    summaries = Selection(type, reviews=review).summaries(ctx, as_json)
    service = services(ctx).casevars
    try:
        found, notes = service.suggest_with_notes([s.review_id for s in summaries],
                                                  cli_actor(), model=model)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"reviews": len(summaries), "suggestions": found, "notes": notes})
        return
    out.print(f"[bold]{len(found)} suggestions in {len(summaries)} reviews[/]")
    for s in found:
        value = "" if s["value"] == "present" else f" = {s['value']}"
        source = "" if s["source"] == "lexicon" else f" (model, {s['confidence']:.2f})"
        out.print(f"{s['review_id']}  [bold]{s['variable']}[/]{escape(value)}{source}  "
                  f"[dim]p. {s['page']}: {escape(s['evidence'][:100])}[/]")
    for note in notes:
        out.print(f"[dim]{escape(note)}[/]")
    out.print("[dim]Confirm with: storfa analyse set REVIEW VARIABLE VALUE[/]")


@analyse_app.command("set")
def set_value(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review identifier.")],
    variable: Annotated[str, typer.Argument(help="Case variable name, e.g. child_neglect.")],
    value: Annotated[str, typer.Argument(
        help="present or not_known for binary variables; a category, number or date otherwise; "
             "'reject' turns the current suggestion down.")],
    passage: Annotated[int | None, typer.Option(
        "--passage", help="Id of the passage that is the evidence.", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Code one review's case variable (recorded under your name and audited)."""
    from storfa.ingest.pipeline import cli_actor

    service = services(ctx).casevars
    try:
        if value.strip().casefold() == "reject":
            decided = service.reject(review, variable, cli_actor())
        else:
            decided = service.set_value(review, variable, value, cli_actor(), passage_id=passage)
        history = service.history(review, decided.variable)
    except StorfaError as exc:
        fail(str(exc), as_json)
    previous = next((h for h in reversed(history[:-1]) if h.status != "suggested"), None)
    record = service.store.get_review(review)
    doc = {"review_id": record.summary.review_id if record else review, **decided.as_json(),
           "previous": previous.as_json() if previous else None}
    if as_json:
        emit_json(doc)
        return
    out.print(f"{doc['review_id']}: {decided.variable} = {decided.value} ({decided.status})")


@analyse_app.command("values")
def stored_values(
    ctx: typer.Context,
    review: ReviewOpt = None,
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Write the review × variable table to .csv, .xlsx or .sav (SPSS).",
        show_default=False)] = None,
) -> None:
    """Each review's coded case variables and open suggestions; the table of coded
    values (1 present, 0 not known, empty not coded) as CSV, XLSX or SPSS .sav."""
    from storfa.analysis.casevars import coded_table
    from storfa.analysis.export import write_case_table

    service, cases = _cases(ctx, Selection(type, board, year_from, year_to, review), as_json)
    if out_file is not None:
        try:
            write_case_table(out_file, coded_table(cases, meta=True), service.variables)
        except (StorfaError, OSError) as exc:
            fail(str(exc), as_json)
        if not as_json:
            out.print(f"Wrote {out_file}")
    docs = [{"review_id": c.summary.review_id,
             "values": {name: st.label for name, st in c.states.items()
                        if st.label is not None},
             "decisions": [st.decision.as_json() for st in c.states.values() if st.decision],
             "suggestions": [{**s.as_json(), "state": st.suggestion_state(s)}
                             for st in c.states.values() for s in st.suggestions]}
            for c in cases]
    if as_json:
        emit_json({"reviews": docs})
        return
    table = RichTable(title="Case variables", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("review", "coded", "open suggestions"):
        table.add_column(name, overflow="fold")
    for d in docs:
        open_ = [f"{s['variable']}={s['value']}" for s in d["suggestions"]
                 if s["state"] == "open"]
        table.add_row(d["review_id"], ", ".join(f"{k}={v}" for k, v in d["values"].items()),
                      ", ".join(open_))
    out.print(table)


@analyse_app.command("quality")
def review_quality(
    ctx: typer.Context,
    review: ReviewOpt = None,
    type: TypeOpt = None,
    board: BoardOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
) -> None:
    """The review quality checklist (template elements and core tasks), each item
    found / not found with its passage, and a score per review."""
    from storfa.analysis.quality import quality

    summaries = Selection(type, board, year_from, year_to, review).summaries(ctx, as_json)
    result = quality(services(ctx).store, [s.review_id for s in summaries])
    names = [i["name"] for i in result["items"]]
    _write(out_file, ["review_id", "score", "found", "total", *names],
           [[r["review_id"], r["score"], r["found"], r["total"],
             *(r["items"][n]["found"] for n in names)] for r in result["reviews"]], as_json)
    if as_json:
        emit_json(result)
        return
    if not result["reviews"]:
        out.print("No reviews yet. Add some with [bold]storfa ingest FOLDER[/].")
        return
    table = RichTable(title="Review quality checklist", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("item", no_wrap=True)
    for r in result["reviews"]:
        table.add_column(r["review_id"], justify="center", no_wrap=True)
    mark = {True: "✓", False: "✗", None: "?"}
    for item in result["items"]:
        table.add_row(item["label"], *(mark[r["items"][item["name"]]["found"]]
                                       for r in result["reviews"]))
    table.add_row("score", *(f"{r['found']}/{r['total']}" for r in result["reviews"]),
                  end_section=True)
    out.print(table)
