"""What every parse worker needs, loaded once in the forkserver that forks them.

`ExtractorPool` asks the forkserver to import this module before it forks a
worker (`sandbox.start_server`), so each worker starts with the parsers, the
per-document analysis and the language model already in memory, shared
copy-on-write. When each worker loaded its own, that was ~0.9 s of CPU per
worker at the start of every ingest and of every recycled worker: most of a
small batch's wall clock on two cores."""

from __future__ import annotations

import contextlib
import os

# Workers are one per core already; the language model's small products need
# no BLAS thread pool (and a forked pool's threads would not survive anyway).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import storfa.disclosure.check
import storfa.ingest.analyse
import storfa.ingest.clean
import storfa.ingest.extractors.docx
import storfa.ingest.extractors.html
import storfa.ingest.extractors.pdf  # noqa: F401
from storfa.ingest.language import load_model

# The forkserver must start whatever happens; a worker loads it on first need.
with contextlib.suppress(Exception):
    load_model()
