"""A thematic report over a selection of reviews (MISSION.md area E): themes
and sub-themes with their extract counts, a chart of them, illustrative
extracts with review ids and pages, and the recommendations that recur across
the selection. Extracts counted are accepted ones and open suggestions
(rejected never), so a report works before every suggestion is decided;
the report says which."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storfa.analysis.casevars import select_reviews
from storfa.coding.codebooks import load_codebook
from storfa.disclosure.published import PublishedView
from storfa.domain.coding import Extract
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import ReviewSummary
from storfa.recommendations.recurrence import THRESHOLD, Group, recurrence
from storfa.reports.briefing import page_ref, shorten, usable_extracts
from storfa.reports.document import Bullets, Document, Image, Paragraph, Section, Table
from storfa.reports.words import lang_of, word
from storfa.storage import repositories

if TYPE_CHECKING:
    from storfa.app import Storfa

ILLUSTRATIONS = 2  # extracts quoted per theme
RECURRENCE_ROWS = 12
CHART_THEMES = 12


@dataclass(frozen=True)
class Selection:
    type: str | None = None
    board: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def describe(self) -> str:
        parts = [p for p in (self.type, self.board) if p]
        if self.year_from or self.year_to:
            parts.append(f"{self.year_from or '…'}–{self.year_to or '…'}")
        return ", ".join(parts)


@dataclass
class ThemeCount:
    codebook: str
    theme: str
    code: str  # the sub-theme (equal to theme for an extract coded to the theme itself)
    extracts: int
    reviews: int


@dataclass
class ThematicReport:
    selection: Selection
    reviews: list[ReviewSummary]
    counts: list[ThemeCount]
    illustrations: dict[str, list[Extract]]  # theme → extracts quoted
    groups: list[Group] = field(default_factory=list)

    @property
    def by_theme(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for c in self.counts:
            totals[c.theme] = totals.get(c.theme, 0) + c.extracts
        return totals

    def as_json(self) -> dict[str, Any]:
        return {"selection": self.selection.__dict__,
                "reviews": [s.review_id for s in self.reviews],
                "themes": [c.__dict__ for c in self.counts],
                "illustrations": {t: [e.as_json() for e in es]
                                  for t, es in self.illustrations.items()},
                "recurrence": [g.as_json() for g in self.groups]}


def choose(app: Storfa, selection: Selection, exclude: Iterable[int] = ()
           ) -> list[tuple[int, ReviewSummary]]:
    hidden = set(exclude)
    rows = {key: row for row, key in app.store.review_keys().items()}
    chosen = select_reviews(app.store.list_reviews(), selection.type, selection.board,
                            selection.year_from, selection.year_to)
    return [(rows[s.review_id], s) for s in chosen
            if s.review_id in rows and rows[s.review_id] not in hidden]


def _order(book: str) -> dict[str, int]:
    try:
        return {c.name: i for i, c in enumerate(load_codebook(book))}
    except StorfaError:  # a codebook not built in: keep the extracts' own order
        return {}


def thematic(app: Storfa, selection: Selection, exclude: Iterable[int] = (),
             with_recurrence: bool = True, threshold: float = THRESHOLD,
             progress: Callable[[str], None] | None = None) -> ThematicReport:
    chosen = choose(app, selection, exclude)
    if not chosen:
        raise StorfaError(N_("No visible review matches that selection."))
    rows = {row for row, _ in chosen}
    if progress:
        progress("extracts")
    extracts = usable_extracts(e for e in repositories.extracts(app.store).select()
                               if e.review_row in rows)
    tally: dict[tuple[str, str, str], list[Extract]] = {}
    for e in extracts:
        tally.setdefault((e.codebook, e.theme, e.code), []).append(e)
    counts = []
    for (book, theme, code), items in tally.items():
        counts.append(ThemeCount(book, theme, code, len(items),
                                 len({e.review_row for e in items})))
    counts.sort(key=lambda c: (c.codebook, _order(c.codebook).get(c.theme, 999),
                               _order(c.codebook).get(c.code, 999), c.code))
    illustrations: dict[str, list[Extract]] = {}
    for e in extracts:  # usable_extracts put accepted and confident ones first
        quoted = illustrations.setdefault(e.theme, [])
        if len(quoted) < ILLUSTRATIONS and all(q.review_id != e.review_id for q in quoted):
            quoted.append(e)
    groups: list[Group] = []
    if with_recurrence:
        if progress:
            progress("recurrence")
        hidden = set(exclude)
        groups = [g for g in recurrence(app, hidden, threshold,
                                        reviews=[s.review_id for _, s in chosen])
                  if len(g.reviews) > 1]
    # A thematic report is shared beyond storfa: it quotes every review as
    # published, with the editors' disclosure redactions, whoever asks for it.
    view = PublishedView(app.store, lambda _row: False)
    shown = {theme: [view.extract(e) for e in items] for theme, items in illustrations.items()}
    return ThematicReport(selection, sorted((s for _, s in view.summaries(chosen)),
                                            key=lambda s: (s.year or 0, s.review_id)),
                          counts, shown, [view.group(g) for g in groups])


def chart_png_svg(totals: dict[str, int], title: str) -> tuple[bytes, str]:
    """A horizontal bar chart of extracts per theme, drawn offline (Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = sorted(totals.items(), key=lambda kv: kv[1])[-CHART_THEMES:]
    fig, ax = plt.subplots(figsize=(7.0, 0.35 * len(items) + 1.0), dpi=150)
    try:
        ax.barh([k for k, _ in items], [n for _, n in items], color="#1d5b79")
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=8)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        for y, (_, n) in enumerate(items):
            ax.text(n, y, f" {n}", va="center", fontsize=8)
        fig.tight_layout()
        png, svg = io.BytesIO(), io.StringIO()
        fig.savefig(png, format="png")
        fig.savefig(svg, format="svg")
    finally:
        plt.close(fig)
    return png.getvalue(), svg.getvalue()


