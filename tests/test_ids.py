"""Welsh review identifiers, as written and as damaged in real text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storfa.domain.ids import (
    ReviewIdentifier,
    find_board_numbered,
    find_review_ids,
    parse_review_id,
    review_heading,
)

SPELLINGS: list[tuple[str, str | None, int | None, int | None, str | None]] = [
    # text, type, year, seq, board
    ("CPR2024-W11", "CPR", 2024, 11, None),
    ("APR2015-W02", "APR", 2015, 2, None),
    ("SUSR2024-06/CTM", "SUSR", 2024, 6, "CTM"),
    ("APR2015–W02", "APR", 2015, 2, None),  # en dash
    ("APR2015—W02", "APR", 2015, 2, None),  # em dash
    ("CPR 2019 - W 03", "CPR", 2019, 3, None),
    ("CPR2019/W03", "CPR", 2019, 3, None),
    ("CPR2019 W03", "CPR", 2019, 3, None),
    ("CPR2019W03", "CPR", 2019, 3, None),
    ("cpr2019-w03", "CPR", 2019, 3, None),
    ("Cpr2019-W3", "CPR", 2019, 3, None),
    ("SUSR2022-02ICTM", "SUSR", 2022, 2, "CTM"),  # "/" read as I
    ("SUSR2022-02lCTM", "SUSR", 2022, 2, "CTM"),  # "/" read as l
    ("SUSR2022-021CTM", "SUSR", 2022, 2, "CTM"),  # "/" read as 1
    ("SUSR2022-02|CTM", "SUSR", 2022, 2, "CTM"),
    ("SUSR2022-02 / CTM", "SUSR", 2022, 2, "CTM"),
    ("SUSR2022-02 CTM", "SUSR", 2022, 2, "CTM"),
    ("susr2024-06/ctm", "SUSR", 2024, 6, "CTM"),
    ("SUSR2024-11/MWW", "SUSR", 2024, 11, "MWW"),
    ("SUSR2025-01/NW", "SUSR", 2025, 1, "NW"),
    ("SUSR2025-03/CV", "SUSR", 2025, 3, "CV"),
    ("SUSR2025-04/GW", "SUSR", 2025, 4, "GW"),
    ("SUSR2025-05/WG", "SUSR", 2025, 5, "WG"),
    ("SUSR2025-05/CAVRSB", "SUSR", 2025, 5, "CV"),
    ("CPR2O19-WO3", "CPR", 2019, 3, None),  # O for 0
    ("CPR2019-WO3", "CPR", 2019, 3, None),
    ("CPR19-W03", "CPR", 2019, 3, None),
    ("CPR 19/W03", "CPR", 2019, 3, None),
    ("Review ref: CPR2024-W11.", "CPR", 2024, 11, None),
    ("(see CPR2024-W11)", "CPR", 2024, 11, None),
    ("DHR2018-W01", "DHR", 2018, 1, None),
    ("DARDR2025-W02", "DHR", 2025, 2, None),
    ("MHHR2017-W01", "MHHR", 2017, 1, None),
    ("CSPR2021-05", "CSPR", 2021, 5, None),
    ("SAR2020-W12", "SAR", 2020, 12, None),
    ("SCR2012-W07", "SCR", 2012, 7, None),
    ("CPR2019\u2011W03", "CPR", 2019, 3, None),  # non-breaking hyphen
    ("CPR2019_W03", "CPR", 2019, 3, None),
    # Partial: a type and perhaps a year, but no sequence.
    ("CPR", "CPR", None, None, None),
    ("APR 2015", "APR", 2015, None, None),
    # Not identifiers.
    ("", None, None, None, None),
    ("hello world", None, None, None, None),
    ("PR2019-W03", None, None, None, None),
    ("ACPR2019-W03", None, None, None, None),
]


@pytest.mark.parametrize(("text", "type_", "year", "seq", "board"), SPELLINGS)
def test_spellings(
    text: str, type_: str | None, year: int | None, seq: int | None, board: str | None
) -> None:
    parsed = parse_review_id(text)
    assert parsed.raw == text
    assert (parsed.type, parsed.year, parsed.seq, parsed.board) == (type_, year, seq, board)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("CPR 2019 - W 03", "CPR2019-W03"),
        ("SUSR2022-02ICTM", "SUSR2022-02/CTM"),
        ("cpr2024-w11", "CPR2024-W11"),
        ("CPR2024-W111", "CPR2024-W111"),
        ("APR 2015", "APR2015"),
        ("SAR 2025/03", "SAR2025-03"),
        ("CSPR2021-05", "CSPR2021-05"),
        ("OWHR 2025/01", "OWHR2025-01"),  # numbered by its review partners
        ("CPR", None),
        ("nothing", None),
    ],
)
def test_canonical(text: str, canonical: str | None) -> None:
    assert parse_review_id(text).canonical() == canonical


def test_as_json_has_exactly_the_contract_keys() -> None:
    assert parse_review_id("SUSR2024-06/CTM").as_json() == {
        "raw": "SUSR2024-06/CTM",
        "type": "SUSR",
        "year": 2024,
        "seq": 6,
        "board": "CTM",
    }
    assert parse_review_id("no id").as_json() == {
        "raw": "no id",
        "type": None,
        "year": None,
        "seq": None,
        "board": None,
    }


def test_find_review_ids_with_offsets() -> None:
    text = "Compare CPR2019–W03 with APR2015-W02; the SUSR2024-06ICTM panel, and CPR 12: 20."
    found = find_review_ids(text)
    assert [i.canonical() for i, _, _ in found] == [
        "CPR2019-W03",
        "APR2015-W02",
        "SUSR2024-06/CTM",
    ]
    for identifier, start, end in found:
        assert text[start:end] == identifier.raw


def test_find_review_ids_ignores_numbered_mentions() -> None:
    # The thematic analyses number the reviews they read: "CPR 12", "CPR25".
    assert find_review_ids("In CPR 12: the child... and CPR25 and (CPR 33)") == []
    assert find_review_ids("The CT scan of CPR2024-W11 CT") != []
    assert find_review_ids("CPR2024-W11 ct scan")[0][0].board is None


@given(st.text())
def test_parse_never_raises(text: str) -> None:
    parsed = parse_review_id(text)
    assert parsed.raw == text
    find_review_ids(text)


TYPES = st.sampled_from(["CPR", "APR", "DHR", "MHHR", "SUSR", "CSPR", "SAR", "SCR", "OWHR"])
BOARDS = st.one_of(st.none(), st.sampled_from(["CTM", "CV", "GW", "MWW", "NW", "WG"]))


@given(TYPES, st.integers(2000, 2099), st.integers(0, 999), BOARDS)
def test_canonical_round_trips(type_: str, year: int, seq: int, board: str | None) -> None:
    identifier = ReviewIdentifier("x", type_, year, seq, board)
    canonical = identifier.canonical()
    assert canonical is not None
    parsed = parse_review_id(canonical)
    assert (parsed.type, parsed.year, parsed.seq, parsed.board) == (type_, year, seq, board)
    assert parsed.canonical() == canonical


@given(TYPES, st.integers(2008, 2030), st.integers(1, 99), st.sampled_from(["-", "–", " - ", "/"]))
def test_damaged_separators_round_trip(type_: str, year: int, seq: int, dash: str) -> None:
    text = f"Ref {type_.lower()}{year}{dash}W{seq:02d}."
    parsed = parse_review_id(text)
    # England's reviews are not in the all-Wales series: no W in their canonical form.
    w = "" if type_ in ("CSPR", "SAR", "SCR", "OWHR") else "W"
    assert parsed.canonical() == f"{type_}{year}-{w}{seq:02d}"


def test_a_boards_own_numbering() -> None:
    """Cwm Taf Morgannwg lists its reviews as "CPR CTMSB 06/2021"; Mid and West
    Wales as "CYSUR 4 2019". Without a type in the text the caller names it."""
    found = find_review_ids("See CPR CTMSB 06/2021 and CPR2024-W11.")
    assert [i.canonical() for i, _, _ in found] == ["CPR2021-06/CTM", "CPR2024-W11"]
    assert parse_review_id("CPR CTMSB 8/2020").canonical() == "CPR2020-08/CTM"
    assert find_review_ids("Re: CTMSB 3/2025") == []  # no type: not a full identifier
    untyped = find_board_numbered("Re: CTMSB 3/2025", "CPR")
    assert [(i.canonical(), i.raw) for i, _, _ in untyped] == [("CPR2025-03/CTM", "CTMSB 3/2025")]
    assert find_board_numbered("CYSUR 4 2019", "CPR")[0][0].canonical() == "CPR2019-04/MWW"
    assert find_board_numbered("the cysur 4 2019 leaflet", "CPR") == []  # a Welsh word
    # After a type, a board's abbreviation in its own mixed case ("GwSB").
    assert parse_review_id("APR GwSB 2/2025").canonical() == "APR2025-02/GW"
    # Year first, with a slash (Cardiff and Vale's "CVRSB APR 2025/01"); a
    # year range is no identifier.
    assert find_board_numbered("CVRSB APR 2025/01")[0][0].canonical() == "APR2025-01/CV"
    assert find_board_numbered("the CPR 2019/20 annual report") == []
    # A type numbered so with no board: a partnership's "DHR 02/2024", not 2002.
    assert parse_review_id("Cardiff DHR 02/2024").canonical() == "DHR2024-W02"
    # The board before the type, as North Wales puts it on a cover.
    assert parse_review_id("NWSB APR 02/2024").canonical() == "APR2024-02/NW"
    assert parse_review_id("DHR 2 2024").canonical() == "DHR2024-W02"
    # Board, year, type, number, slashed (West Glamorgan's "WGSB/2023/CPR/02").
    assert parse_review_id("CPR Reference: WGSB/2023/CPR/02").canonical() == "CPR2023-02/WG"
    assert parse_review_id("Ref: WGSB/APR/2025/02").canonical() == "APR2025-02/WG"


def test_a_partnerships_own_numbering_outside_wales() -> None:
    """An English partnership's prefix ("SNP/DHR/2023/04") is no all-Wales number:
    no W, and it reads back as written; a written W or a Welsh board's prefix
    keeps the Welsh forms."""
    parsed = parse_review_id("DHR Ref: SNP/DHR/2023/04")
    assert (parsed.type, parsed.year, parsed.seq, parsed.board) == ("DHR", 2023, 4, None)
    assert parsed.canonical() == "DHR2023-04"
    assert parse_review_id("DHR2023-04").canonical() == "DHR2023-04"
    assert parse_review_id("Ref: ABC/DHR/2020-W03").canonical() == "DHR2020-W03"
    assert parse_review_id("NWSB/DHR/2023/04").canonical() == "DHR2023-04/NW"
    assert parse_review_id("and/or DHR 2019/03").canonical() == "DHR2019-W03"
    # A Welsh board's abbreviation before the type, as a cover puts it.
    assert parse_review_id("CVRSB CPR 2024/02").canonical() == "CPR2024-02/CV"
    assert parse_review_id("the CPR 2024/02").canonical() == "CPR2024-W02"


@given(TYPES, st.sampled_from(["CTMSB", "CYSUR", "NWSB", "WGSB"]), st.integers(1, 99),
       st.integers(2008, 2030), st.sampled_from(["/", " ", "-", " / "]))
def test_board_numbering_round_trips(type_: str, board: str, seq: int, year: int,
                                     sep: str) -> None:
    parsed = parse_review_id(f"Ref: {type_} {board} {seq}{sep}{year}.")
    assert (parsed.type, parsed.year, parsed.seq) == (type_, year, seq)
    assert parsed.canonical() is not None
    assert parse_review_id(parsed.canonical() or "").canonical() == parsed.canonical()


@pytest.mark.parametrize(("review_id", "title", "heading"), [
    # The title already names the review, spelt its own way: said once.
    ("CPR2016-W01", "Child Practice Review Report CPR 2016-W01",
     "Child Practice Review Report CPR 2016-W01"),
    ("SUSR2024-06/CTM", "SUSR 2024-06 CTM: Adult J", "SUSR 2024-06 CTM: Adult J"),
    # Another review's identifier, or none, in the title: the id leads.
    ("CPR2016-W01", "Learning from CPR 2015-W03", "CPR2016-W01 — Learning from CPR 2015-W03"),
    ("CPR2016-W01", "Child Practice Review re: Child Q",
     "CPR2016-W01 — Child Practice Review re: Child Q"),
    ("CPR2016-W01", None, "CPR2016-W01"),
    ("CPR2016-W01", "", "CPR2016-W01"),
])
def test_review_heading_names_the_identifier_once(review_id: str, title: str | None,
                                                  heading: str) -> None:
    assert review_heading(review_id, title) == heading
