"""The disclosure check (storfa.disclosure): every finding type in English and
Welsh, the report's own pseudonym conventions left alone, published authors
and cited names left alone, and properties of the NHS-number checksum and the
postcode parser."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storfa.disclosure import check_passages, check_text
from storfa.disclosure.gazetteer import gazetteer, mutations
from storfa.disclosure.recognisers import (
    nhs_check_digit,
    nhs_number_valid,
    parse_postcode,
)
from storfa.domain.reviews import Passage

DRAFT_EN = "\n\n".join([
    "The health visitor, Ceri Morgan, saw Child K at 12 Oak Tree Road, Llanelli on "
    "3 March 2019.",
    "Jane Evans (date of birth 12/04/2015) attended Oakfield Primary School and Tremains "
    "Surgery. Her NHS number is 943 476 5919 and her National Insurance number AB 12 34 56 C.",
    "Call 07700 900123 or jane.evans@example.org. The car was AB12 CDE. Police took the "
    "family to Bryn Hafod Family Centre.",
    "Mother told the social worker that Evans had left. Child K died on 3/6/2021.",
    "The family lived in Llanrug. Their postcode was CF10 1AA."])

DRAFT_CY = """Roedd Plentyn K yn byw yng Nghaerdydd gyda Mam, yn 5 Heol y Bont, Caerdydd.

Aeth i Ysgol Gynradd Pen y Bryn ac roedd wedi cofrestru â Meddygfa Glan Taf.

Siaradodd yr ymwelydd iechyd â Ddafydd Jones. Ganwyd hi ar 3ydd o Fawrth 2015.

Symudodd y teulu i Gasnewydd ac wedyn roedden nhw'n byw ym Mangor."""


def _found(text: str, language: str = "en") -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in check_text(text, language):
        out.setdefault(f.type, set()).add(f.text)
    return out


def test_every_type_in_an_english_draft() -> None:
    found = _found(DRAFT_EN)
    assert found["practitioner_name"] == {"Ceri Morgan"}
    assert {"Jane Evans", "Evans"} <= found["person_name"]
    assert "12 Oak Tree Road, Llanelli" in found["address"] and "Llanrug" in found["address"]
    assert found["postcode"] == {"CF10 1AA"}
    assert found["date_of_birth"] == {"12/04/2015"}
    assert found["identifying_date"] == {"3/6/2021"}
    assert found["nhs_number"] == {"943 476 5919"}
    assert found["ni_number"] == {"AB 12 34 56 C"}
    assert found["phone"] == {"07700 900123"}
    assert found["email"] == {"jane.evans@example.org"}
    assert found["school"] == {"Oakfield Primary School"}
    assert found["gp_practice"] == {"Tremains Surgery"}
    assert found["service"] == {"Bryn Hafod Family Centre"}
    assert found["vehicle_registration"] == {"AB12 CDE"}


def test_welsh_draft_with_mutated_places_and_names() -> None:
    found = _found(DRAFT_CY, "cy")
    assert {"Nghaerdydd", "Mangor", "Gasnewydd"} <= found["address"]
    assert "5 Heol y Bont, Caerdydd" in found["address"]
    assert found["school"] == {"Ysgol Gynradd Pen y Bryn"}
    assert found["gp_practice"] == {"Meddygfa Glan Taf"}
    assert found["date_of_birth"] == {"3ydd o Fawrth 2015"}
    names = found.get("person_name", set()) | found.get("practitioner_name", set())
    assert "Ddafydd Jones" in names
    # Welsh replacements are suggested in Welsh.
    school = next(f for f in check_text(DRAFT_CY, "cy") if f.type == "school")
    assert school.replacement == "[ysgol]"


def test_replacements_are_consistent_and_skip_the_reports_letters() -> None:
    text = ("Adult B spoke to Jane Evans.\n\nLater Mrs Evans called.\n\n"
            "The health visitor, Ceri Morgan, visited. Ceri Morgan wrote it down.")
    by_text = {f.text: f.replacement for f in check_text(text)}
    assert by_text["Jane Evans"] == by_text["Mrs Evans"] == "Person A"
    assert by_text["Ceri Morgan"] == "Health Visitor 1"
    text = "Child A and Adult B were seen.\n\nJohn Pritchard was the lodger."
    assert {f.replacement for f in check_text(text)} == {"Person C"}


@pytest.mark.parametrize("text", [
    "Child K lived with Mother and Adult B. Practitioner 1 visited Mr X and Ms Y.",
    "Plentyn K oedd yn byw gyda Mam ac Oedolyn B.",
    "Victoria Climbié Inquiry findings were discussed (Laming 2003).",
    "As Munro (2011) and Brandon, M. argued, Sidebotham et al. (2016) found.",
    "Hywel Dda University Health Board and Betsi Cadwaladr University Health Board.",
    "Contact us at safeguarding@example.org for a copy.",
    "The index incident occurred in June 2021. The chronology starts on 1/6/2020.",
    "The school nurse and the GP surgery shared information with the Primary School.",
])
def test_conventions_and_public_names_are_left_alone(text: str) -> None:
    assert check_text(text) == []


