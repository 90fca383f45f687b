"""Word the English review from its CaseFacts, in the Welsh CPR template's structure."""

from __future__ import annotations

import random
import re
from functools import lru_cache

from storfa.domain.documents import Block, BlockKind
from storfa.synthetic import bank_general as G
from storfa.synthetic import vocab
from storfa.synthetic.bank_learning import (
    FINDING_OPENERS,
    GOOD_PRACTICE,
    SUGGESTED,
    theme_by_key,
)
from storfa.synthetic.dates import MONTHS, choose_styles, spell_date
from storfa.synthetic.facts import CaseFacts, board_display_name, spell_identifier
from storfa.synthetic.model import GeneratedReview, Recommendation, Section
from storfa.synthetic.textkit import Deck, expand, join_names, paragraph, sentence

# Words of body text per requested page; calibrated against the PDF renderer.
WORDS_PER_PAGE = 520

HEADINGS_CPR = {
    "outline": "Brief outline of circumstances resulting in the review",
    "learning": "Practice and organisational learning",
    "family": "Family members' perspectives",
    "improving": "Improving systems and practice",
    "statement": "Statement by reviewer(s)",
    "tor": "Terms of reference",
    "timeline": "Summary timeline",
    "event": "Learning event and family engagement",
}
HEADINGS_HOMICIDE = {
    "outline": "Introduction and circumstances leading to the review",
    "learning": "Analysis and learning",
    "family": "Involvement of family and friends",
    "improving": "Conclusions and recommendations",
    "statement": "Statement of independence",
    "tor": "Terms of reference",
    "timeline": "Chronology",
    "event": "Methodology and contributors",
}


def _area(council: str) -> str:
    for suffix in (" County Borough Council", " County Council", " City Council", " Council"):
        council = council.removesuffix(suffix)
    return council.removeprefix("City and County of ")


def subject_slots(f: CaseFacts) -> dict[str, str | tuple[str, ...]]:
    """Names, pronouns and agencies the sentence banks refer to."""
    if f.review_type == "DHR":
        sub = f.pseudonym or f"Adult {f.letter}"
    elif f.review_type == "MHHR":
        sub = {"female": "Ms X", "male": "Mr X"}.get(f.gender or "", "Adult X")
    else:
        sub = f"{'Child' if f.child else 'Adult'} {f.letter}"
    pro, pos, obj = {"female": ("she", "her", "her"), "male": ("he", "his", "him")}.get(
        f.gender or "", (sub, sub + "'s", sub))
    if f.child:
        carer: str = "Mother"
        carer2: tuple[str, ...] = ("Father", "Mother's partner")
    elif f.review_type in ("DHR", "MHHR"):
        carer, carer2 = sub, ("Adult B",) if f.review_type == "DHR" else (f"{pos} brother",)
    else:
        carer, carer2 = "Adult C", ("Adult D",)
    names = [a.en for a in f.agencies]
    council = next(a.en for a in f.agencies if a.kind == "council")
    return {
        "sub": sub, "subs": sub + "'s", "pro": pro, "pos": pos, "obj": obj,
        "carer": carer, "carer2": carer2, "family": "their",
        # Who the subject lived with; in homicide reviews [carer] is the subject.
        "household": {"DHR": "Adult B", "MHHR": "family members"}.get(f.review_type, carer),
        "perp": "Adult B", "victim": "Mrs Y" if f.gender != "female" else "Mr Y",
        "role": vocab.CHILD_ROLES if f.child else vocab.ADULT_ROLES,
        "role2": vocab.CHILD_ROLES if f.child else vocab.ADULT_ROLES,
        "agency": tuple(names), "hb": tuple(a.en for a in f.board.health),
        "police": f.board.police.en, "la": council, "area": _area(council),
        "services": ("Children's Services", "children's social care") if f.child
        else ("Adult Services", "adult social care"),
        "board": board_display_name(f),
    }


def review_title(f: CaseFacts, slots: dict[str, str | tuple[str, ...]], ident: str) -> str:
    name = vocab.TYPE_NAMES[f.review_type]
    board = board_display_name(f)
    if f.review_type in ("CPR", "APR"):
        lead = f"{name} Report" if f.review_type == "CPR" else name
        variant = f.variant.title() if f.variant else ""
        return f"{lead} {ident} — {board} — {variant} {name} re: {slots['sub']}"
    if f.review_type == "DHR":
        return f"{name} {ident} — {board} — Overview Report into the death of {slots['sub']}"
    return f"{name} {ident} — {board} — Review re: {slots['sub']}"


