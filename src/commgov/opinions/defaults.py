"""The core's opinion rules, registered as a plugin like any town's (town plugins answer first)."""

from __future__ import annotations

from commgov.kernel.markers import hookimpl
from commgov.opinions.model.rules import OpinionTopic
from commgov.opinions.model.topics import DEFAULT_TOPICS

NAME = "commgov.opinion_defaults"


@hookimpl
def commgov_opinion_topics() -> list[OpinionTopic]:
    return list(DEFAULT_TOPICS)
