"""How the Open311 routes appear in the OpenAPI document: both formats for every answer, the
errors' shape, the query parameters and the form fields (the routes read them themselves, so
that every failure is an Open311 error rather than a problem)."""

from __future__ import annotations

from typing import Any, Final

from commgov.kernel.web.problems import PROBLEM_JSON

_ERRORS: Final = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}, "text/xml": {"schema": {"type": "string"}}}
    return {"description": description, "content": content}


_FAILURES: Final[dict[int | str, dict[str, Any]]] = {
    400: _answer("Bad input: names the field and the value", _ERRORS),
    401: _answer("A key that is unknown, revoked or expired (or none, to write)", _ERRORS),
    403: _answer("The key's holder may not do this here", _ERRORS),
    404: _answer("No such town, service, request or token", _ERRORS),
}
READ: Final[dict[int | str, dict[str, Any]]] = {
    200: _answer("The answer, in the format the path ends with", {}),
    **_FAILURES,
}
WRITE: Final[dict[int | str, dict[str, Any]]] = {
    **READ,
    409: _answer("No step from the case's state, or an update_id reused", _ERRORS),
    413: {"description": "Request body too large", "content": {PROBLEM_JSON: {}}},
}


def _query(name: str, description: str, *, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


API_KEY: Final = _query("api_key", "An API key (or send Authorization: Bearer <key>).")
JURISDICTION: Final = _query("jurisdiction_id", "The town's unit code.", required=True)
WINDOW: Final = [
    _query("start_date", "From this W3C date-time (default: 90 days before end_date)."),
    _query("end_date", "Before this W3C date-time (default: now); at most 90 days."),
]
IN_TOWN: Final[dict[str, Any]] = {"parameters": [JURISDICTION, API_KEY]}
REQUEST_LIST: Final[dict[str, Any]] = {
    "parameters": [
        JURISDICTION,
        API_KEY,
        _query("service_request_id", "Ids, comma separated (overrides the other filters)."),
        _query("service_code", "Service codes, comma separated."),
        _query("status", "open, closed or both (comma separated)."),
        *WINDOW,
    ]
}
UPDATE_LIST: Final[dict[str, Any]] = {"parameters": [JURISDICTION, API_KEY, *WINDOW]}


def _form(required: list[str], fields: dict[str, str]) -> dict[str, Any]:
    properties = {name: {"type": "string", "description": why} for name, why in fields.items()}
    schema = {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": {"type": "string"},
    }
    return {
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": schema}},
        }
    }


NEW_REQUEST: Final = _form(
    ["service_code"],
    {
        "api_key": "The key (or send it as a header).",
        "jurisdiction_id": "The town's unit code.",
        "service_code": "A case category's code, or service:<item> for a service order.",
        "lat": "WGS-84 latitude (with long).",
        "long": "WGS-84 longitude (with lat).",
        "address_string": "The address in words.",
        "address_id": "A grid's unit code.",
        "description": "What is wrong (the case's text).",
        "media_url": "An http(s) URL of a photo (repeatable).",
        "phone": "The reporter's phone: kept encrypted, shown masked.",
        "email": "Read past, not kept.",
        "first_name": "Read past, not kept.",
        "last_name": "Read past, not kept.",
        "device_id": "Read past, not kept.",
        "account_id": "Read past, not kept.",
    },
)
NEW_UPDATE: Final = _form(
    ["service_request_id", "update_id", "status"],
    {
        "api_key": "The key (or send it as a header).",
        "jurisdiction_id": "The town's unit code.",
        "service_request_id": "The request's id.",
        "update_id": "The client's id of the update: a retry with it acts once.",
        "status": "INVESTIGATING, ACTION_SCHEDULED, IN_PROGRESS, FIXED, CLOSED, REOPEN, "
        "DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION or INTERNAL_REFERRAL.",
        "updated_datetime": "When the client made it (W3C); the case records the server's time.",
        "description": "The step's note.",
        "media_url": "An http(s) URL (repeatable): the step's attachments.",
    },
)
