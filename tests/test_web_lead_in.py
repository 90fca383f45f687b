"""An answer's question is put before it with one colon, never a second
mark after the question's own ("verified.: References…")."""

from __future__ import annotations

import pytest

from storfa.web.render import lead_in


@pytest.mark.parametrize(("question", "shown"), [
    ("Describe how references are verified.", "Describe how references are verified."),
    ("What works?", "What works?"),
    ("Aware of 7-minute briefings", "Aware of 7-minute briefings:"),
    ("Already led:  ", "Already led:"),
])
def test_lead_in(question: str, shown: str) -> None:
    assert lead_in(question) == shown
