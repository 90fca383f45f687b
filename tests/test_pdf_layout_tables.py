"""Tables in a PDF page's layout: a chronology in each of two columns is read
column by column, a table across the page row by row, and a row's cells
that wrap stay one row even when one cell sits a little off its row's
baseline. Lines are built directly (PDF units, y growing upwards)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storfa.domain.documents import Block
from storfa.ingest.extractors.pdf_layout import (
    Line,
    Segment,
    _cells,
    _columns,
    _starts_table,
    _table,
    _wrap_gap,
    cut_at,
)

WIDTH = 595.0


def line(y: float, *cells: tuple[float, str], size: float = 9.0) -> Line:
    segs = [Segment(text, x, x + 6.0 * len(text) * size / 12, y, size, False)
            for x, text in cells]
    return Line(segs, y, size, False)


def joined(y: float, first: tuple[float, str], at: float, word: str,
           *cells: tuple[float, str], size: float = 9.0) -> Line:
    """A line whose first two cells, set close, are one segment broken at `at`."""
    out = line(y, first, *cells, size=size)
    out.segments[0].breaks, out.segments[0].break_words = [at], [word]
    return out


def chronology(x: float, top: float, pitches: list[float]) -> list[Line]:
    """A three-column table at `x`, one line per pitch down the page."""
    out, y = [], top
    for n, pitch in enumerate(pitches):
        out.append(line(y, (x, f"{n:02d}/05/2024"), (x + 60, "Police"), (x + 110, "Event")))
        y -= pitch
    return out


def test_a_chronology_in_each_column_is_two_columns() -> None:
    left = chronology(60, 700, [17.5, 11.5, 11.5, 17.5, 11.5, 17.5, 11.5, 11.5])
    right = chronology(320, 694, [11.5, 17.5, 17.5, 11.5, 11.5, 17.5, 11.5, 11.5])
    assert _columns(left, right, WIDTH)


def test_the_halves_of_a_table_across_the_page_are_not_columns() -> None:
    rows = chronology(60, 700, [17.5, 11.5, 11.5, 17.5, 11.5, 17.5, 11.5, 11.5])
    # The right half's lines stand at the left half's baselines (one table).
    right = [line(ln.y, (320, "cell"), (400, "cell")) for ln in rows]
    assert not _columns(rows, right, WIDTH)


def test_a_cell_set_off_its_rows_baseline_does_not_make_the_wrap_gap() -> None:
    header = line(700, (60, "Date"), (120, "Agency"), (200, "Event"))
    lines = [header,
             line(682.5, (60, "10/05/2024"), (120, "Powys"), (200, "GP consultation;")),
             line(671.0, (120, "Teaching"), (200, "Mother reported low")),
             line(659.5, (120, "Health Board"), (200, "mood; referred")),
             line(651.5, (200, "to primary care")),   # 8 below: set a little off
             line(634.0, (60, "03/06/2024"), (120, "Welsh"), (200, "Ambulance attended;")),
             line(622.5, (120, "Ambulance"), (200, "patient declined")),
             line(605.0, (60, "16/06/2024"), (120, "Police"), (200, "Arrest"))]
    assert _wrap_gap(lines, 0) is not None and 11.5 < _wrap_gap(lines, 0) < 17.5
    blocks: list = []
    _table(lines, 0, blocks)
    assert [b.text.split(" | ")[0] for b in blocks] == [
        "Date", "10/05/2024", "03/06/2024", "16/06/2024"]
    assert blocks[1].text == ("10/05/2024 | Powys Teaching Health Board | GP consultation; "
                              "Mother reported low mood; referred to primary care")


def test_a_table_whose_first_cell_runs_on_alone_is_still_a_table() -> None:
    """A recommendations table: each row one line of three cells, then the
    recommendation running on by itself, before the next row's cells."""
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    lines = [line(700, (60, "3. The Board is asked to ensure that the"), (340, "Gwent Board"),
                  (470, "Regional")),
             line(688.5, (60, "DASH risk assessment is completed.")),
             line(671, (60, "4. Gwent Police are asked to share"), (340, "Gwent Police"),
                  (470, "Local")),
             line(659.5, (60, "attendances with GPs.")),
             line(630, (60, "Statement of independence"), size=14.0)]
    blocks = build_blocks(lines, Style(9.0, [14.0]))
    assert [(b.kind.value, b.text) for b in blocks] == [
        ("table_row", "3. The Board is asked to ensure that the DASH risk assessment is "
                      "completed. | Gwent Board | Regional"),
        ("table_row", "4. Gwent Police are asked to share attendances with GPs. | "
                      "Gwent Police | Local"),
        ("heading", "Statement of independence")]


