"""``POST requests``: a form becomes a case (a case category's service) or a service order
(``service:<item>``), checked whole before anything is written.

Of the reporter's contact only ``phone`` is kept, as the case's ``reporter_phone`` (encrypted,
shown masked); ``email``, ``first_name``, ``last_name``, ``device_id`` and ``account_id`` are
read past and never stored or logged. Attributes the service does not define are ignored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import attrs

from commgov.api.open311.access import Store
from commgov.api.open311.catalogue import RESIDENT_ID, SEVERITY, Service, service
from commgov.api.open311.errors import Open311Error, invalid
from commgov.api.open311.formats import moment
from commgov.api.open311.forms import Params, identifier, media_url, number
from commgov.cases.model.limits import ADDRESS_MAX, CODE_MAX, PHONE_MAX
from commgov.cases.views import CaseReport, parse
from commgov.kernel.actors import Actor
from commgov.people.model.units import Unit

MEDIA_MOST: Final = 10
"""The most ``media_url`` one request may carry."""
CHANNEL: Final = "resident"
"""The channel an Open311 request comes in by (随手拍: a resident's report through an app)."""


@attrs.frozen
class Posting:
    """A checked write: what to do, and the answer once done."""

    work: Callable[[], list[object]]
    body: dict[str, object]
    """The fields that make it (the API key left out), for ``Idempotency-Key``."""
    key: str | None = None
    """Its own idempotency key, if it has one (an update's ``update_id``)."""


def made(case_id: int, number: str, due: dt.datetime) -> list[object]:
    """The answer to a request made: its id, its number and when it should be done."""
    notice = f"案件编号 case number {number}; 预计办结 expected by {moment(due)}"
    return [{"service_request_id": str(case_id), "service_notice": notice}]


def attributes(found: Service, params: Params) -> dict[str, str]:
    """The service's attributes as given (blank ones count as not given), each checked."""
    given = params.attributes()
    out: dict[str, str] = {}
    for attribute in found.attributes:
        values = [v for v in given.get(attribute.code, []) if v]
        name = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                raise Open311Error(400, f"{name} is required for {found.code}")
            continue
        value = values[-1]
        keys = [k for k, _ in attribute.values]
        if keys and value not in keys:
            raise invalid(name, value, f"expected one of {', '.join(keys)}")
        out[attribute.code] = value
    return out


def posting(store: Store, town: Unit, actor: Actor, params: Params) -> Posting:
    """The request the form makes, checked; a 400 naming the field otherwise."""
    code = params.required("service_code", most=CODE_MAX + 10)
    found = service(store, town, code, status=400)
    given = attributes(found, params)
    description = params.text("description")
    if found.item is not None:
        return _order(
            store=store, actor=actor, town=town, found=found, given=given, description=description
        )
    return _case(store=store, actor=actor, town=town, found=found, given=given, params=params)


def _case(
    *,
    store: Store,
    actor: Actor,
    town: Unit,
    found: Service,
    given: dict[str, str],
    params: Params,
) -> Posting:
    lat = number("lat", params.text("lat", most=40), -90, 90)
    lon = number("long", params.text("long", most=40), -180, 180)
    if (lat is None) != (lon is None):
        raise invalid("lat/long", (lat, lon), "give both lat and long, or neither")
    address = params.text("address_string", most=ADDRESS_MAX)
    address_id = params.text("address_id", most=CODE_MAX)
    if lat is None and address is None and address_id is None:
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id"
        )
    photos = [media_url("media_url", u) for u in params.all("media_url", "media_url[]")]
    if len(photos) > MEDIA_MOST:
        raise invalid("media_url", len(photos), f"at most {MEDIA_MOST} media_url")
    report = parse(
        CaseReport,
        {
            "text": params.text("description") or found.name,
            "channel": CHANNEL,
            "unit": address_id,
            "lat": lat,
            "lon": lon,
            "address": address,
            "photos": tuple(photos),
            "category": found.category,
            "severity": given.get(SEVERITY, "normal"),
            "reporter_phone": params.text("phone", most=PHONE_MAX),
            "town": town.code,
        },
    )

    def work() -> list[object]:
        case = store.cases.report(actor, report)
        return made(case.id, case.number, case.resolve_due)

    return Posting(work, report.model_dump(mode="json"))


def _order(
    *,
    store: Store,
    actor: Actor,
    town: Unit,
    found: Service,
    given: dict[str, str],
    description: str | None,
) -> Posting:
    """An order from the town's catalogue, for a resident living in the town."""
    resident_id = identifier(f"attribute[{RESIDENT_ID}]", given[RESIDENT_ID])
    fields = {k: v for k, v in given.items() if k != RESIDENT_ID}
    home = store.residents.get(actor, resident_id).unit_code
    if not store.within(home, town):
        raise invalid(f"attribute[{RESIDENT_ID}]", resident_id, f"does not live in {town.code}")
    item = str(found.item)

    def work() -> list[object]:
        order = store.orders.place(
            actor, resident_id=resident_id, item=item, fields=fields, note=description
        )
        return made(order.id, order.number, order.resolve_due)

    body: dict[str, object] = {
        "item": item,
        "resident_id": resident_id,
        "fields": fields,
        "note": description,
    }
    return Posting(work, body)
