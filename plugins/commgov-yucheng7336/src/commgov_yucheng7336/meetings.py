"""开好一会 from the councils: a meeting of a grid's council, closed with its minutes, is the
grid's meeting for the 7336 duties — no second entry by hand.

``GridMeetings(store)`` is a plugin object holding the store it records through: add it with
``store.add_plugin(GridMeetings(store))`` and enable it on the town beside ``yucheng7336``. When
a council meeting closes (``commgov_meeting_closed``) in a grid and at least one person's
attendance was taken, it records the duty (``y7336.meeting``) in that grid, by the actor who
closed the meeting, inside the closing's unit of work: both commit or neither."""

from __future__ import annotations

from commgov import Actor, Commgov, MeetingInfo, hookimpl
from commgov_yucheng7336 import duties, vocab


class GridMeetings:
    """Counts a grid council's closed meeting as the grid's 开好一会."""

    commgov_plugin_name = vocab.GRID_MEETINGS

    def __init__(self, store: Commgov) -> None:
        self.store = store

    @hookimpl
    def commgov_meeting_closed(self, meeting: MeetingInfo, actor: Actor) -> None:
        if meeting.unit_kind != "grid" or meeting.attendees < 1:
            return
        topics = "、".join(meeting.topics) or meeting.title
        duties.record_meeting(
            self.store, actor, grid=meeting.unit_code, topic=f"{meeting.title}：{topics}"[:200],
            attendees=meeting.attendees, minutes=meeting.minutes,
        )  # fmt: skip
