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


# What each real report says about itself on its title page. None of them is a
# single review: their bodies cite reviews, boards and statistics that are not theirs.
OWN_IDENTITY = {
    "cpr-thematic-analysis-wales-2023.md": ("thematic", "2023-08-01"),
    "jicpa-overview-2019-2024.md": ("thematic", "2024-09-01"),
    "maosa-national-evaluation-2022.md": ("thematic", "2022-11-01"),
    "warwickshire-core-safeguarding-thematic-2022.md": ("thematic", "2022-09-01"),
}
SINGLE_CASE_FACTS = ("identifier", "board", "variant", "age_band", "gender", "index_incident",
                     "referral", "learning_event", "period_start", "period_end")


def test_real_reports_get_no_borrowed_identity(corpus: Path) -> None:
    from storfa.ingest.analyse import analyse
    from storfa.ingest.clean import clean_document
    from storfa.ingest.extractors import extract_document

    for name, (kind, published) in OWN_IDENTITY.items():
        path = corpus / name
        if not path.exists():
            continue  # the corpus may grow or shrink; judge the reports it holds
        values = {m.field: m.value
                  for m in analyse(clean_document(extract_document(path))).metadata}
        assert values.get("type") == kind, (name, values)
        assert values.get("publication") == published, (name, values)
        for field in SINGLE_CASE_FACTS:
            assert field not in values, (name, field, values.get(field))
