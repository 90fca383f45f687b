"""Templates: autoescaped Jinja2, with the visitor's translations and CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from storfa.domain.ids import review_heading
from storfa.domain.recommendations import STATUS_NAMES
from storfa.web.context import Visitor
from storfa.web.i18n import LANGUAGES
from storfa.web.searching import FACET_PARAMS
from storfa.web.security import CSRF_COOKIE

TEMPLATES = Path(__file__).parent / "templates"

# Templates ship with the package: no need to stat them on every render.
env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                  trim_blocks=True, lstrip_blocks=True, auto_reload=False)


def with_params(params: dict[str, Any], **changes: Any) -> str:
    """A query string with some parameters changed (None removes one)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def add_param(query: str, key: str, value: Any) -> str:
    """`query` (a with_params result without `key`) with key=value added: a
    search page links each of up to sixty facet values, and building each
    link's query string from the parameters again was a twentieth of its CPU."""
    pair = f"{quote_plus(key)}={quote_plus(str(value))}"
    return f"{query}&{pair}" if query else pair


def lead_in(question: str) -> str:
    """A question put before an answer: with a colon, unless it already ends
    in a stop, question mark or colon ("How are references checked?: …")."""
    question = question.rstrip()
    return question if question[-1:] in ".?!:" else question + ":"


env.filters["lead_in"] = lead_in
env.globals["with_params"] = with_params
env.globals["add_param"] = add_param
env.globals["review_heading"] = review_heading
env.globals["facet_param"] = FACET_PARAMS
env.globals["status_names"] = STATUS_NAMES


def set_csrf_cookie(v: Visitor, response: Response) -> None:
    if v.new_csrf_cookie and v.user is None:
        response.set_cookie(CSRF_COOKIE, v.state.signer.sign(v.csrf_token), httponly=True,
                            samesite="lax", secure=v.state.secure_cookies)


def render(v: Visitor, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = env.get_template(name).render(
        _=v._, v=v, user=v.user, lang=v.lang, languages=LANGUAGES, csrf=v.csrf_token,
        request=v.request, path=v.request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    set_csrf_cookie(v, response)
    return response


def compile_templates() -> int:
    """Compile every page template now (a web worker does this at start, so
    the compiled code is among what `service.memory.settle_startup_heap`
    takes out of the collector's reach); the number compiled."""
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        env.get_template(name)
    return len(names)
