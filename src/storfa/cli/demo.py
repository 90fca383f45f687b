"""`storfa generate` and `storfa demo`: realistic review documents to try storfa on."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from storfa.cli.context import services
from storfa.cli.output import emit_json, err, out

FORMATS = ("pdf", "docx", "md", "html")


def generate(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the documents into.")],
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many reviews.")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same documents.")] = 0,
    formats: Annotated[str, typer.Option("--formats", help="Comma-separated: pdf,docx,md,html.")] = "pdf,docx,md",
    pages: Annotated[int, typer.Option("--pages", min=2, help="Roughly how many pages each.")] = 12,
    two_column: Annotated[float, typer.Option("--two-column", min=0, max=1, help="Share of PDFs in two columns.")] = 0.2,
    image_pages: Annotated[float, typer.Option("--image-pages", min=0, max=1, help="Share of PDFs with an image-only page (OCR).")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Generate realistic, seeded review documents (CPR, APR, DHR, MHHR, SUSR) with a
    manifest of their true metadata."""
    from storfa.synthetic import generate_corpus

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise typer.BadParameter(f"unknown format(s) {unknown}; choose from {FORMATS}")
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Generating", total=count)
        paths = generate_corpus(out_dir, count, seed=seed, formats=chosen,
                                two_column_share=two_column, image_page_share=image_pages,
                                pages_hint=pages,
                                progress=lambda *_: progress.advance(task))
    if as_json:
        emit_json({"files": [str(p) for p in paths], "manifest": str(out_dir / "manifest.json")})
    else:
        out.print(f"Wrote {len(paths)} files to {out_dir} (manifest.json has the true metadata).")


def _took(what: str, since: float) -> float:
    """Says on stderr how long a step of the demo took; returns the time now."""
    now = time.monotonic()
    err.print(f"{what} [dim]({now - since:.0f} s)[/]")
    return now


def demo(
    ctx: typer.Context,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many reviews.")] = 24,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the web app when the corpus is ready.")] = True,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Build a demo corpus, ingest it, create demo accounts (passwords printed
    once, new on every run) and serve the web app.

    The demo users have already used it, through storfa's own services:
    auto-coding with some suggestions decided, and a second coder's blind
    coding of the same reviews so agreement shows; recommendations extracted
    and tracked with some overdue; case variables suggested and mostly
    confirmed; referral records for the indicators; a saved search each; a
    year's assurance evidence (12 Cs returns, a self-evaluation returned by
    agencies and coded, a case-file audit, a practitioner survey) that
    triangulates on training. It says what took the time."""
    from storfa.synthetic import generate_corpus

    app = services(ctx)
    source = app.settings.data_dir / "demo-source"
    started = time.monotonic()
    if not (source / "manifest.json").exists():
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("Generating demo reviews", total=count)
            generate_corpus(source, count, seed=2024, formats=("pdf", "docx", "md"),
                            two_column_share=0.25, image_page_share=0.02, pages_hint=10, welsh_share=0.1,
                            progress=lambda *_: progress.advance(task))
        started = _took(f"Generated {count} reviews as PDF, DOCX and Markdown", started)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Ingesting", total=None)
        documents = sorted(p for p in source.iterdir() if p.name != "manifest.json")
        results = app.ingest.ingest(
            documents, on_total=lambda n: progress.update(task, total=n),
            on_result=lambda _r: progress.advance(task))
    counts = {s: sum(1 for r in results if r.status == s)
              for s in ("ingested", "duplicate", "rejected")}
    started = _took(f"Ingested {len(documents)} files (parsing, OCR of image pages, indexing)",
                    started)
    from storfa.cli.ingest import run_after_store
    from storfa.ingest.pipeline import cli_actor

    # The steps every ingest runs: recommendations, search by meaning, recurrence.
    run_after_store(app, [r.review_id for r in results if r.status == "ingested" and r.review_id],
                    cli_actor())
    started = _took("Extracted recommendations, embedded the passages for search by meaning "
                    "and grouped recurring recommendations", started)
    from storfa.cli.demo_accounts import ACTOR, create_demo_accounts
    from storfa.cli.demo_story import Chapter, tell

    accounts = create_demo_accounts(app)
    app.accounts.mark_demo(ACTOR)  # the home page's "Try this" panel shows in this store only

    def told(chapter: Chapter) -> None:
        err.print(f"{chapter.name}: {chapter.summary} [dim]({chapter.seconds:.0f} s)[/]")

    with err.status("The demo's story") as status:
        tell(app, told, on_start=lambda name: status.update(f"{name}…"))
    data = app.settings.data_dir
    out.print(f"\n[bold green]storfa demo ready[/] in {data}: "
              f"{counts['ingested']} ingested, {counts['duplicate']} already there, "
              f"{counts['rejected']} rejected.\n")
    out.print("Try:")
    for line in (
        "storfa reviews",
        "storfa search '\"professional curiosity\"'",
        "storfa search 'escalat* NEAR/5 concerns' --kwic",
        "storfa search 'neglect NOT \"domestic abuse\" type:CPR year:2015..2024'",
        "storfa show <review id> --page 2",
        "storfa code list --status suggested",
        "storfa recommendations --overdue",
        "storfa analyse associations",
        "storfa assurance triangulate 'North Wales' --theme training --also briefing",
    ):
        out.print(f"  [bold]storfa --data {data} {line.removeprefix('storfa ')}[/]")
    out.print("\nDemo accounts (passwords are new on every run; the demo lets "
              "administrators skip the second factor):")
    for username, role, org, password in accounts:
        out.print(f"  {role:<14} [bold]{username}[/] / [bold]{password}[/]  ({org})")
    if serve:
        import os

        from storfa.cli.serve import run_server

        os.environ["STORFA_ADMIN_TOTP"] = "optional"
        out.print(f"\nOpen [bold]http://{host}:{port}/[/] in a browser.\n")
        run_server(app, host, port, workers=1, ingest_worker=True)
