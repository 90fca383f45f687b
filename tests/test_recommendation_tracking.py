"""Recommendations register, part 2, on both backends: extraction at ingest
(and its failure isolated), editor corrections (edit, split, merge) kept
through re-extraction, filters and overdue flags with hidden reviews left out,
progress notes with checked evidence files, theme coding into the coding
machinery, the access rule, and the CLI's filters, export and corrections."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from harness import Cli
from storfa.accounts.policy import can_track
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.accounts import AccessLevel, ReviewAccess, Role, User
from storfa.domain.errors import StorfaError
from storfa.ingest.after_store import after_store
from storfa.ingest.jobs import JobWorker, stage_file
from storfa.recommendations import themes
from storfa.recommendations.evidence import MAX_BYTES, media_type
from storfa.recommendations.register import RecommendationRegister, RegisterFilters
from storfa.storage.sql.extracts import SQLExtracts
from storfa.storage.sql.jobs import JobQueue

CPR = """# Child Practice Review CPR2021-W07

Western Bay Safeguarding Board — Child Practice Review re: Child R

## Practice and organisational learning

Practitioners did not always share information.

## Recommendations

1. The local authority children's services should ensure that the child's voice is
   recorded in every assessment. This is a local recommendation.
2. Strategy discussions must include the GP and the school nurse (Health Board, Police).
3. South Wales Police should review the MARAC referral pathway so that repeat
   incidents trigger a referral.
"""

APR = """# Adult Practice Review APR2022-W02

Gwent Safeguarding Board

## Recommendations

Recommendation 1: Gwent Police should refer repeat victims to MARAC. This is a regional
recommendation.

Recommendation 2: =HYPERLINK("http://x") Housing must share tenancy concerns.
"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ED = User(1, "ed", "Ed", Role.EDITOR, organisation_id=7)


