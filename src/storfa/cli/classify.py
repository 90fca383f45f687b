"""`storfa classify`: classify free passages read from stdin, storing nothing."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from storfa.cli.output import EXIT_OK, EXIT_SOME_REJECTED, emit_json, err, fail, out
from storfa.domain.errors import StorfaError

EXAMPLE = '{"id": "p1", "text": "The health visitor kept on trying to engage Mother."}'


@dataclass(frozen=True)
class Passage:
    id: str | int
    text: str


def read_passages(lines: Iterable[str]) -> tuple[list[Passage], list[dict[str, Any]]]:
    """Passages from JSON lines, and a rejection (with its line number) for
    each line that is not one; blank lines are skipped."""
    passages: list[Passage] = []
    rejected: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        problem = None
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
        else:
            if not isinstance(obj, dict):
                problem = "not a JSON object"
            elif "id" not in obj or not isinstance(obj["id"], str | int) \
                    or isinstance(obj["id"], bool):
                problem = 'needs an "id" (a string or a number)'
            elif not isinstance(obj.get("text"), str) or not obj["text"].strip():
                problem = 'needs a non-empty "text" string'
        if problem is not None:
            rejected.append({"line": number, "reason": f"line {number} is {problem}"
                             if problem.startswith("not") else f"line {number} {problem}"})
            continue
        passages.append(Passage(obj["id"], obj["text"]))
    return passages, rejected


def classify(
    codebook: Annotated[str, typer.Option(
        "--codebook", help="Codebook to classify against, e.g. best-practice or cpr-learning.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    separately: Annotated[bool, typer.Option(
        "--separately", help="Read each passage on its own words alone, ignoring the lines "
        "around it (for unrelated extracts that happen to include title-like lines).")] = False,
) -> None:
    """Classify passages read from stdin, one JSON object {"id", "text"} per line:
    is each an example of best practice, and of which theme and code? Nothing is
    stored. Lines that are not such objects are reported by number and skipped
    (exit status 1).

    The lines are read as one document's paragraphs in the order given, as
    `storfa code auto` reads an ingested review: a short title-like line
    ("Recommendations", "Chronology", "Good practice") opens a section that
    moves the reading of the paragraphs under it, and headings, contents
    lines, references and recommendations are never best practice (the
    "set_aside" field says why). Unrelated extracts are read the same way
    unless one looks like a heading; --separately reads each alone."""
    from storfa.coding.classifier import load_classifier
    from storfa.coding.document_reading import READS, classify_passages

    try:
        classifier = load_classifier(codebook)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if sys.stdin.isatty():
        err.print(f"[dim]Reading passages from stdin, one JSON object per line, e.g. "
                  f"{escape(EXAMPLE)}; end with Ctrl-D.[/]")
    passages, rejected = read_passages(sys.stdin)
    for r in rejected:
        err.print(f"[bold red]Rejected:[/] {escape(r['reason'])}; expected e.g. "
                  f"{escape(EXAMPLE)}")
    with err.status(f"Classifying {len(passages)} passages…"):
        classified = classify_passages(classifier, [p.text for p in passages],
                                       as_document=not separately)
    results = [{"id": p.id, **c.as_json()} for p, c in zip(passages, classified, strict=True)]
    if as_json:
        emit_json({"codebook": classifier.codebook.name, "results": results,
                   "rejected": rejected})
    else:
        table = Table("id", "best practice", "theme", "code", "confidence", "read as",
                      title=f"{len(results)} passages · codebook {classifier.codebook.name}")
        for r in results:
            table.add_row(escape(str(r["id"])), "yes" if r["best_practice"] else "no",
                          escape(str(r["theme"] or "")), escape(str(r["code"] or "")),
                          f"{r['confidence']:.2f}", escape(_read_as(r)))
        out.print(table)
    foreign = sum(c.language not in READS for c in classified)
    if foreign:
        err.print(f"[yellow]{foreign} passages read as Welsh: the classifier reads English "
                  "only, so practice in them is not found.[/]")
    raise typer.Exit(EXIT_SOME_REJECTED if rejected else EXIT_OK)


def _read_as(result: dict[str, Any]) -> str:
    """What the document made of a passage, for the table: why it was set
    aside, or the kind of section it sits in."""
    if result["set_aside"]:
        return str(result["set_aside"])
    from storfa.coding.context import ZONE_LABELS

    zone = result["zone"]
    return f"in {ZONE_LABELS.get(zone, zone)}" if zone else ""
