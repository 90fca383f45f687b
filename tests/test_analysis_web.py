"""The analyst's pages through the real app: coding from the grid (a coder
may, a reader may not), suggestions with their evidence links, statistics,
the map, the quality checklist and downloads, and a hidden review never
showing in any of them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from storfa.analysis.casevars import CaseVariableService
from webworld import SYSTEM, World, build_world, csrf_of

HIDDEN = "CPR2019-W07"  # restricted to the home organisation
EXTRA = "Neglect of the child was noted by the police and the school.\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("analysis-web")
    site = build_world(base / "data", base / "reviews",
                       extra={level: EXTRA for level in ("public", "registered", "restricted",
                                                         "draft")})
    yield site
    site.close()


def _service(world: World) -> CaseVariableService:
    return world.storfa.casevars


def test_coder_marks_a_value_and_reader_cannot(world: World) -> None:
    key = world.keys["public"]
    coder = world.client("coder")
    page = coder.get("/analysis/variables", params={"group": "child vulnerabilities"})
    assert page.status_code == 200 and 'name="variable" value="child_neglect"' in page.text
    response = coder.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "present", "csrf_token": csrf_of(page.text),
        "next": "/analysis/variables?group=child+vulnerabilities"})
    assert response.status_code == 303
    assert response.headers["location"] == "/analysis/variables?group=child+vulnerabilities"
    case = _service(world).cases(
        [(world.rows["public"], world.storfa.store.get_review(key).summary)])[0]  # type: ignore[union-attr]
    decision = case.states["child_neglect"].decision
    assert decision is not None and decision.value == "present" and decision.coder == "user:coder"
    assert world.audit("casevars.set")[0]["actor"] == "user:coder"
    # An open redirect is refused: back to the grid instead.
    elsewhere = coder.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "not_known", "csrf_token": csrf_of(page.text),
        "next": "https://example.org/"})
    assert elsewhere.headers["location"] == "/analysis/variables"
    bad = coder.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "perhaps", "csrf_token": csrf_of(page.text)})
    assert bad.status_code == 400

    reader = world.client("reader")
    page = reader.get("/analysis/variables")
    assert page.status_code == 200 and 'name="variable"' not in page.text
    denied = reader.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "present", "csrf_token": world.page_csrf("reader")})
    assert denied.status_code == 403
    assert any(e["actor"] == "user:reader" and e["detail"]["allowed"] is False
               for e in world.audit("casevars.set"))
    anonymous = world.client("anonymous")
    assert anonymous.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "present",
        "csrf_token": world.page_csrf("anonymous")}).status_code == 403
    assert coder.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "present", "csrf_token": "forged"}
    ).status_code == 403


def test_suggestions_show_their_evidence(world: World) -> None:
    coder = world.client("coder")
    page = coder.get("/analysis/variables", params={"group": "agencies involved"})
    response = coder.post("/analysis/suggest", data={
        "csrf_token": csrf_of(page.text), "next": "/analysis/variables?group=agencies+involved"})
    assert response.status_code == 303
    grid = coder.get("/analysis/variables", params={"group": "agencies involved"}).text
    key = world.keys["public"]
    assert f"/reviews/{key}?passage=" in grid and "suggested" in grid
    single = coder.get("/analysis/variables", params={"review": key}).text
    assert "noted by the police" in single  # the evidence sentence in full
    assert world.client("reader").post("/analysis/suggest", data={
        "csrf_token": world.page_csrf("reader")}).status_code == 403


def _code_everything(world: World) -> None:
    """Three variables, each present in three of the four reviews."""
    service = _service(world)
    pattern = {"public": (1, 1, 0), "registered": (1, 0, 1), "restricted": (0, 1, 1),
               "draft": (1, 1, 1)}
    for level, cells in pattern.items():
        for name, cell in zip(("child_bullying", "child_self_harm", "agency_housing"), cells,
                              strict=True):
            service.set_value(world.keys[level], name, "present" if cell else "not_known",
                              SYSTEM.name)


def test_statistics_map_quality_and_downloads(world: World) -> None:
    _code_everything(world)
    editor = world.client("editor")  # sees all four reviews
    page = editor.get("/analysis")
    assert page.status_code == 200
    assert "4 reviews selected; 4 of them have coded case variables" in page.text
    assert "Bonferroni" in page.text and "<svg" in page.text and "stress" in page.text
    assert "Bullying" in page.text and "Timeliness by board" in page.text
    svg = editor.get("/analysis/map.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Self-harm" in svg.text and "style=" not in svg.text
    welsh = editor.get("/analysis", params={"lang": "cy"}).text
    assert "Dadansoddi achosion" in welsh and "Bwlio" in welsh
    by_type = editor.get("/analysis", params={"by": "board", "type": "CPR"})
    assert by_type.status_code == 200 and "Gwent" in by_type.text

    quality = editor.get("/analysis/quality")
    assert quality.status_code == 200 and "Key dates" in quality.text
    one = editor.get("/analysis/quality", params={"review": world.keys["public"]})
    assert one.status_code == 200 and "?passage=" in one.text

    pyreadstat = pytest.importorskip("pyreadstat")
    sav = editor.get("/analysis/export/variables.sav")
    assert sav.status_code == 200
    path = Path(world.storfa.settings.data_dir) / "download.sav"
    path.write_bytes(sav.content)
    frame, meta = pyreadstat.read_sav(str(path))
    assert sorted(frame["review_id"]) == sorted(world.keys.values())
    assert meta.variable_value_labels["child_bullying"] == {0.0: "not known", 1.0: "present"}
    for name in ("variables", "associations", "timeliness", "quality"):
        assert editor.get(f"/analysis/export/{name}.csv").status_code == 200
        xlsx = editor.get(f"/analysis/export/{name}.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert editor.get("/analysis/export/timeliness.sav").status_code == 404
    assert editor.get("/analysis/export/secrets.csv").status_code == 404


def test_a_hidden_review_never_appears(world: World) -> None:
    _code_everything(world)
    other = world.client("other_reader")  # sees only the public and registered reviews
    grid = other.get("/analysis/variables", params={"group": "child vulnerabilities"}).text
    assert HIDDEN not in grid and "North Wales" not in grid
    stats = other.get("/analysis").text
    assert HIDDEN not in stats and "North Wales" not in stats
    assert "2 reviews selected; 2 of them have coded case variables" in stats
    exported = other.get("/analysis/export/variables.csv").text
    ids = [row["review_id"] for row in csv.DictReader(io.StringIO(exported))]
    assert sorted(ids) == sorted([world.keys["public"], world.keys["registered"]])
    for name in ("timeliness", "quality"):
        assert HIDDEN not in other.get(f"/analysis/export/{name}.csv").text
    assert HIDDEN not in other.get("/analysis/quality").text
    assert other.get("/analysis/quality", params={"review": HIDDEN}).status_code == 404
    assert other.get("/analysis/variables", params={"review": HIDDEN}).status_code == 404
    # Forcing a filter onto the hidden review's board selects nothing.
    assert "0 reviews selected" in other.get("/analysis", params={"board": "North Wales"}).text
    editor = world.client("other_editor")
    response = editor.post(f"/analysis/variables/{HIDDEN}", data={
        "variable": "child_neglect", "value": "present",
        "csrf_token": world.page_csrf("other_editor")})
    assert response.status_code == 404
    anonymous = world.client("anonymous").get("/analysis").text
    assert "1 reviews selected" in anonymous
