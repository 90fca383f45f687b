"""The audit log's hash chain: each event's hash covers the one before it,
so a row changed or removed afterwards breaks every later hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64


def event_hash(prev_hash: str, at: str, actor: str, action: str, object_type: str,
               object_id: str, detail: str) -> str:
    payload = json.dumps([prev_hash, at, actor, action, object_type, object_id, detail])
    return hashlib.sha256(payload.encode()).hexdigest()


def first_broken_link(rows: Iterable[Mapping[str, Any]]) -> int | None:
    """The id of the first event whose hash does not follow, or None."""
    prev = GENESIS
    for row in rows:
        expected = event_hash(prev, row["at"], row["actor"], row["action"],
                              row["object_type"], row["object_id"], row["detail"])
        if row["prev_hash"] != prev or row["hash"] != expected:
            return int(row["id"])
        prev = row["hash"]
    return None
