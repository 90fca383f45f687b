"""The ASGI application: pages at /, the JSON API at /api/v1, /healthz,
/readyz and /metrics.

`create_app(storfa)` builds it from the same services the CLI uses; the
`storfa serve` command runs it under uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storfa import __version__
from storfa.accounts import passwords
from storfa.app import Storfa
from storfa.domain.errors import StorfaError
from storfa.web import unavailable
from storfa.web.context import WebState, visitor
from storfa.web.observe import RequestLog
from storfa.web.render import render
from storfa.web.routes import (
    admin,
    agreement,
    analysis,
    analysis_api,
    api,
    assurance,
    assurance_api,
    assurance_exercises,
    assurance_exercises_api,
    auth,
    briefings,
    codebooks,
    coding,
    coding_api,
    coding_matrix,
    disclosure,
    health,
    pages,
    recommendations,
    recommendations_api,
    referrals,
    referrals_api,
    reports_api,
)
from storfa.web.routes.assurance import Refusal
from storfa.web.security import CookieSigner, SecurityHeaders, load_secret

log = logging.getLogger("storfa.web")
STATIC = Path(__file__).parent / "static"
API_DESCRIPTION = (
    "Search and read safeguarding reviews. Authenticate scripts with "
    "`Authorization: Bearer <token>` (create a token on your account page). "
    "Errors are problem documents with a 4xx status."
)


def _problem(status: int, detail: Any, title: str | None = None) -> JSONResponse:
    return JSONResponse({"type": "about:blank", "title": title or _title(status),
                         "status": status, "detail": detail},
                        status_code=status, media_type="application/problem+json")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _api_app(state: WebState) -> FastAPI:
    api_app = FastAPI(title="storfa API", version=__version__, description=API_DESCRIPTION,
                      openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    api_app.state.web = state
    api_app.include_router(api.router)
    api_app.include_router(assurance_api.router)
    api_app.include_router(assurance_exercises_api.router)
    api_app.include_router(referrals_api.router)
    api_app.include_router(coding_api.router)
    api_app.include_router(analysis_api.router)
    api_app.include_router(recommendations_api.router)
    api_app.include_router(reports_api.router)

    @api_app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        response = _problem(exc.status_code, exc.detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @api_app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return _problem(422, errors, "Invalid request")

    @api_app.exception_handler(StorfaError)
    async def storfa_error(_request: Request, exc: StorfaError) -> Response:
        return _problem(400, str(exc))

    unavailable.install(api_app, _problem)  # 503 + Retry-After, not 500

    @api_app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _problem(500, "Something went wrong on the server; it has been logged.")

    return api_app


def _bounded_threads(threads: int
                     ) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that lets a worker run at most `threads` requests at once
    (the rest queue in arrival order). The pages and API are CPU-bound under
    one GIL: at anyio's default of 40 threads, twenty clients' requests took
    turns at every query and each finished late (docs/performance.md, "Tail
    latency")."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, threads)
        yield

    return lifespan


def create_app(storfa: Storfa, secure_cookies: bool = False) -> FastAPI:
    # Hash the dummy password now, not on the first unknown username (timing).
    passwords.warm()
    state = WebState(storfa, CookieSigner(load_secret(storfa.settings.secret_key,
                                                      storfa.settings.shared_root)),
                     secure_cookies=secure_cookies)
    app = FastAPI(title="storfa", version=__version__, openapi_url=None, docs_url=None,
                  redoc_url=None, lifespan=_bounded_threads(storfa.settings.request_threads))
    app.state.web = state
    app.state.readiness = health.ReadinessProbe(storfa)
    app.add_middleware(SecurityHeaders)
    # Added last, so outermost: it times and logs everything, headers included.
    app.add_middleware(RequestLog)
    app.include_router(health.router)
    app.mount("/api/v1", _api_app(state))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (auth.router, pages.router, admin.router, analysis.router, coding.router,
                   coding_matrix.router, agreement.router, codebooks.router, recommendations.router,
                   briefings.router, disclosure.router, assurance.router,
                   assurance_exercises.router):
        app.include_router(router)
    app.include_router(referrals.router)

    @app.exception_handler(StarletteHTTPException)
    async def page_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            # An /api/ path the API mount did not take (Starlette's mount
            # pattern stops at an encoded newline): still a problem document.
            return _problem(exc.status_code, exc.detail)
        v = visitor(request)
        if exc.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if isinstance(exc, Refusal):
            message = v.error(exc.cause)
        elif exc.status_code == 404 and exc.detail == "Not Found":
            message = v._("There is no page at this address.")
        else:
            message = exc.detail
        return render(v, "error.html", status=exc.status_code, status_code=exc.status_code,
                      message=message)

    @app.exception_handler(RequestValidationError)
    async def page_invalid(request: Request, exc: RequestValidationError) -> Response:
        v = visitor(request)
        return render(v, "error.html", status=400, status_code=400,
                      message=v._("Some of what was sent could not be read."))

    @app.exception_handler(StorfaError)
    async def page_storfa_error(request: Request, exc: StorfaError) -> Response:
        return render(visitor(request), "error.html", status=400, status_code=400,
                      message=visitor(request).error(exc))

    unavailable.install(app, _problem)

    @app.exception_handler(Exception)
    async def page_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _problem(500, "Something went wrong on the server; it has been logged.")

    return app
