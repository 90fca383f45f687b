"""`storfa code ...`: auto-coding suggestions, a person's accept/reject/recode and own
codings, memos, and agreement between two coders (docs/coding.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, err, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.coding.autocode import Suggested

code_app = typer.Typer(
    help="Qualitative coding: auto-code reviews, accept or reject suggestions, agreement.",
    no_args_is_help=True)

CodebookOpt = Annotated[str, typer.Option(
    "--codebook", help="Codebook, e.g. best-practice or cpr-learning.")]
CoderOpt = Annotated[str | None, typer.Option(
    "--coder", help="Who is coding (default: cli:<your login>).", show_default=False)]
ExtractArg = Annotated[int, typer.Argument(help="Extract id (from storfa code list).")]


def _service(ctx: typer.Context, as_json: bool) -> Any:

    try:
        return services(ctx).coding
    except StorfaError as exc:
        fail(str(exc), as_json)


def _cut(found: Suggested) -> str:
    """The threshold(s) a run used, as the user reads them."""
    if found.review_threshold == found.threshold:
        return f"{found.threshold:.2f}"
    return (f"{found.review_threshold:.2f} in single-case reviews, {found.threshold:.2f} "
            "in other reports")


def _coder(coder: str | None) -> str:
    from storfa.ingest.pipeline import cli_actor

    return coder.strip() if coder and coder.strip() else cli_actor()


@code_app.command()
def auto(
    ctx: typer.Context,
    codebook: CodebookOpt,
    review: Annotated[list[str] | None, typer.Option(
        "--review", help="Only this review (repeatable; default: every review).",
        show_default=False)] = None,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.0, max=1.0,
        help="Suggest passages at least this likely to be practice, in every review "
             "(default: the shipped document model's, one for single-case reviews and "
             "one for thematic and other reports, each set so that 80% of suggestions "
             "on held-out real reports of its kind are practice). Lower it to see what "
             "was held back.",
        show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Auto-code reviews: at most one suggestion per paragraph, its best code
    (the runner-up named beside it), from the classifier (source "model") or
    the codebook's term rules (source "term"), stored to accept or reject.
    Paragraphs are read in their document: headings, contents, author lists,
    references and captions are never suggested, nor recommendations as best
    practice. A re-run replaces the earlier open suggestions."""
    from storfa.ingest.pipeline import cli_actor

    service = _service(ctx, as_json)
    with Progress(TextColumn("[bold]Auto-coding"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=err,
                  transient=True) as progress:
        task = progress.add_task("", total=None)
        try:
            found = service.auto(
                codebook, review, cli_actor(),
                progress=lambda key, _n: progress.update(task, advance=1, description=key),
                on_total=lambda n: progress.update(task, total=n), threshold=threshold)
        except StorfaError as exc:
            fail(str(exc), as_json)
    if as_json:
        emit_json({"suggestions": [s.as_json() for s in found], **found.counts(),
                   **found.thresholds()})
        return
    out.print(f"[bold]{len(found)} suggestions[/] (confidence ≥ {_cut(found)})")
    for s in found:
        d = s.as_json()
        out.print(f"{d['review_id']} {d['start']}-{d['end']}  [bold]{escape(d['theme'])} › "
                  f"{escape(d['code'])}[/] ({d['source']}, {d['confidence'] or 0:.2f})  "
                  f"[dim]{escape(d['text'][:100])}[/]")
    if found.held_back:
        out.print(f"[dim]{found.held_back} more paragraphs read as practice were held back "
                  f"below {_cut(found)}; see them with --threshold 0.3[/]")
    if found.unread:
        out.print(f"[yellow]{found.unread} paragraphs in Welsh could not be searched for "
                  "practice: the classifier reads English only. Code them by hand, or ingest "
                  "the review's English version.[/]")
    out.print("[dim]Review them with: storfa code list --status suggested; "
              "storfa code accept|reject ID[/]")


@code_app.command("list")
def list_extracts(
    ctx: typer.Context,
    review: Annotated[str | None, typer.Option("--review", help="Only this review.",
                                               show_default=False)] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="Only suggested, accepted or rejected extracts.",
        show_default=False)] = None,
    codebook: Annotated[str | None, typer.Option("--codebook", help="Only this codebook.",
                                                 show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the current extracts, in review and text order."""
    from storfa.domain.coding import STATUSES

    if status is not None and status not in STATUSES:
        fail(f"--status must be one of {', '.join(STATUSES)} (got {status!r}).", as_json)
    service = _service(ctx, as_json)
    try:
        found = service.extracts(codebook=codebook, review_key=review, status=status)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"extracts": [e.as_json() for e in found]})
        return
    table = Table("id", "review", "span", "code", "status", "how", "text",
                  box=box.SIMPLE_HEAD, title=f"{len(found)} extracts")
    for e in found:
        table.add_row(str(e.id), e.review_id, f"{e.start}-{e.end}", escape(e.code), e.status,
                      e.how, escape(e.text[:80]))
    out.print(table)


def _decide(ctx: typer.Context, extract_id: int, action: str, coder: str | None,
            as_json: bool, code: str | None = None) -> None:
    service = _service(ctx, as_json)
    try:
        extract = service.decide_suggestion(extract_id, action, _coder(coder), code)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(extract.as_json())
        return
    out.print(f"Extract {extract.id} ({extract.review_id}, {escape(extract.code)}): "
              f"{extract.status}")


@code_app.command()
def accept(ctx: typer.Context, extract_id: ExtractArg, coder: CoderOpt = None,
           as_json: JsonOpt = False) -> None:
    """Accept a suggested extract (recorded under your name and audited)."""
    _decide(ctx, extract_id, "accept", coder, as_json)


@code_app.command()
def reject(ctx: typer.Context, extract_id: ExtractArg, coder: CoderOpt = None,
           as_json: JsonOpt = False) -> None:
    """Reject a suggested extract (recorded under your name and audited)."""
    _decide(ctx, extract_id, "reject", coder, as_json)


@code_app.command()
def recode(ctx: typer.Context, extract_id: ExtractArg,
           code: Annotated[str, typer.Argument(help="The code to use instead.")],
           coder: CoderOpt = None, as_json: JsonOpt = False) -> None:
    """Re-code a suggested extract: accepted with another code of its codebook
    (recorded under your name and audited)."""
    _decide(ctx, extract_id, "recode", coder, as_json, code)


@code_app.command()
def undo(ctx: typer.Context, coder: CoderOpt = None, as_json: JsonOpt = False) -> None:
    """Undo your own last coding change: a decided suggestion opens again, an
    extract you made is withdrawn (kept as history), an earlier decision of
    yours comes back. Other coders' changes are never undone (audited)."""
    service = _service(ctx, as_json)
    try:
        done = service.undo(_coder(coder))
    except StorfaError as exc:
        fail(str(exc), as_json)
    e = done.extract
    if as_json:
        emit_json({"undone": done.action, "change": done.change_id,
                   "withdrawn": e.superseded, "extract": e.as_json()})
        return
    state = "withdrawn" if e.superseded else e.status
    out.print(f"Undid {done.action} of extract {e.id} ({e.review_id}, {escape(e.code)}): "
              f"now {state}")


@code_app.command()
def add(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review identifier.")],
    start: Annotated[int, typer.Argument(help="First character of the span.")],
    end: Annotated[int, typer.Argument(help="Character after the span.")],
    code: Annotated[str, typer.Argument(help="Code name, e.g. 'Escalating concerns'.")],
    codebook: CodebookOpt,
    coder: CoderOpt = None,
    memo: Annotated[str | None, typer.Option("--memo", help="Attach this memo.",
                                             show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Code characters START..END of a review's current text by hand."""
    service = _service(ctx, as_json)
    who = _coder(coder)
    try:
        extract = service.code_span(review, start, end, codebook, code, who)
        memos = [service.memo(who, memo, extract_id=extract.id)] if memo else []
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({**extract.as_json(), "memos": [m.as_json() for m in memos]})
        return
    out.print(f"Extract {extract.id}: {escape(extract.code)} ← {escape(extract.text[:100])}")


@code_app.command("memo")
def add_memo(
    ctx: typer.Context,
    extract_id: ExtractArg,
    text: Annotated[str, typer.Argument(help="The memo.")],
    coder: CoderOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Attach a memo to an extract."""
    service = _service(ctx, as_json)
    try:
        memo = service.memo(_coder(coder), text, extract_id=extract_id)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(memo.as_json())
        return
    out.print(f"Memo {memo.id} on extract {extract_id}.")


@code_app.command()
def agreement(
    ctx: typer.Context,
    codebook: CodebookOpt,
    coders: Annotated[str, typer.Option("--coders", help="The two coders, as A,B.")],
    as_json: JsonOpt = False,
) -> None:
    """Agreement of two coders' accepted codings, per code, over the passages
    of the reviews both coded: Cohen's kappa and Krippendorff's alpha (nominal)."""
    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(names) != 2 or names[0] == names[1]:
        fail("--coders needs two different coders, as A,B.", as_json)
    service = _service(ctx, as_json)
    try:
        reviews, figures = service.agreement(codebook, names[0], names[1])
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"codebook": codebook, "coders": names, "reviews": reviews,
                   "codes": [f.as_json() for f in figures]})
        return
    if not reviews:
        out.print(f"{names[0]} and {names[1]} have not both coded any review.")
        return
    table = Table("code", "A", "B", "both", "kappa", "alpha", box=box.SIMPLE_HEAD,
                  title=f"{len(reviews)} reviews, {figures[0].units} passages")
    for f in figures:
        table.add_row(escape(f.code), str(f.coded_a), str(f.coded_b), str(f.coded_both),
                      "–" if f.kappa is None else f"{f.kappa:.2f}",
                      "–" if f.alpha is None else f"{f.alpha:.2f}")
    out.print(table)


# Commands kept in their own modules, added to this group on import.
from storfa.cli import code_analysis, code_exchange  # noqa: E402, F401
