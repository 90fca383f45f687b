"""A recommendation's level (local / regional / national) where its own text
does not state one ("This is a regional recommendation", a level column).

The sub-heading it sits under may name it ("Regional Recommendations" over
R1-R3, "Argymhellion cenedlaethol"). Else its addressees may: a government
department or a national body is national, a Welsh regional safeguarding
board regional, an English local safeguarding partnership local. A council,
a police force or a health board alone says nothing: reviews call such a
recommendation local or regional by what it asks, so it is left unset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storfa.ingest.metadata.boards import normalise_board

WELSH_LEVELS = {"lleol": "local", "rhanbarthol": "regional", "cenedlaethol": "national"}
_HEADING_LEVEL = re.compile(
    r"\b(local|regional|national)\s+(?:\w+\s+){0,2}?recommendations?\b"
    r"|\bargymhellion\s+(lleol|rhanbarthol|cenedlaethol)\b"
    r"|\brecommendations?\s+(?:at|for)\s+(?:a\s+)?(local|regional|national)\s+level\b",
    re.IGNORECASE)
_NATIONAL = re.compile(
    r"^(?:the\s+)?(?:welsh government|llywodraeth cymru|uk government|hm government|"
    r"scottish government|northern ireland executive|home office|ministry of justice|"
    r"department (?:of|for) [\w ,'’]+|nhs england|nhs wales executive|"
    r"public health (?:wales|england|scotland)|social care wales|care inspectorate(?: wales)?|"
    r"healthcare inspectorate wales|estyn|ofsted|care quality commission|"
    r"college of policing|national police chiefs['’]? council|"
    r"child safeguarding practice review panel|national [\w ]+)$", re.IGNORECASE)
_LOCAL_PARTNERSHIP = re.compile(r"^(?:safeguarding partnership|[\w' -]+ safeguarding "
                                r"(?:children |adults )?partnership)$", re.IGNORECASE)
_REGIONAL_BOARD = re.compile(r"regional safeguarding board|bwrdd diogelu rhanbarthol",
                             re.IGNORECASE)
# A Welsh board by name or initials ("North Wales Safeguarding Board", "CVRSB",
# "Bwrdd Diogelu Gogledd Cymru"); not "Gwent Police" or a health board, which
# name the board's region too.
_BOARD_NAME = re.compile(r"safeguarding (?:children |adults )?board|bwrdd diogelu|"
                         r"^[A-Z]{2,5}S(?:C|A)?B$", re.IGNORECASE)


def heading_level(section: str) -> str | None:
    """The level the nearest heading of a section path names, if any."""
    for heading in reversed(section.split(" > ")):
        match = _HEADING_LEVEL.search(heading)
        if match:
            word = next(g for g in match.groups() if g).casefold()
            return WELSH_LEVELS.get(word, word)
    return None


def addressed_level(agencies: Sequence[str]) -> str | None:
    """The level every addressee shares, or None."""
    levels = {_level_of(agency) for agency in agencies}
    if len(levels) != 1:
        return None
    return levels.pop()


def _level_of(agency: str) -> str | None:
    name = agency.strip()
    if _NATIONAL.match(name):
        return "national"
    if _REGIONAL_BOARD.search(name) or (_BOARD_NAME.search(name) and normalise_board(name)):
        return "regional"
    if _LOCAL_PARTNERSHIP.match(name):
        return "local"
    return None