def thematic_document(report: ThematicReport, lang: str = "en") -> Document:
    lang = lang_of(lang)
    ids = [s.review_id for s in report.reviews]
    years = sorted(s.year for s in report.reviews if s.year)
    span = f"{years[0]}–{years[-1]}" if years else ""
    meta = [f"{word('reviews', lang)}: {len(ids)}" + (f" ({span})" if span else "")]
    if report.selection.describe():
        meta.append(report.selection.describe())
    sections = [Section("selection", word("selection", lang), [Paragraph(", ".join(ids))])]
    rows = tuple((c.theme, c.code if c.code != c.theme else "—", str(c.extracts), str(c.reviews))
                 for c in report.counts)
    theme_blocks: list[Any] = [Paragraph(word("extracts_note", lang))]
    if rows:
        theme_blocks.append(Table((word("theme", lang), word("sub_theme", lang),
                                   word("extracts", lang), word("reviews", lang)), rows, (2, 3)))
    else:
        theme_blocks.append(Paragraph(word("none", lang)))
    sections.append(Section("themes", word("themes", lang), theme_blocks))
    if report.by_theme:
        png, svg = chart_png_svg(report.by_theme, word("chart", lang))
        sections.append(Section("chart", word("chart", lang),
                                [Image(png, svg, word("chart", lang))]))
    quoted: list[Any] = []
    for theme, extracts in report.illustrations.items():
        quoted.append(Paragraph(theme))
        quoted.append(Bullets(tuple(f"“{shorten(e.text)}”{page_ref(e.page, lang, e.review_id)}"
                                    for e in extracts)))
    sections.append(Section("illustrative", word("illustrative", lang),
                            quoted or [Paragraph(word("none", lang))]))
    recurring: list[Any] = [Paragraph(word("recurrence_note", lang))]
    if report.groups:
        recurring.append(Table(
            (word("group", lang), word("reviews", lang), word("years", lang),
             word("implemented", lang)),
            tuple((g.label, str(len(g.reviews)), g.span, str(g.statuses["implemented"]))
                  for g in report.groups[:RECURRENCE_ROWS]), (1, 3)))
    else:
        recurring.append(Paragraph(word("none", lang)))
    sections.append(Section("recurrence", word("recurrence", lang), recurring))
    return Document(word("thematic_report", lang), word("thematic_report", lang) + (
        f": {report.selection.describe()}" if report.selection.describe() else ""),
        lang, meta, sections)
