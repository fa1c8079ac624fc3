"""What an Open311 client sends: query parameters and form fields (``application/x-www-form-
urlencoded`` or multipart) read as text, with ``attribute[code]`` (``attribute[code][]`` for
lists) and repeatable ``media_url``. Every check names the field as the client sent it."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Final
from urllib.parse import urlsplit

import attrs
from starlette.datastructures import UploadFile
from starlette.requests import Request

from commgov.api.open311.errors import Open311Error, invalid
from commgov.cases.model.limits import PHOTO_MAX
from commgov.kernel.values import INT32

_ATTRIBUTE: Final = re.compile(r"attribute\[([^\[\]]{1,100})\](\[\])?")
FIELD_MAX: Final = 4000
"""The longest text any field may carry (Open311's description limit)."""
URL_MAX: Final = PHOTO_MAX


@attrs.frozen
class Params:
    """The client's fields by name, each with every value it was given, in order."""

    values: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Params:
        found: dict[str, list[str]] = {}
        for name, value in pairs:
            found.setdefault(name, []).append(value)
        return cls({name: tuple(values) for name, values in found.items()})

    def text(self, name: str, *, most: int = FIELD_MAX) -> str | None:
        """The field's last value, stripped (``None`` when absent or blank)."""
        given = self.values.get(name)
        if not given:
            return None
        value = given[-1].strip()
        if len(value) > most:
            raise invalid(name, value[:20] + "…", f"{len(value)} characters; at most {most}")
        if "\x00" in value:
            raise invalid(name, value[:20], "contains a NUL character")
        return value or None

    def required(self, name: str, *, most: int = FIELD_MAX) -> str:
        value = self.text(name, most=most)
        if value is None:
            raise Open311Error(400, f"{name} is required")
        return value

    def all(self, *names: str) -> list[str]:
        """Every non-blank value of these fields (``media_url`` and ``media_url[]``)."""
        return [v.strip() for n in names for v in self.values.get(n, ()) if v.strip()]

    def attributes(self) -> dict[str, list[str]]:
        """``attribute[code]`` values by code (a list attribute may repeat them)."""
        found: dict[str, list[str]] = {}
        for name, values in self.values.items():
            match = _ATTRIBUTE.fullmatch(name)
            if match is not None:
                for value in values:
                    check_length(name, value)
                    found.setdefault(match.group(1), []).append(value.strip())
        return found


async def params_of(request: Request) -> Params:
    """The query parameters and, for a POST, the form fields (which win); a file upload is
    refused (send ``media_url`` instead)."""
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                raise invalid(name, value.filename, "files are not taken: send media_url")
            pairs.append((name, value))
    return Params.of(pairs)


def check_length(name: str, value: str) -> str:
    if len(value) > FIELD_MAX:
        raise invalid(name, value[:20] + "…", f"{len(value)} characters; at most {FIELD_MAX}")
    return value


def number(name: str, value: str | None, low: float, high: float) -> float | None:
    """A decimal number from ``low`` to ``high``, or ``None`` when not given."""
    if value is None:
        return None
    try:
        found = float(value)
    except ValueError:
        raise invalid(name, value, "expected a number") from None
    if not math.isfinite(found) or not low <= found <= high:
        raise invalid(name, value, f"expected a number from {low:g} to {high:g}")
    return found


def identifier(name: str, value: str) -> int:
    """A row id given as text (``"12"``) or as a number (``12``, ``12.0``)."""
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= INT32:
        raise invalid(name, value, "expected an id such as 12")
    return int(text)


def identifiers(name: str, value: str, most: int) -> list[int]:
    """A comma-separated list of ids, at most ``most``."""
    parts = [p for p in value.split(",") if p.strip()]
    if len(parts) > most:
        raise invalid(name, value[:40], f"{len(parts)} ids; at most {most}")
    return [identifier(name, p) for p in parts]


def moment(name: str, value: str | None, zone: dt.tzinfo) -> dt.datetime | None:
    """A W3C date-time (``2026-11-03T09:00:00+08:00``, ``…Z``); one without an offset, or a
    bare date, counts in ``zone`` (the store's)."""
    if value is None:
        return None
    try:
        found = dt.datetime.fromisoformat(value)
        if found.tzinfo is None:
            found = found.replace(tzinfo=zone)
        return found.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise invalid(name, value, "expected a date-time such as 2026-11-03T09:00:00Z") from None


def media_url(name: str, value: str) -> str:
    """An ``http(s)`` URL of at most ``URL_MAX`` characters (a case photo's reference)."""
    if len(value) > URL_MAX:
        raise invalid(name, value[:40] + "…", f"{len(value)} characters; at most {URL_MAX}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise invalid(name, value, "expected an http or https URL")
    return value
