"""`storfa check-disclosure REVIEW`: what in a review would identify a person,
and the editor's decisions about it (docs/disclosure.md)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.disclosure.decisions import DecidedReport


def check_disclosure(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review id, as `storfa reviews` lists it.")],
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", min=0.0, max=1.0,
        help="Leave out findings below this confidence.")] = 0.5,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Every finding, hints too (the same as --min-confidence 0).")] = False,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept", metavar="ID", show_default=False,
        help="Accept a finding: its suggested replacement stands in for it (repeatable).")
    ] = None,
    reject: Annotated[list[str] | None, typer.Option(
        "--reject", metavar="ID", show_default=False,
        help="Reject a finding: it does not identify anyone (repeatable).")] = None,
    replace: Annotated[tuple[str, str] | None, typer.Option(
        "--replace", metavar="ID TEXT", show_default=False,
        help="Edit a finding: TEXT replaces it instead of the suggestion.")] = None,
    add_term: Annotated[list[str] | None, typer.Option(
        "--add-term", metavar="TERM", show_default=False,
        help="Add a word to the review's own list, caught everywhere it occurs; its "
             "findings count as accepted (repeatable).")] = None,
    remove_term: Annotated[list[str] | None, typer.Option(
        "--remove-term", metavar="TERM", show_default=False,
        help="Take a word off the review's own list (repeatable).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a review for names, addresses, postcodes, dates of birth, NHS and NI
    numbers, phones, emails, schools, GP practices, services and vehicle
    registrations, each with its page, passage and a suggested replacement;
    decide findings and keep the review's own list of words (audited). A review
    is not made registered or public while findings are undecided."""
    from storfa.disclosure.decisions import DisclosureDecisions
    from storfa.domain.acting import CommandLine
    from storfa.ingest.pipeline import cli_actor

    app = services(ctx)
    record = app.store.get_review(review)
    if record is None:
        fail(f"No review called {review!r}. `storfa reviews` lists them.", as_json)
    service, actor = DisclosureDecisions(app), CommandLine(cli_actor())
    changes: list[dict[str, str | None]] = []
    try:
        # Terms first: a decision may name a finding that a new term makes.
        for term in add_term or []:
            if service.set_term(record, term, actor):
                changes.append({"term": term, "change": "added"})
        for term in remove_term or []:
            if service.set_term(record, term, actor, present=False):
                changes.append({"term": term, "change": "removed"})
        wanted: list[tuple[str, str, str | None]] = []
        wanted += [(i, "accepted", None) for i in accept or []]
        wanted += [(i, "rejected", None) for i in reject or []]
        if replace:
            wanted.append((replace[0], "edited", replace[1]))
        for finding_id, decision, text in wanted:
            _, stored = service.decide(record, finding_id, decision, text, actor)
            changes.append({"finding": stored.finding_id, "decision": decision,
                            "replacement": stored.replacement})
    except StorfaError as exc:
        fail(str(exc), as_json)
    decided = service.report(record, 0.0 if show_all else min_confidence)
    if as_json:
        emit_json({**decided.as_json(), "changed": changes})
        return
    _print(decided, changes)


def _print(decided: DecidedReport, changes: list[dict[str, str | None]]) -> None:
    report = decided.report
    for c in changes:
        what = f"{c['finding']}: {c['decision']}" if "finding" in c \
            else f"term {c['term']!r} {c['change']}"
        out.print(f"[green]{escape(what)}[/]")
    out.print(f"[bold]{escape(report.review_id)}[/] (version {report.version}): "
              f"{len(report.findings)} findings at confidence >= {report.min_confidence:.2f}, "
              f"{len(decided.undecided(report.min_confidence))} undecided")
    if decided.terms:
        out.print("The review's own list: " + escape(", ".join(t.term for t in decided.terms)))
    if report.findings:
        out.print(f"[dim]{'page':>4}  {'type':<21}{'found':<32}{'suggested':<22}conf.  "
                  "decision[/]")
    for f in report.findings:
        d = decided.decision(f)
        state = "undecided" if d is None else d.decision + (
            f" → {d.replacement}" if d.replacement else "")
        # Review text may hold "[": escaped, so it prints as text and not as markup.
        out.print(f"{f.page:>4}  {f.type:<21}{escape(f'{_cut(f.text, 30):<32}')}"
                  f"{escape(f'{_cut(f.replacement, 20):<22}')}{f.confidence:.2f}   "
                  f"{escape(state)}")
        before, after = _flat(f.before[-50:]), _flat(f.after[:50])
        out.print(f"      [dim]…{escape(before)}[/][bold reverse]{escape(f.text)}[/]"
                  f"[dim]{escape(after)}…[/]  [dim]{escape(f.id)}[/]")
    if report.ocr_pages:
        out.print(f"[yellow]Pages {', '.join(map(str, report.ocr_pages))} were read by OCR: "
                  "check them by eye too, since misread words can hide a name.[/]")
    if not report.findings:
        out.print("Nothing found that would identify a person at this confidence.")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)
