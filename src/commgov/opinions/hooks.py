"""Opinion-board hooks: the topics service points log visits under (a registry hook, every
available plugin)."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.opinions.model.rules import OpinionTopic


@hookspec
def commgov_opinion_topics() -> list[OpinionTopic]:  # type: ignore[empty-body]
    """Topics this plugin adds, as dotted codes under existing parents."""
