"""find_dates skips text without two digits in a row (every date pattern
ends in a year); the skip must never lose a date the full scan finds."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from storfa.ingest.metadata.dates import _scan, find_dates, spellings

WORDS = st.sampled_from(["14th", "March", "the", "of", "2019", "3.4.12", "11/01/21", "Sept.",
                         "Mawrth", "2", "0", "1", "-", "/", ".", "on", "Ionawr", "9", "20"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS | st.text(max_size=6), max_size=12))
def test_the_skip_finds_what_the_full_scan_finds(parts: list[str]) -> None:
    text = " ".join(parts)
    assert find_dates(text) == _scan(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_spelling_reads_as_before(value: dt.date) -> None:
    for text in spellings(value):
        sentence = f"It was {text}."
        assert find_dates(sentence) == _scan(sentence) != [], text
