"""The six Welsh regional safeguarding boards, their abbreviations and other names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storfa.domain.ids import BOARD_ABBREVIATIONS


@dataclass(frozen=True, slots=True)
class Board:
    name: str  # canonical English name, as filters and the CLI show it
    abbreviation: str  # as in SUSR identifiers ("SUSR2024-06/CTM")
    aliases: tuple[str, ...]  # other names, English and Welsh, current and former


BOARDS: tuple[Board, ...] = (
    Board(
        "Cardiff and Vale",
        "CV",
        (
            "Cardiff and the Vale",
            "Cardiff and Vale of Glamorgan",
            "Cardiff and the Vale of Glamorgan",
            "Caerdydd a'r Fro",
            "Caerdydd a Bro Morgannwg",
        ),
    ),
    Board(
        "Cwm Taf Morgannwg",
        "CTM",
        # "Cwm Taf" is the board's name before Bridgend joined it in 2019.
        ("Cwm Taf",),
    ),
    Board(
        "Gwent",
        "GW",
        (
            "Gwent Safeguarding",
            "Gwent-wide Adult Safeguarding",
            "South East Wales Safeguarding Children",
            "De Ddwyrain Cymru",
        ),
    ),
    Board(
        "Mid and West Wales",
        "MWW",
        (
            "Mid & West Wales",
            "Mid and West",
            "CYSUR",
            "CWMPAS",
            "Canolbarth a Gorllewin Cymru",
        ),
    ),
    Board(
        "North Wales",
        "NW",
        ("Gogledd Cymru",),
    ),
    Board(
        "West Glamorgan",
        "WG",
        # Western Bay is West Glamorgan's name before 2019.
        ("Western Bay", "Gorllewin Morgannwg", "Bae'r Gorllewin"),
    ),
)

_BY_ABBREVIATION = {board.abbreviation: board for board in BOARDS}

# Abbreviations that are also everyday tokens ("CV", "NW", "WG") are only
# trusted on their own (normalise_board), never inside running text.
_TEXT_ABBREVIATIONS = tuple(
    abbr for abbr in BOARD_ABBREVIATIONS if len(abbr) >= 3 and abbr not in {"CAV", "GSB"}
)

# Words around a board's name that do not change which board it is.
_NOISE_RE = re.compile(
    r"\b(?:the|regional|safeguarding|children'?s?|adults?'?|boards?|partnership|"
    r"bwrdd|diogelu|rhanbarthol|rsb|sb|area|region)\b",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


_BY_FOLDED: dict[str, str] = {}
for _board in BOARDS:
    for _name in (_board.name, *_board.aliases):
        _BY_FOLDED[_fold(_NOISE_RE.sub(" ", _name))] = _board.name
        _BY_FOLDED[_fold(_name)] = _board.name


def board_name(abbreviation: str) -> str | None:
    """The canonical name for an abbreviation such as "CTM" or "CAVRSB"."""
    canonical = BOARD_ABBREVIATIONS.get(abbreviation.strip().upper())
    return _BY_ABBREVIATION[canonical].name if canonical else None


def board_abbreviation(name: str) -> str | None:
    """The identifier abbreviation ("CTM") for any spelling of a board."""
    canonical = normalise_board(name)
    for board in BOARDS:
        if board.name == canonical:
            return board.abbreviation
    return None


def normalise_board(text: str) -> str | None:
    """The canonical board name for a name, alias or abbreviation; None if unknown.

    "cwm taf", "Western Bay Safeguarding Board", "CAVRSB", "nw",
    "Bwrdd Diogelu Gogledd Cymru" all resolve.
    """
    stripped = text.strip()
    if not stripped:
        return None
    compact = re.sub(r"[\s.]+", "", stripped).upper()
    if compact in BOARD_ABBREVIATIONS:
        return board_name(compact)
    if compact in {"CT", "CTSB"}:
        return "Cwm Taf Morgannwg"
    if compact in {"WB", "WBSB"}:
        return "West Glamorgan"
    folded = _fold(stripped)
    if folded in _BY_FOLDED:
        return _BY_FOLDED[folded]
    without_noise = _fold(_NOISE_RE.sub(" ", folded))
    if without_noise in _BY_FOLDED:
        return _BY_FOLDED[without_noise]
    found = find_boards(stripped)
    names = {name for name, _, _ in found}
    return found[0][0] if len(names) == 1 else None


def _phrase_pattern(phrase: str) -> str:
    parts = []
    for word in phrase.replace("&", " & ").split():
        if word == "&" or word.lower() == "and":
            parts.append(r"(?:and|&|a)")
        else:
            parts.append(re.escape(word).replace("'", "['\u2019]").replace("\\-", r"[\s-]?"))
    return r"[\s-]+".join(parts)


def _alternatives() -> list[tuple[str, str]]:
    pairs = [(phrase, board.name) for board in BOARDS for phrase in (board.name, *board.aliases)]
    pairs = [(p, n) for p, n in pairs if p not in {"CYSUR", "CWMPAS"}]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


_NAME_PAIRS = _alternatives()
_NAME_RE = re.compile(
    "|".join(f"(?P<n{i}>{_phrase_pattern(p)})" for i, (p, _) in enumerate(_NAME_PAIRS)),
    re.IGNORECASE,
)
_ABBR_RE = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(sorted(_TEXT_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)


def find_boards(text: str) -> list[tuple[str, int, int]]:
    """Every mention of a board in running text: (canonical name, start, end).

    Names and aliases match in any case; abbreviations only in capitals and only
    the unambiguous ones (CTM, MWW, CAVRSB, NWSB, CYSUR ...).
    """
    found: list[tuple[str, int, int]] = []
    for match in _NAME_RE.finditer(text):
        # Names must stand as words: "Gwent" but not "Gwentian".
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before.isalnum() or after.isalnum():
            continue
        index = int((match.lastgroup or "n0")[1:])
        found.append((_NAME_PAIRS[index][1], match.start(), match.end()))
    for match in _ABBR_RE.finditer(text):
        name = board_name(match.group(0))
        if name and not any(s <= match.start() < e for _, s, e in found):
            found.append((name, match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])
