"""Recommendations register: extraction from review-shaped Markdown (numbered
lists, labelled paragraphs, tables, multi-line items, agencies in brackets or
in the sentence), each exactly once; the CLI's contract JSON; status changes
with history and audit, kept across re-extraction; on both backends."""

from __future__ import annotations

from pathlib import Path

from harness import Cli
from storfa.coding.wholedoc import read_document
from storfa.domain.reviews import Passage
from storfa.recommendations.extract import agencies_of, extract

REVIEW = """# Child Practice Review CPR2021-W07

Western Bay Safeguarding Board — Child Practice Review re: Child R

## Practice and organisational learning

Practitioners did not always share information. Schools were not told.

## Recommendations

The reviewers make the following recommendations.

1. The local authority children's services should ensure that the child's voice is
   recorded in every assessment. This is a local recommendation.
2. Strategy discussions must include the GP and the school nurse (Health Board, Police).
3. South Wales Police and Swansea Bay University Health Board should review the
   MARAC referral pathway so that repeat incidents trigger a referral.

## Statement by reviewer(s)

The review was signed off by the Board on 11/01/2022.
"""

REVIEW_TABLE = """# Adult Practice Review APR2022-W02

Gwent Safeguarding Board

## Improving Systems and Practice

Since the review, agencies have revised training.

Recommendation 1: Gwent Police should refer repeat victims to MARAC. This is a regional
recommendation.

Recommendation 2: Aneurin Bevan University Health Board must ensure that missed
appointments are followed up.

## Actions

| Recommendation | Agency | Level |
| --- | --- | --- |
| 3. Housing services should share tenancy concerns. | Newport City Council | Local |
| 4. The Board should audit escalation. | Gwent Safeguarding Board | Regional |
"""


def _passages(kind_texts: list[tuple[str, str, str]]) -> list[Passage]:
    return [Passage(i, 1, section, kind, text, i * 100, i * 100 + len(text), id=i + 1)
            for i, (section, kind, text) in enumerate(kind_texts)]


def test_extract_lists_labels_tables_and_continuations() -> None:
    found = extract(_passages([
        ("Analysis", "list_item", "Agencies should share information."),  # not a rec heading
        ("Recommendations", "heading", "Recommendations"),
        ("Recommendations", "paragraph", "The reviewers recommend the following."),
        ("Recommendations", "list_item", "The police should ensure that officers"),
        ("Recommendations", "paragraph", "record the child's voice (Gwent Police)."),
        ("Recommendations", "list_item", "Education must refer neglect early."),
        ("Learning > Actions", "table_row", "No | Recommendation | Lead agency | Level"),
        ("Learning > Actions", "table_row",
         "R7 | GPs should flag missed appointments. | Health Board; Police | National"),
    ]))
    assert [(f.number, f.text) for f in found] == [
        ("1", "The police should ensure that officers record the child's voice (Gwent Police)."),
        ("2", "Education must refer neglect early."),
        ("R7", "GPs should flag missed appointments."),
    ]
    assert found[0].agencies == ["Gwent Police"] and found[0].passage_id == 4
    assert found[1].agencies == ["education"]
    assert found[2].agencies == ["Health Board", "Police"] and found[2].level == "national"


def test_a_numbered_lead_in_is_not_a_recommendation_of_its_own() -> None:
    # A template that numbers every paragraph numbers the lead-in too; its
    # items (bullets in the PDF) are the recommendations, numbered from 1.
    found = extract(_passages([
        ("8. Improving systems", "heading", "8. Improving systems and practice"),
        ("8. Improving systems", "paragraph",
         "8.1 In order to promote the learning from this case, the review identified the "
         "following actions for the Board and its member agencies:"),
        ("8. Improving systems", "list_item",
         "The Board should share the learning from this review with the region."),
        ("8. Improving systems", "list_item",
         "The health board should review how households are recorded."),
    ]))
    assert [f.number for f in found] == ["1", "2"]
    # A numbered paragraph that asks for something is one.
    found = extract(_passages([
        ("8. Recommendations", "heading", "8. Recommendations"),
        ("8. Recommendations", "paragraph", "8.2 The Board should audit escalation."),
    ]))
    assert [(f.number, f.text) for f in found] == [("8.2", "The Board should audit escalation.")]


def test_agencies_in_brackets_and_in_the_sentence() -> None:
    assert agencies_of("Training must improve (Health Board, Police).") == ["Health Board",
                                                                         "Police"]
    assert agencies_of("Cardiff and Vale University Health Board and South Wales Police "
                       "should meet.") == ["Cardiff and Vale University Health Board",
                                           "South Wales Police"]
    assert agencies_of("The local authority and CAMHS should agree a pathway with schools."
                       ) == ["local authority", "CAMHS"]


def test_a_lead_agency_cell_keeps_the_service_as_written() -> None:
    # In running text the council named before its service is the council; a
    # table's lead-agency cell is taken as the author set it.
    text = "Northshire County Council Children's Social Care should adopt a framework."
    assert agencies_of(text) == ["Northshire County Council"]
    assert agencies_of(text, cell="Northshire County Council Children's Social Care") == [
        "Northshire County Council Children's Social Care"]
    assert agencies_of(text, cell="Northshire Police, Northshire County Council") == [
        "Northshire Police", "Northshire County Council"]


def test_an_integrated_care_board_a_constabulary_and_the_sab_are_addressees() -> None:
    assert agencies_of("Westvale Integrated Care Board should work with GP practices.") == [
        "Westvale Integrated Care Board"]
    assert agencies_of("Southmere Constabulary should review its protocol.") == [
        "Southmere Constabulary"]
    assert agencies_of("The SAB should revise its protocol.") == ["safeguarding board"]


