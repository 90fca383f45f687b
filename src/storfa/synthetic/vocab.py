"""Fixed vocabulary of the Welsh safeguarding landscape: boards, agencies, review types.

Everything here is public organisational naming, so generated reviews name the
same agencies a reader of real Welsh reviews would expect, and the metadata
parser is tested against realistic board and agency spellings.
"""

from __future__ import annotations

from dataclasses import dataclass

from storfa.domain.reviews import age_band as domain_age_band

REVIEW_TYPES: tuple[str, ...] = ("CPR", "APR", "DHR", "MHHR", "SUSR")

# English and Welsh long names; CPR/APR names take a variant prefix in titles.
TYPE_NAMES: dict[str, str] = {
    "CPR": "Child Practice Review",
    "APR": "Adult Practice Review",
    "DHR": "Domestic Homicide Review",
    "MHHR": "Mental Health Homicide Review",
    "SUSR": "Single Unified Safeguarding Review",
}
TYPE_NAMES_CY: dict[str, str] = {
    "CPR": "Adolygiad Ymarfer Plant",
    "APR": "Adolygiad Ymarfer Oedolion",
    "DHR": "Adolygiad Dynladdiad Domestig",
    "MHHR": "Adolygiad Dynladdiad Iechyd Meddwl",
    "SUSR": "Adolygiad Diogelu Unedig Sengl",
}

# Publication years each type plausibly carries (SUSR started in October 2024).
PUBLICATION_YEARS: dict[str, tuple[int, int]] = {
    "CPR": (2013, 2024),
    "APR": (2014, 2024),
    "DHR": (2013, 2024),
    "MHHR": (2014, 2024),
    "SUSR": (2025, 2026),
}


@dataclass(frozen=True, slots=True)
class Agency:
    en: str
    cy: str
    kind: str  # "health" | "police" | "council" | "national" | "board"


@dataclass(frozen=True, slots=True)
class Board:
    name: str  # canonical region name: the ground-truth value
    abbrev: str
    board_en: str  # the board's own name in reports
    board_cy: str
    old_en: str | None  # name used before the 2018-19 reorganisations
    health: tuple[Agency, ...]
    police: Agency
    councils: tuple[Agency, ...]


def _hb(en: str, cy: str) -> Agency:
    return Agency(en, cy, "health")


def _la(en: str, cy: str) -> Agency:
    return Agency(en, cy, "council")


_SWP = Agency("South Wales Police", "Heddlu De Cymru", "police")

BOARDS: tuple[Board, ...] = (
    Board(
        "Cardiff and Vale", "CV",
        "Cardiff and Vale Regional Safeguarding Board",
        "Bwrdd Diogelu Rhanbarthol Caerdydd a'r Fro", None,
        (_hb("Cardiff and Vale University Health Board",
             "Bwrdd Iechyd Prifysgol Caerdydd a'r Fro"),),
        _SWP,
        (_la("Cardiff Council", "Cyngor Caerdydd"),
         _la("Vale of Glamorgan Council", "Cyngor Bro Morgannwg")),
    ),
    Board(
        "Cwm Taf Morgannwg", "CTM",
        "Cwm Taf Morgannwg Safeguarding Board",
        "Bwrdd Diogelu Cwm Taf Morgannwg", "Cwm Taf Safeguarding Board",
        (_hb("Cwm Taf Morgannwg University Health Board",
             "Bwrdd Iechyd Prifysgol Cwm Taf Morgannwg"),),
        _SWP,
        (_la("Rhondda Cynon Taf County Borough Council",
             "Cyngor Bwrdeistref Sirol Rhondda Cynon Taf"),
         _la("Merthyr Tydfil County Borough Council", "Cyngor Bwrdeistref Sirol Merthyr Tudful"),
         _la("Bridgend County Borough Council",
             "Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr")),
    ),
    Board(
        "Gwent", "GW",
        "Gwent Safeguarding Board",
        "Bwrdd Diogelu Gwent", "South East Wales Safeguarding Children Board",
        (_hb("Aneurin Bevan University Health Board", "Bwrdd Iechyd Prifysgol Aneurin Bevan"),),
        Agency("Gwent Police", "Heddlu Gwent", "police"),
        (_la("Newport City Council", "Cyngor Dinas Casnewydd"),
         _la("Caerphilly County Borough Council", "Cyngor Bwrdeistref Sirol Caerffili"),
         _la("Torfaen County Borough Council", "Cyngor Bwrdeistref Sirol Torfaen"),
         _la("Monmouthshire County Council", "Cyngor Sir Fynwy"),
         _la("Blaenau Gwent County Borough Council", "Cyngor Bwrdeistref Sirol Blaenau Gwent")),
    ),
    Board(
        "Mid and West Wales", "MWW",
        "Mid and West Wales Safeguarding Board",
        "Bwrdd Diogelu Canolbarth a Gorllewin Cymru", None,
        (_hb("Hywel Dda University Health Board", "Bwrdd Iechyd Prifysgol Hywel Dda"),
         _hb("Powys Teaching Health Board", "Bwrdd Iechyd Addysgu Powys")),
        Agency("Dyfed-Powys Police", "Heddlu Dyfed-Powys", "police"),
        (_la("Carmarthenshire County Council", "Cyngor Sir Gâr"),
         _la("Ceredigion County Council", "Cyngor Sir Ceredigion"),
         _la("Pembrokeshire County Council", "Cyngor Sir Penfro"),
         _la("Powys County Council", "Cyngor Sir Powys")),
    ),
    Board(
        "North Wales", "NW",
        "North Wales Safeguarding Board",
        "Bwrdd Diogelu Gogledd Cymru", None,
        (_hb("Betsi Cadwaladr University Health Board", "Bwrdd Iechyd Prifysgol Betsi Cadwaladr"),),
        Agency("North Wales Police", "Heddlu Gogledd Cymru", "police"),
        (_la("Wrexham County Borough Council", "Cyngor Bwrdeistref Sirol Wrecsam"),
         _la("Conwy County Borough Council", "Cyngor Bwrdeistref Sirol Conwy"),
         _la("Gwynedd Council", "Cyngor Gwynedd"),
         _la("Isle of Anglesey County Council", "Cyngor Sir Ynys Môn"),
         _la("Denbighshire County Council", "Cyngor Sir Ddinbych"),
         _la("Flintshire County Council", "Cyngor Sir y Fflint")),
    ),
    Board(
        "West Glamorgan", "WG",
        "West Glamorgan Safeguarding Board",
        "Bwrdd Diogelu Gorllewin Morgannwg", "Western Bay Safeguarding Board",
        (_hb("Swansea Bay University Health Board", "Bwrdd Iechyd Prifysgol Bae Abertawe"),),
        _SWP,
        (_la("City and County of Swansea", "Dinas a Sir Abertawe"),
         _la("Neath Port Talbot Council", "Cyngor Castell-nedd Port Talbot")),
    ),
)

