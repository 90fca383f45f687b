"""Small review-shaped Markdown documents written for these tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.coding.classifier import PassageClassifier
    from storfa.domain.coding import NewExtract
    from storfa.storage.sql.extracts import SQLExtracts

CPR = """# Child Practice Review CPR2019-W03

North Wales Safeguarding Children Board — Extended Child Practice Review re: Child M

## Brief outline of circumstances resulting in the review

The index incident occurred on 14th March 2019, when Child M, a girl aged 14 months,
was taken to hospital. The case was referred to the Case Review Sub-Group on 2 May 2019.

\f
## Practice and organisational learning

Practitioners showed professional curiosity when the health visitor kept visiting
even though the door was never opened. Good practice was seen in timely escalation of
concerns to the team manager.

Escalating the concerns of the school nurse took too long, and neglect was not
recognised. There was no evidence of domestic abuse in the household.

A learning event was held on the 29th of October 2020 with practitioners.

## Statement by reviewer(s)

The review was signed off by the Board on 11/01/2021.
"""

DHR = """# Domestic Homicide Review DHR2020-W01

Gwent Safeguarding Board

## Brief outline of circumstances resulting in the review

Adult D died on 3 June 2019. Domestic abuse had been reported to the police twice.
The review was referred to the Community Safety Partnership on 30/06/2019.

## Practice and organisational learning

Professional curiosity about coercive control was lacking. Concerns were escalated
late. Neglect of the children was also noted by the school.
"""

# The CPR's Welsh version: linked to it at ingest, its passages read as Welsh.
WELSH_CPR = """# Adolygiad Ymarfer Plant CPR2019-W03

Bwrdd Diogelu Gogledd Cymru

## Dysgu ymarfer a sefydliadol

Dangosodd yr ymarferwyr chwilfrydedd proffesiynol pan oedd yr ymwelydd iechyd yn dal
i ymweld â'r teulu. Roedd y gwaith amlasiantaethol yn dda ac fe rannwyd gwybodaeth yn brydlon.
"""


def write_reviews(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (("cpr-2019-w03.md", CPR), ("dhr-2020-w01.md", DHR)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def extract_store(storfa: Storfa, folder: Path) -> SQLExtracts:
    """The extracts store of `storfa` holding the two reviews above."""
    from storfa.storage.sql.extracts import SQLExtracts

    results = storfa.ingest.ingest(write_reviews(folder))
    assert [r.status for r in results] == ["ingested", "ingested"]
    return SQLExtracts(storfa.store.db)  # type: ignore[attr-defined]


def new_extract(storfa: Storfa, sql: SQLExtracts, needle: str,
                code: str = "Escalating concerns", how: str = "model",
                coder: str = "auto-coder") -> NewExtract:
    """A best-practice extract of the words `needle` in CPR2019-W03's text."""
    from storfa.domain.coding import NewExtract

    record = storfa.store.get_review("CPR2019-W03")
    assert record is not None
    start = sql.version_text(record.version_id).index(needle)
    return NewExtract(review_row=record.id, version_id=record.version_id, start=start,
                      end=start + len(needle), text=needle, codebook="best-practice",
                      code=code, theme="Risk and Escalation", coder=coder, how=how,
                      confidence=0.9, source_detail="model")


def fixed_classifier(code: str, when: str = "") -> PassageClassifier:
    """The best-practice classifier with its reading fixed: every passage that
    contains `when` is certainly practice, coded `code`; others are not. The
    embedding, the document context and the decisions are the real ones."""
    import numpy as np

    from storfa.coding.classifier import PassageClassifier, load_classifier

    real = load_classifier("best-practice")

    class Fixed(PassageClassifier):
        def probabilities(self, texts: Sequence[str], embeddings: object,
                          single_case: bool = False
                          ) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[type-arg]
            p_bp = np.array([0.999 if when in t else 0.001 for t in texts])
            p_codes = np.full((len(texts), len(self.leaves)), 1e-3)
            p_codes[:, [c.name for c in self.leaves].index(code)] = 1.0
            return p_bp, p_codes / p_codes.sum(axis=1, keepdims=True)

    return Fixed(real.codebook, real.embedder, real.weights, real.detector)
