"""Pattern recognisers with validators: UK postcodes, NHS numbers (mod 11),
National Insurance numbers, phone numbers, email addresses, vehicle
registrations, dates of birth and identifying dates, addresses and the names
of schools, GP practices and small services, in English and Welsh.

Each recogniser yields `Span`s over one passage's text; check.py adds names
(which need the whole review, see names.py), resolves overlaps and places
each span on its page. The shapes follow Presidio's recognisers (entity type,
start, end, score) so a later move to presidio-analyzer keeps the findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from storfa.disclosure.gazetteer import gazetteer, words


@dataclass(slots=True)
class Span:
    type: str
    start: int
    end: int
    confidence: float
    replacement: str
    why: str = ""


# -- identifiers with their validators -----------------------------------------------------

def nhs_number_valid(digits: str) -> bool:
    """NHS number check digit (modulus 11): weights 10..2 over the first nine
    digits; 11 - (sum mod 11) is the tenth digit, 11 reads as 0, and 10 means
    the number can never be valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit that completes nine digits, or None when none can."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


# Postcode: outward code (area letters, district) and inward code (sector digit,
# unit letters). Unit letters never use C I K M O V; the single-letter areas
# are B E G L M N S W, and Q V X never start an area.
_OUTWARD = r"(?:[A-PR-UWYZ][A-HK-Y]\d[A-Z\d]?|[A-PR-UWYZ]\d[A-HJKPSTUW\d]?)"
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
POSTCODE = re.compile(rf"(?<![A-Za-z\d])({_OUTWARD})[ \u00a0]?({_INWARD})(?![A-Za-z\d])")
_POSTCODE_FULL = re.compile(rf"^(?:{_OUTWARD}) ?(?:{_INWARD})$")
_SINGLE_AREAS = frozenset("BEGLMNSW")


def parse_postcode(text: str) -> str | None:
    """A UK postcode in its normal form ("CF10 1AA"), or None. Spaces and case
    are forgiven; anything else in the string is not."""
    compact = re.sub(r"\s+", "", text).upper()
    if not 5 <= len(compact) <= 7:
        return None
    outward, inward = compact[:-3], compact[-3:]
    if not _POSTCODE_FULL.match(f"{outward} {inward}"):
        return None
    if outward[1].isdigit() and outward[0] not in _SINGLE_AREAS:
        return None
    return f"{outward} {inward}"


NI_NUMBER = re.compile(
    r"(?<![A-Za-z\d])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"[ \u00a0]?\d{2}[ \u00a0]?\d{2}[ \u00a0]?\d{2}[ \u00a0]?[A-D](?![A-Za-z\d])")
NHS_NUMBER = re.compile(r"(?<![\w/.])(\d{3})([ \u00a0-]?)(\d{3})\2(\d{4})(?![\w/]|\.\d)")
_NHS_CUE = re.compile(r"(?i)\b(?:NHS|rhif GIG|GIG|CHI)\b[^.\n]{0,25}$")
PHONE = re.compile(
    r"(?<![\w/+.])(?:\+44[ \u00a0]?(?:\(0\)[ \u00a0]?)?|\(?0)\d[\d \u00a0\-)]{7,13}\d(?![\w/])")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ROLE_MAILBOX = re.compile(
    r"(?i)^(?:info|enquiries|contact|admin|office|safeguarding|hello|post|mail|"
    r"ymholiadau|gwybodaeth|board|team|communications|comms|press|foi|dpo)\b")
VEHICLE_CURRENT = re.compile(r"(?<![A-Za-z\d])[A-HJ-PR-Y][A-HJ-PR-Y]\d{2}[ \u00a0]?"
                             r"[A-HJ-PR-Z]{3}(?![A-Za-z\d])")
VEHICLE_OLDER = re.compile(r"(?<![A-Za-z\d])(?:[A-HJ-PR-Y]\d{1,3}[ \u00a0]?[A-Z]{3}|"
                           r"[A-Z]{3}[ \u00a0]?\d{1,3}[A-HJ-PR-Y])(?![A-Za-z\d])")
_VEHICLE_CUE = re.compile(
    r"(?i)\b(?:vehicle|car|van|motorbike|registration|reg\.?|number plate|cerbyd|car|fan|"
    r"rhif cofrestru)\b[^.\n]{0,30}$")


# -- dates -----------------------------------------------------------------------------------

_MONTHS_EN = ("January|February|March|April|May|June|July|August|September|October|November|"
              "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
# Welsh months with their soft-mutated forms after "o" ("3ydd o Fawrth").
_MONTHS_CY = ("Ionawr|Chwefror|Mawrth|Fawrth|Ebrill|Mai|Fai|Mehefin|Fehefin|Gorffennaf|"
              "Orffennaf|Awst|Medi|Fedi|Hydref|Tachwedd|Dachwedd|Rhagfyr|Ragfyr")
_DAY = r"[0-3]?\d(?:st|nd|rd|th|af|il|ydd|edd|ed|fed|eg|ain)?"
DATE = (rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})(?!\d)"
        rf"|{_DAY}\s+(?:o\s+)?(?:{_MONTHS_EN}|{_MONTHS_CY})\.?,?\s+\d{{4}}"
        rf"|(?:{_MONTHS_EN})\s+{_DAY},?\s+\d{{4}})")
