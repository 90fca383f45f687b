"""Numbered paragraphs, list items and column breaks in a PDF page's layout.

Found by laying the corpus reports' own paragraphs out as PDFs
(`bench/real_as_pdf.py`): a paragraph numbered "1." with its next lines set
under the number was cut after its first line; a paragraph whose wrapped
line began "18) was noted…" was cut there; a bullet drawn apart from its
text (a bullet, a tab, the text, as Word saves a list) made a two-cell
table; and a paragraph running on from the foot of one column to the top of
the next was two passages. Lines are built directly (PDF units, y growing
upwards); a column's lines run from x=60 to x=290 (two columns) or 540."""

from __future__ import annotations

from storfa.domain.documents import BlockKind
from storfa.ingest.extractors.pdf_layout import Line, Segment, Style, build_blocks

SIZE = 10.0
CHAR = 5.0  # a character's width at SIZE
STYLE = Style(SIZE, [14.0])


def line(y: float, x: float, text: str, *, right: float | None = None, column: int = 0,
         bullet: str | None = None) -> Line:
    """One line of body text starting at `x`; `right` stretches it to that
    edge (a justified or full line). `bullet` is drawn apart at `x - 12`."""
    x1 = right if right is not None else x + CHAR * len(text)
    segs = [Segment(text, x, x1, y, SIZE, False)]
    if bullet:
        segs.insert(0, Segment(bullet, x - 12, x - 7, y, SIZE, False))
    return Line(segs, y, SIZE, False, column)


def kinds_and_texts(lines: list[Line]) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in build_blocks(lines, STYLE)]


def test_a_numbered_paragraph_set_flush_is_one_block() -> None:
    lines = [
        line(700, 60, "1. The health visitor saw the family at home and shared", right=540),
        line(688, 60, "what she found with the school nurse and the GP the", right=540),
        line(676, 60, "same week."),
        line(656, 60, "2. The school made a referral."),
    ]
    assert kinds_and_texts(lines) == [
        (BlockKind.LIST_ITEM, "1. The health visitor saw the family at home and shared what "
                              "she found with the school nurse and the GP the same week."),
        (BlockKind.LIST_ITEM, "2. The school made a referral."),
    ]


def test_a_list_item_that_stops_short_is_over_at_the_next_flush_line() -> None:
    lines = [
        line(700, 60, "a) Neglect"),
        line(688, 60, "Agencies were asked which categories applied to each case.", right=540),
    ]
    assert [k for k, _ in kinds_and_texts(lines)] == [BlockKind.LIST_ITEM, BlockKind.PARAGRAPH]


def test_a_wrapped_line_opening_with_a_number_goes_on() -> None:
    lines = [
        line(700, 60, "Lack of professional curiosity was frequent (N = 20), and the child's",
             right=540),
        line(688, 60, "voice was missing in many reviews (N =", right=540),
        line(676, 60, "18) was noted in many CPRs as a heading of its own."),
    ]
    [(kind, text)] = kinds_and_texts(lines)
    assert kind is BlockKind.PARAGRAPH
    assert text.endswith("(N = 18) was noted in many CPRs as a heading of its own.")


def test_a_numbered_item_after_a_full_line_of_another_item_is_its_own() -> None:
    # A hanging indent: the next number stands left of the text it follows.
    lines = [
        line(700, 60, "1. Agencies should review how referrals are made and", right=540),
        line(688, 75, "recorded across the region in every service area", right=540),
        line(676, 60, "2. The Board should publish the findings."),
    ]
    assert len(kinds_and_texts(lines)) == 2


def test_a_bullet_drawn_apart_from_its_text_is_a_list_item_not_a_table() -> None:
    lines = [
        line(700, 90, "Trends in child and family characteristics", bullet="•"),
        line(688, 90, "Intelligence and information held by agencies in contact with",
             right=540, bullet="•"),
        line(676, 90, "the child and family"),
        line(664, 90, "Barriers and what worked well", bullet="•"),
    ]
    assert kinds_and_texts(lines) == [
        (BlockKind.LIST_ITEM, "Trends in child and family characteristics"),
        (BlockKind.LIST_ITEM, "Intelligence and information held by agencies in contact with "
                              "the child and family"),
        (BlockKind.LIST_ITEM, "Barriers and what worked well"),
    ]


def test_roman_numbered_items_are_items() -> None:
    lines = [line(700, 60, "ii. Referral to Prevention Teams"),
             line(688, 60, "iii. Care and Support Needs")]
    # The numerals stay: they are how the report numbers the items.
    assert kinds_and_texts(lines) == [(BlockKind.LIST_ITEM, "ii. Referral to Prevention Teams"),
                                      (BlockKind.LIST_ITEM, "iii. Care and Support Needs")]


