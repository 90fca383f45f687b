"""The ingestion service: each file ends ingested, duplicate or rejected.

Untrusted parsing happens in sandboxed worker processes (both cores);
this process segments, labels languages, reads metadata and writes each
file in one database transaction together with its index-outbox row and
audit event. The search index then follows the outbox.
"""

from __future__ import annotations

import getpass
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from storfa.domain.errors import RejectedFile, RejectReason
from storfa.domain.ids import parse_review_id
from storfa.domain.renditions import NewRendition, ReadingState
from storfa.domain.reviews import MetadataValue, NewVersion
from storfa.domain.uploads import UploadAccess
from storfa.ingest.analyse import AnalysedDocument, analyser
from storfa.ingest.files import expand_paths
from storfa.ingest.limits import ExtractLimits
from storfa.ingest.metadata.boards import normalise_board
from storfa.ingest.renditions import Outcome, decide, promoted_note, rendition_note
from storfa.ingest.sandbox import ExtractorPool, start_server
from storfa.search.engine import SearchEngine
from storfa.storage import DuplicateFile, repositories
from storfa.storage.files import BlobStore, is_disk_full, sha256_file
from storfa.storage.interface import Store

INDEX_SYNC_SECONDS = 5.0
INDEX_TAIL_SYNC_SECONDS = 1.0
log = logging.getLogger(__name__)


def cli_actor() -> str:
    """Who the audit log names for work started from the command line."""
    return f"cli:{getpass.getuser()}"


@dataclass
class IngestOptions:
    type: str | None = None
    identifier: str | None = None
    board: str | None = None
    language: str | None = None
    actor: str = field(default_factory=cli_actor)
    # Who may see what is stored: a web or API upload's access
    # (disclosure/uploads.py); None, as for `storfa ingest`, leaves access alone.
    access: UploadAccess | None = None


@dataclass
class FileResult:
    path: str
    status: str  # "ingested" | "duplicate" | "rejected"
    review_id: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    version: int | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    disclosure_findings: int | None = None  # None: not checked (duplicate, rejected)
    # The version this file was attached to as another format of its text.
    rendition_of: int | None = None
    # The review's access level after an upload that carried one (None: left alone).
    access: str | None = None

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "status": self.status, "review_id": self.review_id,
                "reason": self.reason, "reason_code": self.reason_code,
                "version": self.version, "pages": self.pages, "warnings": self.warnings,
                "disclosure_findings": self.disclosure_findings,
                "rendition_of": self.rendition_of, "access": self.access}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:80] or "review"


def key_for(path: Path, identifier: str | None, language: str) -> tuple[str, str]:
    """The review a file is stored under, from its identifier (or its file
    name when it has none), and the key of its language's rendition."""
    base = identifier or _slug(path.stem)
    return base, base if language == "en" else f"{base}-{language}"