_DOB_CUE = (r"(?:date of birth|d\.\s?o\.\s?b\.?|DOB|born(?:\s+on)?|birth date|dyddiad geni|"
            r"ganwyd(?:\s+(?:ef|hi|nhw|o|y))?(?:\s+ar)?|a aned(?:\s+ar)?|geni(?:\s+ar)?)")
# The date may follow a few words on ("date of birth of Child K is ...", "dyddiad
# geni Plentyn K yw ..."), never across a sentence or another number.
DOB = re.compile(rf"(?i:\b{_DOB_CUE})[^.\n\d]{{0,30}}?({DATE})")
_EVENT_CUE = (r"(?:died|death|was killed|were killed|was found dead|was found unresponsive|"
              r"incident (?:occurred|happened|took place)|was admitted to hospital|"
              r"bu farw|lladdwyd|digwyddodd y digwyddiad|cafwyd hyd i)")
EVENT_DATE = re.compile(rf"(?i:\b{_EVENT_CUE})\b[^.\n]{{0,40}}?\b(?:on|ar)\s+({DATE})")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def month_year(date_text: str) -> str:
    """"3/6/2021" -> "June 2021": what a published review says instead."""
    m = re.match(r"\s*\d{1,2}[/.\-](\d{1,2})[/.\-](\d{2,4})", date_text)
    if m and 1 <= int(m.group(1)) <= 12:
        year = m.group(2) if len(m.group(2)) == 4 else f"20{m.group(2)}"
        return f"{_MONTH_NAMES[int(m.group(1)) - 1]} {year}"
    words = re.sub(rf"^{_DAY}\s+(?:o\s+)?", "", date_text.strip())
    words = re.sub(rf"\s+{_DAY},?(?=\s+\d{{4}})", "", words)
    return words.replace(",", "") or "[month and year]"


# -- addresses and places --------------------------------------------------------------------

_CAP = r"[A-ZÀ-ÖØ-ÞŴŶ][\wÀ-ÿŵŷ'’\-]*"
_STREET_EN = (r"Road|Rd|Street|Avenue|Ave|Close|Lane|Drive|Way|Crescent|Terrace|Place|Court|"
              r"Gardens|Grove|Hill|Row|Square|View|Walk|Rise|Mews|Parade|Estate|Flats|Heights")
_STREET_CY = (r"Heol|Ffordd|Stryd|Lôn|Lon|Rhodfa|Cilgant|Teras|Maes|Clos|Stad|Ystad|Cwrt|"
              r"Gerddi|Llwyn|Bryn|Parc|Tan|Pen|Nant|Plas|Cae|Rhes|Tai")
_NUMBER = r"(?:(?:Flat|Fflat|Apartment|Unit)\s+\d{1,4}[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
ADDRESS = re.compile(
    rf"\b{_NUMBER}(?:(?:{_CAP}\s+){{1,3}}(?:{_STREET_EN})\b"
    rf"|(?:{_STREET_CY})\s+(?:(?:y|yr|'r|ar|a|{_CAP})\s+){{0,3}}{_CAP})")
_RESIDENCE_CUE = (r"(?:lived at|living at|resided at|residing at|(?:her|his|their|the family'?s?)"
                  r" address (?:was|is|at)|moved to an address (?:at|in)|family home at|"
                  r"yn byw yn|yn byw yng|yn byw ym|cyfeiriad yn)")
RESIDENCE = re.compile(rf"(?i:\b{_RESIDENCE_CUE})\s+((?:{_CAP})"
                       rf"(?:[ \-](?:{_CAP}|y|yr|'r|ar)){{0,3}})")
