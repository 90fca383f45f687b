"""`storfa check-disclosure REVIEW`: what in a review would identify a person
(docs/disclosure.md)."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.markup import escape

from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError


def check_disclosure(
    ctx: typer.Context,
    review: Annotated[str, typer.Argument(help="Review id, as `storfa reviews` lists it.")],
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", min=0.0, max=1.0,
        help="Leave out findings below this confidence.")] = 0.5,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Every finding, hints too (the same as --min-confidence 0).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check a review for names, addresses, postcodes, dates of birth, NHS and NI
    numbers, phones, emails, schools, GP practices, services and vehicle
    registrations, each with its page, passage and a suggested replacement."""
    from storfa.disclosure import check_review

    try:
        report = check_review(services(ctx), review, 0.0 if show_all else min_confidence)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(report.as_json())
        return
    out.print(f"[bold]{escape(report.review_id)}[/] (version {report.version}): "
              f"{len(report.findings)} findings at confidence >= {report.min_confidence:.2f}")
    if report.findings:
        out.print(f"[dim]{'page':>4}  {'type':<21}{'found':<32}{'suggested':<22}conf.[/]")
    for f in report.findings:
        # Review text may hold "[": escaped, so it prints as text and not as markup.
        out.print(f"{f.page:>4}  {f.type:<21}{escape(f'{_cut(f.text, 30):<32}')}"
                  f"{escape(f'{_cut(f.replacement, 20):<22}')}{f.confidence:.2f}")
        before, after = _flat(f.before[-50:]), _flat(f.after[:50])
        out.print(f"      [dim]…{escape(before)}[/][bold reverse]{escape(f.text)}[/]"
                  f"[dim]{escape(after)}…[/]")
    if report.ocr_pages:
        out.print(f"[yellow]Pages {', '.join(map(str, report.ocr_pages))} were read by OCR: "
                  "check them by eye too, since misread words can hide a name.[/]")
    if not report.findings:
        out.print("Nothing found that would identify a person at this confidence.")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)
