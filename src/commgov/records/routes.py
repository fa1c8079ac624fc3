"""Plugin records over HTTP: keep a dated JSON document on a unit, find them under a unit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS
from commgov.kernel.web.state import Caller, service
from commgov.people.model.limits import UNIT_CODE_MAX
from commgov.records.model import KIND_MAX, REF_MAX
from commgov.records.service import RecordService
from commgov.records.views import RecordView

router = APIRouter(tags=["records"], responses=PROBLEMS)
Records = Annotated[RecordService, Depends(service(RecordService))]
_ONE = "records[0]."  # how the service names the fields of a single record


class NewRecord(BaseModel):
    """A record to keep: its ``kind`` (declared by a plugin), the unit it concerns, the
    plugin's JSON ``data`` (at most 64 KiB), when it happened (default now) and the caller's
    own reference for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(min_length=1, max_length=KIND_MAX)
    unit: str = Field(min_length=1, max_length=UNIT_CODE_MAX)
    data: dict[str, Any]
    at: AwareDatetime | None = None
    ref: str | None = Field(default=None, min_length=1, max_length=REF_MAX)


def _add(records: RecordService, actor: Actor, body: NewRecord) -> RecordView:
    """``records.add``, its errors naming the body's fields (``data``, not ``records[0].data``)."""
    try:
        return records.add(
            actor, kind=body.kind, unit=body.unit, data=body.data, at=body.at, ref=body.ref
        )
    except ValidationError as exc:
        if not exc.field.startswith(_ONE):
            raise
        raise ValidationError(exc.field.removeprefix(_ONE), exc.value, exc.reason) from None


@router.post("/records", status_code=201, response_model=RecordView)
def add_record(
    request: Request, body: NewRecord, actor: Caller, records: Records, key: IdempotencyKey = None
) -> JSONResponse:
    """Keep a plugin record on a unit (the caller needs ``write`` there). Records are never
    edited: a correction is a new record with the same ``ref``."""
    return once(request, actor, key, body, lambda: _add(records, actor, body))


@router.get("/records", response_model=Page[RecordView])
def find_records(
    *,
    actor: Caller,
    records: Records,
    kind: Annotated[str, Query(min_length=1, max_length=KIND_MAX)],
    under: Annotated[
        str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
    ],
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    ref: Annotated[str | None, Query(min_length=1, max_length=REF_MAX)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[RecordView]:
    """Records of ``kind`` on ``under`` and the units below it, oldest first, a page at a
    time; ``since`` is inclusive and ``until`` exclusive."""
    with stale_cursor(cursor):
        found = records.find(
            actor,
            kind=kind,
            under=under,
            since=since,
            until=until,
            ref=ref,
            after_id=decode_cursor(cursor),
            limit=limit + 1,
        )
    return page_of(found, limit, key=lambda r: r.id)


@router.get("/record-kinds", response_model=dict[str, str])
def record_kinds(actor: Caller, records: Records) -> dict[str, str]:
    """The record kinds the plugins declare, ``{name: label}``."""
    return records.kinds()
