"""The passage classifier on fixed examples, and `storfa classify`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import Cli
from storfa.coding import load_codebook
from storfa.coding.classifier import PassageClassifier, load_classifier
from storfa.coding.document_reading import classify_passages

POSITIVES = {
    "Care and Support": "The health visitor kept on trying to engage Mother, visiting six "
                        "times when the door was not answered and leaving calling cards.",
    "Communication": "There was good multi-agency working, with the police, health and "
                     "children's services sharing information promptly and agreeing a "
                     "joint plan.",
    "Risk and Escalation": "When the school disagreed with the decision to take no further "
                           "action, the designated safeguarding lead used the escalation "
                           "procedure and the case was reconsidered.",
    "Policy, Procedures and Recording": "The health visitor's records were clear, detailed "
                                        "and contemporaneous, making it easy to follow what "
                                        "happened and why.",
    "Learning and Reflections": "The panel was pleased to note that the learning from a "
                                "previous review had already been put into practice: the "
                                "health board now follows up every missed appointment.",
}
HARD_NEGATIVES = [
    "There was no evidence of good practice in the way the referral was handled: it was "
    "not acknowledged and the referrer was never told the outcome.",
    "The panel could not identify any good practice in the response of the out-of-hours "
    "service on the night of the incident.",
    "There were missed opportunities to explore the impact of Father's drinking on the "
    "children.",
    "On 14 March 2019 Mother attended the Emergency Department with Child A, who had a "
    "swollen wrist.",
]
# A recommendation is not practice: `storfa classify` reads its directive form
# down (0.28), though its words alone score 0.52 at unsigned int8 weights.
RECOMMENDATION = ("Agencies should ensure that practitioners are aware of the escalation "
                  "procedure and feel confident to use it.")
WOULD_HAVE_BEEN = ("It would have been good practice for the GP to share the information "
                   "about Father's mental health with the health visitor.")


@pytest.fixture(scope="session")
def classifier() -> PassageClassifier:
    return load_classifier("best-practice")


def test_clear_positives_get_their_theme(classifier: PassageClassifier) -> None:
    predictions = classifier.classify(list(POSITIVES.values()))
    for theme, p in zip(POSITIVES, predictions, strict=True):
        assert p.best_practice, theme
        assert p.theme == theme
        book = load_codebook("best-practice")
        assert p.code is not None and book.theme(p.code).name == theme


def test_hard_negatives_are_not_best_practice(classifier: PassageClassifier) -> None:
    for text, p in zip(HARD_NEGATIVES, classifier.classify(HARD_NEGATIVES), strict=True):
        assert not p.best_practice, text
        assert p.theme is None and p.code is None
    (read,) = classify_passages(classifier, [RECOMMENDATION])
    assert not read.prediction.best_practice


def test_would_have_been_good_practice_is_suggested_good_practice(
        classifier: PassageClassifier) -> None:
    [p] = classifier.classify([WOULD_HAVE_BEEN])
    assert p.best_practice
    assert (p.theme, p.code) == ("Learning and Reflections", "Suggested good practice")


def test_confidence_is_a_probability_and_deterministic(classifier: PassageClassifier) -> None:
    texts = [*POSITIVES.values(), *HARD_NEGATIVES, WOULD_HAVE_BEEN]
    first = [p.as_json() for p in classifier.classify(texts)]
    second = [p.as_json() for p in classifier.classify(list(reversed(texts)))][::-1]
    assert first == second
    for p in classifier.classify(texts):
        assert 0.5 <= p.confidence <= 1.0 and 0.0 <= p.p_best_practice <= 1.0
        for value in (p.theme_confidence, p.code_confidence):
            assert value is None or 0.0 <= value <= 1.0


def test_another_codebook_plugs_in_from_its_seeds() -> None:
    clf = load_classifier("cpr-learning")
    book = load_codebook("cpr-learning")
    missed = "The social worker did not speak to the children alone and their wishes and " \
             "feelings were not recorded."
    good, bad = clf.classify([WOULD_HAVE_BEEN.replace("It would have been", "It was"), missed])
    assert clf.method == "seeds"
    assert good.best_practice and good.code == "Identified good practice"
    assert not bad.best_practice and bad.code in book and not book.code(bad.code).best_practice
    assert bad.code == "The child's voice"


def test_cli_classify(cli: Cli) -> None:
    lines = [json.dumps({"id": "p1", "text": WOULD_HAVE_BEEN}),
             "",
             json.dumps({"id": 2, "text": HARD_NEGATIVES[0]})]
    doc = cli.json("classify", "--codebook", "best-practice", input="\n".join(lines) + "\n")
    assert [r["id"] for r in doc["results"]] == ["p1", 2]
    first, second = doc["results"]
    assert first["best_practice"] is True and first["theme"] == "Learning and Reflections"
    assert first["code"] == "Suggested good practice" and 0 <= first["confidence"] <= 1
    assert second["best_practice"] is False and second["theme"] is None
    assert doc["rejected"] == []


def test_cli_classify_reports_malformed_lines_by_number(cli: Cli) -> None:
    text = "\n".join([json.dumps({"id": "ok", "text": WOULD_HAVE_BEEN}), "not json",
                      json.dumps({"text": "no id"}), json.dumps({"id": "x", "text": ""}),
                      json.dumps(["a", "list"])]) + "\n"
    doc = cli.json("classify", "--codebook", "best-practice", input=text, expect_exit=1)
    assert [r["id"] for r in doc["results"]] == ["ok"]
    assert [r["line"] for r in doc["rejected"]] == [2, 3, 4, 5]
    assert "line 2 is not valid JSON" in doc["rejected"][0]["reason"]
    result = cli.run("classify", "--codebook", "best-practice", input="not json\n")
    assert result.exit_code == 1 and "line 1" in result.stderr


def test_cli_classify_unknown_codebook_is_a_usage_error(cli: Cli) -> None:
    result = cli.run("classify", "--codebook", "nope", input="")
    assert result.exit_code == 2
    assert "best-practice" in result.stderr and "cpr-learning" in result.stderr


DOCUMENT = ["Good practice", POSITIVES["Communication"],
            "Chronology", HARD_NEGATIVES[3],
            "Recommendations",
            "Recommendation 1: The Safeguarding Board should seek assurance that agencies "
            "share information promptly and agree a joint plan."]


def test_cli_classify_reads_the_lines_as_one_document(cli: Cli) -> None:
    """A report pasted paragraph by paragraph is read as `code auto` reads it:
    its title-like lines are headings that place what follows, and neither a
    heading nor a recommendation is ever practice."""
    lines = "\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(DOCUMENT)) + "\n"
    results = cli.json("classify", "--codebook", "best-practice", input=lines)["results"]
    assert [r["set_aside"] for r in results] == [
        "heading", None, "heading", None, "heading", "recommendation"]
    assert [r["zone"] for r in results[1:6:2]] == ["practice", "chronology", "recommendations"]
    assert [r["best_practice"] for r in results] == [False, True, False, False, False, False]
    assert results[1]["theme"] == "Communication"
    assert results[5]["theme"] is None and results[5]["confidence"] == 1.0
    # Read one by one, nothing is set aside and nothing placed.
    alone = cli.json("classify", "--codebook", "best-practice", "--separately",
                     input=lines)["results"]
    assert {r["set_aside"] for r in alone} == {None} and {r["zone"] for r in alone} == {None}
    table = cli.run("classify", "--codebook", "best-practice", input=lines)
    assert table.exit_code == 0 and "heading" in table.stdout


def test_cli_classify_says_which_passages_it_cannot_read(cli: Cli) -> None:
    # The classifier reads English: a Welsh passage that names good practice
    # plainly is not found, and the answer says it was Welsh, in each result
    # and in a notice, rather than a bare "no".
    texts = [POSITIVES["Communication"],
             "Roedd hyn yn arfer da iawn: rhannodd yr ymwelydd iechyd ei phryderon gyda'r "
             "gweithiwr cymdeithasol yr un diwrnod ac fe gytunwyd ar gynllun gyda'r teulu."]
    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    result = cli.run("classify", "--codebook", "best-practice", "--json", input=lines)
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)["results"]
    assert [r["language"] for r in results] == ["en", "cy"]
    assert [r["best_practice"] for r in results] == [True, False]
    assert "1 passages read as Welsh" in result.stderr


def test_reading_in_a_document_moves_the_confidence(classifier: PassageClassifier) -> None:
    """The same words under "Chronology" are less likely practice than under
    "Good practice": the zone priors of coding.document_model."""
    from storfa.coding.document_reading import classify_passages

    text = WOULD_HAVE_BEEN.replace("It would have been good practice", "It was good practice")
    under_practice = classify_passages(classifier, ["Good practice", text])[1].prediction
    under_chronology = classify_passages(classifier, ["Chronology", text])[1].prediction
    assert under_practice.p_best_practice > under_chronology.p_best_practice


def test_a_single_case_review_has_its_own_default_threshold(tmp_path: Path) -> None:
    """Chosen by the same rule on each kind of report (bench/wholedoc_eval.py):
    a CPR, APR or DHR gets the single-case threshold, a thematic report or a
    review of unknown type the general one; both survive saving."""
    from storfa.coding.document_model import DocumentModel, load_document_model

    shipped = load_document_model("best-practice")
    assert shipped is not None
    assert shipped.review_measured["precision"] >= shipped.review_measured["aim_precision"]
    assert 0.0 < shipped.review_threshold < shipped.threshold < 1.0
    for kind in ("CPR", "APR", "DHR", "SUSR", "MHHR"):
        assert shipped.threshold_for(kind) == shipped.review_threshold
    for kind in ("thematic", None, "unknown"):
        assert shipped.threshold_for(kind) == shipped.threshold
    shipped.save(tmp_path / "m.npz")
    assert DocumentModel.load(tmp_path / "m.npz") == shipped


def test_a_change_made_during_the_review_is_learning_from_past_reviews(
        classifier: PassageClassifier) -> None:
    """Under "Actions already taken" a change an agency made is practice of the
    codebook's "Learning from past reviews", though its words name risk."""
    from storfa.coding.document_reading import classify_passages

    change = ("North Wales Police has introduced a supervisor's review of every DASH risk "
              "assessment graded as medium risk, so that repeat incidents are seen together.")
    under = {h: classify_passages(classifier, [h, change])[1]
             for h in ("Actions already taken by agencies", "Good practice")}
    changed = under["Actions already taken by agencies"]
    assert changed.zone == "changes" and changed.prediction.best_practice
    assert changed.prediction.code == "Learning from past reviews"
    assert under["Good practice"].prediction.code != "Learning from past reviews"


