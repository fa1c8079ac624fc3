"""Reports a town plugin offers through ``commgov_reports``, reached as ``cg.reports``."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from rich.table import Table

import commgov
from commgov.testing import plugin_towns


@attrs.frozen
class NoteCount:
    """A report counting the notes written under a unit in a month."""

    unit: str
    notes: int

    @property
    def title(self) -> str:
        return f"notes under {self.unit}"

    def table(self) -> Table:
        table = Table("unit", "notes", title=self.title)
        table.add_row(self.unit, str(self.notes))
        return table

    def to_csv(self, path: str | Path) -> Path:
        with Path(path).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([("unit", "notes"), (self.unit, self.notes)])
        return Path(path)

    def plot(self, path: str | Path) -> Path:
        Path(path).write_bytes(b"")  # no chart needed for the test
        return Path(path)


def _month(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def build(store: commgov.Commgov, actor: commgov.Actor, period: commgov.ReportPeriod) -> NoteCount:
    since, until = _month(period.year, period.month)
    found = store.records.find(actor, kind="note", under=period.unit, since=since, until=until)
    return NoteCount(period.unit, len(found))


def sample(
    store: commgov.Commgov, actor: commgov.Actor, period: commgov.ReportPeriod, seed: int
) -> int:
    at = _month(period.year, period.month)[0] + dt.timedelta(days=seed)
    rows: list[dict[str, Any]] = [
        {"kind": "note", "unit": period.unit, "data": {"n": i}, "at": at} for i in range(seed)
    ]
    return len(store.records.add_many(actor, rows))


class NotesPlugin:
    commgov_plugin_name = "notes-report"

    @commgov.hookimpl
    def commgov_reports(self) -> list[commgov.ReportSpec]:
        return [commgov.ReportSpec("notes.monthly", "记事月报 notes", build, sample)]


def test_hook_commgov_reports() -> None:
    with plugin_towns(NotesPlugin()) as towns:
        cg, admin = towns.store, towns.admin
        assert cg.reports.names(towns.plugin_town) == {"notes.monthly": "记事月报 notes"}
        assert cg.reports.names(towns.default_town) == {}  # the plugin is not enabled there
        unit = towns.plugin_town
        assert cg.reports.sample(admin, "notes.monthly", unit=unit, year=2025, month=6, seed=3) == 3
        report = cg.reports.build(admin, "notes.monthly", unit=unit, year=2025, month=6)
        assert (report.title, report.notes) == (f"notes under {unit}", 3)  # type: ignore[attr-defined]
        empty = cg.reports.build(admin, "notes.monthly", unit=unit, year=2025, month=7)
        assert empty.notes == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "month", "field"), [("missing", 6, "name"), ("notes.monthly", 13, "month")]
)
def test_bad_report_requests_name_the_field_and_write_nothing(
    name: str, month: int, field: str
) -> None:
    with plugin_towns(NotesPlugin()) as towns:
        cg, admin, unit = towns.store, towns.admin, towns.plugin_town
        with pytest.raises(commgov.ValidationError) as caught:
            cg.reports.sample(admin, name, unit=unit, year=2025, month=month, seed=2)
        assert (caught.value.field, caught.value.value) == (field, name if field == "name" else 13)
        assert cg.records.find(admin, kind="note", under=unit) == []


def test_a_report_of_another_town_is_refused() -> None:
    with plugin_towns(NotesPlugin()) as towns:
        cg = towns.store
        grid = towns.grids[towns.default_town][0]
        worker = cg.staff.add(towns.admin, name="王网格", role="grid_worker", units=[grid])
        with pytest.raises(commgov.PermissionDenied):
            cg.reports.build(
                cg.staff.actor(worker.id), "notes.monthly", unit=towns.plugin_town, year=2025,
                month=6,
            )  # fmt: skip


def test_a_plugin_answering_the_wrong_type_is_named() -> None:
    class Broken:
        commgov_plugin_name = "broken-report"

        @commgov.hookimpl
        def commgov_reports(self) -> list[Any]:
            return ["not a spec"]

    with (
        plugin_towns(Broken()) as towns,
        pytest.raises(commgov.PluginError, match="commgov_reports"),
    ):
        towns.store.reports.names(towns.plugin_town)
