"""Coding pages: the suggestion queue (keyboard), coding a selection in the reader, undo, blind coding."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
