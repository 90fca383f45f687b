"""Which files a batch covers: paths given, folders walked recursively."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# Never ingested: editor droppings and operating-system clutter, not reports.
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.name in IGNORED_NAMES or candidate.name.startswith("~$"):
                continue
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found
