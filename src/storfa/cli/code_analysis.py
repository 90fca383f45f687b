"""`storfa code matrix | cooccurrence | words | binary`: analysis of coding
(docs/coding.md). Registered on the `storfa code` group."""

from __future__ import annotations

from storfa.cli.code import code_app  # noqa: F401  (commands are added to this group)
