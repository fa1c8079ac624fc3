"""Who is calling: API keys kept hashed, scopes, expiry, revocation — each refusal a problem
answer that writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select
from tests.api.conftest import Api
from tests.conftest import NOW, make_identity, row_counts

import commgov
from commgov.integrations.tables import api_keys


def _problem(answer: object, status: int) -> dict[str, object]:
    import httpx

    assert isinstance(answer, httpx.Response)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = answer.json()
    assert body["status"] == status and "Traceback" not in answer.text
    return body


def test_only_the_keys_hash_is_stored(api: Api) -> None:
    made = api.cg.api_keys.create(api.town.admin, system="crm")
    with api.cg.context.uow(readonly=True) as uow:
        row = uow.conn.execute(select(api_keys)).one()
    assert made.secret not in str(tuple(row))
    assert row.digest == hashlib.sha256(made.secret.encode()).hexdigest()


@pytest.mark.parametrize(
    "header",
    [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Bearer cg_0123456789_wrong"}],
)
def test_a_missing_or_unknown_key_is_401_and_writes_nothing(
    api: Api, header: dict[str, str]
) -> None:
    before = row_counts(api.cg)
    answer = api.client.post("/cases", json={"text": "x", "unit": api.town.grid_a1}, headers=header)
    _problem(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"
    assert row_counts(api.cg) == before


def test_a_revoked_key_is_refused_from_the_next_request(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    made = api.cg.api_keys.create(api.town.admin, staff_id=worker.staff_id)
    headers = {"Authorization": f"Bearer {made.secret}"}
    assert api.client.get("/case-categories", headers=headers).status_code == 200
    api.cg.api_keys.revoke(api.town.admin, made.key.id)
    body = _problem(api.client.get("/case-categories", headers=headers), 401)
    assert "revoked" in str(body["detail"]) and made.secret not in str(body)


def test_an_expired_key_is_refused(api: Api) -> None:
    made = api.cg.api_keys.create(
        api.town.admin, system="nightly", expires_at=NOW + dt.timedelta(seconds=1)
    )
    api.cg.context.clock = lambda: NOW + dt.timedelta(days=1)
    answer = api.client.get("/case-categories", headers={"X-API-Key": made.secret})
    assert "expired" in str(_problem(answer, 401)["detail"])


def test_a_read_only_key_may_read_but_not_write(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    headers = api.headers(worker, scopes=("read",))
    assert api.client.get("/cases", params={"unit": api.town.grid_a1}, headers=headers).is_success
    before = row_counts(api.cg)
    answer = api.client.post(
        "/cases", json={"text": "x", "unit": api.town.grid_a1}, headers=headers
    )
    assert "write" in str(_problem(answer, 403)["detail"])
    assert row_counts(api.cg) == before


def test_a_key_of_a_staff_member_who_left_stops_working(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    headers = api.headers(worker)
    assert worker.staff_id is not None
    api.cg.staff.deactivate(api.town.admin, worker.staff_id, reason="调离")
    _problem(api.client.get("/case-categories", headers=headers), 401)


def test_a_department_key_acts_as_that_departments_staff(api: Api) -> None:
    api.cg.staff.add_department(
        api.town.admin, code="T-fire", name="消防", kind="fire", unit=api.town.town
    )
    made = api.cg.api_keys.create(api.town.admin, department="T-fire", scopes=("read",))
    holder = api.cg.api_keys.holder(made.secret)
    assert (holder.actor.role, holder.scopes) == ("department_staff", ("read",))
    answer = api.client.get(
        "/cases", params={"unit": api.town.grid_b1}, headers={"X-API-Key": made.secret}
    )
    assert answer.status_code == 200


def test_keys_are_made_only_by_those_who_manage_the_holder(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    other = api.town.worker(api.town.grid_b1)
    with pytest.raises(commgov.PermissionDenied):
        api.cg.api_keys.create(worker, staff_id=other.staff_id)
    with pytest.raises(commgov.PermissionDenied):
        api.cg.api_keys.create(worker, system="sneaky")
    with pytest.raises(commgov.ValidationError, match="exactly one"):
        api.cg.api_keys.create(api.town.admin)
    with pytest.raises(commgov.ValidationError, match="expires_at"):
        api.cg.api_keys.create(api.town.admin, system="x", expires_at=NOW - dt.timedelta(days=1))
    assert api.cg.api_keys.keys(worker) == []


def test_a_residents_key_acts_as_that_resident_and_only_their_grid_worker_makes_it(
    api: Api,
) -> None:
    t = api.town
    home = t.household(t.grid_a1, {"name": "赵大爷", "identity_number": make_identity()})
    (resident_id,) = home.member_ids
    worker, outsider = t.worker(t.grid_a1), t.worker(t.grid_b1)
    before = row_counts(api.cg)
    with pytest.raises(commgov.PermissionDenied):
        api.cg.api_keys.create(outsider, resident_id=resident_id)
    with pytest.raises(commgov.NotFoundError):
        api.cg.api_keys.create(worker, resident_id=resident_id + 999)
    assert row_counts(api.cg) == before
    made = api.cg.api_keys.create(worker, resident_id=resident_id, scopes=("read",))
    assert made.key.holder == f"resident:{resident_id}"
    actor = api.cg.api_keys.holder(made.secret).actor
    assert (actor.role, actor.household_id, actor.resident_id) == ("resident", home.id, resident_id)
    assert actor.name == "赵**"  # the name is masked wherever the actor's label is logged
    assert [k.id for k in api.cg.api_keys.keys(worker)] == [made.key.id]
    assert api.cg.api_keys.keys(outsider) == []
    own = api.client.get(f"/households/{home.id}", headers={"X-API-Key": made.secret})
    assert own.status_code == 200
    other = t.household(t.grid_a1, {"name": "钱大妈", "identity_number": make_identity(serial=2)})
    _problem(api.client.get(f"/households/{other.id}", headers={"X-API-Key": made.secret}), 403)
    api.cg.residents.leave(t.admin, resident_id, reason="moved_out")
    _problem(api.client.get(f"/households/{home.id}", headers={"X-API-Key": made.secret}), 401)
