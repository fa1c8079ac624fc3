"""The default ``authenticate``: API keys stored hashed in the store (``commgov apikey``)."""

from __future__ import annotations

from typing import Final

from fastapi import Request

from commgov.errors import NotAuthenticated, PermissionDenied
from commgov.integrations.model import READ_SCOPE, WRITE_SCOPE
from commgov.integrations.service.keys import ApiKeyService
from commgov.kernel.actors import Actor
from commgov.kernel.web.state import Authenticate

READING: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class NoKey(NotAuthenticated):
    """The request carries no API key at all (Open311 words this for its own clients)."""


def presented_key(request: Request) -> str | None:
    """The key a request carries: ``Authorization: Bearer <key>``, ``X-API-Key: <key>``, an
    ``api_key`` query parameter, or (Open311's form posts) one a route read from the form."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    for found in (
        request.headers.get("x-api-key"),
        request.query_params.get("api_key"),
        getattr(request.state, "commgov_api_key", None),
    ):
        if isinstance(found, str) and found:
            return found
    return None


def api_key_authentication(keys: ApiKeyService) -> Authenticate:
    """An ``authenticate`` reading the caller's API key: the actor is the key's holder; a key
    without the ``write`` scope may only read (GET)."""

    def authenticate(request: Request) -> Actor:
        secret = presented_key(request)
        if secret is None:
            raise NoKey(
                "no API key: send 'Authorization: Bearer <key>' (make one with "
                "'commgov apikey create')"
            )
        holder = keys.holder(secret)
        needed = READ_SCOPE if request.method in READING else WRITE_SCOPE
        if needed not in holder.scopes:
            raise PermissionDenied(
                holder.actor.label(), f"use a key without the {needed!r} scope for", "this"
            )
        return holder.actor

    return authenticate
