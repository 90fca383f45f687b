"""The case behind a review, drawn from the seed before any wording.

English and Welsh versions of the same seed share these facts (identifier,
board, dates, subject, themes, recommendations), so the two can be linked and
their metadata compared; only the wording is language-specific.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from storfa.synthetic import vocab
from storfa.synthetic.bank_learning import themes_for
from storfa.synthetic.dates import make_dates
from storfa.synthetic.vocab import Agency, Board

_TYPE_WEIGHTS = {"CPR": 45, "APR": 20, "DHR": 17, "MHHR": 6, "SUSR": 12}
_LETTERS = "ABCDEFGHJKLMNPRSTWXYZ"  # I and O are avoided in reports (read as 1 and 0)


@dataclass
class RecSpec:
    number: int
    theme: str
    agencies: list[Agency]
    level: str
    pick: int  # which phrasing of the theme's recommendation


@dataclass
class CaseFacts:
    seed: int
    review_type: str
    variant: str | None
    board: Board
    sequence: int
    identifier: str
    dates: dict[str, dt.date]
    long_period: bool
    child: bool  # the subject is a child
    letter: str
    pseudonym: str | None  # DHRs use a family-chosen name
    age_years: int | None
    age_months: int | None  # for infants
    gender: str | None
    themes: list[str]
    recs: list[RecSpec]
    reviewers: list[str]
    chair: str
    agencies: list[Agency]
    timeline: list[tuple[dt.date, Agency]] = field(default_factory=list)
    identifier_spelling: int = 0  # 0 = canonical; others add spaces/dashes like real text


def pick_type(rng: random.Random) -> str:
    types = list(_TYPE_WEIGHTS)
    return rng.choices(types, weights=[_TYPE_WEIGHTS[t] for t in types])[0]


def make_identifier(review_type: str, year: int, sequence: int, board: Board) -> str:
    if review_type == "SUSR":
        return f"SUSR{year}-{sequence:02d}/{board.abbrev}"
    return f"{review_type}{year}-W{sequence:02d}"


def spell_identifier(identifier: str, variant: int) -> str:
    """Variants seen in real text: an en dash, or a space after the type."""
    if variant == 1:
        return identifier.replace("-", "–", 1)
    if variant == 2:
        for prefix in vocab.REVIEW_TYPES:
            if identifier.startswith(prefix):
                return prefix + " " + identifier[len(prefix):]
    return identifier


def _name(rng: random.Random, title: bool) -> str:
    name = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.SURNAMES)}"
    return f"{rng.choice(('Dr ', 'Professor ', ''))}{name}" if title else name


def _subject_age(review_type: str, child: bool, rng: random.Random) -> tuple[int, int | None]:
    if child:
        band = rng.random()
        if band < 0.35:
            months = rng.randint(1, 11)
            return 0, months
        return (rng.randint(1, 4) if band < 0.55 else rng.randint(5, 17)), None
    if review_type == "APR" and rng.random() < 0.5:
        return rng.randint(65, 94), None
    return rng.randint(18, 64), None


def _rec_level(agencies: list[Agency]) -> str:
    if any(a.kind == "national" for a in agencies):
        return "national"
    if len(agencies) > 1 or any(a.kind == "board" for a in agencies):
        return "regional"
    return "local"


def make_facts(seed: int, review_type: str | None, pages_hint: int,
               sequence: int | None = None) -> CaseFacts:
    # A string seed keeps this stream independent of the text streams and stable
    # across Python runs (str seeds are hashed with SHA-512, not hash()).
    rng = random.Random(f"storfa-facts:{seed}")
    drawn = pick_type(rng)  # always drawn, so naming the drawn type changes nothing else
    rtype = review_type or drawn
    if rtype not in vocab.REVIEW_TYPES:
        raise ValueError(f"unknown review type {rtype!r}; expected one of {vocab.REVIEW_TYPES}")
    board = rng.choice(vocab.BOARDS)
    dates, long_period = make_dates(rtype, rng)
    seq = sequence if sequence is not None else rng.randint(1, 14)
    identifier = make_identifier(rtype, dates["publication"].year, seq, board)
    child = rtype == "CPR" or (rtype == "SUSR" and rng.random() < 0.6)
    variant = rng.choice(("concise", "concise", "extended")) if rtype in ("CPR", "APR") else None
    age_years, age_months = _subject_age(rtype, child, rng)
    stated = rng.random() < 0.85  # some reports withhold age and gender to protect identity
    gender = rng.choice(("female", "male")) if stated else None
    if rtype == "DHR" and stated:
        gender = "female" if rng.random() < 0.8 else "male"
    pseudonym = None
    if rtype == "DHR" and rng.random() < 0.6:
        pool = vocab.PSEUDONYMS_M if gender == "male" else vocab.PSEUDONYMS_F
        pseudonym = rng.choice(pool)

    keys = [t.key for t in themes_for("child" if child else "adult")]
    rng.shuffle(keys)
    themes = keys[: max(3, min(len(keys), 2 + pages_hint // 4))]
    if rtype == "DHR" and "domestic_abuse" not in themes:
        themes[0] = "domestic_abuse"
    if rtype == "MHHR" and "mental_health" not in themes:
        themes[0] = "mental_health"

    health = list(board.health)
    council = rng.choice(board.councils)
    board_agency = Agency(board.board_en, board.board_cy, "board")
    agencies = [*health, board.police, council]
    if rng.random() < 0.5:
        agencies.append(vocab.NATIONAL_AGENCIES[2])  # ambulance service
    recs: list[RecSpec] = []
    n_recs = max(3, min(14, 2 + pages_hint // 3 + rng.randint(0, 2)))
    for number in range(1, n_recs + 1):
        roll = rng.random()
        if roll < 0.15:
            chosen = [rng.choice(vocab.NATIONAL_AGENCIES[:2])]
        elif roll < 0.35:
            chosen = [board_agency]
        else:
            chosen = rng.sample(agencies, k=min(len(agencies), rng.choice((1, 1, 2, 3))))
        recs.append(RecSpec(number, themes[(number - 1) % len(themes)], chosen,
                            _rec_level(chosen), rng.randint(0, 9)))

    span = (dates["period_end"] - dates["period_start"]).days
    n_events = max(6, int(pages_hint * 1.5))
    when = sorted(dates["period_start"] + dt.timedelta(days=rng.randint(0, max(1, span - 1)))
                  for _ in range(n_events))
    timeline = [(d, rng.choice(agencies)) for d in when]
    reviewers = [_name(rng, True) for _ in range(rng.choice((1, 2, 2)))]
    return CaseFacts(
        seed=seed, review_type=rtype, variant=variant, board=board, sequence=seq,
        identifier=identifier, dates=dates, long_period=long_period, child=child,
        letter=rng.choice(_LETTERS), pseudonym=pseudonym,
        age_years=age_years if stated else None,
        age_months=age_months if stated else None, gender=gender, themes=themes, recs=recs,
        reviewers=reviewers, chair=_name(rng, False), agencies=agencies, timeline=timeline,
        identifier_spelling=rng.choice((0, 0, 0, 0, 1, 2)),
    )


def board_display_name(facts: CaseFacts) -> str:
    """The board's name as it stood at publication (pre-2019 regional names differ)."""
    b = facts.board
    # Gwent's old board was for children only, so only CPRs carry its name.
    before = facts.dates["publication"].year < 2019
    old = before and (b.abbrev != "GW" or facts.review_type == "CPR")
    if b.old_en and old:
        return b.old_en
    return b.board_en
