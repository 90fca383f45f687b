"""A .qdpx exported from one repository and imported into a fresh one holding
the same reviews gives back every source, code (nested, with a code added by
hand), selection offset, coder and memo; importing it twice adds nothing; a
source whose text differs is reported and the rest still goes in. The
exported project.qde passes storfa's own REFI-QDA project schema."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from backends import PostgresRun, postgres_schema
from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.coding.agreement import coder_of
from storfa.coding.autocode import CodingService
from storfa.coding.exports import export_extracts
from storfa.coding.qdpx_import import import_qdpx
from storfa.coding.refi import PROJECT_NS, RefiError, schema
from storfa.config import Settings

Q = f"{{{PROJECT_NS}}}"
CPR, DHR = "CPR2019-W03", "DHR2020-W01"


@pytest.fixture
def fresh(backend: str, postgres_run: PostgresRun | None, tmp_path: Path) -> Iterator[Storfa]:
    """A second repository on the same backend, holding the same reviews."""
    overrides = {}
    schema_name = None
    if backend == "postgresql":
        schema_name, url = postgres_schema(postgres_run)
        overrides["database_url"] = url
    app = Storfa(Settings.from_env(data_dir=tmp_path / "other", workers=1, **overrides))
    app.ingest.ingest(write_reviews(tmp_path / "other-in"))
    yield app
    app.close()
    if schema_name is not None and postgres_run is not None:
        postgres_run.drop_schema(schema_name)


def _span(service: CodingService, key: str, needle: str, code: str, coder: str) -> int:
    record = service.store.get_review(key)
    assert record is not None
    text = service.sql.version_text(record.version_id)
    start = text.index(needle)
    return service.code_span(key, start, start + len(needle), "best-practice", code, coder).id


@pytest.fixture
def exported(storfa: Storfa, tmp_path: Path) -> Path:
    storfa.ingest.ingest(write_reviews(tmp_path / "in"))
    service = storfa.coding
    service.codebooks.add_code("best-practice", "Trauma-informed practice", "ann",
                               parent="Care and Support", colour="#AA3377",
                               description="Practice shaped by the child's trauma.")
    a = _span(service, CPR, "kept visiting", "Persistency in care and support", "ann")
    b = _span(service, CPR, "timely escalation", "Escalating concerns", "ben")
    _span(service, CPR, "timely escalation", "Risk and Escalation", "ann")  # a theme
    _span(service, CPR, "professional curiosity", "Trauma-informed practice", "ben")
    d = _span(service, DHR, "Domestic abuse had been reported", "Multi-agency working", "ben")
    service.memo("ann", "Persistence despite no answer.", extract_id=a)
    service.memo("ben", "Escalated on time.", extract_id=b)
    service.memo("ann", "Second opinion: yes.", extract_id=b)
    service.memo("ben", "Police involvement.", extract_id=d)
    path = tmp_path / "project.qdpx"
    assert export_extracts(service, path, "qdpx", "best-practice") == 5
    return path


def _codings(service: CodingService) -> set[tuple[str, int, int, str, str, str, str]]:
    return {(e.review_id, e.start, e.end, e.text, e.code, e.theme, coder_of(e))
            for e in service.extracts(codebook="best-practice")}


def _memos(service: CodingService) -> set[tuple[str, int, str, str, str]]:
    extracts = {e.id: e for e in service.extracts(codebook="best-practice")}
    return {(extracts[m.extract_id].review_id, extracts[m.extract_id].start,
             extracts[m.extract_id].code, m.author, m.text)
            for m in service.sql.memos(list(extracts)) if m.extract_id is not None}


def test_export_is_valid_and_complete(exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        checker = schema("project")
        assert checker.validate(root), checker.error_log
        assert len(root.findall(f".//{Q}CodeBook//{Q}Code")) == 19  # 18 + the added one
        for source in root.iter(Q + "TextSource"):
            text = archive.read("sources/" + source.get("plainTextPath", "")
                                .removeprefix("internal://")).decode()
            for sel in source.iter(Q + "PlainTextSelection"):
                assert 0 <= int(sel.get("startPosition", "-1")) \
                    < int(sel.get("endPosition", "-1")) <= len(text)
    broken = etree.fromstring(zipfile.ZipFile(exported).read("project.qde"))
    next(broken.iter(Q + "CodeRef")).set("targetGUID", "00000000-0000-0000-0000-000000000000")
    assert not schema("project").validate(broken)  # the schema can fail


def test_round_trip_into_a_fresh_repository(storfa: Storfa, fresh: Storfa,
                                            exported: Path) -> None:
    before = storfa.coding
    after = fresh.coding
    report = import_qdpx(after, exported.read_bytes(), "importer", file_name="project.qdpx")
    assert report.codebook == "best-practice"
    assert [s["review_id"] for s in report.sources_matched] == [CPR, DHR]
    assert report.sources_unmatched == [] and report.problems == []
    assert report.codes_added == ["Trauma-informed practice"]
    assert (report.extracts_added, report.duplicates_skipped, report.memos_added) == (5, 0, 4)
    assert _codings(after) == _codings(before)
    assert _memos(after) == _memos(before)
    assert all(e.how == "manual" and e.status == "accepted"
               for e in after.extracts(codebook="best-practice"))
    old, new = before.book("best-practice"), after.book("best-practice")
    assert [(c.path, c.colour, c.description) for c in new] == \
        [(c.path, c.colour, c.description) for c in old]
    # The same file again: nothing new.
    again = import_qdpx(after, exported.read_bytes(), "importer")
    assert (again.extracts_added, again.duplicates_skipped, again.memos_added) == (0, 5, 0)
    assert again.codes_added == []
    assert len(after.extracts(codebook="best-practice")) == 5
    events = fresh.store.audit_events(action="code.import")
    assert len(events) == 2 and events[0]["actor"] == "importer"


def _rewrite(path: Path, change: dict[str, bytes | None]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(buffer, "w") as new:
        for name in old.namelist():
            if name in change:
                if change[name] is not None:
                    new.writestr(name, change[name] or b"")
            else:
                new.writestr(name, old.read(name))
    return buffer.getvalue()


def test_a_changed_source_is_reported_and_the_rest_imported(fresh: Storfa,
                                                            exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        members = {s.get("name"): "sources/" + s.get("plainTextPath", "")
                   .removeprefix("internal://") for s in root.iter(Q + "TextSource")}
        dhr_text = archive.read(members[DHR]).decode()
    data = _rewrite(exported, {members[DHR]: (dhr_text + " An added line.").encode()})
    report = import_qdpx(fresh.coding, data, "importer")
    assert [s["review_id"] for s in report.sources_matched] == [CPR]
    assert report.sources_unmatched == [
        {"name": DHR, "reason": f"the text differs from every stored version of {DHR}"}]
    assert report.extracts_added == 4
    missing = import_qdpx(fresh.coding, _rewrite(exported, {members[CPR]: None}),
                          "importer")
    assert {"name": CPR, "reason": "the source's text is not in the archive"} in \
        missing.sources_unmatched
    with pytest.raises(RefiError, match=r"project\.qde"):
        import_qdpx(fresh.coding, _rewrite(exported, {"project.qde": None}), "x")
