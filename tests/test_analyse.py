"""The per-document analysis that runs in the parser workers."""

from __future__ import annotations

import pytest

from storfa.domain.reviews import Passage
from storfa.ingest.analyse import metadata_passages
from storfa.ingest.language import detect


def _p(page: int, section: str) -> Passage:
    return Passage(seq=page, page=page, section=section, kind="paragraph", text="x",
                   start=0, end=1)


def test_long_reports_read_metadata_from_head_tail_and_named_sections() -> None:
    passages = [_p(n, "Practice and organisational learning") for n in range(1, 41)]
    passages.append(_p(20, "Appendix > Terms of reference"))
    kept = {(p.page, p.section) for p in metadata_passages(passages, 40)}
    assert (1, "Practice and organisational learning") in kept
    assert (8, "Practice and organisational learning") in kept
    assert (20, "Practice and organisational learning") not in kept
    assert (20, "Appendix > Terms of reference") in kept
    assert (36, "Practice and organisational learning") in kept
    short = passages[:10]
    assert metadata_passages(short, 10) == short


@pytest.mark.parametrize(("text", "language"), [
    ("The health visitor was not able to see the child at home on three occasions.", "en"),
    ("Roedd yr ymwelydd iechyd wedi ceisio gweld y plentyn gartref ar dri achlysur.", "cy"),
    ("Mae'r adolygiad yn dangos bod angen gwella'r ffordd y mae asiantaethau yn rhannu "
     "gwybodaeth.", "cy"),
    ("Multi-agency safeguarding hub referral outcomes", "en"),  # few function words: model
    ("Gwasanaethau Cymdeithasol Plant a Theuluoedd Cyngor Sir", "cy"),
])
def test_language_of_passages(text: str, language: str) -> None:
    assert detect(text) == language


def test_documents_without_pages_read_metadata_from_head_tail_and_sections() -> None:
    passages = [_p(1, "Learning") for _ in range(600)]
    for i, p in enumerate(passages):
        p.seq = i
    passages[300].section = "Statement by reviewer(s)"
    kept = {p.seq for p in metadata_passages(passages, 1)}
    assert 0 in kept and 149 in kept and 150 not in kept
    assert 300 in kept and 599 in kept and 519 not in kept


@pytest.mark.parametrize("data", [b'{"reviews": []}', b'[{"id": 1}]',
                                  b'<?xml version="1.0"?><a/>'])
def test_data_files_are_not_documents(data: bytes) -> None:
    from storfa.domain.errors import RejectedFile, RejectReason
    from storfa.ingest.detect import detect_format

    with pytest.raises(RejectedFile) as rejected:
        detect_format(data, "manifest.json")
    assert rejected.value.reason is RejectReason.UNSUPPORTED
