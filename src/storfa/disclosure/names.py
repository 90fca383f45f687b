"""People's names, read against the report's own conventions.

Published reviews name people by role or pseudonym: "Child K", "Adult B",
"Mother", "Practitioner 1", "Mr X", or a first name the family chose and the
report says so ("referred to as Sarah"). A draft that slips names someone:
"Jane Evans", "Mrs Pritchard", "i Ddafydd Jones", "the health visitor, Ceri
Morgan". This module reads the whole review first (a surname met once in full
is then caught everywhere it occurs, and a first name used throughout as the
subject is taken as the report's pseudonym), then marks each passage.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from storfa.disclosure.gazetteer import Gazetteer, gazetteer, words
from storfa.disclosure.recognisers import Span

_UPPER = "A-ZÀ-ÖØ-ÞŴŶ"
_LOWER = "a-zß-öø-ÿŵŷ"
NAME_PART = (rf"(?:(?:ap|ab|ferch|van|de|von|le|la)\s+)?(?:Mc|Mac|O['’])?[{_UPPER}][{_LOWER}]+"
             rf"(?:-[{_UPPER}][{_LOWER}]+)?")
# Every word starts with a capital ("Mc", "Mac", "O'" too): looking for one
# first spares the look-behind at every other character.
WORD = re.compile(rf"(?=[{_UPPER}])(?<![\w'’-])(?:Mc|Mac|O['’])?[{_UPPER}][{_LOWER}]+"
                  rf"(?:-[{_UPPER}][{_LOWER}]+)?(?![\w-])")
_TITLES = {
    "Mr": None, "Mrs": None, "Ms": None, "Miss": None, "Mx": None,
    "Dr": "Doctor", "Doctor": "Doctor", "Nurse": "Nurse", "Sister": "Nurse",
    "PC": "Police Officer", "DC": "Police Officer", "DS": "Police Officer",
    "DCI": "Police Officer", "Sgt": "Police Officer", "Sergeant": "Police Officer",
    "Cllr": None, "Councillor": None, "Prof": None, "Professor": None, "Rev": None,
    "Reverend": None, "Judge": None, "Dirprwy": None,
}
TITLED = re.compile(rf"\b({'|'.join(sorted(_TITLES, key=len, reverse=True))})\.?\s+"
                    rf"({NAME_PART}(?:\s+{NAME_PART}){{0,2}})")
# What every match of TITLED starts with. Without TITLED's leading "\b" the
# regex engine skips to the titles' first letters: a passage with no title in
# it (nearly all) costs a fraction of TITLED's scan.
_TITLE_AHEAD = re.compile(rf"(?:{'|'.join(_TITLES)})\.?\s")
# Words that start a capitalised run but are the report's own roles and
# pseudonyms, or ordinary words that follow a first name at a sentence start.
CONVENTION_WORDS = words(
    "Child Adult Baby Infant Sibling Siblings Brother Sister Mother Father Mum Dad Parent "
    "Parents Carer Carers Grandmother Grandfather Grandparent Aunt Uncle Cousin Partner "
    "Stepfather Stepmother Practitioner Person Subject Victim Perpetrator Young Family "
    "Plentyn Oedolyn Babi Brawd Chwaer Mam Tad Rhiant Rhieni Gofalwr Nain Taid Mamgu Tadcu "
    "Modryb Ewythr Partner Ymarferydd Person Teulu Unigolyn Dioddefwr")
_NOT_SURNAME = CONVENTION_WORDS | words(
    "The A An And Or But Of In On At To For From With By As Is Was Were Has Had Have Did Does "
    "Said Says Told Asked Felt Also Then When While Who Which That This These Those There "
    "Their Her His Its Our Road Street Lane Avenue Close Drive Way School Surgery Primary "
    "High Medical Health Centre Council County Borough City Board Police Hospital University "
    "Trust Service Services Team Social Care Court Agency Report Review Safeguarding Wales "
    "Welsh English Ysgol Heol Stryd Ffordd Meddygfa Bwrdd Cyngor Heddlu Ysbyty Gwasanaeth "
    "Primary Junior Infant Nursery Academy Park House Home Unit Ward Practice Project "
    "Children Adults Families Women Men Aid Start Flying Act Acts Regulations Guidance "
    "Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March April June "
    "July August September October November December Monday Tuesday Wednesday Thursday "
    "Friday Saturday Sunday Christmas Easter Day Week Month Year Chief Inspector Inspectorate "
    "Executive Director Enquiry Inquiry Foundation Institute College Award Building "
    "Professor Research Lecturer Senior Head Deputy Assistant Independent Reviewer")
ROLES = (r"health visitor|social worker|general practitioner|GP|midwife|school nurse|teacher|"
         r"head ?teacher|police officer|PCSO|paediatrician|consultant|nurse|team manager|"
         r"practice manager|support worker|family support worker|IDVA|IRIS advocate|"
         r"designated safeguarding lead|DSL|probation officer|housing officer|youth worker|"
         r"key worker|keyworker|psychiatrist|psychologist|care coordinator|advocate|"
         r"ymwelydd iechyd|gweithiwr cymdeithasol|bydwraig|athro|athrawes|meddyg teulu|"
         r"heddwas|nyrs|swyddog prawf|gweithiwr cymorth")
_ROLE_BEFORE = re.compile(rf"(?i)\b({ROLES})\s*(?:\(|,|–|-|:)?\s*(?:(?:called|named|o'r enw)\s+)?$")
_ROLE_AFTER = re.compile(rf"(?i)^\s*(?:\)|,|–|-|\()?\s*(?:(?:the|a|an|y|yr)\s+)?(?:[\w-]+\s+)?"
                         rf"({ROLES})\b")
_DECLARED = re.compile(
    rf"(?i:\b(?:referred to as|known as|called|pseudonym|pseudonyms|the name|ffugenw|"
    rf"cyfeirir ati fel|cyfeirir ato fel|a elwir yn))\s+(?:of\s+|is\s+)?['‘\"“]?"
    rf"([{_UPPER}][{_LOWER}]+)"
    rf"|([{_UPPER}][{_LOWER}]+)['’\"”]?\s*\((?i:a pseudonym|pseudonym|not (?:her|his|their) real "
    rf"name|ffugenw)")
# Every way `_DECLARED` has of declaring a pseudonym holds one of these words
# (in any case); a passage without them (nearly all) skips its case-blind scan,
# a fifth of the cost of the check at ingest.
_DECLARING_WORDS = ("referred", "known", "called", "pseudonym", "name", "ffugenw", "cyfeirir",
                    "elwir")


def _may_declare(text: str) -> bool:
    lower = text.lower()
    return any(map(lower.__contains__, _DECLARING_WORDS))


_CITATION = re.compile(r"\s*(?:\(\s*(?:19|20)\d\d|,\s*(?:19|20)\d\d|et al\b|and colleagues|"
                       r",\s*[A-Z]\.|\s*(?:&|and)\s*[A-Z]\w+,?\s*\(?(?:19|20)\d\d)")
# A name that is an institution's ("Liverpool John Moores University").
_INSTITUTION_AFTER = re.compile(
    r"\s+(?:University|College|Foundation|Trust|Hospital|Institute|House|Court|Centre|Award|"
    r"Report|Review|Act|Inquiry|Enquiry|Building|Hall|Library|School|Surgery|Road|Street)\b")
# Authors and office-holders are named in published reports by convention:
# "Authors: ...", "Professor X, Professor of ...", "Owen Evans, Chief Inspector".
_OFFICE_AFTER = re.compile(
    r"\s*(?:,|–|-|:)?\s*(?:is\s+)?(?:the\s+)?(?:Professor|Prof\.?|Research|Chief|Director|"
    r"Head of|Lecturer|Reader|Senior Lecturer|Inspector|HM|Chair|Executive|Deputy|"
    r"Independent Reviewer|Lead Reviewer|Reviewer|Author|Minister|Commissioner)\b")
_OFFICE_BEFORE = re.compile(
    r"(?i)(?:\b(?:authors?|correspondence to|written by|prepared by|reviewers?|report author|"
    r"chaired by|foreword by)\s*:[^.]{0,200}|\b(?:please contact|contact:?)"
    r"|\b(?:Research Associate|Research Fellow|Lecturer|Chief Executive|Director|"
    r"(?:Chair|Chairperson|Cadeirydd)(?: of the [\w ]{1,30}| y [\w ]{1,30}| yr [\w ]{1,30})?|"
    r"Independent Reviewer|Lead Reviewer|Reviewer|Adolygydd|Author|Awdur)(?:\s*\d+)?\s*:?)\s*$")
OFFICE_SECTION = re.compile(
    r"(?i)author|acknowledg|about the|contact|references|bibliography|foreword|"
    r"statement by|glossary|contributors|awduron|cydnabyddiaeth|cyfeiriadau|datganiad")
_LETTERED = ("Child", "Adult", "Person", "Sibling", "Baby", "Plentyn", "Oedolyn", "Mr", "Mrs",
             "Ms")
# Led by a look-ahead for the words' first letters, as WORD is.
_LETTERS = re.compile(rf"(?=[{''.join(sorted({w[0] for w in _LETTERED}))}])"
                      rf"\b(?:{'|'.join(_LETTERED)})\s+([A-Z])\b")
# A first name used this often, never with a surname, is the report's pseudonym.
PSEUDONYM_USES = 3


@dataclass
class Conventions:
    """What the report itself uses, learnt from its whole text."""

    declared: set[str] = field(default_factory=set)
    letters: set[str] = field(default_factory=set)
    lone_uses: Counter[str] = field(default_factory=Counter)
    full_names: dict[str, str] = field(default_factory=dict)  # surname/first name -> full name
    public_parts: set[str] = field(default_factory=set)

    def pseudonym(self, given: str) -> bool:
        return given in self.declared or (given not in self.full_names
                                          and self.lone_uses[given] >= PSEUDONYM_USES)


@dataclass(slots=True)
class _Name:
    start: int
    end: int
    text: str
    parts: list[str]
    title_role: str | None
    titled: bool


def capitalised(text: str) -> list[re.Match[str]]:
    """The capitalised words of a passage (WORD), where names are looked for:
    `full_names`, `learn` and `names` each read them, found once per passage."""
    return list(WORD.finditer(text))


def _full_names(text: str, welsh: bool, gaz: Gazetteer,
                words: list[re.Match[str]] | None = None) -> list[_Name]:
    """Titled names and first name + surname pairs in one passage."""
    found: list[_Name] = []
    for m in TITLED.finditer(text) if _TITLE_AHEAD.search(text) else ():
        parts = [p for p in re.split(r"\s+", m.group(2)) if p]
        keep = []
        for p in parts:
            if p in _NOT_SURNAME:
                break
            keep.append(p)
        if not keep:
            continue
        end = m.start(2) + len(" ".join(keep))
        found.append(_Name(m.start(), end, text[m.start():end], keep, _TITLES[m.group(1)], True))
    if words is None:
        words = capitalised(text)
    forms = gaz.given_forms(welsh)
    i = 0
    while i < len(words):
        w = words[i]
        word = w.group(0)
        if word not in forms:
            i += 1
            continue
        given = gaz.given_name(word, welsh)
        assert given is not None
        j, end, parts = i + 1, w.end(), [given]
        while j < len(words) and j < i + 3:
            nxt = words[j]
            gap = text[end:nxt.start()]
            if not re.fullmatch(r" (?:(?:ap|ab|ferch) )?", gap) or nxt.group(0) in _NOT_SURNAME:
                break
            parts.append(nxt.group(0))
            end = nxt.end()
            j += 1
        if len(parts) > 1 and not any(n.start < end and w.start() < n.end for n in found):
            found.append(_Name(w.start(), end, text[w.start():end], parts, None, False))
        i = j
    return sorted(found, key=lambda n: n.start)


def name_parts(name: str) -> list[str]:
    """The pieces of a person's name that still name them alone: each
    capitalised word but titles and the ordinary words a name can run into
    ("May", "Road"), and each run of such words ("Jane", "Smith" and "Jane
    Smith" of "Mrs Jane Smith"), longest first."""
    words = [m.group(0) for m in WORD.finditer(name)]
    kept = [w if w not in _TITLES and w not in _NOT_SURNAME else None for w in words]
    runs: list[list[str]] = [[]]
    for word in kept:
        if word is None:
            runs.append([])
        else:
            runs[-1].append(word)
    pieces = {" ".join(run[i:j]) for run in runs
              for i in range(len(run)) for j in range(i + 1, len(run) + 1)}
    return sorted(pieces, key=lambda p: (-len(p), p))


def full_names(text: str, welsh: bool,
               words: list[re.Match[str]] | None = None) -> list[_Name]:
    """Titled names and first name + surname pairs in one passage: what both
    `learn` and `names` read, worked out once per passage by the caller.
    `words`: the passage's `capitalised` words, when the caller has them."""
    return _full_names(text, welsh, gazetteer(), words)


def learn(passages: list[tuple[str, bool]],
          full: Sequence[list[_Name]] | None = None,
          words: Sequence[list[re.Match[str]]] | None = None) -> Conventions:
    """`full` and `words`: each passage's `full_names` and `capitalised`, when
    the caller has them."""
    gaz = gazetteer()
    conv = Conventions()
    for i, (text, welsh) in enumerate(passages):
        if _may_declare(text):
            for m in _DECLARED.finditer(text):
                conv.declared.add(m.group(1) or m.group(2))
        conv.letters.update(_LETTERS.findall(text))
        for name in full[i] if full is not None else _full_names(
                text, welsh, gaz, None if words is None else words[i]):
            if _CITATION.match(text, name.end) or _public(name, gaz):
                conv.public_parts.update(name.parts)
                continue
            for part in name.parts:
                if len(part) > 2:
                    conv.full_names.setdefault(part, name.text)
        # A mutated form counts for its radical; words that are no first name
        # (most) cost a set lookup, not a call.
        forms = gaz.given_forms(welsh)
        found = WORD.findall(text) if words is None else [m.group() for m in words[i]]
        conv.lone_uses.update(gaz.given_name(w, welsh) or w for w in found if w in forms)
    return conv


def _public(name: _Name, gaz: Gazetteer) -> bool:
    return any(" ".join(name.parts[:n]) in gaz.public_names for n in (2, 3))


def office(text: str, start: int, end: int) -> bool:
    """Named as an author or office-holder, as published reports do; a
    passage that is nothing but the name is a title page or signature block."""
    if not text[:start].strip(" \t\n,;:") and not text[end:].strip(" \t\n,;:."):
        return True
    return bool(_OFFICE_AFTER.match(text, end) or _OFFICE_BEFORE.search(text[:start][-220:]))


def _role(text: str, start: int, end: int) -> str | None:
    before = _ROLE_BEFORE.search(text[max(0, start - 45):start])
    if before:
        return before.group(1)
    after = _ROLE_AFTER.match(text[end:end + 45])
    return after.group(1) if after else None


def names(text: str, welsh: bool, conv: Conventions, office_section: bool = False,
          full: list[_Name] | None = None,
          words: list[re.Match[str]] | None = None) -> list[Span]:
    """Name spans in one passage: type person_name or practitioner_name; the
    replacement is filled in by check.py, which numbers them review-wide.
    `full`, `words`: the passage's `full_names` and `capitalised`, when the
    caller has them."""
    gaz = gazetteer()
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    if words is None:
        words = capitalised(text)
    if full is None:
        full = _full_names(text, welsh, gaz, words)
    # A short passage listing three or more people one after another
    # ("A, B, C & D") is an author or contributor list.
    listed = sum(1 for a, b in itertools.pairwise(full)
                 if re.fullmatch(r"\s*(?:[,;&/]|and|a|ac)\s*", text[a.end:b.start]))
    author_list = listed >= 2 and len(text) < 600
    for name in full:
        taken.append((name.start, name.end))
        if (_CITATION.match(text, name.end) or _public(name, gaz)
                or _INSTITUTION_AFTER.match(text, name.end)):
            continue
        role = name.title_role or _role(text, name.start, name.end)
        kind = "practitioner_name" if role else "person_name"
        if office_section or author_list or office(text, name.start, name.end):
            spans.append(Span(kind, name.start, name.end, 0.3, role or "",
                              "named as an author or office-holder"))
            continue
        spans.append(Span(kind, name.start, name.end, 0.9, role or "", "a full name"))
    forms, full_names = gaz.given_forms(welsh), conv.full_names
    for w in words:
        word = w.group(0)
        # Most capitalised words are neither: the checks below are for names.
        if word not in forms and word not in full_names:
            continue
        given = gaz.given_name(word, welsh)
        if any(s <= w.start() < e for s, e in taken):
            continue
        if (_CITATION.match(text, w.end())
                or re.search(r"[(&]\s*$", text[max(0, w.start() - 3):w.start()])):
            continue
        if word in conv.full_names and word not in conv.public_parts:
            why, confidence = f"part of {conv.full_names[word]}", 0.8
        elif given and given not in conv.public_parts and not conv.pseudonym(given):
            # Below the default threshold: a first name used once or twice may
            # still be the report's pseudonym; listed with --all.
            why, confidence = "a first name the report does not use as a pseudonym", 0.45
        else:
            continue
        role = _role(text, w.start(), w.end())
        kind = "practitioner_name" if role else "person_name"
        if office_section or author_list or office(text, w.start(), w.end()):
            confidence = min(confidence, 0.3)
        spans.append(Span(kind, w.start(), w.end(), confidence, role or "", why))
    return spans
