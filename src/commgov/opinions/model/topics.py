"""The topic registry: dotted codes under their parents, each of a known kind, and the core's
default topics (what a Chang'an service point hears: help, questions, complaints …)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from commgov.errors import PluginError, ValidationError
from commgov.opinions.model.limits import TOPIC_MAX
from commgov.opinions.model.rules import TOPIC_KINDS, OpinionTopic

_CODE: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")

DEFAULT_TOPICS: Final = (
    OpinionTopic("help", "求助 help given", "help"),
    OpinionTopic("help.elderly", "助老 help for elderly people", "help"),
    OpinionTopic("help.errand", "业务代办 errands run for residents", "help"),
    OpinionTopic("help.printing", "文件打印 documents printed or copied", "help"),
    OpinionTopic("information", "咨询 information asked", "information"),
    OpinionTopic("information.policy", "政策咨询 policy questions", "information"),
    OpinionTopic("complaint", "投诉 complaints", "complaint"),
    OpinionTopic("complaint.environment", "环境卫生 environment and sanitation", "complaint"),
    OpinionTopic("complaint.property", "物业管理 property management", "complaint"),
    OpinionTopic("complaint.safety", "治安隐患 public order and safety", "complaint"),
    OpinionTopic("suggestion", "建议 suggestions", "suggestion"),
    OpinionTopic("praise", "表扬 praise", "praise"),
    OpinionTopic("other", "其他 other (拉家常 chats included)", "other"),
)


@attrs.frozen
class TopicTree:
    """Every registered topic by code, checked: dotted lower-case codes, parents present,
    known kinds, a label."""

    by_code: Mapping[str, OpinionTopic]

    @classmethod
    def build(cls, topics: Iterable[OpinionTopic]) -> TopicTree:
        found: dict[str, OpinionTopic] = {}
        for topic in topics:
            where = f"opinion topic {topic.code!r}"
            if not isinstance(topic.code, str) or not _CODE.fullmatch(topic.code):
                raise PluginError(f"{where}: codes are dotted lower_case")
            if len(topic.code) > TOPIC_MAX:
                raise PluginError(f"{where}: longer than {TOPIC_MAX} characters")
            if topic.kind not in TOPIC_KINDS:
                raise PluginError(f"{where}: kind {topic.kind!r} is not one of {TOPIC_KINDS}")
            if not isinstance(topic.label, str) or not topic.label.strip():
                raise PluginError(f"{where}: needs a label")
            found[topic.code] = topic
        for topic in found.values():
            if topic.parent is not None and topic.parent not in found:
                raise PluginError(f"opinion topic {topic.code!r}: no parent {topic.parent!r}")
        return cls(dict(sorted(found.items())))

    def get(self, code: object, field: str = "topic") -> OpinionTopic:
        """The topic ``code``, or ``ValidationError`` on ``field`` listing the known ones."""
        topic = self.by_code.get(code) if isinstance(code, str) else None
        if topic is None:
            raise ValidationError(field, code, f"unknown topic; known: {', '.join(self.by_code)}")
        return topic

    def describe(self, code: str) -> OpinionTopic:
        """The topic ``code``, or a stand-in for a code no plugin declares any more (a visit
        logged under a plugin's topic before the plugin was removed)."""
        return self.by_code.get(code) or OpinionTopic(code, code, "other")
