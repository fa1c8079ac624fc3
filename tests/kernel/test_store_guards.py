"""What the store refuses whatever the call: text with NUL or lone surrogates, text longer than
its column, ids that are not 64-bit whole numbers, naive or out-of-range times, JSON nested too
deep. Each is a ``ValidationError`` naming the field, on SQLite and PostgreSQL alike, and
nothing is written. Times come back aware and in UTC on both back ends."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import NOW, SECRET, Town, build_town, row_counts

import commgov
from commgov.errors import ConfigurationError, NotFoundError, ValidationError
from commgov.kernel.columns import Moment, Str

SHANGHAI = ZoneInfo("Asia/Shanghai")

BAD_TEXT = [
    pytest.param("一号\x00网格", "NUL", id="nul"),
    pytest.param("一号\ud800网格", "surrogate", id="lone-surrogate"),
]


@pytest.mark.parametrize(("name", "why"), BAD_TEXT)
def test_text_the_store_cannot_keep_is_refused_naming_the_field(
    any_town: Town, name: str, why: str
) -> None:
    cg = any_town.cg
    before = row_counts(cg)
    with pytest.raises(ValidationError, match=why) as raised:
        cg.grids.create(
            any_town.admin,
            code="411425100001003",
            name=name,
            kind="grid",
            parent=any_town.community_a,
        )
    assert raised.value.field == "name"
    with pytest.raises(ValidationError, match=why):
        cg.records.add(any_town.admin, kind="note", unit=any_town.grid_a1, data={"text": name})
    assert row_counts(cg) == before


def test_text_longer_than_its_column_is_refused_on_both_back_ends(any_town: Town) -> None:
    cg = any_town.cg
    before = row_counts(cg)
    with pytest.raises(ValidationError) as raised:
        cg.grids.create(
            any_town.admin,
            code="411425100001003",
            name="网" * 300,
            kind="grid",
            parent=any_town.community_a,
        )
    assert raised.value.field == "name"
    assert row_counts(cg) == before


@pytest.mark.parametrize(
    "bad_id", [pytest.param("1", id="text"), True, math.inf, -math.inf, 2**64, 1.0]
)
def test_ids_that_are_not_whole_64_bit_numbers_are_refused(any_town: Town, bad_id: Any) -> None:
    cg = any_town.cg
    with pytest.raises(ValidationError):
        cg.cases.get(any_town.admin, bad_id)
    with pytest.raises(ValidationError) as raised:
        cg.residents.household(any_town.admin, bad_id)
    assert raised.value.field in ("household_id", "id")


def test_an_actor_name_longer_than_the_store_keeps_is_refused_before_any_write() -> None:
    with pytest.raises(ValidationError) as raised:
        commgov.Actor(role="town_admin", name="管" * 201)
    assert raised.value.field == "name"
    with pytest.raises(ValidationError) as raised:
        commgov.Actor(role="town_admin", name="x\x00y")
    assert raised.value.field == "name"
    with pytest.raises(ValidationError) as raised:
        commgov.Actor(role="grid_worker", name="w", units=["x"])  # type: ignore[list-item]
    assert raised.value.field == "units"


def test_record_data_nested_too_deep_or_not_finite_is_refused(any_town: Town) -> None:
    cg = any_town.cg
    deep: Any = "leaf"
    for _ in range(5000):
        deep = [deep]
    before = row_counts(cg)
    for data in ({"x": deep}, {"x": math.nan}, {"x": math.inf}, {"x": "a\x00b"}):
        with pytest.raises(ValidationError):
            cg.records.add(any_town.admin, kind="note", unit=any_town.grid_a1, data=data)
    assert row_counts(cg) == before


def test_the_column_guards_name_their_column() -> None:
    from commgov.people.tables import units

    assert isinstance(units.c.name.type, Str)
    assert units.c.name.type.field == "name"
    assert isinstance(units.c.created_at.type, Moment)
    assert units.c.created_at.type.field == "created_at"


# -- time ----------------------------------------------------------------------------------


def _open(url: str, clock: Any, **options: Any) -> commgov.Commgov:
    return commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=clock, **options)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


def test_times_written_in_another_zone_come_back_aware_in_utc(store_url: str) -> None:
    local_now = NOW.astimezone(SHANGHAI)  # 17:00 in Shanghai
    with _open(store_url, lambda: local_now) as cg:
        town = build_town(cg)
        case = cg.cases.report(town.admin, text="路灯坏了", unit=town.grid_a1)
        again = cg.cases.get(town.admin, case.id)
        for moment in (again.reported_at, again.response_due, again.resolve_due):
            assert moment.tzinfo is not None
            assert moment.utcoffset() == dt.timedelta(0)
        assert again.reported_at == NOW
        assert cg.cases.history(town.admin, case.id)[0].at == NOW


def test_the_same_instant_in_two_zones_selects_the_same_cases(store_url: str) -> None:
    with _open(store_url, lambda: NOW.astimezone(SHANGHAI)) as cg:
        town = build_town(cg)
        cg.cases.report(town.admin, text="井盖松动", unit=town.grid_a1)
        later = NOW + dt.timedelta(days=30)
        in_utc = cg.cases.overdue(town.admin, town.town, as_of=later)
        in_shanghai = cg.cases.overdue(town.admin, town.town, as_of=later.astimezone(SHANGHAI))
        assert [c.id for c in in_utc] == [c.id for c in in_shanghai] != []
        just_before = NOW + dt.timedelta(hours=23, minutes=59)  # response due after 24 h
        assert cg.cases.overdue(town.admin, town.town, as_of=just_before.astimezone(SHANGHAI)) == []


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(dt.datetime(2025, 6, 30, 9, 0), id="naive"),
        pytest.param(dt.datetime.max.replace(tzinfo=dt.timezone(-dt.timedelta(hours=8))), id="max"),
        pytest.param(dt.datetime(1066, 10, 14, tzinfo=dt.UTC), id="1066"),
        pytest.param("2025-06-30T09:00:00+08:00", id="text"),
    ],
)
def test_naive_or_out_of_range_times_are_refused(town: Town, moment: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        town.cg.cases.overdue(town.admin, town.town, as_of=moment)
    assert raised.value.field == "as_of"
    with pytest.raises(ValidationError) as raised:
        town.cg.cases.escalate_overdue(moment, actor=town.admin)
    assert raised.value.field == "now"
    with pytest.raises(ValidationError) as raised:
        town.cg.records.add(town.admin, kind="note", unit=town.grid_a1, data={}, at=moment)
    assert raised.value.field.endswith("at")


def test_a_naive_clock_is_refused_with_a_clear_error(tmp_path: Any) -> None:
    with _open(f"sqlite:///{tmp_path / 's.db'}", lambda: dt.datetime(2025, 1, 1)) as cg:
        admin = commgov.Actor.system()
        with pytest.raises(ValidationError) as raised:
            cg.grids.create(admin, code="411425", name="县", kind="county")
        assert raised.value.field == "clock"
        assert cg.grids.roots() == []


def test_the_store_keeps_its_time_zone(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'zone.db'}"
    with _open(url, lambda: NOW) as cg:
        assert str(cg.context.zone) == "Asia/Shanghai"
    with _open(url, lambda: NOW, time_zone="Asia/Shanghai") as cg:
        assert str(cg.context.zone) == "Asia/Shanghai"
    with pytest.raises(ConfigurationError, match="Asia/Shanghai"):
        _open(url, lambda: NOW, time_zone="Europe/Paris")
    other = f"sqlite:///{tmp_path / 'paris.db'}"
    with _open(other, lambda: NOW, time_zone="Europe/Paris") as cg:
        assert str(cg.context.zone) == "Europe/Paris"
    with pytest.raises(ConfigurationError, match="Mars/Olympus"):
        _open(f"sqlite:///{tmp_path / 'mars.db'}", lambda: NOW, time_zone="Mars/Olympus")


def test_unknown_ids_are_still_not_found(any_town: Town) -> None:
    with pytest.raises(NotFoundError):
        any_town.cg.residents.household(any_town.admin, 2**31 - 1)
