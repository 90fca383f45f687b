"""`storfa code import | train` and `storfa codebook ...`: codebooks (create,
edit, merge, retire), REFI-QDA .qdc/.qdpx import, retraining (docs/coding.md)."""

from __future__ import annotations

import typer

from storfa.cli.code import code_app  # noqa: F401  (commands are added to this group)

codebook_app = typer.Typer(
    help="Codebooks: list, show, create, edit, merge and retire codes; .qdc import/export.",
    no_args_is_help=True)
