"""Ranking by meaning towards good practice (coding/practice_rank.py): a
question about a practice puts the passage that shows it above passages that
say it was missing; a question that is not about practice keeps its cosine
order; the classifier's scores are stored beside the vectors when passages are
embedded and filled in on first use for older stores."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from storfa.app import Storfa
from storfa.coding.context import MIN_WORDS
from storfa.coding.practice_rank import PracticeRanker, PracticeScores
from storfa.ingest.pipeline import IngestOptions
from storfa.search.embeddings import MODEL_NAME, default_embedder
from storfa.web.app import create_app

GOOD = ("It was good practice that the health visitor kept returning to the home each week "
        "and persisted in offering support although the family did not answer the door.")
MISSING = ("Practitioners did not persist in trying to reach the family when visits went "
           "unanswered, and the case was closed without further contact.")
OTHER = ("The mother described long-standing anxiety and alcohol use, and the father had "
         "convictions for violence against a previous partner.")
TEXT = f"""# Child Practice Review CPR2022-W07

## Practice and organisational learning

{MISSING}

{OTHER}

{GOOD}
"""
PRACTICE_QUESTION = "practitioners kept trying to help even when the family did not answer"
PLAIN_QUESTION = "the mother's mental health and alcohol use"


@pytest.fixture
def embedded(storfa: Storfa, tmp_path: Path) -> Storfa:
    source = tmp_path / "cpr.md"
    source.write_text(TEXT, encoding="utf-8")
    storfa.ingest.ingest([source], IngestOptions(type="CPR", identifier="CPR2022-W07"))
    assert storfa.embeddings.backfill() > 0
    return storfa


def _texts(app: Storfa, question: str) -> list[str]:
    return [h.text for h in app.search.search(question, limit=3, mode="semantic").hits]


def test_the_gate_reads_practice_questions_only() -> None:
    ranker = PracticeRanker(store=None)  # type: ignore[arg-type]  # the gate needs no store
    embed = default_embedder().embed
    asks = ["a worker raised their concern with a manager or challenged a decision",
            "records and chronologies were clear, detailed and kept up to date",
            "what would have been good practice in this case"]
    plain = [PLAIN_QUESTION, "housing and financial problems", "no risk assessment was done"]
    for question in asks:
        weights = ranker.weights(question, embed([question])[0])
        assert weights is not None, question
        assert weights.sum() == pytest.approx(1.0)
    for question in plain:
        assert ranker.weights(question, embed([question])[0]) is None, question


def test_a_practice_question_ranks_the_example_first(embedded: Storfa) -> None:
    ranked = _texts(embedded, PRACTICE_QUESTION)
    assert ranked[0] == GOOD
    # Without the re-ranker the passage about the practice's absence is as close.
    plain = embedded.search.semantic
    plain_ranker, plain.reranker = plain.reranker, None
    try:
        cosine_order = _texts(embedded, PRACTICE_QUESTION)
    finally:
        plain.reranker = plain_ranker
    assert set(cosine_order[:2]) == {GOOD, MISSING}


def test_other_questions_keep_cosine_order(embedded: Storfa) -> None:
    ranked = embedded.search.search(PLAIN_QUESTION, limit=3, mode="semantic").hits
    assert ranked[0].text == OTHER
    assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)
    assert all(-1.0 <= h.score <= 1.0 for h in ranked)  # cosines, not re-ranked scores


def test_scores_are_stored_at_embedding_and_filled_on_first_use(embedded: Storfa) -> None:
    scores = PracticeScores()
    ids = [pid for pid, _ in embedded.store.current_vectors(MODEL_NAME)]
    stored = embedded.store.vectors_of(ids, scores.model)
    assert set(stored) == set(ids)
    texts = embedded.store.passage_hits(ids)
    long = next(pid for pid in ids if len(texts[pid].text.split()) >= MIN_WORDS)
    row = np.frombuffer(stored[long], dtype=np.float32)
    assert row.shape == (scores.dim,)
    assert 0.0 <= row[0] <= 1.0 and row[1:].sum() == pytest.approx(1.0, abs=1e-4)
    # A heading or a line too short to be an example carries no lift at all.
    short = next(pid for pid in ids if len(texts[pid].text.split()) < MIN_WORDS)
    assert not np.frombuffer(stored[short], dtype=np.float32).any()
    # An older store has vectors but no scores: the first practice question fills them.
    with embedded.store.db.write() as conn:
        conn.execute("DELETE FROM passage_vectors WHERE model = ?", (scores.model,))
    assert _texts(embedded, PRACTICE_QUESTION)[0] == GOOD
    hits = embedded.store.passage_hits(ids)
    candidates = {pid for pid in ids if hits[pid].text in (GOOD, MISSING, OTHER)}
    assert len(candidates) == 3
    assert candidates <= set(embedded.store.vectors_of(ids, scores.model))


def test_the_ranker_holds_every_passage_score_in_index_order(embedded: Storfa) -> None:
    ranker = PracticeRanker(embedded.store)
    index = embedded.search.semantic.index()
    rows = ranker.rows(index)
    stored = embedded.store.vectors_of([int(i) for i in index.ids], ranker.scores.model)
    assert rows.shape == (len(index.ids), ranker.scores.dim)
    for pid, row in zip(index.ids, rows, strict=True):
        assert np.array_equal(row, np.frombuffer(stored[int(pid)], dtype=np.float32))
    assert ranker.rows(index) is rows  # held until the index is replaced
    question = default_embedder().embed([PRACTICE_QUESTION])[0]
    lean = ranker.bias(PRACTICE_QUESTION, question, index)
    assert lean is not None and lean.scores.shape == (len(index.ids),)
    assert lean.towards[0] == "Persistency in care and support"
    assert ranker.bias(PLAIN_QUESTION, default_embedder().embed([PLAIN_QUESTION])[0],
                       index) is None


def test_reindex_scores_passages_embedded_before_scores_were_kept(embedded: Storfa) -> None:
    scores = PracticeScores()
    ids = [pid for pid, _ in embedded.store.current_vectors(MODEL_NAME)]
    with embedded.store.db.write() as conn:
        conn.execute("DELETE FROM passage_vectors WHERE model = ?", (scores.model,))
    assert embedded.embeddings.unscored() == len(ids)
    totals: list[int] = []
    done: list[int] = []
    assert embedded.embeddings.backfill(progress=done.append, on_total=totals.append) == 0
    assert totals == [len(ids)] and sum(done) == len(ids)
    assert set(embedded.store.vectors_of(ids, scores.model)) == set(ids)
    assert embedded.embeddings.unscored() == 0


def test_search_says_what_a_practice_question_was_ranked_towards(embedded: Storfa) -> None:
    results = embedded.search.search(PRACTICE_QUESTION, mode="semantic")
    assert results.ranked_towards[0] == "Persistency in care and support"
    assert results.as_json()["ranked_towards"] == results.ranked_towards
    # Each hit the classifier reads as an example says which code, as
    # `storfa classify` would; the rest say nothing.
    codes = {h.text: h.practice_code for h in results.hits}
    answer = PracticeScores().classifier.classify([GOOD])[0]
    assert answer.best_practice and codes[GOOD] == answer.code
    assert codes[MISSING] is None and codes[OTHER] is None
    assert results.as_json()["hits"][0]["practice_code"] == codes[results.hits[0].text]
    hybrid = embedded.search.search(PRACTICE_QUESTION, mode="hybrid")
    assert {h.text: h.practice_code for h in hybrid.hits}[GOOD] == codes[GOOD]
    plain = embedded.search.search(PLAIN_QUESTION, mode="hybrid")
    assert plain.ranked_towards == [] and plain.as_json()["ranked_towards"] == []
    assert all(h.practice_code is None for h in plain.hits)
    assert "ranked_towards" not in embedded.search.search("family", mode="keyword").as_json()
    with TestClient(create_app(embedded)) as client:
        page = client.get("/search", params={"q": PRACTICE_QUESTION, "mode": "semantic"})
        plain_page = client.get("/search", params={"q": PLAIN_QUESTION, "mode": "semantic"})
    text = html.unescape(page.text)
    assert "describes good practice" in text and "Persistency in care and support" in text
    assert f"good practice: {answer.code}" in text
    assert "describes good practice" not in html.unescape(plain_page.text)
    # Every passage is a candidate by meaning: the heading says so, not "N passages".
    assert re.search(r"Closest in meaning first, of \d+ passages searched", text)
    assert not re.search(r'id="results-h">\d+ passages<', text)
    assert 'id="sort"' not in text  # no order to choose by meaning
