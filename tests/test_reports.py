"""Learning outputs: a 7-minute briefing assembled from an ingested generated
review (its circumstances, learning, coded good practice with pages, its
recommendations), rendered to PDF (read back with PDFium, page 1 drawn to
PNG, every heading present in English and in Welsh) and DOCX (real
headings); a theme briefing; recurrence grouping on texts whose groups are
known; follow-through evidence in order; hidden reviews left out; the
thematic report; the CLI. Storage tests run on both backends."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from docx import Document as open_docx

from harness import Cli
from storfa.app import Storfa
from storfa.domain.errors import StorfaError
from storfa.ingest.after_store import catch_up
from storfa.recommendations.recurrence import (
    Item,
    follow_through,
    group,
    recurrence,
    topic,
)
from storfa.reports.briefing import Briefing, review_briefing, theme_briefing
from storfa.reports.document import Bullets, Image, Paragraph, blocks_of, briefing_document
from storfa.reports.render import render
from storfa.reports.thematic import Selection, thematic, thematic_document
from storfa.reports.words import SECTIONS, word
from storfa.synthetic.api import generate_review

SEED = 5
GOOD = "Good practice was seen when the"


def _ingest(app: Storfa, folder: Path, files: dict[str, str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    results = app.ingest.ingest(paths)
    assert all(r.status == "ingested" for r in results), results
    return [r.review_id for r in results]


def _code(app: Storfa, key: str, sentence: str, code: str) -> None:
    record = app.store.get_review(key)
    assert record is not None
    text = app.coding.sql.version_text(record.version_id)
    start = text.index(sentence)
    app.coding.code_span(key, start, start + len(sentence), "best-practice", code,
                                    "tester")


def _pdf(data: bytes) -> tuple[int, str, tuple[int, int]]:
    doc = pdfium.PdfDocument(data)
    try:
        image = doc[0].render(scale=1).to_pil()
        text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        return len(doc), re.sub(r"\s+", " ", text), image.size
    finally:
        doc.close()


@pytest.fixture
def generated(storfa: Storfa, tmp_path: Path) -> tuple[str, str]:
    """A generated review, ingested, with one good-practice sentence coded."""
    review = generate_review(SEED, "CPR", pages_hint=6)
    (key,) = _ingest(storfa, tmp_path / "in", {"review.md": review.to_markdown()})
    praise = next(s for s in re.split(r"(?<=\.)\s+", review.to_markdown())
                  if s.startswith(GOOD))
    _code(storfa, key, praise, "Multi-agency working")
    return key, praise


def test_review_briefing_is_assembled_from_the_review(storfa: Storfa,
                                                      generated: tuple[str, str]) -> None:
    key, praise = generated
    truth = generate_review(SEED, "CPR", pages_hint=6)
    briefing = review_briefing(storfa, key)
    assert list(briefing.sections) == list(SECTIONS) and briefing.reviews == [key]
    happened = briefing.sections["what_happened"]
    assert "index incident occurred" in happened and "(p. 1)" in happened
    learned = blocks_of(briefing.sections["what_we_learned"])
    assert isinstance(learned[0], Bullets) and len(learned[0].items) == len(briefing.themes) > 0
    assert all(re.search(r"\(p\. \d+\)$", item) for item in learned[0].items
               if ":" in item)
    good = briefing.sections["good_practice"]
    assert good.startswith(f"- {praise} — Multi-agency working (p. ")  # the coded extract first
    todo = briefing.sections["do_differently"]
    assert truth.recommendations[0].text in todo
    assert todo.count("\n- ") + 1 == min(len(truth.recommendations), 8)
    questions = blocks_of(briefing.sections["questions"])[0]
    assert isinstance(questions, Bullets) and len(questions.items) >= 3
    welsh = review_briefing(storfa, key, "cy")
    assert "(t. 1)" in welsh.sections["what_happened"]
    assert welsh.sections["questions"] != briefing.sections["questions"]


def test_briefing_pdf_and_docx_carry_every_heading(storfa: Storfa,
                                                   generated: tuple[str, str]) -> None:
    key, _ = generated
    for lang in ("en", "cy"):
        briefing = review_briefing(storfa, key, lang)
        data, media = render(briefing_document(briefing), "pdf")
        pages, text, size = _pdf(data)
        assert media == "application/pdf" and 1 <= pages <= 2
        assert abs(size[0] - 595) <= 1 and abs(size[1] - 842) <= 1  # A4 in points
        for heading in [briefing.heading, *(word(k, lang) for k in SECTIONS)]:
            assert heading in text, (lang, heading)
        assert key in text
        docx, _ = render(briefing_document(briefing), "docx")
        paragraphs = open_docx(io.BytesIO(docx)).paragraphs
        headings = [p.text for p in paragraphs if p.style is not None
                    and p.style.name == "Heading 2"]
        assert headings == [word(k, lang) for k in SECTIONS]
    assert word("what_happened", "cy") == "Beth ddigwyddodd"


def test_edited_text_replaces_the_assembled_text(storfa: Storfa,
                                                 generated: tuple[str, str]) -> None:
    key, _ = generated
    briefing = review_briefing(storfa, key).edited(
        {"questions": "Why?\r\n\r\n- first\r\n- second\r\n  continued", "unknown": "x"})
    assert briefing.sections["questions"] == "Why?\n\n- first\n- second\n  continued"
    assert blocks_of(briefing.sections["questions"]) == [
        Paragraph("Why?"), Bullets(("first", "second continued"))]
    assert "unknown" not in briefing.sections


def test_theme_briefing_and_hidden_reviews(storfa: Storfa, generated: tuple[str, str]) -> None:
    key, praise = generated
    record = storfa.store.get_review(key)
    assert record is not None
    briefing = theme_briefing(storfa, "Communication")
    assert isinstance(briefing, Briefing) and briefing.reviews == [key]
    assert "Multi-agency working: 1 extracts in 1 reviews" in briefing.sections["what_we_learned"]
    assert praise in briefing.sections["good_practice"]
    assert f"({key}, p. " in briefing.sections["good_practice"]
    with pytest.raises(StorfaError):
        theme_briefing(storfa, "Communication", exclude={record.id})
    with pytest.raises(StorfaError):
        theme_briefing(storfa, "No such theme")
    report = thematic(storfa, Selection(type="CPR"), with_recurrence=False)
    assert [c.code for c in report.counts] == ["Multi-agency working"]
    doc = thematic_document(report, "cy")
    assert [s.key for s in doc.sections] == ["selection", "themes", "chart", "illustrative",
                                            "recurrence"]
    chart = doc.sections[2].blocks[0]
    assert isinstance(chart, Image) and chart.png.startswith(b"\x89PNG")
    assert "<svg" in chart.svg
    _, text, _ = _pdf(render(doc, "pdf")[0])
    assert word("themes", "cy") in text and key in text
    with pytest.raises(StorfaError):
        thematic(storfa, Selection(type="CPR"), exclude={record.id})


# ------------------------------------------------------------------ recurrence
# Three asks, each made by three reviews in different words and to different
# agencies; the addressee must not pull them together.
KNOWN = {
    "voice": [
        "Gwent Police should ensure that the child's wishes and feelings are recorded in "
        "every assessment.",
        "The health board must make sure assessments record what the child says and how it "
        "shaped decisions.",
        "Children's services are asked to ensure that the voice of the child is captured in "
        "all assessments.",
    ],
    "appointments": [
        "Gwent Police should ensure that no child is discharged from a health service for "
        "missed appointments without a safeguarding review.",
        "The health board must follow up every child who was not brought to a health "
        "appointment.",
        "GPs are asked to treat missed health appointments for children as a safeguarding "
        "concern ('was not brought').",
    ],
    "housing": [
        "Gwent Police should share tenancy concerns with housing officers.",
        "The health board must tell housing services about tenancy problems that affect a "
        "family.",
        "Children's services are asked to inform the housing provider of tenancy concerns.",
    ],
}


def test_topic_drops_the_addressee() -> None:
    assert topic("Powys County Council must develop practice guidance.") == \
        "develop practice guidance."
    assert topic("Review the protocol.") == "Review the protocol."


def test_recurrence_groups_texts_by_meaning() -> None:
    items = [Item(n, f"R{year}-{n}", n, year, "1", text, status, None)
             for n, (year, text, status) in enumerate(
                 (2015 + i, text, "implemented" if i == 0 else "open")
                 for group_texts in KNOWN.values() for i, text in enumerate(group_texts))]
    groups = group(items)
    found = sorted(sorted(i.text for i in g.items) for g in groups)
    assert found == sorted(sorted(texts) for texts in KNOWN.values())
    first = groups[0]
    assert len(first.reviews) == 3 and first.span == "2015–2017"
    assert first.statuses["implemented"] == 1 and first.statuses["open"] == 2
    assert first.summary().endswith(": 3 reviews, 2015–2017, 1 implemented")
    assert first.label in {topic(t).rstrip(".") for t in (i.text for i in first.items)}
    # A tiny threshold keeps every recommendation apart.
    assert len(group(items, threshold=0.01)) == len(items)


LATER_GOOD = "The health visitor followed up every missed health appointment of the child."
UNRELATED = "The housing officer kept in touch with the family when the tenancy changed hands."


def _review(identifier: str, recommendation: str, praise: str = "") -> str:
    return f"""# Child Practice Review {identifier}

