"""A 7-minute learning briefing for one review or one theme (MISSION.md area E).

A briefing is seven short sections assembled from what storfa holds: the
review's metadata and its "circumstances" passages (what happened), the
learning themes it names (why it matters, what we learned), coded
best-practice extracts (good practice seen), its recommendations (what to do
differently), questions built from the themes present, and further reading.
Every section is plain text a person edits before export: paragraphs split
by blank lines, "- " starting a bullet; page references are written into the
text as "(p. 4)" so they survive editing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from storfa.coding.codebooks import builtin_codebooks, load_codebook
from storfa.domain.codebooks import Code, UnknownCode
from storfa.domain.coding import REJECTED, Extract
from storfa.domain.errors import N_, StorfaError
from storfa.domain.recommendations import FoundRecommendation, text_key
from storfa.domain.reviews import Passage, ReviewSummary
from storfa.recommendations.extract import extract as extract_recommendations
from storfa.reports.questions import questions_for
from storfa.reports.words import SECTIONS, lang_of, word
from storfa.storage import repositories

if TYPE_CHECKING:
    from storfa.app import Storfa

BEST_PRACTICE = "best-practice"
# How much of each section a seven-minute read has room for.
MAX_HAPPENED_CHARS = 900
MAX_LEARNED = 6
MAX_GOOD_PRACTICE = 6
MAX_RECOMMENDATIONS = 8
MAX_EXTRACT_CHARS = 320
MAX_THEME_REVIEWS = 12
# Cosine similarity between a theme's description and a recommendation above
# which the recommendation is listed under the theme's "what to do differently".
THEME_RECOMMENDATION_MIN = 0.35

_CIRCUMSTANCES = re.compile(r"circumstances|outline|background|summary of the case|"
                            r"amgylchiadau|amlinelliad|cefndir", re.I)
_LEARNING = re.compile(r"learning|findings|analysis|dysgu|canfyddiadau", re.I)
_LEARNING_LABEL = re.compile(r"^\s*(?:learning point|theme|thema|pwynt dysgu)\s*\d+\s*[:.–—-]\s*",
                             re.I)
_EFFECTIVE = re.compile(r"effective practice|good practice|arfer (?:da|effeithiol)", re.I)
# A sentence that states a finding rather than illustrating it with the chronology.
_FINDING = re.compile(r"\b(?:review found|reviewers found|missed opportunity|was not|were not|"
                      r"did not|would have been|lack of|absence of|not recognised)\b", re.I)
# Praise in the text, for a review nobody has coded yet.
_PRAISE = re.compile(r"\b(?:commend\w*|good practice was seen|good (?:multi-agency )?working|"
                     r"demonstrated \w+ practice|maintained involvement|trusting relationship|"
                     r"persisted|consistent (?:care|efforts))\b", re.I)
_HYPOTHETICAL = re.compile(r"would have been|should have|\bnot\b|\bno\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"(])")


@dataclass
class Briefing:
    """The assembled (or edited) briefing. `sections` maps each key of
    words.SECTIONS to its text."""

    kind: str  # "review" | "theme"
    subject: str  # the review id, or the theme's name
    title: str
    lang: str
    sections: dict[str, str]
    reviews: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return word("briefing" if self.kind == "review" else "theme_briefing", self.lang)

    def edited(self, texts: dict[str, str]) -> Briefing:
        """A copy with the given sections replaced (what a person typed)."""
        sections = dict(self.sections)
        for key in SECTIONS:
            if key in texts:
                sections[key] = clean_text(texts[key])
        return Briefing(self.kind, self.subject, self.title, self.lang, sections,
                        list(self.reviews), list(self.themes))

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "title": self.title,
                "lang": self.lang, "reviews": self.reviews, "themes": self.themes,
                "sections": [{"key": k, "heading": word(k, self.lang),
                              "text": self.sections.get(k, "")} for k in SECTIONS]}


def clean_text(text: str) -> str:
    """Line endings normalised and trailing space gone; a browser posts CRLF."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(re.sub(r"\s+", " ", text)) if s.strip()]


