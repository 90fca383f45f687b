"""How `--help` reads: click's plain help, not Rich's boxed panels. At 80
columns the panels cut option names ("--no-ingest-wor…") and their corners
break in a terminal narrower than the one they were drawn for; click's
formatter wraps to the terminal and never truncates a name."""

from __future__ import annotations

import typer

# Typer runs on its own copy of click, so the types of an override come from there.
from typer._click import Context, HelpFormatter
from typer.core import TyperGroup

# Help wraps to the terminal up to this width; the root context's setting is
# inherited by every sub-command's context.
HELP_WIDTH = 120


class HelpGroup(TyperGroup):
    """Lists each command with its whole first sentence, wrapped, where click
    would cut it at the width left over ("Show a review's metadata and its...")."""

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def plain_help(root: typer.Typer) -> None:
    """Gives `root` and every group under it plain, wrapped help."""
    root.rich_markup_mode = None
    root.info.cls = HelpGroup
    for group in root.registered_groups:
        if group.typer_instance is not None:
            plain_help(group.typer_instance)
