"""A whole single-case review read end to end, as `storfa ingest`, `storfa code
auto --codebook best-practice` and `storfa recommendations extract` read it.

`tests/data/written-cpr/cpr-written-2026.md` is a WRITTEN Concise Child
Practice Review (fictional: no real case or person) laid out on the Welsh
template (Working Together to Safeguard People, Volume 2): title page,
contents, terms of reference, method, family involvement, outline and
timeline, practice and organisational learning with good practice embedded in
the analysis, effective practice, seven recommendations, learning points, the
statements by the reviewers and the panel chair, an appendix. Its labels
(`cpr-written-2026.tsv`, storfa.coding.wholedoc's format) were set by hand,
paragraph by paragraph, before storfa's predictions were looked at: 108
passages, 17 practice, 13 recommendation passages (7 recommendations), 78 other.

The four labelled real documents (data/wholedoc) are thematic reports; this is
the one shaped like the single-case reviews storfa is judged on. Being written,
its figures are a behavioural check, not a headline (bench/wholedoc_eval.py).
The document is ingested once per module into a temporary SQLite store, and
auto-coded with the shipped classifier and real embeddings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storfa.app import Storfa
from storfa.coding.wholedoc import (
    LabelledPassage,
    join,
    passage_key,
    read_document,
    read_labels,
)
from storfa.config import Settings
from storfa.domain.ids import parse_review_id
from storfa.domain.recommendations import StoredRecommendation
from storfa.domain.reviews import Passage, ReviewSummary
from storfa.synthetic.publish import render_report_pdf

DATA = Path(__file__).resolve().parent / "data" / "written-cpr"
DOCUMENT = DATA / "cpr-written-2026.md"
CODEBOOK = "best-practice"
# Measured with the shipped classifier and threshold: at 0.73, before lead-in
# lines were furniture and introductions a no-practice zone, 14 suggestions,
# 12 of them practice (precision 0.86, recall 0.71); at 0.70 after, 13 of 13
# (precision 1.00, recall 0.76). The floors sit under both.
PRECISION_FLOOR = 0.75
RECALL_FLOOR = 0.60
# The seven recommendations, by how each opens; the passages after an opening
# (lettered sub-items, items under a lead-in) belong to it.
# Each recommendation's opening passage, its number as written kept in the text.
RECOMMENDATIONS = (
    "1. The Board must strengthen its response",  # lettered (a)-(c), to the Board
    "2. Rhondda Cynon Taf Children's Services should",  # to a named agency
    "3. Cwm Taf Morgannwg University Health Board should",
    "4. The Board should ensure that multi-agency training",
    "5. The Safeguarding Board should seek assurance",  # a lead-in and three items
    "6. The Board should review its resolution",
    "7. The Board should share the learning",
)


@dataclass(frozen=True)
class Read:
    """What storfa made of the document."""

    source: str  # "markdown" or "pdf"
    summary: ReviewSummary
    passages: list[Passage]  # as stored
    labelled: list[LabelledPassage]  # in seq order
    suggested: dict[int, list[tuple[str, float]]]  # seq -> (code, confidence) at the default
    threshold: float
    confidence: dict[int, float]  # seq -> suggestion confidence, at threshold 0
    recommendations: list[tuple[int, StoredRecommendation]]  # (passage seq, record)

    def seqs(self, label: str) -> set[int]:
        return {i.passage.seq for i in self.labelled if i.label.label == label}

    def text(self, seq: int) -> str:
        return " ".join(self.passages[seq].text.split())


@pytest.fixture(scope="module", params=["markdown", "pdf"])
def read(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Read]:
    """The review read from its Markdown, and from a PDF of it laid out as a
    review saved from Word (A4, running header, "Page N of M"; made by
    WeasyPrint, which draws pages as Chromium does)."""
    folder = tmp_path_factory.mktemp("written")
    document = DOCUMENT
    if request.param == "pdf":
        document = render_report_pdf(read_document(DOCUMENT), "word", folder / "cpr.pdf")
    with pytest.MonkeyPatch.context() as mp:
        # SQLite and Tantivy in a temporary folder; passages are not embedded
        # for search (auto-coding embeds what it reads itself).
        mp.delenv("STORFA_DATABASE_URL", raising=False)
        mp.setenv("STORFA_SEARCH_ENGINE", "tantivy")
        mp.setenv("STORFA_EMBED", "off")
        app = Storfa(Settings.from_env(data_dir=folder / "data", workers=1))
        try:
            (result,) = app.ingest.ingest([document])
            assert result.status == "ingested", result.as_json()
            key = result.review_id
            assert key is not None
            record = app.store.get_review(key)
            assert record is not None
            passages = app.store.passages(record.version_id)
            by_id = {p.id: p.seq for p in passages}
            found = app.coding.auto(CODEBOOK, [key])
            suggested: dict[int, list[tuple[str, float]]] = {}
            for s in found:
                e = s.extract
                assert e.passage_id is not None
                seq = by_id[e.passage_id]
                assert (e.start, e.end) == (passages[seq].start, passages[seq].end)
                suggested.setdefault(seq, []).append((e.code, e.confidence or 0.0))
            # The same reading with nothing held back, to say how near a miss was.
            everything = app.coding.suggest(
                app.coding.book(CODEBOOK), key, record.version_id, record.id, passages,
                app.coding.sql.version_text(record.version_id), threshold=0.0)
            confidence = {by_id[s.extract.passage_id]: s.extract.confidence or 0.0
                          for s in everything if s.extract.passage_id is not None}
            register = app.register()
            register.extract(key, "test")
            recommendations = [(by_id[r.passage_id] if r.passage_id is not None else -1, r)
                               for _, r in register.listing(key)]
            summary = record.summary
        finally:
            app.close()
    labelled = _labelled(passages)
    yield Read(request.param, summary, passages, labelled, suggested, found.threshold,
               confidence, recommendations)


def _labelled(passages: list[Passage]) -> list[LabelledPassage]:
    """The labels joined to the stored passages by their text (the labels
    were written against the Markdown's passages)."""
    labels = read_labels(DATA / "cpr-written-2026.tsv")
    return sorted(join(DOCUMENT.stem, passages, labels), key=lambda i: i.passage.seq)


def test_the_store_holds_the_passages_that_were_labelled(read: Read) -> None:
    # Every label matched its passage (wholedoc.join raises otherwise), and the
    # ingested version is segmented exactly as the labels were written, from
    # the PDF too: every paragraph, heading, list item and timeline row.
    assert [passage_key(p.text) for p in read.passages] == \
        [i.label.key for i in read.labelled]
    assert (len(read.seqs("practice")), len(read.seqs("recommendation")),
            len(read.seqs("other"))) == (17, 13, 78)


# ---------------------------------------------------------------- auto-coding
def _in_section(read: Read, *openings: str) -> set[int]:
    """Passages under a top-level section whose heading starts with one of these."""
    out = set()
    for p in read.passages:
        top = p.section.split(" > ")[0]
        if any(top.startswith(o) for o in openings) and p.kind != "heading":
            out.add(p.seq)
    return out


def test_auto_coding_never_suggests_what_a_review_template_rules_out(read: Read) -> None:
    never = {
        "heading": {p.seq for p in read.passages if p.kind == "heading"},
        "contents": _in_section(read, "Contents"),
        "statement": _in_section(read, "10. Statement by Reviewer", "11. Statement by Review"),
        "terms of reference": _in_section(read, "2. Terms of reference",
                                          "Appendix 1: Terms of reference"),
        "outline and timeline": _in_section(read, "5. Brief outline"),
        "recommendation": read.seqs("recommendation"),
    }
    assert all(never.values())
    for what, seqs in never.items():
        wrong = sorted(seqs & read.suggested.keys())
        assert not wrong, f"suggested on {what}: {[read.text(s)[:60] for s in wrong]}"
    # At most one suggestion per paragraph.
    assert all(len(codes) == 1 for codes in read.suggested.values()), read.suggested


def test_auto_coding_finds_the_practice_of_a_single_case_review(read: Read) -> None:
    gold = read.seqs("practice")
    predicted = set(read.suggested)
    hits = predicted & gold
    precision = len(hits) / max(1, len(predicted))
    recall = len(hits) / len(gold)
    by_seq = {i.passage.seq: i for i in read.labelled}
    same_code = sum(read.suggested[s][0][0] == by_seq[s].label.code for s in hits)
    print(f"\nauto-coding at threshold {read.threshold:.2f}: {len(predicted)} suggestions, "
          f"{len(hits)} of {len(gold)} practice paragraphs; precision {precision:.2f} "
          f"recall {recall:.2f}; same sub-theme as the label on {same_code} of {len(hits)}")
    for seq in sorted(s for s in hits if read.suggested[s][0][0] != by_seq[s].label.code):
        print(f"  sub-theme {read.suggested[seq][0][0]!r}, labelled {by_seq[seq].label.code!r}: "
              f"{read.text(seq)[:60]}")
    for seq in sorted(predicted - gold):
        print(f"  suggested, not practice: {seq} ({read.suggested[seq][0][1]:.2f}) "
              f"{read.text(seq)[:70]}")
    for seq in sorted(gold - predicted):
        print(f"  practice, not suggested: {seq} ({read.confidence.get(seq, 0.0):.2f}) "
              f"{read.text(seq)[:70]}")
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
    # Every bullet under "Effective practice" is found: the section names itself.
    listed = gold & _in_section(read, "7. Effective practice")
    assert len(listed) == 8 and listed <= predicted


def test_auto_coding_does_not_suggest_the_introduction(read: Read) -> None:
    intro = _in_section(read, "1. Introduction")
    assert intro and not intro & read.suggested.keys()


def test_auto_coding_does_not_suggest_a_lead_in_line(read: Read) -> None:
    lead_ins = {p.seq for p in read.passages
                if p.kind == "paragraph" and p.text.rstrip().endswith(":")}
    assert lead_ins and not lead_ins & read.suggested.keys()


# ------------------------------------------------------------ recommendations
def test_all_seven_recommendations_are_extracted(read: Read) -> None:
    labelled = read.seqs("recommendation")
    groups: list[set[int]] = []
    for seq in sorted(labelled):
        if any(read.text(seq).startswith(o) for o in RECOMMENDATIONS):
            groups.append(set())
        groups[-1].add(seq)
    assert len(groups) == len(RECOMMENDATIONS)
    print(f"\n{len(read.recommendations)} recommendations extracted:")
    for seq, r in read.recommendations:
        print(f"  {r.number:3} (seq {seq}) {r.agencies} {r.text[:70]}")
    for n, group in enumerate(groups, start=1):
        records = [r for seq, r in read.recommendations if seq in group]
        assert records, f"recommendation {n} not found: {RECOMMENDATIONS[n - 1]}"
        # The register numbers each record as the report does ("1a" from
        # "1." and "(a)", "5b" for the second bullet under lead-in 5).
        assert all(r.number.rstrip("abc") == str(n) for r in records), \
            [r.number for r in records]
    extra = [r for seq, r in read.recommendations if seq not in labelled]
    assert len(extra) <= 2, [r.text for r in extra]
    learning = _in_section(read, "9. Learning points")
    assert not {seq for seq, _ in read.recommendations} & learning
    # Lettered items and the items under a lead-in are records of their own.
    assert [r.number for _, r in read.recommendations] == \
        ["1a", "1b", "1c", "2", "3", "4", "5a", "5b", "5c", "6", "7"]
    # The one addressed to a named agency names it.
    named = dict((r.number, r.agencies) for _, r in read.recommendations)
    assert named["2"] == ["Rhondda Cynon Taf Children's Services"]
    assert named["3"] == ["Cwm Taf Morgannwg University Health Board"]


# ------------------------------------------------------------------- identity
def test_the_title_page_gives_type_and_board(read: Read) -> None:
    s = read.summary
    print(f"\nreview key {s.review_id!r}, identifier {s.identifier!r}, type {s.type!r}, "
          f"variant {s.variant!r}, board {s.board!r}, year {s.year!r}")
    assert s.type == "CPR"
    assert s.variant == "concise"
    assert s.board == "Cwm Taf Morgannwg"
    # The review the analysis cites ("as found in CPR 2/2019") is not this one's.
    assert s.identifier is None or "2019" not in s.identifier


def test_the_title_page_gives_the_boards_identifier(read: Read) -> None:
    """The board's own numbering ("Re: CTMSB 3/2025"), typed by the title page."""
    assert read.summary.identifier == "CPR2025-03/CTM"
    assert read.summary.review_id == "CPR2025-03/CTM"
    parsed = parse_review_id(read.summary.identifier)
    assert (parsed.year, parsed.seq, parsed.board) == (2025, 3, "CTM")
