"""Lists a clerk asks for: cases under a unit filtered by state, category, channel, when they
were reported, lead and overdue, combined, in a stable order, a page at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import commgov

from .conftest import START, Town


def ids(found: list[commgov.CaseView]) -> list[int]:
    return [c.id for c in found]


def _town_cases(town: Town) -> dict[str, int]:
    """Six cases over three days in two communities, two dispatched, three overdue."""
    made: dict[str, int] = {}
    lead = f"staff:{town.workers[0].staff_id}"
    made["fire"] = town.report(text="堆物", category="safety.fire", channel="hotline").id
    made["noise"] = town.report(
        town.admin, text="噪音", category="dispute.neighbour", unit=town.grids[1]
    ).id
    town.clock.advance(days=1)
    made["lamp"] = town.report(text="路灯", category="facilities", channel="hotline").id
    made["alarm"] = town.report(
        town.admin, text="烟感", unit=town.grids[2], channel="sensor", device_id="d1"
    ).id
    town.clock.advance(days=1)
    made["family"] = town.report(
        town.admin, text="家事", category="dispute.family", unit=town.grids[3]
    ).id
    made["late"] = town.report(text="急事", severity="critical", channel="hotline").id
    for name in ("fire", "lamp"):
        town.cases.apply_many(
            town.admin,
            [
                {"case_id": made[name], "action": "accept"},
                {"case_id": made[name], "action": "triage", "owner_level": "grid"},
                {"case_id": made[name], "action": "dispatch", "lead": lead},
            ],
        )
    town.clock.advance(hours=3)  # the critical case is past its response deadline
    return made


def test_filters_alone_and_combined(store_town: Town) -> None:
    town = store_town
    made = _town_cases(town)
    admin, under = town.admin, town.cases.under
    everything = under(admin, town.town)
    assert ids(everything) == sorted(made.values())
    lead = f"staff:{town.workers[0].staff_id}"
    checks: list[tuple[dict[str, Any], list[str]]] = [
        ({"state": "dispatched"}, ["fire", "lamp"]),
        ({"state": ["reported", "dispatched"]}, list(made)),
        ({"category": "dispute"}, ["noise", "family"]),  # with the categories below it
        ({"category": "dispute.family"}, ["family"]),
        ({"channel": "hotline"}, ["fire", "lamp", "late"]),
        ({"channel": "sensor"}, ["alarm"]),
        ({"lead": lead}, ["fire", "lamp"]),
        ({"lead": "department:T-fire"}, []),
        ({"overdue": True}, ["noise", "alarm", "late"]),  # not responded within 24 h, 1 h
        ({"overdue": True, "channel": "hotline"}, ["late"]),
        ({"since": START + dt.timedelta(days=1)}, ["lamp", "alarm", "family", "late"]),
        ({"until": START + dt.timedelta(days=1)}, ["fire", "noise"]),
        ({"since": START.date(), "until": START.date()}, ["fire", "noise"]),  # whole days
        ({"channel": "hotline", "state": "reported"}, ["late"]),
        ({"channel": "hotline", "lead": lead, "since": START + dt.timedelta(hours=1)}, ["lamp"]),
        ({"category": "dispute", "state": "dispatched"}, []),
    ]
    for given, expected in checks:
        assert ids(under(admin, town.town, **given)) == [made[n] for n in expected], given
    assert ids(under(admin, town.communities[1])) == [made["alarm"], made["family"]]
    assert ids(under(town.workers[0], town.grids[0], channel="hotline")) == [
        made["fire"],
        made["lamp"],
        made["late"],
    ]


def test_pages_follow_the_id_order(store_town: Town) -> None:
    town = store_town
    made = sorted(_town_cases(town).values())
    seen: list[int] = []
    after = None
    while True:
        page = town.cases.under(town.admin, town.town, limit=4, after_id=after)
        if not page:
            break
        seen += ids(page)
        after = page[-1].id
    assert seen == made
    assert ids(town.cases.under(town.admin, town.town, state="reported", limit=1)) == [made[1]]


def test_dates_count_in_the_stores_zone(town: Town) -> None:
    """Asia/Shanghai: a case reported at 17:00 UTC falls on the next day there."""
    town.clock.now = dt.datetime(2025, 6, 2, 17, 0, tzinfo=dt.UTC)  # 3 June, 01:00 local
    case = town.report()
    june_2, june_3 = dt.date(2025, 6, 2), dt.date(2025, 6, 3)
    assert town.cases.under(town.admin, town.town, until=june_2) == []
    assert ids(town.cases.under(town.admin, town.town, since=june_3, until=june_3)) == [case.id]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"state": "lost"}, "state"),
        ({"state": ["reported", "open"]}, "state"),
        ({"category": "no.such"}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"lead": "mayor:1"}, "lead"),
        ({"lead": "staff:abc"}, "lead"),
        ({"since": dt.datetime(2025, 6, 2)}, "since"),  # naive
        ({"since": "2025-06-02"}, "since"),
        ({"since": START, "until": START}, "until"),
        ({"limit": 0}, "limit"),
        ({"limit": 10_001}, "limit"),
        ({"after_id": "3"}, "after_id"),
        ({"overdue": "yes"}, "overdue"),
    ],
)
def test_bad_filters_name_the_field(town: Town, given: dict[str, Any], field: str) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        town.cases.under(town.admin, town.town, **given)
    assert caught.value.field == field


def test_lists_check_the_unit_and_the_reach(town: Town) -> None:
    town.report()
    with pytest.raises(commgov.NotFoundError):
        town.cases.under(town.admin, "411425100009999")
    with pytest.raises(commgov.PermissionDenied):
        town.cases.under(town.workers[1], town.grids[0], state="reported")
