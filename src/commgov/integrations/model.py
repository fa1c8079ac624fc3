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
    """Whom a key acts for: exactly one of a staff member, a department, a system client or a
    resident (who signs in to the console to see their own points and time bank)."""

    staff_id: int | None = None
    department: str | None = None
    system: str | None = None
    resident_id: int | None = None

    def __attrs_post_init__(self) -> None:
        named = (self.staff_id, self.department, self.system, self.resident_id)
        if sum(v is not None for v in named) != 1:
            raise ValidationError(
                "holder",
                f"staff_id={self.staff_id}, department={self.department}, "
                f"system={self.system}, resident_id={self.resident_id}",
                "give exactly one of a staff member, a department, a system client or a resident",
            )
        if self.system is not None:
            stripped_text("system", self.system, SYSTEM_NAME_MAX)

    def describe(self) -> str:
        if self.staff_id is not None:
            return f"staff:{self.staff_id}"
        if self.department is not None:
            return f"department:{self.department}"
        if self.resident_id is not None:
            return f"resident:{self.resident_id}"
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


# -- webhooks --------------------------------------------------------------------------------
URL_MAX: Final = 500
KIND_PATTERN_MAX: Final = 64
KIND_PATTERNS_MAX: Final = 50
SUBSCRIBER_MAX: Final = 120
ERROR_MAX: Final = 300
WEBHOOK_SECRET_PREFIX: Final = "whsec"
TIMESTAMP_HEADER: Final = "Commgov-Timestamp"
SIGNATURE_HEADER: Final = "Commgov-Signature"
EVENT_HEADER: Final = "Commgov-Event-Id"
SIGNATURE_SCHEME: Final = "sha256"
SIGNATURE_TOLERANCE: Final = dt.timedelta(minutes=5)
"""How old a delivery's timestamp may be when a receiver checks it (``verify_signature``)."""

DELIVERED: Final = "delivered"
FAILING: Final = "failing"
DEAD: Final = "dead"
DELIVERY_STATES: Final = (DELIVERED, FAILING, DEAD)


def new_webhook_secret() -> str:
    """A random signing secret ``whsec_<43 characters>`` (256 bits)."""
    return f"{WEBHOOK_SECRET_PREFIX}_{secrets.token_urlsafe(32)}"


def check_url(url: object) -> str:
    """An ``http://`` or ``https://`` address with a host, stripped."""
    text = stripped_text("url", url, URL_MAX)
    scheme, sep, rest = text.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    if not sep or scheme.lower() not in ("http", "https") or not host or " " in text:
        raise ValidationError("url", text, "expected an http:// or https:// address with a host")
    return text


def check_kinds(kinds: Iterable[object]) -> tuple[str, ...]:
    """Event kinds a webhook takes: each a kind (``case.reported``) or a family (``case``,
    every ``case.…`` kind); none means every kind. Each once, in the order given."""
    out: list[str] = []
    for kind in kinds:
        text = stripped_text("kinds", kind, KIND_PATTERN_MAX)
        allowed = text.replace(".", "").replace("_", "")
        if not allowed.isascii() or not allowed.isalnum() or text != text.lower():
            raise ValidationError("kinds", text, "expected lower-case words joined by '.'")
        if text not in out:
            out.append(text)
    if len(out) > KIND_PATTERNS_MAX:
        raise ValidationError("kinds", len(out), f"at most {KIND_PATTERNS_MAX} kinds")
    return tuple(out)


def takes(patterns: Iterable[str], kind: str) -> bool:
    """Does a webhook with these kind ``patterns`` take an event of ``kind``?"""
    wanted = tuple(patterns)
    return not wanted or any(kind == p or kind.startswith(p + ".") for p in wanted)


def webhook_subscriber(webhook_id: int) -> str:
    """The name deliveries to a webhook are tracked under."""
    return f"webhook:{webhook_id}"


def plugin_subscriber(plugin: str) -> str:
    """The name a plugin's ``commgov_event`` calls are tracked under."""
    return f"plugin:{plugin}"[:SUBSCRIBER_MAX]


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Commgov-Signature`` of a delivery: ``sha256=`` and the hex HMAC-SHA256, keyed
    with the webhook's secret, of the timestamp, a dot and the body."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_SCHEME}={digest}"


def verify_signature(
    secret: str,
    *,
    timestamp: str,
    signature_header: str,
    body: bytes,
    now: dt.datetime,
    tolerance: dt.timedelta = SIGNATURE_TOLERANCE,
) -> bool:
    """What a receiver checks: the signature matches the body and the timestamp (compared in
    constant time), and the timestamp is within ``tolerance`` of ``now``."""
    if not timestamp.isdigit():
        return False
    sent = dt.datetime.fromtimestamp(int(timestamp), dt.UTC)
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), signature_header)


@attrs.frozen
class RetryPolicy:
    """How often a failed delivery is tried again: after ``first_wait``, then twice as long
    each time up to ``longest_wait``; after ``max_attempts`` failures it is dead-lettered."""

    max_attempts: int = 12
    first_wait: dt.timedelta = dt.timedelta(seconds=10)
    longest_wait: dt.timedelta = dt.timedelta(hours=1)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int):
            raise ValidationError("max_attempts", self.max_attempts, "expected a whole number")
        if not 1 <= self.max_attempts <= 100:
            raise ValidationError("max_attempts", self.max_attempts, "expected 1 to 100")
        if self.first_wait <= dt.timedelta(0) or self.longest_wait < self.first_wait:
            raise ValidationError(
                "first_wait", self.first_wait, "expected 0 < first_wait <= longest_wait"
            )

    def wait(self, failures: int) -> dt.timedelta:
        """The wait after the ``failures``-th failure in a row (1, 2, …)."""
        if failures >= 40:  # doubling past this overflows any sensible wait
            return self.longest_wait
        return min(self.first_wait * (1 << max(failures - 1, 0)), self.longest_wait)

    def dead(self, failures: int) -> bool:
        """Is a delivery that failed ``failures`` times in a row dead-lettered?"""
        return failures >= self.max_attempts
