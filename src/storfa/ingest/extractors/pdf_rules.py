"""Tables drawn with rules: a grid of cell borders read from the page's paths.

Word, browsers and most report templates stroke every cell's border. Where
they do, the rules say exactly where each row and column is, which the text
alone says only by gaps: a cell of justified text in a narrow column sets its
words as far apart as cells, and a row's wrapped lines stand as far apart as
rows (`pdf_layout`'s table reading, kept for tables without borders). A page's
ruled tables are read from its rules; the rest of the page goes through the
text layout as before, in bands above, between and below them.

A row the page breaks has no rule under it at the foot of one page, and none
over it at the head of the next: those two halves are one row.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from itertools import pairwise

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from storfa.domain.documents import Block, BlockKind
from storfa.ingest.clean import join_lines
from storfa.ingest.extractors.pdf_layout import Segment, char_width, cut_at, group_lines

# A path this thin (points) and at least _MIN_RULE long is a rule.
_THIN = 2.5
_MIN_RULE = 6.0
# Rules this close (points) are one edge: a border drawn per cell, or twice.
_SNAP = 2.0
# A grid is a table when some row of it has at least this many cells.
_MIN_COLUMNS = 2
# A one-row grid taller than this share of the page is a frame round columns.
_FRAME = 0.4
# More rules than these on a page (drawn, then once collinear ones are joined)
# make a drawing, not a table: the page is read by its text alone, and
# joining rules, which compares every flat rule with every upright one,
# stays cheap. A page-long table of 7 columns and 40 rows, each cell's
# borders drawn apart, is 1,120 rules drawn and 49 joined.
_MAX_RAW_RULES = 20_000
_MAX_RULES = 1_000


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal (`pos` is y) or vertical (`pos` is x) line from start to end."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass(slots=True)
class Row:
    """A band of a grid between two horizontal edges, and its cell edges."""

    top: float
    bottom: float
    edges: list[float]  # x of the vertical rules crossing the band, left to right
    cells: list[list[Segment]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each cell's text, once filled


@dataclass(slots=True)
class Grid:
    """One ruled table on a page (PDF units, y growing upwards)."""

    left: float
    right: float
    top: float
    bottom: float
    rows: list[Row]
    open_top: bool  # no rule over the first row: a row the page before broke
    open_bottom: bool  # no rule under the last: the row goes on overleaf

    def holds(self, seg: Segment) -> bool:
        return (self.bottom < seg.y < self.top and seg.x0 >= self.left - _SNAP
                and seg.x1 <= self.right + _SNAP)


def page_rules(page: pdfium.PdfPage) -> list[Rule]:
    """The page's straight rules: thin paths (a stroked line, a thin filled
    rectangle) and the sides of stroked rectangles. Forms' inner objects are
    not read (their coordinates are the form's own)."""
    raw = page.raw
    rules: list[Rule] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        if y1 - y0 <= _THIN and x1 - x0 >= _MIN_RULE:
            rules.append(Rule(True, (y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= _THIN and y1 - y0 >= _MIN_RULE:
            rules.append(Rule(False, (x0 + x1) / 2, y0, y1))
        elif x1 - x0 >= _MIN_RULE and y1 - y0 >= _MIN_RULE and _stroked_box(obj):
            rules += [Rule(True, y0, x0, x1), Rule(True, y1, x0, x1),
                      Rule(False, x0, y0, y1), Rule(False, x1, y0, y1)]
    return rules


def _stroked_box(obj: pdfium_c.FPDF_PAGEOBJECT) -> bool:
    """A stroked path of straight segments only, four sides: a drawn box (a
    cell's border). A filled box is shading or a panel, not a border."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
        return False
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count not in (4, 5):
        return False
    return all(pdfium_c.FPDFPathSegment_GetType(pdfium_c.FPDFPath_GetPathSegment(obj, k))
               != pdfium_c.FPDF_SEGMENT_BEZIERTO for k in range(count))


def find_grids(rules: list[Rule], page_height: float = 842.0) -> list[Grid]:
    """The ruled tables among the rules, top of the page first: each a set of
    touching rules with at least _MIN_COLUMNS columns. One closed box split
    by a rule and taller than _FRAME of the page is a frame round the page's
    columns, not a table."""
    if len(rules) < 4 or len(rules) > _MAX_RAW_RULES:
        return []
    merged = _merge(rules)
    if len(merged) > _MAX_RULES:
        return []  # a drawing (a map, a chart's hatching), read by its text
    grids = []
    for group in _touching(merged):
        grid = _grid(group)
        if grid is not None and not (
                len(grid.rows) == 1 and not grid.open_top and not grid.open_bottom
                and grid.top - grid.bottom > _FRAME * page_height):
            grids.append(grid)
    return sorted(grids, key=lambda g: -g.top)


def _merge(rules: list[Rule]) -> list[Rule]:
    """Collinear rules that meet or overlap as one (a border drawn cell by cell)."""
    out: list[Rule] = []
    for rule in sorted(rules, key=lambda r: (r.horizontal, round(r.pos / _SNAP), r.start)):
        last = out[-1] if out else None
        if (last is not None and last.horizontal == rule.horizontal
                and abs(last.pos - rule.pos) <= _SNAP and rule.start <= last.end + _SNAP):
            out[-1] = Rule(last.horizontal, last.pos, last.start, max(last.end, rule.end))
        else:
            out.append(rule)
    return out


def _touching(rules: list[Rule]) -> list[list[Rule]]:
    """Groups of rules connected by crossings or meetings (union-find)."""
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    flat = [i for i, r in enumerate(rules) if r.horizontal]
    upright = [i for i, r in enumerate(rules) if not r.horizontal]
    for h in flat:
        hr = rules[h]
        for v in upright:
            vr = rules[v]
            if (hr.start - _SNAP <= vr.pos <= hr.end + _SNAP
                    and vr.start - _SNAP <= hr.pos <= vr.end + _SNAP):
                parent[root(h)] = root(v)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(root(i), []).append(rule)
    return list(groups.values())


def _snapped(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _grid(rules: list[Rule]) -> Grid | None:
    upright = [r for r in rules if not r.horizontal]
    flat = [r for r in rules if r.horizontal]
    xs = _snapped([r.pos for r in upright])
    if len(xs) < _MIN_COLUMNS + 1 or not flat:
        return None
    top = max(r.end for r in upright)
    bottom = min(r.start for r in upright)
    ys = [y for y in _snapped([r.pos for r in flat]) if bottom - _SNAP <= y <= top + _SNAP]
    open_top = not ys or top - ys[-1] > _SNAP
    open_bottom = not ys or ys[0] - bottom > _SNAP
    edges = sorted({*ys, *([top] if open_top else []), *([bottom] if open_bottom else [])},
                   reverse=True)
    rows = []
    for upper, lower in pairwise(edges):
        if upper - lower <= _SNAP:
            continue
        middle = (upper + lower) / 2
        crossing = _snapped([r.pos for r in upright if r.start - _SNAP <= middle <= r.end + _SNAP])
        if len(crossing) >= 2:
            rows.append(Row(upper, lower, crossing))
    if not rows or max(len(r.edges) for r in rows) < _MIN_COLUMNS + 1:
        return None
    return Grid(xs[0], xs[-1], top, bottom, rows, open_top, open_bottom)


def fill(grid: Grid, segs: list[Segment]) -> None:
    """Put each segment the grid holds in its row's cell; a segment that runs
    over a cell's edge (two cells set closer than a word gap) is cut there."""
    for row in grid.rows:
        row.cells = [[] for _ in row.edges[1:]]
    for seg in segs:
        band = next((r for r in grid.rows if r.bottom < seg.y < r.top), None)
        if band is None:
            continue
        for piece in _cut(seg, band.edges):
            # Its first characters say which cell it is in.
            middle = (piece.x0 + min(piece.x1, piece.x0 + 6)) / 2
            band.cells[sum(1 for x in band.edges[1:-1] if x < middle)].append(piece)
    for row in grid.rows:
        row.texts = [_cell_text(segs) for segs in row.cells]


def _cut(seg: Segment, edges: list[float]) -> list[Segment]:
    """`seg` split at the edges inside it, where a run of text began just past
    the edge (one of its breaks); an edge with no such run is text running over."""
    inside = [x for x in edges if seg.x0 + 1 < x < seg.x1 - 1]
    out: list[Segment] = []
    rest = seg
    for x in inside:
        runs = [(b, w) for b, w in zip(rest.breaks, rest.break_words, strict=False) if b > x]
        if not runs:
            continue
        at, word = min(runs)
        space = cut_at(rest.text, round((at - rest.x0) / char_width(rest)), word)
        if space < 0:
            continue
        out.append(Segment(rest.text[:space], rest.x0, x, rest.y, rest.size, rest.bold))
        later = [(b, w) for b, w in runs if b > at]
        rest = Segment(rest.text[space + 1:], at, rest.x1, rest.y, rest.size, rest.bold,
                       [b for b, _ in later], [w for _, w in later])
    out.append(rest)
    return out


def _cell_text(segs: list[Segment]) -> str:
    return join_lines((line.text for line in group_lines(segs)), pending=True)


def row_block(cells: list[str]) -> Block:
    return Block(BlockKind.TABLE_ROW, " | ".join(cells))


@dataclass(slots=True)
class Overleaf:
    """What a ruled table that runs to a page's foot leaves for the next page:
    its header row, which Word and browsers repeat at the head of each page
    (read once), and its last row if the page broke it (no rule under it),
    held in that page's blocks until the next page says how it goes on."""

    header: list[str] | None = None
    blocks: list[Block] | None = None
    index: int = -1
    cells: list[str] = field(default_factory=list)

    def resumes(self, grid: Grid, at_head: bool) -> int:
        """How many of `grid`'s first rows the table before has read: its
        header repeated, and the rest of the row the page broke, joined cell
        by cell to the row in the page before's blocks. `grid` is a page's
        first, `at_head` when nothing but furniture stands above it."""
        if not at_head or not grid.rows:
            return 0
        used = 1 if self.header is not None and grid.rows[0].texts == self.header else 0
        if self.blocks is not None and (used or grid.open_top) and len(grid.rows) > used:
            row = grid.rows[used]
            if len(row.edges) - 1 == len(self.cells):
                self.blocks[self.index] = row_block([
                    join_lines([a, b], pending=True)
                    for a, b in zip(self.cells, row.texts, strict=True)])
                used += 1
        return used

    def leaves(self, grid: Grid | None, header: list[str] | None = None,
               blocks: list[Block] | None = None, index: int = -1) -> None:
        """After a page: `grid` runs to its foot (None when no ruled table
        does), with `header` as its header row and, where the page broke
        its last row, that row at `index` of `blocks`."""
        self.header = header if grid is not None else None
        self.blocks = blocks if grid is not None and grid.open_bottom else None
        self.index = index
        self.cells = grid.rows[-1].texts if self.blocks is not None and grid else []
