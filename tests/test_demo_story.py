"""`storfa demo` builds a store in which the product has been used: best-practice
suggestions decided by the demo coder with some still pending, recommendations
with owners and due dates (some overdue) and history, confirmed case
variables, a saved search; all made through storfa's services and audited,
and a second run leaves them as they are."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest

from harness import Cli
from storfa.analysis.casevars import CaseVariableService
from storfa.analysis.recommendation_register import RecommendationRegister, is_overdue
from storfa.app import Storfa
from storfa.cli.demo_story import CODEBOOK, CODER, EDITOR, actor, tell
from storfa.coding.autocode import CodingService
from storfa.config import Settings

# Two of the reviews are made restricted and draft; the story uses the rest.
REVIEWS = 6


@pytest.fixture
def demo(cli: Cli) -> Iterator[Storfa]:
    result = cli.run("demo", "--no-serve", "--count", str(REVIEWS))
    assert result.exit_code == 0, result.output
    for step in ("Auto-coding", "Recommendations tracked", "Case variables", "Saved searches"):
        assert step in result.stderr
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    yield app
    app.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_demo_has_been_used(demo: Storfa) -> None:
    extracts = CodingService.of(demo).extracts(codebook=CODEBOOK)
    status = Counter(e.status for e in extracts)
    assert status["suggested"] > 0 and status["accepted"] > 0 and status["rejected"] > 0
    # Under the coder's own name as the web knows it, so the coding page counts them.
    assert {e.decided_by for e in extracts if e.status != "suggested"} == {actor(demo, CODER)}

    register = RecommendationRegister.of(demo)
    recs = [r for _, r in register.listing(None, actor(demo, EDITOR))]
    today = dt.date.today()
    overdue = [r for r in recs if is_overdue(r, today)]
    assert overdue and all(r.owner for r in overdue)
    assert {r.status for r in recs} >= {"open", "in_progress", "implemented"}
    implemented = next(r for r in recs if r.status == "implemented")
    assert len(register.history(implemented.id)) >= 3

    service = CaseVariableService.of(demo)
    cases = service.cases(service.with_rows(demo.store.list_reviews()))
    assert sum(c.coded for c in cases) >= 3
    assert any(state.suggestions for c in cases for state in c.states.values())

    coder = demo.accounts.accounts.user_by_name(CODER)
    assert coder is not None and demo.accounts.accounts.saved_searches(coder.id)
    # The indicators page has referral records to count, in every local authority.
    from storfa.referrals.service import Caller, ReferralService

    referrals = ReferralService.of(demo)
    last = str(dt.date.today().year - 1)
    table = referrals.indicators(Caller("test", operator=True), last).as_json()
    counts = [a["indicators"][0]["number"] for a in table["areas"]]
    assert len(counts) == len(referrals.areas()) and all(n and n >= 5 for n in counts)
    for action in ("code.accept", "code.reject", "recommendations.set", "casevars.confirm"):
        assert demo.store.audit_events(limit=1, action=action), action

    # A second run keeps what the demo users did.
    assert {c.summary for c in tell(demo)} == {"done before"}
    assert Counter(e.status for e in CodingService.of(demo).extracts(codebook=CODEBOOK)) == status
