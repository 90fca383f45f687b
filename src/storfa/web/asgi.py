"""Entry for uvicorn worker processes: settings come from STORFA_* variables
(`storfa serve` sets STORFA_DATA from --data before starting them)."""

from __future__ import annotations

from fastapi import FastAPI

from storfa.app import Storfa
from storfa.config import Settings
from storfa.web.app import create_app


def create() -> FastAPI:
    return create_app(Storfa(Settings.from_env()))