North Wales Safeguarding Board — Child Practice Review re: Child Q

## Brief outline of circumstances resulting in the review

The index incident occurred on 3 March 2014. The case was referred to the sub-group.

## Practice and organisational learning

### Learning point 1: Missed appointments

The review found that missed appointments were not followed up by the health board.

{praise}

## Recommendations

1. {recommendation}
"""


def test_follow_through_orders_evidence_and_finds_repeats(storfa: Storfa,
                                                          tmp_path: Path) -> None:
    keys = _ingest(storfa, tmp_path / "in", {
        "a.md": _review("CPR2016-W01", KNOWN["appointments"][1]),
        "b.md": _review("CPR2019-W02", KNOWN["appointments"][2], f"{LATER_GOOD} {UNRELATED}"),
        "c.md": _review("CPR2021-W03", KNOWN["appointments"][0], UNRELATED),
        "d.md": _review("CPR2014-W04", KNOWN["appointments"][0], LATER_GOOD),  # earlier
    })
    first, second, third, earlier = keys
    _code(storfa, second, LATER_GOOD, "Consistent care and support")
    _code(storfa, second, UNRELATED, "Positive working relationships")
    _code(storfa, third, UNRELATED, "Positive working relationships")
    _code(storfa, earlier, LATER_GOOD, "Consistent care and support")
    catch_up(storfa, "tester")  # what ingest's after-store steps would have done
    items = {i.review_id: i for g in recurrence(storfa) for i in g.items}
    assert set(items) == set(keys)
    found = follow_through(storfa, items[first].id)
    assert found is not None
    assert found.evidence and found.evidence[0].text == LATER_GOOD
    assert found.evidence[0].review_id == second
    assert all(e.review_id != earlier for e in found.evidence)  # not later: not evidence
    similarities = [e.similarity for e in found.evidence]
    assert similarities == sorted(similarities, reverse=True)
    assert [r.review_id for r in found.repeats] == [second, third]
    # A hidden review is neither evidence nor a repeat, nor in a group.
    hidden = storfa.store.get_review(second)
    assert hidden is not None
    without = follow_through(storfa, items[first].id, exclude={hidden.id})
    assert without is not None
    assert all(e.review_id != second for e in without.evidence)
    assert [r.review_id for r in without.repeats] == [third]
    assert all(i.review_id != second for g in recurrence(storfa, exclude={hidden.id})
               for i in g.items)
    assert follow_through(storfa, items[second].id, exclude={hidden.id}) is None


def test_cached_embeddings_are_reused() -> None:
    from storfa.recommendations.recurrence import EmbeddingCache

    calls: list[int] = []

    def fake(texts: object) -> np.ndarray:
        seq = list(texts)  # type: ignore[call-overload]
        calls.append(len(seq))
        return np.ones((len(seq), 384), dtype=np.float32)

    cache = EmbeddingCache(fake)
    cache(["a", "b", "a"])
    cache(["b", "c"])
    assert calls == [2, 1]


def test_cli_writes_briefings_and_reports(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(_review("CPR2016-W01", KNOWN["voice"][0]), encoding="utf-8")
    (folder / "b.md").write_text(_review("CPR2019-W02", KNOWN["voice"][1]), encoding="utf-8")
    assert cli.run("ingest", str(folder)).exit_code == 0
    out = tmp_path / "b.docx"
    made = cli.json("report", "briefing", "CPR2016-W01", "--out", str(out), "--lang", "cy")
    assert out.exists() and made["out"] == str(out)
    assert [s["heading"] for s in made["sections"]] == [word(k, "cy") for k in SECTIONS]
    assert cli.run("report", "briefing", "CPR2016-W01", "--out", str(tmp_path / "x.txt")
                   ).exit_code != 0
    assert cli.run("report", "briefing", "NOPE", "--out", str(tmp_path / "n.pdf")
                   ).exit_code != 0
    groups = cli.json("report", "recurrence")["groups"]
    assert len(groups) == 1 and groups[0]["review_ids"] == ["CPR2016-W01", "CPR2019-W02"]
    pdf = tmp_path / "t.pdf"
    report = cli.json("report", "thematic", "--type", "CPR", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF") and len(report["recurrence"]) == 1


def test_usable_extracts_rank_and_count_a_span_once() -> None:
    from storfa.domain.coding import Extract
    from storfa.reports.briefing import usable_extracts

    def extract(n: int, start: int, status: str, confidence: float | None,
                superseded: bool = False) -> Extract:
        return Extract(n, 1, "CPR2020-W01", 1, None, start, start + 10, 1, f"text {n}",
                       "best-practice", "Record keeping", "Policy, Procedures and Recording",
                       "coder", "model", status, confidence, None, "now", None, None,
                       superseded)

    chosen = usable_extracts([
        extract(1, 0, "suggested", 0.9), extract(2, 20, "accepted", None),
        extract(3, 20, "accepted", None),  # a second coder's decision on the same span
        extract(4, 40, "rejected", 0.99), extract(5, 60, "suggested", 0.95, superseded=True),
        extract(6, 80, "suggested", 0.5)])
    assert [e.id for e in chosen] == [2, 1, 6]