def shorten(text: str, limit: int = MAX_EXTRACT_CHARS) -> str:
    """Whole sentences up to `limit` characters; else the text cut at a word."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in sentences(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0] + " …"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_ref(page: int | None, lang: str, review: str | None = None) -> str:
    parts = [review] if review else []
    if page is not None:
        parts.append(f"{word('page', lang)} {page}")
    return f" ({', '.join(parts)})" if parts else ""


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


# ------------------------------------------------------------------ a review
def _top(section: str) -> str:
    return section.split(" > ")[0]


def _leaf(section: str) -> str:
    return section.split(" > ")[-1]


def _what_happened(summary: ReviewSummary, passages: Sequence[Passage], lang: str) -> str:
    facts = [", ".join(str(x) for x in (summary.type, summary.board, summary.year) if x) + "."]
    dates = summary.dates or {}
    if dates.get("index_incident"):
        facts.append(f"{word('index_incident', lang)}: {dates['index_incident']}.")
    if dates.get("publication"):
        facts.append(f"{word('published', lang)}: {dates['publication']}.")
    text, first_page = "", None
    for p in passages:
        if p.kind != "paragraph" or not _CIRCUMSTANCES.search(_leaf(p.section)):
            continue
        first_page = first_page if first_page is not None else p.page
        if len(text) + len(p.text) > MAX_HAPPENED_CHARS:
            text = f"{text}\n\n{shorten(p.text, max(0, MAX_HAPPENED_CHARS - len(text)))}"
            break
        text = f"{text}\n\n{_squash(p.text)}"
    story = text.strip()
    if story:
        story += page_ref(first_page, lang)
    return "\n\n".join(part for part in (" ".join(facts), story) if part)


def _learning_themes(passages: Sequence[Passage]) -> list[tuple[str, list[Passage]]]:
    """The learning sections' sub-headings (themes) with their paragraphs,
    leaving out the effective-practice section."""
    themes: dict[str, list[Passage]] = {}
    for p in passages:
        parts = p.section.split(" > ")
        if len(parts) < 2 or not _LEARNING.search(parts[0]) or _EFFECTIVE.search(parts[-1]):
            continue
        name = _LEARNING_LABEL.sub("", parts[-1]).strip()
        if name and p.kind != "heading":
            themes.setdefault(name, []).append(p)
    return list(themes.items())


def _finding(paragraphs: Sequence[Passage]) -> tuple[str, int | None] | None:
    for p in paragraphs:
        for sentence in sentences(p.text):
            if _FINDING.search(sentence) and len(sentence) > 40:
                return sentence, p.page
    return None


def _what_we_learned(themes: list[tuple[str, list[Passage]]], lang: str) -> str:
    items = []
    for name, paragraphs in themes[:MAX_LEARNED]:
        found = _finding(paragraphs)
        if found is None:
            items.append(name)
            continue
        sentence, page = found
        items.append(f"{name}: {sentence}{page_ref(page, lang)}")
    return bullets(items) or word("none", lang)


def _good_practice_text(passages: Sequence[Passage]) -> list[tuple[str, int | None]]:
    """Sentences praising practice, for a review with no coded extracts yet."""
    found: list[tuple[str, int | None]] = []
    for p in passages:
        if not _LEARNING.search(_top(p.section)) or p.kind == "heading":
            continue
        for sentence in sentences(p.text):
            if _PRAISE.search(sentence) and not _HYPOTHETICAL.search(sentence):
                found.append((sentence, p.page))
    return found


def usable_extracts(extracts: Iterable[Extract]) -> list[Extract]:
    """Accepted extracts first, then suggestions by confidence; rejected never.
    A span coded alike by several coders (each decision its own row) counts once."""
    kept = sorted((e for e in extracts if e.status != REJECTED and not e.superseded),
                  key=lambda e: (e.status != "accepted", -(e.confidence or 0.0), e.start))
    seen: set[tuple[int, int, int, str, str]] = set()
    unique = []
    for e in kept:
        key = (e.review_row, e.start, e.end, e.codebook, e.code)
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return unique


def _good_practice(extracts: Sequence[Extract], passages: Sequence[Passage], lang: str,
                   with_review: bool = False) -> str:
    items: list[str] = []
    seen: set[str] = set()
    for e in usable_extracts(extracts):
        text = shorten(e.text)
        if text in seen:
            continue
        seen.add(text)
        where = page_ref(e.page, lang, e.review_id if with_review else None)
        items.append(f"{text} — {e.code}{where}")
        if len(items) >= MAX_GOOD_PRACTICE:
            break
    if not items:
        for sentence, page in _good_practice_text(passages)[:MAX_GOOD_PRACTICE]:
            if sentence not in seen:
                seen.add(sentence)
                items.append(f"{sentence}{page_ref(page, lang)}")
    return bullets(items) or word("none", lang)


def _do_differently(passages: Sequence[Passage], lang: str) -> tuple[str, int]:
    found = extract_recommendations(passages)
    items = [f"{r.number}. {r.text}{page_ref(r.page, lang)}" for r in found[:MAX_RECOMMENDATIONS]]
    text = bullets(items) or word("none", lang)
    if len(found) > MAX_RECOMMENDATIONS:
        text += "\n\n" + word("more_recommendations", lang).format(n=len(found))
    return text, len(found)


def _why_it_matters(themes: Sequence[str], recommendations: int, lang: str) -> str:
    parts = [word("why_intro", lang)]
    if themes:
        parts.append(word("learning_about", lang).format(themes="; ".join(themes)))
    if recommendations:
        parts.append(word("recs_count", lang).format(n=recommendations))
    return "\n\n".join(parts)


def _coded_themes(extracts: Sequence[Extract]) -> list[str]:
    names: list[str] = []
    for e in usable_extracts(extracts):
        if e.theme not in names:
            names.append(e.theme)
    return names


def review_briefing(app: Storfa, key: str, lang: str = "en") -> Briefing:
    """The briefing for one review (the caller has checked the reader may see it)."""
    lang = lang_of(lang)
    record = app.store.get_review(key)
    if record is None:
        raise StorfaError(N_("There is no review {key!r}."), key=key)
    # A briefing is shared beyond storfa: it quotes the review as published,
    # with the editors' disclosure redactions (disclosure/redaction.py).
    from storfa.disclosure.redaction import for_record

    mask = for_record(app, record)
    summary = replace(record.summary, title=mask.loose(record.summary.title or "") or None)
    passages = mask.passages(app.store.passages(record.version_id))
    extracts = [replace(e, text=mask.loose(e.text))
                for e in repositories.extracts(app.store).select(review_row=record.id)]
    best = [e for e in extracts if e.codebook == BEST_PRACTICE]
    themes = _learning_themes(passages)
    theme_names = [name for name, _ in themes]
    recommendations, count = _do_differently(passages, lang)
    topics = theme_names + _coded_themes(extracts) + [recommendations]
    sections = {
        "what_happened": _what_happened(summary, passages, lang),
        "why_it_matters": _why_it_matters(theme_names, count, lang),
        "what_we_learned": _what_we_learned(themes, lang),
        "good_practice": _good_practice(best, passages, lang),
        "do_differently": recommendations,
        "questions": bullets(questions_for(topics, lang)),
        "further_reading": bullets([
            word("full_review", lang).format(title=summary.title or summary.review_id,
                                             id=summary.review_id),
            word("guidance", lang)]),
    }
    return Briefing("review", summary.review_id, summary.title or summary.review_id, lang,
                    sections, [summary.review_id], theme_names)


# ------------------------------------------------------------------- a theme
def find_code(name: str) -> tuple[str, Code]:
    """(codebook, code) for a code or theme name in a built-in codebook."""
    for book_name in builtin_codebooks():
        book = load_codebook(book_name)
        try:
            return book.name, book.code(name)
        except UnknownCode:
            continue
    raise StorfaError(N_("No codebook has a code or theme called {name!r}."), name=name)


def theme_extracts(app: Storfa, name: str, exclude: Iterable[int] = ()
                   ) -> tuple[str, Code, list[Extract]]:
    """The extracts coded to a code or to any code under a theme, in the
    visible reviews (`exclude`: review rows the reader may not see)."""
    book_name, code = find_code(name)
    hidden = set(exclude)
    wanted = {code.name} if code.is_leaf else {c.name for c in load_codebook(book_name)
                                               if code.name in c.path}
    wanted.add(code.name)
    chosen = [e for e in repositories.extracts(app.store).select(codebook=book_name)
              if e.code in wanted and e.review_row not in hidden]
    return book_name, code, usable_extracts(chosen)


def theme_briefing(app: Storfa, name: str, lang: str = "en", exclude: Iterable[int] = ()
                   ) -> Briefing:
    """The briefing across the reviews with extracts coded to a theme."""
    lang = lang_of(lang)
    hidden = set(exclude)
    book_name, code, extracts = theme_extracts(app, name, hidden)
    if not extracts:
        raise StorfaError(N_("No visible review has extracts coded to {code!r} yet."),
                          code=code.name)
    keys = sorted({e.review_id for e in extracts})
    summaries = {s.review_id: s for s in app.store.list_reviews()}
    years = sorted(y for k in keys if (y := summaries[k].year if k in summaries else None))
    span = f"{years[0]}–{years[-1]}" if years and years[0] != years[-1] else (
        str(years[0]) if years else "")
    happened = word("theme_reviews", lang).format(n=len(keys), theme=code.name, span=span)
    happened += "\n\n" + bullets(f"{k}: {summaries[k].title or k}" for k in keys[
        :MAX_THEME_REVIEWS] if k in summaries)
    learned = [e for e in extracts if not code.best_practice]
    good = [e for e in extracts if code.best_practice]
    recs = _theme_recommendations(app, code, keys, hidden, lang)
    learned_items = _code_counts(extracts, lang) + [
        f"{shorten(e.text)}{page_ref(e.page, lang, e.review_id)}" for e in learned[:MAX_LEARNED]]
    sections = {
        "what_happened": happened,
        "why_it_matters": f"{code.description}\n\n{word('why_intro', lang)}",
        "what_we_learned": bullets(learned_items) or word("none", lang),
        "good_practice": _good_practice(good, [], lang, with_review=True),
        "do_differently": bullets(recs) or word("none", lang),
        "questions": bullets(questions_for([code.name, *code.path, code.description], lang)),
        "further_reading": bullets(f"{k}: {summaries[k].title or k}" for k in keys
                                   if k in summaries),
    }
    return Briefing("theme", code.name, f"{code.name} ({book_name})", lang, sections, keys,
                    [code.name])


def _code_counts(extracts: Sequence[Extract], lang: str) -> list[str]:
    """"Multi-agency working: 5 extracts in 3 reviews" per code, most first."""
    by_code: dict[str, list[Extract]] = {}
    for e in extracts:
        by_code.setdefault(e.code, []).append(e)
    ranked = sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [word("code_count", lang).format(code=code, n=len(items),
                                            reviews=len({e.review_id for e in items}))
            for code, items in ranked]


def _theme_recommendations(app: Storfa, code: Code, keys: Sequence[str], hidden: set[int],
                           lang: str) -> list[str]:
    """The theme's reviews' recommendations closest in meaning to the theme
    (its name and description), most similar first."""
    from storfa.recommendations.recurrence import shared_cache, topic

    found: list[tuple[str, FoundRecommendation]] = []
    for key in keys:
        record = app.store.get_review(key)
        if record is not None and record.id not in hidden:
            found.extend((key, r) for r in extract_recommendations(
                app.store.passages(record.version_id)))
    if not found:
        return []
    vectors = shared_cache()([f"{code.name}. {code.description}"]
                             + [topic(r.text) for _, r in found])
    scores = vectors[1:] @ vectors[0]
    ranked = sorted(zip(scores.tolist(), found, strict=True), key=lambda sr: -sr[0])
    chosen: dict[str, str] = {}  # one line per wording, naming its first review
    for score, (key, r) in ranked:
        if score >= THEME_RECOMMENDATION_MIN and text_key(r.text) not in chosen:
            chosen[text_key(r.text)] = f"{r.text}{page_ref(r.page, lang, key)}"
    return list(chosen.values())[:MAX_RECOMMENDATIONS]
