"""`storfa search`: the query language from the command line."""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError
from storfa.search.service import MAX_PER_REVIEW

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _console_snippet(snippet: str) -> str:
    """Our snippets are HTML; a terminal wants rich markup."""
    from rich.markup import escape

    parts, pos = [], 0
    for m in _MARK.finditer(snippet):
        parts.append(escape(html.unescape(snippet[pos:m.start()])))
        parts.append(f"[bold yellow]{escape(html.unescape(m.group(1)))}[/]")
        pos = m.end()
    parts.append(escape(html.unescape(snippet[pos:])))
    return "".join(parts)


def search(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(
        help='Query, e.g. \'"professional curiosity"\', \'escalat* NEAR/5 concerns\', '
             "'neglect NOT type:DHR year:2019..2024'. See docs/query-language.md.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Hits to show.")] = 10,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many hits.")] = 0,
    mode: Annotated[str, typer.Option("--mode", help="keyword, semantic or hybrid.")] = "keyword",
    kwic: Annotated[bool, typer.Option("--kwic", help="Print keyword-in-context lines.")] = False,
    terms: Annotated[Path | None, typer.Option(
        "--terms", help="Run one search per line of FILE; print counts per term, review "
                        "and review type.")] = None,
    per_review: Annotated[int | None, typer.Option(
        "--per-review", min=1, max=MAX_PER_REVIEW,
        help="Show at most N passages of each review (keyword search), saying how many "
             "more each has.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Search passages across all reviews."""
    app = services(ctx)
    try:
        if terms is not None:
            _term_list(app, terms, as_json)
            return
        if not query:
            fail("Give a query, or --terms FILE.", as_json)
        results = app.search.search(query, limit=limit, offset=offset, mode=mode,
                                    per_review=per_review)
    except StorfaError as exc:
        from storfa.search.semantic import NoVectors

        hint = "; run storfa reindex --embeddings" if isinstance(exc, NoVectors) else ""
        fail(f"{exc}{hint}", as_json)
    if as_json:
        emit_json(results.as_json())
        return
    matched = results.matched if results.per_review else results.total
    out.print(f"[bold]{matched}[/] passages match [italic]{escape(query)}[/]")
    if results.per_review:
        out.print(f"[dim]At most {results.per_review} of each review: {results.total} shown "
                  "in all[/]")
    if results.ranked_towards:
        out.print("[dim]This question describes good practice, so the passages coded as "
                  f"examples of it come first: {escape(', '.join(results.ranked_towards))}[/]")
    for n, hit in enumerate(results.hits, offset + 1):
        where = f"{hit.review_id} · p. {hit.page}" + (f" · {hit.section}" if hit.section else "")
        practice = (f" [green]good practice: {escape(hit.practice_code)}[/]"
                    if hit.practice_code else "")
        out.print(f"\n[bold cyan]{n}.[/] [bold]{where}[/] [dim]score {hit.score:.2f}[/]{practice}")
        if kwic:
            for left, word, right in hit.kwic:
                out.print(f"  {escape(left):>50}[bold yellow]{escape(word)}[/]{escape(right)}")
        else:
            out.print("  " + _console_snippet(hit.snippet))
        if hit.passage_id in results.more:
            more = results.more[hit.passage_id]
            out.print(f"  [dim]{more} more in this review: "
                      f"{escape(_in_review(query, hit.review_id))}[/]")
    if results.total > offset + len(results.hits):
        out.print(f"\n[dim]More: --offset {offset + len(results.hits)}[/]")


def _in_review(query: str, review_id: str) -> str:
    """The command that searches one review's passages for `query`: the
    query grouped, since a filter cannot be one side of an OR."""
    return shlex.join(["storfa", "search", f'({query}) review:"{review_id}"'])


def _term_list(app: object, path: Path, as_json: bool) -> None:
    if not path.exists():
        fail(f"No such file: {path}", as_json)
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    wanted = [line for line in lines if line and not line.startswith("#")]
    counts = app.search.count_terms(wanted)  # type: ignore[attr-defined]
    if as_json:
        emit_json({"terms": [asdict(c) for c in counts]})
        return
    types = sorted({t for c in counts for t in c.by_type})
    table = Table("term", "passages", "reviews", *types, title=f"{len(counts)} terms")
    for c in counts:
        if c.error:
            table.add_row(c.term, f"[red]{c.error}[/]", "", *[""] * len(types))
            continue
        table.add_row(c.term, str(c.passages), str(c.reviews),
                      *[str(c.by_type.get(t, 0)) for t in types])
    out.print(table)
