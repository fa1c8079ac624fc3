"""The opinion hooks as the service uses them: the topic registry, merged once per store,
checked, cached (``ctx.refresh`` forgets it when a plugin is added)."""

from __future__ import annotations

from typing import Final

from commgov.kernel.calls import merge_specs, registry
from commgov.kernel.context import Context
from commgov.opinions.model.rules import OpinionTopic
from commgov.opinions.model.topics import TopicTree

TOPICS: Final = "commgov_opinion_topics"


def topic_tree(ctx: Context) -> TopicTree:
    """Every topic in the store, from ``commgov_opinion_topics`` (a later plugin may replace a
    code), checked: dotted codes under existing parents, known kinds."""

    def build() -> TopicTree:
        specs = merge_specs(registry(ctx.plugins, TOPICS), OpinionTopic, lambda t: t.code, TOPICS)
        return TopicTree.build(specs.values())

    return ctx.cached("opinions.topics", build)