@pytest.mark.parametrize("text", [
    # A directive says what ought to happen; a plain dated narrative, what did.
    "Practitioners should see and speak to the adult on their own, including when a "
    "relative says that the adult is confused.",
    "Gwent Police attended the home on 11 December 2024 after a neighbour reported hearing "
    "shouting. Officers found Mr E intoxicated and Adult D in bed in an unheated room.",
])
def test_directives_and_plain_narrative_are_read_as_less_likely_practice(
        classifier: PassageClassifier, text: str) -> None:
    from storfa.coding.document_reading import classify_passages

    in_document = classify_passages(classifier, ["Findings", text])[1].prediction
    alone = classifier.classify([text])[0]
    assert in_document.p_best_practice < alone.p_best_practice
    assert not in_document.best_practice


def test_single_case_reviews_have_a_coder_of_their_own(classifier: PassageClassifier,
                                                       tmp_path: Path) -> None:
    """The shipped weights carry a second coder, taught also by the written
    reviews' practice paragraphs, for single-case reviews; detection and the
    general coder (classify, thematic reports) are not moved by it, and the
    file round-trips both."""
    import numpy as np

    from storfa.coding.model import ClassifierWeights

    weights = classifier.weights
    assert weights is not None and weights.review_code is not None
    text = ("The health visitor made a referral to children's services the same day and "
            "followed it up in writing, which was good practice.")
    p_general, codes_general = classifier.read([text])
    p_review, codes_review = classifier.read([text], single_case=True)
    assert p_general == pytest.approx(p_review)
    assert not np.allclose(codes_general, codes_review)
    weights.save(path := tmp_path / "w.npz")
    loaded = ClassifierWeights.load(path)
    assert loaded.review_temperature == pytest.approx(weights.review_temperature)
    x = np.random.default_rng(0).normal(size=(3, weights.code.w.shape[1])).astype(np.float32)
    assert np.allclose(loaded.p_codes(x, single_case=True), weights.p_codes(x, single_case=True),
                       atol=1e-6)
    assert np.allclose(loaded.p_codes(x), weights.p_codes(x), atol=1e-6)


def test_the_review_coder_is_trained_beside_the_general_one() -> None:
    """Training with `coding_only` examples leaves detection and the general
    coder exactly as without them, and fits the single-case coder on both."""
    import numpy as np

    from storfa.coding.training import Example, train
    from storfa.search.embeddings import default_embedder

    book = load_codebook("best-practice")
    leaves = [c.name for c in book.leaves]
    examples = [Example(f"The {w} worker visited the family and it was good practice ({i}).",
                        True, leaves[i % len(leaves)]) for i, w in enumerate(
                            ["social", "health", "school", "police", "GP", "family"] * 5)]
    examples += [Example(f"On {d} March the family moved to a new address.", False)
                 for d in range(1, 21)]
    extra = [Example(f"The nurse telephoned the GP the same day ({i}).", True, leaves[0])
             for i in range(6)]
    embedder = default_embedder()
    plain = train(book, examples, embedder)
    both = train(book, examples, embedder, coding_only=extra)
    assert plain.review_code is None and both.review_code is not None
    assert np.array_equal(plain.detect.w, both.detect.w)
    assert np.array_equal(plain.code.w, both.code.w)
    assert not np.array_equal(plain.code.w, both.review_code.w)
