"""The CLI starts at once: importing it loads no heavy library (they are
imported inside the commands that use them, see storfa/cli/main.py), and
`storfa --help` still lists every command. Behaviour only; timings are
bench/peers.py's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import typer

from storfa.cli.main import app

# Each costs 0.05-1 s to import, or loads something that does (argon2 hashed a
# dummy password at import). Checked in a fresh interpreter, so whatever a
# module registered in cli/main.py imports at its top is seen here.
HEAVY = ("numpy", "torch", "onnxruntime", "pandas", "matplotlib", "scipy", "weasyprint",
         "argon2", "sklearn", "tantivy", "pypdfium2", "docx", "reportlab", "openpyxl",
         "pyreadstat", "fastapi", "uvicorn", "jinja2", "pebble", "lxml", "psycopg")

PROBE = f"""
import json, sys
import storfa.cli.main
heavy = {HEAVY!r}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
print(json.dumps(sorted({{m.split(".")[0] for m in loaded}})))
"""


def _fresh(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def _who_imports(module: str) -> str:
    """The import chain that loaded `module`, for the failure message."""
    done = _fresh("-X", "importtime", "-c", "import storfa.cli.main")
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    for i, line in enumerate(lines):
        if line.rstrip().endswith(f" {module}"):
            depth = len(line.split("|")[2]) - len(line.split("|")[2].lstrip())
            chain = [line.split("|")[2].strip()]
            for later in lines[i + 1:]:
                name = later.split("|")[2]
                level = len(name) - len(name.lstrip())
                if level < depth:
                    chain.append(name.strip())
                    depth = level
            return " <- ".join(chain)
    return module


def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = json.loads(_fresh("-c", PROBE).stdout)
    chains = [_who_imports(name) for name in loaded]
    assert not loaded, ("import these inside the commands that use them:\n"
                        + "\n".join(chains))


def _names(group: typer.core.TyperGroup, ctx: typer.Context) -> list[str]:
    return [name for name in group.list_commands(ctx)
            if not (cmd := group.get_command(ctx, name)) or not cmd.hidden]


def test_help_lists_every_command() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    ctx = typer.Context(root)
    names = _names(root, ctx)
    assert {"ingest", "reviews", "search", "serve", "users", "code"} <= set(names)
    listed = _fresh("-m", "storfa.cli", "--help").stdout.split("Commands:")[-1]
    words = {line.split()[0] for line in listed.splitlines() if line.strip()}
    missing = [name for name in names if name not in words]
    assert not missing, listed
    for name in names:  # every group's help lists its own commands
        group = root.get_command(ctx, name)
        if isinstance(group, typer.core.TyperGroup):
            sub = _fresh("-m", "storfa.cli", name, "--help").stdout.split("Commands:")[-1]
            sub_words = {line.split()[0] for line in sub.splitlines() if line.strip()}
            absent = [s for s in _names(group, typer.Context(group, parent=ctx))
                      if s not in sub_words]
            assert not absent, (name, sub)
