"""Welsh safeguarding review identifiers: `CPR2024-W11`, `APR2015-W02`, `SUSR2024-06/CTM`.

An identifier is a review type, the year of publication, a sequence number and,
for Single Unified Safeguarding Reviews, the board's abbreviation. Real text
damages them (en dashes, spaces, lower case, OCR reading `/` as `I` and `0` as
`O`), so parsing is tolerant and always keeps the raw string.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Spellings of a review type in an identifier -> the ReviewType code.
# "DARDR" (Domestic Abuse Related Death Review) is the new name of the Domestic
# Homicide Review; ReviewType has no separate member, so it maps to DHR. The raw
# string still shows which name the report used.
TYPE_CODES: dict[str, str] = {
    "CPR": "CPR",
    "APR": "APR",
    "DHR": "DHR",
    "DARDR": "DHR",
    "MHHR": "MHHR",
    "SUSR": "SUSR",
    "CSPR": "CSPR",
    "SAR": "SAR",
    "SCR": "SCR",
    "OWHR": "OWHR",
}

# Board abbreviations seen in identifiers and reports -> the canonical abbreviation.
# storfa.ingest.metadata.boards maps the canonical abbreviations to board names.
BOARD_ABBREVIATIONS: dict[str, str] = {
    "CTM": "CTM",
    "CTMSB": "CTM",
    "CTMRSB": "CTM",
    "CV": "CV",
    "CAV": "CV",
    "CAVRSB": "CV",
    "CVRSB": "CV",
    "GW": "GW",
    "GSB": "GW",
    "GWSB": "GW",
    # South East Wales Safeguarding Children Board, Gwent's former children's board
    "SEWSCB": "GW",
    "MWW": "MWW",
    "MWWSB": "MWW",
    "CYSUR": "MWW",
    "CWMPAS": "MWW",
    "NW": "NW",
    "NWSB": "NW",
    "NWSCB": "NW",
    "NWSAB": "NW",
    "WG": "WG",
    "WGSB": "WG",
    "WBSB": "WG",  # Western Bay Safeguarding Board, West Glamorgan's former name
}

_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212_"
_SEP = f"[\\s{_DASH}/\\\\]*+"
_DIGIT = "[0-9Oo]"  # OCR reads 0 as O
_TYPES = "|".join(sorted(TYPE_CODES, key=len, reverse=True))
_BOARDS = "|".join(sorted(BOARD_ABBREVIATIONS, key=len, reverse=True))

# The separator before a board: "/" and its OCR misreadings "I", "l", "1", "|", "\".
# After a mere space or dash the board must be in capitals ("CPR2024-W11 CV").
_SLASH = "\\s*+[/\\\\|Il1!]\\s*+"
_SPACE = f"(?:\\s*+[{_DASH}]\\s*+|\\s++)"

_ID_RE = re.compile(
    rf"""
    (?<![A-Za-z0-9])
    (?P<type>{_TYPES})
    {_SEP}
    (?P<year>(?:19|20|2O|1O){_DIGIT}{{2}}|{_DIGIT}{{2}}(?![0-9Oo]))
    {_SEP}
    (?P<w>W{_SEP})?
    (?P<seq>{_DIGIT}{{1,3}}?)
    (?:
        {_SLASH}(?P<board>{_BOARDS})(?![A-Za-z])
      | {_SPACE}(?-i:(?P<board2>{_BOARDS}))(?![A-Za-z])
      | (?![0-9Oo])
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A board's own numbering, sequence before year (or year/sequence): "CPR CTMSB 06/2021",
# "NWSB APR 02/2024",
# "CYSUR 4 2019", and on a title page under a "Re:" line "CTMSB 3/2025" with
# the type named elsewhere on the page. The board in capitals ("cysur" is
# also a Welsh word), or in any case after a type ("APR GwSB 2/2025"). A type
# numbered so without a board ("DHR 02/2024", as partnerships number their
# homicide reviews) is read the same way, with no board.
_BOARD_NUMBERED_RE = re.compile(
    rf"""
    (?<![A-Za-z0-9])
    (?:(?-i:(?P<board3>{_BOARDS}))[\s{_DASH}]+(?P<type3>{_TYPES})
       |(?P<type>{_TYPES})[\s{_DASH}]+(?P<board>{_BOARDS})|(?-i:(?P<board2>{_BOARDS}))
       |(?P<type2>{_TYPES})(?=[\s{_DASH}]*[0-9]{{1,3}}\s*[/\s{_DASH}]\s*(?:19|20)[0-9]{{2}}(?![0-9])))
    [\s{_DASH}]*
    (?:(?P<seq>[0-9]{{1,3}})
       \s*[/\s{_DASH}]\s*
       (?P<year>(?:19|20)[0-9]{{2}})
      # Year first, only with a slash: "CVRSB APR 2025/01".
      |(?P<year2>(?:19|20)[0-9]{{2}})\s*/\s*(?P<seq2>[0-9]{{1,2}}))
    (?![0-9])
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A board's reference written board/year/type/number: "WGSB/2023/CPR/02".
_BOARD_YEAR_TYPE_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?-i:(?P<board>{_BOARDS}))\s*/\s*(?P<year>(?:19|20)[0-9]{{2}})\s*/\s*"
    rf"(?P<type>{_TYPES})\s*/\s*(?P<seq>[0-9]{{1,3}})(?![0-9])",
    re.IGNORECASE,
)
# An organisation's prefix before a type ("SNP/DHR/2023/04"): a partnership's own
# numbering when the organisation is no Welsh board.
_PREFIX_RE = re.compile(r"(?<![A-Za-z])(?P<org>[A-Za-z]{2,8})\s*[/\\]\s*$")
# Such a number as canonical() writes it ("DHR2023-04"), so that it reads back the same.
_LOCAL_CANONICAL_RE = re.compile(r"(?:DHR|MHHR)[0-9]{4}-[0-9]{2,3}")
# Or after the partnership's place ("Southvale DHR 2023-04"): a homicide review
# a community safety partnership numbers itself.
_PLACE_BEFORE_RE = re.compile(
    r"(?<![A-Za-z])(?-i:(?!(?:The|This|Our|Review|Report|Ref|Reference|No|Number)\b)"
    r"[A-Z][a-z]{2,})\s+$")
_PARTNERSHIP_NUMBERED = frozenset({"DHR", "MHHR"})

# For parse_review_id's fallback: a type with perhaps a year, but no sequence.
_PARTIAL_RE = re.compile(
    rf"(?<![A-Za-z])(?P<type>{_TYPES})(?:{_SEP}(?P<year>(?:19|20){_DIGIT}{{2}}|{_DIGIT}{{2}}))?"
    rf"(?![0-9])",
    re.IGNORECASE,
)


# Review types numbered by their own boards and partnerships, never in the
# all-Wales series "CPR2024-W11": England's (and Scotland's), and the homicide
# reviews the police and their partners commission (OWHR).
_OUTSIDE_WALES = frozenset({"CSPR", "SAR", "SCR", "OWHR"})


@dataclass(frozen=True)
class ReviewIdentifier:
    raw: str
    type: str | None
    year: int | None
    seq: int | None
    board: str | None
    # Numbered by a partnership outside Wales ("SNP/DHR/2023/04"), not in the
    # all-Wales series, though its type is one Wales numbers too.
    local: bool = False

    def canonical(self) -> str | None:
        """`CPR2024-W11`, `SUSR2024-06/CTM`, or `CPR2024` without a sequence."""
        if self.type is None or self.year is None:
            return None
        text = f"{self.type}{self.year}"
        if self.seq is None:
            return text
        if self.board:
            return f"{text}-{self.seq:02d}/{self.board}"
        if self.type in _OUTSIDE_WALES or self.local:
            return f"{text}-{self.seq:02d}"  # "SAR2025-03": the W is the all-Wales numbering
        return f"{text}-W{self.seq:02d}"

    def as_json(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "type": self.type,
            "year": self.year,
            "seq": self.seq,
            "board": self.board,
        }


def _digits(text: str) -> int:
    return int(text.replace("O", "0").replace("o", "0"))


def _year(text: str) -> int:
    value = _digits(text)
    if len(text) == 2:
        # Two-digit years: reviews are recent, so "19" is 2019, "98" is 1998.
        pivot = dt.date.today().year % 100 + 1
        value += 2000 if value <= pivot else 1900
    return value


def _from_match(match: re.Match[str], raw: str) -> ReviewIdentifier:
    board = match.group("board") or match.group("board2")
    prefix = _PREFIX_RE.search(match.string, max(0, match.start() - 12), match.start())
    if prefix and not board and prefix.group("org").upper() in BOARD_ABBREVIATIONS:
        board = prefix.group("org")
    board = board or _board_before(match)
    return ReviewIdentifier(
        raw=raw,
        type=TYPE_CODES[match.group("type").upper()],
        year=_year(match.group("year")),
        seq=_digits(match.group("seq")),
        board=BOARD_ABBREVIATIONS[board.upper()] if board else None,
        local=not board and not match.group("w") and bool(
            prefix or _LOCAL_CANONICAL_RE.fullmatch(match.group(0)) or (
                match.group("type").upper() in _PARTNERSHIP_NUMBERED
                and _PLACE_BEFORE_RE.search(match.string, max(0, match.start() - 30),
                                            match.start()))),
    )


def _board_before(match: re.Match[str]) -> str | None:
    """The board of a full identifier written in its board's own numbering, the
    board first ("CVRSB CPR 2024/02"), as find_board_numbered reads it."""
    start = max(0, match.start() - 12)
    for ident, _, end in find_board_numbered(match.string[start:match.end()]):
        if ident.board and start + end == match.end():
            return ident.board
    return None


def find_review_ids(text: str) -> list[tuple[ReviewIdentifier, int, int]]:
    """Every full identifier (type, year and sequence) in `text`, with its offsets."""
    found: list[tuple[ReviewIdentifier, int, int]] = []
    for match in _ID_RE.finditer(text):
        found.append((_from_match(match, match.group(0)), match.start(), match.end()))
    for ident, start, end in find_board_numbered(text):
        if ident.type and not any(s < end and start < e for _, s, e in found):
            found.append((ident, start, end))
    return sorted(found, key=lambda item: item[1])


def find_board_numbered(text: str, review_type: str | None = None
                        ) -> list[tuple[ReviewIdentifier, int, int]]:
    """Identifiers in a board's own numbering ("CPR CTMSB 06/2021"), with their
    offsets; where the text names no type, `review_type` (the type the page
    names elsewhere) is taken, else the type is None."""
    found: list[tuple[ReviewIdentifier, int, int]] = []
    for match in _BOARD_NUMBERED_RE.finditer(text):
        kind = match.group("type") or match.group("type2") or match.group("type3")
        board = match.group("board") or match.group("board2") or match.group("board3")
        found.append((ReviewIdentifier(
            raw=match.group(0),
            type=TYPE_CODES[kind.upper()] if kind else review_type,
            year=int(match.group("year") or match.group("year2")),
            seq=int(match.group("seq") or match.group("seq2")),
            board=BOARD_ABBREVIATIONS[board.upper()] if board else None,
        ), match.start(), match.end()))
    for match in _BOARD_YEAR_TYPE_RE.finditer(text):
        found.append((ReviewIdentifier(
            raw=match.group(0), type=TYPE_CODES[match.group("type").upper()],
            year=int(match.group("year")), seq=int(match.group("seq")),
            board=BOARD_ABBREVIATIONS[match.group("board").upper()],
        ), match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


def parse_review_id(text: str) -> ReviewIdentifier:
    """Parse the first identifier in `text`; never raises.

    `raw` is `text` unchanged. Where no full identifier is present, a bare type
    (and year) is still recognised, and anything unknown is None.
    """
    try:
        match = _ID_RE.search(text)
        if match:
            return _from_match(match, text)
        numbered = [ident for ident, _, _ in find_board_numbered(text) if ident.type]
        if numbered:
            first = numbered[0]
            return ReviewIdentifier(text, first.type, first.year, first.seq, first.board)
        partial = _PARTIAL_RE.search(text)
        if partial:
            year = partial.group("year")
            return ReviewIdentifier(
                raw=text,
                type=TYPE_CODES[partial.group("type").upper()],
                year=_year(year) if year else None,
                seq=None,
                board=None,
            )
    except (ValueError, KeyError, TypeError):  # pragma: no cover - defensive
        pass
    return ReviewIdentifier(raw=text, type=None, year=None, seq=None, board=None)


@lru_cache(maxsize=4096)
def review_heading(review_id: str, title: str | None) -> str:
    """How a review is named in a list: "CPR2016-W01 — Title", or the title
    alone when it already names that identifier, however spelt ("Child
    Practice Review Report CPR 2016-W01"), so that it is not read twice.
    Cached: a search page names twenty reviews, mostly the same ones."""
    if not title:
        return review_id
    wanted = parse_review_id(review_id).canonical()
    if wanted and any(ident.canonical() == wanted for ident, _, _ in find_review_ids(title)):
        return title
    return f"{review_id} — {title}"
