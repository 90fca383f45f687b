"""The published view for one web request (disclosure/published.py): the
review's editors read the original, everyone else what is published."""

from __future__ import annotations

from storfa.accounts.policy import can_edit
from storfa.disclosure.published import PublishedView
from storfa.web.context import Visitor


def published(v: Visitor) -> PublishedView:
    """The request's view, built once per request (its words are read lazily,
    in one query, the first time a redacted review is met)."""
    found = getattr(v.request.state, "storfa_published", None)
    if found is None:
        found = PublishedView(v.storfa.store, lambda row: can_edit(v.user, v.access(row)))
        v.request.state.storfa_published = found
    assert isinstance(found, PublishedView)
    return found
