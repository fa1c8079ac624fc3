"""The pages town plugins add to the console (``commgov_console_pages``): ``/reports`` lists
those the plugins enabled on the reader's units offer; ``/reports/{name}`` draws one for a unit
and month from its plain data (tables, and bar charts drawn with ``svg.bar_chart``), so a
plugin never writes HTML and everything it says is escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Final

import attrs
from fastapi import FastAPI, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.map_pages import unit_choices
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.svg import Bar, bar_chart
from commgov.errors import (
    CommgovError,
    NotFoundError,
    PermissionDenied,
    PluginError,
    ValidationError,
)
from commgov.kernel.actors import Actor
from commgov.people.views import UnitView
from commgov.reports.model import PageChart, PageContent

MONTH: Final = re.compile(r"^(\d{4})-(\d{2})$")
FIELD_MOST: Final = 40

Words = Callable[[str], str]


@attrs.frozen
class Offered:
    """A page offered somewhere among the reader's units: its name, label and those units."""

    name: str
    label: str
    units: tuple[UnitView, ...]


class Refused(Exception):
    """A request the page cannot answer: the words to show and the status."""

    def __init__(self, problem: str, status: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.status = status


def add_plugin_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/reports`` and ``/reports/{name}?unit=<code>&month=YYYY-MM`` for staff."""
    site.add_nav(NavLink("/reports", "Town reports"))

    @app.get("/reports")
    def offered(request: Request) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        return site.page(request, visitor, "plugin_page.html", _index(site, visitor))

    @app.get("/reports/{name}")
    def one_page(
        request: Request,
        name: str,
        unit: Annotated[str, Query(max_length=FIELD_MOST)] = "",
        month: Annotated[str, Query(max_length=FIELD_MOST)] = "",
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        words: Words = partial(gettext, language(request))
        context = _index(site, visitor)
        try:
            shown = _shown(site, visitor, words, name=name, unit=unit, month=month)
        except Refused as refused:
            context["problem"] = refused.problem
            return site.page(request, visitor, "plugin_page.html", context, status=refused.status)
        return site.page(request, visitor, "plugin_page.html", {**context, **shown})


def _index(site: ConsoleSite, visitor: Visitor) -> dict[str, Any]:
    """The list of pages offered on the reader's units, with this month for the forms."""
    return {"offered": _offered(site, visitor.actor), "this_month": _this_month(site)}


def _offered(site: ConsoleSite, actor: Actor) -> list[Offered]:
    units: dict[str, list[UnitView]] = {}
    labels: dict[str, str] = {}
    for unit in unit_choices(site, actor):
        for name, label in site.cg.reports.pages(unit.code).items():
            units.setdefault(name, []).append(unit)
            labels.setdefault(name, label)
    return [Offered(name, labels[name], tuple(units[name])) for name in sorted(units)]


def _this_month(site: ConsoleSite) -> str:
    return site.cg.context.clock().astimezone(site.cg.time_zone).strftime("%Y-%m")


def _shown(
    site: ConsoleSite, visitor: Visitor, words: Words, *, name: str, unit: str, month: str
) -> dict[str, Any]:
    """The context of page ``name`` for the unit and month asked; ``Refused`` when it cannot
    be shown, in the reader's words."""
    offered = site.cg.reports.pages()
    if name not in offered:
        raise Refused(words("No town page is called “%(name)s”.") % {"name": name}, 404)
    year, number = _month(month.strip() or _this_month(site), words)
    code = unit.strip() or _first_unit(site, visitor.actor, name)
    try:
        content = site.cg.reports.page(visitor.actor, name, unit=code, year=year, month=number)
    except NotFoundError as error:
        raise Refused(words("No unit has the code %(code)s.") % {"code": code}, 404) from error
    except PermissionDenied as error:
        problem = words("The unit %(code)s is not one of yours.") % {"code": code}
        raise Refused(problem, 404) from error
    except ValidationError as error:
        raise _invalid(error, words, name=name, code=code) from error
    except PluginError as error:
        problem = words("The plugin that offers “%(name)s” answered wrongly.") % {"name": name}
        raise Refused(problem, 500) from error
    except CommgovError as error:
        problem = words("The page could not be made: %(reason)s") % {"reason": str(error)}
        raise Refused(problem, 422) from error
    return {
        "name": name,
        "label": offered[name],
        "unit": site.cg.grids.get(code),
        "month": f"{year:04d}-{number:02d}",
        "content": content,
        "charts": _charts(content),
    }


def _month(value: str, words: Words) -> tuple[int, int]:
    found = MONTH.match(value)
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        problem = words("The month “%(value)s” is not a month: write it as YYYY-MM, e.g. 2025-06.")
        raise Refused(problem % {"value": value}, 422)
    return int(found.group(1)), int(found.group(2))


def _first_unit(site: ConsoleSite, actor: Actor, name: str) -> str:
    """The first of the reader's units where page ``name`` is offered (or their first unit)."""
    choices = unit_choices(site, actor)
    for unit in choices:
        if name in site.cg.reports.pages(unit.code):
            return unit.code
    return choices[0].code if choices else ""


def _invalid(error: ValidationError, words: Words, *, name: str, code: str) -> Refused:
    """A refusal in words: the page not offered for the unit (404), else the field refused."""
    if error.field == "name":
        problem = words(
            "The page “%(name)s” is not offered for %(code)s: "
            "no plugin that offers it is enabled there."
        )
        return Refused(problem % {"name": name, "code": code}, 404)
    problem = words("%(field)s “%(value)s” was refused: %(reason)s")
    values = {"field": words(error.field), "value": error.value, "reason": error.reason}
    return Refused(problem % values, 422)


def _charts(content: PageContent) -> list[Markup]:
    return [_chart(chart) for chart in content.charts]


def _chart(chart: PageChart) -> Markup:
    bars = [Bar(label=b.label, value=b.value, shown=b.shown) for b in chart.bars]
    return bar_chart(chart.title, bars, most=chart.most)
