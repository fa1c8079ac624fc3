"""The board's arithmetic, pure: the month and the one before it in the store's zone, the
trend between two counts, and a community's quantified issue list from its tallies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from commgov.errors import ValidationError
from commgov.kernel.times import day_start
from commgov.kernel.values import check_int
from commgov.opinions.model.limits import TOP_TOPICS


@attrs.frozen
class Month:
    """A calendar month counted in a zone, as the UTC instants ``[start, end)``, with the
    previous month's start (the previous month is ``[previous_start, start)``)."""

    year: int
    month: int
    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime

    @classmethod
    def of(cls, year: object, month: object, where: dt.tzinfo) -> Month:
        """The month ``year``-``month`` in the zone ``where``; ``ValidationError`` on a year
        outside 1901-8999 or a month outside 1-12."""
        y, m = check_int("year", year), check_int("month", month)
        if not 1901 <= y <= 8999:
            raise ValidationError("year", year, "expected a year from 1901 to 8999")
        if not 1 <= m <= 12:
            raise ValidationError("month", month, "expected a month from 1 to 12")
        first = dt.date(y, m, 1)
        following = dt.date(y + m // 12, m % 12 + 1, 1)
        before = dt.date(y - 1 if m == 1 else y, (m - 2) % 12 + 1, 1)
        return cls(
            y,
            m,
            day_start(first, where),
            day_start(following, where),
            day_start(before, where),
        )


def ratio(now: int, before: int) -> float | None:
    """``now`` as a multiple of ``before`` (1.5: half as many again), to four places;
    ``None`` when there was nothing before to compare with."""
    return round(now / before, 4) if before else None


@attrs.frozen
class Tally:
    """What one topic counted in one community in the month: visits, the people who came,
    and how many of the visits became a case, a wish and a council topic."""

    visits: int = 0
    people: int = 0
    cases: int = 0
    wishes: int = 0
    council_topics: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            *(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other), strict=True))
        )


@attrs.frozen
class Line:
    """One line of a community's issue list: the topic's tally this month, its visits the
    month before, and the trend."""

    topic: str
    tally: Tally
    previous: int

    @property
    def change(self) -> int:
        return self.tally.visits - self.previous

    @property
    def ratio(self) -> float | None:
        return ratio(self.tally.visits, self.previous)


def issue_list(current: Mapping[str, Tally], previous: Mapping[str, int]) -> list[Line]:
    """Every topic counted in either month: most visits first (ties by code), then the topics
    only last month had, most visits then first."""
    topics = {t for t, n in current.items() if n.visits} | {t for t, n in previous.items() if n}
    lines = [Line(t, current.get(t, Tally()), previous.get(t, 0)) for t in topics]
    return sorted(
        lines, key=lambda x: (-x.tally.visits, -x.previous * (not x.tally.visits), x.topic)
    )


def top_topics(lines: list[Line], n: int = TOP_TOPICS) -> list[str]:
    """The ``n`` topics with the most visits this month (ties by code), none with no visits."""
    ranked = sorted(
        (line for line in lines if line.tally.visits), key=lambda x: (-x.tally.visits, x.topic)
    )
    return [line.topic for line in ranked[:n]]
