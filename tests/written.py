"""What storfa makes of a written single-case review, read end to end: the
one reading the written-review tests share (test_written_review.py, a Concise
CPR; test_written_apr.py, an Extended APR; test_written_susr.py, a SUSR;
test_written_dhr.py, a DHR overview report; test_written_ecpr.py, an Extended
CPR in published reviews' voice; test_written_capr.py, a Concise APR).

The review is ingested from its Markdown, or from a PDF of it laid out as a
review saved from Word (A4, running header, "Page N of M"; made by
WeasyPrint, which draws pages as Chromium does), into a temporary SQLite
store; auto-coded with the shipped classifier and real embeddings; its
recommendations extracted into the register; and its hand labels (written
against the Markdown's passages, storfa.coding.wholedoc's format) joined to
the stored passages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from storfa.app import Storfa
from storfa.coding import load_codebook
from storfa.coding.wholedoc import (
    Label,
    LabelledPassage,
    join,
    passage_key,
    read_document,
    read_labels,
)
from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.domain.ids import parse_review_id
from storfa.domain.recommendations import StoredRecommendation
from storfa.domain.reviews import Passage, ReviewSummary, is_single_case
from storfa.recommendations.extract import extract
from storfa.synthetic.publish import render_report_pdf

CODEBOOK = "best-practice"
SOURCES = ["markdown", "pdf"]
# The floors the written reviews hold auto-coding to; the precision floor is
# the one the shipped threshold was chosen for (docs/classifier.md).
PRECISION_FLOOR = 0.8
RECALL_FLOOR = 0.6
# How far ahead of the last placed Markdown passage a read-back one is sought.
_AHEAD = 6


@dataclass(frozen=True)
class Read:
    """What storfa made of the document."""

    source: str  # "markdown" or "pdf"
    summary: ReviewSummary
    passages: list[Passage]  # as stored
    labelled: list[LabelledPassage]  # in seq order
    suggested: dict[int, list[tuple[str, float]]]  # seq -> (code, confidence) at the default
    threshold: float  # the single-case reviews' threshold
    confidence: dict[int, float]  # seq -> suggestion confidence, at threshold 0
    recommendations: list[tuple[int, StoredRecommendation]]  # (passage seq, record)
    covered: set[int]  # seqs the extracted recommendations were read from
    applied: float = 0.0  # the threshold `suggested` was held to (the general one for a
    # report that is no single review)
    unread: int = 0  # paragraphs auto-coding could not read (not English)

    def seqs(self, label: str) -> set[int]:
        return {i.passage.seq for i in self.labelled if i.label.label == label}

    def text(self, seq: int) -> str:
        return " ".join(self.passages[seq].text.split())

    def differ(self) -> list[tuple[int, str]]:
        """(label seq, text) of the passages read otherwise than the Markdown's."""
        return [(i.label.seq, self.text(i.passage.seq)[:60]) for i in self.labelled
                if passage_key(i.passage.text) != i.label.key]


def read_review(source: str, document: Path, labels: Path, folder: Path) -> Read:
    """`document` read from `source` ("markdown", or "pdf": laid out first)."""
    markdown = document
    if source == "pdf":
        document = render_report_pdf(read_document(markdown), "word",
                                     folder / f"{markdown.stem}.pdf")
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
                # A suggestion is its whole passage.
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
    # Every passage a record was read from (its own, a lead-in, a continuation):
    # the stored record keeps only the first.
    covered = {seq for item in extract(passages) for seq in item.passage_seqs}
    return Read(source, summary, passages, joined_labels(markdown, passages, labels),
                suggested, found.review_threshold, confidence, recommendations, covered,
                found.review_threshold if is_single_case(summary.type) else found.threshold,
                found.unread)


def joined_labels(markdown: Path, passages: list[Passage], labels: Path
                  ) -> list[LabelledPassage]:
    """The labels joined to the stored passages by their text. Where a reading
    differs from the Markdown's, the figures are still measured (each test's
    check of the passages says where the texts differ): with as many passages,
    the label at the same place; with more (a PDF table's header and rows come
    apart), each passage takes the label of the Markdown passage it came from
    (the same text, or text within it, a few passages ahead; else the last
    one placed)."""
    stem, rows = markdown.stem, read_labels(labels)
    try:
        joined = join(stem, passages, rows)
    except StorfaError:
        if len(passages) == len(rows):
            joined = [LabelledPassage(stem, passages[label.seq], label) for label in rows]
        else:
            joined = _carried(stem, passages, rows, read_document(markdown))
    return sorted(joined, key=lambda i: i.passage.seq)


