"""The referral loop 居民上报→社工转介→部门协同→结果反馈 through cg.cases, and the points a
report earns when it closes satisfied, beside a town on the core defaults."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

import commgov
from commgov.testing import PluginTowns
from commgov_changan import ReportPoints, award, plugin, referral, reports, vocab


@attrs.frozen
class Loop:
    towns: PluginTowns
    worker: commgov.Actor  # the Chang'an town's social worker
    others: commgov.Actor  # a grid worker in the town on the defaults
    reporter: dict[str, tuple[commgov.Actor, int]]  # town -> (resident actor, resident id)

    @property
    def store(self) -> commgov.Commgov:
        return self.towns.store


def make_loop(towns: PluginTowns) -> Loop:
    store, admin = towns.store, towns.admin
    store.add_plugin(ReportPoints(store))
    changan = towns.plugin_town
    store.enable_plugins(admin, changan, [vocab.NAME, vocab.REPORT_POINTS])
    reporter: dict[str, tuple[commgov.Actor, int]] = {}
    for n, town in enumerate((changan, towns.default_town)):
        store.staff.add_department(
            admin, code=f"police-{n}", name="派出所", kind="police", unit=town
        )
        store.staff.add_department(
            admin, code=f"housing-{n}", name="住建分局", kind="housing", unit=town
        )
        home = towns.household(
            towns.grids[town][0],
            {"name": "张大姐", "birth_date": "1970-03-01", "sex": "F"},
            {"name": "李伯", "birth_date": "1948-08-08", "sex": "M"},
        )
        members = store.residents.members(admin, home.id)
        second = next(m for m in members if m.name == "李伯")
        reporter[town] = (commgov.Actor.resident("李伯", home.id), second.id)
    community = towns.communities[changan][0]
    store.staff.add_department(
        admin, code="wuye-1", name="怡翠物业", kind=vocab.PROPERTY_COMPANY, unit=community
    )
    worker = towns.add_staff(vocab.SOCIAL_WORKER, community)
    towns.add_staff("community_staff", community)
    others = towns.add_staff("grid_worker", towns.grids[towns.default_town][0])
    return Loop(towns, worker, others, reporter)


@pytest.fixture
def loop(commgov_towns: Callable[..., PluginTowns]) -> Loop:
    return make_loop(commgov_towns(plugin))


def run_loop(
    loop: Loop, town: str, handler: commgov.Actor, *, category: str = "order", rating: int = 5
) -> commgov.CaseView:
    cases = loop.store.cases
    resident, _ = loop.reporter[town]
    case = cases.report(resident, text="楼道里有陌生人撬门锁")
    cases.accept(handler, case.id)
    cases.triage(handler, case.id, category=category)
    cases.dispatch(handler, case.id)
    cases.start(handler, case.id)
    cases.resolve(handler, case.id, outcome="民警已到场处置, 加装门禁")
    cases.inform(handler, case.id)
    cases.visit(handler, case.id, rating=rating)
    return cases.close(handler, case.id)


def balance(loop: Loop, resident_id: int) -> int:
    view = loop.store.points.balance(loop.towns.admin, resident_id)
    return 0 if view is None else view.balance


def check_the_loop(loop: Loop) -> None:
    changan = loop.towns.plugin_town
    closed = run_loop(loop, changan, loop.worker)
    assert closed.state == "closed"
    assert (closed.owner_level, closed.lead) == ("community", f"staff:{loop.worker.staff_id}")
    assert closed.co_operators == ("police-0",)  # 社工转介 → 部门协同
    stages = [referral.stage(e.to_state) for e in loop.store.cases.history(loop.worker, closed.id)]
    assert [s for i, s in enumerate(stages) if s not in stages[:i]] == list(vocab.STAGES)
    _, resident_id = loop.reporter[changan]
    assert balance(loop, resident_id) == 10  # the reporter, not the household's first member
    assert loop.store.points.honour(loop.towns.admin, resident_id) == (10, None)


def test_a_resident_report_goes_round_the_referral_loop_and_pays(loop: Loop) -> None:
    check_the_loop(loop)


def test_the_loop_on_postgresql(
    commgov_towns: Callable[..., PluginTowns], commgov_pg_url: str
) -> None:
    check_the_loop(make_loop(commgov_towns(plugin, url=commgov_pg_url)))


def test_the_town_on_the_defaults_keeps_the_core_loop(loop: Loop) -> None:
    other = loop.towns.default_town
    closed = run_loop(loop, other, loop.others)
    assert (closed.owner_level, closed.lead) == ("grid", f"staff:{loop.others.staff_id}")
    assert closed.co_operators == ()
    _, resident_id = loop.reporter[other]
    assert balance(loop, resident_id) == 0


def test_property_matters_summon_the_property_company(loop: Loop) -> None:
    closed = run_loop(loop, loop.towns.plugin_town, loop.worker, category="dispute.property")
    assert closed.co_operators == ("housing-0", "wuye-1")


def test_paying_is_once_per_case(loop: Loop) -> None:
    changan = loop.towns.plugin_town
    closed = run_loop(loop, changan, loop.worker, rating=4)
    _, resident_id = loop.reporter[changan]
    again = award(loop.store, loop.worker, closed.id)  # the office's run after the hook paid
    assert again is not None and again.granted == 10
    assert balance(loop, resident_id) == 10


def test_the_office_pays_cases_closed_before_the_hook_was_on(loop: Loop) -> None:
    store, changan = loop.store, loop.towns.plugin_town
    store.enable_plugins(loop.towns.admin, changan, [vocab.NAME])  # no ReportPoints
    closed = run_loop(loop, changan, loop.worker)
    _, resident_id = loop.reporter[changan]
    assert balance(loop, resident_id) == 0
    paid = award(store, loop.worker, closed.id)
    assert paid is not None and balance(loop, resident_id) == 10
    award(store, loop.worker, closed.id)
    assert balance(loop, resident_id) == 10


def test_unsatisfied_or_unrated_closes_pay_nothing(loop: Loop) -> None:
    cases, changan = loop.store.cases, loop.towns.plugin_town
    resident, resident_id = loop.reporter[changan]
    reopened, unrated = (cases.report(resident, text=t) for t in ("路灯不亮", "井盖松动"))
    for case in (reopened, unrated):
        for action in ("accept", "triage", "dispatch", "start"):
            cases.act(loop.worker, case.id, action)
        cases.resolve(loop.worker, case.id, outcome="已修")
        cases.inform(loop.worker, case.id)
    assert cases.visit(loop.worker, reopened.id, rating=2).state == "in_progress"
    cases.resolve(loop.worker, reopened.id, outcome="已换灯泡")
    cases.inform(loop.worker, reopened.id)
    closed = [cases.close(loop.worker, c.id) for c in (reopened, unrated)]  # no visit possible
    assert [c.rating for c in closed] == [2, None]  # the latest rating, and none
    assert [award(loop.store, loop.worker, c.id) for c in closed] == [None, None]
    assert balance(loop, resident_id) == 0


def test_awarding_an_open_case_is_refused_and_writes_nothing(loop: Loop) -> None:
    resident, resident_id = loop.reporter[loop.towns.plugin_town]
    case = loop.store.cases.report(resident, text="噪音")
    with pytest.raises(commgov.StateError, match="not closed"):
        award(loop.store, loop.worker, case.id)
    assert balance(loop, resident_id) == 0


def test_a_failing_payment_leaves_the_case_open(loop: Loop) -> None:
    class Broken(ReportPoints):
        commgov_plugin_name = "changan.broken_points"

        @commgov.hookimpl
        def commgov_case_closed(self, case: Any, rating: int | None, actor: Any) -> None:
            super().commgov_case_closed(case, rating, actor)
            raise RuntimeError("ledger down")

    store, changan = loop.store, loop.towns.plugin_town
    store.add_plugin(Broken(store))
    store.enable_plugins(loop.towns.admin, changan, [vocab.NAME, "changan.broken_points"])
    with pytest.raises(RuntimeError, match="ledger down"):
        run_loop(loop, changan, loop.worker)
    _, resident_id = loop.reporter[changan]
    assert balance(loop, resident_id) == 0
    (case,) = store.cases.under(loop.towns.admin, changan)
    assert case.state == "visited"
    assert reports.client_id(case.id) == f"changan:report:{case.id}"