def _age_sentence(f: CaseFacts, rng: random.Random) -> str:
    if f.age_years is None:
        return "To protect [pos] identity, [subs] age and gender are not given in this report."
    nouns = {"female": ("girl", "woman"), "male": ("boy", "man")}
    noun = nouns.get(f.gender or "", ("child", "adult"))
    if f.age_months is not None:
        return f"[Sub] was a {f.age_months}-month-old baby {noun[0]} at the time of the incident."
    if f.child:
        return f"[Sub] was a {f.age_years}-year-old {noun[0]} at the time of the incident."
    return f"[Sub] was a {f.age_years}-year-old {noun[1]} at the time of the incident."


class _Writer:
    def __init__(self, f: CaseFacts, pages_hint: int) -> None:
        self.f = f
        self.rng = random.Random(f"storfa-text-en:{f.seed}")
        self.slots = subject_slots(f)
        self.styles = choose_styles(self.rng)
        self.date_text = {k: spell_date(d, self.styles[k]) for k, d in f.dates.items()}
        for key, text in self.date_text.items():
            self.slots["d_" + key] = text
        self.target = max(1, pages_hint) * WORDS_PER_PAGE
        self.analysis = Deck(G.ANALYSIS, self.rng)
        self.good = Deck(self.fit(GOOD_PRACTICE), self.rng)
        self.suggested = Deck(SUGGESTED, self.rng)
        self.openers = Deck(FINDING_OPENERS, self.rng)
        self.follow = Deck(self.fit(G.NARRATIVE_FOLLOW), self.rng)
        self.background = Deck(self.fit(G.BACKGROUND), self.rng)

    def fit(self, templates: tuple[str, ...]) -> tuple[str, ...]:
        """Drop templates that belong to the other audience (no schools in an APR)."""
        return _fit(templates, self.f.child)

    def s(self, template: str) -> str:
        return sentence(template, self.slots, self.rng)

    def para(self, *templates: str) -> Block:
        return Block(BlockKind.PARAGRAPH, " ".join(self.s(t) for t in templates))

    def deck_para(self, decks: list[Deck], lo: int, hi: int) -> Block:
        text = paragraph(decks, self.rng.randint(lo, hi), self.slots, self.rng)
        return Block(BlockKind.PARAGRAPH, text)

    # -- sections ------------------------------------------------------------------------
    def outline(self) -> list[Section]:
        f, rng = self.f, self.rng
        legal_key = "CPR_old" if f.review_type == "CPR" and f.dates["index_incident"].year < 2016 \
            else f.review_type
        blocks = [self.para(rng.choice(G.LEGAL_CONTEXT[legal_key]))]
        kind = f.review_type if f.review_type in ("DHR", "MHHR") else (
            "child" if f.child else "adult")
        incident = expand(rng.choice(G.INCIDENT[kind]), self.slots, rng)
        first = rng.choice((
            f"The index incident occurred on [d_index_incident], when {incident}.",
            f"On [d_index_incident], {incident}; this is referred to as the index incident.",
        ))
        referral = rng.choice(G.REFERRAL)
        middle = [first, _age_sentence(f, rng), referral]
        if f.variant:
            middle.append(G.CRITERIA[f"{f.review_type}_{f.variant}"])
        blocks.append(self.para(*middle))
        period = "The review covers the period from [d_period_start] to [d_period_end]"
        if f.long_period:
            blocks.append(self.para(period + ".", rng.choice(G.PERIOD_LONG)))
        else:
            blocks.append(self.para(f"{period}, {rng.choice(G.PERIOD_REASON)}."))
        blocks.append(self.deck_para([self.background], 3, 5))
        sections = [Section(self.heading("outline"), 2, blocks)]
        narrative: list[Block] = []
        for when, agency in f.timeline[: max(3, len(f.timeline) * 2 // 3)]:
            template = rng.choice(self.fit(G.TIMELINE_EVENTS[agency.kind]))
            event = expand(template, self.slots, rng)
            first_word = event.split(" ", 1)[0]
            if not template.startswith("[") and first_word[1:].islower():
                event = event[:1].lower() + event[1:]  # "GP ..." and names keep their capitals
            spelt = spell_date(when, self.styles["index_incident"])
            lead = f"On {spelt}, {agency.en} recorded: {event}."
            narrative.append(Block(BlockKind.PARAGRAPH, " ".join(
                [lead] + [self.s(self.follow.draw()) for _ in range(rng.randint(1, 3))])))
        sections.append(Section("Summary of agency involvement", 3, narrative))
        return sections

    def learning(self, other_words: int) -> list[Section]:
        f, rng = self.f, self.rng
        sections = [Section(self.heading("learning"), 2, [self.para(*G.LEARNING_INTRO)])]
        # The learning themes fill whatever the fixed sections leave of the page target.
        budget = max(150, self.target - other_words) // len(f.themes)
        for i, key in enumerate(f.themes, 1):
            theme = theme_by_key(key)
            title = expand(rng.choice(theme.titles), self.slots, rng)
            findings = Deck(self.fit(theme.findings), rng)
            missed = Deck(self.fit(theme.missed), rng)
            blocks: list[Block] = [self.deck_para([self.openers, findings, findings], 3, 5)]
            words = _words(blocks)
            while words < budget:
                roll = rng.random()
                if roll < 0.45 and findings.fresh:
                    block = self.deck_para([findings, self.analysis], 3, 6)
                elif roll < 0.45:
                    block = self.para(self.evidence(), self.analysis.draw(), self.evidence())
                elif roll < 0.6 and missed.fresh:
                    block = self.para(G.MISSED_INTRO,
                                      missed.draw(), self.analysis.draw())
                elif roll < 0.85:
                    block = self.deck_para([self.good, self.analysis], 2, 4)
                else:
                    block = self.deck_para([self.suggested, self.analysis], 2, 3)
                blocks.append(block)
                words += len(block.text.split())
            label = rng.choice(("Learning point {n}: ", "Theme {n}: ", ""))
            sections.append(Section(label.format(n=i) + title, 3, blocks))
        good = [self.deck_para([self.good], 3, 5) for _ in range(max(1, self.target // 2500))]
        sections.append(Section("Effective practice", 3, good))
        return sections

    def family(self) -> list[Section]:
        deck = Deck(G.FAMILY, self.rng)
        n = max(1, self.target // 3000)
        blocks = [self.deck_para([deck], 3, 5) for _ in range(n)]
        return [Section(self.heading("family"), 2, blocks)]

    def improving(self) -> tuple[list[Section], list[Recommendation]]:
        f, rng = self.f, self.rng
        actions = Deck(G.ACTIONS, rng)
        intro = [self.deck_para([actions], 3, 4) for _ in range(max(1, self.target // 4000))]
        recs: list[Recommendation] = []
        style = rng.choice(("labelled", "labelled", "list", "table"))
        state_level = rng.random() < 0.5
        blocks: list[Block] = [self.para(G.REC_INTRO)]
        if style == "table":
            blocks.append(Block(BlockKind.TABLE_ROW, "Recommendation | Agency | Level"))
        for spec in f.recs:
            theme = theme_by_key(spec.theme)
            clause = expand(theme.recs[spec.pick % len(theme.recs)], self.slots, rng)
            names = [a.en for a in spec.agencies]
            opener = G.REC_OPENERS[spec.pick % len(G.REC_OPENERS)]
            text = re.sub(r"\s{2,}", " ", f"{join_names(names)} {opener} {clause}.")
            recs.append(Recommendation(spec.number, text, names, spec.level))
            tail = f" This is a {spec.level} recommendation." if state_level else ""
            if style == "table":
                row = f"{spec.number}. {text} | {join_names(names)} | {spec.level.title()}"
                blocks.append(Block(BlockKind.TABLE_ROW, row))
            elif style == "list":
                blocks.append(Block(BlockKind.LIST_ITEM, text + tail))
            else:
                labelled = f"Recommendation {spec.number}: {text}{tail}"
                blocks.append(Block(BlockKind.PARAGRAPH, labelled))
        sections = [Section(self.heading("improving"), 2, intro),
                    Section("Recommendations", 3, blocks)]
        return sections, recs

    def statement(self) -> list[Section]:
        f = self.f
        blocks = [self.para(*G.STATEMENT[:2]), self.para(*G.STATEMENT[2:])]
        for i, name in enumerate(f.reviewers, 1):
            label = "Reviewer" if len(f.reviewers) == 1 else f"Reviewer {i}"
            blocks.append(Block(BlockKind.PARAGRAPH, f"{label}: {name}"))
        blocks.append(self.para(
            "This report was signed off by the [board] on [d_sign_off].",
            "The Board {approved|agreed} the report for publication on [d_publication]."))
        blocks.append(Block(BlockKind.PARAGRAPH, f"Chair of the Review Panel: {f.chair}"))
        return [Section(self.heading("statement"), 2, blocks)]

    def tor(self) -> list[Section]:
        blocks = [Block(BlockKind.PARAGRAPH, G.TOR_INTRO)]
        blocks += [Block(BlockKind.LIST_ITEM, self.s(t)) for t in G.CORE_TASKS]
        return [Section(self.heading("tor"), 2, blocks)]

    def timeline(self) -> list[Section]:
        rows = [Block(BlockKind.TABLE_ROW, "Date | Agency | Event")]
        for when, agency in self.f.timeline:
            template = self.rng.choice(self.fit(G.TIMELINE_EVENTS[agency.kind]))
            event = sentence(template, self.slots, self.rng)
            day = f"{when.day:02d}/{when.month:02d}/{when.year}"
            rows.append(Block(BlockKind.TABLE_ROW, f"{day} | {agency.en} | {event}"))
        intro = self.para(G.TIMELINE_INTRO)
        return [Section(self.heading("timeline"), 2, [intro, *rows])]

    def event(self) -> list[Section]:
        first = self.para("A learning event was held on [d_learning_event].",
                          *self.rng.sample(G.LEARNING_EVENT, 3))
        return [Section(self.heading("event"), 2, [first])]

    def evidence(self) -> str:
        """A sentence citing a chronology entry, so long reviews stay case-specific."""
        when, agency = self.rng.choice(self.f.timeline)
        template = self.rng.choice(self.fit(G.TIMELINE_EVENTS[agency.kind]))
        event = expand(template, self.slots, self.rng)
        if not template.startswith("[") and event.split(" ", 1)[0][1:].islower():
            event = event[:1].lower() + event[1:]
        month = f"{MONTHS[when.month - 1]} {when.year}"
        return self.rng.choice((
            f"For example, the {agency.en} record for {month} notes: {event}.",
            f"{{This was illustrated|This can be seen}} in {month}, when {agency.en} "
            f"recorded: {event}.",
            f"The chronology for {month} shows this: {event} ({agency.en}).",
        ))

    def heading(self, key: str) -> str:
        table = HEADINGS_HOMICIDE if self.f.review_type in ("DHR", "MHHR") else HEADINGS_CPR
        return table[key]


@lru_cache(maxsize=512)
def _fit(templates: tuple[str, ...], child: bool) -> tuple[str, ...]:
    banned = re.compile(G.ADULT_ONLY if child else G.CHILD_ONLY, re.IGNORECASE)
    kept = tuple(t for t in templates if not banned.search(t))
    return kept or templates


def _words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks)


def compose_en(f: CaseFacts, pages_hint: int) -> GeneratedReview:
    w = _Writer(f, pages_hint)
    ident = spell_identifier(f.identifier, f.identifier_spelling)
    outline = w.outline()
    family = w.family()
    improving, recs = w.improving()
    tail = improving + w.statement() + w.tor() + w.timeline() + w.event()
    other = sum(_words(s.blocks) for s in outline + family + tail)
    sections = outline + w.learning(other) + family + tail
    age = f.age_years
    return GeneratedReview(
        review_type=f.review_type, identifier=f.identifier, board=f.board.name,
        variant=f.variant, title=review_title(f, w.slots, ident), language="en",
        age_band=vocab.age_band(age) if age is not None else None, gender=f.gender,
        dates=dict(f.dates), sections=sections, recommendations=recs,
        date_text=w.date_text, identifier_text=ident, board_name=str(w.slots["board"]),
        age_years=age,
        subject=str(w.slots["sub"]), seed=f.seed, themes=list(f.themes))
