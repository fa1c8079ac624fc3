"""The people routes over HTTP: the grid tree and counts, staff and departments, households
(paged) and residents, masked as the caller's role says and refused outside their reach."""

from __future__ import annotations

import pytest
from tests.api.conftest import Api
from tests.api.core_fixtures import all_rows, family, problem
from tests.conftest import make_identity

PHONE = "13812345678"


def test_the_tree_its_children_and_counts(api: Api) -> None:
    t = api.town
    family(t)
    headers = api.headers(t.worker(t.community_a, "community_staff"))
    roots = api.client.get("/units", headers=headers)
    assert roots.status_code == 200 and [u["code"] for u in roots.json()] == ["411425"]
    town = api.client.get(f"/units/{t.town}", headers=headers).json()
    assert (town["kind"], town["parent_code"]) == ("town", "411425")
    kids = api.client.get(f"/units/{t.community_a}/children", headers=headers).json()
    assert [u["code"] for u in kids] == [t.grid_a1, t.grid_a2, t.school_a]
    counts = api.client.get(f"/units/{t.community_a}/counts", headers=headers).json()
    assert counts["households"] == 2 and counts["residents"] == 3
    assert counts["comprehensive_grid"] == 2 and counts["dedicated_grid"] == 1


def test_counts_beyond_reach_and_bad_codes_are_refused(api: Api) -> None:
    t = api.town
    headers = api.headers(t.worker(t.grid_a1))
    problem(api.client.get(f"/units/{t.community_a}/counts", headers=headers), 403)
    problem(api.client.get("/units/" + "1" * 65, headers=headers), 422, "path.code")
    problem(api.client.get("/units/411425999", headers=headers), 404)
    naive = api.client.get(
        f"/units/{t.grid_a1}/counts", params={"at": "yesterday"}, headers=headers
    )
    problem(naive, 422, "query.at")
    problem(api.client.get("/units"), 401)


def test_staff_and_departments_of_a_unit(api: Api) -> None:
    t = api.town
    t.cg.staff.add_department(t.admin, code="T-fire", name="消防队", kind="fire", unit=t.town)
    clerk = t.cg.staff.add(
        t.admin, name="王网格", role="grid_worker", units=[t.grid_b1], phone=PHONE
    )
    headers = api.headers(t.worker(t.town, "town_admin"))
    staff = api.client.get(
        f"/units/{t.town}/staff", params={"role": "grid_worker"}, headers=headers
    )
    assert staff.status_code == 200
    assert [s["id"] for s in staff.json()] == [clerk.id]
    one = api.client.get(f"/staff/{clerk.id}", headers=headers).json()
    assert (one["name"], one["unit_codes"], one["phone"]) == ("王网格", [t.grid_b1], "138****5678")
    departments = api.client.get(f"/units/{t.town}/departments", headers=headers).json()
    assert [(d["code"], d["kind"], d["unit_code"]) for d in departments] == [
        ("T-fire", "fire", t.town)
    ]


def test_staff_beyond_reach_are_refused(api: Api) -> None:
    t = api.town
    other = t.cg.staff.add(t.admin, name="李网格", role="grid_worker", units=[t.grid_b1])
    headers = api.headers(t.worker(t.grid_a1))
    problem(api.client.get(f"/units/{t.town}/staff", headers=headers), 403)
    problem(api.client.get(f"/staff/{other.id}", headers=headers), 403)
    problem(api.client.get(f"/units/{t.town}/departments", headers=headers), 403)
    problem(api.client.get(f"/units/{t.grid_a1}/staff?role=", headers=headers), 422, "query.role")
    problem(api.client.get("/staff/0", headers=headers), 422, "path.staff_id")


