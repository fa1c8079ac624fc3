"""The store's case options, kept in the store (``commgov_meta``) so every process that opens
it works alike: the alarm-folding window (sensor alarms from one device within this time of
its last alarm fold into its open case)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov.cases.model.vocab import CASE_SETTINGS
from commgov.errors import ConfigurationError, ValidationError
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.repository import MetaRepository
from commgov.kernel.uow import UnitOfWork

ALARM_WINDOW: Final = dt.timedelta(hours=1)
"""The window until a town sets another one."""
ALARM_WINDOW_MAX: Final = dt.timedelta(hours=24)
ALARM_WINDOW_KEY: Final = "cases.alarm_window"
"""Where the window is kept: whole seconds, as ASCII digits."""
SETTINGS_TARGET: Final = Target("the store's case settings")


def alarm_window(uow: UnitOfWork) -> dt.timedelta:
    """The window kept in the store (``ALARM_WINDOW`` until one is set)."""
    kept = uow.repo(MetaRepository).get(ALARM_WINDOW_KEY)
    if kept is None:
        return ALARM_WINDOW
    text = bytes(kept).decode("ascii", errors="replace")
    if not text.isdigit() or int(text) > ALARM_WINDOW_MAX.total_seconds():
        raise ConfigurationError(f"{ALARM_WINDOW_KEY}={text!r} in the store: not 0 to 86400 s")
    return dt.timedelta(seconds=int(text))


def checked_window(window: object) -> dt.timedelta:
    """``window`` if it is a ``timedelta`` of whole seconds from 0 (no folding) to 24 hours."""
    if not isinstance(window, dt.timedelta):
        raise ValidationError("alarm_window", window, "expected a timedelta (e.g. 45 minutes)")
    if not dt.timedelta(0) <= window <= ALARM_WINDOW_MAX:
        raise ValidationError(
            "alarm_window", str(window), "must lie from 0 (alarms never fold) to 24 hours"
        )
    if window.microseconds:
        raise ValidationError("alarm_window", str(window), "give whole seconds")
    return window


def set_alarm_window(ctx: Context, actor: Actor, window: object) -> dt.timedelta:
    """Keep ``window`` in the store: a town administrator or a system actor, audited."""
    new = checked_window(window)
    with ctx.uow() as uow:
        ctx.authorize(actor, CASE_SETTINGS, SETTINGS_TARGET)
        old = alarm_window(uow)
        seconds = int(new.total_seconds())
        uow.repo(MetaRepository).put(ALARM_WINDOW_KEY, str(seconds).encode("ascii"))
        detail: dict[str, object] = {"from_s": int(old.total_seconds()), "to_s": seconds}
        ctx.audit(
            uow, actor, "cases.settings", entity="store", entity_id="alarm_window", detail=detail
        )
    return new


__all__ = [
    "ALARM_WINDOW",
    "ALARM_WINDOW_KEY",
    "ALARM_WINDOW_MAX",
    "alarm_window",
    "checked_window",
    "set_alarm_window",
]
