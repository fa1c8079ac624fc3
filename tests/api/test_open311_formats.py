"""The pieces under the Open311 routes with no server: the XML writing, the path's format, and
the reading of what a client sends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import xmltodict

from commgov.api.open311.errors import Open311Error
from commgov.api.open311.formats import moment, render, split
from commgov.api.open311.forms import Params, identifier, media_url, number
from commgov.api.open311.forms import moment as read_moment


def test_xml_writes_lists_as_named_items_and_a_missing_value_as_an_empty_element() -> None:
    data = {
        "service_code": "a.b",
        "attributes": [
            {"code": "x", "required": True, "values": [{"key": "1", "name": "一"}]},
            {"code": "y", "required": False, "values": []},
        ],
        "note": None,
        "text": "a\x01b <&>",
    }
    answer = render(data, "xml", "service_definition", status=201)
    assert answer.status_code == 201 and answer.media_type == "text/xml; charset=utf-8"
    parsed = xmltodict.parse(answer.body)["service_definition"]
    first, second = parsed["attributes"]["attribute"]
    assert first["values"]["value"] == {"key": "1", "name": "一"}
    assert (first["required"], second["required"], second["values"]) == ("true", "false", None)
    assert parsed["note"] is None and parsed["text"] == "a\ufffdb <&>"
    as_json = render(data, "json", "ignored")
    assert as_json.body.decode().startswith('{"service_code":"a.b"')


def test_the_format_follows_the_last_dot() -> None:
    assert split("dispute.neighbour.json") == ("dispute.neighbour", "json")
    assert split("service:home_care.XML") == ("service:home_care", "xml")
    for wrong in ("json", "requests.yaml", ".json"):
        with pytest.raises(Open311Error):
            split(wrong)
    assert moment(dt.datetime(2026, 11, 3, 9, 0, 0, 123, tzinfo=ZoneInfo("Asia/Shanghai"))) == (
        "2026-11-03T01:00:00Z"
    )


def test_a_client_s_fields_are_read_with_their_lists_and_limits() -> None:
    params = Params.of(
        [
            ("attribute[kinds][]", "a"),
            ("attribute[kinds][]", "b"),
            ("attribute[size]", " 3 "),
            ("attribute[]", "ignored"),
            ("description", "  "),
            ("status", "open"),
            ("status", "closed"),
        ]
    )
    assert params.attributes() == {"kinds": ["a", "b"], "size": ["3"]}
    assert params.text("description") is None and params.text("status") == "closed"
    with pytest.raises(Open311Error, match="service_code is required"):
        params.required("service_code")
    with pytest.raises(Open311Error, match="at most 3"):
        Params.of([("x", "abcd")]).text("x", most=3)
    with pytest.raises(Open311Error, match="NUL"):
        Params.of([("x", "a\x00")]).text("x")


@pytest.mark.parametrize(("given", "expected"), [("12", 12), ("12.0", 12), (" 7 ", 7)])
def test_ids_are_accepted_as_text_or_numbers(given: str, expected: int) -> None:
    assert identifier("service_request_id", given) == expected


@pytest.mark.parametrize("given", ["0", "-1", "1e3", "x", "2147483648", "１２"])
def test_other_ids_are_refused(given: str) -> None:
    with pytest.raises(Open311Error, match="expected an id"):
        identifier("service_request_id", given)


def test_numbers_times_and_urls_are_checked() -> None:
    assert number("lat", "34.5", -90, 90) == 34.5 and number("lat", None, -90, 90) is None
    for wrong in ("inf", "nan", "-91", "north"):
        with pytest.raises(Open311Error, match="lat="):
            number("lat", wrong, -90, 90)
    zone = ZoneInfo("Asia/Shanghai")
    assert read_moment("d", "2026-11-03", zone) == dt.datetime(2026, 11, 2, 16, 0, tzinfo=dt.UTC)
    assert read_moment("d", "2026-11-03T01:00:00Z", zone) == dt.datetime(
        2026, 11, 3, 1, 0, tzinfo=dt.UTC
    )
    with pytest.raises(Open311Error, match="expected a date-time"):
        read_moment("d", "0001-01-01T00:00:00+14:00", zone)
    assert media_url("media_url", "https://a.org/x.jpg") == "https://a.org/x.jpg"
    for wrong in ("ftp://a.org/x", "https://", "https://a.org/a b", "x" * 600):
        with pytest.raises(Open311Error, match="media_url="):
            media_url("media_url", wrong)
