"""What the opinion-board hooks return: the topics a service point logs visits under."""

from __future__ import annotations

from typing import Final, Literal, get_args

import attrs

TopicKind = Literal["help", "information", "complaint", "suggestion", "praise", "other"]
TOPIC_KINDS: Final[tuple[TopicKind, ...]] = get_args(TopicKind)
"""What a visit was, whatever its topic: help given, information asked, a complaint, a
suggestion, praise, or something else."""


@attrs.frozen
class OpinionTopic:
    """A topic (``help``) or a sub-topic (``help.elderly``) of visits and conversations at a
    service point, as a dotted code; ``kind`` says what it is: ``help`` (help given),
    ``information`` (information asked), ``complaint``, ``suggestion``, ``praise`` or
    ``other``."""

    code: str
    label: str
    kind: str = "other"

    @property
    def parent(self) -> str | None:
        head, dot, _ = self.code.rpartition(".")
        return head if dot else None
