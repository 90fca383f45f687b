"""A paragraph a page break cuts in two is one passage again.

Reports flow prose over page breaks; between the halves sit a running footer
and header (removed as furniture). Left apart, a sentence, a phrase ("Good
prac-" / "tice") or a recommendation would be two passages that neither a
search nor the classifier reads whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage
from storfa.ingest.clean import clean_document, join_page_breaks, resolve_breaks
from storfa.ingest.extractors import extract_document
from storfa.ingest.segment import segment

P, H, L = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM


def pages(*blocks_per_page: list[Block]) -> list[ExtractedPage]:
    return [ExtractedPage(number=i + 1, blocks=list(b)) for i, b in enumerate(blocks_per_page)]


def texts(result: list[ExtractedPage]) -> list[list[str]]:
    """The blocks' texts, a word broken at a line end spelt as the document
    spells it (`clean_document` does this last)."""
    resolve = resolve_breaks([b.text for page in result for b in page.blocks])
    return [[resolve(b.text) for b in page.blocks] for page in result]


@pytest.mark.parametrize(("last", "first", "joined"), [
    # Going on in lower case after an open sentence.
    ("Agencies shared information with GPs and health", "visitors as required.",
     "Agencies shared information with GPs and health visitors as required."),
    # A word broken at the page's end is mended; "multi-" keeps its hyphen.
    ("Good prac-", "tice was seen when the GP referred.",
     "Good practice was seen when the GP referred."),
    ("There was good multi-", "agency working.", "There was good multi-agency working."),
    # A sentence cannot stop on "the": the next page goes on, even with a name.
    ("The case was held by the", "Gwent Safeguarding Board.",
     "The case was held by the Gwent Safeguarding Board."),
])
def test_the_two_halves_are_one_paragraph_on_the_first_page(last: str, first: str,
                                                            joined: str) -> None:
    result = join_page_breaks(pages([Block(P, "Intro."), Block(P, last)],
                                    [Block(P, first), Block(P, "Next paragraph.")]))
    assert texts(result) == [["Intro.", joined], ["Next paragraph."]]


@pytest.mark.parametrize(("last", "first", "first_kind"), [
    ("The review ends here.", "and this is a new paragraph.", P),   # closed by its stop
    ("The recommendations are:", "the Board should act.", P),       # a lead-in is closed
    ("This concerned Child A", "Practitioners met weekly.", P),     # a label, then a new start
    ("Agencies shared information with", "Learning", H),            # a heading starts anew
    ("Agencies shared information with", "a table row", BlockKind.TABLE_ROW),
])
def test_what_is_not_a_continuation_stays_apart(last: str, first: str,
                                                first_kind: BlockKind) -> None:
    original = pages([Block(P, last)], [Block(first_kind, first, 1)])
    assert texts(join_page_breaks(original)) == [[last], [first]]


def test_a_full_last_line_without_a_stop_goes_on_in_capitals() -> None:
    # "(Figure" / "11 – see page 35)": no stop, and "11" would not have fitted
    # in the two characters' room left on the page's last line.
    cut = Block(P, "The elements are shown in the model (Figure", room=2.0)
    result = join_page_breaks(pages([cut], [Block(P, "11 – see page 35) above.")]))
    assert texts(result) == [["The elements are shown in the model (Figure 11 – see page "
                              "35) above."], []]
    # With room for the word, or no room known (not a PDF), it is a new start.
    for room in (9.0, None):
        short = Block(P, "The elements are shown in the model (Figure", room=room)
        assert texts(join_page_breaks(pages([short], [Block(P, "11 – see page 35).")]))) == \
            [["The elements are shown in the model (Figure"], ["11 – see page 35)."]]


def test_a_heading_at_the_foot_of_a_page_is_not_extended() -> None:
    result = join_page_breaks(pages([Block(H, "Good practice and", 2)], [Block(P, "learning")]))
    assert texts(result) == [["Good practice and"], ["learning"]]


def test_a_list_item_goes_on_and_a_blank_page_is_passed_over() -> None:
    result = join_page_breaks(pages([Block(L, "1. The Board should ensure that")], [],
                                    [Block(P, "chronologies are shared.")]))
    assert texts(result) == [["1. The Board should ensure that chronologies are shared."], [], []]


def test_the_running_footer_and_header_between_the_halves_go_first() -> None:
    def page(n: int, blocks: list[Block]) -> ExtractedPage:
        return ExtractedPage(n, [Block(P, "CPR 2019-W03 Child L"), *blocks,
                                 Block(P, f"Page {n} of 3")])
    doc = ExtractedDocument("pdf", [
        page(1, [Block(P, "The health visitor saw the family and")]),
        page(2, [Block(P, "made a referral the same day."), Block(P, "The school")]),
        page(3, [Block(P, "nurse was told.")]),
    ])
    _, passages = segment(clean_document(doc))
    assert [(p.page, p.text) for p in passages] == [
        (1, "The health visitor saw the family and made a referral the same day."),
        (2, "The school nurse was told."),
    ]


def test_a_year_heading_at_the_top_of_a_page_is_kept_and_a_page_number_goes() -> None:
    # A background told year by year ("2024" over that year's events): the
    # heading opening a page is not its number.
    doc = ExtractedDocument("pdf", [
        ExtractedPage(1, [Block(P, "Ms R moved in 2023."), Block(P, "3")]),
        ExtractedPage(2, [Block(H, "2024", level=3), Block(P, "In January she left."),
                          Block(P, "4")]),
    ])
    assert texts(clean_document(doc).pages) == [["Ms R moved in 2023."],
                                                 ["2024", "In January she left."]]


def test_a_generated_pdf_has_no_paragraph_cut_at_a_page_break(tmp_path: Path) -> None:
    from storfa.synthetic import generate_review, render_pdf

    path = tmp_path / "review.pdf"
    assert render_pdf(generate_review(7, pages_hint=8), path) > 3
    _, passages = segment(clean_document(extract_document(path)))
    cut = [p.text[:40] for p in passages if p.kind == "paragraph" and p.text[:1].islower()]
    assert cut == []
    assert len({p.page for p in passages}) > 3