def _carried(stem: str, passages: list[Passage], rows: list[Label], source: list[Passage]
             ) -> list[LabelledPassage]:
    texts = [" ".join(p.text.split()) for p in source]
    out: list[LabelledPassage] = []
    at = 0
    for p in passages:
        text = " ".join(p.text.split())
        window = range(at, min(at + _AHEAD, len(rows)))
        at = next((j for j in window if rows[j].key == passage_key(p.text)),
                  next((j for j in window if text in texts[j]), at))
        out.append(LabelledPassage(stem, p, rows[at]))
    return out


def reading(document: Path, labels: Path, folder: str) -> Callable[..., Read]:
    """A module's `read` fixture: `document` read from its Markdown, and from
    a PDF of it laid out as a review saved from Word, once per module."""
    @pytest.fixture(scope="module", params=SOURCES)
    def read(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Read:
        return read_review(request.param, document, labels, tmp_path_factory.mktemp(folder))
    return read


def only(read: Read, source: str) -> None:
    """Run a test on one reading only: a fault seen in one reading is a test of
    its own, split from the one that asserts what holds in the other."""
    if read.source != source:
        pytest.skip(f"from the {read.source}: its twin test covers this reading")


def identity(read: Read, **expected: object) -> ReviewSummary:
    """The review's identity and dates as storfa read them, printed; those
    fields named in `expected` as given."""
    s = read.summary
    print(f"\n[{read.source}] review key {s.review_id!r}, identifier {s.identifier!r}, "
          f"type {s.type!r}, variant {s.variant!r}, board {s.board!r}, year {s.year!r}, "
          f"dates {s.dates}")
    found = {field: getattr(s, field) for field in expected}
    assert found == expected, found
    return s


def opened_by(read: Read, *openings: str) -> set[int]:
    """The passages that open so, one for each opening."""
    found = {p.seq for p in read.passages if read.text(p.seq).startswith(openings)}
    assert len(found) == len(openings), openings
    return found


def between(read: Read, first: str, after: str) -> set[int]:
    """The passages after heading `first` and before heading `after`, by their
    text (a PDF's headings have no depth)."""
    at = {p.text: p.seq for p in read.passages if p.kind == "heading"}
    return set(range(at[first] + 1, at[after]))


def in_section(read: Read, *openings: str) -> set[int]:
    """Passages under a top-level section whose heading starts with one of these."""
    return {p.seq for p in read.passages
            if p.kind != "heading" and p.section.split(" > ")[0].startswith(openings)}


def auto_coding(read: Read) -> tuple[float, float]:
    """(precision, recall) of the suggestions by paragraph against the
    labels, printed with what was missed, what was wrong and the sub-themes
    that differ from the labels'."""
    gold = read.seqs("practice")
    predicted = set(read.suggested)
    hits = predicted & gold
    precision = len(hits) / max(1, len(predicted))
    recall = len(hits) / max(1, len(gold))
    by_seq = {i.passage.seq: i for i in read.labelled}
    same_code = sum(read.suggested[s][0][0] == by_seq[s].label.code for s in hits)
    print(f"\n[{read.source}] auto-coding at threshold {read.applied:.2f}: "
          f"{len(predicted)} suggestions, {len(hits)} of {len(gold)} practice paragraphs; "
          f"precision {precision:.2f} recall {recall:.2f}; "
          f"same sub-theme as the label on {same_code} of {len(hits)}")
    for seq in sorted(s for s in hits if read.suggested[s][0][0] != by_seq[s].label.code):
        print(f"  sub-theme {read.suggested[seq][0][0]!r}, labelled {by_seq[seq].label.code!r}: "
              f"{read.text(seq)[:60]}")
    for seq in sorted(predicted - gold):
        print(f"  suggested, not practice: {seq} ({read.suggested[seq][0][1]:.2f}) "
              f"{read.text(seq)[:70]}")
    for seq in sorted(gold - predicted):
        print(f"  practice, not suggested: {seq} ({read.confidence.get(seq, 0.0):.2f}) "
              f"{read.text(seq)[:70]}")
    return precision, recall


def recommendation_groups(read: Read, openings: tuple[str, ...]) -> list[set[int]]:
    """The labelled recommendation passages, one set per recommendation: each
    opens on a passage starting with one of `openings`, in order."""
    groups: list[set[int]] = []
    for seq in sorted(read.seqs("recommendation")):
        if any(read.text(seq).startswith(o) for o in openings):
            groups.append(set())
        groups[-1].add(seq)
    assert len(groups) == len(openings)
    return groups


def print_register(read: Read) -> None:
    print(f"\n[{read.source}] {len(read.recommendations)} recommendations extracted:")
    for seq, r in read.recommendations:
        print(f"  {r.number:6} (seq {seq}) {r.agencies} {r.text[:70]}")
    print(f"  passages read: {sorted(read.covered)}")


def never_suggested(read: Read, never: dict[str, set[int]]) -> None:
    """No suggestion on any of these passages (named for the message), and at
    most one suggestion per paragraph."""
    assert all(never.values())
    for what, seqs in never.items():
        wrong = sorted(seqs & read.suggested.keys())
        assert not wrong, f"suggested on {what}: {[read.text(s)[:60] for s in wrong]}"
    assert all(len(codes) == 1 for codes in read.suggested.values()), read.suggested


def holds_the_labels(read: Read, passages: int, practice: int, recommendation: int,
                     other: int) -> None:
    """As many passages as the Markdown has, each label on its passage, the
    labels counted so."""
    assert len(read.passages) == len(read.labelled) == passages
    assert (len(read.seqs("practice")), len(read.seqs("recommendation")),
            len(read.seqs("other"))) == (practice, recommendation, other)


def reads_as_written(read: Read, source: str | None = None, passages: int | None = None
                     ) -> None:
    """Every passage reads as the Markdown wrote it: from `source` only, if
    given (its twin test covers the other reading), as many as `passages`, if
    given."""
    if source is not None:
        only(read, source)
    if passages is not None:
        assert len(read.passages) == passages
    assert not read.differ(), read.differ()


def identified(read: Read, identifier: str, parsed: tuple[str, int, int, str | None],
               numbering: str | None = None) -> None:
    """The review is keyed `identifier`, of the year it parses to; it (or the
    board's own `numbering`, which reads as it) parses to (type, year, seq,
    board) `parsed`."""
    assert read.summary.identifier == identifier
    assert read.summary.review_id == identifier
    assert read.summary.year == parsed[1]
    found = parse_review_id(numbering or identifier)
    if numbering is not None:
        assert found.canonical() == identifier, found.canonical()
    assert (found.type, found.year, found.seq, found.board) == parsed


def not_identified(read: Read) -> None:
    """The review has no number of its own: nothing in it (a paragraph's "1.1",
    "Finding 1", "section 47") is taken for one, so it is keyed by its file."""
    s = read.summary
    assert s.identifier is None, s.identifier
    found = parse_review_id(s.review_id)
    assert found.seq is None, (s.review_id, found)


# The Welsh safeguarding boards a review from elsewhere must not be given.
WELSH_BOARDS = ("Cwm Taf", "Cardiff", "Gwent", "Mid and West Wales", "North Wales",
                "West Glamorgan", "Western Bay")


def no_welsh_board(read: Read) -> None:
    board = read.summary.board or ""
    assert not board.startswith(WELSH_BOARDS), board


def holds_the_floors(read: Read, precision: float | None = PRECISION_FLOOR,
                     recall: float | None = RECALL_FLOOR) -> None:
    """Auto-coding's precision and recall hold these floors (None: not held to
    one, its twin test holds it)."""
    found = auto_coding(read)
    assert precision is None or found[0] >= precision, f"precision {found[0]:.2f}"
    assert recall is None or found[1] >= recall, f"recall {found[1]:.2f}"


def finds_the_recommendations(read: Read, openings: tuple[str, ...],
                              numbered: Callable[[str], str] | None = None) -> None:
    """Each recommendation (opening with one of `openings`, in order) is read
    into some record, each numbered as it (its number cut by `numbered`), if
    given; the register printed."""
    print_register(read)
    for n, group in enumerate(recommendation_groups(read, openings), start=1):
        records = [r for seq, r in read.recommendations if seq in group]
        assert records, f"recommendation {n} not found: {openings[n - 1]}"
        assert numbered is None or all(numbered(r.number) == str(n) for r in records), \
            [r.number for r in records]


def reads_every_recommendation_passage(read: Read) -> None:
    """Every labelled recommendation passage is read into some record."""
    missed = sorted(read.seqs("recommendation") - read.covered)
    assert not missed, [read.text(s)[:60] for s in missed]


def records_beyond_the_labels(read: Read, most: int) -> None:
    """At most `most` records read from passages not labelled recommendation."""
    labelled = read.seqs("recommendation")
    extra = [r.text for seq, r in read.recommendations if seq not in labelled]
    assert len(extra) <= most, extra


def all_suggested(read: Read, seqs: set[int]) -> None:
    """Every one of these passages is suggested."""
    assert seqs <= read.suggested.keys(), \
        [read.text(s)[:60] for s in sorted(seqs - read.suggested.keys())]


def heading_at(read: Read, text: str) -> int:
    """The seq of the one heading that reads `text`."""
    (seq,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == text]
    return seq


def records_of(read: Read, n: str) -> list[StoredRecommendation]:
    """The labelled records of recommendation `n`, its lettered parts included."""
    return [r for r in labelled_records(read) if r.number.rstrip("abcdefg") == n]


def opened_not_suggested(read: Read, *openings: str) -> None:
    """The passages that open so are labelled other, and none is suggested."""
    seqs = opened_by(read, *openings)
    assert seqs <= read.seqs("other")
    wrong = sorted(seqs & read.suggested.keys())
    assert not wrong, [(read.text(s)[:60], read.suggested[s]) for s in wrong]


def opened_suggested(read: Read, *openings: str) -> None:
    """The passages that open so are labelled practice, and each is suggested."""
    seqs = opened_by(read, *openings)
    assert seqs <= read.seqs("practice")
    missed = sorted(seqs - read.suggested.keys())
    assert not missed, [(read.text(s)[:60], round(read.confidence.get(s, 0.0), 2))
                        for s in missed]


def opened_coded(read: Read, opening: str, code: str) -> None:
    """The passage that opens so is suggested first under `code`."""
    (seq,) = opened_by(read, opening)
    assert read.suggested.get(seq, [("", 0.0)])[0][0] == code, \
        (read.suggested.get(seq), round(read.confidence.get(seq, 0.0), 2))


def suggested_in_labels_theme(read: Read, seqs: set[int]) -> None:
    """Each of these passages is suggested, under a code of its label's theme."""
    book = load_codebook(CODEBOOK)
    codes = {i.passage.seq: i.label.code for i in read.labelled}
    wrong = [(read.text(s)[:40], read.suggested.get(s), codes[s]) for s in sorted(seqs)
             if s not in read.suggested
             or book.code(read.suggested[s][0][0]).theme != book.code(codes[s]).theme]
    assert not wrong, wrong


def title_page(read: Read) -> set[int]:
    """The passages before the "Contents" heading."""
    (contents,) = [p.seq for p in read.passages if p.kind == "heading" and p.text == "Contents"]
    return set(range(contents))


def lead_ins(read: Read) -> set[int]:
    """The paragraphs that end on a colon."""
    return {p.seq for p in read.passages
            if p.kind == "paragraph" and p.text.rstrip().endswith(":")}


# The judged bars on held-back reviews (issue 14): auto-coding precision and
# recall, and theme accuracy.
JUDGED = 0.70


def labelled_records(read: Read) -> list[StoredRecommendation]:
    """The records read from passages labelled recommendation."""
    labelled = read.seqs("recommendation")
    return [r for seq, r in read.recommendations if seq in labelled]


def theme_agreement(read: Read) -> tuple[int, int, int]:
    """(same sub-theme, same theme, suggested practice paragraphs), printed
    passage by passage with every suggestion and every practice label."""
    book = load_codebook(CODEBOOK)

    def theme(code: str | None) -> str | None:
        return book.code(code).theme if code else None

    by_seq = {i.passage.seq: i.label for i in read.labelled}
    hits = sorted(set(read.suggested) & read.seqs("practice"))
    same_code = sum(read.suggested[s][0][0] == by_seq[s].code for s in hits)
    same_theme = sum(theme(read.suggested[s][0][0]) == theme(by_seq[s].code) for s in hits)
    print(f"\n[{read.source}] by passage (seq, label, label's code | suggestion, confidence):")
    for seq in sorted(set(read.suggested) | read.seqs("practice")):
        label = by_seq[seq]
        code, conf = (read.suggested[seq][0] if seq in read.suggested
                      else ("-", read.confidence.get(seq, 0.0)))
        print(f"  {seq:3} {label.label:14} {label.code or '':40} | {code:40} {conf:.2f} "
              f"{read.text(seq)[:50]}")
    print(f"[{read.source}] same sub-theme {same_code} of {len(hits)}, "
          f"same theme {same_theme} of {len(hits)}")
    return same_code, same_theme, len(hits)


def holds_the_judged_bar(read: Read) -> None:
    precision, recall = auto_coding(read)
    assert precision >= JUDGED and recall >= JUDGED, (precision, recall)


def themes_agree(read: Read) -> None:
    _, same_theme, hits = theme_agreement(read)
    assert hits and same_theme / hits >= JUDGED, (same_theme, hits)


def headings(read: Read) -> set[int]:
    return {p.seq for p in read.passages if p.kind == "heading"}
