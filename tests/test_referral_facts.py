"""Each referral's derived facts (migration 0026: the repeat flag, the first
decision, the event flags) on both backends: kept by every write that can
change them, in its own transaction (a submission, a decision or step, an
import, an expiry), including a later referral's repeat flag when an
earlier one arrives afterwards; and equal, row by row, to the record-level
definitions in referrals/indicators.py and domain/referrals.py, and to what
the migration's back-fill derives from the same records."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from referralworld import HUB, People, a_form, add_people, store_before
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.referrals import Referral
from storfa.referrals.indicators import repeat_ids
from storfa.referrals.sample import write_sample
from storfa.referrals.service import Caller
from storfa.storage.migrations.runner import load_migrations
from storfa.storage.sql.referrals import DERIVED, FLAGS

OPERATOR = Caller("cli:test", operator=True)
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def people(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> People:
    return add_people(storfa, monkeypatch)


def facts(people: People, *ids: int) -> dict[int, dict[str, Any]]:
    """The derived columns as stored, by referral id (every referral if no ids)."""
    where = f"WHERE id IN ({','.join('?' * len(ids))})" if ids else ""
    with people.storfa.store.db.read() as conn:
        rows = list(conn.execute(f"SELECT id, {', '.join(DERIVED)} FROM referrals {where}",
                                 ids))
    return {int(r["id"]): {c: r[c] for c in DERIVED} for r in rows}


def fact(people: People, rid: int) -> dict[str, Any]:
    return facts(people, rid)[rid]


def expected(r: Referral, repeats: set[int]) -> dict[str, Any]:
    """The facts as the record-level definitions have them."""
    decision = r.decision
    found: dict[str, Any] = {"is_repeat": int(r.id in repeats),
                             "first_decision": decision.kind if decision else None,
                             "first_decision_on": decision.on_date if decision else None}
    for column, kind, within in FLAGS:
        found[column] = int(any(e.kind == kind and (not within or e.within_timescale is True)
                                for e in r.events))
    return found


def import_rows(people: People, *rows: str) -> dict[str, int]:
    """Import `rows` ("child,received date"); returns every imported
    referral's id by its child and date ("x1 2025-06-01")."""
    lines = [f"{c}:{d},Powys,{d},{c},police,neglect" for c, d in (r.split(",") for r in rows)]
    text = "external_id,local_authority,received_date,child_id,source,categories\n"
    people.service.import_file(OPERATOR, (text + "\n".join(lines)).encode(), "rows.csv",
                               organisation=HUB, today=TODAY)
    return {(r.external_id or "").replace(":", " "): r.id
            for r in people.service.sql.for_indicators("2000-01-01", "2099-12-31")
            if r.origin == "import"}


def repeat(people: People, ids: dict[str, int], *which: str) -> list[int]:
    return [fact(people, ids[w])["is_repeat"] for w in which]


def test_a_decision_and_steps_update_the_referrals_facts(people: People) -> None:
    s, hub = people.service, people.caller("hub_manager")
    made = s.refer(people.caller("teacher"), a_form(), dt.date(2025, 6, 2))
    assert fact(people, made.id) == {c: None if c.startswith("first_") else 0 for c in DERIVED}
    ref = made.reference or ""
    s.record(hub, ref, "s47", "2025-06-05", today=TODAY)
    assert fact(people, made.id)["first_decision"] == "s47"
    assert fact(people, made.id)["has_s47"] == 1
    # A decision dated earlier but recorded later is the first decision.
    s.record(hub, ref, "nfa", "2025-06-03", today=TODAY)
    got = fact(people, made.id)
    assert (got["first_decision"], got["first_decision_on"]) == ("nfa", "2025-06-03")
    s.record(hub, ref, "strategy_held", "2025-06-06", True, today=TODAY)
    s.record(hub, ref, "s47_completed", "2025-06-20", False, today=TODAY)
    s.record(hub, ref, "icpc", "2025-06-25", today=TODAY)
    got = fact(people, made.id)
    assert {c: got[c] for c, _, _ in FLAGS} == {
        "has_strategy_held": 1, "has_strategy_within": 1, "has_s47": 1,
        "has_s47_completed": 1, "has_s47_within": 0, "has_icpc": 1, "has_registration": 0,
        "has_care_support_plan": 0, "has_looked_after": 0, "has_step_down": 0}


