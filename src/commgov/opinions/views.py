"""What the opinion service hands out: service points, logged visits (the resident's name
masked unless the reader may see personal data) and the board."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.kernel.views import View
from commgov.people.model.personal import mask_name


class PointView(View):
    """A service point (服务点): a station in a grid where residents come for everyday services
    and a talk."""

    id: int
    unit_code: str
    name: str
    address: str | None
    created_at: dt.datetime
    retired_at: dt.datetime | None = None
    retired_reason: str | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class VisitView(View):
    """A visit or conversation logged at a point, and what it became: ``case_id`` (a case),
    ``wish_id`` (a micro-wish), ``council_topic`` (a council topic's reference).
    ``resident_name`` is in clear only when ``personal_visible``; ``repr`` masks it always."""

    id: int
    point_id: int
    point_name: str
    unit_code: str
    topic: str
    note: str
    at: dt.datetime
    people: int
    resident_id: int | None
    resident_name: str | None
    personal_visible: bool
    actor: str
    case_id: int | None
    wish_id: int | None
    council_topic: str | None

    def __repr_args__(self) -> Any:
        for key, value in super().__repr_args__():
            yield key, mask_name(value) if key == "resident_name" and value else value


class TopicLine(View):
    """One line of a community's issue list: a topic's visits this month and the people who
    came, its visits the month before, the change and the ratio (this month's visits as a
    multiple of last month's; ``None`` when last month had none), and how many of this
    month's visits became cases, wishes and council topics."""

    topic: str
    label: str
    kind: str
    visits: int
    people: int
    previous: int
    change: int
    ratio: float | None
    cases: int
    wishes: int
    council_topics: int


class CommunityBoard(View):
    """One community's quantified issue list for the month: its totals, its trend against the
    month before, its top topics (at most five, most visits first) and a line per topic."""

    community: str
    name: str
    visits: int
    people: int
    previous: int
    change: int
    ratio: float | None
    cases: int
    wishes: int
    council_topics: int
    top_topics: list[str]
    lines: list[TopicLine]


class OpinionBoard(View):
    """The opinion board (民意感知器) of ``unit`` for ``year``-``month`` (counted in the store's
    zone: ``[start, end)`` in UTC; the previous month starts at ``previous_start``): one
    ``CommunityBoard`` per community with service points under ``unit``."""

    unit: str
    year: int
    month: int
    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime
    communities: list[CommunityBoard]


BOARD_COLUMNS = (
    "community",
    "community_name",
    "year",
    "month",
    "topic",
    "label",
    "kind",
    "visits",
    "people",
    "previous",
    "change",
    "ratio",
    "top_rank",
    "cases",
    "wishes",
    "council_topics",
)
"""The columns of ``cg.opinions.board_frame``: one row per community and topic."""
