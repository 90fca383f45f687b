"""Review metadata from a review's passages, each value with the sentence it came from."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from storfa.domain.ids import find_board_numbered, find_review_ids, parse_review_id
from storfa.domain.reviews import Evidence, MetadataValue, Passage, form_box_label
from storfa.ingest.metadata.boards import board_name, find_boards
from storfa.ingest.metadata.date_roles import date_roles
from storfa.ingest.metadata.dates import FoundDate, find_dates
from storfa.ingest.metadata.identity import (
    PUBLISHER_RE,
    SELF_REFERENCE_RE,
    across_reviews,
    front_passages,
    is_title_line,
)
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
_REPORT_DATES = frozenset({"publication", "sign_off"})
# A sentence about the report itself, where a thematic report's publication may be.
_SELF_REPORT_RE = re.compile(
    r"\bthis\s+(?:\w+\s+){0,2}(?:report|review|analysis|evaluation)\b"
    r"|\bthe\s+(?:thematic|overview|national)\s+(?:\w+\s+)?(?:report|review|analysis|evaluation)\b",
    re.IGNORECASE,
)
# Where a report across reviews tells of its own sign-off outside its front
# matter: "The Panel agreed the final report at its meeting on 11 February
# 2026" (a cited review's agreement names that review, and its dates are left
# out by the date reading).
_OWN_AGREEMENT_RE = re.compile(
    r"\b(?:agreed|approved|signed off|endorsed)\s+(?:the|this)\s+final\s+report\b", re.IGNORECASE)
_BOARD_CONTEXT_BEFORE = re.compile(r"bwrdd\s+diogelu\s+(?:rhanbarthol\s+)?$", re.IGNORECASE)
# A safeguarding body outside Wales that publishes reviews, named in full on
# its title page ("Northshire Safeguarding Children Partnership", "Kent
# Safeguarding Adults Board"): the English and Scottish counterparts of a
# Welsh board. Not a community safety partnership, which commissions a DHR
# but is no safeguarding board (as a Welsh DHR's is not).
_OTHER_BOARD = re.compile(
    r"\b((?:[A-Z][\w'’&-]*\s+(?:and\s+|&\s+)?){1,4}"
    r"(?:Safeguarding\s+(?:Children\s+|Adults\s+)?(?:Partnership|Board)|"
    r"Children(?:'s|’s)?\s+Safeguarding\s+Partnership|Adult\s+Protection\s+Committee|"
    r"Child\s+Protection\s+Committee)"
    # "Safeguarding Board for Northern Ireland"
    r"|Safeguarding\s+Board\s+for\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\b")


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
        return self.passage.page <= 1 or _opening_section(self.passage.section)


@lru_cache(maxsize=1024)
def _opening_section(section: str) -> bool:
    # Asked of every sentence with a date or an age; a review has few sections.
    return bool(_OPENING_SECTION.search(section))


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


def _section_of(passage: Passage) -> str:
    """A passage's section path; a template form's box ("Brief outline of
    circumstances | On the evening of 26 March 2023 ...") adds its label."""
    box = form_box_label(passage)
    return passage.section if box is None else f"{passage.section} > {box}"


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


@dataclass(frozen=True, slots=True)
class _Front:
    """The report's own furniture, where its identity is read (identity.py)."""

    title: str | None
    lines: list[_Sentence]  # title-page lines: headings, short lines, table rows
    sentences: list[_Sentence]  # running sentences of the front matter
    headers: list[str]  # running headers and footers, most repeated first

    @property
    def title_texts(self) -> list[str]:
        """Everything on the title page that is not a running sentence."""
        return [t for t in (self.title, *(s.text for s in self.lines), *self.headers) if t]


# A date as a candidate for a role: (score, sentence order, role, ISO date,
# sentence, index of the date in its sentence).
_DateOption = tuple[float, int, str, str, _Sentence, int]


@dataclass(frozen=True, slots=True)
class _Identity:
    type: _Candidate | None
    type_confidence: float
    identifier: _Candidate | None
    across: bool  # a thematic, overview or evaluation report across many reviews


def extract_metadata(
    passages: Sequence[Passage], title: str | None = None, furniture: Sequence[str] = ()
) -> list[MetadataValue]:
    """At most one value per metadata field, the best candidate, with its evidence.

    `furniture`: the running header and footer lines cleaning took off the pages.
    """
    sentences = list(_sentences(passages))
    front = _front_matter(passages, sentences, title, furniture)
    identity = _identity(front)
    # A report across reviews, or one that names no review at all, is not one
    # case: its ages, incidents and timelines are statistics or quotations.
    single_case = not identity.across and (identity.type or identity.identifier) is not None
    chosen: dict[str, MetadataValue] = {}

    if identity.identifier:
        score = identity.identifier.score
        chosen["identifier"] = _value(identity.identifier, 1.0 if score >= 3 else 0.7)
    if identity.type:
        chosen["type"] = _value(identity.type, identity.type_confidence)
    for candidate, confidence in (
        _variant(sentences, title) if single_case else (None, 0.0),
        _board(front, sentences, identity),
        _title(passages, title),
    ):
        if candidate:
            chosen[candidate.field] = _value(candidate, confidence)
    if single_case:
        for candidate in _subject(sentences):
            chosen[candidate.field] = _value(candidate, min(1.0, candidate.score / 2.5))
    for candidate in _dates(sentences, front, single_case):
        chosen[candidate.field] = _value(candidate, candidate.score / 3.5)
    return [chosen[name] for name in _FIELD_ORDER if name in chosen]


def _front_matter(passages: Sequence[Passage], sentences: list[_Sentence], title: str | None,
                  furniture: Sequence[str]) -> _Front:
    front = front_passages(passages)
    title_lines = {id(p) for p in front if is_title_line(p)}
    in_front = {id(p) for p in front}
    lines = [s for s in sentences if id(s.passage) in title_lines]
    running = [s for s in sentences
               if id(s.passage) in in_front and id(s.passage) not in title_lines]
    counts: dict[str, int] = defaultdict(int)
    for line in furniture:
        if line.strip():
            counts[" ".join(line.split())] += 1
    headers = sorted(counts, key=lambda line: -counts[line])
    return _Front(title if title and title.strip() else None, lines, running, headers)


def _identity(front: _Front) -> _Identity:
    identifier = _identifier(front)
    # Identifiers listed on a title page (three or more) are the reviews it covers.
    listed = {
        found.canonical()
        for text in front.title_texts
        for found, _, _ in find_review_ids(text)
        if found.canonical()
    }
    singular: dict[str, float] = defaultdict(float)
    firsts: dict[str, _Candidate] = {}

    def add(kind: str, weight: float, sentence: _Sentence | None, order: int) -> None:
        singular[kind] += weight
        current = firsts.get(kind)
        if current is None or (weight, -order) > (current.score, -current.order):
            firsts[kind] = _Candidate("type", kind, weight, sentence, order)

    plural_named = False
    title_sources: list[tuple[str, _Sentence | None, int, float]] = []
    if front.title:
        title_sources.append((front.title, None, -1, 4.0))
    title_sources += [(s.text, s, s.order, 2.0) for s in front.lines]
    title_sources += [(h, None, 10**9, 2.0) for h in front.headers]
    for text, sentence, order, weight in title_sources:
        for kind, start, end in find_review_types(text):
            if kind == "thematic":
                continue
            if _plural(text[start:end]):
                plural_named = True
            else:
                add(kind, weight, sentence, order)
    single_named = bool(singular)
    across = len(listed) >= 3 or any(
        across_reviews(text, sentence=False, single_named=single_named)
        for text, _, _, _ in title_sources
    ) or (plural_named and not single_named)
    if identifier is not None and len(listed) < 3 and (identifier.score >= 3 or not across):
        # The report's own identifier on its title page names it a single review,
        # whatever else the title says ("Overview Report into the death of ...").
        own_type = parse_review_id(identifier.value).type
        if own_type:
            add(own_type, 5.0, identifier.sentence, identifier.order)
        across = False
    elif across:
        evidence = next(
            (s for s in front.lines
             if across_reviews(s.text, sentence=False, single_named=single_named)),
            None,
        )
        return _Identity(_thematic(evidence), 0.9, None, True)
    if not singular:
        # Nothing on the title page: the front matter's running sentences, where a
        # report speaking of itself as thematic beats the review types it describes.
        for sentence in front.sentences:
            if across_reviews(sentence.text, sentence=True, single_named=False):
                return _Identity(_thematic(sentence), 0.7, None, True)
        for sentence in front.sentences:
            for kind in _single_review_types(sentence.text):
                add(kind, 1.0, sentence, sentence.order)
    if not singular:
        return _Identity(None, 0.0, identifier, False)
    kind = max(singular, key=lambda k: (singular[k], -firsts[k].order))
    return _Identity(firsts[kind], singular[kind] / sum(singular.values()), identifier, False)


def _thematic(sentence: _Sentence | None) -> _Candidate:
    return _Candidate("type", "thematic", 3.0, sentence, sentence.order if sentence else -1)


def _plural(phrase: str) -> bool:
    low = phrase.lower().rstrip()
    return low.endswith("reviews") or low.startswith("adolygiadau")


def _identifier(front: _Front) -> _Candidate | None:
    """The report's own identifier: in its title, on its title page or in its running
    headers, or in a front-matter sentence that names it as this report's reference."""
    if front.title:
        parsed = parse_review_id(front.title)
        canonical = parsed.canonical()
        if parsed.seq is not None and canonical:
            # Point at the same identifier on the title page when it repeats it.
            for sentence in front.lines + front.sentences:
                for found, _, _ in find_review_ids(sentence.text):
                    if found.canonical() == canonical:
                        return _Candidate("identifier", canonical, 4.0, sentence, sentence.order)
            return _Candidate("identifier", canonical, 4.0, None, -1)
    for sentence in front.lines:
        for found, _, _ in find_review_ids(sentence.text):
            canonical = found.canonical()
            if canonical:
                return _Candidate("identifier", canonical, 3.0, sentence, sentence.order)
    for header in front.headers:
        for found, _, _ in find_review_ids(header):
            canonical = found.canonical()
            if canonical:
                return _Candidate("identifier", canonical, 3.0, None, 10**9)
    # A board's own numbering on the title page ("Re: CTMSB 3/2025"), the type
    # being the one the page names ("Concise Child Practice Review").
    review_type = _title_page_type(front)
    for sentence in front.lines:
        for found, _, _ in find_board_numbered(sentence.text, review_type):
            canonical = found.canonical()
            if canonical:
                return _Candidate("identifier", canonical, 3.0, sentence, sentence.order)
    for sentence in front.sentences:
        text = sentence.text
        found_ids = [(f, s) for f, s, _ in find_review_ids(text) if f.canonical()]
        if len({f.canonical() for f, _ in found_ids}) != 1:
            continue  # none, or a list of the reviews it draws on
        found, start = found_ids[0]
        named = any(end <= start and start - end <= 40 for _, _, end in find_review_types(text))
        if named or SELF_REFERENCE_RE.search(text):
            return _Candidate("identifier", found.canonical() or "", 2.0, sentence, sentence.order)
    return None


def _single_review_types(text: str) -> Iterator[str]:
    """The types of one review that `text` names ("Child Practice Review", not
    "Child Practice Reviews" or a thematic analysis)."""
    for kind, start, end in find_review_types(text):
        if kind != "thematic" and not _plural(text[start:end]):
            yield kind


def _title_page_type(front: _Front) -> str | None:
    """The first review type the title or the title page names, if any."""
    texts = [front.title or "", *(s.text for s in front.lines)]
    return next((kind for text in texts for kind in _single_review_types(text)), None)


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


def _board(front: _Front, sentences: list[_Sentence],
           identity: _Identity) -> tuple[_Candidate | None, float]:
    """The board that owns the report, named on its title page or in its headers.

    A report across reviews gets a board only when its front matter names one as
    its author or publisher ("Produced by the North Wales Safeguarding Board"):
    the boards of the reviews it discusses are not its own.
    """
    totals: dict[str, float] = defaultdict(float)
    best: dict[str, _Candidate] = {}

    def add(name: str, weight: float, sentence: _Sentence | None, order: int) -> None:
        totals[name] += weight
        current = best.get(name)
        if current is None or (weight, -order) > (current.score, -current.order):
            best[name] = _Candidate("board", name, weight, sentence, order)

    def as_board(text: str, start: int, end: int) -> bool:
        return bool(_BOARD_CONTEXT.search(text[end:]) or _BOARD_CONTEXT_BEFORE.search(text[:start]))

    def published_by(text: str, start: int) -> bool:
        return bool(PUBLISHER_RE.search(text[max(0, start - 60) : start]))

    across = identity.across
    own = identity.identifier.sentence if identity.identifier else None
    if front.title:
        for name, start, end in find_boards(front.title):
            if not across or as_board(front.title, start, end):
                add(name, 4.0, None, -1)
    if identity.identifier:
        board = parse_review_id(identity.identifier.value).board
        from_id = board_name(board) if board else None
        if from_id:
            add(from_id, 5.0, identity.identifier.sentence, identity.identifier.order)
    lines: list[tuple[str, _Sentence | None, int]] = [(s.text, s, s.order) for s in front.lines]
    lines += [(h, None, 10**9) for h in front.headers]
    for text, sentence, order in lines:
        for name, start, end in find_boards(text):
            named_as_board = as_board(text, start, end)
            if across and not (named_as_board or published_by(text, start)):
                continue
            add(name, 3.0 + (2.0 if named_as_board else 0.0), sentence, order)
    for sentence in front.sentences:
        text = sentence.text
        if find_review_ids(text) and sentence is not own:
            continue  # a sentence citing another review names that review's board
        for name, start, end in find_boards(text):
            named_as_board = as_board(text, start, end)
            if across and not (named_as_board and published_by(text, start)):
                continue
            # A place named in passing is not the board ("agencies in North Wales").
            if named_as_board or published_by(text, start):
                add(name, 3.0 if named_as_board else 1.0, sentence, sentence.order)
    confidence = 1.0
    if not totals and not across and (identity.type or identity.identifier):
        # A single review silent on its title page: its opening sections naming the
        # board as one ("commissioned by the Gwent Safeguarding Board").
        confidence = 0.6
        for sentence in sentences:
            text = sentence.text
            if not _OPENING_SECTION.search(sentence.passage.section) or find_review_ids(text):
                continue
            for name, start, end in find_boards(text):
                if as_board(text, start, end):
                    add(name, 1.0, sentence, sentence.order)
    if not totals:
        return _other_board(front)
    name = max(totals, key=lambda k: (totals[k], -best[k].order))
    return best[name], confidence * totals[name] / sum(totals.values())


def _other_board(front: _Front) -> tuple[_Candidate | None, float]:
    """A safeguarding body outside Wales named on the title page, as written."""
    for sentence in [None, *front.lines]:
        text = front.title if sentence is None else sentence.text
        found = _OTHER_BOARD.search(text or "")
        if found:
            name = " ".join(found.group(1).split())
            return _Candidate("board", name, 3.0, sentence, -1 if sentence is None
                              else sentence.order), 0.8
    return None, 0.0


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
            return _continued(_line_candidate(passage, order), passages), 0.8
    for order, passage in enumerate(passages):
        if passage.text.strip():
            line = passage.text.strip().splitlines()[0]
            if order < _TITLE_PAGE_LINES and _publisher_or_date(line):
                continue  # the publisher's name over its title, or the date
            if len(line) <= 200 and not line.rstrip().endswith((".", ",", ";")):
                return _continued(_line_candidate(passage, order), passages), 0.5
            break
    return None, 0.0


# A title page may open with its publisher's name, as a banner or logo text
# ("Warwickshire Safeguarding"), and its date, before the title itself.
_TITLE_PAGE_LINES = 4
_PUBLISHER = re.compile(
    r"^(?:(?:[A-Z][\w'’-]*|and|of)\s+){1,6}(?:Safeguarding(?:\s+(?:Children|Adults))?"
    r"(?:\s+(?:Board|Partnership))?|Partnership|Council)$|^Bwrdd\s+Diogelu(?:\s+\S+){0,3}$")


def _publisher_or_date(line: str) -> bool:
    text = " ".join(line.strip("#* ").split())
    if _PUBLISHER.match(text):
        return True
    found = find_dates(text)
    return len(found) == 1 and _bare_date(text, found[0])


# A title page line that ends in one of these goes on in the next line(s):
# "Overview Report:" / "Joint Inspection of Child Protection Arrangements".
_TITLE_GOES_ON = (":", "–", "—", "-", " of", " for", " and", " on", " into")
_TITLE_LINE_MAX = 120


def _continued(candidate: _Candidate, passages: Sequence[Passage]) -> _Candidate:
    """The title with the title-page lines that complete it (at most two)."""
    value, order = candidate.value, candidate.order
    for _ in range(2):
        if not value.endswith(_TITLE_GOES_ON) or order + 1 >= len(passages):
            break
        following = " ".join(passages[order + 1].text.split()).strip("#* ")
        if not following or len(following) > _TITLE_LINE_MAX or following.endswith("."):
            break
        value, order = f"{value} {following}", order + 1
    return replace(candidate, value=value) if value != candidate.value else candidate


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
        found_ages = find_ages(text)
        found_genders = find_genders(text)
        if not found_ages and not found_genders:
            continue  # most sentences: skip the scoring searches below
        names_subject = bool(SUBJECT_RE.search(text))
        base = 1.0 + (1.0 if names_subject else 0.0) + (0.5 if sentence.opening else 0.0)
        for age in found_ages:
            score = base - (2.0 if about_someone_else(text, age.start) else 0.0)
            ages.append(_Candidate("age_band", age.value, score, sentence, sentence.order))
        for gender in found_genders:
            score = base - (2.0 if about_someone_else(text, gender.start) else 0.0)
            if any(
                abs(gender.start - age.end) < 30 or abs(age.start - gender.end) < 30
                for age in found_ages
            ):
                score += 0.5
            genders.append(_Candidate("gender", gender.value, score, sentence, sentence.order))
    return [c for c in (_best(ages), _best(genders)) if c and c.score >= _MIN_SUBJECT_SCORE]


def _dates(sentences: list[_Sentence], front: _Front, single_case: bool) -> list[_Candidate]:
    # Every (date mention, role) pairing with its score; then the best pairings
    # win, each mention filling one role (two for a "from X to Y" range).
    # A report across reviews keeps only its own dates: sign-off and publication
    # from its front matter, publication where it speaks of itself.
    in_front = {s.order for s in front.lines} | {s.order for s in front.sentences}
    title_lines = {s.order for s in front.lines}
    options: list[_DateOption] = []
    for sentence in sentences:
        text = sentence.text
        own_roles = None if single_case else (
            _REPORT_DATES if sentence.order in in_front
            else {"publication"} if _SELF_REPORT_RE.search(text)
            else {"sign_off"} if _OWN_AGREEMENT_RE.search(text) else set())
        if own_roles is not None and not own_roles:
            continue
        found = find_dates(text)
        if not found:
            continue
        roles_by_date = date_roles(text, found, _section_of(sentence.passage))
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
            if own_roles is not None:
                roles = [r for r in roles if r.role in own_roles]
            if sentence.order in title_lines and not roles and _bare_date(text, date):
                # "September 2024" alone on the title page is when the report came out;
                # for a single review only a guess that any stated publication beats.
                score = 1.0 if single_case else 3.5
                iso = date.date.isoformat()
                options.append((score, sentence.order, "publication", iso, sentence, index))
                continue
            for ranked in roles:
                score = ranked.score * (0.8 if date.precision == "month" else 1.0)
                if sentence.opening and ranked.role in {"index_incident", "referral"}:
                    score += 0.3
                if earliest.get(ranked.role) == date.date:
                    score += 0.3
                options.append(
                    (score, sentence.order, ranked.role, date.date.isoformat(), sentence, index)
                )
    options = _recurring_incident(options)
    options.sort(key=lambda o: (-o[0], o[1]))
    # A period's start and end come from the same "from X to Y" where there is one.
    partners = {(o[1], o[5], o[2]): o for o in options if o[2] in {"period_start", "period_end"}}
    taken_roles: set[str] = set()
    used_mentions: dict[tuple[int, int], str] = {}
    chosen: list[_Candidate] = []

    def take(option: _DateOption) -> None:
        score, order, role, iso, sentence, index = option
        taken_roles.add(role)
        used_mentions[(order, index)] = role
        chosen.append(_Candidate(role, iso, score, sentence, order))

    for option in options:
        score, order, role, _, _, index = option
        used = used_mentions.get((order, index))
        # A period that ends on the harm ("... to 21 February 2023, the day she
        # was admitted to hospital") gives the index incident too.
        shared = used == "period_end" and role == "index_incident"
        if role in taken_roles or (used and not shared) or score < _MIN_DATE_SCORE:
            continue
        take(option)
        if role in {"period_start", "period_end"}:
            other = "period_end" if role == "period_start" else "period_start"
            step = 1 if role == "period_start" else -1
            partner = partners.get((order, index + step, other))
            if partner and other not in taken_roles:
                take(partner)
    return chosen


# How much each further sentence naming the same date as an incident adds, and
# the most it adds: the incident a review is about is told again and again (in
# its summary, its introduction, its outline of events), where an event of the
# case ("M was found by police in a flat") is told once.
_RECURRING_BONUS, _RECURRING_CAP = 0.15, 0.6


def _recurring_incident(options: list[_DateOption]) -> list[_DateOption]:
    told: dict[str, set[int]] = defaultdict(set)
    for _, order, role, iso, _, _ in options:
        if role == "index_incident":
            told[iso].add(order)
    return [(score + min(_RECURRING_CAP, _RECURRING_BONUS * (len(told[iso]) - 1))
             if role == "index_incident" else score, order, role, iso, sentence, index)
            for score, order, role, iso, sentence, index in options]


def _bare_date(line: str, date: FoundDate) -> bool:
    """A title-page line that is a date and a few words ("FULL REPORT AUGUST 2023")."""
    rest = (line[: date.start] + " " + line[date.end :]).split()
    return len(rest) <= 4
