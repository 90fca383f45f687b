"""Review metadata from hand-written, review-shaped documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness import Cli
from storfa.domain.reviews import DATE_FIELDS, TEXT_FIELDS, MetadataValue, Passage
from storfa.ingest.metadata import extract_metadata, find_boards, normalise_board
from storfa.ingest.metadata.identity import identity_needed


@dataclass
class Doc:
    passages: list[Passage]
    full_text: str


def build(blocks: list[tuple[int, str, str, str]]) -> Doc:
    """Passages from (page, section, kind, text), joined by blank lines as storfa does."""
    passages: list[Passage] = []
    offset = 0
    for seq, (page, section, kind, text) in enumerate(blocks):
        passages.append(Passage(seq, page, section, kind, text, offset, offset + len(text)))
        offset += len(text) + 2
    return Doc(passages, "\n\n".join(p.text for p in passages))


def extract(doc: Doc, title: str | None = None) -> dict[str, MetadataValue]:
    values = extract_metadata(doc.passages, title)
    fields = [v.field for v in values]
    assert len(fields) == len(set(fields)), "at most one value per field"
    assert set(fields) <= set(DATE_FIELDS) | set(TEXT_FIELDS)
    for value in values:
        if value.evidence is not None:
            ev = value.evidence
            assert doc.full_text[ev.start : ev.end] == ev.text, value
            assert 0.0 < value.confidence <= 1.0
    return {v.field: v for v in values}


def assert_fields(got: dict[str, MetadataValue], expected: dict[str, str | None]) -> None:
    for name, value in expected.items():
        if value is None:
            assert name not in got, (name, got.get(name))
        else:
            assert name in got, f"{name} missing; got {sorted(got)}"
            assert got[name].value == value, (name, got[name])


def evidence_holds(got: dict[str, MetadataValue], name: str, *fragments: str) -> None:
    evidence = got[name].evidence
    assert evidence is not None
    for fragment in fragments:
        assert fragment in evidence.text, (name, evidence.text)


OUTLINE = "Brief outline of circumstances"

# 1. A concise CPR in the template's structure, ordinal dates in prose.
CPR_CTM = build(
    [
        (1, "", "heading", "Cwm Taf Morgannwg Safeguarding Board"),
        (1, "", "heading", "Concise Child Practice Review Report"),
        (1, "", "paragraph", "Re: Child T   Review reference: CPR2020–W04"),
        (
            2,
            OUTLINE,
            "paragraph",
            "Legal context from Guidance in relation to which the review is being undertaken. "
            "The review was commissioned by the Cwm Taf Morgannwg Safeguarding Board on the "
            "recommendation of the Case Review Group in accordance with the Social Services and "
            "Well-being (Wales) Act 2014 guidance for multi-agency child practice reviews.",
        ),
        (
            2,
            OUTLINE,
            "paragraph",
            "On 14th March 2019, Child T, a girl aged 14 months, was taken to the Emergency "
            "Department by her mother with a fractured femur. Child T's mother, aged 19, was "
            "herself previously looked after.",
        ),
        (
            2,
            OUTLINE,
            "paragraph",
            "The Cwm Taf Morgannwg Safeguarding Board's Case Review Group considered the referral "
            "on 2 May 2019 and recommended that a concise review be undertaken. The review covers "
            "the period from 14th March 2018 to 14th March 2019.",
        ),
        (
            3,
            "Learning event",
            "paragraph",
            "A learning event took place on the 29th of October 2020 with practitioners from "
            "health, police, education and children's services.",
        ),
        (
            5,
            "Statement by reviewers",
            "paragraph",
            "The review was signed off by the Board on 11/01/2021 and published on 3 March 2021.",
        ),
    ]
)


def test_concise_cpr_in_template_structure() -> None:
    got = extract(CPR_CTM)
    assert_fields(
        got,
        {
            "type": "CPR",
            "identifier": "CPR2020-W04",
            "board": "Cwm Taf Morgannwg",
            "variant": "concise",
            "title": "Cwm Taf Morgannwg Safeguarding Board",
            "age_band": "1-5",
            "gender": "female",
            "index_incident": "2019-03-14",
            "referral": "2019-05-02",
            "learning_event": "2020-10-29",
            "period_start": "2018-03-14",
            "period_end": "2019-03-14",
            "sign_off": "2021-01-11",
            "publication": "2021-03-03",
        },
    )
    evidence_holds(got, "index_incident", "14th March 2019", "Emergency")
    evidence_holds(got, "referral", "considered the referral on 2 May 2019")
    evidence_holds(got, "learning_event", "29th of October 2020")
    evidence_holds(got, "identifier", "CPR2020–W04")
    assert got["index_incident"].evidence is not None
    assert got["index_incident"].evidence.page == 2


def test_title_given_overrides_heading() -> None:
    got = extract(CPR_CTM, title="Concise Child Practice Review Report")
    assert got["title"].value == "Concise Child Practice Review Report"
    evidence_holds(got, "title", "Concise Child Practice Review Report")


# 2. An extended CPR, numeric UK dates, a boy, North Wales, identifier in a table row.
CPR_NW = build(
    [
        (1, "", "heading", "EXTENDED CHILD PRACTICE REVIEW"),
        (1, "", "table_row", "Board | North Wales Safeguarding Board"),
        (1, "", "table_row", "Review | CPR 2021 - W 07"),
        (1, "", "table_row", "Subject | Child B"),
        (
            2,
            "1. Introduction",
            "paragraph",
            "Child B, a boy aged 6, lived with his mother and her partner, aged 27. Child B was "
            "on the Child Protection Register under the category of neglect at the time of the "
            "incident, so an Extended Child Practice Review was required.",
        ),
        (
            2,
            "1. Introduction",
            "paragraph",
            "Child B was admitted to hospital on 03/09/2020 with serious injuries. He was "
            "referred to the Child Practice Review Sub-Group on 21/10/2020.",
        ),
        (
            2,
            "2. Terms of reference",
            "paragraph",
            "The review considered agency involvement between 01/09/2019 and 03/09/2020 "
            "(the review period).",
        ),
        (
            4,
            "5. Summary timeline",
            "paragraph",
            "On 12/02/2020 Child B attended the GP with bruising; the GP recorded a fall. On "
            "14/05/2020 a referral was made to children's services by the school.",
        ),
        (
            6,
            "7. Methodology",
            "paragraph",
            "Two practitioner events were held, the first on 16.3.2021 and the second on "
            "20.4.2021.",
        ),
        (
            8,
            "Statement by reviewers",
            "paragraph",
            "Reviewer 1: J. Evans. Date: 30/09/2021\nReviewer 2: M. Hughes. Date: 30/09/2021",
        ),
        (
            9,
            "Approval",
            "paragraph",
            "The review was approved by the North Wales Safeguarding Board on 15-11-2021.",
        ),
    ]
)


def test_extended_cpr_with_numeric_dates() -> None:
    got = extract(CPR_NW)
    assert_fields(
        got,
        {
            "type": "CPR",
            "identifier": "CPR2021-W07",
            "board": "North Wales",
            "variant": "extended",
            "title": "EXTENDED CHILD PRACTICE REVIEW",
            "age_band": "6-10",
            "gender": "male",
            "index_incident": "2020-09-03",
            "referral": "2020-10-21",
            "learning_event": "2021-03-16",
            "period_start": "2019-09-01",
            "period_end": "2020-09-03",
            # The reviewers' own date, not the board's approval of 15-11-2021.
            "sign_off": "2021-09-30",
            "publication": None,
        },
    )
    evidence_holds(got, "referral", "Sub-Group on 21/10/2020")
    evidence_holds(got, "sign_off", "Date: 30/09/2021")
    evidence_holds(got, "board", "North Wales Safeguarding Board")


# 3. An APR under Western Bay (West Glamorgan's old name), month-first dates.
APR_WB = build(
    [
        (1, "", "heading", "Western Bay Safeguarding Adults Board"),
        (1, "", "heading", "Adult Practice Review: Mr C"),
        (1, "", "paragraph", "APR2018-W02"),
        (
            2,
            "Background",
            "paragraph",
            "Mr C was a 67-year-old man who lived alone and received a package of care from "
            "two agencies. His son visited at weekends.",
        ),
        (
            2,
            "Background",
            "paragraph",
            "Mr C was found at his home by carers on March 3rd, 2017 and died in hospital on "
            "March 9th, 2017. The Board received a notification from Adult Social Care on "
            "April 20, 2017, and the review sub-group agreed on May 26th, 2017 that the "
            "criteria for an Adult Practice Review were met.",
        ),
        (
            3,
            "Process",
            "paragraph",
            "The time period under review is from January 1st, 2016 to March 9th, 2017. "
            "Practitioners attended a learning and reflection event in Sept. 2017.",
        ),
        (
            7,
            "Statement by reviewer",
            "paragraph",
            "The report was endorsed by the Western Bay Safeguarding Adults Board on "
            "February 8, 2018.",
        ),
    ]
)


def test_adult_practice_review_under_western_bay() -> None:
    got = extract(APR_WB)
    assert_fields(
        got,
        {
            "type": "APR",
            "identifier": "APR2018-W02",
            "board": "West Glamorgan",
            "variant": None,
            "age_band": "adult",
            "gender": "male",
            "index_incident": "2017-03-03",
            "referral": "2017-04-20",
            "learning_event": "2017-09-01",
            "period_start": "2016-01-01",
            "period_end": "2017-03-09",
            "sign_off": "2018-02-08",
        },
    )
    assert got["learning_event"].confidence < got["referral"].confidence  # month precision
    evidence_holds(got, "learning_event", "Sept. 2017")


# 4. A Domestic Abuse Related Death Review (the renamed DHR), Gwent, ISO and month dates.
DARDR_GW = build(
    [
        (1, "", "heading", "Domestic Abuse Related Death Review"),
        (
            1,
            "",
            "paragraph",
            "Report into the death of Sara, a 34-year-old woman, commissioned by the Gwent "
            "Safeguarding Board with the Community Safety Partnership.",
        ),
        (
            2,
            "Introduction",
            "paragraph",
            "Sara died on 2021-02-02 after an assault by her former partner, aged 41. The "
            "police notified the Community Safety Partnership on 2021-02-09.",
        ),
        (
            2,
            "Scope",
            "paragraph",
            "The review panel agreed that the review would cover the period between "
            "2016-02-01 and 2021-02-02, five years, to capture the history of abuse.",
        ),
        (
            5,
            "Contributors",
            "paragraph",
            "Practitioners met with the chair at a practitioner event on 2021-11-18.",
        ),
        (
            9,
            "Conclusion",
            "paragraph",
            "The overview report was ratified by the panel on 2022-04-07 and the Home Office "
            "Quality Assurance Panel agreed it for publication. It was published in "
            "September 2022.",
        ),
    ]
)


def test_domestic_abuse_related_death_review() -> None:
    got = extract(DARDR_GW)
    assert_fields(
        got,
        {
            "type": "DHR",
            "board": "Gwent",
            "identifier": None,
            "age_band": "adult",
            "gender": "female",
            "index_incident": "2021-02-02",
            "referral": "2021-02-09",
            "learning_event": "2021-11-18",
            "period_start": "2016-02-01",
            "period_end": "2021-02-02",
            "sign_off": "2022-04-07",
            "publication": "2022-09-01",
        },
    )
    evidence_holds(got, "index_incident", "Sara died on 2021-02-02")


# 5. A SUSR with an OCR-damaged identifier, plain text without headings.
SUSR_CV = build(
    [
        (1, "", "paragraph", "SINGLE UNIFIED SAFEGUARDING REVIEW\nSUSR2025-03ICV"),
        (
            1,
            "",
            "paragraph",
            "Cardiff and Vale Regional Safeguarding Board. Young Person D was a 16-year-old "
            "boy known to youth justice services and to the Child and Adolescent Mental Health "
            "Service.",
        ),
        (
            2,
            "",
            "paragraph",
            "Young Person D was found unresponsive on 9th November 2024 and died two days later. "
            "The case was referred to the Board's review sub group on 1st Dec. 2024.",
        ),
        (
            2,
            "",
            "paragraph",
            "A learning event was held on 22nd April 2025. The review was signed-off on "
            "1th August 2025.",
        ),
    ]
)


def test_single_unified_safeguarding_review_with_ocr_damage() -> None:
    got = extract(SUSR_CV)
    assert_fields(
        got,
        {
            "type": "SUSR",
            "identifier": "SUSR2025-03/CV",
            "board": "Cardiff and Vale",
            "title": "SINGLE UNIFIED SAFEGUARDING REVIEW",
            "age_band": "16+",
            "gender": "male",
            "index_incident": "2024-11-09",
            "referral": "2024-12-01",
            "learning_event": "2025-04-22",
            "sign_off": "2025-08-01",
        },
    )
    evidence_holds(got, "identifier", "SUSR2025-03ICV")


# 6. A Welsh-language CPR with Welsh dates and a Welsh board name.
CPR_CY = build(
    [
        (1, "", "heading", "Adolygiad Ymarfer Plant Cryno"),
        (
            1,
            "",
            "paragraph",
            "Bwrdd Diogelu Canolbarth a Gorllewin Cymru (CYSUR). Cyfeirnod: CPR2020-W09.",
        ),
        (
            2,
            "Amlinelliad byr o'r amgylchiadau",
            "paragraph",
            "Ar 14eg Mawrth 2019, aethpwyd â Plentyn A, merch 15 oed, i'r ysbyty ar ôl gorddos.",
        ),
        (
            2,
            "Amlinelliad byr o'r amgylchiadau",
            "paragraph",
            "Gwnaed atgyfeiriad i is-grŵp adolygiadau achos y Bwrdd ar 2 Mai 2019. Mae'r "
            "adolygiad yn ystyried y cyfnod rhwng 1 Mawrth 2018 a 14 Mawrth 2019.",
        ),
        (
            3,
            "Digwyddiad dysgu",
            "paragraph",
            "Cynhaliwyd digwyddiad dysgu gydag ymarferwyr ar 3ydd Medi 2019.",
        ),
        (
            5,
            "Datganiad yr adolygydd",
            "paragraph",
            "Cymeradwywyd yr adroddiad gan y Bwrdd ar 21ain Ionawr 2020. Cyhoeddwyd ar "
            "1af Ebrill 2020.",
        ),
    ]
)


def test_welsh_language_review_with_welsh_dates() -> None:
    got = extract(CPR_CY)
    assert_fields(
        got,
        {
            "type": "CPR",
            "identifier": "CPR2020-W09",
            "board": "Mid and West Wales",
            "variant": "concise",
            "title": "Adolygiad Ymarfer Plant Cryno",
            "age_band": "11-15",
            "gender": "female",
            "index_incident": "2019-03-14",
            "referral": "2019-05-02",
            "learning_event": "2019-09-03",
            "period_start": "2018-03-01",
            "period_end": "2019-03-14",
            "sign_off": "2020-01-21",
            "publication": "2020-04-01",
        },
    )
    evidence_holds(got, "publication", "Cyhoeddwyd")


# 7. A thematic overview report: no subject, no review dates.
THEMATIC = build(
    [
        (1, "", "heading", "Thematic Review of Child Practice Reviews in Wales"),
        (
            1,
            "",
            "paragraph",
            "This thematic review analyses 33 Child Practice Reviews published between 2019 "
            "and 2023 across the six regional boards, including North Wales and Gwent.",
        ),
        (
            2,
            "Method",
            "paragraph",
            "Each Child Practice Review was read by two researchers; this overview report "
            "draws out cross-cutting learning. The thematic analysis was published in "
            "June 2023.",
        ),
    ]
)


def test_thematic_report() -> None:
    got = extract(THEMATIC)
    assert got["type"].value == "thematic"
    assert "identifier" not in got
    assert "age_band" not in got
    assert got["publication"].value == "2023-06-01"


# A report's own identity: its title page, front matter and running headers,
# never the reviews it cites in its body.

# 8. A national analysis on a bare cover page, quoting many reviews in its body: the
#    first identifier it cites (DHR2022-W01 of Cwm Taf Morgannwg) is not its own.
NATIONAL_ANALYSIS = build(
    [
        (1, "", "heading", "Effective Practice in Safeguarding"),
        (1, "", "paragraph", "An analysis of 48 Child Practice Reviews and Adult Practice "
                             "Reviews in Wales"),
        (1, "", "paragraph", "September 2024"),
        (2, "", "heading", "Contents"),
        (2, "", "paragraph", "1. Introduction 3"),
        (
            3,
            "1. Introduction",
            "paragraph",
            "Practitioners in DHR2022-W01 (Cwm Taf Morgannwg) kept visiting although nobody "
            "opened the door. The Cwm Taf Morgannwg Safeguarding Board's review of a concise "
            "child practice review found persistence with a 15-year-old girl.",
        ),
        (
            4,
            "2. Findings",
            "table_row",
            "CPR2019-W03 | North Wales | Neglect",
        ),
        (4, "2. Findings", "table_row", "APR2021-W02 | Gwent | Self-neglect"),
        (
            5,
            "2. Findings",
            "paragraph",
            "The index incident occurred on 14th March 2019 in CPR2019-W03, and the case was "
            "referred to the Case Review Sub-Group on 2 May 2019; the review was published "
            "in June 2020.",
        ),
    ]
)


def test_a_national_analysis_is_thematic_without_a_borrowed_identity() -> None:
    got = extract(NATIONAL_ANALYSIS)
    assert_fields(
        got,
        {
            "type": "thematic",
            "identifier": None,
            "board": None,
            "variant": None,
            "age_band": None,
            "gender": None,
            "index_incident": None,
            "referral": None,
            "publication": "2024-09-01",
        },
    )
    evidence_holds(got, "type", "analysis of 48")
    evidence_holds(got, "publication", "September 2024")


# 9. A real-style CPR title page: the identity on it, the case facts in the body.
CPR_TITLE_PAGE = build(
    [
        (1, "", "paragraph", "Child Practice Review CPR2021-W07, North Wales Safeguarding Board"),
        (1, "", "paragraph", "Concise Child Practice Review re: Child K"),
        (
            2,
            OUTLINE,
            "paragraph",
            "On 3rd February 2020 Child K, a boy aged 4, was admitted to hospital with a head "
            "injury. The case was referred to the Case Review Sub-Group on 12 March 2020.",
        ),
        (
            3,
            "Practice and organisational learning",
            "paragraph",
            "As in CPR2019-W03 (Cwm Taf Morgannwg Safeguarding Board), escalation was slow; "
            "the Gwent Safeguarding Board's thematic review of neglect found the same.",
        ),
        (
            4,
            "Statement by reviewers",
            "paragraph",
            "The review was signed off by the Board on 20/11/2020 and published on "
            "15 January 2021.",
        ),
    ]
)


def test_a_cpr_title_page_keeps_its_identity_and_dates() -> None:
    got = extract(CPR_TITLE_PAGE)
    assert_fields(
        got,
        {
            "type": "CPR",
            "identifier": "CPR2021-W07",
            "board": "North Wales",
            "variant": "concise",
            "age_band": "1-5",
            "gender": "male",
            "index_incident": "2020-02-03",
            "referral": "2020-03-12",
            "sign_off": "2020-11-20",
            "publication": "2021-01-15",
        },
    )
    evidence_holds(got, "identifier", "Child Practice Review CPR2021-W07")
    evidence_holds(got, "board", "North Wales Safeguarding Board")


def test_an_identifier_cited_in_the_body_is_not_the_reports_own() -> None:
    doc = build(
        [
            (1, "", "heading", "Child Practice Review"),
            (1, "", "paragraph", "Gwent Safeguarding Board"),
            (
                3,
                "Learning",
                "paragraph",
                "The same gap was found in CPR2019-W03 and in SUSR2024-06/CTM.",
            ),
        ]
    )
    got = extract(doc)
    assert_fields(got, {"type": "CPR", "identifier": None, "board": "Gwent"})


def test_a_running_header_names_the_review() -> None:
    doc = build(
        [
            (1, "", "paragraph", "Re: Child L"),
            (2, OUTLINE, "paragraph", "Child L, a girl aged 9, was found unresponsive on "
                                      "4 May 2022. As in APR2019-W01, no referral was made."),
        ]
    )
    values = extract_metadata(doc.passages, None, ["CPR2023-W05 — Mid and West Wales"] * 2)
    got = {v.field: v.value for v in values}
    assert (got["identifier"], got["type"], got["board"]) == ("CPR2023-W05", "CPR",
                                                             "Mid and West Wales")


def test_a_dhr_overview_report_is_a_single_review() -> None:
    doc = build(
        [
            (1, "", "heading", "Domestic Homicide Review"),
            (1, "", "heading", "Overview Report into the death of Mrs A"),
            (1, "", "paragraph", "Commissioned by the Gwent Safeguarding Board."),
        ]
    )
    assert_fields(extract(doc), {"type": "DHR", "board": "Gwent", "identifier": None})


def test_a_thematic_report_keeps_a_board_that_publishes_it() -> None:
    doc = build(
        [
            (1, "", "heading", "Thematic Review: Neglect of Adolescents"),
            (1, "", "paragraph", "Produced by the North Wales Safeguarding Board"),
            (2, "Findings", "paragraph", "Reviews in Cwm Taf Morgannwg Safeguarding Board's "
                                         "area (CPR2018-W02) found the same."),
        ]
    )
    assert_fields(extract(doc), {"type": "thematic", "board": "North Wales",
                                 "identifier": None})


@pytest.mark.parametrize(("publisher", "board"), [
    # The English and Scottish counterparts of a Welsh board, named as written.
    ("Northshire Safeguarding Children Partnership",
     "Northshire Safeguarding Children Partnership"),
    ("Kent and Medway Safeguarding Adults Board", "Kent and Medway Safeguarding Adults Board"),
    # A community safety partnership commissions a DHR but is no safeguarding board.
    ("Northshire Community Safety Partnership", None),
    # A Welsh board is the Welsh board, by its canonical name.
    ("Cwm Taf Morgannwg Safeguarding Board", "Cwm Taf Morgannwg"),
])
def test_a_safeguarding_body_outside_wales_is_the_board(publisher: str,
                                                        board: str | None) -> None:
    doc = build(
        [
            (1, "", "paragraph", publisher),
            (1, "", "heading", "Local Child Safeguarding Practice Review"),
            (1, "", "paragraph", "Child M"),
            (2, "Introduction", "paragraph", "M was stabbed on 9 February 2025."),
        ]
    )
    assert_fields(extract(doc), {"board": board})


def test_the_incident_told_again_and_again_is_the_index_incident() -> None:
    """An event of the case told once ("found by police in a flat") against the
    serious harm the review is about, told in its introduction and its outline."""
    doc = build(
        [
            (1, "", "heading", "Local Child Safeguarding Practice Review"),
            (2, "Introduction", "paragraph",
             "On 9 February 2025 Child M was stabbed twice in the back in an alley."),
            (3, "Summary of events", "paragraph",
             "On 11 June 2024 M was found by police in a flat in Eastbury with cash."),
            (3, "Summary of events", "paragraph", "On 9 February 2025 he was stabbed."),
        ]
    )
    assert_fields(extract(doc), {"index_incident": "2025-02-09"})


def test_a_report_that_names_nothing_waits_for_an_editor() -> None:
    doc = build(
        [
            (1, "", "heading", "Keeping Children Safe Together"),
            (1, "", "paragraph", "March 2023"),
            (2, "", "heading", "Contents"),
            (
                3,
                OUTLINE,
                "paragraph",
                "In DHR2022-W01 the Cwm Taf Morgannwg Safeguarding Board found that Child P, "
                "a girl aged 15, died on 4 May 2021. This Child Practice Review is cited often.",
            ),
        ]
    )
    got = extract(doc)
    assert_fields(got, {"type": None, "identifier": None, "board": None, "age_band": None,
                        "index_incident": None})
    assert identity_needed(None, None)
    assert not identity_needed("thematic", None) and not identity_needed(None, "CPR2021-W07")


def test_an_unnamed_report_asks_an_editor_who_sets_its_identity(
        cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "keeping-safe.md"
    report.write_text("# Keeping Children Safe Together\n\nMarch 2023\n\n## Contents\n\n"
                      "## Findings\n\nIn DHR2022-W01 the Cwm Taf Morgannwg Safeguarding Board "
                      "found that Child P, a girl aged 15, died on 4 May 2021.\n")
    (result,) = cli.json("ingest", str(report))["results"]
    assert result["review_id"] == "keeping-safe"
    assert any("editor should set" in w for w in result["warnings"])
    shown = cli.json("show", "keeping-safe")["review"]
    assert shown["needs_identity"] and shown["type"] is None and shown["board"] is None
    assert "storfa reviews set keeping-safe type" in " ".join(
        cli.run("show", "keeping-safe").output.split())

    cli.json("reviews", "set", "keeping-safe", "type", "CPR")
    cli.json("reviews", "set", "keeping-safe", "identifier", "cpr 2023 - w 04")
    cli.json("reviews", "set", "keeping-safe", "board", "Western Bay")
    (listed,) = cli.json("reviews")["reviews"]
    assert (listed["type"], listed["identifier"], listed["board"], listed["needs_identity"]) == (
        "CPR", "CPR2023-W04", "West Glamorgan", False)
    assert cli.json("reviews", "set", "keeping-safe", "type", "Report", expect_exit=2)["error"]


def test_empty_and_dateless_input() -> None:
    assert extract_metadata([]) == []
    doc = build([(1, "", "paragraph", "Nothing here resembles metadata at all.")])
    assert extract(doc) == {}


def test_title_argument_with_identifier() -> None:
    doc = build([(1, "", "paragraph", "Child Practice Review. Gwent Safeguarding Board.")])
    got = extract(doc, title="CPR2019-W03 Child Z")
    assert got["identifier"].value == "CPR2019-W03"
    assert got["identifier"].evidence is None
    assert got["type"].value == "CPR"
    assert got["title"].value == "CPR2019-W03 Child Z"


@given(st.lists(st.text(max_size=200), max_size=5), st.one_of(st.none(), st.text(max_size=50)))
def test_extract_metadata_never_raises(texts: list[str], title: str | None) -> None:
    doc = build([(i + 1, "", "paragraph", t) for i, t in enumerate(texts)])
    extract(doc, title)


# Boards ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cardiff and Vale", "Cardiff and Vale"),
        ("Cardiff & Vale RSB", "Cardiff and Vale"),
        ("CAVRSB", "Cardiff and Vale"),
        ("cv", "Cardiff and Vale"),
        ("Caerdydd a'r Fro", "Cardiff and Vale"),
        ("Caerdydd a’r Fro", "Cardiff and Vale"),
        ("Cwm Taf Morgannwg Safeguarding Board", "Cwm Taf Morgannwg"),
        ("Cwm Taf", "Cwm Taf Morgannwg"),
        ("cwm taf safeguarding board", "Cwm Taf Morgannwg"),
        ("CTM", "Cwm Taf Morgannwg"),
        ("Gwent", "Gwent"),
        ("Gwent Safeguarding", "Gwent"),
        ("GW", "Gwent"),
        ("SEWSCB", "Gwent"),
        ("Mid and West Wales", "Mid and West Wales"),
        ("Mid & West Wales Safeguarding Board", "Mid and West Wales"),
        ("CYSUR", "Mid and West Wales"),
        ("MWW", "Mid and West Wales"),
        ("Canolbarth a Gorllewin Cymru", "Mid and West Wales"),
        ("North Wales", "North Wales"),
        ("north wales safeguarding board", "North Wales"),
        ("NWSB", "North Wales"),
        ("Gogledd Cymru", "North Wales"),
        ("Bwrdd Diogelu Gogledd Cymru", "North Wales"),
        ("West Glamorgan", "West Glamorgan"),
        ("Western Bay", "West Glamorgan"),
        ("Western Bay Safeguarding Board", "West Glamorgan"),
        ("WG", "West Glamorgan"),
        ("Gorllewin Morgannwg", "West Glamorgan"),
        ("the Regional Safeguarding Board for West Glamorgan", "West Glamorgan"),
        ("", None),
        ("Powys", None),
        ("Wales", None),
        ("Safeguarding Board", None),
    ],
)
def test_normalise_board(text: str, expected: str | None) -> None:
    assert normalise_board(text) == expected


def test_find_boards_in_running_text() -> None:
    text = (
        "Before 2019 the Cwm Taf board and Western Bay covered the area; now the Cwm Taf "
        "Morgannwg Safeguarding Board (CTM) works with North Wales. The CV was updated."
    )
    found = find_boards(text)
    assert [name for name, _, _ in found] == [
        "Cwm Taf Morgannwg",
        "West Glamorgan",
        "Cwm Taf Morgannwg",
        "Cwm Taf Morgannwg",
        "North Wales",
    ]
    for name, start, end in found:
        assert normalise_board(text[start:end]) == name
    assert text[found[2][1] : found[2][2]] == "Cwm Taf \nMorgannwg".replace(" \n", " ")


def test_find_boards_requires_whole_words() -> None:
    assert find_boards("Gwentian records and Cwm Tafodion") == []


def test_a_title_page_line_that_goes_on_is_joined_to_the_next() -> None:
    doc = build(
        [
            (1, "", "paragraph", "Overview Report:"),
            (1, "", "paragraph", "Joint Inspection of Child Protection Arrangements"),
            (1, "", "paragraph", "2019 – 2024"),
            (1, "", "paragraph", "September 2024"),
            (2, "Introduction", "paragraph", "This report brings together what the joint "
                                             "inspections found."),
        ]
    )
    got = extract(doc)
    assert got["title"].value == ("Overview Report: Joint Inspection of Child Protection "
                                  "Arrangements")
    evidence_holds(got, "title", "Overview Report:")


def test_a_whole_title_line_is_not_joined_to_what_follows() -> None:
    doc = build(
        [
            (1, "", "heading", "Child Practice Review"),
            (1, "", "paragraph", "Concise review re: Child T"),
            (2, "Introduction", "paragraph", "The board commissioned this review."),
        ]
    )
    assert extract(doc)["title"].value == "Child Practice Review"


def test_a_publisher_banner_and_date_over_the_title_are_not_the_title() -> None:
    doc = build(
        [
            (1, "", "paragraph", "Warwickshire Safeguarding"),
            (1, "", "paragraph", "SEPTEMBER 2022"),
            (1, "", "paragraph", "Strategic Thematic Review on 'Core Safeguarding Practice'"),
            (1, "", "paragraph", "(Full Report)"),
            (2, "Introduction", "paragraph", "This review looked at how agencies work."),
        ]
    )
    got = extract(doc)
    assert got["title"].value == "Strategic Thematic Review on 'Core Safeguarding Practice'"
    evidence_holds(got, "title", "Strategic Thematic Review on")


@pytest.mark.parametrize(("body", "heading", "type_", "event", "date"), [
    ("Safeguarding Board for Northern Ireland", "Case Management Review", "CMR",
     "Child A took an overdose on 23 February 2023 and was admitted to hospital.",
     "2023-02-23"),
    ("Glenmoor Child Protection Committee", "Learning Review", "LR",
     "Child E was admitted to hospital on 14 March 2024 with a fractured skull.",
     "2024-03-14"),
])
def test_a_northern_ireland_cmr_and_a_scottish_learning_review_are_single_case(
        body: str, heading: str, type_: str, event: str, date: str) -> None:
    """A Case Management Review (the Safeguarding Board for Northern Ireland's)
    and a Learning Review (a Scottish Child Protection Committee's) are
    reviews of one case: typed, so their dates are read."""
    got = extract(build([(1, "", "paragraph", body), (1, "", "heading", heading),
                         (1, "", "paragraph", "Child A"),
                         (2, "Introduction", "paragraph", event)]))
    assert_fields(got, {"type": type_, "board": body, "index_incident": date})


def test_an_age_told_as_who_was_n_at_the_time() -> None:
    """The Northern Ireland CMR's "Child A is a girl who was 15 at the time of
    the events": her age, not the "two men aged 24" told later."""
    from storfa.ingest.metadata.subject import find_ages

    assert [m.value for m in find_ages("Child A is a girl who was 15 at the time of the "
                                       "events that led to this review.")] == ["11-15"]
    assert find_ages("She is a woman who is 40.") == []  # no "at the time"/"when"


def test_a_period_that_ends_on_the_harm_gives_the_index_incident() -> None:
    # A plain-English APR's only dated telling of the admission is the end of
    # its period: the same mention is the period's end and the index incident.
    doc = build(
        [
            (1, "", "paragraph", "Gwent Safeguarding Board — Adult Practice Review"),
            (1, "About this review", "paragraph", "The period we looked at runs from 1 April "
             "2022, the month Adult K's lodger moved into her home, to 21 February 2023, the "
             "day she was admitted to hospital."),
        ]
    )
    got = {v.field: v.value for v in extract_metadata(doc.passages, None)}
    assert (got["period_start"], got["period_end"], got["index_incident"]) == (
        "2022-04-01", "2023-02-21", "2023-02-21")



def test_a_thematic_reports_own_agreement_outside_its_front_matter() -> None:
    """The written national Panel review: its sign-off in its method; a
    cited review's agreement is not it."""
    got = extract(build([
        (1, "", "heading", "Living with it"),
        (1, "", "paragraph", "A national thematic review of 41 rapid reviews and 14 local "
                             "child safeguarding practice reviews"),
        (1, "", "paragraph", "Published March 2026"),
        (3, "2. How we carried out the review", "paragraph",
         "CPR2021-W05 agreed its final report on 3 May 2021. The Panel agreed the final "
         "report at its meeting on 11 February 2026."),
    ]))
    assert got["type"].value == "thematic"
    assert got["sign_off"].value == "2026-02-11"
