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

In English or Welsh (the page's or the report's language): the sentences
are marked with N_ and translated through the web catalogue
(web/locale/cy/LC_MESSAGES/messages.po), like every other message, so there
is one place to correct the Welsh. The theme is named by its translated name
where the catalogue has one (the built-in self-evaluation templates' themes,
THEMES), else quoted as the words the person typed, never an English word
left bare in a Welsh sentence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from storfa.domain.errors import N_

if TYPE_CHECKING:
    from storfa.assurance.triangulation import Finding, Flag, Source

STRENGTH_SHARE = 60.0
DEVELOPMENT_SHARE = 50.0
MIN_BASE = 5
MAX_CHARS = 20_000  # of each edited text

# The sources' names (Source.label, in English).
SOURCES = {"selfeval": N_("Self-evaluations"), "audit": N_("Case-file audits"),
           "survey": N_("Practitioner survey")}
STRENGTH = N_("{label}: {share:g}% of answers on {theme} were positive ({yes} of {base}).")
BEST = N_("Strongest: {finding}.")
AREA = N_("{label}: only {share:g}% of answers on {theme} were positive ({yes} of {base}).")
WORST = N_("Weakest: {finding}.")
DISAGREE = N_("The sources disagree on {theme}: {first} {x:g}% positive, but {second} {y:g}%. "
              "Find out which picture is right.")
# Quotation marks around a typed theme: the same in English and Welsh.
QUOTED = "‘{words}’"
# The themes of the built-in self-evaluation templates (assurance/data), named
# in the catalogue so that a Welsh draft says them in Welsh.
THEMES = (N_("training"), N_("leadership"), N_("policies and procedures"),
          N_("safer recruitment"), N_("supervision"), N_("learning from reviews"),
          N_("voice of the child"), N_("information sharing"))


def gettext_for(lang: str) -> Callable[[str], str]:
    """The catalogue's gettext for a language (English: the message as written)."""
    if lang == "en":
        return str
    from storfa.web.i18n import translations  # read once per language, cached

    return translations(lang).gettext


def label(key: str, lang: str = "en") -> str:
    return gettext_for(lang)(SOURCES.get(key, key))


def theme_name(theme: str, lang: str = "en") -> str:
    """A theme as a sentence names it: its translated name when it is one of
    THEMES, else the typed words in quotation marks (they are data)."""
    _ = gettext_for(lang)
    words = " ".join(theme.split())
    if words.casefold() in THEMES:
        return _(words.casefold())
    return QUOTED.format(words=words)


def _counted(source: Source) -> list[Finding]:
    return [f for f in source.findings if f.positive is not None and f.base]


def _cite(wording: str, finding: Finding, _: Callable[[str], str]) -> str:
    return " " + _(wording).format(finding=finding.translated(_))


def draft(theme: str, sources: Sequence[Source], flags: Sequence[Flag],
          lang: str = "en") -> tuple[list[str], list[str]]:
    """(strengths, areas for development), one sentence each."""
    _ = gettext_for(lang)
    named = theme_name(theme, lang)
    strengths: list[str] = []
    areas: list[str] = []
    for s in sources:
        share, counted = s.share, _counted(s)
        if share is None or s.base < MIN_BASE or not counted:
            continue
        figures = {"label": label(s.key, lang), "share": share, "theme": named,
                   "yes": s.positive, "base": s.base}
        # Ties go to the finding with more answers behind it.
        rank = sorted(counted, key=lambda f: ((f.positive or 0) / f.base, f.base))
        if share >= STRENGTH_SHARE:
            strengths.append(_(STRENGTH).format(**figures)
                             + (_cite(BEST, rank[-1], _) if len(counted) > 1 else ""))
        elif share < DEVELOPMENT_SHARE:
            weakest = min(counted, key=lambda f: ((f.positive or 0) / f.base, -f.base))
            areas.append(_(AREA).format(**figures)
                         + (_cite(WORST, weakest, _) if len(counted) > 1 else ""))
    for f in flags:
        areas.append(_(DISAGREE).format(theme=named, first=label(f.first_key, lang),
                                        second=label(f.second_key, lang),
                                        x=f.first_share, y=f.second_share))
    return strengths, areas


def lines(text: str) -> list[str]:
    """An edited text as its non-empty lines (one point each; a leading dash dropped)."""
    return [line.strip().lstrip("-•* ").strip() for line in text.splitlines()
            if line.strip().lstrip("-•* ").strip()]
