"""Qualitative coding: codebooks as data, and the passage classifier that
suggests codes for them."""

from storfa.coding.codebooks import (
    Code,
    Codebook,
    UnknownCode,
    UnknownCodebook,
    builtin_codebooks,
    load_codebook,
)

__all__ = [
    "Code",
    "Codebook",
    "UnknownCode",
    "UnknownCodebook",
    "builtin_codebooks",
    "load_codebook",
]
