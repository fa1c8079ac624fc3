"""A round trip with the ``georeport`` client (PyPI) against the server on uvicorn, asking for
JSON and for XML: what it reads is what the server's JSON says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from georeport import GeoReport
from tests.api.open311_fixtures import POINT_A1, World, world_on


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with world_on("sqlite:///:memory:") as found:
        for code, text in [("environment", "垃圾堆积"), ("facilities", "路灯坏了")]:
            form = {"api_key": found.key, "service_code": code, "description": text, **POINT_A1}
            assert found.client.post("requests", "posted", form).status == 200
        yield found


def as_text(value: object) -> str | None:
    """A JSON value as the XML carries it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_and_requests(world: World, fmt: str) -> None:
    root = str(world.api.client.base_url) + "/open311/v2"
    client = GeoReport(root, jurisdiction=world.town.town, output_format=fmt)
    expected = world.client.get("services", "services").data
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == [s["service_code"] for s in expected]
    if fmt == "xml":
        assert services[0] == {k: as_text(v) for k, v in expected[0].items()}
    definition = client.get_service_definition("dispute.neighbour")
    assert definition["service_code"] == "dispute.neighbour"

    listed = world.client.get("requests", "requests").data
    requests = client.get_service_requests(status="open", service_code="environment,facilities")
    assert [r["service_request_id"] for r in requests] == ["1", "2"]
    one = client.get_service_request("2")
    convert = as_text if fmt == "xml" else (lambda v: v)
    assert one == {k: convert(v) for k, v in listed[1].items()}
    assert "description" not in one  # the client sends no key: public fields only
