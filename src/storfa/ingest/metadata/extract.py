"""Review metadata from a review's passages, each value with the sentence it came from."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from storfa.domain.ids import find_review_ids, parse_review_id
from storfa.domain.reviews import Evidence, MetadataValue, Passage
from storfa.ingest.metadata.boards import board_name, find_boards
from storfa.ingest.metadata.date_roles import date_roles
from storfa.ingest.metadata.dates import find_dates
from storfa.ingest.metadata.review_types import find_review_types, find_variants
from storfa.ingest.metadata.sentences import split_sentences
from storfa.ingest.metadata.subject import (
    SUBJECT_RE,
    about_someone_else,
    find_ages,
    find_genders,
)

_FIELD_ORDER = (
    "type", "identifier", "board", "variant", "title", "age_band", "gender",
    "index_incident", "referral", "learning_event", "period_start", "period_end",
    "sign_off", "publication",
)  # fmt: skip
_OPENING_SECTION = re.compile(
    r"brief outline|introduction|circumstances|background|summary|amlinelliad|cyflwyniad|cefndir",
    re.IGNORECASE,
)
_BOARD_CONTEXT = re.compile(
    r"^\W{0,3}(?:regional\s+)?safeguard\w*\s+(?:children\s+|adults?\s+)?board|^\W{0,3}(?:rsb|sb)\b",
    re.IGNORECASE,
)
_MIN_DATE_SCORE = 0.8  # below this a date's role is a guess not worth reporting
_MIN_SUBJECT_SCORE = 1.5  # an age or gender must be about a named subject or in the opening
_BOARD_CONTEXT_BEFORE = re.compile(r"bwrdd\s+diogelu\s+(?:rhanbarthol\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Sentence:
    passage: Passage
    start: int  # local to the passage
    end: int
    order: int

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]

    def evidence(self) -> Evidence:
        base = self.passage.start
        return Evidence(base + self.start, base + self.end, self.text, self.passage.page)

    @property
    def opening(self) -> bool:
        """On the first page or in the brief outline / introduction."""
        return self.passage.page <= 1 or bool(_OPENING_SECTION.search(self.passage.section))


@dataclass(frozen=True, slots=True)
class _Candidate:
    field: str
    value: str
    score: float
    sentence: _Sentence | None
    order: int  # position in the text: earlier wins a tie


def _sentences(passages: Sequence[Passage]) -> Iterator[_Sentence]:
    order = 0
    for passage in passages:
        for start, end in split_sentences(passage.text):
            yield _Sentence(passage, start, end, order)
            order += 1


def _best(candidates: list[_Candidate]) -> _Candidate | None:
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.score, -c.order))


def _value(candidate: _Candidate, confidence: float) -> MetadataValue:
    evidence = candidate.sentence.evidence() if candidate.sentence else None
    return MetadataValue(
        field=candidate.field,
        value=candidate.value,
        evidence=evidence,
        confidence=round(max(0.1, min(1.0, confidence)), 2),
    )


def extract_metadata(passages: Sequence[Passage], title: str | None = None) -> list[MetadataValue]:
    """At most one value per metadata field, the best candidate, with its evidence."""
    sentences = list(_sentences(passages))
    chosen: dict[str, MetadataValue] = {}

    identifier = _identifier(sentences, title)
    if identifier:
        chosen["identifier"] = _value(identifier, 1.0 if identifier.score >= 3 else 0.7)
    for candidate, confidence in (
        _review_type(sentences, title),
        _variant(sentences, title),
        _board(sentences, title),
        _title(passages, title),
    ):
        if candidate:
            chosen[candidate.field] = _value(candidate, confidence)
    if "type" not in chosen or chosen["type"].value != "thematic":
        # A thematic report is about many people: no single subject.
        for candidate in _subject(sentences):
            chosen[candidate.field] = _value(candidate, min(1.0, candidate.score / 2.5))
    for candidate in _dates(sentences):
        chosen[candidate.field] = _value(candidate, candidate.score / 3.5)
    return [chosen[name] for name in _FIELD_ORDER if name in chosen]


def _identifier(sentences: list[_Sentence], title: str | None) -> _Candidate | None:
    if title:
        parsed = parse_review_id(title)
        canonical = parsed.canonical()
        if parsed.seq is not None and canonical:
            # Point at the same identifier in the text when the text repeats it.
            for sentence in sentences:
                for found, _, _ in find_review_ids(sentence.text):
                    if found.canonical() == canonical:
                        return _Candidate("identifier", canonical, 4.0, sentence, sentence.order)
            return _Candidate("identifier", canonical, 4.0, None, -1)
    candidates = []
    for sentence in sentences:
        for found, _, _ in find_review_ids(sentence.text):
            canonical = found.canonical()
            if canonical:
                score = 3.0 if sentence.passage.page <= 1 else 1.0
                candidates.append(
                    _Candidate("identifier", canonical, score, sentence, sentence.order)
                )
    # The first identifier seen, preferring the first page.
    return _best(candidates)


def _review_type(sentences: list[_Sentence], title: str | None) -> tuple[_Candidate | None, float]:
    totals: dict[str, float] = defaultdict(float)
    firsts: dict[str, _Candidate] = {}

    def add(kind: str, weight: float, sentence: _Sentence | None, order: int) -> None:
        totals[kind] += weight
        current = firsts.get(kind)
        if current is None or (weight, -order) > (current.score, -current.order):
            firsts[kind] = _Candidate("type", kind, weight, sentence, order)

    if title:
        for kind, _, _ in find_review_types(title):
            add(kind, 4.0, None, -1)
        parsed = parse_review_id(title)
        if parsed.type and parsed.seq is not None:
            add(parsed.type, 5.0, None, -1)
    for sentence in sentences:
        heading = sentence.passage.kind == "heading"
        weight = 2.0 if heading or sentence.passage.page <= 1 else 1.0
        for kind, _, _ in find_review_types(sentence.text):
            add(kind, weight, sentence, sentence.order)
        for found, _, _ in find_review_ids(sentence.text):
            if found.type:
                add(found.type, weight * 1.5, sentence, sentence.order)
    if not totals:
        return None, 0.0
    kind = max(totals, key=lambda k: (totals[k], -firsts[k].order))
    share = totals[kind] / sum(totals.values())
    return firsts[kind], share


def _variant(sentences: list[_Sentence], title: str | None) -> tuple[_Candidate | None, float]:
    if title:
        for variant, _, _ in find_variants(title):
            located = next(
                (s for s in sentences if any(v == variant for v, _, _ in find_variants(s.text))),
                None,
            )
            return _Candidate("variant", variant, 3.0, located, -1), 1.0
    candidates = [
        _Candidate("variant", variant, 2.0 if s.opening else 1.0, s, s.order)
        for s in sentences
        for variant, _, _ in find_variants(s.text)
    ]
    best = _best(candidates)
    return best, (0.9 if best and best.score > 1 else 0.6)


def _board(sentences: list[_Sentence], title: str | None) -> tuple[_Candidate | None, float]:
    totals: dict[str, float] = defaultdict(float)
    best: dict[str, _Candidate] = {}

    def add(name: str, weight: float, sentence: _Sentence | None, order: int) -> None:
        totals[name] += weight
        current = best.get(name)
        if current is None or (weight, -order) > (current.score, -current.order):
            best[name] = _Candidate("board", name, weight, sentence, order)

    if title:
        for name, _, _ in find_boards(title):
            add(name, 4.0, None, -1)
        parsed = parse_review_id(title)
        if parsed.board:
            add(board_name(parsed.board) or parsed.board, 5.0, None, -1)
    for sentence in sentences:
        text = sentence.text
        for found, _, _ in find_review_ids(text):
            from_id = board_name(found.board) if found.board else None
            if from_id:
                add(from_id, 4.0, sentence, sentence.order)
        for name, start, end in find_boards(text):
            weight = 1.0
            if _BOARD_CONTEXT.search(text[end:]) or _BOARD_CONTEXT_BEFORE.search(text[:start]):
                weight += 2.0
            if sentence.opening:
                weight *= 1.5
            add(name, weight, sentence, sentence.order)
    if not totals:
        return None, 0.0
    name = max(totals, key=lambda k: (totals[k], -best[k].order))
    return best[name], totals[name] / sum(totals.values())


def _title(passages: Sequence[Passage], title: str | None) -> tuple[_Candidate | None, float]:
    if title and title.strip():
        wanted = " ".join(title.split())
        for order, passage in enumerate(passages):
            index = passage.text.find(wanted)
            if index >= 0:
                sentence = _Sentence(passage, index, index + len(wanted), order)
                return _Candidate("title", wanted, 9.0, sentence, order), 1.0
        return _Candidate("title", wanted, 9.0, None, -1), 1.0
    for order, passage in enumerate(passages):
        if passage.kind == "heading" and passage.text.strip():
            return _line_candidate(passage, order), 0.8
    for order, passage in enumerate(passages):
        if passage.text.strip():
            line = passage.text.strip().splitlines()[0]
            if len(line) <= 200 and not line.rstrip().endswith((".", ",", ";")):
                return _line_candidate(passage, order), 0.5
            break
    return None, 0.0


def _line_candidate(passage: Passage, order: int) -> _Candidate:
    text = passage.text
    start = len(text) - len(text.lstrip())
    line = text[start:].splitlines()[0].rstrip()
    sentence = _Sentence(passage, start, start + len(line), order)
    return _Candidate("title", " ".join(line.strip("#* ").split()), 1.0, sentence, order)


def _subject(sentences: list[_Sentence]) -> list[_Candidate]:
    ages: list[_Candidate] = []
    genders: list[_Candidate] = []
    for sentence in sentences:
        text = sentence.text
        names_subject = bool(SUBJECT_RE.search(text))
        base = 1.0 + (1.0 if names_subject else 0.0) + (0.5 if sentence.opening else 0.0)
        found_ages = find_ages(text)
        for age in found_ages:
            score = base - (2.0 if about_someone_else(text, age.start) else 0.0)
            ages.append(_Candidate("age_band", age.value, score, sentence, sentence.order))
        for gender in find_genders(text):
            score = base - (2.0 if about_someone_else(text, gender.start) else 0.0)
            if any(
                abs(gender.start - age.end) < 30 or abs(age.start - gender.end) < 30
                for age in found_ages
            ):
                score += 0.5
            genders.append(_Candidate("gender", gender.value, score, sentence, sentence.order))
    return [c for c in (_best(ages), _best(genders)) if c and c.score >= _MIN_SUBJECT_SCORE]


def _dates(sentences: list[_Sentence]) -> list[_Candidate]:
    # Every (date mention, role) pairing with its score; then the best pairings
    # win, each mention filling one role (two for a "from X to Y" range).
    options: list[tuple[float, int, str, str, _Sentence, int]] = []
    for sentence in sentences:
        text = sentence.text
        found = find_dates(text)
        if not found:
            continue
        roles_by_date = date_roles(text, found, sentence.passage.section)
        # Of two incident (or referral) dates in one sentence ("found on X and died
        # on Y"), the earlier is the index incident (the referral).
        earliest = {
            role: min(
                (
                    found[i].date
                    for i, ranked in enumerate(roles_by_date)
                    for r in ranked
                    if r.role == role
                ),
                default=None,
            )
            for role in ("index_incident", "referral")
        }
        for index, (date, roles) in enumerate(zip(found, roles_by_date, strict=True)):
            for ranked in roles:
                score = ranked.score * (0.8 if date.precision == "month" else 1.0)
                if sentence.opening and ranked.role in {"index_incident", "referral"}:
                    score += 0.3
                if earliest.get(ranked.role) == date.date:
                    score += 0.3
                options.append(
                    (score, sentence.order, ranked.role, date.date.isoformat(), sentence, index)
                )
    options.sort(key=lambda o: (-o[0], o[1]))
    # A period's start and end come from the same "from X to Y" where there is one.
    partners = {(o[1], o[5], o[2]): o for o in options if o[2] in {"period_start", "period_end"}}
    taken_roles: set[str] = set()
    used_mentions: set[tuple[int, int]] = set()
    chosen: list[_Candidate] = []

    def take(option: tuple[float, int, str, str, _Sentence, int]) -> None:
        score, order, role, iso, sentence, index = option
        taken_roles.add(role)
        used_mentions.add((order, index))
        chosen.append(_Candidate(role, iso, score, sentence, order))

    for option in options:
        score, order, role, _, _, index = option
        if role in taken_roles or (order, index) in used_mentions or score < _MIN_DATE_SCORE:
            continue
        take(option)
        if role in {"period_start", "period_end"}:
            other = "period_end" if role == "period_start" else "period_start"
            step = 1 if role == "period_start" else -1
            partner = partners.get((order, index + step, other))
            if partner and other not in taken_roles:
                take(partner)
    return chosen
