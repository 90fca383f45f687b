"""One log line and one latency observation per HTTP request.

Both name the route template (`/api/v1/reviews/{review_id}`), never the path
or its query string: a path can hold a review identifier and a query string a
search or a name, and templates keep the metric's label values few. A request
no route matched is `<unmatched>`. Each request gets an id (the caller's
X-Request-ID when it is a plain token, else a new one), echoed in the response
so a user's report can be found in the log."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storfa.web.metrics import REQUEST_SECONDS

log = logging.getLogger("storfa.requests")
REQUEST_ID = "x-request-id"
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(scope: Scope) -> str:
    """The template of the route that answered, with the prefix of any mount."""
    route: Any = scope.get("route")
    # Mounts add their prefix to root_path; the app's own root_path is "".
    prefix = str(scope.get("root_path", ""))
    path = getattr(route, "path", None)
    if path is None or isinstance(route, Mount):
        # Inside a mount but no route of its app (static files, an unknown
        # /api/v1 path): the mount's prefix. Outside any mount: unmatched.
        return f"{prefix}/{{path}}" if prefix else "<unmatched>"
    return f"{prefix}{path}"


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID.encode():
            given = str(value.decode("latin-1"))
            if _PLAIN_ID.fullmatch(given):
                return given
    return uuid.uuid4().hex


class RequestLog:
    """Pure ASGI middleware, like SecurityHeaders: cheap on every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500  # what the client gets if the app raises before answering

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []),
                                      (REQUEST_ID.encode(), request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            seconds = time.perf_counter() - started
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            route = route_template(scope)
            REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)
            log.info("request", extra={"fields": {
                "event": "request", "method": method, "route": route, "status": status,
                "duration_ms": round(seconds * 1000, 2), "request_id": request_id}})