def test_a_long_row_wrapping_in_a_narrow_table_stays_one_row() -> None:
    """Two cells wrapping line for line, every line the same distance apart
    (no padding tells a row from its wrapping): the lines whose every cell
    runs on in lower case belong to the row above; a capital starts a row."""
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    lines = [line(700, (60, "Strengths"), (180, "Areas for development")),
             line(688.5, (60, "Agencies provided a"), (180, "The increase in")),
             line(677, (60, "range of information"), (180, "homeworking has")),
             line(665.5, (60, "on their websites."), (180, "made visits harder.")),
             line(654, (60, "Agencies gave"), (180, "Practitioners")),
             line(642.5, (60, "examples"), (180, "changed often")),
             line(612, (60, "Next section"), size=14.0)]
    blocks = build_blocks(lines, Style(9.0, [14.0]))
    assert [(b.kind.value, b.text) for b in blocks] == [
        ("table_row", "Strengths | Areas for development"),
        ("table_row", "Agencies provided a range of information on their websites. | "
                      "The increase in homeworking has made visits harder."),
        ("table_row", "Agencies gave examples | Practitioners changed often"),
        ("heading", "Next section")]


def test_one_line_rows_in_capitals_or_after_a_full_stop_stay_rows() -> None:
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    lines = [line(700, (60, "Agency"), (180, "Role")),
             line(688.5, (60, "Police"), (180, "lead agency.")),
             line(677, (60, "education"), (180, "attended meetings")),   # after a stop
             line(665.5, (60, "Health"), (180, "shared records")),
             line(612, (60, "Next section"), size=14.0)]
    blocks = build_blocks(lines, Style(9.0, [14.0]))
    assert [b.text for b in blocks if b.kind.value == "table_row"] == [
        "Agency | Role", "Police | lead agency.", "education | attended meetings",
        "Health | shared records"]


def test_a_column_of_text_holding_a_timeline_beside_text_is_two_columns() -> None:
    # Left: running text. Right: paragraphs and a list, then a short timeline
    # under them, on leading of their own (a two-column review's last page).
    text = "running text of a column, one line of it"
    left = [line(700 - 14 * k, (60, text)) for k in range(14)]
    right = [line(695 - 15 * k, (320, text)) for k in range(10)]
    right += chronology(320, 530, [17.0, 17.0, 17.0])  # 3 lines of cells in 13
    assert _columns(left, right, WIDTH)


def test_a_table_whose_header_cell_wraps_on_wide_leading_starts_at_its_header() -> None:
    # "Lead" / "agency" on 10 pt type set 13.5 pt apart (1.35 lines), rows
    # 18 pt apart: the table starts at its header, not at a later row.
    cols = (74.0, 229.0, 419.0, 472.0)

    def row(y: float, *texts: str) -> Line:
        return line(y, *zip(cols, texts, strict=True), size=10)

    lines = [
        row(700, "No.", "Recommendation", "Lead", "Timescale"),
        line(686.5, (419, "agency"), size=10),
        row(668.5, "1", "The Board should seek assurance", "CYSUR", "6 months"),
        line(655, (229, "that agencies use the toolkit."), size=10),
        row(637, "2", "Health boards should record", "Health", "3 months"),
        line(623.5, (229, "who lives in the household."), size=10),
    ]
    assert _starts_table(lines, 0)
    blocks: list[Block] = []
    assert _table(lines, 0, blocks) == len(lines)
    assert [b.text for b in blocks] == [
        "No. | Recommendation | Lead agency | Timescale",
        "1 | The Board should seek assurance that agencies use the toolkit. | CYSUR | 6 months",
        "2 | Health boards should record who lives in the household. | Health | 3 months"]


