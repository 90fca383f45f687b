"""End to end through the services: ingest review-shaped files, then search them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.reviewtext import CPR, write_reviews

from harness import ALL_ENGINES
from storfa.app import Storfa
from storfa.domain.errors import StorfaError
from storfa.search.index_tantivy import SearchIndex

pytestmark = ALL_ENGINES



@pytest.fixture
def loaded(storfa: Storfa, tmp_path: Path) -> Storfa:
    results = storfa.ingest.ingest([tmp_path / "in"] if write_reviews(tmp_path / "in") else [])
    assert [r.status for r in results] == ["ingested", "ingested"]
    return storfa


def hits(storfa: Storfa, query: str) -> list[tuple[str, int, str]]:
    return [(h.review_id, h.page, h.text) for h in storfa.search.search(query, limit=50).hits]


def test_reviews_get_identifier_type_board_and_pages(loaded: Storfa) -> None:
    reviews = {r.review_id: r for r in loaded.store.list_reviews()}
    assert set(reviews) == {"CPR2019-W03", "DHR2020-W01"}
    cpr = reviews["CPR2019-W03"]
    assert (cpr.type, cpr.board, cpr.year, cpr.pages) == ("CPR", "North Wales", 2019, 2)
    assert cpr.dates["index_incident"] == "2019-03-14"
    assert cpr.dates["referral"] == "2019-05-02"


def test_phrase_search_finds_exact_words_with_page_and_section(loaded: Storfa) -> None:
    found = loaded.search.search('"professional curiosity"')
    assert found.total == 2
    cpr = next(h for h in found.hits if h.review_id == "CPR2019-W03")
    assert cpr.page == 2
    assert cpr.section.endswith("Practice and organisational learning")
    assert "<mark>professional curiosity</mark>" in cpr.snippet.lower()


def test_prefix_near_matches_either_order_within_distance(loaded: Storfa) -> None:
    found = hits(loaded, "escalat* NEAR/5 concerns")
    texts = " ".join(t for _, _, t in found)
    assert "timely escalation of\nconcerns" in texts or "escalation of concerns" in texts
    assert "Escalating the concerns" in texts
    assert any("Concerns were escalated" in t for _, _, t in found)  # reversed order
    assert not hits(loaded, "escalat* NEAR/1 manager")


def test_not_excludes_passages(loaded: Storfa) -> None:
    with_abuse = hits(loaded, "neglect")
    without = hits(loaded, 'neglect NOT "domestic abuse"')
    assert len(without) < len(with_abuse)
    assert all("domestic abuse" not in t.lower() for _, _, t in without)


def test_stemmed_words_and_filters(loaded: Storfa) -> None:
    assert {r for r, _, _ in hits(loaded, "escalated")} == {"CPR2019-W03", "DHR2020-W01"}
    assert {r for r, _, _ in hits(loaded, "escalated type:DHR")} == {"DHR2020-W01"}
    assert {r for r, _, _ in hits(loaded, 'neglect board:"north wales"')} == {"CPR2019-W03"}
    assert {r for r, _, _ in hits(loaded, "neglect year:2020..2024")} == {"DHR2020-W01"}
    assert hits(loaded, "neglect year:..2018") == []


def test_malformed_query_is_a_clear_error(loaded: Storfa) -> None:
    with pytest.raises(StorfaError, match="query"):
        loaded.search.search('"professional curiosity')


def test_same_bytes_again_is_duplicate_and_a_corrected_file_is_a_version(
        loaded: Storfa, tmp_path: Path) -> None:
    again = loaded.ingest.ingest([tmp_path / "in"])
    assert [r.status for r in again] == ["duplicate", "duplicate"]
    corrected = tmp_path / "corrected" / "cpr.md"
    corrected.parent.mkdir()
    corrected.write_text(CPR.replace("took too long", "was delayed"), encoding="utf-8")
    (result,) = loaded.ingest.ingest([corrected])
    assert (result.status, result.review_id, result.version) == ("ingested", "CPR2019-W03", 2)
    assert hits(loaded, '"was delayed"') and not hits(loaded, '"took too long"')
    assert loaded.check() == []


def test_term_counts_per_review_and_type(loaded: Storfa) -> None:
    counts = {c.term: c for c in loaded.search.count_terms(["neglect", "timely", "nonexistent"])}
    assert counts["neglect"].reviews == 2 and counts["neglect"].by_type == {"CPR": 1, "DHR": 1}
    assert counts["timely"].by_review == {"CPR2019-W03": 1}
    assert counts["nonexistent"].passages == 0


def test_index_agrees_with_database_and_audit_chain_detects_tampering(loaded: Storfa) -> None:
    assert loaded.check() == []
    with loaded.store.db.write() as conn:  # type: ignore[attr-defined]
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = 1")
    assert any("audit" in p for p in loaded.check())


def test_index_follows_database_after_lost_index_commit(loaded: Storfa) -> None:
    # A database commit whose index commit never happened (as after kill -9).
    loaded.store.set_metadata("CPR2019-W03", "board", "Gwent", actor="test")
    if isinstance(loaded.index, SearchIndex):  # PostgreSQL FTS reads reviews live
        assert loaded.store.index_work_after(loaded.index.cursor())
    assert loaded.check() == []  # check syncs the outbox first
    assert {r for r, _, _ in hits(loaded, "neglect board:gwent")} == {
        "CPR2019-W03", "DHR2020-W01"}