def test_households_come_a_page_at_a_time(api: Api) -> None:
    t = api.town
    made = [t.household(t.grid_a1).id for _ in range(5)]
    t.household(t.grid_b1)  # another grid's household is not listed
    headers = api.headers(t.worker(t.grid_a1))
    seen: list[int] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = api.client.get(f"/units/{t.grid_a1}/households", params=params, headers=headers)
        assert page.status_code == 200, page.text
        seen += [h["id"] for h in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    assert seen == made
    bad = api.client.get(f"/units/{t.grid_a1}/households?cursor=xyz", headers=headers)
    problem(bad, 422, "cursor")
    problem(api.client.get(f"/units/{t.grid_a1}/households?limit=0", headers=headers), 422)
    outsider = api.headers(t.worker(t.grid_b1))
    problem(api.client.get(f"/units/{t.grid_a1}/households", headers=outsider), 403)


def _home(api: Api) -> tuple[int, int]:
    """A household in grid A1 with one resident who has a phone: (household, resident)."""
    t = api.town
    number = make_identity("19500101", 5)
    home = t.household(t.grid_a1, {"name": "赵大爷", "identity_number": number, "phone": PHONE})
    return home.id, home.member_ids[0]


def test_the_grid_worker_reads_a_household_in_clear(api: Api) -> None:
    t = api.town
    household_id, resident_id = _home(api)
    headers = api.headers(t.worker(t.grid_a1))
    home = api.client.get(f"/households/{household_id}", headers=headers).json()
    assert (home["unit_code"], home["member_ids"]) == (t.grid_a1, [resident_id])
    (member,) = api.client.get(f"/households/{household_id}/members", headers=headers).json()
    assert member["personal_visible"] is True
    assert (member["identity_number"], member["phone"]) == (make_identity("19500101", 5), PHONE)
    resident = api.client.get(f"/residents/{resident_id}", headers=headers).json()
    assert resident == member


def test_a_department_reads_residents_masked(api: Api) -> None:
    t = api.town
    household_id, resident_id = _home(api)
    t.cg.staff.add_department(t.admin, code="T-police", name="派出所", kind="police", unit=t.town)
    officer = t.built.add_staff("department_staff", t.town, department="T-police")
    headers = api.headers(officer)
    resident = api.client.get(f"/residents/{resident_id}", headers=headers)
    assert resident.status_code == 200, resident.text
    shown = resident.json()
    assert shown["personal_visible"] is False
    assert shown["phone"] == "138****5678"
    assert shown["identity_number"] == "411***********" + make_identity("19500101", 5)[-4:]
    (member,) = api.client.get(f"/households/{household_id}/members", headers=headers).json()
    assert member["phone"] == "138****5678" and PHONE not in resident.text


@pytest.mark.parametrize("path", ["/households/{h}", "/households/{h}/members", "/residents/{r}"])
def test_a_grid_worker_of_another_grid_is_refused(api: Api, path: str) -> None:
    t = api.town
    household_id, resident_id = _home(api)
    headers = api.headers(t.worker(t.grid_b1))
    before = all_rows(api.cg)
    answer = api.client.get(path.format(h=household_id, r=resident_id), headers=headers)
    found = problem(answer, 403)
    assert PHONE not in answer.text and "赵大爷" not in str(found)
    assert all_rows(api.cg) == before


def test_an_unknown_resident_is_not_found(api: Api) -> None:
    headers = api.headers(api.town.worker(api.town.grid_a1))
    problem(api.client.get("/residents/999999", headers=headers), 404)
    problem(api.client.get("/residents/abc", headers=headers), 422, "path.resident_id")


def test_household_members_on_both_stores(any_api: Api) -> None:
    t = any_api.town
    household_id, _ = _home(any_api)
    mine = any_api.client.get(
        f"/households/{household_id}/members", headers=any_api.headers(t.worker(t.grid_a1))
    )
    assert mine.status_code == 200 and mine.json()[0]["phone"] == PHONE
    theirs = any_api.client.get(
        f"/households/{household_id}/members", headers=any_api.headers(t.worker(t.grid_b1))
    )
    problem(theirs, 403)
