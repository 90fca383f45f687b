"""A hit's JSON (the search API's and the CLI's) names every field of the
hit, so a field added to SearchHit cannot be left out of the API silently."""

from __future__ import annotations

from dataclasses import asdict, fields

from storfa.search.service import SearchHit


def test_every_field_is_in_the_json_as_asdict_gives_it() -> None:
    hit = SearchHit(review_id="CPR2019-W03", page=2, section="Learning", text="neglect was",
                    snippet="<mark>neglect</mark> was", score=1.5, passage_id=7, title="T",
                    type="CPR", board="Gwent", year=2019, start=40, highlights=[(0, 7)],
                    kwic=[("", "neglect", " was")], practice_code="Record keeping")
    data = hit.as_json()
    assert set(data) == {f.name for f in fields(SearchHit)}
    expected = asdict(hit)
    expected["highlights"] = [[0, 7]]
    expected["kwic"] = [{"left": "", "keyword": "neglect", "right": " was"}]
    assert data == expected
