"""The exceptions commgov raises. Every one says what was wrong and with which value.

The tree::

    CommgovError
    ├── ValidationError          bad input: names the field, the value and the reason
    │   ├── ImportRejected       a file with bad rows: every row error, nothing imported
    │   └── InsufficientFunds    a transfer that would overdraw its account (ledger)
    ├── NotFoundError            no such entity (kind and key)
    ├── NotAuthenticated         who is calling could not be established (an HTTP caller's key)
    ├── PermissionDenied         the actor's role or reach does not allow the action
    ├── ConflictError            a duplicate, or a concurrent change that lost the race
    ├── StateError               an action the entity's current state does not allow
    ├── PluginError              a plugin that cannot load or a hook that misbehaved
    └── ConfigurationError       a missing or wrong setting (store URL, secret key)

Values that are personal data (identity numbers, phones) appear masked in messages. An error
raised for one item of a batch comes back with ``with_context``: the same class and fields, its
message prefixed with the item (``transfer 2 (client_id 'b2'): …``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import attrs

__all__ = [
    "CommgovError",
    "ConfigurationError",
    "ConflictError",
    "ImportRejected",
    "InsufficientFunds",
    "NotAuthenticated",
    "NotFoundError",
    "PermissionDenied",
    "PluginError",
    "RowError",
    "StateError",
    "ValidationError",
]


class CommgovError(Exception):
    """Base of every error commgov raises on purpose.

    ``context`` says where the error arose when it was raised for one item of a batch (``None``
    otherwise); see ``with_context``."""

    context: str | None = None

    def with_context(self, context: str) -> Self:
        """A copy of this error, of the same class with the same attributes, whose message
        starts with ``context``. The constructor is not called again, so this works whatever
        arguments the class takes."""
        clone = self._clone()
        clone.context = context if self.context is None else f"{context}: {self.context}"
        clone.args = (f"{context}: {self}",)
        return clone

    def _clone(self) -> Self:
        clone = type(self).__new__(type(self))  # BaseException.__new__: no __init__ call
        clone.__dict__.update(self.__dict__)
        clone.args = self.args
        return clone


class ValidationError(CommgovError, ValueError):
    """Input that fails validation. ``field`` and ``value`` say which and what. ``message``,
    when given, is the text in words a front-desk clerk understands (the fields keep the
    technical detail)."""

    worded: bool = False
    """Whether the message was given in a clerk's words rather than built from the fields."""

    def __init__(self, field: str, value: Any, reason: str, *, message: str | None = None) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        self.worded = message is not None
        super().__init__(f"{field}={value!r}: {reason}" if message is None else message)

    def with_context(self, context: str) -> Self:
        """As ``CommgovError.with_context``; the context goes before the reason, so the message
        still starts with the field and the value (a worded message is prefixed whole)."""
        clone = super().with_context(context)
        clone.reason = f"{context}: {self.reason}"
        if not self.worded:
            clone.args = (f"{self.field}={self.value!r}: {clone.reason}",)
        return clone


class InsufficientFunds(ValidationError):
    """A transfer that would take ``account`` (its code) below zero: ``balance`` is what the
    account could still spend (its posted balance less what pending transfers hold) and
    ``amount`` what was asked. A ``ValidationError`` on the field ``amount``."""

    def __init__(
        self, account: str, balance: int, amount: int, *, message: str | None = None
    ) -> None:
        self.account = account
        self.balance = balance
        self.amount = amount
        reason = f"overdraws {account} (available {balance})"
        super().__init__("amount", amount, reason, message=message)


@attrs.frozen
class RowError:
    """One bad cell of an imported file (``row`` counts from 1, the header being row 1)."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}, value {self.value!r}: {self.reason}"


class ImportRejected(ValidationError):
    """A file with at least one bad row; nothing was imported. ``errors`` lists every bad cell."""

    def __init__(self, source: str, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        first = self.errors[0] if self.errors else None
        summary = f"{len(self.errors)} bad row(s); first: {first}" if first else "no rows"
        super().__init__("file", source, summary)


class NotFoundError(CommgovError, LookupError):
    """No entity of ``kind`` with ``key``; ``message``, when given, says it in a clerk's words."""

    def __init__(self, kind: str, key: Any, *, message: str | None = None) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with key {key!r}" if message is None else message)


class NotAuthenticated(CommgovError):
    """A caller who could not be identified: no key, an unknown one, or one revoked or expired.
    ``reason`` says which, without repeating the key."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not authenticated: {reason}")


class PermissionDenied(CommgovError, PermissionError):
    """The actor may not perform ``action`` on ``target``."""

    def __init__(self, actor: str, action: str, target: str) -> None:
        self.actor = actor
        self.action = action
        self.target = target
        super().__init__(f"{actor} may not {action} {target}")


class ConflictError(CommgovError):
    """A duplicate key, or a concurrent change that won before this one."""


class StateError(CommgovError):
    """An action the entity's current state does not allow; nothing was changed."""


class PluginError(CommgovError):
    """A plugin that cannot be loaded, or a hook implementation that is wrong."""


class ConfigurationError(CommgovError):
    """A setting that is missing or wrong."""
