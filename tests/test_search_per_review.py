"""A cap on passages per review: one review cannot fill a page of results.

Review A matches in 20 passages, B in 3, C in 1, and A's passages rank
first (shorter passages score higher). With a cap of 2 the ranking keeps A's
best two, B's best two and C's one, in rank order; `total` counts those five
so pages add up, `matched` every match, and the last kept hit of A and of B
says how many more that review has."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from harness import ALL_ENGINES, Cli
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.search import service
from storfa.search.service import SearchHit, capped_total, keep_per_review
from storfa.web.app import create_app

# Passage lengths in words: A's are the shortest, so A ranks first.
REVIEWS: dict[str, Iterable[int]] = {
    "CPR2019-W01": range(5, 25), "CPR2019-W02": range(25, 28), "CPR2019-W03": [28]}
FILLER = ["the", "review", "panel", "noted", "this", "during", "the", "chronology", "work"]


def review_text(key: str, lengths: Iterable[int]) -> str:
    paragraphs = []
    for n, words in enumerate(lengths):
        filler = " ".join(FILLER[i % len(FILLER)] for i in range(words - 2))
        paragraphs.append(f"Neglect {filler} {n}.")
    return (f"# Child Practice Review {key}\n\nGwent Safeguarding Children Board — Child "
            f"Practice Review re: Child M\n\n## Practice and organisational learning\n\n"
            + "\n\n".join(paragraphs) + "\n")


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for key, lengths in REVIEWS.items():
        path = folder / f"{key.lower()}.md"
        path.write_text(review_text(key, lengths), encoding="utf-8")
        paths.append(path)
    return paths


def ingest(storfa: Storfa, folder: Path) -> None:
    assert {r.status for r in storfa.ingest.ingest(write_corpus(folder))} == {"ingested"}


def order(hits: Iterable[SearchHit]) -> list[tuple[str, int]]:
    return [(h.review_id, h.passage_id) for h in hits]


# ------------------------------------------------------------------ service
@pytest.fixture
def loaded(storfa: Storfa, tmp_path: Path) -> Storfa:
    ingest(storfa, tmp_path / "in")
    return storfa


@ALL_ENGINES
def test_a_query_about_one_review_is_not_capped(loaded: Storfa) -> None:
    """`review:` in the query asks for that review's passages: all 20 of A's."""
    one = loaded.search.search("neglect review:CPR2019-W01", limit=100, per_review=2)
    assert one.total == len(one.hits) == 20 and one.per_review is None
    assert {h.review_id for h in one.hits} == {"CPR2019-W01"}


@ALL_ENGINES
def test_the_cap_keeps_each_reviews_best_passages_in_rank_order(loaded: Storfa) -> None:
    every = loaded.search.search("neglect", limit=100)
    assert every.total == 24 and every.per_review is None and every.matched is None
    capped = loaded.search.search("neglect", limit=20, per_review=2)
    ranked = [(h.passage_id, h.score, h.review_id) for h in every.hits]
    by_key = {pid: key for pid, _, key in ranked}
    keys = {key: n for n, key in enumerate(REVIEWS)}
    expected = [pid for pid, _, _ in keep_per_review(
        [(pid, score, keys[key]) for pid, score, key in ranked], 2)]
    assert [h.passage_id for h in capped.hits] == expected
    assert [by_key[pid] for pid in expected] == [
        "CPR2019-W01", "CPR2019-W01", "CPR2019-W02", "CPR2019-W02", "CPR2019-W03"]
    assert (capped.total, capped.matched, capped.per_review) == (5, 24, 2)
    # The second (last kept) hit of A and of B: how many more each has.
    assert capped.more == {expected[1]: 18, expected[3]: 1}
    assert capped.as_json()["more_in_review"] == {"CPR2019-W01": 18, "CPR2019-W02": 1}


@ALL_ENGINES
def test_pages_of_a_capped_search_add_up(loaded: Storfa) -> None:
    whole = order(loaded.search.search("neglect", limit=20, per_review=2).hits)
    pages = [loaded.search.search("neglect", limit=2, offset=offset, per_review=2)
             for offset in (0, 2, 4, 6)]
    assert [p.total for p in pages] == [5, 5, 5, 5]
    assert [h for p in pages for h in order(p.hits)] == whole
    assert not pages[-1].hits
    # A review's "more" goes with its last kept hit, on whichever page that is.
    assert sum(len(p.more) for p in pages) == 2


def test_a_deeper_look_and_the_engines_counts_agree(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The first look from the top is a few pages deep: shallow here, so a
    page needs a second look (every match seen), or is counted from the
    engine's matches per review (not every match seen). Same answers."""
    app = Storfa(Settings(data_dir=tmp_path / "data", workers=1))
    try:
        ingest(app, tmp_path / "in")
        deep = app.search.search("neglect", limit=20, per_review=2)
        looks: list[int] = []
        engine = app.search.engine
        search_reviews = engine.search_reviews

        def counted(*args: object, **kwargs: object) -> object:
            found = search_reviews(*args, **kwargs)  # type: ignore[arg-type]
            looks.append(len(found[1]))
            return found

        monkeypatch.setattr(engine, "search_reviews", counted)
        monkeypatch.setattr(service, "WALK_FIRST", 1)
        third = app.search.search("neglect", limit=1, offset=2, per_review=2)
        assert looks == [12, 24]  # 12 of A's first: two kept; then all of them
        assert order(third.hits) == order(deep.hits)[2:3] and third.total == 5
        looks.clear()
        first = app.search.search("neglect", limit=1, per_review=2)
        assert looks == [4]  # not every match seen: counted by the engine
        assert order(first.hits) == order(deep.hits)[:1]
        assert (first.total, first.matched) == (5, 24)
        second = app.search.search("neglect", limit=1, offset=1, per_review=2)
        assert second.more == {second.hits[0].passage_id: 18}
        assert second.hits[0].passage_id in deep.more
    finally:
        app.close()


