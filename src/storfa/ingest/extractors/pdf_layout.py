"""Reading order for PDF text: segments → lines → columns → blocks (pure geometry)."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from storfa.domain.documents import Block, BlockKind
from storfa.ingest.clean import cut_by_break, is_page_number, join_lines
from storfa.ingest.extractors.list_markers import list_item_text

# A list item's marker: a bullet, "2.", "(b)", "iv."
_MARK = r"(?:[•▪◦‣●○■□–\-*]|\(?\d{1,3}[.)]|\(?(?:[a-z]|[ivx]{2,4})[.)])"
_BULLET = re.compile(rf"^({_MARK})\s+(\S.*)$")
_MARKER = re.compile(rf"^{_MARK}$")
_GRAPHIC_BULLET = "•▪◦‣●○■□"
# Fewer lines than this beside a column of text are a caption or a label,
# not a column of their own (_short_items).
_SHORT_ITEM_LINES = 6
# A numbered paragraph's number ("3.2", "4.10."), as the Welsh templates
# number paragraphs: a line opening with one starts a paragraph, unless it
# is an unnumbered paragraph's line wrapped ("… see section" / "3.2 below").
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+[A-Z][^.!?]{0,90}$")
# Under "Contents", "1.0 Introduction 3" is an entry with its page, not a heading.
_CONTENTS_HEADING = re.compile(r"^(?:table of )?contents$|^cynnwys$", re.I)
_PAGE_AT_END = re.compile(r"\s\d{1,3}$")


@dataclass(slots=True)
class Segment:
    """A run of characters on one baseline with no wide horizontal gap."""

    text: str
    x0: float
    x1: float
    y: float  # baseline, PDF units (grows upwards)
    size: float
    bold: bool
    # Where a run of another text object began after a gap wider than a
    # word space but narrower than a cell gap: two narrow table cells the
    # segment joined. A table splits a segment only at one of these.
    breaks: list[float] = field(default_factory=list)
    # The word each of those runs began with, where it is known: the cell's
    # first word, found in the text where its start would fall.
    break_words: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Line:
    segments: list[Segment]
    y: float
    size: float
    bold: bool
    column: int = 0  # band/column id; a change starts a new block
    # Joined once, when the line is made: the layout reads a line's text
    # many times, and a line's segments do not change after (`replace`
    # makes a new line).
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = " ".join([s.text for s in self.segments])

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


@dataclass(slots=True)
class Style:
    body_size: float
    heading_sizes: list[float] = field(default_factory=list)

    def heading_level(self, size: float, bold: bool) -> int:
        for i, hs in enumerate(self.heading_sizes):
            if abs(size - hs) < 0.75:
                return min(6, i + 1)
        if size > self.body_size * 1.15:
            return 1
        return min(6, len(self.heading_sizes) + 1) if bold else 0


def make_style(pages: list[list[Segment]]) -> Style:
    sizes: Counter[float] = Counter()
    for segs in pages:
        for s in segs:
            sizes[round(s.size * 2) / 2] += len(s.text)
    if not sizes:
        return Style(10.0)
    body = sizes.most_common(1)[0][0]
    big = sorted({sz for sz in sizes if sz > body * 1.15}, reverse=True)
    return Style(body, big[:5])


def group_lines(segs: list[Segment]) -> list[Line]:
    rows: list[tuple[float, list[Segment]]] = []
    for seg in sorted(segs, key=lambda s: (-s.y, s.x0)):
        if rows and abs(rows[-1][0] - seg.y) < 0.4 * max(seg.size, 1.0):
            rows[-1][1].append(seg)
        else:
            rows.append((seg.y, [seg]))
    return [_line(sorted(row, key=lambda s: s.x0), y) for y, row in rows]


def _line(segments: list[Segment], y: float) -> Line:
    """A line of these segments: the size most of its characters have, bold
    if all of it is."""
    if len(segments) == 1:  # most lines: no count needed
        return Line(segments, y, segments[0].size, segments[0].bold)
    bold = all(s.bold for s in segments)
    chars = Counter[float]()
    for s in segments:
        chars[s.size] += len(s.text)
    return Line(segments, y, chars.most_common(1)[0][0], bold)


def _find_gutter(lines: list[Line], width: float) -> float | None:
    segs = [s for ln in lines for s in ln.segments]
    if len(segs) < 8:
        return None
    # Segments crossing x (x0 < x < x1) = starts left of x − ends at or left of x.
    spans = [(s.x0, s.x1) for s in segs if s.x0 < s.x1]
    starts = sorted(a for a, _ in spans)
    ends = sorted(b for _, b in spans)
    best: tuple[int, float, float] | None = None
    x = width * 0.3
    while x <= width * 0.7:
        crossing = bisect_left(starts, x) - bisect_right(ends, x)
        score = (crossing, abs(x - width / 2), x)
        if best is None or score < best:
            best = score
        x += 2.0
    if best is None or best[0] > len(segs) * 0.2:
        return None
    return best[2]


def _marked(line: Line) -> bool:
    """A list item whose marker stands apart from its text ("•", a tab, text)."""
    return len(line.segments) == 2 and bool(_MARKER.match(line.segments[0].text))


def _text_like(lines: list[Line], width: float, share: float = 0.8) -> bool:
    """Lines that look like running text of one column (long, and at least
    `share` of them one segment each, or a list item's marker and its text)."""
    if len(lines) < 3:
        return False
    single = sum(1 for ln in lines if len(ln.segments) == 1 or _marked(ln))
    widths = sorted(ln.segments[-1].x1 - ln.x0 for ln in lines)
    return single >= share * len(lines) and widths[len(widths) // 2] >= 0.25 * width


def _columns(left: list[Line], right: list[Line], width: float) -> bool:
    """Whether a band's two sides are two columns to read one after the other.

    Two sides of running text are. So is running text beside a table (a
    chronology in one of two columns), but not the two halves of a table
    across the page: there every line of the narrower side has a line at its
    baseline on the other (the cells of one row), where a column of text and a
    table of its own keep their own leading."""
    text_left, text_right = _text_like(left, width), _text_like(right, width)
    if text_left and text_right:
        return True
    if not (text_left or text_right):
        # Tables (or lists) on both sides: two columns when the two sides keep
        # their own baselines (a chronology in each column), not a table across
        # the page, whose cells' lines share theirs row by row. Stricter than
        # beside text: a few lines may share a baseline by chance.
        if min(len(left), len(right)) < 6:
            return False
        probe, other = (left, right) if len(left) <= len(right) else (right, left)
        return _shared(probe, other) < 0.2 * len(probe)
    if min(len(left), len(right)) < 3:
        return False
    table, text = (right, left) if text_left else (left, right)
    if _shared(table, text) >= 0.5 * len(table):
        return False  # the cells of rows across the page, line for line
    # A column of text that holds a table too (a timeline under its text),
    # or a table of its own, or short paragraphs and list items (a two-column
    # report's balanced last page); not a few short lines beside text.
    return _text_like(table, width, share=0.5) or _short_items(table, width) or \
        sum(len(ln.segments) > 1 for ln in table) >= 0.3 * len(table)


def _short_items(lines: list[Line], width: float) -> bool:
    """Lines of short paragraphs and list items in a column: one segment
    each (or a marker and its text), most wrapping short, but a quarter of
    them running most of a column's width."""
    if len(lines) < _SHORT_ITEM_LINES:
        return False
    single = sum(1 for ln in lines if len(ln.segments) == 1 or _marked(ln))
    widths = sorted(ln.segments[-1].x1 - ln.x0 for ln in lines)
    return single >= 0.8 * len(lines) and widths[len(widths) * 3 // 4] >= 0.3 * width


def _shared(probe: list[Line], other: list[Line]) -> int:
    """How many lines of `probe` have a line of `other` at their baseline
    (exactly: a line groups segments within a few points of each other)."""
    baselines = [seg.y for ln in other for seg in ln.segments]
    return sum(1 for ln in probe if any(abs(ln.segments[0].y - y) < 0.5 for y in baselines))


def _split(lines: list[Line], gutter: float, left: bool) -> list[Line]:
    out: list[Line] = []
    for ln in lines:
        segs = [s for s in ln.segments if (s.x1 <= gutter if left else s.x0 >= gutter)]
        if segs:
            # Its own baseline, size and weight: a line of the other column
            # set a little higher or lower was grouped with it, and a heading
            # beside a column's text shares its row, not its type.
            out.append(_line(segs, segs[0].y if len(segs) < len(ln.segments) else ln.y))
    return out


def _next_line(prev: Line, line: Line) -> bool:
    """Whether `line` can go on from `prev` in one block: the same type, on
    the next baseline."""
    return (0 < prev.y - line.y <= 1.6 * max(prev.size, 1.0)
            and abs(line.size - prev.size) <= 0.75 and line.bold == prev.bold)


def _ends_paragraph(band: list[Line], line: Line) -> bool:
    """Whether `line`, short of the gutter, is the last line of the paragraph
    the full-width `band` ends with: it goes on from it at the same left edge,
    or at a list item's hanging indent ("b) GPs should … with a" / "MARAC
    flag attends.")."""
    last = band[-1]
    if not _next_line(last, line):
        return False
    indent = line.x0 - last.x0
    return abs(indent) <= 4 or (_is_bullet(last.text) and 0 < indent <= 3 * line.size)


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """Lines in reading order: two-column bands read left column, then right column."""
    gutter = _find_gutter(lines, width)
    if gutter is None:
        return lines
    # (runs across the gutter, lines): lines across the gutter in a row are
    # one band, with the short last line of their paragraph, so that a
    # paragraph or title running the page's full width is read as one (a
    # table's gaps can make the gutter the text under it runs across).
    bands: list[tuple[bool, list[Line]]] = []
    current: list[Line] = []
    spanning = False
    for ln in lines:
        crosses = any(s.x0 < gutter < s.x1 for s in ln.segments)
        if current and spanning and not crosses and _ends_paragraph(current, ln):
            current.append(ln)
            bands.append((True, current))
            current, spanning = [], False
            continue
        if current and (crosses != spanning or (
                not crosses and current[-1].y - ln.y > 3.5 * max(ln.size, current[-1].size))):
            bands.append((spanning, current))
            current = []
        spanning = crosses
        current.append(ln)
    if current:
        bands.append((spanning, current))
    out: list[Line] = []
    column = 0
    for spanning, band in bands:
        left, right = _split(band, gutter, True), _split(band, gutter, False)
        column += 1
        if not spanning and _columns(left, right, width):
            for ln in left:
                ln.column = column
            column += 1
            for ln in right:
                ln.column = column
            out.extend(left + right)
        else:
            for ln in band:
                ln.column = column
            out.extend(band)
    return out


def _aligned(line: Line, columns: list[float], tol: float = 4.0) -> bool:
    return all(any(abs(s.x0 - c) <= tol for c in columns) for s in line.segments)


def _is_bullet(text: str) -> bool:
    return _BULLET.match(text) is not None


# The first line of a footnote: its number (or *, †, ‡), then its text.
_NOTE_START = re.compile(r"^(?:\d{1,3}[.)]?|[*†‡])\s*\S")


def split_notes(lines: list[Line], style: Style) -> tuple[list[Line], list[Line]]:
    """A page's lines as its text and its footnotes: the lines below its
    lowest line of body text, in smaller type, the first of them numbered.
    (A page number, whatever its size, is not body text.)"""
    body = sorted((ln for ln in lines if abs(ln.size - style.body_size) <= 0.75),
                  key=lambda ln: ln.y)
    lowest = next((ln for ln in body if not is_page_number(ln.text)), None)
    if lowest is None:
        return lines, []
    floor = lowest.y - 0.5
    below = [ln for ln in lines if ln.y < floor]
    if not below or any(ln.size > 0.9 * style.body_size for ln in below
                        if not is_page_number(ln.text)):
        return lines, []
    if not _NOTE_START.match(max(below, key=lambda ln: ln.y).text):
        return lines, []
    return [ln for ln in lines if ln.y >= floor], below


@dataclass(slots=True)
class TableCarry:
    """A table that runs to the foot of one page and may go on at the head of
    the next, where no header row says what its columns are: its cell starts,
    and the cells of a row the page broke (what of it fits at the foot)."""

    columns: list[float] | None = None
    pending: list[tuple[float, str]] = field(default_factory=list)
    # The pending cells are a whole row's, held at the foot: its cells may go
    # on overleaf with the first column empty, or the next row may start.
    whole: bool = False


def _held(pending: list[tuple[float, str]], whole: bool) -> Block:
    """A carried row that does not go on, as it stands: a row held whole at a
    page's foot is a row; a broken row's text a paragraph."""
    if whole:
        return Block(BlockKind.TABLE_ROW, " | ".join(t for _, t in pending))
    return Block(BlockKind.PARAGRAPH, " ".join(t for _, t in pending))


def carried_leftover(carry: TableCarry) -> Block | None:
    """What a table carried past the last page still holds."""
    if not carry.pending:
        return None
    block = _held(carry.pending, carry.whole)
    carry.columns, carry.pending, carry.whole = None, [], False
    return block


# Lines at the head of a page before a carried table's rows go on (a running
# header), and at its foot after them (a running footer, a page number).
_PAGE_MARGIN_LINES = 2
# A line at the head of a page further than this (in its size) above the next
# is the page's running header, not a row's cells going on.
_HEADER_GAP = 2.5


def build_blocks(lines: list[Line], style: Style,
                 carry: TableCarry | None = None) -> list[Block]:
    """Group ordered lines into headings, paragraphs, list items and table rows.
    With `carry`, a table carried from the page before goes on in its columns
    at the head of this page, and this page's table that runs to its foot is
    carried to the next."""
    blocks: list[Block] = []
    carried = carry.columns if carry is not None else None
    pending = carry.pending if carry is not None else []
    whole = carry.whole if carry is not None else False
    resume = _resumes_table(lines, carried, broken=bool(pending))
    if carry is not None:
        carry.columns, carry.pending, carry.whole = None, [], False
    if whole and carried:
        going_on = _row_goes_on_overleaf(lines, carried)
        if going_on >= 0:
            resume = going_on
        else:
            # The next row starts here (or the table ended): the row stands whole.
            blocks.append(_held(pending, whole=True))
            pending = []
    if pending and resume < 0:
        # The broken row does not go on here: its text stands as it is.
        blocks.append(_held(pending, whole=False))
        pending = []
    # Each column's right edge for text of each size (a running header in
    # smaller type set further right is not the body's edge).
    right: dict[tuple[int, int], float] = {}
    for ln in lines:
        key = (ln.column, round(ln.size))
        right[key] = max(right.get(key, 0.0), ln.x1)
    i = 0
    n = len(lines)
    contents = False  # under a "Contents" heading
    while i < n:
        ln = lines[i]
        if i == resume or _starts_table(lines, i):
            columns, before = (carried, pending) if i == resume else (None, [])
            after = _table(lines, i, blocks, columns, carry_to=carry, before=before)
            if after > i:
                i = after
                continue
            # (No row read there after all: the line is read as text.)
        group = [ln]
        j = i + 1
        level = style.heading_level(ln.size, ln.bold)
        bullet = _is_bullet(ln.text)
        numbered = bool(_PARAGRAPH_NUMBER.match(ln.text))
        while j < n:
            nxt, prev = lines[j], group[-1]
            edge = _edge(right, prev)
            if nxt.column != prev.column:
                if level or not _goes_on_in_column(prev, nxt, edge) or \
                        _starts_table(lines, j):
                    break
            elif not _next_line(prev, nxt) or j == resume or _starts_table(lines, j) or (
                    _is_bullet(nxt.text)
                    and not (not bullet and _runs_on(prev, nxt, edge))) or (
                    _PARAGRAPH_NUMBER.match(nxt.text) and (
                        numbered or not _runs_on(prev, nxt, edge))):
                break
            elif bullet and nxt.x0 < ln.x0 + 2 and not _wrapped(prev, nxt, edge):
                break  # an unindented line after a short one ends the list item
            group.append(nxt)
            j += 1
        text = join_lines((x.text for x in group), pending=True)
        larger = ln.size > style.body_size * 1.15
        # A heading set larger than the text may run to a sentence or two (a
        # finding stated as a heading: "Finding 1: In Northshire, permanent
        # exclusion ... is not considered by the agencies who could reduce it").
        if level and len(text) <= (_LONG_HEADING if larger else 200) and (
                larger or len(group) <= 2):
            blocks.append(Block(BlockKind.HEADING, text, level))
            contents = bool(_CONTENTS_HEADING.match(text))
        elif bullet:
            m = _BULLET.match(text)
            blocks.append(Block(BlockKind.LIST_ITEM, list_item_text(*m.groups()) if m else text,
                                room=_room(group[-1], _edge(right, group[-1]))))
        elif len(group) == 1 and _NUMBERED_HEADING.match(text) and len(text.split()) <= 12 \
                and not text.endswith(":") and not (contents and _PAGE_AT_END.search(text)):
            # (A sentence ending in a colon is a lead-in to the items below it.)
            blocks.append(Block(BlockKind.HEADING, text, min(6, len(style.heading_sizes) + 1)))
            contents = False
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text,
                                room=_room(group[-1], _edge(right, group[-1]))))
        i = j
    return blocks


_LONG_HEADING = 400


def _edge(right: dict[tuple[int, int], float], line: Line) -> float:
    """The right edge of `line`'s column for text of its size."""
    return right[line.column, round(line.size)]


def _wrapped(prev: Line, line: Line, right: float) -> bool:
    """Whether `line` is `prev` wrapped: its first word would not have fitted
    in the room `prev` leaves before the column's right edge. A numbered
    paragraph set flush ("1. The review…" with its next lines under the "1.")
    goes on; a list item that stopped short is over."""
    return _room(prev, right) < len(line.segments[0].text.split(" ", 1)[0]) + 1


def _room(line: Line, right: float) -> float:
    """How many characters would still fit on `line` before `right`, at the
    line's mean character width."""
    em = char_width(line.segments[-1])
    return (right - line.x1) / em if em > 0 else 0.0


def char_width(seg: Segment) -> float:
    """A segment's mean character width."""
    return (seg.x1 - seg.x0) / max(1, len(seg.text))


def _goes_on_in_column(prev: Line, line: Line, right: float) -> bool:
    """Whether `line`, the first of the next column, is the rest of the
    paragraph whose last line `prev` ends the last one (its column's right
    edge at `right`): a paragraph cut by a column break, as
    `clean.cut_by_break` reads one cut by a page break (from how the text
    ends, so the last line is enough). The next column starts above where
    the last one ended (a band below, such as the page's footer, does not)."""
    return (line.y > prev.y and abs(line.size - prev.size) <= 0.75 and line.bold == prev.bold
            and not _is_bullet(line.text)
            and cut_by_break(prev.text, line.text, _room(prev, right)))


def _runs_on(prev: Line, line: Line, right: float) -> bool:
    """Whether `line`, which opens like a numbered item ("18) was noted…",
    "2. The…"), is the paragraph `prev` wrapped at a number: not a bullet,
    under `prev`'s left edge, and `prev` full to the column's edge."""
    return (line.text[:1] not in _GRAPHIC_BULLET and line.x0 >= prev.x0 - 2
            and _wrapped(prev, line, right))


def _starts_table(lines: list[Line], i: int) -> bool:
    """Whether a table starts at lines[i]: two lines of cells in a row, or a
    line of cells whose first cell wraps onto lines of its own before the
    next line of cells at the same cell starts (a table of recommendations
    with agency and level columns, each recommendation running on)."""
    if len(lines[i].segments) < 2 or _marked(lines[i]):
        return False
    lines = _unjustified(lines, i)
    first = lines[i]
    if len(first.segments) < 2:
        return False  # one cell's words set apart, not cells
    starts = [s.x0 for s in first.segments]
    if _header_at_foot(lines, i, starts):
        return True
    prev = first
    gap: float | None = None
    for k, nxt in enumerate(lines[i + 1:i + 8]):
        if nxt.column != first.column and not (k == 0 and _header_over(first, nxt, starts)):
            return False
        if len(nxt.segments) >= 2:
            return k == 0 or (len(nxt.segments) == len(starts) and _aligned(nxt, starts))
        if k == 0 and len(starts) >= 3:
            # Set with more leading, a cell wraps at the table's own closest
            # gap ("Lead" / "agency" in a header row on 1.35 lines). Not with
            # two cells: a paragraph with its number in the margin is one.
            gap = _wrap_gap(lines, i)
        if not _wraps_in_cell(prev, nxt, starts, gap or 0.0):
            return False
        prev = nxt
    return False


def _header_over(header: Line, row: Line, starts: list[float]) -> bool:
    """Whether `header` is a table's header row set over `row`, the first row
    of its body, though reading order put the two in different columns (the
    body's cells, wrapping on several lines, read as columns of their own)."""
    return len(row.segments) >= 2 and _aligned(row, starts) and \
        0 < header.y - row.y <= 3 * header.size


def _in_first_cell(line: Line, columns: list[float]) -> bool:
    return len(line.segments) == 1 and abs(line.x0 - columns[0]) <= 4 and \
        line.x1 < columns[1] - 2


def _first_cell_overleaf(lines: list[Line], k: int, columns: list[float]) -> bool:
    """Whether lines[k], at the head of a page, is the first cell of a row the
    page before broke: a run within the first cell's width, and the line after
    it more of that cell or the next row, in the same type."""
    if len(columns) < 2 or k + 1 >= len(lines) or not _in_first_cell(lines[k], columns) \
            or _PARAGRAPH_NUMBER.match(lines[k].segments[0].text + " "):
        return False
    nxt = lines[k + 1]
    return abs(nxt.size - lines[k].size) < 0.5 and (
        _in_first_cell(nxt, columns) or (len(nxt.segments) >= 2 and _aligned(nxt, columns)))


def _header_at_foot(lines: list[Line], i: int, starts: list[float]) -> bool:
    """Whether lines[i] is a table's header row at the foot of a page whose
    first row the page broke: after it only runs in a column other than the
    first (the row's later cells; its first cell overleaf), then the page's
    furniture."""
    if _PARAGRAPH_NUMBER.match(lines[i].segments[0].text + " "):
        return False  # a numbered paragraph, its number in the margin
    k = i + 1
    while k < len(lines) and len(lines[k].segments) == 1 and any(
            abs(lines[k].x0 - c) <= 4 for c in starts[1:]) and \
            lines[k - 1].y - lines[k].y <= 2 * lines[k].size * WIDE_LEADING:
        k += 1
    # Or its first cell alone, the row's other cells overleaf.
    k = max(k, i + 1 + _first_cell_at_foot(lines, i + 1, starts))
    return k > i + 1 and len(lines) - k <= _PAGE_MARGIN_LINES and all(
        page_furniture(ln, lines[i].size) for ln in lines[k:])


def _first_cell_at_foot(lines: list[Line], i: int, columns: list[float]) -> int:
    """How many lines from lines[i], at the foot of a page after a table's
    rows, are the first cell of a row the page broke, its other cells
    overleaf ("The secondary school" / next page: "The designated
    safeguarding person kept ..."): runs within the first cell's width, then
    only the page's furniture."""
    k = i
    while k < len(lines) and _in_first_cell(lines[k], columns) and (
            k == i or lines[k - 1].y - lines[k].y <= 2 * lines[k].size * WIDE_LEADING):
        k += 1
    if k == i or len(lines) - k > _PAGE_MARGIN_LINES or not all(
            page_furniture(ln, lines[i].size) for ln in lines[k:]):
        return 0
    return k - i


def _resumes_table(lines: list[Line], columns: list[float] | None,
                   broken: bool = False) -> int:
    """The index of the line at the head of a page where a table carried from
    the page before goes on (a row starting in its first column, its cells at
    its cell starts, or run together as one segment; with `broken`, a row the
    page broke, its first cell alone in the first column); -1 where none does."""
    if not columns:
        return -1
    for k, ln in enumerate(lines[:_PAGE_MARGIN_LINES + 1]):
        if broken and _first_cell_overleaf(lines, k, columns):
            return k
        # A numbered paragraph, its number in the margin, is no row ("4.9" /
        # "Most local authorities ..." after a table of numbered items).
        if _PARAGRAPH_NUMBER.match(ln.segments[0].text + " "):
            continue
        # Its other cells at the table's cell starts (a justified cell's words
        # set wide apart may start elsewhere), or run into the first.
        if abs(ln.x0 - columns[0]) <= 4 and (_joined_cells(ln, columns) or any(
                abs(s.x0 - c) <= 4 for s in ln.segments[1:] for c in columns[1:])):
            return k
    return -1


def _table(lines: list[Line], i: int, blocks: list[Block], columns: list[float] | None = None,
           carry_to: TableCarry | None = None,
           before: list[tuple[float, str]] | None = None) -> int:
    """Emit rows of the table starting at lines[i] (in `columns`, a table's
    carried from the page before, else the first row's; `before`, the cells of
    its first row that the page before holds); return the index after it. A
    table that runs to the page's foot leaves its columns, and the cells of a
    row the page broke, in `carry_to`."""
    settled = bool(columns)  # carried from the page before, header and all
    lines = _unjustified(lines, i)
    first = lines[i]
    columns = list(columns) if columns else [s.x0 for s in first.segments]
    rows: list[list[list[Segment]]] = []  # each row's lines' segments
    n = len(lines)
    wrapped = _wrap_gap(lines, i, columns)
    prev: Line | None = None
    column = first.column
    while i < n:
        ln = lines[i]
        if prev is first and ln.column != column and _header_over(first, ln, columns):
            column = ln.column  # the body under a header read as a column of its own
        if ln.column != column or (prev is not None and prev.y - ln.y > 4 * ln.size):
            break
        if (wrapped is not None and prev is not None and rows and prev.y - ln.y <= wrapped
                and _aligned(ln, columns)):
            # Several cells of one row wrapping together ("3. Betsi Cadwaladr
            # University Health Board, Denbighshire County" / "Council and ...").
            rows[-1].append(ln.segments)
        elif prev is not None and rows and (
                (wrapped is None and _runs_on_in_cells(prev, ln, columns))
                or _numbered_row_goes_on(rows[-1], prev, ln, columns,
                                         carried_row=bool(before) and len(rows) == 1)):
            rows[-1].append(ln.segments)
        elif prev is first and rows and len(rows) == 1 and _header_wraps(first, ln, columns):
            if not settled:
                _add_columns(columns, ln)  # a cell the header's first line ran together
            rows[-1].append(ln.segments)
        elif len(ln.segments) >= 2:
            if not settled:
                # Carried, the columns are settled by the page before: a
                # segment elsewhere is a word of a cell set wide (justified).
                _add_columns(columns, ln)
            rows.append([ln.segments])
        elif prev is not None and _wraps_in_cell(prev, ln, columns, wrapped or 0.0):
            rows[-1].append(ln.segments)
        elif _joined_cells(ln, columns):
            rows.append([ln.segments])  # _cells splits it at the breaks
        elif before and not rows and any(abs(ln.x0 - c) <= 4 for c in columns):
            # The broken row's first cell overleaf, or (its first cell at the
            # foot of the page before) its other cells.
            rows.append([ln.segments])
        else:
            break
        prev = ln
        i += 1
    broken = _broken_row(lines, i, columns) if carry_to is not None and rows else 0
    # A row whose first cell alone fits at the foot: held whole, its other
    # cells may go on overleaf with the first column empty.
    first_cell = _first_cell_at_foot(lines, i, columns) \
        if carry_to is not None and rows and not broken else 0
    def cells_of(segments: list[Segment]) -> list[tuple[float, str]]:
        found = _cells(segments, columns)
        return _in_columns(found, columns) if settled else found

    cells: list[tuple[float, str]] = []
    for k, row in enumerate(rows):
        cells = cells_of(row[0])
        if k == 0 and before:
            cells = _prefixed(cells, before, columns)
        for segments in row[1:]:
            cells = _merge_cells(cells, cells_of(segments), columns)
        blocks.append(Block(BlockKind.TABLE_ROW, " | ".join(t for _, t in cells)))
    if carry_to is not None and rows and n - i - broken <= _PAGE_MARGIN_LINES and all(
            page_furniture(ln, first.size) for ln in lines[i + broken:]):
        carry_to.columns = columns
        carry_to.pending = [(s.x0, s.text) for ln in lines[i:i + broken] for s in ln.segments]
        i += broken
        if first_cell:
            carry_to.pending = [(columns[0], join_lines(
                (ln.text for ln in lines[i:i + first_cell]), pending=True))]
            carry_to.whole = True
            return i + first_cell
        if not broken and len(columns) >= 3 and _numbered(rows[-1][0][0], columns):
            # The last row may go on overleaf: held back until the next page says.
            blocks.pop()
            carry_to.pending = cells
            carry_to.whole = True
    return i


# A row's number in a table's first column ("1", "4a", "2."): a table whose
# rows are numbered starts each row there.
_ROW_NUMBER = re.compile(r"^\(?\d{1,2}[a-z]?[.)]?$")
# A chronology's row dated in its first column ("31/01/2023", "2 March 2023").
_ROW_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})$|"
                       r"^\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]{2,8}\.? \d{4}$")
