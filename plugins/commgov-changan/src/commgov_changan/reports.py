"""Points for residents whose reports close with them satisfied (居民上报 → 积分).

A case a resident reported (channel ``resident``) that closes with a rating of 3 or more
(基本满意 and better) earns its reporter the town's ``true_report`` points. The reporter is the
member of the reporting household whose name the report's actor carries, else the household's
first member. Payment is once per case: the client id is ``changan:report:<case id>``, so the
hook and the office's own run cannot both pay.

Two ways to pay:

- ``ReportPoints(store)``, a plugin object holding the store: added with ``store.add_plugin``
  and enabled beside ``changan``, it pays inside the unit of work that closes the case (the
  close and the points commit together or not at all);
- ``award(store, actor, case_id)``, which the office runs for a case already closed (cases
  closed before the plugin was enabled, or a store without the hook)."""

from __future__ import annotations

from typing import Final

from commgov import (
    Actor,
    CaseInfo,
    Commgov,
    Earning,
    StateError,
    hookimpl,
)
from commgov_changan import points, vocab

SATISFIED: Final = 3
CHANNELS: Final = ("resident",)
PAYER: Final = Actor.system("changan report points")


def client_id(case_id: int) -> str:
    return f"changan:report:{case_id}"


def earns(channel: str, rating: int | None) -> bool:
    """Whether a closed case of ``channel`` with ``rating`` pays its reporter."""
    return channel in CHANNELS and rating is not None and rating >= SATISFIED


def reporter(store: Commgov, actor: Actor, case_id: int) -> int | None:
    """The resident who reported a case: by the name on the report within the reporting
    household, else its first member; ``None`` when no household reported it."""
    report = store.cases.history(actor, case_id)[0]
    household = report.data.get("household_id")
    if not isinstance(household, int):
        return None
    members = [m for m in store.residents.members(actor, household) if m.left_at is None]
    if not members:
        return None
    role, _, name = report.actor.partition(":")
    named = [m.id for m in members if role == "resident" and m.name == name]
    return named[0] if named else min(m.id for m in members)


def _pay(store: Commgov, actor: Actor, case_id: int, unit: str) -> Earning | None:
    if points.TRUE_REPORT not in store.points.table(unit):
        return None  # the town keeps no such activity: nothing to pay
    resident = reporter(store, actor, case_id)
    if resident is None:
        return None
    return store.points.earn(actor, resident, points.TRUE_REPORT, client_id=client_id(case_id))


def award(store: Commgov, actor: Actor, case_id: int) -> Earning | None:
    """Pay the reporter of a closed case their points (``None``: the case does not earn). A
    case that is not closed is a ``StateError``; a second call returns what the first paid."""
    case = store.cases.get(actor, case_id)
    if case.state != "closed":
        raise StateError(f"case_id={case_id}: case {case.number} is {case.state}, not closed")
    if not earns(case.channel, case.rating):
        return None
    return _pay(store, actor, case_id, case.unit_code)


class ReportPoints:
    """A plugin that pays a reporter when their case closes satisfied (``commgov_case_closed``).
    It holds the store it writes through: ``store.add_plugin(ReportPoints(store))``."""

    commgov_plugin_name = vocab.REPORT_POINTS

    def __init__(self, store: Commgov) -> None:
        self.store = store

    @hookimpl
    def commgov_case_closed(self, case: CaseInfo, rating: int | None, actor: Actor) -> None:
        if case.id is None or not earns(case.channel, rating):
            return
        _pay(self.store, PAYER, case.id, case.unit_code)
