"""REFI-QDA project import (.qdpx): a colleague's coding merged into this
repository ("merging two projects").

Each TextSource is matched to a stored review: its name must be the review's
identifier and its text identical to the review's current or an earlier
version, so that every selection's offsets mean the same characters. A source
that does not match is reported with the reason and the rest goes on. Codes
are matched by name (ignoring case) into the target codebook; a code it lacks
is added to the repository's stored copy. Each selection's coding becomes an
accepted manual extract under the REFI user's name, with its exact offsets,
and the notes it refers to become memos. Importing the same file again adds
nothing: an extract of the same span, code and coder, or a memo of the same
author and text, is already there."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from storfa.clock import utc_now
from storfa.coding.refi import PROJECT_NS, Archive, RefiCode, RefiError, parse_xml, read_codes
from storfa.domain.codebooks import Code
from storfa.domain.coding import NewExtract
from storfa.domain.errors import N_
from storfa.storage import repositories

if TYPE_CHECKING:
    from storfa.coding.autocode import CodingService

_Q = f"{{{PROJECT_NS}}}"
INTERNAL = "internal://"
UNKNOWN_USER = "unknown"


@dataclass
class ImportReport:
    codebook: str
    sources_matched: list[dict[str, Any]] = field(default_factory=list)
    sources_unmatched: list[dict[str, str]] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    extracts_added: int = 0
    duplicates_skipped: int = 0
    memos_added: int = 0
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"codebook": self.codebook, "sources_matched": self.sources_matched,
                "sources_unmatched": self.sources_unmatched, "codes_added": self.codes_added,
                "extracts_added": self.extracts_added,
                "duplicates_skipped": self.duplicates_skipped,
                "memos_added": self.memos_added, "problems": self.problems}


@dataclass(frozen=True)
class _Project:
    archive: Archive
    root: etree._Element
    users: dict[str, str]
    codes: list[RefiCode]
    notes: dict[str, tuple[str, str, str]]  # guid -> (author, text, created)


def read_project(data: bytes) -> _Project:
    archive = Archive(data)
    xml = archive.read("project.qde")
    if xml is None:
        raise RefiError(N_("The .qdpx holds no project.qde at its top level."))
    root = parse_xml(xml, "project.qde")
    if root.tag != _Q + "Project":
        raise RefiError(N_("project.qde is not a REFI-QDA project "
                           "(urn:QDA-XML:project:1.0)."))
    users = {u.get("guid", ""): " ".join((u.get("name") or "").split()) or UNKNOWN_USER
             for u in root.iter(_Q + "User")}
    codes = read_codes(root.find(f"{_Q}CodeBook/{_Q}Codes"), PROJECT_NS)
    notes = {n.get("guid", ""): (users.get(n.get("creatingUser", ""), UNKNOWN_USER),
                                 n.findtext(_Q + "PlainTextContent") or "",
                                 n.get("creationDateTime") or utc_now())
             for n in root.iter(_Q + "Note")}
    return _Project(archive, root, users, codes, notes)


def choose_codebook(service: CodingService, codes: list[RefiCode]) -> str:
    """The codebook whose codes the file's codes match best (best-practice on a tie)."""
    names = {c.name for c in codes}
    best, score = "best-practice", -1
    for info in service.codebooks.infos():
        book = service.book(info.name)
        hits = sum(name in book for name in names)
        if hits > score or (hits == score and info.name == "best-practice"):
            best, score = info.name, hits
    return best


