"""The season's clock: the deliberation season's timeline, over this season's days."""

from __future__ import annotations

import datetime as dt

from commgov.demo.community.plan import SEASON_END, SEASON_START
from commgov.demo.deliberation.timeline import Timeline as SeasonTimeline
from commgov.demo.participation.cast import Cast

PHASE = "community"
"""The progress bar's name: days of the season played."""


class Timeline(SeasonTimeline):
    """Jobs by the moment they happen, each under a part of the season (``resources``,
    ``organisations``, ``activities``), as ``deliberation.timeline.Timeline`` runs them."""

    PHASE = PHASE
    FIRST = SEASON_START
    LAST = SEASON_END


def season_end(cast: Cast) -> dt.datetime:
    return cast.moment(SEASON_END + dt.timedelta(days=1), 0)


def between(now: dt.datetime, then: dt.datetime, share: float) -> dt.datetime:
    """The moment ``share`` (0 to 1) of the way from ``now`` to ``then``."""
    return now + (then - now) * share
