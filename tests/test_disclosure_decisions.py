"""Deciding disclosure findings (issue 19 item 2) on both backends: decisions
kept with the version and audited in the same transaction, the review's own
list of words, the publication gate and its audited override, and
`storfa check-disclosure --accept/--reject/--replace/--add-term`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import Cli
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.disclosure.decisions import CommandLine, DisclosureDecisions, UnknownFinding
from storfa.disclosure.publication import PublicationBlocked, change_access, gated
from storfa.domain.accounts import AccessLevel, Role, User
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import ReviewRecord

DRAFT = """# Child Practice Review CPR2024-W03

North Wales Safeguarding Board — Child Practice Review re: Child K

## Brief outline of circumstances resulting in the review

Child K lived with Mother at 12 Oak Tree Road, Llanelli, SA15 3AB. Her NHS
number is 943 476 5919.

## Practice and organisational learning

Nobody asked about Kowalczyk. The family said Kowalczyk had left.
"""
EDITOR = CommandLine("cli:tester")


def _ingest(storfa: Storfa, tmp_path: Path, text: str = DRAFT) -> ReviewRecord:
    path = tmp_path / "draft.md"
    path.write_text(text, encoding="utf-8")
    (result,) = storfa.ingest.ingest([path])
    assert result.status == "ingested", result
    record = storfa.store.get_review("CPR2024-W03")
    assert record is not None
    return record


def _audit(storfa: Storfa, action: str) -> list[dict[str, object]]:
    return [{**e, "detail": json.loads(str(e["detail"]))}
            for e in storfa.store.audit_events(limit=1000, action=action)]


def test_decisions_round_trip_with_audit(storfa: Storfa, tmp_path: Path) -> None:
    record = _ingest(storfa, tmp_path)
    service = DisclosureDecisions(storfa)
    report = service.report(record)
    by_type = {f.type: f for f in report.report.findings}
    nhs, postcode, address = by_type["nhs_number"], by_type["postcode"], by_type["address"]
    assert len(report.undecided()) == len(report.report.findings) >= 3

    service.decide(record, nhs.id, "accepted", None, EDITOR)
    service.decide(record, postcode.id, "rejected", None, EDITOR)
    service.decide(record, address.id, "edited", "  [the family  home] ", EDITOR)
    # Deciding again replaces the decision; the audit log keeps both.
    service.decide(record, postcode.id, "accepted", None, EDITOR)

    stored = {d.finding_id: d for d in storfa.store.disclosure_decisions(record.version_id)}
    assert {k: v.decision for k, v in stored.items()} == {
        nhs.id: "accepted", postcode.id: "accepted", address.id: "edited"}
    assert stored[address.id].replacement == "[the family home]"
    assert stored[nhs.id].actor == "cli:tester" and stored[nhs.id].at

    again = service.report(record)
    assert len(again.undecided()) == len(report.report.findings) - 3
    doc = again.as_json()
    entry = {f["id"]: f for f in doc["findings"]}
    assert entry[address.id]["decision"]["replacement"] == "[the family home]"
    assert entry[nhs.id]["decision"]["by"] == "cli:tester"
    assert doc["undecided"] == len(again.undecided())

    events = _audit(storfa, "disclosure.decide")
    assert len(events) == 4
    assert {e["detail"]["finding"] for e in events} == {nhs.id, postcode.id, address.id}
    assert all(e["object_id"] == "CPR2024-W03" and e["actor"] == "cli:tester" for e in events)
    # The audit names the finding, never the identifying words themselves.
    assert not any("943 476 5919" in json.dumps(e) for e in events)
    assert storfa.store.audit_chain_break() is None


def test_bad_decisions_are_refused(storfa: Storfa, tmp_path: Path) -> None:
    record = _ingest(storfa, tmp_path)
    service = DisclosureDecisions(storfa)
    finding = service.report(record).report.findings[0]
    with pytest.raises(UnknownFinding):
        service.decide(record, "CPR2024-W03@v1:nhs_number:1-2", "accepted", None, EDITOR)
    with pytest.raises(StorfaError, match="one of"):
        service.decide(record, finding.id, "maybe", None, EDITOR)
    with pytest.raises(StorfaError, match="needs the text"):
        service.decide(record, finding.id, "edited", "   ", EDITOR)
    assert storfa.store.disclosure_decisions(record.version_id) == []
    assert _audit(storfa, "disclosure.decide") == []


def test_terms_are_caught_everywhere_and_count_as_accepted(storfa: Storfa,
                                                           tmp_path: Path) -> None:
    record = _ingest(storfa, tmp_path)
    service = DisclosureDecisions(storfa)
    before = service.report(record)
    assert not any(f.text == "Kowalczyk" for f in before.report.findings)

    assert service.set_term(record, "kowalczyk", EDITOR) is True
    assert service.set_term(record, "KOWALCZYK", EDITOR) is False  # one entry, any case
    after = service.report(record)
    listed = [f for f in after.report.findings if f.text == "Kowalczyk"]
    assert len(listed) == 2 and all(f.type == "person_name" for f in listed)
    assert all(after.decision(f) is not None for f in listed)
    assert {f.id for f in after.undecided()} == {f.id for f in before.undecided()}
    assert [t.term for t in after.terms] == ["kowalczyk"]
    assert [t.term for t in storfa.store.disclosure_terms(record.id)] == ["kowalczyk"]
    # A listed term's finding may still be rejected one by one.
    service.decide(record, listed[0].id, "rejected", None, EDITOR)
    assert service.report(record).decision(listed[0]).decision == "rejected"  # type: ignore[union-attr]

    assert service.set_term(record, "Kowalczyk", EDITOR, present=False) is True
    assert service.report(record).terms == []
    events = _audit(storfa, "disclosure.term.")
    assert sorted(e["action"] for e in events) == ["disclosure.term.add",
                                                   "disclosure.term.remove"]
    # The word stays out of the append-only log.
    assert not any("owalczyk" in json.dumps(e).lower() for e in events)
    with pytest.raises(StorfaError):
        service.set_term(record, "K", EDITOR)


def _person(role: str) -> Actor:
    return Actor(User(1, role, role, Role(role), None), "127.0.0.1")


def test_publication_gate_refuses_then_lets_an_administrator_override(
        storfa: Storfa, tmp_path: Path) -> None:
    record = _ingest(storfa, tmp_path)
    admin, editor = _person("administrator"), _person("editor")
    org = storfa.accounts.add_organisation("Home Board", None, admin)
    change_access(storfa, record, "draft", [org.id], editor)  # closing up is never gated

    with pytest.raises(PublicationBlocked, match="undecided") as refused:
        change_access(storfa, record, "public", [], editor)
    assert refused.value.undecided >= 3
    # An editor cannot override; an administrator must ask for it explicitly.
    with pytest.raises(PublicationBlocked):
        change_access(storfa, record, "registered", [], editor, override=True)
    with pytest.raises(PublicationBlocked):
        change_access(storfa, record, "public", [], admin)
    assert storfa.accounts.accounts.review_access(record.id).level is AccessLevel.DRAFT
    denials = [e for e in _audit(storfa, "review.access") if e["detail"]["allowed"] is False]
    assert len(denials) == 3
    assert denials[0]["detail"]["reason"] == "disclosure findings undecided"

    assert change_access(storfa, record, "public", [], admin, override=True) >= 3
    assert storfa.accounts.accounts.review_access(record.id).level is AccessLevel.PUBLIC
    (override,) = _audit(storfa, "disclosure.override")
    assert override["actor"] == "user:administrator"
    assert override["detail"]["undecided"] >= 3 and override["detail"]["level"] == "public"


def test_gate_opens_once_every_finding_is_decided(storfa: Storfa, tmp_path: Path) -> None:
    record = _ingest(storfa, tmp_path)
    editor = _person("editor")
    org = storfa.accounts.add_organisation("Home Board", None, editor)
    change_access(storfa, record, "restricted", [org.id], editor)
    service = DisclosureDecisions(storfa)
    undecided = service.report(record).undecided()
    for f in undecided[:-1]:
        service.decide(record, f.id, "accepted", None, editor)
    with pytest.raises(PublicationBlocked) as refused:
        change_access(storfa, record, "registered", [], editor)
    assert refused.value.undecided == 1
    service.decide(record, undecided[-1].id, "rejected", None, editor)
    assert change_access(storfa, record, "registered", [], editor) == 0
    assert storfa.accounts.accounts.review_access(record.id).level is AccessLevel.REGISTERED


def test_only_opening_up_is_gated() -> None:
    levels = list(AccessLevel)
    opened = {(a.value, b.value) for a in levels for b in levels if gated(a, b)}
    assert opened == {("draft", "registered"), ("draft", "public"),
                      ("restricted", "registered"), ("restricted", "public"),
                      ("registered", "public")}


def test_cli_decides_findings_and_adds_terms(cli: Cli, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    assert cli.json("ingest", str(draft))["results"][0]["status"] == "ingested"
    doc = cli.json("check-disclosure", "CPR2024-W03")
    ids = {f["type"]: f["id"] for f in doc["findings"]}
    assert doc["undecided"] == doc["total"] and doc["terms"] == []

    done = cli.json("check-disclosure", "CPR2024-W03", "--accept", ids["nhs_number"],
                    "--reject", ids["postcode"], "--replace", ids["address"], "[home]",
                    "--add-term", "Kowalczyk")
    assert {c.get("decision") or c.get("change") for c in done["changed"]} == {
        "accepted", "rejected", "edited", "added"}
    decided = {f["id"]: f["decision"] for f in done["findings"]}
    assert decided[ids["nhs_number"]]["decision"] == "accepted"
    assert decided[ids["address"]]["replacement"] == "[home]"
    assert decided[ids["address"]]["by"].startswith("cli:")
    assert [t["term"] for t in done["terms"]] == ["Kowalczyk"]
    assert done["undecided"] == doc["undecided"] - 3

    shown = cli.run("check-disclosure", "CPR2024-W03")
    assert shown.exit_code == 0, shown.output
    assert "rejected" in shown.output and "→ [home]" in shown.output
    assert "own list: Kowalczyk" in shown.output

    wrong = cli.json("check-disclosure", "CPR2024-W03", "--accept", "CPR2024-W03@v1:x:1-2",
                     expect_exit=2)
    assert "No finding" in wrong["error"]
