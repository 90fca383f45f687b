"""The numbers Word draws beside list paragraphs ("1.", "(a)", "ii.").

Word keeps a list item's number out of its text: the paragraph (or its
style) names a list (`w:numPr`: numId and level), the numbering part says
how each level is counted and written (`w:numFmt`, `w:lvlText` such as
"%1.%2)", `w:start`), and the number is the count so far. The PDF and
Markdown extractors keep an item's number in its text, and the
recommendations register reads "1b" from it, so DOCX items get theirs the
same way: counted here in document order, as Word counts them (per list,
a level restarting when a level above it moves on)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from storfa.ingest.extractors.list_markers import format_count

_LEVEL_REF = re.compile(r"%([1-9])")
# Levels whose items carry no number a reader cites.
_UNCOUNTED = frozenset({"bullet", "none", ""})


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


def _val(el: etree._Element | None, default: str = "") -> str:
    if el is None:
        return default
    return str(el.get(qn("w:val"), default))


def _int(value: str, default: int) -> int:
    return int(value) if value.lstrip("-").isdigit() else default


@dataclass
class ListNumbers:
    """The numbering definitions of one document and the counts so far."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → level
    # numId → whose count it goes on: lists of one definition continue one
    # count, as Word numbers them, unless a list restarts it (startOverride).
    counter: dict[str, str] = field(default_factory=dict)
    counts: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, numbering: etree._Element | None) -> ListNumbers:
        """From the document's numbering part (None when it has none)."""
        out = cls()
        if numbering is None:
            return out
        abstract: dict[str, dict[int, _Level]] = {}
        for node in numbering.iterchildren(qn("w:abstractNum")):
            abstract[str(node.get(qn("w:abstractNumId")))] = _levels(node)
        for node in numbering.iterchildren(qn("w:num")):
            abstract_id = _val(node.find(qn("w:abstractNumId")))
            levels = dict(abstract.get(abstract_id, {}))
            levels_id = str(node.get(qn("w:numId")))
            out.counter[levels_id] = f"abstract {abstract_id}"
            for override in node.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(str(override.get(qn("w:ilvl"), "")), -1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels.update(_levels_of([lvl]))
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(old.fmt, old.text, _int(_val(start), old.start))
                    out.counter[levels_id] = levels_id
            out.levels[levels_id] = levels
        return out

    def marker(self, paragraph: Paragraph) -> str | None:
        """The number Word draws beside `paragraph`, counting it; None for an
        unnumbered paragraph or a bulleted one."""
        num_id, ilvl = _num_pr(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return None
        counts = self.counts.setdefault(self.counter.get(num_id or "", num_id or ""), {})
        level = levels[ilvl]
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a sub-list starts again under each item
        if level.fmt in _UNCOUNTED:
            return None

        def written(match: re.Match[str]) -> str:
            n = int(match.group(1)) - 1
            ref = levels.get(n)
            if ref is None:
                return ""
            count = counts.get(n, ref.start)
            return format_count(count, ref.fmt)

        text = _LEVEL_REF.sub(written, level.text).strip()
        return text or None


def _levels(abstract: etree._Element) -> dict[int, _Level]:
    return _levels_of(abstract.iterchildren(qn("w:lvl")))


def _levels_of(nodes: Iterable[etree._Element]) -> dict[int, _Level]:
    out: dict[int, _Level] = {}
    for lvl in nodes:
        ilvl = _int(str(lvl.get(qn("w:ilvl"), "")), -1)
        if ilvl < 0:
            continue
        out[ilvl] = _Level(_val(lvl.find(qn("w:numFmt")), "decimal"),
                           _val(lvl.find(qn("w:lvlText"))),
                           _int(_val(lvl.find(qn("w:start")), "1"), 1))
    return out


def _num_pr(paragraph: Paragraph) -> tuple[str | None, int]:
    """(numId, level) from the paragraph's own properties, else its style's."""
    for ppr in (paragraph._p.pPr, _style_ppr(paragraph)):
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None:
            num_id = num_pr.find(qn("w:numId"))
            if num_id is None:
                continue
            return _val(num_id), _int(_val(num_pr.find(qn("w:ilvl")), "0"), 0)
    return None, 0


def _style_ppr(paragraph: Paragraph) -> etree._Element | None:
    try:
        style = paragraph.style
    except (KeyError, ValueError, AttributeError):
        return None
    return style.element.pPr if style is not None else None
