"""Open311 errors: a list of ``{code, description}`` with the HTTP status as ``code``, never a
traceback. Library errors are translated, their field named as the Open311 client sent it."""

from __future__ import annotations

from typing import Final

from commgov.errors import (
    CommgovError,
    ConflictError,
    NotAuthenticated,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)

_STATUS: Final[tuple[tuple[type[CommgovError], int], ...]] = (
    (ValidationError, 400),
    (NotAuthenticated, 401),
    (PermissionDenied, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (StateError, 409),
)
FIELDS: Final = {
    "text": "description",
    "lat/lon": "lat/long",
    "lon": "long",
    "address": "address_string",
    "unit": "address_id",
    "photos": "media_url",
    "attachments": "media_url",
    "category": "service_code",
    "item": "service_code",
    "town": "jurisdiction_id",
    "reporter_phone": "phone",
    "case": "service_request_id",
    "case_id": "service_request_id",
    "resident_id": "attribute[resident_id]",
    "duplicate_of": "attribute[duplicate_of]",
    "into": "attribute[duplicate_of]",
    "rating": "attribute[rating]",
    "note": "description",
    "outcome": "description",
    "reason": "description",
}
"""The library's field names as an Open311 client knows them."""


class Open311Error(Exception):
    """An error to answer as Open311 does: ``status`` is the HTTP status and the error's code."""

    def __init__(self, status: int, description: str) -> None:
        self.status = status
        self.description = description
        super().__init__(f"{status}: {description}")


def invalid(field: str, value: object, reason: str) -> Open311Error:
    """A 400 naming the Open311 field and the value given."""
    return Open311Error(400, f"{field}={value!r}: {reason}")


def translated(exc: CommgovError) -> Open311Error:
    """The Open311 error a library error becomes (500 for a plugin's or the set-up's)."""
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
    if status == 500:
        return Open311Error(500, "the server could not do this; it has been logged")
    if isinstance(exc, ValidationError) and not exc.worded:
        field = FIELDS.get(exc.field, exc.field)
        return invalid(field, exc.value, exc.reason)
    return Open311Error(status, str(exc))


def body(error: Open311Error) -> list[dict[str, object]]:
    """The error as Open311 lists errors."""
    return [{"code": error.status, "description": error.description}]
