"""The second suggester: passages close in meaning to a case variable's label
and lexicon terms (cosine of sentence embeddings), source "model" with its
confidence, never confirmed; and lexicon suggestions unchanged when the model
is missing. A fixed concept embedder makes the rules exact; the real model is
checked on fixed sentences."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from storfa.analysis.casevars import CaseVariableService
from storfa.analysis.variables import (
    MODEL_MIN_COSINE,
    VariableDef,
    builtin_variables,
    model_suggest,
    suggest,
)
from storfa.app import Storfa
from storfa.domain.reviews import Passage
from storfa.search.embeddings import MODEL_NAME
from storfa.search.vectors import to_bytes

# Concept axes of the fixed embedder, and the words that point along each.
AXES = {"drink": ("drink", "drank", "alcohol", "intoxicated"),
        "mood": ("mood", "mental health", "antidepressant"),
        "school": ("school", "teacher")}
NOISE = len(AXES)  # every text has a little of this axis, so no vector is zero
VARIABLES = (
    VariableDef("parent_drink", "Alcohol misuse", "parent", "binary", ("alcohol misuse",),
                context=("mother", "father")),
    VariableDef("parent_mood", "Mental health", "parent", "binary", ("mental health",)),
    VariableDef("agency_school", "School", "agency", "binary", ("school",)),
)


class ConceptEmbedder:
    """Deterministic: a text's vector counts its concept words, plus 0.5 noise."""

    name = MODEL_NAME
    dim = NOISE + 1

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Any = None) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            low = text.lower()
            for k, words in enumerate(AXES.values()):
                rows[i, k] = sum(low.count(w) for w in words)
            rows[i, NOISE] = 0.5
        result: npt.NDArray[np.float32] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return result


def passages(*texts: str) -> list[Passage]:
    found, start = [], 0
    for i, text in enumerate(texts):
        found.append(Passage(seq=i, page=i + 1, section="", kind="paragraph", text=text,
                             start=start, end=start + len(text), id=100 + i))
        start += len(text) + 2
    return found


def vectors(embedder: ConceptEmbedder, items: list[Passage]) -> dict[int, Any]:
    matrix = embedder.embed([p.text for p in items])
    return {p.id: matrix[i] for i, p in enumerate(items) if p.id is not None}


def test_a_passage_close_to_a_variable_becomes_a_model_suggestion() -> None:
    embedder = ConceptEmbedder()
    items = passages("The panel met in March.",
                     "The mother drank most evenings and was often intoxicated.",
                     "The mother drank again.")
    found = model_suggest(items, embedder, vectors(embedder, items), VARIABLES)
    assert [s.variable for s in found] == ["parent_drink"]
    (s,) = found
    # Against the label "Alcohol misuse" (1 drink word, 0.5 noise): the second
    # passage (2, 0.5) scores 0.976, the third (1, 0.5) points the same way, 1.0;
    # the evidence is the closest passage, and both count as hits.
    second = (2 * 1 + 0.25) / (math.hypot(2, 0.5) * math.hypot(1, 0.5))
    assert MODEL_MIN_COSINE < round(second, 3) == 0.976 < (s.confidence or 0) == 1.0
    assert (s.source, s.status, s.value, s.hits) == ("model", "suggested", "present", 2)
    assert s.evidence == items[2].text and (s.page, s.start, s.end) == (3, items[2].start,
                                                                        items[2].end)
    assert s.term in ("Alcohol misuse", "alcohol misuse")
    assert suggest(items, VARIABLES) == []  # the lexicon alone finds nothing here


def test_ambiguous_denied_out_of_context_and_lexicon_found_passages_are_left_out() -> None:
    embedder = ConceptEmbedder()
    items = passages(
        "Her mood was low; the mother drank.",  # drink and mood equally: ambiguous
        "There was no alcohol misuse by the mother.",  # named only to be denied
        "The uncle drank heavily.",  # no parent word in the passage
        "The teacher at school raised concerns.")
    found = model_suggest(items, embedder, vectors(embedder, items), VARIABLES,
                          skip={"agency_school"})
    assert found == []
    assert [s.variable for s in model_suggest(items, embedder, vectors(embedder, items),
                                              VARIABLES)] == ["agency_school"]


