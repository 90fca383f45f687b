"""Docs stay true to the code: the CLI reference is regenerated and compared,
and every command is mentioned in the README or the reference."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    from storfa.cli.reference import render

    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is out of date: run `.venv/bin/python -m storfa.cli.reference > docs/cli.md`")


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "scripts/demo.sh" in head and "scripts/test.sh" in head
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test.sh" in ci