def test_a_consistent_first_name_is_the_reports_pseudonym() -> None:
    dhr = "\n\n".join(["Sarah (a pseudonym chosen by her family) was 34."]
                      + ["Sarah told her GP she felt unsafe."] * 4)
    assert check_text(dhr) == []
    # Once met with a surname, the first name is caught everywhere it occurs.
    slipped = dhr + "\n\nSarah Jones was seen by the police."
    assert {f.text for f in check_text(slipped)} >= {"Sarah Jones", "Sarah"}


def test_authors_and_signature_blocks_are_hints_only() -> None:
    text = ("Authors: Michelle McManus, Emma Ball, Jessica McElwee & Jacob Astley\n\n"
            "Professor Louise Almond\n\n"
            "For further information contact Professor Louise Almond: l.almond@example.ac.uk")
    assert check_text(text) == []
    hints = check_text(text, min_confidence=0.0)
    assert hints and all(f.confidence < 0.5 for f in hints)


def test_findings_have_stable_ids_and_offsets_into_the_review_text() -> None:
    passages = [Passage(0, 1, "", "paragraph", "Intro.", 0, 6),
                Passage(1, 2, "Outline", "paragraph", "Jane Evans lives at CF10 1AA.", 8, 37,
                        id=41)]
    full = "Intro.\n\n" + passages[1].text
    first = check_passages(passages, "CPR2024-W01", 2)
    again = check_passages(passages, "CPR2024-W01", 2)
    assert [f.id for f in first] == [f.id for f in again]
    for f in first:
        assert full[f.start:f.end] == f.text
        assert f.id == f"CPR2024-W01@v2:{f.type}:{f.start}-{f.end}"
        assert f.page == 2 and f.passage_id == 41
    postcode = next(f for f in first if f.type == "postcode")
    assert postcode.before.endswith("lives at ") and postcode.after == "."
    json_keys = set(first[0].as_json())
    assert {"id", "type", "start", "end", "text", "confidence", "replacement", "page",
            "context"} <= json_keys


def test_editor_terms_are_caught_everywhere() -> None:
    passages = [Passage(0, 1, "", "paragraph", "The Trefnant family moved.", 0, 26)]
    found = check_passages(passages, terms=["Trefnant"])
    assert [(f.type, f.text) for f in found] == [("person_name", "Trefnant")]


def test_welsh_mutations() -> None:
    assert set(mutations("Caerdydd")) == {"Gaerdydd", "Nghaerdydd", "Chaerdydd"}
    assert set(mutations("Bangor")) == {"Fangor", "Mangor"}
    assert mutations("Llanelli") == ["Lanelli"]
    assert set(mutations("Gwen")) == {"Wen", "Ngwen"}
    assert mutations("Thomas") == []  # "Th" is a letter of its own
    gaz = gazetteer()
    assert gaz.place("Nghasnewydd", welsh=True) == "Casnewydd"
    assert gaz.place("Nghasnewydd", welsh=False) is None
    assert gaz.given_name("Ddafydd", welsh=True) == "Dafydd"


# -- properties ------------------------------------------------------------------------------

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_nhs_check_digit_completes_a_valid_number(nine: str) -> None:
    check = nhs_check_digit(nine)
    if check is None:
        assert not any(nhs_number_valid(nine + str(d)) for d in range(10))
    else:
        assert nhs_number_valid(nine + str(check))
        assert sum(nhs_number_valid(nine + str(d)) for d in range(10)) == 1


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_nhs_checksum_catches_any_single_digit_error(nine: str, at: int, delta: int) -> None:
    check = nhs_check_digit(nine)
    if check is None:
        return
    digits = list(nine + str(check))
    digits[at] = str((int(digits[at]) + delta) % 10)
    assert not nhs_number_valid("".join(digits))


@given(st.text(max_size=14))
def test_nhs_validator_never_raises(text: str) -> None:
    assert nhs_number_valid(text) in (True, False)


AREA = st.sampled_from(["CF", "SA", "LL", "NP", "LD", "SY", "CH", "B", "M", "SW", "EC", "W"])
UNIT = st.sampled_from(list("ABDEFGHJLNPQRSTUWXYZ"))


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    area = draw(AREA)
    district = str(draw(st.integers(1, 99 if len(area) == 2 else 9)))
    return f"{area}{district} {draw(st.integers(0, 9))}{draw(UNIT)}{draw(UNIT)}"


@given(postcodes(), st.sampled_from(["", " ", "  "]), st.booleans())
def test_postcode_parser_normalises_spacing_and_case(code: str, space: str, lower: bool) -> None:
    outward, inward = code.split()
    written = f"{outward}{space}{inward}"
    parsed = parse_postcode(written.lower() if lower else written)
    assert parsed == code
    assert parse_postcode(parsed) == parsed  # idempotent


@given(postcodes())
def test_postcodes_in_running_text_are_found(code: str) -> None:
    found = check_text(f"The family moved to a flat, {code}, last spring.")
    assert [(f.type, f.text) for f in found] == [("postcode", code)]


@given(st.text(max_size=12))
def test_postcode_parser_never_raises_and_returns_its_normal_form(text: str) -> None:
    parsed = parse_postcode(text)
    assert parsed is None or re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", parsed)


@pytest.mark.parametrize("bad", ["CF10 1CA", "QF10 1AA", "C1 1AA", "CF101AAA", "12345", ""])
def test_postcode_parser_rejects_invalid(bad: str) -> None:
    assert parse_postcode(bad) is None