_ROW_LINE_GAP = 2.0  # in font sizes: a row's lines are no further apart


def _numbered(head: Segment, columns: list[float], dated: bool = False) -> bool:
    """Whether a row starts with its number (or, `dated`, its date) in the
    table's first column."""
    text = head.text.strip()
    return abs(head.x0 - columns[0]) <= 4 and bool(
        _ROW_NUMBER.match(text) or (dated and _ROW_DATE.match(text)))


def _numbered_row_goes_on(row: list[list[Segment]], prev: Line, line: Line,
                          columns: list[float], carried_row: bool = False) -> bool:
    """Whether `line` goes on with `row` in a table whose rows are numbered (or
    dated) in their first column: the line leaves that column empty and
    follows on close. Its cells may start with capitals ("University Health
    Board", "Welsh" / "Ambulance" / "Services", an agency's name wrapping),
    which the lower-case rule (_runs_on_in_cells) cannot take. `carried_row`:
    the row is a numbered one the page before began, its number there."""
    return (len(columns) >= 3 and (carried_row or _numbered(row[0][0], columns, dated=True))
            and line.x0 > columns[0] + 4 and any(abs(line.x0 - c) <= 4 for c in columns[1:])
            and 0 < prev.y - line.y <= _ROW_LINE_GAP * line.size)


