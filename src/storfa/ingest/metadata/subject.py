"""The subject of a review: age band and gender, where the report states them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storfa.domain.reviews import AGE_BANDS, age_band  # noqa: F401  (re-exported)

_NUMBER_NAMES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip
_NUMBER_WORDS = {word: number for number, word in enumerate(_NUMBER_NAMES)}
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>years?|yrs?|months?|weeks?|days?)"

_AGE_PATTERNS = (
    # "a 15-year-old girl", "14-month-old", "six week old baby"
    re.compile(rf"\b{_NUMBER}[\s-]+{_UNIT}[\s-]+old\b", re.IGNORECASE),
    # "aged 14 months", "aged 6", "at the age of 15", "age 3 years"
    re.compile(rf"\b(?:aged|age\s+of|age)\s+{_NUMBER}(?:\s+{_UNIT})?\b", re.IGNORECASE),
    # "15 years of age"
    re.compile(rf"\b{_NUMBER}\s+{_UNIT}\s+of\s+age\b", re.IGNORECASE),
    # "Child A is a girl who was 15 at the time of the events"
    re.compile(rf"\bwho (?:was|is) {_NUMBER}(?:\s+{_UNIT})?\s+(?:at the time|when)\b",
               re.IGNORECASE),
    # Welsh: "merch 15 oed", "14 mis oed", "6 blwydd oed"
    re.compile(r"\b(?P<n>\d{1,3})\s+(?:(?P<unit>mis|wythnos)\s+|blwydd\s+|mlwydd\s+)?oed\b"),
)
_NEWBORN_RE = re.compile(r"\b(?:new[\s-]?born|neonate|neo-natal)\b", re.IGNORECASE)

_FEMALE = r"girl|daughter|female|woman|merch|menyw|dynes"
_MALE = r"boy|son|male|man|bachgen|dyn"
_GENDER_RE = re.compile(rf"\b(?:(?P<f>{_FEMALE})|(?P<m>{_MALE}))\b", re.IGNORECASE)

# Someone the review is about, as reports name them.
SUBJECT_RE = re.compile(
    r"\b(?:Child|Adult|Baby|Person|Young\s+Person|Plentyn|Oedolyn)\s+[A-Z]\d?\b"
    r"|\bthe\s+(?:child|young\s+person|subject|adult|deceased|victim)\b"
)
# Other people whose ages and genders reports also give.
_OTHERS_RE = re.compile(
    r"\b(?:mother|father|mum|dad|parents?|step-?father|step-?mother|partner|"
    r"boyfriend|girlfriend|sibling|brother|sister|grand(?:mother|father|parent)s?|"
    r"perpetrator|carer|uncle|aunt|cousin|mam|tad|rhieni)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Mention:
    value: str
    start: int
    end: int




def _years(number: str, unit: str | None) -> float:
    value = int(number) if number.isdigit() else _NUMBER_WORDS[number.lower()]
    unit = (unit or "years").lower()
    if unit.startswith(("month", "mis")):
        return value / 12
    if unit.startswith(("week", "wythnos")):
        return value / 52
    if unit.startswith("day"):
        return value / 365
    return float(value)


# Every age pattern needs one of these words ("old", "age", Welsh "oed",
# "who was/is") and
# every newborn one "born", "neonat" or "neo-natal"; most sentences have none,
# and two substring tests cost far less than five case-blind scans (ingest
# profile, docs/performance.md).
_AGE_WORDS = ("old", "age", "oed", "who was ", "who is ")
_NEWBORN_WORDS = ("born", "neonat", "neo-natal")
# Sharper, for lowered ASCII text: each age pattern's word starts a word ("old",
# "aged", "age", "oed" follow a space, a hyphen, a bracket or start the text),
# which "page", "stage" and "manage" do not; scanned from non-word characters.
_AGE_WORD_STARTS = re.compile(r"\W(?:old|age|oed|who (?:was|is) )")


def _may_state_age(lowered: str, ascii_text: bool) -> bool:
    if not any(map(lowered.__contains__, _AGE_WORDS)):
        return False  # most sentences: three substring tests, no scan
    return (not ascii_text or lowered.startswith("age")
            or _AGE_WORD_STARTS.search(lowered) is not None)


def find_ages(text: str) -> list[Mention]:
    """Every stated age in `text` as its band."""
    lowered = text.lower()
    ages = _may_state_age(lowered, text.isascii())
    newborn = any(map(lowered.__contains__, _NEWBORN_WORDS))
    if not ages and not newborn:
        return []
    found: list[Mention] = []
    for pattern in _AGE_PATTERNS if ages else ():
        for match in pattern.finditer(text):
            if any(m.start <= match.start() < m.end for m in found):
                continue
            band = age_band(_years(match.group("n"), match.group("unit")))
            found.append(Mention(band, match.start(), match.end()))
    for match in _NEWBORN_RE.finditer(text) if newborn else ():
        found.append(Mention("under 1", match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


# _GENDER_RE case-sensitive, for lowered ASCII text (where lowering moves no
# offset): a case-blind scan costs twice as much, and every sentence is read.
_GENDER_LOWER = re.compile(_GENDER_RE.pattern)


def find_genders(text: str) -> list[Mention]:
    """Every gendered noun in `text` as "female" or "male"."""
    matches = (_GENDER_LOWER.finditer(text.lower()) if text.isascii()
               else _GENDER_RE.finditer(text))
    return [
        Mention("female" if match.group("f") else "male", match.start(), match.end())
        for match in matches
    ]


def about_someone_else(sentence: str, offset: int) -> bool:
    """Whether the words just before `offset` name a parent, partner or sibling.

    "Child A's mother, aged 19" is about the mother; "Child A, aged 6" is not.
    """
    window = sentence[max(0, offset - 40) : offset]
    others = list(_OTHERS_RE.finditer(window))
    if not others:
        return False
    subjects = list(SUBJECT_RE.finditer(window))
    return not subjects or subjects[-1].end() <= others[-1].start()
