"""`storfa report briefing | thematic | recurrence`: learning outputs
(docs/reports.md)."""

from __future__ import annotations

import typer

report_app = typer.Typer(
    help="Learning outputs: 7-minute briefings, thematic reports, recurrence of recommendations.",
    no_args_is_help=True)
