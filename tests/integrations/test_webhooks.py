"""``cg.webhooks``: adding, listing and removing webhooks; their secrets kept encrypted; only a
system actor manages them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.integrations.conftest import SYSTEM, Desk

import commgov
from commgov.integrations.model import check_kinds, takes
from commgov.integrations.tables import webhooks
from commgov.kernel.repository import AuditRepository


def test_a_webhook_is_added_listed_and_removed(desk: Desk) -> None:
    cg = desk.cg
    desk.emit(("case.reported", "case:1"))
    made = cg.webhooks.add(
        SYSTEM, url=" https://hooks.example/in ", label="街道平台", kinds=["case", "case"]
    )
    hook = made.webhook
    assert made.secret.startswith("whsec_") and len(made.secret) > 40
    assert (hook.url, hook.label, hook.kinds) == ("https://hooks.example/in", "街道平台", ("case",))
    assert hook.subscriber == f"webhook:{hook.id}" and hook.created_by == SYSTEM.label()
    with cg.context.uow(readonly=True) as uow:
        stored = uow.conn.execute(select(webhooks.c.secret_cipher)).scalar_one()
        assert made.secret.encode() not in bytes(stored)
        assert cg.context.cipher.decrypt(stored) == made.secret
        audit = uow.repo(AuditRepository).of("webhook", hook.id)
        assert [a.action for a in audit] == ["webhooks.add"]
        assert made.secret not in str(audit[0].detail)
    assert cg.webhooks.webhooks(SYSTEM) == [hook]
    removed = cg.webhooks.remove(SYSTEM, hook.id)
    assert removed.removed_at is not None
    assert cg.webhooks.remove(SYSTEM, hook.id) == removed  # twice: nothing changes
    assert cg.webhooks.webhooks(SYSTEM) == []
    assert cg.webhooks.webhooks(SYSTEM, include_removed=True) == [removed]


def test_only_a_system_actor_manages_webhooks(sqlite_desk: Desk) -> None:
    cg = sqlite_desk.cg
    clerk = commgov.Actor(role="town_admin", name="clerk", units=[1])
    with pytest.raises(commgov.PermissionDenied):
        cg.webhooks.add(clerk, url="https://hooks.example/in")
    with pytest.raises(commgov.PermissionDenied):
        cg.webhooks.webhooks(clerk)
    with pytest.raises(commgov.PermissionDenied):
        cg.webhooks.deliveries(clerk)
    with pytest.raises(commgov.PermissionDenied):
        cg.webhooks.retry(clerk, "webhook:1")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "ftp://hooks.example/in"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://x.example/" + "a" * 500}, "url"),
        ({"url": "https://x.example/", "kinds": ["Case"]}, "kinds"),
        ({"url": "https://x.example/", "kinds": "case"}, "kinds"),
        ({"url": "https://x.example/", "kinds": ["case-x"]}, "kinds"),
        ({"url": "https://x.example/", "label": " "}, "label"),
    ],
)
def test_bad_webhooks_are_refused_naming_the_field(
    sqlite_desk: Desk, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        sqlite_desk.cg.webhooks.add(SYSTEM, **fields)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert sqlite_desk.cg.webhooks.webhooks(SYSTEM, include_removed=True) == []


def test_bad_listing_and_retry_arguments(sqlite_desk: Desk) -> None:
    cg = sqlite_desk.cg
    with pytest.raises(commgov.ValidationError, match="state"):
        cg.webhooks.deliveries(SYSTEM, state="lost")
    with pytest.raises(commgov.ValidationError, match="limit"):
        cg.webhooks.deliveries(SYSTEM, limit=0)
    with pytest.raises(commgov.ValidationError, match="event_ids"):
        cg.webhooks.retry(SYSTEM, "webhook:1", event_ids=[0])
    with pytest.raises(commgov.NotFoundError):
        cg.webhooks.remove(SYSTEM, 99)


def test_kind_patterns() -> None:
    assert check_kinds(["case", "points.earned", "case"]) == ("case", "points.earned")
    assert takes((), "anything.at_all")
    assert takes(("case",), "case.closed") and takes(("case.closed",), "case.closed")
    assert not takes(("case",), "cases.closed") and not takes(("case.closed",), "case.close")
