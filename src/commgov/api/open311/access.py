"""The store as the Open311 routes reach it, the town a ``jurisdiction_id`` names, and who
reads: the holder of the request's key, or the public (no key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs
from starlette.requests import Request

from commgov.api.keys import presented_key
from commgov.api.open311.errors import Open311Error
from commgov.cases.model.numbers import TOWN_KINDS
from commgov.cases.model.vocab import CASE_READ
from commgov.cases.service.cases import CaseService
from commgov.errors import NotAuthenticated, NotFoundError, ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.web.state import api_state, current_actor_in_thread
from commgov.orders.service.orders import OrderService
from commgov.people.model.units import Unit, unit_target
from commgov.people.service.grids import GridService, load_unit
from commgov.people.service.residents import ResidentService

PUBLIC: Final = Actor.system("open311 public")
"""Reads for callers without a key; what they are shown is the public projection only."""


@attrs.frozen
class Store:
    """The services the Open311 routes use, from the app's state."""

    ctx: Context
    cases: CaseService
    orders: OrderService
    grids: GridService
    residents: ResidentService

    @classmethod
    def of(cls, request: Request) -> Store:
        state = api_state(request)
        return cls(
            ctx=state.ctx,
            cases=state.service(CaseService),
            orders=state.service(OrderService),
            grids=state.service(GridService),
            residents=state.service(ResidentService),
        )

    def town(self, code: str | None) -> Unit:
        """The town (or street) ``jurisdiction_id`` names: required, a 404 if unknown."""
        if code is None:
            raise Open311Error(400, "jurisdiction_id is required: a town's unit code")
        try:
            with self.ctx.uow(readonly=True) as uow:
                unit = load_unit(uow, code, field="jurisdiction_id")
        except (NotFoundError, ValidationError):
            raise Open311Error(404, f"jurisdiction_id={code[:40]!r}: no such town") from None
        if unit.kind not in TOWN_KINDS:
            raise Open311Error(404, f"jurisdiction_id={code!r}: a {unit.kind}, not a town")
        return unit

    def within(self, code: str, town: Unit) -> bool:
        """Whether the unit ``code`` lies in ``town`` (or is the town)."""
        with self.ctx.uow(readonly=True) as uow:
            return load_unit(uow, code).is_within(town.id)

    def reach(self, reader: Actor | None, town: Unit) -> Callable[[str], bool]:
        """Whether ``reader`` may read in full the cases of a unit (by code) of ``town``: its
        cases where the library lets it read them (``case.read`` on the unit or above)."""
        if reader is None:
            return lambda code: False
        if self.ctx.allowed(reader, CASE_READ, unit_target(town)):
            return lambda code: True
        below = self.grids.descendants(town.code, include_retired=True)
        children: dict[str, list[str]] = {}
        for unit in below:
            children.setdefault(unit.parent_code or "", []).append(unit.code)
        held = [u.code for u in below if u.id in reader.units]
        readable: set[str] = set()
        with self.ctx.uow(readonly=True) as uow:
            tops = [
                c
                for c in held
                if self.ctx.allowed(reader, CASE_READ, unit_target(load_unit(uow, c)))
            ]
        pending = list(tops)
        while pending:
            code = pending.pop()
            if code not in readable:
                readable.add(code)
                pending.extend(children.get(code, ()))
        return readable.__contains__


def reader_in_thread(request: Request) -> Actor | None:
    """The key holder reading, or ``None`` for a caller who presents no key (the public); a
    key presented but unknown, revoked or expired is refused, not read as public. Called from
    the route's worker thread."""
    try:
        return current_actor_in_thread(request)
    except NotAuthenticated:
        if presented_key(request) is None:
            return None
        raise
