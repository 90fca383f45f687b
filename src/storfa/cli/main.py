"""The `storfa` command line.

Every command module below is imported on every run, `storfa --help`
included, so a command module imports at its top only typer, rich, the
standard library and light storfa modules (domain, cli.options, cli.output).
Anything heavier (numpy, torch, onnxruntime, pandas, scipy, sklearn,
matplotlib, weasyprint, argon2, tantivy, pypdfium2, docx, reportlab, and
the storfa modules that load them: storfa.app, ingest.pipeline, coding.*,
analysis.*, reports.*) is imported inside the command function that uses it,
with a TYPE_CHECKING import for annotations. Services come from
`cli.context.services(ctx)`, which imports storfa.app when first asked.
tests/test_cli_startup.py fails when a module here breaks this; see
docs/performance.md for the start-up figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storfa import __version__
from storfa.cli import (
    analyse,
    assurance,
    assurance_exercises,
    classify,
    code,
    code_exchange,
    db,
    demo,
    disclosure,
    export,
    ingest,
    recommendations,
    referrals,
    report,
    reviews,
    search,
    serve,
    tools,
    users,
    worker,
)
from storfa.cli.context import configure
from storfa.cli.help import HELP_WIDTH, plain_help

app = typer.Typer(
    name="storfa",
    help="storfa — a repository of safeguarding reviews: ingest, search, analyse.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_WIDTH},
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
app.add_typer(referrals.referrals_app, name="referrals")
app.add_typer(referrals.indicators_app, name="indicators")
assurance.assurance_app.add_typer(assurance_exercises.audit_app, name="audit")
assurance.assurance_app.add_typer(assurance_exercises.selfeval_app, name="selfeval")
assurance.assurance_app.command("triangulate")(assurance_exercises.triangulate_cmd)
app.add_typer(assurance.assurance_app, name="assurance")
plain_help(app)


def main() -> None:
    app()
