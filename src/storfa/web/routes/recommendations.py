"""Recommendations register pages: filters, overdue flags, status changes with history, exports."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
