"""Real reports nobody here wrote, read from ../shared/corpus (skipped if absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness import Cli


def test_real_reports_ingest_search_and_reject_a_broken_pdf(
        cli: Cli, corpus: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for md in sorted(corpus.glob("*.md")):
        shutil.copy(md, batch / md.name)
    (batch / "broken.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<< /Type /Catalog")
    doc = cli.json("ingest", str(batch), expect_exit=1)
    status = {Path(r["path"]).name: r["status"] for r in doc["results"]}
    assert status.pop("broken.pdf") == "rejected"
    assert set(status.values()) == {"ingested"} and len(status) == 4

    again = cli.json("ingest", str(batch), expect_exit=1)
    assert sorted(r["status"] for r in again["results"]) == ["duplicate"] * 4 + ["rejected"]

    phrase = cli.json("search", '"professional curiosity"', "--limit", "100")
    assert phrase["total"] > 0
    for hit in phrase["hits"]:
        assert "professional curiosity" in " ".join(hit["text"].lower().split())
        assert hit["page"] >= 1

    near = cli.json("search", "escalat* NEAR/5 concerns", "--limit", "100")
    assert near["total"] > 0
    for hit in near["hits"]:
        low = hit["text"].lower()
        assert "escalat" in low and "concern" in low

    plain = cli.json("search", "neglect", "--limit", "1000")["total"]
    without = cli.json("search", 'neglect NOT "domestic abuse"', "--limit", "1000")
    assert 0 < without["total"] < plain
    assert all("domestic abuse" not in " ".join(h["text"].lower().split())
               for h in without["hits"])
    assert cli.json("check")["ok"]
