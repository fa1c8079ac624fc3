"""The service-order hook: a town's catalogue replaces and extends the core's where its plugin
is enabled; answers that cannot be used are ``PluginError``s naming the hook."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import commgov
from commgov import PluginError, ServiceItem
from commgov.kernel.markers import hookimpl
from commgov.testing import plugin_towns

DAY = dt.timedelta(days=1)


class TownCatalogue:
    """A town that gives legal advice through its own lawyers' office, for a fee, and adds a
    service of its own (with a department kind of its own)."""

    commgov_plugin_name = "town_catalogue"

    @hookimpl
    def commgov_department_kinds(self) -> dict[str, str]:
        return {"lawyers": "律师事务所 lawyers' office"}

    @hookimpl
    def commgov_service_catalogue(self) -> list[ServiceItem]:
        return [
            ServiceItem(
                code="legal_advice", name="律师坐班 lawyer on duty", department="lawyers",
                required=("question", "phone_time"), time_limit=DAY, fee=500,
            ),
            ServiceItem(
                code="DG-07", name="适老化改造 home adaptation", department="housing",
                duty="may", who=("living_alone", "disability"), time_limit=30 * DAY,
            ),
        ]  # fmt: skip


def test_hook_commgov_service_catalogue() -> None:
    with plugin_towns(TownCatalogue()) as towns:
        cg, admin = towns.store, towns.admin
        grid = towns.grids[towns.plugin_town][0]
        plain = towns.grids[towns.default_town][0]
        here = {i.code: i for i in cg.orders.catalogue(grid)}
        there = {i.code: i for i in cg.orders.catalogue(plain)}
        assert list(here) == [*there, "DG-07"]  # the core's order, the town's new item last
        assert (here["legal_advice"].name, here["legal_advice"].fee) == (
            "律师坐班 lawyer on duty",
            500,
        )
        assert here["legal_advice"].department_label == "律师事务所 lawyers' office"
        assert (there["legal_advice"].fee, there["legal_advice"].department) == (0, "justice")
        assert "DG-07" not in there

        home = towns.household(grid, {"name": "王芳", "birth_date": "1985-01-01", "sex": "F"})
        resident = commgov.Actor.resident("王芳", home.id)
        order = cg.orders.place(
            resident, resident_id=home.member_ids[0], item="legal_advice",
            fields={"question": "合同纠纷", "phone_time": "晚上"},
        )  # fmt: skip
        assert (order.fee, order.item_name) == (500, "律师坐班 lawyer on duty")
        assert order.resolve_due - order.placed_at == DAY
        other = towns.household(plain, {"name": "赵强", "birth_date": "1985-01-01", "sex": "M"})
        with pytest.raises(commgov.ValidationError) as caught:  # not offered in the other town
            cg.orders.place(admin, resident_id=other.member_ids[0], item="DG-07", fields={})
        assert (caught.value.field, caught.value.value) == ("item", "DG-07")


def _answering(answer: Any) -> object:
    class Plugin:
        commgov_plugin_name = "bad_catalogue"

        @hookimpl
        def commgov_service_catalogue(self) -> Any:
            return answer

    return Plugin()


def _item(**changes: Any) -> ServiceItem:
    fields: dict[str, Any] = {"code": "x1", "name": "测试", "department": "justice"} | changes
    return ServiceItem(**fields)


BAD = [
    ("not a list", {"code": "x"}, "expected list"),
    ("not an item", [{"code": "x"}], "expected ServiceItem"),
    ("code", [_item(code="带空格 x")], "a code is"),
    ("empty name", [_item(name=" ")], "a name is"),
    ("department", [_item(department="bank")], "unknown department kind 'bank'"),
    ("duty", [_item(duty="should")], "duty 'should'"),
    ("who", [_item(who=("elderly_alone",))], "neither 'resident' nor a care group"),
    ("nobody", [_item(who=())], "who is a tuple"),
    ("fields twice", [_item(required=("a",), optional=("a",))], "each named once"),
    ("time limit", [_item(time_limit=dt.timedelta(0))], "not a positive timedelta"),
    ("fee", [_item(fee=-1)], "fee -1"),
    ("twice", [_item(), _item()], "'x1' twice"),
]


@pytest.mark.parametrize(("case", "answer", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_catalogue_that_cannot_be_used_is_a_plugin_error(
    case: str, answer: Any, message: str
) -> None:
    with plugin_towns(_answering(answer)) as towns:
        grid = towns.grids[towns.plugin_town][0]
        with pytest.raises(PluginError, match="commgov_service_catalogue") as caught:
            towns.store.orders.catalogue(grid)
        assert message in str(caught.value)
        assert len(towns.store.orders.catalogue(towns.grids[towns.default_town][0])) == 6


def test_orders_are_filed_under_their_own_case_category(town: Any) -> None:
    found = {c.code: c for c in town.cg.cases.categories()}
    assert (found["service"].label, found["service"].level) == (
        "公共服务 service order",
        "community",
    )
