"""FixMyStreet's servicerequestupdates: posted statuses take a case around the whole loop, the
case's public steps come back as updates (in full for a key holder reading the whole town),
a retried ``update_id`` acts once, and statuses with no step are Open311 errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.api.open311_fixtures import POINT_A1, START, World, row_counts, world_on

import commgov
from commgov.api.open311.errors import Open311Error
from commgov.api.open311.steps import STEPS, command


@pytest.fixture
def world() -> Iterator[World]:
    with world_on("sqlite:///:memory:") as found:
        world = found
        world.town.worker(world.town.grid_a1)  # someone the routing rule can dispatch to
        yield world


def new_case(world: World) -> str:
    form = {
        "api_key": world.key,
        "service_code": "environment",
        "description": "路灯坏了",
        **POINT_A1,
    }
    return str(world.client.post("requests", "posted", form).data[0]["service_request_id"])


def post(world: World, rid: str, status: str, update: str, **form: str) -> tuple[int, object]:
    sent = {
        "api_key": world.key,
        "service_request_id": rid,
        "update_id": update,
        "status": status,
        "updated_datetime": "2026-11-03T09:30:00+08:00",
        **form,
    }
    answer = world.client.post("servicerequestupdates", "posted_updates", sent)
    return answer.status, answer.data


LOOP = [
    ("INVESTIGATING", {}, "accepted", "investigating"),
    ("INVESTIGATING", {}, "triaged", "investigating"),
    ("ACTION_SCHEDULED", {}, "dispatched", "action_scheduled"),
    ("IN_PROGRESS", {"description": "已到现场"}, "in_progress", "in_progress"),
    ("FIXED", {"description": "换了灯泡", "media_url": "https://img.example.org/done.jpg"},
     "resolved", "fixed"),
    ("FIXED", {}, "informed", "fixed"),
    ("CLOSED", {"attribute[rating]": "5"}, "visited", "fixed"),
    ("CLOSED", {}, "closed", "closed"),
]  # fmt: skip


def test_posted_statuses_take_a_case_around_the_loop(world: World) -> None:
    rid = new_case(world)
    for n, (status, form, state, _) in enumerate(LOOP, start=2):
        found = post(world, rid, status, f"fms-{n}", **form)
        assert found == (200, [{"update_id": f"{rid}-{n}"}]), (status, found)
        assert world.cg.cases.get(world.town.admin, int(rid)).state == state
    request = world.client.get(f"requests/{rid}", "requests").data[0]
    assert (request["status"], request["status_notes"]) == ("closed", "已闭环 closed")
    full = world.client.get("servicerequestupdates", "updates", key=world.key).data
    assert [u["status"] for u in full] == [s for *_, s in LOOP]
    assert [u["update_id"] for u in full] == [f"{rid}-{n}" for n in range(2, 10)]
    resolved = full[4]
    assert resolved["description"] == "换了灯泡"
    assert resolved["media_url"] == "https://img.example.org/done.jpg"
    public = world.client.get("servicerequestupdates", "updates").data
    assert public[4]["description"] == "已办结 resolved" and public[4]["media_url"] == ""
    xml = world.client.get("servicerequestupdates", "updates", fmt="xml", key=world.key).data
    assert [u["status"] for u in xml["request_update"]] == [s for *_, s in LOOP]


def test_rejections_merges_reopenings_and_referrals(world: World) -> None:
    first, second, third, fourth = (new_case(world) for _ in range(4))
    assert post(world, first, "NOT_COUNCILS_RESPONSIBILITY", "u1")[0] == 200
    assert post(world, second, "DUPLICATE", "u2", **{"attribute[duplicate_of]": first})[0] == 200
    post(world, third, "INVESTIGATING", "u3")
    assert post(world, third, "DUPLICATE", "u4", **{"attribute[duplicate_of]": fourth})[0] == 200
    post(world, fourth, "INTERNAL_REFERRAL", "u5")
    cases = {
        r: world.cg.cases.get(world.town.admin, int(r)) for r in (first, second, third, fourth)
    }
    assert (cases[first].state, cases[first].reject_kind) == ("rejected", "out_of_remit")
    assert (cases[second].reject_kind, cases[second].duplicate_of) == ("duplicate", int(first))
    assert (cases[third].state, cases[third].merged_into) == ("merged", int(fourth))
    assert (cases[fourth].owner_level, cases[fourth].escalations) == ("community", 1)
    notes = {
        r["service_request_id"]: r["status_notes"]
        for r in world.client.get("requests", "requests").data
    }
    assert notes[second] == f"不予受理 not accepted: a duplicate of request {first}"
    assert notes[third] == f"已并件 merged into request {fourth}"
    statuses = [u["status"] for u in world.client.get("servicerequestupdates", "updates").data]
    assert statuses == [
        "not_councils_responsibility", "duplicate", "investigating", "duplicate", "open",
    ]  # fmt: skip


def test_a_poor_rating_reopens_and_the_reporter_may_withdraw(world: World) -> None:
    rid = new_case(world)
    for n, (status, form, *_) in enumerate(LOOP[:6], start=2):
        post(world, rid, status, f"a{n}", **form)
    assert post(world, rid, "REOPEN", "a8", **{"attribute[rating]": "2"})[0] == 200
    assert world.cg.cases.get(world.town.admin, int(rid)).state == "in_progress"
    assert world.client.get("servicerequestupdates", "updates").data[-1]["status"] == "reopen"
    assert post(world, rid, "CLOSED", "a9", description="不用修了")[0] == 200
    assert world.cg.cases.get(world.town.admin, int(rid)).state == "withdrawn"


def test_a_retried_update_acts_once(world: World) -> None:
    rid = new_case(world)
    first = world.client.post(
        "servicerequestupdates",
        "posted_updates",
        {
            "api_key": world.key,
            "service_request_id": rid,
            "update_id": "x1",
            "status": "INVESTIGATING",
        },
    )
    again = world.client.post(
        "servicerequestupdates",
        "posted_updates",
        {
            "api_key": world.key,
            "service_request_id": rid,
            "update_id": "x1",
            "status": "investigating",
        },
    )
    assert first.data == again.data == [{"update_id": f"{rid}-2"}]
    assert again.headers["idempotent-replayed"] == "true"
    assert world.cg.cases.get(world.town.admin, int(rid)).state == "accepted"
    assert post(world, rid, "FIXED", "x1", description="x")[0] == 409  # x1 meant another update


@pytest.mark.parametrize(
    ("status", "form", "code", "says"),
    [
        ("OPEN", {}, 400, "the case loop keeps no comments"),
        ("SOLVED", {}, 400, "expected one of OPEN"),
        ("FIXED", {}, 409, "no step from reported"),
        ("REOPEN", {"attribute[rating]": "2"}, 409, "it applies to informed"),
        ("DUPLICATE", {}, 400, "attribute[duplicate_of] is required"),
        ("DUPLICATE", {"attribute[duplicate_of]": "9999"}, 400, "9999: no such case"),
        ("INVESTIGATING", {"service_request_id": "9999"}, 404, "no such request"),
        ("INVESTIGATING", {"service_request_id": "x"}, 400, "expected an id"),
        ("INVESTIGATING", {"update_id": ""}, 400, "update_id is required"),
        ("INVESTIGATING", {"updated_datetime": "soon"}, 400, "updated_datetime='soon'"),
        ("INVESTIGATING", {"api_key": ""}, 401, "api_key is required"),
    ],
)
def test_updates_with_no_step_are_open311_errors_and_change_nothing(
    world: World, status: str, form: dict[str, str], code: int, says: str
) -> None:
    rid = new_case(world)
    before = row_counts(world.cg)
    found, data = post(world, rid, status, "bad-1", **form)
    assert found == code and says in str(data), data
    assert row_counts(world.cg) == before


def test_another_town_s_request_is_not_found_there(world: World) -> None:
    admin = world.other.admin
    theirs = world.cg.cases.report(admin, text="别处的事", unit=world.other.grids[0])
    found, data = post(world, str(theirs.id), "INVESTIGATING", "o1")
    assert found == 404 and "not in 411425100" in str(data)
    assert world.client.get(f"requests/{theirs.id}", "requests").status == 404


def test_the_status_table_is_whole() -> None:
    for status, steps in STEPS.items():
        for state in steps:
            attributes = {"duplicate_of": ["7"], "rating": ["2" if status == "REOPEN" else "4"]}
            found = command(status, state, note="n", attachments=(), attributes=attributes)
            assert found["action"] in {"accept", "triage", "dispatch", "start", "resolve",
                                       "inform", "close", "visit", "withdraw", "reject",
                                       "merge", "escalate"}  # fmt: skip
    with pytest.raises(Open311Error, match="FIXED"):
        command("FIXED", "in_progress", note=None, attachments=(), attributes={})
    with pytest.raises(Open311Error, match="REOPEN takes 1-2"):
        command("REOPEN", "informed", note=None, attachments=(), attributes={"rating": ["4"]})


def test_the_library_reads_a_unit_s_events_in_time_order(world: World) -> None:
    cases, admin, town = world.cg.cases, world.town.admin, world.town
    first = cases.report(admin, text="一", unit=town.grid_a1)
    world.later(dt.timedelta(hours=1))
    second = cases.report(admin, text="二", unit=town.grid_b1)
    world.later(dt.timedelta(hours=1))
    cases.accept(admin, first.id)
    every = cases.updates(admin, town.town)
    assert [(u.case_id, u.action) for u in every] == [
        (first.id, "report"), (second.id, "report"), (first.id, "accept"),
    ]  # fmt: skip
    assert [u.action for u in cases.updates(admin, town.town, public=True)] == ["accept"]
    since = START + dt.timedelta(minutes=30)
    assert [u.case_id for u in cases.updates(admin, town.town, since=since)] == [
        second.id,
        first.id,
    ]
    assert [u.case_id for u in cases.updates(admin, town.town, until=since)] == [first.id]
    assert [u.seq for u in cases.updates(admin, town.grid_a1, case_ids=[first.id])] == [1, 2]
    assert len(cases.updates(admin, town.town, limit=1)) == 1
    assert cases.updates(admin, town.grid_a2) == []
    with pytest.raises(commgov.ValidationError, match="until"):
        cases.updates(admin, town.town, since=since, until=START)
    with pytest.raises(commgov.ValidationError, match="limit=0"):
        cases.updates(admin, town.town, limit=0)
    with pytest.raises(commgov.PermissionDenied):
        cases.updates(town.worker(town.grid_a1), town.town)
