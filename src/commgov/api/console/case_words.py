"""A case's codes in words: categories by label, leads by name, channels by the model's
labels, the model's codes by the catalogue, and its timeline's rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

from commgov.api.console.request_words import Words
from commgov.api.console.site import ConsoleSite
from commgov.api.console.store_time import local_time
from commgov.cases.model.vocab import CHANNELS
from commgov.cases.views import CaseEventView
from commgov.errors import CommgovError
from commgov.kernel.actors import RESIDENT, Actor

SHOWN_DATA: Final = ("kind", "category", "severity", "owner_level", "lead", "rating")
"""What of an event's data the timeline shows beside its note."""
CHANNEL_WORDS: Final[dict[str, str]] = {str(k): v for k, v in CHANNELS.items()}
"""A channel's bilingual label by its code."""


@attrs.frozen
class TimelineRow:
    """An event of a case's timeline as the page shows it."""

    at: str
    who: str
    action: str
    from_state: str | None
    to_state: str
    note: str | None
    data: list[tuple[str, str]]


@attrs.frozen
class CaseWords:
    """A case's codes in words: categories by label, leads by name, the model's codes by the
    catalogue (``severity.normal`` …)."""

    site: ConsoleSite
    actor: Actor
    words: Words
    categories: dict[str, str]

    def lead(self, label: str | None) -> str:
        """``staff:12`` as the staff member's name when the actor may read it."""
        if label is None:
            return ""
        kind, _, ref = label.partition(":")
        if kind == "staff" and ref.isdigit():
            try:
                return self.site.cg.staff.get(self.actor, int(ref)).name
            except CommgovError:
                return label
        return label

    def value(self, key: str, value: object) -> str:
        """One value of an event's data in words."""
        prefix = {"severity": "severity", "owner_level": "level", "kind": "reject"}
        if key in prefix or key == "rating":
            return self.words(f"{prefix.get(key, key)}.{value}")
        if key == "category":
            return self.categories.get(str(value), str(value))
        return self.lead(str(value)) if key == "lead" else str(value)

    def who(self, label: str) -> str:
        """An event's actor: the role in words and the name, but no resident's name."""
        role, _, name = label.partition(":")
        return self.words(role) if role == RESIDENT or not name else f"{self.words(role)} {name}"

    def timeline(self, events: Sequence[CaseEventView]) -> list[TimelineRow]:
        """The events in the store's time zone, their actors and data in words."""
        return [
            TimelineRow(
                at=local_time(self.site.cg, e.at),
                who=self.who(e.actor),
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                note=e.note,
                data=[
                    (self.words.field(k), self.value(k, e.data[k]))
                    for k in SHOWN_DATA
                    if e.data.get(k)
                ],
            )
            for e in events
        ]
