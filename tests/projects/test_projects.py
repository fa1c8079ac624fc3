"""Projects through ``cg.projects``: funding (points through the ledgers), the progress tree,
the public timeline, ratings once finished, a low rating opening a case."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.conftest import Town
from tests.votes.conftest import all_counts

import commgov


@attrs.frozen
class Site:
    town: Town
    project: commgov.ProjectView
    resident: commgov.Actor
    resident_id: int
    neighbour: commgov.Actor
    away: commgov.Actor

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg


def furnish(town: Town) -> Site:
    cg, admin = town.cg, town.admin
    project = cg.projects.create(
        admin, unit=town.community_a, title="下洋小区微改造", budget_fen=8_000_000,
        description="铺装、照明、休闲座椅",
    )  # fmt: skip
    actors = []
    for grid, name in ((town.grid_a1, "李秀英"), (town.grid_a2, "王建国"), (town.grid_b1, "外人")):
        home = town.household(grid, {"name": name, "birth_date": "1960-01-01", "sex": "F"})
        (person,) = cg.residents.members(admin, home.id)
        actors.append((commgov.Actor.resident(name, home.id, person.id), person.id))
    return Site(town, project, actors[0][0], actors[0][1], actors[1][0], actors[2][0])


@pytest.fixture
def site(town: Town) -> Site:
    return furnish(town)


@pytest.fixture
def any_site(any_town: Town) -> Site:
    return furnish(any_town)


def build_tree(site: Site) -> tuple[int, int, int]:
    cg, admin, pid = site.cg, site.town.admin, site.project.id
    design = cg.projects.add_item(admin, pid, title="方案设计", weight=1).items[-1].id
    works = cg.projects.add_item(admin, pid, title="施工", weight=3, rollup="average")
    works_id = works.items[-1].id
    paving = (
        cg.projects.add_item(admin, pid, title="铺装", parent=works_id).items[-1].children[0].id
    )
    lights = (
        cg.projects.add_item(admin, pid, title="照明", parent=works_id, due_on=dt.date(2025, 8, 1))
        .items[-1]
        .children[-1]
        .id
    )
    return design, paving, lights


def test_a_project_from_funding_to_rating(any_site: Site) -> None:
    cg, admin, pid = any_site.cg, any_site.town.admin, any_site.project.id
    cg.projects.fund(admin, pid, source="government", amount_fen=5_000_000, funder="街道办事处")
    cg.projects.fund(admin, pid, source="residents", amount_fen=800_000, funder="业主自筹")
    design, paving, lights = build_tree(any_site)
    cg.projects.progress(admin, pid, design, percent_done=100, note="方案经议事会通过")
    view = cg.projects.progress(admin, pid, paving, percent_done=50, note="铺装过半")
    assert view.state == "underway"
    assert [(i.title, i.progress) for i in view.items] == [("方案设计", 100.0), ("施工", 25.0)]
    assert view.progress == 43.8  # (100×1 + 25×3) ÷ 4
    assert (view.funded, view.budget) == (5_800_000, 8_000_000)
    with pytest.raises(commgov.StateError, match=r"43\.8%"):
        cg.projects.finish(admin, pid, note="早了")
    for leaf in (paving, lights):
        cg.projects.progress(admin, pid, leaf, percent_done=100, note="完成")
    done = cg.projects.finish(admin, pid, note="竣工验收")
    assert (done.state, done.progress) == ("finished", 100.0)
    timeline = cg.projects.timeline(any_site.resident, pid)
    assert [e.kind for e in timeline][:3] == ["created", "funded", "funded"]
    assert timeline[-1].kind == "finished" and timeline[-1].progress == 100.0
    assert [e.progress for e in timeline if e.kind == "progress"] == [25.0, 43.8, 62.5, 100.0]
    happy = cg.projects.rate(any_site.resident, pid, rating=5, comment="很好")
    assert happy.case_id is None
    unhappy = cg.projects.rate(any_site.neighbour, pid, rating=2, comment="座椅太少")
    assert unhappy.case_id is not None
    case = cg.cases.get(admin, unhappy.case_id)
    assert "下洋小区微改造" in case.text and case.unit_code == any_site.town.grid_a2
    seen = cg.projects.get(admin, pid)
    assert (seen.ratings, seen.average_rating, seen.cases_opened) == (2, 3.5, 1)
    with pytest.raises(commgov.ConflictError, match="rated"):
        cg.projects.rate(any_site.resident, pid, rating=1)


def test_points_donated_move_through_the_ledgers(any_site: Site) -> None:
    cg, admin, pid = any_site.cg, any_site.town.admin, any_site.project.id
    for n in range(3):
        cg.points.earn(admin, any_site.resident_id, "volunteer", client_id=f"v{n}")
    start = cg.points.balance(admin, any_site.resident_id)
    assert start is not None and start.balance > 0
    gift = start.balance - 1
    view = cg.projects.donate_points(
        any_site.resident, pid, resident_id=any_site.resident_id, points=gift, client_id="gift-1"
    )
    assert view.points_donated == gift
    again = cg.projects.donate_points(
        any_site.resident, pid, resident_id=any_site.resident_id, points=gift, client_id="gift-1"
    )
    assert again.points_donated == gift  # a retry gives nothing twice
    after = cg.points.balance(admin, any_site.resident_id)
    assert after is not None and after.balance == 1
    before = all_counts(cg)
    with pytest.raises(commgov.InsufficientFunds):
        cg.projects.donate_points(
            any_site.resident, pid, resident_id=any_site.resident_id, points=5, client_id="gift-2"
        )
    assert all_counts(cg) == before
    with pytest.raises(commgov.PermissionDenied):  # not one's own household's points
        cg.projects.donate_points(
            any_site.neighbour, pid, resident_id=any_site.resident_id, points=1, client_id="g3"
        )


def test_a_project_follows_a_council_resolution(site: Site) -> None:
    cg, admin, town = site.cg, site.town.admin, site.town
    council = cg.councils.create(admin, unit=town.community_a, name="议事会")
    start = town.cg.context.clock()
    meeting = cg.meetings.schedule(
        admin, council.id, title="会", starts_at=start, ends_at=start + dt.timedelta(hours=1),
        place="活动室",
    )  # fmt: skip
    plan = cg.meetings.resolve(admin, meeting.id, text="实施微改造", follow_up="project")
    other = cg.meetings.resolve(admin, meeting.id, text="表决", follow_up="vote")
    project = cg.projects.create(
        admin, unit=town.community_a, title="微改造二期", budget_fen=100, resolution=plan.id
    )
    assert project.resolution_id == plan.id
    assert cg.meetings.resolutions(admin, council.id)[0].reference == project.id
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError, match="not a project") as caught:
        cg.projects.create(
            admin, unit=town.community_a, title="x", budget_fen=1, resolution=other.id
        )
    assert caught.value.field == "resolution"
    assert all_counts(cg) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ("parent_progress", "item"),
        ("percent", "percent_done"),
        ("source", "source"),
        ("money", "amount_fen"),
        ("weight", "weight"),
        ("parent", "parent"),
        ("budget", "budget_fen"),
        ("rating", "rating"),
    ],
)
def test_bad_project_input_names_the_field_and_changes_nothing(
    site: Site, call: str, field: str
) -> None:
    cg, admin, pid = site.cg, site.town.admin, site.project.id
    _, paving, _ = build_tree(site)
    works = cg.projects.get(admin, pid).items[1].id
    calls = {
        "parent_progress": lambda: cg.projects.progress(
            admin, pid, works, percent_done=5, note="n"
        ),
        "percent": lambda: cg.projects.progress(admin, pid, paving, percent_done=101, note="n"),
        "source": lambda: cg.projects.fund(admin, pid, source="lottery", amount_fen=1, funder="f"),
        "money": lambda: cg.projects.fund(admin, pid, source="partner", amount_fen=0, funder="f"),
        "weight": lambda: cg.projects.add_item(admin, pid, title="t", weight=0),
        "parent": lambda: cg.projects.add_item(admin, pid, title="t", parent=9999),
        "budget": lambda: cg.projects.create(
            admin, unit=site.town.community_a, title="t", budget_fen=-1
        ),
        "rating": lambda: cg.projects.rate(site.resident, pid, rating=6),
    }
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        calls[call]()
    assert caught.value.field == field
    assert all_counts(cg) == before


def test_who_may_read_run_and_rate(site: Site) -> None:
    cg, admin, pid = site.cg, site.town.admin, site.project.id
    outsider = site.town.worker(site.town.grid_b1, role="community_staff")
    before = all_counts(cg)
    for act in (
        lambda: cg.projects.get(site.away, pid),
        lambda: cg.projects.timeline(outsider, pid),
        lambda: cg.projects.fund(outsider, pid, source="partner", amount_fen=1, funder="x"),
        lambda: cg.projects.add_item(site.resident, pid, title="居民自己加"),
        lambda: cg.projects.rate(admin, pid, rating=3),
    ):
        with pytest.raises(commgov.PermissionDenied):
            act()
    with pytest.raises(commgov.StateError, match="once finished"):
        cg.projects.rate(site.resident, pid, rating=4)
    assert all_counts(cg) == before
    assert cg.projects.get(site.resident, pid).title == "下洋小区微改造"
    assert [p.id for p in cg.projects.of_unit(admin, site.town.town)] == [pid]