def _row_goes_on_overleaf(lines: list[Line], columns: list[float]) -> int:
    """The index of the line at the head of a page where a row held whole from
    the page before goes on (its first column empty, its text in the others);
    -1 where none does."""
    for k, ln in enumerate(lines[:_PAGE_MARGIN_LINES + 1]):
        if k + 1 < len(lines) and ln.y - lines[k + 1].y > _HEADER_GAP * ln.size and any(
                abs(lines[k + 1].x0 - c) <= 4 for c in columns[1:]):
            # A running header set apart ("Safeguarding review — published
            # report"), the row's cells going on below it.
            continue
        if abs(ln.x0 - columns[0]) <= 4:
            return -1  # a row of its own, or the text after the table
        if any(abs(ln.x0 - c) <= 4 for c in columns[1:]) and (
                len(ln.segments) >= 2 or k + 1 < len(lines)):
            return k
    return -1


def _broken_row(lines: list[Line], i: int, columns: list[float]) -> int:
    """How many lines after a table, at the foot of its page, are the start of
    a row the page broke: single runs in a column other than the first (its
    first cell begins on the next page)."""
    k = i
    while k < len(lines) and k > 0 and len(lines[k].segments) == 1 and any(
            abs(lines[k].x0 - c) <= 4 for c in columns[1:]) and \
            lines[k - 1].y - lines[k].y <= 2 * lines[k].size * WIDE_LEADING:
        k += 1
    return k - i