def _ingest(app: Storfa, folder: Path, **texts: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    assert all(r.status == "ingested" for r in app.ingest.ingest(paths))


def _docx(with_document: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml" if with_document else "other.xml", "<w/>")
    return buffer.getvalue()


@pytest.fixture
def register(storfa: Storfa, tmp_path: Path) -> RecommendationRegister:
    _ingest(storfa, tmp_path / "in", cpr=CPR, apr=APR)
    reg = storfa.register()
    reg.extract(None, "test")
    return reg


def _current(reg: RecommendationRegister, key: str = "CPR2021-W07") -> list[tuple[str, str]]:
    return [(r.number, r.text) for k, r in reg.listing(key)]


def test_corrections_survive_reextraction(register: RecommendationRegister) -> None:
    recs = [r for _, r in register.listing("CPR2021-W07")]
    assert [r.number for r in recs] == ["1", "2", "3"]
    one, two, three = recs
    register.set(one.id, "ed", status="in_progress", note="started")
    register.edit(one.id, "ed", text="Children's services should record the child's voice.",
                  number="1a", agencies=["children's services", "CAMHS"], level="regional",
                  note="typo")
    at = two.text.index(" (Health Board")
    a, b = register.split(two.id, "ed", at=at)
    assert a.text == two.text[:at] and b.text == "(Health Board, Police)." and b.number == "2b"
    merged = register.merge(three.id, b.id, "ed")
    assert merged.text == f"{three.text} (Health Board, Police)."
    assert set(merged.agencies) >= {"South Wales Police", "Health Board", "Police"}
    wanted = [("1a", "Children's services should record the child's voice."),
              ("2", two.text[:at]), ("3", merged.text)]
    assert _current(register) == wanted
    # The same version extracted again, one review and all: nothing overwritten,
    # superseded, revived or added beside a correction.
    for _ in range(2):
        assert register.extract("CPR2021-W07", "test") == {"CPR2021-W07": 3}
        register.extract(None, "test")
        assert _current(register) == wanted
    kept = register.get(one.id)
    assert kept.status == "in_progress" and kept.level == "regional" and kept.corrected
    assert kept.agencies == ["children's services", "CAMHS"]
    gone = register.get(b.id)
    assert gone.superseded and gone.merged_into == three.id
    fields = [h.field for h in register.history(one.id)]
    assert fields == ["status", "text", "number", "agencies", "level"]
    assert [h.field for h in register.history(two.id)] == ["split"]
    assert [h.field for h in register.history(b.id)] == ["split", "merge"]
    actions = [e["action"] for e in register.store.audit_events(500)]
    for action in ("recommendations.edit", "recommendations.split", "recommendations.merge"):
        assert action in actions
    with pytest.raises(StorfaError):
        register.merge(one.id, b.id, "ed")  # b is merged away already
    apr = [r for _, r in register.listing("APR2022-W02")]
    with pytest.raises(StorfaError, match="same review"):
        register.merge(one.id, apr[0].id, "ed")
    with pytest.raises(StorfaError):
        register.split(one.id, "ed", at=0)
    with pytest.raises(StorfaError):
        register.edit(one.id, "ed", level="global")


def test_register_filters_overdue_and_hidden_reviews(register: RecommendationRegister) -> None:
    items = register.register(RegisterFilters()).items
    cpr = [i for i in items if i.review_id == "CPR2021-W07"]
    apr_row = next(i.rec.review_row for i in items if i.review_id == "APR2022-W02")
    register.set(cpr[0].rec.id, "ed", status="in_progress", due_date="2020-01-31")
    register.set(cpr[1].rec.id, "ed", status="implemented", due_date="2020-01-31")
    today = dt.date(2024, 6, 1)
    view = register.register(RegisterFilters(), today=today)
    assert view.counts == {"open": 3, "in_progress": 1, "implemented": 1, "not_accepted": 0}
    assert view.overdue == 1  # implemented late is not overdue
    overdue = register.register(RegisterFilters(overdue=True), today=today).items
    assert [i.rec.id for i in overdue] == [cpr[0].rec.id]

    def ids(**kw: object) -> set[str]:
        found = register.register(RegisterFilters(**kw), today=today).items  # type: ignore[arg-type]
        return {f"{i.review_id}/{i.rec.number}" for i in found}

    assert ids(board="gwent") == {"APR2022-W02/1", "APR2022-W02/2"}
    assert ids(year=2021) == {"CPR2021-W07/1", "CPR2021-W07/2", "CPR2021-W07/3"}
    assert ids(agency="south wales police") == {"CPR2021-W07/3"}
    assert ids(status="in progress") == {"CPR2021-W07/1"}
    assert ids(theme="The child's voice") == {"CPR2021-W07/1"}
    # A theme names its codes too (the whole of "Structures and process barriers").
    assert "CPR2021-W07/2" in ids(theme="structures and process barriers")
    hidden = register.register(RegisterFilters(), hidden={apr_row}, today=today)
    assert {i.review_id for i in hidden.items} == {"CPR2021-W07"}
    assert sum(hidden.counts.values()) == 3 and hidden.overdue == 1
    with pytest.raises(StorfaError):
        register.register(RegisterFilters(status="done"))


def test_themes_are_stored_as_coding_suggestions(register: RecommendationRegister,
                                                 storfa: Storfa) -> None:
    recs = {r.number: r for _, r in register.listing("CPR2021-W07")}
    assert "The child's voice" in recs["1"].themes
    assert "Health organisational complexity" in recs["2"].themes
    suggested = [e for e in SQLExtracts(storfa.store.db).select(codebook=themes.CODEBOOK)
                 if (e.source_detail or "").startswith(themes.SOURCE)]
    mine = [e for e in suggested if e.source_detail == f"{themes.SOURCE}{recs['1'].id}"]
    assert {e.code for e in mine} == set(recs["1"].themes)
    full = SQLExtracts(storfa.store.db).version_text(recs["1"].version_id)
    assert all(full[e.start:e.end] == e.text and e.how == "term" and e.status == "suggested"
               for e in mine)
    # An auto-coder's own suggestion on the review is not thrown away by re-coding.
    other = mine[0]
    from storfa.domain.coding import NewExtract

    SQLExtracts(storfa.store.db).replace_suggestions(other.review_row, themes.CODEBOOK, [
        NewExtract(other.review_row, other.version_id, other.start, other.end, other.text,
                   themes.CODEBOOK, "Workforce", "Wider influences", "auto-coder", "model",
                   source_detail="seeds")])
    # The auto-coder's re-run leaves the recommendation suggestions alone.
    assert {e.id for e in mine} <= {e.id for e in SQLExtracts(storfa.store.db).select(
        codebook=themes.CODEBOOK, review_row=other.review_row)}
    register.code_themes(other.review_row)
    current = SQLExtracts(storfa.store.db).select(codebook=themes.CODEBOOK,
                                                  review_row=other.review_row)
    assert any(e.source_detail == "seeds" for e in current)
    register.code_themes(other.review_row)  # again: nothing doubled
    current = SQLExtracts(storfa.store.db).select(codebook=themes.CODEBOOK,
                                                  review_row=other.review_row)
    again = [e for e in current if e.source_detail == f"{themes.SOURCE}{recs['1'].id}"]
    assert sorted(e.code for e in again) == sorted(recs["1"].themes)
    # Editing the text codes it again.
    register.edit(recs["1"].id, "ed", text="Agencies should escalate concerns.")
    assert register.get(recs["1"].id).themes == ("Escalation and referral ambiguity",)


def test_notes_with_evidence_files(register: RecommendationRegister, storfa: Storfa) -> None:
    rec = next(r for _, r in register.listing("CPR2021-W07"))
    note = register.note(rec.id, "ed", "Audit done", storfa.blobs,
                         [("audit.png", PNG), ("folder/minutes.docx", _docx(True)),
                          ("notes.txt", "Cofnodion y cyfarfod â’r tîm".encode())])
    files = register.attachments(rec.id)
    assert [(a.filename, a.history_id) for a in files] == [
        ("audit.png", note), ("minutes.docx", note), ("notes.txt", note)]
    assert files[0].media_type == "image/png" and files[0].size == len(PNG)
    assert storfa.blobs.path_for(files[0].sha256).read_bytes() == PNG
    assert register.history(rec.id)[-1].note == "Audit done"
    for name, data in (("x.exe", b"MZ\x90\x00\x03"), ("fake.docx", _docx(False)),
                       ("big.txt", b"a" * (MAX_BYTES + 1)), ("empty.pdf", b"")):
        with pytest.raises(StorfaError):
            register.note(rec.id, "ed", "bad", storfa.blobs, [(name, data)])
    assert len(register.attachments(rec.id)) == 3
    with pytest.raises(StorfaError):
        register.note(rec.id, "ed", "   ")


def test_media_types_by_content() -> None:
    assert media_type(b"%PDF-1.7 ...") == "application/pdf"
    assert media_type(b"\xff\xd8\xff\xe0JFIF") == "image/jpeg"
    assert media_type(PNG) == "image/png"
    assert media_type("Testun plaen: ŵ ŷ".encode()) == "text/plain"
    assert media_type(b"\xff\xfe\x00bad") is None


def test_extraction_at_ingest_and_failures_isolated(storfa: Storfa, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from storfa.storage.sql.recommendations import SQLRecommendations

    sql = SQLRecommendations(storfa.store.db)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cpr.md").write_text(CPR, encoding="utf-8")
    (folder / "apr.md").write_text(APR, encoding="utf-8")
    # Through the job worker: the review is extracted once its job is done.
    queue = JobQueue(storfa.store.db)
    queue.enqueue(stage_file(storfa.settings.data_dir, folder / "cpr.md"), "cpr.md", {}, "t")
    logs: list[str] = []
    worker = JobWorker(queue, storfa.ingest, storfa.settings.data_dir, poll_seconds=0.05,
                       log=logs.append,
                       after_store=lambda keys, actor, say: after_store(storfa, keys, actor,
                                                                        say=say))
    assert worker.run(once=True)["done"] == 1
    assert len(sql.extracted_versions()) == 1 and len(sql.current()) == 3
    # A failing after-store hook is logged; the job and the ingest still succeed.
    worker.after_store = lambda keys, actor, say: 1 / 0
    worker.after_job(["CPR2021-W07"], "t")
    assert any("ZeroDivisionError" in line for line in logs)

    def broken(*_: object, **__: object) -> dict[str, int]:
        raise RuntimeError("extractor broke")

    monkeypatch.setattr(RecommendationRegister, "extract", broken)
    said: list[str] = []
    outcome = after_store(storfa, ["APR2022-W02"], "t", skip=("recurrence",), say=said.append)
    assert [o.step for o in outcome.failures] == ["recommendations"]
    assert said and "extractor broke" in said[0]
    assert "storfa recommendations extract --pending" in said[0]


def test_cli_ingest_extracts_and_survives_a_failure(cli: Cli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cpr.md").write_text(CPR, encoding="utf-8")
    assert cli.run("ingest", str(folder)).exit_code == 0
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    try:
        from storfa.storage.sql.recommendations import SQLRecommendations

        assert len(SQLRecommendations(app.store.db).current()) == 3  # before any listing
    finally:
        app.close()

    def broken(*_: object, **__: object) -> dict[str, int]:
        raise RuntimeError("extractor broke")

    monkeypatch.setattr(RecommendationRegister, "extract", broken)
    (folder / "apr.md").write_text(APR, encoding="utf-8")
    result = cli.run("ingest", str(folder / "apr.md"))
    assert result.exit_code == 0


def test_cli_filters_corrections_notes_and_export(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cpr.md").write_text(CPR, encoding="utf-8")
    (folder / "apr.md").write_text(APR, encoding="utf-8")
    assert cli.run("ingest", str(folder)).exit_code == 0
    everything = cli.json("recommendations")["recommendations"]
    assert all(set(r) == {"id", "review_id", "number", "text", "agencies", "level", "page",
                          "status"} for r in everything)
    gwent = cli.json("recommendations", "--board", "Gwent")["recommendations"]
    assert {r["review_id"] for r in gwent} == {"APR2022-W02"} and len(gwent) == 2
    assert len(cli.json("recommendations", "--theme", "The child's voice")["recommendations"]) == 1
    assert cli.json("recommendations", "--year", "2021", "--agency", "police")["recommendations"]
    first = gwent[0]["id"]
    cli.json("recommendations", "set", str(first), "--status", "open", "--due", "2001-01-01")
    late = cli.json("recommendations", "--overdue")["recommendations"]
    assert [r["id"] for r in late] == [first]
    assert cli.run("recommendations", "--review", "NOPE-1").exit_code != 0

    edited = cli.json("recommendations", "edit", str(first), "--text", "Gwent Police must refer.",
                      "--agencies", "Gwent Police; Probation")
    assert edited["corrected"] and edited["agencies"] == ["Gwent Police", "Probation"]
    parts = cli.json("recommendations", "split", str(first), "--at", "12")["recommendations"]
    assert [p["text"] for p in parts] == ["Gwent Police", "must refer."]
    merged = cli.json("recommendations", "merge", str(first), str(parts[1]["id"]))
    assert merged["text"] == "Gwent Police must refer."
    evidence = tmp_path / "minutes.txt"
    evidence.write_text("Minutes", encoding="utf-8")
    noted = cli.json("recommendations", "note", str(first), "--text", "Done",
                     "--attach", str(evidence))
    assert [a["media_type"] for a in noted["attachments"]] == ["text/plain"]
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02")
    assert cli.run("recommendations", "note", str(first), "--text", "x", "--attach",
                   str(bad)).exit_code != 0
    history = cli.json("recommendations", "history", str(first))
    assert [h["field"] for h in history["history"]][:2] == ["due_date", "text"]
    assert len(history["attachments"]) == 1

    out = tmp_path / "register.csv"
    assert cli.json("recommendations", "export", "--out", str(out), "--board",
                    "Gwent")["recommendations"] == 2
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [r["review_id"] for r in rows] == ["APR2022-W02"] * 2
    texts = [r["text"] for r in rows]
    assert "Gwent Police must refer." in texts
    assert any(t.startswith("'=HYPERLINK") for t in texts)  # never a formula
    assert rows[0]["corrected"] == "True" and rows[0]["overdue"] == "True"
    everything_out = tmp_path / "all.csv"
    cli.json("recommendations", "export", "--out", str(everything_out))
    texts = [r["text"] for r in csv.DictReader(everything_out.read_text("utf-8").splitlines())]
    xlsx = tmp_path / "register.xlsx"
    cli.json("recommendations", "export", "--out", str(xlsx))
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet is not None and sheet.max_row == len(texts) + 1


@pytest.mark.parametrize("role,level,in_org,allowed", [
    (Role.EDITOR, AccessLevel.PUBLIC, False, True),
    (Role.ADMINISTRATOR, AccessLevel.RESTRICTED, False, True),
    (Role.EDITOR, AccessLevel.RESTRICTED, True, True),
    (Role.EDITOR, AccessLevel.RESTRICTED, False, False),
    (Role.CODER, AccessLevel.PUBLIC, True, False),
    (Role.READER, AccessLevel.PUBLIC, True, False),
])
def test_can_track(role: Role, level: AccessLevel, in_org: bool, allowed: bool) -> None:
    user = User(1, "u", "U", role, organisation_id=7)
    access = ReviewAccess(level, frozenset({7} if in_org else {8}))
    assert can_track(user, access) is allowed
    assert not can_track(None, ReviewAccess())
    assert not can_track(User(2, "d", "D", Role.EDITOR, 7, disabled=True), ReviewAccess())
    assert can_track(ED, ReviewAccess())
