"""Service orders over HTTP: 点单 → 派单 → 接单 → 办理 → 评单, pages, a grid worker who may not
assign, bad input named, a retried order placed once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.api.participation_fixtures import Headers, Site, open_site, problem

import commgov


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def place(site: Site, elder: commgov.Actor, headers: Headers) -> dict[str, object]:
    made = site.client.post(
        "/orders",
        json={"resident_id": elder.resident_id, "item": "legal_advice",
              "fields": {"question": "租房合同纠纷"}},
        headers=headers,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    found: dict[str, object] = made.json()
    return found


def test_an_order_runs_the_loop_from_placed_to_closed(site: Site) -> None:
    grid = site.town.grids[0]
    site.cg.staff.add_department(
        site.admin, code="T-law", name="司法所", kind="justice", unit=site.town.town
    )
    clerk = site.headers(site.staff("community_staff", site.town.communities[0]))
    officer = site.headers(site.staff("department_staff", site.town.town, department="T-law"))
    elder = site.resident(grid, "李秀英")
    mine = site.headers(elder)
    catalogue = site.client.get(f"/units/{grid}/service-catalogue", headers=clerk).json()
    assert "legal_advice" in [item["code"] for item in catalogue]
    order = place(site, elder, mine)
    assert (order["step"], order["case_state"]) == ("ordered", "triaged")
    steps = [
        (clerk, {"action": "assign", "provider_kind": "department", "provider": "T-law"}),
        (officer, {"action": "accept"}),
        (officer, {"action": "complete", "note": "已电话答复", "attachments": ["oss://1.jpg"]}),
        (mine, {"action": "rate", "rating": 5}),
    ]
    for headers, step in steps:
        answer = site.client.post(f"/orders/{order['id']}/actions", json=step, headers=headers)
        assert answer.status_code == 200, (step, answer.text)
    assert (answer.json()["step"], answer.json()["case_state"]) == ("closed", "closed")
    assert site.client.get(f"/orders/{order['id']}", headers=officer).json()["resident_name"] == (
        "李**"
    )
    community = site.town.communities[0]
    rates = site.client.get(f"/units/{community}/order-rates", headers=clerk).json()
    assert rates["satisfaction_rate"] == 1.0, rates


def test_orders_come_a_page_at_a_time(site: Site) -> None:
    elder = site.resident(site.town.grids[0], "李秀英")
    mine = site.headers(elder)
    made = [place(site, elder, mine)["id"] for _ in range(3)]
    clerk = site.headers(site.staff("community_staff", site.town.communities[0]))
    params: dict[str, str | int] = {"unit": site.town.communities[0], "limit": 2}
    first = site.client.get("/orders", params=params, headers=clerk).json()
    rest = site.client.get(
        "/orders", params={**params, "cursor": first["next_cursor"]}, headers=clerk
    ).json()
    assert [o["id"] for o in first["items"] + rest["items"]] == made
    assert rest["next_cursor"] is None


def test_a_grid_worker_may_not_assign_and_nothing_is_written(site: Site) -> None:
    grid = site.town.grids[0]
    elder = site.resident(grid, "李秀英")
    order = place(site, elder, site.headers(elder))
    worker = site.staff("grid_worker", grid)
    headers = site.headers(worker)
    before = site.rows()
    step = {"action": "assign", "provider_kind": "staff", "provider": worker.staff_id}
    problem(site.client.post(f"/orders/{order['id']}/actions", json=step, headers=headers), 403)
    assert site.rows() == before
    assert site.cg.orders.get(site.admin, int(str(order["id"]))).step == "ordered"


@pytest.mark.parametrize(
    ("step", "field"),
    [
        ({"action": "rate", "rating": 9}, "body.rate.rating"),
        ({"action": "decline"}, "body.decline.reason"),
        ({"action": "paint"}, "body"),
        ({"action": "assign", "provider_kind": "department", "provider": "NOPE"}, "provider"),
    ],
)
def test_bad_steps_are_named_and_nothing_is_written(
    site: Site, step: dict[str, object], field: str
) -> None:
    elder = site.resident(site.town.grids[0], "李秀英")
    order = place(site, elder, site.headers(elder))
    clerk = site.headers(site.staff("community_staff", site.town.communities[0]))
    before = site.rows()
    answer = site.client.post(f"/orders/{order['id']}/actions", json=step, headers=clerk)
    assert problem(answer, 422)["field"] == field
    assert site.rows() == before


def test_a_retried_order_under_one_key_is_placed_once(site: Site) -> None:
    elder = site.resident(site.town.grids[0], "李秀英")
    keyed = site.headers(elder, key="order-1")
    first, again = place(site, elder, keyed), place(site, elder, keyed)
    assert again == first
    listed = site.cg.orders.under(site.admin, site.town.town)
    assert [o.id for o in listed] == [first["id"]]