def test_the_cap_is_for_keyword_search(tmp_path: Path) -> None:
    app = Storfa(Settings(data_dir=tmp_path / "data", workers=1))
    try:
        with pytest.raises(StorfaError, match="keyword search only"):
            app.search.search("neglect", mode="semantic", per_review=2)
    finally:
        app.close()


# ---------------------------------------------------------------- web, API
@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("per-review")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STORFA_DATABASE_URL", raising=False)
        mp.delenv("STORFA_SEARCH_ENGINE", raising=False)
        app = Storfa(Settings.from_env(data_dir=base / "data", workers=1))
        ingest(app, base / "in")
        with TestClient(create_app(app)) as test_client:
            yield test_client
        app.close()


def test_the_api_caps_only_when_asked(client: TestClient) -> None:
    plain = client.get("/api/v1/search", params={"q": "neglect", "limit": 50}).json()
    assert plain["total"] == 24 and len(plain["hits"]) == 24
    assert not {"per_review", "matched", "more_in_review"} & set(plain)
    capped = client.get("/api/v1/search", params={"q": "neglect", "limit": 50,
                                                   "per_review": 2}).json()
    assert (capped["total"], capped["matched"], capped["per_review"]) == (5, 24, 2)
    assert capped["more_in_review"] == {"CPR2019-W01": 18, "CPR2019-W02": 1}
    assert [h["review_id"] for h in capped["hits"]] == [
        "CPR2019-W01", "CPR2019-W01", "CPR2019-W02", "CPR2019-W02", "CPR2019-W03"]
    # Facets count matching reviews and passages, cap or no cap.
    facets = [client.get("/api/v1/search", params={"q": "neglect", "with_facets": "true",
                                                    **extra}).json()["facets"]
              for extra in ({}, {"per_review": "2"})]
    assert facets[0] == facets[1] and facets[0]["board"][0]["passages"] == 24
    for bad in ("0", "101", "x"):
        response = client.get("/api/v1/search", params={"q": "neglect", "per_review": bad})
        assert response.status_code == 422, bad
    refused = client.get("/api/v1/search", params={"q": "neglect", "mode": "hybrid",
                                                    "per_review": 2})
    assert refused.status_code == 400


def page_text(client: TestClient, **params: str) -> str:
    response = client.get("/search", params=params)
    assert response.status_code == 200
    return html.unescape(response.text)


def hit_reviews(text: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h3><a href="/reviews/([^"?]+)', text)