def test_a_cell_split_falls_before_the_word_its_run_began_with() -> None:
    # "28/10/2024 District nursing": wide digits and a 10 pt gap put the
    # estimated start three characters past the space.
    assert cut_at("28/10/2024 District nursing", 13, "District") == 10
    # Without the word, only a space within two characters will do.
    assert cut_at("28/10/2024 District nursing", 13, None) == -1
    assert cut_at("28/10/2024 District nursing", 11, None) == 10


def test_short_items_beside_text_are_a_column() -> None:
    # A two-column report's balanced last page: running text on the left, on
    # the right list items that wrap short and a short paragraph.
    left = [line(700 - 12 * k, (60, "running text of a column, one line of it")) for k in range(9)]
    right = [line(694 - 12 * k, (320, text)) for k, text in enumerate([
        "b) The Board should audit cases closed at", "referral.",
        "2. Police should share Public Protection", "Notices with schools.",
        "Recommendation 3: The Board should publish a", "7-minute briefing.",
        "i. children are seen alone;", "ii. their words are recorded."])]
    assert _columns(left, right, WIDTH)
    # Two short lines beside text (a caption) are not a column of their own.
    assert not _columns(left, right[-2:], WIDTH)


def test_a_table_across_the_page_whose_text_column_wraps_is_not_two_columns() -> None:
    # Recommendation | Agency | Level: the agency and level cells sit on the
    # baselines of the recommendation's lines, row for row.
    left, right = [], []
    text = "the recommendation text wraps over lines"
    for row in range(4):
        top = 700 - 60 * row
        left += [line(top - 12 * k, (60, text)) for k in range(3)]
        right.append(line(top, (330, "Health Board"), (480, "Regional")))
        right.append(line(top - 12, (330, "and Council")))
    assert not _columns(left, right, WIDTH)


words_st = st.lists(st.text(alphabet="abcdefgh/0123456789", min_size=1, max_size=9),
                    min_size=1, max_size=12)


@given(words_st, st.lists(st.floats(min_value=0, max_value=500), max_size=4),
       st.lists(st.floats(min_value=0, max_value=500), max_size=3))
def test_splitting_a_segment_into_cells_keeps_every_word_in_order(
        words: list[str], columns: list[float], breaks: list[float]) -> None:
    text = " ".join(words)
    seg = Segment(text, 60.0, 60.0 + 5.0 * len(text), 700.0, 10.0, False, breaks)
    cells = _cells([seg], columns)
    assert " ".join(t for _, t in cells).split() == words
    assert [x for x, _ in cells] == sorted(x for x, _ in cells)


def test_a_row_whose_cells_are_one_segment_stays_in_the_table() -> None:
    # "MARAC" and its meaning set 10 pt apart are one segment, a run of it
    # beginning at the second column: a row, split there, not a paragraph.
    rows = [line(700, (60, "Term"), (105, "Meaning")),
            line(680, (60, "DASH"), (105, "Domestic Abuse, Stalking and Harassment")),
            line(660, (60, "IDVA"), (105, "Independent Domestic Violence Adviser"))]
    joined = Segment("MARAC Multi-Agency Risk Assessment Conference", 60, 290, 640, 9.0, False,
                     breaks=[105.0], break_words=["Multi-Agency"])
    rows.append(Line([joined], 640, 9.0, False))
    blocks: list[Block] = []
    assert _table(rows, 0, blocks) == 4
    assert blocks[-1].text == "MARAC | Multi-Agency Risk Assessment Conference"


