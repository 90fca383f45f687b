"""A recommendation's due date read from the report: a date its text sets the
work "by", or a dated timescale cell; never a relative time. On both
backends, a date set by hand outlives extracting again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storfa.app import Storfa
from storfa.domain.reviews import Passage
from storfa.ingest.metadata.dates import spellings
from storfa.recommendations.due import due_date
from storfa.recommendations.extract import extract


@pytest.mark.parametrize("text,due", [
    ("The Board should receive a report on progress by March 2025.", "2025-03-31"),
    ("... and report the reply to the safeguarding partners by December 2025.", "2025-12-31"),
    ("Police should audit the use of the checks no later than 30 June 2026.", "2026-06-30"),
    ("The Board should publish the guidance by the end of 2025.", "2025-12-31"),
    ("The Board should publish the guidance by the end of March 2026.", "2026-03-31"),
    ("Dylai'r Bwrdd adrodd ar y cynnydd erbyn 31 Mawrth 2026.", "2026-03-31"),
    ("The council should revise the policy before April 2026.", "2026-03-31"),
    # Of several steps, the last is when the whole is done.
    ("The trust should audit by 31/03/2026 and report to the Board by June 2026.",
     "2026-06-30"),
    # A relative time runs from a date the text does not give; a date that
    # is not when the work is due is no due date.
    ("The trust should audit the prompt within twelve months.", None),
    ("Following the review of March 2023, agencies should share the learning.", None),
    ("Since 1 April 2024 the Board has required a report by each agency.", None),
    ("The Board should report annually.", None),
])
def test_due_dates_from_the_text(text: str, due: str | None) -> None:
    assert due_date(text) == due


@pytest.mark.parametrize("cell,due", [
    ("31 December 2025", "2025-12-31"), ("March 2026", "2026-03-31"),
    ("6 months", None), ("Ongoing", None), ("Q1", None), ("", None)])
def test_a_timescale_cell_dated_is_the_due_date(cell: str, due: str | None) -> None:
    assert due_date("The Board should publish guidance.", cell) == due


def test_a_dated_cell_wins_over_the_text() -> None:
    assert due_date("... by March 2026.", "31 December 2025") == "2025-12-31"


@given(st.dates(dt.date(1995, 1, 1), dt.date(2060, 12, 31)), st.integers(0, 12))
def test_any_spelling_of_a_day_after_by_is_that_day(day: dt.date, which: int) -> None:
    spelled = spellings(day)[which]
    assert due_date(f"The Board should report by {spelled}.") == day.isoformat()
    assert due_date(f"The Board should report {spelled}.") is None


@given(st.text(max_size=300))
def test_any_text_gives_a_date_or_none_and_never_raises(text: str) -> None:
    due = due_date(text, text[:40])
    assert due is None or dt.date.fromisoformat(due)


def _passages(rows: list[tuple[str, str]]) -> list[Passage]:
    return [Passage(i, 1, "Recommendations", kind, text, i * 100, i * 100 + len(text), id=i + 1)
            for i, (kind, text) in enumerate(rows)]


def test_extraction_reads_due_dates_from_cells_and_text() -> None:
    found = extract(_passages([
        ("heading", "Recommendations"),
        ("table_row", "No. | Recommendation | Agency | Timescale"),
        ("table_row", "1 | The Board should develop guidance. | CVRSB | 6 months"),
        ("table_row", "2 | The health board should audit the policy. | CAVUHB | 31 December 2025"),
        ("table_row", "3 | Police should report to the Board by March 2026. | SWP | 12 months"),
    ]))
    assert [(f.number, f.due_date) for f in found] == [
        ("1", None), ("2", "2025-12-31"), ("3", "2026-03-31")]
    assert "2025" not in found[1].text  # the timescale stays out of the text
    assert found[2].as_json()["due_date"] == "2026-03-31"


REVIEW = """# Child Practice Review CPR2024-W03

Cwm Taf Morgannwg Safeguarding Board

## Recommendations

1. The Board should share the learning from this review within six months.
2. The health board should report on the audit to the Board by March 2026.
"""


def test_stored_at_ingest_and_a_date_set_by_hand_outlives_extracting_again(
        storfa: Storfa, tmp_path: Path) -> None:
    source = tmp_path / "cpr.md"
    source.write_text(REVIEW, encoding="utf-8")
    assert [r.status for r in storfa.ingest.ingest([source])] == ["ingested"]
    register = storfa.register()
    register.extract(None, "test")
    first, second = [r for _, r in register.listing("CPR2024-W03")]
    assert (first.due_date, second.due_date) == (None, "2026-03-31")
    register.set(second.id, "ed", due_date="2026-06-30", note="agreed with the health board")
    register.set(first.id, "ed", due_date="2025-09-30")
    register.extract("CPR2024-W03", "test")
    again = {r.number: r.due_date for _, r in register.listing("CPR2024-W03")}
    assert again == {"1": "2025-09-30", "2": "2026-06-30"}


def test_an_action_plans_target_dates_date_the_recommendations_it_restates() -> None:
    found = extract([Passage(i, 1, section, kind, text, i * 100, i * 100 + len(text), id=i + 1)
                     for i, (section, kind, text) in enumerate([
        ("Recommendations", "heading", "Recommendations"),
        ("Recommendations", "list_item", "1. The Board should revise the hoarding protocol."),
        ("Recommendations", "list_item", "2. The council should audit allocation within six "
                                         "months."),
        ("Recommendations", "list_item", "3. Police should report to the Board by March 2026."),
        ("Appendix: the SAB's response", "heading", "Appendix: the SAB's response"),
        ("Appendix: the SAB's response", "table_row",
         "Recommendation | SAB response | Lead | Target date | Completion date and outcome"),
        ("Appendix: the SAB's response", "table_row",
         "1. Revise the protocol | Accepted | SAB | 30 June 2026 | Completed May 2026"),
        ("Appendix: the SAB's response", "table_row",
         "2. Audit of allocation | Accepted | Council | Q3 2026/27 | Ongoing"),
        ("Appendix: the SAB's response", "table_row",
         "3. Police report | Accepted | Police | 31 December 2026 |"),
    ])])
    # No second record; 1 from its row (not the completion column), 2 none (no
    # calendar date), 3 its own text's date before the plan's.
    assert [(f.number, f.due_date) for f in found] == [
        ("1", "2026-06-30"), ("2", None), ("3", "2026-03-31")]