def test_a_new_referral_makes_a_later_one_a_repeat(people: People) -> None:
    s, teacher = people.service, people.caller("teacher")
    first = s.refer(teacher, a_form(), dt.date(2025, 6, 2))
    same_day = s.refer(teacher, a_form(), dt.date(2025, 6, 2))
    other = s.refer(teacher, a_form(subject_name="Another Child"), dt.date(2025, 6, 9))
    later = s.refer(teacher, a_form(), dt.date(2025, 6, 9))
    got = facts(people, first.id, same_day.id, other.id, later.id)
    assert [got[r.id]["is_repeat"] for r in (first, same_day, other, later)] == [0, 0, 0, 1]
    # A draft is not a referral yet: it makes nothing a repeat until it is sent.
    draft = s.save_draft(teacher, a_form())
    assert fact(people, draft.id)["is_repeat"] == 0
    sent = s.submit(teacher, draft.reference or draft.id, dt.date(2025, 7, 1))
    assert fact(people, sent.id)["is_repeat"] == 1


def test_an_earlier_referral_imported_afterwards_changes_later_repeat_flags(
        people: People) -> None:
    ids = import_rows(people, "x1,2025-06-01")
    assert repeat(people, ids, "x1 2025-06-01") == [0]
    # Out of order: a referral received in March arrives in a later file.
    ids = import_rows(people, "x1,2025-03-01")
    assert repeat(people, ids, "x1 2025-06-01", "x1 2025-03-01") == [1, 0]
    # In one file, in any order: the rule looks back from each referral. The
    # window is from the same day a year before, inclusive.
    ids = import_rows(people, "x2,2025-03-01", "x2,2024-03-01", "x2,2023-02-28")
    assert repeat(people, ids, "x2 2025-03-01", "x2 2024-03-01", "x2 2023-02-28") == [1, 0, 0]


def test_an_expiry_takes_back_the_repeat_flag_it_gave(people: People) -> None:
    import_rows(people, "x3,2025-03-01")
    ids = import_rows(people, "x3,2025-06-01")
    assert repeat(people, ids, "x3 2025-06-01") == [1]
    with people.storfa.store.db.write() as conn:
        conn.execute("UPDATE referrals SET updated_at = ? WHERE id = ?",
                     ("2015-01-01T00:00:00+00:00", ids["x3 2025-03-01"]))
    people.service.retention_days = 365
    assert len(people.service.expire(OPERATOR, TODAY)) == 1
    assert repeat(people, ids, "x3 2025-06-01") == [0]


def test_stored_facts_equal_the_definitions_and_the_migrations_back_fill(
        people: People) -> None:
    """A generated sample and form referrals with decisions: every row's facts
    as every write kept them = the record-level definitions = what migration
    0026's back-fill derives afresh from the same rows."""
    s, hub, teacher = people.service, people.caller("hub_manager"), people.caller("teacher")
    out = io.StringIO()
    write_sample(out, ["Cardiff", "Newport", "Powys"], [2024, 2025], 60, seed=11)
    s.import_file(OPERATOR, out.getvalue().encode(), "sample.csv", organisation=HUB,
                  today=TODAY)
    for day in ("2025-02-28", "2024-02-29", "2025-06-02"):
        made = s.refer(teacher, a_form(), dt.date.fromisoformat(day))
        s.record(hub, made.reference or "", "early_help", day, today=TODAY)
        s.record(hub, made.reference or "", "step_down", day, today=TODAY)
    s.save_draft(teacher, a_form(subject_name="Draft Child"))

    kept = facts(people)
    records = s.sql.for_indicators("2000-01-01", "2099-12-31")
    repeats = repeat_ids(records)
    assert len(records) > 300 and 20 < len(repeats) < len(records)
    for r in records:
        assert kept[r.id] == expected(r, repeats), r.id

    back_fill = batched_step(people.storfa.store.db.dialect, 26)
    with people.storfa.store.db.write() as conn:
        conn.execute("UPDATE referrals SET first_decision = NULL, first_decision_on = NULL, "
                     + ", ".join(f"{c} = 0" for c in DERIVED if not c.startswith("first_")))
        conn.execute(back_fill, (0, 1 << 40))
    assert facts(people) == kept


def batched_step(dialect: str, version: int) -> str:
    """A migration's one back-fill statement, run in ranges of ids by the runner."""
    migration = next(m for m in load_migrations(dialect) if m.version == version)
    back_fill = [s.statements[0] for s in migration.steps() if s.table == "referrals"]
    assert len(back_fill) == 1
    return back_fill[0]


def test_the_migration_derives_the_facts_of_referrals_stored_before_it(
        data_dir: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database at migration 0025 with imported referrals (written as the
    import wrote them then: no facts), opened by this version: 0026 adds the
    columns and back-fills every row as the definitions have it."""
    store_before(data_dir, monkeypatch, 26)
    new = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    try:
        assert new.store.db.dialect == backend
        people = People(new, new.referrals, {})
        records = new.referrals.sql.for_indicators("2000-01-01", "2099-12-31")
        repeats = repeat_ids(records)
        assert len(records) == 320 and len(repeats) > 20
        kept = facts(people)
        for r in records:
            assert kept[r.id] == expected(r, repeats), r.id
    finally:
        new.close()