def test_a_table_going_on_at_the_head_of_the_next_page_keeps_its_columns() -> None:
    """A chronology that runs to the foot of one page (only the page number
    below it) goes on at the head of the next, under a running header and with
    no header row: its first row there, date and agency run together as one
    segment, and a row whose date wraps ("5 September" / "2024") are read in
    the columns of the page before."""
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    page_one = [line(700, (60, "Date"), (140, "Agency"), (250, "Event")),
                line(682, (60, "14 May 2024"), (140, "Health visiting"),
                     (250, "Health visitor finds Mr C at the flat.")),
                line(40, (270, "Page 4 of 13"))]
    carry = TableCarry()
    first = build_blocks(page_one, Style(9.0, [14.0]), carry)
    assert [b.kind.value for b in first] == ["table_row", "table_row", "paragraph"]
    assert carry.columns is not None and len(carry.columns) == 3
    page_two = [line(800, (350, "Safeguarding review — published report")),
                joined(758, (60, "20 June 2024 Midwifery"), 140.0, "Midwifery",
                       (250, "Booking appointment;")),
                line(746.5, (250, "enquiry not completed.")),
                line(728, (60, "5 September"), (140, "South Wales Police"),
                     (250, "Mr C arrested and")),
                line(716.5, (60, "2024"), (250, "released on bail.")),
                line(680, (60, "Practice and organisational learning"), size=14.0)]
    second = build_blocks(page_two, Style(9.0, [14.0]), carry)
    assert [(b.kind.value, b.text) for b in second] == [
        ("paragraph", "Safeguarding review — published report"),
        ("table_row", "20 June 2024 | Midwifery | Booking appointment; enquiry not completed."),
        ("table_row", "5 September 2024 | South Wales Police | Mr C arrested and released on "
                      "bail."),
        ("heading", "Practice and organisational learning")]
    assert carry.columns is None  # the table ended on this page


def test_a_page_that_opens_on_text_carries_no_table() -> None:
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    carry = TableCarry([60.0, 140.0, 250.0])
    blocks = build_blocks([line(758, (60, "The learning from this review is set out below.")),
                           line(740, (60, "Theme 1"), size=14.0)], Style(9.0, [14.0]), carry)
    assert [b.kind.value for b in blocks] == ["paragraph", "heading"]


def test_a_row_the_page_breaks_is_one_row_on_the_next_page() -> None:
    """Only the agency cell of a row fits at the foot of a page; the rest of
    the row, its last cell justified (words set wide apart), heads the next."""
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    carry = TableCarry()
    build_blocks([line(700, (60, "Learning"), (250, "Agency"), (380, "Action")),
                  line(682, (60, "Smoking is a risk."), (250, "Fire service"),
                       (380, "Joint briefing")),
                  line(664, (250, "Adult Social Care")),
                  line(32, (245, "Page 6 of 8"))], Style(9.0, [14.0]), carry)
    assert carry.pending == [(250, "Adult Social Care")]
    blocks = build_blocks([line(800, (350, "Safeguarding review")),
                           line(760, (60, "A pendant alarm helps if worn."), (380, "Raised"),
                                (440, "with"), (490, "the")),
                           line(748.5, (380, "alarm service")),
                           line(700, (60, "Next section"), size=14.0)],
                          Style(9.0, [14.0]), carry)
    assert [b.text for b in blocks][1] == (
        "A pendant alarm helps if worn. | Adult Social Care | Raised with the alarm service")


def test_a_broken_row_that_does_not_go_on_keeps_its_text() -> None:
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    carry = TableCarry([60.0, 250.0, 380.0], [(250.0, "Adult Social Care")])
    blocks = build_blocks([line(758, (60, "The learning is set out below.")),
                           line(740, (60, "Theme 1"), size=14.0)], Style(9.0, [14.0]), carry)
    assert blocks[0].text == "Adult Social Care"


