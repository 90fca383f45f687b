"""A web worker freezes its start-up heap (service/memory.py): a full garbage
collection then walks only what requests made since, not the ~180,000
objects of modules, routes and templates that stalled a loaded worker for
60-95 ms. Each case runs in a fresh interpreter, since a freeze is for the
rest of a process's life."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from storfa.web.render import TEMPLATES, compile_templates, env

WORKER = textwrap.dedent("""
    import gc, json, sys
    from storfa.web.asgi import create
    from storfa.web.render import env
    app = create()
    from fastapi.testclient import TestClient
    with TestClient(app) as client:
        status = client.get("/search?q=neglect").status_code
    gc.collect()
    print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                      "status": status, "compiled": len(env.cache or {})}))
""")


def _worker(data: Path) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", WORKER], check=True, capture_output=True,
                         text=True, timeout=120, env={"STORFA_DATA": str(data),
                                                      "PATH": "/usr/bin:/bin"})
    result: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_a_started_worker_leaves_little_for_a_full_collection(tmp_path: Path) -> None:
    got = _worker(tmp_path / "data")
    assert got["status"] == 200
    assert got["frozen"] > 50_000, got
    # What a search made since start is a small fraction of what was frozen.
    assert got["tracked"] < got["frozen"] // 5, got
    assert got["compiled"] == len(list(TEMPLATES.rglob("*.html"))), got


def test_compile_templates_compiles_every_page() -> None:
    count = compile_templates()
    assert count == len(list(TEMPLATES.rglob("*.html")))
    assert {t for t in env.list_templates() if t.endswith(".html")} <= {
        key[1] for key in (env.cache or {})}