class QdpxImport:
    """One import of one .qdpx into one codebook."""

    def __init__(self, service: CodingService, project: _Project, codebook: str,
                 actor: str, hidden: Collection[int] = ()) -> None:
        self.service, self.project, self.actor = service, project, actor
        self.sql = repositories.codebooks(service.store)
        self.hidden = hidden
        self.book = service.book(codebook)
        self.report = ImportReport(self.book.name)
        self.code_of: dict[str, Code | None] = {}

    def run(self) -> ImportReport:
        self._codes()
        sources = self.project.root.find(_Q + "Sources")
        for source in (sources.iterchildren(_Q + "TextSource") if sources is not None else ()):
            self._source(source)
        for other in ("PDFSource", "PictureSource", "AudioSource", "VideoSource"):
            for source in self.project.root.iter(_Q + other):
                self._unmatched(source.get("name") or "?",
                                f"a {other[:-6]} source: storfa imports text sources only")
        return self.report

    # ------------------------------------------------------------- codes
    def _codes(self) -> None:
        for code in self.project.codes:
            if code.name not in self.book:
                parent = self.code_of.get(code.parent) if code.parent else None
                self.service.codebooks.add_code(
                    self.book.name, code.name, self.actor,
                    parent=parent.name if parent is not None and not parent.retired else None,
                    description=code.description, colour=code.colour)
                self.report.codes_added.append(code.name)
                self.book = self.service.book(self.book.name)
            self.code_of[code.guid] = self.book.code(code.name)

    def _live(self, guid: str | None) -> Code | None:
        code = self.code_of.get(guid or "")
        return None if code is None else self.book.current(code.name)

    # ------------------------------------------------------------- sources
    def _unmatched(self, name: str, reason: str) -> None:
        self.report.sources_unmatched.append({"name": name, "reason": reason})

    def _text(self, source: etree._Element) -> str | None:
        path = source.get("plainTextPath") or ""
        if path.startswith(INTERNAL):
            data = self.project.archive.read("sources/" + path.removeprefix(INTERNAL))
            if data is None:
                return None
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise RefiError(N_("{path} in the .qdpx is not UTF-8 text."),
                                path=path) from None
        inline = source.find(_Q + "PlainTextContent")
        return inline.text if inline is not None and inline.text is not None else None

    def _source(self, source: etree._Element) -> None:
        name = (source.get("name") or "").strip()
        record = self.service.store.get_review(name) if name else None
        if record is None:
            folded = {k.casefold(): k for k in self.service.review_keys()}
            key = folded.get(name.casefold())
            record = self.service.store.get_review(key) if key else None
        if record is None or record.id in self.hidden:
            self._unmatched(name, "no stored review has this identifier")
            return
        text = self._text(source)
        if text is None:
            self._unmatched(name, "the source's text is not in the archive")
            return
        versions = self.sql.versions(record.id)
        version_id = next((vid for vid, stored in versions if stored == text), None)
        if version_id is None:
            self._unmatched(name, f"the text differs from every stored version of "
                                  f"{record.summary.review_id}")
            return
        self.report.sources_matched.append({
            "name": name, "review_id": record.summary.review_id,
            "version": "current" if version_id == record.version_id else "earlier"})
        passages = self.service.store.passages(version_id)
        for sel in source.iterchildren(_Q + "PlainTextSelection"):
            self._selection(sel, record.id, version_id, text, passages)
        for ref in source.iterchildren(_Q + "NoteRef"):
            self._memo(ref.get("targetGUID"), review_row=record.id)

    def _selection(self, sel: etree._Element, review_row: int, version_id: int, text: str,
                   passages: list[Any]) -> None:
        try:
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        except ValueError:
            self.report.problems.append(f"selection {sel.get('guid')}: positions are not "
                                        "numbers")
            return
        if not 0 <= start < end <= len(text):
            self.report.problems.append(f"selection {sel.get('guid')}: {start}..{end} is "
                                        f"outside its source (0..{len(text)})")
            return
        passage = next((p for p in passages if p.start <= start < p.end), None)
        made: list[int] = []
        for coding in sel.iterchildren(_Q + "Coding"):
            ref = coding.find(_Q + "CodeRef")
            code = self._live(ref.get("targetGUID") if ref is not None else None)
            if code is None:
                self.report.problems.append(f"selection {sel.get('guid')}: its code is "
                                            "unknown or retired")
                continue
            users = self.project.users
            coder = users.get(coding.get("creatingUser", "")) \
                or users.get(sel.get("creatingUser", "")) or UNKNOWN_USER
            extract_id, added = self.sql.import_extract(NewExtract(
                review_row=review_row, version_id=version_id, start=start, end=end,
                text=text[start:end], codebook=self.book.name, code=code.name,
                theme=code.theme, coder=coder, how="manual",
                passage_id=passage.id if passage else None,
                page=passage.page if passage else None),
                coding.get("creationDateTime") or sel.get("creationDateTime") or utc_now())
            if added:
                self.report.extracts_added += 1
            else:
                self.report.duplicates_skipped += 1
            made.append(extract_id)
        for ref in sel.iterchildren(_Q + "NoteRef"):
            for extract_id in made:
                self._memo(ref.get("targetGUID"), extract_id=extract_id)

    def _memo(self, guid: str | None, extract_id: int | None = None,
              review_row: int | None = None) -> None:
        note = self.project.notes.get(guid or "")
        if note is None or not note[1].strip():
            return
        author, text, created = note
        if self.sql.import_memo(author, text, created, extract_id=extract_id,
                                review_row=review_row):
            self.report.memos_added += 1


def import_qdpx(service: CodingService, data: bytes, actor: str, codebook: str | None = None,
                hidden: Collection[int] = (), file_name: str = "") -> ImportReport:
    """Merge a .qdpx into the repository; `hidden` review rows are treated as
    absent (the importer may not see them)."""
    project = read_project(data)
    target = codebook or choose_codebook(service, project.codes)
    report = QdpxImport(service, project, target, actor, hidden).run()
    service.store.audit(actor, "code.import", "codebook", report.codebook, {
        "file": file_name, "sources_matched": len(report.sources_matched),
        "sources_unmatched": len(report.sources_unmatched),
        "codes_added": report.codes_added, "extracts_added": report.extracts_added,
        "duplicates_skipped": report.duplicates_skipped, "memos_added": report.memos_added})
    return report

