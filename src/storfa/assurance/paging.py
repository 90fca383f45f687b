"""Pages of long assurance lists (the national index of returns, the boards of
a comparison, free-text answers), and downloads held by their content.

A page is PAGE_SIZE items; a page number past the end shows the last page.
The pages and the API share one rule: items are in one fixed order, and every
item is on exactly one page."""

from __future__ import annotations

import hashlib
import math
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 10**6  # beyond any real list; keeps offsets within SQL integers


@dataclass(frozen=True)
class Paging:
    page: int  # 1-based, within 1..pages
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def as_json(self) -> dict[str, int]:
        return {"page": self.page, "pages": self.pages, "per_page": self.per_page,
                "total": self.total}


def paging(total: int, page: int = 1, per_page: int = PAGE_SIZE) -> Paging:
    """The page asked for, kept within the pages there are."""
    per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
    pages = max(1, math.ceil(total / per_page))
    return Paging(min(max(page, 1), pages, MAX_PAGE), per_page, total)


def page_of(items: Sequence[Any], page: int = 1, per_page: int = PAGE_SIZE
            ) -> tuple[list[Any], Paging]:
    at = paging(len(items), page, per_page)
    return list(items[at.offset:at.offset + at.per_page]), at


# Downloads by their content: the same table (or report) as bytes, made once.
# The key is a hash of everything the bytes are made from, so a cached file is
# never stale; each download is still checked and audited by its service.
_HELD: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[str, bytes], bytes]] = \
    weakref.WeakKeyDictionary()
_HELD_FILES = 16
_HELD_BYTES = 64 * 1024 * 1024


def held_bytes(owner: Any, kind: str, content: object, make: Callable[[], bytes]) -> bytes:
    """`make()`'s bytes, kept per `owner` (a store) under a hash of `content`
    (its repr: tuples, lists and frozen dataclasses of plain values)."""
    key = (kind, hashlib.sha256(repr(content).encode("utf-8", "surrogatepass")).digest())
    held = _HELD.setdefault(owner, OrderedDict())
    if key in held:
        held.move_to_end(key)
        return held[key]
    data = make()
    held[key] = data
    while len(held) > _HELD_FILES or sum(map(len, held.values())) > _HELD_BYTES:
        held.popitem(last=False)
    return data


def forget_held_bytes() -> None:
    """Drop every held download (the bench can time cold exports)."""
    _HELD.clear()