def _in_columns(cells: list[tuple[float, str]], columns: list[float]
                ) -> list[tuple[float, str]]:
    """A row's cells with each run that starts at no cell start joined to the
    cell before it (a justified cell's words set wide apart)."""
    out: list[tuple[float, str]] = []
    for x, text in cells:
        if out and not any(abs(x - c) <= 4 for c in columns):
            out[-1] = (out[-1][0], f"{out[-1][1]} {text}")
        else:
            out.append((x, text))
    return out


def _prefixed(cells: list[tuple[float, str]], before: list[tuple[float, str]],
              columns: list[float]) -> list[tuple[float, str]]:
    """The first row's cells with the text the page before holds of them first."""
    def column(x: float) -> float:
        return min(columns, key=lambda c: abs(c - x))

    head: dict[float, list[str]] = {}
    for x, text in before:
        head.setdefault(column(x), []).append(text)
    out = [(x, join_lines([*head.pop(column(x), []), text], pending=True)) for x, text in cells]
    out += [(c, join_lines(texts, pending=True)) for c, texts in head.items()]
    return sorted(out, key=lambda cell: cell[0])


_FURNITURE_WORDS = 8


def page_furniture(line: Line, size: float) -> bool:
    """Whether a line below a table can be the page's running footer or number,
    not the text after the table: one short run, no larger than the table's."""
    return len(line.segments) == 1 and len(line.text.split()) <= _FURNITURE_WORDS \
        and line.size <= size + 0.5


