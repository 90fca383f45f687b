"""Timestamps as storfa stores them: UTC, ISO 8601, whole seconds."""

from __future__ import annotations

import datetime as dt


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
