"""The three rates of the case loop (响应率, 解决率, 满意率) for a unit and a month, for the
unit and each unit right below it, as a table and as bar charts (``cg.cases.rates``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, Final

import attrs
from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from commgov.api.console.request_words import Words, words_for
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.staff_units import chosen_unit, top_units, visible_units
from commgov.api.console.svg import Bar, bar_chart
from commgov.cases.service.metrics import CaseRates
from commgov.errors import CommgovError, ValidationError

PERIOD: Final = re.compile(r"(\d{4})-(\d{2})")
YEARS: Final = range(1970, 9999)


@attrs.frozen
class Rate:
    """One of the three rates: its field on ``CaseRates``, its numerator's and
    denominator's, and its name (a message id)."""

    field: str
    numerator: str
    denominator: str
    name: str

    def value(self, row: CaseRates) -> float | None:
        found: float | None = getattr(row, self.field)
        return found

    def shown(self, row: CaseRates) -> str:
        """``87.5%``, or ``—`` while nothing is owed."""
        value = self.value(row)
        return "—" if value is None else f"{value * 100:.1f}%"

    def counts(self, row: CaseRates) -> str:
        return f"{getattr(row, self.numerator)}/{getattr(row, self.denominator)}"


RATES: Final = (
    Rate("response_rate", "responded_on_time", "response_owed", "Response rate"),
    Rate("resolution_rate", "resolved", "resolution_owed", "Resolution rate"),
    Rate("satisfaction_rate", "satisfied", "rated", "Satisfaction rate"),
)


@attrs.frozen
class Period:
    """A calendar month in the store's time zone: ``[start, end)``."""

    year: int
    month: int
    zone: dt.tzinfo

    @classmethod
    def parse(cls, given: str, zone: dt.tzinfo) -> Period:
        """``YYYY-MM``; else ``ValidationError`` on ``period``."""
        found = PERIOD.fullmatch(given)
        if found is None or int(found.group(1)) not in YEARS or not 1 <= int(found.group(2)) <= 12:
            raise ValidationError("period", given, "expected a month as YYYY-MM")
        return cls(int(found.group(1)), int(found.group(2)), zone)

    @classmethod
    def of(cls, moment: dt.datetime, zone: dt.tzinfo) -> Period:
        local = moment.astimezone(zone)
        return cls(local.year, local.month, zone)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=self.zone)

    @property
    def end(self) -> dt.datetime:
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return dt.datetime(year, month, 1, tzinfo=self.zone)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def unit_rates(site: ConsoleSite, visitor: Visitor, unit: str, period: Period) -> list[CaseRates]:
    """The unit's rates first, then each unit right below it."""
    cg, actor = site.cg, visitor.actor
    start, end = period.start, period.end
    rows = cg.cases.rates(actor, unit, start=start, end=end)
    if cg.grids.children(unit):
        rows += cg.cases.rates(actor, unit, start=start, end=end, by="child")
    return rows


def charts(words: Words, rows: Sequence[CaseRates]) -> list[Markup]:
    """A bar chart per rate, a bar per unit, scaled to 100%."""
    return [
        bar_chart(
            words(rate.name),
            [Bar(row.unit_name, (rate.value(row) or 0.0) * 100, rate.shown(row)) for row in rows],
            most=100.0,
        )
        for rate in RATES
    ]


def rates_page(
    site: ConsoleSite, request: Request, visitor: Visitor, given: dict[str, str]
) -> Response:
    """The rates for the unit and month ``given`` (defaults: the visitor's first unit, this
    month); a bad one gives the page with its problem (422)."""
    words = words_for(request)
    zone = site.cg.time_zone
    units = visible_units(site, visitor.actor)
    tops = top_units(site, visitor.actor)
    context: dict[str, Any] = {"units": units, "given": dict(given), "rates": RATES}
    context |= {"rows": [], "charts": [], "error": None}
    try:
        unit = chosen_unit(given["unit"] or (tops[0].code if tops else ""), units)
        now = site.cg.context.clock()
        period = Period.parse(given["period"], zone) if given["period"] else Period.of(now, zone)
        context["given"] = {"unit": unit, "period": str(period)}
        rows = unit_rates(site, visitor, unit, period)
    except CommgovError as exc:
        status, context["error"] = words.problem(exc)
        return site.page(request, visitor, "rates.html", context, status=status)
    context |= {"rows": rows, "charts": charts(words, rows)}
    return site.page(request, visitor, "rates.html", context)


def add_rate_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/rates?unit=<code>&period=<YYYY-MM>``: the three rates with charts."""
    site.add_nav(NavLink("/rates", "Rates"))

    @app.get("/rates")
    def rates(request: Request, unit: str = "", period: str = "") -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        return rates_page(site, request, visitor, {"unit": unit, "period": period})
