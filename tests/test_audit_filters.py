"""The audit log's filters run in the database, on both backends."""

from __future__ import annotations

from storfa.app import Storfa


def test_audit_filters_and_chain(storfa: Storfa) -> None:
    store = storfa.store
    store.audit("user:ceri", "review.view", "review", "CPR2019-W07", {"allowed": False})
    store.audit("user:ceri", "review.download", "review", "CPR2019-W07", {"allowed": True})
    store.audit("user:dai", "login.failure", "user", "dai", {"allowed": False})
    assert [e["action"] for e in store.audit_events(actor="CERI")] == [
        "review.download", "review.view"]
    assert [e["action"] for e in store.audit_events(action="review.")] == [
        "review.download", "review.view"]
    assert [e["object_id"] for e in store.audit_events(object_id="w07", denied=True)] == [
        "CPR2019-W07"]
    assert [e["actor"] for e in store.audit_events(denied=True)] == ["user:dai", "user:ceri"]
    assert len(store.audit_events(limit=1)) == 1
    assert store.audit_chain_break() is None
    assert store.integrity_problems() == []
