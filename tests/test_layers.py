"""Imports go one way: domain/ imports only itself; storage/ imports only
domain/, config and clock (docs/architecture.md, "Layers")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "storfa"
ALLOWED = {
    "domain": ("storfa.domain",),
    "storage": ("storfa.storage", "storfa.domain", "storfa.config", "storfa.clock"),
}


def storfa_imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [(node.lineno, n) for n in names if n == "storfa" or n.startswith("storfa.")]
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    wrong = [f"{path.relative_to(SRC)}:{line} imports {name}"
             for path in sorted((SRC / layer).rglob("*.py"))
             for line, name in storfa_imports(path)
             if name != "storfa"  # the package's __version__
             and not name.startswith(ALLOWED[layer])]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from storfa.coding.codebooks import load_codebook\nimport json\n")
    assert storfa_imports(module) == [(1, "storfa.coding.codebooks")]


# Who may name a SQL implementation: storage itself, and the few whole-store
# tools that move or copy a store as such. Everything else asks
# storage/repositories.py or the Store protocol, so a service cannot tell
# SQLite from PostgreSQL, nor from a fake in a test.
SQL_IMPLEMENTATION = "storfa.storage.sql"
MAY_NAME_SQL = ("storage/", "cli/db_common.py", "service/backup.py")


def test_only_storage_names_its_sql_implementation() -> None:
    wrong = [f"{rel}:{line} imports {name}"
             for path in sorted(SRC.rglob("*.py"))
             if not (rel := path.relative_to(SRC).as_posix()).startswith(MAY_NAME_SQL)
             for line, name in storfa_imports(path)
             if name.startswith(SQL_IMPLEMENTATION)]
    assert not wrong, "\n".join(wrong)
