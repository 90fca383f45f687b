"""Coding analysis pages: the coding matrix with drill-down, chart and exports; co-occurrence; word frequencies."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
