"""Rendering the console's pages: Jinja2 templates (autoescaped) in the request's language."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from commgov.api.console.i18n import LANG_COOKIE, LOCALES, gettext, language

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"


@cache
def environment(lang: str) -> Environment:
    """The templates with ``_`` translating into ``lang``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = partial(gettext, lang)
    env.globals["lang"] = lang
    env.globals["languages"] = LOCALES
    return env


def render(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    """``template`` filled with ``context`` (and the request) in the request's language; a
    language asked for by ``?lang=`` is remembered in a cookie."""
    lang = language(request)
    page = environment(lang).get_template(template)
    html = page.render(request=request, root=request.scope.get("root_path", ""), **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
