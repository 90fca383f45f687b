"""Ranking by meaning towards good practice, for questions about practice.

A researcher's plain-language question ("practitioners kept trying to help
even when the family refused") is closest, by cosine alone, to passages that
*talk about* that practice — including the many that say it was missing. The
reviews' coded examples of the practice are what the question wants. So when a
question reads as a description of practice (it is close to a best-practice
code's definition, or the passage classifier would call it best practice),
every passage is ranked by

    match = Σ_c P(code c | passage) · w_c(question)
    score = cosine + EXAMPLE_WEIGHT · P(best practice) · match + CODE_WEIGHT · match

where w(question) is a softmax over the question's similarity to each code's
definition. Detection enters only through the product: the detector reads many
plain statements of fact ("the GP prescribed medication") as practice, so on
its own it would lift them above the passage the question describes.

Every passage, not the nearest few hundred by cosine: a coded example is often
phrased unlike the question (half of one sub-theme's examples were outside
the 300 nearest), and the stored scores make the whole scan one small
matrix-vector product.

P(best practice) is the one auto-coding uses: the classifier's reading of
the passage's words moved by the zone its heading path puts it in
(`coding.document_model`: up under "Good practice", down in a method section,
a chronology, front matter or references), so a question about persistence
is answered by praise of persistence before a methodology paragraph that
uses the same words. The outputs depend only on a passage's text and
section, so they are kept beside its embedding (in passage_vectors, under
PracticeScores.model) when passages are embedded, held in memory beside the
vector matrix, and computed and stored on first use for passages embedded
before this existed. The
weights were chosen on the dev split of the 13-question check
(bench/semantic_questions.py) and reported on the test split.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import numpy.typing as npt

from storfa.coding.classifier import DETECTOR, PassageClassifier, load_classifier, weights_file
from storfa.coding.context import MIN_WORDS, Reading, forms_of, zone_of
from storfa.coding.document_model import codes_in_zones, p_practice, priors_digest
from storfa.coding.features import detection_features
from storfa.domain.reviews import Passage
from storfa.search.semantic import Lean
from storfa.search.vectors import VectorIndex, to_bytes
from storfa.storage.interface import Store

Matrix = npt.NDArray[np.float32]
EXAMPLE_WEIGHT = 2.0
CODE_WEIGHT = 0.3
# A passage's place in its review is not stored with its score: read as if in
# the body (no form the priors use depends on it).
_MIDDLE = 0.5
# Softmax temperature over the question's cosines with the code definitions.
CODE_TEMPERATURE = 0.05
# A question is about practice when its nearest code definition is at least
# this close, or less close but the classifier itself reads it as good
# practice; set on the 13 questions and 20 everyday questions that are not
# about practice ("the mother's mental health", "no risk assessment was done"),
# both in bench/semantic_questions.py, which prints how the gate reads them.
PRACTICE_SIMILARITY = 0.45
PRACTICE_SIMILARITY_WITH_CUES = 0.35
PRACTICE_DETECTION = 0.80
# A code is named as what a question was ranked towards when it carries at
# least this share of the ranking's weight.
SHOWN_WEIGHT = 0.2
# A hit is labelled with its code only when the classifier is this sure it is
# an example of good practice: between the threshold and 0.9 sit the plain
# statements of fact the detector misreads ("the father had convictions for
# violence…", 0.73), and a wrong label on a result costs more trust than a
# missing one. In a sample of auto-coding suggestions on the real reports,
# those at 0.9 and above read as genuine practice; many at 0.5–0.7 did not.
LABEL_CONFIDENCE = 0.9
# Passages scored per round when an older store's scores are filled in.
FILL_ROUND = 2048


def _digest() -> str:
    return hashlib.sha256(weights_file(DETECTOR).read_bytes()).hexdigest()[:12]


# How P(best practice) is read, in the stored scores' name: sentence by
# sentence (PassageClassifier.read), then moved by the passage's zone and
# form as auto-coding moves it; earlier stored readings differ.
READING = "read+forms"


class PracticeScores:
    """The classifier's per-passage outputs, stored as a second vector per
    passage: [P(best practice), P(code 1), …, P(code n)]."""

    def __init__(self, classifier: PassageClassifier | None = None) -> None:
        self._classifier = classifier

    @cached_property
    def classifier(self) -> PassageClassifier:
        return self._classifier or load_classifier(DETECTOR)

    @cached_property
    def model(self) -> str:
        # A retrained detector, new zone priors or another reading give new
        # scores, so they are stored under a new name.
        return f"practice:{DETECTOR}:{_digest()}:{priors_digest()}:{READING}"

    @property
    def dim(self) -> int:
        return 1 + len(self.classifier.leaves)

    def compute(self, texts: Sequence[str], sections: Sequence[str],
                embeddings: Matrix) -> Matrix:
        # Sentence by sentence, as auto-coding reads (PassageClassifier.read):
        # a long paragraph's one embedding dilutes the practice in it. Held out
        # on the four reports this lifts practice questions' capped found@10
        # from 0.28 to 0.36 (bench/semantic_wholedoc_variants.py), for about
        # half as much time again at embedding.
        p_text, p_codes = self.classifier.read(texts, embeddings)
        # Read as auto-coding reads a passage in its document (its zone and its
        # form: coding.document_model), from what is stored of it.
        readings = [Reading(zone_of(section), forms_of(Passage(
            0, 1, section, "paragraph", text, 0, len(text)), _MIDDLE))
            for text, section in zip(texts, sections, strict=True)]
        p_bp = p_practice(p_text, readings)
        p_codes = codes_in_zones(p_codes, [c.name for c in self.classifier.leaves], readings)
        rows = np.hstack([p_bp[:, None], p_codes]).astype(np.float32)
        # Too short to be an example of anything (auto-coding's rule): no lift,
        # so list headings naming a code do not top a question about it.
        rows[[len(t.split()) < MIN_WORDS for t in texts]] = 0.0
        return rows

    def store(self, store: Store, ids: Sequence[int], texts: Sequence[str],
              embeddings: Matrix) -> Matrix:
        """Compute and keep the scores of these passages; returns them."""
        hits = store.passage_hits(ids)
        sections = [hits[pid].section if pid in hits else "" for pid in ids]
        rows = self.compute(texts, sections, embeddings)
        store.put_vectors(self.model, self.dim,
                          [(pid, to_bytes(row)) for pid, row in zip(ids, rows, strict=True)])
        return rows


class PracticeRanker:
    """The search's re-ranker (search.semantic.Reranker): a bias for every
    passage, from its stored scores, when the question is about practice."""

    def __init__(self, store: Store, scores: PracticeScores | None = None) -> None:
        self.store = store
        self.scores = scores or PracticeScores()
        self._lock = threading.Lock()  # the web app searches from several threads
        self._held: tuple[VectorIndex, Matrix, npt.NDArray[np.intp]] | None = None

    def weights(self, query: str, vector: Matrix) -> npt.NDArray[np.float64] | None:
        """How much each code is what the question asks about, or None when the
        question is not about practice."""
        c = self.scores.classifier
        similarity = (c.seeds @ vector).astype(np.float64)
        nearest = float(similarity.max())
        if nearest < PRACTICE_SIMILARITY:
            if nearest < PRACTICE_SIMILARITY_WITH_CUES:
                return None
            p = float(c.detector.p_best_practice(
                detection_features([query], vector[None, :].astype(np.float32)))[0])
            if p < PRACTICE_DETECTION:
                return None
        z = (similarity - nearest) / CODE_TEMPERATURE
        w: npt.NDArray[np.float64] = np.exp(z) / np.exp(z).sum()
        return w

    def bias(self, query: str, vector: Matrix, index: VectorIndex) -> Lean | None:
        """EXAMPLE_WEIGHT · P(best practice) · match + CODE_WEIGHT · match for
        every row of `index`, and the codes it favours; None to keep cosine order."""
        w = self.weights(query, vector)
        if w is None or not len(index.ids):
            return None
        rows = self.rows(index)
        match = rows[:, 1:] @ w.astype(np.float32)
        scores: Matrix = ((EXAMPLE_WEIGHT * rows[:, 0] + CODE_WEIGHT) * match).astype(np.float32)
        return Lean(scores, self.towards(w))

    def towards(self, w: npt.NDArray[np.float64]) -> tuple[str, ...]:
        """The codes that carry the ranking, most first: each with at least
        SHOWN_WEIGHT of it, and always the first."""
        leaves = self.scores.classifier.leaves
        order = np.argsort(-w, kind="stable")
        return tuple(leaves[i].name for n, i in enumerate(order[:3])
                     if n == 0 or w[i] >= SHOWN_WEIGHT)

    def rows(self, index: VectorIndex) -> Matrix:
        """The stored scores of every row of `index`, in its order; held until
        the search replaces the index (its vectors changed)."""
        return self._hold(index)[0]

    def labels(self, index: VectorIndex, ids: Sequence[int]) -> dict[int, str]:
        """The code of each of these passages that the classifier reads, with
        P(best practice) ≥ LABEL_CONFIDENCE, as an example of good practice
        (the code `classify` would give); passages that are not rows of `index`
        (a hybrid search's keyword hits) get none."""
        rows, by_id = self._hold(index)
        at, found = _find(index.ids, by_id, np.asarray(ids, dtype=np.int64))
        out: dict[int, str] = {}
        for pid, row, held in zip(ids, rows[at], found, strict=True):
            if not held:
                continue
            answer = self.scores.classifier.decision(float(row[0]), row[1:].astype(np.float64))
            if answer.best_practice and answer.code and row[0] >= LABEL_CONFIDENCE:
                out[int(pid)] = answer.code
        return out

    def _hold(self, index: VectorIndex) -> tuple[Matrix, npt.NDArray[np.intp]]:
        """(scores in row order, row order by passage id) of `index`."""
        with self._lock:
            if self._held is None or self._held[0] is not index:
                self._held = (index, self._load(index), np.argsort(index.ids, kind="stable"))
            return self._held[1], self._held[2]

    def _load(self, index: VectorIndex) -> Matrix:
        out = np.zeros((len(index.ids), self.scores.dim), dtype=np.float32)
        known = np.zeros(len(index.ids), dtype=bool)
        stored = self.store.current_vectors(self.scores.model)
        if stored:
            ids = np.fromiter((pid for pid, _ in stored), dtype=np.int64, count=len(stored))
            rows = np.frombuffer(b"".join(v for _, v in stored), dtype="<f4").reshape(
                len(stored), -1)
            at, known = _find(ids, np.argsort(ids, kind="stable"), index.ids)
            out[known] = rows[at[known]]
        # Passages embedded before scores were kept: score them now, once.
        missing = np.flatnonzero(~known)
        for start in range(0, len(missing), FILL_ROUND):
            chunk = missing[start:start + FILL_ROUND]
            wanted = [int(i) for i in index.ids[chunk]]
            texts = self.store.passage_hits(wanted)
            found = [n for n, pid in enumerate(wanted) if pid in texts]
            if found:
                out[chunk[found]] = self.scores.store(
                    self.store, [wanted[n] for n in found], [texts[wanted[n]].text for n in found],
                    index.matrix[chunk[found]])
        return out


def _find(ids: npt.NDArray[np.int64], by_id: npt.NDArray[np.intp],
          wanted: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Where each wanted passage id is in `ids` (`by_id` sorts them), and
    whether it is there at all (where it is not, the position is meaningless)."""
    if not len(ids):
        return np.zeros(len(wanted), dtype=np.intp), np.zeros(len(wanted), dtype=bool)
    at: npt.NDArray[np.intp] = by_id[np.minimum(np.searchsorted(ids[by_id], wanted),
                                                len(ids) - 1)]
    return at, ids[at] == wanted