def test_a_header_at_the_foot_with_its_first_rows_agency_overleaf() -> None:
    """The written SCR's single agency table: its header and the first row's
    recommendation at the foot of a page, the row's agency cell (wrapped over
    three lines) at the head of the next, then the next row."""
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    carry = TableCarry()
    first = build_blocks([line(140, (60, "11.2 The IMRs made these recommendations.")),
                          line(113, (60, "Agency"), (200, "Recommendation")),
                          line(95, (200, "Assessments must consider each child in the")),
                          line(82, (200, "household.")),
                          line(32, (245, "Page 12 of 13"))], Style(9.0, [14.0]), carry)
    # (The page number stays a paragraph here; cleaning takes it out.)
    assert [b.text for b in first][:2] == ["11.2 The IMRs made these recommendations.",
                                           "Agency | Recommendation"]
    blocks = build_blocks([line(800, (350, "Safeguarding review")),
                           line(760, (60, "Hartfield Borough")),
                           line(747, (60, "Council")),
                           line(730, (60, "Southmoor Police"), (200, "Officers should record "
                                                                     "the voice of each child.")),
                           line(690, (60, "Appendix 1: Glossary"), size=14.0)],
                          Style(9.0, [14.0]), carry)
    assert [b.kind.value for b in blocks[1:3]] == ["table_row", "table_row"]
    assert [b.text for b in blocks[1:3]] == [
        "Hartfield Borough Council | Assessments must consider each child in the household.",
        "Southmoor Police | Officers should record the voice of each child."]


def test_a_header_at_the_foot_with_its_first_rows_agency_there_and_text_overleaf() -> None:
    """Round eight's Welsh CPR: a good-practice table's header and the first
    row's agency alone at the foot of a page, the row's text at the head of
    the next (its first column empty), then the next row."""
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    carry = TableCarry()
    first = build_blocks([line(140, (60, "The good practice is summarised below.")),
                          line(113, (60, "Agency"), (200, "Good practice identified")),
                          line(95, (60, "The secondary school")),
                          line(32, (245, "Page 7 of 19"))], Style(9.0, [14.0]), carry)
    assert [(b.kind.value, b.text) for b in first][:2] == [
        ("paragraph", "The good practice is summarised below."),
        ("table_row", "Agency | Good practice identified")]
    assert "The secondary school" not in [b.text for b in first]
    blocks = build_blocks([line(800, (350, "Safeguarding review")),
                           line(760, (200, "The designated safeguarding person kept a")),
                           line(747, (200, "clear, dated chronology.")),
                           line(730, (60, "Dyfed-Powys Police"), (200, "The officer submitted "
                                                                       "a PPN.")),
                           line(690, (60, "Appendix 1: Glossary"), size=14.0)],
                          Style(9.0, [14.0]), carry)
    assert [(b.kind.value, b.text) for b in blocks[1:3]] == [
        ("table_row", "The secondary school | The designated safeguarding person kept a "
                      "clear, dated chronology."),
        ("table_row", "Dyfed-Powys Police | The officer submitted a PPN.")]


def test_a_running_header_over_a_held_rows_cells_is_not_one_of_them() -> None:
    """The written CVAPR's recommendations: row 2's number and timescale at the
    foot of a page, its recommendation and agency overleaf under a running
    header that starts where the agency column does."""
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    style, carry = Style(10.0, [14.0]), TableCarry()
    build_blocks([line(140, (74, "No."), (98, "Recommendation"), (353, "Agency"),
                       (464, "Timescale"), size=10.0),
                  line(120, (74, "1"), (98, "The Board should act."), (353, "The Board"),
                       (464, "6 months"), size=10.0),
                  line(81, (74, "2"), (464, "3 months"), size=10.0),
                  line(32, (273, "Page 7 of 9"), size=9.0)], style, carry)
    blocks = build_blocks([line(803, (352, "Safeguarding review — published report")),
                           line(761, (98, "The Council should ensure"), (353, "Vale"),
                                size=10.0),
                           line(747, (98, "that no enquiry is closed."), (353, "Council"),
                                size=10.0),
                           line(700, (60, "6. Statement by the reviewers"), size=14.0)],
                          style, carry)
    rows = [b.text for b in blocks if b.kind.value == "table_row"]
    assert rows == ["2 | The Council should ensure that no enquiry is closed. | Vale Council | "
                    "3 months"]



