"""The ingest worker's prefilters (issue 20) skip work, never a finding: each
cheap test must hold wherever the scan it spares would match, and each
rewritten pattern must match where the pattern it stands for does. Texts are
drawn from the words the patterns look for (identifiers, cues, titles, street
and institution words, months, in any case) mixed with arbitrary text."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storfa.disclosure import names as disclosure_names
from storfa.disclosure import recognisers
from storfa.disclosure.check import check_text
from storfa.ingest import clean
from storfa.ingest.metadata import date_roles, sentences, subject
from storfa.ingest.metadata.dates import _scan, find_dates

PIECES = [
    # identifiers and their near misses
    "CF10 1AA", "cf10 1aa", "M1 1AE", "943 476 5919", "943-476-5919", "9434765919",
    "AB 12 34 56 C", "AB123456C", "07700 900123", "+44 (0) 29 2018 0000", "(029) 2018 0000",
    "AB12 CDE", "A123 BCD", "ABC 123D", "2019 - 2021", "3.4.12", "12/04/2015", "3/6/21",
    "jane.evans@example.org", "info@board.gov.uk",
    # dates and their cues
    "14th", "March", "MARCH", "Sept.", "3ydd o Fawrth", "2015", "2019-06-30", "the 29th of",
    "date of birth", "D.O.B.", "d. o. b", "born on", "DOB", "ganwyd hi ar", "a aned",
    "died on", "Death", "was found dead", "incident occurred on", "was admitted to hospital",
    "bu farw ar", "lladdwyd", "on", "ar",
    # addresses, places, institutions
    "12 Oak Tree Road", "Flat 3, 14 Windsor Court", "5 Heol y Bont", "lived at", "Her address was",
    "moved to", "yn byw yng", "Caerdydd", "Llanelli", "Oakfield Primary School", "Ysgol Gynradd",
    "Tremains Surgery", "Meddygfa Glan Taf", "Bryn Hafod Family Centre", "Women's Aid", "Home",
    # names and titles
    "Mrs. Jane Evans", "Mr Pritchard", "Dr", "DCI", "PC", "Nurse", "Reverend", "Child K",
    "Adult B", "Ms X", "Ceri Morgan", "Ddafydd Jones", "McDonald", "O'Neill", "Jean-Paul",
    "known as", "referred to as Sarah", "the health visitor,",
    # metadata cues, ages and genders
    "referred to the", "review sub-group", "learning event", "signed off", "Approved",
    "published", "period under review", "timeline", "terms of reference", "aged 14",
    "15-year-old", "six week old", "age of 3", "page", "8 oed", "newborn", "Neo-natal",
    "girl", "Son", "woman", "DAUGHTER", "person", "management", "taken to hospital",
    # hyphenation and spacing
    "safe-\nguarding", "multi-\n agency", "prac\u2010\ntice", "\u00ad\n",
]
SEPARATORS = [" ", " ", ", ", ". ", "\n", "\n\n", "-", "\u00a0", "  ", "; ", "(", ") ", "’"]
texts = st.lists(
    st.tuples(st.sampled_from(PIECES) | st.text(max_size=6), st.sampled_from(SEPARATORS)),
    max_size=14,
).map(lambda parts: "".join(piece + sep for piece, sep in parts))


# One phrase for each way a cue, a date of birth or an event date is written.
CUE_PHRASES = [
    "index incident", "index event", "critical incident", "digwyddiad mynegai", "died", "death",
    "pronounced dead", "pronounced life extinct", "was found dead", "was killed",
    "was murdered", "was found", "fatally", "bu farw", "marwolaeth",
    "taken to hospital", "brought to the emergency department", "conveyed to a&e",
    "rushed to the local hospital", "admitted to ed", "presented at paediatric",
    "attended at accident and emergency", "admitted to hospital", "was admitted",
    "seriously injured", "sustained", "non-accidental", "suffered", "collapsed",
    "unresponsive", "overdose", "assault", "stabbed", "ysbyty",
    "referred him to the", "referral was made", "considered the referral",
    "received a notification", "case review subgroup", "review sub-group", "sub-group",
    "is-grŵp", "atgyfeiriad", "referral", "referred", "notification", "notified",
    "met the criteria", "criteria were met", "decided to commission", "commissioned",
    "learning event", "practitioners' learning workshop", "practitioner session",
    "learning and reflection", "reflective event", "digwyddiad dysgu",
    "practitioners came together", "with practitioners", "workshop", "ymarferwyr",
    "signed-off", "sign off", "endorsed", "approved by the safeguarding board", "ratified",
    "accepted by the board", "cymeradwywyd", "llofnodwyd", "approved", "signed",
    "completed this review", "review was completed", "date of completion",
    "reviewer's statement", "report completed", "panel agreed the final report",
    "published", "date of publication", "publication date", "cyhoeddwyd", "cyhoeddi",
    "publication", "made public", "placed on the board's website", "period under review",
    "review period", "covers the period", "scope of the review is the period", "timeline",
    "time frame", "timeframe", "cyfnod", "period", "scope", "terms of reference",
]
DOB_CUES = ["date of birth", "d.o.b.", "D. O. B", "DOB", "born", "born on", "birth date",
            "dyddiad geni", "ganwyd hi ar", "a aned ar", "geni ar", "Date Of Birth of Child K is"]
EVENT_CUES = ["died", "death", "was killed", "were killed", "was found dead",
              "was found unresponsive", "incident occurred", "incident happened",
              "incident took place", "was admitted to hospital", "bu farw", "lladdwyd",
              "digwyddodd y digwyddiad", "cafwyd hyd i'r plentyn"]
DATES = ["3/6/2021", "12.04.15", "14th March 2019", "3ydd o Fawrth 2015", "March 3rd, 2019",
         "1 Ionawr 2020"]
IDENTIFIERS = ["CF10 1AA", "M1 1AE", "W1A 0AX", "943 476 5919", "9434765919", "943-476-5919",
               "AB 12 34 56 C", "AB123456C", "07700 900123", "+44 (0) 29 2018 0000",
               "+447700900123", "(029) 2018 0000", "01234 567890", "AB12 CDE", "AB12CDE",
               "A123 BCD", "ABC 123D", "ABC123D"]


def cased(text: str) -> list[str]:
    return [text, text.upper(), text.title(), text.capitalize()]


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def without_prefix(pattern: re.Pattern[str], prefix: str) -> re.Pattern[str]:
    assert pattern.pattern.startswith(prefix)
    return re.compile(pattern.pattern.removeprefix(prefix), pattern.flags)


# -- disclosure check -------------------------------------------------------------------


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_every_identifier_has_the_shape_looked_for(identifier: str) -> None:
    r = recognisers
    text = f"The number was {identifier}, see 3.4."
    assert any(p.search(text) for p in (r.POSTCODE, r.NHS_NUMBER, r.NI_NUMBER, r.PHONE,
                                         r.VEHICLE_CURRENT, r.VEHICLE_OLDER)), identifier
    assert r._has_identifier_shape(text)


@pytest.mark.parametrize("date", DATES)
def test_every_cue_of_a_birth_or_an_event_date_is_looked_for(date: str) -> None:
    r = recognisers
    for cues, pattern, pieces, written in (
            (DOB_CUES, r.DOB, r._DOB_LITERALS, "Child K, {cue} {date}, was seen."),
            (EVENT_CUES, r.EVENT_DATE, r._EVENT_LITERALS, "Child K {cue} at home on {date}.")):
        for cue in cues:
            assert pattern.search(written.format(cue=cue, date=date)), cue  # it is a cue
            for text in (written.format(cue=form, date=date) for form in cased(cue)):
                if pattern.search(text):
                    assert r._may_hold(text, pieces), text


@pytest.mark.parametrize("phrase", CUE_PHRASES)
def test_every_cue_is_scanned_for(phrase: str) -> None:
    for cue in cased(phrase):
        for window, at, after in ((f"It was {cue} on ", 0, False), (f" when {cue}.", 0, True)):
            at = 0 if after else len(window)
            expected = _reference_cue_score(window, at, after)
            assert expected, window  # the phrase is a cue
            assert date_roles._cue_score(window, at, after) == expected, window


@settings(max_examples=400, deadline=None)
@given(texts)
def test_each_skip_holds_wherever_its_pattern_matches(text: str) -> None:
    r = recognisers
    for pattern in (r.POSTCODE, r.NHS_NUMBER, r.NI_NUMBER, r.PHONE, r.VEHICLE_CURRENT,
                    r.VEHICLE_OLDER):
        if pattern.search(text):
            assert r._has_identifier_shape(text), pattern.pattern
    if r.DOB.search(text):
        assert r._may_hold(text, r._DOB_LITERALS)
    if r.EVENT_DATE.search(text):
        assert r._may_hold(text, r._EVENT_LITERALS)
    if r.ADDRESS.search(text):
        assert r._HOUSE_NUMBER.search(text)
    for pattern in (r.SCHOOL_EN, r.SCHOOL_CY, r.GP_EN, r.GP_CY, r.SERVICE_EN, r.SERVICE_CY):
        if pattern.search(text):
            assert r._INSTITUTION_WORDS.search(text), pattern.pattern
    if disclosure_names.TITLED.search(text):
        assert disclosure_names._TITLE_AHEAD.search(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_capitals_looked_for_first_match_as_before(text: str) -> None:
    n = disclosure_names
    assert spans(n.WORD, text) == spans(without_prefix(n.WORD, f"(?=[{n._UPPER}])"), text)
    assert (n._LETTERS.findall(text)
            == without_prefix(n._LETTERS, "(?=[ABCMOPS])").findall(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4), st.sampled_from(["en", "cy"]))
def test_the_check_finds_the_same_with_every_skip_off(paragraphs: list[str],
                                                      language: str) -> None:
    text = "\n\n".join(paragraphs)
    skipping = check_text(text, language, min_confidence=0.0)
    with pytest.MonkeyPatch.context() as mp:
        anything = re.compile("")
        mp.setattr(recognisers, "_IDENTIFIER_SHAPE", anything)
        mp.setattr(recognisers, "_HOUSE_NUMBER", anything)
        mp.setattr(recognisers, "_INSTITUTION_WORDS", anything)
        mp.setattr(recognisers, "_may_hold", lambda text, literals: True)
        mp.setattr(disclosure_names, "_TITLE_AHEAD", anything)
        assert check_text(text, language, min_confidence=0.0) == skipping


# -- metadata ----------------------------------------------------------------------------


def _reference_cue_score(window: str, date_at: int, after: bool) -> dict[str, float]:
    """_cue_score as it read before its prefilters: every cue, case-blind."""
    scores: dict[str, float] = {}
    for role, weight, pattern in date_roles._CUE_RES:
        for match in pattern.finditer(window):
            distance = max((match.start() - date_at) if after else (date_at - match.end()), 0)
            if distance <= date_roles._WINDOW:
                value = weight * (0.6 if after else 1.0) * (1.0 - 0.5 * distance / 120)
                scores[role] = max(scores.get(role, 0.0), value)
    return scores


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans())
def test_cue_scores_are_those_of_every_cue_scanned(window: str, after: bool) -> None:
    at = 0 if after else len(window)
    assert date_roles._cue_score(window, at, after) == _reference_cue_score(window, at, after)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_ages_genders_dates_and_sentences_read_as_without_the_skips(text: str) -> None:
    for variant in (text, text.upper(), text.title()):
        assert find_dates(variant) == _scan(variant)
        genders = [(m.group("f") is not None, m.span())
                   for m in subject._GENDER_RE.finditer(variant)]
        assert [(m.value == "female", (m.start, m.end))
                for m in subject.find_genders(variant)] == genders
        ages = subject.find_ages(variant)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(subject, "_may_state_age", lambda lowered, ascii_text: True)
            assert subject.find_ages(variant) == ages
    boundary = sentences._BOUNDARY_RE
    assert spans(boundary, text) == spans(without_prefix(boundary, r"(?=[\s\"'”’)])"), text)


# -- cleaning ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(texts | st.text(max_size=40))
def test_cleaning_reads_as_without_the_skips(text: str) -> None:
    c = clean
    assert c.normalize_text(text) == c._SPACES.sub(
        " ", c._UNPRINTABLE.sub("", text.translate(str.maketrans(c._REPLACEMENTS)))).strip()
    marked = c.dehyphenate(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(c, "_HYPHEN_AT_BREAK", re.compile(""))
        assert c.dehyphenate(text) == marked


def test_replacing_characters_is_translating() -> None:
    """normalize_text replaces characters one after another, not with
    str.translate (slow on text that is not ASCII): the same text results."""
    table = str.maketrans(clean._REPLACEMENTS)
    chars = [*clean._REPLACEMENTS, "a", " ", "-", "\u2019", "\u00e9", "\x01", "\x0b\x0c"]
    for parts in itertools.product(chars, repeat=3):
        text = "".join(parts)
        assert clean._replace_chars(text) == text.translate(table), repr(text)