def test_the_search_page_shows_two_passages_of_a_review(client: TestClient) -> None:
    text = page_text(client, q="neglect")
    assert hit_reviews(text) == ["CPR2019-W01", "CPR2019-W01", "CPR2019-W02", "CPR2019-W02",
                                 "CPR2019-W03"]
    assert "24 passages" in text and "At most 2 passages of each review are shown." in text
    assert "Page 1 of" not in text  # five kept: one page
    more = re.findall(r'<a href="/search\?([^"]*)">(\d+) more in this review</a>', text)
    assert [n for _, n in more] == ["18", "1"]
    assert more[0][0] == "q=neglect&review=CPR2019-W01"

    one = page_text(client, q="neglect", review="CPR2019-W01")
    assert hit_reviews(one) == ["CPR2019-W01"] * 20 and "20 passages" in one
    assert "Passages of CPR2019-W01 only." in one and "more in this review" not in one

    every = page_text(client, q="neglect", per_review="0")
    assert len(hit_reviews(every)) == 20 and "Page 1 of 2" in every
    assert "At most" not in every
    assert len(hit_reviews(page_text(client, q="neglect", per_review="3"))) == 3 + 3 + 1


def searchbox_fields(text: str) -> dict[str, str]:
    """The search form's hidden fields: what a new query submits besides q and mode."""
    form = text[text.index('<form class="searchbox"'):]
    form = form[:form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


def test_a_new_query_keeps_the_review_and_facet_the_page_shows(client: TestClient) -> None:
    assert searchbox_fields(page_text(client, q="neglect")) == {}
    shown = page_text(client, q="neglect", review="CPR2019-W01", type="CPR", sort="newest")
    fields = searchbox_fields(shown)
    assert fields == {"review": "CPR2019-W01", "type": "CPR", "sort": "newest"}
    # The form, submitted with a new query, stays within the review.
    again = page_text(client, q="panel", **fields)
    assert "Passages of CPR2019-W01 only." in again
    assert set(hit_reviews(again)) == {"CPR2019-W01"}


def test_the_page_pages_through_kept_passages(client: TestClient) -> None:
    shown = [hit_reviews(page_text(client, q="neglect", per_review="1", page=str(n)))
             for n in (1, 2)]
    assert shown == [["CPR2019-W01", "CPR2019-W02", "CPR2019-W03"], []]


# --------------------------------------------------------------------- CLI
@ALL_ENGINES
def test_the_cli_caps_with_per_review(cli: Cli, tmp_path: Path) -> None:
    write_corpus(tmp_path / "in")
    cli.json("ingest", str(tmp_path / "in"))
    found = cli.json("search", "neglect", "--limit", "20", "--per-review", "2")
    assert (found["total"], found["matched"], found["per_review"]) == (5, 24, 2)
    assert found["more_in_review"] == {"CPR2019-W01": 18, "CPR2019-W02": 1}
    assert "per_review" not in cli.json("search", "neglect")
    result = cli.run("search", "neglect OR abuse", "--per-review", "2")
    assert result.exit_code == 0, result.output
    assert "24 passages match" in result.output and "5 shown" in result.output
    assert "18 more in this review: storfa search '(neglect OR abuse) review:\"CPR2019-W01\"'" \
        in " ".join(result.output.split())
    assert cli.run("search", "neglect", "--per-review", "0").exit_code == 2


@given(st.dictionaries(st.integers(0, 10_000), st.integers(1, 500), max_size=300),
       st.integers(1, 20))
def test_capped_total_is_the_sum_of_each_reviews_capped_count(counts: dict[int, int],
                                                             cap: int) -> None:
    assert capped_total(counts, cap) == sum(min(n, cap) for n in counts.values())


HEADED = """# Child Practice Review CPR2020-W01

## Domestic abuse

The family had lived with domestic abuse for years before the referral, and the police had
attended the home twice during the period under review.

## Learning

Practitioners described the help they gave.

Domestic abuse and housing

The panel noted that domestic abuse was not asked about at the housing interview.
"""


@ALL_ENGINES
def test_a_heading_ranks_below_the_text_that_matches_as_well(storfa: Storfa,
                                                             tmp_path: Path) -> None:
    """Its two words would score highest of all (the shortest passage): weighed
    down, the paragraphs about domestic abuse come first, the heading still
    found; so is a short line with no stop that the layout left a paragraph."""
    path = tmp_path / "cpr2020-w01.md"
    path.write_text(HEADED, encoding="utf-8")
    assert storfa.ingest.ingest([path])[0].status == "ingested"
    for per_review in (None, 4):
        hits = storfa.search.search('"domestic abuse"', limit=10, per_review=per_review).hits
        assert {h.text for h in hits[2:]} == {"Domestic abuse", "Domestic abuse and housing"}
        assert [h.text.split()[0] for h in hits[:2]] == ["The", "The"]
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # By date the order is the engine's own (all share the review's year).
    by_date = storfa.search.search('"domestic abuse"', limit=10, order="newest").hits
    assert len(by_date) == 4