def test_scottish_bodies_a_housing_association_and_an_aside_are_read() -> None:
    # Round eight's written reviews: an HSCP and an NHS board are Scotland's
    # bodies, "Moorside Homes" a housing association; the body in an aside
    # (", as commissioner of ...,") is not addressed.
    assert agencies_of("2. Lochmuir HSCP should ensure that:") == ["Lochmuir HSCP"]
    assert agencies_of("Police Scotland and Lochmuir HSCP should review how reports are "
                       "screened.") == ["Police Scotland", "Lochmuir HSCP"]
    assert agencies_of("NHS Lochmuir should ensure that GP practices receive a copy.") == [
        "NHS Lochmuir"]
    assert agencies_of("NHS Greater Glasgow and Clyde should audit its pathway.") == [
        "NHS Greater Glasgow and Clyde"]
    assert agencies_of("R6. Moorside Homes should ensure that no letter is sent.") == [
        "Moorside Homes"]
    assert agencies_of("R5. Northfield Mental Health NHS Foundation Trust and Eastmoor Borough "
                       "Council, as commissioner of Eastmoor Recovery Partnership, should "
                       "agree a pathway.") == ["Northfield Mental Health NHS Foundation Trust",
                                               "Eastmoor Borough Council"]


def test_cli_lists_each_recommendation_once_and_tracks_status(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cpr.md").write_text(REVIEW, encoding="utf-8")
    (folder / "apr.md").write_text(REVIEW_TABLE, encoding="utf-8")
    assert cli.run("ingest", str(folder)).exit_code == 0
    # Listing right after ingest extracts on the fly.
    data = cli.json("recommendations")
    recs = data["recommendations"]
    assert all(set(r) == {"id", "review_id", "number", "text", "agencies", "level", "page",
                          "status"} for r in recs)
    by_review: dict[str, list[dict]] = {}
    for r in recs:
        by_review.setdefault(r["review_id"], []).append(r)
    cpr, apr = by_review["CPR2021-W07"], by_review["APR2022-W02"]
    assert [r["number"] for r in cpr] == ["1", "2", "3"]
    assert cpr[0]["text"].startswith("The local authority children's services should ensure")
    assert cpr[0]["level"] == "local" and cpr[0]["agencies"] == ["children's services"]
    assert cpr[1]["agencies"] == ["Health Board", "Police"]
    assert cpr[2]["agencies"] == ["South Wales Police", "Swansea Bay University Health Board"]
    assert cpr[2]["text"].endswith("so that repeat incidents trigger a referral.")
    assert [r["number"] for r in apr] == ["1", "2", "3", "4"]
    assert apr[0]["level"] == "regional" and apr[0]["agencies"] == ["Gwent Police"]
    assert apr[2]["agencies"] == ["Newport City Council"] and apr[2]["level"] == "local"
    assert all(r["status"] == "open" for r in recs)
    assert len(cli.json("recommendations", "--review", "APR2022-W02")["recommendations"]) == 4

    listed = cli.run("recommendations", "--review", "CPR2021-W07")
    assert listed.exit_code == 0 and "3 recommendations" in listed.stdout
    extracted = cli.json("recommendations", "extract", "--review", "CPR2021-W07")
    assert extracted["reviews"] == [{"review_id": "CPR2021-W07", "found": 3}]
    assert extracted["after_store"]["failed"] == []  # regrouped after the extraction

    rec_id = cpr[0]["id"]  # the listing names each recommendation's id for `set`
    from storfa.app import Storfa
    from storfa.config import Settings

    done = cli.json("recommendations", "set", str(rec_id), "--status", "in progress",
                    "--note", "Audit started", "--owner", "Swansea Council")
    assert done["status"] == "in_progress" and done["owner"] == "Swansea Council"
    assert [(h["field"], h["old"], h["new"], h["note"]) for h in done["history"]] == [
        ("status", "open", "in_progress", "Audit started"),
        ("owner", None, "Swansea Council", "Audit started")]
    bad = cli.run("recommendations", "set", str(rec_id), "--status", "finished")
    assert bad.exit_code != 0
    # Re-extraction keeps the status of a recommendation found again.
    cli.json("recommendations", "extract")
    cpr_again = cli.json("recommendations", "--review", "CPR2021-W07")["recommendations"]
    assert [r["status"] for r in cpr_again] == ["in_progress", "open", "open"]
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    try:
        events = [e for e in app.store.audit_events(200)
                  if e.get("action") == "recommendations.set"]
        assert events and len(app.register().history(rec_id)) == 2
    finally:
        app.close()


def test_pdf_layout_wrapped_rows_disguised_headings_and_split_items() -> None:
    """What a PDF's layout does to a recommendations section: table rows wrapped
    over several rows, headings read as paragraphs, a continuation read as a
    heading because it is short, and a timeline table after the last item."""
    found = extract(_passages([
        ("Family", "paragraph", "Improving systems and practice"),
        ("Family", "paragraph", "Agencies have since revised their training."),
        ("Family", "table_row", "Recommendation | Agency | Level"),
        ("Family", "table_row",
         "1. North Wales Safeguarding Board must ensure that adult mental | "
         "North Wales Safeguarding | Regional"),
        ("Family", "table_row",
         "health assessments ask about caring responsibilities. | Board"),
        ("Family", "table_row",
         "2. Welsh Government are asked to embed a whole-family approach. | "
         "Welsh Government | National"),
        ("Family", "table_row", "3. Cardiff Council, South Wales Police and Cardiff and Vale | "
                                "Cardiff Council, South Wales | Regional"),
        ("Family", "table_row", "University Health Board should ensure that the policy is "
                                "audited. | Police and Cardiff and Vale University Health Board"),
        ("Family", "paragraph", "Recommendations The reviewers make these recommendations."),
        ("Family", "paragraph",
         "Recommendation 4: Gwent Police must review the MARAC referral pathway so that "
         "repeat incidents trigger"),
        ("a referral.", "heading", "a referral."),
        ("a referral.", "paragraph", "Statement by reviewer(s)"),
        ("a referral.", "table_row", "16/11/2014 South Wales | Public protection notification"),
        ("a referral.", "table_row", "sent to Children's Services | Police"),
    ]))
    assert [(f.number, f.text, f.agencies, f.level) for f in found] == [
        ("1", "North Wales Safeguarding Board must ensure that adult mental health "
              "assessments ask about caring responsibilities.",
         ["North Wales Safeguarding Board"], "regional"),
        ("2", "Welsh Government are asked to embed a whole-family approach.",
         ["Welsh Government"], "national"),
        ("3", "Cardiff Council, South Wales Police and Cardiff and Vale University Health Board "
              "should ensure that the policy is audited.",
         ["Cardiff Council", "South Wales Police", "Cardiff and Vale University Health Board"],
         "regional"),
        ("4", "Gwent Police must review the MARAC referral pathway so that repeat incidents "
              "trigger a referral.", ["Gwent Police"], None),
    ]


# A Welsh CPR's "Improving systems and practice" as real reviews lay it out:
# lettered sub-items under a lead-in addressed to the Board, recommendations
# addressed to the Board itself, decimal-numbered actions, and an action table
# with agency and target-date columns. The learning points must not be taken.
REAL_LAYOUT = [
    ("Learning points", "heading", "Learning points"),
    ("Learning points", "paragraph",
     "Learning point 1: Practitioners did not always consider the impact of parental "
     "substance misuse."),
    ("Learning points", "list_item", "Professionals should have shared the referral sooner."),
    ("Learning points", "list_item", "Practitioners need to be professionally curious."),
    ("Improving systems and practice", "heading", "Improving systems and practice"),
    ("Improving systems and practice", "paragraph",
     "In order to promote the learning from this case the review identified the following "
     "actions for the Board and its member agencies."),
    ("Improving systems and practice", "paragraph", "1. The Regional Safeguarding Board should:"),
    ("Improving systems and practice", "paragraph",
     "a) seek assurance that agencies record the child's lived experience;"),
    ("Improving systems and practice", "paragraph",
     "b) ensure that the escalation protocol is re-launched; and"),
    ("Improving systems and practice", "paragraph", "(c) audit the use of the Not Brought policy."),
    ("Improving systems and practice", "paragraph",
     "2. The Board must ensure that the learning from this review is shared across the region."),
    ("Improving systems and practice", "paragraph",
     "The Safeguarding Board should seek assurance that health visitors share concerns with GPs."),
    ("Improving systems and practice", "paragraph",
     "The Regional Safeguarding Board is asked to consider a briefing for schools."),
    ("Improving systems and practice", "paragraph",
     "4.1 Cwm Taf Morgannwg University Health Board to review the antenatal pathway."),
    ("Improving systems and practice", "table_row", "Area for action | Lead agency | Target date"),
    ("Improving systems and practice", "table_row",
     "Children's services should audit supervision of neglect cases. | Merthyr Tydfil County "
     "Borough Council | March 2023"),
    ("Improving systems and practice", "table_row",
     "The police must notify schools of domestic abuse incidents. | South Wales Police | "
     "6 months"),
    ("Statement by reviewer(s)", "heading", "Statement by reviewer(s)"),
    ("Statement by reviewer(s)", "paragraph", "The reviewers should have had access to records."),
]


def test_real_layout_lettered_items_board_and_action_table() -> None:
    found = extract(_passages(REAL_LAYOUT))
    assert [(f.number, f.text) for f in found] == [
        ("1a", "The Regional Safeguarding Board should seek assurance that agencies record the "
               "child's lived experience."),
        ("1b", "The Regional Safeguarding Board should ensure that the escalation protocol is "
               "re-launched."),
        ("1c", "The Regional Safeguarding Board should audit the use of the Not Brought policy."),
        ("2", "The Board must ensure that the learning from this review is shared across the "
              "region."),
        ("3", "The Safeguarding Board should seek assurance that health visitors share concerns "
              "with GPs."),
        ("4", "The Regional Safeguarding Board is asked to consider a briefing for schools."),
        ("4.1", "Cwm Taf Morgannwg University Health Board to review the antenatal pathway."),
        ("6", "Children's services should audit supervision of neglect cases."),
        ("7", "The police must notify schools of domestic abuse incidents."),
    ]
    by_number = {f.number: f for f in found}
    # Each sub-item is tracked on its own and covers the lead-in it completes.
    assert by_number["1a"].agencies == ["Regional Safeguarding Board"]
    assert by_number["1a"].passage_seqs == [6, 7]
    assert by_number["2"].agencies == ["safeguarding board"]
    # The target date is not part of the text; the agency column is the agency.
    assert by_number["6"].agencies == ["Merthyr Tydfil County Borough Council"]
    assert by_number["7"].agencies == ["South Wales Police"]


def test_lead_in_list_items_and_lead_in_without_items() -> None:
    """Markdown and DOCX lose list markers: items after a lead-in are its
    sub-items until one has its own addressee; a lead-in followed by nothing
    is a recommendation itself."""
    found = extract(_passages([
        ("Recommendations", "list_item", "Gwent Safeguarding Board should:"),
        ("Recommendations", "list_item", "review the escalation policy;"),
        ("Recommendations", "list_item", "Audit multi-agency supervision."),
        ("Recommendations", "list_item", "Gwent Police must refer repeat victims to MARAC."),
        ("Recommendations", "paragraph", "The terms of reference need to be strengthened:"),
        ("Recommendations > 1. Minimum standards", "heading", "1. Minimum standards"),
    ]))
    assert [(f.number, f.text) for f in found] == [
        ("1a", "Gwent Safeguarding Board should review the escalation policy."),
        ("1b", "Gwent Safeguarding Board should audit multi-agency supervision."),
        ("2", "Gwent Police must refer repeat victims to MARAC."),
        ("3", "The terms of reference need to be strengthened:"),
    ]


def _from_markdown(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "review.md"
    path.write_text(text, encoding="utf-8")
    return [(f.number, f.text) for f in extract(read_document(path))]


def test_lettered_items_under_a_labelled_recommendation_are_its_parts(tmp_path: Path) -> None:
    """"Recommendation 1", its text, then lettered items addressed to the
    Board, then "2." and "3.": 1, 1a, 1b, 2, 3 as the report numbers them."""
    found = _from_markdown(tmp_path, (
        "## 7. Recommendations\n\nRecommendation 1\n\n"
        "The Regional Safeguarding Board should ensure that training on neglect is delivered.\n\n"
        "a. The Board should seek assurance that agencies use the neglect toolkit.\n\n"
        "b. The Board must review the escalation protocol within six months.\n\n"
        "2. Health boards should ensure that health visitors record who lives at home.\n\n"
        "3. The Board should share the learning from this review.\n"))
    assert [n for n, _ in found] == ["1", "1a", "1b", "2", "3"]
    assert found[1] == ("1a", "The Board should seek assurance that agencies use the neglect "
                              "toolkit.")


def test_a_numbered_item_after_lettered_parts_is_the_next_recommendation(
        tmp_path: Path) -> None:
    found = _from_markdown(tmp_path, (
        "## Recommendations\n\n"
        "1. The Board should strengthen its response to neglect:\n"
        "   a) The Board should agree a single neglect screening tool.\n"
        "   b) The Board should audit cases closed at referral.\n"
        "2. Police should share Public Protection Notices with schools.\n\n"
        "Recommendation 3: The Board must seek assurance that:\n\n"
        "i. children are seen alone;\n\nii. their words are recorded.\n"))
    assert found == [
        ("1a", "The Board should agree a single neglect screening tool."),
        ("1b", "The Board should audit cases closed at referral."),
        ("2", "Police should share Public Protection Notices with schools."),
        # Roman numerals are numbered as such from "i", not as the letter i.
        ("3.i", "The Board must seek assurance that children are seen alone."),
        ("3.ii", "The Board must seek assurance that their words are recorded."),
    ]


def test_a_label_standing_alone_numbers_what_follows_it(tmp_path: Path) -> None:
    """"Recommendation 2" as a heading or a line of its own (with or without
    a title) gives its number to the text after it, its lettered parts and
    the paragraphs that go on with it; the title is not a recommendation."""
    found = _from_markdown(tmp_path, (
        "## Recommendations\n\n### Recommendation 1\n\n"
        "The Board should review the neglect strategy.\n\n"
        "### Recommendation 2: Information sharing\n\n"
        "a. The Board should seek assurance that GPs share concerns.\n\n"
        "b. Police should share notices with schools.\n\n"
        "Recommendation 4\n\nThe Board should publish a briefing.\n\n"
        "The briefing should reach every GP practice.\n\n"
        "Recommendation 5: Training\n\nHealth boards should train midwives.\n"))
    assert found == [
        ("1", "The Board should review the neglect strategy."),
        ("2a", "The Board should seek assurance that GPs share concerns."),
        ("2b", "Police should share notices with schools."),
        ("4", "The Board should publish a briefing. The briefing should reach every GP "
              "practice."),
        ("5", "Health boards should train midwives."),
    ]


def test_lettered_rows_of_a_recommendations_table_are_parts_of_the_row_above(
        tmp_path: Path) -> None:
    found = _from_markdown(tmp_path, (
        "## Recommendations\n\n| Recommendation | Agency | By when |\n|---|---|---|\n"
        "| 3. The Board must review the escalation protocol. | RSB | March 2026 |\n"
        "| a) Police should share notices with schools within a day. | Police | April |\n"
        "| b) Schools should record notices received. | Education | April |\n"
        "| 4. The Board should publish a briefing. | RSB | May 2026 |\n\n"
        "| No. | Action | Lead agency |\n|---|---|---|\n"
        "| 5 | Health boards should record households. | Health Board |\n"
        "| a | GPs should ask who lives at home. | GP |\n"))
    assert found == [
        ("3", "The Board must review the escalation protocol."),
        ("3a", "Police should share notices with schools within a day."),
        ("3b", "Schools should record notices received."),
        ("4", "The Board should publish a briefing."),
        ("5", "Health boards should record households."),
        ("5a", "GPs should ask who lives at home."),
    ]


def test_the_board_is_the_board_the_recommendations_name() -> None:
    found = extract(_passages([
        ("Recommendations", "list_item",
         "1. The North Wales Safeguarding Board should agree an escalation protocol."),
        ("Recommendations", "list_item", "2. The Board should share the learning."),
        ("Recommendations", "list_item", "3. Police should train call handlers."),
    ]))
    assert [f.agencies for f in found] == [
        ["North Wales Safeguarding Board"], ["North Wales Safeguarding Board"], ["police"]]


def test_a_board_named_by_its_kind_alone_is_the_title_pages() -> None:
    # "The Regional Safeguarding Board should:" (a Welsh CPR) and "The SAB"
    # (an English SAR): the review's own board, as "the Board" is.
    for front, text in (("Mid and West Wales Safeguarding Board",
                         "1. The Regional Safeguarding Board should audit the protocol."),
                        ("Eastmoor Safeguarding Adults Board",
                         "1. The SAB should revise its risk management protocol."),
                        ("Hartfield Local Safeguarding Children Board",
                         "1. Hartfield LSCB should seek assurance from Southmoor Police.")):
        found = extract(_passages([
            ("", "paragraph", front),
            ("Recommendations", "list_item", text),
            ("Recommendations", "list_item", "2. Police should train call handlers."),
        ]))
        # Where the review names one police force, "Police" is that force.
        police = "Southmoor Police" if "Southmoor" in text else "police"
        assert [f.agencies for f in found] == [[front], [police]], front


def test_a_body_named_by_its_kind_alone_is_the_one_of_that_kind_named() -> None:
    # An MHHR: "The health board must ..." is the health board on its title
    # page; "R7" is the record's own number; a body joined by its kind alone
    # ("and the health board") is an addressee too.
    found = extract(_passages([
        ("", "paragraph", "Hywel Dda University Health Board"),
        ("Recommendations", "paragraph", "R1 The health board must ensure that risk "
         "assessments are reviewed."),
        ("Recommendations", "paragraph", "R7 Carmarthenshire County Council and the health "
         "board should agree a protocol."),
        ("Recommendations", "paragraph", "R8 The Welsh Government should consider guidance."),
    ]))
    assert [(f.number, f.agencies) for f in found] == [
        ("R1", ["Hywel Dda University Health Board"]),
        ("R7", ["Carmarthenshire County Council", "Hywel Dda University Health Board"]),
        ("R8", ["Welsh Government"])]
    # Two health boards named: which one is meant is not guessed.
    found = extract(_passages([
        ("", "paragraph", "Hywel Dda University Health Board and Swansea Bay University "
         "Health Board"),
        ("Recommendations", "list_item", "1. The health board must audit its records."),
    ]))
    assert found[0].agencies == ["health board"]


def test_a_welsh_boards_brand_is_the_board() -> None:
    found = extract(_passages([
        ("", "paragraph", "Mid and West Wales Safeguarding Board"),
        ("Recommendations", "list_item", "CWMPAS to share this briefing with every care home."),
        ("Recommendations", "list_item", "The Board to audit the pressure care pathway."),
    ]))
    assert [f.agencies for f in found] == [["Mid and West Wales Safeguarding Board"]] * 2


def test_a_board_by_its_initials_and_the_templates_lead_in() -> None:
    # The Welsh template's lead-in "In order to promote the learning ..." (27
    # words, numbered) introduces the recommendations; "NWSB" is the title page's
    # North Wales Safeguarding Board.
    found = extract(_passages([
        ("", "paragraph", "North Wales Safeguarding Board"),
        ("6. Improving Systems and Practice", "paragraph",
         "6.1 In order to promote the learning from this case the review identified the "
         "following actions for the NWSB and its member agencies and anticipated "
         "improvement outcomes:"),
        ("6. Improving Systems and Practice", "list_item",
         "1. NWSB should review its falls guidance for care homes."),
    ]))
    assert [(f.number, f.agencies) for f in found] == [("1", ["North Wales Safeguarding Board"])]


def test_an_older_reviews_bullets_and_an_action_plans_rows() -> None:
    """The board's initials and "to" a verb, the subjunctive "That the Board
    seeks ...", and an action plan that summarises the recommendations under
    their numbers (the written CAPR2 and DARDR)."""
    found = extract(_passages([
        ("", "paragraph", "Cardiff and Vale Regional Safeguarding Board"),
        ("Improving Systems and Practice", "list_item",
         "CVRSB to publish a briefing on the learning from this review."),
        ("Improving Systems and Practice", "list_item",
         "That the Board seeks assurance that agencies share capacity assessments."),
        ("Recommendations", "paragraph",
         "3. The Home Office should consider guidance for employers."),
        ("Appendix A: Action plan", "table_row", "No | Recommendation | Lead | Target date"),
        ("Appendix A: Action plan", "table_row",
         "3 | Guidance for employers on disclosures | Home Office | December 2025"),
    ]))
    board = "Cardiff and Vale Regional Safeguarding Board"
    assert [(f.number, f.agencies) for f in found] == [
        ("1", [board]), ("2", [board]), ("3", ["Home Office"])]


def test_a_part_whose_clause_holds_a_will_completes_the_lead_in() -> None:
    found = extract(_passages([
        ("Recommendations", "list_item", "1. The Board should seek assurance that, where a new "
                                         "partner joins the household:"),
        ("Recommendations", "list_item", "(i) checks are made with the police;"),
        ("Recommendations", "list_item", "(ii) the plan sets out how practitioners will know "
                                         "whether the partner is living there."),
        ("Recommendations", "list_item", "2. The police should train call handlers."),
    ]))
    assert [f.number for f in found] == ["1.i", "1.ii", "2"]
    assert all(f.text.startswith("The Board should seek assurance") for f in found[:2])


def test_what_the_sixth_written_review_showed_of_addressees() -> None:
    """The Board named only on the title page; a council named before its
    service; "All agencies"; and a sentence that counts the recommendations
    introduces them (test_written_capr.py)."""
    found = extract(_passages([
        ("", "paragraph", "Cwm Taf Morgannwg Safeguarding Board"),
        ("", "paragraph", "Concise Adult Practice Review"),
        ("Recommendations", "paragraph", "6.1 The reviewer makes five recommendations. The "
                                         "sub-group will report progress to the Board."),
        ("Recommendations", "paragraph", "Recommendation 1: The Board should publish a "
                                         "self-neglect protocol."),
        ("Recommendations", "paragraph", "Recommendation 2: Rhondda Cynon Taf County Borough "
                                         "Council Adult Social Care should review its screening."),
        ("Recommendations", "paragraph", "Recommendation 3: All agencies should ensure that a "
                                         "fire risk is shared with the adult's GP."),
        ("Recommendations", "paragraph", "Recommendation 4: The Board should audit the "
                                         "protocol's use within a year."),
    ]))
    assert [(f.number, f.agencies) for f in found] == [
        ("1", ["Cwm Taf Morgannwg Safeguarding Board"]),
        ("2", ["Rhondda Cynon Taf County Borough Council"]),
        ("3", ["all agencies"]),
        # Every record to "the Board", not the first alone.
        ("4", ["Cwm Taf Morgannwg Safeguarding Board"])]


def test_a_body_named_without_its_place_is_the_one_the_title_page_names() -> None:
    """"The Community Safety Partnership" is the review's own, named in full on
    its title page; a partnership of another place cited in the text, or a
    short name in an agency cell ("Police"), is left as written; a group is
    named by its subject, not by an agency named later in the sentence."""
    found = extract(_passages([
        ("", "paragraph", "Cardiff Community Safety Partnership"),
        ("", "paragraph", "Domestic Homicide Review into the death of Ms G"),
        *[("Introduction", "paragraph", f"Paragraph {n} of the introduction.")
          for n in range(12)],
        ("Analysis", "paragraph",
         "The Newport Community Safety Partnership found the same gap in DHR 2020/01."),
        ("Recommendations", "list_item",
         "1. The Community Safety Partnership should seek assurance from the police."),
        ("Recommendations", "list_item",
         "2. The Cardiff MARAC steering group should ensure that housing providers attend."),
        ("Recommendations", "list_item", "3. Police should train call handlers."),
    ]))
    assert [f.agencies for f in found] == [
        ["Cardiff Community Safety Partnership"], ["Cardiff MARAC steering group"], ["police"]]
    # Two partnerships on the title page: which one is meant is not guessed.
    found = extract(_passages([
        ("", "paragraph", "Cardiff Community Safety Partnership and Newport Community Safety "
                          "Partnership"),
        ("Recommendations", "list_item",
         "1. The Community Safety Partnership should seek assurance from the police."),
    ]))
    assert found[0].agencies == ["Community Safety Partnership"]


def test_agency_labels_group_their_lettered_items_and_an_action_plan_repeats() -> None:
    found = extract(_passages([
        ("Recommendations", "list_item", "1. The Board should agree an escalation protocol."),
        ("Recommendations > Single agency", "paragraph", "South Wales Police:"),
        ("Recommendations > Single agency", "list_item", "a) Supervisors should review DASH."),
        ("Recommendations > Single agency", "list_item", "b) Officers should be trained."),
        ("Recommendations > Single agency", "paragraph", "Cardiff Women's Aid:"),
        ("Recommendations > Single agency", "list_item", "a) An IDVA should close safely."),
        ("Appendix A: Action plan", "table_row", "Recommendation | Lead Agency | Target date"),
        ("Appendix A: Action plan", "table_row",
         "1. The Board should agree an escalation protocol | The Board | March 2026"),
    ]))
    assert [(f.number, f.agencies) for f in found] == [
        ("1", ["safeguarding board"]),
        ("2a", ["South Wales Police"]), ("2b", ["South Wales Police"]),
        ("3a", ["Cardiff Women's Aid"])]


def test_what_is_not_a_recommendation_under_a_recommendations_heading() -> None:
    """Findings, performance measures with their lettered parts, questions, the
    report's own description of its levels, and recommendations of other
    reviews it quotes are not this report's recommendations."""
    found = extract(_passages([
        ("4. Key Recommendations", "list_item",
         "Recommendations that can be adopted at a local level; these are straightforward."),
        ("4. Key Recommendations > Level 1", "list_item",
         "Development and agreement of a regional threshold document."),
        ("4. Key Recommendations > Level 1", "list_item",
         "Regular audits were seen as an effective mechanism to review practice."),
        ("4. Key Recommendations > Indicators", "list_item",
         "How many referrals to Prevention Teams (quarterly/annually)"),
        ("4. Key Recommendations > Indicators", "list_item",
         "a. Number and percentage of repeat referrals"),
        ("4. Key Recommendations > Indicators", "list_item", "i. Regarding physical injuries"),
        ("4. Key Recommendations > Indicators", "list_item", "Is this measure already collected?"),
        ("Results > Key recommendations noted within CPRs", "list_item",
         "The Board should review its escalation protocol."),
        ("Summary", "paragraph",
         "AMY: The Safeguarding Board should seek assurance that advocacy is in place."),
    ]))
    assert [f.text for f in found] == [
        "Development and agreement of a regional threshold document."]


def test_corpus_reports_own_recommendations_only(corpus: Path) -> None:
    """On the real thematic reports: the CPR thematic analysis's own
    recommendations and its appendix of detailed recommendations are found,
    the recommendations it reports from the CPRs it read and its example
    template are not; the MAOSA evaluation's indicator set is not."""
    from storfa.coding.wholedoc import read_document

    cpr = read_document(corpus / "cpr-thematic-analysis-wales-2023.md")
    covered = {p.seq: p for f in extract(cpr) for p in cpr if p.seq in f.passage_seqs}
    sections = {p.section for p in covered.values()}
    assert any(s.startswith("Recommendations > 2. RECOMMENDATIONS FOR AUTHORITIES")
               for s in sections)
    assert any("DETAILED RECOMMENDATIONS" in s for s in sections)
    assert not any("noted within CPRs" in s or "EXAMPLES" in s for s in sections)
    maosa = read_document(corpus / "maosa-national-evaluation-2022.md")
    texts = [f.text for f in extract(maosa)]
    assert any(t.startswith("Development and agreement of a multi-agency") for t in texts)
    assert not any(t.startswith(("Number and percentage", "How many")) for t in texts)


def test_an_agencys_heading_over_its_own_recommendations() -> None:
    # A DHR's single agency recommendations under a heading per agency, each
    # list numbered from 1 again: the heading's items, lettered, not a
    # second "1" and "2" beside the overview's.
    section = "19. Recommendations > Single agency recommendations"
    found = extract(_passages([
        ("19. Recommendations", "list_item", "1. The Partnership should review its protocol."),
        (f"{section} > South Wales Police", "heading", "South Wales Police"),
        (f"{section} > South Wales Police", "list_item",
         "1. Officers should use a professional interpreter from the first contact."),
        (f"{section} > South Wales Police", "list_item",
         "2. Officers should review the risk when a suspect is bailed."),
        (f"{section} > RISE", "heading", "RISE"),
        (f"{section} > RISE", "list_item", "1. The service should audit its closure procedure."),
    ]))
    assert [f.number for f in found] == ["1", "2a", "2b", "3a"]
    assert [f.agencies for f in found[1:]] == [["South Wales Police"]] * 2 + [["RISE"]]


def test_a_lead_agency_line_names_the_recommendation_above_it() -> None:
    """An English SAR's "Recommendation n:" paragraphs, each followed by its
    own "Lead agency:" line; the section's lead-in asking the Board to accept
    them is no recommendation."""
    section = "7. Recommendations"
    found = extract(_passages([
        (section, "heading", "7. Recommendations"),
        (section, "paragraph", "The Board is asked to accept the following recommendations. "
                               "Each names a lead agency, which will report on progress."),
        (section, "paragraph", "Recommendation 1: Adult Social Care should audit a sample "
                               "of closed self-neglect concerns."),
        (section, "paragraph", "Lead agency: Eastmoor Borough Council Adult Social Care"),
        (section, "paragraph", "Recommendation 2: Every hostel should have a policy on "
                               "alcohol withdrawal."),
        (section, "paragraph", "Lead agency: Eastmoor Borough Council Housing Options (as "
                               "commissioner), with Brightpath Housing"),
    ]))
    assert [(f.number, f.agencies) for f in found] == [
        ("1", ["Eastmoor Borough Council Adult Social Care"]),
        ("2", ["Eastmoor Borough Council Housing Options", "Brightpath Housing"])]
    assert found[1].passage_seqs == [4, 5]


def test_a_question_asked_under_every_theme_holds_no_recommendations() -> None:
    """'What needs to change?' under each theme of the learning holds learning
    statements when it recurs; alone, as a plain-English review's section, it
    holds the recommendations."""
    def statement(theme: str) -> list[tuple[str, str, str]]:
        under = f"Learning > {theme} > What needs to change?"
        return [(under, "heading", "What needs to change?"),
                (under, "paragraph", "Practitioners need to know who lives in the home.")]

    recurring = extract(_passages([*statement("Theme 1"), *statement("Theme 2"),
                                   ("Recommendations", "heading", "Recommendations"),
                                   ("Recommendations", "list_item",
                                    "The Board should seek assurance on checks.")]))
    assert [f.text for f in recurring] == ["The Board should seek assurance on checks."]
    once = extract(_passages(statement("Theme 1")))
    assert [f.text for f in once] == ["Practitioners need to know who lives in the home."]


def test_northern_ireland_bodies_are_named_as_written() -> None:
    assert agencies_of("The Police Service of Northern Ireland should ensure that ...") == [
        "Police Service of Northern Ireland"]
    assert agencies_of("The Education Authority should issue guidance to schools.") == [
        "Education Authority"]
    assert agencies_of("The Department of Health should review the guidance.") == [
        "Department of Health"]
    assert agencies_of("The Department of Health and Social Care should review it.") == [
        "Department of Health and Social Care"]


def test_a_welsh_reviews_recommendations_and_their_addressees() -> None:
    """The Welsh template's lead-in introduces them; "Dylai X" opens each with
    its addressee ("a Chyngor" is Cyngor, mutated after "a"); "Dylai'r Bwrdd"
    is the review's board; a lead-in's "bod ..." bullets complete it."""
    section = "3. Gwella Systemau ac Ymarfer > Argymhellion"
    found = extract(_passages([
        (section, "paragraph", "Er mwyn hybu'r dysgu o'r achos hwn, mae'r adolygiad yn gwneud "
                               "yr argymhellion canlynol i'r Bwrdd a'i asiantaethau partner:"),
        (section, "list_item", "1. Dylai'r Bwrdd ofyn i bob asiantaeth ddangos sut y mae'n "
                               "defnyddio'r Proffil."),
        (section, "list_item", "2. Dylai Cyngor Gwynedd a Chyngor Sir Ynys Môn, gyda'r "
                               "awdurdodau eraill, adolygu eu trefniadau."),
        (section, "list_item", "3. Dylai Bwrdd Iechyd Prifysgol Betsi Cadwaladr sicrhau:"),
        (section, "list_item", "bod pob practis meddyg teulu yng Ngogledd Cymru yn defnyddio'r "
                               "polisi ar blant na ddaethpwyd â hwy i apwyntiad; a"),
        (section, "list_item", "bod ymwelwyr iechyd yn gofyn pwy sy'n byw yn y cartref."),
    ]))
    assert [(f.number, f.agencies) for f in found] == [
        ("1", ["safeguarding board"]),
        ("2", ["Cyngor Gwynedd", "Cyngor Sir Ynys Môn"]),
        ("3a", ["Bwrdd Iechyd Prifysgol Betsi Cadwaladr"]),
        ("3b", ["Bwrdd Iechyd Prifysgol Betsi Cadwaladr"])]


def test_the_partnership_is_the_reviews_own_and_a_steering_group_in_capitals() -> None:
    # An English LCSPR's "Recommendation 1: The Partnership should ..." is the
    # partnership on its title page (whomever it is to ask or work with); a
    # DHR's "The Northshire MARAC Steering Group should ..." is that group.
    found = extract(_passages([
        ("", "paragraph", "Eastmoor Safeguarding Children Partnership"),
        ("Recommendations", "paragraph", "Recommendation 1: The Partnership should seek "
         "assurance from Fenshire Constabulary that children found out of area are referred."),
        ("Recommendations", "paragraph", "Recommendation 2: The safeguarding partners should "
         "audit the MACE panel's decisions twice a year."),
        ("Recommendations", "list_item", "3. The Northshire MARAC Steering Group should review "
         "its operating protocol."),
    ]))
    assert [f.agencies for f in found] == [
        ["Eastmoor Safeguarding Children Partnership"],
        ["Eastmoor Safeguarding Children Partnership"], ["Northshire MARAC Steering Group"]]


def test_what_needs_to_happen_now_holds_the_recommendations() -> None:
    # A plain-English APR's one "What needs to happen now" section: its bullets,
    # unnumbered, are the recommendations, numbered in order; a team is named.
    found = extract(_passages([
        ("What needs to happen now", "list_item", "Monmouthshire County Council should ensure "
         "that a care manager speaks to the adult alone."),
        ("What needs to happen now", "list_item", "The Cardiff Drug and Alcohol Team should "
         "share its attendance records with the allocated social worker."),
    ]))
    assert [(f.number, f.agencies) for f in found] == [
        ("1", ["Monmouthshire County Council"]), ("2", ["Cardiff Drug and Alcohol Team"])]


def test_a_paragraph_before_a_recommendations_sub_heading_is_the_preamble() -> None:
    """The written FNAPR and GCPR: a numbered paragraph that asks something
    under "Improving systems and practice", before the recommendations'
    own heading, is no record; nested (Markdown) or flat (a PDF)."""
    improving, recs = "3. Improving systems and practice", "Recommendations"
    note = ("3.2 The review panel notes that several of these recommendations repeat "
            "earlier ones. The Board should consider why the learning had not changed practice.")
    for sub in (f"{improving} > {recs}", recs):
        found = extract(_passages([
            (improving, "heading", improving),
            (improving, "paragraph", note),
            (sub, "heading", recs),
            (sub, "list_item", "1. The Board should publish guidance on epilepsy and bathing."),
        ]))
        assert [(f.number, f.text[:20]) for f in found] == [("1", "The Board should pub")], sub
    # Without a sub-heading of their own, or before an action plan, the
    # section's paragraphs are its recommendations.
    found = extract(_passages([(improving, "heading", improving), (improving, "paragraph", note)]))
    assert len(found) == 1
    found = extract(_passages([(improving, "heading", improving), (improving, "paragraph", note),
                               ("Action plan", "heading", "Action plan")]))
    assert len(found) == 1


def test_a_chapter_that_labels_its_recommendations_keeps_its_prose_out(
        tmp_path: Path) -> None:
    """Under "Findings and recommendations", a chapter whose recommendations
    are labelled: the findings' prose is no record, though it says what the
    law says a council must do, or what guidance says should be done."""
    found = _from_markdown(tmp_path, (
        "## 7. Findings and recommendations\n\n### Finding 1: Concerns were not joined up\n\n"
        "Under section 42 of the Care Act 2014 the local authority must make enquiries "
        "where it suspects abuse or neglect.\n\n"
        "Since the learning event, the ICB has issued guidance that housebound patients "
        "should be seen every year.\n\n"
        "**Recommendation 1: The Board should seek assurance that concerns are joined up.**\n"))
    assert found == [("1", "The Board should seek assurance that concerns are joined up.")]
    # Where nothing is labelled, a paragraph that asks for something is one.
    unlabelled = _from_markdown(tmp_path, (
        "## 7. Findings and recommendations\n\n"
        "The Board should seek assurance that concerns are joined up.\n"))
    assert [t for _, t in unlabelled] == [
        "The Board should seek assurance that concerns are joined up."]
