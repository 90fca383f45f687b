"""Codebook pages: browse, create, edit, merge and retire codes; .qdc and .qdpx import and export."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
