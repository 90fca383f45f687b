"""Entry for uvicorn worker processes: settings come from STORFA_* variables
(`storfa serve` sets STORFA_DATA from --data before starting them)."""

from __future__ import annotations

from fastapi import FastAPI

from storfa.app import Storfa
from storfa.config import Settings
from storfa.service.memory import settle_startup_heap
from storfa.web.app import create_app
from storfa.web.render import compile_templates


def create() -> FastAPI:
    app = create_app(Storfa(Settings.from_env()))
    compile_templates()
    # A full garbage collection over the start-up heap stalled a loaded
    # worker for 60-95 ms (service/memory.py); freeze it once it is built.
    settle_startup_heap()
    return app
