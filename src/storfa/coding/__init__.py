"""Qualitative coding: codebooks as data, and the passage classifier that
suggests codes for them."""

from storfa.coding.codebooks import builtin_codebooks, load_codebook
from storfa.domain.codebooks import Code, Codebook, UnknownCode, UnknownCodebook

__all__ = [
    "Code",
    "Codebook",
    "UnknownCode",
    "UnknownCodebook",
    "builtin_codebooks",
    "load_codebook",
]