def _joined_cells(line: Line, columns: list[float]) -> bool:
    """A row whose cells, set closer than a segment's gap ("MARAC" and its
    meaning 10 pt apart), are one segment: it starts at the first column and
    a run of it began at another."""
    if len(line.segments) != 1 or len(columns) < 2:
        return False
    seg = line.segments[0]
    # A numbered paragraph's number, set close to its text, is no cell.
    return abs(seg.x0 - columns[0]) <= 4 and not _PARAGRAPH_NUMBER.match(seg.text) and \
        any(abs(b - c) <= 4 for b in seg.breaks for c in columns[1:])


def _cells(segments: list[Segment], columns: list[float]) -> list[tuple[float, str]]:
    """A line's cells, (start, text): its segments, each split where it runs
    over a cell start the table's other rows have and a run of text began
    there (two narrow cells set closer than a segment's gap, "No." and
    "Recommendation" in a header or a date and an agency, are one segment).
    The split falls before the word the run at that start began with, found
    nearest where the start would be at the segment's mean character width;
    else at the space nearest there."""
    out: list[tuple[float, str]] = []
    for seg in segments:
        x, text = seg.x0, seg.text
        em = char_width(seg)
        for c in sorted(c for c in columns if seg.x0 + 2 * em < c < seg.x1 - em
                        and any(abs(b - c) <= 4 for b in seg.breaks)):
            at = round((c - x) / em)
            cut = cut_at(text, at, _break_word(seg, c))
            if cut < 0:
                continue  # no word ends there: text running over, not two cells
            out.append((x, text[:cut]))
            x, text = c, text[cut + 1:]
        out.append((x, text))
    return out


