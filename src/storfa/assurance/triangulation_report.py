"""The triangulation of one theme as a report Document (DOCX or PDF through
storfa.reports), in English or Welsh, in the same style as the thematic
reports: each source's findings as a table, the disagreements, the strengths
and areas for development (as a person edited them, else as drafted), and
the reviews' extracts and recommendations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storfa.assurance.drafting import gettext_for, label
from storfa.assurance.paging import held_bytes
from storfa.assurance.triangulation import DISAGREEMENT_POINTS, Source, Triangulation
from storfa.domain.errors import N_
from storfa.domain.recommendations import STATUS_NAMES
from storfa.reports.document import Bullets, Document, Paragraph, Section, Table

# The report's fixed words, in the web catalogue like the drafted sentences.
TITLE = N_("Triangulated evidence")
SIDE_BY_SIDE = N_("Evidence side by side")
SOURCE, POSITIVE, BASE, FINDING = N_("Source"), N_("Positive (%)"), N_("Base"), N_("Finding")
DISAGREE = N_("Where the sources disagree")
AGREE = N_("The sources do not disagree by {n} points or more.")
EXTRACTS = N_("What published reviews found")
RECOMMENDATIONS = N_("Recommendations on the theme")
NONE = N_("None found.")
THEME = N_("Theme")
HEADINGS = {"strengths": N_("Strengths"), "areas": N_("Areas for development")}
DRAFTED = N_("Drafted by storfa from the evidence above; not yet reviewed by a person.")
EDITED = N_("As edited by {who} on {at}.")
SHOWN = N_("{shown} of {total}")
BASE_IS = N_("Base: {base}.")


def _source_table(source: Source, _: Callable[[str], str]) -> list[Paragraph | Table]:
    """Each finding as the sentence the page shows (it says its own count)
    beside its share; the base of the whole source heads the table."""
    if not source.findings:
        return [Paragraph(_(NONE))]
    rows = tuple((f.translated(_), "" if f.positive is None or not f.base
                  else f"{100 * f.positive / f.base:.1f}") for f in source.findings)
    head = [Paragraph(_(BASE_IS).format(base=source.base_text(_)))] if source.base else []
    return [*head, Table((_(FINDING), _(POSITIVE)), rows, (1,))]


def triangulation_document(t: Triangulation, lang: str = "en") -> Document:
    lang = "cy" if lang == "cy" else "en"
    _ = gettext_for(lang)
    summary = tuple((label(s.key, lang), "—" if s.share is None else f"{s.share:g}",
                     s.base_text(_) or "—") for s in t.sources)
    sections = [Section("sources", _(SIDE_BY_SIDE), [
        Table((_(SOURCE), _(POSITIVE), _(BASE)), summary, (1,))])]
    flags = t.flags
    sections.append(Section("disagree", _(DISAGREE), [
        Bullets(tuple(f.translated(_) for f in flags)) if flags
        else Paragraph(_(AGREE).format(n=int(DISAGREEMENT_POINTS)))]))
    strengths, areas = t.notes(lang)
    origin = (_(DRAFTED) if t.saved is None
              else _(EDITED).format(who=t.saved.actor, at=t.saved.at[:10]))
    for key, found in (("strengths", strengths), ("areas", areas)):
        sections.append(Section(key, _(HEADINGS[key]), [
            Paragraph(origin), Bullets(tuple(found)) if found else Paragraph(_(NONE))]))
    for s in t.sources:
        sections.append(Section(s.key, label(s.key, lang), list(_source_table(s, _))))
    sections.append(Section("extracts", _(EXTRACTS), [
        Paragraph(_(SHOWN).format(shown=len(t.extracts), total=t.extract_total)),
        Bullets(tuple(f"“{e.text}” — {e.review_id}, {e.where}" for e in t.extracts))]
        if t.extracts else [Paragraph(_(NONE))]))
    sections.append(Section("recommendations", _(RECOMMENDATIONS), [
        Paragraph(_(SHOWN).format(shown=len(t.recommendations),
                                  total=t.recommendation_total)),
        Bullets(tuple(f"{r.review_id} {r.where} ({_(STATUS_NAMES[r.status])}): {r.text}"
                      for r in t.recommendations))]
        if t.recommendations else [Paragraph(_(NONE))]))
    named = t.named(lang)  # the words searched for follow in brackets, as typed
    return Document(_(TITLE), f"{_(TITLE)}: {named}", lang,
                    [t.organisation, f"{_(THEME)}: {named} ({', '.join(t.terms)})"],
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
