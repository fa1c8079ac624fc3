"""Plugin records: dated JSON documents on units, the store a town plugin keeps its data in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.conftest import NOW, SECRET, Town, build_town, row_counts

import commgov


class Minutes:
    commgov_plugin_name = "minutes"

    @commgov.hookimpl
    def commgov_record_kinds(self) -> dict[str, str]:
        return {"minutes": "会议纪要 meeting minutes"}


@pytest.fixture(params=["sqlite", "postgresql"])
def records_town(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Town]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'records.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with commgov.open(
        url, secret_key=SECRET, plugins=[Minutes()], discover_plugins=False, clock=lambda: NOW
    ) as cg:
        yield build_town(cg)


def day(n: int) -> dt.datetime:
    return dt.datetime(2025, 6, n, 19, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_records_are_found_under_a_unit_in_time_order(records_town: Town) -> None:
    t = records_town
    kept = t.cg.records.add_many(
        t.admin,
        [
            {"kind": "minutes", "unit": t.grid_b1, "data": {"topic": "b"}, "at": day(3)},
            {"kind": "minutes", "unit": t.grid_a1, "data": {"topic": "a2"}, "at": day(2)},
            {"kind": "minutes", "unit": t.grid_a2, "data": {"topic": "a1"}, "at": day(1)},
            {"kind": "note", "unit": t.grid_a1, "data": {"text": "n"}, "ref": "household:1"},
        ],
    )
    assert len(kept) == 4
    under_a = t.cg.records.find(t.admin, kind="minutes", under=t.community_a)
    assert [r.data["topic"] for r in under_a] == ["a1", "a2"]
    assert [r.unit_code for r in under_a] == [t.grid_a2, t.grid_a1]
    assert under_a[0].at == day(1)
    town_wide = t.cg.records.find(t.admin, kind="minutes", under=t.town, since=day(2))
    assert [r.data["topic"] for r in town_wide] == ["a2", "b"]
    assert t.cg.records.find(t.admin, kind="minutes", under=t.town, until=day(2))[0].at == day(1)
    (note,) = t.cg.records.find(t.admin, kind="note", under=t.town, ref="household:1")
    assert note.data == {"text": "n"} and note.at == NOW and note.actor == t.admin.label()


def test_a_worker_writes_and_reads_only_within_reach(records_town: Town) -> None:
    t = records_town
    worker = t.worker(t.grid_a1)
    t.cg.records.add(worker, kind="minutes", unit=t.grid_a1, data={"topic": "own"})
    before = row_counts(t.cg)
    with pytest.raises(commgov.PermissionDenied):
        t.cg.records.add(worker, kind="minutes", unit=t.grid_b1, data={"topic": "other"})
    with pytest.raises(commgov.PermissionDenied):
        t.cg.records.find(worker, kind="minutes", under=t.community_a)
    assert row_counts(t.cg) == before
    assert len(t.cg.records.find(worker, kind="minutes", under=t.grid_a1)) == 1


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"kind": "diary"}, "kind"),
        ({"data": {"when": {1, 2}}}, "records[1].data"),
        ({"data": ["not", "an", "object"]}, "records[1].data"),
        ({"data": {"text": "x" * 70_000}}, "records[1].data"),
        ({"at": dt.datetime(2025, 6, 1, 9)}, "records[1].at"),
        ({"ref": ""}, "records[1].ref"),
        ({"colour": "red"}, "records[1].colour"),
        ({"unit": "411425999999001"}, None),
    ],
)
def test_a_bad_record_writes_none_of_the_batch(
    records_town: Town, bad: dict[str, object], field: str | None
) -> None:
    t = records_town
    good = {"kind": "minutes", "unit": t.grid_a1, "data": {"topic": "fine"}}
    before = row_counts(t.cg)
    with pytest.raises((commgov.ValidationError, commgov.NotFoundError)) as caught:
        t.cg.records.add_many(t.admin, [good, {**good, **bad}])
    if field is not None:
        assert isinstance(caught.value, commgov.ValidationError)
        assert caught.value.field == field
    else:
        assert "411425999999001" in str(caught.value)
    assert row_counts(t.cg) == before
    assert t.cg.records.find(t.admin, kind="minutes", under=t.town) == []
