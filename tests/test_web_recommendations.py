"""The recommendations register pages through the real app: a restricted
review's recommendations are never listed, counted, exported or opened by
another organisation (nor their evidence files); a reader cannot change them;
forms need the CSRF token; exports escape formulas; evidence files are
checked by type and size; an editor's changes are audited with who they are."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from storfa.recommendations.evidence import MAX_BYTES
from webworld import World, build_world, csrf_of

EXTRA = ("\n## Recommendations\n\n1. The police should record the child's voice in every "
         "assessment.\n2. The health board must follow up missed appointments with the GP.\n")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("recommendations-web")
    site = build_world(base / "data", base / "reviews",
                       extra={level: EXTRA for level in ("public", "registered", "restricted",
                                                         "draft")})
    yield site
    site.close()


def _ids(world: World, level: str) -> list[int]:
    items = world.storfa.register().listing(world.keys[level])
    return [r.id for _, r in items]


def _counts(html: str) -> dict[str, int]:
    import re

    return {m.group(1): int(m.group(2)) for m in re.finditer(
        r'data-status="(\w+)">.*?class="rec-count-n">(\d+)<', html)}


def test_other_organisation_never_sees_a_restricted_review(world: World) -> None:
    hidden = world.keys["restricted"]
    secret = _ids(world, "restricted")[0]
    home, other = world.client("reader"), world.client("other_reader")
    mine = home.get("/recommendations")
    theirs = other.get("/recommendations")
    assert mine.status_code == theirs.status_code == 200
    assert hidden in mine.text and hidden not in theirs.text
    assert f'data-id="{secret}"' in mine.text and f'data-id="{secret}"' not in theirs.text
    # 2 each: home sees public, registered, restricted (not draft: readers); other two fewer.
    assert sum(_counts(mine.text)[s] for s in ("open", "in_progress", "implemented",
                                                "not_accepted")) == 6
    assert sum(_counts(theirs.text)[s] for s in ("open", "in_progress", "implemented",
                                                  "not_accepted")) == 4
    assert other.get(f"/recommendations/{secret}").status_code == 404
    assert world.client("anonymous").get(f"/recommendations/{secret}").status_code == 404
    assert other.get("/recommendations/999999").status_code == 404
    exported = other.get("/recommendations/export.csv")
    assert exported.status_code == 200 and hidden not in exported.text
    assert hidden in home.get("/recommendations/export.csv").text
    denied = [e for e in world.audit("review.view") if e["detail"].get("allowed") is False
              and e["object_id"] == hidden and e["actor"] == "user:other_reader"]
    assert denied


def test_reader_cannot_change_and_editor_can(world: World) -> None:
    rec = _ids(world, "public")[0]
    reader = world.client("reader")
    page = reader.get(f"/recommendations/{rec}")
    assert page.status_code == 200 and 'id="rec-track"' not in page.text
    refused = reader.post(f"/recommendations/{rec}/track", data={
        "status": "implemented", "csrf_token": world.page_csrf("reader")})
    assert refused.status_code == 403
    assert any(e["detail"].get("allowed") is False for e in world.audit("recommendations.set"))
    coder = world.client("coder")
    assert coder.post(f"/recommendations/{rec}/edit", data={
        "text": "x", "csrf_token": world.page_csrf("coder")}).status_code == 403

    editor = world.client("editor")
    page = editor.get(f"/recommendations/{rec}")
    assert 'id="rec-track"' in page.text
    forged = editor.post(f"/recommendations/{rec}/track", data={"status": "implemented",
                                                                "csrf_token": "forged"})
    assert forged.status_code == 403
    done = editor.post(f"/recommendations/{rec}/track", data={
        "status": "in_progress", "owner": "Cwm Taf Morgannwg", "due": "2001-02-03",
        "note": "Started", "csrf_token": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/recommendations/{rec}"
    assert any(e["actor"] == "user:editor" and e["detail"]["role"] == "editor"
               and e["detail"]["status"] == "in_progress"
               for e in world.audit("recommendations.set"))
    after = editor.get(f"/recommendations/{rec}").text
    assert 'data-field="status"' in after and "Started" in after
    register = editor.get("/recommendations?overdue=1").text
    assert f'data-id="{rec}"' in register and "rec-is-overdue" in register


def test_evidence_files_checked_and_guarded(world: World) -> None:
    rec = _ids(world, "restricted")[1]
    editor = world.client("editor")
    csrf = world.page_csrf("editor")

    def upload(name: str, data: bytes) -> int:
        return editor.post(f"/recommendations/{rec}/track", data={
            "status": "open", "note": "evidence", "csrf_token": csrf},
            files={"evidence": (name, data, "application/octet-stream")}).status_code

    assert upload("script.png", b"<script>alert(1)</script>\x00") == 400
    assert upload("huge.txt", b"a" * (MAX_BYTES + 1)) == 400
    assert upload("shot.png", PNG) == 303
    files = world.storfa.register().attachments(rec)
    assert [f.filename for f in files] == ["shot.png"]
    link = f"/recommendations/{rec}/evidence/{files[0].id}"
    got = world.client("reader").get(link)
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert world.client("other_reader").get(link).status_code == 404
    assert world.client("other_editor").get(link).status_code == 404
    other_rec = _ids(world, "public")[1]
    assert editor.get(f"/recommendations/{other_rec}/evidence/{files[0].id}").status_code == 404


def test_corrections_and_csv_escaping(world: World) -> None:
    first, second = _ids(world, "registered")
    editor = world.client("editor")
    csrf = world.page_csrf("editor")
    assert editor.post(f"/recommendations/{first}/edit", data={
        "text": "=HYPERLINK(\"http://evil\")", "number": "1", "agencies": "Police; GP",
        "level": "local", "csrf_token": csrf}).status_code == 303
    rows = list(csv.DictReader(io.StringIO(editor.get(
        "/recommendations/export.csv", params={"board": "West Glamorgan"}).text)))
    texts = [r["text"] for r in rows]
    assert "'=HYPERLINK(\"http://evil\")" in texts
    assert editor.get("/recommendations/export.xlsx").status_code == 200
    assert editor.get("/recommendations/export.exe").status_code == 404
    assert editor.post(f"/recommendations/{second}/split", data={
        "at": "10", "csrf_token": csrf}).status_code == 303
    parts = _ids(world, "registered")
    assert len(parts) == 3
    assert editor.post(f"/recommendations/{second}/merge", data={
        "other": str(parts[-1]), "csrf_token": csrf}).status_code == 303
    assert len(_ids(world, "registered")) == 2
    assert editor.post(f"/recommendations/{second}/split", data={
        "at": "abc", "csrf_token": csrf}).status_code == 400
    # Merging with a recommendation of another review is refused.
    assert editor.post(f"/recommendations/{second}/merge", data={
        "other": str(_ids(world, "public")[0]), "csrf_token": csrf}).status_code == 400


def test_filters_narrow_the_register(world: World) -> None:
    reader = world.client("reader")
    by_board = reader.get("/recommendations", params={"board": "Cwm Taf Morgannwg"}).text
    assert world.keys["public"] in by_board and world.keys["registered"] not in by_board
    by_theme = reader.get("/recommendations", params={"theme": "The child's voice"}).text
    assert "child&#39;s voice in every" in by_theme and "missed appointments" not in by_theme
    by_year = reader.get("/recommendations", params={"year": "2018"}).text
    assert world.keys["registered"] in by_year and world.keys["public"] not in by_year
    assert reader.get("/recommendations", params={"status": "finished"}).status_code == 400


def test_follow_through_page_keeps_to_what_the_visitor_may_see(world: World) -> None:
    hidden = world.keys["restricted"]
    secret = _ids(world, "restricted")[0]
    public = _ids(world, "public")[0]
    other = world.client("other_reader")
    assert other.get(f"/recommendations/{secret}/follow-through").status_code == 404
    page = other.get(f"/recommendations/{public}/follow-through")
    assert page.status_code == 200
    assert 'id="follow-evidence-h"' in page.text and 'id="follow-repeats-h"' in page.text
    assert hidden not in page.text
    detail = other.get(f"/recommendations/{public}")
    assert f'href="/recommendations/{public}/follow-through"' in detail.text


def test_the_register_shows_each_recommendations_level(world: World) -> None:
    first = _ids(world, "public")[0]
    editor = world.client("editor")
    assert editor.post(f"/recommendations/{first}/edit", data={
        "text": "The police should record the child's voice in every assessment.",
        "number": "1", "agencies": "Police", "level": "regional",
        "csrf_token": world.page_csrf("editor")}).status_code == 303
    reader = world.client("reader")
    register = reader.get("/recommendations", params={"board": "Cwm Taf Morgannwg"}).text
    assert '<th scope="col">Level</th>' in register
    row = register[register.index(f'href="/recommendations/{first}"'):]
    assert "<td>regional</td>" in row[:row.index("</tr>")]
    welsh = reader.get("/recommendations", params={"board": "Cwm Taf Morgannwg",
                                                   "lang": "cy"}).text
    assert "<td>rhanbarthol</td>" in welsh
    detail = reader.get(f"/recommendations/{first}", params={"lang": "cy"}).text
    assert "<dd>rhanbarthol</dd>" in detail
    # What the page shows, the API gives.
    api = reader.get(f"/api/v1/recommendations/{first}", headers=world.bearer("reader")).json()
    assert api["level"] == "regional"