def test_a_held_rows_one_line_overleaf_before_a_heading_is_its_cell() -> None:
    """A gap after the first line overleaf is a running header's only where
    the row's cells go on below it: here the row's one line, then a heading."""
    from storfa.ingest.extractors.pdf_layout import Style, TableCarry, build_blocks

    carry = TableCarry()
    build_blocks([line(113, (60, "Agency"), (200, "Good practice identified")),
                  line(95, (60, "The school")),
                  line(32, (245, "Page 7 of 19"))], Style(9.0, [14.0]), carry)
    assert carry.pending == [(60, "The school")] and carry.whole
    blocks = build_blocks([line(760, (200, "The nurse saw J weekly.")),
                           line(700, (60, "Appendix 1"), size=14.0)], Style(9.0, [14.0]), carry)
    assert blocks[0].text == "The school | The nurse saw J weekly."


def test_a_justified_cells_words_set_apart_are_its_words_not_cells() -> None:
    """A Word table set justified in narrow columns (a written CPR's learning
    table): a cell's words spread so far apart that each is a run of its own
    ("as", "well", "as"). A cell starts only where no run of the table runs
    across; the rows (padded apart) keep their wrapped lines."""
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    lines = [line(680, (74, "Learning"), (169, "What happened"), (291, "Good"),
                  (364, "practice")),
             line(668.5, (291, "identified")),
             line(650, (74, "Self-harm in a"), (169, "School staff saw cuts"),
                  (291, "The school nurse saw")),
             line(638.5, (74, "young person"), (169, "in"), (254, "2014."), (291, "T that day.")),
             line(627, (74, "as"), (107, "well"), (149, "as"), (169, "CAMHS discharged her.")),
             line(609, (74, "Going missing is a"), (169, "T went missing"),
                  (291, "The CSE service")),
             line(597.5, (74, "warning sign."), (169, "eleven times."), (291, "met her.")),
             line(565, (60, "Next section"), size=14.0)]
    blocks = build_blocks(lines, Style(9.0, [14.0]))
    assert [(b.kind.value, b.text) for b in blocks] == [
        ("table_row", "Learning | What happened | Good practice identified"),
        ("table_row", "Self-harm in a young person as well as | School staff saw cuts in 2014. "
                      "CAMHS discharged her. | The school nurse saw T that day."),
        ("table_row", "Going missing is a warning sign. | T went missing eleven times. | "
                      "The CSE service met her."),
        ("heading", "Next section")]


def test_a_line_whose_runs_are_one_cells_words_is_read_as_text() -> None:
    # Its second run starts where the table's next line runs across: one
    # cell's words set apart, not two cells (this once looped for ever).
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    lines = [line(700, (60, "Agencies"), (150, "shared")),
             line(688.5, (60, "information with the school nurse"), (300, "Police")),
             line(677, (60, "and the GP"), (300, "Health")),
             line(640, (60, "Next section"), size=14.0)]
    blocks = build_blocks(lines, Style(9.0, [14.0]))
    text = " ".join(b.text for b in blocks)
    assert all(word in text for word in ("Agencies", "shared", "nurse", "Police", "Health"))
    assert blocks[-1].text == "Next section"


