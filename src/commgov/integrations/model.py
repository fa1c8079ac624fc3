"""API keys as values: the key's shape, its scopes, who it acts for. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Final

import attrs

from commgov.errors import ValidationError
from commgov.kernel.values import stripped_text

KEY_PREFIX: Final = "cg"
PREFIX_LENGTH: Final = 10
"""Characters of the key's public part (after ``cg_``): how a key is looked up and listed."""
READ_SCOPE: Final = "read"
WRITE_SCOPE: Final = "write"
SCOPES: Final = (READ_SCOPE, WRITE_SCOPE)
LABEL_MAX: Final = 100
SYSTEM_NAME_MAX: Final = 100


@attrs.frozen
class NewSecret:
    """A freshly made key: ``text`` is shown once; only ``digest`` is stored."""

    prefix: str
    text: str
    digest: str


def new_secret() -> NewSecret:
    """A random key ``cg_<prefix>_<secret>``: 10 characters to find it, 256 bits to prove it."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    text = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewSecret(prefix=prefix, text=text, digest=digest_of(text))


def digest_of(text: str) -> str:
    """The stored form of a key: its SHA-256, in hex (the key is random, so no salt is needed)."""
    return hashlib.sha256(text.encode()).hexdigest()


def prefix_of(text: str) -> str | None:
    """The public part of a key as callers send it, or ``None`` when it is not one of ours."""
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != PREFIX_LENGTH:
        return None
    return parts[1]


def matches(text: str, digest: str) -> bool:
    """Does ``text`` hash to ``digest`` (compared in constant time)?"""
    return hmac.compare_digest(digest_of(text), digest)


def check_scopes(scopes: Iterable[object]) -> tuple[str, ...]:
    """Known scopes, each once, in the order of ``SCOPES``."""
    given = list(scopes)
    for scope in given:
        if scope not in SCOPES:
            raise ValidationError("scopes", scope, f"expected some of {', '.join(SCOPES)}")
    if not given:
        raise ValidationError("scopes", given, "give at least one scope")
    return tuple(s for s in SCOPES if s in given)


@attrs.frozen
class Holder:
    """Whom a key acts for: exactly one of a staff member, a department or a system client."""

    staff_id: int | None = None
    department: str | None = None
    system: str | None = None

    def __attrs_post_init__(self) -> None:
        given = [v for v in (self.staff_id, self.department, self.system) if v is not None]
        if len(given) != 1:
            raise ValidationError(
                "holder",
                f"staff_id={self.staff_id}, department={self.department}, system={self.system}",
                "give exactly one of a staff member, a department or a system client",
            )
        if self.system is not None:
            stripped_text("system", self.system, SYSTEM_NAME_MAX)

    def describe(self) -> str:
        if self.staff_id is not None:
            return f"staff:{self.staff_id}"
        if self.department is not None:
            return f"department:{self.department}"
        return f"system:{self.system}"


def usable(
    revoked_at: dt.datetime | None, expires_at: dt.datetime | None, now: dt.datetime
) -> str | None:
    """Why a key may not be used now (revoked, expired), or ``None`` when it may."""
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return None
