"""Console sign-in: an API key exchanged for a session cookie. The cookie holds the key and a
CSRF token, encrypted and authenticated with the store's secret key (AES-GCM), so a tampered
cookie does not open; each request checks the key again, so a revoked key ends the session."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from typing import Final

import attrs

from commgov.errors import ConfigurationError
from commgov.kernel.cipher import Cipher

COOKIE: Final = "commgov_console"
LIFETIME: Final = 12 * 3600
"""Seconds a session lasts after sign-in (a working day)."""


@attrs.frozen
class Session:
    """A signed-in session: the key it acts with and the token every form must carry."""

    key: str
    csrf: str
    issued: float

    def expired(self, now: float) -> bool:
        return now - self.issued > LIFETIME


def open_session(key: str, now: float | None = None) -> Session:
    """A new session for ``key``, with a fresh CSRF token."""
    return Session(
        key=key, csrf=secrets.token_urlsafe(24), issued=time.time() if now is None else now
    )


def seal(session: Session, cipher: Cipher) -> str:
    """The cookie value for ``session``."""
    text = json.dumps({"k": session.key, "c": session.csrf, "t": session.issued})
    return base64.urlsafe_b64encode(cipher.encrypt(text)).decode()


def unseal(value: str | None, cipher: Cipher, now: float | None = None) -> Session | None:
    """The session a cookie holds, or ``None`` when there is none, it was tampered with, or it
    has expired."""
    if not value:
        return None
    try:
        data = json.loads(cipher.decrypt(base64.urlsafe_b64decode(value.encode())))
        found = Session(key=str(data["k"]), csrf=str(data["c"]), issued=float(data["t"]))
    except (binascii.Error, ValueError, KeyError, TypeError, ConfigurationError):
        return None
    return None if found.expired(time.time() if now is None else now) else found