@pytest.fixture
def review(storfa: Storfa, tmp_path: Path) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cpr.md").write_text(
        "# Child Practice Review CPR2020-W04\n\nGwent Safeguarding Board\n\n## Practice\n\n"
        "The mother drank most evenings and was often intoxicated at home.\n\n"
        "Child A was neglected.\n", encoding="utf-8")
    (result,) = storfa.ingest.ingest([folder])
    assert result.status == "ingested", result
    return "CPR2020-W04"


def test_service_stores_model_suggestions_with_confidence_never_decisions(
        storfa: Storfa, review: str) -> None:
    embedder = ConceptEmbedder()
    service = storfa.casevars
    service.variables = (*VARIABLES, next(v for v in builtin_variables()
                                          if v.name == "child_neglect"))
    service._by_name = {v.name: v for v in service.variables}
    service._load_embedder = lambda: embedder
    found, notes = service.suggest_with_notes([review], "tester")
    assert notes == []
    by_source = {s["source"]: s for s in found}
    assert by_source["lexicon"]["variable"] == "child_neglect"
    assert by_source["model"]["variable"] == "parent_drink"
    assert by_source["model"]["confidence"] >= MODEL_MIN_COSINE
    (case,) = service.cases(service.with_rows(storfa.store.list_reviews()))
    stored = case.states["parent_drink"].suggestions[0]
    assert (stored.source, stored.status, stored.confidence) == (
        "model", "suggested", by_source["model"]["confidence"])
    assert stored.evidence is not None and "drank" in stored.evidence.text
    assert all(st.decision is None for st in case.states.values())

    # Stored vectors are used as they are: the model embeds no passage again.
    record = storfa.store.get_review(review)
    assert record is not None
    items = storfa.store.passages(record.version_id)
    storfa.store.put_vectors(MODEL_NAME, embedder.dim, [
        (p.id, to_bytes(v)) for p, v in zip(items, embedder.embed([p.text for p in items]),
                                            strict=True) if p.id is not None])
    embedder.calls.clear()
    found_again, _ = service.suggest_with_notes([review], "tester")
    assert embedder.calls == [] and found_again == found
    # With every vector stored, even a zero on-the-fly budget lets the model run.
    assert service.suggest_with_notes([review], "tester", embed_limit=0) == (found, [])


def test_without_the_model_lexicon_suggestions_still_work(storfa: Storfa, review: str
                                                          ) -> None:
    def broken() -> ConceptEmbedder:
        raise OSError("model files missing")

    service = CaseVariableService(storfa.store, storfa.casevars.sql,
                                  embedder=broken)
    found, notes = service.suggest_with_notes([review], "tester")
    assert {s["source"] for s in found} == {"lexicon"}
    assert any(s["variable"] == "child_neglect" for s in found)
    assert len(notes) == 1 and "unavailable" in notes[0] and "model files missing" in notes[0]

    # Too many passages without stored vectors: skipped with a note, the model never loads.
    calls: list[int] = []

    def counted() -> ConceptEmbedder:
        calls.append(1)
        return ConceptEmbedder()

    lazy = CaseVariableService(storfa.store, service.sql, embedder=counted)
    found, notes = lazy.suggest_with_notes([review], "tester", embed_limit=0)
    assert calls == [] and {s["source"] for s in found} == {"lexicon"}
    assert len(notes) == 1 and "no stored vectors" in notes[0]


def test_the_real_model_on_fixed_sentences() -> None:
    from storfa.search.embeddings import default_embedder

    try:
        embedder = default_embedder()
    except Exception as exc:  # the model is optional for suggestions
        pytest.skip(f"embedding model unavailable: {exc}")
    items = passages(
        "The mother drank heavily most evenings and was often intoxicated when the "
        "health visitor called; her partner smoked heroin.",
        "She was frequently absent from home overnight and police found her in the "
        "city centre at 3am.",
        "The review panel met six times between March and October 2020.",
        "There was no evidence of domestic abuse in the household.")
    stored = {p.id: v for p, v in zip(items, embedder.embed([p.text for p in items]),
                                      strict=True)}
    found = {s.variable: s for s in model_suggest(items, embedder, stored)}
    assert set(found) == {"parent_drug_alcohol_misuse", "child_missing_episodes"}
    assert found["parent_drug_alcohol_misuse"].page == 1
    assert found["child_missing_episodes"].page == 2
    assert all(s.confidence is not None and s.confidence >= MODEL_MIN_COSINE
               for s in found.values())
    # The same text gives the same suggestions.
    assert [s.as_json() for s in model_suggest(items, embedder, stored)] == [
        s.as_json() for s in found.values()]
