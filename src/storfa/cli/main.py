"""The `storfa` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storfa import __version__
from storfa.cli import (
    analyse,
    classify,
    code,
    code_exchange,
    db,
    demo,
    disclosure,
    export,
    ingest,
    recommendations,
    report,
    reviews,
    search,
    serve,
    tools,
    users,
    worker,
)
from storfa.cli.context import configure

app = typer.Typer(
    name="storfa",
    help="storfa — a repository of safeguarding reviews: ingest, search, analyse.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storfa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Data directory (default: $STORFA_DATA, else ./storfa-data).",
        show_default=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    configure(ctx, data)


app.command()(ingest.ingest)
app.add_typer(reviews.reviews_app, name="reviews")
app.command()(reviews.show)
app.command()(search.search)
app.command()(classify.classify)
app.command("parse-id")(tools.parse_id)
app.command()(tools.check)
app.command("check-disclosure")(disclosure.check_disclosure)
app.command()(tools.reindex)
app.command()(demo.generate)
app.command()(demo.demo)
app.add_typer(db.db_app, name="db")
app.add_typer(analyse.analyse_app, name="analyse")
app.add_typer(code.code_app, name="code")
app.add_typer(code_exchange.codebook_app, name="codebook")
app.add_typer(export.export_app, name="export")
app.add_typer(recommendations.recommendations_app, name="recommendations")
app.add_typer(report.report_app, name="report")
app.command()(worker.worker)
app.command()(serve.serve)
app.add_typer(users.users_app, name="users")
app.add_typer(users.orgs_app, name="orgs")


def main() -> None:
    app()
