"""Objects built once per web request compute their lazy parts without a lock.

In Python 3.11 `functools.cached_property` holds one lock per class while it
computes, so on a class instantiated per request every request's first use
waits for every other's (a search page's redaction lookup did: 15% of its time
under load). Per-request classes use plain lazy attributes instead."""

from __future__ import annotations

import functools
import inspect

import pytest

from storfa.disclosure.published import PublishedView
from storfa.web.context import Visitor


@pytest.mark.parametrize("cls", [PublishedView, Visitor])
def test_no_class_wide_lock_on_a_per_request_class(cls: type) -> None:
    locked = [name for name, attr in inspect.getmembers(cls)
              if isinstance(attr, functools.cached_property)]
    assert locked == [], f"{cls.__name__}: {locked} use functools.cached_property"
