"""The rule for several coders deciding one suggestion, without a database
(storfa.domain.coding.plan_decision; storage applies the plan)."""

from __future__ import annotations

import dataclasses

import pytest

from storfa.domain.coding import (
    ACCEPTED,
    MANUAL,
    MODEL,
    REJECTED,
    SUGGESTED,
    Extract,
    plan_decision,
)
from storfa.domain.errors import StorfaError


def extract(id: int = 1, status: str = SUGGESTED, how: str = MODEL, code: str = "Listening",
            decided_by: str | None = None, origin_id: int | None = None) -> Extract:
    return Extract(id=id, review_row=1, review_id="CPR2019-W03", version_id=1, passage_id=1,
                   start=0, end=10, page=1, text="Practice.", codebook="best-practice",
                   code=code, theme="Communication", coder="auto", how=how, status=status,
                   confidence=0.9, source_detail="model", created_at="2026-01-01",
                   decided_by=decided_by, decided_at=None, superseded=False,
                   origin_id=origin_id)


def test_the_first_decision_on_an_open_suggestion_is_made_in_place() -> None:
    s = extract()
    plan = plan_decision(s, s, None, ACCEPTED)
    assert (plan.action, plan.update, plan.update_code, plan.insert_origin) == \
        ("accept", 1, False, None)


def test_a_second_coder_gets_a_row_of_their_own() -> None:
    s = extract(status=ACCEPTED, decided_by="ana")
    plan = plan_decision(s, s, None, REJECTED)
    assert (plan.action, plan.update, plan.reopen, plan.insert_origin) == \
        ("reject", None, None, 1)
    assert (plan.code, plan.status) == ("Listening", REJECTED)


def test_changing_ones_mind_updates_ones_own_row() -> None:
    base = extract(status=ACCEPTED, decided_by="ana")
    mine = extract(id=7, status=REJECTED, decided_by="ben", origin_id=1)
    plan = plan_decision(mine, base, mine, ACCEPTED)
    assert (plan.update, plan.update_code, plan.insert_origin) == (7, True, None)


def test_recoding_a_suggestion_decided_in_place_reopens_it_and_adds_a_row() -> None:
    s = extract(status=ACCEPTED, decided_by="ana")
    plan = plan_decision(s, s, s, ACCEPTED, code="Multi-agency", theme="Communication")
    assert (plan.action, plan.reopen, plan.insert_origin, plan.code) == \
        ("recode", 1, 1, "Multi-agency")


def test_recoding_to_the_same_code_in_another_case_is_not_a_recode() -> None:
    s = extract()
    plan = plan_decision(s, s, None, ACCEPTED, code="listening", theme="Communication")
    assert (plan.action, plan.update, plan.code) == ("accept", 1, "Listening")


def test_a_manual_extract_is_recoded_where_it_is() -> None:
    own = extract(how=MANUAL, status=ACCEPTED, decided_by="ana")
    plan = plan_decision(own, own, own, ACCEPTED, code="Multi-agency", theme="Communication")
    assert (plan.update, plan.update_code, plan.code) == (1, True, "Multi-agency")


@pytest.mark.parametrize("status, code, theme", [
    ("maybe", None, None), (ACCEPTED, "Multi-agency", None), (ACCEPTED, None, "Communication")])
def test_bad_decisions_are_refused(status: str, code: str | None, theme: str | None) -> None:
    s = extract()
    with pytest.raises(StorfaError):
        plan_decision(s, s, None, status, code, theme)


def test_a_plan_never_both_updates_and_inserts() -> None:
    for status in (SUGGESTED, ACCEPTED):
        for decided in (None, "ana", "ben"):
            s = extract(status=status, decided_by=decided)
            mine = s if decided == "ben" else None
            for code in (None, "Multi-agency"):
                plan = plan_decision(s, s, mine, REJECTED, code,
                                     None if code is None else "Communication")
                assert (plan.update is None) != (plan.insert_origin is None), \
                    dataclasses.asdict(plan)