def test_a_bullet_is_dropped_and_an_ordinal_marker_kept() -> None:
    lines = [line(700, 60, "• Police shared the notice."),
             line(688, 60, "(b) The Board must review the protocol.")]
    assert kinds_and_texts(lines) == [
        (BlockKind.LIST_ITEM, "Police shared the notice."),
        (BlockKind.LIST_ITEM, "(b) The Board must review the protocol.")]


def test_a_paragraph_cut_by_a_column_break_is_one_block() -> None:
    lines = [
        line(120, 60, "Local authorities have responded to demand by", right=290),
        line(108, 60, "resourcing", right=290),
        line(760, 320, "additional staff such as agency workers.", column=1),
        line(740, 320, "A new paragraph starts here.", column=1),
    ]
    assert [t for _, t in kinds_and_texts(lines)] == [
        "Local authorities have responded to demand by resourcing additional staff such as "
        "agency workers.",
        "A new paragraph starts here.",
    ]


def test_a_closed_paragraph_at_a_column_foot_stays_apart() -> None:
    lines = [
        line(120, 60, "The review ends its first part here.", right=290),
        line(760, 320, "and a lower-case start is still a new paragraph.", column=1),
    ]
    assert len(kinds_and_texts(lines)) == 2


def test_a_column_ending_full_without_a_stop_goes_on_even_in_capitals() -> None:
    # "… Healthcare Inspectorate" / "Wales …": the next word would not have
    # fitted on a full line, so the paragraph goes on in the next column.
    lines = [
        line(120, 60, "Reports were sent to the Healthcare Inspectorate", right=290),
        line(760, 320, "Wales and to the Board.", column=1),
    ]
    assert [t for _, t in kinds_and_texts(lines)] == [
        "Reports were sent to the Healthcare Inspectorate Wales and to the Board."]


def test_a_short_last_line_without_a_stop_stays_apart_from_a_capital() -> None:
    lines = [
        line(300, 60, "Agencies that shared information with the panel:", right=290),
        line(288, 60, "Police, Health"),
        line(760, 320, "Education services were not asked.", column=1),
    ]
    assert len(kinds_and_texts(lines)) == 2


def test_a_band_below_is_not_the_next_column() -> None:
    # A table row at the foot of the text, then the page's footer in a band of
    # its own below: no column break, however full the row's line.
    lines = [
        line(120, 60, "14/05/2016 Health Board review; no change to medication", right=540),
        line(40, 250, "Page 12 of 13", column=1),
    ]
    assert len(kinds_and_texts(lines)) == 2


def test_numbered_paragraphs_with_no_space_between_are_apart() -> None:
    # "3.1" and "3.2" hang in the margin; the paragraphs are set with no gap,
    # so only the numbers mark where each starts (older review templates).
    lines = [
        line(700, 60, "3.1 The health visitor saw the family at home every week and", right=540),
        line(688, 96, "shared what she found with the school nurse.", right=540),
        line(676, 60, "3.2 The GP referred Mother to the community mental health team", right=540),
        line(664, 60, "3.3 The school raised its concerns at the strategy meeting."),
    ]
    assert [t[:3] for _, t in kinds_and_texts(lines)] == ["3.1", "3.2", "3.3"]


def test_a_wrapped_line_opening_with_a_section_number_goes_on() -> None:
    lines = [
        line(700, 60, "The learning on information sharing is set out in section", right=540),
        line(688, 60, "3.2 below, with the agencies' own reflections."),
    ]
    assert len(kinds_and_texts(lines)) == 1


def test_contents_entries_and_a_numbered_lead_in_are_not_headings() -> None:
    heading = Line([Segment("Contents", 60, 140, 740, 14.0, True)], 740, 14.0, True)
    lines = [heading,
             line(700, 60, "1.0 Introduction 3"), line(680, 60, "2.0 Terms of reference 4"),
             line(640, 60, "7.1 Since then agencies have made the following changes:"),
             line(620, 60, "8.0 Conclusion")]
    assert kinds_and_texts(lines) == [
        (BlockKind.HEADING, "Contents"),
        (BlockKind.PARAGRAPH, "1.0 Introduction 3"),
        (BlockKind.PARAGRAPH, "2.0 Terms of reference 4"),
        (BlockKind.PARAGRAPH, "7.1 Since then agencies have made the following changes:"),
        # A numbered line that is not an entry ends the contents.
        (BlockKind.HEADING, "8.0 Conclusion")]


def test_a_list_items_hanging_line_ends_the_paragraph_of_its_band() -> None:
    from storfa.ingest.extractors.pdf_layout import _ends_paragraph

    item = line(700, 82, "b) GPs should be reminded to ask when a patient with a", right=526)
    # At the item's hanging indent on the next baseline: the item goes on.
    assert _ends_paragraph([item], line(685, 99, "MARAC flag attends."))
    # Indented so under a paragraph that is not an item: something else.
    prose = line(700, 82, "The panel found that the GP did not ask about abuse", right=526)
    assert not _ends_paragraph([prose], line(685, 99, "MARAC flag attends."))