def _break_word(seg: Segment, column: float) -> str | None:
    for x, word in zip(seg.breaks, seg.break_words, strict=False):
        if abs(x - column) <= 4:
            return word
    return None


# How far (in characters) the mean width may misplace a cell's start: a
# word known to start the cell is sought further than any space.
_CUT_NEAR, _WORD_NEAR = 2, 6


def cut_at(text: str, at: int, word: str | None) -> int:
    """The index of the space to split `text` at, near character `at`:
    before `word` where it is known and found, else the nearest space; -1
    when neither is near enough."""
    spaces = [k for k, ch in enumerate(text) if ch == " "]
    if word:
        before = [k for k in spaces if text.startswith(word, k + 1)]
        cut = min(before, key=lambda k: abs(k - at), default=-1)
        if cut >= 0 and abs(cut - at) <= _WORD_NEAR:
            return cut
    cut = min(spaces, key=lambda k: abs(k - at), default=-1)
    return cut if cut >= 0 and abs(cut - at) <= _CUT_NEAR else -1


# A line wrapping inside a table cell stands less than this many times its
# type size below the line before; a new row, padded apart, further. Tables
# set with more leading (Word's and browsers' 1.35 to 1.5 lines) wrap at up
# to WIDE_LEADING, and there a table's own closest gap tells wraps from rows.
WRAP_LEADING = 1.35
WIDE_LEADING = 1.7


