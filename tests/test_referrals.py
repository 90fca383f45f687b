"""Referral records on both backends: reference numbers with a check character,
drafts and required checks, who sees a referral (and that anyone else hears
"no such referral"), audited reads and changes, decisions with feedback
limited to what the referrer may know, and expiry."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from referralworld import TODAY, People, a_form, add_people
from storfa.app import Storfa
from storfa.domain.referral_numbers import ALPHABET, BadReference, new_reference, parse_reference
from storfa.domain.referrals import FEEDBACK_LIMIT
from storfa.referrals.service import Caller, FormProblems, NoSuchReferral, NotAllowed


# ------------------------------------------------------------- references
def test_reference_format_and_tolerant_reading() -> None:
    ref = new_reference()
    assert len(ref) == len("RF-XXXXX-XXXXX-C") and ref.startswith("RF-")
    assert parse_reference(ref) == ref
    assert parse_reference(ref.lower().replace("-", " ")) == ref
    assert parse_reference(ref[3:].replace("-", "")) == ref  # prefix optional
    body = ref.replace("-", "")[2:12]
    if "0" in body:  # O typed for 0 is read as 0
        assert parse_reference(ref.replace("0", "O")) == ref


def test_every_single_mistyped_character_and_swap_is_caught() -> None:
    for _ in range(20):
        ref = new_reference()
        compact = ref.replace("-", "")[2:]
        for i in range(len(compact) - 1):
            for wrong in ALPHABET:
                if wrong != compact[i]:
                    typo = compact[:i] + wrong + compact[i + 1:]
                    with pytest.raises(BadReference):
                        parse_reference(typo)
            swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:]
            if swapped != compact and i < len(compact) - 2:
                with pytest.raises(BadReference):
                    parse_reference(swapped)


def test_references_are_random_not_sequential() -> None:
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    firsts = {r[3] for r in refs}
    assert len(firsts) > 25  # spread over the alphabet, not counting up
    assert all(set(r.replace("-", "")[2:12]) <= set(ALPHABET) for r in refs)
    for bad in ("", "RF-12345", "RF-UUUUU-UUUUU-U", string.punctuation):
        with pytest.raises(BadReference):
            parse_reference(bad)


# ------------------------------------------------------------- records
@pytest.fixture
def people(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> People:
    return add_people(storfa, monkeypatch)


def _events(storfa: Storfa, action: str) -> list[dict[str, object]]:
    return [{**e, "detail": json.loads(e["detail"])}
            for e in storfa.store.audit_events(limit=10_000, action=action)
            if e["action"] == action]


def test_draft_then_submit_issues_a_reference(people: People) -> None:
    s, teacher = people.service, people.caller("teacher")
    draft = s.save_draft(teacher, a_form(observed="", categories=(), natures=()))
    assert draft.status == "draft" and draft.reference is None
    with pytest.raises(FormProblems) as problems:
        s.submit(teacher, draft.id, TODAY)
    assert set(problems.value.problems) == {"observed", "categories"}
    assert people.service.sql.get(draft.id).status == "draft"  # nothing half-saved
    s.save_draft(teacher, a_form(), draft.id)
    sent = s.submit(teacher, draft.id, TODAY)
    assert sent.status == "submitted" and sent.received_on == TODAY.isoformat()
    assert parse_reference(sent.reference or "") == sent.reference
    assert _events(people.storfa, "referral.submit")[0]["object_id"] == sent.reference
    with pytest.raises(NotAllowed):  # sent: no longer a draft
        s.save_draft(teacher, a_form(observed="changed"), sent.reference)


def test_an_area_nobody_receives_for_is_refused(people: People) -> None:
    with pytest.raises(FormProblems) as problems:
        people.service.refer(people.caller("teacher"), a_form(local_authority="Powys"), TODAY)
    assert "local_authority" in problems.value.problems
    assert people.service.mine(people.caller("teacher")) == []


def test_who_sees_a_referral(people: People) -> None:
    s = people.service
    sent = s.refer(people.caller("teacher"), a_form(), TODAY)
    ref = sent.reference or ""
    for who in ("teacher", "hub_worker", "hub_manager", "admin"):
        assert s.get(people.caller(who), ref).id == sent.id, who
    for who in ("head", "newport_worker"):
        with pytest.raises(NoSuchReferral) as seen:
            s.get(people.caller(who), ref)
        with pytest.raises(NoSuchReferral) as missing:
            s.get(people.caller(who), new_reference())
        assert str(seen.value) == str(missing.value)  # the same answer
    denied = [e for e in _events(people.storfa, "referral.view")
              if e["detail"]["allowed"] is False]
    assert {e["actor"] for e in denied} == {"user:head", "user:newport_worker"}
    assert s.queue(people.caller("newport_worker"), _filters()) == []
    assert [r.id for r in s.queue(people.caller("hub_worker"), _filters())] == [sent.id]
    assert [r.id for r in s.queue(people.caller("admin"), _filters())] == [sent.id]
    assert _events(people.storfa, "referral.list.queue")[0]["detail"]["shown"] == [ref]


def _filters():  # type: ignore[no-untyped-def]
    from storfa.domain.referrals import QueueFilters

    return QueueFilters()


def test_a_draft_is_the_referrers_alone(people: People) -> None:
    draft = people.service.save_draft(people.caller("teacher"), a_form())
    for who in ("hub_manager", "admin"):
        with pytest.raises(NoSuchReferral):
            people.service.get(people.caller(who), draft.id)


def test_decisions_steps_and_feedback(people: People, data_dir: Path) -> None:
    s = people.service
    sent = s.refer(people.caller("teacher"), a_form(), TODAY)
    ref = sent.reference or ""
    hub = people.caller("hub_worker")
    with pytest.raises(NotAllowed):
        s.record(people.caller("teacher"), ref, "nfa", TODAY.isoformat(), today=TODAY)
    with pytest.raises(NotAllowed):  # administrators see, the receiving team decides
        s.record(people.caller("admin"), ref, "nfa", TODAY.isoformat(), today=TODAY)
    s.record(hub, ref, "strategy_meeting", "2026-03-10", note="The school nurse can help.",
             today=TODAY)
    with pytest.raises(Exception, match="within timescale"):
        s.record(hub, ref, "strategy_held", "2026-03-10", today=TODAY)
    s.record(hub, ref, "strategy_held", "2026-03-10", within_timescale=True, today=TODAY)
    s.record(hub, ref, "s47", "2026-03-10", today=TODAY)
    s.record(hub, ref, "registration", "2026-03-10", today=TODAY)
    staff = s.view(hub, ref)
    assert [e.kind for e in staff.events] == ["strategy_meeting", "strategy_held", "s47",
                                              "registration"]
    assert staff.may_decide and staff.staff
    teacher = s.view(people.caller("teacher"), ref)
    assert [e.kind for e in teacher.events] == ["strategy_meeting", "s47"]
    assert not teacher.may_decide and teacher.related == []
    notices = s.notices(people.caller("teacher"))
    assert len(notices) == 2 and all(FEEDBACK_LIMIT in n.message for n in notices)
    assert "school nurse" in notices[-1].message
    assert all("register" not in n.message.casefold() for n in notices)
    mails = sorted((data_dir / "outbox").glob("*.eml"))
    assert len(mails) == 2
    assert "teacher@school.example" in mails[0].read_text()
    assert s.sql.get(sent.id).status == "decided"
    assert len(_events(people.storfa, "referral.record")) == 4 + 2  # 4 stored, 2 refused


def test_earlier_referrals_about_the_same_child_or_household(people: People) -> None:
    s, teacher = people.service, people.caller("teacher")
    first = s.refer(teacher, a_form(), TODAY)
    sibling = s.refer(teacher, a_form(subject_name="Sibling R", subject_dob="2019-01-01"), TODAY)
    other = s.refer(teacher, a_form(subject_name="Someone Else",
                                    household_address="9 Other Road"), TODAY)
    again = s.refer(teacher, a_form(subject_name="CHILD  q"), TODAY)
    view = s.view(people.caller("hub_manager"), again.reference or "")
    assert {r.id for r in view.related} == {first.id, sibling.id}
    assert other.id not in {r.id for r in view.related}
    assert first.child_key == again.child_key != sibling.child_key


def test_expiry_deletes_and_audits(people: People) -> None:
    s = people.service
    old = s.refer(people.caller("teacher"), a_form(), TODAY)
    with people.storfa.store.db.write() as conn:
        conn.execute("UPDATE referrals SET updated_at = ? WHERE id = ?",
                     ("2015-01-01T00:00:00+00:00", old.id))
    kept = s.refer(people.caller("teacher"), a_form(), TODAY)
    with pytest.raises(NotAllowed):
        s.expire(people.caller("hub_manager"), TODAY)
    deleted = s.expire(Caller("cli:test", operator=True), TODAY)
    assert deleted == [old.reference]
    assert s.sql.get(old.id) is None and s.sql.get(kept.id) is not None
    event = _events(people.storfa, "referral.expire")[0]
    assert event["detail"]["references"] == [old.reference]
    assert people.storfa.store.audit_chain_break() is None


def test_forced_reference_clash_is_drawn_again(people: People,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = people.service.refer(people.caller("teacher"), a_form(), TODAY)
    fresh = new_reference()
    queue = iter([first.reference, first.reference, fresh])
    monkeypatch.setattr("storfa.storage.sql.referrals.new_reference", lambda: next(queue))
    second = people.service.refer(people.caller("teacher"), a_form(), TODAY)
    assert second.reference == fresh


def test_parallel_submitters_get_unique_references(people: People, backend: str,
                                                   data_dir: Path) -> None:
    """Separate processes' worth of connections (one Storfa each) submitting
    at once; on PostgreSQL they really run in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    from storfa.config import Settings

    teacher = people.caller("teacher")
    per_writer, writers = 15, 6

    def submit(_: int) -> list[str]:
        app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
        try:
            service = app.referrals
            return [service.refer(teacher, a_form(), TODAY).reference or ""
                    for _ in range(per_writer)]
        finally:
            app.close()

    with ThreadPoolExecutor(writers) as pool:
        refs = [r for batch in pool.map(submit, range(writers)) for r in batch]
    assert len(refs) == len(set(refs)) == per_writer * writers
    with people.storfa.store.db.read() as conn:
        row = conn.one("SELECT COUNT(DISTINCT reference) AS n FROM referrals")
    assert row is not None and int(row["n"]) == per_writer * writers



