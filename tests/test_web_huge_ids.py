"""The server never fails on a request: a path id no database row can have
(beyond a 64-bit integer, or negative) is answered as "not found", never 500.

Every route with an integer path parameter is asked, by GET and POST, as an
administrator (who passes every access check, so the lookup itself is what
runs), on both backends."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from backends import PostgresRun
from webworld import World, backend_env, build_world

HUGE = str(2**70)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"ids-{request.param}")
        site = build_world(base / "data", base / "reviews")
        yield site
        site.close()


def _routes(routes: list[object], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    for route in routes:
        if isinstance(route, APIRoute):
            ints = [p.name for p in route.dependant.path_params if p.field_info.annotation is int]
            if ints:
                yield prefix + route.path, set(route.methods or ())
        elif isinstance(route, Mount):
            yield from _routes(list(route.routes), prefix + route.path)
        elif (router := getattr(route, "original_router", None)) is not None:
            # FastAPI keeps an included router behind a wrapper of its own.
            yield from _routes(list(router.routes),
                               prefix + getattr(route.include_context, "prefix", ""))


def test_every_integer_path_id_out_of_range_is_not_found(world: World) -> None:
    admin = world.client("administrator")
    token = world.page_csrf("administrator")
    asked = 0
    for path, methods in _routes(list(world.app.routes)):
        for value in (HUGE, "-1"):
            url = re.sub(r"\{[^}:]+(?::int)?\}", value, path)
            for method in methods & {"GET", "POST", "PUT", "DELETE"}:
                response = admin.request(method, url, data={"csrf_token": token}
                                         if method == "POST" else None)
                asked += 1
                assert response.status_code < 500, f"{method} {url}: {response.status_code}"
    assert asked >= 10  # the walk found the routes


def test_the_walk_sees_integer_parameters() -> None:
    # The route walk above must read FastAPI's parameters; a rename would
    # make it silently ask nothing.
    from fastapi import APIRouter, FastAPI

    app, router, api = FastAPI(), APIRouter(), FastAPI()

    @router.get("/things/{thing_id}")
    def thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @api.post("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    app.include_router(router, prefix="/p")
    app.mount("/api", api)
    assert sorted(_routes(list(app.routes))) == [("/api/items/{item_id}", {"POST"}),
                                                 ("/p/things/{thing_id}", {"GET"})]
