"""The two formats of GeoReport v2: JSON, and the spec's schemaless XML (no namespace), where a
list is an element holding one element per item (``services`` → ``service``) and a missing
value is an empty element."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Final, Literal
from xml.etree import ElementTree as ET

from starlette.responses import Response

from commgov.api.open311.errors import Open311Error

Format = Literal["json", "xml"]
FORMATS: Final[dict[str, Format]] = {"json": "json", "xml": "xml"}
MEDIA: Final[dict[Format, str]] = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
ITEMS: Final = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
"""The element each item of a list is written as, by the list's name."""
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (control characters): written as U+FFFD."""


def format_of(given: str) -> Format:
    """The format a path ends with (``json`` or ``xml``); a 400 otherwise."""
    found = FORMATS.get(given.lower())
    if found is None:
        raise Open311Error(400, f"format={given[:20]!r}: expected json or xml")
    return found


def split(spec: str) -> tuple[str, Format]:
    """``dispute.neighbour.json`` → (``dispute.neighbour``, ``json``): the format follows the
    last dot."""
    name, dot, given = spec.rpartition(".")
    if not dot or not name:
        raise Open311Error(400, f"{spec[:40]!r}: the path must end with .json or .xml")
    return name, format_of(given)


def moment(value: dt.datetime | None) -> str | None:
    """A time as W3C date-time in UTC, to the second (``2026-11-03T01:00:00Z``)."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def render(data: object, fmt: Format, root: str, *, status: int = 200) -> Response:
    """``data`` (a list or a mapping) in ``fmt``; ``root`` names the XML document element."""
    if fmt == "json":
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return Response(text.encode(), status_code=status, media_type=MEDIA["json"])
    element = ET.Element(root)
    _fill(element, root, data)
    document = ET.tostring(element, encoding="unicode")
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + document
    return Response(text.encode(), status_code=status, media_type=MEDIA["xml"])


def _fill(element: ET.Element, name: str, value: object) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, str(key)), str(key), item)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        child = ITEMS.get(name, "item")
        for item in value:
            _fill(ET.SubElement(element, child), child, item)
    else:
        element.text = _scalar(value)


def _scalar(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))