class IngestService:
    def __init__(self, store: Store, blobs: BlobStore, index: SearchEngine,
                 limits: ExtractLimits, workers: int) -> None:
        self.store = store
        self.blobs = blobs
        self.index = index
        self.limits = limits
        self.workers = workers

    def ingest(self, paths: Iterable[Path], options: IngestOptions | None = None,
               on_result: Callable[[FileResult], None] | None = None,
               on_total: Callable[[int], None] | None = None) -> list[FileResult]:
        options = options or IngestOptions()
        start_server()  # the workers' loading overlaps what follows
        files = expand_paths(paths)
        if on_total:
            on_total(len(files))
        # Finish whatever an interrupted run left for the index first.
        self.index.sync(self.store)
        results: list[FileResult] = []

        def finish(result: FileResult) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        # Results are taken as they finish, so one slow file holds up nothing;
        # they are reported back in the order the files were given.
        in_flight: dict[Future[AnalysedDocument], tuple[int, Path, str]] = {}
        order: dict[str, int] = {}
        then = analyser(options.language)
        batch_shas: dict[str, str] = {}
        last_sync = time.monotonic()

        def sync_every(seconds: float) -> None:
            nonlocal last_sync
            if time.monotonic() - last_sync > seconds:
                self.index.sync(self.store)
                last_sync = time.monotonic()

        def collect(block_until_one: bool) -> None:
            done, _ = wait(in_flight, timeout=None if block_until_one else 0,
                           return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: in_flight[f][0]):
                _, path, sha = in_flight.pop(future)
                finish(self._complete(path, sha, future, options))

        with ExtractorPool(self.limits, workers=self.workers) as pool:
            for position, path in enumerate(files):
                order[str(path)] = position
                early = self._precheck(path, batch_shas)
                if isinstance(early, FileResult):
                    finish(early)
                    continue
                in_flight[pool.submit(path, then)] = (position, path, early)
                # A deep window keeps the workers busy while this process
                # stores results and brings the search index up to date.
                while len(in_flight) >= self.workers * 8:
                    collect(block_until_one=True)
                collect(block_until_one=False)
                sync_every(INDEX_SYNC_SECONDS)
            while in_flight:
                # Every file is submitted: bring the index up to date while
                # the workers read the last ones, not all of it after them.
                sync_every(INDEX_TAIL_SYNC_SECONDS)
                collect(block_until_one=True)
        results.sort(key=lambda r: order.get(r.path, len(order)))
        self.index.sync(self.store)
        return results

    @contextmanager
    def session(self, sync_index: bool = True) -> Iterator[IngestSession]:
        """A long-lived parser pool for ingesting one file at a time (the job worker)."""
        if sync_index:
            self.index.sync(self.store)
        with ExtractorPool(self.limits, workers=self.workers) as pool:
            yield IngestSession(self, pool)

    def _precheck(self, path: Path, batch_shas: dict[str, str]) -> FileResult | str:
        """Cheap checks before parsing: size, then the same bytes seen before."""
        shown = str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            return FileResult(shown, "rejected", reason=f"cannot read the file: {exc.strerror}",
                              reason_code="unreadable")
        if size == 0:
            return _rejected(shown, RejectedFile(RejectReason.EMPTY, "the file is empty"))
        if size > self.limits.max_file_bytes:
            limit_mb = self.limits.max_file_bytes // (1024 * 1024)
            return _rejected(shown, RejectedFile(
                RejectReason.TOO_LARGE,
                f"the file is {size / 1048576:.1f} MB, over the {limit_mb} MB limit"))
        sha = sha256_file(path)
        existing = self.store.find_by_sha256(sha) or batch_shas.get(sha)
        if existing:
            return FileResult(shown, "duplicate", review_id=existing,
                              reason="the same file is already stored")
        batch_shas[sha] = f"(earlier in this batch: {path.name})"
        return sha

    def _complete(self, path: Path, sha: str, future: Future[AnalysedDocument],
                  options: IngestOptions) -> FileResult:
        try:
            doc = future.result()
        except RejectedFile as exc:
            return _rejected(str(path), exc)
        try:
            return self._store(path, sha, doc, options)
        except RejectedFile as exc:
            return _rejected(str(path), exc)
        except DuplicateFile as dup:
            return FileResult(str(path), "duplicate", review_id=dup.review_key,
                              reason="the same file is already stored")
        except Exception as exc:  # one file's failure must not stop the batch
            if is_disk_full(exc):
                log.warning("no space left to store %s", path)
                return FileResult(str(path), "rejected", reason_code="disk_full",
                                  reason="no space left to store the file; free space and "
                                         "ingest it again")
            log.exception("storing %s failed", path)
            return FileResult(str(path), "rejected", reason_code="error",
                              reason=f"could not store the file: {type(exc).__name__}: {exc}")

    def _store(self, path: Path, sha: str, doc: AnalysedDocument,
               options: IngestOptions) -> FileResult:
        metadata = apply_options(doc.metadata, options, doc.language)
        values = {m.field: m.value for m in metadata}
        base, key = key_for(path, values.get("identifier"), doc.language)
        other = f"{base}-cy" if doc.language == "en" else base
        link = other if other != key and self.store.review_language(other) else None
        renditions = repositories.renditions(self.store)
        current = renditions.reading_state(key)
        decision = decide(current, doc.format, doc.text)
        stored = self.blobs.put(path, sha)
        if decision.outcome is Outcome.RENDITION and current is not None:
            return self._store_rendition(path, sha, stored, doc, options, key, current,
                                         decision.similarity or 0.0)
        promote = decision.outcome is Outcome.PROMOTE and current is not None
        review_key, version = self.store.add_version(NewVersion(
            review_key=key, sha256=sha, original_name=path.name, format=doc.format,
            size=path.stat().st_size, stored_path=str(stored), text=doc.text,
            page_count=doc.page_count, language=doc.language, passages=doc.passages,
            metadata=metadata, furniture=doc.furniture, ocr_pages=doc.ocr_pages,
            link_key=link, actor=options.actor,
            renditions_from=current.version_id if promote and current else None,
            access=None if options.access is None else replace(
                options.access, findings=doc.disclosure_findings),
        ))
        warnings = list(doc.warnings)
        if promote and current:
            warnings.append(promoted_note(doc.format, current, decision.similarity or 0.0))
        return FileResult(str(path), "ingested", review_id=review_key, version=version,
                          pages=doc.page_count, warnings=warnings,
                          disclosure_findings=doc.disclosure_findings,
                          access=self._access(review_key, options))

    def _access(self, review_key: str, options: IngestOptions) -> str | None:
        """The review's level now, for an upload that carried an access."""
        if options.access is None:
            return None
        found = self.store.review_access_of(review_key)
        return None if found is None else found.level.value

    def _store_rendition(self, path: Path, sha: str, stored: Path, doc: AnalysedDocument,
                         options: IngestOptions, key: str, current: ReadingState,
                         score: float) -> FileResult:
        repositories.renditions(self.store).add(NewRendition(
            review_key=key, version_id=current.version_id, sha256=sha,
            original_name=path.name, format=doc.format, size=path.stat().st_size,
            stored_path=str(stored), page_count=doc.page_count, similarity=score,
            actor=options.actor))
        return FileResult(str(path), "ingested", review_id=key, version=current.version,
                          warnings=[*doc.warnings, rendition_note(doc.format, current, score)],
                          rendition_of=current.version, access=self._access(key, options))


