"""`storfa codebook ...`, `storfa code import` and `storfa code train` end to
end through the CLI: codebook changes and their history, .qdc out and back
in, a .qdpx import reporting what it matched and skipping duplicates on a
second run, and retraining into the data directory with before/after figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import Cli
from reviewtext import write_reviews
from storfa.coding.evaluation import DEVSET

KEY = "CPR2019-W03"


@pytest.fixture
def ingested(cli: Cli, tmp_path: Path) -> Cli:
    assert cli.run("ingest", "--no-embed", *map(str, write_reviews(tmp_path / "in"))
                   ).exit_code == 0
    return cli


def test_codebook_commands(cli: Cli, tmp_path: Path) -> None:
    names = {b["name"]: b for b in cli.json("codebook", "list")["codebooks"]}
    assert names["best-practice"]["codes"] == 18 and names["best-practice"]["builtin"]
    added = cli.json("codebook", "add-code", "Trauma informed", "--parent", "care and support",
                     "--colour", "#112233", "--term", "trauma*")
    assert added["path"] == ["Care and Support", "Trauma informed"]
    edited = cli.json("codebook", "edit-code", "trauma informed", "--name", "Trauma-informed",
                      "--clear-terms")
    assert edited["name"] == "Trauma-informed" and edited["terms"] == []
    assert cli.json("codebook", "merge", "Escalating concerns", "Risk assessment"
                    )["extracts"] == 0
    assert cli.json("codebook", "retire", "Record keeping")["retired"]
    shown = cli.json("codebook", "show", "best-practice")
    codes = {c["name"]: c for c in shown["codes"]}
    assert codes["Escalating concerns"]["merged_into"] == "Risk assessment"
    assert [h["action"] for h in shown["history"]] == [
        "retire", "merge", "edit-code", "add-code", "create"]
    bad = cli.json("codebook", "retire", "Record keeping", expect_exit=2)
    assert "retired" in bad["error"]
    assert "no codebook 'nope'" in cli.json("codebook", "show", "nope", expect_exit=2)["error"]
    out = tmp_path / "bp.qdc"
    assert cli.json("codebook", "export", "best-practice", "--out", str(out))["codes"] == 19
    imported = cli.json("codebook", "import", str(out), "--name", "BP-Copy")
    assert imported == {"name": "bp-copy", "codes": 19, "retired": 2}
    assert "already" in cli.json("codebook", "import", str(out), "--name", "bp-copy",
                                 expect_exit=2)["error"]
    junk = tmp_path / "junk.qdc"
    junk.write_text("<not-xml")
    assert "well-formed" in cli.json("codebook", "import", str(junk), expect_exit=2)["error"]
    created = cli.json("codebook", "create", "mine", "--title", "Mine")
    assert created["name"] == "mine"


def test_code_import(ingested: Cli, tmp_path: Path) -> None:
    cli = ingested
    cli.json("code", "add", KEY, "100", "160", "Record keeping", "--codebook",
             "best-practice", "--coder", "ann", "--memo", "Why")
    path = tmp_path / "p.qdpx"
    cli.json("export", "extracts", "--format", "qdpx", "--out", str(path))
    again = cli.json("code", "import", str(path))
    assert again["codebook"] == "best-practice"
    assert [s["review_id"] for s in again["sources_matched"]] == [KEY]
    assert (again["extracts_added"], again["duplicates_skipped"], again["memos_added"]) == \
        (0, 1, 0)
    zipped = tmp_path / "not.qdpx"
    zipped.write_bytes(b"plain text")
    assert "zip" in cli.json("code", "import", str(zipped), expect_exit=2)["error"]


def _small_devset(path: Path) -> Path:
    """Every fourth row of the dev set, so training in a test is quick."""
    rows = DEVSET.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(rows[::4]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_code_train(ingested: Cli, tmp_path: Path) -> None:
    if not DEVSET.is_file():
        pytest.skip("the dev set is not in this checkout")
    cli = ingested
    first = cli.json("code", "list")  # nothing coded yet
    assert first["extracts"] == []
    cli.json("code", "add", KEY, "100", "160", "Record keeping", "--codebook",
             "best-practice", "--coder", "ann")
    devset = _small_devset(tmp_path / "dev.jsonl")
    result = cli.json("code", "train", "--devset", str(devset))
    model = cli.data_dir / "models" / "best-practice.model.npz"
    assert result["model"] == str(model) and model.is_file()
    assert result["examples"]["accepted"] == 1 and result["examples"]["rejected"] == 0
    for key in ("f1", "theme_accuracy"):
        assert 0 <= result["before"][key] <= 1 and 0 <= result["after"][key] <= 1
        assert result["change"][key] == pytest.approx(
            result["after"][key] - result["before"][key], abs=1e-3)
    # The retrained model is the one auto-coding uses now: "before" is it.
    second = cli.json("code", "train", "--devset", str(devset))
    assert second["before"] == result["after"]