def _header_wraps(header: Line, line: Line, starts: list[float]) -> bool:
    """Whether `line` is the rest of a header row whose cells wrap ("Age at" /
    "the time", "Parental" / "substance use"): only lower-case cell starts, each
    under the header, close below it. A body's first row opens a cell with a
    capital or a digit."""
    def under_header(seg: Segment) -> bool:
        # At a cell start, or inside a header segment that two narrow cells
        # share ("Child Age at": the columns are known from the rows below).
        return any(abs(seg.x0 - x) <= 4 for x in starts) or any(
            h.x0 < seg.x0 < h.x1 for h in header.segments)

    return 0 < header.y - line.y < WIDE_LEADING * line.size and all(
        s.text[:1].islower() and under_header(s) for s in line.segments)


def _wraps_in_cell(prev: Line, line: Line, starts: list[float], leading: float = 0.0) -> bool:
    """Whether `line` is text wrapping inside a table's cell after `prev`: its
    cells start at the table's cell starts, on the next line's leading (or
    within `leading`, the table's own wrap gap where it has one)."""
    return _aligned(line, starts) and \
        0 < prev.y - line.y < max(WRAP_LEADING * line.size, leading)


_ENDS_CELL = (".", "!", "?", ":", ";")


def _runs_on_in_cells(prev: Line, line: Line, columns: list[float]) -> bool:
    """Whether `line` is the text of `prev`'s cells running on, in a table
    whose lines are all the same distance apart (no padding tells a row from
    its wrapping: a long row wrapping in a narrow column): every cell of
    `line` starts in lower case under a cell of `prev` that did not end a
    sentence. A row of its own starts a cell with a capital, a digit or a
    mark; cells of one-line rows all in lower case are rare in a report."""
    if not _wraps_in_cell(prev, line, columns):
        return False
    above = _cells(prev.segments, columns)
    for x, text in _cells(line.segments, columns):
        over = min(above, key=lambda cell: abs(cell[0] - x))
        if abs(over[0] - x) > 4 or not text[:1].islower() or \
                over[1].rstrip().endswith(_ENDS_CELL):
            return False
    return True


