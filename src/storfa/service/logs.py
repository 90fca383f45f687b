"""Structured logs for `storfa serve` and `storfa worker`: one JSON object a line
(STORFA_LOG_FORMAT=json, the default) or a readable line (text), on stderr.

Callers put their fields in `extra={"fields": {...}}`. Fields are chosen by the
caller, never copied from requests wholesale: request lines carry the route
template, not the path or query string, so no names, identifiers or search
terms reach the log."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

FORMATS = ("json", "text")


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "fields", None)
    return dict(fields) if isinstance(fields, dict) else {}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **fields_of(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = dt.datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        extra = " ".join(f"{k}={v}" for k, v in fields_of(record).items())
        text = f"{stamp} {record.levelname.lower()} {record.getMessage()}"
        text = f"{text} {extra}" if extra else text
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Send every logger's records to stderr in `log_format`, once per process."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def check_format(log_format: str) -> str:
    value = log_format.strip().casefold()
    if value not in FORMATS:
        from storfa.domain.errors import StorfaError

        raise StorfaError(f"STORFA_LOG_FORMAT must be one of {', '.join(FORMATS)} "
                          f"(got {log_format!r}).")
    return value
