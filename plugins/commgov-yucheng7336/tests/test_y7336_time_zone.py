"""Duty days are counted in the store's time zone (``Commgov.time_zone``), not in a fixed +08:00."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

import commgov
from commgov_yucheng7336 import compliance, duties
from conftest import Towns

PLAIN = {"name": "李明", "birth_date": "1990-01-01", "sex": "M"}
LATE_EVENING_IN_NEW_YORK = dt.datetime(2025, 6, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def towns_in(zone: str, tmp_path: Path, make_towns: Callable[..., Towns]) -> Towns:
    """A 7336 town on a store whose time zone is ``zone`` (kept in the store when made)."""
    key = commgov.new_secret_key()
    url = f"sqlite:///{tmp_path / 'town.db'}"
    commgov.open(url, time_zone=zone, secret_key=key, discover_plugins=False).close()
    return make_towns(url=url, secret_key=key)


@pytest.mark.parametrize(
    ("zone", "visit_day"),
    [("America/New_York", dt.date(2025, 6, 1)), ("Asia/Shanghai", dt.date(2025, 6, 2))],
)
def test_a_visit_counts_on_the_day_it_was_in_the_stores_zone(
    zone: str, visit_day: dt.date, tmp_path: Path, make_towns: Callable[..., Towns]
) -> None:
    t = towns_in(zone, tmp_path, make_towns)
    assert str(t.store.time_zone) == zone
    home = t.household(None, PLAIN)
    duties.record_visit(
        t.store, t.staff["grid_worker"], household_id=home, at=LATE_EVENING_IN_NEW_YORK
    )
    for day in (dt.date(2025, 6, 1), dt.date(2025, 6, 2)):
        row = next(r for r in compliance.daily(t.store, t.admin, t.grid, day) if r.grid == t.grid)
        assert (row.visit_days == 1) is (day == visit_day), (zone, day)
        assert row.met["visit"] is (day == visit_day)


def test_moment_is_midnight_in_the_stores_zone(
    tmp_path: Path, make_towns: Callable[..., Towns]
) -> None:
    t = towns_in("Europe/London", tmp_path, make_towns)
    midnight = compliance.moment(t.store, dt.date(2025, 6, 2))
    assert midnight.astimezone(dt.UTC) == dt.datetime(2025, 6, 1, 23, 0, tzinfo=dt.UTC)  # BST
    assert compliance.day_of(t.store, dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)) == dt.date(
        2025, 6, 2
    )
