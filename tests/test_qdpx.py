"""`storfa export extracts`: a REFI-QDA .qdpx whose project.qde is in the
urn:QDA-XML:project:1.0 namespace with every code of the codebook, every
source's plain text, and selections whose offsets pick out the extract text;
CSV safe from formula injection; JSON with memos."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from harness import Cli
from reviewtext import CPR, DHR
from storfa.app import Storfa
from storfa.coding.classifier import PassageClassifier, load_classifier
from storfa.coding.qdpx import NS, guid
from storfa.coding.refi import schema
from storfa.config import Settings
from storfa.storage.sql.extracts import SQLExtracts

Q = f"{{{NS}}}"
KEY = "CPR2019-W03"


@pytest.fixture(scope="module")
def classifier() -> PassageClassifier:
    return load_classifier("best-practice")


@pytest.fixture
def coded(cli: Cli, tmp_path: Path, classifier: PassageClassifier) -> Cli:
    folder = tmp_path / "in"
    folder.mkdir()
    # A paragraph a spreadsheet would run as a formula.
    (folder / "cpr.md").write_text(CPR + "\n=SUM(1,2) was written in the chronology.\n",
                                   encoding="utf-8")
    (folder / "dhr.md").write_text(DHR, encoding="utf-8")
    assert cli.run("ingest", "--no-embed", str(folder)).exit_code == 0
    assert cli.json("code", "auto", "--codebook", "best-practice",
                    "--threshold", "0.3")["suggestions"]
    first = cli.json("code", "list")["extracts"][0]
    cli.json("code", "accept", str(first["id"]), "--coder", "alice")
    assert cli.json("code", "memo", str(first["id"]), "A clear example.", "--coder", "alice")
    # A manual coding of the formula-like paragraph, by another coder.
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    try:
        record = app.store.get_review(KEY)
        assert record is not None
        text = SQLExtracts(app.store.db).version_text(record.version_id)  # type: ignore[attr-defined]
    finally:
        app.close()
    start = text.index("=SUM")
    cli.json("code", "add", KEY, str(start), str(start + 9), "Record keeping", "--codebook",
             "best-practice", "--coder", "bob")
    return cli


def _export(cli: Cli, tmp_path: Path, fmt: str) -> Path:
    path = tmp_path / f"extracts.{fmt}"
    doc = cli.json("export", "extracts", "--format", fmt, "--out", str(path), "--codebook",
                   "best-practice")
    assert doc["extracts"] > 0 and path.is_file()
    return path


def test_qdpx_archive(coded: Cli, tmp_path: Path) -> None:
    extracts = json.loads(_export(coded, tmp_path, "json").read_text())["extracts"]
    by_guid = {guid("extract", e["id"]): e for e in extracts}
    with zipfile.ZipFile(_export(coded, tmp_path, "qdpx")) as archive:
        names = set(archive.namelist())
        root = etree.fromstring(archive.read("project.qde"))
        assert root.tag == Q + "Project"
        checker = schema("project")  # storfa's own XSD of the REFI-QDA project
        assert checker.validate(root), checker.error_log
        codes = root.findall(f".//{Q}CodeBook//{Q}Code")
        assert len(codes) == 18
        assert len({c.get("guid") for c in codes}) == 18
        themes = [c.get("name") for c in root.findall(f"{Q}CodeBook/{Q}Codes/{Q}Code")]
        assert themes == ["Care and Support", "Communication", "Risk and Escalation",
                          "Policy, Procedures and Recording", "Learning and Reflections"]
        code_guids = {c.get("guid") for c in codes}
        users = {u.get("guid"): u.get("name") for u in root.iter(Q + "User")}
        assert "alice" in users.values()
        sources = root.findall(f"{Q}Sources/{Q}TextSource")
        assert {s.get("name") for s in sources} == {e["review_id"] for e in extracts}
        seen = 0
        for source in sources:
            path = source.get("plainTextPath")
            assert path is not None and path.startswith("internal://")
            member = "sources/" + path.removeprefix("internal://")
            assert member in names
            text = archive.read(member).decode("utf-8")
            for sel in source.iter(Q + "PlainTextSelection"):
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                assert 0 <= start < end <= len(text)
                extract = by_guid[sel.get("guid", "")]
                assert text[start:end] == extract["text"]
                assert sel.get("creatingUser") in users
                refs = [r.get("targetGUID") for r in sel.iter(Q + "CodeRef")]
                assert refs == [guid("code", "best-practice", extract["code"])]
                assert set(refs) <= code_guids
                seen += 1
        assert seen == len(extracts)
        notes = root.findall(f"{Q}Notes/{Q}Note")
        assert [n.findtext(Q + "PlainTextContent") for n in notes] == ["A clear example."]
        note_refs = [r.get("targetGUID") for r in root.iter(Q + "NoteRef")]
        assert note_refs == [n.get("guid") for n in notes]


def test_csv_and_json_exports(coded: Cli, tmp_path: Path) -> None:
    record = json.loads(_export(coded, tmp_path, "json").read_text())["extracts"]
    assert [m["text"] for e in record for m in e["memos"]] == ["A clear example."]
    assert any(e["text"] == "=SUM(1,2)" and e["coder"] == "bob" for e in record)
    rows = list(csv.reader(io.StringIO(_export(coded, tmp_path, "csv").read_text())))
    assert rows[0][:3] == ["id", "review_id", "start"]
    assert len(rows) == len(record) + 1
    assert "'=SUM(1,2)" in [row[-1] for row in rows]
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    bad = coded.json("export", "extracts", "--format", "xml", "--out",
                     str(tmp_path / "x.xml"), expect_exit=2)
    assert "--format" in bad["error"]
