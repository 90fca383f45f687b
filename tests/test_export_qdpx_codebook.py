"""`storfa export extracts --format qdpx` without --codebook: a .qdpx holds one
codebook, so it takes the one that has extracts, leaving aside the
cpr-learning suggestions ingest makes for recommendations by itself, and
otherwise names the codebooks that have extracts."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from harness import Cli
from reviewtext import CPR, DHR
from storfa.coding.qdpx import NS

Q = f"{{{NS}}}"
# A recommendation that the cpr-learning term rules code ("professional curiosity").
RECOMMENDATIONS = """
## Recommendations

1. The Board should ensure that health visitors show professional curiosity in every
risk assessment of a family who do not answer the door.
"""


def _ingest_and_autocode(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cpr.md").write_text(CPR + RECOMMENDATIONS, encoding="utf-8")
    (folder / "dhr.md").write_text(DHR, encoding="utf-8")
    assert cli.run("ingest", "--no-embed", str(folder)).exit_code == 0
    assert cli.json("code", "auto", "--codebook", "best-practice",
                    "--threshold", "0.3")["suggestions"]


def _codes(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    return [str(c.get("name")) for c in root.findall(f"{Q}CodeBook/{Q}Codes/{Q}Code")]


def test_qdpx_takes_the_codebook_that_was_coded(cli: Cli, tmp_path: Path) -> None:
    _ingest_and_autocode(cli, tmp_path)
    books = {e["codebook"] for e in cli.json("code", "list")["extracts"]}
    # Ingest coded the recommendations to cpr-learning without being asked.
    assert books == {"best-practice", "cpr-learning"}
    path = tmp_path / "p.qdpx"
    doc = cli.json("export", "extracts", "--format", "qdpx", "--out", str(path))
    assert doc["extracts"] > 0
    assert _codes(path)[0] == "Care and Support"  # best-practice's first theme


def test_qdpx_names_the_codebooks_when_several_were_coded(cli: Cli, tmp_path: Path) -> None:
    _ingest_and_autocode(cli, tmp_path)
    rec = next(e for e in cli.json("code", "list", "--codebook", "cpr-learning")["extracts"])
    cli.json("code", "accept", str(rec["id"]), "--coder", "alice")
    path = tmp_path / "p.qdpx"
    doc = cli.json("export", "extracts", "--format", "qdpx", "--out", str(path), expect_exit=2)
    assert "best-practice (" in doc["error"] and "cpr-learning (" in doc["error"]
    assert "--codebook" in doc["error"] and not path.exists()
    chosen = cli.json("export", "extracts", "--format", "qdpx", "--out", str(path),
                      "--codebook", "cpr-learning")
    assert chosen["extracts"] > 0 and path.is_file()
