"""社区运营官: a registry of residents by skill, with personal data left to the core."""

from __future__ import annotations

import pytest

import commgov
from commgov.testing import PluginTowns, plugin_towns
from commgov_xinhe import plugin, talents


def resident(towns: PluginTowns, grid: str, name: str) -> int:
    home = towns.store.residents.add_household(towns.admin, unit=grid, address=f"{name}家")
    view = towns.store.residents.add_resident(
        towns.admin, household_id=home.id, name=name, birth_date="1958-09-09", sex="F"
    )
    return view.id


def test_operators_are_found_by_skill_within_reach() -> None:
    with plugin_towns(plugin) as towns:
        a, b = towns.grids[towns.plugin_town][:2]
        teacher = resident(towns, a, "王老师")
        doctor = resident(towns, b, "李医生")
        talents.register(towns.store, towns.admin, teacher, ["退休教师", "Tutoring"])
        talents.register(towns.store, towns.admin, doctor, ["义诊 health checks"], title="健康小屋")
        town = towns.plugin_town
        assert [o.resident_id for o in talents.search(towns.store, towns.admin, town, "tutor")] == [
            teacher
        ]
        assert [o.resident_id for o in talents.search(towns.store, towns.admin, town, "义诊")] == [
            doctor
        ]
        talents.register(towns.store, towns.admin, teacher, ["书法 calligraphy"])  # replaces
        assert talents.search(towns.store, towns.admin, town, "tutor") == []
        assert len(talents.operators(towns.store, towns.admin, town)) == 2
        view = towns.store.staff.add(towns.admin, name="网格员", role="grid_worker", units=[a])
        worker = towns.store.staff.actor(view.id)
        assert [o.resident_id for o in talents.operators(towns.store, worker, a)] == [teacher]
        with pytest.raises(commgov.PermissionDenied):
            talents.register(towns.store, worker, doctor, ["维修"])
        records = towns.store.records.find(towns.admin, kind="xinhe.operator", under=town)
        assert all(set(r.data) == {"skills", "title"} for r in records)  # no personal data


@pytest.mark.parametrize("skills", [[], [""], ["x" * 41], "a string", [3]])
def test_bad_skills_write_nothing(skills: object) -> None:
    with plugin_towns(plugin) as towns:
        person = resident(towns, towns.grids[towns.plugin_town][0], "张三")
        with pytest.raises(commgov.ValidationError) as caught:
            talents.register(towns.store, towns.admin, person, skills)  # type: ignore[arg-type]
        assert caught.value.field == "skills"
        assert talents.operators(towns.store, towns.admin, towns.plugin_town) == []


def test_an_operator_links_to_the_organisation_they_serve_with() -> None:
    with plugin_towns(plugin) as towns:
        grid = towns.grids[towns.plugin_town][0]
        teacher = resident(towns, grid, "王老师")
        team = towns.store.organisations.register(
            towns.admin, unit=grid, name="四点半课堂志愿队", kind="volunteer_team"
        )
        talents.register(towns.store, towns.admin, teacher, ["课业辅导"], organisation_id=team.id)
        (found,) = talents.of_organisation(towns.store, towns.admin, towns.plugin_town, team.id)
        assert (found.resident_id, found.organisation_id) == (teacher, team.id)
        before = len(towns.store.records.find(towns.admin, kind="xinhe.operator", under=grid))
        with pytest.raises(commgov.NotFoundError):
            talents.register(towns.store, towns.admin, teacher, ["书法"], organisation_id=99999)
        after = len(towns.store.records.find(towns.admin, kind="xinhe.operator", under=grid))
        assert after == before  # nothing written
