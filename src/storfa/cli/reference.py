"""Writes the CLI reference (docs/cli.md) from the real command tree, so the
docs cannot drift from the code: `python -m storfa.cli.reference > docs/cli.md`.
A test fails when the checked-in file differs."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from storfa.cli.main import app

WIDTH = 100


def _name(info: typer.models.CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.replace("_", "-")


def command_paths(root: typer.Typer = app, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group, as argument tuples, in registration order."""
    paths = [(*prefix, _name(info)) for info in root.registered_commands]
    for group in root.registered_groups:
        assert group.name and group.typer_instance
        path = (*prefix, group.name)
        paths.append(path)
        paths.extend(command_paths(group.typer_instance, path))
    return paths


def _help(args: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], terminal_width=WIDTH,
                                env={"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"})
    return "\n".join(line.rstrip() for line in result.output.splitlines()).strip()


def render() -> str:
    parts = ["# CLI reference", "",
             "Generated from the command tree by `python -m storfa.cli.reference`; "
             "do not edit by hand.", "", "## storfa", "", "```", _help(()), "```"]
    for path in command_paths():
        parts += ["", f"## storfa {' '.join(path)}", "", "```", _help(path), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render(), end="")
