"""The alarm-folding window as a store option: kept in the store, set by a town administrator
or a system actor (audited), bounded, and used by intake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

import commgov
from commgov.kernel.tables import audit_log

from .conftest import SECRET, Clock, Town, build_town


def alarm(town: Town, device: str = "d1") -> commgov.CaseView:
    return town.report(
        town.admin, text="烟感", unit=town.grids[0], channel="sensor", device_id=device
    )


def test_the_window_folds_alarms_as_set(store_town: Town) -> None:
    town = store_town
    assert town.cases.alarm_window() == dt.timedelta(hours=1)
    first = alarm(town)
    town.clock.advance(minutes=50)
    assert alarm(town).id == first.id  # within the default hour
    town_admin = town.cg.staff.add(
        town.admin, name="镇管理员", role="town_admin", units=[town.town]
    )
    kept = town.cases.set_alarm_window(town.cg.staff.actor(town_admin.id), dt.timedelta(minutes=45))
    assert kept == town.cases.alarm_window() == dt.timedelta(minutes=45)
    town.clock.advance(minutes=50)
    second = alarm(town)
    assert second.id != first.id  # 50 minutes after the last alarm: a new case
    town.clock.advance(minutes=44)
    assert alarm(town).id == second.id
    town.cases.set_alarm_window(town.admin, dt.timedelta(0))  # never fold
    assert alarm(town).id not in (first.id, second.id)
    with town.cg.context.uow(readonly=True) as uow:
        rows = uow.conn.execute(
            select(audit_log.c.actor, audit_log.c.detail).where(
                audit_log.c.action == "cases.settings"
            )
        ).all()
    assert [r.detail for r in rows] == [{"from_s": 3600, "to_s": 2700}, {"from_s": 2700, "to_s": 0}]
    assert rows[0].actor.startswith("town_admin:")


def test_the_window_is_kept_in_the_store(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with commgov.open(path, secret_key=SECRET, discover_plugins=False) as cg:
        cg.cases.set_alarm_window(commgov.Actor.system(), dt.timedelta(minutes=20))
    with commgov.open(path, secret_key=SECRET, discover_plugins=False) as cg:
        assert cg.cases.alarm_window() == dt.timedelta(minutes=20)


@pytest.mark.parametrize(
    "window",
    [dt.timedelta(hours=24, seconds=1), dt.timedelta(minutes=-1), dt.timedelta(seconds=1.5), 45],
)
def test_bad_windows_are_refused(town: Town, window: object) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        town.cases.set_alarm_window(town.admin, window)  # type: ignore[arg-type]
    assert caught.value.field == "alarm_window"
    assert town.cases.alarm_window() == dt.timedelta(hours=1)


def test_only_town_administrators_and_the_system_set_it(town: Town) -> None:
    for actor in (town.workers[0], town.community_staff[0], town.residents[0]):
        with pytest.raises(commgov.PermissionDenied):
            town.cases.set_alarm_window(actor, dt.timedelta(minutes=5))
    assert town.cases.set_alarm_window(town.admin, dt.timedelta(hours=24)) == dt.timedelta(hours=24)


def test_every_process_on_the_store_uses_one_window(tmp_path: Path) -> None:
    """Two stores opened on one file see one window (each call reads the store)."""
    path = tmp_path / "shared.db"
    clock = Clock()
    with (
        commgov.open(path, secret_key=SECRET, clock=clock, discover_plugins=False) as one,
        commgov.open(path, secret_key=SECRET, clock=clock, discover_plugins=False) as two,
    ):
        town = build_town(one, clock)
        first = alarm(town)
        two.cases.set_alarm_window(commgov.Actor.system(), dt.timedelta(minutes=10))
        clock.advance(minutes=15)
        assert alarm(town).id != first.id