def test_twenty_threads_submitting_with_forced_clashes(people: People,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty submitters at once through one service, and every reference
    drawn twice in a row, so half the draws clash with a reference another
    thread has just taken: each clash is drawn again, none is issued twice,
    and each referral is one row and one audit event."""
    import threading

    fresh = iter(new_reference, None)
    lock = threading.Lock()
    pending: list[str] = []

    def twice() -> str:
        with lock:
            if not pending:
                ref = next(fresh)
                pending.append(ref)
                return ref
            return pending.pop()

    monkeypatch.setattr("storfa.storage.sql.referrals.new_reference", twice)
    threads, each = 20, 4
    gate = threading.Barrier(threads)
    made: list[str] = []

    def work(n: int) -> None:
        gate.wait()
        for k in range(each):
            sent = people.service.refer(people.caller("teacher"),
                                        a_form(subject_name=f"Child {n}-{k}"), TODAY)
            with lock:
                made.append(sent.reference or "")

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(made) == len(set(made)) == threads * each
    with people.storfa.store.db.read() as conn:
        row = conn.one("SELECT COUNT(DISTINCT reference) AS n, COUNT(*) AS m FROM referrals")
    assert row is not None and int(row["n"]) == int(row["m"]) == threads * each
    assert len(_events(people.storfa, "referral.submit")) == threads * each
    assert people.storfa.store.audit_chain_break() is None
