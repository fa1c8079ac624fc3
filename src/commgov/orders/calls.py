"""Calling the service-order hook: the catalogue of one unit, merged over the plugins that
apply there (the core defaults first, a town's item replacing the core's of the same code),
every item checked before it is used, cached per set of plugins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from commgov.errors import PluginError
from commgov.kernel.calls import expect
from commgov.kernel.context import Context
from commgov.kernel.values import INT32
from commgov.orders.model.limits import FIELD_NAME_MAX, FIELDS_MAX, ITEM_CODE_MAX, ITEM_NAME_MAX
from commgov.orders.model.rules import DUTIES, ITEM_CODE, RESIDENTS, ServiceItem
from commgov.people.calls import care_groups, department_kinds

HOOK: Final = "commgov_service_catalogue"


def catalogue(ctx: Context, unit_path: str) -> dict[str, ServiceItem]:
    """The items offered at the unit at ``unit_path``, by code, in the order first given."""
    names = ctx.plugins.names_for(unit_path)
    key = "orders.catalogue:" + "|".join(names)
    return ctx.cached(key, lambda: _merged(ctx, unit_path))


def _merged(ctx: Context, unit_path: str) -> dict[str, ServiceItem]:
    answers = ctx.plugins.rules(unit_path).commgov_service_catalogue()
    kinds, groups = department_kinds(ctx), care_groups(ctx)
    merged: dict[str, ServiceItem] = {}
    for answer in reversed(list(answers)):  # pluggy answers last registered first
        seen: set[str] = set()
        for found in expect(answer, list, HOOK):
            item = expect(found, ServiceItem, HOOK)
            check_item(item, kinds, groups)
            if item.code in seen:
                raise PluginError(f"{HOOK} returned item {item.code!r} twice in one answer")
            seen.add(item.code)
            merged[item.code] = item
    return merged


def check_item(item: ServiceItem, kinds: Mapping[str, str], groups: Mapping[str, str]) -> None:
    """``PluginError`` naming the hook and the item unless every part of it can be used."""

    def bad(why: str) -> PluginError:
        return PluginError(f"{HOOK} returned item {item.code!r}: {why}")

    code = item.code
    if not isinstance(code, str) or len(code) > ITEM_CODE_MAX or not ITEM_CODE.fullmatch(code):
        raise bad(f"a code is 1 to {ITEM_CODE_MAX} ASCII letters, digits, _ . -")
    if not isinstance(item.name, str) or not item.name.strip() or len(item.name) > ITEM_NAME_MAX:
        raise bad(f"a name is 1 to {ITEM_NAME_MAX} characters")
    if item.department not in kinds:
        raise bad(f"unknown department kind {item.department!r}; known: {', '.join(kinds)}")
    if item.duty not in DUTIES:
        raise bad(f"duty {item.duty!r} is not one of {', '.join(DUTIES)}")
    if not isinstance(item.who, tuple) or not item.who:
        raise bad("who is a tuple of 'resident' or care-group codes")
    for who in item.who:
        if who != RESIDENTS and who not in groups:
            raise bad(f"who: {who!r} is neither {RESIDENTS!r} nor a care group")
    fields = item.fields if isinstance(item.required, tuple) else None
    if fields is None or not isinstance(item.optional, tuple):
        raise bad("required and optional are tuples of field names")
    if len(fields) > FIELDS_MAX or len(set(fields)) != len(fields):
        raise bad(f"at most {FIELDS_MAX} fields, each named once")
    for name in fields:
        if not isinstance(name, str) or not name.strip() or len(name) > FIELD_NAME_MAX:
            raise bad(f"field {name!r}: a name is 1 to {FIELD_NAME_MAX} characters")
    if not isinstance(item.time_limit, dt.timedelta) or item.time_limit <= dt.timedelta(0):
        raise bad(f"time_limit {item.time_limit!r} is not a positive timedelta")
    fee = item.fee
    if isinstance(fee, bool) or not isinstance(fee, int) or not 0 <= fee <= INT32:
        raise bad(f"fee {fee!r} is not a whole number of fen from 0")
    if not isinstance(item.group, str):
        raise bad("group is text")


__all__ = ["HOOK", "catalogue", "check_item"]
