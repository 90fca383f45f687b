"""`storfa check-disclosure` and the upload warning: a draft with planted
identifiers is ingested, its result carries the disclosure count, and the
command lists each finding with page, passage and suggested replacement."""

from __future__ import annotations

from pathlib import Path

from harness import Cli

DRAFT = """# Child Practice Review CPR2024-W03

North Wales Safeguarding Board — Child Practice Review re: Child K

## Brief outline of circumstances resulting in the review

Child K lived with Mother at 12 Oak Tree Road, Llanelli, SA15 3AB. The health
visitor, Ceri Morgan, visited weekly. Child K's date of birth is 12/04/2015 and
her NHS number 943 476 5919.

## Practice and organisational learning

Jane Evans [the grandmother] phoned 07700 900123 and wrote to jane.evans@example.org.
"""


def test_check_disclosure_lists_findings_with_page_and_passage(cli: Cli,
                                                              tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    ingested = cli.json("ingest", str(draft))["results"][0]
    assert ingested["status"] == "ingested"
    assert ingested["disclosure_findings"] >= 8
    assert any("disclosure check" in w for w in ingested["warnings"])

    doc = cli.json("check-disclosure", "CPR2024-W03")
    assert doc["review_id"] == "CPR2024-W03" and doc["version"] == 1
    types = {f["type"]: f for f in doc["findings"]}
    assert {"address", "postcode", "practitioner_name", "date_of_birth", "nhs_number",
            "person_name", "phone", "email"} <= set(types)
    assert doc["total"] == len(doc["findings"]) == ingested["disclosure_findings"]
    nhs = types["nhs_number"]
    assert nhs["text"] == "943 476 5919" and nhs["replacement"] == "[NHS number]"
    assert nhs["page"] >= 1 and nhs["context"]["before"].endswith("NHS number ")
    assert nhs["id"] == f"CPR2024-W03@v1:nhs_number:{nhs['start']}-{nhs['end']}"
    assert types["practitioner_name"]["replacement"] == "Health Visitor 1"

    shown = cli.run("check-disclosure", "CPR2024-W03")
    assert shown.exit_code == 0, shown.output
    assert "943 476 5919" in shown.output and "[NHS number]" in shown.output
    # Review text holding "[" is printed as text, not read as console markup.
    assert "[the grandmother]" in shown.output

    everything = cli.json("check-disclosure", "CPR2024-W03", "--all")
    assert everything["total"] >= doc["total"] and everything["min_confidence"] == 0.0


def test_unknown_review_is_a_usage_error(cli: Cli) -> None:
    doc = cli.json("check-disclosure", "CPR1999-W99", expect_exit=2)
    assert "CPR1999-W99" in doc["error"]