def _add_columns(columns: list[float], line: Line) -> None:
    """The table's cell starts, with those of `line` it did not have yet."""
    for s in line.segments:
        if not any(abs(s.x0 - c) <= 4 for c in columns):
            columns.append(s.x0)


def _table_lines(lines: list[Line], i: int, columns: list[float]) -> list[Line]:
    """The lines a table starting at lines[i] takes: lines of cells, and
    one cell's text wrapping, up to the text after it."""
    out = [lines[i]]
    columns = list(columns)
    for a, b in itertools.pairwise(lines[i:i + 200]):
        if (b.column != a.column and not (a is lines[i] and _header_over(a, b, columns))) \
                or a.y - b.y > 4 * b.size:
            break
        if len(b.segments) < 2 and not _wraps_in_cell(a, b, columns, WIDE_LEADING * b.size):
            break  # the text after the table (one cell wrapping is still the table)
        _add_columns(columns, b)
        out.append(b)
    return out


def _unjustified(lines: list[Line], i: int) -> list[Line]:
    """`lines` with the table starting at lines[i] read as its cells: where
    its cells are justified, a narrow cell's words are set so far apart that
    each is a run of its own ("as", "well", "as"), and would start columns of
    their own. A cell starts where no run of any of the table's lines runs
    across (the gutter between columns is empty from top to bottom); a run
    starting anywhere else is the words of the cell before it, and joins it."""
    taken = _table_lines(lines, i, [s.x0 for s in lines[i].segments])
    runs = [s for ln in taken for s in ln.segments]
    starts: list[float] = []
    for seg in runs:
        if not any(abs(seg.x0 - c) <= 4 for c in starts):
            starts.append(seg.x0)
    cells = [c for c in starts if not any(
        s.x0 < c - 4 and s.x1 > c + 4 and not any(abs(b - c) <= 4 for b in s.breaks)
        for s in runs)]
    if len(cells) < 2 or len(cells) == len(starts):
        return lines
    out = list(lines)
    for k, ln in enumerate(taken, start=i):
        joined: list[Segment] = []
        for seg in ln.segments:
            if joined and not any(abs(seg.x0 - c) <= 4 for c in cells):
                last = joined[-1]
                joined[-1] = replace(last, text=f"{last.text} {seg.text}", x1=seg.x1,
                                     breaks=[*last.breaks, *seg.breaks],
                                     break_words=[*last.break_words, *seg.break_words])
            else:
                joined.append(seg)
        out[k] = replace(ln, segments=joined)
    return out


def _wrap_gap(lines: list[Line], i: int, columns: list[float] | None = None) -> float | None:
    """The largest gap between two lines of cells that is a row's text
    wrapping rather than a new row, in a table whose rows are spaced apart
    from their wrapped lines (two kinds of gap: a line's leading, and the
    leading plus the cells' padding); None when every gap is alike, as in a
    table of one-line rows, whose lines are then each a row. Read over the
    lines the table takes (its rows and the wrapped lines of one cell), so the
    gap to the text after the table does not count."""
    taken = _table_lines(lines, i, columns or [s.x0 for s in lines[i].segments])
    gaps = [a.y - b.y for a, b in itertools.pairwise(taken)]
    if len(gaps) < 2:
        return None
    # The commonest gap below a new row's is the leading of wrapped lines; not
    # the smallest, which a cell set a little off its row's baseline makes.
    limit = WRAP_LEADING * lines[i].size
    if limit <= min(gaps) < WIDE_LEADING * lines[i].size:
        limit = min(gaps) * 1.05  # set with more leading: the closest lines are wraps
    close = Counter(round(g * 2) / 2 for g in gaps if 0 < g < limit)
    if not close:
        return None
    tight = max(close.items(), key=lambda item: (item[1], -item[0]))[0]
    if max(gaps) < 1.25 * tight:
        return None
    return tight * 1.1


def _merge_cells(row: list[tuple[float, str]], extra: list[tuple[float, str]],
                 columns: list[float] | None = None) -> list[tuple[float, str]]:
    """A row's cells with a wrapped line's joined to them. A cell the row's
    first line left empty (an agency's name set lower than the row's date)
    is the wrapped text's own, where it starts at one of the `columns`."""
    out = list(row)
    for x, text in extra:
        k = min(range(len(out)), key=lambda idx: abs(out[idx][0] - x))
        empty = next((c for c in columns or () if abs(c - x) <= 4), None)
        if abs(out[k][0] - x) > 4 and empty is not None:
            out.append((empty, text))
            out.sort(key=lambda cell: cell[0])
            continue
        out[k] = (out[k][0], join_lines([out[k][1], text], pending=True))
    return out
