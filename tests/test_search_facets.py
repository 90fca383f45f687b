"""Facet counting (search/facets.py) against the plain per-review count it
replaced: reviews and passages per type, board, year and language, the
excluded and the not-yet-catalogued rows left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from hypothesis import given, settings
from hypothesis import strategies as st

from storfa.domain.reviews import ReviewSummary
from storfa.search.facets import FACETS, FacetTable, count_facets, facet_list, facet_of
from storfa.search.query import ParsedQuery, parse_query


class Counts:
    """An engine that has matched the given passages per review row."""

    def __init__(self, per_review: dict[int, int]) -> None:
        self.per_review = per_review

    def count_by_review(self, parsed: ParsedQuery, exclude: Collection[int] = ()
                        ) -> dict[int, int]:
        return dict(self.per_review)


class Catalogue:
    def __init__(self, by_row: dict[int, ReviewSummary]) -> None:
        self.table = FacetTable.build(by_row)

    def facet_table(self) -> FacetTable:
        return self.table


def expected(by_row: dict[int, ReviewSummary], per_review: dict[int, int],
             exclude: set[int]) -> dict[str, list[object]]:
    reviews = {name: Counter[str]() for name in FACETS}
    passages = {name: Counter[str]() for name in FACETS}
    for row, n in per_review.items():
        if row in by_row and row not in exclude:
            for name in FACETS:
                reviews[name][facet_of(by_row[row], name)] += 1
                passages[name][facet_of(by_row[row], name)] += n
    return {name: list(facet_list(name, reviews[name], passages[name])) for name in FACETS}


summaries = st.builds(
    ReviewSummary, review_id=st.text(min_size=1, max_size=5),
    type=st.sampled_from([None, "", "CPR", "APR", "DHR"]), title=st.none(),
    board=st.sampled_from([None, "Cwm Taf Morgannwg", "West Glamorgan", "Gwent"]),
    year=st.one_of(st.none(), st.integers(2010, 2026)), language=st.sampled_from(["en", "cy"]),
    pages=st.just(1))


@settings(max_examples=150, deadline=None)
@given(by_row=st.dictionaries(st.integers(0, 60), summaries, max_size=25),
       per_review=st.dictionaries(st.integers(0, 80), st.integers(1, 500), max_size=30),
       exclude=st.sets(st.integers(0, 80), max_size=10))
def test_counts_equal_a_per_review_count(by_row: dict[int, ReviewSummary],
                                          per_review: dict[int, int],
                                          exclude: set[int]) -> None:
    found = count_facets(Counts(per_review), Catalogue(by_row),  # type: ignore[arg-type]
                         parse_query("neglect"), exclude)
    assert {name: list(values) for name, values in found.items()} == expected(
        by_row, per_review, exclude)


def test_an_empty_search_has_empty_facets() -> None:
    by_row = {3: ReviewSummary("CPR2020-W01", "CPR", None, "Gwent", 2020, "en", 4)}
    found = count_facets(Counts({}), Catalogue(by_row),  # type: ignore[arg-type]
                         parse_query("neglect"))
    assert found == {name: [] for name in FACETS}
