"""Strengths and areas for development drafted from a triangulated theme's
evidence (docs/assurance.md, "Triangulation"), for a person to edit. Plain
rules over the side-by-side figures, each sentence citing the figure it
comes from, so whoever edits it can check it:

- a source with STRENGTH_SHARE % or more positive answers on the theme is a
  strength (with its strongest finding);
- a source with fewer than DEVELOPMENT_SHARE % positive is an area for
  development (with its weakest finding);
- every disagreement between two sources is an area for development: the
  board needs to find out which picture is right;
- a source with fewer than MIN_BASE yes/no-like answers draws nothing: too
  few to say either.

In English or Welsh (the page's or the report's language)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storfa.assurance.triangulation import Finding, Flag, Source

STRENGTH_SHARE = 60.0
DEVELOPMENT_SHARE = 50.0
MIN_BASE = 5
MAX_CHARS = 20_000  # of each edited text

_LABELS = {"selfeval": ("Self-evaluations", "Hunanwerthusiadau"),
           "audit": ("Case-file audits", "Archwiliadau ffeiliau achos"),
           "survey": ("Practitioner survey", "Arolwg ymarferwyr")}
_WORDS = {
    "strength": ("{label}: {share:g}% of answers on {theme} were positive ({yes} of {base}).",
                 "{label}: roedd {share:g}% o'r atebion ar {theme} yn gadarnhaol "
                 "({yes} o {base})."),
    "best": (" Strongest: {text} ({yes} of {base}).", " Cryfaf: {text} ({yes} o {base})."),
    "area": ("{label}: only {share:g}% of answers on {theme} were positive ({yes} of {base}).",
             "{label}: dim ond {share:g}% o'r atebion ar {theme} oedd yn gadarnhaol "
             "({yes} o {base})."),
    "worst": (" Weakest: {text} ({yes} of {base}).", " Gwannaf: {text} ({yes} o {base})."),
    "flag": ("The sources disagree on {theme}: {first} {x:g}% positive, but {second} {y:g}%. "
             "Find out which picture is right.",
             "Mae'r ffynonellau'n anghytuno ar {theme}: {first} {x:g}% yn gadarnhaol, ond "
             "{second} {y:g}%. Darganfyddwch pa ddarlun sy'n gywir."),
}


def label(key: str, lang: str = "en") -> str:
    en, cy = _LABELS.get(key, (key, key))
    return cy if lang == "cy" else en


def _w(key: str, lang: str) -> str:
    en, cy = _WORDS[key]
    return cy if lang == "cy" else en


def _counted(source: Source) -> list[Finding]:
    return [f for f in source.findings if f.positive is not None and f.base]


def _cite(key: str, finding: Finding, lang: str) -> str:
    return _w(key, lang).format(text=finding.text.rstrip(" ?.") or finding.text,
                                yes=finding.positive, base=finding.base)


def draft(theme: str, sources: Sequence[Source], flags: Sequence[Flag],
          lang: str = "en") -> tuple[list[str], list[str]]:
    """(strengths, areas for development), one sentence each."""
    strengths: list[str] = []
    areas: list[str] = []
    for s in sources:
        share, counted = s.share, _counted(s)
        if share is None or s.base < MIN_BASE or not counted:
            continue
        figures = {"label": label(s.key, lang), "share": share, "theme": theme,
                   "yes": s.positive, "base": s.base}
        # Ties go to the finding with more answers behind it.
        rank = sorted(counted, key=lambda f: ((f.positive or 0) / f.base, f.base))
        if share >= STRENGTH_SHARE:
            strengths.append(_w("strength", lang).format(**figures)
                             + (_cite("best", rank[-1], lang) if len(counted) > 1 else ""))
        elif share < DEVELOPMENT_SHARE:
            weakest = min(counted, key=lambda f: ((f.positive or 0) / f.base, -f.base))
            areas.append(_w("area", lang).format(**figures)
                         + (_cite("worst", weakest, lang) if len(counted) > 1 else ""))
    for f in flags:
        areas.append(_w("flag", lang).format(theme=theme, first=label(f.first_key, lang),
                                             second=label(f.second_key, lang),
                                             x=f.first_share, y=f.second_share))
    return strengths, areas


def lines(text: str) -> list[str]:
    """An edited text as its non-empty lines (one point each; a leading dash dropped)."""
    return [line.strip().lstrip("-•* ").strip() for line in text.splitlines()
            if line.strip().lstrip("-•* ").strip()]
