"""Open311 requests: posted as cases (placed by the map, an address_id, or the town's own
queue) and as service orders, read back in full by a key holder and in public fields without
a key, by id, by token and by filters; bad input answered with an Open311 error and nothing
written; the main flow on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.api.open311_fixtures import (
    POINT_A1,
    POINT_NOWHERE,
    POINT_OTHER,
    World,
    row_counts,
    world_on,
)

import commgov

PUBLIC_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address_id",
}  # fmt: skip
PRIVATE_FIELDS = {"description", "address", "lat", "long", "media_url", "phone"}
CONTACT = {
    "phone": "13812345678",
    "email": "li.si@example.org",
    "first_name": "四",
    "last_name": "李",
    "device_id": "phone-42",
    "account_id": "acc-7",
}


@pytest.fixture
def world() -> Iterator[World]:
    with world_on("sqlite:///:memory:") as found:
        yield found


def post_case(world: World, **form: str) -> str:
    sent = {"api_key": world.key, "service_code": "environment", **form}
    made = world.client.post("requests", "posted", sent)
    assert made.status == 200, made.data
    return str(made.data[0]["service_request_id"])


@pytest.mark.parametrize("url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_request_is_posted_placed_read_and_listed(
    url: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if url == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('o311') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with world_on(url) as world:
        form = {
            "api_key": world.key,
            "service_code": "environment",
            "description": "垃圾三天没人收",
            "media_url": ["https://img.example.org/1.jpg", "https://img.example.org/2.jpg"],
            "attribute[severity]": "urgent",
            **POINT_A1,
            **CONTACT,
        }
        made = world.client.post("requests", "posted", form)
        assert made.status == 200
        (answer,) = made.data
        assert answer["service_notice"].startswith("案件编号 case number 2026-000001")
        rid = answer["service_request_id"]
        case = world.cg.cases.get(world.town.admin, int(rid))
        assert (case.unit_code, case.channel, case.severity) == (
            world.town.grid_a1, "resident", "urgent",
        )  # fmt: skip
        assert case.photos == tuple(form["media_url"]) and case.reporter_phone == "138****5678"
        stored = repr(world.cg.cases.history(world.town.admin, case.id))
        assert not any(v in stored for k, v in CONTACT.items() if k != "phone")

        public = world.client.get(f"requests/{rid}", "requests").data
        full = world.client.get(f"request/{rid}", "requests", key=world.key).data
        assert set(public[0]) == PUBLIC_FIELDS
        assert set(full[0]) == PUBLIC_FIELDS | PRIVATE_FIELDS
        assert full[0]["phone"] == "138****5678" and full[0]["lat"] == 34.1
        assert full[0]["media_url"] == "https://img.example.org/1.jpg"
        assert public[0]["address_id"] == world.town.grid_a1 and public[0]["status"] == "open"
        assert "13812345678" not in repr(full) + repr(public)

        xml = world.client.get(f"requests/{rid}", "requests", fmt="xml", key=world.key).data
        assert xml["request"]["description"] == "垃圾三天没人收"
        assert xml["request"]["service_request_id"] == rid
        listed = world.client.get("requests", "requests", status="open").data
        assert [r["service_request_id"] for r in listed] == [rid]
        token = world.client.get("tokens/2026-000001", "token").data
        assert token == [{"service_request_id": rid, "token": "2026-000001"}]


def test_a_request_nothing_places_waits_in_the_town_s_own_queue(world: World) -> None:
    nowhere = post_case(world, **POINT_NOWHERE)
    described = post_case(world, address_string="东大街路口")
    on_grid = post_case(world, address_id=world.town.grid_b1, **POINT_NOWHERE)
    cases = {
        rid: world.cg.cases.get(world.town.admin, int(rid)) for rid in (nowhere, described, on_grid)
    }
    assert [(c.unit_code, c.owner_level) for c in cases.values()] == [
        (world.town.town, "town"),
        (world.town.town, "town"),
        (world.town.grid_b1, "grid"),
    ]
    assert cases[described].address == "东大街路口" and cases[nowhere].lat == 20.0
    town_staff = world.town.worker(world.town.town, role="town_admin")
    queued = world.cg.cases.under(town_staff, world.town.town, state="reported")
    assert {c.id for c in queued} == {int(nowhere), int(described), int(on_grid)}
    listed = world.client.get("requests", "requests").data
    assert [r["address_id"] for r in listed] == [
        world.town.town,
        world.town.town,
        world.town.grid_b1,
    ]


def test_the_library_places_a_report_for_a_town_in_the_town_or_its_grids(world: World) -> None:
    cases, admin, town = world.cg.cases, world.town.admin, world.town
    queued = cases.report(admin, text="无处安放", town=town.town)
    assert (queued.unit_code, queued.owner_level, queued.number) == (
        town.town,
        "town",
        "2026-000001",
    )
    assert (
        cases.report(admin, text="x", unit=town.grid_a2, town=town.town).unit_code == town.grid_a2
    )
    with pytest.raises(commgov.ValidationError, match="not in town 411425100"):
        cases.report(admin, text="x", unit=world.other.grids[0], town=town.town)
    elsewhere = r"lat/lon=\(34.7, 115.9\): in 411425200001001, not in town"
    with pytest.raises(commgov.ValidationError, match=elsewhere):
        cases.report(admin, text="x", lat=34.7, lon=115.9, town=town.town)
    with pytest.raises(commgov.ValidationError, match="town='411425100001': expected a town"):
        cases.report(admin, text="x", town=town.community_a)
    with pytest.raises(commgov.ValidationError, match="lat/lon"):
        cases.report(admin, text="x", lat=20.0, lon=115.9)  # without a town: refused as before
    worker = town.worker(town.grid_a1)
    with pytest.raises(commgov.PermissionDenied):
        cases.report(worker, text="x", town=town.town)  # the town's queue is not a grid's


def test_a_key_holder_reads_in_full_what_the_library_lets_it_read(world: World) -> None:
    in_a1 = post_case(world, **POINT_A1, description="a1 的事")
    in_b1 = post_case(world, address_id=world.town.grid_b1, description="b1 的事")
    worker_key = world.key_of(world.town.worker(world.town.grid_a1), scopes=("read",))
    listed = world.client.get("requests", "requests", key=worker_key).data
    shown = {r["service_request_id"]: r.get("description") for r in listed}
    assert shown == {in_a1: "a1 的事", in_b1: None}
    one = world.client.get(f"requests/{in_b1}", "requests", key=worker_key).data[0]
    assert set(one) == PUBLIC_FIELDS
    picked = world.client.get(
        "requests", "requests", service_request_id=f"{in_b1},{in_a1},999"
    ).data
    assert [r["service_request_id"] for r in picked] == [in_b1, in_a1]


def test_filters_choose_by_service_status_and_period(world: World) -> None:
    first = post_case(world, **POINT_A1)
    world.later(dt.timedelta(days=40))
    second = post_case(world, **POINT_A1, service_code="dispute.neighbour")
    world.cg.cases.reject(world.town.admin, int(second), kind="invalid", reason="误报")
    world.later(dt.timedelta(days=60))
    third = post_case(world, **POINT_A1, service_code="dispute")

    def ids(**params: str) -> list[str]:
        return [
            r["service_request_id"] for r in world.client.get("requests", "requests", **params).data
        ]

    assert ids() == [second, third]  # the last 90 days
    assert ids(start_date="2026-11-01", end_date="2027-01-30") == [first, second]
    assert ids(start_date="2026-12-01T00:00:00+08:00") == [second, third]
    assert ids(end_date="2027-01-01T00:00:00Z") == [first, second]
    assert ids(service_code="dispute") == [third]  # not the category below it
    assert ids(service_code="dispute.neighbour,environment", status="closed") == [second]
    assert ids(status="open,closed") == [second, third]
    closed = world.client.get("requests", "requests", service_code="dispute.neighbour").data[0]
    assert closed["status_notes"] == "不予受理 not accepted: not a valid report"
    for params, says in [
        ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "spans more than 90 days"),
        ({"start_date": "2026-06-01", "end_date": "2026-01-01"}, "must come after"),
        ({"start_date": "yesterday"}, "expected a date-time"),
        ({"status": "pending"}, "expected open, closed"),
        ({"service_code": "nothing"}, "no such service"),
        ({"service_request_id": "1,x"}, "expected an id"),
    ]:
        refused = world.client.get("requests", "requests", **params)
        assert refused.status == 400 and says in refused.data[0]["description"], params


def test_a_service_order_is_posted_for_a_resident_of_the_town(world: World) -> None:
    home = world.town.household(
        world.town.grid_a1,
        {"name": "李秀英", "birth_date": "1940-05-01", "sex": "F", "care_groups": ["living_alone"]},
    )
    resident = str(home.member_ids[0])
    form = {
        "api_key": world.key,
        "service_code": "service:home_care",
        "attribute[resident_id]": resident,
        "attribute[address]": "3栋201",
        "attribute[care_needed]": "每周助浴一次",
        "attribute[contact_time]": "",
        "attribute[fixmystreet_id]": "77",
        "description": "老人独居",
    }
    made = world.client.post("requests", "posted", form).data[0]
    order = world.cg.orders.get(world.town.admin, int(made["service_request_id"]))
    assert (order.item, order.fields, order.resident_id) == (
        "home_care", {"address": "3栋201", "care_needed": "每周助浴一次"}, int(resident),
    )  # fmt: skip
    listed = world.client.get("requests", "requests", service_code="service:home_care").data
    assert [(r["service_code"], r["service_name"]) for r in listed] == [
        ("service:home_care", "居家上门照护 home care visit")
    ]
    elsewhere = world.other.household(
        world.other.grids[0], {"name": "王五", "birth_date": "1950-01-01", "sex": "M"}
    )
    before = row_counts(world.cg)
    for extra, says in [
        ({"attribute[resident_id]": ""}, "attribute[resident_id] is required"),
        ({"attribute[care_needed]": ""}, "attribute[care_needed] is required"),
        ({"attribute[resident_id]": str(elsewhere.member_ids[0])}, "does not live in 411425100"),
    ]:
        refused = world.client.post("requests", "posted", {**form, **extra})
        assert refused.status == 400 and says in refused.data[0]["description"], extra
    assert row_counts(world.cg) == before


BAD = [
    ({"service_code": "nothing"}, 400, "service_code='nothing': no such service"),
    ({"service_code": ""}, 400, "service_code is required"),
    ({"lat": "", "long": ""}, 400, "a location is required"),
    ({"lat": "abc"}, 400, "lat='abc': expected a number"),
    ({"lat": "91"}, 400, "expected a number from -90 to 90"),
    ({"long": ""}, 400, "give both lat and long"),
    ({"lat": "nan"}, 400, "lat='nan'"),
    ({"address_id": "411425200001001"}, 400, "address_id='411425200001001': in 411425200001001"),
    ({"address_id": "411425100001"}, 400, "a case belongs to a grid"),
    (POINT_OTHER, 400, "lat/long=(34.7, 115.9): in 411425200001001, not in town 411425100"),
    ({"description": "长" * 2001}, 400, "description="),
    ({"media_url": "file:///etc/passwd"}, 400, "media_url='file:///etc/passwd'"),
    ({"phone": "12"}, 400, "phone="),
    ({"attribute[severity]": "world-ending"}, 400, "expected one of critical"),
    ({"api_key": ""}, 401, "api_key is required"),
    ({"api_key": "cg_0123456789_secret"}, 401, "no API key cg_0123456789_"),
    ({"jurisdiction_id": "999"}, 404, "no such town"),
]


@pytest.mark.parametrize(("change", "status", "says"), BAD, ids=[b[2][:30] for b in BAD])
def test_bad_input_is_an_open311_error_and_nothing_is_written(
    world: World, change: dict[str, str], status: int, says: str
) -> None:
    before = row_counts(world.cg)
    form = {"api_key": world.key, "service_code": "environment", **POINT_A1, **change}
    for fmt in ("json", "xml"):
        refused = world.client.post("requests", "posted", form, fmt=fmt)
        assert refused.status == status
        error = refused.data[0] if fmt == "json" else refused.data["error"]
        assert int(error["code"]) == status and says in error["description"], error
    assert row_counts(world.cg) == before


def test_revoked_and_read_only_keys_cannot_post(world: World) -> None:
    staff = world.town.worker(world.town.grid_a1)
    made = world.cg.api_keys.create(world.town.admin, staff_id=staff.staff_id)
    reader = world.key_of(staff, scopes=("read",))
    world.cg.api_keys.revoke(world.town.admin, made.key.id)
    before = row_counts(world.cg)
    form = {"service_code": "environment", **POINT_A1}
    revoked = world.client.post("requests", "posted", {**form, "api_key": made.secret})
    assert revoked.status == 401 and "revoked" in revoked.data[0]["description"]
    read_only = world.client.post("requests", "posted", {**form, "api_key": reader})
    assert read_only.status == 403 and "write" in read_only.data[0]["description"]
    assert world.client.get("requests", "requests", key=made.secret).status == 401
    assert row_counts(world.cg) == before


def test_a_retry_under_one_idempotency_key_makes_one_request(world: World) -> None:
    form = {"api_key": world.key, "service_code": "environment", **POINT_A1}
    headers = {"Idempotency-Key": "app-7f3e"}
    first = world.client.post("requests", "posted", form, headers=headers)
    again = world.client.post("requests", "posted", form, headers=headers, fmt="json")
    assert first.data == again.data and again.headers["idempotent-replayed"] == "true"
    other = world.client.post(
        "requests", "posted", {**form, "description": "另一件"}, headers=headers
    )
    assert other.status == 409 and "different request" in other.data[0]["description"]
    assert len(world.cg.cases.under(world.town.admin, world.town.town)) == 1