_PLACE_CUE = (r"(?:lived in|living in|moved to|moved back to|resident in|relocated to|"
              r"yn byw yn|yn byw yng|yn byw ym|"
              r"(?:wedi )?symud(?:odd)?(?: y teulu| hi| ef| nhw| o)? i|"
              r"yn|yng|ym)")
PLACE = re.compile(rf"(?i:\b{_PLACE_CUE})\s+({_CAP}(?:[ \-](?:{_CAP}|y|yr|ar)){{0,3}})")
_CONTINUE = re.compile(rf",\s*({_CAP}(?:[ \-](?:{_CAP}|y|yr|ar)){{0,3}})")


# -- schools, GP practices and small services -----------------------------------------------

# Institution names are in title case; an acronym ("PRU", "TAS") starts no name.
_TITLE = r"[A-ZÀ-ÖØ-ÞŴŶ][a-zß-öø-ÿŵŷ'’][\wÀ-ÿŵŷ'’\-]*"
_NAME_WORDS = rf"(?:{_TITLE}|St\.?)(?:\s+(?:{_TITLE}|St\.?|of|the|y|yr|'r))*"
SCHOOL_EN = re.compile(
    rf"\b({_NAME_WORDS})\s+(?:(?:C\.?P\.?|C\.?I\.?W\.?|R\.?C\.?|V\.?A\.?)\s+)?"
    r"(?:School|Academy|Nursery School|Pupil Referral Unit)\b")
SCHOOL_CY = re.compile(
    rf"\bYsgol\s+(?:(?:Gynradd|Uwchradd|Gyfun|Feithrin|Fabanod|Babanod|Iau|Arbennig|Gymraeg|"
    rf"Sant|Santes|Eglwys|Bro|y|yr|'r)\s+)*{_CAP}(?:\s+(?:{_CAP}|y|yr|'r)){{0,2}}")
GP_EN = re.compile(rf"\b({_NAME_WORDS})\s+(?:Surgery|Medical Centre|Medical Practice|"
                   r"Health Centre|Family Practice|Group Practice|Dental Practice)\b")
GP_CY = re.compile(rf"\b(?:Meddygfa|Canolfan Iechyd|Canolfan Feddygol)\s+{_CAP}"
                   rf"(?:\s+(?:{_CAP}|y|yr|'r)){{0,2}}")
SERVICE_EN = re.compile(
    rf"\b({_NAME_WORDS})\s+(?:Family Centre|Children['’]?s Centre|Day Nursery|Playgroup|"
    r"Youth Club|Youth Centre|Women['’]?s Aid|Food ?bank|Refuge|Contact Centre|Hostel|"
    r"Care Home|Nursing Home|Residential Home|Children['’]?s Home|Community Centre|"
    r"Leisure Centre|Mother and Baby Unit)\b")
SERVICE_CY = re.compile(rf"\b(?:Canolfan Deulu(?:ol)?|Cartref Gofal|Cartref Nyrsio|"
                        rf"Clwb Ieuenctid|Meithrinfa|Cylch Meithrin)\s+{_CAP}"
                        rf"(?:\s+(?:{_CAP}|y|yr|'r)){{0,2}}")
# Words that make an institution's name generic: "the Primary School", "a GP
# Surgery", "Welsh Women's Aid", "Local Health Board" name no one place.
_GENERIC = words(
    "The A An This That Their Her His Its Our Your Each Every Any Another Other Same New Old "
    "Local National Regional Welsh English Primary Secondary High Special Comprehensive "
    "Infant Infants Junior Nursery Middle Grammar Independent State Faith Catholic Church "
    "Wales Community Sunday Boarding Residential Day Mainstream Medium Further Education "
    "Pupil Referral Unit Health Medical GP Family Children Children's Childrens Youth "
    "Women's Womens Care Nursing Dental Group Practice Contact Leisure Mother Baby Open "
    "Sixth Form Art Royal University Secure Approved Registered Private Voluntary Council "
    "County Borough City Board Service Services Centre Home Homes School Schools Surgery "
    "Education Social Police NHS Trust and of the & Foster Adoption Emergency "
    "Specialist Authority Safeguarding Wellbeing Mental Learning Support "
    "Early Years Flying Start Integrated Families First Team Teams Hospital Prison "
    "Maternity Paediatric Child Adult In Within At For From With By On After Before "
    "During Both All Some Many Most Several Two Three Four When Where While Whilst Around "
    "About Across Through Into Over Under Per Pre Post Between Public Protection")


