"""Giving a web worker's freed heap back to the system, and keeping the
cyclic garbage collector off what a worker loads once at start.

Under uploads, every change to the store makes each web worker reload the
passage-vector matrix and the practice scores (search/semantic.py,
coding/practice_rank.py): thousands of short-lived row objects, allocated on
whichever request thread searched, in that thread's glibc arena. Freed, they
leave holes between longer-lived blocks, and glibc returns only the top of a
heap to the system, so the pages stay resident: a worker's RSS rose with every
reload although what it held in use did not (issue 21; docs/deploy.md, "What
the growth is"). `malloc_trim(0)` hands every free page of every arena back
(madvise), which ordinary frees never do. A thread in each web worker calls it
every TRIM_SECONDS; where malloc is not glibc's (musl, macOS) nothing runs.

A full (generation 2) collection walks every tracked object in the process;
in a web worker that is ~180,000 objects of modules, FastAPI's routes and
pydantic models, compiled templates and the catalogue, and one pass took
60-95 ms, stalling every request the worker held. Under 20 clients that was
what set the search page's p95. `settle_startup_heap` moves what exists once
the worker is ready into the permanent generation (`gc.freeze`), so later
full collections walk only what requests have made since.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import threading
from collections.abc import Callable
from functools import cache

log = logging.getLogger("storfa.memory")

# Measured (bench/load_service.py, 8 min, 50 users, 10 uploads/min, two web
# workers): without trimming each worker ended ~30 MB above a fresh worker on
# the same store; trimmed every 30 s ~15 MB above, every 15 s ~3 MB. The trim
# holds each arena's lock in turn for at most tens of ms on such a heap.
TRIM_SECONDS = 15.0


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_heap() -> bool:
    """Return the free pages of every malloc arena to the system; True when
    some were returned (False too where the C library has no malloc_trim)."""
    trim = _malloc_trim()
    return bool(trim is not None and trim(0))


def start_heap_trimmer(every: float = TRIM_SECONDS,
                       stop: threading.Event | None = None) -> threading.Thread | None:
    """A daemon thread that releases the free heap every `every` seconds until
    `stop` is set; None where there is nothing to call."""
    if _malloc_trim() is None:
        return None
    stopping = stop or threading.Event()

    def run() -> None:
        while not stopping.wait(every):
            try:
                release_free_heap()
            except Exception:  # never let housekeeping end the worker
                log.exception("releasing the free heap failed")
                return

    thread = threading.Thread(target=run, name="storfa-heap-trim", daemon=True)
    thread.start()
    return thread


def settle_startup_heap() -> int:
    """Freeze every object alive now out of the collector's reach (call once,
    when a long-running process has loaded what it keeps); the number of
    objects frozen. They are never collected, so call it after start-up
    garbage is gone: a collection first frees it."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
