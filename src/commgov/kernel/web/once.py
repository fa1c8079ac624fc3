"""``Idempotency-Key``: a POST retried with the same key by the same caller gets the first
answer again (kept encrypted) instead of acting twice. The key is claimed in the transaction
that does the work, so two concurrent retries cannot both act: the second waits for the
first, then replays it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from commgov.errors import ConflictError
from commgov.kernel.actors import Actor
from commgov.kernel.cipher import Cipher
from commgov.kernel.repository import Repository
from commgov.kernel.tables import api_requests
from commgov.kernel.web.state import api_state

KEY_MAX: Final = 200
REPLAYED: Final = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=KEY_MAX,
        description="Any unique text (a UUID): a retry with the same key is answered with the "
        "first answer and does not act again.",
    ),
]


class _KeyTaken(ConflictError):
    """Another request claimed this key first (it is committed now, or failed)."""


class RememberedRequests(Repository):
    def find(self, caller: str, key: str) -> Any:
        r = api_requests.c
        query = select(api_requests).where(r.caller == caller, r.key == key)
        return self.conn.execute(query).one_or_none()

    def claim(self, caller: str, key: str, fingerprint: str, at: dt.datetime) -> int:
        query = insert(api_requests).returning(api_requests.c.id)
        values = {
            "caller": caller,
            "key": key,
            "fingerprint": fingerprint,
            "status": 0,
            "body_cipher": None,
            "at": at,
        }
        try:
            with self.conn.begin_nested():
                return int(self.conn.execute(query, values).scalar_one())
        except IntegrityError:
            raise _KeyTaken(f"Idempotency-Key {key!r} is taken") from None

    def answer(self, request_id: int, status: int, body_cipher: bytes) -> None:
        query = update(api_requests).where(api_requests.c.id == request_id)
        self.conn.execute(query.values(status=status, body_cipher=body_cipher))


def _fingerprint(request: Request, body: object) -> str:
    text = json.dumps(jsonable_encoder(body), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.url.path}\n{text}".encode()).hexdigest()


def _replay(found: Any, key: str, fingerprint: str, cipher: Cipher) -> JSONResponse:
    if found.fingerprint != fingerprint:
        raise ConflictError(
            f"Idempotency-Key {key!r} was used for a different request; use a new key"
        )
    body = json.loads(cipher.decrypt(found.body_cipher))
    return JSONResponse(body, status_code=found.status, headers={REPLAYED: "true"})


def once(
    request: Request,
    actor: Actor,
    key: str | None,
    body: object,
    work: Callable[[], object],
    *,
    status: int = 201,
) -> JSONResponse:
    """Run ``work`` (a service call) and answer with its result as JSON; under a ``key``, at
    most once per caller: a retry with the same body replays the stored answer, one with
    another body is a 409."""
    if key is None:
        return JSONResponse(jsonable_encoder(work()), status_code=status)
    ctx = api_state(request).ctx
    caller = actor.label()
    fingerprint = _fingerprint(request, body)
    with ctx.uow(readonly=True) as uow:
        found = uow.repo(RememberedRequests).find(caller, key)
    if found is not None:
        return _replay(found, key, fingerprint, ctx.cipher)
    try:
        with ctx.uow() as uow:
            request_id = uow.repo(RememberedRequests).claim(caller, key, fingerprint, ctx.clock())
            answer = jsonable_encoder(work())
            sealed = ctx.cipher.encrypt(json.dumps(answer, ensure_ascii=False))
            uow.repo(RememberedRequests).answer(request_id, status, sealed)
    except _KeyTaken:
        with ctx.uow(readonly=True) as uow:
            found = uow.repo(RememberedRequests).find(caller, key)
        if found is None:
            raise ConflictError(
                f"a request with Idempotency-Key {key!r} failed meanwhile; retry it"
            ) from None
        return _replay(found, key, fingerprint, ctx.cipher)
    return JSONResponse(answer, status_code=status)