_AGENCY_WORDS = words("Council Board Police Trust Authority Service Services Partnership "
                      "Cyngor Bwrdd Heddlu Ymddiriedolaeth Gwasanaeth")


@dataclass(frozen=True, slots=True)
class Recogniser:
    type: str
    run: Callable[[str, bool], Iterator[Span]]
    # Text without this cannot hold a finding of the type: the check runs on
    # every upload, and most paragraphs hold no digit and no "@".
    needs: Callable[[str], bool] | None = None


_DIGIT = re.compile(r"\d")


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


# What every postcode, NHS and NI number, phone number and vehicle registration
# holds around one of its digits. Most passages with a digit hold only a year or
# a paragraph number: one scan for these (from a digit, which the regex engine
# skips to) spares the five recognisers' scans, each tried at every position.
_IDENTIFIER_SHAPE = re.compile(
    r"\d(?:[ABD-HJLNP-UW-Z]{2}"  # a postcode's inward code: "1AA" of "CF10 1AA"
    r"|\d[ \u00a0-]?\d\d[ \u00a0-]?\d\d"  # six digits of an NHS or NI number
    r"|[\d \u00a0\-)]{7,13}\d"  # a phone number's digits after its prefix
    # a registration's digits beside three letters: "AB12 CDE", "A123 BCD", "ABC 123D"
    r"|[ \u00a0]?[A-Z]{3}|(?<=[A-Z]{3}\d)|(?<=[A-Z]{3}[ \u00a0]\d))")


def _has_identifier_shape(text: str) -> bool:
    return _IDENTIFIER_SHAPE.search(text) is not None


def _has_at(text: str) -> bool:
    return "@" in text


def _rep(en: str, cy: str, welsh: bool) -> str:
    return cy if welsh else en


def postcodes(text: str, welsh: bool) -> Iterator[Span]:
    for m in POSTCODE.finditer(text):
        if parse_postcode(m.group(0)):
            spaced = len(m.group(0)) > len(m.group(1)) + 3
            yield Span("postcode", m.start(), m.end(), 0.95 if spaced else 0.85,
                       _rep("[postcode]", "[cod post]", welsh))


def nhs_numbers(text: str, welsh: bool) -> Iterator[Span]:
    for m in NHS_NUMBER.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        cued = bool(_NHS_CUE.search(text[max(0, m.start() - 40):m.start()]))
        if digits[0] == "0" and not cued:
            continue  # a phone number
        if nhs_number_valid(digits):
            yield Span("nhs_number", m.start(), m.end(), 0.99 if cued else 0.9,
                       _rep("[NHS number]", "[rhif GIG]", welsh), "check digit valid")
        elif cued:
            yield Span("nhs_number", m.start(), m.end(), 0.6,
                       _rep("[NHS number]", "[rhif GIG]", welsh), "check digit does not match")


def ni_numbers(text: str, welsh: bool) -> Iterator[Span]:
    for m in NI_NUMBER.finditer(text):
        yield Span("ni_number", m.start(), m.end(), 0.9,
                   _rep("[NI number]", "[rhif Yswiriant Gwladol]", welsh))


def phones(text: str, welsh: bool) -> Iterator[Span]:
    for m in PHONE.finditer(text):
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        if raw.startswith("+44"):
            ok = len(digits) == 12 and digits[2] != "0"
        else:
            ok = len(digits) in (10, 11) and digits[1] != "0"
        # Dates and ranges ("01/02/2020", "2019-2021") are not phone numbers.
        if ok and not re.search(r"\d[/.]\d", raw):
            yield Span("phone", m.start(), m.end(), 0.9, _rep("[phone]", "[ffôn]", welsh))


def emails(text: str, welsh: bool) -> Iterator[Span]:
    for m in EMAIL.finditer(text):
        # A board's published mailbox identifies no one; a person's address does.
        role = bool(_ROLE_MAILBOX.match(m.group(0)))
        yield Span("email", m.start(), m.end(), 0.3 if role else 0.95,
                   _rep("[email]", "[e-bost]", welsh))


