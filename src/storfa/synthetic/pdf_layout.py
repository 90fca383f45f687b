"""Line layout for the PDF renderer: wrap, hyphenate, paginate, columns, tables.

Layout is pure arithmetic on font metrics and produces positioned lines; the
drawing step (text layer or raster image) is separate, so "Page N of M" is known
before drawing and image pages show exactly the text a text page would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from storfa.domain.documents import BlockKind
from storfa.synthetic.model import GeneratedReview

PAGE_W, PAGE_H = float(A4[0]), float(A4[1])
MARGIN_X = 62.0
TOP = PAGE_H - 78.0  # first baseline area, below the running header
BOTTOM = 66.0  # above the footer
GUTTER = 20.0
BODY, BOLD = "Helvetica", "Helvetica-Bold"
BODY_SIZE, LEADING = 10.5, 14.0
# (font, size, leading, space before) per heading level; 1 is the title.
HEADING_STYLE = {
    1: (BOLD, 17.0, 22.0, 0.0), 2: (BOLD, 14.0, 18.0, 14.0), 3: (BOLD, 12.0, 16.0, 10.0)}
PARA_GAP = 6.0
HYPHEN_CHANCE = 0.35  # of a long word at a line end: "occasionally", as in real reports
TABLE_COLUMNS = {3: (0.17, 0.28, 0.55)}
# In half a page's width a date ("25/06/2011") needs a third of the row, or it
# runs into the next cell and a reader sees "25/06/2011Denbighshire".
NARROW_TABLE_COLUMNS = {3: (0.32, 0.27, 0.41)}
NARROW = 300.0  # points: a column this narrow is one of two
REC_COLUMNS = (0.6, 0.28, 0.12)


@dataclass(slots=True)
class Line:
    x: float
    y: float  # baseline, PDF points from the bottom
    text: str
    font: str
    size: float


@dataclass(slots=True)
class PageLayout:
    lines: list[Line] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


_widths: dict[tuple[str, str, float], float] = {}


def text_width(text: str, font: str, size: float) -> float:
    key = (text, font, size)
    w = _widths.get(key)
    if w is None:
        if len(_widths) > 200_000:  # bound memory over a 2,500-review benchmark
            _widths.clear()
        w = _widths[key] = float(stringWidth(text, font, size))
    return w


def wrap(text: str, font: str, size: float, width: float,
         rng: random.Random | None = None) -> list[str]:
    """Greedy word wrap; with `rng`, long words at a line end are sometimes hyphenated."""
    space = text_width(" ", font, size)
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    for word in text.split():
        w = text_width(word, font, size)
        if not cur or cur_w + space + w <= width:
            cur_w = w if not cur else cur_w + space + w
            cur.append(word)
            continue
        if rng is not None and len(word) >= 8 and word.isalpha() and rng.random() < HYPHEN_CHANCE:
            avail = width - cur_w - space - text_width("-", font, size)
            k = len(word) - 3
            while k >= 3 and text_width(word[:k], font, size) > avail:
                k -= 1
            if k >= 3:
                lines.append(" ".join([*cur, word[:k] + "-"]))
                cur, cur_w = [word[k:]], text_width(word[k:], font, size)
                continue
        lines.append(" ".join(cur))
        cur, cur_w = [word], w
    if cur:
        lines.append(" ".join(cur))
    return lines


class _Flow:
    def __init__(self, columns: int) -> None:
        self.columns = columns
        usable = PAGE_W - 2 * MARGIN_X
        self.col_w = usable if columns == 1 else (usable - GUTTER) / 2
        self.pages: list[PageLayout] = [PageLayout()]
        self.col = 0
        self.top = TOP
        self.y = TOP

    @property
    def x(self) -> float:
        return MARGIN_X + self.col * (self.col_w + GUTTER)

    def need(self, height: float) -> None:
        if self.y - height >= BOTTOM or self.y == self.top:
            return
        if self.col + 1 < self.columns:
            self.col += 1
        else:
            self.pages.append(PageLayout())
            self.col = 0
            self.top = TOP
        self.y = self.top

    def emit(self, indent: float, text: str, font: str, size: float, leading: float) -> None:
        # The column is known only after need(): a line may start the next one.
        self.need(leading)
        self.y -= leading
        self.pages[-1].lines.append(Line(self.x + indent, self.y, text, font, size))

    def gap(self, height: float) -> None:
        if self.y != self.top:
            self.y -= height


def layout_review(review: GeneratedReview, layout: str = "single") -> list[PageLayout]:
    if layout not in ("single", "two_column"):
        raise ValueError(f"layout must be 'single' or 'two_column', not {layout!r}")
    flow = _Flow(2 if layout == "two_column" else 1)
    rng = random.Random(f"storfa-pdf:{review.seed}:{review.language}:{layout}")
    table_cols: tuple[float, ...] = ()
    header_row = True
    for block, marker in review.reading_order():
        if block.kind is not BlockKind.TABLE_ROW:
            header_row = True
        if block.kind is BlockKind.HEADING:
            font, size, leading, before = HEADING_STYLE.get(block.level, HEADING_STYLE[3])
            if block.level == 1:  # the title spans the page even in two columns
                for text in wrap(block.text, font, size, PAGE_W - 2 * MARGIN_X):
                    flow.y -= leading
                    flow.pages[-1].lines.append(Line(MARGIN_X, flow.y, text, font, size))
                flow.y -= 12.0
                flow.top = flow.y
                continue
            lines = wrap(block.text, font, size, flow.col_w)
            flow.gap(before)
            flow.need(leading * len(lines) + 3 * LEADING)  # keep a heading with its text
            for text in lines:
                flow.emit(0.0, text, font, size, leading)
            flow.y -= 4.0
        elif block.kind is BlockKind.TABLE_ROW:
            cells = block.text.split(" | ")
            if header_row:
                widths = NARROW_TABLE_COLUMNS if flow.col_w < NARROW else TABLE_COLUMNS
                table_cols = REC_COLUMNS if cells[0] == "Recommendation" else \
                    widths.get(len(cells), tuple(1 / len(cells) for _ in cells))
            _table_row(flow, cells, table_cols, bold=header_row)
            header_row = False
        else:
            indent = 18.0 if marker else 0.0
            lines = wrap(block.text, BODY, BODY_SIZE, flow.col_w - indent, rng)
            for i, text in enumerate(lines):
                flow.emit(indent, text, BODY, BODY_SIZE, LEADING)
                if i == 0 and marker:
                    flow.pages[-1].lines.append(Line(flow.x, flow.y, marker, BODY, BODY_SIZE))
            flow.gap(PARA_GAP)
    return flow.pages


def _table_row(flow: _Flow, cells: list[str], fractions: tuple[float, ...], bold: bool) -> None:
    font, size, leading, pad = (BOLD if bold else BODY), 9.0, 11.5, 3.0
    widths = [flow.col_w * f for f in fractions]
    wrapped = [wrap(c, font, size, w - 2 * pad) for c, w in zip(cells, widths, strict=False)]
    height = max(len(w) for w in wrapped) * leading + 2 * pad
    flow.need(height)
    top = flow.y
    page = flow.pages[-1]
    if bold:
        page.rules.append((flow.x, top, flow.x + flow.col_w, top))
    x = flow.x
    for lines, w in zip(wrapped, widths, strict=False):
        for i, text in enumerate(lines):
            page.lines.append(Line(x + pad, top - pad - (i + 1) * leading + 2.5, text, font, size))
        x += w
    flow.y = top - height
    page.rules.append((flow.x, flow.y, flow.x + flow.col_w, flow.y))