def test_a_dated_rows_capitalised_agency_wrapping_stays_in_its_row() -> None:
    """A chronology whose agency cell wraps ("Welsh" / "Ambulance" / "Services")
    below a row's date: the lines that leave the date column empty, close
    below, go on with the row, as a numbered table's do."""
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    lines = [line(700, (60, "Date"), (140, "Agency"), (250, "Event")),
             line(682, (60, "04/01/2023"), (140, "Health board"), (250, "Report made.")),
             line(664, (60, "31/01/2023"), (250, "Crew attends; V taken")),
             line(653.5, (140, "Welsh"), (250, "to hospital with")),
             line(643, (140, "Ambulance"), (250, "sepsis.")),
             line(632.5, (140, "Services")),
             line(600, (60, "The review's learning follows."), size=9.0)]
    rows = [b.text for b in build_blocks(lines, Style(9.0, [14.0]))
            if b.kind.value == "table_row"]
    assert rows[2] == ("31/01/2023 | Welsh Ambulance Services | Crew attends; V taken to "
                       "hospital with sepsis."), rows


def test_a_header_over_a_body_read_as_a_column_of_its_own_starts_the_table() -> None:
    """Reading order can put a table's body (cells wrapping over several
    lines, gutters between them) in a column of its own, apart from the
    one-word header above it: the header still heads the table, and the first
    row's wrapped lines stay one row (a written LCSPR's action plan, read as a
    paragraph and five rows)."""
    from storfa.ingest.extractors.pdf_layout import Style, build_blocks

    header = line(700, (74, "Action"), (248, "Lead"), (342, "Timescale"), (412, "Progress"))
    body = [line(682, (74, "Revise the return home"), (248, "Eastmere County"),
                 (342, "June 2025"), (412, "Draft protocol")),
            line(668.5, (74, "interview protocol so that"), (248, "Council"),
                 (412, "consulted on")),
            line(655, (74, "interviews are offered"), (412, "with partners")),
            line(636, (74, "Agree a custody protocol"), (248, "Police"),
                 (342, "September 2025"), (412, "Scoping meeting held")),
            line(622.5, (74, "for children arrested"), (412, "in February"))]
    for ln in body:
        ln.column = 1
    blocks = build_blocks([header, *body], Style(9.0, [14.0]))
    assert [(b.kind.value, b.text) for b in blocks] == [
        ("table_row", "Action | Lead | Timescale | Progress"),
        ("table_row", "Revise the return home interview protocol so that interviews are "
                      "offered | Eastmere County Council | June 2025 | Draft protocol "
                      "consulted on with partners"),
        ("table_row", "Agree a custody protocol for children arrested | Police | "
                      "September 2025 | Scoping meeting held in February")]


def test_a_header_whose_cells_wrap_in_two_places_is_one_row() -> None:
    # The written national Panel review: "Age at" / "the time" and "Parental" /
    # "substance use" wrap under a header whose first two cells, set close,
    # are one segment; two lower-case cells under it were read as a row.
    lines = [
        joined(607.5, (73.4, "Child Age at"), 106.9, "Age", (164.6, "What happened"),
               (272.0, "Parental"), (372.9, "Local review"), size=10),
        line(594.0, (106.9, "the time"), (271.5, "substance use"), size=10),
        line(576.0, (72.9, "A"), (107.4, "7 weeks"), (165.2, "Died while co-sleeping"),
             (272.0, "Father: alcohol"), (372.0, "LCSPR 2023/04"), size=10),
        line(558.0, (72.9, "B"), (107.4, "2 years"), (165.2, "Swallowed methadone"),
             (272.0, "Mother: heroin"), (372.0, "CSPR 2024/01"), size=10),
    ]
    blocks: list[Block] = []
    assert _table(lines, 0, blocks) == len(lines)
    assert [b.text for b in blocks] == [
        "Child | Age at the time | What happened | Parental substance use | Local review",
        "A | 7 weeks | Died while co-sleeping | Father: alcohol | LCSPR 2023/04",
        "B | 2 years | Swallowed methadone | Mother: heroin | CSPR 2024/01"]
