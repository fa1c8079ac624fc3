"""Open311 discovery, the service list and service definitions, in JSON (checked against the
official schemas) and XML; the errors of a wrong jurisdiction, format, path or method."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from tests.api.open311_fixtures import (
    OTHER_TOWN,
    SHARED,
    Open311,
    World,
    check_json,
    world_on,
)


@pytest.fixture
def world() -> Iterator[World]:
    with world_on("sqlite:///:memory:") as found:
        yield found


def test_the_checks_accept_the_spec_examples_and_refuse_a_wrong_answer() -> None:
    examples = SHARED / "examples"
    for kind, name in [
        ("services", "spec_services.json"),
        ("discovery", "spec_discovery.json"),
        ("errors", "spec_error_403.json"),
    ]:
        check_json(kind, json.loads((examples / name).read_text(encoding="utf-8")))
    token = json.loads((examples / "spec_token_response.json").read_text(encoding="utf-8"))
    with pytest.raises(AssertionError, match="is not of type 'string'"):
        check_json("token", token)  # the spec's example writes ids as numbers
    with pytest.raises(AssertionError, match="service_code"):
        check_json("services", [{"service_code": 1, "service_name": "x", "metadata": True}])
    with pytest.raises(AssertionError, match="status"):
        check_json("requests", [{"service_request_id": "1", "service_code": "a"}])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_names_this_endpoint_and_both_formats(world: World, fmt: str) -> None:
    found = world.client.get("discovery", "discovery", fmt=fmt)
    assert found.status == 200
    endpoints = found.data["endpoints"]
    endpoint = endpoints[0] if fmt == "json" else endpoints["endpoint"]
    assert endpoint["url"] == str(world.api.client.base_url) + "/open311/v2"
    formats = endpoint["formats"] if fmt == "json" else endpoint["formats"]["format"]
    assert sorted(formats) == ["application/json", "text/xml"]


def test_services_are_the_categories_and_the_town_s_order_items(world: World) -> None:
    found = world.client.get("services", "services").data
    codes = [s["service_code"] for s in found]
    categories = [c.code for c in world.cg.cases.categories() if c.code != "service"]
    items = [f"service:{i.code}" for i in world.cg.orders.catalogue(world.town.town)]
    assert codes == categories + items
    by_code = {s["service_code"]: s for s in found}
    neighbour = by_code["dispute.neighbour"]
    assert neighbour["group"] == "矛盾纠纷 disputes" and neighbour["type"] == "realtime"
    assert neighbour["keywords"] == "dispute, neighbour, justice" and neighbour["metadata"] is True
    assert by_code["service:home_care"]["group"] == "民生保障 welfare"
    xml = world.client.get("services", "services", fmt="xml").data["service"]
    assert [s["service_code"] for s in xml] == codes
    assert {s["metadata"] for s in xml} == {"true"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_category_s_definition_offers_its_severity(world: World, fmt: str) -> None:
    found = world.client.get("services/dispute.neighbour", "definition", fmt=fmt).data
    assert found["service_code"] == "dispute.neighbour"
    attributes = found["attributes"] if fmt == "json" else [found["attributes"]["attribute"]]
    (severity,) = attributes
    values = severity["values"] if fmt == "json" else severity["values"]["value"]
    assert severity["code"] == "severity" and severity["datatype"] == "singlevaluelist"
    assert [v["key"] for v in values] == ["critical", "urgent", "normal", "complex"]


def test_an_order_item_s_definition_asks_for_the_resident_and_the_item_s_fields(
    world: World,
) -> None:
    found = world.client.get("services/service:home_care", "definition").data
    fields = [(a["code"], a["datatype"], a["required"], a["order"]) for a in found["attributes"]]
    assert fields == [
        ("resident_id", "number", True, 1),
        ("address", "string", True, 2),
        ("care_needed", "string", True, 3),
        ("contact_time", "string", False, 4),
    ]


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("services/nothing", {}, 404, "service_code='nothing'"),
        ("services", {"jurisdiction_id": "999999999"}, 404, "no such town"),
        ("services", {"jurisdiction_id": "411425100001"}, 404, "a community, not a town"),
        ("services", {"jurisdiction_id": "x" * 500}, 400, "at most 100"),
    ],
)
def test_wrong_services_and_jurisdictions_are_open311_errors(
    world: World, path: str, params: dict[str, str], status: int, says: str
) -> None:
    for fmt in ("json", "xml"):
        found = world.client.get(path, "services", fmt=fmt, **params)
        assert found.status == status
        error = found.data[0] if fmt == "json" else found.data["error"]
        assert int(error["code"]) == status and says in error["description"]


def test_the_jurisdiction_is_required_and_another_town_has_its_own_catalogue(
    world: World,
) -> None:
    bare = world.api.client.get("/open311/v2/services.json")
    assert bare.status_code == 400 and "jurisdiction_id is required" in bare.text
    check_json("errors", bare.json())
    other = Open311(world.api.client, OTHER_TOWN).get("services", "services")
    assert other.status == 200 and len(other.data) == len(
        world.client.get("services", "services").data
    )


@pytest.mark.parametrize(
    ("method", "path", "status", "says"),
    [
        ("GET", "/open311/v2/services.yaml", 400, "expected json or xml"),
        ("GET", "/open311/v2/nothing.json", 404, "no Open311 resource"),
        ("GET", "/open311/v2/requests/abc.json", 400, "expected an id"),
        ("PUT", "/open311/v2/requests.json", 405, "PUT is not allowed"),
        ("DELETE", "/open311/v2/services.xml", 405, "DELETE is not allowed"),
    ],
)
def test_wrong_paths_formats_and_methods_are_open311_errors(
    world: World, method: str, path: str, status: int, says: str
) -> None:
    answer = world.api.client.request(method, path, params={"jurisdiction_id": world.town.town})
    assert answer.status_code == status and says in answer.text
    if path.endswith(".xml"):
        assert answer.text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<errors><error>')
    else:
        check_json("errors", answer.json())
