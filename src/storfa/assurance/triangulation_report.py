"""The triangulation of one theme as a report Document (DOCX or PDF through
storfa.reports), in English or Welsh, in the same style as the thematic
reports: each source's findings as a table, the disagreements, the strengths
and areas for development (as a person edited them, else as drafted), and
the reviews' extracts and recommendations."""

from __future__ import annotations

from typing import Any

from storfa.assurance.drafting import label
from storfa.assurance.paging import held_bytes
from storfa.assurance.triangulation import DISAGREEMENT_POINTS, Source, Triangulation
from storfa.reports.document import Bullets, Document, Paragraph, Section, Table

_WORDS = {
    "title": ("Triangulated evidence", "Tystiolaeth wedi'i thriongli"),
    "sources": ("Evidence side by side", "Tystiolaeth ochr yn ochr"),
    "source": ("Source", "Ffynhonnell"),
    "positive": ("Positive (%)", "Cadarnhaol (%)"),
    "base": ("Base", "Sail"),
    "finding": ("Finding", "Canfyddiad"),
    "disagree": ("Where the sources disagree", "Lle mae'r ffynonellau'n anghytuno"),
    "agree": ("The sources do not disagree by {n} points or more.",
              "Nid yw'r ffynonellau'n anghytuno o {n} pwynt neu fwy."),
    "extracts": ("What published reviews found", "Yr hyn a ganfu adolygiadau cyhoeddedig"),
    "recs": ("Recommendations on the theme", "Argymhellion ar y thema"),
    "none": ("None found.", "Dim wedi'u canfod."),
    "theme": ("Theme", "Thema"),
    "flag": ("{first}: {x:g}% positive, but {second}: {y:g}%.",
             "{first}: {x:g}% yn gadarnhaol, ond {second}: {y:g}%."),
    "strengths": ("Strengths", "Cryfderau"),
    "areas": ("Areas for development", "Meysydd i'w datblygu"),
    "drafted": ("Drafted by storfa from the evidence above; not yet reviewed by a person.",
                "Drafftiwyd gan storfa o'r dystiolaeth uchod; heb ei adolygu gan berson eto."),
    "edited": ("As edited by {who} on {at}.", "Fel y'i golygwyd gan {who} ar {at}."),
    "of": ("{shown} of {total}", "{shown} o {total}"),
}


def _w(key: str, lang: str) -> str:
    en, cy = _WORDS[key]
    return cy if lang == "cy" else en


def _source_table(source: Source, lang: str) -> list[Paragraph | Table]:
    if not source.findings:
        return [Paragraph(_w("none", lang))]
    rows = tuple((f.text, "" if f.positive is None else f"{f.positive}/{f.base}",
                  "" if f.positive is None or not f.base
                  else f"{100 * f.positive / f.base:.1f}") for f in source.findings)
    return [Table((_w("finding", lang), _w("base", lang), _w("positive", lang)), rows, (1, 2))]


def triangulation_document(t: Triangulation, lang: str = "en") -> Document:
    lang = "cy" if lang == "cy" else "en"
    summary = tuple((label(s.key, lang), "—" if s.share is None else f"{s.share:g}", str(s.base))
                    for s in t.sources)
    sections = [Section("sources", _w("sources", lang), [
        Table((_w("source", lang), _w("positive", lang), _w("base", lang)), summary, (1, 2))])]
    flags = t.flags
    sections.append(Section("disagree", _w("disagree", lang), [
        Bullets(tuple(_w("flag", lang).format(
            first=label(f.first_key, lang), second=label(f.second_key, lang),
            x=f.first_share, y=f.second_share) for f in flags)) if flags
        else Paragraph(_w("agree", lang).format(n=int(DISAGREEMENT_POINTS)))]))
    strengths, areas = t.notes(lang)
    origin = (_w("drafted", lang) if t.saved is None
              else _w("edited", lang).format(who=t.saved.actor, at=t.saved.at[:10]))
    for key, found in (("strengths", strengths), ("areas", areas)):
        sections.append(Section(key, _w(key, lang), [
            Paragraph(origin), Bullets(tuple(found)) if found else Paragraph(_w("none", lang))]))
    for s in t.sources:
        sections.append(Section(s.key, label(s.key, lang), list(_source_table(s, lang))))
    sections.append(Section("extracts", _w("extracts", lang), [
        Paragraph(_w("of", lang).format(shown=len(t.extracts), total=t.extract_total)),
        Bullets(tuple(f"“{e.text}” — {e.review_id}, {e.where}" for e in t.extracts))]
        if t.extracts else [Paragraph(_w("none", lang))]))
    sections.append(Section("recommendations", _w("recs", lang), [
        Paragraph(_w("of", lang).format(shown=len(t.recommendations),
                                        total=t.recommendation_total)),
        Bullets(tuple(f"{r.review_id} {r.where}: {r.text}" for r in t.recommendations))]
        if t.recommendations else [Paragraph(_w("none", lang))]))
    return Document(_w("title", lang), f"{_w('title', lang)}: {t.theme}", lang,
                    [t.organisation, f"{_w('theme', lang)}: {t.theme} ({', '.join(t.terms)})"],
                    sections)


def triangulation_file(owner: Any, t: Triangulation, lang: str, fmt: str) -> tuple[bytes, str]:
    """The report as (bytes, media type). Laying out a PDF takes a quarter of
    a second however short it is, so the file is kept (per `owner`, a store)
    under a hash of the document it is made from: asked again with the same
    evidence and wording, it is the same file, and any change makes a new one."""
    from storfa.reports.docx import MEDIA_TYPE as DOCX_TYPE
    from storfa.reports.pdf import MEDIA_TYPE as PDF_TYPE
    from storfa.reports.render import format_of, render

    fmt = format_of(fmt)
    doc = triangulation_document(t, lang)
    data = held_bytes(owner, f"triangulation.{fmt}", doc, lambda: render(doc, fmt)[0])
    return data, PDF_TYPE if fmt == "pdf" else DOCX_TYPE