def vehicles(text: str, welsh: bool) -> Iterator[Span]:
    rep = _rep("[vehicle registration]", "[rhif cofrestru]", welsh)
    for m in VEHICLE_CURRENT.finditer(text):
        yield Span("vehicle_registration", m.start(), m.end(), 0.85, rep)
    for m in VEHICLE_OLDER.finditer(text):
        if _VEHICLE_CUE.search(text[max(0, m.start() - 45):m.start()]):
            yield Span("vehicle_registration", m.start(), m.end(), 0.75, rep)


def _may_hold(text: str, literals: tuple[str, ...]) -> bool:
    """Whether `text` may match a case-blind pattern every match of which holds
    one of `literals` (lower case). Lowering is what case-blind matching does on
    ASCII text; other text ("ſ" matches "s", "İ" matches "i") is not ruled out."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(map(lowered.__contains__, literals))


# Every match of DOB (EVENT_DATE) holds one of these pieces of its cue: most
# passages with a date are searched for neither.
_DOB_LITERALS = ("birth", "dob", "born", "geni", "ganwyd", "aned", "o.")  # "o." of "d.o.b."
_EVENT_LITERALS = ("died", "death", "killed", "was found", "incident", "admitted", "bu farw",
                   "lladdwyd", "digwyddodd", "cafwyd")


def dates(text: str, welsh: bool) -> Iterator[Span]:
    for m in DOB.finditer(text) if _may_hold(text, _DOB_LITERALS) else ():
        yield Span("date_of_birth", m.start(1), m.end(1), 0.95,
                   _rep("[date of birth]", "[dyddiad geni]", welsh))
    for m in EVENT_DATE.finditer(text) if _may_hold(text, _EVENT_LITERALS) else ():
        yield Span("identifying_date", m.start(1), m.end(1), 0.5, month_year(m.group(1)),
                   "an exact date of the incident or death")


def _extend_address(text: str, end: int, welsh: bool) -> int:
    """Take in ", Town" after a street when the town is a known place."""
    gaz = gazetteer()
    for _ in range(2):
        m = _CONTINUE.match(text, end)
        if not m:
            break
        words = m.group(1)
        found = next((cut for cut in _prefixes(words) if gaz.place(cut, True)), None)
        if found is None:
            break
        end = m.start(1) + len(found)
    return end


def _prefixes(words: str) -> list[str]:
    parts = re.split(r"(?<=\S)(?=[ \-])", words)
    return ["".join(parts[:n]).strip() for n in range(len(parts), 0, -1)]


# Literal pieces, lower case, of which every match of RESIDENCE, and every
# match of PLACE that counts in an English passage (whose short Welsh cues
# "yn", "yng", "ym" are skipped), holds at least one: a passage holding none
# is not searched, which spares trying each cue at every position.
_RESIDENCE_LITERALS = ("lived at", "living at", "resided at", "residing at", "address",
                       "family home at", "yn byw", "cyfeiriad yn")
_PLACE_LITERALS_EN = ("lived in", "living in", "moved to", "moved back to", "resident in",
                      "relocated to", "yn byw", "symud")


# A street address starts with its house number (_NUMBER) before a capital:
# the street's name or a Welsh street word.
_HOUSE_NUMBER = re.compile(r"\d[A-Za-z]?,?\s+[A-ZÀ-ÖØ-ÞŴŶ]")


def addresses(text: str, welsh: bool) -> Iterator[Span]:
    rep = _rep("[address]", "[cyfeiriad]", welsh)
    for m in ADDRESS.finditer(text) if _HOUSE_NUMBER.search(text) else ():
        yield Span("address", m.start(), _extend_address(text, m.end(), welsh), 0.9, rep)
    lowered = text.lower()
    residence = any(map(lowered.__contains__, _RESIDENCE_LITERALS))
    for m in RESIDENCE.finditer(text) if residence else ():
        words = m.group(1)
        if words.split()[0] in _GENERIC:
            continue
        yield Span("address", m.start(1), _extend_address(text, m.end(1), welsh), 0.7, rep)
    if not welsh and not any(map(lowered.__contains__, _PLACE_LITERALS_EN)):
        return
    gaz = gazetteer()
    for m in PLACE.finditer(text):
        cue = m.group(0)[:m.start(1) - m.start()].strip().lower()
        if cue in ("yn", "yng", "ym") and not welsh:
            continue
        for cut in _prefixes(m.group(1)):
            if gaz.place(cut, welsh or cue in ("yng", "ym")):
                # A city names no household; a village or small town nearly does.
                yield Span("address", m.start(1), m.start(1) + len(cut), 0.55,
                           _rep("[area]", "[ardal]", welsh), "where the family lived")
                break


# The words each institution pattern ends or starts on, as written (the
# patterns are case-sensitive): a passage with none of them is not searched,
# which spares trying a name at every capitalised word of every passage.
_SCHOOL_EN_WORDS = ("School", "Academy", "Pupil Referral Unit")
_SCHOOL_CY_WORDS = ("Ysgol",)
_GP_EN_WORDS = ("Surgery", "Medical Centre", "Medical Practice", "Health Centre",
                "Family Practice", "Group Practice", "Dental Practice")
_GP_CY_WORDS = ("Meddygfa", "Canolfan Iechyd", "Canolfan Feddygol")
_SERVICE_EN_WORDS = ("Centre", "Day Nursery", "Playgroup", "Youth Club",
                     "Aid", "Food", "Refuge", "Hostel", "Home", "Mother and Baby Unit")
_SERVICE_CY_WORDS = ("Canolfan Deulu", "Cartref Gofal", "Cartref Nyrsio", "Clwb Ieuenctid",
                     "Meithrinfa", "Cylch Meithrin")


# Any of the words, as one alternation of literals: the regex engine skips to
# their first letters (capitals, which are few), where thirty substring tests
# would read each passage thirty times.
_INSTITUTION_WORDS = re.compile("|".join(map(re.escape, (
    _SCHOOL_EN_WORDS + _SCHOOL_CY_WORDS + _GP_EN_WORDS + _GP_CY_WORDS + _SERVICE_EN_WORDS
    + _SERVICE_CY_WORDS))))


def _named(kind: str, text: str, pattern: re.Pattern[str], rep: str,
           confidence: float, needs: tuple[str, ...]) -> Iterator[Span]:
    if not any(map(text.__contains__, needs)):
        return
    for m in pattern.finditer(text):
        start = m.start()
        if m.groups():
            # Leading generic words are not part of the name ("The Oak Tree
            # Primary School" names "Oak Tree Primary School"); all-generic is no name.
            words = [(w.group(0), m.start(1) + w.start()) for w in re.finditer(r"\S+", m.group(1))]
            proper = [at for w, at in words if w not in _GENERIC]
            # "Ceredigion County Council School nurse": an agency runs into a noun.
            if not proper or any(w in _AGENCY_WORDS for w, _ in words):
                continue
            start = next(at for w, at in words if w not in _GENERIC)
        yield Span(kind, start, m.end(), confidence, rep)


def institutions(text: str, welsh: bool) -> Iterator[Span]:
    # Nearly every passage holds none of the words: one pass, not six.
    if not _INSTITUTION_WORDS.search(text):
        return
    school = _rep("[school]", "[ysgol]", welsh)
    yield from _named("school", text, SCHOOL_EN, school, 0.85, _SCHOOL_EN_WORDS)
    yield from _named("school", text, SCHOOL_CY, school, 0.85, _SCHOOL_CY_WORDS)
    gp = _rep("[GP practice]", "[meddygfa]", welsh)
    yield from _named("gp_practice", text, GP_EN, gp, 0.85, _GP_EN_WORDS)
    yield from _named("gp_practice", text, GP_CY, gp, 0.85, _GP_CY_WORDS)
    service = _rep("[service]", "[gwasanaeth]", welsh)
    yield from _named("service", text, SERVICE_EN, service, 0.7, _SERVICE_EN_WORDS)
    yield from _named("service", text, SERVICE_CY, service, 0.7, _SERVICE_CY_WORDS)


RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("postcode", postcodes, _has_identifier_shape),
    Recogniser("nhs_number", nhs_numbers, _has_identifier_shape),
    Recogniser("ni_number", ni_numbers, _has_identifier_shape),
    Recogniser("phone", phones, _has_identifier_shape),
    Recogniser("email", emails, _has_at),
    Recogniser("vehicle_registration", vehicles, _has_identifier_shape),
    Recogniser("date", dates, _has_digit), Recogniser("address", addresses),
    Recogniser("institution", institutions),
)


def recognise(text: str, welsh: bool) -> list[Span]:
    # Each prerequisite is checked once per passage, not once per recogniser.
    met: dict[Callable[[str], bool], bool] = {}
    spans: list[Span] = []
    for r in RECOGNISERS:
        if r.needs is not None:
            if r.needs not in met:
                met[r.needs] = r.needs(text)
            if not met[r.needs]:
                continue
        spans.extend(r.run(text, welsh))
    return spans