def apply_options(found: list[MetadataValue], options: IngestOptions,
                  language: str) -> list[MetadataValue]:
    """What the parser found, with the user's --type/--id/--board/--lang on top."""
    values = {m.field: m for m in found}
    values["language"] = MetadataValue("language", language,
                                       source="option" if options.language else "parsed")
    if options.type:
        values["type"] = MetadataValue("type", options.type, source="option")
    if options.identifier:
        parsed = parse_review_id(options.identifier)
        values["identifier"] = MetadataValue(
            "identifier", parsed.canonical() or options.identifier.strip(), source="option")
        if parsed.type and not options.type:
            values["type"] = MetadataValue("type", parsed.type, source="option")
    if options.board:
        values["board"] = MetadataValue(
            "board", normalise_board(options.board) or options.board, source="option")
    return list(values.values())


class IngestSession:
    """One file at a time over a pool kept between files; see IngestService.session()."""

    def __init__(self, service: IngestService, pool: ExtractorPool) -> None:
        self.service = service
        self.pool = pool

    def ingest_file(self, path: Path, options: IngestOptions | None = None,
                    sync_index: bool = True) -> FileResult:
        """Ingest one file exactly as `IngestService.ingest` would; then bring the
        search index up to date unless told not to."""
        options = options or IngestOptions()
        early = self.service._precheck(path, {})
        if isinstance(early, FileResult):
            return early
        result = self.service._complete(
            path, early, self.pool.submit(path, analyser(options.language)), options)
        if sync_index:
            self.service.index.sync(self.service.store)
        return result


def _rejected(path: str, exc: RejectedFile) -> FileResult:
    return FileResult(path, "rejected", reason=exc.message, reason_code=exc.reason.value)
