"""Parse untrusted files in worker processes so a hostile file kills only its worker.

Each worker runs with RLIMIT_AS (memory) set once by the initializer and a fresh
RLIMIT_CPU allowance per task; the pool adds a wall-clock timeout. The worker returns
the already-cleaned document, so extraction *and* cleaning use every core.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from pebble import ProcessExpired, ProcessPool

from storfa.domain.documents import ExtractedDocument
from storfa.domain.errors import RejectedFile, RejectReason
from storfa.ingest.limits import ExtractLimits

__all__ = ["ExtractLimits", "ExtractorPool", "extract_in_sandbox"]

# What the forkserver imports before it forks a worker: the main module (as
# multiprocessing does by default) and what every worker needs (worker_start).
_PRELOAD = ["__main__", "storfa.ingest.worker_start"]

# Result tags: RejectedFile does not survive pickling, so workers return tagged tuples.
_OK, _REJECTED, _FAILED = "ok", "rejected", "failed"


def _init_worker(memory_bytes: int) -> None:
    if memory_bytes > 0:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # Import the parsers up front so the first task doesn't pay for it (a worker
    # forked from the forkserver has them already: worker_start).
    import storfa.ingest.clean
    import storfa.ingest.extractors.docx
    import storfa.ingest.extractors.html
    import storfa.ingest.extractors.pdf  # noqa: F401


def _set_cpu_allowance(seconds: int) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _run_task(path: str, limits: ExtractLimits,
              then: Callable[[ExtractedDocument], Any] | None = None) -> tuple[str, Any, str]:
    """Worker entry point: extract + clean one file, then apply `then` (the
    caller's own per-document work, so it too runs on every core); never raises."""
    from storfa.ingest.clean import clean_document
    from storfa.ingest.extractors import extract_document, text_chars

    _set_cpu_allowance(limits.cpu_seconds)
    try:
        doc = clean_document(extract_document(Path(path), limits))
        if text_chars(doc) > limits.max_text_chars:
            return (_REJECTED, RejectReason.RESOURCE_LIMIT.value,
                    f"extracted text exceeds {limits.max_text_chars:,} characters")
        return (_OK, then(doc) if then is not None else doc, "")
    except RejectedFile as exc:
        return (_REJECTED, exc.reason.value, exc.message)
    except MemoryError:
        return (_REJECTED, RejectReason.RESOURCE_LIMIT.value,
                "parser exceeded its memory limit")
    except RecursionError:
        return (_REJECTED, RejectReason.CORRUPT.value, "file structure is nested too deeply")
    except Exception as exc:
        return (_FAILED, None, f"{type(exc).__name__}: {exc}"[:500])


def _settle(inner: concurrent.futures.Future[tuple[str, Any, str]],
            outer: concurrent.futures.Future[Any],
            limits: ExtractLimits) -> None:
    if not outer.set_running_or_notify_cancel():
        return
    if inner.cancelled():
        outer.cancel()
        return
    exc = inner.exception()
    if exc is None:
        tag, value, message = inner.result()
        if tag == _OK:
            outer.set_result(value)
        elif tag == _REJECTED:
            outer.set_exception(RejectedFile(RejectReason(value), message))
        else:
            outer.set_exception(RejectedFile(RejectReason.CORRUPT,
                                             f"the parser failed on this file ({message})"))
    elif isinstance(exc, TimeoutError):
        outer.set_exception(RejectedFile(
            RejectReason.RESOURCE_LIMIT,
            f"parser exceeded its CPU/memory limit (no result after "
            f"{2 * limits.cpu_seconds}s wall clock)"))
    elif isinstance(exc, ProcessExpired):
        outer.set_exception(RejectedFile(
            RejectReason.RESOURCE_LIMIT,
            f"parser exceeded its CPU/memory limit (worker died: {exc})"))
    elif isinstance(exc, MemoryError):
        outer.set_exception(RejectedFile(RejectReason.RESOURCE_LIMIT,
                                         "parser exceeded its CPU/memory limit (out of memory)"))
    else:
        outer.set_exception(RejectedFile(
            RejectReason.RESOURCE_LIMIT,
            f"parser exceeded its CPU/memory limit or crashed ({type(exc).__name__}: {exc})"))


def _context() -> multiprocessing.context.BaseContext:
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)  # no effect once the server runs
    return context


def start_server() -> None:
    """Start the process that forks the parse workers, now, loading what they
    need (ingest/worker_start.py) while the caller goes on with its own start-up.
    A pool started later forks its workers from it at once. Idempotent; a no-op
    where workers are spawned instead (not Linux)."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class ExtractorPool:
    """A pool of sandboxed extraction workers (use as a context manager)."""

    def __init__(self, limits: ExtractLimits | None = None, workers: int | None = None,
                 max_tasks: int = 200) -> None:
        self.limits = limits or ExtractLimits()
        self.workers = workers or os.cpu_count() or 1
        self._pool = ProcessPool(max_workers=self.workers, max_tasks=max_tasks,
                                 initializer=_init_worker,
                                 initargs=(self.limits.memory_bytes,),
                                 context=_context())

    def submit(self, path: Path, then: Callable[[ExtractedDocument], Any] | None = None,
               ) -> concurrent.futures.Future[Any]:
        """Extract and clean `path` in a worker, then apply `then` there (a picklable,
        module-level function). The future holds the document or `then`'s result,
        or raises RejectedFile."""
        from storfa.ingest.extractors import check_size

        outer: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            check_size(path, self.limits)
        except RejectedFile as exc:
            outer.set_running_or_notify_cancel()
            outer.set_exception(exc)
            return outer
        inner = self._pool.schedule(_run_task, args=(str(path), self.limits, then),
                                    timeout=2 * self.limits.cpu_seconds)
        limits = self.limits
        inner.add_done_callback(lambda f: _settle(f, outer, limits))
        return outer

    def close(self) -> None:
        self._pool.close()  # type: ignore[no-untyped-call]
        self._pool.join()

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join()


def extract_in_sandbox(path: Path, limits: ExtractLimits | None = None) -> ExtractedDocument:
    """Extract one file in a throwaway single-worker sandbox (raises RejectedFile)."""
    with ExtractorPool(limits, workers=1) as pool:
        doc: ExtractedDocument = pool.submit(path).result()
        return doc