NATIONAL_AGENCIES: tuple[Agency, ...] = (
    Agency("Welsh Government", "Llywodraeth Cymru", "national"),
    Agency("Public Health Wales", "Iechyd Cyhoeddus Cymru", "national"),
    Agency("Welsh Ambulance Services NHS Trust",
           "Ymddiriedolaeth GIG Gwasanaethau Ambiwlans Cymru", "national"),
    Agency("HM Prison and Probation Service Wales",
           "Gwasanaeth Carchardai a Phrawf EF Cymru", "national"),
    Agency("Social Care Wales", "Gofal Cymdeithasol Cymru", "national"),
)

# Practitioner roles, so prose names who did what rather than "an agency".
CHILD_ROLES: tuple[str, ...] = (
    "health visitor", "school nurse", "GP", "social worker", "midwife", "police officer",
    "class teacher", "designated safeguarding lead", "family support worker",
    "paediatrician", "CAMHS practitioner", "youth worker", "Flying Start health visitor",
    "education welfare officer", "substance misuse worker", "housing officer",
    "emergency department nurse", "team manager",
)
ADULT_ROLES: tuple[str, ...] = (
    "district nurse", "care coordinator", "social worker", "domiciliary care worker",
    "community psychiatric nurse", "GP", "paramedic", "housing support officer",
    "occupational therapist", "IDVA", "probation officer", "substance misuse worker",
    "emergency department nurse", "ward manager", "police officer", "team manager",
)

FIRST_NAMES: tuple[str, ...] = (
    "Eleri", "Gareth", "Sian", "Rhodri", "Helen", "Owain", "Catrin", "David", "Nia",
    "Alun", "Ruth", "Geraint", "Bethan", "Mark", "Lowri", "Huw", "Karen", "Dafydd",
    "Angharad", "Paul", "Ffion", "Steven", "Mererid", "Jane",
)
SURNAMES: tuple[str, ...] = (
    "Hughes", "Pritchard", "Morgan", "Roberts", "Evans", "Davies", "Price", "Lloyd",
    "Jenkins", "Powell", "Rees", "Owen", "Griffiths", "Bevan", "Thomas", "Parry",
    "Howells", "Watkins", "Llewellyn", "Harries", "Prosser", "Meredith",
)
# Pseudonyms real DHRs agree with families instead of letters.
PSEUDONYMS_F: tuple[str, ...] = ("Rhian", "Sarah", "Carys", "Megan", "Donna", "Julie", "Tanwen")
PSEUDONYMS_M: tuple[str, ...] = ("Ieuan", "Darren", "Kevin", "Rhys", "Lee", "Gethin", "Craig")

LEVELS: tuple[str, ...] = ("local", "regional", "national")
LEVELS_CY: dict[str, str] = {
    "local": "lleol", "regional": "rhanbarthol", "national": "cenedlaethol"}

# Age bands reported as ground truth; the exact age is reported too.
def age_band(age_years: int) -> str:
    """The band storfa records for an exact age (one definition, in the domain)."""
    return domain_age_band(age_years)


def board_by_name(name: str) -> Board:
    for board in BOARDS:
        if board.name == name:
            return board
    raise KeyError(name)
