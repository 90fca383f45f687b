"""Learning outputs: 7-minute briefings and thematic reports (edit, then PDF or DOCX)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
