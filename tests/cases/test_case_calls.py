"""The typed public calls (commands and keyword-only fields), the category registry call, and
the repositories the case service reads through the unit of work."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any, get_overloads

import pytest

import commgov
from commgov.cases.model import CategorySpec, ReportDetails, State
from commgov.cases.repository import CaseRepository
from commgov.cases.service.cases import CATEGORIES_KEY, CaseService
from commgov.cases.views import COMMANDS, CaseReport
from commgov.people.repository import DepartmentRepository, StaffRepository, UnitRepository

from .conftest import START, Town


def _unchanged(town: Town, case_id: int, attempt: Any, field: str, value: object) -> None:
    before = town.cases.history(town.admin, case_id)
    with pytest.raises(commgov.ValidationError) as caught:
        attempt()
    assert (caught.value.field, caught.value.value) == (field, value)
    assert town.cases.history(town.admin, case_id) == before


# -- act -------------------------------------------------------------------------------------


def test_act_takes_command_objects(town: Town) -> None:
    worker, cases = town.workers[0], town.cases
    case = town.report()
    cases.act(worker, case.id, commgov.AcceptCommand(note="受理"))
    cases.act(worker, case.id, commgov.TriageCommand(category="environment", severity="urgent"))
    lead = f"staff:{worker.staff_id}"
    assert cases.act(worker, case.id, commgov.DispatchCommand(lead=lead)).lead == lead
    cases.act(worker, case.id, commgov.StartCommand())
    cases.act(worker, case.id, commgov.ResolveCommand(note="swept", attachments=("p/1.jpg",)))
    cases.act(worker, case.id, commgov.InformCommand())
    reopened = cases.act(worker, case.id, commgov.VisitCommand(rating=2, note="still dirty"))
    assert (reopened.state, reopened.reopen_count) == ("in_progress", 1)
    events = cases.history(town.admin, case.id)
    assert [e.action for e in events][-3:] == ["resolve", "inform", "visit"]
    assert events[1].note == "受理" and events[5].attachments == ("p/1.jpg",)
    other = town.report()
    merged = cases.act(worker, other.id, commgov.MergeCommand(into=case.id))
    assert (merged.state, merged.merged_into) == ("merged", case.id)


def test_act_by_name_with_typed_fields(town: Town) -> None:
    worker = town.workers[0]
    case = town.report()
    town.cases.act(worker, case.id, "accept", note=None)  # None counts as not given
    triaged = town.cases.act(worker, case.id, "triage", category="safety.fire", owner_level=None)
    assert (triaged.category, triaged.owner_level) == ("safety.fire", "grid")
    town.cases.act(
        worker, case.id, "dispatch", lead=f"staff:{worker.staff_id}", co_operators=["T-fire"]
    )
    assert town.cases.get(worker, case.id).co_operators == ("T-fire",)


def test_act_refuses_fields_the_action_does_not_take(town: Town) -> None:
    worker = town.workers[0]
    case = town.report()
    attempts = [
        (lambda: town.cases.act(worker, case.id, "accept", rating=5), "rating", 5),
        (lambda: town.cases.act(worker, case.id, "accept", colour="red"), "colour", "red"),
        (lambda: town.cases.act(worker, case.id, "alarm"), "action", "alarm"),
        (
            lambda: town.cases.act(worker, case.id, commgov.AcceptCommand(), note="x"),
            "note",
            "x",
        ),
        (lambda: town.cases.act(worker, case.id, "reject", kind="spam", note="x"), "kind", "spam"),
    ]
    for attempt, field, value in attempts:
        _unchanged(town, case.id, attempt, field, value)
    with pytest.raises(commgov.ValidationError, match="accept takes only note, attachments"):
        town.cases.act(worker, case.id, "accept", lead="staff:1")


def test_apply_many_takes_case_actions_and_mappings(town: Town) -> None:
    worker = town.workers[0]
    ids = town.cases.report_many(
        worker, [CaseReport(text=f"r{i}", unit=town.grids[0]) for i in range(2)]
    )
    result = town.cases.apply_many(
        worker,
        [
            commgov.CaseAction(case_id=ids[0], command=commgov.AcceptCommand()),
            {"case_id": ids[1], "action": "accept"},
            commgov.CaseAction(case_id=ids[1], command=commgov.MergeCommand(into=ids[0])),
        ],
    )
    assert result.states == {ids[0]: "accepted", ids[1]: "merged"}
    assert result.applied == 4  # the merge records an absorb on its target
    with pytest.raises(commgov.ValidationError) as caught:
        town.cases.apply_many(worker, [{"case_id": ids[0], "action": "visit", "rating": "5"}])
    assert (caught.value.field, caught.value.value) == ("rating", "5")


# -- report ----------------------------------------------------------------------------------


def test_report_takes_a_case_report_or_its_fields(town: Town) -> None:
    given = CaseReport(text="井盖缺失", unit=town.grids[1], channel="hotline", severity="urgent")
    case = town.cases.report(town.admin, given)
    assert (case.unit_code, case.channel, case.severity) == (town.grids[1], "hotline", "urgent")
    same = town.cases.report(town.admin, **given.model_dump(exclude_defaults=True))
    assert (same.unit_code, same.channel, same.severity) == (case.unit_code, "hotline", "urgent")
    with pytest.raises(commgov.ValidationError) as caught:
        town.cases.report(town.admin, given, text="again")
    assert (caught.value.field, caught.value.value) == ("text", "again")
    with pytest.raises(commgov.ValidationError) as caught:
        town.cases.report(town.admin, unit=town.grids[0])
    assert (caught.value.field, caught.value.value) == ("text", None)


def test_typed_signatures_match_the_commands() -> None:
    """The keyword-only parameters editors and mypy see are exactly the commands' fields,
    with the same defaults (and a report's own time to resolve, beside its fields)."""
    report_by_fields = get_overloads(CaseService.report)[1]
    act_by_name = get_overloads(CaseService.act)[1]
    report = inspect.signature(report_by_fields).parameters
    keywords = {n: p for n, p in report.items() if p.kind is p.KEYWORD_ONLY}
    assert keywords.pop("resolve_within").default is None
    assert list(keywords) == list(CaseReport.model_fields)
    for name, field in CaseReport.model_fields.items():
        default = inspect.Parameter.empty if field.is_required() else field.default
        assert keywords[name].default == default, name
    act = inspect.signature(act_by_name).parameters
    fields = {n for c in COMMANDS.values() for n in c.model_fields} - {"action"}
    assert {n for n, p in act.items() if p.kind is p.KEYWORD_ONLY} == fields
    assert all(p.default in (None, ()) for p in act.values() if p.kind is p.KEYWORD_ONLY)


# -- metrics ---------------------------------------------------------------------------------


def test_metrics_frame_takes_typed_keywords(town: Town) -> None:
    pytest.importorskip("pandas")
    town.report()
    town.clock.advance(days=1)
    later = town.report()
    frame = town.cases.metrics_frame(
        town.admin, town.town, start=later.reported_at, as_of=START + dt.timedelta(days=9)
    )
    assert list(frame["cases"]) == [1] and list(frame["unit_code"]) == [town.town]
    grids = town.cases.metrics_frame(town.admin, town.town, by="grid", end=later.reported_at)
    assert list(grids["cases"]) == [1, 0, 0, 0]
    with pytest.raises(commgov.ValidationError, match="by='street'"):
        town.cases.metrics_frame(town.admin, town.town, by="street")  # type: ignore[arg-type]


# -- the category registry -------------------------------------------------------------------


class Pets:
    commgov_plugin_name = "pets"

    @commgov.hookimpl
    def commgov_case_categories(self) -> list[CategorySpec]:
        return [CategorySpec("dispute.pets", "宠物纠纷 pet dispute")]


def test_categories_are_cached_per_store_until_a_plugin_is_added(town: Town) -> None:
    assert "dispute.pets" not in {c.code for c in town.cases.categories()}
    other = CaseService(town.cg.context)
    assert other.category_tree is town.cases.category_tree  # one tree per store
    town.cg.add_plugin(Pets())
    assert "dispute.pets" in {c.code for c in town.cg.cases.categories()}
    assert town.cases.category_tree is town.cg.context.cached(CATEGORIES_KEY, dict)


def test_a_later_plugin_replaces_a_category(make_town: Any) -> None:
    class Labour:
        commgov_plugin_name = "labour"

        @commgov.hookimpl
        def commgov_case_categories(self) -> list[CategorySpec]:
            return [CategorySpec("dispute.labour", "劳资纠纷 wages", "labour", "town")]

    town: Town = make_town([Labour()])
    (labour,) = [c for c in town.cases.categories() if c.code == "dispute.labour"]
    assert (labour.department, labour.level) == ("labour", "town")


@pytest.mark.parametrize("answer", [["dispute.pets"], "dispute.pets", [None]])
def test_a_bad_category_answer_is_a_plugin_error(make_town: Any, answer: object) -> None:
    class Bad:
        commgov_plugin_name = "bad-categories"

        @commgov.hookimpl
        def commgov_case_categories(self) -> object:
            return answer

    town: Town = make_town([Bad()])
    with pytest.raises(commgov.PluginError, match="commgov_case_categories returned"):
        town.cases.categories()


def test_a_located_point_must_be_a_code(make_town: Any) -> None:
    class Map:
        commgov_plugin_name = "bad-map"

        @commgov.hookimpl
        def commgov_locate(self, lat: float, lon: float) -> object:
            return 411425100001001

    town: Town = make_town([Map()])
    with pytest.raises(commgov.PluginError, match="commgov_locate returned 411425100001001"):
        town.cases.report(town.admin, text="x", lat=34.4, lon=115.9)


# -- repositories ----------------------------------------------------------------------------


def test_the_case_repository_hands_out_values(town: Town) -> None:
    case = town.cases.report(town.admin, text=" 路灯 ", unit=town.grids[0], photos=["p/1"])
    with town.cg.context.uow(readonly=True) as uow:
        repo = uow.repo(CaseRepository)
        assert uow.repo(CaseRepository) is repo
        ((stored, details),) = repo.load([case.id, 404]).values()
        assert stored.state is State.REPORTED and stored.version == 1
        assert details == ReportDetails(text="路灯", photos=("p/1",))
        assert [c.id for c, _ in repo.under_path("/")] == [case.id]
        assert [c.id for c, _ in repo.recent_open(stored.unit_id)] == [case.id]


def test_people_repositories_answer_the_case_queries(town: Town) -> None:
    with town.cg.context.uow(readonly=True) as uow:
        units = uow.repo(UnitRepository)
        grid = units.find_by_code(town.grids[0])
        town_unit = units.find_by_code(town.town)
        assert grid is not None and town_unit is not None
        assert {u.code for u in units.many(units.grid_ids())} == set(town.grids)
        staff = uow.repo(StaffRepository)
        worker = town.workers[0].staff_id
        assert worker is not None
        assert staff.active_at([grid.id]) == [(worker, "grid_worker", grid.id)]
        assert staff.active_ids([worker, 999_999]) == {worker}
        departments = uow.repo(DepartmentRepository)
        at_town = departments.at_units([town_unit.id])
        assert [code for code, _, _ in at_town] == sorted(town.departments.values())
        assert ("T-fire", "fire", town_unit.id) in at_town
        assert departments.existing_codes(["T-fire", "nope"]) == {"T-fire"}
