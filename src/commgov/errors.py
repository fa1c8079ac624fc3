"""The exceptions commgov raises. Every one says what was wrong and with which value.

The tree::

    CommgovError
    ├── ValidationError          bad input: names the field, the value and the reason
    │   └── ImportRejected       a file with bad rows: every row error, nothing imported
    ├── NotFoundError            no such entity (kind and key)
    ├── PermissionDenied         the actor's role or reach does not allow the action
    ├── ConflictError            a duplicate, or a concurrent change that lost the race
    ├── StateError               an action the entity's current state does not allow
    ├── PluginError              a plugin that cannot load or a hook that misbehaved
    └── ConfigurationError       a missing or wrong setting (store URL, secret key)

Values that are personal data (identity numbers, phones) appear masked in messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

__all__ = [
    "CommgovError",
    "ConfigurationError",
    "ConflictError",
    "ImportRejected",
    "NotFoundError",
    "PermissionDenied",
    "PluginError",
    "RowError",
    "StateError",
    "ValidationError",
]


class CommgovError(Exception):
    """Base of every error commgov raises on purpose."""


class ValidationError(CommgovError, ValueError):
    """Input that fails validation. ``field`` and ``value`` say which and what."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}={value!r}: {reason}")


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
    """No entity of ``kind`` with ``key``."""

    def __init__(self, kind: str, key: Any) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with key {key!r}")


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
